/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_mcfg.c - libFuzzer target: acpi_parse_mcfg() (see fuzz_acpi.h) */
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/mcfg.h"

static void check(const uint8_t *t, size_t len, struct acpi_problems *p)
{
	static struct acpi_mcfg_info m;

	if (acpi_parse_mcfg(t, len, &m, p))
		return;
	if (!m.count || m.count > ACPI_MCFG_MAX_REGIONS)
		__builtin_trap();
	for (unsigned int i = 0; i < m.count; i++)
		if (!m.region[i].address || (m.region[i].address & 0xfffff) ||
		    m.region[i].start_bus > m.region[i].end_bus)
			__builtin_trap();
	acpi_mcfg_show(&m, fuzz_acpi_quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_acpi_run(data, size, check);
}
