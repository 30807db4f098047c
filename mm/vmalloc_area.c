/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmalloc_area.c - first-fit ranges in a window, one guard after each
 *
 * See mm/vmalloc_area.h for the rules. Everything here is arithmetic on a
 * sorted list; every sum is checked for overflow because the window ends
 * 16 TiB below the top of the address space and a huge size must fail
 * with -ENOMEM, not wrap around.
 */
#include <errno.h>
#include "mm/vmalloc_area.h"
#include "arch/x86_64/page.h"

int alloc_vmap_area(struct vmap_space *s, struct vmap_area *va, unsigned long size)
{
	struct vmap_area *prev = NULL, *next = s->first;
	unsigned long need, base = s->start;

	if (!size || (size & ~PAGE_MASK))
		return -EINVAL;
	if (__builtin_add_overflow(size, s->guard, &need))
		return -ENOMEM;
	/* The gap before `next` is [base, next->va_start); after the last area it is [base, end). */
	for (;;) {
		unsigned long limit = next ? next->va_start : s->end;

		if (base <= limit && limit - base >= need)
			break;
		if (!next)
			return -ENOMEM;
		base = next->va_end + s->guard;
		prev = next;
		next = next->next;
	}
	va->va_start = base;
	va->va_end = base + size;
	va->prev = prev;
	va->next = next;
	if (prev)
		prev->next = va;
	else
		s->first = va;
	if (next)
		next->prev = va;
	s->nr_areas++;
	s->busy += size;
	return 0;
}

void free_vmap_area(struct vmap_space *s, struct vmap_area *va)
{
	if (va->prev)
		va->prev->next = va->next;
	else
		s->first = va->next;
	if (va->next)
		va->next->prev = va->prev;
	va->prev = va->next = NULL;
	s->nr_areas--;
	s->busy -= va->va_end - va->va_start;
}

struct vmap_area *find_vmap_area(const struct vmap_space *s, unsigned long addr)
{
	for (struct vmap_area *va = s->first; va && va->va_start <= addr; va = va->next)
		if (addr < va->va_end)
			return va;
	return NULL;
}
