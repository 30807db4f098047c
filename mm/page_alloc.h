/* SPDX-License-Identifier: MIT */
/*
 * DOC: page_alloc.h - the buddy allocator's interface inside mm/
 *
 * What memmap init, hotplug and the introspection code need from the buddy
 * beyond gfp.h: handing fresh ranges over, draining per-CPU lists, and
 * looking at free lists under the zone lock.
 */
#ifndef HOTMM_MM_PAGE_ALLOC_H
#define HOTMM_MM_PAGE_ALLOC_H

#include "mm/gfp.h"
#include "mm/mmzone.h"

/* True once the early region is in the buddy: allocate with alloc_pages(), not memblock. */
extern bool buddy_ready;

/*
 * Give a block of 2^order freshly initialized pages (all Offline, one
 * zone, one migratetype's pageblocks) to the buddy for good: each page
 * loses Offline and its reference, the zone's managed count grows.
 */
void __free_pages_core(struct page *page, unsigned int order);
/* The same for a pfn range of Offline pages, in the largest blocks alignment allows. */
/* Free a range whose pages were stamped Tail, refcount 0 (boot RAM): block heads only. */
void free_pages_core_range_prepared(unsigned long pfn, unsigned long end_pfn);

/* Give back this CPU's (or every CPU's) per-CPU pages of every zone. */
void drain_local_pages(struct zone *zone);
void drain_cpu_pages_of(unsigned int cpu, struct zone *zone);
void drain_all_pages(struct zone *zone);

/*
 * Pageblock isolation (mm/page_isolation.c): move the free blocks of the
 * pageblock holding pfn to the lists of new_mt and retype the pageblock.
 * Caller holds zone->lock.
 */
void move_freepages_block(struct zone *zone, unsigned long pfn, int new_mt);

/*
 * Offlining [start_pfn, end_pfn) of zone, all pageblocks isolated: under
 * zone->lock, check that every page is a free block on a free list, an
 * Offline page with refcount 0 (a driver let it go) or VmemmapSelfHosted;
 * then take every free block out of the buddy (its pages become Offline)
 * and shrink managed_pages by what was taken - only that: Offline pages
 * were never managed or left managed when a driver took them
 * (page_take_offline()). Returns the pages taken, or
 * -EBUSY with *busy_pfn set to the first page that is none of those (and
 * nothing changed).
 */
long offline_isolated_pages(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn,
			    unsigned long *busy_pfn);

/*
 * alloc_contig_range (mm/migrate.c): under zone->lock, check that every
 * page of [start_pfn, end_pfn) lies in a free block on a free list of
 * zone; then take them all: each becomes an order-0 Allocated page,
 * refcount 1, and the parts of those blocks outside the range go back to
 * the free lists. The pageblocks must be isolated (nothing allocates from
 * them meanwhile). Returns the pages taken, or -EBUSY with *busy_pfn the
 * first page that is not free (and nothing changed).
 */
long isolate_freepages_range(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn,
			     unsigned long *busy_pfn);

/*
 * soft_offline_page of a free page: take it out of its free block (the
 * rest of the block stays free, split around it) and make it HWPoison,
 * leaving managed_pages. 0; -EAGAIN when it sits on a per-CPU list (drain
 * and ask again); -EBUSY when it is not free.
 */
int take_page_off_buddy(struct page *page);

/*
 * The memory tester's claim on free memory (mm/memtest_shell.c): under
 * zone->lock, take every free block on a free list of @zone (not an
 * isolated pageblock's) lying wholly inside [start_pfn, end_pfn) - at most
 * MAX_ORDER_NR_PAGES pfns, memmap in use - off its list. Each becomes an
 * Allocated block of its order, refcount 1, that nobody else knows of;
 * blocks[i] is its offset from start_pfn | order << 11. Returns how many
 * (at most @max). Give them back with __free_pages().
 */
unsigned int take_free_blocks(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn,
			      uint16_t *blocks, unsigned int max);
/* Linux's split_page: an Allocated order-@order block held once becomes 2^order order-0 pages, each held once. */
void split_page(struct page *page, unsigned int order);

/* The same for an order-0 Allocated page nobody else holds (refcount 1): migrated away. */
void page_poison_allocated(struct page *page);

/*
 * Fault injection for tests: when nonzero, the fail_page_alloc_nth-th page
 * allocation from now fails (returns NULL silently) and the counter stops.
 */
extern unsigned long fail_page_alloc_nth;

/*
 * Fake offline (Linux: a balloon's __SetPageOffline() plus
 * adjust_managed_page_count(page, -1)): a driver takes an allocated
 * order-0 page for itself. It becomes Offline, refcount 1, and leaves
 * managed_pages at once - managed counts only what the buddy owns - so
 * offlining its block (which takes it as an Offline page once the driver
 * dropped the reference, leaving managed alone) and giving it back through
 * generic_online_page() (managed grows by one) both stay exact.
 */
void page_take_offline(struct page *page);

/* A Reserved page (boot memory) joins the buddy for good: managed grows by one. */
void free_reserved_page(struct page *page);

/* Free blocks of the zone per order and migratetype (under the zone lock). */
void zone_free_counts(struct zone *zone, unsigned long counts[NR_PAGE_ORDERS][MIGRATE_TYPES]);

/* Rate-limited OOM messages print at most this many per second. */
#define OOM_MESSAGES_PER_SEC	5

/* Host tests: forget the allocator state. */
void page_alloc_reset(void);

/* Called by an allocation that finds no page before it gives up: true if it made some. */
void page_alloc_set_grow_hook(bool (*hook)(int nid));

#endif
