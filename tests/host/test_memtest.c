/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_memtest.c - host tests of the memory test (mm/memtest.c) and page retirement
 *
 * Patterns: each pattern runs over a host buffer whose loads and stores go
 * through a fault model (memtest_host_load/store): a bit stuck at 0 or 1
 * in one word, or two addresses reaching one cell (an address-line fault).
 * Each pattern must find the stuck bits; the address fault must be found
 * by the patterns meant for it (movinv, movinv8, addr) and, as documented,
 * not by a solid pattern. A clean buffer must give no bad word.
 *
 * Retirement: over mm_machine's simulated PC, memtest= on boot RAM and
 * memhp_memtest= on a hot-added block with injected bad words turn exactly
 * those pages into HWPoison, managed counts stay exact (the walker checks
 * managed + Reserved + ... + HWPoison == present), a block holding them
 * still goes offline and is removed, and memory_failure() takes a free
 * page and a movable one out but leaves an unmovable one alone.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/mm_machine.h"
#include "tests/host/host_stubs.h"
#include "mm/memtest.h"
#include "mm/memory_failure.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/migrate.h"
#include "mm/sparse.h"
#include "arch/x86_64/numa.h"
#include "drivers/memtest_balloon.h"

#define BLOCK_PAGES	32768UL		/* 128 MiB */
#define VMEMMAP_PAGES	512UL
#define HOT_BASE	MiB(512)
#define HOT_PFN		(HOT_BASE >> 12)

/* The stubs for what is not mm (one SRAT window at 512 MiB, one CPU) are mm_machine.c's. */

/* ---- the fault model ---- */

extern uint64_t (*memtest_host_load)(volatile uint64_t *p);
extern void (*memtest_host_store)(volatile uint64_t *p, uint64_t v);

static volatile uint64_t *stuck_word;	/* this word's stuck_mask bits read as stuck_val */
static uint64_t stuck_mask, stuck_val;
static volatile uint64_t *alias_from, *alias_to;	/* accesses to alias_from reach alias_to's cell */

static volatile uint64_t *cell(volatile uint64_t *p)
{
	return p == alias_from ? alias_to : p;
}

static uint64_t model_load(volatile uint64_t *p)
{
	uint64_t v = *cell(p);

	if (p == stuck_word)
		v = (v & ~stuck_mask) | stuck_val;
	return v;
}

static void model_store(volatile uint64_t *p, uint64_t v)
{
	*cell(p) = v;
}

#define WORDS	(3 * 4096 / 8 + 5)	/* three pages and an odd tail: the loops' leftovers too */

static uint64_t *buf;
static volatile uint64_t *seen[64];
static unsigned long nr_seen;

static void sink(void *ctx, volatile uint64_t *addr, uint64_t want, uint64_t got)
{
	if (nr_seen < ARRAY_SIZE(seen))
		seen[nr_seen] = addr;
	nr_seen++;
	assert_true(want != got);
}

static bool seen_line_of(volatile uint64_t *w)
{
	/* movinv names the first word of a bad 256-byte group; the others name the word. */
	uintptr_t line = (uintptr_t)w & ~255ul;

	for (unsigned long i = 0; i < nr_seen && i < ARRAY_SIZE(seen); i++)
		if (((uintptr_t)seen[i] & ~255ul) == line)
			return true;
	return false;
}

static int pattern_setup(void **state)
{
	buf = aligned_alloc(256, ALIGN(WORDS * 8, 256));
	assert_non_null(buf);
	memset(buf, 0x3c, WORDS * 8);
	stuck_word = alias_from = alias_to = NULL;
	stuck_mask = stuck_val = 0;
	nr_seen = 0;
	memtest_host_load = model_load;
	memtest_host_store = model_store;
	return 0;
}

static int pattern_teardown(void **state)
{
	memtest_host_load = NULL;
	memtest_host_store = NULL;
	free(buf);
	return 0;
}

static unsigned long run_plan(const char *spec)
{
	struct memtest_plan plan;
	unsigned long found = 0;

	assert_int_equal(memtest_parse(spec, "test", &plan), 0);
	nr_seen = 0;
	for (unsigned int i = 0; i < plan.nr; i++)
		found += memtest_run_pass(&plan.pass[i], buf, buf + WORDS, sink, NULL);
	assert_int_equal(found, nr_seen);
	return found;
}

static const char *const every_pattern[] = { "linux", "movinv", "movinv8", "addr" };

static void test_clean_buffer_no_bad_word(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(every_pattern); i++)
		assert_int_equal(run_plan(every_pattern[i]), 0);
	/* Linux's memtest=N ends with pattern 0: memory is left zeroed. */
	run_plan("3");
	for (unsigned long i = 0; i < WORDS; i++)
		assert_int_equal(buf[i], 0);
}

/* A bit stuck at 0 and one stuck at 1, in a word in the middle and in the odd tail. */
static void test_every_pattern_finds_stuck_bits(void **state)
{
	static const unsigned long where[] = { 1000, WORDS - 2 };
	static const struct { uint64_t mask, val; } kinds[] = {
		{ 1ull << 0, 0 }, { 1ull << 0, 1ull << 0 }, { 1ull << 37, 0 }, { 1ull << 63, 1ull << 63 },
	};

	for (unsigned int p = 0; p < ARRAY_SIZE(every_pattern); p++) {
		for (unsigned int w = 0; w < ARRAY_SIZE(where); w++) {
			for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
				stuck_word = &buf[where[w]];
				stuck_mask = kinds[k].mask;
				stuck_val = kinds[k].val;
				if (!run_plan(every_pattern[p]) || !seen_line_of(stuck_word))
					fail_msg("%s missed bit mask %#llx stuck at %#llx in word %lu",
						 every_pattern[p], (unsigned long long)stuck_mask,
						 (unsigned long long)stuck_val, where[w]);
			}
		}
	}
	/* One solid pattern finds only what differs from it: 0 finds a stuck 1, not a stuck 0. */
	stuck_word = &buf[1000];
	stuck_mask = 1;
	stuck_val = 1;
	assert_int_equal(run_plan("1"), 1);
	stuck_val = 0;
	assert_int_equal(run_plan("1"), 0);
}

/* Address line 12 stuck: word 1000 + 512 reaches word 1000's cell. */
static void test_address_fault(void **state)
{
	static const char *const finders[] = { "movinv", "movinv8", "addr" };

	alias_from = &buf[1000 + 512];
	alias_to = &buf[1000];
	for (unsigned int i = 0; i < ARRAY_SIZE(finders); i++) {
		if (!run_plan(finders[i]) || !(seen_line_of(alias_from) || seen_line_of(alias_to)))
			fail_msg("%s missed two addresses reaching one cell", finders[i]);
	}
	/* Why addr exists: a solid pattern writes the same to both, so it reads back fine. */
	assert_int_equal(run_plan("linux"), 0);
}

static void test_parse(void **state)
{
	struct memtest_plan plan;
	char name[32];

	assert_int_equal(memtest_parse("4", "memtest", &plan), 0);
	assert_int_equal(plan.nr, 4);
	/* Linux's order: patterns 3, 2, 1, 0 - the last one zero. */
	assert_int_equal(plan.pass[0].value, 0xaaaaaaaaaaaaaaaaull);
	assert_int_equal(plan.pass[3].value, 0);
	assert_int_equal(memtest_parse("", "memtest", &plan), 0);	/* bare: all 17 */
	assert_int_equal(plan.nr, MEMTEST_LINUX_PATTERNS);
	assert_int_equal(memtest_parse("18", "memtest", &plan), 0);	/* wraps, as Linux */
	assert_int_equal(plan.pass[0].value, 0);
	assert_int_equal(plan.pass[1].value, 0x7a6c7258554e494cull);
	assert_int_equal(memtest_parse("2,movinv,addr", "memtest", &plan), 0);
	assert_int_equal(plan.nr, 4);
	assert_int_equal(plan.pass[2].kind, MEMTEST_MOVINV);
	assert_string_equal(memtest_pass_name(&plan.pass[3], name, sizeof(name)), "addr");
	assert_int_equal(memtest_plan_sweeps(&plan), 2 * 2 + 2 * MOVINV_SWEEPS + 4);
	memset(&plan, 0x77, sizeof(plan));
	host_log_clear();
	assert_int_equal(memtest_parse("1,walk", "memtest", &plan), -EINVAL);
	assert_true(host_log_contains("memtest=1,walk: unknown pattern 'walk'"));
	assert_int_equal(plan.nr, 0x77777777);		/* untouched */
	assert_int_equal(memtest_parse("65", "memhp_memtest", &plan), -EINVAL);
	assert_true(host_log_contains("memhp_memtest=65"));
	assert_int_equal(memtest_parse("1,,2", "memtest", &plan), -EINVAL);
	assert_true(host_log_contains("offset 2"));
}

static void test_bad_ranges(void **state)
{
	struct memtest_bad bad = { 0 };

	memtest_bad_add(&bad, 10);
	memtest_bad_add(&bad, 10);
	memtest_bad_add(&bad, 12);
	memtest_bad_add(&bad, 11);	/* joins the two */
	assert_int_equal(bad.nr, 1);
	assert_int_equal(bad.start[0], 10);
	assert_int_equal(bad.end[0], 13);
	memtest_bad_add(&bad, 5);
	assert_int_equal(bad.nr, 2);
	assert_int_equal(bad.start[0], 5);	/* sorted */
	/* More distinct ranges than fit: the nearest widens, nothing is lost. */
	for (unsigned long i = 0; i < MEMTEST_MAX_BAD_RANGES + 4; i++)
		memtest_bad_add(&bad, 100 + 3 * i);
	assert_true(bad.nr <= MEMTEST_MAX_BAD_RANGES);
	for (unsigned long i = 0; i < MEMTEST_MAX_BAD_RANGES + 4; i++)
		assert_true(memtest_bad_has(&bad, 100 + 3 * i));
	assert_true(memtest_bad_has(&bad, 5) && memtest_bad_has(&bad, 12));
	assert_false(memtest_bad_has(&bad, 4) || memtest_bad_has(&bad, 13));
}

/* ---- retirement on a simulated machine ---- */

static int machine_setup(void **state)
{
	memory_hotplug_reset();
	memtest_balloon_reset();
	memset(&memtest_boot_plan, 0, sizeof(memtest_boot_plan));
	memset(&memtest_hotplug_plan, 0, sizeof(memtest_hotplug_plan));
	memtest_set_inject(NULL, 0);
	host_log_clear();
	return 0;
}

static int machine_teardown(void **state)
{
	memset(&memtest_boot_plan, 0, sizeof(memtest_boot_plan));
	memset(&memtest_hotplug_plan, 0, sizeof(memtest_hotplug_plan));
	memtest_set_inject(NULL, 0);
	mm_machine_teardown();
	return 0;
}

static unsigned long count_type(enum page_type t)
{
	struct pagetypes_result res;
	unsigned long n = 0;

	pagetypes_walk(&res);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			n += res.count[nid][z][t];
	return n;
}

static void test_boot_ram_retired(void **state)
{
	/*
	 * One word in the early region; in deferred RAM two in one page, one in
	 * the page before it - across a 4 MiB chunk boundary, so tested as two
	 * pieces, reported as one range - and one more.
	 */
	const uint64_t bad[] = { MiB(3) + 8, MiB(200) + 0x10, MiB(200) + 0xff8, MiB(200) - 8, MiB(230) + 0x2000 };
	unsigned long managed_clean;

	mm_machine_boot_pc(MiB(256), MiB(128));
	managed_clean = totalram_pages();
	mm_machine_teardown();

	assert_int_equal(memtest_parse("2", "memtest", &memtest_boot_plan), 0);
	assert_int_equal(memtest_set_inject(bad, ARRAY_SIZE(bad)), 0);
	host_log_clear();
	mm_machine_boot_pc(MiB(256), MiB(128));
	assert_int_equal(count_type(PGTY_HWPOISON), 4);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(pfn_to_page(bad[i] >> PAGE_SHIFT)->type, PGTY_HWPOISON);
	assert_int_equal(totalram_pages(), managed_clean - 4);
	assert_true(host_log_contains("memtest: bad memory 0xc7ff000-0xc800fff (2 pages) on node 0, "
				      "memory block 1, not a DIMM slot"));
	assert_false(host_log_contains("bad memory 0xc800000"));	/* not a second line */
	assert_true(host_log_contains("\"event\":\"hwpoison\""));
	mm_machine_assert_clean();
	/* Never handed out: every free page of the machine, none of them poisoned. */
	for (struct page *p; (p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));)
		assert_int_equal(p->type, PGTY_ALLOCATED);
	assert_int_equal(count_type(PGTY_HWPOISON), 4);
}

static void test_hotplug_retired_and_block_removed(void **state)
{
	const uint64_t bad[] = { HOT_BASE + MiB(2) + 0x100, HOT_BASE + MiB(100) };
	struct zone *z;
	unsigned long managed;

	mm_machine_boot_pc(MiB(512), MiB(256));
	managed = totalram_pages();
	assert_int_equal(memtest_parse("movinv", "memhp_memtest", &memtest_hotplug_plan), 0);
	assert_int_equal(memtest_set_inject(bad, ARRAY_SIZE(bad)), 0);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	z = &NODE_DATA(0)->node_zones[ZONE_MOVABLE];
	assert_int_equal(pfn_to_page(bad[0] >> PAGE_SHIFT)->type, PGTY_HWPOISON);
	assert_int_equal(pfn_to_page(bad[1] >> PAGE_SHIFT)->type, PGTY_HWPOISON);
	assert_int_equal(count_type(PGTY_HWPOISON), 2);
	assert_int_equal(zone_managed_pages(z), BLOCK_PAGES - VMEMMAP_PAGES - 2);
	assert_int_equal(totalram_pages(), managed + BLOCK_PAGES - VMEMMAP_PAGES - 2);
	assert_true(host_log_contains("memhp_memtest: bad memory 0x20200000-0x20200fff (1 pages) on node 0, "
				      "memory block 4"));
	mm_machine_assert_clean();
	/* Poisoned pages do not keep the block: offline steps over them, remove goes through. */
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(128)), 0);
	assert_int_equal(count_type(PGTY_HWPOISON), 0);
	assert_int_equal(totalram_pages(), managed);
	mm_machine_assert_clean();
}

/* ---- memory_failure ---- */

static bool mf_isolate(struct page *page) { return true; }
static void mf_putback(struct page *page) { }
static struct page *mf_page;

static int mf_migrate(struct page *dst, struct page *src)
{
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
	__SetPageMovable(dst, page_movable_ops(src));
	mf_page = dst;
	return 0;
}

static const struct movable_operations mf_ops = {
	.name = "mftest", .isolate_page = mf_isolate, .migrate_page = mf_migrate, .putback_page = mf_putback,
};

static void test_memory_failure(void **state)
{
	struct page *kern, *mov;
	unsigned long pfn, managed;

	mm_machine_boot_pc(MiB(512), MiB(256));
	drain_all_pages(NULL);
	managed = totalram_pages();
	/* A free page. */
	pfn = MiB(300) >> PAGE_SHIFT;
	assert_int_equal(pfn_to_page(pfn)->type == PGTY_ALLOCATED, false);
	host_log_clear();
	assert_int_equal(memory_failure(pfn), 0);
	assert_int_equal(pfn_to_page(pfn)->type, PGTY_HWPOISON);
	assert_true(host_log_contains("recovery action for free buddy page: Recovered"));
	assert_int_equal(memory_failure(pfn), 0);	/* again: nothing more */
	assert_int_equal(totalram_pages(), managed - 1);
	/* A movable page: migrated, the copy intact, the old page poisoned. */
	mov = alloc_pages(GFP_MOVABLE, 0);
	assert_non_null(mov);
	memset(page_address(mov), 0x5a, PAGE_SIZE);
	__SetPageMovable(mov, &mf_ops);
	pfn = page_to_pfn(mov);
	host_log_clear();
	assert_int_equal(memory_failure(pfn), 0);
	assert_true(host_log_contains("recovery action for movable page: Recovered"));
	assert_int_equal(pfn_to_page(pfn)->type, PGTY_HWPOISON);
	assert_true(mf_page != mov);
	assert_int_equal(((unsigned char *)page_address(mf_page))[PAGE_SIZE - 1], 0x5a);
	assert_int_equal(totalram_pages(), managed - 2);
	/* An unmovable page: reported, left in use. */
	kern = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(kern);
	host_log_clear();
	assert_int_equal(memory_failure(page_to_pfn(kern)), -EBUSY);
	assert_true(host_log_contains("recovery action for unmovable kernel page: Ignored"));
	assert_int_equal(kern->type, PGTY_ALLOCATED);
	assert_int_equal(count_type(PGTY_HWPOISON), 2);
	/* A page inside an allocated order-2 block: the block cannot move, so neither can it. */
	host_log_clear();
	{
		struct page *blk = alloc_pages(GFP_KERNEL, 2);

		assert_non_null(blk);
		assert_int_equal(memory_failure(page_to_pfn(blk) + 3), -EBUSY);
		assert_true(host_log_contains("unmovable kernel page (order 2 block at pfn"));
		assert_int_equal(blk[3].type, PGTY_TAIL);
		__free_pages(blk, 2);
	}
	/* No memmap: named. */
	host_log_clear();
	assert_int_equal(memory_failure(MiB(700) >> PAGE_SHIFT), -ENXIO);
	assert_true(host_log_contains("pfn 0x2bc00: no memmap"));
	__ClearPageMovable(mf_page);
	__free_pages(mf_page, 0);
	__free_pages(kern, 0);
	mm_machine_assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean_buffer_no_bad_word, pattern_setup, pattern_teardown),
		cmocka_unit_test_setup_teardown(test_every_pattern_finds_stuck_bits, pattern_setup, pattern_teardown),
		cmocka_unit_test_setup_teardown(test_address_fault, pattern_setup, pattern_teardown),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test_setup_teardown(test_boot_ram_retired, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_hotplug_retired_and_block_removed, machine_setup, machine_teardown),
		cmocka_unit_test_setup_teardown(test_memory_failure, machine_setup, machine_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
