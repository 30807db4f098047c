/* SPDX-License-Identifier: MIT */
/*
 * DOC: page.h - the virtual address map and phys <-> virt conversion
 *
 * Linux's own numbers (4-level paging):
 *   0xffff888000000000 + phys   direct map of all RAM (__va / __pa)
 *   0xffffc90000000000 32 TiB   Linux's vmalloc/ioremap space, split in two:
 *     0xffffc90000000000 16 TiB   ioremap window (arch/x86_64/ioremap.c)
 *     0xffffd90000000000 16 TiB   the movable heap (mm/vmalloc.c)
 *   0xffffea0000000000 + pfn*64 vmemmap: the struct page array
 *   0xffffffff80000000 + phys   the kernel image (loaded at physical 1 MiB)
 *
 * This header is the one owner of the map: every window's bounds are
 * defined here and nowhere else. The two halves of the vmalloc space are
 * kept apart because they are managed differently (ioremap: a bump pointer
 * over device and firmware ranges; the heap: areas that are freed, reused,
 * and whose pages move), and a fault in one must never be read as the
 * other's (the page-fault hook looks only at the heap's half).
 *
 * Host tests (HOTMM_HOST) have no such map: they set host_phys_base to the
 * host address that stands for physical 0 of their simulated RAM, so the
 * same __va/__pa arithmetic works on a malloc'ed buffer.
 */
#ifndef HOTMM_ARCH_PAGE_H
#define HOTMM_ARCH_PAGE_H

#include "lib/compiler.h"

typedef uint64_t phys_addr_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PUD_SHIFT	30
#define PUD_SIZE	(1UL << PUD_SHIFT)

#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))

#define PAGE_OFFSET	0xffff888000000000UL	/* direct map */
#define VMALLOC_START	0xffffc90000000000UL	/* Linux's vmalloc space: ioremap, then the heap */
#define VMALLOC_END	0xffffe90000000000UL
#define IOREMAP_START	VMALLOC_START		/* ioremap's half */
#define IOREMAP_END	0xffffd90000000000UL
#define VMALLOC_MOVABLE_START	IOREMAP_END	/* the movable heap's half */
#define VMALLOC_MOVABLE_END	VMALLOC_END
#define VMEMMAP_START	0xffffea0000000000UL	/* struct page array */
#define KERNEL_VBASE	0xffffffff80000000UL	/* kernel image, -2 GiB */
#define MAX_PHYSMEM_BITS 46			/* 64 TiB: what 4-level paging's direct map holds */

#ifdef HOTMM_HOST
extern uintptr_t host_phys_base;
#define __va(p)		((void *)((uintptr_t)(p) + host_phys_base))
#define __pa(v)		((phys_addr_t)((uintptr_t)(v) - host_phys_base))
#else
#define __va(p)		((void *)((uintptr_t)(p) + PAGE_OFFSET))
#define __pa(v)		((phys_addr_t)((uintptr_t)(v) - PAGE_OFFSET))
/* Symbols of the kernel image live at KERNEL_VBASE + phys. */
#define __pa_symbol(v)	((phys_addr_t)((uintptr_t)(v) - KERNEL_VBASE))
#endif

#endif
