/* SPDX-License-Identifier: MIT */
/*
 * DOC: migrate.h - moving allocated pages: owners that can move them, pins that forbid it
 *
 * (Contract written by the lead; mm/migrate.c implements it. Callers:
 * offline_pages in mm/memory_hotplug.c, the movable heap in mm/vmalloc.c,
 * the test balloon, the shell's memhog.)
 *
 * A page is movable when its owner says how to move it, as Linux's
 * non-LRU movable pages (struct movable_operations):
 *
 *     static const struct movable_operations hog_ops = {
 *             .name = "memhog", .isolate_page = hog_isolate,
 *             .migrate_page = hog_migrate, .putback_page = hog_putback,
 *     };
 *     page = alloc_pages_node(nid, GFP_MOVABLE, 0);
 *     __SetPageMovable(page, &hog_ops);       // page->private stays the owner's word
 *
 * Only an order-0 Allocated page allocated with __GFP_MOVABLE may be made
 * movable. An Allocated page without an owner is unmovable, whatever its
 * zone: offline and alloc_contig_range stop at it with -EBUSY.
 *
 * Moving one page (every move follows these steps; a batch splits 4, below):
 *   0. the core takes a reference of its own, held until the end of the
 *      move (the owner cannot free the page meanwhile; __free_pages panics
 *      if an isolated page is freed): an unpinned page being moved has
 *      refcount 2;
 *   1. pinned (page_maybe_dma_pinned)?  -EBUSY, the page is not touched;
 *   2. ops->isolate_page(src): the owner agrees to let it move now (false:
 *      -EAGAIN, try later); the page is marked isolated, so nobody isolates
 *      it twice;
 *   3. a target page is allocated outside the range being emptied (its
 *      pageblocks are isolated, so the buddy never hands them out): on the
 *      page's node first, then any node; __GFP_MOVABLE;
 *   4. ops->migrate_page(dst, src): the owner copies the contents, moves
 *      its references (page->private, a PTE, a list link) to dst and marks
 *      dst movable with its ops; 0 on success. The owner's reference on
 *      src becomes its reference on dst (dst comes with refcount 1): it
 *      neither frees src nor takes another reference on dst. On failure
 *      src must be exactly as before (contents, references);
 *   5. success: src loses its owner and its last reference, and goes back
 *      to the buddy (into its isolated pageblock, where offline takes it);
 *      pgmigrate_success += 1. Failure (no target in 3, or 4 failed):
 *      dst is freed, ops->putback_page(src), pgmigrate_fail += 1.
 * compact_isolated counts each page isolated in 2; pgmigrate_pinned each
 * page left in place because it was pinned (in 1, or pinned when 4 failed).
 * A pin taken between 1 and 5 (pin_page on an isolated page) makes step 4
 * fail the same way: the owner's migrate_page must check it after it has
 * stopped every other user of the page (mm/vmalloc.c does so after the
 * TLB shootdown).
 *
 * Moving a batch (do_migrate_range; migrate_page_to is a batch of one),
 * as Linux's migrate_pages_batch: steps 0-3 for up to MIGRATE_BATCH pages,
 * then step 4 in two phases for every page whose owner has them:
 *   4a. ops->unmap_page(dst, src, tlb): stop every other user of src but
 *       leave the TLB flush to the core - record the kernel virtual
 *       addresses that must be flushed with set_tlb_ubc_flush_pending(tlb,
 *       ...). dst is the target the core allocated; the owner may keep in
 *       dst->private what it needs to undo the unmap (Linux records its
 *       state in dst too: __migrate_folio_record). 0, or an error with src
 *       exactly as before (no move_page follows; dst is freed, putback);
 *   4b. the core flushes once for the whole batch (try_to_unmap_flush):
 *       after it no CPU reaches any unmapped src through a stale TLB entry;
 *   4c. ops->move_page(dst, src) for each page unmapped in 4a - always
 *       called, exactly once: check for a pin (a pin that appeared since 1
 *       fails this page only), copy, point the references at dst, mark dst
 *       movable; on failure undo 4a so src is exactly as before. Success and
 *       failure end as in step 5.
 * From the first 4a to the last 4c interrupts are off on the moving CPU:
 * an interrupt handler touching an unmapped page would wait for the move
 * it interrupted. So 4a and 4c must not allocate, sleep or touch memory of
 * a page the batch has unmapped. Owners with only migrate_page keep the
 * one-page path (4 as above, interrupts on).
 *
 * Pins are references, as Linux's pin_user_pages: pin_page() adds
 * GUP_PIN_COUNTING_BIAS to the refcount, unpin_page() takes it away; a
 * page whose refcount reaches the bias may be pinned and never moves.
 */
#ifndef HOTMM_MM_MIGRATE_H
#define HOTMM_MM_MIGRATE_H

#include "lib/compiler.h"
#include "mm/page.h"

/*
 * Kernel virtual addresses unmapped by a batch and not yet flushed: one
 * span (Linux's struct tlbflush_unmap_batch collects CPUs; here every
 * online CPU is flushed, so the span is what there is to collect).
 */
struct tlbflush_unmap_batch {
	unsigned long start, end;	/* [start, end); end == 0: nothing pending */
};

static inline void set_tlb_ubc_flush_pending(struct tlbflush_unmap_batch *tlb, unsigned long start,
					     unsigned long end)
{
	if (!tlb->end || start < tlb->start)
		tlb->start = start;
	if (end > tlb->end)
		tlb->end = end;
}

/* Flush what is pending on every online CPU, once; nothing pending: no flush. */
void try_to_unmap_flush(struct tlbflush_unmap_batch *tlb);

struct movable_operations {
	const char *name;				/* the owner, for messages */
	bool (*isolate_page)(struct page *page);	/* may it move now? */
	int (*migrate_page)(struct page *dst, struct page *src);
	void (*putback_page)(struct page *page);	/* an isolated page stays where it is */
	/* Optional, both or neither: the two phases of a batched move (see above). */
	int (*unmap_page)(struct page *dst, struct page *src, struct tlbflush_unmap_batch *tlb);
	int (*move_page)(struct page *dst, struct page *src);
};

/*
 * Pages moved per TLB flush (do_migrate_range). Offlining a 2 GiB DIMM 90%
 * full of movable heap (tools/bench/bench.py, QEMU TCG, 2 CPUs) took the
 * same within noise with 32 and 64 pages a batch; 32 keeps the window with
 * interrupts off and a CPU's wait in the fault handler half as long.
 */
#define MIGRATE_BATCH	32

/* Give an allocated order-0 movable page its owner / take it away (before freeing it). */
void __SetPageMovable(struct page *page, const struct movable_operations *ops);
void __ClearPageMovable(struct page *page);
/* The owner's operations, or NULL for a page nobody can move. */
const struct movable_operations *page_movable_ops(const struct page *page);
static inline bool PageMovable(const struct page *page) { return page_movable_ops(page) != NULL; }
/* Isolated for migration right now (between isolate_page and the end of the move). */
bool PageIsolated(const struct page *page);

/* ---- pins ---- */

#define GUP_PIN_COUNTING_BIAS	1024
/* Pin an Allocated page (0), or -EINVAL after saying why (not allocated: pfn, type). */
int pin_page(struct page *page);
void unpin_page(struct page *page);
static inline bool page_maybe_dma_pinned(const struct page *page)
{
	return __atomic_load_n(&page->refcount, __ATOMIC_RELAXED) >= GUP_PIN_COUNTING_BIAS;
}

/* ---- migration ---- */

enum migrate_reason {
	MR_MEMORY_HOTPLUG,	/* offline_pages */
	MR_CONTIG_RANGE,	/* alloc_contig_range */
	MR_MEMORY_FAILURE,	/* soft_offline_page */
	MR_SYSCALL,		/* asked for by name (the shell) */
	MR_TYPES
};
extern const char *const migrate_reason_names[MR_TYPES];

/*
 * Move one allocated movable page to node nid (NUMA_NO_NODE: its own node
 * first, then any), avoiding [avoid_start, avoid_end) pfns. 0, or -EBUSY
 * (pinned, unmovable), -EAGAIN (the owner said not now), -ENOMEM (no
 * target), -EINVAL (not an Allocated page, node not online: said why);
 * src is unchanged on every error.
 */
int migrate_page_to(struct page *src, int nid, unsigned long avoid_start, unsigned long avoid_end,
		    enum migrate_reason reason);

/*
 * Move every allocated page of [start_pfn, end_pfn) out of the range; the
 * range's pageblocks must be isolated. Free, Offline (driver-held) and
 * VmemmapSelfHosted pages are left alone. Returns 0 when no allocated page
 * is left, or the error at the lowest pfn with *busy_pfn that page
 * (-EBUSY: pinned or unmovable - nothing will change that; -EAGAIN or
 * -ENOMEM: worth another try). Pages moved before an error stay moved:
 * their contents and owners are intact at the new place. Pages are moved in
 * batches of up to MIGRATE_BATCH, so pages after the error's pfn that were
 * in its batch may have moved too; none of a later batch has.
 */
int do_migrate_range(unsigned long start_pfn, unsigned long end_pfn, enum migrate_reason reason,
		     unsigned long *busy_pfn);

/*
 * Linux's alloc_contig_range: make [start_pfn, end_pfn) one allocation
 * (every page Allocated, refcount 1, order 0) by isolating, migrating what
 * is movable and taking the free pages. 0, or -EBUSY naming the first page
 * that cannot move; on failure nothing is taken and the range's pageblocks
 * are back to their migratetype. The range's pageblocks must be of one
 * zone and one (unisolated) migratetype. free_contig_range gives such a
 * range back. Takes the hotplug lock (so not from under it: -EDEADLK).
 */
int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn);
void free_contig_range(unsigned long start_pfn, unsigned long nr_pages);

/*
 * Take one page out of use for good (Linux's soft_offline_page): a free
 * page is taken out of the buddy, a movable page is migrated away first;
 * either way it becomes HWPoison and is never allocated again. Anything
 * else is an error saying why (pinned, unmovable, reserved, not present).
 * A page that is HWPoison already: 0. Takes the hotplug lock.
 */
int soft_offline_page(unsigned long pfn);

#endif
