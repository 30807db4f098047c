/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_mcfg.c - libFuzzer target: acpi_parse_mcfg() (see fuzz_acpi.h) */
#include <stdio.h>
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/mcfg.h"

static int quiet(const char *fmt, ...) { (void)fmt; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_mcfg_info m;
	static struct acpi_problems p;
	size_t len;
	uint8_t *t = fuzz_acpi_table(data, size, &len);

	if (!t)
		return 0;
	acpi_problems_reset(&p);
	if (acpi_parse_mcfg(t, len, &m, &p) == 0) {
		if (!m.count || m.count > ACPI_MCFG_MAX_REGIONS)
			__builtin_trap();
		for (unsigned int i = 0; i < m.count; i++)
			if (!m.region[i].address || (m.region[i].address & 0xfffff) ||
			    m.region[i].start_bus > m.region[i].end_bus)
				__builtin_trap();
		acpi_mcfg_show(&m, quiet);
	}
	free(t);
	return 0;
}
