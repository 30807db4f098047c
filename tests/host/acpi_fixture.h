/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi_fixture.h - building and loading ACPI tables in host tests
 *
 * Tables are loaded from tests/fixtures/acpi/ (captured from QEMU and from
 * real servers, see its README.md) or built here byte by byte. Every buffer
 * is malloc'ed at exactly the table's size, so ASan catches a parser that
 * reads one byte past it. Include it after <cmocka.h>: assert_acpi_problem()
 * fails the test through cmocka.
 */
#ifndef HOTMM_TESTS_HOST_ACPI_FIXTURE_H
#define HOTMM_TESTS_HOST_ACPI_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/acpi/acpi.h"

struct tbuf {
	uint8_t *data;
	size_t len;
};

/* The bytes of tests/fixtures/acpi/@dir/@file, in an exact-size buffer; aborts if missing. */
static inline struct tbuf fixture(const char *dir, const char *file)
{
	char path[512];
	struct tbuf t;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "tests/fixtures/acpi/%s/%s", dir, file);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "missing fixture %s (run from the repository root)\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	t.len = (size_t)n;
	t.data = malloc(t.len ? t.len : 1);
	if (fread(t.data, 1, t.len, f) != t.len)
		abort();
	fclose(f);
	return t;
}

static inline void tbuf_free(struct tbuf *t)
{
	free(t->data);
	t->data = NULL;
}

static inline void fix_checksum(uint8_t *t, size_t len)
{
	t[9] = 0;
	t[9] = (uint8_t)(0x100 - acpi_checksum(t, len));
}

/* A table: header (@sig, revision @rev, length = 36 + @extra_hdr + body) and checksum. */
static inline struct tbuf make_table(const char *sig, uint8_t rev, const void *body, size_t body_len)
{
	struct tbuf t;

	t.len = ACPI_HEADER_SIZE + body_len;
	t.data = calloc(1, t.len);
	memcpy(t.data, sig, 4);
	memcpy(t.data + 4, &(uint32_t){ (uint32_t)t.len }, 4);
	t.data[8] = rev;
	memcpy(t.data + 10, "HOTMM ", 6);
	memcpy(t.data + 16, "TESTTBL ", 8);
	if (body_len)
		memcpy(t.data + ACPI_HEADER_SIZE, body, body_len);
	fix_checksum(t.data, t.len);
	return t;
}

/* Fails the test unless @p holds a problem containing @needle, printing those it holds. */
#define assert_acpi_problem(p, needle) do {						\
	const struct acpi_problems *__p = (p);						\
											\
	if (!acpi_problems_contain(__p, needle)) {					\
		for (unsigned int __i = 0; __i < __p->count; __i++)			\
			fprintf(stderr, "  problem: %s\n", __p->problem[__i].msg);	\
		fail_msg("no problem containing \"%s\"", needle);			\
	}										\
} while (0)

/* Little-endian writers for building bodies. */
static inline void put8(uint8_t *b, size_t off, uint8_t v) { b[off] = v; }
static inline void put16(uint8_t *b, size_t off, uint16_t v) { memcpy(b + off, &v, 2); }
static inline void put32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }
static inline void put64(uint8_t *b, size_t off, uint64_t v) { memcpy(b + off, &v, 8); }

#endif
