/* SPDX-License-Identifier: MIT */
/*
 * DOC: ioremap.c - mapping firmware tables and device registers
 *
 * Non-RAM gets virtual addresses from the lower half of Linux's vmalloc
 * space, [IOREMAP_START, IOREMAP_END) (arch/x86_64/page.h; the upper half
 * is the movable heap's), handed out by a bump pointer: the window is
 * 16 TiB and boot maps only a few hundred pages, so addresses are never
 * reused and no free list is needed. RAM needs no new mapping: it is
 * in the direct map already (if memblock knows it as memory).
 *
 * Every mapping is followed by one unmapped guard page, which is also how
 * iounmap() finds a mapping's end without keeping its size. Unmapping goes
 * through kernel_unmap() like every other kernel mapping: entries cleared,
 * TLB flushed on every online CPU, page-table pages freed only after that
 * (arch/x86_64/tlb.h).
 */
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/spinlock.h"
#include "mm/memblock.h"
#include "kernel/printk.h"

static unsigned long next_va = IOREMAP_START;
static DEFINE_SPINLOCK(ioremap_lock);

static void *map_range(phys_addr_t phys, unsigned long size, unsigned int flags)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	unsigned long len = ALIGN(phys + size, PAGE_SIZE) - base;
	unsigned long va, irqf;

	if (!size || phys + size < phys)
		return NULL;
	if (!(flags & KMAP_NOCACHE) && memblock_is_region_memory(phys, size))
		return __va(phys);
	spin_lock_irqsave(&ioremap_lock, irqf);
	va = next_va;
	if (va + len > IOREMAP_END || va + len < va) {
		spin_unlock_irqrestore(&ioremap_lock, irqf);
		pr_err("ioremap: window full mapping phys 0x%llx+0x%lx\n", (unsigned long long)phys, size);
		return NULL;
	}
	next_va += len + PAGE_SIZE;	/* one unmapped guard page between mappings */
	spin_unlock_irqrestore(&ioremap_lock, irqf);
	if (kernel_map(va, base, len, flags | KMAP_4K)) {
		pr_err("ioremap: cannot map phys 0x%llx+0x%lx\n", (unsigned long long)phys, size);
		return NULL;
	}
	return (void *)(va + (phys - base));
}

static void unmap_range(void *virt, unsigned long size)
{
	unsigned long va = (unsigned long)virt;

	if (va < IOREMAP_START || va >= IOREMAP_END)
		return;		/* direct map: nothing to undo */
	kernel_unmap(ALIGN_DOWN(va, PAGE_SIZE), ALIGN(va + size, PAGE_SIZE) - ALIGN_DOWN(va, PAGE_SIZE));
}

void *early_memremap(phys_addr_t phys, unsigned long size)
{
	return map_range(phys, size, KMAP_RW);
}

void early_memunmap(void *virt, unsigned long size)
{
	unmap_range(virt, size);
}

void __iomem *ioremap(phys_addr_t phys, unsigned long size)
{
	return map_range(phys, size, KMAP_RW | KMAP_NOCACHE);
}

void iounmap(void __iomem *virt)
{
	unsigned long va = ALIGN_DOWN((unsigned long)virt, PAGE_SIZE), size;

	if (va < IOREMAP_START || va >= IOREMAP_END)
		return;		/* RAM handed out through the direct map */
	/* The guard page after each mapping ends the run (map_range). */
	size = kernel_mapped_run(va, IOREMAP_END - va);
	if (size)
		unmap_range((void *)va, size);
}
