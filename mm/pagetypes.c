/* SPDX-License-Identifier: MIT */
/*
 * DOC: pagetypes.c - page type names, bad-transition reports, and the walker
 *
 * See pagetypes.h for what the walker checks. It is written to be obviously
 * right rather than fast: one pass over the pfns, one over the lists, then
 * the sums (and, per page, owners, pins and HWPoison: walk_owner()).
 * Counting pages per type is also what `meminfo` reports from,
 * so the numbers users see are the numbers the checker verified.
 */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include "mm/pagetypes.h"
#include "mm/page_alloc.h"
#include "mm/migrate.h"
#include "mm/sparse.h"
#include "mm/memblock.h"
#include "mm/memremap.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

static const char *const page_type_names[NR_PAGE_TYPES] = {
	[PGTY_UNINIT]			= "Uninit",
	[PGTY_NOMEMORY]			= "NoMemory",
	[PGTY_RESERVED]			= "Reserved",
	[PGTY_OFFLINE]			= "Offline",
	[PGTY_BUDDY]			= "Buddy",
	[PGTY_TAIL]			= "Tail",
	[PGTY_ALLOCATED]		= "Allocated",
	[PGTY_PAGETABLE]		= "PageTable",
	[PGTY_SLAB]			= "Slab",
	[PGTY_VMEMMAP_SELF_HOSTED]	= "VmemmapSelfHosted",
	[PGTY_HWPOISON]			= "HWPoison",
	[PGTY_DEVICE]			= "Device",
};

const char *page_type_name(enum page_type type)
{
	return (unsigned int)type < NR_PAGE_TYPES ? page_type_names[type] : "?";
}

void page_bad_type(const struct page *page, enum page_type want, enum page_type to)
{
	panic("page type: pfn %#lx is %s (type %u, order %u, refcount %d, node %u zone %u), "
	      "expected %s to become %s",
	      page_to_pfn(page), page_type_name(page->type), page->type, page->order,
	      page->refcount, page->nid, page->zone_idx, page_type_name(want), page_type_name(to));
}

static void __printf(2, 3) violation(struct pagetypes_result *res, const char *fmt, ...)
{
	va_list ap;

	if (res->violations++)
		return;
	va_start(ap, fmt);
	vsnprintf(res->first_violation, sizeof(res->first_violation), fmt, ap);
	va_end(ap);
}

static bool zone_ok(const struct page *page)
{
	return node_has_pgdat(page->nid) && page->zone_idx < MAX_NR_ZONES;
}

/* Check a block head and its tails; returns the block's page count. */
static unsigned long walk_block(struct pagetypes_result *res, unsigned long pfn, struct page *page,
				unsigned long *pcp_seen, unsigned long *free_seen)
{
	unsigned long nr, i;
	struct zone *zone = page_zone(page);

	if (page->order > MAX_PAGE_ORDER || !IS_ALIGNED(pfn, 1UL << page->order)) {
		violation(res, "pfn %#lx: %s head with order %u (misaligned or > %d)",
			  pfn, page_type_name(page->type), page->order, MAX_PAGE_ORDER);
		return 1;
	}
	nr = 1UL << page->order;
	for (i = 1; i < nr; i++) {
		const struct page *t = page + i;

		if (t->type != PGTY_TAIL || t->nid != page->nid || t->zone_idx != page->zone_idx) {
			violation(res, "pfn %#lx: %s inside the order-%u %s block at pfn %#lx (node %u zone %s)",
				  pfn + i, page_type_name(t->type), page->order,
				  page_type_name(page->type), pfn, page->nid, zone->name);
			return i;
		}
	}
	if (page->type == PGTY_BUDDY) {
		if (page->refcount != 0)
			violation(res, "pfn %#lx: free page with refcount %d", pfn, page->refcount);
		if (page->buddy_where == PAGE_ON_PCP) {
			if (page->order != 0)
				violation(res, "pfn %#lx: order-%u page on a per-CPU list", pfn, page->order);
			(*pcp_seen)++;
		} else {
			if (page->buddy_mt != get_pageblock_migratetype(pfn))
				violation(res, "pfn %#lx: order-%u free block on the %s list, its pageblock is %s",
					  pfn, page->order, migratetype_names[page->buddy_mt % MIGRATE_TYPES],
					  migratetype_names[get_pageblock_migratetype(pfn) % MIGRATE_TYPES]);
			*free_seen += nr;
		}
	} else if (page->refcount < 1) {
		violation(res, "pfn %#lx: %s block (order %u) with refcount %d",
			  pfn, page_type_name(page->type), page->order, page->refcount);
	}
	return nr;
}

/*
 * Owners, pins and HWPoison (mm/migrate.h, mm/page.h): an owner only on an
 * order-0 Allocated page allocated movable; nothing isolated for
 * migration on the quiet system the walk assumes; a pin (refcount at the
 * bias) only on an Allocated page; HWPoison holds its one reference and no
 * owner.
 */
static void walk_owner(struct pagetypes_result *res, unsigned long pfn, const struct page *page)
{
	enum page_type t = page_type(page);
	uint8_t flags = page->_flags;

	if ((flags & PG_movable) && (t != PGTY_ALLOCATED || page->order || !(flags & PG_gfp_movable) ||
				     !page->_owner[2]))
		violation(res, "pfn %#lx: %s page (order %u, flags %#x) has an owner", pfn,
			  page_type_name(t), page->order, flags);
	if (flags & PG_isolated)
		violation(res, "pfn %#lx: %s page still isolated for migration", pfn, page_type_name(t));
	if (page->refcount >= GUP_PIN_COUNTING_BIAS && t != PGTY_ALLOCATED)
		violation(res, "pfn %#lx: %s page pinned (refcount %d)", pfn, page_type_name(t), page->refcount);
	if (t == PGTY_HWPOISON && (page->refcount != 1 || (flags & PG_movable)))
		violation(res, "pfn %#lx: HWPoison page with refcount %d, flags %#x", pfn, page->refcount, flags);
}

/*
 * Device memory (mm/memremap.h): ZONE_DEVICE holds only Device pages and
 * the memmap hosted on the device; a Device page is in ZONE_DEVICE, holds
 * its idle reference and names the pagemap whose range and node it is in.
 */
static void walk_device(struct pagetypes_result *res, unsigned long pfn, const struct page *page)
{
	enum page_type t = page_type(page);
	const struct dev_pagemap *pg;

	if (page->zone_idx == ZONE_DEVICE && t != PGTY_DEVICE && t != PGTY_VMEMMAP_SELF_HOSTED) {
		violation(res, "pfn %#lx: %s page in ZONE_DEVICE (node %u)", pfn, page_type_name(t), page->nid);
		return;
	}
	if (t != PGTY_DEVICE)
		return;
	pg = page_pgmap(page);
	if (page->zone_idx != ZONE_DEVICE || page->refcount < 1)
		violation(res, "pfn %#lx: Device page in zone %s with refcount %d", pfn,
			  zone_names[page->zone_idx % MAX_NR_ZONES], page->refcount);
	else if (!pg || PFN_PHYS(pfn) < pg->range.start || PFN_PHYS(pfn) > pg->range.end ||
		 pg->nid != page->nid)
		violation(res, "pfn %#lx: Device page of node %u outside its pagemap (%s)", pfn, page->nid,
			  pg && pg->owner ? pg->owner : "none");
}

/*
 * The first nr_pages struct pages of section nr (all of it, or the in-use
 * prefix of an offline one). A hot-added section (memmap not from memblock)
 * belongs to one node, the one it was added for, whether or not that node
 * had boot memory: every page with RAM in it must say so. Boot sections may
 * straddle a node boundary and are not held to it.
 */
static void walk_section(struct pagetypes_result *res, unsigned long nr, unsigned long nr_pages,
			 unsigned long *pcp_seen, unsigned long *free_seen)
{
	const struct mem_section *ms = __nr_to_section(nr);
	unsigned long pfn = section_nr_to_pfn(nr), end = pfn + nr_pages;
	bool hot_added = !(ms->flags & SECTION_MEMMAP_BOOT);

	while (pfn < end) {
		struct page *page = pfn_to_page(pfn);
		enum page_type t = page_type(page);
		unsigned long n = 1;

		if (t == PGTY_UNINIT || t >= NR_PAGE_TYPES || !zone_ok(page)) {
			violation(res, "pfn %#lx: bad struct page (type %u node %u zone %u)",
				  pfn, page->type, page->nid, page->zone_idx);
			pfn++;
			continue;
		}
		if (t == PGTY_TAIL) {
			violation(res, "pfn %#lx: Tail page outside any block (node %u zone %u)",
				  pfn, page->nid, page->zone_idx);
		} else if (page_type_is_head(t)) {
			n = walk_block(res, pfn, page, pcp_seen, free_seen);
		} else if (t == PGTY_RESERVED) {
			if (!memblock_is_region_reserved(PFN_PHYS(pfn), PAGE_SIZE))
				violation(res, "pfn %#lx: Reserved but not reserved in memblock", pfn);
		} else if (t == PGTY_NOMEMORY) {
			if (memblock_is_region_memory(PFN_PHYS(pfn), PAGE_SIZE))
				violation(res, "pfn %#lx: NoMemory but memblock has RAM there", pfn);
		}
		walk_owner(res, pfn, page);
		walk_device(res, pfn, page);
		if (hot_added && t != PGTY_NOMEMORY && page->nid != ms->nid)
			violation(res, "pfn %#lx: %s page of node %u in a section hot-added on node %d",
				  pfn, page_type_name(t), page->nid, ms->nid);
		if (t != PGTY_NOMEMORY && !zone_spans_pfn(page_zone(page), pfn))
			violation(res, "pfn %#lx: %s page outside its zone node %u %s (pfn %#lx-%#lx)",
				  pfn, page_type_name(t), page->nid, page_zone(page)->name,
				  page_zone(page)->zone_start_pfn, zone_end_pfn(page_zone(page)));
		res->count[page->nid][page->zone_idx][t] += n;
		res->pages_walked += n;
		pfn += n;
	}
}

/* The lists side: every listed page is what the list says, counts agree. */
static void walk_lists(struct pagetypes_result *res, struct zone *zone,
		       unsigned long *listed_free, unsigned long *listed_pcp)
{
	unsigned long flags, pages = 0, limit = zone->spanned_pages + 1;
	unsigned int o, cpu;
	int mt;

	spin_lock_irqsave(&zone->lock, flags);
	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		unsigned long blocks = 0;

		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *p, *prev = NULL;

			for (p = zone->free_area[o].free_list[mt]; p; prev = p, p = p->next) {
				if (blocks++ > limit) {
					violation(res, "node %d %s: free list order %u %s loops",
						  zone->node, zone->name, o, migratetype_names[mt]);
					break;
				}
				if (p->type != PGTY_BUDDY || p->order != o || p->buddy_mt != mt ||
				    p->buddy_where != PAGE_ON_FREELIST || page_zone(p) != zone || p->prev != prev)
					violation(res, "node %d %s: pfn %#lx (%s order %u) on free list order %u %s",
						  zone->node, zone->name, page_to_pfn(p), page_type_name(p->type),
						  p->order, o, migratetype_names[mt]);
				pages += 1UL << o;
			}
		}
		if (blocks != zone->free_area[o].nr_free)
			violation(res, "node %d %s: order %u lists hold %lu blocks, nr_free says %lu",
				  zone->node, zone->name, o, blocks, zone->free_area[o].nr_free);
	}
	if (pages != zone->free_pages)
		violation(res, "node %d %s: free lists hold %lu pages, free_pages says %lu",
			  zone->node, zone->name, pages, zone->free_pages);
	*listed_free += pages;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct per_cpu_pages *pcp = &zone->pcp[cpu];
		unsigned long n = 0;

		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			struct page *p;

			for (p = pcp->lists[mt]; p && n <= limit; p = p->next, n++)
				if (p->type != PGTY_BUDDY || p->buddy_where != PAGE_ON_PCP ||
				    p->buddy_mt != mt || page_zone(p) != zone)
					violation(res, "node %d %s: pfn %#lx (%s) on cpu %u's %s pcp list",
						  zone->node, zone->name, page_to_pfn(p),
						  page_type_name(p->type), cpu, migratetype_names[mt]);
		}
		if (n != (unsigned long)pcp->count)
			violation(res, "node %d %s: cpu %u pcp lists hold %lu pages, count says %d",
				  zone->node, zone->name, cpu, n, pcp->count);
		*listed_pcp += n;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

static void check_zone_counts(struct pagetypes_result *res, struct zone *zone)
{
	unsigned long *c = res->count[zone->node][zone->zone_idx];
	unsigned long present = 0, managed;
	int t;

	for (t = 0; t < NR_PAGE_TYPES; t++)
		if (t != PGTY_NOMEMORY && t != PGTY_UNINIT)
			present += c[t];
	managed = c[PGTY_BUDDY] + c[PGTY_ALLOCATED] + c[PGTY_PAGETABLE] + c[PGTY_SLAB];
	/* Device memory is not RAM: as in Linux, never present nor managed. */
	if (zone->zone_idx == ZONE_DEVICE)
		present = 0;
	if (present != zone->present_pages)
		violation(res, "node %d %s: %lu pages with RAM, present_pages says %lu",
			  zone->node, zone->name, present, zone->present_pages);
	if (managed != zone_managed_pages(zone))
		violation(res, "node %d %s: %lu buddy-owned pages, managed_pages says %lu",
			  zone->node, zone->name, managed, zone_managed_pages(zone));
}

unsigned long pagetypes_walk(struct pagetypes_result *res)
{
	unsigned long first, end, nr, pcp_seen = 0, free_seen = 0, listed_free = 0, listed_pcp = 0;
	struct zone *zone;
	int nid;

	memset(res, 0, sizeof(*res));
	if (sparse_present_span(&first, &end)) {
		for (nr = first; nr < end; nr++) {
			struct mem_section *ms = __nr_to_section(nr);

			if (!ms || !(ms->flags & SECTION_MARKED_PRESENT))
				continue;
			if (!section_memmap_initialized(ms)) {
				/* Offline hot-added memory: only its self-hosted vmemmap pages are pages. */
				if ((ms->flags & SECTION_HAS_MEM_MAP) && (ms->flags & SECTION_MEMMAP_PARTIAL)) {
					res->sections_walked++;
					walk_section(res, nr, __atomic_load_n(&ms->init_pages, __ATOMIC_ACQUIRE),
						     &pcp_seen, &free_seen);
					continue;
				}
				res->sections_skipped++;
				continue;
			}
			res->sections_walked++;
			walk_section(res, nr, PAGES_PER_SECTION, &pcp_seen, &free_seen);
		}
	}
	for_each_online_node(nid)
		for_each_zone_of(zone, NODE_DATA(nid))
			walk_lists(res, zone, &listed_free, &listed_pcp);
	if (!res->sections_skipped) {
		if (free_seen != listed_free)
			violation(res, "%lu free pages in free blocks, %lu on the free lists", free_seen, listed_free);
		if (pcp_seen != listed_pcp)
			violation(res, "%lu pages marked per-CPU, %lu on pcp lists", pcp_seen, listed_pcp);
		for_each_online_node(nid)
			for_each_zone_of(zone, NODE_DATA(nid))
				check_zone_counts(res, zone);
	}
	return res->violations;
}
