/* SPDX-License-Identifier: MIT */
/*
 * DOC: slab.h - small objects: kmem caches and kmalloc, on typed Slab pages
 *
 * Linux's interface with Linux's meanings:
 *   kmem_cache_create/alloc/free/destroy   fixed-size objects of one cache
 *   kmalloc/kzalloc/kcalloc/krealloc/kfree any size: classes of 8 B .. 4 KiB
 *                                          (kmalloc-8 .. kmalloc-4k, with
 *                                          kmalloc-96 and -192), larger sizes
 *                                          straight from the buddy
 * Guarantees: every object is 8-byte aligned; a power-of-two kmalloc size is
 * aligned to that size (up to PAGE_SIZE, and large allocations to their
 * whole block). kmalloc(0) returns ZERO_SIZE_PTR, which kfree() accepts.
 * Slab memory is unmovable: __GFP_MOVABLE is ignored.
 *
 * Misuse is reported, never silently absorbed: kfree() of a pointer the
 * allocator did not hand out, a double free, kmem_cache_free() to the wrong
 * cache, and - under CONFIG_DEBUG_VM - writes past an object (red zones) or
 * into a freed one (poison) print an error naming the address and the cache.
 * A rejected free leaves the allocator as it was; slab_errors() counts them.
 *
 * Call kmem_cache_init() once after the buddy is up (mm_core_init()); the
 * allocator also initializes itself on first use.
 */
#ifndef HOTMM_MM_SLAB_H
#define HOTMM_MM_SLAB_H

#include "lib/compiler.h"
#include "mm/gfp.h"

#define KMALLOC_MIN_SIZE	8
#define KMALLOC_SHIFT_HIGH	12
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)	/* 4 KiB: larger goes to the buddy */
#define ARCH_KMALLOC_MINALIGN	8

/* What kmalloc(0) returns: not NULL (no failure), faults if dereferenced. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* kmem_cache_create() flags */
#define SLAB_HWCACHE_ALIGN	0x1u	/* objects start on a cache line (64 B) */
#define SLAB_PANIC		0x2u	/* creation failure panics instead of returning NULL */

struct kmem_cache;

/*
 * A cache of objects of `size` bytes (1 .. 32 KiB), aligned to `align`
 * (0: 8; a power of two up to PAGE_SIZE). The name is not copied: pass a
 * string that lives as long as the cache. Constructors are not supported:
 * ctor must be NULL (objects come back in whatever state they were freed).
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *));
/* Refuses (with a message) while objects are still allocated. */
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}
void kmem_cache_free(struct kmem_cache *s, void *obj);
/*
 * Give this CPU's slab back to the cache and every empty slab to the buddy
 * (the reserve too). Returns the number of pages freed. Other CPUs keep
 * their current slab (no IPIs yet): see slab_flush_cpu().
 */
unsigned long kmem_cache_shrink(struct kmem_cache *s);
/*
 * Return `cpu`'s current slab of every cache to the caches. Only while that
 * CPU does not allocate (hot-unplug, or from the CPU itself).
 */
void slab_flush_cpu(unsigned int cpu);

void *kmalloc(size_t size, gfp_t gfp);
static inline void *kzalloc(size_t size, gfp_t gfp) { return kmalloc(size, gfp | __GFP_ZERO); }
/* n * size bytes, zeroed; NULL when the product overflows. */
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/*
 * Resize, keeping the contents up to the smaller size. NULL p: kmalloc.
 * new_size 0: kfree and ZERO_SIZE_PTR. On failure NULL, and p is untouched.
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
void kfree(const void *p);
/* Usable bytes at p (the class size, or the whole block); 0 for a bad pointer. */
size_t ksize(const void *p);

/* Boot: set up the kmalloc caches. Idempotent. */
void kmem_cache_init(void);

/* ---- introspection ---- */

/* One line of /proc/slabinfo (version 2.1). */
struct slabinfo {
	const char *name;
	unsigned long active_objs;	/* handed out right now */
	unsigned long num_objs;		/* room in all slabs */
	unsigned int objsize;		/* bytes per object in the slab, metadata included */
	unsigned int objects_per_slab;
	unsigned int pages_per_slab;
	unsigned long active_slabs;	/* slabs holding at least one object */
	unsigned long num_slabs;
};

/*
 * Fill up to max entries in creation order (kmem_cache, the kmalloc caches,
 * then created caches); returns how many caches exist.
 */
int slabinfo_collect(struct slabinfo *info, int max);
/*
 * Pages held in slabs by every cache (heads and tails): meminfo's Slab and
 * SUnreclaim (nothing here is reclaimable), and exactly the pages the pfn
 * walker counts as Slab.
 */
unsigned long slab_pages(void);
/* Pages behind kmalloc() calls above KMALLOC_MAX_CACHE_SIZE (walker: Allocated). */
unsigned long kmalloc_large_pages(void);
/* Misuse reports (bad free, double free, red zone, poison) since boot. */
unsigned long slab_errors(void);

/* Host tests: forget every cache (their pages are the test machine's). */
void slab_reset(void);

#endif
