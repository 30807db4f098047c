/* SPDX-License-Identifier: MIT */
/*
 * DOC: migrate.c - page owners that can move their pages, pins, and migration
 *
 * Implements mm/migrate.h. What a page carries (mm/page.h):
 *   - an owner: PG_movable in _flags and the struct movable_operations in
 *     _owner[2]; only an order-0 Allocated page allocated with
 *     __GFP_MOVABLE (PG_gfp_movable) may get one. Freeing clears both
 *     (__free_pages), so a page back in the buddy never has an owner;
 *   - the isolated mark (PG_isolated): set by the migration core once the
 *     owner's isolate_page() agreed, cleared at the end of the move. While
 *     it is set the core holds a reference of its own on the page, so the
 *     owner cannot free it from under the move (__free_pages panics if
 *     the last reference of an isolated page goes);
 *   - pins: GUP_PIN_COUNTING_BIAS each in the refcount. A pinned page is
 *     never isolated, and a pin taken while it is isolated makes the
 *     owner's migrate_page() fail (it checks after stopping other users).
 * Pages move in batches (migrate_batch_move): every page of a batch is
 * isolated and given its target first; then the owners with the two-phase
 * callbacks unmap theirs, one TLB flush covers them all
 * (try_to_unmap_flush), and each is moved - one round of IPIs per batch
 * instead of one per page, as Linux's migrate_pages_batch. Then each page
 * ends on its own: moved and freed, or put back as it was.
 * The flag bits are changed with atomic or/and: PG_isolated is set by the
 * migration core while the owner may set or clear PG_movable on the same
 * byte (the owner's lock protects its own bit, not ours).
 */
#include <errno.h>
#include <string.h>

#include "mm/migrate.h"
#include "mm/vmstat.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/page_isolation.h"
#include "mm/memory_hotplug.h"
#include "mm/memblock.h"
#include "mm/sparse.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tlb.h"

const char *const migrate_reason_names[MR_TYPES] = {
	[MR_MEMORY_HOTPLUG]	= "memory_hotplug",
	[MR_CONTIG_RANGE]	= "contig_range",
	[MR_MEMORY_FAILURE]	= "memory_failure",
	[MR_SYSCALL]		= "syscall",
};

static inline uint8_t page_flags(const struct page *page)
{
	return __atomic_load_n(&page->_flags, __ATOMIC_ACQUIRE);
}

static inline void page_flags_set(struct page *page, uint8_t bits)
{
	__atomic_or_fetch(&page->_flags, bits, __ATOMIC_RELEASE);
}

static inline void page_flags_clear(struct page *page, uint8_t bits)
{
	__atomic_and_fetch(&page->_flags, (uint8_t)~bits, __ATOMIC_RELEASE);
}

/* ---- owners ---- */

void __SetPageMovable(struct page *page, const struct movable_operations *ops)
{
	unsigned long pfn = page_to_pfn(page);

	if (unlikely(!ops || !ops->name || !ops->isolate_page || !ops->migrate_page || !ops->putback_page))
		panic("__SetPageMovable: pfn %#lx: movable_operations %s incomplete (name, isolate_page, "
		      "migrate_page and putback_page are all needed)", pfn, ops && ops->name ? ops->name : "?");
	if (unlikely(!ops->unmap_page != !ops->move_page))
		panic("__SetPageMovable: pfn %#lx: movable_operations %s has one of unmap_page and move_page "
		      "(both or neither)", pfn, ops->name);
	if (unlikely(page_type(page) != PGTY_ALLOCATED || page->order != 0))
		panic("__SetPageMovable(%s): pfn %#lx is %s order %u; only an order-0 Allocated page can move",
		      ops->name, pfn, page_type_name(page_type(page)), page->order);
	if (unlikely(!(page_flags(page) & PG_gfp_movable)))
		panic("__SetPageMovable(%s): pfn %#lx was not allocated with __GFP_MOVABLE", ops->name, pfn);
	page->_owner[2] = (unsigned long)ops;
	page_flags_set(page, PG_movable);	/* release: the ops are visible before the flag */
}

void __ClearPageMovable(struct page *page)
{
	if (unlikely(!(page_flags(page) & PG_movable)))
		panic("__ClearPageMovable: pfn %#lx (%s) has no owner", page_to_pfn(page),
		      page_type_name(page_type(page)));
	page_flags_clear(page, PG_movable);
	page->_owner[2] = 0;
}

const struct movable_operations *page_movable_ops(const struct page *page)
{
	if (page_type(page) != PGTY_ALLOCATED || !(page_flags(page) & PG_movable))
		return NULL;
	return (const struct movable_operations *)page->_owner[2];
}

bool PageIsolated(const struct page *page)
{
	return page_flags(page) & PG_isolated;
}

/* ---- pins ---- */

int pin_page(struct page *page)
{
	if (unlikely(page_type(page) != PGTY_ALLOCATED || page_ref_count(page) <= 0)) {
		pr_err("pin_page: pfn %#lx is %s (refcount %d), not an Allocated page: not pinned\n",
		       page_to_pfn(page), page_type_name(page_type(page)), page_ref_count(page));
		return -EINVAL;
	}
	__atomic_add_fetch(&page->refcount, GUP_PIN_COUNTING_BIAS, __ATOMIC_ACQ_REL);
	return 0;
}

void unpin_page(struct page *page)
{
	int old = __atomic_fetch_sub(&page->refcount, GUP_PIN_COUNTING_BIAS, __ATOMIC_ACQ_REL);

	if (unlikely(old < GUP_PIN_COUNTING_BIAS + 1))
		panic("unpin_page: pfn %#lx (%s) was not pinned (refcount %d)", page_to_pfn(page),
		      page_type_name(page_type(page)), old);
}

/* ---- moving one page ---- */

/* A reference unless the page is free (refcount 0): Linux's get_page_unless_zero. */
static bool get_page_unless_zero(struct page *page)
{
	int ref = page_ref_count(page);

	while (ref > 0)
		if (__atomic_compare_exchange_n(&page->refcount, &ref, ref + 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return true;
	return false;
}

/* Claim the isolated mark: false if somebody else is moving the page already. */
static bool test_set_isolated(struct page *page)
{
	return !(__atomic_fetch_or(&page->_flags, PG_isolated, __ATOMIC_ACQ_REL) & PG_isolated);
}

static bool pfn_in(unsigned long pfn, unsigned long start, unsigned long end)
{
	return pfn >= start && pfn < end;
}

#define TARGET_TRIES	8	/* pages of the avoided range handed out before giving up */

/*
 * A target page: on node nid first, then on any node (only when there is
 * another node: "any" is the same allocation otherwise), never inside
 * [avoid_start, avoid_end). When the range is isolated the allocator never
 * hands out its pages; migrate_page_to() of a single page is not, and a
 * page of the range that comes back is held until the end and freed.
 */
static struct page *alloc_migration_target(int nid, unsigned long avoid_start, unsigned long avoid_end)
{
	struct page *held[TARGET_TRIES], *dst = NULL;
	unsigned int nr_held = 0, pass, i;

	for (pass = 0; pass < 2 && !dst; pass++) {
		gfp_t gfp = GFP_MOVABLE | __GFP_NOWARN | (pass == 0 ? __GFP_THISNODE : 0);

		if (pass == 1 && num_online_nodes() <= 1)
			break;
		while (nr_held < TARGET_TRIES) {
			struct page *p = alloc_pages_node(nid, gfp, 0);

			if (!p)
				break;
			if (!pfn_in(page_to_pfn(p), avoid_start, avoid_end)) {
				dst = p;
				break;
			}
			held[nr_held++] = p;
		}
	}
	for (i = 0; i < nr_held; i++)
		__free_page(held[i]);
	return dst;
}

/*
 * Drop the reference the migration core took (the page may go back to the
 * buddy with it, if its owner freed it meanwhile). While we hold it the
 * block cannot be freed, so its order is stable.
 */
static void put_core_ref(struct page *page)
{
	__free_pages(page, page->order);
}

/* migrate_prepare() found the page was no longer an allocated page: nothing to move. */
#define MIGRATE_GONE	1

/*
 * A batch (mm/migrate.h, "Moving a batch"), as Linux's migrate_pages_batch:
 * every page of it is isolated and has its target before the first unmap,
 * so nothing is allocated while pages are unmapped and interrupts are off.
 * On the stack of the CPU running the chunk: 32 entries are 1 KiB.
 */
struct migrate_entry {
	struct page *src, *dst;
	const struct movable_operations *ops;
	int ret;
	bool unmapped;		/* 4a succeeded: 4c is owed */
};

struct migrate_batch {
	unsigned int nr;
	struct migrate_entry e[MIGRATE_BATCH];
	struct tlbflush_unmap_batch tlb;
};

/*
 * One flush for the batch: flush_tlb_kernel_range over the span of what
 * was unmapped - one round of IPIs for the batch instead of one per page,
 * the cost the batch exists to save. A batch's pages back scattered
 * addresses, so the span is mostly wider than tlb_single_page_flush_ceiling
 * and the flush a full one; an invlpg per recorded page instead measured
 * the same within the noise of the offline benchmark (QEMU TCG), so the
 * simpler span stays.
 */
void try_to_unmap_flush(struct tlbflush_unmap_batch *tlb)
{
	if (!tlb->end)
		return;
	flush_tlb_kernel_range(tlb->start, tlb->end);
	tlb->start = tlb->end = 0;
}

/*
 * Steps 0-3 for one page: on 0 it is isolated, holds the core's reference
 * and has its target in *e. MIGRATE_GONE, or -EBUSY / -EAGAIN / -ENOMEM
 * with src as it was (counted as mm/migrate.h says). Never called under
 * zone->lock: the owner's callbacks take their own locks.
 */
static int migrate_prepare(struct page *src, int nid, unsigned long avoid_start, unsigned long avoid_end,
			   struct migrate_entry *e)
{
	const struct movable_operations *ops;
	struct page *dst;

	if (page_type(src) != PGTY_ALLOCATED || !get_page_unless_zero(src))
		return MIGRATE_GONE;
	/* With our reference it cannot be freed; is it still an allocated order-0 page? */
	if (page_type(src) != PGTY_ALLOCATED) {
		put_core_ref(src);
		return MIGRATE_GONE;
	}
	/* 1. pinned: never touched */
	if (page_maybe_dma_pinned(src)) {
		count_vm_event(PGMIGRATE_PINNED);
		put_core_ref(src);
		return -EBUSY;
	}
	ops = page_movable_ops(src);
	if (!ops || src->order) {
		put_core_ref(src);
		return -EBUSY;		/* unmovable */
	}
	/* 2. the owner agrees, and nobody else is moving it */
	if (!test_set_isolated(src)) {
		put_core_ref(src);
		return -EAGAIN;
	}
	if (!ops->isolate_page(src)) {
		page_flags_clear(src, PG_isolated);
		put_core_ref(src);
		return -EAGAIN;
	}
	count_vm_event(COMPACT_ISOLATED);
	/* 3. a target outside the range */
	if (nid == NUMA_NO_NODE)
		nid = page_to_nid(src);
	dst = alloc_migration_target(nid, avoid_start, avoid_end);
	if (!dst) {
		ops->putback_page(src);
		page_flags_clear(src, PG_isolated);
		count_vm_event(PGMIGRATE_FAIL);
		put_core_ref(src);
		return -ENOMEM;
	}
	*e = (struct migrate_entry){ .src = src, .dst = dst, .ops = ops };
	return 0;
}

/*
 * Step 5 for one page of the batch. poison: src becomes HWPoison instead
 * of going back to the buddy (soft_offline_page).
 */
static void migrate_finish(struct migrate_entry *e, bool poison)
{
	struct page *src = e->src, *dst = e->dst;

	if (e->ret) {
		if (dst->_flags & PG_movable)
			__ClearPageMovable(dst);
		__free_page(dst);
		e->ret = page_maybe_dma_pinned(src) ? -EBUSY : -EAGAIN;
		if (e->ret == -EBUSY)
			count_vm_event(PGMIGRATE_PINNED);
		e->ops->putback_page(src);
		page_flags_clear(src, PG_isolated);
		count_vm_event(PGMIGRATE_FAIL);
		put_core_ref(src);
		return;
	}
	if (unlikely(!PageMovable(dst)))
		pr_warn("migrate: %s moved pfn %#lx to %#lx without giving the new page its owner\n",
			e->ops->name, page_to_pfn(src), page_to_pfn(dst));
	/* src loses its owner, the core's reference and the owner's (now dst's) */
	if (src->_flags & PG_movable)
		__ClearPageMovable(src);
	page_flags_clear(src, PG_isolated);
	count_vm_event(PGMIGRATE_SUCCESS);
	put_core_ref(src);
	if (poison)
		page_poison_allocated(src);
	else
		__free_page(src);
}

/*
 * Step 4 for every page of the batch, then step 5. Owners with the two
 * phases: unmap all, flush once, move all - with interrupts off on this
 * CPU from the first unmap to the last move (mm/migrate.h: a handler that
 * touched an unmapped page would wait for the move it interrupted; the
 * flush may be sent with interrupts off, arch/x86_64/tlb.h). With them
 * off this CPU answers another CPU's shootdown only where it polls
 * (cpu_relax): so it polls after every page, or the other CPU's flush
 * would wait for this whole batch's copies (measured: the two CPUs then
 * take turns instead of copying at once). The other
 * owners' pages then move one by one with interrupts on. Each entry's ret
 * ends as 0, -EBUSY (pinned) or -EAGAIN.
 */
static void migrate_batch_move(struct migrate_batch *b, bool poison)
{
	unsigned long irqf = 0;
	bool two_phase = false;
	unsigned int i;

	for (i = 0; i < b->nr; i++)
		two_phase |= b->e[i].ops->unmap_page != NULL;
	if (two_phase) {
		irqf = local_irq_save();
		for (i = 0; i < b->nr; i++) {
			struct migrate_entry *e = &b->e[i];

			if (!e->ops->unmap_page)
				continue;
			e->ret = e->ops->unmap_page(e->dst, e->src, &b->tlb);
			e->unmapped = !e->ret;
			cpu_relax();
		}
		try_to_unmap_flush(&b->tlb);
		for (i = 0; i < b->nr; i++) {
			if (b->e[i].unmapped)
				b->e[i].ret = b->e[i].ops->move_page(b->e[i].dst, b->e[i].src);
			cpu_relax();
		}
		local_irq_restore(irqf);
	}
	for (i = 0; i < b->nr; i++)
		if (!b->e[i].ops->unmap_page)
			b->e[i].ret = b->e[i].ops->migrate_page(b->e[i].dst, b->e[i].src);
	for (i = 0; i < b->nr; i++)
		migrate_finish(&b->e[i], poison);
}

/* One page, as a batch of one. Returns 0, MIGRATE_GONE, or -EBUSY / -EAGAIN / -ENOMEM with src as it was. */
static int migrate_one(struct page *src, int nid, unsigned long avoid_start, unsigned long avoid_end,
		       bool poison)
{
	struct migrate_batch b = { .nr = 1 };
	int ret = migrate_prepare(src, nid, avoid_start, avoid_end, &b.e[0]);

	if (ret)
		return ret;
	migrate_batch_move(&b, poison);
	return b.e[0].ret;
}

int migrate_page_to(struct page *src, int nid, unsigned long avoid_start, unsigned long avoid_end,
		    enum migrate_reason reason)
{
	unsigned long pfn = page_to_pfn(src);
	int ret;

	if ((unsigned int)reason >= MR_TYPES)
		reason = MR_SYSCALL;
	if (nid != NUMA_NO_NODE && (nid < 0 || nid >= MAX_NUMNODES || !node_has_pgdat(nid))) {
		pr_err("migrate: pfn %#lx: node %d is not online\n", pfn, nid);
		return -EINVAL;
	}
	if (page_type(src) != PGTY_ALLOCATED) {
		pr_err("migrate: pfn %#lx is %s, not an allocated page (%s)\n", pfn,
		       page_type_name(page_type(src)), migrate_reason_names[reason]);
		return -EINVAL;
	}
	ret = migrate_one(src, nid, avoid_start, avoid_end, false);
	return ret == MIGRATE_GONE ? -EINVAL : ret;
}

/* The error to report: the one at the lowest pfn (the order a page-by-page walk would meet them). */
static void note_error(int ret, unsigned long pfn, int *first, unsigned long *first_pfn)
{
	if (ret < 0 && (!*first || pfn < *first_pfn)) {
		*first = ret;
		*first_pfn = pfn;
	}
}

/* Move the batch; its errors noted. True if one of them ends the walk (not -EAGAIN). */
static bool migrate_batch_flush(struct migrate_batch *b, int *first, unsigned long *first_pfn)
{
	bool stop = false;

	migrate_batch_move(b, false);
	for (unsigned int i = 0; i < b->nr; i++) {
		note_error(b->e[i].ret, page_to_pfn(b->e[i].src), first, first_pfn);
		stop |= b->e[i].ret < 0 && b->e[i].ret != -EAGAIN;
	}
	b->nr = 0;
	return stop;
}

int do_migrate_range(unsigned long start_pfn, unsigned long end_pfn, enum migrate_reason reason,
		     unsigned long *busy_pfn)
{
	struct migrate_batch b = { .nr = 0 };
	unsigned long pfn, first_pfn = 0;
	bool stop = false;
	int first = 0, ret;

	(void)reason;
	for (pfn = start_pfn; pfn < end_pfn && !stop;) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order;

		switch (page_type(page)) {
		case PGTY_BUDDY:
			/* A racy look is enough: a wrong order only makes us look at a Tail. */
			order = READ_ONCE(page->order);
			pfn += order <= MAX_PAGE_ORDER ? 1UL << order : 1;
			continue;
		case PGTY_TAIL:
		case PGTY_OFFLINE:
		case PGTY_VMEMMAP_SELF_HOSTED:
		case PGTY_HWPOISON:
			pfn++;
			continue;
		case PGTY_ALLOCATED:
			ret = migrate_prepare(page, NUMA_NO_NODE, start_pfn, end_pfn, &b.e[b.nr]);
			if (!ret && ++b.nr == MIGRATE_BATCH)
				stop = migrate_batch_flush(&b, &first, &first_pfn);
			break;
		default:	/* Reserved, NoMemory, PageTable, Slab: nothing moves them */
			ret = -EBUSY;
			break;
		}
		if (ret < 0) {
			note_error(ret, pfn, &first, &first_pfn);
			/*
			 * Nothing will change a pinned or unmovable page; no target now, none for
			 * the rest. The pages already prepared still move (below).
			 */
			if (ret != -EAGAIN)
				stop = true;
		}
		pfn++;
	}
	if (b.nr)
		migrate_batch_flush(&b, &first, &first_pfn);
	if (first)
		*busy_pfn = first_pfn;
	return first;
}

/* ---- alloc_contig_range ---- */

#define CONTIG_RETRIES	8

static int __alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long iso_start = ALIGN_DOWN(start_pfn, pageblock_nr_pages);
	unsigned long iso_end = ALIGN(end_pfn, pageblock_nr_pages), pfn, busy = start_pfn;
	struct zone *zone;
	int mt, ret = -EBUSY, tries;
	long taken;

	if (start_pfn >= end_pfn) {
		pr_err("alloc_contig_range: empty range [%#lx-%#lx)\n", start_pfn, end_pfn);
		return -EINVAL;
	}
	for (pfn = iso_start; pfn < iso_end; pfn++) {
		if (!pfn_memmap_in_use(pfn) || !section_memmap_initialized(__pfn_to_section(pfn))) {
			pr_err("alloc_contig_range: [%#lx-%#lx): pfn %#lx has no initialized memmap\n",
			       start_pfn, end_pfn, pfn);
			return -EINVAL;
		}
	}
	zone = page_zone(pfn_to_page(start_pfn));
	mt = get_pageblock_migratetype(iso_start);
	for (pfn = iso_start; pfn < iso_end; pfn += pageblock_nr_pages) {
		struct page *page = pfn_to_page(pfn);

		if (!zone_spans_pfn(zone, pfn) || !zone_spans_pfn(zone, pfn + pageblock_nr_pages - 1) ||
		    get_pageblock_migratetype(pfn) != mt || mt >= MIGRATE_PCPTYPES) {
			pr_err("alloc_contig_range: [%#lx-%#lx): pageblock %#lx (%s, node %u %s) differs from "
			       "the first (%s, %s): one zone and one migratetype only\n", start_pfn, end_pfn,
			       pfn, migratetype_names[get_pageblock_migratetype(pfn) % MIGRATE_TYPES],
			       page->nid, page_zone(page)->name, migratetype_names[mt % MIGRATE_TYPES],
			       zone->name);
			return -EBUSY;
		}
	}
	start_isolate_page_range(zone, iso_start, iso_end);
	for (tries = 0; tries < CONTIG_RETRIES; tries++) {
		drain_all_pages_sync(zone);
		ret = do_migrate_range(start_pfn, end_pfn, MR_CONTIG_RANGE, &busy);
		if (ret == -EBUSY || ret == -ENOMEM)
			break;
		if (ret)
			continue;
		drain_all_pages_sync(zone);
		taken = isolate_freepages_range(zone, start_pfn, end_pfn, &busy);
		if (taken >= 0)
			break;
		ret = -EBUSY;
	}
	undo_isolate_page_range(zone, iso_start, iso_end, mt);
	if (ret) {
		struct page *page = pfn_to_page(busy);

		pr_err("alloc_contig_range: [%#lx-%#lx): pfn %#lx is busy (%s%s%s)\n", start_pfn, end_pfn,
		       busy, page_type_name(page_type(page)),
		       page_type(page) != PGTY_ALLOCATED ? "" :
		       page_movable_ops(page) ? ", movable" : ", unmovable",
		       page_maybe_dma_pinned(page) ? ", pinned" : "");
		return ret == -EAGAIN ? -EBUSY : ret;
	}
	return 0;
}

/*
 * Under the hotplug lock: the range's blocks cannot go offline or away
 * meanwhile, and nobody else isolates its pageblocks (an offline would
 * undo our isolation with its own).
 */
int alloc_contig_range(unsigned long start_pfn, unsigned long end_pfn)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = __alloc_contig_range(start_pfn, end_pfn);
	mem_hotplug_done();
	return ret;
}

void free_contig_range(unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long pfn;

	for (pfn = start_pfn; pfn < start_pfn + nr_pages; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (unlikely(page_type(page) != PGTY_ALLOCATED || page->order || page_ref_count(page) != 1))
			panic("free_contig_range: pfn %#lx (%s, order %u, refcount %d) is not a page "
			      "alloc_contig_range gave out", pfn, page_type_name(page_type(page)),
			      page->order, page_ref_count(page));
		__free_page(page);
	}
}

/* ---- soft_offline_page ---- */

static int __soft_offline_page(unsigned long pfn)
{
	struct page *page;
	int ret, tries;

	if (!pfn_memmap_in_use(pfn)) {
		pr_err("soft_offline: pfn %#lx: not present (no memmap)\n", pfn);
		return -EINVAL;
	}
	page = pfn_to_page(pfn);
	for (tries = 0; tries < 3; tries++) {
		switch (page_type(page)) {
		case PGTY_HWPOISON:
			pr_info("soft_offline: pfn %#lx is HWPoison already\n", pfn);
			return 0;
		case PGTY_BUDDY:
		case PGTY_TAIL:
			ret = take_page_off_buddy(page);
			if (ret == -EAGAIN) {	/* on a per-CPU list */
				drain_all_pages_sync(page_zone(page));
				continue;
			}
			if (ret)
				continue;	/* allocated meanwhile: look again */
			pr_info("soft_offline: pfn %#lx: free page taken out of use (HWPoison)\n", pfn);
			return 0;
		case PGTY_ALLOCATED:
			if (page_maybe_dma_pinned(page)) {
				pr_err("soft_offline: pfn %#lx: pinned (refcount %d), cannot move\n",
				       pfn, page_ref_count(page));
				return -EBUSY;
			}
			if (!page_movable_ops(page) || page->order) {
				pr_err("soft_offline: pfn %#lx: unmovable (Allocated order %u, no owner)\n",
				       pfn, page->order);
				return -EBUSY;
			}
			ret = migrate_one(page, NUMA_NO_NODE, pfn, pfn + 1, true);
			if (ret == MIGRATE_GONE)
				continue;	/* freed meanwhile: take it as a free page */
			if (ret) {
				pr_err("soft_offline: pfn %#lx: owner %s: migration failed (%d)%s\n", pfn,
				       page_movable_ops(page) ? page_movable_ops(page)->name : "?", ret,
				       page_maybe_dma_pinned(page) ? ", pinned" : "");
				return ret;
			}
			pr_info("soft_offline: pfn %#lx: migrated, taken out of use (HWPoison)\n", pfn);
			return 0;
		default:
			pr_err("soft_offline: pfn %#lx is %s: only free and movable pages can be taken out\n",
			       pfn, page_type_name(page_type(page)));
			return -EBUSY;
		}
	}
	pr_err("soft_offline: pfn %#lx (%s) kept changing; try again\n", pfn, page_type_name(page_type(page)));
	return -EAGAIN;
}

/* Under the hotplug lock, as Linux's get_online_mems(): the page's block stays online meanwhile. */
int soft_offline_page(unsigned long pfn)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = __soft_offline_page(pfn);
	mem_hotplug_done();
	return ret;
}
