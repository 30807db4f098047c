/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_nfit.c - the NFIT parser (drivers/acpi/nfit.c)
 *
 * QEMU's NFIT for one 1 GiB NVDIMM (tests/fixtures/acpi/qemu-nvdimm), then
 * that table bent one field at a time: every malformed structure must be
 * left out with a problem naming NFIT, the byte offset and the field, and
 * whatever else the table holds must still be read when the lengths allow.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "drivers/acpi/nfit.h"
#include "tests/host/acpi_fixture.h"

/* QEMU's layout: SPA @0x28 (56 bytes), memory device map @0x60 (48), control region @0x90 (80). */
#define SPA	0x28
#define MEMDEV	0x60
#define DCR	0x90

static struct acpi_problems probs;
#define assert_problem(needle) assert_acpi_problem(&probs, needle)
static struct acpi_nfit_info nfit;

static int setup(void **state)
{
	acpi_problems_reset(&probs);
	return 0;
}

static struct tbuf qemu_nfit(void)
{
	return fixture("qemu-nvdimm", "nfit.dat");
}

/* Parse @t after fixing its checksum. */
static int parse(struct tbuf *t)
{
	fix_checksum(t->data, t->len);
	return acpi_parse_nfit(t->data, t->len, &nfit, &probs);
}

static void nfit_qemu(void **state)
{
	struct tbuf t = qemu_nfit();

	assert_int_equal(acpi_parse_nfit(t.data, t.len, &nfit, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(nfit.nr_spa, 1);
	assert_int_equal(nfit.spa[0].kind, ACPI_NFIT_SPA_PMEM);
	assert_int_equal(nfit.spa[0].base, 0x100000000ULL);
	assert_int_equal(nfit.spa[0].length, 0x40000000ULL);
	assert_int_equal(nfit.spa[0].range_index, 2);
	assert_true(nfit.spa[0].pxm_valid);
	assert_int_equal(nfit.spa[0].pxm, 0);
	assert_int_equal(nfit.spa[0].offset, SPA);
	assert_int_equal(nfit.count[ACPI_NFIT_TYPE_SPA], 1);
	assert_int_equal(nfit.count[ACPI_NFIT_TYPE_MEMDEV], 1);
	assert_int_equal(nfit.count[ACPI_NFIT_TYPE_CONTROL_REGION], 1);
	assert_int_equal(nfit.nr_refused + nfit.nr_unknown, 0);
	tbuf_free(&t);
}

static void nfit_bad_header(void **state)
{
	struct tbuf t = qemu_nfit();

	t.data[40] ^= 1;	/* checksum now wrong */
	assert_int_equal(acpi_parse_nfit(t.data, t.len, &nfit, &probs), -EINVAL);
	assert_problem("NFIT+0x9: checksum");
	tbuf_free(&t);

	t = make_table("NFIT", 1, "\0\0", 2);	/* 38 bytes: no room for the reserved field */
	assert_int_equal(acpi_parse_nfit(t.data, t.len, &nfit, &probs), -EINVAL);
	assert_problem("NFIT+0x4: length: 38, the NFIT header alone is 40");
	tbuf_free(&t);

	t = make_table("SRAT", 1, NULL, 0);
	assert_int_equal(acpi_parse_nfit(t.data, t.len, &nfit, &probs), -EINVAL);
	assert_problem("NFIT+0x0: signature");
	tbuf_free(&t);
}

/* One SPA field bent: the range is left out, the other structures still counted. */
static void nfit_spa_fields(void **state)
{
	static const struct {
		size_t off;		/* in the SPA structure */
		uint64_t val;
		int width;
		const char *want;
	} cases[] = {
		{ 4, 0, 2, "NFIT+0x2c: SPA range: range index 0 is reserved" },
		{ 40, 0, 8, "NFIT+0x50: SPA range 2: length 0" },
		{ 32, 0x100000800ULL, 8, "NFIT+0x48: SPA range 2: [0x100000800-0x140000800) is not page-aligned" },
		{ 40, 0x40000010ULL, 8, "NFIT+0x50: SPA range 2: [0x100000000-0x140000010) is not page-aligned" },
		{ 32, 0xfffffffff0000000ULL, 8, "NFIT+0x50: SPA range 2: base 0xfffffffff0000000 length "
						"0x40000000 ends beyond 2^52" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf t = qemu_nfit();

		if (cases[i].width == 2)
			put16(t.data, SPA + cases[i].off, (uint16_t)cases[i].val);
		else
			put64(t.data, SPA + cases[i].off, cases[i].val);
		acpi_problems_reset(&probs);
		assert_int_equal(parse(&t), 0);
		assert_problem(cases[i].want);
		assert_int_equal(nfit.nr_spa, 0);
		assert_int_equal(nfit.nr_refused, 1);
		assert_int_equal(nfit.count[ACPI_NFIT_TYPE_CONTROL_REGION], 1);
		tbuf_free(&t);
	}
}

/* The QEMU NFIT with a second SPA structure (a copy of the first, bent by @bend) appended. */
static struct tbuf two_spa(void (*bend)(uint8_t *spa))
{
	struct tbuf q = qemu_nfit(), t;

	t.len = q.len + 56;
	t.data = malloc(t.len);
	memcpy(t.data, q.data, q.len);
	memcpy(t.data + q.len, q.data + SPA, 56);
	put32(t.data, 4, (uint32_t)t.len);
	bend(t.data + q.len);
	tbuf_free(&q);
	return t;
}

static void same_range(uint8_t *s) { (void)s; }
static void other_index_overlap(uint8_t *s) { put16(s, 4, 3); put64(s, 32, 0x120000000ULL); }
static void other_index_apart(uint8_t *s) { put16(s, 4, 3); put64(s, 32, 0x200000000ULL); put32(s, 12, 1); put16(s, 6, 1); }

static void nfit_two_ranges(void **state)
{
	struct tbuf t = two_spa(same_range);

	assert_int_equal(parse(&t), 0);
	assert_problem("NFIT+0xe4: SPA range: range index 2 already used by +0x28");
	assert_int_equal(nfit.nr_spa, 1);
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = two_spa(other_index_overlap);
	assert_int_equal(parse(&t), 0);
	assert_problem("NFIT+0x100: SPA range 3: [0x120000000-0x160000000) overlaps range 2 at +0x28");
	assert_int_equal(nfit.nr_spa, 1);
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = two_spa(other_index_apart);
	assert_int_equal(parse(&t), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(nfit.nr_spa, 2);
	assert_int_equal(nfit.spa[1].base, 0x200000000ULL);
	assert_false(nfit.spa[1].pxm_valid);	/* flags without "proximity domain valid" */
	tbuf_free(&t);
}

static void nfit_structure_lengths(void **state)
{
	struct tbuf t = qemu_nfit();

	/* A memory device map of 20 bytes: too short for its type, skipped by its length. */
	put16(t.data, MEMDEV + 2, 20);
	put16(t.data, MEMDEV + 22, 28);		/* what follows: 28 bytes up to the control region ... */
	put16(t.data, MEMDEV + 20, 99);		/* ... of type 99: unknown */
	assert_int_equal(parse(&t), 0);
	assert_problem("NFIT+0x62: memory device map: length 20, needs 48; skipped");
	assert_problem("NFIT+0x74: structure type 99 (length 28) unknown; skipped");
	assert_int_equal(nfit.nr_spa, 1);	/* before and after: still read */
	assert_int_equal(nfit.count[ACPI_NFIT_TYPE_CONTROL_REGION], 1);
	assert_int_equal(nfit.nr_unknown, 1);
	tbuf_free(&t);

	/* Length 0 and a length beyond the table stop the walk, naming the field. */
	acpi_problems_reset(&probs);
	t = qemu_nfit();
	put16(t.data, MEMDEV + 2, 0);
	assert_int_equal(parse(&t), 0);
	assert_problem("NFIT+0x62: structure type 1: length 0; cannot step past it");
	assert_int_equal(nfit.nr_spa, 1);
	assert_int_equal(nfit.count[ACPI_NFIT_TYPE_CONTROL_REGION], 0);
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = qemu_nfit();
	put16(t.data, DCR + 2, 0x60);
	assert_int_equal(parse(&t), 0);
	assert_problem("NFIT+0x92: structure type 4: length 96 overruns the table end at +0xe0");
	tbuf_free(&t);

	/* A table cut short inside a structure header: the stray bytes are named. */
	acpi_problems_reset(&probs);
	t = qemu_nfit();
	t.len = DCR + 2;
	put32(t.data, 4, (uint32_t)t.len);
	assert_int_equal(parse(&t), 0);
	assert_problem("NFIT+0x90: 2 stray byte(s) at the end of the table");
	tbuf_free(&t);

	/* A SPA of another GUID (a control region range) is not memory: not listed, no problem. */
	acpi_problems_reset(&probs);
	t = qemu_nfit();
	t.data[SPA + 16] ^= 0xff;
	assert_int_equal(parse(&t), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(nfit.nr_spa, 0);
	assert_int_equal(nfit.count[ACPI_NFIT_TYPE_SPA], 1);
	tbuf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(nfit_qemu, setup),
		cmocka_unit_test_setup(nfit_bad_header, setup),
		cmocka_unit_test_setup(nfit_spa_fields, setup),
		cmocka_unit_test_setup(nfit_two_ranges, setup),
		cmocka_unit_test_setup(nfit_structure_lengths, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
