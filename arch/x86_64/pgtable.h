/* SPDX-License-Identifier: MIT */
/*
 * DOC: pgtable.h - mapping and unmapping kernel virtual ranges
 *
 * One page-table walker serves the direct map, the vmemmap and ioremap.
 * kernel_map() uses the largest page size that alignment of both addresses
 * and the remaining size allow (1 GiB only where the CPU has pdpe1gb, then
 * 2 MiB, then 4 KiB) unless flags force a size. Page-table pages come from
 * memblock before the buddy allocator is up and from alloc_pages() after
 * (pgtable_set_allocator()).
 *
 * kernel_unmap() clears the entries, flushes the range on every online CPU
 * and waits for all of them, and only then frees the page-table pages that
 * became empty (arch/x86_64/tlb.h): when it returns, no CPU can reach the
 * old pages through the range any more.
 */
#ifndef HOTMM_ARCH_PGTABLE_H
#define HOTMM_ARCH_PGTABLE_H

#include "arch/x86_64/page.h"

#define _PAGE_PRESENT	(1UL << 0)
#define _PAGE_RW	(1UL << 1)
#define _PAGE_USER	(1UL << 2)
#define _PAGE_PWT	(1UL << 3)
#define _PAGE_PCD	(1UL << 4)
#define _PAGE_ACCESSED	(1UL << 5)
#define _PAGE_DIRTY	(1UL << 6)
#define _PAGE_PSE	(1UL << 7)
#define _PAGE_GLOBAL	(1UL << 8)
#define _PAGE_SOFTW1	(1UL << 9)	/* ignored by the CPU: software's (Linux's name) */
#define _PAGE_NX	(1UL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000UL

/* kernel_map() flags */
#define KMAP_RW		0x1	/* writable (always, for now: no W^X yet) */
#define KMAP_NOCACHE	0x2	/* MMIO: PCD|PWT */
#define KMAP_4K		0x4	/* only 4 KiB pages */
#define KMAP_NO1G	0x8	/* at most 2 MiB pages */

int kernel_map(unsigned long va, phys_addr_t pa, unsigned long size, unsigned int flags);
/*
 * Unmap: clear, TLB shootdown on every online CPU, then free the
 * page-table pages that became empty. Not from interrupt context.
 */
void kernel_unmap(unsigned long va, unsigned long size);
/* Bytes mapped from @va on, page by page, up to @max (stops at the first hole). */
unsigned long kernel_mapped_run(unsigned long va, unsigned long max);

/* Allocator for page-table pages: returns a zeroed page's physical address or 0. */
typedef phys_addr_t (*pgtable_alloc_fn)(void);
typedef void (*pgtable_free_fn)(phys_addr_t pa);
void pgtable_set_allocator(pgtable_alloc_fn alloc, pgtable_free_fn free);

/* Map all of memblock.memory into the direct map (boot). */
void init_direct_map(void);
/* Direct-map a range of hot-added RAM / take it away again. */
int arch_add_direct_map(phys_addr_t start, phys_addr_t size);
void arch_remove_direct_map(phys_addr_t start, phys_addr_t size);

bool cpu_has_pdpe1gb(void);

/*
 * One 4 KiB kernel PTE, read or replaced under the page-table lock (the
 * movable heap, mm/vmalloc.c, moving a page behind a stable address).
 * kernel_pte_get() returns the entry mapping @va, or 0 when no page table
 * reaches it (absent, or a 1 GiB/2 MiB page is in the way).
 * kernel_pte_xchg() swaps the entry atomically (the CPU may be setting
 * Accessed/Dirty in it at the same moment) and returns the old one; where
 * no page table exists it writes nothing and returns 0. Neither flushes:
 * a caller that takes a present entry away flushes the TLB itself
 * (flush_tlb_kernel_range), one that makes a not-present entry present
 * needs no flush (the CPU caches no not-present entries).
 */
uint64_t kernel_pte_get(unsigned long va);
uint64_t kernel_pte_xchg(unsigned long va, uint64_t pte);

/*
 * Migration entries in kernel PTEs (Linux has them in user PTEs only, as
 * swap entries of a migration type): while a heap page is copied, its PTE
 * is not present and says so:
 *
 *   bit  0      P = 0: every access faults (and the CPU ignores bits 1-63)
 *   bit  1      RW of the entry it replaced (Linux's writable migration entry)
 *   bit  9      _PAGE_MIGRATION (_PAGE_SOFTW1): the marker
 *   bits 12-51  pfn of the page being moved (the old one)
 *   all others  0
 *
 * No other not-present kernel PTE has bit 9 set (kernel_unmap leaves
 * zero), so the fault path (vmalloc_fault) can tell "wait, the page is
 * moving" from a real bug. kernel_unmap() clears present entries only: a
 * range must hold no migration entry when it is unmapped (vfree waits for
 * its moves first).
 */
#define _PAGE_MIGRATION	_PAGE_SOFTW1

static inline uint64_t make_migration_entry(uint64_t pte)
{
	return (pte & (PTE_ADDR_MASK | _PAGE_RW)) | _PAGE_MIGRATION;
}

static inline bool is_migration_entry(uint64_t pte)
{
	return !(pte & _PAGE_PRESENT) && (pte & _PAGE_MIGRATION);
}

static inline unsigned long migration_entry_to_pfn(uint64_t pte)
{
	return PHYS_PFN(pte & PTE_ADDR_MASK);
}

#endif
