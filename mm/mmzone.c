/* SPDX-License-Identifier: MIT */
/*
 * DOC: mmzone.c - nodes and zones: creation, spans and page counts
 *
 * A node exists once alloc_node_data() gave it a pg_data_t; that happens at
 * boot for every node memblock knows memory of, and later for nodes that get
 * memory hot-added. The span and count helpers are the only writers of
 * spanned/present/managed, so the "exact at every moment" rule (docs/rules.md)
 * has one place to hold. Node totals follow their zones.
 */
#include <string.h>

#include "mm/mmzone.h"
#include "mm/sparse.h"
#include "mm/page_alloc.h"
#include "kernel/printk.h"

#define PGDAT_ORDER	3
BUILD_BUG_ON(sizeof(pg_data_t) > (PAGE_SIZE << PGDAT_ORDER));

struct pglist_data *node_data[MAX_NUMNODES];
static int cpu_node[NR_CPUS];

const char *const zone_names[MAX_NR_ZONES] = { "Normal", "Movable", "Device" };
const char *const migratetype_names[MIGRATE_TYPES] = { "Unmovable", "Movable", "Isolate" };

bool node_has_pgdat(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_data[nid] != NULL;
}

int next_online_node(int nid)
{
	for (nid++; nid < MAX_NUMNODES; nid++)
		if (node_data[nid])
			return nid;
	return MAX_NUMNODES;
}

int first_online_node(void)
{
	return next_online_node(-1);
}

int num_online_nodes(void)
{
	int nid, n = 0;

	for_each_online_node(nid)
		n++;
	return n;
}

int cpu_to_node(unsigned int cpu)
{
	return cpu < NR_CPUS ? cpu_node[cpu] : 0;
}

void set_cpu_node(unsigned int cpu, int nid)
{
	if (cpu < NR_CPUS && nid >= 0 && nid < MAX_NUMNODES)
		cpu_node[cpu] = nid;
}

static void zone_init(struct zone *zone, pg_data_t *pgdat, int idx)
{
	unsigned int cpu;

	memset(zone, 0, sizeof(*zone));
	spin_lock_init(&zone->lock);
	zone->zone_idx = idx;
	zone->node = pgdat->node_id;
	zone->name = zone_names[idx];
	zone->zone_pgdat = pgdat;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		/* Linux's defaults for a small zone: a batch fits in L1, high = 6 batches. */
		zone->pcp[cpu].batch = 31;
		zone->pcp[cpu].high = 6 * 31;
	}
}

pg_data_t *alloc_node_data(int nid)
{
	pg_data_t *pgdat;
	int i;

	if (nid < 0 || nid >= MAX_NUMNODES) {
		pr_err("mm: node %d out of range (MAX_NUMNODES %d)\n", nid, MAX_NUMNODES);
		return NULL;
	}
	if (node_data[nid])
		return node_data[nid];
	if (buddy_ready) {
		/* A node whose first memory is hot-added: memblock is closed by now. */
		struct page *page = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, PGDAT_ORDER);

		pgdat = page ? page_address(page) : NULL;
	} else {
		pgdat = memblock_alloc_node(sizeof(*pgdat), 64, nid);
	}
	if (!pgdat) {
		pr_err("mm: no memory for node %d's pg_data_t (%zu bytes)\n", nid, sizeof(*pgdat));
		return NULL;
	}
	memset(pgdat, 0, sizeof(*pgdat));
	pgdat->node_id = nid;
	for (i = 0; i < MAX_NR_ZONES; i++)
		zone_init(&pgdat->node_zones[i], pgdat, i);
	node_data[nid] = pgdat;
	return pgdat;
}

void free_node_data(int nid)
{
	pg_data_t *pgdat = node_has_pgdat(nid) ? node_data[nid] : NULL;
	struct zone *zone;

	if (!pgdat || !buddy_ready)
		return;
	for_each_zone_of(zone, pgdat)
		if (!zone_is_empty(zone) || zone_managed_pages(zone))
			return;
	node_data[nid] = NULL;
	__free_pages(virt_to_page(pgdat), PGDAT_ORDER);
}

void mmzone_reset(void)
{
	memset(node_data, 0, sizeof(node_data));
	memset(cpu_node, 0, sizeof(cpu_node));
}

static void pgdat_recompute_span(pg_data_t *pgdat)
{
	unsigned long start = ~0UL, end = 0;
	struct zone *zone;

	for_each_zone_of(zone, pgdat) {
		if (zone_is_empty(zone))
			continue;
		start = min(start, zone->zone_start_pfn);
		end = max(end, zone_end_pfn(zone));
	}
	if (end == 0) {
		pgdat->node_start_pfn = 0;
		pgdat->node_spanned_pages = 0;
	} else {
		pgdat->node_start_pfn = start;
		pgdat->node_spanned_pages = end - start;
	}
}

void zone_span_grow(struct zone *zone, unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long end_pfn = start_pfn + nr_pages;

	if (!nr_pages)
		return;
	if (zone_is_empty(zone)) {
		zone->zone_start_pfn = start_pfn;
		zone->spanned_pages = nr_pages;
	} else {
		unsigned long s = min(zone->zone_start_pfn, start_pfn);
		unsigned long e = max(zone_end_pfn(zone), end_pfn);

		zone->zone_start_pfn = s;
		zone->spanned_pages = e - s;
	}
	pgdat_recompute_span(zone->zone_pgdat);
}

/* Is this struct page one of `zone`'s, with RAM behind it? */
static bool page_in_zone(const struct zone *zone, const struct page *page)
{
	return page->nid == zone->node && page->zone_idx == zone->zone_idx &&
	       page->type != PGTY_NOMEMORY && page->type != PGTY_UNINIT;
}

/*
 * The struct pages of section nr that may be read, [*s, *e): all of a
 * present section whose memmap is initialized, the in-use prefix of an
 * offline hot-added one (SECTION_MEMMAP_PARTIAL), none otherwise - the same
 * rule as pfn_memmap_in_use(), asked once per section instead of per pfn.
 */
static bool section_memmap_range(unsigned long nr, unsigned long *s, unsigned long *e)
{
	const struct mem_section *ms = __nr_to_section(nr);
	unsigned int n;

	if (!ms || !(ms->flags & SECTION_MARKED_PRESENT) || !(ms->flags & SECTION_HAS_MEM_MAP))
		return false;
	n = __atomic_load_n(&ms->init_pages, __ATOMIC_ACQUIRE);
	*s = section_nr_to_pfn(nr);
	if (n >= PAGES_PER_SECTION)
		*e = *s + PAGES_PER_SECTION;
	else if (ms->flags & SECTION_MEMMAP_PARTIAL)
		*e = *s + n;
	else
		return false;
	return true;
}

/*
 * A section number whose root (SECTIONS_PER_ROOT sections) was never
 * allocated has no sections at all: skip the root in one step.
 */
static bool section_root_missing(unsigned long nr)
{
	return nr < NR_MEM_SECTIONS && !mem_section[nr / SECTIONS_PER_ROOT];
}

/*
 * The first pfn of zone in [start, end), or end (Linux:
 * find_smallest_section_pfn). Section by section, so a span with holes of
 * terabytes costs one lookup per section (per root where no root exists);
 * struct pages are read only inside sections that have a readable memmap,
 * and the scan stops at the first page of the zone. *read counts them.
 */
static unsigned long find_smallest_zone_pfn(const struct zone *zone, unsigned long start,
					    unsigned long end, unsigned long *read)
{
	unsigned long nr = pfn_to_section_nr(start), s, e, pfn;

	for (; start < end; nr++, start = section_nr_to_pfn(nr)) {
		if (section_root_missing(nr)) {
			nr = ALIGN(nr + 1, SECTIONS_PER_ROOT) - 1;
			continue;
		}
		if (!section_memmap_range(nr, &s, &e))
			continue;
		for (pfn = max(s, start); pfn < min(e, end); pfn++) {
			(*read)++;
			if (page_in_zone(zone, pfn_to_page(pfn)))
				return pfn;
		}
	}
	return end;
}

/* One past the last pfn of zone in [start, end), or start (Linux: find_biggest_section_pfn). */
static unsigned long find_biggest_zone_pfn(const struct zone *zone, unsigned long start,
					   unsigned long end, unsigned long *read)
{
	unsigned long nr, s, e, pfn;

	if (start >= end)
		return start;
	for (nr = pfn_to_section_nr(end - 1); end > start; end = section_nr_to_pfn(nr), nr--) {
		if (section_root_missing(nr)) {
			nr = ALIGN_DOWN(nr, SECTIONS_PER_ROOT);
			if (section_nr_to_pfn(nr) <= start || !nr)
				break;
			continue;
		}
		if (section_memmap_range(nr, &s, &e)) {
			for (pfn = min(e, end); pfn > max(s, start); pfn--) {
				(*read)++;
				if (page_in_zone(zone, pfn_to_page(pfn - 1)))
					return pfn;
			}
		}
		if (!nr)
			break;
	}
	return start;
}

unsigned long zone_span_shrink(struct zone *zone, unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long end_pfn = start_pfn + nr_pages;
	unsigned long zs = zone->zone_start_pfn, ze = zone_end_pfn(zone);
	unsigned long read = 0;

	if (zone_is_empty(zone) || !nr_pages)
		return 0;
	/* Only the edges move: a hole in the middle stays inside the hull. */
	if (start_pfn <= zs)
		zs = find_smallest_zone_pfn(zone, max(end_pfn, zs), ze, &read);
	if (end_pfn >= ze)
		ze = find_biggest_zone_pfn(zone, zs, min(start_pfn, ze), &read);
	if (zs >= ze) {
		zone->zone_start_pfn = 0;
		zone->spanned_pages = 0;
	} else {
		zone->zone_start_pfn = zs;
		zone->spanned_pages = ze - zs;
	}
	pgdat_recompute_span(zone->zone_pgdat);
	return read;
}

void adjust_present_page_count(struct zone *zone, long nr_pages)
{
	zone->present_pages += nr_pages;
	zone->zone_pgdat->node_present_pages += nr_pages;
}

void adjust_managed_page_count(struct zone *zone, long nr_pages)
{
	__atomic_add_fetch(&zone->managed_pages, nr_pages, __ATOMIC_RELAXED);
}

unsigned long zone_pcp_count(const struct zone *zone)
{
	unsigned long n = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		n += READ_ONCE(zone->pcp[cpu].count);
	return n;
}

unsigned long totalram_pages(void)
{
	unsigned long n = 0;
	struct zone *zone;
	int nid;

	for_each_online_node(nid)
		for_each_zone_of(zone, NODE_DATA(nid))
			n += zone_managed_pages(zone);
	return n;
}

unsigned long total_present_pages(void)
{
	unsigned long n = 0;
	int nid;

	for_each_online_node(nid)
		n += NODE_DATA(nid)->node_present_pages;
	return n;
}

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;
	struct zone *zone;
	int nid;

	for_each_online_node(nid)
		for_each_zone_of(zone, NODE_DATA(nid))
			n += READ_ONCE(zone->free_pages) + zone_pcp_count(zone);
	return n;
}
