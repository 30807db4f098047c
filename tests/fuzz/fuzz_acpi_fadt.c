/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_fadt.c - libFuzzer target: acpi_parse_fadt() (see fuzz_acpi.h) */
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/fadt.h"

static void check(const uint8_t *t, size_t len, struct acpi_problems *p)
{
	static struct acpi_fadt_info f;

	if (acpi_parse_fadt(t, len, &f, p) == 0)
		acpi_fadt_show(&f, fuzz_acpi_quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_acpi_run(data, size, check);
}
