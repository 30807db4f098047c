/* SPDX-License-Identifier: MIT */
/*
 * DOC: zone_movable.c - where ZONE_MOVABLE starts in each node's boot RAM
 *
 * Linux's find_zone_movable_pfns_for_nodes() and its options (see
 * zone_movable.h for their meaning). Owns zone_movable_pfn[]; reads
 * memblock.memory (nodes, MEMBLOCK_HOTPLUG) and nothing else.
 *
 * Invariants: zone_movable_pfn[nid] is 0 or a multiple of the memory block
 * size strictly inside node nid's boot pfn range; it is computed once,
 * before any boot page is initialized, and never changes after.
 */
#include <errno.h>
#include <string.h>

#include "mm/zone_movable.h"
#include "mm/memblock.h"
#include "kernel/printk.h"

unsigned long zone_movable_pfn[MAX_NUMNODES];

static uint64_t required_kernelcore_bytes, required_movablecore_bytes;
static unsigned int kernelcore_percent, movablecore_percent;	/* 0: not given as a percentage */
static bool kernelcore_set, movablecore_set;
static uint64_t zone_movable_align = SZ_128M;

/* memory_block.c: ZONE_MOVABLE starts on a memory block boundary. */
void zone_movable_set_align(uint64_t bytes)
{
	zone_movable_align = bytes;
}

static int set_core(const char *opt, uint64_t value, bool percent, uint64_t *bytes, unsigned int *pct,
		    bool *set)
{
	if (percent && value > 100) {
		pr_err("%s=%llu%%: a percentage of boot RAM must be 0..100\n", opt, (unsigned long long)value);
		return -EINVAL;
	}
	*bytes = percent ? 0 : value;
	*pct = percent ? (unsigned int)value : 0;
	*set = true;
	return 0;
}

int set_kernelcore(uint64_t value, bool percent)
{
	return set_core("kernelcore", value, percent, &required_kernelcore_bytes, &kernelcore_percent,
			&kernelcore_set);
}

int set_movablecore(uint64_t value, bool percent)
{
	return set_core("movablecore", value, percent, &required_movablecore_bytes, &movablecore_percent,
			&movablecore_set);
}

/* Pages of boot RAM: all nodes, or one. */
static unsigned long boot_pages(int nid)
{
	unsigned long start, end, n = 0;
	int i, rnid;

	for_each_mem_pfn_range(i, NUMA_NO_NODE, &start, &end, &rnid)
		if (nid == NUMA_NO_NODE || (rnid < 0 ? 0 : rnid) == nid)
			n += end - start;
	return n;
}

/* [*start, *end) of nid's boot RAM; false when it has none. */
static bool node_pfn_range(int nid, unsigned long *start, unsigned long *end)
{
	unsigned long s, e;
	int i, rnid;

	*start = ~0UL;
	*end = 0;
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &s, &e, &rnid) {
		if ((rnid < 0 ? 0 : rnid) != nid || s >= e)
			continue;
		*start = min(*start, s);
		*end = max(*end, e);
	}
	return *end != 0;
}

static bool node_has_memory(int nid)
{
	unsigned long s, e;

	return node_pfn_range(nid, &s, &e);
}

/* movable_node: from each node's lowest hot-pluggable boot RAM up. */
static void movable_from_hotplug(void)
{
	unsigned long i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		int nid = r->nid < 0 ? 0 : r->nid;
		unsigned long pfn = PFN_UP(r->base);

		if (!memblock_is_hotpluggable(r) || nid >= MAX_NUMNODES)
			continue;
		zone_movable_pfn[nid] = zone_movable_pfn[nid] ? min(pfn, zone_movable_pfn[nid]) : pfn;
	}
}

/*
 * kernelcore= / movablecore=: spread the kernel part evenly over the nodes
 * with memory, lowest pfns first; a node that cannot hold its share gives
 * all it has and the others share the rest in another pass (Linux's
 * restart loop, one node fewer each time).
 */
static void movable_from_kernelcore(unsigned long totalpages)
{
	unsigned long required_kernelcore = (unsigned long)(required_kernelcore_bytes >> PAGE_SHIFT);
	unsigned long required_movablecore = (unsigned long)(required_movablecore_bytes >> PAGE_SHIFT);
	unsigned long kernelcore_node, kernelcore_remaining;
	int usable_nodes = 0, nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		usable_nodes += node_has_memory(nid);
	if (kernelcore_percent)
		required_kernelcore = (unsigned long)((uint64_t)totalpages * kernelcore_percent / 100);
	if (movablecore_percent)
		required_movablecore = (unsigned long)((uint64_t)totalpages * movablecore_percent / 100);
	if (required_movablecore) {
		/* Rounded up, so ZONE_MOVABLE is at least what was asked for. */
		required_movablecore = ALIGN(required_movablecore, MAX_ORDER_NR_PAGES);
		required_movablecore = min(totalpages, required_movablecore);
		required_kernelcore = max(required_kernelcore, totalpages - required_movablecore);
	}
	if (!required_kernelcore || required_kernelcore >= totalpages)
		return;		/* no ZONE_MOVABLE */
restart:
	kernelcore_node = required_kernelcore / (unsigned long)usable_nodes;
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		unsigned long start_pfn, end_pfn;
		int i, rnid;

		if (!node_has_memory(nid))
			continue;
		if (required_kernelcore < kernelcore_node)
			kernelcore_node = required_kernelcore / (unsigned long)usable_nodes;
		kernelcore_remaining = kernelcore_node;
		for_each_mem_pfn_range(i, NUMA_NO_NODE, &start_pfn, &end_pfn, &rnid) {
			unsigned long size_pages;

			if ((rnid < 0 ? 0 : rnid) != nid)
				continue;
			start_pfn = max(start_pfn, zone_movable_pfn[nid]);
			if (start_pfn >= end_pfn)
				continue;
			size_pages = min(end_pfn - start_pfn, kernelcore_remaining);
			zone_movable_pfn[nid] = start_pfn + size_pages;
			required_kernelcore -= min(required_kernelcore, size_pages);
			kernelcore_remaining -= size_pages;
			if (!kernelcore_remaining)
				break;
		}
	}
	usable_nodes--;
	if (usable_nodes && required_kernelcore > (unsigned long)usable_nodes)
		goto restart;
}

void find_zone_movable_pfns_for_nodes(void)
{
	unsigned long totalpages = boot_pages(NUMA_NO_NODE), align = zone_movable_align >> PAGE_SHIFT;
	int nid;

	memset(zone_movable_pfn, 0, sizeof(zone_movable_pfn));
	if (memblock_movable_node()) {
		if (kernelcore_set || movablecore_set)
			pr_warn("movable_node: kernelcore= and movablecore= are ignored\n");
		movable_from_hotplug();
	} else if (kernelcore_set || movablecore_set) {
		movable_from_kernelcore(totalpages);
	}
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		unsigned long start, end;

		if (!zone_movable_pfn[nid])
			continue;
		zone_movable_pfn[nid] = ALIGN(zone_movable_pfn[nid], align);
		if (!node_pfn_range(nid, &start, &end) || zone_movable_pfn[nid] >= end) {
			zone_movable_pfn[nid] = 0;
			continue;
		}
		pr_info("zone_movable: node %d boot RAM from pfn %#lx in ZONE_MOVABLE (%s)\n", nid,
			zone_movable_pfn[nid], memblock_movable_node() ? "movable_node" : "kernelcore/movablecore");
	}
}

void zone_movable_reset(void)
{
	memset(zone_movable_pfn, 0, sizeof(zone_movable_pfn));
	required_kernelcore_bytes = required_movablecore_bytes = 0;
	kernelcore_percent = movablecore_percent = 0;
	kernelcore_set = movablecore_set = false;
	/* The alignment belongs to the block size: memory_blocks_reset() sets it. */
}
