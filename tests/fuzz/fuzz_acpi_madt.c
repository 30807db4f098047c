/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_madt.c - libFuzzer target: acpi_parse_madt() and the MADT view (see fuzz_acpi.h) */
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/madt.h"

static void check(const uint8_t *t, size_t len, struct acpi_problems *p)
{
	static struct acpi_madt_info m;

	if (acpi_parse_madt(t, len, &m, p))
		return;
	if (m.nr_cpus > ACPI_MAX_CPUS || m.nr_enabled > m.nr_cpus)
		__builtin_trap();
	acpi_madt_show(&m, fuzz_acpi_quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_acpi_run(data, size, check);
}
