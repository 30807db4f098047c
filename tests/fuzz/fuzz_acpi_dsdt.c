/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_dsdt.c - libFuzzer target: the HPMR/MDNR scan of AML (see fuzz_acpi.h) */
#include <stdio.h>
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/dsdt_scan.h"

static int quiet(const char *fmt, ...) { (void)fmt; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_problems p;
	struct acpi_memhp_info m;
	size_t len;
	uint8_t *t = fuzz_acpi_table(data, size, &len);

	if (!t)
		return 0;
	acpi_problems_reset(&p);
	memset(&m, 0, sizeof(m));
	if (acpi_scan_memhp(t, len, "DSDT", &m, &p) == 0) {
		if (m.present && m.length < ACPI_MEMHP_IO_LEN)
			__builtin_trap();
		acpi_memhp_show(&m, quiet);
	}
	free(t);
	return 0;
}
