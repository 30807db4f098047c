/* SPDX-License-Identifier: MIT */
/*
 * DOC: page_isolation.c - pageblock isolation for offlining
 *
 * See page_isolation.h. Isolation is per pageblock, under the zone lock, so
 * a concurrent free either lands before (and is moved to the isolate list
 * with its block) or after (and sees the ISOLATE type). The per-CPU drain
 * is the one place hotplug needs other CPUs: in the kernel an IPI to each
 * online CPU, on the host (one thread playing every CPU) a plain loop.
 */
#include "mm/page_isolation.h"
#include "mm/page_alloc.h"
#include "mm/sparse.h"
#include "kernel/printk.h"
#ifndef HOTMM_HOST
#include "arch/x86_64/smp.h"
#endif

void start_isolate_page_range(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn, flags;

	for (pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		spin_lock_irqsave(&zone->lock, flags);
		move_freepages_block(zone, pfn, MIGRATE_ISOLATE);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

void undo_isolate_page_range(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn, int mt)
{
	unsigned long pfn, flags;

	for (pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		spin_lock_irqsave(&zone->lock, flags);
		move_freepages_block(zone, pfn, mt);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

bool page_range_isolated(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn;

	for (pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages)
		if (get_pageblock_migratetype(pfn) != MIGRATE_ISOLATE)
			return false;
	return true;
}

#ifdef HOTMM_HOST
void drain_all_pages_sync(struct zone *zone)
{
	drain_all_pages(zone);
}
#else
static void drain_local_ipi(void *arg)
{
	drain_local_pages(arg);
}

void drain_all_pages_sync(struct zone *zone)
{
	if (num_online_cpus() <= 1) {
		drain_local_pages(zone);
		return;
	}
	if (on_each_cpu(drain_local_ipi, zone))
		pr_warn("page_isolation: a CPU did not answer the drain IPI; its per-CPU pages stay\n");
}
#endif
