/* SPDX-License-Identifier: MIT */
/*
 * DOC: fuzz_acpi.h - what every ACPI parser fuzz target shares
 *
 * Input layout: one option byte, then the table. Random bytes almost never
 * carry a right checksum and a length field equal to their size, so a
 * fuzzer that fed them straight in would only ever test acpi_table_check().
 * Option bit 0 sets the length field to the input's size, bit 1 fixes the
 * checksum; with both clear the bytes go in exactly as given. The table is
 * copied into a buffer of exactly its size, so ASan sees any overread.
 *
 * fuzz_acpi_run() is the whole harness: a target hands it a check function
 * that parses the table and traps when an accepted table breaks what the
 * parser promises.
 */
#ifndef HOTMM_TESTS_FUZZ_FUZZ_ACPI_H
#define HOTMM_TESTS_FUZZ_FUZZ_ACPI_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/acpi/acpi.h"

#define FUZZ_FIX_LENGTH		0x1
#define FUZZ_FIX_CHECKSUM	0x2

/* A malloc'ed copy of the table part of @data (NULL when too short); *len set. */
static inline uint8_t *fuzz_acpi_table(const uint8_t *data, size_t size, size_t *len)
{
	uint8_t opt, *t;

	if (size < 1)
		return NULL;
	opt = data[0];
	*len = size - 1;
	t = malloc(*len ? *len : 1);
	if (!t)
		return NULL;
	memcpy(t, data + 1, *len);
	if ((opt & FUZZ_FIX_LENGTH) && *len >= 8) {
		uint32_t l = (uint32_t)*len;

		memcpy(t + 4, &l, 4);
	}
	if ((opt & FUZZ_FIX_CHECKSUM) && *len >= ACPI_HEADER_SIZE) {
		t[9] = 0;
		t[9] = (uint8_t)(0x100 - acpi_checksum(t, *len));
	}
	return t;
}

/* Parse @t (@len bytes) with fresh @p; __builtin_trap() on a broken promise. */
typedef void (*fuzz_acpi_check_fn)(const uint8_t *t, size_t len, struct acpi_problems *p);

static inline int fuzz_acpi_run(const uint8_t *data, size_t size, fuzz_acpi_check_fn check)
{
	static struct acpi_problems p;
	size_t len;
	uint8_t *t = fuzz_acpi_table(data, size, &len);

	if (!t)
		return 0;
	acpi_problems_reset(&p);
	check(t, len, &p);
	free(t);
	return 0;
}

/* A printf for the *_show() functions that prints nothing: they run for their reads. */
static inline int fuzz_acpi_quiet(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

#endif
