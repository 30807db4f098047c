/* SPDX-License-Identifier: MIT */
/*
 * DOC: gfp.h - the page allocator's interface for everybody
 *
 * Linux's names and meanings. An allocation picks zones from the preferred
 * node (the CPU's, or the one asked for) and falls back to the other nodes
 * unless __GFP_THISNODE. Movable requests may use ZONE_MOVABLE and come from
 * movable pageblocks; the rest stay in ZONE_NORMAL.
 *
 * Out of memory returns NULL with a rate-limited message naming the node,
 * zone and order (__GFP_NOWARN silences it). Only __GFP_NOFAIL panics, and
 * only after draining every per-CPU list.
 */
#ifndef HOTMM_MM_GFP_H
#define HOTMM_MM_GFP_H

#include "lib/compiler.h"
#include "mm/page.h"

typedef unsigned int gfp_t;

#define __GFP_ZERO	0x01u	/* zero the pages */
#define __GFP_MOVABLE	0x02u	/* the contents can move: ZONE_MOVABLE and movable pageblocks */
#define __GFP_NOFAIL	0x04u	/* the caller cannot handle failure: panic instead of NULL */
#define __GFP_NOWARN	0x08u	/* failure is expected: no message */
#define __GFP_THISNODE	0x10u	/* only the preferred node */

#define GFP_KERNEL	0u
#define GFP_MOVABLE	__GFP_MOVABLE

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
struct page *alloc_pages(gfp_t gfp, unsigned int order);
static inline struct page *alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }

/* Drop a reference; the last one gives the block back. order must be the allocation's. */
void __free_pages(struct page *page, unsigned int order);
static inline void __free_page(struct page *page) { __free_pages(page, 0); }

/* Direct-map address of the block, or 0. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
static inline unsigned long __get_free_page(gfp_t gfp) { return __get_free_pages(gfp, 0); }
static inline unsigned long get_zeroed_page(gfp_t gfp) { return __get_free_pages(gfp | __GFP_ZERO, 0); }
void free_pages(unsigned long addr, unsigned int order);
static inline void free_page(unsigned long addr) { free_pages(addr, 0); }

static inline void get_page(struct page *page) { page_ref_inc(page); }

#endif
