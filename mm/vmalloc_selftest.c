/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmalloc_selftest.c - in-kernel test of the movable heap (mm/vmalloc.c)
 *
 *   vmalloc_movable  (selftest=vmalloc_movable; tests/qemu/test_vmalloc.py)
 *
 * Three parts, one report line each:
 *
 * vmalloc_patterns - areas of many sizes (one byte to a few MiB, page
 *   multiples and not): each is mapped exactly over its pages and the page
 *   after it is not (the guard); every backing page is a movable page of
 *   the heap whose private word is its address; every page keeps what was
 *   written to it. Freeing every other area and allocating again reuses
 *   the freed ranges (first fit: lowest first). A bad vfree is refused and
 *   harms nothing. An allocation whose page allocation fails midway
 *   (fail_page_alloc_nth) returns NULL and keeps nothing. newlib's malloc
 *   puts large requests in the heap and small ones in kmalloc, and
 *   realloc/free/malloc_usable_size/memalign/calloc work across both. At
 *   the end the heap is as empty as at the start and the free page count is
 *   back (within a few pages of slab and page-table slack).
 *
 * vmalloc_migrate_reader / vmalloc_migrate_writer - another CPU (a job of
 *   the job runner, kernel/mt_job.h) works on one heap page while this CPU
 *   moves the page back and forth MIG_MOVES (4000) times. The moves go through
 *   the heap's own movable_operations in the order of the migration core
 *   (mm/migrate.h: isolate, a reference held while isolated, a fresh
 *   target, migrate_page, then the old page loses its owner and is freed;
 *   putback on failure); each target is filled with poison first and each
 *   old page is poisoned before it is freed, so a CPU that reads a target
 *   before the copy or an old page after the switch sees garbage.
 *   Every other move goes through migrate_page_to instead (core_moves in
 *   the report).
 *   The reader checks every word it reads against the page's pattern; the
 *   writer increments one counter word (load, add, store) and counts its
 *   increments: at the end the word must equal the count - a store that
 *   hit the old page after the copy would be lost. Both must also have
 *   faulted on a migration entry at least once (the race was really run).
 *   One extra move with a pin taken after isolation must fail with -EBUSY
 *   and leave the page mapped and intact.
 *
 * vmalloc_fault_hook - vmalloc_fault() by itself: no retry for a guard
 *   page, an unmapped heap address or an address outside the heap; retry
 *   for a mapped page; on a migration entry put in by hand, another CPU
 *   stays in it until the PTE is put back, then says retry.
 *
 * vmalloc_vfree_during_move - a page of an area is isolated (a move has
 *   begun) when another CPU calls vfree on the area: isolate_page must
 *   refuse the area's other page at once, vfree must wait without
 *   unmapping anything until the move ends, then unmap the area and free
 *   the page the move put there.
 *
 * With one CPU online the migration parts are skipped (said why) and only
 * the patterns run.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "mm/vmalloc.h"
#include "mm/vmalloc_internal.h"
#include "mm/migrate.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/tsc.h"
#include "kernel/mt_job.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

#define MIG_MOVES	4000
#define MIG_JOIN_MS	2000
#define FREE_WAIT_MS	50		/* vfree must still be waiting for the move after this */
#define FAULT_WAIT_MS	50		/* vmalloc_fault must still be waiting on the entry after this */
#define POISON_DST	0xd5		/* a target before the copy */
#define POISON_SRC	0x5a		/* an old page after the move */
#define PAT(i)		(0x7e57c0de00000000ull | (uint64_t)(i) * 0x10001ull)
#define LEAK_SLACK	32		/* pages: slab and page-table pages that may stay */

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			pr_err("vmalloc_movable: " __VA_ARGS__);		\
			pr_err("vmalloc_movable: failed check: %s (line %d)\n", #cond, __LINE__); \
			return -EIO;						\
		}								\
	} while (0)

/* The page the heap maps at va (NULL if none). */
static struct page *heap_page(unsigned long va)
{
	uint64_t pte = kernel_pte_get(va);

	return (pte & _PAGE_PRESENT) ? pfn_to_page(PHYS_PFN(pte & PTE_ADDR_MASK)) : NULL;
}

/* Every page of [p, p + size) is mapped, owned by the heap, named by its address; the next page is not mapped. */
static int check_area(void *p, size_t size)
{
	unsigned long va = (unsigned long)p, bytes = ALIGN(size, PAGE_SIZE);

	CHECK(is_vmalloc_movable_addr(p) && !(va & ~PAGE_MASK), "%zu bytes at %p: not a page of the heap\n", size, p);
	CHECK(vmalloc_size(p) == bytes, "%p: vmalloc_size %zu, want %lu\n", p, vmalloc_size(p), bytes);
	CHECK(kernel_mapped_run(va, bytes + 2 * PAGE_SIZE) == bytes,
	      "%p: %lu bytes mapped from its start, want %lu then the guard page\n", p,
	      kernel_mapped_run(va, bytes + 2 * PAGE_SIZE), bytes);
	for (unsigned long off = 0; off < bytes; off += PAGE_SIZE) {
		struct page *page = heap_page(va + off);

		CHECK(page && page_movable_ops(page) == &vmalloc_movable_ops && page->private == va + off,
		      "va %#lx: backing page not owned by the heap or private %#lx\n", va + off,
		      page ? page->private : 0);
	}
	return 0;
}

static void fill(void *p, size_t size, uint64_t seed)
{
	uint64_t *w = p;

	for (size_t i = 0; i < size / 8; i++)
		w[i] = seed ^ PAT(i);
}

static bool filled(const void *p, size_t size, uint64_t seed)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < size / 8; i++)
		if (w[i] != (seed ^ PAT(i)))
			return false;
	return true;
}

static const size_t sizes[] = {
	1, 100, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 3 * PAGE_SIZE, (64 * SZ_1K) - 8, (64 * SZ_1K),
	(64 * SZ_1K) + 1, 200 * 1024, SZ_1M, 3 * SZ_1M + 123, 5 * PAGE_SIZE, 2 * PAGE_SIZE,
};
#define NSIZES ARRAY_SIZE(sizes)

static int test_patterns(void)
{
	unsigned long areas0, pages0, areas, pages, free0 = nr_free_pages();
	unsigned long bytes = 0, reused = 0, lowest = ~0UL;
	void *p[NSIZES], *q;
	int ret;

	vmalloc_movable_stats(&areas0, &pages0);
	for (size_t i = 0; i < NSIZES; i++) {
		p[i] = vmalloc_movable(sizes[i]);
		CHECK(p[i], "vmalloc_movable(%zu) failed\n", sizes[i]);
		if ((ret = check_area(p[i], sizes[i])))
			return ret;
		fill(p[i], ALIGN(sizes[i], PAGE_SIZE), i);
		bytes += ALIGN(sizes[i], PAGE_SIZE);
		lowest = min(lowest, (unsigned long)p[i]);
		/* Disjoint from every earlier area, guard page included. */
		for (size_t j = 0; j < i; j++) {
			unsigned long a = (unsigned long)p[i], b = (unsigned long)p[j];

			CHECK(a >= b + ALIGN(sizes[j], PAGE_SIZE) + PAGE_SIZE ||
			      b >= a + ALIGN(sizes[i], PAGE_SIZE) + PAGE_SIZE,
			      "areas %p (%zu) and %p (%zu) overlap or share a guard\n", p[i], sizes[i], p[j], sizes[j]);
		}
	}
	vmalloc_movable_stats(&areas, &pages);
	CHECK(areas == areas0 + NSIZES && pages == pages0 + bytes / PAGE_SIZE,
	      "stats %lu areas %lu pages, want %lu and %lu\n", areas, pages, areas0 + NSIZES,
	      pages0 + bytes / PAGE_SIZE);

	/* A bad vfree changes nothing. */
	vfree((char *)p[10] + PAGE_SIZE);
	vfree((void *)(VMALLOC_MOVABLE_END - PAGE_SIZE));
	CHECK(vmalloc_size(p[10]) == SZ_1M && filled(p[10], SZ_1M, 10), "a bad vfree harmed area %p\n", p[10]);
	CHECK(vmalloc_size((char *)p[10] + 8) == 0, "vmalloc_size inside an area is not 0\n");

	/* Free every other one; the same sizes again land in the freed ranges, lowest first. */
	for (size_t i = 0; i < NSIZES; i += 2)
		vfree(p[i]);
	for (size_t i = 0; i < NSIZES; i += 2) {
		q = vmalloc_movable(sizes[i]);
		CHECK(q, "re-allocating %zu bytes failed\n", sizes[i]);
		if ((ret = check_area(q, sizes[i])))
			return ret;
		for (size_t j = 0; j < NSIZES; j += 2)
			if (q == p[j])
				reused++;
		p[i] = q;
		fill(q, ALIGN(sizes[i], PAGE_SIZE), i);
	}
	CHECK(reused >= NSIZES / 4, "only %lu of %zu re-allocations reused a freed range\n", reused, NSIZES / 2);
	for (size_t i = 0; i < NSIZES; i++)
		CHECK(filled(p[i], ALIGN(sizes[i], PAGE_SIZE), i), "area %p (%zu bytes) lost its contents\n",
		      p[i], sizes[i]);
	for (size_t i = 0; i < NSIZES; i++)
		vfree(p[i]);

	/* On a node asked for (node 0 is always there), and on one that is not: any node. */
	q = vmalloc_movable_node(8 * PAGE_SIZE, 0);
	CHECK(q && !check_area(q, 8 * PAGE_SIZE), "vmalloc_movable_node(32K, 0) failed\n");
	for (unsigned long off = 0; off < 8 * PAGE_SIZE; off += PAGE_SIZE)
		CHECK(page_to_nid(heap_page((unsigned long)q + off)) == 0, "node 0 asked, page %lu on node %d\n",
		      off / PAGE_SIZE, page_to_nid(heap_page((unsigned long)q + off)));
	vfree(q);
	q = vmalloc_movable_node(8 * PAGE_SIZE, MAX_NUMNODES - 1);
	CHECK(q && !check_area(q, 8 * PAGE_SIZE), "vmalloc_movable_node(32K, %d) failed\n", MAX_NUMNODES - 1);
	vfree(q);

	/* The 5th page allocation fails: nothing is kept, the range is free again. */
	fail_page_alloc_nth = 5;
	q = vmalloc_movable(16 * PAGE_SIZE);
	fail_page_alloc_nth = 0;
	CHECK(!q, "allocation with a failing page allocator returned %p\n", q);
	vmalloc_movable_stats(&areas, &pages);
	CHECK(areas == areas0 && pages == pages0, "failed allocation kept %lu areas %lu pages\n",
	      areas - areas0, pages - pages0);
	q = vmalloc_movable(16 * PAGE_SIZE);
	CHECK(q && (unsigned long)q <= lowest, "after the failure the lowest range %#lx was not reused (%p)\n",
	      lowest, q);
	vfree(q);

	/* newlib's malloc: large in the heap, small in kmalloc, C semantics across both. */
	{
		char *big = malloc(SZ_1M), *small = malloc(1000), *r;
		void *al;

		CHECK(big && small && is_vmalloc_movable_addr(big) && !is_vmalloc_movable_addr(small),
		      "malloc(1M) at %p, malloc(1000) at %p: want heap and kmalloc\n", big, small);
		CHECK(malloc_usable_size(big) == SZ_1M, "malloc_usable_size(big) %zu\n", malloc_usable_size(big));
		memset(small, 0x11, 1000);
		r = realloc(small, 300 * 1024);		/* kmalloc -> heap, contents kept */
		CHECK(r && is_vmalloc_movable_addr(r) && r[0] == 0x11 && r[999] == 0x11,
		      "realloc small->large: %p\n", r);
		memset(r, 0x22, 300 * 1024);
		small = realloc(r, 2000);			/* heap -> kmalloc */
		CHECK(small && !is_vmalloc_movable_addr(small) && small[0] == 0x22 && small[1999] == 0x22,
		      "realloc large->small: %p\n", small);
		free(small);
		big[SZ_1M - 1] = 0x33;
		r = realloc(big, 2 * SZ_1M);			/* heap -> heap */
		CHECK(r && is_vmalloc_movable_addr(r) && r[SZ_1M - 1] == 0x33, "realloc large->larger: %p\n", r);
		free(r);
		r = calloc(1, 256 * 1024);
		CHECK(r && is_vmalloc_movable_addr(r), "calloc(256K) at %p\n", r);
		for (size_t i = 0; i < 256 * 1024; i++)
			CHECK(!r[i], "calloc(256K): byte %zu is %#x\n", i, r[i]);
		free(r);
		al = memalign(PAGE_SIZE, 128 * 1024);
		CHECK(al && is_vmalloc_movable_addr(al) && !((unsigned long)al & ~PAGE_MASK),
		      "memalign(4K, 128K) at %p\n", al);
		free(al);
		al = memalign(2 * PAGE_SIZE, 128 * 1024);
		CHECK(al && !((unsigned long)al & (2 * PAGE_SIZE - 1)), "memalign(8K, 128K) at %p\n", al);
		free(al);
	}

	vmalloc_movable_stats(&areas, &pages);
	CHECK(areas == areas0 && pages == pages0, "heap not empty at the end: %lu areas %lu pages more\n",
	      areas - areas0, pages - pages0);
	CHECK(nr_free_pages() + LEAK_SLACK >= free0, "%lu free pages at the start, %lu at the end\n",
	      free0, nr_free_pages());
	report("vmalloc_patterns", "\"sizes\":%zu,\"bytes\":%lu,\"reused\":%lu,\"free_pages_before\":%lu,"
	       "\"free_pages_after\":%lu,\"ok\":true", NSIZES, bytes, reused, free0, nr_free_pages());
	return 0;
}

/* ---- moving a page under another CPU ---- */

/*
 * One move as the migration core makes it (mm/migrate.h, steps 2-5),
 * through the heap's own operations. @pin: take a pin after isolation.
 */
static int move_heap_page(struct page *src, bool pin)
{
	const struct movable_operations *ops = page_movable_ops(src);
	struct page *dst;
	int ret;

	if (ops != &vmalloc_movable_ops)
		return -EINVAL;
	if (!ops->isolate_page(src))
		return -EAGAIN;
	get_page(src);			/* the core's reference while isolated */
	dst = alloc_pages_node(NUMA_NO_NODE, GFP_MOVABLE, 0);
	if (!dst) {
		ops->putback_page(src);
		__free_page(src);
		return -ENOMEM;
	}
	memset(page_address(dst), POISON_DST, PAGE_SIZE);
	if (pin)
		pin_page(src);
	ret = ops->migrate_page(dst, src);
	if (pin)
		unpin_page(src);
	if (ret) {
		__free_page(dst);
		ops->putback_page(src);
		__free_page(src);
		return ret;
	}
	__ClearPageMovable(src);
	memset(page_address(src), POISON_SRC, PAGE_SIZE);
	__free_page(src);		/* the core's reference */
	__free_page(src);		/* the owner's: back to the buddy */
	return 0;
}

/*
 * Every other move goes through the migration core (migrate_page_to), so
 * the heap's operations are driven by the real core too (its targets are
 * not poisoned, so the reader's garbage check relies on the test's own
 * moves; the writer's count holds for both).
 */
static int move_once(struct page *src, unsigned long n, unsigned long *core_moves)
{
	int ret;

	if (!(n & 1))
		return move_heap_page(src, false);
	ret = migrate_page_to(src, NUMA_NO_NODE, 0, 0, MR_SYSCALL);
	if (!ret)
		(*core_moves)++;
	return ret;
}

struct mig_ctl {
	volatile uint64_t *page;	/* the heap page the other CPU works on */
	bool writer;
	volatile int stop;
	volatile int started;
	unsigned int cpu;
	unsigned long reads, bad, increments;
	uint64_t first_bad;
	unsigned long first_bad_idx;
};

static void mig_worker(unsigned long start, unsigned long end, void *arg)
{
	struct mig_ctl *c = arg;
	volatile uint64_t *w = c->page;
	unsigned long i = 0;

	c->cpu = smp_processor_id();
	__atomic_store_n(&c->started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		if (c->writer) {
			w[0] = w[0] + 1;	/* load, add, store: a store to the old page would be lost */
			c->increments++;
		} else {
			uint64_t v = w[i];

			if (v != PAT(i) && !c->bad++) {
				c->first_bad = v;
				c->first_bad_idx = i;
			}
			c->reads++;
			i = (i + 1) % (PAGE_SIZE / 8);	/* every word of the page in turn */
		}
	}
}

static int test_migrate(bool writer)
{
	const char *name = writer ? "vmalloc_migrate_writer" : "vmalloc_migrate_reader";
	unsigned int self = smp_processor_id();
	struct mig_ctl ctl = { .writer = writer };
	struct mt_job job = {
		.name = name, .fn = mig_worker, .arg = &ctl, .start = 0, .size = 1, .align = 1,
		.min_chunk = 1,
	};
	unsigned long moves = 0, again = 0, core_moves = 0, waits0, waits1, moved0, moved1, va;
	uint64_t t0, expect;
	struct page *page;
	int pinned_ret, ret = 0;
	void *area;

	area = vmalloc_movable(2 * PAGE_SIZE);
	if (!area) {
		pr_err("%s: no heap area\n", name);
		return -ENOMEM;
	}
	va = (unsigned long)area + PAGE_SIZE;		/* the second page: the first one stays put */
	ctl.page = (volatile uint64_t *)va;
	for (unsigned long i = 0; i < PAGE_SIZE / 8; i++)
		ctl.page[i] = writer && !i ? 0 : PAT(i);
	vmalloc_movable_counters(&moved0, &waits0);
	if (mt_job_start(&job)) {
		vfree(area);
		return -EINVAL;
	}
	t0 = ktime_get_ns();
	while (!__atomic_load_n(&ctl.started, __ATOMIC_ACQUIRE) && ktime_get_ns() - t0 < MIG_JOIN_MS * 1000000ull)
		cpu_relax();
	if (!ctl.started || ctl.cpu == self) {
		pr_err("%s: no other CPU joined within %u ms\n", name, MIG_JOIN_MS);
		ret = -EIO;
	}
	t0 = ktime_get_ns();
	while (!ret && moves < MIG_MOVES) {
		int r = move_once(heap_page(va), moves, &core_moves);

		if (r == -EAGAIN) {
			again++;
			continue;
		}
		if (r) {
			pr_err("%s: move %lu failed: %d\n", name, moves, r);
			ret = -EIO;
		}
		moves++;
	}
	__atomic_store_n(&ctl.stop, 1, __ATOMIC_RELEASE);
	mt_job_wait(&job);

	/* A pin taken after isolation makes the move fail; the page stays mapped and intact. */
	page = heap_page(va);
	pinned_ret = move_heap_page(page, true);
	vmalloc_movable_counters(&moved1, &waits1);
	expect = writer ? ctl.increments : PAT(0);
	report(name, "\"cpu\":%u,\"moves\":%lu,\"core_moves\":%lu,\"moved\":%lu,\"again\":%lu,\"reads\":%lu,\"bad\":%lu,"
	       "\"increments\":%lu,\"counter\":%llu,\"fault_waits\":%lu,\"pinned_move\":%d,\"ms\":%llu",
	       ctl.cpu, moves, core_moves, moved1 - moved0, again, ctl.reads, ctl.bad, ctl.increments,
	       (unsigned long long)ctl.page[0], waits1 - waits0, pinned_ret,
	       (unsigned long long)(ktime_get_ns() - t0) / 1000000);
	if (ret)
		goto out;
	ret = -EIO;
	if (ctl.bad)
		pr_err("%s: CPU %u read %lu bad words, the first %#llx at word %lu (want %#llx)\n", name,
		       ctl.cpu, ctl.bad, (unsigned long long)ctl.first_bad, ctl.first_bad_idx,
		       (unsigned long long)PAT(ctl.first_bad_idx));
	else if (ctl.page[0] != expect)
		pr_err("%s: the counter reads %llu after %lu increments: %lld writes lost\n", name,
		       (unsigned long long)ctl.page[0], ctl.increments,
		       (long long)(ctl.increments - ctl.page[0]));
	else if (moved1 - moved0 != MIG_MOVES)
		pr_err("%s: the heap moved %lu pages, the test asked for %u\n", name, moved1 - moved0, MIG_MOVES);
	else if (waits1 == waits0 || !(writer ? ctl.increments : ctl.reads))
		pr_err("%s: the other CPU never met a migration entry (%lu accesses): the race was not run\n",
		       name, writer ? ctl.increments : ctl.reads);
	else if (pinned_ret != -EBUSY || heap_page(va) != page || page_movable_ops(page) != &vmalloc_movable_ops)
		pr_err("%s: move of a pinned page returned %d (want -EBUSY) or left it unmapped\n", name,
		       pinned_ret);
	else
		ret = 0;
	for (unsigned long i = 1; !ret && i < PAGE_SIZE / 8; i++)
		if (ctl.page[i] != PAT(i)) {
			pr_err("%s: word %lu reads %#llx after the moves\n", name, i,
			       (unsigned long long)ctl.page[i]);
			ret = -EIO;
		}
out:
	vfree(area);
	return ret;
}

/* ---- the fault hook by itself ---- */

struct fault_ctl {
	unsigned long va;
	volatile int done;
	bool retry;
};

static void fault_worker(unsigned long start, unsigned long end, void *arg)
{
	struct fault_ctl *c = arg;

	c->retry = vmalloc_fault(c->va);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
}

/*
 * vmalloc_fault() alone: "no" for a guard page, an unmapped heap address
 * and an address outside the heap; "retry" for a mapped heap page (a move
 * ended between the fault and the look). On a migration entry another CPU
 * stays in it until the PTE is present again, then says "retry".
 */
static int test_fault_hook(void)
{
	struct fault_ctl ctl = { 0 };
	struct mt_job job = {
		.name = "vmalloc_fault_hook", .fn = fault_worker, .arg = &ctl,
		.start = 0, .size = 1, .align = 1, .min_chunk = 1,
	};
	bool guard, outside, unmapped, mapped, waited;
	uint64_t pte, t0;
	void *area = vmalloc_movable(PAGE_SIZE);

	CHECK(area, "no heap area\n");
	ctl.va = (unsigned long)area + 8;
	guard = vmalloc_fault(ctl.va + PAGE_SIZE);
	outside = vmalloc_fault((unsigned long)&ctl);
	unmapped = vmalloc_fault(VMALLOC_MOVABLE_END - PAGE_SIZE);
	mapped = vmalloc_fault(ctl.va);

	/* A migration entry by hand, as a move's step 1 (flushed: the page is not touched meanwhile). */
	pte = kernel_pte_xchg(ctl.va & PAGE_MASK, make_migration_entry(kernel_pte_get(ctl.va & PAGE_MASK)));
	flush_tlb_kernel_range(ctl.va & PAGE_MASK, (ctl.va & PAGE_MASK) + PAGE_SIZE);
	if (mt_job_start(&job)) {
		kernel_pte_xchg(ctl.va & PAGE_MASK, pte);
		vfree(area);
		return -EINVAL;
	}
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < FAULT_WAIT_MS * 1000000ull)
		cpu_relax();
	waited = !__atomic_load_n(&ctl.done, __ATOMIC_ACQUIRE);
	kernel_pte_xchg(ctl.va & PAGE_MASK, pte);
	mt_job_wait(&job);
	vfree(area);
	report("vmalloc_fault_hook", "\"guard\":%s,\"outside\":%s,\"unmapped\":%s,\"mapped\":%s,"
	       "\"waited_on_entry\":%s,\"retry_after_entry\":%s", guard ? "true" : "false",
	       outside ? "true" : "false", unmapped ? "true" : "false", mapped ? "true" : "false",
	       waited ? "true" : "false", ctl.retry ? "true" : "false");
	CHECK(!guard && !outside && !unmapped && mapped, "vmalloc_fault: guard %d outside %d unmapped %d "
	      "mapped %d (want 0 0 0 1)\n", guard, outside, unmapped, mapped);
	CHECK(waited && ctl.done && ctl.retry, "vmalloc_fault on a migration entry: waited %d, returned %d "
	      "(done %d)\n", waited, ctl.retry, ctl.done);
	return 0;
}

/* ---- vfree while one of the area's pages is being moved ---- */


struct free_ctl {
	void *area;
	volatile int done;
};

static void free_worker(unsigned long start, unsigned long end, void *arg)
{
	struct free_ctl *c = arg;

	vfree(c->area);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
}

/*
 * Page 0 of an area is isolated when another CPU calls vfree: vfree must
 * refuse new isolations at once, wait for the move without unmapping
 * anything, and after the move free the page the move put there.
 */
static int test_vfree_during_move(void)
{
	const struct movable_operations *ops = &vmalloc_movable_ops;
	struct free_ctl ctl = { 0 };
	struct mt_job job = {
		.name = "vmalloc_vfree_during_move", .fn = free_worker, .arg = &ctl,
		.start = 0, .size = 1, .align = 1, .min_chunk = 1,
	};
	unsigned long va, areas0, pages0, areas, pages, mapped_while_waiting;
	struct page *p0, *p1, *dst;
	bool refused, waited;
	uint64_t t0;
	int moved;

	vmalloc_movable_stats(&areas0, &pages0);
	ctl.area = vmalloc_movable(2 * PAGE_SIZE);
	CHECK(ctl.area, "no heap area\n");
	va = (unsigned long)ctl.area;
	p0 = heap_page(va);
	p1 = heap_page(va + PAGE_SIZE);
	CHECK(ops->isolate_page(p0), "isolate_page of a live area's page refused\n");
	get_page(p0);
	dst = alloc_pages_node(NUMA_NO_NODE, GFP_MOVABLE, 0);
	if (!dst) {
		ops->putback_page(p0);
		__free_page(p0);
		vfree(ctl.area);
		pr_err("vmalloc_movable: no target page\n");
		return -ENOMEM;
	}
	if (mt_job_start(&job)) {
		__free_page(dst);
		ops->putback_page(p0);
		__free_page(p0);
		vfree(ctl.area);
		return -EINVAL;
	}
	/* vfree has taken the area once vmalloc_size says it is no area any more. */
	t0 = ktime_get_ns();
	while (vmalloc_size(ctl.area) && ktime_get_ns() - t0 < MIG_JOIN_MS * 1000000ull)
		cpu_relax();
	refused = !ops->isolate_page(p1);
	t0 = ktime_get_ns();
	while (ktime_get_ns() - t0 < FREE_WAIT_MS * 1000000ull)
		cpu_relax();
	waited = !__atomic_load_n(&ctl.done, __ATOMIC_ACQUIRE);
	mapped_while_waiting = kernel_mapped_run(va, 2 * PAGE_SIZE);
	moved = ops->migrate_page(dst, p0);
	if (moved) {			/* as the core: the target goes, the page stays where it is */
		__free_page(dst);
		ops->putback_page(p0);
		__free_page(p0);
	} else {
		__ClearPageMovable(p0);
		__free_page(p0);
		__free_page(p0);
	}
	mt_job_wait(&job);		/* the job lives on this stack: wait for it before any return */
	CHECK(!moved, "the move under vfree failed: %d\n", moved);
	vmalloc_movable_stats(&areas, &pages);
	report("vmalloc_vfree_during_move", "\"refused\":%s,\"waited\":%s,\"mapped_while_waiting\":%lu,"
	       "\"mapped_after\":%lu,\"target_freed\":%s,\"areas_left\":%lu", refused ? "true" : "false",
	       waited ? "true" : "false", mapped_while_waiting, kernel_mapped_run(va, 2 * PAGE_SIZE),
	       page_type(dst) != PGTY_ALLOCATED ? "true" : "false", areas - areas0);
	CHECK(refused, "isolate_page agreed to move a page of an area being freed\n");
	CHECK(waited && mapped_while_waiting == 2 * PAGE_SIZE,
	      "vfree did not wait for the move in flight (done %d, %lu bytes mapped)\n", ctl.done,
	      mapped_while_waiting);
	CHECK(ctl.done && kernel_mapped_run(va, 2 * PAGE_SIZE) == 0 && areas == areas0 && pages == pages0,
	      "vfree did not finish after the move\n");
	CHECK(page_type(dst) != PGTY_ALLOCATED, "vfree did not free the page the move put in the area\n");
	return 0;
}

static int test_vmalloc_movable(void)
{
	int ret = test_patterns();

	if (ret)
		return ret;
	if (num_online_cpus() < 2) {
		pr_notice("vmalloc_movable: one CPU online: nobody to touch a page while it moves; "
			  "migration parts skipped\n");
		return 0;
	}
	ret = test_fault_hook();
	if (!ret)
		ret = test_migrate(false);
	if (!ret)
		ret = test_migrate(true);
	if (!ret)
		ret = test_vfree_during_move();
	return ret;
}
SELFTEST(vmalloc_movable, test_vmalloc_movable);
