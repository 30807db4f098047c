/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_shell.c - the memory core on the serial shell (kernel only)
 *
 * meminfo, buddyinfo, pagetypeinfo and zoneinfo print what /proc prints on
 * Linux, in the same layout, for the fields that exist here; pagetypes
 * prints the pfn walker's table and, with --check, fails on the first
 * broken invariant. Numbers come from the zone counters and from the
 * walker, never from a second bookkeeping of their own.
 */
#include <errno.h>
#include <string.h>

#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/sparse.h"
#include "mm/memremap.h"
#include "kernel/shell.h"
#include "mm/mm_init.h"

static struct pagetypes_result walk;	/* 18 KiB: too big for a stack; the shell is one CPU */

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

static unsigned long sum_type(const struct pagetypes_result *r, enum page_type t)
{
	unsigned long n = 0;
	int nid, z;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			n += r->count[nid][z][t];
	return n;
}

static unsigned long sum_zone(const struct pagetypes_result *r, enum zone_type z)
{
	unsigned long n = 0;
	int nid, t;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		for (t = 0; t < NR_PAGE_TYPES; t++)
			n += r->count[nid][z][t];
	return n;
}

static void show_val_kb(const char *name, unsigned long pages)
{
	shell_printf("%-16s%8lu kB\n", name, K(pages));
}

static int cmd_meminfo(int argc, char **argv)
{
	unsigned long total = totalram_pages(), free = nr_free_pages();

	pagetypes_walk(&walk);
	show_val_kb("MemTotal:", total);
	show_val_kb("MemFree:", free);
	show_val_kb("MemAvailable:", free);
	show_val_kb("Slab:", sum_type(&walk, PGTY_SLAB));
	show_val_kb("PageTables:", sum_type(&walk, PGTY_PAGETABLE));
	show_val_kb("HardwareCorrupted:", sum_type(&walk, PGTY_HWPOISON));
	/* Not in Linux's file: what the memmap says the rest of RAM is. */
	show_val_kb("MemPresent:", total_present_pages());
	show_val_kb("Reserved:", sum_type(&walk, PGTY_RESERVED));
	show_val_kb("Allocated:", sum_type(&walk, PGTY_ALLOCATED));
	show_val_kb("Offline:", sum_type(&walk, PGTY_OFFLINE));
	show_val_kb("VmemmapSelfHosted:", sum_type(&walk, PGTY_VMEMMAP_SELF_HOSTED));
	/* Device memory (ZONE_DEVICE, mm/memremap.h): not RAM, in none of the totals above. */
	show_val_kb("DeviceMem:", sum_zone(&walk, ZONE_DEVICE));
	show_val_kb("DeferredInit:", deferred_pages_pending());	/* boot RAM still being initialized */
	if (walk.sections_skipped)
		shell_printf("(%lu sections not initialized yet are not counted)\n", walk.sections_skipped);
	return 0;
}
SHELL_COMMAND(meminfo, cmd_meminfo, "", "memory totals, as /proc/meminfo");

static int cmd_buddyinfo(int argc, char **argv)
{
	struct zone *zone;
	unsigned int o;
	int nid;

	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			if (!zone_managed_pages(zone))
				continue;
			shell_printf("Node %d, zone %8s ", nid, zone->name);
			for (o = 0; o < NR_PAGE_ORDERS; o++)
				shell_printf("%6lu ", READ_ONCE(zone->free_area[o].nr_free));
			shell_printf("\n");
		}
	}
	return 0;
}
SHELL_COMMAND(buddyinfo, cmd_buddyinfo, "", "free blocks per order, as /proc/buddyinfo");

static int cmd_pagetypeinfo(int argc, char **argv)
{
	static unsigned long counts[NR_PAGE_ORDERS][MIGRATE_TYPES];
	struct zone *zone;
	unsigned int o;
	int nid, mt;

	shell_printf("Page block order: %d\nPages per block:  %lu\n\n", pageblock_order, pageblock_nr_pages);
	shell_printf("Free pages count per migrate type at order ");
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		shell_printf("%6u ", o);
	shell_printf("\n");
	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			if (!zone_managed_pages(zone))
				continue;
			zone_free_counts(zone, counts);
			for (mt = 0; mt < MIGRATE_TYPES; mt++) {
				shell_printf("Node %4d, zone %8s, type %12s ", nid, zone->name, migratetype_names[mt]);
				for (o = 0; o < NR_PAGE_ORDERS; o++)
					shell_printf("%6lu ", counts[o][mt]);
				shell_printf("\n");
			}
		}
	}
	shell_printf("\nNumber of blocks type    ");
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		shell_printf(" %12s", migratetype_names[mt]);
	shell_printf("\n");
	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			unsigned long blocks[MIGRATE_TYPES] = { 0 }, pfn;

			if (!zone_managed_pages(zone))
				continue;
			for (pfn = ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages);
			     pfn < zone_end_pfn(zone); pfn += pageblock_nr_pages) {
				struct page *page;

				if (!pfn_valid(pfn))
					continue;
				page = pfn_to_page(pfn);
				if (page->type == PGTY_UNINIT || page->type == PGTY_NOMEMORY ||
				    page_zone(page) != zone)
					continue;
				blocks[get_pageblock_migratetype(pfn) % MIGRATE_TYPES]++;
			}
			shell_printf("Node %d, zone %8s ", nid, zone->name);
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				shell_printf(" %12lu", blocks[mt]);
			shell_printf("\n");
		}
	}
	return 0;
}
SHELL_COMMAND(pagetypeinfo, cmd_pagetypeinfo, "", "free blocks per migratetype and pageblock types, as /proc/pagetypeinfo");

static int cmd_zoneinfo(int argc, char **argv)
{
	struct zone *zone;
	unsigned int cpu;
	int nid;

	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			shell_printf("Node %d, zone %8s\n", nid, zone->name);
			shell_printf("  pages free     %lu\n", READ_ONCE(zone->free_pages) + zone_pcp_count(zone));
			shell_printf("        spanned  %lu\n", zone->spanned_pages);
			shell_printf("        present  %lu\n", zone->present_pages);
			shell_printf("        managed  %lu\n", zone_managed_pages(zone));
			if (zone->zone_idx == ZONE_DEVICE)	/* not in Linux's file: its memmap'd pages */
				shell_printf("        device   %lu\n", memremap_pages_on_node(nid));
			if (populated_zone(zone)) {
				shell_printf("  pagesets\n");
				for (cpu = 0; cpu < NR_CPUS; cpu++) {
					const struct per_cpu_pages *pcp = &zone->pcp[cpu];

					if (cpu && !pcp->count)
						continue;
					shell_printf("    cpu: %u\n", cpu);
					shell_printf("              count: %d\n", pcp->count);
					shell_printf("              high:  %d\n", pcp->high);
					shell_printf("              batch: %d\n", pcp->batch);
				}
			}
			shell_printf("  start_pfn:           %lu\n", zone->zone_start_pfn);
		}
	}
	return 0;
}
SHELL_COMMAND(zoneinfo, cmd_zoneinfo, "", "per-zone page counts, as /proc/zoneinfo");

static int cmd_pagetypes(int argc, char **argv)
{
	bool check = argc > 1 && !strcmp(argv[1], "--check");
	struct zone *zone;
	int nid, t;

	if (argc > 1 && !check) {
		shell_printf("pagetypes: unknown argument '%s' (only --check)\n", argv[1]);
		return -EINVAL;
	}
	pagetypes_walk(&walk);
	shell_printf("%-4s %-8s", "node", "zone");
	for (t = PGTY_NOMEMORY; t < NR_PAGE_TYPES; t++)
		if (t != PGTY_TAIL)
			shell_printf(" %10.10s", page_type_name(t));
	shell_printf("\n");
	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			const unsigned long *c = walk.count[nid][zone->zone_idx];

			if (!zone->spanned_pages && !zone->present_pages)
				continue;
			shell_printf("%-4d %-8s", nid, zone->name);
			for (t = PGTY_NOMEMORY; t < NR_PAGE_TYPES; t++)
				if (t != PGTY_TAIL)
					shell_printf(" %10lu", c[t]);
			shell_printf("\n");
		}
	}
	shell_printf("%lu pages in %lu sections walked, %lu sections not initialized yet\n",
		     walk.pages_walked, walk.sections_walked, walk.sections_skipped);
	if (walk.violations) {
		shell_printf("pagetypes: %lu violations; first: %s\n", walk.violations, walk.first_violation);
		if (check)
			return -EINVAL;
	} else {
		shell_printf("pagetypes: all invariants hold\n");
	}
	return 0;
}
SHELL_COMMAND(pagetypes, cmd_pagetypes, "[--check]",
	      "pages per type, zone and node; --check fails on the first broken invariant");
