/* SPDX-License-Identifier: MIT */
/*
 * DOC: page_alloc.c - the buddy allocator with per-CPU lists
 *
 * Free memory of a zone lives in blocks of 2^order pages (order 0..10).
 * The head of a free block is a Buddy page carrying its order and the
 * migratetype of the list it is on; the other pages are Tail. Invariants
 * (pagetypes.c checks every one of them):
 *   - a Buddy head on a free list sits on free_area[order].free_list[mt]
 *     with mt == the migratetype of the pageblock holding the head;
 *   - the block is naturally aligned and all its pages belong to the
 *     head's zone; free blocks never overlap;
 *   - zone->free_pages is the sum of the blocks on the free lists.
 * Freeing merges a block with its buddy (pfn ^ 2^order) only when that is a
 * Buddy head of the same order and zone, on a free list, and neither is in
 * an isolated pageblock of a different type.
 *
 * Order-0 pages go through per-CPU lists (struct per_cpu_pages): a CPU
 * takes and returns pages there with no lock and interrupts on. Whoever
 * touches a list first claims its `busy` word with one atomic compare-and-
 * swap (Linux: pcp_spin_trylock): the owning CPU on its fast path, an
 * interrupt handler on that CPU, or another CPU draining it. Nobody ever
 * waits for a claim: a fast path that finds the list claimed uses the zone
 * under its lock instead, a drain skips the list. Only a miss (refill
 * `batch` pages) or an overflow (return `batch`) takes zone->lock. Pages on
 * a pcp list stay Buddy (order 0, PAGE_ON_PCP): they are free, just not
 * mergeable until drained.
 *
 * Pageblocks (2 MiB) start MOVABLE; an unmovable request that finds no
 * unmovable page steals the largest free block of the other type, and with
 * it whole pageblocks, so unmovable data clusters (Linux's fallback).
 */
#include <errno.h>
#include <string.h>

#include "mm/page_alloc.h"
#include "mm/migrate.h"
#include "mm/sparse.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

bool buddy_ready;
unsigned long fail_page_alloc_nth;

/* ---- free lists ---- */

static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order, int mt)
{
	struct free_area *area = &zone->free_area[order];
	struct page *first = area->free_list[mt];

	page->prev = NULL;
	page->next = first;
	page->buddy_where = PAGE_ON_FREELIST;
	if (first)
		first->prev = page;
	area->free_list[mt] = page;
	area->nr_free++;
	zone->free_pages += 1UL << order;
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	if (page->prev)
		page->prev->next = page->next;
	else
		area->free_list[page->buddy_mt] = page->next;
	if (page->next)
		page->next->prev = page->prev;
	page->next = page->prev = NULL;
	/*
	 * No longer mergeable, before the lock is dropped: an allocation turns
	 * the page Allocated only after unlocking, and a CPU freeing its
	 * neighbour meanwhile must not take it for a free buddy.
	 */
	page->buddy_where = PAGE_OFF_LIST;
	area->nr_free--;
	zone->free_pages -= 1UL << order;
}

static inline bool page_is_buddy(const struct page *page, const struct page *buddy, unsigned int order)
{
	/* Acquire: see page_allocated_to_buddy(), the lock-free way a page becomes Buddy. */
	return __atomic_load_n(&buddy->type, __ATOMIC_ACQUIRE) == PGTY_BUDDY && buddy->order == order &&
	       buddy->buddy_where == PAGE_ON_FREELIST &&
	       buddy->zone_idx == page->zone_idx && buddy->nid == page->nid;
}

/*
 * Put a block of Tail pages (head included) on the free lists, merging
 * upwards. Caller holds zone->lock.
 */
static void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
			    unsigned int order, int mt)
{
	/* LAB 2 BEGIN __free_one_page */
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = page + (buddy_pfn - pfn);
		unsigned long combined;

		if (!page_is_buddy(page, buddy, order))
			break;
		/* Isolated pageblocks must stay whole blocks of their own. */
		if (order >= pageblock_order && buddy->buddy_mt != mt &&
		    (buddy->buddy_mt == MIGRATE_ISOLATE || mt == MIGRATE_ISOLATE))
			break;
		del_page_from_free_list(buddy, zone, order);
		page_buddy_to_tail(buddy);
		combined = buddy_pfn & pfn;
		page += combined - pfn;
		pfn = combined;
		order++;
	}
	if (order >= pageblock_order)
		mt = get_pageblock_migratetype(pfn);
	page_tail_to_buddy(page, order, mt, PAGE_ON_FREELIST);
	add_to_free_list(page, zone, order, mt);
	/* LAB 2 END __free_one_page */
}

static void free_one_page(struct zone *zone, struct page *page, unsigned long pfn, unsigned int order)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	__free_one_page(page, pfn, zone, order, get_pageblock_migratetype(pfn));
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Split a free block of order `high` (already off its list) down to `low`,
 * giving the upper halves back. Each half goes to the list of its own
 * pageblock's type.
 */
static inline void expand(struct zone *zone, struct page *page, unsigned long pfn,
			  unsigned int low, unsigned int high)
{
	/* LAB 2 BEGIN expand */
	unsigned long size = 1UL << high;

	while (high > low) {
		struct page *half;
		int mt;

		high--;
		size >>= 1;
		half = page + size;
		mt = get_pageblock_migratetype(pfn + size);
		page_tail_to_buddy(half, high, mt, PAGE_ON_FREELIST);
		add_to_free_list(half, zone, high, mt);
	}
	/* LAB 2 END expand */
}

static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int mt)
{
	/* LAB 2 BEGIN __rmqueue_smallest */
	unsigned int o;

	for (o = order; o <= MAX_PAGE_ORDER; o++) {
		struct page *page = zone->free_area[o].free_list[mt];

		if (!page)
			continue;
		del_page_from_free_list(page, zone, o);
		expand(zone, page, page_to_pfn(page), order, o);
		return page;
	}
	return NULL;
	/* LAB 2 END __rmqueue_smallest */
}

/* Move the free blocks of a pageblock to the lists of new_mt, and retype it. */
void move_freepages_block(struct zone *zone, unsigned long pfn, int new_mt)
{
	unsigned long start = ALIGN_DOWN(pfn, pageblock_nr_pages);
	unsigned long end = start + pageblock_nr_pages;

	for (pfn = start; pfn < end;) {
		struct page *page = pfn_to_page(pfn);

		if (page->type == PGTY_BUDDY && page->buddy_where == PAGE_ON_FREELIST &&
		    page_zone(page) == zone) {
			unsigned int order = page->order;

			del_page_from_free_list(page, zone, order);
			page->buddy_mt = new_mt;
			add_to_free_list(page, zone, order, new_mt);
			pfn += 1UL << order;
		} else {
			pfn++;
		}
	}
	set_pageblock_migratetype(start, new_mt);
}

/*
 * No block of the wanted type: take one of the other type, the largest
 * first (fewer, bigger steals keep types apart), and claim its pageblocks
 * when the block is big enough that the rest of the pageblock is likely
 * free too.
 */
static struct page *__rmqueue_fallback(struct zone *zone, unsigned int order, int start_mt)
{
	int fallback_mt = start_mt == MIGRATE_MOVABLE ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE;
	int o;

	for (o = MAX_PAGE_ORDER; o >= (int)order; o--) {
		struct page *page = zone->free_area[o].free_list[fallback_mt];
		unsigned long pfn, i;

		if (!page)
			continue;
		pfn = page_to_pfn(page);
		if (o >= pageblock_order) {
			del_page_from_free_list(page, zone, o);
			for (i = 0; i < (1UL << (o - pageblock_order)); i++)
				set_pageblock_migratetype(pfn + i * pageblock_nr_pages, start_mt);
			expand(zone, page, pfn, order, o);
			return page;
		}
		if (o >= pageblock_order / 2) {
			move_freepages_block(zone, pfn, start_mt);
			return __rmqueue_smallest(zone, order, start_mt);
		}
		del_page_from_free_list(page, zone, o);
		expand(zone, page, pfn, order, o);
		return page;
	}
	return NULL;
}

static inline struct page *__rmqueue(struct zone *zone, unsigned int order, int mt)
{
	struct page *page = __rmqueue_smallest(zone, order, mt);

	if (unlikely(!page))
		page = __rmqueue_fallback(zone, order, mt);
	return page;
}

/* ---- per-CPU lists ---- */

static inline void pcp_push(struct per_cpu_pages *pcp, struct page *page, int mt)
{
	page->next = pcp->lists[mt];
	page->prev = NULL;
	pcp->lists[mt] = page;
	pcp->count++;
}

/* Refill from the zone: `count` order-0 pages of type mt. Caller has irqs off. */
static int rmqueue_bulk(struct zone *zone, struct per_cpu_pages *pcp, int count, int mt)
{
	/* LAB 2 BEGIN rmqueue_bulk */
	int i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, 0, mt);

		if (!page)
			break;
		page->order = 0;
		page->buddy_mt = mt;
		page->buddy_where = PAGE_ON_PCP;
		pcp_push(pcp, page, mt);
	}
	spin_unlock(&zone->lock);
	return i;
	/* LAB 2 END rmqueue_bulk */
}

/* Give `count` pages of the pcp back to the zone. Caller has irqs off. */
static void free_pcppages_bulk(struct zone *zone, struct per_cpu_pages *pcp, int count)
{
	int mt = 0;

	spin_lock(&zone->lock);
	while (count > 0 && pcp->count > 0) {
		struct page *page = pcp->lists[mt];
		unsigned long pfn;

		if (!page) {
			mt = (mt + 1) % MIGRATE_PCPTYPES;
			continue;
		}
		pcp->lists[mt] = page->next;
		pcp->count--;
		count--;
		pfn = page_to_pfn(page);
		page_buddy_to_tail(page);
		__free_one_page(page, pfn, zone, 0, get_pageblock_migratetype(pfn));
	}
	spin_unlock(&zone->lock);
}

/*
 * Claim a pcp list: true if it was free and is ours now. One locked
 * cmpxchg on a line only this CPU writes on the fast path (a remote drain
 * is rare), so it stays cheap; the plain load first keeps a claimed line
 * from being pulled in exclusive. Acquire pairs with pcp_put()'s release:
 * whoever claims next sees every list write of the one before, whichever
 * CPU it ran on.
 */
static inline bool pcp_trylock(struct per_cpu_pages *pcp)
{
	int free = 0;

	if (unlikely(__atomic_load_n(&pcp->busy, __ATOMIC_RELAXED)))
		return false;
	return __atomic_compare_exchange_n(&pcp->busy, &free, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * The pcp of this CPU, claimed; NULL if it is claimed already - by an
 * interrupted caller on this CPU or by another CPU draining it - and the
 * caller then goes to the zone under its lock.
 */
static inline struct per_cpu_pages *pcp_get(struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->pcp[smp_processor_id()];

	return pcp_trylock(pcp) ? pcp : NULL;
}

static inline void pcp_put(struct per_cpu_pages *pcp)
{
	__atomic_store_n(&pcp->busy, 0, __ATOMIC_RELEASE);
}

static struct page *rmqueue_pcplist(struct zone *zone, int mt)
{
	/* LAB 2 BEGIN rmqueue_pcplist */
	struct per_cpu_pages *pcp = pcp_get(zone);
	unsigned long flags;
	struct page *page;

	if (unlikely(!pcp)) {
		spin_lock_irqsave(&zone->lock, flags);
		page = __rmqueue(zone, 0, mt);
		spin_unlock_irqrestore(&zone->lock, flags);
		return page;
	}
	page = pcp->lists[mt];
	if (unlikely(!page)) {
		flags = local_irq_save();
		rmqueue_bulk(zone, pcp, pcp->batch, mt);
		local_irq_restore(flags);
		page = pcp->lists[mt];
		if (!page) {
			pcp_put(pcp);
			return NULL;
		}
	}
	pcp->lists[mt] = page->next;
	pcp->count--;
	pcp_put(pcp);
	page->next = NULL;
	return page;
	/* LAB 2 END rmqueue_pcplist */
}

static void free_unref_page(struct page *page, unsigned long pfn)
{
	/* LAB 2 BEGIN free_unref_page */
	struct zone *zone = page_zone(page);
	int mt = get_pageblock_migratetype(pfn);
	struct per_cpu_pages *pcp;
	unsigned long flags;

	if (unlikely(mt >= MIGRATE_PCPTYPES)) {	/* isolated: straight to the zone */
		page_allocated_to_tail(page);
		free_one_page(zone, page, pfn, 0);
		return;
	}
	pcp = pcp_get(zone);
	if (unlikely(!pcp)) {
		page_allocated_to_tail(page);
		free_one_page(zone, page, pfn, 0);
		return;
	}
	page_allocated_to_buddy(page, mt);
	pcp_push(pcp, page, mt);
	if (unlikely(pcp->count >= pcp->high)) {
		flags = local_irq_save();
		free_pcppages_bulk(zone, pcp, pcp->batch);
		local_irq_restore(flags);
	}
	pcp_put(pcp);
	/* LAB 2 END free_unref_page */
}

void drain_local_pages(struct zone *zone)
{
	drain_cpu_pages_of(smp_processor_id(), zone);
}

/*
 * Drain CPU `cpu`'s lists, from that CPU or any other. This runs in every
 * context the allocator does - the allocation slow path with interrupts
 * off, inside an IPI handler, under pgtable_lock or a caller's spinlock -
 * so it must never wait for another CPU: not through an IPI (that CPU may
 * have interrupts off while it waits for us, e.g. in this same slow path)
 * and not by spinning on a claim (the claim may belong to the code this
 * handler interrupted, on this very CPU). The list is claimed with the
 * same cmpxchg the owner's fast path uses, so the two can never both be
 * inside; a list claimed right now is in use and is left alone, and the
 * only lock taken is zone->lock, which nobody holds while waiting for
 * anything. Callers that need every page off the lists (offlining) drain
 * from each CPU in turn and retry (page_isolation.c).
 */
void drain_cpu_pages_of(unsigned int cpu, struct zone *zone)
{
	unsigned long flags;
	struct zone *z;
	int nid;

	flags = local_irq_save();
	for_each_online_node(nid) {
		for_each_zone_of(z, NODE_DATA(nid)) {
			struct per_cpu_pages *pcp = &z->pcp[cpu];

			if ((zone && z != zone) || !READ_ONCE(pcp->count))
				continue;
			if (!pcp_trylock(pcp))
				continue;
			free_pcppages_bulk(z, pcp, pcp->count);
			pcp_put(pcp);
		}
	}
	local_irq_restore(flags);
}

/*
 * Every CPU's lists, drained from here (Linux drains remote lists directly
 * under the pcp lock since 6.0 too). Safe in every context, see above.
 */
void drain_all_pages(struct zone *zone)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		drain_cpu_pages_of(cpu, zone);
}

/* ---- allocation ---- */

static inline struct page *rmqueue(struct zone *zone, unsigned int order, int mt)
{
	unsigned long flags;
	struct page *page;

	if (likely(order == 0))
		return rmqueue_pcplist(zone, mt);
	spin_lock_irqsave(&zone->lock, flags);
	page = __rmqueue(zone, order, mt);
	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

static inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	page_buddy_to_allocated(page, order);
	/* No owner, not isolated; remember whether it may get an owner (mm/migrate.h). */
	page->_flags = (gfp & __GFP_MOVABLE) ? PG_gfp_movable : 0;
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

static struct page *alloc_from_node(int nid, gfp_t gfp, unsigned int order, int mt)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	struct zone *zone;
	struct page *page;

	/* Movable requests prefer ZONE_MOVABLE, keeping ZONE_NORMAL for what cannot move. */
	if (gfp & __GFP_MOVABLE) {
		zone = &pgdat->node_zones[ZONE_MOVABLE];
		if (zone->managed_pages) {
			page = rmqueue(zone, order, mt);
			if (page)
				return page;
		}
	}
	zone = &pgdat->node_zones[ZONE_NORMAL];
	if (zone->managed_pages)
		return rmqueue(zone, order, mt);
	return NULL;
}

static struct page *get_page_from_freelist(int nid, gfp_t gfp, unsigned int order)
{
	int mt = (gfp & __GFP_MOVABLE) ? MIGRATE_MOVABLE : MIGRATE_UNMOVABLE;
	struct page *page;
	int n;

	page = alloc_from_node(nid, gfp, order, mt);
	if (likely(page) || (gfp & __GFP_THISNODE))
		return page;
	for_each_online_node(n) {
		if (n == nid)
			continue;
		page = alloc_from_node(n, gfp, order, mt);
		if (page)
			return page;
	}
	return NULL;
}

static bool (*grow_hook)(int nid);

/* Deferred init (mm/deferred_init.c) lends the allocator its next chunk through this. */
void page_alloc_set_grow_hook(bool (*hook)(int nid))
{
	grow_hook = hook;
}

/* OOM message rate limit: a one-second window. */
static uint64_t oom_window_start;
static unsigned int oom_printed, oom_suppressed;

static void warn_alloc(int nid, gfp_t gfp, unsigned int order)
{
	uint64_t now = ktime_get_ns();
	const char *zone = (gfp & __GFP_MOVABLE) ? "Movable/Normal" : "Normal";

	if (now - oom_window_start >= 1000000000ull || oom_window_start == 0) {
		if (oom_suppressed)
			pr_warn("page allocation failure: %u messages suppressed\n", oom_suppressed);
		oom_window_start = now ? now : 1;
		oom_printed = oom_suppressed = 0;
	}
	if (oom_printed >= OOM_MESSAGES_PER_SEC) {
		oom_suppressed++;
		return;
	}
	oom_printed++;
	pr_warn("page allocation failure: node %d zone %s order %u gfp %#x%s: out of memory (%lu pages free)\n",
		nid, zone, order, gfp, (gfp & __GFP_THISNODE) ? " (this node only)" : "",
		nr_free_pages());
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		pr_warn("page allocation failure: order %u > MAX_PAGE_ORDER %d (node %d)\n",
			order, MAX_PAGE_ORDER, nid);
		if (gfp & __GFP_NOFAIL)
			panic("alloc_pages: __GFP_NOFAIL with order %u > %d", order, MAX_PAGE_ORDER);
		return NULL;
	}
	if (unlikely(fail_page_alloc_nth) && --fail_page_alloc_nth == 0)
		return NULL;	/* injected by a test */
	if (unlikely(!node_has_pgdat(nid)))
		nid = node_has_pgdat(numa_node_id()) ? numa_node_id() : first_online_node();
	if (unlikely(nid >= MAX_NUMNODES)) {
		if (gfp & __GFP_NOFAIL)
			panic("alloc_pages: no memory node is online yet (order %u)", order);
		return NULL;
	}
	page = get_page_from_freelist(nid, gfp, order);
	if (likely(page))
		goto got;
	/* Slow path: boot memory deferred init has not reached yet can be had now... */
	while (grow_hook && grow_hook(nid)) {
		page = get_page_from_freelist(nid, gfp, order);
		if (page)
			goto got;
	}
	/* ...and free pages may sit on other CPUs' lists. */
	drain_all_pages(NULL);
	page = get_page_from_freelist(nid, gfp, order);
	if (page)
		goto got;
	if (gfp & __GFP_NOFAIL)
		panic("alloc_pages: __GFP_NOFAIL allocation of order %u on node %d failed: out of memory",
		      order, nid);
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(nid, gfp, order);
	return NULL;
got:
	prep_new_page(page, order, gfp);
	return page;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(numa_node_id(), gfp, order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

/* ---- freeing ---- */

static __noreturn void bad_free_order(struct page *page, unsigned int order)
{
	panic("__free_pages: pfn %#lx freed with order %u but allocated with order %u",
	      page_to_pfn(page), order, page->order);
}

/*
 * A reference going away. Two kinds of bug are caught here, loudly,
 * because either would hand a page to the buddy that somebody still uses:
 *   - the last ordinary reference of a pinned page (refcount bias + 1,
 *     mm/migrate.h): a device may still write to it, so it is never freed;
 *   - the last reference of a page isolated for migration: the migration
 *     core holds one of its own while the page is isolated, so only a
 *     refcount bug gets here.
 * The last reference clears the owner and flags (PG_movable, _owner[2]):
 * a page back in the buddy has no owner whose callbacks anyone could call.
 */
void __free_pages(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	int ref = page_ref_count(page);

	if (unlikely(ref <= 0))
		panic("__free_pages: pfn %#lx (%s, order %u) freed with refcount %d: double free?",
		      pfn, page_type_name(page_type(page)), order, ref);
	if (unlikely(ref == GUP_PIN_COUNTING_BIAS + 1))
		panic("__free_pages: pfn %#lx (%s, order %u) is pinned (refcount %d): its last "
		      "reference dropped while a pin holds it; unpin_page() first",
		      pfn, page_type_name(page_type(page)), order, ref);
	if (!page_ref_dec_and_test(page))
		return;
	if (unlikely(page->order != order))
		bad_free_order(page, order);
	if (unlikely(page->_flags & PG_isolated))
		panic("__free_pages: pfn %#lx freed while isolated for migration (owner %s)",
		      pfn, (page->_flags & PG_movable) ?
		      ((const struct movable_operations *)page->_owner[2])->name : "none");
	page->_flags = 0;
	page->_owner[2] = 0;
	if (likely(order == 0)) {
		free_unref_page(page, pfn);
		return;
	}
	page_allocated_to_tail(page);
	free_one_page(page_zone(page), page, pfn, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/* ---- handing fresh memory to the buddy ---- */

void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order, i;

	for (i = 0; i < nr; i++)
		page_offline_to_tail(page + i);
	adjust_managed_page_count(page_zone(page), nr);
	free_one_page(page_zone(page), page, page_to_pfn(page), order);
}

/*
 * Free [pfn, end_pfn) whose pages were stamped Tail with refcount 0 when
 * their memmap was initialized (boot RAM, mm_init.c): only block heads are
 * touched.
 */
void free_pages_core_range_prepared(unsigned long pfn, unsigned long end_pfn)
{
	while (pfn < end_pfn) {
		unsigned int order = pfn ? min((unsigned int)__builtin_ctzl(pfn), (unsigned int)MAX_PAGE_ORDER)
					 : MAX_PAGE_ORDER;
		struct page *page;

		while (pfn + (1UL << order) > end_pfn)
			order--;
		page = pfn_to_page(pfn);
		VM_BUG_ON(page->type != PGTY_TAIL || page->refcount);
		adjust_managed_page_count(page_zone(page), 1L << order);
		free_one_page(page_zone(page), page, pfn, order);
		pfn += 1UL << order;
	}
}

/* ---- offlining ---- */

/* What may stay in an isolated range being offlined; *step is the pages the entry covers. */
static bool page_offlinable(const struct page *page, unsigned long *step)
{
	*step = 1;
	switch (page->type) {
	case PGTY_BUDDY:
		if (page->buddy_where != PAGE_ON_FREELIST)
			return false;	/* still on a per-CPU list: the caller drains and retries */
		*step = 1UL << page->order;
		return true;
	case PGTY_OFFLINE:
		return page_ref_count(page) == 0;
	case PGTY_VMEMMAP_SELF_HOSTED:
	case PGTY_HWPOISON:	/* never managed; goes with the block, as in Linux */
		return true;
	default:
		return false;
	}
}

long offline_isolated_pages(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn,
			    unsigned long *busy_pfn)
{
	unsigned long pfn, step, flags, taken = 0, i;

	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = start_pfn; pfn < end_pfn; pfn += step) {
		if (!page_offlinable(pfn_to_page(pfn), &step)) {
			spin_unlock_irqrestore(&zone->lock, flags);
			*busy_pfn = pfn;
			return -EBUSY;
		}
	}
	for (pfn = start_pfn; pfn < end_pfn; pfn += step) {
		struct page *page = pfn_to_page(pfn);

		step = 1;
		if (page->type != PGTY_BUDDY)
			continue;
		step = 1UL << page->order;
		del_page_from_free_list(page, zone, page->order);
		page_buddy_to_offline(page);
		for (i = 1; i < step; i++)
			page_tail_to_offline(page + i);
		taken += step;
	}
	adjust_managed_page_count(zone, -(long)taken);
	spin_unlock_irqrestore(&zone->lock, flags);
	return (long)taken;
}

/* ---- taking free pages for alloc_contig_range and soft_offline_page ---- */

/*
 * Turn the order-0 piece at pfn of a Tail run into a page off every list
 * (Buddy, PAGE_OFF_LIST): the only way from Tail to a head is Buddy.
 */
static inline void tail_to_taken(struct page *page)
{
	page_tail_to_buddy(page, 0, MIGRATE_ISOLATE, PAGE_OFF_LIST);
}

/*
 * The head of the free block holding pfn - the pfn itself or an aligned one
 * below - with *head its pfn; NULL when pfn lies in no free block. Caller
 * holds the zone lock.
 */
static struct page *free_block_head(unsigned long pfn, unsigned long *head)
{
	unsigned int o;

	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);
		struct page *page = pfn_to_page(h);

		if (page->type == PGTY_BUDDY && page->order >= o) {
			*head = h;
			return page;
		}
		if (page->type != PGTY_TAIL)
			return NULL;	/* not inside a block: stop looking */
	}
	return NULL;
}

long isolate_freepages_range(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn,
			     unsigned long *busy_pfn)
{
	unsigned long pfn, flags, i;

	spin_lock_irqsave(&zone->lock, flags);
	/* All or nothing: every page of the range in a free block on a free list of this zone. */
	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned long head = pfn;
		struct page *page = free_block_head(pfn, &head);

		if (!page || head + (1UL << page->order) <= pfn ||
		    page->buddy_where != PAGE_ON_FREELIST || page_zone(page) != zone) {
			spin_unlock_irqrestore(&zone->lock, flags);
			*busy_pfn = pfn;
			return -EBUSY;
		}
		pfn = head + (1UL << page->order);
	}
	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned long head = pfn, nr;
		struct page *page = free_block_head(pfn, &head);	/* found by the pass above */

		nr = 1UL << page->order;
		del_page_from_free_list(page, zone, page->order);
		page_buddy_to_tail(page);
		for (i = 0; i < nr; i++) {
			struct page *p = page + i;

			if (head + i >= start_pfn && head + i < end_pfn) {
				tail_to_taken(p);
				page_buddy_to_allocated(p, 0);
				p->_flags = 0;
			} else {	/* outside the range: back to its (isolated) pageblock's list */
				__free_one_page(p, head + i, zone, 0, get_pageblock_migratetype(head + i));
			}
		}
		pfn = head + nr;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return (long)(end_pfn - start_pfn);
}

int take_page_off_buddy(struct page *page)
{
	unsigned long pfn = page_to_pfn(page), head = pfn, flags;
	struct zone *zone = page_zone(page);
	struct page *hp;
	unsigned int order;
	int ret = -EBUSY;

	spin_lock_irqsave(&zone->lock, flags);
	hp = free_block_head(pfn, &head);
	if (!hp || head + (1UL << hp->order) <= pfn || page_zone(hp) != zone)
		goto out;
	if (hp->buddy_where != PAGE_ON_FREELIST) {
		ret = -EAGAIN;		/* on a per-CPU list: the caller drains and asks again */
		goto out;
	}
	order = hp->order;
	del_page_from_free_list(hp, zone, order);
	page_buddy_to_tail(hp);
	/* Halve around pfn: each half without it goes back to the lists of its pageblock. */
	while (order > 0) {
		unsigned long half;

		order--;
		half = (pfn & (1UL << order)) ? head : head + (1UL << order);
		if (half == head)
			head += 1UL << order;
		__free_one_page(pfn_to_page(half), half, zone, order, get_pageblock_migratetype(half));
	}
	tail_to_taken(page);
	page_buddy_to_hwpoison(page);
	adjust_managed_page_count(zone, -1);
	ret = 0;
out:
	spin_unlock_irqrestore(&zone->lock, flags);
	return ret;
}

unsigned int take_free_blocks(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn,
			      uint16_t *blocks, unsigned int max)
{
	unsigned long pfn, flags;
	unsigned int n = 0;

	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = start_pfn; pfn < end_pfn && n < max;) {
		struct page *page = pfn_to_page(pfn);
		unsigned long nr = 1;

		if (page_type_is_head(page_type(page)))
			nr = 1UL << page->order;
		if (page->type == PGTY_BUDDY && page->buddy_where == PAGE_ON_FREELIST &&
		    page->buddy_mt != MIGRATE_ISOLATE && page_zone(page) == zone && pfn + nr <= end_pfn) {
			unsigned int order = page->order;

			del_page_from_free_list(page, zone, order);
			page_buddy_to_allocated(page, order);
			page->_flags = 0;
			blocks[n++] = (uint16_t)((pfn - start_pfn) | ((unsigned long)order << 11));
		}
		pfn += nr;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return n;
}

void split_page(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order, i;

	if (unlikely(page_type(page) != PGTY_ALLOCATED || page->order != order || page_ref_count(page) != 1))
		panic("split_page: pfn %#lx (%s, order %u, refcount %d) is not an order-%u block held once",
		      page_to_pfn(page), page_type_name(page_type(page)), page->order, page_ref_count(page),
		      order);
	page->order = 0;
	for (i = 1; i < nr; i++) {
		tail_to_taken(page + i);
		page_buddy_to_allocated(page + i, 0);
		page[i]._flags = page->_flags;
	}
}

void page_poison_allocated(struct page *page)
{
	if (unlikely(page->order || page_ref_count(page) != 1 || (page->_flags & PG_isolated)))
		panic("page_poison_allocated: pfn %#lx (%s, order %u, refcount %d) is still in use",
		      page_to_pfn(page), page_type_name(page_type(page)), page->order, page_ref_count(page));
	page_allocated_to_hwpoison(page);
	adjust_managed_page_count(page_zone(page), -1);
}

void page_take_offline(struct page *page)
{
	if (unlikely(page->order))
		panic("page_take_offline: pfn %#lx is an order-%u block; drivers take order-0 pages",
		      page_to_pfn(page), page->order);
	__page_allocated_to_offline(page);
	adjust_managed_page_count(page_zone(page), -1);
}

void free_reserved_page(struct page *page)
{
	page_reserved_to_tail(page);
	adjust_managed_page_count(page_zone(page), 1);
	free_one_page(page_zone(page), page, page_to_pfn(page), 0);
}

/* ---- introspection ---- */

void zone_free_counts(struct zone *zone, unsigned long counts[NR_PAGE_ORDERS][MIGRATE_TYPES])
{
	unsigned long flags;
	unsigned int o;
	int mt;

	spin_lock_irqsave(&zone->lock, flags);
	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			unsigned long n = 0;
			struct page *p;

			for (p = zone->free_area[o].free_list[mt]; p; p = p->next)
				n++;
			counts[o][mt] = n;
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

void page_alloc_reset(void)
{
	buddy_ready = false;
	fail_page_alloc_nth = 0;
	grow_hook = NULL;
	oom_window_start = 0;
	oom_printed = oom_suppressed = 0;
}
