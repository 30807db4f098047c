/* SPDX-License-Identifier: MIT */
/*
 * DOC: pgtable.c - the kernel's page tables
 *
 * One 4-level tree serves everything: the kernel image at -2 GiB, the direct
 * map at PAGE_OFFSET, the vmemmap and the ioremap window. kernel_map() picks
 * the largest page each step allows: 1 GiB only when CPUID says pdpe1gb
 * (QEMU's default TCG CPU lacks it: TCG would not fault, real hardware
 * would), 2 MiB when both addresses are aligned and 2 MiB remain, else
 * 4 KiB. The direct map covers RAM only, page-exact: no large page may
 * cover non-RAM, where a speculative access could reach device memory or
 * firmware with the wrong cache attributes.
 *
 * Page-table pages are reached through the direct map, so they must come
 * from memory that is already mapped: memblock below its current limit at
 * boot, the buddy allocator later (pgtable_set_allocator()).
 *
 * Unmapping (kernel_unmap(), the one path for the direct map, the vmemmap
 * and ioremap) goes in Linux's order: clear the entries under the lock and
 * collect the page-table pages that became empty in a struct mmu_gather;
 * drop the lock; flush the range on every online CPU and wait for all of
 * them (flush_tlb_kernel_range(), arch/x86_64/tlb.h); only then free the
 * collected tables. Until the flush another CPU may still walk them through
 * its paging-structure caches, so they must not be reused before it.
 * kernel_unmap() returns after the flush: a caller may free the memory the
 * mapping pointed to as soon as it returns.
 *
 * kernel_pte_get()/kernel_pte_xchg() read and swap one 4 KiB entry under
 * the same lock (the movable heap's page moves, mm/vmalloc.c); a swap that
 * takes a present entry away is flushed by its caller.
 *
 * Invariant: one lock serializes every change to the tree; nothing is
 * flushed or freed under it (a flush waits for every CPU, and one of them
 * may be spinning on this lock).
 */
#include <errno.h>
#include <string.h>
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tlb.h"
#include "mm/memblock.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

extern uint64_t early_pml4[512];
extern char _end[];

static uint64_t *pml4 = early_pml4;
static DEFINE_SPINLOCK(pgtable_lock);

static phys_addr_t memblock_pgtable_alloc(void)
{
	phys_addr_t pa = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);

	if (pa)
		memset(__va(pa), 0, PAGE_SIZE);
	return pa;
}

static void memblock_pgtable_free(phys_addr_t pa)
{
	memblock_phys_free(pa, PAGE_SIZE);
}

static pgtable_alloc_fn pt_alloc = memblock_pgtable_alloc;
static pgtable_free_fn pt_free = memblock_pgtable_free;

void pgtable_set_allocator(pgtable_alloc_fn alloc, pgtable_free_fn free)
{
	pt_alloc = alloc;
	pt_free = free;
}

bool cpu_has_pdpe1gb(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	return d & (1u << 26);
}

static inline unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (12 + 9 * level)) & 511;	/* level 3 = PML4 ... 0 = PT */
}

/* Table below entry *e, created when absent. NULL when out of memory or a leaf is there. */
static uint64_t *next_table(uint64_t *e, bool create)
{
	if (!(*e & _PAGE_PRESENT)) {
		phys_addr_t pa;

		if (!create || !(pa = pt_alloc()))
			return NULL;
		*e = pa | _PAGE_PRESENT | _PAGE_RW;
	} else if (*e & _PAGE_PSE) {
		return NULL;
	}
	return __va(*e & PTE_ADDR_MASK);
}

int kernel_map(unsigned long va, phys_addr_t pa, unsigned long size, unsigned int flags)
{
	uint64_t prot = _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL;
	bool gb = cpu_has_pdpe1gb() && !(flags & (KMAP_4K | KMAP_NO1G));
	unsigned long done = 0;
	unsigned long irqf;
	int ret = 0;

	if ((va | pa | size) & ~PAGE_MASK)
		return -EINVAL;
	if (flags & KMAP_NOCACHE)
		prot |= _PAGE_PCD | _PAGE_PWT;
	spin_lock_irqsave(&pgtable_lock, irqf);
	while (done < size) {
		unsigned long v = va + done, rest = size - done;
		phys_addr_t p = pa + done;
		uint64_t *t = pml4, *e;
		unsigned long step;
		int level = 3, leaf;

		if (gb && !((v | p) & (PUD_SIZE - 1)) && rest >= PUD_SIZE)
			leaf = 2, step = PUD_SIZE;
		else if (!(flags & KMAP_4K) && !((v | p) & (PMD_SIZE - 1)) && rest >= PMD_SIZE)
			leaf = 1, step = PMD_SIZE;
		else
			leaf = 0, step = PAGE_SIZE;

		for (; level > leaf; level--) {
			t = next_table(&t[pt_index(v, level)], true);
			if (!t) {
				ret = -ENOMEM;
				pr_err("kernel_map: no page-table page for va 0x%lx (or a large page is in the way)\n", v);
				goto out;
			}
		}
		e = &t[pt_index(v, leaf)];
		if ((*e & _PAGE_PRESENT) && (*e & PTE_ADDR_MASK) != p) {
			ret = -EEXIST;
			pr_err("kernel_map: va 0x%lx already maps phys 0x%llx, not 0x%llx\n", v,
			       (unsigned long long)(*e & PTE_ADDR_MASK), (unsigned long long)p);
			goto out;
		}
		*e = p | prot | (leaf ? _PAGE_PSE : 0);
		done += step;
	}
out:
	spin_unlock_irqrestore(&pgtable_lock, irqf);
	if (ret && done)
		kernel_unmap(va, done);		/* leave no half-made mapping behind */
	return ret;
}

static bool table_empty(const uint64_t *t)
{
	for (int i = 0; i < 512; i++)
		if (t[i])
			return false;
	return true;
}

/*
 * Part of a large page goes away (boot RAM removed a memory block at a time
 * out of a 1 GiB direct-map page): replace it by a table of the next smaller
 * pages mapping the same memory, so the rest stays mapped. The translation
 * of every address is unchanged, so no flush is needed before the unmap's.
 * Caller holds pgtable_lock; on no memory the entry stays as it was.
 */
static void split_large_page(uint64_t *e, int level, unsigned long va, unsigned long next)
{
	uint64_t old = *e, flags = old & ~PTE_ADDR_MASK & ~(uint64_t)_PAGE_PSE;
	unsigned long sub_span = 1UL << (12 + 9 * (level - 1));
	phys_addr_t pa = pt_alloc(), base = old & PTE_ADDR_MASK;
	uint64_t *t;

	if (!pa)
		return;
	t = __va(pa);
	for (int i = 0; i < 512; i++)
		t[i] = (base + (phys_addr_t)i * sub_span) | flags | (level - 1 ? _PAGE_PSE : 0);
	*e = pa | _PAGE_PRESENT | _PAGE_RW;
	pr_info("kernel_unmap: split the %s page at 0x%lx for [0x%lx-0x%lx)\n",
		level == 2 ? "1 GiB" : "2 MiB", va & ~((1UL << (12 + 9 * level)) - 1), va, next);
}

/* Clear [va, end) below table t at `level`; tables that become empty go to @tlb. */
static void unmap_level(uint64_t *t, int level, unsigned long va, unsigned long end,
			struct mmu_gather *tlb)
{
	unsigned long span = 1UL << (12 + 9 * level);

	while (va < end) {
		unsigned long next = (va & ~(span - 1)) + span;
		uint64_t *e = &t[pt_index(va, level)];

		if (next > end || next < va)
			next = end;
		if ((*e & _PAGE_PRESENT) && level > 0 && (*e & _PAGE_PSE) && (va & (span - 1) || next - va < span))
			split_large_page(e, level, va, next);
		if (*e & _PAGE_PRESENT) {
			if (level == 0 || (*e & _PAGE_PSE)) {
				if (level > 0 && (va & (span - 1) || next - va < span))
					pr_err("kernel_unmap: [0x%lx-0x%lx) splits a large page and no page-table page "
					       "was left to split it; unmapping all of it\n", va, next);
				*e = 0;
			} else {
				uint64_t *sub = __va(*e & PTE_ADDR_MASK);

				unmap_level(sub, level - 1, va, next, tlb);
				if (table_empty(sub)) {
					phys_addr_t pa = *e & PTE_ADDR_MASK;

					*e = 0;
					tlb_remove_table(tlb, pa);	/* freed after the flush */
				}
			}
		}
		va = next;
	}
}

void kernel_unmap(unsigned long va, unsigned long size)
{
	struct mmu_gather tlb;
	unsigned long irqf;

	tlb_gather_mmu_kernel(&tlb, va, va + size, pt_free);
	spin_lock_irqsave(&pgtable_lock, irqf);
	unmap_level(pml4, 3, va, va + size, &tlb);
	spin_unlock_irqrestore(&pgtable_lock, irqf);
	tlb_finish_mmu(&tlb);	/* flush on every CPU, then free the tables */
}

unsigned long kernel_mapped_run(unsigned long va, unsigned long max)
{
	unsigned long done = 0, irqf;

	spin_lock_irqsave(&pgtable_lock, irqf);
	while (done < max) {
		uint64_t *t = pml4, e = 0;
		int level;

		for (level = 3; level >= 0; level--) {
			e = t[pt_index(va + done, level)];
			if (!(e & _PAGE_PRESENT) || level == 0 || (e & _PAGE_PSE))
				break;
			t = __va(e & PTE_ADDR_MASK);
		}
		if (!(e & _PAGE_PRESENT))
			break;
		done += PAGE_SIZE;
	}
	spin_unlock_irqrestore(&pgtable_lock, irqf);
	return done;
}

/* The level-0 entry of @va, or NULL; pgtable_lock held. */
static uint64_t *pte_lookup(unsigned long va)
{
	uint64_t *t = pml4;

	for (int level = 3; level > 0; level--) {
		uint64_t e = t[pt_index(va, level)];

		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return NULL;
		t = __va(e & PTE_ADDR_MASK);
	}
	return &t[pt_index(va, 0)];
}

uint64_t kernel_pte_get(unsigned long va)
{
	unsigned long irqf;
	uint64_t *e, pte = 0;

	spin_lock_irqsave(&pgtable_lock, irqf);
	e = pte_lookup(va);
	if (e)
		pte = __atomic_load_n(e, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&pgtable_lock, irqf);
	return pte;
}

uint64_t kernel_pte_xchg(unsigned long va, uint64_t pte)
{
	unsigned long irqf;
	uint64_t *e, old = 0;

	spin_lock_irqsave(&pgtable_lock, irqf);
	e = pte_lookup(va);
	if (e)
		old = __atomic_exchange_n(e, pte, __ATOMIC_SEQ_CST);	/* hardware sets A/D concurrently */
	spin_unlock_irqrestore(&pgtable_lock, irqf);
	return old;
}

int arch_add_direct_map(phys_addr_t start, phys_addr_t size)
{
	return kernel_map((unsigned long)__va(start), start, size, KMAP_RW);
}

void arch_remove_direct_map(phys_addr_t start, phys_addr_t size)
{
	kernel_unmap((unsigned long)__va(start), size);
}

/*
 * Replace head.S's throwaway tables (1 GiB mapped three ways, with 2 MiB
 * pages over whatever lies there) by exact ones: the image from 1 MiB to
 * _end and every RAM range of memblock.memory. Runs while the old direct map
 * of the first GiB still reaches the new tables, so memblock's limit is 1 GiB
 * until the switch and all of RAM after it.
 */
void init_direct_map(void)
{
	phys_addr_t new_pa, img_end = ALIGN(__pa_symbol(_end), PAGE_SIZE);
	phys_addr_t start, end;
	uint64_t i;

	memblock_set_current_limit(SZ_1G);
	new_pa = pt_alloc();
	if (!new_pa)
		panic("paging: no memory below 1 GiB for the kernel page tables");
	pml4 = __va(new_pa);

	if (kernel_map(KERNEL_VBASE + SZ_1M, SZ_1M, img_end - SZ_1M, KMAP_RW))
		panic("paging: cannot map the kernel image");
	/* Not driver-managed RAM: the driver that adds it maps it (arch_add_direct_map). */
	__for_each_mem_range(i, &memblock.memory, NULL, NUMA_NO_NODE, MEMBLOCK_HOTPLUG, &start, &end, NULL) {
		phys_addr_t s = ALIGN(start, PAGE_SIZE), e = ALIGN_DOWN(end, PAGE_SIZE);

		if (s < e && kernel_map((unsigned long)__va(s), s, e - s, KMAP_RW))
			panic("paging: cannot direct-map RAM [0x%llx-0x%llx)",
			      (unsigned long long)s, (unsigned long long)e);
	}
	write_cr3(new_pa);
	memblock_set_current_limit(memblock_end_of_DRAM());
	pr_info("paging: direct map of %llu MiB RAM with %s pages\n",
		(unsigned long long)(memblock_phys_mem_size() >> 20),
		cpu_has_pdpe1gb() ? "1 GiB/2 MiB/4 KiB" : "2 MiB/4 KiB (no pdpe1gb)");
}
