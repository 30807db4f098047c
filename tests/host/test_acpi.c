/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_acpi.c - host tests of the ACPI table parsers
 *
 * Real tables first: QEMU's in each configuration of
 * tests/fixtures/acpi/README.md, checked against the values that QEMU
 * configuration must give, and real servers' tables. Then malformed ones,
 * built here byte by byte: every check a parser makes must fail with a
 * message that names the table, offset and field, and never read past the
 * buffer (ASan).
 */
#include <errno.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/host/host_stubs.h"
#include "tests/host/acpi_fixture.h"
#include "drivers/acpi/tables.h"
#include "drivers/acpi/madt.h"
#include "drivers/acpi/srat.h"
#include "drivers/acpi/slit.h"
#include "drivers/acpi/fadt.h"
#include "drivers/acpi/dsdt_scan.h"
#include "tools/acpi-decode/load.h"

static struct acpi_problems probs;
#define assert_problem(needle) assert_acpi_problem(&probs, needle)
static struct acpi_madt_info madt;
static struct acpi_srat_info srat;
static struct acpi_slit_info slit;
static struct acpi_fadt_info fadt;

static int setup(void **state)
{
	acpi_problems_reset(&probs);
	host_log_clear();
	return 0;
}

/* ---- builders ---- */

static size_t srat_cpu(uint8_t *e, uint32_t pxm, uint8_t apic, uint32_t flags)
{
	memset(e, 0, 16);
	e[0] = 0;
	e[1] = 16;
	e[2] = pxm & 0xff;
	e[3] = apic;
	put32(e, 4, flags);
	e[9] = (pxm >> 8) & 0xff;
	e[10] = (pxm >> 16) & 0xff;
	e[11] = (pxm >> 24) & 0xff;
	return 16;
}

static size_t srat_mem(uint8_t *e, uint32_t pxm, uint64_t base, uint64_t len, uint32_t flags)
{
	memset(e, 0, 40);
	e[0] = 1;
	e[1] = 40;
	put32(e, 2, pxm);
	put64(e, 8, base);
	put64(e, 16, len);
	put32(e, 28, flags);
	return 40;
}

static size_t madt_lapic(uint8_t *e, uint8_t uid, uint8_t apic, uint32_t flags)
{
	e[0] = 0;
	e[1] = 8;
	e[2] = uid;
	e[3] = apic;
	put32(e, 4, flags);
	return 8;
}

static size_t madt_x2apic(uint8_t *e, uint32_t apic, uint32_t flags, uint32_t uid)
{
	memset(e, 0, 16);
	e[0] = 9;
	e[1] = 16;
	put32(e, 4, apic);
	put32(e, 8, flags);
	put32(e, 12, uid);
	return 16;
}

/* SRAT body: 12 bytes (table revision 1, reserved) before the entries. */
static struct tbuf srat_table(uint8_t rev, const uint8_t *entries, size_t n)
{
	uint8_t *body = calloc(1, 12 + n);
	struct tbuf t;

	put32(body, 0, 1);
	memcpy(body + 12, entries, n);
	t = make_table("SRAT", rev, body, 12 + n);
	free(body);
	return t;
}

static struct tbuf madt_table(uint8_t rev, const uint8_t *entries, size_t n)
{
	uint8_t *body = calloc(1, 8 + n);
	struct tbuf t;

	put32(body, 0, 0xfee00000);
	put32(body, 4, 1);
	memcpy(body + 8, entries, n);
	t = make_table("APIC", rev, body, 8 + n);
	free(body);
	return t;
}

/* ---- MADT ---- */

static void madt_qemu_pc(void **state)
{
	struct tbuf t = fixture("qemu-numa2", "apic.dat");
	const struct acpi_madt_override *sci = NULL;

	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(madt.lapic_address, 0xfee00000);
	assert_int_equal(madt.nr_cpus, 4);		/* -smp 4 */
	assert_int_equal(madt.nr_enabled, 4);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(madt.cpu[i].apic_id, i);
		assert_true(madt.cpu[i].enabled);
	}
	assert_int_equal(madt.nr_ioapics, 1);
	assert_int_equal(madt.ioapic[0].address, 0xfec00000);
	assert_int_equal(madt.ioapic[0].gsi_base, 0);
	for (unsigned int i = 0; i < madt.nr_overrides; i++)
		if (madt.override[i].source_irq == 9)
			sci = &madt.override[i];
	assert_non_null(sci);	/* QEMU: the SCI, IRQ 9 -> GSI 9, level, active-high */
	assert_int_equal(sci->gsi, 9);
	assert_int_equal(sci->flags & ACPI_MADT_TRIGGER_MASK, ACPI_MADT_TRIGGER_LEVEL);
	assert_int_equal(sci->flags & ACPI_MADT_POLARITY_MASK, ACPI_MADT_POLARITY_HIGH);
	assert_int_equal(madt.override[0].source_irq, 0);	/* the PIT: IRQ 0 -> GSI 2 */
	assert_int_equal(madt.override[0].gsi, 2);
	tbuf_free(&t);
}

static void madt_real_servers(void **state)
{
	struct tbuf t = fixture("real-Dell-PowerEdge-PowerEdge_R820", "apic.dat");

	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_int_equal(probs.errors, 0);
	assert_int_equal(madt.nr_cpus, 96);
	assert_int_equal(madt.nr_enabled, 80);
	tbuf_free(&t);
	t = fixture("real-Supermicro-H8-H8QG6", "apic.dat");
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_int_equal(madt.nr_enabled, 64);
	assert_non_null(acpi_madt_find_cpu(&madt, 143));
	tbuf_free(&t);
}

static void madt_truncated_and_checksum(void **state)
{
	struct tbuf t = fixture("qemu-plain", "apic.dat");

	assert_int_equal(acpi_parse_madt(t.data, t.len - 1, &madt, &probs), -EINVAL);
	assert_problem("APIC+0x4: length: 128 is beyond the 127 bytes there (truncated table)");
	assert_int_equal(acpi_parse_madt(t.data, 20, &madt, &probs), -EINVAL);
	assert_problem("truncated: 20 bytes");
	t.data[50] ^= 1;
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), -EINVAL);
	assert_problem("APIC+0x9: checksum");
	t.data[50] ^= 1;
	put32(t.data, 4, 30);	/* shorter than a header */
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), -EINVAL);
	assert_problem("length: 30 is shorter than the 36-byte header");
	tbuf_free(&t);
}

static void madt_entry_length_zero_and_overrun(void **state)
{
	uint8_t e[64] = { 0 };
	size_t n = madt_lapic(e, 0, 0, 1);
	struct tbuf t;

	e[n] = 0;	/* type 0, length 0 */
	e[n + 1] = 0;
	t = madt_table(1, e, n + 8);
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_int_equal(madt.nr_cpus, 1);		/* the entry before is kept */
	assert_problem("APIC+0x35: entry type 0: length 0; cannot step past it");
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	n = madt_lapic(e, 0, 0, 1);
	e[n] = 1;	/* IOAPIC claiming 200 bytes */
	e[n + 1] = 200;
	t = madt_table(1, e, n + 12);
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_problem("entry type 1: length 200 overruns the table end at +0x40");
	tbuf_free(&t);
}

static void madt_short_entry_and_duplicates(void **state)
{
	uint8_t e[64];
	size_t n = 0;
	struct tbuf t;

	n += madt_lapic(e + n, 0, 0, 1);
	n += madt_lapic(e + n, 1, 0, 1);	/* same APIC id again */
	e[n] = 0;				/* a LAPIC entry of 6 bytes */
	e[n + 1] = 6;
	memset(e + n + 2, 0, 4);
	n += 6;
	n += madt_lapic(e + n, 2, 0xff, 0);	/* placeholder: kept, disabled */
	t = madt_table(1, e, n);
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_problem("APIC+0x34: apic_id: 0x0 already listed at +0x2c; duplicate entry ignored");
	assert_problem("APIC+0x3d: local APIC entry: length 6, needs 8; skipped");
	assert_int_equal(madt.nr_cpus, 2);
	assert_int_equal(madt.nr_enabled, 1);
	tbuf_free(&t);
}

static void madt_x2apic_online_capable_and_override(void **state)
{
	uint8_t e[64];
	size_t n = 0;
	struct tbuf t;

	n += madt_x2apic(e + n, 0x100, 1, 0);
	n += madt_x2apic(e + n, 0x101, 2, 1);	/* disabled, online-capable */
	e[n] = 5;				/* LAPIC address override */
	e[n + 1] = 12;
	put16(e, n + 2, 0);
	put64(e, n + 4, 0xfee10000ULL);
	n += 12;
	t = madt_table(5, e, n);
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(madt.nr_x2apic_entries, 2);
	assert_true(madt.cpu[0].enabled && madt.cpu[0].x2apic);
	assert_false(madt.cpu[1].enabled);
	assert_true(madt.cpu[1].online_capable);
	assert_int_equal(madt.lapic_address, 0xfee10000ULL);
	assert_true(madt.lapic_address_overridden);
	tbuf_free(&t);

	/* Before MADT revision 5 the online-capable bit means nothing. */
	t = madt_table(4, e, n);
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_false(madt.cpu[1].online_capable);
	tbuf_free(&t);
}

static void madt_cpu_limit(void **state)
{
	size_t n = 0, cnt = ACPI_MAX_CPUS + 8;
	uint8_t *e = malloc(cnt * 16);
	struct tbuf t;

	for (size_t i = 0; i < cnt; i++)
		n += madt_x2apic(e + n, (uint32_t)i, 1, (uint32_t)i);
	t = madt_table(1, e, n);
	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	assert_int_equal(madt.nr_cpus, ACPI_MAX_CPUS);
	assert_problem("more than 512 CPU entries (limit ACPI_MAX_CPUS); apic_id 0x200");
	free(e);
	tbuf_free(&t);
}

/* ---- SRAT ---- */

static void srat_qemu_hotplug(void **state)
{
	/* -m 512M,slots=8,maxmem=32G: one node; QEMU's hotplug window starts at 4 GiB and
	 * spans maxmem - ram (31.5 GiB) plus 1 GiB of alignment per slot (8 GiB). */
	struct tbuf t = fixture("qemu-hotplug", "srat.dat");

	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_false(srat.unusable);
	assert_int_equal(srat.nr_cpus, 2);
	assert_int_equal(srat.nr_mem, 3);
	assert_int_equal(srat.mem[0].base, 0);
	assert_int_equal(srat.mem[0].length, 0xa0000);
	assert_int_equal(srat.mem[1].base, 0x100000);
	assert_int_equal(srat.mem[1].base + srat.mem[1].length, 512ULL << 20);
	assert_int_equal(srat.mem[2].base, 4ULL << 30);
	assert_int_equal(srat.mem[2].length, (31ULL << 30) + (512ULL << 20) + (8ULL << 30));
	assert_int_equal(srat.mem[2].flags, ACPI_SRAT_MEM_ENABLED | ACPI_SRAT_MEM_HOT_PLUGGABLE);
	assert_int_equal(srat.mem[2].pxm, 0);
	tbuf_free(&t);
}

static void srat_qemu_numa2(void **state)
{
	/* 2 nodes of 512M, cpus 0-1 on 0 and 2-3 on 1, slots=4,maxmem=8G: the hotplug entry
	 * goes to the last node. */
	struct tbuf t = fixture("qemu-numa2", "srat.dat");

	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(srat.nr_cpus, 4);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(srat.cpu[i].apic_id, i);
		assert_int_equal(srat.cpu[i].pxm, i / 2);
	}
	assert_int_equal(srat.nr_mem, 4);
	assert_int_equal(srat.mem[2].base, 512ULL << 20);
	assert_int_equal(srat.mem[2].length, 512ULL << 20);
	assert_int_equal(srat.mem[2].pxm, 1);
	assert_int_equal(srat.mem[3].base, 4ULL << 30);
	assert_int_equal(srat.mem[3].length, (7ULL << 30) + (4ULL << 30));	/* 8G-1G + 4 slots */
	assert_int_equal(srat.mem[3].pxm, 1);
	assert_true(srat.mem[3].flags & ACPI_SRAT_MEM_HOT_PLUGGABLE);
	tbuf_free(&t);
}

static void srat_qemu_memoryless_and_q35(void **state)
{
	struct tbuf t = fixture("qemu-memless", "srat.dat");

	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(srat.nr_cpus, 2);
	assert_int_equal(srat.cpu[1].pxm, 1);
	for (unsigned int i = 0; i < srat.nr_mem; i++)
		assert_int_equal(srat.mem[i].pxm, 0);	/* node 1 has no memory */
	tbuf_free(&t);

	t = fixture("qemu-q35", "srat.dat");
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(srat.nr_mem, 3);
	assert_int_equal(srat.mem[2].base, 4ULL << 30);
	assert_int_equal(srat.mem[2].length, (7ULL << 30) + (512ULL << 20) + (4ULL << 30));
	tbuf_free(&t);
}

static void srat_real_x99(void **state)
{
	/* 192 processor entries (20 enabled) and 33 memory entries (2 enabled). */
	struct tbuf t = fixture("real-Intel-X-X99", "srat.dat");

	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(probs.errors, 0);
	assert_int_equal(srat.nr_cpus, 20);
	assert_int_equal(srat.nr_mem, 2);
	assert_int_equal(srat.nr_disabled, 192 - 20 + 33 - 2);
	assert_int_equal(srat.mem[1].base, 0x100000000ULL);
	assert_int_equal(srat.mem[1].length, 0x380000000ULL);
	tbuf_free(&t);
}

static void srat_overlap(void **state)
{
	uint8_t e[128];
	size_t n = 0;
	struct tbuf t;

	n += srat_mem(e + n, 0, 0, 1ULL << 30, 1);
	n += srat_mem(e + n, 0, 512ULL << 20, 1ULL << 30, 1);	/* same domain: merged later */
	t = srat_table(1, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_false(srat.unusable);
	assert_problem("SRAT+0x60: memory affinity: [0x20000000-0x60000000) overlaps +0x30 "
		       "[0x0-0x40000000) of the same domain 0; merged");
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	n = 0;
	n += srat_mem(e + n, 0, 0, 1ULL << 30, 1);
	n += srat_mem(e + n, 1, 512ULL << 20, 1ULL << 30, 1);
	t = srat_table(1, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_true(srat.unusable);
	assert_problem("of domain 1 overlaps +0x30 [0x0-0x40000000) of domain 0");
	tbuf_free(&t);

	acpi_problems_reset(&probs);	/* an exact duplicate is an overlap too */
	n = 0;
	n += srat_mem(e + n, 0, 0, 1ULL << 30, 1);
	n += srat_mem(e + n, 0, 0, 1ULL << 30, 1);
	t = srat_table(1, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_problem("of the same domain 0; merged");
	tbuf_free(&t);
}

static void srat_absurd_and_unaligned(void **state)
{
	uint8_t e[128];
	size_t n = 0;
	struct tbuf t;

	n += srat_mem(e + n, 0, 0xfffffffffffff000ULL, 0x2000, 1);	/* wraps */
	n += srat_mem(e + n, 0, 1ULL << 52, 1ULL << 30, 1);		/* beyond 2^52 */
	n += srat_mem(e + n, 0, 0x1000800, 0x100000, 1);		/* not page-aligned */
	t = srat_table(1, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_true(srat.unusable);
	assert_problem("SRAT+0x38: memory affinity: base 0xfffffffffffff000 length 0x2000 ends beyond 2^52");
	assert_problem("SRAT+0x60: memory affinity: base 0x10000000000000");
	assert_problem("SRAT+0x88: memory affinity: [0x1000800-0x1100800) is not page-aligned");
	assert_int_equal(srat.nr_mem, 1);
	tbuf_free(&t);
}

static void srat_bad_entries(void **state)
{
	uint8_t e[128];
	size_t n = 0;
	struct tbuf t;

	n += srat_cpu(e + n, 0, 0, 1);
	e[n] = 1;		/* memory affinity of length 0 */
	e[n + 1] = 0;
	n += 40;
	memset(e + 16 + 2, 0, 38);
	t = srat_table(1, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_true(srat.unusable);
	assert_problem("SRAT+0x41: entry type 1: length 0; cannot step past it");
	assert_int_equal(srat.nr_cpus, 1);
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	n = srat_cpu(e, 0, 0, 1);
	e[1] = 60;		/* overruns */
	t = srat_table(1, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_problem("SRAT+0x31: entry type 0: length 60 overruns the table end at +0x40");
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	n = srat_mem(e, 0, 0, 1 << 20, 1);
	e[1] = 24;		/* memory affinity too short */
	t = srat_table(1, e, 24);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_problem("SRAT+0x31: entry type 1: length 24, needs 40; skipped");
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = srat_table(1, e, 0);
	assert_int_equal(acpi_parse_srat(t.data, 40, &srat, &probs), -EINVAL);
	assert_problem("length: 48 is beyond the 40 bytes there");
	tbuf_free(&t);
}

static void srat_duplicate_cpu_and_pxm_width(void **state)
{
	uint8_t e[128];
	size_t n = 0;
	struct tbuf t;

	n += srat_cpu(e + n, 0x0100, 3, 1);
	n += srat_cpu(e + n, 0x0100, 3, 1);	/* same again: warning */
	n += srat_cpu(e + n, 0x0002, 3, 1);	/* other domain: error */
	n += srat_cpu(e + n, 0x0002, 4, 0);	/* disabled: skipped */
	t = srat_table(2, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(srat.cpu[0].pxm, 0x100);	/* revision 2: 32-bit domain */
	assert_problem("SRAT+0x40: apic_id 0x3: listed again (first at +0x30, same domain 256)");
	assert_problem("SRAT+0x50: apic_id 0x3: in domain 2 here but domain 256 at +0x30");
	assert_true(srat.unusable);
	assert_int_equal(srat.nr_disabled, 1);
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = srat_table(1, e, 16);	/* revision 1: only the low byte */
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(srat.cpu[0].pxm, 0);
	tbuf_free(&t);
}

static void srat_memory_limit(void **state)
{
	size_t cnt = ACPI_MAX_SRAT_MEMORY + 1, n = 0;
	uint8_t *e = malloc(cnt * 40);
	struct tbuf t;

	for (size_t i = 0; i < cnt; i++)
		n += srat_mem(e + n, 0, (uint64_t)i << 30, 1 << 30, 1);
	t = srat_table(1, e, n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	assert_int_equal(srat.nr_mem, ACPI_MAX_SRAT_MEMORY);
	assert_true(srat.unusable);
	assert_problem("more than 256 memory affinity entries (limit ACPI_MAX_SRAT_MEMORY)");
	free(e);
	tbuf_free(&t);
}

/* ---- SLIT ---- */

static void slit_qemu_and_real(void **state)
{
	/* -numa dist,src=0,dst=1,val=21 -numa dist,src=0,dst=2,val=31 -numa dist,src=1,dst=2,val=41 */
	static const uint8_t want[3][3] = { { 10, 21, 31 }, { 21, 10, 41 }, { 31, 41, 10 } };
	struct tbuf t = fixture("qemu-numa3-slit", "slit.dat");

	assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), 0);
	assert_true(slit.valid);
	assert_int_equal(slit.localities, 3);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			assert_int_equal(slit.dist[i][j], want[i][j]);
	tbuf_free(&t);

	t = fixture("real-Supermicro-H8-H8QG6", "slit.dat");
	assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), 0);
	assert_true(slit.valid);
	assert_int_equal(slit.localities, 8);
	assert_int_equal(slit.dist[0][3], 0x16);
	assert_int_equal(slit.dist[7][6], 0x10);
	tbuf_free(&t);
}

static void slit_malformed(void **state)
{
	uint8_t body[8 + 9];
	struct tbuf t;

	put64(body, 0, 1ULL << 40);	/* absurd count: must not overflow n*n */
	t = make_table("SLIT", 1, body, 8);
	assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), -EINVAL);
	assert_problem("SLIT+0x24: locality count: 1099511627776 is more than 64");
	tbuf_free(&t);

	put64(body, 0, 3);		/* 9 bytes needed, 4 there */
	memset(body + 8, 10, 4);
	t = make_table("SLIT", 1, body, 12);
	assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), -EINVAL);
	assert_problem("locality count: 3 needs a 9-byte matrix at +0x2c, the table length 48 leaves 4");
	tbuf_free(&t);

	put64(body, 0, 3);		/* diagonal not 10 */
	memcpy(body + 8, (uint8_t[]){ 10, 20, 20, 20, 11, 20, 20, 20, 10 }, 9);
	t = make_table("SLIT", 1, body, 17);
	assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), 0);
	assert_false(slit.valid);
	assert_problem("SLIT+0x30: distance[1][1] = 11: must be 10 (local); SLIT not used");
	tbuf_free(&t);

	put64(body, 0, 2);		/* remote distance 10 or less */
	memcpy(body + 8, (uint8_t[]){ 10, 5, 20, 10 }, 4);
	t = make_table("SLIT", 1, body, 12);
	assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), 0);
	assert_false(slit.valid);
	assert_problem("distance[0][1] = 5: must be more than 10 (remote)");
	tbuf_free(&t);

	t = make_table("SLIT", 1, body, 4);	/* no room for the count */
	assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), -EINVAL);
	assert_problem("the locality count alone ends at 44");
	tbuf_free(&t);
}

/* ---- FADT ---- */

static void fadt_qemu_pc_and_q35(void **state)
{
	struct tbuf t = fixture("qemu-hotplug", "facp.dat");

	assert_int_equal(acpi_parse_fadt(t.data, t.len, &fadt, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(fadt.gpe0.address, 0xafe0);	/* pc (PIIX4) */
	assert_int_equal(fadt.gpe0.length, 4);
	assert_int_equal(fadt.pm1a_evt.address, 0x600);
	assert_int_equal(fadt.pm1a_evt.length, 4);
	assert_int_equal(fadt.pm1a_cnt.address, 0x604);
	assert_int_equal(fadt.pm1a_cnt.length, 2);
	assert_int_equal(fadt.pm1b_evt.address, 0);
	assert_int_equal(fadt.sci_int, 9);
	assert_int_equal(fadt.smi_cmd, 0xb2);
	assert_int_equal(fadt.acpi_enable, 0xf1);
	assert_int_equal(fadt.dsdt, 0x1ffe0040);	/* 512M: tables just below the top */
	tbuf_free(&t);

	t = fixture("qemu-q35", "facp.dat");
	assert_int_equal(acpi_parse_fadt(t.data, t.len, &fadt, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(fadt.revision, 3);
	assert_int_equal(fadt.gpe0.address, 0x620);	/* q35 (ICH9) */
	assert_int_equal(fadt.gpe0.length, 16);
	assert_int_equal(fadt.acpi_enable, 0x2);
	assert_int_equal(fadt.sci_int, 9);
	tbuf_free(&t);
}

static void fadt_real_and_malformed(void **state)
{
	struct tbuf t = fixture("real-Dell-PowerEdge-PowerEdge_R820", "facp.dat");

	assert_int_equal(acpi_parse_fadt(t.data, t.len, &fadt, &probs), 0);
	assert_int_equal(fadt.dsdt, 0xbd2fc000);
	assert_int_equal(fadt.pm1a_evt.address, 0x800);
	assert_int_equal(fadt.gpe0.address, 0x820);
	assert_int_equal(fadt.gpe0.length, 16);

	/* X_GPE0_BLK that disagrees with GPE0_BLK: the 64-bit one is used, with a warning. */
	put64(t.data, 220 + 4, 0x1820);
	fix_checksum(t.data, t.len);
	assert_int_equal(acpi_parse_fadt(t.data, t.len, &fadt, &probs), 0);
	assert_int_equal(fadt.gpe0.address, 0x1820);
	assert_problem("FACP+0xe0: X_GPE0_BLK: 0x1820 differs from the 32-bit GPE0_BLK 0x820");
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = fixture("qemu-plain", "facp.dat");
	put32(t.data, 4, 100);		/* shorter than a revision-1 FADT */
	fix_checksum(t.data, 100);
	assert_int_equal(acpi_parse_fadt(t.data, 100, &fadt, &probs), -EINVAL);
	assert_problem("FACP+0x4: length: 100, even a revision-1 FADT is 116");
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = fixture("qemu-plain", "facp.dat");
	put32(t.data, 56, 0);		/* no PM1a event block */
	t.data[92] = 3;			/* odd GPE0 length */
	fix_checksum(t.data, t.len);
	assert_int_equal(acpi_parse_fadt(t.data, t.len, &fadt, &probs), 0);
	assert_problem("FACP+0x38: PM1a_EVT_BLK: 0 on a machine that is not hardware-reduced");
	assert_problem("FACP+0x5c: GPE0_BLK_LEN: 3, must be a non-zero multiple of 2");
	tbuf_free(&t);

	acpi_problems_reset(&probs);
	t = fixture("qemu-plain", "apic.dat");	/* wrong table */
	assert_int_equal(acpi_parse_fadt(t.data, t.len, &fadt, &probs), -EINVAL);
	assert_problem("FACP+0x0: signature: found \"APIC\"");
	tbuf_free(&t);
}

/* ---- DSDT scan ---- */

static void dsdt_qemu(void **state)
{
	static const struct { const char *dir; bool present; unsigned int slots; } cases[] = {
		{ "qemu-plain", false, 0 },		/* no slots=: no controller */
		{ "qemu-hotplug", true, 8 },
		{ "qemu-numa2", true, 4 },
		{ "qemu-q35", true, 4 },
		{ "qemu-numa3-slit", false, 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		struct tbuf t = fixture(cases[i].dir, "dsdt.dat");
		struct acpi_memhp_info m = { 0 };

		assert_int_equal(acpi_scan_memhp(t.data, t.len, "DSDT", &m, &probs), 0);
		assert_int_equal(probs.count, 0);
		assert_int_equal(m.present, cases[i].present);
		if (cases[i].present) {
			assert_int_equal(m.space_id, ACPI_ADR_SPACE_SYSTEM_IO);
			assert_int_equal(m.base, 0x0a00);
			assert_int_equal(m.length, 0x18);
			assert_true(m.has_slots);
			assert_int_equal(m.slots, cases[i].slots);
		}
		tbuf_free(&t);
	}
}

static void dsdt_synthetic(void **state)
{
	/* OperationRegion (\_SB.HPMR, SystemIO, 0x0000000000000A00 (qword), 0x10), and a cut-off one. */
	static const uint8_t aml[] = {
		0x5b, 0x80, '\\', 0x2e, '_', 'S', 'B', '_', 'H', 'P', 'M', 'R', 0x01,
		0x0e, 0x00, 0x0a, 0, 0, 0, 0, 0, 0, 0x0a, 0x10,
		0x08, 'M', 'D', 'N', 'R', 0x0b, 0x00, 0x04,		/* Name (MDNR, 1024) */
		0x5b, 0x80, 'H', 'P', 'M', 'R', 0x01, 0x0b, 0x00,	/* cut off at the table end */
	};
	struct tbuf t = make_table("DSDT", 2, aml, sizeof(aml));
	struct acpi_memhp_info m = { 0 };

	assert_int_equal(acpi_scan_memhp(t.data, t.len, "DSDT", &m, &probs), 0);
	assert_false(m.present);
	assert_false(m.has_slots);
	assert_problem("DSDT+0x24: HPMR: length 0x10 is shorter than the controller's 0x18 registers");
	assert_problem("MDNR: 1024 slots is more than QEMU's 256");
	assert_problem("HPMR: offset/length are not integer constants");
	tbuf_free(&t);

	acpi_problems_reset(&probs);	/* a DSDT whose length field lies */
	t = fixture("qemu-hotplug", "dsdt.dat");
	assert_int_equal(acpi_scan_memhp(t.data, t.len / 2, "DSDT", &m, &probs), -EINVAL);
	assert_problem("is beyond the 4270 bytes there");
	tbuf_free(&t);
}

/* ---- discovery: RSDP -> RSDT/XSDT -> tables, over a simulated physical memory ---- */

struct phys_table {
	uint64_t addr;
	struct tbuf t;
};

static struct phys_table phys[16];
static unsigned int nr_phys;

static const void *test_map(void *ctx, phys_addr_t p, size_t len)
{
	for (unsigned int i = 0; i < nr_phys; i++)
		if (p >= phys[i].addr && p - phys[i].addr <= phys[i].t.len &&
		    len <= phys[i].t.len - (p - phys[i].addr))
			return phys[i].t.data + (p - phys[i].addr);
	return NULL;
}

static void test_unmap(void *ctx, const void *v, size_t len)
{
}

static const struct acpi_phys_ops test_ops = { .map = test_map, .unmap = test_unmap };

static void place(uint64_t addr, struct tbuf t)
{
	phys[nr_phys].addr = addr;
	phys[nr_phys].t = t;
	nr_phys++;
}

static void phys_free(void)
{
	for (unsigned int i = 0; i < nr_phys; i++)
		tbuf_free(&phys[i].t);
	nr_phys = 0;
}

static void make_rsdp(uint8_t *r, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "BOCHS ", 6);
	r[15] = rev;
	put32(r, 16, rsdt);
	put32(r, 20, 36);
	put64(r, 24, xsdt);
	r[8] = (uint8_t)(0x100 - acpi_checksum(r, 20));
	r[32] = (uint8_t)(0x100 - acpi_checksum(r, 36));
}

/* QEMU's numa2 tables at the addresses its FADT names for DSDT and FACS. */
static void place_qemu_numa2(void)
{
	place(0x3ffe0000, fixture("qemu-numa2", "facs.dat"));
	place(0x3ffe0040, fixture("qemu-numa2", "dsdt.dat"));
	place(0x3fff0000, fixture("qemu-numa2", "facp.dat"));
	place(0x3fff1000, fixture("qemu-numa2", "apic.dat"));
	place(0x3fff2000, fixture("qemu-numa2", "srat.dat"));
}

static void tables_rsdt(void **state)
{
	uint32_t ent[4] = { 0x3fff0000, 0x3fff1000, 0x3fff2000, 0x3fff3000 };
	struct acpi_tables t;
	uint8_t rsdp[36];
	struct tbuf bad;

	place_qemu_numa2();
	bad = fixture("qemu-numa2", "hpet.dat");
	bad.data[20] ^= 0x55;		/* checksum now wrong */
	place(0x3fff3000, bad);
	place(0x3fff4000, make_table("RSDT", 1, ent, sizeof(ent)));
	make_rsdp(rsdp, 0, 0x3fff4000, 0);

	assert_int_equal(acpi_tables_init(&t, &test_ops, rsdp, 20, 0xf5000, &probs), 0);
	assert_false(t.use_xsdt);
	assert_int_equal(t.count, 6);	/* 4 listed + DSDT + FACS from the FADT */
	assert_non_null(acpi_find_table(&t, "APIC", 0));
	assert_non_null(acpi_find_table(&t, "SRAT", 0));
	assert_int_equal(acpi_find_table(&t, "DSDT", 0)->address, 0x3ffe0040);
	assert_non_null(acpi_find_table(&t, "FACS", 0));
	assert_null(acpi_find_table(&t, "HPET", 0));	/* listed, not valid */
	assert_false(t.table[3].valid);
	assert_problem("HPET@0x3fff3000+0x9: checksum: 56 bytes do not sum to 0; table skipped");
	assert_string_equal(t.rsdp_oem_id, "BOCHS");
	phys_free();
}

static void tables_xsdt_and_bad_pointers(void **state)
{
	uint64_t ent[4] = { 0x3fff0000, 0x3fff1000, 0x3fff2000, 0x7000000000ULL };
	struct acpi_tables t;
	uint8_t rsdp[36];
	struct tbuf huge;

	place_qemu_numa2();
	huge = fixture("qemu-numa2", "waet.dat");
	put32(huge.data, 4, 0x7fffffff);	/* length beyond anything */
	place(0x3fff5000, huge);
	ent[3] = 0x3fff5000;
	place(0x3fff4000, make_table("XSDT", 1, ent, sizeof(ent)));
	make_rsdp(rsdp, 2, 0, 0x3fff4000);

	assert_int_equal(acpi_tables_init(&t, &test_ops, rsdp, 36, 0, &probs), 0);
	assert_true(t.use_xsdt);
	assert_non_null(acpi_find_table(&t, "SRAT", 0));
	assert_problem("WAET@0x3fff5000+0x4: length: 2147483647 is outside 36..4194304");
	phys_free();

	/* An entry pointing at nothing mappable. */
	acpi_problems_reset(&probs);
	place_qemu_numa2();
	ent[3] = 0x7000000000ULL;
	place(0x3fff4000, make_table("XSDT", 1, ent, sizeof(ent)));
	assert_int_equal(acpi_tables_init(&t, &test_ops, rsdp, 36, 0, &probs), 0);
	assert_problem("XSDT[3]@0x7000000000: cannot map the table header");
	phys_free();
}

static void tables_bad_rsdp(void **state)
{
	struct acpi_tables t;
	uint8_t rsdp[36];

	make_rsdp(rsdp, 0, 0x1000, 0);
	rsdp[12] ^= 1;
	assert_int_equal(acpi_tables_init(&t, &test_ops, rsdp, 20, 0, &probs), -EINVAL);
	assert_problem("RSDP+0x8: checksum: the first 20 bytes sum to");

	make_rsdp(rsdp, 2, 0x1000, 0x2000);
	rsdp[30] ^= 1;		/* only the extended checksum is wrong */
	assert_int_equal(acpi_rsdp_check(rsdp, 36, &probs), -EINVAL);
	assert_problem("RSDP+0x20: extended checksum");

	make_rsdp(rsdp, 2, 0x1000, 0x2000);
	assert_int_equal(acpi_rsdp_check(rsdp, 24, &probs), -EINVAL);
	assert_problem("revision 2 needs 36 bytes, only 24 there");

	make_rsdp(rsdp, 0, 0x1000, 0);	/* RSDT not there */
	assert_int_equal(acpi_tables_init(&t, &test_ops, rsdp, 20, 0, &probs), -EINVAL);
	assert_problem("RSDP.RsdtAddress@0x1000: cannot map the table header");

	memcpy(rsdp, "RSD PTX ", 8);
	assert_int_equal(acpi_rsdp_check(rsdp, 20, &probs), -EINVAL);
	assert_problem("RSDP+0x0: signature");
}

static void tables_rsdp_scan(void **state)
{
	uint8_t *area = calloc(1, 4096);

	make_rsdp(area + 0x100, 0, 0x1000, 0);
	area[0x108] ^= 1;		/* a broken copy first: skipped */
	make_rsdp(area + 0x230, 0, 0x1000, 0);
	make_rsdp(area + 0x345, 0, 0x1000, 0);	/* not 16-byte aligned: never looked at */
	assert_int_equal(acpi_rsdp_scan(area, 4096), 0x230);
	assert_int_equal(acpi_rsdp_scan(area, 0x240), -1);	/* would run past the end */
	free(area);
}

static void tables_from_hotmm_acpidump(void **state)
{
	/* The kernel's own `acpidump` on the qemu-numa2 machine: the RSDP (the multiboot2 copy,
	 * so at 0) and every table at its address; discovery must find them all again. */
	static struct acpi_image img;
	struct acpi_phys_ops ops;
	const struct acpi_blob *rsdp;
	const struct acpi_table_desc *d;
	struct acpi_tables t;
	char err[256];
	const void *v;

	assert_int_equal(acpi_image_load(&img, "tests/fixtures/acpi/qemu-numa2/hotmm-acpidump.txt",
					 err, sizeof(err)), 0);
	ops = acpi_image_ops(&img);
	rsdp = acpi_image_find(&img, "RSDP", 0);
	assert_non_null(rsdp);
	assert_int_equal(rsdp->len, 20);
	assert_int_equal(acpi_tables_init(&t, &ops, rsdp->data, rsdp->len, 0, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_false(t.use_xsdt);
	assert_int_equal(t.root.address, 0x3ffe2303);
	assert_int_equal(t.count, 7);	/* FACP APIC HPET SRAT WAET + DSDT FACS */
	d = acpi_find_table(&t, "SRAT", 0);
	assert_non_null(d);
	v = acpi_map_table(&ops, d);
	assert_int_equal(acpi_parse_srat(v, d->length, &srat, &probs), 0);
	assert_int_equal(srat.nr_cpus, 4);
	assert_int_equal(srat.mem[2].pxm, 1);
	acpi_image_free(&img);

	/* A dump whose offsets skip a line is refused, naming the line. */
	{
		char path[] = "/tmp/hotmm-test-acpidump-XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fdopen(fd, "w");

		fputs("APIC @ 0x0000000000001000\n"
		      "    0000: 41 50 49 43 78 00 00 00 01 08 42 4F 43 48 53 20  APICx.....BOCHS \n"
		      "    0020: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n", f);
		fclose(f);
		assert_int_equal(acpi_image_load(&img, path, err, sizeof(err)), -1);
		assert_non_null(strstr(err, ":3: offset 0x20 where 0x10 was expected"));
		unlink(path);
		acpi_image_free(&img);
	}
}

static void tables_from_hotmm_acpidump_uefi(void **state)
{
	/*
	 * The kernel's `acpidump` on qemu-q35's machine booted through OVMF: GRUB hands over the
	 * ACPI 2.0 RSDP (36 bytes, copied, so at 0) and discovery goes through the XSDT. QEMU
	 * builds the same tables whatever the firmware: each is byte for byte the one captured
	 * under SeaBIOS in qemu-q35/ (only the FADT differs, by the addresses it holds).
	 */
	static const char *const same[][2] = {
		{ "APIC", "apic.dat" }, { "SRAT", "srat.dat" }, { "DSDT", "dsdt.dat" },
		{ "HPET", "hpet.dat" }, { "MCFG", "mcfg.dat" }, { "WAET", "waet.dat" },
	};
	static struct acpi_image img;
	struct acpi_fadt_info fadt_info;
	struct acpi_phys_ops ops;
	const struct acpi_blob *rsdp;
	const struct acpi_table_desc *d;
	struct acpi_tables t;
	char err[256];

	assert_int_equal(acpi_image_load(&img, "tests/fixtures/acpi/qemu-uefi-q35/hotmm-acpidump.txt",
					 err, sizeof(err)), 0);
	ops = acpi_image_ops(&img);
	rsdp = acpi_image_find(&img, "RSDP", 0);
	assert_non_null(rsdp);
	assert_int_equal(rsdp->len, 36);
	assert_int_equal(acpi_tables_init(&t, &ops, rsdp->data, rsdp->len, 0, &probs), 0);
	assert_int_equal(probs.count, 0);
	assert_int_equal(t.rsdp_revision, 2);
	assert_true(t.use_xsdt);
	assert_memory_equal(t.root.signature, "XSDT", 4);
	assert_int_equal(t.root.address, 0x1f77c0e8);
	assert_int_equal(t.count, 9);	/* FACP APIC HPET SRAT MCFG WAET BGRT + DSDT FACS */
	assert_non_null(acpi_find_table(&t, "BGRT", 0));	/* OVMF's own */
	for (unsigned int i = 0; i < ARRAY_SIZE(same); i++) {
		struct tbuf ref = fixture("qemu-q35", same[i][1]);
		const void *v;

		d = acpi_find_table(&t, same[i][0], 0);
		assert_non_null(d);
		assert_int_equal(d->length, ref.len);
		v = acpi_map_table(&ops, d);
		assert_non_null(v);
		if (memcmp(v, ref.data, ref.len))
			fail_msg("%s through the XSDT differs from qemu-q35/%s", same[i][0], same[i][1]);
		tbuf_free(&ref);
	}
	d = acpi_find_table(&t, "FACP", 0);
	assert_non_null(d);
	assert_int_equal(acpi_parse_fadt(acpi_map_table(&ops, d), d->length, &fadt_info, &probs), 0);
	assert_int_equal(fadt_info.dsdt, 0x1f779000);
	assert_int_equal(fadt_info.facs, 0x1f7dc000);
	acpi_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(madt_qemu_pc, setup),
		cmocka_unit_test_setup(madt_real_servers, setup),
		cmocka_unit_test_setup(madt_truncated_and_checksum, setup),
		cmocka_unit_test_setup(madt_entry_length_zero_and_overrun, setup),
		cmocka_unit_test_setup(madt_short_entry_and_duplicates, setup),
		cmocka_unit_test_setup(madt_x2apic_online_capable_and_override, setup),
		cmocka_unit_test_setup(madt_cpu_limit, setup),
		cmocka_unit_test_setup(srat_qemu_hotplug, setup),
		cmocka_unit_test_setup(srat_qemu_numa2, setup),
		cmocka_unit_test_setup(srat_qemu_memoryless_and_q35, setup),
		cmocka_unit_test_setup(srat_real_x99, setup),
		cmocka_unit_test_setup(srat_overlap, setup),
		cmocka_unit_test_setup(srat_absurd_and_unaligned, setup),
		cmocka_unit_test_setup(srat_bad_entries, setup),
		cmocka_unit_test_setup(srat_duplicate_cpu_and_pxm_width, setup),
		cmocka_unit_test_setup(srat_memory_limit, setup),
		cmocka_unit_test_setup(slit_qemu_and_real, setup),
		cmocka_unit_test_setup(slit_malformed, setup),
		cmocka_unit_test_setup(fadt_qemu_pc_and_q35, setup),
		cmocka_unit_test_setup(fadt_real_and_malformed, setup),
		cmocka_unit_test_setup(dsdt_qemu, setup),
		cmocka_unit_test_setup(dsdt_synthetic, setup),
		cmocka_unit_test_setup(tables_rsdt, setup),
		cmocka_unit_test_setup(tables_xsdt_and_bad_pointers, setup),
		cmocka_unit_test_setup(tables_bad_rsdp, setup),
		cmocka_unit_test_setup(tables_rsdp_scan, setup),
		cmocka_unit_test_setup(tables_from_hotmm_acpidump, setup),
		cmocka_unit_test_setup(tables_from_hotmm_acpidump_uefi, setup),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
