// SPDX-License-Identifier: MIT
/*
 * DOC: memblock.c - the boot-time memory manager
 *
 * Owns the two range lists of `memblock` (memory and reserved) and every
 * change to them: add, remove, reserve, free, node and flag changes, and the
 * allocations carved out of memory minus reserved.
 *
 * Invariants of each list, true between any two calls:
 *   - regions are sorted by base, do not overlap and have size > 0;
 *   - no two neighbours touch with the same nid and flags (they are merged);
 *   - cnt <= max and total_size is the sum of the sizes;
 *   - the slots past cnt are all zero: an empty list has cnt 0 and
 *     regions[0] = {0}, whatever it held before.
 *
 * Every change is made the same way: the affected window of a list (the
 * regions overlapping or touching the range) is rewritten into a scratch
 * array, merging as it goes, and spliced back only if the result fits in the
 * array. So an operation either completes or fails having changed nothing,
 * and "full" means the *result* does not fit (a reserve that merges into a
 * neighbour still succeeds on a full list).
 *
 * Growing (Linux's memblock_double_array()): until memblock_allow_resize()
 * a list that is full stays full and the change fails with -ENOMEM. After
 * it, a full list doubles and the change is tried again. The new array
 * comes from memblock itself (reserved there, outside the range being
 * changed) while memblock still hands out memory, and from kmalloc() once
 * the buddy allocator is up (mm_init.c sets buddy_ready and drops memblock's
 * limit to 0: from then on the buddy owns all free memory). A grown array
 * holds twice its max: the upper half is the list's scratch, so a change
 * never needs more scratch than the list it rewrites. The static arrays
 * share one static scratch and are never freed; an outgrown array is given
 * back where it came from. A doubling that fails changes nothing.
 *
 * Allocation walks the free ranges (memory minus reserved) bottom-up or
 * top-down, never below PAGE_SIZE (0 is the failure value) and never above
 * memblock.current_limit unless MEMBLOCK_ALLOC_ANYWHERE is asked for.
 *
 * Single-threaded: memblock runs on the boot CPU before anything else
 * allocates, as in Linux.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/memblock.h"
#include "mm/gfp.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#ifndef HOTMM_HOST
#include "kernel/symbols.h"
#endif

#define SMP_CACHE_BYTES	64
#ifndef PAGE_ALIGN
#define PAGE_ALIGN(x)	ALIGN((phys_addr_t)(x), PAGE_SIZE)
#endif

static struct memblock_region memblock_memory_init_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region memblock_reserved_init_regions[INIT_MEMBLOCK_RESERVED_REGIONS];

struct memblock memblock = {
	.bottom_up		= false,
	.current_limit		= MEMBLOCK_ALLOC_ANYWHERE,
	.memory.regions		= memblock_memory_init_regions,
	.memory.max		= INIT_MEMBLOCK_REGIONS,
	.memory.name		= "memory",
	.reserved.regions	= memblock_reserved_init_regions,
	.reserved.max		= INIT_MEMBLOCK_RESERVED_REGIONS,
	.reserved.name		= "reserved",
};

int memblock_debug;
static bool movable_node_enabled;
static bool memblock_can_resize;
/* Where each list's array came from when it is not the static one. */
static bool memblock_memory_in_slab, memblock_reserved_in_slab;

/*
 * The rewritten window never holds more than a whole list: this scratch
 * serves both static arrays; a grown array carries its own (see above).
 */
#define SCRATCH_REGIONS	(INIT_MEMBLOCK_REGIONS > INIT_MEMBLOCK_RESERVED_REGIONS ? \
			 INIT_MEMBLOCK_REGIONS : INIT_MEMBLOCK_RESERVED_REGIONS)
static struct memblock_region static_scratch[SCRATCH_REGIONS];

/*
 * The buddy's state and kmalloc(), for arrays grown after the hand-off. Weak
 * so that host tests which link memblock without the page allocator or slab
 * (tests/host/, the .mk files) build and see the buddy as not up.
 */
extern bool buddy_ready __attribute__((weak));
void *kmalloc(size_t size, gfp_t gfp) __attribute__((weak));
void kfree(const void *p) __attribute__((weak));

static bool memblock_slab_available(void)
{
	return &buddy_ready && buddy_ready;
}

static bool memblock_is_static_array(const struct memblock_region *regions)
{
	return regions == memblock_memory_init_regions || regions == memblock_reserved_init_regions;
}

static struct memblock_region *memblock_scratch(const struct memblock_type *type)
{
	return memblock_is_static_array(type->regions) ? static_scratch : type->regions + type->max;
}

static bool *memblock_in_slab(const struct memblock_type *type)
{
	return type == &memblock.memory ? &memblock_memory_in_slab : &memblock_reserved_in_slab;
}

/* Bytes of a grown array of max regions: the list and its scratch. */
static size_t memblock_array_bytes(unsigned long max)
{
	return 2 * max * sizeof(struct memblock_region);
}

#define memblock_dbg(fmt, ...) \
	do { if (memblock_debug) pr_info(fmt, ##__VA_ARGS__); } while (0)

/* Who called, as Linux's %pS would say it (once symbols are known). */
struct caller_name {
	char s[64];
};

static struct caller_name caller_name(void *caller)
{
	struct caller_name n;
#ifndef HOTMM_HOST
	uint64_t off;
	const char *sym = symbol_lookup((uint64_t)(uintptr_t)caller, &off);

	if (sym) {
		snprintf(n.s, sizeof(n.s), "%s+0x%llx", sym, (unsigned long long)off);
		return n;
	}
#endif
	snprintf(n.s, sizeof(n.s), "%p", caller);
	return n;
}
#define CALLER(c)	(caller_name(c).s)

static inline phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Clip size so base + size does not wrap (Linux's memblock_cap_size). */
static inline phys_addr_t memblock_cap_size(phys_addr_t base, phys_addr_t *size)
{
	*size = min(*size, PHYS_ADDR_MAX - base);
	return *size;
}

void memblock_reset(void)
{
	/* An array from kmalloc() is given back; one from memblock goes with the lists. */
	if (memblock_memory_in_slab && kfree)
		kfree(memblock.memory.regions);
	if (memblock_reserved_in_slab && kfree)
		kfree(memblock.reserved.regions);
	memblock_memory_in_slab = memblock_reserved_in_slab = false;
	memblock_can_resize = false;
	memblock.memory.regions = memblock_memory_init_regions;
	memblock.memory.max = INIT_MEMBLOCK_REGIONS;
	memblock.reserved.regions = memblock_reserved_init_regions;
	memblock.reserved.max = INIT_MEMBLOCK_RESERVED_REGIONS;
	memset(memblock_memory_init_regions, 0, sizeof(memblock_memory_init_regions));
	memset(memblock_reserved_init_regions, 0, sizeof(memblock_reserved_init_regions));
	memblock.memory.cnt = 0;
	memblock.memory.total_size = 0;
	memblock.reserved.cnt = 0;
	memblock.reserved.total_size = 0;
	memblock.bottom_up = false;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	memblock_debug = 0;
	movable_node_enabled = false;
}

/* ---- the one way a list changes ---- */

/*
 * Slots [from, to) have just fallen off the end of the list: make them read
 * as never used. An emptied list is then exactly what it was at boot, cnt 0
 * and regions[0] all zero (Linux also clears regions[0] when a list empties,
 * though it writes MAX_NUMNODES into its nid; its never-used arrays hold 0,
 * as ours do, and an empty list should not depend on its history).
 */
static void memblock_clear_slots(struct memblock_type *type, unsigned long from, unsigned long to)
{
	if (from < to)
		memset(&type->regions[from], 0, (to - from) * sizeof(type->regions[0]));
}

enum memblock_op {
	MB_ADD,		/* insert [base, end) where not already covered */
	MB_REMOVE,	/* cut [base, end) out */
	MB_SET_NID,	/* [base, end) of existing regions gets nid */
	MB_SET_FLAG,	/* ... gets flags |= arg */
	MB_CLEAR_FLAG,	/* ... gets flags &= ~arg */
};

static const char *const memblock_op_name[] = {
	[MB_ADD] = "add", [MB_REMOVE] = "remove", [MB_SET_NID] = "set the node of",
	[MB_SET_FLAG] = "set flags on", [MB_CLEAR_FLAG] = "clear flags on",
};

struct rewrite {
	struct memblock_region *out;	/* the list's scratch */
	unsigned long n;	/* regions written to scratch */
	unsigned long room;	/* how many the list can take for this window */
	bool overflow;
};

/* Append [base, end) to the rewritten window, merging with its predecessor. */
static void emit(struct rewrite *rw, phys_addr_t base, phys_addr_t end, int nid,
		 enum memblock_flags flags)
{
	struct memblock_region *last = rw->n ? &rw->out[rw->n - 1] : NULL;

	if (base >= end)
		return;
	if (last && region_end(last) == base && last->nid == nid && last->flags == flags) {
		last->size += end - base;
		return;
	}
	if (rw->n >= rw->room) {
		rw->overflow = true;
		return;
	}
	rw->out[rw->n++] = (struct memblock_region){
		.base = base, .size = end - base, .flags = flags, .nid = nid };
}

static int memblock_double_array(struct memblock_type *type, phys_addr_t avoid_base,
				 phys_addr_t avoid_end);

/*
 * Apply op to [base, end) of type. The window is every region that overlaps
 * or touches the range, so merges with the neighbours on both sides happen
 * here too. Returns false, having changed nothing, when the result does not
 * fit in the array.
 */
static bool memblock_rewrite_once(struct memblock_type *type, phys_addr_t base, phys_addr_t end,
				  enum memblock_op op, int nid, enum memblock_flags flags)
{
	/* LAB 1 BEGIN memblock_rewrite_once */
	struct rewrite rw = { .out = memblock_scratch(type) };
	phys_addr_t pos, total = 0;
	unsigned long lo, hi, i, old_cnt;

	for (lo = 0; lo < type->cnt && region_end(&type->regions[lo]) < base; lo++)
		;
	for (hi = lo; hi < type->cnt && type->regions[hi].base <= end; hi++)
		;
	/* The window is [lo, hi); the list keeps cnt - (hi - lo) others. */
	rw.room = type->max - (type->cnt - (hi - lo));

	pos = base;
	for (i = lo; i < hi; i++) {
		const struct memblock_region *r = &type->regions[i];
		phys_addr_t r_end = region_end(r);

		switch (op) {
		case MB_ADD:
			/* The part of the new range before r, then r unchanged. */
			if (pos < r->base)
				emit(&rw, pos, min(r->base, end), nid, flags);
			emit(&rw, r->base, r_end, r->nid, r->flags);
			pos = max(pos, r_end);
			break;
		case MB_REMOVE:
			emit(&rw, r->base, min(r_end, base), r->nid, r->flags);
			emit(&rw, max(r->base, end), r_end, r->nid, r->flags);
			break;
		case MB_SET_NID:
		case MB_SET_FLAG:
		case MB_CLEAR_FLAG: {
			int in_nid = op == MB_SET_NID ? nid : r->nid;
			enum memblock_flags in_flags = op == MB_SET_FLAG ? (r->flags | flags) :
						       op == MB_CLEAR_FLAG ? (r->flags & ~flags) : r->flags;

			emit(&rw, r->base, min(r_end, base), r->nid, r->flags);
			emit(&rw, max(r->base, base), min(r_end, end), in_nid, in_flags);
			emit(&rw, max(r->base, end), r_end, r->nid, r->flags);
			break;
		}
		}
	}
	if (op == MB_ADD && pos < end)
		emit(&rw, pos, end, nid, flags);

	if (rw.overflow)
		return false;

	/* Splice the window back. */
	old_cnt = type->cnt;
	if (rw.n != hi - lo)
		memmove(&type->regions[lo + rw.n], &type->regions[hi],
			(type->cnt - hi) * sizeof(type->regions[0]));
	memcpy(&type->regions[lo], rw.out, rw.n * sizeof(rw.out[0]));
	type->cnt = type->cnt - (hi - lo) + rw.n;
	memblock_clear_slots(type, type->cnt, old_cnt);
	for (i = 0; i < type->cnt; i++)
		total += type->regions[i].size;
	type->total_size = total;
	return true;
	/* LAB 1 END memblock_rewrite_once */
}

/* Apply op to [base, base + size) of type, growing the array when allowed. */
static int memblock_rewrite(struct memblock_type *type, phys_addr_t base, phys_addr_t size,
			    enum memblock_op op, int nid, enum memblock_flags flags)
{
	phys_addr_t end;
	int err;

	if (!size)
		return 0;
	end = base + memblock_cap_size(base, &size);
	if (!size)
		return 0;

	while (!memblock_rewrite_once(type, base, end, op, nid, flags)) {
		if (!memblock_can_resize) {
			pr_err("memblock: %s array is full (%lu regions) and may not grow before memblock_allow_resize(): cannot %s [mem 0x%016llx-0x%016llx]\n",
			       type->name, type->max, memblock_op_name[op],
			       (unsigned long long)base, (unsigned long long)(end - 1));
			return -ENOMEM;
		}
		/*
		 * The new array must not land in the range being changed: one
		 * about to be reserved, or memory about to be removed (withheld
		 * RAM is handed to the buddy later) or re-flagged. Memory being
		 * added is not free memory yet: nothing to avoid.
		 */
		if (type == &memblock.memory && op == MB_ADD)
			err = memblock_double_array(type, 0, 0);
		else
			err = memblock_double_array(type, base, end);
		if (err) {
			pr_err("memblock: %s array is full (%lu regions) and could not grow: cannot %s [mem 0x%016llx-0x%016llx]\n",
			       type->name, type->max, memblock_op_name[op],
			       (unsigned long long)base, (unsigned long long)(end - 1));
			return -ENOMEM;
		}
	}
	return 0;
}

/* ---- growing a list ---- */

void memblock_allow_resize(void)
{
	memblock_can_resize = true;
}

/* Free [base, base + size) of memory, not in [avoid_base, avoid_end), below current_limit. */
static phys_addr_t memblock_find_for_array(phys_addr_t size, phys_addr_t avoid_base,
					   phys_addr_t avoid_end);

/*
 * Double type's array (Linux's memblock_double_array()). While memblock
 * still allocates, the new array is memblock memory outside [avoid_base,
 * avoid_end) (the range the caller is changing); after the hand-off it
 * comes from kmalloc(). Returns 0, or -ENOMEM with a message and nothing
 * changed.
 */
static int memblock_double_array(struct memblock_type *type, phys_addr_t avoid_base,
				 phys_addr_t avoid_end)
{
	unsigned long old_max = type->max, new_max = old_max * 2;
	size_t new_bytes = memblock_array_bytes(new_max);
	phys_addr_t new_alloc = PAGE_ALIGN(new_bytes), addr = 0;
	struct memblock_region *old = type->regions, *new;
	bool *in_slab = memblock_in_slab(type), use_slab = memblock_slab_available();
	bool was_in_slab = *in_slab;

	if (use_slab) {
		new = kmalloc ? kmalloc(new_bytes, GFP_KERNEL) : NULL;
	} else {
		addr = memblock_find_for_array(new_alloc, avoid_base, avoid_end);
		new = addr ? __va(addr) : NULL;
		/*
		 * Reserve it before the switch - unless this is the reserved
		 * list, which has no room for it until the switch. Reserving may
		 * itself grow the reserved list, away from this range.
		 */
		if (new && type != &memblock.reserved &&
		    memblock_rewrite(&memblock.reserved, addr, new_alloc, MB_ADD, NUMA_NO_NODE,
				     MEMBLOCK_NONE))
			new = NULL;
	}
	if (!new) {
		pr_err("memblock: cannot double the %s array from %lu to %lu regions: no %zu bytes from %s\n",
		       type->name, old_max, new_max, new_bytes,
		       use_slab ? "kmalloc" : "memblock below the current limit");
		return -ENOMEM;
	}

	memcpy(new, old, type->cnt * sizeof(*new));
	memset(new + type->cnt, 0, new_bytes - type->cnt * sizeof(*new));
	type->regions = new;
	type->max = new_max;
	*in_slab = use_slab;
	if (use_slab)
		memblock_dbg("memblock: %s array doubled to %lu regions, from kmalloc\n",
			     type->name, new_max);
	else
		memblock_dbg("memblock: %s array doubled to %lu regions at [0x%016llx-0x%016llx]\n",
			     type->name, new_max, (unsigned long long)addr,
			     (unsigned long long)(addr + new_alloc - 1));

	/* The grown reserved list has room now: at most one region more. */
	if (!use_slab && type == &memblock.reserved &&
	    memblock_rewrite(&memblock.reserved, addr, new_alloc, MB_ADD, NUMA_NO_NODE, MEMBLOCK_NONE))
		panic("memblock: the doubled reserved array cannot hold its own range");

	/*
	 * The static arrays stay; an outgrown one goes back where it came from.
	 * One from memblock outgrown after the hand-off only leaves the list:
	 * its pages stay Reserved in the buddy (as in Linux).
	 */
	if (was_in_slab && kfree)
		kfree(old);
	else if (!memblock_is_static_array(old) &&
		 memblock_rewrite(&memblock.reserved, __pa(old), PAGE_ALIGN(memblock_array_bytes(old_max)),
				  MB_REMOVE, 0, 0))
		pr_warn("memblock: the outgrown %s array at %#llx stays reserved\n",
			type->name, (unsigned long long)__pa(old));
	return 0;
}

/* ---- adding, removing, reserving ---- */

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags)
{
	memblock_dbg("memblock_add: [0x%016llx-0x%016llx] nid=%d flags=%#x caller %s\n",
		     (unsigned long long)base, (unsigned long long)(base + size - 1), nid, flags,
		     CALLER(__builtin_return_address(0)));
	return memblock_rewrite(&memblock.memory, base, size, MB_ADD, nid, flags);
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("memblock_add: [0x%016llx-0x%016llx] caller %s\n",
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     CALLER(__builtin_return_address(0)));
	return memblock_rewrite(&memblock.memory, base, size, MB_ADD, NUMA_NO_NODE, MEMBLOCK_NONE);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("memblock_remove: [0x%016llx-0x%016llx] caller %s\n",
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     CALLER(__builtin_return_address(0)));
	return memblock_rewrite(&memblock.memory, base, size, MB_REMOVE, 0, 0);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("memblock_reserve: [0x%016llx-0x%016llx] caller %s\n",
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     CALLER(__builtin_return_address(0)));
	return memblock_rewrite(&memblock.reserved, base, size, MB_ADD, NUMA_NO_NODE, MEMBLOCK_NONE);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("memblock_phys_free: [0x%016llx-0x%016llx] caller %s\n",
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     CALLER(__builtin_return_address(0)));
	return memblock_rewrite(&memblock.reserved, base, size, MB_REMOVE, 0, 0);
}

void memblock_free(void *ptr, size_t size)
{
	if (ptr)
		memblock_phys_free(__pa(ptr), size);
}

int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid)
{
	return memblock_rewrite(type, base, size, MB_SET_NID, nid, 0);
}

int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite(&memblock.memory, base, size, MB_SET_FLAG, 0, MEMBLOCK_HOTPLUG);
}

int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite(&memblock.memory, base, size, MB_CLEAR_FLAG, 0, MEMBLOCK_HOTPLUG);
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite(&memblock.memory, base, size, MB_SET_FLAG, 0, MEMBLOCK_NOMAP);
}

int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_rewrite(&memblock.memory, base, size, MB_CLEAR_FLAG, 0, MEMBLOCK_NOMAP);
}

void memblock_set_movable_node(bool enable)
{
	movable_node_enabled = enable;
}

bool memblock_movable_node(void)
{
	return movable_node_enabled;
}

/* ---- iterators ---- */

/* Linux's numa_valid_node(): any other nid asks for every node. */
static inline bool numa_valid_node(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES;
}

/* Linux's should_skip_region(): which memory regions a walk leaves out (memblock.h). */
static bool should_skip_region(const struct memblock_type *type, const struct memblock_region *m,
			       int nid, enum memblock_flags flags)
{
	/* The reserved list is walked whole; only memory has node and kind. */
	if (type != &memblock.memory)
		return false;
	if (numa_valid_node(nid) && nid != m->nid)
		return true;
	if (movable_node_enabled && memblock_is_hotpluggable(m) && !(flags & MEMBLOCK_HOTPLUG))
		return true;
	if ((flags & MEMBLOCK_MIRROR) && !memblock_is_mirror(m))
		return true;
	if (!(flags & MEMBLOCK_NOMAP) && memblock_is_nomap(m))
		return true;
	if (!(flags & MEMBLOCK_DRIVER_MANAGED) && memblock_is_driver_managed(m))
		return true;
	return false;
}

/*
 * The cursor keeps the index into type_a in its low 32 bits and the index of
 * the current gap of type_b in the high 32 bits; gap j lies between
 * type_b[j - 1] and type_b[j] (gap 0 starts at 0, gap cnt ends at the top).
 * Both lists are sorted, so neither index ever goes back.
 */
void __next_mem_range(uint64_t *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	/* LAB 1 BEGIN __next_mem_range */
	unsigned long idx_a = *idx & 0xffffffffu;
	unsigned long idx_b = *idx >> 32;

	for (; idx_a < type_a->cnt; idx_a++) {
		const struct memblock_region *m = &type_a->regions[idx_a];
		phys_addr_t m_start = m->base, m_end = region_end(m);

		if (should_skip_region(type_a, m, nid, flags))
			continue;

		if (!type_b) {
			if (out_start)
				*out_start = m_start;
			if (out_end)
				*out_end = m_end;
			if (out_nid)
				*out_nid = m->nid;
			*idx = idx_a + 1;
			return;
		}

		for (; idx_b <= type_b->cnt; idx_b++) {
			phys_addr_t r_start = idx_b ? region_end(&type_b->regions[idx_b - 1]) : 0;
			phys_addr_t r_end = idx_b < type_b->cnt ? type_b->regions[idx_b].base
								 : PHYS_ADDR_MAX;

			if (r_start >= m_end)
				break;		/* this gap lies past m: next m */
			if (m_start >= r_end)
				continue;	/* this gap lies before m */
			if (out_start)
				*out_start = max(m_start, r_start);
			if (out_end)
				*out_end = min(m_end, r_end);
			if (out_nid)
				*out_nid = m->nid;
			/* Whichever of the two ends first is done with. */
			if (m_end <= r_end)
				idx_a++;
			else
				idx_b++;
			*idx = (uint64_t)idx_a | ((uint64_t)idx_b << 32);
			return;
		}
	}
	*idx = (uint64_t)-1;
	/* LAB 1 END __next_mem_range */
}

void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid)
{
	struct memblock_type *type = &memblock.memory;
	const struct memblock_region *r = NULL;

	while (++*idx < (int)type->cnt) {
		r = &type->regions[*idx];
		/* Regions too small to hold one whole page have no pfn range. */
		if (memblock_region_memory_base_pfn(r) >= memblock_region_memory_end_pfn(r))
			continue;
		if (!numa_valid_node(nid) || nid == r->nid)
			break;
	}
	if (*idx >= (int)type->cnt) {
		*idx = -1;
		return;
	}
	if (out_start_pfn)
		*out_start_pfn = memblock_region_memory_base_pfn(r);
	if (out_end_pfn)
		*out_end_pfn = memblock_region_memory_end_pfn(r);
	if (out_nid)
		*out_nid = r->nid;
}

/* ---- allocation ---- */

void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

bool memblock_bottom_up(void)
{
	return memblock.bottom_up;
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

phys_addr_t memblock_get_current_limit(void)
{
	return memblock.current_limit;
}

/*
 * Lowest (bottom-up) or highest (top-down) free, aligned [found, found + size)
 * inside [start, end) on nid. Walking forward and keeping the last fit gives
 * the highest one: the free ranges come in address order.
 */
static phys_addr_t memblock_find_in_range_node(phys_addr_t size, phys_addr_t align,
					       phys_addr_t start, phys_addr_t end, int nid,
					       enum memblock_flags flags)
{
	/* LAB 1 BEGIN memblock_find_in_range_node */
	phys_addr_t this_start, this_end, cand, found = 0;
	uint64_t i;

	start = max(start, (phys_addr_t)PAGE_SIZE);	/* 0 means failure */
	if (end <= start || end - start < size)
		return 0;

	for_each_free_mem_range(i, nid, flags, &this_start, &this_end, NULL) {
		this_start = clamp(this_start, start, end);
		this_end = clamp(this_end, start, end);
		if (this_end - this_start < size)
			continue;
		if (memblock.bottom_up) {
			cand = ALIGN(this_start, align);
			if (cand >= this_start && cand < this_end && this_end - cand >= size)
				return cand;
		} else {
			cand = ALIGN_DOWN(this_end - size, align);
			if (cand >= this_start)
				found = cand;
		}
	}
	return found;
	/* LAB 1 END memblock_find_in_range_node */
}

static phys_addr_t memblock_find_for_array(phys_addr_t size, phys_addr_t avoid_base,
					   phys_addr_t avoid_end)
{
	phys_addr_t limit = memblock.current_limit, found = 0;

	if (avoid_end > avoid_base)
		found = memblock_find_in_range_node(size, PAGE_SIZE, avoid_end, limit, NUMA_NO_NODE,
						    MEMBLOCK_NONE);
	if (!found)
		found = memblock_find_in_range_node(size, PAGE_SIZE, 0,
						    avoid_end > avoid_base ? min(avoid_base, limit) : limit,
						    NUMA_NO_NODE, MEMBLOCK_NONE);
	return found;
}

static phys_addr_t memblock_alloc_range_nid_caller(phys_addr_t size, phys_addr_t align,
						   phys_addr_t start, phys_addr_t end, int nid,
						   bool exact_nid, void *caller)
{
	phys_addr_t found;

	if (!size)
		return 0;
	if (!align) {
		/* Linux's rule: a missing alignment is a caller bug; go on with cache lines. */
		pr_warn("memblock: allocation of %#llx bytes from %s without alignment, using %d\n",
			(unsigned long long)size, CALLER(caller), SMP_CACHE_BYTES);
		align = SMP_CACHE_BYTES;
	}
	if (!is_power_of_2(align)) {
		pr_err("memblock: allocation of %#llx bytes from %s: alignment %#llx is not a power of two\n",
		       (unsigned long long)size, CALLER(caller), (unsigned long long)align);
		return 0;
	}
	if (end == MEMBLOCK_ALLOC_ACCESSIBLE)
		end = memblock.current_limit;
	else if (end != MEMBLOCK_ALLOC_ANYWHERE)
		end = min(end, memblock.current_limit);

	found = memblock_find_in_range_node(size, align, start, end, nid, MEMBLOCK_NONE);
	if (!found && numa_valid_node(nid) && !exact_nid)
		found = memblock_find_in_range_node(size, align, start, end, NUMA_NO_NODE,
						    MEMBLOCK_NONE);
	if (found && memblock_rewrite(&memblock.reserved, found, size, MB_ADD, NUMA_NO_NODE,
				      MEMBLOCK_NONE))
		found = 0;

	memblock_dbg("memblock_alloc: %#llx bytes align=%#llx nid=%d from [0x%016llx-0x%016llx] -> %#llx caller %s\n",
		     (unsigned long long)size, (unsigned long long)align, nid,
		     (unsigned long long)start, (unsigned long long)(end - 1),
		     (unsigned long long)found, CALLER(caller));
	return found;
}

phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end,
				     int nid, bool exact_nid)
{
	return memblock_alloc_range_nid_caller(size, align, start, end, nid, exact_nid,
					       __builtin_return_address(0));
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	return memblock_alloc_range_nid_caller(size, align, start, end, NUMA_NO_NODE, false,
					       __builtin_return_address(0));
}

phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_range_nid_caller(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid,
					       false, __builtin_return_address(0));
}

static void *memblock_alloc_internal(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				     phys_addr_t max_addr, int nid, bool exact_nid, void *caller)
{
	phys_addr_t phys;

	/* The result is used through the direct map: only mapped memory will do. */
	if (max_addr == MEMBLOCK_ALLOC_ACCESSIBLE || max_addr > memblock.current_limit)
		max_addr = memblock.current_limit;

	phys = memblock_alloc_range_nid_caller(size, align, min_addr, max_addr, nid, exact_nid,
					       caller);
	/* min_addr is a preference, not a limit (as in Linux). */
	if (!phys && min_addr)
		phys = memblock_alloc_range_nid_caller(size, align, 0, max_addr, nid, exact_nid,
						       caller);
	return phys ? __va(phys) : NULL;
}

void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid)
{
	void *ptr = memblock_alloc_internal(size, align, min_addr, max_addr, nid, false,
					    __builtin_return_address(0));

	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}

void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid)
{
	return memblock_alloc_internal(size, align, min_addr, max_addr, nid, false,
				       __builtin_return_address(0));
}

void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				   phys_addr_t max_addr, int nid)
{
	return memblock_alloc_internal(size, align, min_addr, max_addr, nid, true,
				       __builtin_return_address(0));
}

/* ---- questions about the lists ---- */

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned long n = memblock.memory.cnt;

	return n ? region_end(&memblock.memory.regions[n - 1]) : 0;
}

/*
 * mem=limit: keep the lowest `limit` bytes of memory (holes do not count),
 * drop everything above, reserved ranges included (as Linux does).
 */
void memblock_enforce_memory_limit(phys_addr_t limit)
{
	phys_addr_t max_addr = PHYS_ADDR_MAX;
	unsigned long i;

	if (!limit)
		return;
	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (limit <= r->size) {
			max_addr = r->base + limit;
			break;
		}
		limit -= r->size;
	}
	if (max_addr == PHYS_ADDR_MAX)
		return;		/* there is less memory than the limit */

	pr_info("memblock: mem= limit: memory above 0x%016llx removed\n",
		(unsigned long long)max_addr);
	/* Removing a tail never splits a region, so neither can run out of room. */
	memblock_rewrite(&memblock.memory, max_addr, PHYS_ADDR_MAX, MB_REMOVE, 0, 0);
	memblock_rewrite(&memblock.reserved, max_addr, PHYS_ADDR_MAX, MB_REMOVE, 0, 0);
}

/* Index of the region of type containing addr, or -1. */
static long memblock_search(const struct memblock_type *type, phys_addr_t addr)
{
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		const struct memblock_region *r = &type->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr >= region_end(r))
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

bool memblock_is_memory(phys_addr_t addr)
{
	return memblock_search(&memblock.memory, addr) >= 0;
}

/* True when every byte of the range is memory (it may span touching regions). */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + memblock_cap_size(base, &size);
	long i = memblock_search(&memblock.memory, base);

	if (i < 0)
		return false;
	for (; (unsigned long)i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (r->base > base)
			return false;	/* a hole */
		base = region_end(r);
		if (base >= end)
			return true;
	}
	return false;
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return memblock_search(&memblock.reserved, addr) >= 0;
}

/*
 * Does any region of type share a byte with [base, base + size)? The test is
 * Linux's memblock_addrs_overlap(), quirk included: an empty range strictly
 * inside a region counts as overlapping it.
 */
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = base + memblock_cap_size(base, &size);
	unsigned long i;

	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base < end && base < region_end(r))
			return true;
	}
	return false;
}

/* True when any byte of the range is reserved (Linux's meaning). */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return memblock_overlaps_region(&memblock.reserved, base, size);
}

/*
 * Shrink every memory region to whole multiples of align: the base rounds
 * up, the end down, and a region with nothing left is dropped (Linux's
 * memblock_trim_memory()). Unlike Linux, total_size follows the trimmed
 * sizes, so memblock_phys_mem_size() stays the sum of the regions. Trimming
 * only moves ends inward, so no two regions come to touch that did not
 * already, and the list never needs more room.
 */
void memblock_trim_memory(phys_addr_t align)
{
	struct memblock_type *type = &memblock.memory;
	unsigned long i, n = 0, old_cnt = type->cnt;
	phys_addr_t total = 0;

	if (!align || !is_power_of_2(align)) {
		pr_err("memblock: trim of memory to %#llx bytes from %s: the alignment must be a power of two; nothing trimmed\n",
		       (unsigned long long)align, CALLER(__builtin_return_address(0)));
		return;
	}
	for (i = 0; i < old_cnt; i++) {
		struct memblock_region r = type->regions[i];
		phys_addr_t start = ALIGN(r.base, align);
		phys_addr_t end = ALIGN_DOWN(region_end(&r), align);

		/* ALIGN of a base near the top wraps to 0: nothing whole is left. */
		if (start < r.base || start >= end) {
			memblock_dbg("memblock_trim_memory: [0x%016llx-0x%016llx] dropped\n",
				     (unsigned long long)r.base,
				     (unsigned long long)(region_end(&r) - 1));
			continue;
		}
		r.base = start;
		r.size = end - start;
		type->regions[n++] = r;
		total += r.size;
	}
	type->cnt = n;
	type->total_size = total;
	memblock_clear_slots(type, n, old_cnt);
}

int memblock_search_pfn_nid(unsigned long pfn, unsigned long *start_pfn, unsigned long *end_pfn)
{
	const struct memblock_type *type = &memblock.memory;
	long i = memblock_search(type, PFN_PHYS(pfn));

	if (i < 0)
		return NUMA_NO_NODE;
	if (start_pfn)
		*start_pfn = PFN_DOWN(type->regions[i].base);
	if (end_pfn)
		*end_pfn = PFN_DOWN(region_end(&type->regions[i]));
	return type->regions[i].nid;
}

/* ---- the memblock=debug dump ---- */

static void memblock_dump_type(const struct memblock_type *type, void (*out)(const char *))
{
	char line[160], node[24];
	unsigned long i;

	snprintf(line, sizeof(line), " %s.cnt  = 0x%lx\n", type->name, type->cnt);
	out(line);
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		node[0] = '\0';
		if (r->nid != NUMA_NO_NODE)
			snprintf(node, sizeof(node), " on node %d", r->nid);
		snprintf(line, sizeof(line), " %s[0x%lx]\t[0x%016llx-0x%016llx], 0x%016llx bytes%s flags: 0x%x\n",
			 type->name, i, (unsigned long long)r->base,
			 (unsigned long long)(region_end(r) - 1), (unsigned long long)r->size,
			 node, r->flags);
		out(line);
	}
}

void memblock_dump(void (*emit_line)(const char *line))
{
	char line[128];

	emit_line("MEMBLOCK configuration:\n");
	snprintf(line, sizeof(line), " memory size = 0x%016llx reserved size = 0x%016llx\n",
		 (unsigned long long)memblock.memory.total_size,
		 (unsigned long long)memblock.reserved.total_size);
	emit_line(line);
	memblock_dump_type(&memblock.memory, emit_line);
	memblock_dump_type(&memblock.reserved, emit_line);
}

static void emit_info(const char *line)
{
	pr_info("%s", line);
}

void __memblock_dump_all(void)
{
	memblock_dump(emit_info);
}

void memblock_dump_all(void)
{
	if (memblock_debug)
		__memblock_dump_all();
}
