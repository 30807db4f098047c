/* SPDX-License-Identifier: MIT */
/*
 * DOC: memremap.c - mapping and unmapping device memory (see memremap.h)
 *
 * memremap_pages() is Linux's pagemap_range() for the cases hotmm has (no
 * PCI P2P, no private device memory): checks, node, direct map, sections
 * with their memmap (from the range through the altmap, or from RAM), the
 * memmap initialized, the zone span grown; every step undone in reverse on
 * failure. The pagemaps form one list, changed only under the hotplug lock.
 */
#include <errno.h>
#include <string.h>

#include "mm/memremap.h"
#include "mm/memory_hotplug.h"
#include "mm/mm_init.h"
#include "mm/mmzone.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"

#define SECTION_BYTES	(1ULL << SECTION_SIZE_BITS)

static struct dev_pagemap *pgmaps;

struct dev_pagemap *memremap_first(void)
{
	return pgmaps;
}

unsigned long memremap_pages_on_node(int nid)
{
	unsigned long n = 0;

	for (struct dev_pagemap *pg = pgmaps; pg; pg = pg->next)
		if (nid == NUMA_NO_NODE || pg->nid == nid)
			n += range_len(&pg->range) >> PAGE_SHIFT;
	return n;
}

void memremap_reset(void)
{
	pgmaps = NULL;
}

static int check_range(const struct dev_pagemap *pgmap, int nid)
{
	uint64_t start = pgmap->range.start, size = range_len(&pgmap->range), where;
	const char *who = pgmap->owner ? pgmap->owner : "?";

	if (pgmap->range.end < start || !IS_ALIGNED(start | size, SECTION_BYTES)) {
		pr_err("memremap_pages %s [%#llx-%#llx]: start and size must be multiples of the section "
		       "size (%llu MiB)\n", who, (unsigned long long)start,
		       (unsigned long long)pgmap->range.end, SECTION_BYTES >> 20);
		return -EINVAL;
	}
	if (nid < 0 || nid >= MAX_NUMNODES) {
		pr_err("memremap_pages %s: node %d out of range (0..%d)\n", who, nid, MAX_NUMNODES - 1);
		return -EINVAL;
	}
	if (pgmap->type != MEMORY_DEVICE_FS_DAX && pgmap->type != MEMORY_DEVICE_GENERIC) {
		pr_err("memremap_pages %s: unknown memory type %d\n", who, pgmap->type);
		return -EINVAL;
	}
	if (pgmap->flags & ~PGMAP_ALTMAP_VALID) {
		pr_err("memremap_pages %s: unknown flags %#x\n", who, pgmap->flags);
		return -EINVAL;
	}
	if (start + size < start || start + size > (1ULL << MAX_PHYSMEM_BITS)) {
		pr_err("memremap_pages %s [%#llx-%#llx]: beyond MAX_PHYSMEM_BITS %d\n", who,
		       (unsigned long long)start, (unsigned long long)pgmap->range.end, MAX_PHYSMEM_BITS);
		return -ERANGE;
	}
	if (mhp_range_overlaps_memory(start, size, &where)) {
		pr_err("memremap_pages %s [%#llx-%#llx]: overlaps memory already there at %#llx\n", who,
		       (unsigned long long)start, (unsigned long long)pgmap->range.end,
		       (unsigned long long)where);
		return -EEXIST;
	}
	return 0;
}

/* Struct pages of the memmap itself: whole sections' worth, 2 MiB each. */
static unsigned long vmemmap_pages_for(unsigned long nr_pages)
{
	return nr_pages / PAGES_PER_SECTION * (SECTION_MEMMAP_SIZE >> PAGE_SHIFT);
}

/* Every Device page gets its owner; the memmap's own pages stay ownerless. */
static void init_device_pages(struct dev_pagemap *pgmap, unsigned long start_pfn,
			      unsigned long end_pfn)
{
	unsigned long first = start_pfn + pgmap->nr_vmemmap;

	if (pgmap->nr_vmemmap)
		memmap_init_range(start_pfn, first, pgmap->nid, ZONE_DEVICE, PGTY_VMEMMAP_SELF_HOSTED);
	memmap_init_range(first, end_pfn, pgmap->nid, ZONE_DEVICE, PGTY_DEVICE);
	for (unsigned long pfn = first; pfn < end_pfn; pfn++)
		pfn_to_page(pfn)->private = (unsigned long)pgmap;
}

void *memremap_pages(struct dev_pagemap *pgmap, int nid, int *err)
{
	uint64_t start = pgmap->range.start, size = range_len(&pgmap->range), t0 = ktime_get_ns();
	unsigned long start_pfn = PFN_DOWN(start), nr_pages = PFN_DOWN(size);
	struct vmem_altmap *altmap = NULL;
	bool new_node = false;
	int ret;

	deferred_init_wait();	/* as add_memory(): no sections appear under deferred init */
	ret = mem_hotplug_begin();
	if (ret)
		goto out_err;
	ret = check_range(pgmap, nid);
	if (ret)
		goto out;
	pgmap->nid = nid;
	pgmap->nr_vmemmap = 0;
	if (pgmap->flags & PGMAP_ALTMAP_VALID) {
		pgmap->altmap.base_pfn = start_pfn;
		pgmap->altmap.alloc = 0;
		pgmap->altmap.free = vmemmap_pages_for(nr_pages);
		if (pgmap->altmap.reserve + pgmap->altmap.free >= nr_pages) {
			pr_err("memremap_pages %s: %lu pages reserved + %lu of memmap leave nothing of %lu\n",
			       pgmap->owner, pgmap->altmap.reserve, pgmap->altmap.free, nr_pages);
			ret = -EINVAL;
			goto out;
		}
		/*
		 * The memmap is handed out in whole 2 MiB sections' worth from
		 * base_pfn + reserve; a reserve would leave pages before it that
		 * are neither memmap nor device pages. Linux's pmem reserves the
		 * info block there; hotmm has no on-media metadata yet.
		 */
		if (pgmap->altmap.reserve) {
			pr_err("memremap_pages %s: altmap reserve is not supported\n", pgmap->owner);
			ret = -EINVAL;
			goto out;
		}
		altmap = &pgmap->altmap;
		pgmap->nr_vmemmap = pgmap->altmap.free;
	}
	if (!node_has_pgdat(nid)) {
		if (!alloc_node_data(nid)) {
			pr_err("memremap_pages %s: cannot create node %d\n", pgmap->owner, nid);
			ret = -ENOMEM;
			goto out;
		}
		new_node = true;
	}
	ret = arch_add_direct_map(start, size);
	if (ret) {
		pr_err("memremap_pages %s: direct map failed (%d)\n", pgmap->owner, ret);
		goto out_node;
	}
	ret = sparse_add_section_range(nid, start_pfn, nr_pages, altmap);
	if (ret) {
		pr_err("memremap_pages %s: no memmap for [%#llx-%#llx] (%d)\n", pgmap->owner,
		       (unsigned long long)start, (unsigned long long)pgmap->range.end, ret);
		arch_remove_direct_map(start, size);
		goto out_node;
	}
	init_device_pages(pgmap, start_pfn, start_pfn + nr_pages);
	zone_span_grow(&NODE_DATA(nid)->node_zones[ZONE_DEVICE], start_pfn, nr_pages);
	pgmap->next = NULL;
	{
		struct dev_pagemap **pp = &pgmaps;

		while (*pp)
			pp = &(*pp)->next;
		*pp = pgmap;
	}
	report("memory_added", "\"base\":%llu,\"size\":%llu,\"node\":%d,\"zone\":\"Device\","
	       "\"memmap_on_memory\":%s,\"memmap_pages\":%lu,\"owner\":\"%s\",\"add_ns\":%llu",
	       (unsigned long long)start, (unsigned long long)size, nid, altmap ? "true" : "false",
	       vmemmap_pages_for(nr_pages), pgmap->owner, (unsigned long long)(ktime_get_ns() - t0));
	pr_info("memremap: %s [%#llx-%#llx] on node %d: %lu Device pages, memmap %s\n", pgmap->owner,
		(unsigned long long)start, (unsigned long long)pgmap->range.end, nid,
		nr_pages - pgmap->nr_vmemmap, altmap ? "on the device" : "in RAM");
	mem_hotplug_done();
	return __va(start);

out_node:
	if (new_node)
		free_node_data(nid);
out:
	mem_hotplug_done();
out_err:
	if (err)
		*err = ret;
	return NULL;
}

int memunmap_pages(struct dev_pagemap *pgmap)
{
	uint64_t start = pgmap->range.start, size = range_len(&pgmap->range);
	unsigned long start_pfn = PFN_DOWN(start), nr_pages = PFN_DOWN(size), pfn;
	struct dev_pagemap **pp;
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	for (pp = &pgmaps; *pp && *pp != pgmap; pp = &(*pp)->next)
		;
	if (!*pp) {
		pr_err("memunmap_pages %s: not mapped\n", pgmap->owner);
		ret = -EINVAL;
		goto out;
	}
	for (pfn = start_pfn + pgmap->nr_vmemmap; pfn < start_pfn + nr_pages; pfn++) {
		const struct page *page = pfn_to_page(pfn);

		if (page->type != PGTY_DEVICE || page_ref_count(page) != 1 || page_pgmap(page) != pgmap) {
			pr_err("memunmap_pages %s: pfn %#lx is in use (%s, refcount %d)\n", pgmap->owner, pfn,
			       page_type_name(page_type(page)), page_ref_count(page));
			ret = -EBUSY;
			goto out;
		}
	}
	*pp = pgmap->next;
	/* Linux's order: memmap unmapped (every CPU flushed) and freed, then the span, then the direct map. */
	sparse_remove_section_range(start_pfn, nr_pages,
				    (pgmap->flags & PGMAP_ALTMAP_VALID) ? &pgmap->altmap : NULL);
	zone_span_shrink(&NODE_DATA(pgmap->nid)->node_zones[ZONE_DEVICE], start_pfn, nr_pages);
	arch_remove_direct_map(start, size);
	report("memory_removed", "\"base\":%llu,\"size\":%llu,\"zone\":\"Device\",\"owner\":\"%s\"",
	       (unsigned long long)start, (unsigned long long)size, pgmap->owner);
out:
	mem_hotplug_done();
	return ret;
}
