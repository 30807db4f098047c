/* SPDX-License-Identifier: MIT */
/*
 * DOC: page.h - struct page, its types, and the only ways to change a type
 *
 * Every pfn of a section with a memmap has one 64-byte struct page at
 * vmemmap + pfn (so pfn_to_page() is one add). Its `type` holds exactly one
 * of enum page_type; nothing else in the page says what the page is for.
 *
 * A block of 2^order pages is described by its first page (the head: Buddy,
 * Allocated, PageTable or Slab, with `order` set); the other pages of the
 * block are Tail. Only the head changes when a block is allocated, freed,
 * split or merged, which keeps the allocator's fast path to one cache line.
 *
 * Types change only through the page_<from>_to_<to>() functions below; each
 * one checks the type it leaves and panics naming the pfn if the page was
 * something else. The checks are one byte compare, so they stay on in
 * release builds (they have caught every double free so far).
 *
 * Host tests (HOTMM_HOST) cannot use the fixed vmemmap address: there
 * `vmemmap` is a variable the test points at a host allocation. This is the
 * only place the memmap address differs between kernel and host.
 */
#ifndef HOTMM_MM_PAGE_H
#define HOTMM_MM_PAGE_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"
#include "kernel/panic.h"

enum page_type {
	PGTY_UNINIT = 0,	/* memmap allocated, not initialized yet (never seen by walkers) */
	PGTY_NOMEMORY,		/* a hole inside a present section: no RAM behind the pfn */
	PGTY_RESERVED,		/* boot memory the kernel owns forever (memblock reserved) */
	PGTY_OFFLINE,		/* initialized, not usable; refcount 1 */
	PGTY_BUDDY,		/* head of a free block of 2^order pages */
	PGTY_TAIL,		/* not the first page of a Buddy/Allocated/PageTable/Slab block */
	PGTY_ALLOCATED,		/* head of an allocated block, refcount >= 1 */
	PGTY_PAGETABLE,		/* allocated, holds a page table */
	PGTY_SLAB,		/* allocated, owned by the slab allocator */
	PGTY_VMEMMAP_SELF_HOSTED,	/* holds the memmap of its own memory block */
	PGTY_HWPOISON,		/* known bad, never allocated */
	PGTY_DEVICE,		/* ZONE_DEVICE memory owned by its driver (mm/memremap.h); refcount >= 1 */
	NR_PAGE_TYPES
};

/*
 * Where a Buddy page sits: the zone free list of its migratetype, a pcp
 * list, or neither: taken off its free list under zone->lock and about to
 * become Allocated (or Tail, Offline) - after the lock is dropped, for an
 * allocation. Only PAGE_ON_FREELIST pages may be merged with.
 */
#define PAGE_ON_FREELIST	0
#define PAGE_ON_PCP		1
#define PAGE_OFF_LIST		2

struct page {
	uint8_t type;		/* enum page_type */
	uint8_t order;		/* block order, for heads */
	uint8_t zone_idx;	/* enum zone_type within the node */
	uint8_t buddy_mt;	/* Buddy: migratetype of the list it is on */
	uint16_t nid;
	uint8_t buddy_where;	/* Buddy: PAGE_ON_FREELIST, PAGE_ON_PCP or PAGE_OFF_LIST */
	uint8_t _flags;		/* PG_* below */
	int32_t refcount;
	int32_t _mapcount;	/* room for mappings to user space */
	struct page *next;	/* free list / pcp list / owner's list links */
	struct page *prev;
	unsigned long private;	/* owner's word (page tables: level; hotplug: block) */
	unsigned long _owner[3];	/* slab: cache, freelist, counters (mm/slab.c); see below */
};

/*
 * _flags, meaningful on Allocated heads only; set to what the allocation
 * asked for when a block is handed out, cleared when it is freed:
 *   PG_gfp_movable  allocated with __GFP_MOVABLE (only such a page may get an owner)
 *   PG_movable      an owner can move the page: _owner[2] holds its
 *                   struct movable_operations (mm/migrate.h). _owner[2],
 *                   not [0]: kmalloc's large allocations are Allocated
 *                   pages using _owner[0] and [1] (mm/slab.c). The flag
 *                   makes a stale word harmless; freeing clears both.
 *   PG_isolated     isolated for migration right now (mm/migrate.c): the
 *                   migration core holds a reference, nobody isolates it twice
 */
#define PG_gfp_movable	0x01u
#define PG_movable	0x02u
#define PG_isolated	0x04u

BUILD_BUG_ON(sizeof(struct page) != 64);

/* The memmap: struct page of pfn N at vmemmap + N. */
#ifdef HOTMM_HOST
extern struct page *vmemmap;
#else
#define vmemmap ((struct page *)VMEMMAP_START)
#endif

static inline struct page *pfn_to_page(unsigned long pfn) { return vmemmap + pfn; }
static inline unsigned long page_to_pfn(const struct page *page) { return (unsigned long)(page - vmemmap); }
static inline phys_addr_t page_to_phys(const struct page *page) { return PFN_PHYS(page_to_pfn(page)); }
static inline void *page_address(const struct page *page) { return __va(page_to_phys(page)); }
static inline struct page *virt_to_page(const void *addr) { return pfn_to_page(PFN_DOWN(__pa(addr))); }
static inline struct page *phys_to_page(phys_addr_t pa) { return pfn_to_page(PFN_DOWN(pa)); }

static inline int page_to_nid(const struct page *page) { return page->nid; }
static inline enum page_type page_type(const struct page *page) { return (enum page_type)page->type; }
static inline unsigned int page_order(const struct page *page) { return page->order; }
static inline int page_ref_count(const struct page *page) { return __atomic_load_n(&page->refcount, __ATOMIC_RELAXED); }
static inline void page_ref_inc(struct page *page) { __atomic_add_fetch(&page->refcount, 1, __ATOMIC_RELAXED); }
/* True when the last reference went away. */
static inline bool page_ref_dec_and_test(struct page *page)
{
	return __atomic_sub_fetch(&page->refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

const char *page_type_name(enum page_type type);

/* Out of line: never returns, names the pfn and both types. */
__noreturn void page_bad_type(const struct page *page, enum page_type want, enum page_type to);

static __always_inline void __page_change_type(struct page *page, enum page_type from, enum page_type to)
{
	if (unlikely(page->type != from))
		page_bad_type(page, from, to);
	page->type = to;
}

/*
 * The transitions. Block heads carry the order; every page that stops
 * being a head becomes Tail, and only a Tail can become a head again.
 */

/* Free block head (split, end of a merge, freeing an order block). */
static inline void page_tail_to_buddy(struct page *page, unsigned int order, int mt, int where)
{
	__page_change_type(page, PGTY_TAIL, PGTY_BUDDY);
	page->order = order;
	page->buddy_mt = mt;
	page->buddy_where = where;
}

/* A free block absorbed into a bigger one while merging. */
static inline void page_buddy_to_tail(struct page *page)
{
	__page_change_type(page, PGTY_BUDDY, PGTY_TAIL);
	page->order = 0;
}

/* Handing out a free block (refcount 0 -> 1). */
static inline void page_buddy_to_allocated(struct page *page, unsigned int order)
{
	__page_change_type(page, PGTY_BUDDY, PGTY_ALLOCATED);
	page->order = order;
	page->refcount = 1;
}

/* The last reference of an allocated block went away: it is a plain run of pages again. */
static inline void page_allocated_to_tail(struct page *page)
{
	__page_change_type(page, PGTY_ALLOCATED, PGTY_TAIL);
	page->order = 0;
}

/* An order-0 page freed straight onto a per-CPU list. */
static inline void page_allocated_to_buddy(struct page *page, int mt)
{
	/*
	 * The one transition to Buddy made without zone->lock (a free to a
	 * per-CPU list), while another CPU merging under the lock may look at
	 * this page as the neighbour of what it frees: it must never see
	 * Buddy with a stale PAGE_ON_FREELIST from the page's last stay on a
	 * free list. So the fields first, the type last, with release order
	 * (page_is_buddy() reads the type with acquire).
	 */
	if (unlikely(page->type != PGTY_ALLOCATED))
		page_bad_type(page, PGTY_ALLOCATED, PGTY_BUDDY);
	page->order = 0;
	page->buddy_mt = mt;
	page->buddy_where = PAGE_ON_PCP;
	__atomic_store_n(&page->type, PGTY_BUDDY, __ATOMIC_RELEASE);
}

static inline void page_allocated_to_pagetable(struct page *page) { __page_change_type(page, PGTY_ALLOCATED, PGTY_PAGETABLE); }
static inline void page_pagetable_to_allocated(struct page *page) { __page_change_type(page, PGTY_PAGETABLE, PGTY_ALLOCATED); }
static inline void page_allocated_to_slab(struct page *page) { __page_change_type(page, PGTY_ALLOCATED, PGTY_SLAB); }
static inline void page_slab_to_allocated(struct page *page) { __page_change_type(page, PGTY_SLAB, PGTY_ALLOCATED); }

/*
 * A driver keeps an allocated page back (fake offline, docs/hotplug.md); refcount
 * stays 1. Raw type changes only: the page also leaves the zone's managed
 * count, so drivers call page_take_offline() of page_alloc.h, which does
 * both (and give pages back through generic_online_page(), which counts
 * them managed again).
 */
static inline void __page_allocated_to_offline(struct page *page) { __page_change_type(page, PGTY_ALLOCATED, PGTY_OFFLINE); }
static inline void __page_offline_to_allocated(struct page *page) { __page_change_type(page, PGTY_OFFLINE, PGTY_ALLOCATED); }

/* Onlining / the boot hand-off: an initialized page becomes buddy material (refcount 0). */
static inline void page_offline_to_tail(struct page *page)
{
	__page_change_type(page, PGTY_OFFLINE, PGTY_TAIL);
	page->refcount = 0;
}

/* Giving reserved boot memory to the buddy for good (free_reserved_page). */
static inline void page_reserved_to_tail(struct page *page)
{
	__page_change_type(page, PGTY_RESERVED, PGTY_TAIL);
	page->refcount = 0;
}

/*
 * Offlining: a free block leaves the buddy for good. The head and every Tail
 * become Offline with refcount 1, as freshly hot-added pages are.
 */
static inline void page_buddy_to_offline(struct page *page)
{
	__page_change_type(page, PGTY_BUDDY, PGTY_OFFLINE);
	page->order = 0;
	page->refcount = 1;
}

static inline void page_tail_to_offline(struct page *page)
{
	__page_change_type(page, PGTY_TAIL, PGTY_OFFLINE);
	page->refcount = 1;
}

/*
 * Memory found bad (a tester, soft_offline_page of a page that was
 * migrated away): it never goes back. HWPoison is present, not managed;
 * the callers in page_alloc.c shrink managed_pages with it. refcount 1,
 * owner and flags gone.
 */
static inline void page_allocated_to_hwpoison(struct page *page)
{
	__page_change_type(page, PGTY_ALLOCATED, PGTY_HWPOISON);
	page->refcount = 1;
	page->_flags = 0;
	page->_owner[2] = 0;
}

/* A free order-0 page taken off the buddy for good (take_page_off_buddy()). */
static inline void page_buddy_to_hwpoison(struct page *page)
{
	__page_change_type(page, PGTY_BUDDY, PGTY_HWPOISON);
	page->order = 0;
	page->refcount = 1;
	page->_flags = 0;
}

/*
 * A page the memory tester found bad before it reached an allocator: boot
 * RAM stamped Tail and not yet freed, or a page of a block going online
 * (Offline). It never goes to the buddy, so it was never managed.
 */
static inline void page_tail_to_hwpoison(struct page *page)
{
	__page_change_type(page, PGTY_TAIL, PGTY_HWPOISON);
	page->order = 0;
	page->refcount = 1;
	page->_flags = 0;
}

static inline void page_offline_to_hwpoison(struct page *page)
{
	__page_change_type(page, PGTY_OFFLINE, PGTY_HWPOISON);
	page->refcount = 1;
	page->_flags = 0;
}

/* True for the heads that carry an order and own the following Tail pages. */
static inline bool page_type_is_head(enum page_type t)
{
	return t == PGTY_BUDDY || t == PGTY_ALLOCATED || t == PGTY_PAGETABLE || t == PGTY_SLAB;
}

#endif
