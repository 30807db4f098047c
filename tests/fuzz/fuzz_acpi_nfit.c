/* SPDX-License-Identifier: MIT */
/*
 * DOC: fuzz_acpi_nfit.c - libFuzzer target: acpi_parse_nfit() (see fuzz_acpi.h)
 *
 * Besides memory safety, what the parser promises (nfit.h) is checked on
 * every input it accepts: each range kept is non-empty, page-aligned, below
 * 2^52, of a known memory kind, with a unique index, and overlaps no other.
 */
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/nfit.h"

static void check(const uint8_t *t, size_t len, struct acpi_problems *p)
{
	static struct acpi_nfit_info n;

	if (acpi_parse_nfit(t, len, &n, p))
		return;
	if (n.nr_spa > ACPI_NFIT_MAX_SPA)
		__builtin_trap();
	for (unsigned int i = 0; i < n.nr_spa; i++) {
		const struct acpi_nfit_spa *a = &n.spa[i];

		if (!a->length || (a->base | a->length) & 4095 || a->base + a->length < a->base ||
		    a->base + a->length > (1ULL << 52) || !a->range_index ||
		    a->kind == ACPI_NFIT_SPA_OTHER || a->offset + 56u > len)
			__builtin_trap();
		for (unsigned int j = 0; j < i; j++) {
			const struct acpi_nfit_spa *b = &n.spa[j];

			if (a->range_index == b->range_index ||
			    (a->base < b->base + b->length && b->base < a->base + a->length))
				__builtin_trap();
		}
	}
	acpi_nfit_show(&n, fuzz_acpi_quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_acpi_run(data, size, check);
}
