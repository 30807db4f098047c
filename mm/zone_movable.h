/* SPDX-License-Identifier: MIT */
/*
 * DOC: zone_movable.h - which boot RAM goes to ZONE_MOVABLE
 *
 * Linux's find_zone_movable_pfns_for_nodes(): zone_movable_pfn[nid] is the
 * first pfn of node nid's boot RAM in ZONE_MOVABLE (0: none); everything of
 * the node from there up is movable, the rest ZONE_NORMAL. Three ways to ask
 * for it, with Linux's meaning:
 *   movable_node        from the lowest hot-pluggable (SRAT, MEMBLOCK_HOTPLUG)
 *                       range of each node up; kernelcore=/movablecore= are
 *                       then ignored;
 *   kernelcore=SIZE|N%  that much boot RAM stays usable for kernel data,
 *                       spread evenly over the nodes (a node too small for
 *                       its share gives all it has, the others make up);
 *   movablecore=SIZE|N% that much goes to ZONE_MOVABLE; with kernelcore= as
 *                       well, the larger kernel part wins.
 * Where Linux rounds the start up to MAX_ORDER_NR_PAGES, here it rounds up
 * to the memory block size: a memory block is in one zone, so every boot
 * block can go offline and online again as a unit. A start at or beyond the
 * node's end means no ZONE_MOVABLE there.
 *
 * Computed once from memblock.memory (after the SRAT tagged it, before the
 * zones are built); mm_init.c stamps each boot page with boot_zone_of_pfn().
 */
#ifndef HOTMM_MM_ZONE_MOVABLE_H
#define HOTMM_MM_ZONE_MOVABLE_H

#include "lib/compiler.h"
#include "mm/mmzone.h"

extern unsigned long zone_movable_pfn[MAX_NUMNODES];

/*
 * kernelcore= / movablecore=: bytes, or percent (0..100) of boot RAM when
 * percent is true. Returns 0, or -EINVAL after naming the option and value.
 */
int set_kernelcore(uint64_t value, bool percent);
int set_movablecore(uint64_t value, bool percent);

/* Fill zone_movable_pfn[] from memblock.memory and the options; says what it chose. */
void find_zone_movable_pfns_for_nodes(void);

/* The zone boot RAM at pfn of node nid belongs to. */
static inline enum zone_type boot_zone_of_pfn(int nid, unsigned long pfn)
{
	unsigned long m = (nid >= 0 && nid < MAX_NUMNODES) ? zone_movable_pfn[nid] : 0;

	return m && pfn >= m ? ZONE_MOVABLE : ZONE_NORMAL;
}

/* The memory block size (memory_block.c sets it with the block size). */
void zone_movable_set_align(uint64_t bytes);

/* Host tests: no ZONE_MOVABLE, options cleared. */
void zone_movable_reset(void);

#endif
