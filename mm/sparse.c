/* SPDX-License-Identifier: MIT */
/*
 * DOC: sparse.c - sections and vmemmap population
 *
 * Owns mem_section[] and the mapping of each section's memmap at
 * vmemmap + section_pfn * 64. A section's memmap is one 2 MiB physically
 * contiguous piece mapped with one 2 MiB page, taken (in this order of
 * preference) from the altmap the caller passed, from memblock on the
 * section's node during boot, or from the buddy on the node after boot.
 *
 * Teardown order (vmemmap_depopulate_section): unmap the section's memmap
 * with kernel_unmap(), which returns only after every online CPU flushed
 * its TLB for it and freed the page-table pages that became empty; only
 * then give the memmap's 2 MiB back (to the buddy - a boot memmap's Reserved
 * pages one by one - or to the altmap). A
 * CPU that still held the old translation could otherwise read or write
 * the memmap in pages the buddy has handed out again.
 *
 * Host builds have no page tables: population there records where the
 * memmap would live and the test's own vmemmap array stands in for the
 * mapping. That #ifdef is the only one the memory core has.
 */
#include <errno.h>
#include <string.h>

#include "mm/sparse.h"
#include "mm/gfp.h"
#include "mm/page_alloc.h"
#include "mm/memblock.h"
#include "kernel/printk.h"
#ifndef HOTMM_HOST
#include "arch/x86_64/pgtable.h"
#endif

struct mem_section *mem_section[NR_SECTION_ROOTS];

#ifdef HOTMM_HOST
struct page *vmemmap;

static int vmemmap_map(unsigned long section_nr, phys_addr_t memmap)
{
	return 0;	/* the test's vmemmap array is always "mapped" */
}

static void vmemmap_unmap(unsigned long section_nr)
{
}
#else
static int vmemmap_map(unsigned long section_nr, phys_addr_t memmap)
{
	unsigned long va = (unsigned long)pfn_to_page(section_nr_to_pfn(section_nr));

	return kernel_map(va, memmap, SECTION_MEMMAP_SIZE, KMAP_RW | KMAP_NO1G);
}

static void vmemmap_unmap(unsigned long section_nr)
{
	kernel_unmap((unsigned long)pfn_to_page(section_nr_to_pfn(section_nr)), SECTION_MEMMAP_SIZE);
}
#endif

#define SECTION_ROOT_SIZE	(SECTIONS_PER_ROOT * sizeof(struct mem_section))
#define SECTION_ROOT_ORDER	5	/* 128 KiB >= SECTION_ROOT_SIZE */
BUILD_BUG_ON(SECTION_ROOT_SIZE > (PAGE_SIZE << SECTION_ROOT_ORDER));

static struct mem_section *sparse_index_init(unsigned long nr, int nid)
{
	/* LAB 3 BEGIN sparse_index_init */
	unsigned long root = nr / SECTIONS_PER_ROOT;
	struct mem_section *ms;

	if (nr >= NR_MEM_SECTIONS) {
		pr_err("sparse: section %lu (pfn %#lx) beyond MAX_PHYSMEM_BITS %d\n",
		       nr, section_nr_to_pfn(nr), MAX_PHYSMEM_BITS);
		return NULL;
	}
	if (mem_section[root])
		return &mem_section[root][nr % SECTIONS_PER_ROOT];
	if (buddy_ready) {
		struct page *page = alloc_pages_node(nid, GFP_KERNEL | __GFP_ZERO, SECTION_ROOT_ORDER);

		ms = page ? page_address(page) : NULL;
	} else {
		ms = memblock_alloc_node(SECTION_ROOT_SIZE, PAGE_SIZE, nid);
	}
	if (!ms) {
		pr_err("sparse: no memory for the section root of section %lu (node %d)\n", nr, nid);
		return NULL;
	}
	memset(ms, 0, SECTION_ROOT_SIZE);
	mem_section[root] = ms;
	return &ms[nr % SECTIONS_PER_ROOT];
	/* LAB 3 END sparse_index_init */
}

void section_account_init(unsigned long pfn, unsigned long nr)
{
	struct mem_section *ms = __pfn_to_section(pfn);

	__atomic_add_fetch(&ms->init_pages, (unsigned int)nr, __ATOMIC_RELEASE);
}

/* 2 MiB aligned run of free altmap pfns, or 0. */
static phys_addr_t altmap_alloc_memmap(struct vmem_altmap *altmap)
{
	/* LAB 3 BEGIN altmap_alloc_memmap */
	unsigned long base = altmap->base_pfn + altmap->reserve;
	unsigned long next = ALIGN(base + altmap->alloc, SZ_2M >> PAGE_SHIFT);
	unsigned long need = SECTION_MEMMAP_SIZE >> PAGE_SHIFT;

	if (next + need > base + altmap->free)
		return 0;
	altmap->alloc = next + need - base;
	return PFN_PHYS(next);
	/* LAB 3 END altmap_alloc_memmap */
}

int vmemmap_populate_section(unsigned long nr, int nid, struct vmem_altmap *altmap)
{
	/* LAB 3 BEGIN vmemmap_populate_section */
	struct mem_section *ms = __nr_to_section(nr);
	unsigned long flags = 0;
	struct page *page = NULL;
	phys_addr_t memmap = 0;
	int ret;

	if (!ms)
		return -EINVAL;
	if (ms->flags & SECTION_HAS_MEM_MAP)
		return 0;
	if (altmap) {
		memmap = altmap_alloc_memmap(altmap);
		flags = SECTION_MEMMAP_ALTMAP;
	} else if (buddy_ready) {
		page = alloc_pages_node(nid, GFP_KERNEL | __GFP_NOWARN, pageblock_order);
		memmap = page ? page_to_phys(page) : 0;
	} else {
		memmap = memblock_alloc_range_nid(SECTION_MEMMAP_SIZE, SZ_2M, 0,
						  MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
		flags = SECTION_MEMMAP_BOOT;
	}
	if (!memmap) {
		pr_err("sparse: no 2 MiB for the memmap of section %lu (pfn %#lx, node %d%s)\n",
		       nr, section_nr_to_pfn(nr), nid, altmap ? ", altmap full" : "");
		return -ENOMEM;
	}
	ret = vmemmap_map(nr, memmap);
	if (ret) {
		pr_err("sparse: mapping the memmap of section %lu at %p failed (%d)\n",
		       nr, (void *)pfn_to_page(section_nr_to_pfn(nr)), ret);
		if (page)
			__free_pages(page, pageblock_order);
		else if (flags & SECTION_MEMMAP_BOOT)
			memblock_phys_free(memmap, SECTION_MEMMAP_SIZE);
		else
			altmap->alloc -= SECTION_MEMMAP_SIZE >> PAGE_SHIFT;
		return ret;
	}
	ms->memmap_phys = memmap;
	ms->init_pages = 0;
	ms->flags |= SECTION_HAS_MEM_MAP | flags;
	return 0;
	/* LAB 3 END vmemmap_populate_section */
}

void vmemmap_depopulate_section(unsigned long nr, struct vmem_altmap *altmap)
{
	/* LAB 3 BEGIN vmemmap_depopulate_section */
	struct mem_section *ms = __nr_to_section(nr);
	phys_addr_t memmap;

	if (!ms || !(ms->flags & SECTION_HAS_MEM_MAP))
		return;
	memmap = ms->memmap_phys;
	vmemmap_unmap(nr);	/* every CPU has flushed it when this returns: now free */
	if (ms->flags & SECTION_MEMMAP_ALTMAP) {
		if (altmap && altmap->alloc >= (SECTION_MEMMAP_SIZE >> PAGE_SHIFT))
			altmap->alloc -= SECTION_MEMMAP_SIZE >> PAGE_SHIFT;
	} else if (ms->flags & SECTION_MEMMAP_BOOT) {
		/*
		 * A boot memmap came from memblock: Reserved pages of some other,
		 * online block (a block holding Reserved pages never goes
		 * offline, so never its own). They join the buddy, as Linux
		 * frees bootmem page by page.
		 */
		struct page *page = phys_to_page(memmap);
		unsigned long i;

		for (i = 0; i < (SECTION_MEMMAP_SIZE >> PAGE_SHIFT); i++)
			free_reserved_page(page + i);
		memblock_phys_free(memmap, SECTION_MEMMAP_SIZE);
	} else {
		__free_pages(phys_to_page(memmap), pageblock_order);
	}
	ms->flags &= ~(SECTION_HAS_MEM_MAP | SECTION_MEMMAP_ALTMAP | SECTION_MEMMAP_BOOT);
	ms->memmap_phys = 0;
	ms->init_pages = 0;
	/* LAB 3 END vmemmap_depopulate_section */
}

static int sparse_mark_present(unsigned long nr, int nid)
{
	struct mem_section *ms = sparse_index_init(nr, nid);

	if (!ms)
		return -ENOMEM;
	if (!(ms->flags & SECTION_MARKED_PRESENT)) {
		ms->flags |= SECTION_MARKED_PRESENT;
		ms->nid = nid;
		/* Boot memory starts movable-typed like Linux; the buddy retypes on fallback. */
		memset(ms->pageblock_mt, MIGRATE_MOVABLE, sizeof(ms->pageblock_mt));
	}
	return 0;
}

int sparse_add_section_range(int nid, unsigned long start_pfn, unsigned long nr_pages,
			     struct vmem_altmap *altmap)
{
	unsigned long first = pfn_to_section_nr(start_pfn);
	unsigned long end = pfn_to_section_nr(start_pfn + nr_pages + PAGES_PER_SECTION - 1);
	unsigned long nr;
	int ret = 0;

	if (!IS_ALIGNED(start_pfn | nr_pages, PAGES_PER_SECTION) || !nr_pages) {
		pr_err("sparse: range pfn %#lx + %#lx is not section aligned (%lu pages)\n",
		       start_pfn, nr_pages, PAGES_PER_SECTION);
		return -EINVAL;
	}
	for (nr = first; nr < end; nr++) {
		struct mem_section *ms = __nr_to_section(nr);

		if (ms && (ms->flags & SECTION_MARKED_PRESENT)) {
			pr_err("sparse: section %lu (pfn %#lx) is already present\n", nr, section_nr_to_pfn(nr));
			ret = -EEXIST;
			break;
		}
		ret = sparse_mark_present(nr, nid);
		if (!ret)
			ret = vmemmap_populate_section(nr, nid, altmap);
		if (ret) {
			if (__nr_to_section(nr))
				__nr_to_section(nr)->flags = 0;
			break;
		}
	}
	if (ret && nr > first)
		sparse_remove_section_range(start_pfn, section_nr_to_pfn(nr) - start_pfn, altmap);
	return ret;
}

void sparse_remove_section_range(unsigned long start_pfn, unsigned long nr_pages,
				 struct vmem_altmap *altmap)
{
	unsigned long nr, end = pfn_to_section_nr(start_pfn + nr_pages);

	/* Reverse order: altmap pieces are handed out front to back. */
	for (nr = end; nr-- > pfn_to_section_nr(start_pfn);) {
		struct mem_section *ms = __nr_to_section(nr);

		if (!ms)
			continue;
		vmemmap_depopulate_section(nr, altmap);
		ms->flags = 0;
	}
}

void sparse_init(void)
{
	unsigned long start, end, nr, first = ~0UL, last = 0, count = 0;
	int i, nid;

	for_each_mem_pfn_range(i, NUMA_NO_NODE, &start, &end, &nid) {
		if (nid == NUMA_NO_NODE || nid < 0)
			nid = 0;
		if (end > MAX_PFN) {
			pr_err("sparse: memory at pfn %#lx-%#lx beyond MAX_PHYSMEM_BITS %d ignored\n",
			       max(start, MAX_PFN), end, MAX_PHYSMEM_BITS);
			end = MAX_PFN;
		}
		for (nr = pfn_to_section_nr(start); start < end && nr <= pfn_to_section_nr(end - 1); nr++) {
			if (!present_section_nr(nr))
				count++;
			if (sparse_mark_present(nr, nid))
				panic("sparse: cannot allocate the section table for pfn %#lx", section_nr_to_pfn(nr));
			first = min(first, nr);
			last = max(last, nr);
		}
	}
	if (!count)
		panic("sparse: memblock has no memory");
	for (nr = first; nr <= last; nr++) {
		if (!present_section_nr(nr))
			continue;
		if (vmemmap_populate_section(nr, __nr_to_section(nr)->nid, NULL))
			panic("sparse: no memmap for section %lu", nr);
	}
	pr_info("sparse: %lu sections present (%lu..%lu), %lu MiB of memmap\n",
		count, first, last, count * (SECTION_MEMMAP_SIZE >> 20));
}

bool sparse_present_span(unsigned long *first_nr, unsigned long *end_nr)
{
	unsigned long root, i, first = ~0UL, end = 0;

	for (root = 0; root < NR_SECTION_ROOTS; root++) {
		if (!mem_section[root])
			continue;
		for (i = 0; i < SECTIONS_PER_ROOT; i++) {
			if (!(mem_section[root][i].flags & SECTION_MARKED_PRESENT))
				continue;
			first = min(first, root * SECTIONS_PER_ROOT + i);
			end = root * SECTIONS_PER_ROOT + i + 1;
		}
	}
	*first_nr = first;
	*end_nr = end;
	return end != 0;
}

void sparse_reset(void)
{
	memset(mem_section, 0, sizeof(mem_section));
}
