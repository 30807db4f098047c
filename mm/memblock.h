/* SPDX-License-Identifier: MIT */
/*
 * DOC: memblock.h - the boot-time memory manager
 *
 * Linux's memblock API and data layout, written for hotmm. Two lists of
 * physical ranges, each kept sorted, non-overlapping and merged where
 * neighbours share node and flags:
 *   memblock.memory   - RAM the firmware reported (and hot-pluggable flags)
 *   memblock.reserved - what is in use: kernel image, boot info, page tables,
 *                       every memblock_alloc*()
 * Free memory is memory minus reserved. Allocation never goes above
 * memblock.current_limit, so nothing is handed out before it is mapped.
 * When the buddy allocator takes over, reserved ranges become Reserved pages.
 *
 * The arrays start static (INIT_MEMBLOCK_*_REGIONS). Until
 * memblock_allow_resize() running out is reported with the range that did
 * not fit and the call fails with -ENOMEM; after it a full array doubles
 * (from memblock before the buddy allocator is up, from kmalloc after), and
 * only a doubling that finds no memory fails the call, again with -ENOMEM
 * and nothing changed.
 */
#ifndef HOTMM_MM_MEMBLOCK_H
#define HOTMM_MM_MEMBLOCK_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"

#define INIT_MEMBLOCK_REGIONS		128
#define INIT_MEMBLOCK_RESERVED_REGIONS	256
#define NUMA_NO_NODE	(-1)
#define MAX_NUMNODES	64
#ifndef PHYS_ADDR_MAX
#define PHYS_ADDR_MAX	(~(phys_addr_t)0)
#endif

/* Upper limits for memblock_alloc_range: ANYWHERE ignores current_limit. */
#define MEMBLOCK_ALLOC_ANYWHERE		(~(phys_addr_t)0)
#define MEMBLOCK_ALLOC_ACCESSIBLE	0

enum memblock_flags {
	MEMBLOCK_NONE		= 0x0,	/* no special request */
	MEMBLOCK_HOTPLUG	= 0x1,	/* hotpluggable region (SRAT) */
	MEMBLOCK_MIRROR		= 0x2,	/* mirrored region */
	MEMBLOCK_NOMAP		= 0x4,	/* don't add to the direct map */
	MEMBLOCK_DRIVER_MANAGED	= 0x8,	/* always detected via a driver */
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
	int nid;
};

struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	const char *name;
};

struct memblock {
	bool bottom_up;			/* allocation direction */
	phys_addr_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;
extern int memblock_debug;		/* memblock=debug: log every call */

static inline bool memblock_is_hotpluggable(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_HOTPLUG;
}
static inline bool memblock_is_mirror(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_MIRROR;
}
static inline bool memblock_is_nomap(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_NOMAP;
}
static inline bool memblock_is_driver_managed(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_DRIVER_MANAGED;
}
static inline unsigned long memblock_region_memory_base_pfn(const struct memblock_region *m)
{
	return PFN_UP(m->base);
}
static inline unsigned long memblock_region_memory_end_pfn(const struct memblock_region *m)
{
	return PFN_DOWN(m->base + m->size);
}

/* Forget everything (host tests call this between cases). */
void memblock_reset(void);

/*
 * From now on a full list doubles instead of failing (Linux's). Call it once
 * everything already in use is reserved, so that a new array cannot land on
 * it. The static arrays are never freed.
 */
void memblock_allow_resize(void);

/*
 * All of these return 0 or a negative errno (-ENOMEM when a list is full and
 * cannot grow, after printing the list, the range and why); on error nothing
 * changed.
 * Zero sizes are no-ops; a range running past the top of the address space
 * is clipped there. memblock_add() adds with NUMA_NO_NODE: as in Linux, the
 * node is not known until NUMA init calls memblock_set_node() (without an
 * SRAT, the kernel sets everything to node 0, like Linux's dummy_numa_init).
 * Reserved ranges carry NUMA_NO_NODE.
 */
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags);
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
void memblock_free(void *ptr, size_t size);
int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid);
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);

/*
 * movable_node: hot-pluggable (MEMBLOCK_HOTPLUG) memory is left out of
 * allocations so it can be unplugged later (Linux's movable_node_is_enabled()).
 * Off by default; whoever parses `movable_node` turns it on.
 */
void memblock_set_movable_node(bool enable);
bool memblock_movable_node(void);

/*
 * Physical allocators return 0 on failure (page 0 is never handed out). A nid
 * of NUMA_NO_NODE takes any node; a nid with no free memory in range falls
 * back to any node (as in Linux, unless exact_nid is set). `end` may be
 * MEMBLOCK_ALLOC_ACCESSIBLE (= memblock.current_limit) or
 * MEMBLOCK_ALLOC_ANYWHERE (no limit); any other end is lowered to the
 * current limit. `align` must be a power of two (0 means SMP_CACHE_BYTES,
 * with a warning, as in Linux). Direction: memblock_set_bottom_up().
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);
phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid);
static inline phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}

/*
 * Virtual (direct map) allocators return NULL on failure; these zero the
 * memory. They never go above current_limit (even with ANYWHERE: __va() of
 * unmapped memory would fault) and, as in Linux, retry without min_addr
 * when nothing fits above it.
 */
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid);
/* ... and these do not (the caller overwrites everything anyway). */
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid);
/* Only on nid, never another node: NULL when nid has no room (NUMA_NO_NODE: any). */
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				   phys_addr_t max_addr, int nid);
static inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
static inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid_raw(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
/*
 * At or above min_addr when anything fits there; as in Linux, the allocation
 * falls back to the lowest addresses rather than fail (min_addr is a
 * preference for every memblock_alloc*()).
 */
static inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr)
{
	return memblock_alloc_try_nid(size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
static inline void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_try_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}

void memblock_set_bottom_up(bool enable);
bool memblock_bottom_up(void);
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);

phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
void memblock_enforce_memory_limit(phys_addr_t limit);	/* mem= */
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
/* Does any region of type share a byte with the range (Linux's test, memblock.c)? */
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size);
/* Round every memory region inward to align (a power of two); drop what vanishes. */
void memblock_trim_memory(phys_addr_t align);
/* Node of the memory range containing pfn, or NUMA_NO_NODE. */
int memblock_search_pfn_nid(unsigned long pfn, unsigned long *start_pfn, unsigned long *end_pfn);

/*
 * The memblock=debug dump (Linux's format). memblock_dump_all() prints only
 * when memblock_debug is set; __memblock_dump_all() always does, and
 * memblock_dump() hands each line (with its newline) to `emit` instead.
 */
void memblock_dump_all(void);
void __memblock_dump_all(void);
void memblock_dump(void (*emit)(const char *line));

/*
 * Iterators. __next_mem_range() walks type_a minus type_b (type_b may be
 * NULL); idx is the opaque cursor, set to ULLONG_MAX at the end.
 *
 * Which memory regions a walk leaves out (Linux's should_skip_region(), the
 * same rules): regions of another node when nid is a valid node (0 ..
 * MAX_NUMNODES - 1; anything else means every node); hot-pluggable ones
 * under movable_node unless flags has MEMBLOCK_HOTPLUG; non-mirrored ones
 * when flags has MEMBLOCK_MIRROR; MEMBLOCK_NOMAP and MEMBLOCK_DRIVER_MANAGED
 * ones unless flags has that flag. The reserved list is never filtered.
 *
 * for_each_mem_range() asks for MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED,
 * as in Linux: it lists all memory but NOMAP. The free-range walks, and so
 * every allocation, pass MEMBLOCK_NONE and never hand out driver-managed
 * memory. A caller that must leave driver-managed memory out of a plain
 * walk says so with __for_each_mem_range() and MEMBLOCK_HOTPLUG alone.
 */
void __next_mem_range(uint64_t *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid);

#define __for_each_mem_range(i, type_a, type_b, nid, flags, p_start, p_end, p_nid) \
	for (i = 0, __next_mem_range(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid); \
	     i != (uint64_t)-1; \
	     __next_mem_range(&i, nid, flags, type_a, type_b, p_start, p_end, p_nid))

#define for_each_mem_range(i, p_start, p_end) \
	__for_each_mem_range(i, &memblock.memory, NULL, NUMA_NO_NODE, \
			     MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED, p_start, p_end, NULL)

#define for_each_reserved_mem_range(i, p_start, p_end) \
	__for_each_mem_range(i, &memblock.reserved, NULL, NUMA_NO_NODE, MEMBLOCK_NONE, \
			     p_start, p_end, NULL)

/* Free = memory minus reserved, optionally limited to one node. */
#define for_each_free_mem_range(i, nid, flags, p_start, p_end, p_nid) \
	__for_each_mem_range(i, &memblock.memory, &memblock.reserved, nid, flags, \
			     p_start, p_end, p_nid)

#define for_each_mem_pfn_range(i, nid, p_start, p_end, p_nid) \
	for (i = -1, __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid); \
	     i >= 0; __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid))

#define for_each_mem_region(region) \
	for (region = memblock.memory.regions; \
	     region < (memblock.memory.regions + memblock.memory.cnt); region++)

#define for_each_reserved_mem_region(region) \
	for (region = memblock.reserved.regions; \
	     region < (memblock.reserved.regions + memblock.reserved.cnt); region++)

#endif
