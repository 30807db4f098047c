# tests/fuzz/acpi_override.mk - libFuzzer target for ACPI tables from boot modules
#
#   make build/fuzz/fuzz_acpi_override && build/fuzz/fuzz_acpi_override tests/fuzz/corpus/acpi_override
#   python3 tests/fuzz/gen_acpi_override_corpus.py   rewrites the seed corpus
# `make fuzz` runs it for FUZZ_SECONDS; `make test` replays the corpus (-runs=0).

FUZZERS += $(BUILD)/fuzz/fuzz_acpi_override

$(BUILD)/fuzz/fuzz_acpi_override: tests/fuzz/fuzz_acpi_override.c drivers/acpi/table_override.c \
		drivers/acpi/tables.c tools/acpi-decode/load.c $(wildcard drivers/acpi/*.h) \
		tests/host/host_stubs.c
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  FUZZ    $@"
	$(Q)clang -std=gnu11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -DHOTMM_HOST -I. -o $@ \
	  tests/fuzz/fuzz_acpi_override.c drivers/acpi/table_override.c drivers/acpi/tables.c \
	  tools/acpi-decode/load.c tests/host/host_stubs.c
