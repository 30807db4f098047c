/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_migrate.c - host tests of page owners, pins and migration (mm/migrate.c)
 *
 * Runs the real allocator and hotplug core over mm_machine's simulated PC:
 * 512 MiB of boot RAM, hot-added movable blocks at 512 MiB. The test owner
 * ("testowner") keeps an array of the pages it owns, each filled with a
 * pattern derived from its slot, and moves them when asked; knobs make
 * each of its steps fail. A second owner ("testowner2") moves in the two
 * phases of a batch (unmap, the core's one flush, move) and checks that
 * order for each page. After every case the walker must be clean and
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

/* The stubs for what is not mm (one SRAT window at 512 MiB, one CPU) are mm_machine.c's. */

/* ---- the test owner ---- */

#define MAX_OWNED	(BLOCK_PAGES + 64)

static struct page *owned[MAX_OWNED];	/* slot -> page; page->private = slot */
static unsigned long nr_owned;
static int isolate_refuse;		/* isolate_page says no for this slot + 1 (0: never) */
static int migrate_fail;		/* migrate_page fails for this slot + 1 */
static int migrate_pins;		/* migrate_page pins src (a device grabbed it) for this slot + 1 */
static unsigned long nr_isolated, nr_migrated, nr_putback;
enum { TP_MAPPED, TP_UNMAPPED, TP_FLUSHED };
static unsigned char tp_state[MAX_OWNED];	/* the two-phase owner's view of each slot (below) */

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
		assert_int_equal(tp_state[slot], TP_MAPPED);
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

static const struct movable_operations owner_ops, owner2_ops;

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
	__SetPageMovable(dst, page_movable_ops(src));
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

/*
 * The two-phase owner ("testowner2", mm/migrate.h 4a-4c): each slot has a
 * made-up kernel address; unmap_page marks the slot UNMAPPED and records
 * the address, the flush stub below marks every UNMAPPED slot it covers
 * FLUSHED, and move_page insists on FLUSHED - a move before its flush, or
 * a flush not covering the page, fails the test.
 */
static int unmap_fail;			/* unmap_page fails for this slot + 1 */
static int unmap_pins;			/* unmap_page pins src right after unmapping, for this slot + 1 */
static unsigned long nr_unmapped, nr_moved, nr_flushes;

#define TP_VA(slot)	(0xffffc90000000000ul + (slot) * PAGE_SIZE)

/* The core's one flush per batch lands here (host_stubs.c has a weak no-op). */
void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	nr_flushes++;
	for (unsigned long slot = 0; slot < nr_owned; slot++)
		if (tp_state[slot] == TP_UNMAPPED && TP_VA(slot) >= start && TP_VA(slot) + PAGE_SIZE <= end)
			tp_state[slot] = TP_FLUSHED;
}

static int owner2_unmap(struct page *dst, struct page *src, struct tlbflush_unmap_batch *tlb)
{
	unsigned long slot = src->private;

	assert_true(PageIsolated(src));
	assert_ptr_equal(owned[slot], src);
	assert_int_equal(tp_state[slot], TP_MAPPED);
	if (unmap_fail && slot == (unsigned long)unmap_fail - 1)
		return -EIO;
	tp_state[slot] = TP_UNMAPPED;
	set_tlb_ubc_flush_pending(tlb, TP_VA(slot), TP_VA(slot) + PAGE_SIZE);
	nr_unmapped++;
	if (unmap_pins && slot == (unsigned long)unmap_pins - 1)
		assert_int_equal(pin_page(src), 0);
	return 0;
}

static int owner2_move(struct page *dst, struct page *src)
{
	unsigned long slot = src->private;

	assert_ptr_equal(owned[slot], src);
	if (tp_state[slot] != TP_FLUSHED)
		fail_msg("slot %lu pfn %#lx moved %s", slot, page_to_pfn(src),
			 tp_state[slot] == TP_UNMAPPED ? "before the flush" : "without being unmapped");
	tp_state[slot] = TP_MAPPED;	/* at dst, or back at src */
	if (page_maybe_dma_pinned(src))
		return -EBUSY;
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
	dst->private = slot;
	owned[slot] = dst;
	__SetPageMovable(dst, &owner2_ops);
	nr_moved++;
	return 0;
}

static const struct movable_operations owner2_ops = {
	.name = "testowner2", .isolate_page = owner_isolate,
	.migrate_page = owner_migrate, .putback_page = owner_putback,
	.unmap_page = owner2_unmap, .move_page = owner2_move,
};
static const struct movable_operations *own_ops = &owner_ops;	/* what own_one gives */

/* A new owned page, from anywhere the allocator likes (NULL when out of memory). */
static struct page *own_one(void)
{
	struct page *p = alloc_pages(GFP_MOVABLE | __GFP_NOWARN, 0);

	if (!p)
		return NULL;
	p->private = nr_owned;
	owned[nr_owned] = p;
	tp_state[nr_owned] = TP_MAPPED;
	fill(nr_owned++);
	__SetPageMovable(p, own_ops);
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
	unmap_fail = unmap_pins = 0;
	nr_unmapped = nr_moved = nr_flushes = 0;
	own_ops = &owner_ops;
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


/* ---- offline by migration ---- */

struct vmc { unsigned long success, fail, isolated, pinned; };

static void vm_snap(struct vmc *v)
{
	v->success = vm_event_count(PGMIGRATE_SUCCESS);
	v->fail = vm_event_count(PGMIGRATE_FAIL);
	v->isolated = vm_event_count(COMPACT_ISOLATED);
	v->pinned = vm_event_count(PGMIGRATE_PINNED);
}

/* The counters moved by exactly this much since *v. */
static void vm_assert(const struct vmc *v, unsigned long success, unsigned long fail, unsigned long pinned)
{
	assert_int_equal(vm_event_count(PGMIGRATE_SUCCESS) - v->success, success);
	assert_int_equal(vm_event_count(PGMIGRATE_FAIL) - v->fail, fail);
	assert_int_equal(vm_event_count(PGMIGRATE_PINNED) - v->pinned, pinned);
}

static bool in_block(const struct page *p)
{
	return page_to_pfn(p) >= HOT_PFN && page_to_pfn(p) < HOT_PFN + BLOCK_PAGES;
}

static unsigned long owned_in_block(void)
{
	unsigned long slot, n = 0;

	for (slot = 0; slot < nr_owned; slot++)
		n += in_block(owned[slot]);
	return n;
}

/* Block 4 online movable, holding n owned pages (the movable zone has only it). */
static void block_with_owned(unsigned long n)
{
	unsigned long i;

	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(find_memory_block(4)->zone, ZONE_MOVABLE);
	for (i = 0; i < n; i++) {
		assert_non_null(own_one());
		assert_true(in_block(owned[nr_owned - 1]));
	}
}

/* A slot in the middle: pages on both sides of it in pfn order, most likely. */
static unsigned long middle_slot(void)
{
	return nr_owned / 2;
}

/* Offline failed: block 4 online, nothing isolated, walker clean, contents intact. */
static void assert_stayed_online(void)
{
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_ONLINE);
	assert_false(page_range_isolated(HOT_PFN + VMEMMAP_PAGES, HOT_PFN + BLOCK_PAGES));
	assert_int_equal(get_pageblock_migratetype(HOT_PFN + VMEMMAP_PAGES), MIGRATE_MOVABLE);
	assert_int_equal(get_pageblock_migratetype(HOT_PFN + BLOCK_PAGES - 1), MIGRATE_MOVABLE);
	check_all();
	mm_machine_assert_clean();
}

static void test_offline_full_block(void **state)
{
	unsigned long n = BLOCK_PAGES - VMEMMAP_PAGES;
	struct vmc v;

	block_with_owned(n);
	vm_snap(&v);
	assert_int_equal(memory_block_offline(4), 0);
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_OFFLINE);
	assert_int_equal(owned_in_block(), 0);
	assert_int_equal(nr_migrated, n);
	assert_int_equal(nr_putback, 0);
	vm_assert(&v, n, 0, 0);
	assert_int_equal(vm_event_count(COMPACT_ISOLATED) - v.isolated, n);
	check_all();
	mm_machine_assert_clean();
	/* And back: the block comes online empty, the pages stay where they went. */
	assert_int_equal(memory_block_online(4, MMOP_ONLINE_MOVABLE), 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

static void test_offline_pinned_page(void **state)
{
	unsigned long slot, pfn, before = 0, s;
	struct vmc v;
	char want[160];

	/* A full block, pinned page in the middle: the runner's later chunks must not start either. */
	block_with_owned(BLOCK_PAGES - VMEMMAP_PAGES);
	pfn = HOT_PFN + BLOCK_PAGES / 2 + 17;
	slot = pfn_to_page(pfn)->private;
	assert_ptr_equal(owned[slot], pfn_to_page(pfn));
	for (s = 0; s < nr_owned; s++)
		before += page_to_pfn(owned[s]) < pfn;
	assert_int_equal(pin_page(owned[slot]), 0);
	vm_snap(&v);
	host_log_clear();
	assert_int_equal(memory_block_offline(4), -EBUSY);
	snprintf(want, sizeof(want), "offline memory block 4: pfn %#lx is busy (Allocated, owner testowner, pinned)", pfn);
	assert_true(host_log_contains(want));
	/* Stopped at the pinned page: what came before it moved, the rest did not. */
	vm_assert(&v, before, 0, 1);
	assert_int_equal(owned_in_block(), nr_owned - before);
	assert_ptr_equal(owned[slot], pfn_to_page(pfn));
	assert_stayed_online();
	unpin_page(owned[slot]);
	vm_snap(&v);
	assert_int_equal(memory_block_offline(4), 0);
	vm_assert(&v, nr_owned - before, 0, 0);
	assert_int_equal(owned_in_block(), 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

static void test_offline_unmovable_page(void **state)
{
	struct page *p, *big;
	struct vmc v;
	char want[160];

	block_with_owned(10);
	p = mm_machine_alloc_movable_in(HOT_PFN, HOT_PFN + BLOCK_PAGES);	/* movable zone, no owner */
	/* An order-2 block too: the core's look at it must leave its reference as it was. */
	big = alloc_pages(GFP_MOVABLE, 2);
	assert_true(in_block(big));
	assert_int_equal(migrate_page_to(big, NUMA_NO_NODE, 0, 0, MR_SYSCALL), -EBUSY);
	assert_int_equal(page_ref_count(big), 1);
	vm_snap(&v);
	host_log_clear();
	assert_int_equal(memory_block_offline(4), -EBUSY);
	snprintf(want, sizeof(want), "pfn %#lx is busy (Allocated, unmovable)", page_to_pfn(p));
	assert_true(host_log_contains(want));
	assert_int_equal(vm_event_count(PGMIGRATE_FAIL) - v.fail, 0);
	assert_stayed_online();
	__free_page(p);
	assert_int_equal(memory_block_offline(4), -EBUSY);	/* the order-2 block now */
	__free_pages(big, 2);
	assert_int_equal(memory_block_offline(4), 0);
	free_owned();
	mm_machine_assert_clean();
}

/* ---- fault injection at each step ---- */

/* 3. no target for the first page: -ENOMEM is worth another try, and the retry moves it. */
static void test_fail_target_alloc(void **state)
{
	struct page *src;
	unsigned long pfn;
	struct vmc v;

	block_with_owned(100);
	src = owned[0];
	pfn = page_to_pfn(src);
	vm_snap(&v);
	fail_page_alloc_nth = 1;
	assert_int_equal(migrate_page_to(src, NUMA_NO_NODE, HOT_PFN, HOT_PFN + BLOCK_PAGES, MR_SYSCALL), -ENOMEM);
	assert_int_equal(fail_page_alloc_nth, 0);
	vm_assert(&v, 0, 1, 0);
	assert_int_equal(nr_putback, 1);
	assert_ptr_equal(owned[0], pfn_to_page(pfn));
	assert_int_equal(page_ref_count(src), 1);
	check_all();
	mm_machine_assert_clean();
	/* Through offline: the first target fails, the next try moves everything. */
	vm_snap(&v);
	fail_page_alloc_nth = 1;
	assert_int_equal(memory_block_offline(4), 0);
	vm_assert(&v, 100, 1, 0);
	assert_int_equal(nr_putback, 2);
	assert_int_equal(owned_in_block(), 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* 2. the owner will not let one page go: after the retries offline gives up, nothing counted as failed. */
static void test_fail_isolate(void **state)
{
	unsigned long slot, pfn;
	struct vmc v;
	char want[160];

	block_with_owned(100);
	slot = middle_slot();
	pfn = page_to_pfn(owned[slot]);
	isolate_refuse = slot + 1;
	assert_int_equal(migrate_page_to(owned[slot], NUMA_NO_NODE, 0, 0, MR_SYSCALL), -EAGAIN);
	vm_snap(&v);
	host_log_clear();
	assert_int_equal(memory_block_offline(4), -EBUSY);
	snprintf(want, sizeof(want), "pfn %#lx is busy (Allocated, owner testowner); block stays online", pfn);
	assert_true(host_log_contains(want));
	vm_assert(&v, 99, 0, 0);
	assert_int_equal(nr_putback, 0);
	assert_int_equal(owned_in_block(), 1);
	assert_ptr_equal(owned[slot], pfn_to_page(pfn));
	assert_stayed_online();
	isolate_refuse = 0;
	assert_int_equal(memory_block_offline(4), 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* 4. the owner's migrate fails every time: each try counts one failure, src untouched. */
static void test_fail_migrate(void **state)
{
	unsigned long slot, pfn;
	struct vmc v;

	block_with_owned(100);
	slot = middle_slot();
	pfn = page_to_pfn(owned[slot]);
	migrate_fail = slot + 1;
	vm_snap(&v);
	assert_int_equal(memory_block_offline(4), -EBUSY);
	/* OFFLINE_MIGRATE_RETRIES (32) tries, one failure and one putback each. */
	vm_assert(&v, 99, 32, 0);
	assert_int_equal(nr_putback, 32);
	assert_ptr_equal(owned[slot], pfn_to_page(pfn));
	assert_int_equal(page_ref_count(owned[slot]), 1);
	assert_ptr_equal(page_movable_ops(owned[slot]), &owner_ops);
	assert_stayed_online();
	migrate_fail = 0;
	vm_snap(&v);
	assert_int_equal(memory_block_offline(4), 0);
	vm_assert(&v, 1, 0, 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* A pin taken while the page is isolated: migrate fails, offline stops at once naming the pin. */
static void test_pin_midway(void **state)
{
	unsigned long slot, pfn;
	struct vmc v;
	char want[160];

	block_with_owned(100);
	slot = middle_slot();
	pfn = page_to_pfn(owned[slot]);
	migrate_pins = slot + 1;
	vm_snap(&v);
	host_log_clear();
	assert_int_equal(memory_block_offline(4), -EBUSY);
	snprintf(want, sizeof(want), "pfn %#lx is busy (Allocated, owner testowner, pinned)", pfn);
	assert_true(host_log_contains(want));
	assert_int_equal(vm_event_count(PGMIGRATE_FAIL) - v.fail, 1);
	assert_int_equal(vm_event_count(PGMIGRATE_PINNED) - v.pinned, 1);
	assert_int_equal(nr_putback, 1);
	assert_ptr_equal(owned[slot], pfn_to_page(pfn));
	assert_int_equal(page_ref_count(owned[slot]), GUP_PIN_COUNTING_BIAS + 1);
	assert_stayed_online();
	migrate_pins = 0;
	unpin_page(owned[slot]);
	assert_int_equal(memory_block_offline(4), 0);
	assert_int_equal(owned_in_block(), 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* ---- batches: the two-phase owner (mm/migrate.h 4a-4c) ---- */

/* Block 4 with n pages of the two-phase owner, every other one of the one-page owner if mixed. */
static void block_with_owned2(unsigned long n, bool mixed)
{
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	for (unsigned long i = 0; i < n; i++) {
		own_ops = mixed && (i & 1) ? &owner_ops : &owner2_ops;
		assert_non_null(own_one());
		assert_true(in_block(owned[nr_owned - 1]));
	}
	own_ops = &owner_ops;
}

/* The owned slots in pfn order (slot allocation order need not be pfn order). */
static unsigned long by_pfn[MAX_OWNED];

static void sort_by_pfn(void)
{
	for (unsigned long i = 0; i < nr_owned; i++) {
		unsigned long j = i;

		while (j && page_to_pfn(owned[by_pfn[j - 1]]) > page_to_pfn(owned[i])) {
			by_pfn[j] = by_pfn[j - 1];
			j--;
		}
		by_pfn[j] = i;
	}
}

/* do_migrate_range over block 4, isolated around it as offline does. */
static int migrate_block(unsigned long *busy)
{
	struct zone *z = page_zone(pfn_to_page(HOT_PFN + VMEMMAP_PAGES));
	int ret;

	start_isolate_page_range(z, HOT_PFN + VMEMMAP_PAGES, HOT_PFN + BLOCK_PAGES);
	drain_all_pages(NULL);
	ret = do_migrate_range(HOT_PFN + VMEMMAP_PAGES, HOT_PFN + BLOCK_PAGES, MR_SYSCALL, busy);
	undo_isolate_page_range(z, HOT_PFN + VMEMMAP_PAGES, HOT_PFN + BLOCK_PAGES, MIGRATE_MOVABLE);
	return ret;
}

/* A full block through offline: every page unmapped, flushed and moved, one flush per batch. */
static void test_batch_offline_full_block(void **state)
{
	unsigned long n = BLOCK_PAGES - VMEMMAP_PAGES;
	struct vmc v;

	block_with_owned2(n, false);
	vm_snap(&v);
	assert_int_equal(memory_block_offline(4), 0);
	assert_int_equal(owned_in_block(), 0);
	assert_int_equal(nr_unmapped, n);
	assert_int_equal(nr_moved, n);
	assert_int_equal(nr_migrated, 0);
	assert_int_equal(nr_putback, 0);
	vm_assert(&v, n, 0, 0);
	/* Full batches but at the ends of the job's chunks (32 at most: a max-order block each). */
	assert_true(nr_flushes >= n / MIGRATE_BATCH);
	assert_true(nr_flushes <= n / MIGRATE_BATCH + BLOCK_PAGES / MAX_ORDER_NR_PAGES);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* Both kinds of owner in one batch: the two-phase pages share a flush, the others move alone. */
static void test_batch_mixed_owners(void **state)
{
	unsigned long busy = 0;
	struct vmc v;

	block_with_owned2(100, true);
	vm_snap(&v);
	assert_int_equal(migrate_block(&busy), 0);
	assert_int_equal(owned_in_block(), 0);
	assert_int_equal(nr_moved, 50);
	assert_int_equal(nr_migrated, 50);
	assert_int_equal(nr_flushes, (100 + MIGRATE_BATCH - 1) / MIGRATE_BATCH);	/* one per batch */
	vm_assert(&v, 100, 0, 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* The 10th target of a batch cannot be had: the 9 before it move, it fails alone, the walk stops. */
static void test_batch_target_alloc_fails(void **state)
{
	unsigned long busy = 0, i;
	struct vmc v;

	block_with_owned2(100, false);
	sort_by_pfn();
	vm_snap(&v);
	fail_page_alloc_nth = 10;
	assert_int_equal(migrate_block(&busy), -ENOMEM);
	assert_int_equal(fail_page_alloc_nth, 0);
	assert_int_equal(busy, page_to_pfn(owned[by_pfn[9]]));
	vm_assert(&v, 9, 1, 0);
	assert_int_equal(nr_putback, 1);
	assert_int_equal(nr_unmapped, 9);
	assert_int_equal(nr_moved, 9);
	assert_int_equal(nr_flushes, 1);
	for (i = 0; i < nr_owned; i++)
		assert_int_equal(in_block(owned[by_pfn[i]]), i >= 9);
	for (i = 0; i < nr_owned; i++)
		assert_int_equal(page_ref_count(owned[i]), 1);
	check_all();
	mm_machine_assert_clean();
	/* The next try moves the rest. */
	vm_snap(&v);
	assert_int_equal(memory_block_offline(4), 0);
	vm_assert(&v, 91, 0, 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* A pin between unmap and move (the 21st page in pfn order): that page only fails; the walk stops after its batch. */
static void test_batch_pin_after_unmap(void **state)
{
	unsigned long busy = 0, i, slot;
	struct vmc v;

	block_with_owned2(100, false);
	sort_by_pfn();
	slot = by_pfn[20];
	unmap_pins = slot + 1;
	vm_snap(&v);
	assert_int_equal(migrate_block(&busy), -EBUSY);
	assert_int_equal(busy, page_to_pfn(owned[slot]));
	/* The first batch: all but the pinned one moved, it failed and counted pinned; no second batch. */
	vm_assert(&v, MIGRATE_BATCH - 1, 1, 1);
	assert_int_equal(nr_unmapped, MIGRATE_BATCH);
	assert_int_equal(nr_moved, MIGRATE_BATCH - 1);
	assert_int_equal(nr_putback, 1);
	assert_int_equal(nr_flushes, 1);
	for (i = 0; i < nr_owned; i++)
		assert_int_equal(in_block(owned[by_pfn[i]]), i == 20 || i >= MIGRATE_BATCH);
	assert_int_equal(page_ref_count(owned[slot]), GUP_PIN_COUNTING_BIAS + 1);
	assert_ptr_equal(page_movable_ops(owned[slot]), &owner2_ops);
	check_all();
	mm_machine_assert_clean();
	unpin_page(owned[slot]);
	unmap_pins = 0;
	vm_snap(&v);
	assert_int_equal(memory_block_offline(4), 0);
	vm_assert(&v, 100 - (MIGRATE_BATCH - 1), 0, 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* The owner refuses to isolate one page of a batch: the rest of it moves; -EAGAIN names that page. */
static void test_batch_isolate_refused(void **state)
{
	unsigned long busy = 0, i, slot;
	struct vmc v;

	block_with_owned2(100, false);
	sort_by_pfn();
	slot = by_pfn[30];
	isolate_refuse = slot + 1;
	vm_snap(&v);
	assert_int_equal(migrate_block(&busy), -EAGAIN);
	assert_int_equal(busy, page_to_pfn(owned[slot]));
	vm_assert(&v, 99, 0, 0);
	assert_int_equal(nr_putback, 0);
	assert_int_equal(nr_unmapped, 99);
	assert_int_equal(nr_moved, 99);
	assert_int_equal(nr_flushes, (99 + MIGRATE_BATCH - 1) / MIGRATE_BATCH);	/* one per batch of the 99 */
	for (i = 0; i < nr_owned; i++)
		assert_int_equal(in_block(owned[by_pfn[i]]), i == 30);
	assert_int_equal(page_ref_count(owned[slot]), 1);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* unmap_page refuses one page: no move_page for it, putback, counted failed; the batch goes on. */
static void test_batch_unmap_fails(void **state)
{
	unsigned long busy = 0, i, slot;
	struct vmc v;

	block_with_owned2(100, false);
	sort_by_pfn();
	slot = by_pfn[5];
	unmap_fail = slot + 1;
	vm_snap(&v);
	assert_int_equal(migrate_block(&busy), -EAGAIN);
	assert_int_equal(busy, page_to_pfn(owned[slot]));
	vm_assert(&v, 99, 1, 0);
	assert_int_equal(nr_putback, 1);
	assert_int_equal(nr_moved, 99);
	for (i = 0; i < nr_owned; i++)
		assert_int_equal(in_block(owned[by_pfn[i]]), i == 5);
	assert_int_equal(page_ref_count(owned[slot]), 1);
	check_all();
	/* migrate_page_to, a batch of one, through the same phases. */
	unmap_fail = 0;
	vm_snap(&v);
	nr_flushes = 0;
	busy = page_to_pfn(owned[slot]);
	assert_int_equal(migrate_page_to(owned[slot], NUMA_NO_NODE, busy, busy + 1, MR_SYSCALL), 0);
	assert_int_equal(nr_flushes, 1);
	assert_int_equal(nr_moved, 100);
	vm_assert(&v, 1, 0, 0);
	assert_true(page_to_pfn(owned[slot]) != busy);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

/* Owners must give both phases or neither. */
static void test_batch_ops_both_or_neither(void **state)
{
	static const struct movable_operations half = {
		.name = "half", .isolate_page = owner_isolate, .migrate_page = owner_migrate,
		.putback_page = owner_putback, .unmap_page = owner2_unmap,
	};
	struct page *p = alloc_pages(GFP_MOVABLE, 0);
	jmp_buf jb;

	host_panic_jmp = &jb;
	if (!setjmp(jb)) {
		__SetPageMovable(p, &half);
		fail_msg("an owner with unmap_page and no move_page was accepted");
	}
	assert_non_null(strstr(host_panic_msg, "both or neither"));
	host_panic_jmp = NULL;
	assert_null(page_movable_ops(p));
	__free_page(p);
	mm_machine_assert_clean();
}

/* ---- alloc_contig_range ---- */

static void test_alloc_contig_range(void **state)
{
	unsigned long start = HOT_PFN + VMEMMAP_PAGES, end = start + 1024, pfn, moved = 0, free0, slot;
	struct vmc v;

	block_with_owned(600);
	for (slot = 0; slot < nr_owned; slot++)
		moved += page_to_pfn(owned[slot]) >= start && page_to_pfn(owned[slot]) < end;
	assert_true(moved > 0);
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	vm_snap(&v);
	assert_int_equal(alloc_contig_range(start, end), 0);
	vm_assert(&v, moved, 0, 0);
	/* Targets taken elsewhere, sources freed into the range, then all of the range taken. */
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0 - (end - start));
	for (pfn = start; pfn < end; pfn++) {
		struct page *p = pfn_to_page(pfn);

		assert_int_equal(p->type, PGTY_ALLOCATED);
		assert_int_equal(p->order, 0);
		assert_int_equal(page_ref_count(p), 1);
		assert_null(page_movable_ops(p));
	}
	for (slot = 0; slot < nr_owned; slot++)
		assert_false(page_to_pfn(owned[slot]) >= start && page_to_pfn(owned[slot]) < end);
	assert_int_equal(get_pageblock_migratetype(start), MIGRATE_MOVABLE);
	assert_int_equal(get_pageblock_migratetype(end - 1), MIGRATE_MOVABLE);
	check_all();
	mm_machine_assert_clean();
	free_contig_range(start, end - start);
	/* The range is back; the moved pages hold as many elsewhere as they freed in it. */
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	check_all();
	mm_machine_assert_clean();
	free_owned();
	mm_machine_assert_clean();
}

static void test_alloc_contig_range_busy(void **state)
{
	unsigned long start = HOT_PFN + VMEMMAP_PAGES, end = start + 1024, free0;
	struct page *p;
	char want[160];

	block_with_owned(0);
	p = mm_machine_alloc_movable_in(start, end);	/* no owner */
	assert_int_equal(pin_page(p), 0);
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	host_log_clear();
	assert_int_equal(alloc_contig_range(start, end), -EBUSY);
	snprintf(want, sizeof(want), "pfn %#lx is busy (Allocated, unmovable, pinned)", page_to_pfn(p));
	assert_true(host_log_contains(want));
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(get_pageblock_migratetype(start), MIGRATE_MOVABLE);
	assert_int_equal(get_pageblock_migratetype(end - 1), MIGRATE_MOVABLE);
	mm_machine_assert_clean();
	unpin_page(p);
	__free_page(p);
	/* Bad ranges are refused naming what. */
	host_log_clear();
	assert_int_equal(alloc_contig_range(end, start), -EINVAL);
	assert_true(host_log_contains("empty range"));
	assert_int_equal(alloc_contig_range(HOT_PFN + 4 * BLOCK_PAGES, HOT_PFN + 4 * BLOCK_PAGES + 1), -EINVAL);
	assert_true(host_log_contains("has no initialized memmap"));
	mm_machine_assert_clean();
}

/* ---- soft_offline_page ---- */

static void test_soft_offline(void **state)
{
	unsigned long pfn, managed, slot, old;
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_MOVABLE];
	struct vmc v;

	block_with_owned(50);
	drain_all_pages(NULL);
	/* A free page in the middle of a max-order free block. */
	pfn = HOT_PFN + BLOCK_PAGES - 1000;
	managed = zone_managed_pages(z);
	assert_int_equal(soft_offline_page(pfn), 0);
	assert_int_equal(pfn_to_page(pfn)->type, PGTY_HWPOISON);
	assert_int_equal(zone_managed_pages(z), managed - 1);
	mm_machine_assert_clean();
	/* Never handed out again: take every free page of the zone. */
	assert_int_equal(soft_offline_page(pfn), 0);	/* already: fine */
	/* A movable page: migrated first, its contents safe with the owner. */
	slot = middle_slot();
	old = page_to_pfn(owned[slot]);
	vm_snap(&v);
	assert_int_equal(soft_offline_page(old), 0);
	vm_assert(&v, 1, 0, 0);
	assert_int_equal(pfn_to_page(old)->type, PGTY_HWPOISON);
	assert_true(page_to_pfn(owned[slot]) != old);
	assert_int_equal(zone_managed_pages(z), managed - 2);
	check_all();
	mm_machine_assert_clean();
	/* A pinned page: refused, nothing changes. */
	assert_int_equal(pin_page(owned[0]), 0);
	old = page_to_pfn(owned[0]);
	host_log_clear();
	vm_snap(&v);
	assert_int_equal(soft_offline_page(old), -EBUSY);
	assert_true(host_log_contains("pinned"));
	vm_assert(&v, 0, 0, 0);
	assert_ptr_equal(owned[0], pfn_to_page(old));
	unpin_page(owned[0]);
	/* Not present, reserved: errors naming why. */
	host_log_clear();
	assert_int_equal(soft_offline_page(HOT_PFN + 8 * BLOCK_PAGES), -EINVAL);
	assert_true(host_log_contains("not present"));
	assert_int_equal(soft_offline_page(HOT_PFN), -EBUSY);	/* VmemmapSelfHosted */
	assert_true(host_log_contains("VmemmapSelfHosted"));
	/* The block still goes offline, its HWPoison pages with it. */
	assert_int_equal(memory_block_offline(4), 0);
	check_all();
	free_owned();
	mm_machine_assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_owner_set_clear_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_unpin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmstat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_full_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_pinned_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_unmovable_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_target_alloc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_isolate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_migrate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pin_midway, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_offline_full_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_mixed_owners, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_target_alloc_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_pin_after_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_isolate_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_unmap_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_ops_both_or_neither, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_contig_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_contig_range_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_offline, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
