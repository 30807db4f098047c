# tests/fuzz/acpi.mk - libFuzzer targets for the ACPI parsers (drivers/acpi/)
#
#   make build/fuzz/fuzz_acpi_srat && build/fuzz/fuzz_acpi_srat tests/fuzz/corpus/acpi_srat
#   python3 tests/fuzz/gen_acpi_corpus.py    rewrites the seed corpora from tests/fixtures/acpi
# `make fuzz` runs each for FUZZ_SECONDS; `make test` replays the corpora (-runs=0).

ACPI_FUZZ_PARSERS := drivers/acpi/tables.c drivers/acpi/madt.c drivers/acpi/srat.c \
                     drivers/acpi/slit.c drivers/acpi/fadt.c drivers/acpi/dsdt_scan.c \
                     drivers/acpi/mcfg.c drivers/acpi/nfit.c
ACPI_FUZZ_TARGETS := madt srat slit fadt dsdt tables mcfg nfit
FUZZERS += $(patsubst %,$(BUILD)/fuzz/fuzz_acpi_%,$(ACPI_FUZZ_TARGETS))

# The SRAT target also runs NUMA setup, over the real memblock.
ACPI_FUZZ_EXTRA_srat := arch/x86_64/numa.c mm/memblock.c

define acpi_fuzz_rule
$(BUILD)/fuzz/fuzz_acpi_$(1): tests/fuzz/fuzz_acpi_$(1).c tests/fuzz/fuzz_acpi.h $(ACPI_FUZZ_PARSERS) \
		$(ACPI_FUZZ_EXTRA_$(1)) $(wildcard drivers/acpi/*.h) tests/host/host_stubs.c
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)echo "  FUZZ    $$@"
	$$(Q)clang -std=gnu11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -DHOTMM_HOST -I. -o $$@ \
	  tests/fuzz/fuzz_acpi_$(1).c $(ACPI_FUZZ_PARSERS) $(ACPI_FUZZ_EXTRA_$(1)) tests/host/host_stubs.c
endef
$(foreach t,$(ACPI_FUZZ_TARGETS),$(eval $(call acpi_fuzz_rule,$(t))))
