/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmalloc.h - the movable heap: virtually contiguous memory whose pages can move
 *
 * (Contract written by the lead; mm/vmalloc.c implements it. Users:
 * lib/malloc.c for newlib's large requests, the shell's memhog.)
 *
 * vmalloc_movable(size) returns memory at a stable kernel address in the
 * movable heap's window (arch/x86_64/page.h: VMALLOC_MOVABLE_START/END,
 * in the vmalloc part of Linux's address map), backed page by page by
 * order-0 __GFP_MOVABLE pages mapped with 4 KiB PTEs. Each backing page is
 * movable (mm/migrate.h) with the heap as owner: page->private holds the
 * virtual address it backs.
 *
 * Moving a backing page (the heap's migrate_page, or its unmap_page and
 * move_page when the core moves a batch): replace its PTE by a migration
 * entry (not present, naming the old pfn), shoot the TLB down on every CPU
 * (flush_tlb_kernel_range; once for a whole batch), check no pin appeared,
 * copy, point the PTE at the new page. A CPU that touches the page in between takes a
 * page fault; the fault handler sees the migration entry and waits, with
 * cpu_relax(), until the PTE is present again, then returns and the access
 * is retried - and reads the new page (Linux's migration entries).
 *
 * Guard: one unmapped page after every area, so an overrun faults.
 */
#ifndef HOTMM_MM_VMALLOC_H
#define HOTMM_MM_VMALLOC_H

#include "lib/compiler.h"

/* NULL (after saying why, unless __GFP_NOWARN-like quiet is asked) when out of memory or window. */
void *vmalloc_movable(size_t size);
void *vmalloc_movable_node(size_t size, int nid);
/* Free an area from vmalloc_movable (NULL: nothing); a bad address is reported and ignored. */
void vfree(const void *addr);
/* Bytes usable at addr (its size rounded up to pages); 0 if addr is not the start of an area. */
size_t vmalloc_size(const void *addr);
bool is_vmalloc_movable_addr(const void *addr);

/*
 * The page-fault hook (arch/x86_64/traps.c): a fault at addr inside the
 * movable heap on a migration entry waits until the entry is replaced and
 * returns true (retry the access); false for any other fault.
 */
bool vmalloc_fault(unsigned long addr);

/* Totals for `meminfo`-style reports: areas, pages backing them. */
void vmalloc_movable_stats(unsigned long *areas, unsigned long *pages);

#endif
