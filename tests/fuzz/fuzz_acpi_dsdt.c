/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_dsdt.c - libFuzzer target: the HPMR/MDNR scan of AML (see fuzz_acpi.h) */
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/dsdt_scan.h"

static void check(const uint8_t *t, size_t len, struct acpi_problems *p)
{
	struct acpi_memhp_info m;

	memset(&m, 0, sizeof(m));
	if (acpi_scan_memhp(t, len, "DSDT", &m, p))
		return;
	if (m.present && m.length < ACPI_MEMHP_IO_LEN)
		__builtin_trap();
	acpi_memhp_show(&m, fuzz_acpi_quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_acpi_run(data, size, check);
}
