/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_migrate.c - host tests of page owners, pins and migration (mm/migrate.c)
 *
 * Runs the real allocator and hotplug core over mm_machine's simulated PC:
 * 512 MiB of boot RAM, hot-added movable blocks at 512 MiB. The test owner
 * ("testowner") keeps an array of the pages it owns, each filled with a
 * pattern derived from its slot, and moves them when asked; knobs make
 * each of its steps fail. After every case the walker must be clean and
 * the pgmigrate_* counters must have moved by exactly what the case did.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/mm_machine.h"
#include "tests/host/host_stubs.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_isolation.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/migrate.h"
#include "mm/vmstat.h"
#include "mm/sparse.h"
#include "arch/x86_64/numa.h"
#include "drivers/memtest_balloon.h"
#include "kernel/mt_job.h"

#define BLOCK_PAGES	32768UL		/* 128 MiB */
#define VMEMMAP_PAGES	512UL		/* its 2 MiB memmap */
#define HOT_BASE	MiB(512)
#define HOT_PFN		(HOT_BASE >> 12)

/* ---- stubs (as test_memory_hotplug.c) ---- */

static struct numa_hotplug_range window = { .start = MiB(512), .end = MiB(1024), .nid = 0 };

const struct numa_hotplug_range *numa_hotplug_ranges(unsigned int *count)
{
	*count = 1;
	return &window;
}

int arch_add_direct_map(phys_addr_t start, phys_addr_t size) { return 0; }
void arch_remove_direct_map(phys_addr_t start, phys_addr_t size) { }
__attribute__((weak)) const char *cmdline_get(const char *key) { return NULL; }
__attribute__((weak)) bool cmdline_flag(const char *key) { return false; }
__attribute__((weak)) uint64_t node_online_cpumask(int nid) { return 1; }
unsigned int arch_mt_job_nr_cpus(uint64_t mask) { return 1; }
void arch_mt_job_kick(uint64_t mask) { }

/* ---- the test owner ---- */

#define MAX_OWNED	(BLOCK_PAGES + 64)

static struct page *owned[MAX_OWNED];	/* slot -> page; page->private = slot */
static unsigned long nr_owned;
static int isolate_refuse;		/* isolate_page says no for this slot + 1 (0: never) */
static int migrate_fail;		/* migrate_page fails for this slot + 1 */
static int migrate_pins;		/* migrate_page pins src (a device grabbed it) for this slot + 1 */
static unsigned long nr_isolated, nr_migrated, nr_putback;

static uint64_t pattern(unsigned long slot, unsigned long word)
{
	return (slot * 0x9e3779b97f4a7c15ull) ^ (word * 0xbf58476d1ce4e5b9ull) ^ 0x5a5a;
}

static void fill(unsigned long slot)
{
	uint64_t *w = page_address(owned[slot]);
	unsigned long i;

	for (i = 0; i < PAGE_SIZE / 8; i++)
		w[i] = pattern(slot, i);
}

/* Every word of every owned page is its pattern, and every page says it is ours. */
static void check_all(void)
{
	unsigned long slot, i;

	for (slot = 0; slot < nr_owned; slot++) {
		struct page *p = owned[slot];
		const uint64_t *w = page_address(p);

		assert_int_equal(p->type, PGTY_ALLOCATED);
		assert_int_equal(p->private, slot);
		assert_false(PageIsolated(p));
		for (i = 0; i < PAGE_SIZE / 8; i++)
			if (w[i] != pattern(slot, i))
				fail_msg("slot %lu pfn %#lx word %lu: %#llx, want %#llx", slot,
					 page_to_pfn(p), i, (unsigned long long)w[i],
					 (unsigned long long)pattern(slot, i));
	}
}

static bool owner_isolate(struct page *page)
{
	if (isolate_refuse && page->private == (unsigned long)isolate_refuse - 1)
		return false;
	nr_isolated++;
	return true;
}

static const struct movable_operations owner_ops;

static int owner_migrate(struct page *dst, struct page *src)
{
	unsigned long slot = src->private;

	assert_true(PageIsolated(src));
	assert_ptr_equal(owned[slot], src);
	if (migrate_fail && slot == (unsigned long)migrate_fail - 1)
		return -EIO;
	if (migrate_pins && slot == (unsigned long)migrate_pins - 1)
		assert_int_equal(pin_page(src), 0);
	/* Everybody else is stopped now: a pin means a device may still write. */
	if (page_maybe_dma_pinned(src))
		return -EBUSY;
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
	dst->private = slot;
	owned[slot] = dst;
	__SetPageMovable(dst, &owner_ops);
	nr_migrated++;
	return 0;
}

static void owner_putback(struct page *page)
{
	nr_putback++;
}

static const struct movable_operations owner_ops = {
	.name = "testowner", .isolate_page = owner_isolate,
	.migrate_page = owner_migrate, .putback_page = owner_putback,
};

/* A new owned page, from anywhere the allocator likes (NULL when out of memory). */
static struct page *own_one(void)
{
	struct page *p = alloc_pages(GFP_MOVABLE | __GFP_NOWARN, 0);

	if (!p)
		return NULL;
	p->private = nr_owned;
	owned[nr_owned] = p;
	fill(nr_owned++);
	__SetPageMovable(p, &owner_ops);
	return p;
}

static void free_owned(void)
{
	unsigned long slot;

	for (slot = 0; slot < nr_owned; slot++) {
		__ClearPageMovable(owned[slot]);
		__free_page(owned[slot]);
	}
	nr_owned = 0;
}

static int setup(void **state)
{
	memory_hotplug_reset();
	memtest_balloon_reset();
	nr_owned = 0;
	isolate_refuse = migrate_fail = migrate_pins = 0;
	nr_isolated = nr_migrated = nr_putback = 0;
	mm_machine_boot_pc(MiB(512), MiB(256));
	mm_machine_assert_clean();
	return 0;
}

static int teardown(void **state)
{
	host_panic_jmp = NULL;
	mm_machine_teardown();
	return 0;
}

/* ---- owners and pins ---- */

static void test_owner_set_clear_free(void **state)
{
	struct page *p = own_one(), *q;

	assert_non_null(p);
	assert_ptr_equal(page_movable_ops(p), &owner_ops);
	assert_true(PageMovable(p));
	assert_false(PageIsolated(p));
	__ClearPageMovable(p);
	assert_null(page_movable_ops(p));
	__SetPageMovable(p, &owner_ops);
	/* Freed with its owner still set: the owner goes with it. */
	__free_page(p);
	nr_owned = 0;
	assert_int_equal(p->_flags, 0);
	assert_int_equal(p->_owner[2], 0);
	/* Whoever gets the page next sees no owner. */
	q = alloc_pages(GFP_MOVABLE, 0);
	assert_null(page_movable_ops(q));
	__free_page(q);
	/* kmalloc's large pages use _owner[0]: never mistaken for an owner. */
	q = alloc_pages(GFP_KERNEL, 0);
	q->_owner[0] = 0x1234;
	q->_owner[2] = 0x5678;
	assert_null(page_movable_ops(q));
	q->_owner[0] = q->_owner[2] = 0;
	__free_page(q);
	mm_machine_assert_clean();
}

static void test_owner_refused(void **state)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0), *big = alloc_pages(GFP_MOVABLE, 1);
	jmp_buf jb;

	host_panic_jmp = &jb;
	if (!setjmp(jb)) {
		__SetPageMovable(p, &owner_ops);
		fail_msg("a page allocated without __GFP_MOVABLE got an owner");
	}
	assert_non_null(strstr(host_panic_msg, "__GFP_MOVABLE"));
	if (!setjmp(jb)) {
		__SetPageMovable(big, &owner_ops);
		fail_msg("an order-1 block got an owner");
	}
	assert_non_null(strstr(host_panic_msg, "order 1"));
	host_panic_jmp = NULL;
	assert_null(page_movable_ops(p));
	__free_page(p);
	__free_pages(big, 1);
	mm_machine_assert_clean();
}

static void test_pin_unpin(void **state)
{
	struct page *p = own_one(), *q = alloc_pages(GFP_MOVABLE, 0);
	jmp_buf jb;

	assert_false(page_maybe_dma_pinned(p));
	assert_int_equal(pin_page(p), 0);
	assert_true(page_maybe_dma_pinned(p));
	assert_int_equal(page_ref_count(p), GUP_PIN_COUNTING_BIAS + 1);
	/* Freeing a pinned page is refused, loudly, and the page stays. */
	host_panic_jmp = &jb;
	if (!setjmp(jb)) {
		__free_page(p);
		fail_msg("a pinned page was freed");
	}
	assert_non_null(strstr(host_panic_msg, "is pinned"));
	assert_int_equal(page_ref_count(p), GUP_PIN_COUNTING_BIAS + 1);
	assert_int_equal(p->type, PGTY_ALLOCATED);
	/* An extra ordinary reference may come and go under a pin. */
	get_page(p);
	__free_page(p);
	unpin_page(p);
	assert_false(page_maybe_dma_pinned(p));
	assert_int_equal(page_ref_count(p), 1);
	if (!setjmp(jb)) {
		unpin_page(p);
		fail_msg("unpinned a page that had no pin");
	}
	assert_non_null(strstr(host_panic_msg, "was not pinned"));
	host_panic_jmp = NULL;
	p->refcount = 1;
	/* Only an Allocated page can be pinned. */
	__free_page(q);
	host_log_clear();
	assert_int_equal(pin_page(q), -EINVAL);
	assert_true(host_log_contains("not an Allocated page"));
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

static void test_vmstat(void **state)
{
	unsigned long before = vm_event_count(PGMIGRATE_FAIL);
	unsigned int cpu = host_cpu_id;

	count_vm_event(PGMIGRATE_FAIL);
	host_cpu_id = 3;
	count_vm_events(PGMIGRATE_FAIL, 5);
	host_cpu_id = cpu;
	assert_int_equal(vm_event_count(PGMIGRATE_FAIL), before + 6);
	assert_string_equal(vm_event_name(PGMIGRATE_SUCCESS), "pgmigrate_success");
	assert_string_equal(vm_event_name(PGMIGRATE_FAIL), "pgmigrate_fail");
	assert_string_equal(vm_event_name(COMPACT_ISOLATED), "compact_isolated");
	assert_string_equal(vm_event_name(PGMIGRATE_PINNED), "pgmigrate_pinned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_owner_set_clear_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_unpin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmstat, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
