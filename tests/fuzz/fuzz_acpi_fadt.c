/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_fadt.c - libFuzzer target: acpi_parse_fadt() (see fuzz_acpi.h) */
#include <stdio.h>
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/fadt.h"

static int quiet(const char *fmt, ...) { (void)fmt; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_fadt_info f;
	static struct acpi_problems p;
	size_t len;
	uint8_t *t = fuzz_acpi_table(data, size, &len);

	if (!t)
		return 0;
	acpi_problems_reset(&p);
	if (acpi_parse_fadt(t, len, &f, &p) == 0)
		acpi_fadt_show(&f, quiet);
	free(t);
	return 0;
}
