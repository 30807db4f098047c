# Host tests of the ACPI parsers (drivers/acpi/) and of NUMA setup (arch/x86_64/numa.c).
HOST_TESTS += acpi
HOST_TEST_SRCS_acpi := tests/host/test_acpi.c drivers/acpi/tables.c drivers/acpi/madt.c \
	drivers/acpi/srat.c drivers/acpi/slit.c drivers/acpi/fadt.c drivers/acpi/dsdt_scan.c \
	tools/acpi-decode/load.c

HOST_TESTS += acpi_numa
HOST_TEST_SRCS_acpi_numa := tests/host/test_acpi_numa.c arch/x86_64/numa.c mm/memblock.c \
	drivers/acpi/tables.c drivers/acpi/madt.c drivers/acpi/srat.c drivers/acpi/slit.c

# ACPI tables from boot modules (drivers/acpi/table_override.c) over the discovery walk.
HOST_TESTS += acpi_override
HOST_TEST_SRCS_acpi_override := tests/host/test_acpi_override.c drivers/acpi/tables.c \
	drivers/acpi/table_override.c tools/acpi-decode/load.c

# The NFIT parser (drivers/acpi/nfit.c) on QEMU's NFIT and bent copies of it.
HOST_TESTS += nfit
HOST_TEST_SRCS_nfit := tests/host/test_nfit.c drivers/acpi/tables.c drivers/acpi/nfit.c
