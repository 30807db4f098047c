# tools/acpi-decode: the kernel's ACPI parsers built for the host, as a
# checker for a machine's tables (see tools/acpi-decode/acpi-decode.c).
ACPI_PARSER_SRCS := drivers/acpi/tables.c drivers/acpi/madt.c drivers/acpi/srat.c \
                    drivers/acpi/slit.c drivers/acpi/fadt.c drivers/acpi/dsdt_scan.c \
                    drivers/acpi/mcfg.c drivers/acpi/nfit.c arch/x86_64/numa.c
ACPI_DECODE_SRCS := tools/acpi-decode/acpi-decode.c tools/acpi-decode/load.c \
                    tools/acpi-decode/host_env.c $(ACPI_PARSER_SRCS)

TOOLS += $(BUILD)/tools/acpi-decode

$(BUILD)/tools/acpi-decode: $(ACPI_DECODE_SRCS) $(wildcard drivers/acpi/*.h tools/acpi-decode/*.h) arch/x86_64/numa.h
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  HOSTCC  $@"
	$(Q)$(HOST_CC) -std=gnu11 -O2 -g $(WARN) -I. -DHOTMM_HOST -o $@ $(ACPI_DECODE_SRCS)
