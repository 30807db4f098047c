/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_init.h - bringing boot memory into the buddy, and memmap init
 *
 * start_kernel calls sparse_init() (mm/sparse.h) and then mm_core_init().
 * The hotplug and SMP work reuse memmap_init_range() and the per-chunk
 * memmap_init_boot_range().
 */
#ifndef HOTMM_MM_MM_INIT_H
#define HOTMM_MM_MM_INIT_H

#include "mm/mmzone.h"

/*
 * start_kernel: after sparse_init(). Builds nodes and zones from memblock,
 * brings the early region (boot_mem=, default 256M) into the buddy, turns
 * memblock's reserved ranges into Reserved pages and holes into NoMemory,
 * then initializes and frees the rest of boot RAM (deferred init).
 */
void mm_core_init(void);
/* Everything, single-threaded, with an explicit early-region size (host tests, deferred_init=off). */
void mm_core_init_size(uint64_t boot_mem);
/* Only nodes, zones and the early region. */
void mm_core_init_early(uint64_t boot_mem);



/* Nodes and zones of boot memory from memblock (spans and present counts). */
void free_area_init(void);
/* The hand-off to the buddy: afterwards memblock hands out nothing. */
void memblock_free_all(void);
/* The early region: node and pfn range (section aligned, in that node's ZONE_NORMAL). */
void mm_early_region(int *nid, unsigned long *start_pfn, unsigned long *end_pfn);

struct memmap_init_stats {
	unsigned long pages;	/* struct pages initialized */
	unsigned long freed;	/* of those, pages handed to the buddy */
	uint64_t init_ns;	/* stamping the template */
	uint64_t free_ns;	/* handing pages to the buddy */
};

/*
 * Initialize every struct page of nid's present sections in [spfn, epfn)
 * (MAX_ORDER_NR_PAGES aligned) and free the usable ones. Chunks that do not
 * overlap may run on different CPUs at once: the SMP work's job runner
 * calls this per chunk. stats may be NULL; it is only added to.
 */
void memmap_init_boot_range(int nid, unsigned long spfn, unsigned long epfn,
				struct memmap_init_stats *stats);
/* All of nid's boot memory beyond the early region, single-threaded; returns pages. */
unsigned long deferred_init_memmap(int nid);

/*
 * Stamp one template struct page over [start_pfn, end_pfn), no per-page calls: every
 * page gets type, zone and node, refcount 1 for Offline / Reserved /
 * VmemmapSelfHosted and 0 otherwise. The range must have a memmap.
 */
void memmap_init_range(unsigned long start_pfn, unsigned long end_pfn, int nid,
		       enum zone_type zone, enum page_type type);

/*
 * mm/deferred_init.c: after smp_init(), the rest of boot RAM on all CPUs
 * (deferred_init=background|sync|off). deferred_pages_pending() is how many
 * pages are still waiting; deferred_init_wait() waits for the end.
 */
void page_alloc_init_late(void);

/* deferred_init=, read by mm_core_init() and page_alloc_init_late() (mm/mm_init.c). */
enum deferred_mode { DEFERRED_BACKGROUND, DEFERRED_SYNC, DEFERRED_OFF };
enum deferred_mode deferred_mode(void);
bool deferred_init_off(void);
unsigned long deferred_pages_pending(void);
unsigned long deferred_takeovers(void);
void deferred_init_wait(void);
/* The pfns deferred init owns on nid, and one chunk of them minus the early region. */
void deferred_init_span(int nid, unsigned long *start, unsigned long *end);
void deferred_init_memmap_chunk_clipped(int nid, unsigned long spfn, unsigned long epfn,
					struct memmap_init_stats *st);

#endif
