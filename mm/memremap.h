/* SPDX-License-Identifier: MIT */
/*
 * DOC: memremap.h - device memory (ZONE_DEVICE): a memmap for memory that is not RAM
 *
 * Linux's memremap_pages(): a driver that owns a physical range (an NVDIMM's
 * persistent memory, drivers/nvdimm/pmem.c) describes it with a struct
 * dev_pagemap and gets sections, a direct mapping and a struct page for
 * every pfn, typed Device in ZONE_DEVICE of the node, owned by the driver
 * (page->private is its dev_pagemap, refcount 1 while idle). The pages are
 * never in the buddy, never in present_pages, managed_pages or MemTotal, and
 * belong to no memory block: they cannot be onlined, offlined or migrated.
 * With PGMAP_ALTMAP_VALID the memmap itself lives at the start of the range
 * (the altmap: Linux's pmem "memmap on device"), so a large device costs no
 * RAM for its struct pages; those pages are VmemmapSelfHosted in ZONE_DEVICE.
 *
 * Invariants: the range is section aligned (128 MiB) and overlaps no RAM,
 * no hot-added range and no present section; memremap_pages() leaves
 * nothing behind on failure; memunmap_pages() refuses while a page is
 * referenced beyond its idle reference, then tears down in Linux's order
 * (memmap unmapped and flushed on every CPU before the altmap space is
 * given back, zone span shrunk, direct map removed). Both run under the
 * hotplug lock.
 */
#ifndef HOTMM_MM_MEMREMAP_H
#define HOTMM_MM_MEMREMAP_H

#include "mm/sparse.h"

/* [start, end], end inclusive, as Linux's struct range. */
struct range {
	uint64_t start;
	uint64_t end;
};

static inline uint64_t range_len(const struct range *r)
{
	return r->end - r->start + 1;
}

enum memory_type {
	MEMORY_DEVICE_FS_DAX = 1,	/* a pmem namespace in fsdax mode */
	MEMORY_DEVICE_GENERIC,		/* device dax (devdax) */
};

#define PGMAP_ALTMAP_VALID	(1u << 0)	/* host the memmap on the range (altmap) */

struct dev_pagemap {
	struct range range;
	enum memory_type type;
	unsigned int flags;		/* PGMAP_* */
	struct vmem_altmap altmap;	/* with PGMAP_ALTMAP_VALID: .reserve (pages skipped first) */
	const char *owner;		/* the driver's device name, for messages */
	/* set by memremap_pages() */
	int nid;
	unsigned long nr_vmemmap;	/* pages at the start of the range holding the memmap */
	struct dev_pagemap *next;	/* every mapped pagemap, on one list */
};

/*
 * Map the device range: sections, memmap (on the range itself with
 * PGMAP_ALTMAP_VALID), direct map, pages Device in ZONE_DEVICE of nid.
 * Returns the range's kernel virtual address, or NULL after printing why
 * (*err: the negative errno). Reports `memory_added` with "zone":"Device".
 */
void *memremap_pages(struct dev_pagemap *pgmap, int nid, int *err);
/*
 * Take it all away again. -EBUSY (naming the pfn) while a page holds more
 * than its idle reference; then nothing changes.
 */
int memunmap_pages(struct dev_pagemap *pgmap);

/* The pagemap owning a Device page (NULL for any other page). */
static inline struct dev_pagemap *page_pgmap(const struct page *page)
{
	return page->type == PGTY_DEVICE ? (struct dev_pagemap *)page->private : NULL;
}

/* Pages (Device and their memmap) mapped on node nid; all nodes for NUMA_NO_NODE. */
unsigned long memremap_pages_on_node(int nid);
/* Each mapped pagemap, in mapping order (hotplug lock or a quiet system). */
struct dev_pagemap *memremap_first(void);

/* Host tests: forget every pagemap. */
void memremap_reset(void);

#endif
