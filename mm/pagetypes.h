/* SPDX-License-Identifier: MIT */
/*
 * DOC: pagetypes.h - the pfn walker: pages per type, zone and node, and the invariants
 *
 * pagetypes_walk() visits every struct page of every section whose memmap
 * is fully initialized, and the self-hosted vmemmap pages of offline
 * hot-added sections (SECTION_MEMMAP_PARTIAL: the rest of their memmap is
 * not in use); others are counted as skipped. It visits every free and
 * per-CPU list, counts pages per (node, zone, type) - a block counts all its
 * 2^order pages for its head's type - and checks:
 *   - each page has a known type; Tail pages only inside a block;
 *   - block heads are aligned to their order, their tails share the zone;
 *   - each Buddy page is on exactly the list its order and migratetype say
 *     (free list mt == its pageblock's type) or on a pcp list, and the lists
 *     hold nothing else; no free block overlaps another;
 *   - free lists add up to zone->free_pages, pcp lists to their counts;
 *   - allocated heads hold a reference, free pages none;
 *   - owners only on order-0 Allocated pages allocated movable, no page
 *     left isolated for migration, pins only on Allocated pages,
 *     HWPoison pages with their one reference (mm/migrate.h);
 *   - a page in a hot-added section (its memmap not from memblock) is on
 *     the node the section was added for (nodes with no boot memory, and
 *     nodes that hotplug created, included);
 *   - a page with RAM lies inside its zone's span (spans are hulls: zones of
 *     a node may interleave, e.g. ZONE_NORMAL vmemmap pages at the start of
 *     a movable block); Reserved only where
 *     memblock reserved, NoMemory only where memblock has no RAM;
 *   - ZONE_DEVICE holds only Device pages and their self-hosted memmap; a
 *     Device page holds a reference and lies in the range and on the node
 *     of the dev_pagemap it names (mm/memremap.h);
 *   - when nothing was skipped: per zone, present == every page but holes
 *     (0 for ZONE_DEVICE: device memory is not RAM), managed == Buddy +
 *     Allocated + PageTable + Slab.
 * The first violation is kept as text (pfn, node, zone, what was expected).
 * The walk assumes nobody allocates meanwhile (the shell and self-tests run
 * it on a quiet system).
 */
#ifndef HOTMM_MM_PAGETYPES_H
#define HOTMM_MM_PAGETYPES_H

#include "mm/mmzone.h"

struct pagetypes_result {
	unsigned long count[MAX_NUMNODES][MAX_NR_ZONES][NR_PAGE_TYPES];
	unsigned long pages_walked;
	unsigned long sections_walked;
	unsigned long sections_skipped;	/* present, memmap not (fully) initialized */
	unsigned long violations;
	char first_violation[256];
};

/* Walk everything; returns the number of violations (0: clean). */
unsigned long pagetypes_walk(struct pagetypes_result *res);

#endif
