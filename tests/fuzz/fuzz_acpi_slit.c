/* SPDX-License-Identifier: MIT */
/* DOC: fuzz_acpi_slit.c - libFuzzer target: acpi_parse_slit() (see fuzz_acpi.h) */
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/slit.h"

static void check(const uint8_t *t, size_t len, struct acpi_problems *p)
{
	static struct acpi_slit_info s;

	if (acpi_parse_slit(t, len, &s, p))
		return;
	if (s.localities > ACPI_MAX_LOCALITIES)
		__builtin_trap();
	acpi_slit_show(&s, fuzz_acpi_quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_acpi_run(data, size, check);
}
