/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_slit.c - libFuzzer target: acpi_parse_slit() (see fuzz_acpi.h) */
#include <stdio.h>
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/slit.h"

static int quiet(const char *fmt, ...) { (void)fmt; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_slit_info s;
	static struct acpi_problems p;
	size_t len;
	uint8_t *t = fuzz_acpi_table(data, size, &len);

	if (!t)
		return 0;
	acpi_problems_reset(&p);
	if (acpi_parse_slit(t, len, &s, &p) == 0) {
		if (s.localities > ACPI_MAX_LOCALITIES)
			__builtin_trap();
		acpi_slit_show(&s, quiet);
	}
	free(t);
	return 0;
}
