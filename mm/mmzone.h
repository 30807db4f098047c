/* SPDX-License-Identifier: MIT */
/*
 * DOC: mmzone.h - nodes (pg_data_t), zones, free areas and per-CPU lists
 *
 * Each node with memory has one pg_data_t, allocated from memblock on the
 * node itself, holding its zones: ZONE_NORMAL (kernel data, never unplugged),
 * ZONE_MOVABLE (hot-added memory that must stay removable) and ZONE_DEVICE
 * (memmap only, never in the buddy; used by the hotplug work).
 *
 * Counts, as in Linux, and exact at every moment (docs/memory-model.md):
 *   spanned_pages  pfns between zone_start_pfn and zone_end_pfn, holes included
 *   present_pages  pfns with RAM behind them that belong to the zone
 *   managed_pages  pages the buddy owns (free or allocated through it)
 * Present is changed only by the code that adds or removes memory, managed
 * only when pages enter or leave the buddy for good (__free_pages_core(),
 * offlining). Zones of a node may interleave (self-hosted vmemmap pages are
 * ZONE_NORMAL inside a movable block), so a span is a hull, not ownership:
 * a page belongs to the zone its struct page says.
 *
 * zone->lock protects the free lists and free counts. A per-CPU list is
 * touched only by whoever holds its `busy` claim (taken with cmpxchg, never
 * waited for): its own CPU on the fast path, or any CPU draining it
 * (drain_all_pages(), page_alloc.c).
 */
#ifndef HOTMM_MM_MMZONE_H
#define HOTMM_MM_MMZONE_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/spinlock.h"
#include "mm/memblock.h"
#include "mm/page.h"

#define MAX_PAGE_ORDER		10			/* largest block: 4 MiB */
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define pageblock_order		9			/* 2 MiB */
#define pageblock_nr_pages	(1UL << pageblock_order)

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_PCPTYPES,			/* the types with per-CPU lists */
	MIGRATE_ISOLATE = MIGRATE_PCPTYPES,	/* being offlined: never allocated from */
	MIGRATE_TYPES
};

enum zone_type {
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	MAX_NR_ZONES
};

struct free_area {
	struct page *free_list[MIGRATE_TYPES];	/* NULL-terminated, doubly linked via page->next/prev */
	unsigned long nr_free;			/* blocks, all migratetypes */
};

/* Order-0 pages a CPU keeps for itself; the hit path takes no lock. */
struct per_cpu_pages {
	int count;
	int high;		/* above this, give `batch` back to the zone */
	int batch;		/* pages moved to/from the zone at a time */
	int busy;		/* claim word: 1 while someone uses the lists (cmpxchg, page_alloc.c) */
	struct page *lists[MIGRATE_PCPTYPES];
} __aligned(64);		/* one cache line per CPU: no false sharing */

struct pglist_data;

struct zone {
	spinlock_t lock;
	int zone_idx;			/* enum zone_type */
	int node;
	const char *name;
	struct pglist_data *zone_pgdat;

	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;	/* atomic: deferred init adds from several CPUs */
	unsigned long free_pages;	/* on the free lists (pcp pages not counted), under lock */

	struct free_area free_area[NR_PAGE_ORDERS];
	struct per_cpu_pages pcp[NR_CPUS];
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;	/* hull of all zones */
	unsigned long node_present_pages;
} pg_data_t;

extern struct pglist_data *node_data[MAX_NUMNODES];
#define NODE_DATA(nid)	(node_data[nid])

extern const char *const zone_names[MAX_NR_ZONES];
extern const char *const migratetype_names[MIGRATE_TYPES];

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < zone_end_pfn(zone);
}

static inline bool zone_is_empty(const struct zone *zone) { return zone->spanned_pages == 0; }
static inline bool populated_zone(const struct zone *zone) { return zone->present_pages != 0; }
static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return __atomic_load_n(&zone->managed_pages, __ATOMIC_RELAXED);
}

static inline unsigned long pgdat_end_pfn(const pg_data_t *pgdat)
{
	return pgdat->node_start_pfn + pgdat->node_spanned_pages;
}

static inline struct zone *page_zone(const struct page *page)
{
	return &NODE_DATA(page->nid)->node_zones[page->zone_idx];
}

#define for_each_online_node(nid) \
	for (nid = first_online_node(); nid < MAX_NUMNODES; nid = next_online_node(nid))
#define for_each_zone_of(zone, pgdat) \
	for (zone = (pgdat)->node_zones; zone < (pgdat)->node_zones + MAX_NR_ZONES; zone++)

int first_online_node(void);
int next_online_node(int nid);
bool node_has_pgdat(int nid);
int num_online_nodes(void);
/* The node CPU `cpu` allocates from by default (0 until SRAT says otherwise). */
int cpu_to_node(unsigned int cpu);
void set_cpu_node(unsigned int cpu, int nid);
static inline int numa_node_id(void) { return cpu_to_node(smp_processor_id()); }

/* Boot: allocate pg_data_t of nid on nid, zones empty. */
pg_data_t *alloc_node_data(int nid);
/*
 * Undo alloc_node_data() of a node created by memory hotplug that got no
 * memory after all (its zones must be empty); boot nodes are never freed.
 */
void free_node_data(int nid);
/* Forget all nodes (host tests, between cases). */
void mmzone_reset(void);

/* Zone and node spans: grow to cover [start_pfn, start_pfn + nr_pages). */
void zone_span_grow(struct zone *zone, unsigned long start_pfn, unsigned long nr_pages);
/*
 * Shrink after [start_pfn, +nr_pages) left the zone: the new span is the
 * smallest hull of the remaining pages whose struct page names this zone.
 * Walks by section: the cost is one lookup per section of the old span
 * plus the struct pages read in the sections at the new edges. Returns how
 * many struct pages it read (for tests: the work must not grow with holes).
 */
unsigned long zone_span_shrink(struct zone *zone, unsigned long start_pfn, unsigned long nr_pages);
void adjust_present_page_count(struct zone *zone, long nr_pages);
void adjust_managed_page_count(struct zone *zone, long nr_pages);

/* Sums over every zone of every node. */
unsigned long totalram_pages(void);		/* managed */
unsigned long total_present_pages(void);
unsigned long nr_free_pages(void);		/* free lists + per-CPU lists */
unsigned long zone_pcp_count(const struct zone *zone);

#endif
