/* SPDX-License-Identifier: MIT */
/*
 * DOC: sorted.h - walking a linker-section table in name order
 *
 * Shell commands and command-line options sit in linker sections in link
 * order; users want them listed alphabetically. The tables are small and
 * read-only, so instead of sorting a copy, each step picks the smallest
 * name above the previous one. Every entry must start with `const char *name`.
 */
#ifndef HOTMM_LIB_SORTED_H
#define HOTMM_LIB_SORTED_H

#include <string.h>
#include "lib/compiler.h"

/* The entry of [first, end) with the smallest name greater than `after` (NULL: none). */
static inline const void *next_by_name(const void *first, const void *end, size_t stride,
				       const char *after)
{
	const void *best = NULL;

	for (const char *p = first; p < (const char *)end; p += stride) {
		const char *name = *(const char *const *)p;

		if (strcmp(name, after) > 0 && (!best || strcmp(name, *(const char *const *)best) < 0))
			best = p;
	}
	return best;
}

#define for_each_by_name(e, first, end) \
	for (e = next_by_name(first, end, sizeof(*(first)), ""); e; \
	     e = next_by_name(first, end, sizeof(*(first)), e->name))

#endif
