/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_madt.c - libFuzzer target: acpi_parse_madt() and the MADT view (see fuzz_acpi.h) */
#include <stdio.h>
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/madt.h"

static int quiet(const char *fmt, ...) { (void)fmt; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_madt_info m;
	static struct acpi_problems p;
	size_t len;
	uint8_t *t = fuzz_acpi_table(data, size, &len);

	if (!t)
		return 0;
	acpi_problems_reset(&p);
	if (acpi_parse_madt(t, len, &m, &p) == 0) {
		if (m.nr_cpus > ACPI_MAX_CPUS || m.nr_enabled > m.nr_cpus)
			__builtin_trap();
		acpi_madt_show(&m, quiet);
	}
	free(t);
	return 0;
}
