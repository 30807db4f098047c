/* SPDX-License-Identifier: MIT */
/*
 * DOC: tlb.h - TLB shootdown for kernel mappings
 *
 * Every CPU caches translations of the one kernel page-table tree (TLB)
 * and the upper-level entries it walked (paging-structure caches). So
 * taking a kernel mapping away goes in this order, on every path that
 * unmaps (kernel_unmap() in pgtable.c, which serves the direct map, the
 * vmemmap and ioremap):
 *
 *   1. clear the entries (under the page-table lock);
 *   2. flush_tlb_kernel_range(): flush on this CPU and on every other
 *      online CPU, and wait until each has done it;
 *   3. only then free the page-table pages that became empty, and the
 *      memory the mapping pointed to (sparse.c: a memmap taken from online
 *      memory).
 *
 * Between 1 and 3 another CPU may still reach the old pages through its
 * TLB; after 2 none can, so freeing them is safe. The page-table pages of
 * step 3 are collected in a struct mmu_gather (a list threaded through the
 * pages themselves: they are empty, so the list costs no memory and has no
 * bound) and freed by tlb_finish_mmu() after the flush.
 *
 * A flush of up to tlb_single_page_flush_ceiling pages is one invlpg per
 * page (invlpg also drops every paging-structure-cache entry); a larger one
 * flushes everything, global entries included (__flush_tlb_all). Before SMP
 * is up, or with one CPU online, the flush is local only.
 */
#ifndef HOTMM_ARCH_TLB_H
#define HOTMM_ARCH_TLB_H

#include "arch/x86_64/page.h"

#define TLB_FLUSH_ALL	(~0UL)

/* Linux's default: above 33 pages one full flush is cheaper than invlpg per page. */
extern unsigned long tlb_single_page_flush_ceiling;

/* This CPU only. */
void __flush_tlb_one_kernel(unsigned long addr);
void __flush_tlb_all(void);		/* everything, _PAGE_GLOBAL entries included */

/*
 * Every online CPU: returns when each has flushed [start, end) (end
 * TLB_FLUSH_ALL: everything). Callable with locks held and interrupts off
 * (the flush is an SCF_ANYWHERE call, arch/x86_64/smp.h); not from
 * interrupt context.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void flush_tlb_all(void);

/* Page-table pages waiting for the flush (see the overview). */
struct mmu_gather {
	unsigned long start, end;	/* the range whose entries were cleared */
	phys_addr_t tables;		/* first table page of the list, 0 if none */
	unsigned long nr_tables;
	void (*free_table)(phys_addr_t pa);
};

void tlb_gather_mmu_kernel(struct mmu_gather *tlb, unsigned long start, unsigned long end,
			   void (*free_table)(phys_addr_t pa));
/* @pa is detached from the tree and all zero; tlb_finish_mmu() frees it after the flush. */
void tlb_remove_table(struct mmu_gather *tlb, phys_addr_t pa);
/* Flush the range on every CPU, then free the collected tables. */
void tlb_finish_mmu(struct mmu_gather *tlb);

/* Since boot, for self-tests and `tlb`. */
struct tlb_stats {
	unsigned long flushes;		/* flush_tlb_kernel_range() calls */
	unsigned long shootdowns;	/* of those, with other CPUs to wait for */
	unsigned long full;		/* of those, full flushes */
	unsigned long tables_freed;	/* page-table pages freed after a flush */
};
void tlb_get_stats(struct tlb_stats *st);

#endif
