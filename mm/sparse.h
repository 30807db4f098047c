/* SPDX-License-Identifier: MIT */
/*
 * DOC: sparse.h - 128 MiB memory sections and the vmemmap behind them
 *
 * Physical memory is cut into sections of 128 MiB (32768 pages). A section
 * is *present* when memory exists in it (boot RAM or a hot-added range), has
 * a *memmap* once its 2 MiB of struct pages is mapped at vmemmap + pfn*64,
 * and is *online* when its pages are in the buddy. init_pages counts the
 * struct pages that have been initialized; walkers only look at sections
 * where all 32768 are (so a half-done deferred init is never misread).
 * The section also carries the migratetype of each of its 64 pageblocks.
 *
 * Sections are found through a two-level table (SPARSEMEM_EXTREME): 512
 * roots of 1024 sections, a root allocated when its first section appears,
 * so a machine with memory at 60 TiB costs one root, not 37 MiB.
 *
 * The memmap comes from memblock on the section's node at boot, from the
 * buddy after, or from the range itself when an altmap is passed (hot-added
 * memory that hosts its own memmap).
 */
#ifndef HOTMM_MM_SPARSE_H
#define HOTMM_MM_SPARSE_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"
#include "mm/page.h"
#include "mm/mmzone.h"

#define SECTION_SIZE_BITS	27
#define PFN_SECTION_SHIFT	(SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION	(1UL << PFN_SECTION_SHIFT)
#define PAGE_SECTION_MASK	(~(PAGES_PER_SECTION - 1))
#define NR_MEM_SECTIONS		(1UL << (MAX_PHYSMEM_BITS - SECTION_SIZE_BITS))
#define SECTIONS_PER_ROOT	1024UL
#define NR_SECTION_ROOTS	(NR_MEM_SECTIONS / SECTIONS_PER_ROOT)
#define PAGEBLOCKS_PER_SECTION	(PAGES_PER_SECTION >> pageblock_order)
/* One section's memmap: exactly one 2 MiB page of vmemmap. */
#define SECTION_MEMMAP_SIZE	(PAGES_PER_SECTION * sizeof(struct page))
#define MAX_PFN			(1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT))

BUILD_BUG_ON(SECTION_MEMMAP_SIZE != SZ_2M);

/* mem_section.flags */
#define SECTION_MARKED_PRESENT	0x1
#define SECTION_HAS_MEM_MAP	0x2
#define SECTION_IS_ONLINE	0x4
#define SECTION_MEMMAP_ALTMAP	0x8	/* memmap lives inside a hot-added range */
#define SECTION_MEMMAP_BOOT	0x10	/* memmap came from memblock (Reserved pages) */
/*
 * An offline hot-added section: only its first init_pages struct pages are
 * in use (the self-hosted vmemmap pages, initialized at add time); the rest
 * of the memmap is uninitialized or poisoned and nobody may read it.
 * Walkers look at the prefix and are not "skipped" by the rest.
 */
#define SECTION_MEMMAP_PARTIAL	0x20

struct mem_section {
	unsigned long flags;
	int nid;
	unsigned int init_pages;		/* atomic */
	phys_addr_t memmap_phys;		/* where this section's struct pages live */
	uint8_t pageblock_mt[PAGEBLOCKS_PER_SECTION];
};

/*
 * A pfn range to carve memmap pages from (Linux's struct vmem_altmap):
 * [base_pfn + reserve, base_pfn + reserve + free) is usable; alloc counts
 * what has been handed out.
 */
struct vmem_altmap {
	unsigned long base_pfn;
	unsigned long reserve;
	unsigned long free;
	unsigned long alloc;
};

static inline unsigned long pfn_to_section_nr(unsigned long pfn) { return pfn >> PFN_SECTION_SHIFT; }
static inline unsigned long section_nr_to_pfn(unsigned long nr) { return nr << PFN_SECTION_SHIFT; }

extern struct mem_section *mem_section[NR_SECTION_ROOTS];

static inline struct mem_section *__nr_to_section(unsigned long nr)
{
	struct mem_section *root;

	if (unlikely(nr >= NR_MEM_SECTIONS))
		return NULL;
	root = mem_section[nr / SECTIONS_PER_ROOT];
	return root ? &root[nr % SECTIONS_PER_ROOT] : NULL;
}

static inline struct mem_section *__pfn_to_section(unsigned long pfn)
{
	return __nr_to_section(pfn_to_section_nr(pfn));
}

static inline bool present_section_nr(unsigned long nr)
{
	struct mem_section *ms = __nr_to_section(nr);
	return ms && (ms->flags & SECTION_MARKED_PRESENT);
}

/* Has a struct page (possibly not initialized yet). */
static inline bool pfn_valid(unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(pfn);
	return ms && (ms->flags & SECTION_HAS_MEM_MAP);
}

static inline bool section_memmap_initialized(const struct mem_section *ms)
{
	return (ms->flags & SECTION_HAS_MEM_MAP) &&
	       __atomic_load_n(&ms->init_pages, __ATOMIC_ACQUIRE) == PAGES_PER_SECTION;
}

/*
 * May the struct page of pfn be read? True inside fully initialized
 * sections and inside the in-use prefix of a SECTION_MEMMAP_PARTIAL one.
 */
static inline bool pfn_memmap_in_use(unsigned long pfn)
{
	struct mem_section *ms = __pfn_to_section(pfn);
	unsigned int n;

	if (!ms || !(ms->flags & SECTION_HAS_MEM_MAP))
		return false;
	n = __atomic_load_n(&ms->init_pages, __ATOMIC_ACQUIRE);
	if (n >= PAGES_PER_SECTION)
		return true;
	return (ms->flags & SECTION_MEMMAP_PARTIAL) && (pfn & (PAGES_PER_SECTION - 1)) < n;
}

/* Record that nr struct pages of the section holding pfn have been initialized. */
void section_account_init(unsigned long pfn, unsigned long nr);

static inline int get_pageblock_migratetype(unsigned long pfn)
{
	return __pfn_to_section(pfn)->pageblock_mt[(pfn >> pageblock_order) & (PAGEBLOCKS_PER_SECTION - 1)];
}

static inline void set_pageblock_migratetype(unsigned long pfn, int mt)
{
	__pfn_to_section(pfn)->pageblock_mt[(pfn >> pageblock_order) & (PAGEBLOCKS_PER_SECTION - 1)] = mt;
}

/* Boot: sections for memblock.memory, memmaps from memblock on each section's node. */
void sparse_init(void);

/*
 * Mark [start_pfn, +nr_pages) present for nid and give every section in it
 * a memmap (from altmap when not NULL). Section aligned. Returns 0 or
 * -ENOMEM / -EINVAL after saying which section failed; on failure nothing
 * stays allocated.
 */
int sparse_add_section_range(int nid, unsigned long start_pfn, unsigned long nr_pages,
			     struct vmem_altmap *altmap);
/* The reverse: unmap and free the memmaps, forget the sections. */
void sparse_remove_section_range(unsigned long start_pfn, unsigned long nr_pages,
				 struct vmem_altmap *altmap);

/* Populate / depopulate the vmemmap of one section. */
int vmemmap_populate_section(unsigned long section_nr, int nid, struct vmem_altmap *altmap);
void vmemmap_depopulate_section(unsigned long section_nr, struct vmem_altmap *altmap);

/* Range of present section numbers: [*first, *last] (false when none). */
bool sparse_present_span(unsigned long *first_nr, unsigned long *end_nr);

/* Host tests: forget every section (roots are leaked on purpose: test memory). */
void sparse_reset(void);

#endif
