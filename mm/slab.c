/* SPDX-License-Identifier: MIT */
/*
 * DOC: slab.c - object caches on Slab pages, kmalloc on top of them
 *
 * A slab is a block of 2^order pages from the buddy whose head page is
 * typed Slab (the only place that changes the type: slab_page_alloc() and
 * slab_page_free()). It holds `objects` objects of `size` bytes (the stride:
 * object, red zone under CONFIG_DEBUG_VM, padding to the alignment). The
 * head's struct page describes the slab:
 *   _owner[0]  the cache
 *   _owner[1]  freelist: free objects not owned by a CPU, linked through
 *              their first word
 *   _owner[2]  inuse (low 32 bits) | SLAB_FROZEN
 *   private    in-use bitmap when objects <= 64 (else it sits at the slab's
 *              end, at bitmap_offset)
 *   next/prev  the cache's partial or empty list
 * Tail pages of a multi-page slab point back at the head (_owner[0], with
 * SLAB_TAIL_MAGIC in _owner[1]) so a pointer anywhere in the slab finds it.
 *
 * Per-CPU fast path (SLUB's scheme): each CPU owns one "frozen" slab and
 * takes its free objects from a private freelist with interrupts off and no
 * lock; a free into that same slab pushes back onto it. Everything else
 * takes the cache's lock: a free into any other slab goes onto that slab's
 * own freelist (a frozen slab collects them there until its CPU runs dry),
 * and an empty CPU freelist refills from the slab's remote frees, else
 * from a partial slab, else from an empty one, else from a new slab.
 *
 * Lists and counts (under s->lock; a frozen slab is on no list and counts
 * as inuse = objects minus its remote frees):
 *   partial   0 < inuse < objects        full slabs are on no list
 *   empty     inuse == 0, at most SLAB_EMPTY_RESERVE of them; a slab that
 *             empties beyond the reserve goes back to the buddy at once
 *   nr_slabs, nr_free (objects on slab freelists); per-CPU nr_free counts
 *             the private lists, so active objects are exact on a quiet
 *             system.
 *
 * The in-use bitmap is what makes misuse visible in every build: kfree()
 * clears the object's bit atomically and a bit already clear is a double
 * free, reported and ignored, on any CPU. Under CONFIG_DEBUG_VM a free
 * object is poisoned (0x6b after its free pointer) and the bytes between
 * object_size and the stride are a red zone (0xcc), checked on free and
 * on allocation, so an overrun and a write after free are both named.
 *
 * Requests above KMALLOC_MAX_CACHE_SIZE are buddy blocks (type Allocated,
 * _owner[0] = KMALLOC_LARGE_MAGIC, _owner[1] = the size asked for), freed
 * by the same kfree().
 */
#include <stdio.h>
#include <string.h>

#include "mm/slab.h"
#include "mm/page.h"
#include "mm/mmzone.h"
#include "mm/sparse.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/spinlock.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

#define SLAB_MAX_ORDER		3	/* 32 KiB: keeps waste low without big buddy blocks */
#define SLAB_EMPTY_RESERVE	1	/* empty slabs a cache keeps against alloc/free ping-pong */
#define SLAB_FROZEN		(1UL << 32)
#define SLAB_TAIL_MAGIC		0x51ab7a11c0ffee51UL
#define KMALLOC_LARGE_MAGIC	0x1a26e0b1ecf4a110UL
#define BITS_PER_LONG		64
#define BITS_TO_LONGS(n)	DIV_ROUND_UP(n, BITS_PER_LONG)

#ifdef CONFIG_DEBUG_VM
#define SLAB_DEBUG		1
#else
#define SLAB_DEBUG		0
#endif
#define SLAB_RED_ZONE		8	/* at least this many red-zone bytes after each object */
#define RED_ZONE_BYTE		0xcc
#define POISON_FREE		0x6b

struct slab_list {
	struct page *first;	/* doubly linked through page->next/prev */
	unsigned long nr;
};

struct kmem_cache_cpu {
	void *freelist;		/* objects only this CPU takes, all from `slab` */
	struct page *slab;	/* this CPU's frozen slab, or NULL */
	char *base;		/* its first object */
	unsigned long nr_free;	/* length of freelist */
};

struct kmem_cache {
	const char *name;
	unsigned int object_size;	/* what the user asked for (kmalloc: the class size) */
	unsigned int size;		/* stride in the slab */
	unsigned int align;
	unsigned int order;
	unsigned int objects;		/* per slab */
	unsigned int bitmap_offset;	/* in-use bitmap in the slab; 0: in page->private */
	uint32_t reciprocal_size;	/* ceil(2^32 / size): obj_index() without a divide */
	unsigned int flags;

	spinlock_t lock;
	struct slab_list partial;
	struct slab_list empty;
	unsigned long nr_slabs;
	unsigned long nr_free;		/* free objects on slab freelists */

	struct kmem_cache *next;	/* slab_caches, in creation order */
	struct kmem_cache_cpu cpu_slab[NR_CPUS];
};

/* kmalloc's size classes, smallest first. */
static const struct {
	const char *name;
	unsigned int size;
} kmalloc_info[] = {
	{ "kmalloc-8", 8 },	{ "kmalloc-16", 16 },	{ "kmalloc-32", 32 },
	{ "kmalloc-64", 64 },	{ "kmalloc-96", 96 },	{ "kmalloc-128", 128 },
	{ "kmalloc-192", 192 },	{ "kmalloc-256", 256 },	{ "kmalloc-512", 512 },
	{ "kmalloc-1k", 1024 },	{ "kmalloc-2k", 2048 },	{ "kmalloc-4k", 4096 },
};
#define NR_KMALLOC_CACHES	ARRAY_SIZE(kmalloc_info)
#define KMALLOC_IDX_256		7

static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
/* The cache struct kmem_cache comes from: itself a static cache. */
static struct kmem_cache kmem_cache_boot;
/* kmalloc class of sizes 1..192, by (size - 1) / 8: the classes are not all powers of two. */
static uint8_t size_index[24];

static DEFINE_SPINLOCK(slab_caches_lock);
static struct kmem_cache *slab_caches, **slab_caches_tail = &slab_caches;
static bool slab_up;

static unsigned long nr_slab_pages;		/* atomic */
static unsigned long nr_kmalloc_large_pages;	/* atomic */
static unsigned long nr_slab_errors;		/* atomic */

/* ---- reporting ---- */

static void __printf(1, 2) slab_error(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&nr_slab_errors, 1, __ATOMIC_RELAXED);
	pr_err("slab: %s\n", buf);
}

unsigned long slab_errors(void) { return __atomic_load_n(&nr_slab_errors, __ATOMIC_RELAXED); }
unsigned long slab_pages(void) { return __atomic_load_n(&nr_slab_pages, __ATOMIC_RELAXED); }
unsigned long kmalloc_large_pages(void) { return __atomic_load_n(&nr_kmalloc_large_pages, __ATOMIC_RELAXED); }

/* ---- the slab's struct page ---- */

static inline struct kmem_cache *slab_cache(const struct page *slab) { return (struct kmem_cache *)slab->_owner[0]; }
static inline void **slab_freelist(struct page *slab) { return (void **)&slab->_owner[1]; }
static inline unsigned int slab_inuse(const struct page *slab) { return (uint32_t)slab->_owner[2]; }
static inline bool slab_frozen(const struct page *slab) { return slab->_owner[2] & SLAB_FROZEN; }
static inline void slab_set(struct page *slab, unsigned int inuse, bool frozen)
{
	slab->_owner[2] = inuse | (frozen ? SLAB_FROZEN : 0);
}
static inline char *slab_base(const struct page *slab) { return page_address(slab); }

static inline unsigned long *slab_bitmap(const struct kmem_cache *s, struct page *slab)
{
	if (!s->bitmap_offset)
		return &slab->private;
	return (unsigned long *)(slab_base(slab) + s->bitmap_offset);
}

static inline void *get_freepointer(const void *obj) { return *(void *const *)obj; }
static inline void set_freepointer(void *obj, void *next) { *(void **)obj = next; }

/* Exact for offsets and sizes below 2^15 (SLAB_MAX_ORDER): see calculate_sizes(). */
static inline unsigned int obj_index(const struct kmem_cache *s, unsigned long offset)
{
	return (unsigned int)(((uint64_t)offset * s->reciprocal_size) >> 32);
}

/* Where a slab that is not frozen belongs, from its inuse count. */
static struct slab_list *slab_home(struct kmem_cache *s, const struct page *slab)
{
	unsigned int inuse = slab_inuse(slab);

	if (slab_frozen(slab) || inuse == s->objects)
		return NULL;
	return inuse ? &s->partial : &s->empty;
}

static void slab_list_add(struct slab_list *list, struct page *slab)
{
	slab->prev = NULL;
	slab->next = list->first;
	if (list->first)
		list->first->prev = slab;
	list->first = slab;
	list->nr++;
}

static void slab_list_del(struct slab_list *list, struct page *slab)
{
	if (slab->prev)
		slab->prev->next = slab->next;
	else
		list->first = slab->next;
	if (slab->next)
		slab->next->prev = slab->prev;
	slab->next = slab->prev = NULL;
	list->nr--;
}

/* ---- debug: red zones and poison ---- */

static void check_red_zone(struct kmem_cache *s, void *obj, const char *when)
{
	uint8_t *p = obj;
	unsigned int i;

	for (i = s->object_size; i < s->size; i++) {
		if (likely(p[i] == RED_ZONE_BYTE))
			continue;
		slab_error("%s: red zone after object %p of cache %s overwritten at +%u "
			   "(byte %#x, expected %#x): overrun of this object or underrun of the next",
			   when, obj, s->name, i, p[i], RED_ZONE_BYTE);
		memset(p + s->object_size, RED_ZONE_BYTE, s->size - s->object_size);
		return;
	}
}

static void check_poison(struct kmem_cache *s, void *obj)
{
	uint8_t *p = obj;
	unsigned int i;

	for (i = sizeof(void *); i < s->object_size; i++) {
		if (likely(p[i] == POISON_FREE))
			continue;
		slab_error("kmalloc: free object %p of cache %s was written after it was freed, "
			   "at +%u (byte %#x, expected %#x): use after free", obj, s->name, i, p[i], POISON_FREE);
		return;
	}
}

/* A free object in debug builds: poison after the free pointer, red zone after the object. */
static void poison_object(struct kmem_cache *s, void *obj)
{
	uint8_t *p = obj;

	if (s->object_size > sizeof(void *))
		memset(p + sizeof(void *), POISON_FREE, s->object_size - sizeof(void *));
	memset(p + s->object_size, RED_ZONE_BYTE, s->size - s->object_size);
}

/* ---- slab pages from and to the buddy ---- */

static struct page *slab_page_alloc(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp & (__GFP_NOWARN | __GFP_NOFAIL | __GFP_THISNODE), s->order);
	unsigned int i;

	if (!page)
		return NULL;
	page_allocated_to_slab(page);
	for (i = 1; i < (1U << s->order); i++) {
		page[i]._owner[0] = (unsigned long)page;
		page[i]._owner[1] = SLAB_TAIL_MAGIC;
	}
	__atomic_add_fetch(&nr_slab_pages, 1UL << s->order, __ATOMIC_RELAXED);
	return page;
}

static void slab_page_free(struct kmem_cache *s, struct page *slab)
{
	unsigned int i;

	for (i = 1; i < (1U << s->order); i++)
		slab[i]._owner[0] = slab[i]._owner[1] = 0;
	slab->_owner[0] = slab->_owner[1] = slab->_owner[2] = 0;
	slab->private = 0;
	slab->next = slab->prev = NULL;
	__atomic_sub_fetch(&nr_slab_pages, 1UL << s->order, __ATOMIC_RELAXED);
	page_slab_to_allocated(slab);
	__free_pages(slab, s->order);
}

/* A new slab, every object free and linked in address order; not yet counted in s. */
static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *slab = slab_page_alloc(s, gfp);
	char *base, *obj;
	unsigned int i;

	if (!slab)
		return NULL;
	base = slab_base(slab);
	slab->_owner[0] = (unsigned long)s;
	slab_set(slab, 0, false);
	slab->next = slab->prev = NULL;
	if (s->bitmap_offset)
		memset(base + s->bitmap_offset, 0, BITS_TO_LONGS(s->objects) * sizeof(long));
	else
		slab->private = 0;
	for (i = 0, obj = base; i < s->objects; i++, obj += s->size) {
		if (SLAB_DEBUG)
			poison_object(s, obj);
		set_freepointer(obj, i + 1 < s->objects ? obj + s->size : NULL);
	}
	*slab_freelist(slab) = base;
	return slab;
}

/* ---- the per-CPU slab ---- */

/* Make `slab` (off every list) this CPU's: all its free objects move to c. Lock held. */
static void freeze_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *slab)
{
	unsigned long nr = s->objects - slab_inuse(slab);

	c->freelist = *slab_freelist(slab);
	c->nr_free = nr;
	c->slab = slab;
	c->base = slab_base(slab);
	*slab_freelist(slab) = NULL;
	s->nr_free -= nr;
	slab_set(slab, s->objects, true);
}

/*
 * Give c's slab back to the cache with c's free objects. Lock held, irqs
 * off. Returns the slab when it must go back to the buddy (after unlock).
 */
static struct page *unfreeze_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *slab = c->slab;
	struct slab_list *home;

	if (!slab)
		return NULL;
	if (c->freelist) {
		void *tail = c->freelist;

		while (get_freepointer(tail))
			tail = get_freepointer(tail);
		set_freepointer(tail, *slab_freelist(slab));
		*slab_freelist(slab) = c->freelist;
	}
	slab_set(slab, slab_inuse(slab) - c->nr_free, false);
	s->nr_free += c->nr_free;
	c->freelist = NULL;
	c->slab = NULL;
	c->base = NULL;
	c->nr_free = 0;

	home = slab_home(s, slab);
	if (home == &s->empty && s->empty.nr >= SLAB_EMPTY_RESERVE) {
		s->nr_slabs--;
		s->nr_free -= s->objects;
		return slab;
	}
	if (home)
		slab_list_add(home, slab);
	return NULL;
}

static __noreturn void freelist_corrupt(struct kmem_cache *s, struct kmem_cache_cpu *c, void *obj, void *next)
{
	panic("slab: freelist of cache %s corrupted: free object %p holds next pointer %p outside "
	      "its slab (pfn %#lx, %u objects of %u bytes): written after free?",
	      s->name, obj, next, page_to_pfn(c->slab), s->objects, s->size);
}

/* Take c's first free object. Irqs off. */
static __always_inline void *cpu_freelist_pop(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	void *obj = c->freelist;
	void *next = get_freepointer(obj);

	if (unlikely(next && (unsigned long)((char *)next - c->base) >= (unsigned long)s->objects * s->size))
		freelist_corrupt(s, c, obj, next);
	c->freelist = next;
	c->nr_free--;
	return obj;
}

/* c's freelist is empty: refill it, then pop. Irqs off. */
static void *__slab_alloc(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp)
{
	struct page *slab, *discard = NULL;
	void *obj;

	spin_lock(&s->lock);
	if (c->slab) {
		slab = c->slab;
		if (*slab_freelist(slab)) {	/* other CPUs freed into our slab */
			unsigned long nr = s->objects - slab_inuse(slab);

			c->freelist = *slab_freelist(slab);
			c->nr_free = nr;
			*slab_freelist(slab) = NULL;
			s->nr_free -= nr;
			slab_set(slab, s->objects, true);
			goto pop;
		}
		discard = unfreeze_slab(s, c);	/* full: onto no list */
	}
	slab = s->partial.first;
	if (slab) {
		slab_list_del(&s->partial, slab);
	} else if ((slab = s->empty.first)) {
		slab_list_del(&s->empty, slab);
	} else {
		spin_unlock(&s->lock);
		slab = new_slab(s, gfp);
		if (!slab)
			return NULL;
		spin_lock(&s->lock);
		s->nr_slabs++;
		s->nr_free += s->objects;
	}
	freeze_slab(s, c, slab);
pop:
	obj = cpu_freelist_pop(s, c);
	spin_unlock(&s->lock);
	if (discard)
		slab_page_free(s, discard);
	return obj;
}

/* Mark obj (of c's slab) handed out; set already means the freelist lied. */
static __always_inline void mark_allocated(struct kmem_cache *s, struct kmem_cache_cpu *c, void *obj)
{
	unsigned int idx = obj_index(s, (char *)obj - c->base);
	unsigned long bit = 1UL << (idx % BITS_PER_LONG);
	unsigned long *word = slab_bitmap(s, c->slab) + idx / BITS_PER_LONG;

	if (unlikely(__atomic_fetch_or(word, bit, __ATOMIC_ACQ_REL) & bit))
		panic("slab: cache %s handed out object %p (index %u, pfn %#lx) that is already in use: "
		      "its freelist is corrupted (written after free?)", s->name, obj, idx, page_to_pfn(c->slab));
}

static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *obj;

	flags = local_irq_save();
	c = &s->cpu_slab[smp_processor_id()];
	if (likely(c->freelist))
		obj = cpu_freelist_pop(s, c);
	else
		obj = __slab_alloc(s, c, gfp);
	if (likely(obj))
		mark_allocated(s, c, obj);
	local_irq_restore(flags);
	if (unlikely(!obj))
		return NULL;
	if (SLAB_DEBUG) {
		check_poison(s, obj);
		check_red_zone(s, obj, "kmalloc");
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

/* ---- freeing ---- */

/* A free into a slab that is not this CPU's. Irqs off. */
static void __slab_free(struct kmem_cache *s, struct page *slab, void *obj)
{
	struct slab_list *from, *to;
	bool discard = false;

	spin_lock(&s->lock);
	from = slab_home(s, slab);
	set_freepointer(obj, *slab_freelist(slab));
	*slab_freelist(slab) = obj;
	slab_set(slab, slab_inuse(slab) - 1, slab_frozen(slab));
	s->nr_free++;
	to = slab_home(s, slab);
	if (to != from) {
		if (from)
			slab_list_del(from, slab);
		if (to == &s->empty && s->empty.nr >= SLAB_EMPTY_RESERVE) {
			s->nr_slabs--;
			s->nr_free -= s->objects;
			discard = true;
		} else if (to) {
			slab_list_add(to, slab);
		}
	}
	spin_unlock(&s->lock);
	if (discard)
		slab_page_free(s, slab);
}

static void slab_free(struct kmem_cache *s, struct page *slab, void *obj, unsigned int idx, const char *caller)
{
	unsigned long bit = 1UL << (idx % BITS_PER_LONG);
	unsigned long *word = slab_bitmap(s, slab) + idx / BITS_PER_LONG;
	struct kmem_cache_cpu *c;
	unsigned long flags;

	if (unlikely(!(__atomic_fetch_and(word, ~bit, __ATOMIC_ACQ_REL) & bit))) {
		slab_error("%s(%p): double free of object %u of cache %s (slab at pfn %#lx): "
			   "it is not allocated", caller, obj, idx, s->name, page_to_pfn(slab));
		return;
	}
	if (SLAB_DEBUG) {
		check_red_zone(s, obj, caller);
		poison_object(s, obj);
	}
	flags = local_irq_save();
	c = &s->cpu_slab[smp_processor_id()];
	if (likely(slab == c->slab)) {
		set_freepointer(obj, c->freelist);
		c->freelist = obj;
		c->nr_free++;
	} else {
		__slab_free(s, slab, obj);
	}
	local_irq_restore(flags);
}

/*
 * The head page of what p points into, or NULL (reported) when p has no
 * struct page at all. A pointer into a tail of a slab gives the slab.
 */
static struct page *addr_to_head(const void *p, const char *caller)
{
	unsigned long pfn = PFN_DOWN(__pa(p));
	struct page *page;

	if (unlikely(!pfn_valid(pfn))) {
		slab_error("%s(%p): not an address of memory with a memmap: not allocated by kmalloc",
			   caller, p);
		return NULL;
	}
	page = pfn_to_page(pfn);
	if (page->type == PGTY_TAIL && page->_owner[1] == SLAB_TAIL_MAGIC) {
		struct page *head = (struct page *)page->_owner[0];

		if (head < page && head->type == PGTY_SLAB && page < head + (1UL << head->order))
			return head;
	}
	return page;
}

static void report_not_ours(const void *p, const struct page *page, const char *caller)
{
	enum page_type t = page_type(page);

	slab_error("%s(%p): pfn %#lx is %s %s %s, not memory kmalloc handed out%s", caller, p,
		   page_to_pfn(page), t == PGTY_ALLOCATED || t == PGTY_OFFLINE ? "an" : "a",
		   page_type_name(t), t == PGTY_ALLOCATED ? "block of the page allocator" : "page",
		   t == PGTY_BUDDY || t == PGTY_TAIL ? " (freed already?)" : "");
}

/* Index of the object p starts in slab, or false (reported) if p starts none. */
static bool slab_obj_index(struct kmem_cache *s, struct page *slab, const void *p,
			   const char *caller, unsigned int *idx)
{
	unsigned long off = (unsigned long)((const char *)p - slab_base(slab));
	unsigned int i;

	if (unlikely(off >= (unsigned long)s->objects * s->size)) {
		slab_error("%s(%p): in a slab of cache %s (pfn %#lx) but past its last object (offset %lu)",
			   caller, p, s->name, page_to_pfn(slab), off);
		return false;
	}
	i = obj_index(s, off);
	if (unlikely((unsigned long)i * s->size != off)) {
		slab_error("%s(%p): not the start of an object of cache %s: %lu bytes into object %u at %p",
			   caller, p, s->name, off - (unsigned long)i * s->size, i,
			   slab_base(slab) + (unsigned long)i * s->size);
		return false;
	}
	*idx = i;
	return true;
}

static void kfree_large(struct page *page, const void *p)
{
	unsigned int order = page->order;

	if (unlikely(p != page_address(page))) {
		slab_error("kfree(%p): inside a %lu-byte kmalloc block at %p, not its start",
			   p, PAGE_SIZE << order, page_address(page));
		return;
	}
	page->_owner[0] = page->_owner[1] = 0;
	__atomic_sub_fetch(&nr_kmalloc_large_pages, 1UL << order, __ATOMIC_RELAXED);
	__free_pages(page, order);
}

void kfree(const void *p)
{
	struct page *page;
	unsigned int idx;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	page = addr_to_head(p, "kfree");
	if (unlikely(!page))
		return;
	if (likely(page->type == PGTY_SLAB)) {
		struct kmem_cache *s = slab_cache(page);

		if (slab_obj_index(s, page, p, "kfree", &idx))
			slab_free(s, page, (void *)p, idx, "kfree");
		return;
	}
	if (page->type == PGTY_ALLOCATED && page->_owner[0] == KMALLOC_LARGE_MAGIC) {
		kfree_large(page, p);
		return;
	}
	report_not_ours(p, page, "kfree");
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct page *page;
	unsigned int idx;

	if (unlikely(!obj))
		return;
	page = addr_to_head(obj, "kmem_cache_free");
	if (unlikely(!page))
		return;
	if (unlikely(page->type != PGTY_SLAB)) {
		report_not_ours(obj, page, "kmem_cache_free");
		return;
	}
	if (unlikely(slab_cache(page) != s)) {
		slab_error("kmem_cache_free(%s, %p): the object belongs to cache %s",
			   s->name, obj, slab_cache(page)->name);
		return;
	}
	if (slab_obj_index(s, page, obj, "kmem_cache_free", &idx))
		slab_free(s, page, obj, idx, "kmem_cache_free");
}

/* ---- kmalloc ---- */

static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	/* 256 .. 4096: one class per power of two */
	return KMALLOC_IDX_256 + (64 - __builtin_clzl(size - 1)) - 8;
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = 0;
	struct page *page;

	if (unlikely(size > (PAGE_SIZE << MAX_PAGE_ORDER))) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is more than the largest buddy block (%lu KiB)\n",
				size, (PAGE_SIZE << MAX_PAGE_ORDER) / SZ_1K);
		if (gfp & __GFP_NOFAIL)
			panic("kmalloc: __GFP_NOFAIL request of %zu bytes can never be met", size);
		return NULL;
	}
	while ((PAGE_SIZE << order) < size)
		order++;
	page = alloc_pages(gfp & (__GFP_ZERO | __GFP_NOWARN | __GFP_NOFAIL | __GFP_THISNODE), order);
	if (!page)
		return NULL;
	page->_owner[0] = KMALLOC_LARGE_MAGIC;
	page->_owner[1] = size;
	__atomic_add_fetch(&nr_kmalloc_large_pages, 1UL << order, __ATOMIC_RELAXED);
	return page_address(page);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (unlikely(!slab_up))
		kmem_cache_init();
	if (unlikely(size == 0))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp);
	return slab_alloc(&kmalloc_caches[kmalloc_index(size)], gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, gfp | __GFP_ZERO);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp);
}

size_t ksize(const void *p)
{
	struct page *page;
	unsigned int idx;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return 0;
	page = addr_to_head(p, "ksize");
	if (unlikely(!page))
		return 0;
	if (likely(page->type == PGTY_SLAB)) {
		struct kmem_cache *s = slab_cache(page);

		return slab_obj_index(s, page, p, "ksize", &idx) ? s->object_size : 0;
	}
	if (page->type == PGTY_ALLOCATED && page->_owner[0] == KMALLOC_LARGE_MAGIC &&
	    p == page_address(page))
		return PAGE_SIZE << page->order;
	report_not_ours(p, page, "ksize");
	return 0;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t old_size;
	void *n;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, gfp);
	old_size = ksize(p);
	if (unlikely(!old_size))
		return NULL;	/* not ours: reported by ksize() */
	/*
	 * Fits: stay, unless a large block would shrink to a smaller class or
	 * order (the memory is worth giving back).
	 */
	if (new_size <= old_size &&
	    (old_size <= KMALLOC_MAX_CACHE_SIZE || new_size > old_size / 2)) {
		if (old_size > KMALLOC_MAX_CACHE_SIZE)
			virt_to_page(p)->_owner[1] = new_size;
		return (void *)p;
	}
	n = kmalloc(new_size, gfp & ~__GFP_ZERO);
	if (!n)
		return NULL;
	memcpy(n, p, min(old_size, new_size));
	if ((gfp & __GFP_ZERO) && new_size > old_size)
		memset((char *)n + old_size, 0, ksize(n) - old_size);
	kfree(p);
	return n;
}

/* ---- caches ---- */

/* Objects of `stride` bytes a slab of `bytes` holds, with the bitmap when it must sit there. */
static unsigned int objects_fit(unsigned long bytes, unsigned int stride, unsigned int *bitmap_offset)
{
	unsigned long n = bytes / stride;

	while (n > BITS_PER_LONG && n * stride + BITS_TO_LONGS(n) * sizeof(long) > bytes)
		n--;
	*bitmap_offset = n > BITS_PER_LONG ? n * stride : 0;
	return n;
}

/*
 * Stride, slab order and objects per slab: the smallest order that wastes
 * at most 1/8 of the slab (else the one that wastes least), up to
 * SLAB_MAX_ORDER. Returns false when one object does not fit.
 */
static bool calculate_sizes(struct kmem_cache *s, unsigned int size, unsigned int align)
{
	unsigned long best_waste = 0, best_bytes = 0;
	unsigned int order, stride;

	stride = max(size, (unsigned int)sizeof(void *));
	if (SLAB_DEBUG)
		stride += SLAB_RED_ZONE;
	stride = ALIGN(stride, align);
	if (stride > (PAGE_SIZE << SLAB_MAX_ORDER))
		return false;

	s->object_size = size;
	s->size = stride;
	s->align = align;
	s->objects = 0;
	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		unsigned long bytes = PAGE_SIZE << order, waste;
		unsigned int bitmap_offset, n = objects_fit(bytes, stride, &bitmap_offset);

		if (!n)
			continue;
		waste = bytes - (unsigned long)n * stride -
			(bitmap_offset ? BITS_TO_LONGS(n) * sizeof(long) : 0);
		/* Keep the smallest fraction wasted so far. */
		if (!s->objects || waste * best_bytes < best_waste * bytes) {
			best_waste = waste;
			best_bytes = bytes;
			s->order = order;
			s->objects = n;
			s->bitmap_offset = bitmap_offset;
		}
		if (waste * 8 <= bytes)
			break;
	}
	/* obj_index() is exact for offsets < 2^15 with size <= 2^15: see its comment. */
	BUILD_BUG_ON((PAGE_SIZE << SLAB_MAX_ORDER) > (1UL << 15));
	s->reciprocal_size = (uint32_t)(((1ULL << 32) + stride - 1) / stride);
	return s->objects != 0;
}

static bool init_cache(struct kmem_cache *s, const char *name, unsigned int size,
		       unsigned int align, unsigned int flags)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->flags = flags;
	spin_lock_init(&s->lock);
	return calculate_sizes(s, size, align);
}

static void link_cache(struct kmem_cache *s)
{
	unsigned long flags;

	spin_lock_irqsave(&slab_caches_lock, flags);
	s->next = NULL;
	*slab_caches_tail = s;
	slab_caches_tail = &s->next;
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

static void unlink_cache(struct kmem_cache *s)
{
	struct kmem_cache **pp;
	unsigned long flags;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for (pp = &slab_caches; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			if (slab_caches_tail == &s->next)
				slab_caches_tail = pp;
			break;
		}
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

void kmem_cache_init(void)
{
	unsigned int i, size;

	if (slab_up)
		return;
	if (!init_cache(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 64, SLAB_HWCACHE_ALIGN))
		panic("slab: struct kmem_cache (%zu bytes) does not fit a slab", sizeof(struct kmem_cache));
	link_cache(&kmem_cache_boot);
	for (i = 0; i < NR_KMALLOC_CACHES; i++) {
		size = kmalloc_info[i].size;
		/* Natural alignment for powers of two, the largest power dividing the size otherwise. */
		if (!init_cache(&kmalloc_caches[i], kmalloc_info[i].name, size,
				min(size & -size, (unsigned int)PAGE_SIZE), 0))
			panic("slab: %s does not fit a slab", kmalloc_info[i].name);
		link_cache(&kmalloc_caches[i]);
	}
	for (size = 8, i = 0; size <= 192; size += 8) {
		while (kmalloc_info[i].size < size)
			i++;
		size_index[(size - 1) / 8] = i;
	}
	__atomic_store_n(&slab_up, true, __ATOMIC_RELEASE);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	const char *why;

	kmem_cache_init();
	if (!name) {
		name = "(null)";
		why = "a cache needs a name";
	} else if (ctor) {
		why = "constructors are not supported (ctor must be NULL)";
	} else if (size == 0 || size > (PAGE_SIZE << SLAB_MAX_ORDER)) {
		why = "object size out of range";
	} else if (align && (!is_power_of_2(align) || align > PAGE_SIZE)) {
		why = "alignment is not a power of two up to 4096";
	} else if (!(s = kmem_cache_alloc(&kmem_cache_boot, GFP_KERNEL))) {
		why = "out of memory for struct kmem_cache";
	} else {
		align = max(align, (unsigned int)ARCH_KMALLOC_MINALIGN);
		if (flags & SLAB_HWCACHE_ALIGN)
			align = max(align, 64u);
		if (init_cache(s, name, size, align, flags)) {
			link_cache(s);
			return s;
		}
		why = "object (with red zone and alignment) larger than the largest slab";
		kmem_cache_free(&kmem_cache_boot, s);
	}
	if (flags & SLAB_PANIC)
		panic("kmem_cache_create(%s, size %u, align %u): %s", name, size, align, why);
	pr_err("kmem_cache_create(%s, size %u, align %u): %s\n", name, size, align, why);
	return NULL;
}

/* Return cpu's slab of s to s. */
static void flush_cpu_slab(struct kmem_cache *s, unsigned int cpu)
{
	struct page *discard;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	discard = unfreeze_slab(s, &s->cpu_slab[cpu]);
	spin_unlock_irqrestore(&s->lock, flags);
	if (discard)
		slab_page_free(s, discard);
}

void slab_flush_cpu(unsigned int cpu)
{
	struct kmem_cache *s;
	unsigned long flags;

	spin_lock_irqsave(&slab_caches_lock, flags);
	for (s = slab_caches; s; s = s->next)
		flush_cpu_slab(s, cpu);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

unsigned long kmem_cache_shrink(struct kmem_cache *s)
{
	struct page *list, *slab;
	unsigned long flags, pages = 0;

	flush_cpu_slab(s, smp_processor_id());
	spin_lock_irqsave(&s->lock, flags);
	list = s->empty.first;
	s->nr_slabs -= s->empty.nr;
	s->nr_free -= s->empty.nr * s->objects;
	s->empty.first = NULL;
	s->empty.nr = 0;
	spin_unlock_irqrestore(&s->lock, flags);
	while ((slab = list)) {
		list = slab->next;
		pages += 1UL << s->order;
		slab_page_free(s, slab);
	}
	return pages;
}

static unsigned long cache_active_objs(struct kmem_cache *s)
{
	unsigned long cpu_free = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		cpu_free += READ_ONCE(s->cpu_slab[cpu].nr_free);
	return s->nr_slabs * s->objects - s->nr_free - cpu_free;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long active, flags;
	unsigned int cpu;

	if (!s)
		return;
	if (s == &kmem_cache_boot || (s >= kmalloc_caches && s < kmalloc_caches + NR_KMALLOC_CACHES)) {
		pr_err("kmem_cache_destroy(%s): the allocator's own caches stay\n", s->name);
		return;
	}
	/* Every CPU's slab comes back: the caller owns the cache, nobody allocates from it now. */
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (s->cpu_slab[cpu].slab)
			flush_cpu_slab(s, cpu);
	spin_lock_irqsave(&s->lock, flags);
	active = cache_active_objs(s);
	spin_unlock_irqrestore(&s->lock, flags);
	if (active) {
		slab_error("kmem_cache_destroy(%s): %lu objects still allocated; the cache stays",
			   s->name, active);
		return;
	}
	kmem_cache_shrink(s);
	unlink_cache(s);
	kmem_cache_free(&kmem_cache_boot, s);
}

/* ---- introspection ---- */

static void cache_info(struct kmem_cache *s, struct slabinfo *info)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	info->name = s->name;
	info->num_slabs = s->nr_slabs;
	info->active_slabs = s->nr_slabs - s->empty.nr;
	info->num_objs = s->nr_slabs * s->objects;
	info->active_objs = cache_active_objs(s);
	spin_unlock_irqrestore(&s->lock, flags);
	info->objsize = s->size;
	info->objects_per_slab = s->objects;
	info->pages_per_slab = 1U << s->order;
}

int slabinfo_collect(struct slabinfo *info, int max)
{
	struct kmem_cache *s;
	unsigned long flags;
	int n = 0;

	kmem_cache_init();
	spin_lock_irqsave(&slab_caches_lock, flags);
	for (s = slab_caches; s; s = s->next, n++)
		if (n < max)
			cache_info(s, &info[n]);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return n;
}

void slab_reset(void)
{
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	memset(&kmem_cache_boot, 0, sizeof(kmem_cache_boot));
	slab_caches = NULL;
	slab_caches_tail = &slab_caches;
	nr_slab_pages = nr_kmalloc_large_pages = nr_slab_errors = 0;
	slab_up = false;
}
