/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_selftest.c - in-kernel tests of the memory core (kernel only)
 *
 * Run by `selftest` on the command line (or the shell command). They run
 * on the real machine's memory, so they check what host tests cannot: that
 * every page the buddy hands out is really RAM that keeps what is written
 * to it, and that the memmap agrees with the firmware's memory map and the
 * memory blocks of hot-added memory.
 *
 * They state what must hold on every machine we support, not on the one
 * they were written on: nodes without boot memory (memoryless, CPU-only,
 * or with only hot-added memory), ZONE_MOVABLE (coldplugged or runtime
 * DIMMs, memhp_withhold=), self-hosted memmap pages (present, never
 * managed), offline blocks and pages a driver holds Offline.
 */
#include <string.h>

#include "mm/mm_selftest.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/sparse.h"
#include "mm/memblock.h"
#include "mm/memory_block.h"
#include "mm/memory_hotplug.h"
#include "mm/memremap.h"
#include "mm/zone_movable.h"
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

/* Free pages of one zone: its free lists and every CPU's list. */
static unsigned long zone_free(const struct zone *zone)
{
	return READ_ONCE(zone->free_pages) + zone_pcp_count(zone);
}

/* Free pages in zone `idx` of every node. */
static unsigned long free_in(enum zone_type idx)
{
	unsigned long n = 0;
	int nid;

	for_each_online_node(nid)
		n += zone_free(&NODE_DATA(nid)->node_zones[idx]);
	return n;
}

/*
 * Take every block gfp can get, largest first (each page comes out once),
 * write the pattern into it and chain it on *list. Pages from a zone other
 * than `want` are counted in *wrong (first one named).
 */
static unsigned long exhaust(gfp_t gfp, enum zone_type want, struct page **list,
			     unsigned long *blocks, unsigned long *wrong)
{
	unsigned long got = 0;
	struct page *p;
	int order;

	for (order = MAX_PAGE_ORDER; order >= 0; order--) {
		while ((p = alloc_pages(gfp | __GFP_NOWARN, order))) {
			if (p->zone_idx != want && !(*wrong)++)
				pr_err("mm selftest: exhaust: gfp %#x got pfn %#lx of node %d %s, want %s\n",
				       gfp, page_to_pfn(p), page_to_nid(p), page_zone(p)->name, zone_names[want]);
			fill(p, order);
			p->private = (unsigned long)*list;
			*list = p;
			got += 1UL << order;
			(*blocks)++;
		}
	}
	return got;
}

/*
 * A kernel allocation takes every free page of ZONE_NORMAL (all nodes) and
 * none of ZONE_MOVABLE: that is what keeps movable memory removable. A
 * movable allocation then takes the rest, which must be every free page
 * there is. Every page is written with a per-page pattern, all of it checked,
 * everything freed, and the allocator must be exactly as before.
 */
static int test_buddy_exhaust(void)
{
	unsigned long free0, normal0, movable0, got_k, got_m, blocks = 0, wrong = 0, bad;
	struct page *list = NULL, *p;
	uint64_t g = 0, w = 0;
	int ret = 0;

	if (walker_clean("before"))
		return -1;
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	normal0 = free_in(ZONE_NORMAL);
	movable0 = free_in(ZONE_MOVABLE);
	if (normal0 + movable0 != free0) {
		pr_err("mm selftest: exhaust: %lu free, Normal %lu + Movable %lu (another zone holds free pages)\n",
		       free0, normal0, movable0);
		ret = -1;
	}
	got_k = exhaust(GFP_KERNEL, ZONE_NORMAL, &list, &blocks, &wrong);
	if (got_k != normal0 || free_in(ZONE_NORMAL) != 0 || free_in(ZONE_MOVABLE) != movable0) {
		pr_err("mm selftest: exhaust: kernel allocations got %lu pages of %lu free in Normal; "
		       "left %lu in Normal, %lu of %lu in Movable\n",
		       got_k, normal0, free_in(ZONE_NORMAL), free_in(ZONE_MOVABLE), movable0);
		ret = -1;
	}
	got_m = exhaust(GFP_MOVABLE, ZONE_MOVABLE, &list, &blocks, &wrong);
	if (got_m != movable0) {
		pr_err("mm selftest: exhaust: movable allocations got %lu pages, %lu were free in Movable\n",
		       got_m, movable0);
		ret = -1;
	}
	if (wrong)
		ret = -1;
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
	printk(KERN_NOTICE "mm selftest: exhaust: %lu kernel + %lu movable pages in %lu blocks written, "
	       "verified, freed\n", got_k, got_m, blocks);
	return ret;
}
SELFTEST(buddy_exhaust, test_buddy_exhaust);

/* What memblock and the memory blocks say each node's zones must hold. */
struct node_expect {
	unsigned long boot;			/* boot RAM pages (memblock.memory) */
	unsigned long present[MAX_NR_ZONES];
	unsigned long self_hosted;		/* self-hosted memmap pages of its blocks */
	unsigned long offline;			/* Offline pages inside its online blocks */
};
static struct node_expect expect[MAX_NUMNODES];	/* 2.5 KiB: off the stack */

/* Offline pages of an online block: what a driver holds back (drivers/memtest_balloon.c). */
static unsigned long block_offline_pages(const struct memory_block *mem)
{
	unsigned long pfn, n = 0;

	for (pfn = mem->start_pfn + mem->nr_vmemmap_pages; pfn < mem->start_pfn + mem->nr_pages; pfn++)
		n += page_type(pfn_to_page(pfn)) == PGTY_OFFLINE;
	return n;
}

/* The boot RAM (memblock.memory) of an online boot block, per node, in the block's zone. */
static void expect_boot_block(const struct memory_block *mem)
{
	unsigned long bs = mem->start_pfn, be = mem->start_pfn + mem->nr_pages, start, end;
	int i, nid;

	for_each_mem_pfn_range(i, NUMA_NO_NODE, &start, &end, &nid) {
		start = max(start, bs);
		end = min(end, be);
		if (start < end)
			expect[nid < 0 ? 0 : nid].present[mem->zone] += end - start;
	}
}

static int expect_from_blocks(void)
{
	struct memory_block *mem;
	int ret = 0;

	for (mem = first_memory_block(); mem; mem = next_memory_block(mem)) {
		struct node_expect *e;

		if (!node_has_pgdat(mem->nid)) {
			pr_err("mm selftest: memory%lu is on node %d, which has no pg_data_t\n", mem->id, mem->nid);
			ret = -1;
			continue;
		}
		e = &expect[mem->nid];
		if (mem->boot) {
			/* Boot RAM is present in its block's zone while the block is online. */
			if (mem->state == MEM_BLOCK_ONLINE)
				expect_boot_block(mem);
			else if (mem->state != MEM_BLOCK_OFFLINE)
				ret = -1;
			continue;
		}
		/* The block's own memmap is present in ZONE_NORMAL from add to remove, online or not. */
		e->present[ZONE_NORMAL] += mem->nr_vmemmap_pages;
		e->self_hosted += mem->nr_vmemmap_pages;
		if (mem->state == MEM_BLOCK_ONLINE) {
			e->present[mem->zone] += mem->nr_pages - mem->nr_vmemmap_pages;
			e->offline += block_offline_pages(mem);
		} else if (mem->state != MEM_BLOCK_OFFLINE) {
			pr_err("mm selftest: memory%lu is %s on a quiet system\n", mem->id,
			       memory_block_state_name(mem->state));
			ret = -1;
		}
	}
	return ret;
}

/*
 * Each node's zones hold exactly the boot RAM (the firmware memory map) of
 * its online boot blocks, in their zones, and its hot-added memory blocks (their self-hosted memmap in
 * ZONE_NORMAL always, the rest in the block's zone while online), and every
 * present page is accounted for: managed by the buddy, Reserved (boot
 * memory the kernel keeps), VmemmapSelfHosted, Offline (held by a driver,
 * inside online blocks only) or HWPoison.
 */
static int __mm_selftest_accounting(void)
{
	unsigned long start, end, total = 0;
	int i, nid, ret = 0;

	memset(expect, 0, sizeof(expect));
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &start, &end, &nid)
		expect[nid < 0 ? 0 : nid].boot += end - start;
	if (expect_from_blocks())
		ret = -1;
	if (walker_clean("meminfo"))
		return -1;
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_has_pgdat(nid) && (expect[nid].boot || expect[nid].self_hosted)) {
			pr_err("mm selftest: node %d has memory (%lu boot pages, %lu of blocks) but no pg_data_t\n",
			       nid, expect[nid].boot, expect[nid].self_hosted);
			ret = -1;
		}
	}
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		const struct node_expect *e = &expect[nid];
		unsigned long present = 0, reserved = 0, managed = 0, buddy = 0, used = 0;
		unsigned long self_hosted = 0, offline = 0, poison = 0;
		struct zone *zone;

		for_each_zone_of(zone, pgdat) {
			const unsigned long *c = walk.count[nid][zone->zone_idx];
			enum zone_type z = zone->zone_idx;

			if (zone->present_pages != e->present[z]) {
				pr_err("mm selftest: node %d %s: %lu present pages, boot RAM and memory blocks give %lu\n",
				       nid, zone->name, zone->present_pages, e->present[z]);
				ret = -1;
			}
			if (z == ZONE_DEVICE) {
				/* Device memory (mm/memremap.h): its pages and the memmap on it, nothing else. */
				if (c[PGTY_DEVICE] + c[PGTY_VMEMMAP_SELF_HOSTED] != memremap_pages_on_node(nid)) {
					pr_err("mm selftest: node %d Device: %lu Device + %lu VmemmapSelfHosted "
					       "pages, its device memory is %lu\n", nid, c[PGTY_DEVICE],
					       c[PGTY_VMEMMAP_SELF_HOSTED], memremap_pages_on_node(nid));
					ret = -1;
				}
				continue;	/* not RAM: in none of the sums below (walker_clean checked 0/0) */
			}
			if (c[PGTY_DEVICE]) {
				pr_err("mm selftest: node %d %s: %lu Device pages outside ZONE_DEVICE\n",
				       nid, zone->name, c[PGTY_DEVICE]);
				ret = -1;
			}
			/*
			 * Boot allocations may sit in boot RAM that kernelcore= put in
			 * ZONE_MOVABLE (as in Linux; those blocks stay online), never in
			 * hot-added movable memory.
			 */
			if (z != ZONE_NORMAL && ((c[PGTY_RESERVED] && !(z == ZONE_MOVABLE && zone_movable_pfn[nid])) ||
						 c[PGTY_VMEMMAP_SELF_HOSTED])) {
				pr_err("mm selftest: node %d %s: %lu Reserved, %lu VmemmapSelfHosted pages "
				       "(only ZONE_NORMAL and boot RAM's ZONE_MOVABLE may have them)\n",
				       nid, zone->name, c[PGTY_RESERVED], c[PGTY_VMEMMAP_SELF_HOSTED]);
				ret = -1;
			}
			present += zone->present_pages;
			managed += zone_managed_pages(zone);
			reserved += c[PGTY_RESERVED];
			self_hosted += c[PGTY_VMEMMAP_SELF_HOSTED];
			offline += c[PGTY_OFFLINE];
			poison += c[PGTY_HWPOISON];
			buddy += c[PGTY_BUDDY];
			used += c[PGTY_ALLOCATED] + c[PGTY_PAGETABLE] + c[PGTY_SLAB];
		}
		if (pgdat->node_present_pages != present) {
			pr_err("mm selftest: node %d: node_present_pages %lu, its zones %lu\n",
			       nid, pgdat->node_present_pages, present);
			ret = -1;
		}
		if (self_hosted != e->self_hosted || offline != e->offline) {
			pr_err("mm selftest: node %d: %lu VmemmapSelfHosted, %lu Offline pages; its memory blocks "
			       "give %lu and %lu\n", nid, self_hosted, offline, e->self_hosted, e->offline);
			ret = -1;
		}
		if (managed + reserved + self_hosted + offline + poison != present) {
			pr_err("mm selftest: node %d: managed %lu + Reserved %lu + VmemmapSelfHosted %lu + "
			       "Offline %lu + HWPoison %lu != present %lu\n",
			       nid, managed, reserved, self_hosted, offline, poison, present);
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

/*
 * Under the hotplug lock: the work queue may add or remove a DIMM at any
 * moment, and the counts, the walk and the block table must be read while
 * none of them can change.
 */
int mm_selftest_accounting(void)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = __mm_selftest_accounting();
	mem_hotplug_done();
	return ret;
}
SELFTEST(meminfo_matches_memmap, mm_selftest_accounting);

/* Is there a free block of at least this order in the zone (order 0: per-CPU lists too)? */
static bool zone_has_block(const struct zone *zone, unsigned int order)
{
	unsigned int o;

	if (!order && zone_pcp_count(zone))
		return true;
	for (o = order; o <= MAX_PAGE_ORDER; o++)
		if (READ_ONCE(zone->free_area[o].nr_free))
			return true;
	return false;
}

/*
 * Every order the zone has a free block for, zeroed on request, from this
 * node and this zone: kernel allocations for ZONE_NORMAL, movable ones
 * (which prefer ZONE_MOVABLE) for ZONE_MOVABLE. Returns the orders
 * allocated, or -1.
 */
static int alloc_orders_zone(int nid, struct zone *zone)
{
	gfp_t gfp = (zone->zone_idx == ZONE_MOVABLE ? GFP_MOVABLE : GFP_KERNEL) | __GFP_ZERO | __GFP_THISNODE;
	unsigned int order;
	int done = 0;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *p;
		const uint64_t *q;
		unsigned long i;

		if (!zone_has_block(zone, order))
			continue;
		p = alloc_pages_node(nid, gfp, order);
		if (!p) {
			pr_err("mm selftest: node %d %s: no order-%u block, though one is free\n",
			       nid, zone->name, order);
			return -1;
		}
		if (page_to_nid(p) != nid || page_zone(p) != zone || !IS_ALIGNED(page_to_pfn(p), 1UL << order) ||
		    page_type(p) != PGTY_ALLOCATED || page_order(p) != order) {
			pr_err("mm selftest: node %d %s order %u: got pfn %#lx node %d %s type %s order %u\n",
			       nid, zone->name, order, page_to_pfn(p), page_to_nid(p), page_zone(p)->name,
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
		done++;
	}
	return done;
}

/*
 * Every order on every zone of every node that has free memory: a node
 * whose only memory is hot-added movable memory gets movable allocations,
 * one whose memory blocks are all offline (only their memmap is present)
 * has nothing to allocate and is skipped.
 */
static int test_alloc_orders(void)
{
	struct zone *zone;
	int nid, n, zones = 0;

	drain_all_pages(NULL);
	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			if (!zone_managed_pages(zone))
				continue;
			n = alloc_orders_zone(nid, zone);
			if (n < 0)
				return -1;
			pr_info("mm selftest: node %d %s: %d orders allocated\n", nid, zone->name, n);
			zones++;
		}
	}
	if (!zones) {
		pr_err("mm selftest: no zone of any node has managed pages\n");
		return -1;
	}
	return walker_clean("orders");
}
SELFTEST(alloc_orders, test_alloc_orders);
