/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmalloc_area.h - the movable heap's virtual range allocator
 *
 * A struct vmap_space is a window [start, end) of kernel virtual addresses;
 * a struct vmap_area is one busy range [va_start, va_end) in it, followed by
 * `guard` bytes that nobody maps (an overrun faults). The areas are kept
 * on a list sorted by address; allocation is first fit: the lowest gap
 * that holds size + guard, so freed ranges are reused, lowest first
 * (Linux's alloc_vmap_area/free_vmap_area/find_vmap_area, with a list in
 * place of the red-black tree: the heap holds tens of areas, not millions).
 *
 * Records are the caller's (mm/vmalloc.c kmallocs them; host tests use
 * malloc) and so is the locking: nothing here allocates, sleeps or locks,
 * which is what lets tests/host/test_vmalloc_area.c compile it unchanged.
 *
 * Invariants: areas are page-aligned, non-empty, sorted, and each area's
 * va_end + guard <= the next one's va_start and <= space end.
 */
#ifndef HOTMM_MM_VMALLOC_AREA_H
#define HOTMM_MM_VMALLOC_AREA_H

#include "lib/compiler.h"

struct page;

struct vmap_area {
	unsigned long va_start, va_end;		/* the usable range; the guard follows */
	struct vmap_area *prev, *next;		/* sorted by va_start */
	/* ---- the owner's (mm/vmalloc.c), untouched here ---- */
	int state;				/* enum vmalloc_area_state */
	unsigned int isolated;			/* pages isolated for migration now */
	unsigned long nr_pages;
	struct page **pages;			/* page i backs va_start + i * PAGE_SIZE */
};

struct vmap_space {
	unsigned long start, end;		/* the window */
	unsigned long guard;			/* bytes left unmapped after each area */
	struct vmap_area *first;		/* lowest area, NULL when empty */
	unsigned long nr_areas;
	unsigned long busy;			/* bytes in areas, guards not counted */
};

#define VMAP_SPACE_INIT(s, e, g) { .start = (s), .end = (e), .guard = (g) }

/*
 * Give @va a free range of @size bytes (a non-zero multiple of the page
 * size): the lowest gap that holds size + guard. 0, -EINVAL (size not a
 * page multiple, or zero) or -ENOMEM (no gap that large).
 */
int alloc_vmap_area(struct vmap_space *s, struct vmap_area *va, unsigned long size);
/* Take @va out of the space; its range may be handed out again at once. */
void free_vmap_area(struct vmap_space *s, struct vmap_area *va);
/* The area whose [va_start, va_end) holds @addr (a guard page is in none), or NULL. */
struct vmap_area *find_vmap_area(const struct vmap_space *s, unsigned long addr);

#endif
