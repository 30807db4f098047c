/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_acpi_override.c - ACPI tables from boot modules (table_override.c)
 *
 * Modules are built here (raw tables and cpio "newc" archives) and laid at a
 * made-up physical address next to the qemu-numa2 machine's tables (the
 * kernel's own acpidump of it), so discovery with overrides runs as in the
 * kernel: replaced and added tables, and every refusal, which must name the
 * module, the offset and the field, and leave the firmware's tables in place.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "drivers/acpi/tables.h"
#include "drivers/acpi/table_override.h"
#include "tools/acpi-decode/load.h"
#include "tests/host/acpi_fixture.h"

#define MOD_PHYS	0x80000000ULL	/* where the tests "load" module 0; module N at + N MiB */

static struct acpi_problems probs;
#define assert_problem(needle) assert_acpi_problem(&probs, needle)
static struct acpi_override_set set;
static struct acpi_image img;
static struct acpi_tables t;

static int setup(void **state)
{
	char err[256];

	acpi_problems_reset(&probs);
	memset(&set, 0, sizeof(set));
	memset(&img, 0, sizeof(img));
	if (acpi_image_load(&img, "tests/fixtures/acpi/qemu-numa2/hotmm-acpidump.txt", err,
			    sizeof(err)))
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **state)
{
	acpi_image_free(&img);
	return 0;
}

/* Module @index: check it into `set`, and put its bytes in the simulated memory. */
static int module(unsigned int index, const struct tbuf *m, const char *string)
{
	uint64_t phys = MOD_PHYS + ((uint64_t)index << 20);

	assert_int_equal(acpi_image_add(&img, m->data, m->len, phys, true, "module"), 0);
	return acpi_override_parse_module(&set, m->data, m->len, phys, index, string, &probs);
}

static void discover(void)
{
	const struct acpi_blob *rsdp = acpi_image_find(&img, "RSDP", 0);
	struct acpi_phys_ops ops = acpi_image_ops(&img);

	assert_non_null(rsdp);
	assert_int_equal(acpi_tables_init_override(&t, &ops, rsdp->data, rsdp->len, 0, &set, &probs), 0);
}

static struct tbuf slit2(uint8_t d01)
{
	uint8_t body[12] = { 2, 0, 0, 0, 0, 0, 0, 0, 10, d01, d01, 10 };

	return make_table("SLIT", 1, body, sizeof(body));
}

/* ---- cpio "newc" builder ---- */

struct cpio {
	uint8_t *data;
	size_t len;
};

static void cpio_entry(struct cpio *c, const char *name, uint32_t mode, const void *data, size_t len)
{
	size_t namesize = strlen(name) + 1, hdr = CPIO_NEWC_HEADER_SIZE;
	size_t start = c->len, name_end = start + hdr + namesize;
	size_t data_off = (name_end + 3) & ~(size_t)3, end = (data_off + len + 3) & ~(size_t)3;
	char h[CPIO_NEWC_HEADER_SIZE + 32];

	c->data = realloc(c->data, end);
	memset(c->data + start, 0, end - start);
	snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 1u, mode, 0u, 0u, 1u, 0u, (unsigned int)len, 0u, 0u, 0u, 0u, (unsigned int)namesize, 0u);
	memcpy(c->data + start, h, hdr);
	memcpy(c->data + start + hdr, name, namesize);
	if (len)
		memcpy(c->data + data_off, data, len);
	c->len = end;
}

static struct tbuf cpio_done(struct cpio *c)
{
	struct tbuf b;

	cpio_entry(c, "TRAILER!!!", 0, NULL, 0);
	b.len = c->len;
	b.data = malloc(b.len);	/* exact size: ASan sees overreads */
	memcpy(b.data, c->data, b.len);
	free(c->data);
	return b;
}

#define REG 0100644
#define DIR 0040755

/* ---- accepted ---- */

static void raw_slit_is_added(void **state)
{
	struct tbuf s = slit2(17);
	const struct acpi_table_desc *d;

	assert_int_equal(module(0, &s, "slit.dat"), 1);
	discover();
	assert_int_equal(probs.errors, 0);
	assert_int_equal(t.added, 1);
	assert_int_equal(t.replaced, 0);
	assert_int_equal(t.count, 8);
	d = acpi_find_table(&t, "SLIT", 0);
	assert_non_null(d);
	assert_int_equal(d->address, MOD_PHYS);
	assert_int_equal(d->source, ACPI_TABLE_ADDED);
	assert_string_equal(d->origin, "module 0 (slit.dat)");
	tbuf_free(&s);
}

static void raw_srat_replaces_the_firmware_one(void **state)
{
	struct tbuf fw = fixture("qemu-numa2", "srat.dat");
	const struct acpi_table_desc *d;

	fw.data[16] = 'X';	/* OEM table id: tell it apart */
	fix_checksum(fw.data, fw.len);
	assert_int_equal(module(0, &fw, "srat.dat"), 1);
	discover();
	assert_int_equal(probs.errors, 0);
	assert_int_equal(t.replaced, 1);
	assert_int_equal(t.count, 7);
	d = acpi_find_table(&t, "SRAT", 0);
	assert_int_equal(d->address, MOD_PHYS);
	assert_int_equal(d->source, ACPI_TABLE_REPLACED);
	assert_string_equal(d->oem_table_id, "XXPC");
	assert_null(acpi_find_table(&t, "SRAT", 1));
	tbuf_free(&fw);
}

static void dsdt_and_fadt_are_replaced(void **state)
{
	struct tbuf dsdt = fixture("qemu-numa2", "dsdt.dat"), facp = fixture("qemu-numa2", "facp.dat");
	const struct acpi_table_desc *d;

	assert_int_equal(module(0, &dsdt, "dsdt.dat"), 1);
	assert_int_equal(module(1, &facp, "facp.dat"), 1);
	discover();
	assert_int_equal(probs.errors, 0);
	assert_int_equal(t.replaced, 2);
	assert_int_equal(acpi_find_table(&t, "DSDT", 0)->address, MOD_PHYS);
	assert_int_equal(acpi_find_table(&t, "FACP", 0)->address, MOD_PHYS + (1 << 20));
	assert_null(acpi_find_table(&t, "DSDT", 1));
	d = acpi_find_table(&t, "FACS", 0);
	assert_non_null(d);	/* still found through the new FADT */
	tbuf_free(&dsdt);
	tbuf_free(&facp);
}

static void cpio_tables_under_the_folder_only(void **state)
{
	struct tbuf s = slit2(21), h = fixture("qemu-numa2", "hpet.dat"), a;
	struct cpio c = { 0 };

	cpio_entry(&c, "kernel", DIR, NULL, 0);
	cpio_entry(&c, "kernel/firmware", DIR, NULL, 0);
	cpio_entry(&c, "kernel/firmware/acpi", DIR, NULL, 0);
	cpio_entry(&c, "kernel/firmware/acpi/slit.dat", REG, s.data, s.len);
	cpio_entry(&c, "etc/hpet.dat", REG, "not a table", 11);	/* not ours: skipped */
	cpio_entry(&c, "./kernel/firmware/acpi/hpet.aml", REG, h.data, h.len);
	a = cpio_done(&c);
	assert_int_equal(module(0, &a, "tables.cpio"), 2);
	assert_int_equal(set.count, 2);
	discover();
	assert_int_equal(probs.errors, 0);
	assert_int_equal(t.added, 1);
	assert_int_equal(t.replaced, 1);
	assert_int_equal(acpi_find_table(&t, "HPET", 0)->source, ACPI_TABLE_REPLACED);
	assert_true(acpi_find_table(&t, "HPET", 0)->address > MOD_PHYS);
	tbuf_free(&s);
	tbuf_free(&h);
	tbuf_free(&a);
}

static void cpio_without_tables_takes_nothing(void **state)
{
	struct cpio c = { 0 };
	struct tbuf a;

	cpio_entry(&c, "init", REG, "#!/bin/sh\n", 10);
	a = cpio_done(&c);
	assert_int_equal(module(0, &a, "initrd"), 0);
	assert_int_equal(probs.errors, 0);
	assert_problem("module 0 (initrd): cpio archive without files under kernel/firmware/acpi/");
	tbuf_free(&a);
}

static void ssdt_replaced_by_oem_table_id(void **state)
{
	struct tbuf a = make_table("SSDT", 1, "\x10", 1), b = make_table("SSDT", 1, "\x10", 1);

	memcpy(b.data + 16, "OTHER   ", 8);
	fix_checksum(b.data, b.len);
	assert_int_equal(module(0, &a, "ssdt1.dat"), 1);
	assert_int_equal(module(1, &b, "ssdt2.dat"), 1);	/* another OEM table id: not a duplicate */
	discover();
	assert_int_equal(t.added, 2);	/* QEMU's pc machine has no SSDT */
	assert_non_null(acpi_find_table(&t, "SSDT", 1));
	tbuf_free(&a);
	tbuf_free(&b);
}

/* ---- refused: module named, offset, field; nothing taken, firmware kept ---- */

static void assert_refused_and_firmware_kept(unsigned int modules)
{
	const struct acpi_table_desc *d;

	assert_int_equal(set.count, 0);
	assert_int_equal(set.refused, modules);
	discover();
	assert_int_equal(t.replaced + t.added, 0);
	d = acpi_find_table(&t, "SRAT", 0);
	assert_non_null(d);
	assert_int_equal(d->source, ACPI_TABLE_FIRMWARE);
	assert_true(d->address < MOD_PHYS);
	assert_null(acpi_find_table(&t, "SLIT", 0));
}

static void refuses_bad_checksum(void **state)
{
	struct tbuf s = slit2(17);

	s.data[40] ^= 1;
	assert_int_equal(module(0, &s, "slit.dat"), -EINVAL);
	assert_problem("module 0 (slit.dat)+0x9: table: checksum: 48 bytes sum to");
	assert_problem("module 0 (slit.dat): refused whole");
	assert_refused_and_firmware_kept(1);
	tbuf_free(&s);
}

static void refuses_unknown_signature(void **state)
{
	struct tbuf x = make_table("QQQQ", 1, NULL, 0), r = make_table("RSDT", 1, NULL, 0);

	assert_int_equal(module(0, &x, "table.bin"), -EINVAL);
	assert_problem("module 0 (table.bin)+0x0: table: signature: \"QQQQ\" is not a table that can be overridden");
	assert_int_equal(module(1, &r, NULL), -EINVAL);
	assert_problem("module 1+0x0: table: signature: \"RSDT\" is not");
	assert_refused_and_firmware_kept(2);
	tbuf_free(&x);
	tbuf_free(&r);
}

static void refuses_mismatched_name(void **state)
{
	struct tbuf s = slit2(17);

	assert_int_equal(module(0, &s, "srat.dat"), -EINVAL);
	assert_problem("module 0 (srat.dat)+0x0: table: signature: the table is \"SLIT\", the file name says \"SRAT\"");
	assert_refused_and_firmware_kept(1);
	tbuf_free(&s);
}

static void refuses_truncated(void **state)
{
	struct tbuf s = slit2(17), cut, tiny;

	cut.len = s.len - 1;
	cut.data = malloc(cut.len);
	memcpy(cut.data, s.data, cut.len);
	tiny.len = 20;
	tiny.data = malloc(tiny.len);
	memcpy(tiny.data, s.data, tiny.len);
	assert_int_equal(module(0, &cut, "slit.dat"), -EINVAL);
	assert_problem("module 0 (slit.dat)+0x4: table: length: 48 is beyond the 47 bytes there (truncated table)");
	assert_int_equal(module(1, &tiny, "slit.dat"), -EINVAL);
	assert_problem("module 1 (slit.dat)+0x0: table: truncated: 20 bytes, a table header needs 36");
	assert_refused_and_firmware_kept(2);
	tbuf_free(&s);
	tbuf_free(&cut);
	tbuf_free(&tiny);
}

static void refuses_trailing_bytes_and_bad_length(void **state)
{
	struct tbuf s = slit2(17), big;

	big.len = s.len + 4;
	big.data = calloc(1, big.len);
	memcpy(big.data, s.data, s.len);
	assert_int_equal(module(0, &big, "slit.dat"), -EINVAL);
	assert_problem("module 0 (slit.dat)+0x4: table: length: 48, but the file holds 52 bytes");
	put32(s.data, 4, 12);
	assert_int_equal(module(1, &s, "slit.dat"), -EINVAL);
	assert_problem("module 1 (slit.dat)+0x4: table: length: 12 is outside 36..");
	assert_refused_and_firmware_kept(2);
	tbuf_free(&s);
	tbuf_free(&big);
}

static void refuses_duplicate(void **state)
{
	struct tbuf a = slit2(17), b = slit2(19);

	assert_int_equal(module(0, &a, "slit.dat"), 1);
	assert_int_equal(module(1, &b, "slit.dat"), -EINVAL);
	assert_problem("module 1 (slit.dat)+0x0: table: signature: SLIT already comes from module 0 (slit.dat)");
	assert_int_equal(set.count, 1);
	tbuf_free(&a);
	tbuf_free(&b);
}

/* A cpio archive with a good SLIT, then what @bend does to the next header. */
static struct tbuf archive_with(void (*bend)(uint8_t *hdr), size_t *second)
{
	struct tbuf s = slit2(17), h = fixture("qemu-numa2", "hpet.dat"), a;
	struct cpio c = { 0 };

	cpio_entry(&c, "kernel/firmware/acpi/slit.dat", REG, s.data, s.len);
	*second = c.len;
	cpio_entry(&c, "kernel/firmware/acpi/hpet.dat", REG, h.data, h.len);
	if (bend)
		bend(c.data + *second);
	a = cpio_done(&c);
	tbuf_free(&s);
	tbuf_free(&h);
	return a;
}

static void bend_magic(uint8_t *h) { h[5] = '7'; }
static void bend_hex(uint8_t *h) { h[6 + 6 * 8 + 3] = 'g'; }			/* c_filesize */
static void bend_namesize(uint8_t *h) { memcpy(h + 6 + 11 * 8, "00000FFF", 8); }
static void bend_filesize(uint8_t *h) { memcpy(h + 6 + 6 * 8, "00FFFFFF", 8); }
static void bend_name_nul(uint8_t *h) { memcpy(h + 6 + 11 * 8, "00000005", 8); }

static void refuses_bad_cpio_headers(void **state)
{
	static const struct {
		void (*bend)(uint8_t *);
		const char *want;	/* after "module N (a.cpio)+0x<second + delta>: " */
		size_t delta;
	} cases[] = {
		{ bend_magic, "cpio header: c_magic is not \"070701\"", 0 },
		{ bend_hex, "cpio header: c_filesize: byte 3 is not a hex digit", 6 + 6 * 8 },
		{ bend_namesize, "cpio header: c_namesize: 4095 is outside 2..256", 6 + 11 * 8 },
		{ bend_filesize, "cpio header: c_filesize: kernel/firmware/acpi/hpet.dat: 16777215 bytes "
				 "run past the end of the module", 6 + 6 * 8 },
		{ bend_name_nul, "cpio name: not 5 bytes ending in its only NUL", CPIO_NEWC_HEADER_SIZE },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t second;
		struct tbuf a = archive_with(cases[i].bend, &second);
		char want[256];

		assert_int_equal(module(i, &a, "a.cpio"), -EINVAL);
		snprintf(want, sizeof(want), "module %u (a.cpio)+0x%zx: %s", i, second + cases[i].delta,
			 cases[i].want);
		assert_problem(want);
		tbuf_free(&a);
	}
	/* the good SLIT before each bad header was not taken either */
	assert_refused_and_firmware_kept(ARRAY_SIZE(cases));
}

static void refuses_cpio_without_trailer_or_with_bad_table(void **state)
{
	struct tbuf s = slit2(17), h = fixture("qemu-numa2", "hpet.dat"), a, cut;
	struct cpio c = { 0 };

	cpio_entry(&c, "kernel/firmware/acpi/slit.dat", REG, s.data, s.len);
	cut.len = c.len;
	cut.data = malloc(cut.len);
	memcpy(cut.data, c.data, cut.len);
	h.data[20] ^= 0x55;	/* checksum now wrong */
	cpio_entry(&c, "kernel/firmware/acpi/hpet.dat", REG, h.data, h.len);
	a = cpio_done(&c);

	assert_int_equal(module(0, &cut, "a.cpio"), -EINVAL);
	assert_problem("cpio header: truncated: 0 bytes left, a header needs 110 (no TRAILER!!! entry)");
	assert_int_equal(module(1, &a, "b.cpio"), -EINVAL);
	assert_problem("module 1 (b.cpio)+0x");
	assert_problem(": kernel/firmware/acpi/hpet.dat: checksum: 56 bytes sum to");
	assert_refused_and_firmware_kept(2);
	tbuf_free(&s);
	tbuf_free(&h);
	tbuf_free(&a);
	tbuf_free(&cut);
}

static void override_unmappable_keeps_firmware(void **state)
{
	struct tbuf s = fixture("qemu-numa2", "srat.dat");

	/* Checked in one place, then absent at its address: discovery re-checks it. */
	assert_int_equal(acpi_override_parse_module(&set, s.data, s.len, 0x7000000000ULL, 0,
						    "srat.dat", &probs), 1);
	discover();
	assert_problem("module 0 (srat.dat): SRAT override unusable at 0x7000000000; the firmware's table is kept");
	assert_int_equal(acpi_find_table(&t, "SRAT", 0)->source, ACPI_TABLE_FIRMWARE);
	assert_int_equal(t.replaced, 0);
	tbuf_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(raw_slit_is_added, setup, teardown),
		cmocka_unit_test_setup_teardown(raw_srat_replaces_the_firmware_one, setup, teardown),
		cmocka_unit_test_setup_teardown(dsdt_and_fadt_are_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(cpio_tables_under_the_folder_only, setup, teardown),
		cmocka_unit_test_setup_teardown(cpio_without_tables_takes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(ssdt_replaced_by_oem_table_id, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_unknown_signature, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_mismatched_name, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_trailing_bytes_and_bad_length, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_cpio_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_cpio_without_trailer_or_with_bad_table, setup, teardown),
		cmocka_unit_test_setup_teardown(override_unmappable_keeps_firmware, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
