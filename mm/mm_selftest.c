/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_selftest.c - in-kernel tests of the memory core (kernel only)
 *
 * Run by `selftest` on the command line (or the shell command). They run
 * on the real machine's memory, so they check what host tests cannot: that
 * every page the buddy hands out is really RAM that keeps what is written
 * to it, and that the memmap agrees with the firmware's memory map.
 */
#include <string.h>

#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/sparse.h"
#include "mm/memblock.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

static struct pagetypes_result walk;

static int walker_clean(const char *when)
{
	if (pagetypes_walk(&walk)) {
		pr_err("mm selftest: walker %s: %lu violations, first: %s\n",
		       when, walk.violations, walk.first_violation);
		return -1;
	}
	if (walk.sections_skipped) {
		pr_err("mm selftest: walker %s: %lu sections not initialized\n", when, walk.sections_skipped);
		return -1;
	}
	return 0;
}

static inline uint64_t pattern(unsigned long pfn, unsigned long word)
{
	return ((uint64_t)pfn << 20) ^ (word * 0x9e3779b97f4a7c15ull) ^ 0x5a5a5a5a5a5a5a5aull;
}

static void fill(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), n = 1UL << order, i, w;

	for (i = 0; i < n; i++) {
		uint64_t *q = page_address(page + i);

		for (w = 0; w < PAGE_SIZE / 8; w++)
			q[w] = pattern(pfn + i, w);
	}
}

/* Returns the first bad pfn, or 0. */
static unsigned long verify(struct page *page, unsigned int order, uint64_t *got, uint64_t *want)
{
	unsigned long pfn = page_to_pfn(page), n = 1UL << order, i, w;

	for (i = 0; i < n; i++) {
		const uint64_t *q = page_address(page + i);

		for (w = 0; w < PAGE_SIZE / 8; w++) {
			if (q[w] != pattern(pfn + i, w)) {
				*got = q[w];
				*want = pattern(pfn + i, w);
				return pfn + i;
			}
		}
	}
	return 0;
}

/*
 * Allocate every free page (largest blocks first, then smaller: each page
 * comes out once), write a per-page pattern into all of it, check it all,
 * free everything, and expect the allocator exactly as before.
 */
static int test_buddy_exhaust(void)
{
	unsigned long free0, got = 0, blocks = 0, bad;
	struct page *list = NULL, *p;
	uint64_t g = 0, w = 0;
	int order, ret = 0;

	if (walker_clean("before"))
		return -1;
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	for (order = MAX_PAGE_ORDER; order >= 0; order--) {
		while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order))) {
			fill(p, order);
			p->private = (unsigned long)list;
			list = p;
			got += 1UL << order;
			blocks++;
		}
	}
	if (got != free0) {
		pr_err("mm selftest: exhaust: allocated %lu pages, %lu were free\n", got, free0);
		ret = -1;
	}
	if (nr_free_pages() != 0) {
		pr_err("mm selftest: exhaust: %lu pages still free after exhaustion\n", nr_free_pages());
		ret = -1;
	}
	if (walker_clean("exhausted"))
		ret = -1;
	for (p = list; p; p = (struct page *)p->private) {
		bad = verify(p, page_order(p), &g, &w);
		if (bad) {
			pr_err("mm selftest: exhaust: pfn %#lx holds %#llx, wrote %#llx\n",
			       bad, (unsigned long long)g, (unsigned long long)w);
			ret = -1;
			break;
		}
	}
	while (list) {
		p = list;
		list = (struct page *)p->private;
		__free_pages(p, page_order(p));
	}
	drain_all_pages(NULL);
	if (nr_free_pages() != free0) {
		pr_err("mm selftest: exhaust: %lu pages free after freeing all, %lu before\n",
		       nr_free_pages(), free0);
		ret = -1;
	}
	if (walker_clean("after"))
		ret = -1;
	printk(KERN_NOTICE "mm selftest: exhaust: %lu pages in %lu blocks written, verified, freed\n",
	       got, blocks);
	return ret;
}
SELFTEST(buddy_exhaust, test_buddy_exhaust);

/* meminfo's totals agree with the firmware memory map, node by node. */
static int test_meminfo_matches_memmap(void)
{
	unsigned long start, end, map_pages[MAX_NUMNODES] = { 0 }, total = 0;
	int i, nid, ret = 0;

	for_each_mem_pfn_range(i, NUMA_NO_NODE, &start, &end, &nid)
		map_pages[nid < 0 ? 0 : nid] += end - start;
	if (walker_clean("meminfo"))
		return -1;
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long present = 0, reserved = 0, managed = 0, buddy = 0, used = 0;
		struct zone *zone;

		for_each_zone_of(zone, pgdat) {
			const unsigned long *c = walk.count[nid][zone->zone_idx];

			present += zone->present_pages;
			managed += zone_managed_pages(zone);
			reserved += c[PGTY_RESERVED];
			buddy += c[PGTY_BUDDY];
			used += c[PGTY_ALLOCATED] + c[PGTY_PAGETABLE] + c[PGTY_SLAB];
		}
		if (present != map_pages[nid] || pgdat->node_present_pages != present) {
			pr_err("mm selftest: node %d: %lu present pages (node says %lu), memory map has %lu\n",
			       nid, present, pgdat->node_present_pages, map_pages[nid]);
			ret = -1;
		}
		if (managed + reserved != present) {
			pr_err("mm selftest: node %d: managed %lu + reserved %lu != present %lu\n",
			       nid, managed, reserved, present);
			ret = -1;
		}
		if (buddy + used != managed) {
			pr_err("mm selftest: node %d: free %lu + in use %lu != managed %lu\n",
			       nid, buddy, used, managed);
			ret = -1;
		}
		total += present;
	}
	if (total != total_present_pages() || nr_free_pages() > totalram_pages()) {
		pr_err("mm selftest: totals: present %lu vs %lu, free %lu of %lu managed\n",
		       total, total_present_pages(), nr_free_pages(), totalram_pages());
		ret = -1;
	}
	return ret;
}
SELFTEST(meminfo_matches_memmap, test_meminfo_matches_memmap);

/* Every order, zeroed on request, on every node. */
static int test_alloc_orders(void)
{
	unsigned int order;
	int nid;

	for_each_online_node(nid) {
		for (order = 0; order <= MAX_PAGE_ORDER; order++) {
			struct page *p = alloc_pages_node(nid, GFP_KERNEL | __GFP_ZERO | __GFP_THISNODE, order);
			const uint64_t *q;
			unsigned long i;

			if (!p) {
				pr_err("mm selftest: node %d: no order-%u block\n", nid, order);
				return -1;
			}
			if (page_to_nid(p) != nid || !IS_ALIGNED(page_to_pfn(p), 1UL << order) ||
			    page_type(p) != PGTY_ALLOCATED || page_order(p) != order) {
				pr_err("mm selftest: node %d order %u: got pfn %#lx node %d type %s order %u\n",
				       nid, order, page_to_pfn(p), page_to_nid(p),
				       page_type_name(page_type(p)), page_order(p));
				return -1;
			}
			q = page_address(p);
			for (i = 0; i < (PAGE_SIZE << order) / 8; i++) {
				if (q[i]) {
					pr_err("mm selftest: order %u pfn %#lx: word %lu is %#llx after __GFP_ZERO\n",
					       order, page_to_pfn(p), i, (unsigned long long)q[i]);
					return -1;
				}
			}
			__free_pages(p, order);
		}
	}
	return walker_clean("orders");
}
SELFTEST(alloc_orders, test_alloc_orders);
