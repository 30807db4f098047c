/* SPDX-License-Identifier: MIT */
/*
 * DOC: page_isolation.h - isolating pageblocks so a range can be taken out of the buddy
 *
 * Offlining first turns every pageblock of the range to MIGRATE_ISOLATE:
 * the free blocks there move to the isolate lists, which no allocation
 * takes from, and pages freed into an isolated pageblock go straight to the
 * zone's free lists, never to a per-CPU list (page_alloc.c). What is still
 * parked on per-CPU lists is drained by every CPU itself (an IPI), because
 * only the owning CPU may touch its lists while it allocates. After that the
 * free part of the range can only grow, so one check under the zone lock
 * decides whether the whole range can go.
 */
#ifndef HOTMM_MM_PAGE_ISOLATION_H
#define HOTMM_MM_PAGE_ISOLATION_H

#include "mm/mmzone.h"

/* [start_pfn, end_pfn) pageblock aligned, all of zone. */
void start_isolate_page_range(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn);
/* Back to migratetype mt (hot-added memory is MIGRATE_MOVABLE, as in Linux). */
void undo_isolate_page_range(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn, int mt);
/* Every online CPU gives back its per-CPU pages of zone (NULL: all zones), and waits for all. */
void drain_all_pages_sync(struct zone *zone);
/* Is every pageblock of the range isolated? (checks, tests) */
bool page_range_isolated(unsigned long start_pfn, unsigned long end_pfn);

#endif
