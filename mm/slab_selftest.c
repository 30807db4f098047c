/* SPDX-License-Identifier: MIT */
/*
 * DOC: slab_selftest.c - in-kernel tests of the slab allocator (kernel only)
 *
 *   slab_mixed    rounds of kmalloc/kfree of mixed sizes (slab classes and
 *                 large blocks), every live object's pattern checked each
 *                 round; afterwards every kmalloc cache holds exactly the
 *                 objects it held before and no misuse was reported
 *   slab_newlib   newlib's malloc family (malloc, calloc, realloc, memalign,
 *                 free, and strdup, which allocates inside newlib) lands in
 *                 kmalloc's caches and blocks and comes back out
 *   slab_walker   the pfn walker's Slab pages == slab_pages() == what
 *                 slabinfo adds up, with objects allocated and after
 *   slab_misuse   double free, frees of a stack, an image and a mid-object
 *                 address, a page-allocator page, the wrong cache, and
 *                 (CONFIG_DEBUG_VM) an overrun are each reported once and
 *                 change nothing (the error lines in the log are expected)
 * They expect a quiet system (nobody else allocating), as the walker does.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xorshift.h"

#include "mm/slab.h"
#include "mm/pagetypes.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

#define MAX_CACHES	64

static struct slabinfo before[MAX_CACHES], after[MAX_CACHES];
static struct pagetypes_result walk;

#define CHECK(cond, fmt, ...) do {						\
	if (!(cond)) {								\
		printk(KERN_ERR "%s: %s: " fmt "\n", __func__, #cond, ##__VA_ARGS__); \
		return -1;							\
	}									\
} while (0)

static uint64_t rng_state;

static uint64_t rng(void)
{
	return xorshift64(&rng_state);
}

static void fill(void *p, size_t n, uint32_t seed)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 7 + (i >> 8));
}

static bool intact(const void *p, size_t n, uint32_t seed)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (uint8_t)(seed + i * 7 + (i >> 8)))
			return false;
	return true;
}

static const struct slabinfo *find(const struct slabinfo *info, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(info[i].name, name))
			return &info[i];
	return NULL;
}

/* ---- slab_mixed ---- */

#define MIXED_SLOTS	1024
#define MIXED_ROUNDS	64

static struct { void *p; uint32_t len, seed; } slot[MIXED_SLOTS];

static int test_slab_mixed(void)
{
	unsigned long errors0 = slab_errors(), large0 = kmalloc_large_pages();
	int nb, na, round, i;

	rng_state = 0x5eed5eed5eedULL;
	nb = slabinfo_collect(before, MAX_CACHES);
	for (round = 0; round < MIXED_ROUNDS; round++) {
		for (i = 0; i < MIXED_SLOTS; i++) {
			uint64_t r = rng();

			if (slot[i].p) {
				if (!(r & 1))
					continue;
				CHECK(intact(slot[i].p, slot[i].len, slot[i].seed),
				      "round %d: object %p (%u bytes) changed while allocated",
				      round, slot[i].p, slot[i].len);
				kfree(slot[i].p);
				slot[i].p = NULL;
				continue;
			}
			/* mostly small, some up to 4 KiB, a few large blocks */
			r >>= 1;
			slot[i].len = (r % 16 == 0) ? 4097 + (r >> 4) % 20000 :
				      (r % 4 == 0) ? 1 + (r >> 4) % 4096 : 1 + (r >> 4) % 256;
			slot[i].seed = (uint32_t)(r >> 32);
			slot[i].p = kmalloc(slot[i].len, GFP_KERNEL);
			CHECK(slot[i].p, "round %d: kmalloc(%u) failed", round, slot[i].len);
			CHECK(ksize(slot[i].p) >= slot[i].len, "ksize %zu < %u", ksize(slot[i].p), slot[i].len);
			fill(slot[i].p, slot[i].len, slot[i].seed);
		}
	}
	for (i = 0; i < MIXED_SLOTS; i++) {
		if (!slot[i].p)
			continue;
		CHECK(intact(slot[i].p, slot[i].len, slot[i].seed), "object %p (%u bytes) changed", slot[i].p, slot[i].len);
		kfree(slot[i].p);
		slot[i].p = NULL;
	}
	na = slabinfo_collect(after, MAX_CACHES);
	CHECK(na == nb, "%d caches before, %d after", nb, na);
	for (i = 0; i < nb; i++) {
		const struct slabinfo *a = find(after, na, before[i].name);

		CHECK(a && a->active_objs == before[i].active_objs,
		      "%s: %lu objects before, %lu after", before[i].name, before[i].active_objs,
		      a ? a->active_objs : 0);
	}
	CHECK(kmalloc_large_pages() == large0, "large pages %lu, were %lu", kmalloc_large_pages(), large0);
	CHECK(slab_errors() == errors0, "%lu misuse reports", slab_errors() - errors0);
	printk(KERN_INFO "slab_mixed: %d rounds of %d slots, all patterns intact\n", MIXED_ROUNDS, MIXED_SLOTS);
	return 0;
}
SELFTEST(slab_mixed, test_slab_mixed);

/* ---- slab_newlib ---- */

static unsigned long active_of(const char *name)
{
	int n = slabinfo_collect(after, MAX_CACHES);
	const struct slabinfo *s = find(after, n, name);

	return s ? s->active_objs : ~0UL;
}

static int test_slab_newlib(void)
{
	unsigned long errors0 = slab_errors(), large0 = kmalloc_large_pages();
	unsigned long k128 = active_of("kmalloc-128");
	char *p, *q, *d;
	size_t i;

	/* malloc(100) is a kmalloc-128 object. */
	p = malloc(100);
	CHECK(p, "malloc(100) failed");
	CHECK(ksize(p) == 128, "malloc(100): ksize %zu, a kmalloc-128 object has 128", ksize(p));
	CHECK(malloc_usable_size(p) == 128, "malloc_usable_size %zu", malloc_usable_size(p));
	CHECK(active_of("kmalloc-128") == k128 + 1, "kmalloc-128 holds %lu, expected %lu",
	      active_of("kmalloc-128"), k128 + 1);
	fill(p, 100, 9);

	/* realloc to 10000 bytes: a 16 KiB buddy block, contents kept. */
	q = realloc(p, 10000);
	CHECK(q, "realloc(100 -> 10000) failed");
	CHECK(intact(q, 100, 9), "realloc lost the contents");
	CHECK(kmalloc_large_pages() == large0 + 4, "large pages %lu, expected %lu",
	      kmalloc_large_pages(), large0 + 4);
	CHECK(active_of("kmalloc-128") == k128, "the kmalloc-128 object was not freed by realloc");
	fill(q, 10000, 10);
	/* and back down to 50: a slab object again */
	p = realloc(q, 50);
	CHECK(p && intact(p, 50, 10), "realloc(10000 -> 50) lost the contents");
	CHECK(ksize(p) == 64 && kmalloc_large_pages() == large0, "realloc down: ksize %zu, large %lu",
	      ksize(p), kmalloc_large_pages());
	free(p);

	/* calloc zeroes, also memory that held something before. */
	p = malloc(512);
	memset(p, 0xee, 512);
	free(p);
	q = calloc(64, 8);
	CHECK(q, "calloc failed");
	for (i = 0; i < 512; i++)
		CHECK(q[i] == 0, "calloc byte %zu is %#x", i, q[i]);
	free(q);
	{
		volatile size_t huge = SIZE_MAX / 2;	/* volatile: gcc rejects a visibly huge calloc */

		CHECK(calloc(huge, 4) == NULL, "calloc overflow not caught");
	}

	/* memalign up to beyond a page. */
	for (size_t a = 16; a <= 16384; a <<= 1) {
		p = memalign(a, 24);
		CHECK(p && ((uintptr_t)p & (a - 1)) == 0, "memalign(%zu, 24) = %p", a, p);
		free(p);
	}

	/* newlib allocating on its own behalf. */
	d = strdup("hotmm slab");
	CHECK(d && !strcmp(d, "hotmm slab") && ksize(d) == 16, "strdup: %p ksize %zu", d, d ? ksize(d) : 0);
	free(d);

	/* realloc(p, 0) frees; malloc(0) is a real, freeable object. */
	p = malloc(0);
	CHECK(p && ksize(p) == 8, "malloc(0) = %p", p);
	CHECK(realloc(p, 0) == NULL, "realloc(p, 0) did not return NULL");
	free(NULL);

	CHECK(active_of("kmalloc-128") == k128, "kmalloc-128 holds %lu, expected %lu",
	      active_of("kmalloc-128"), k128);
	CHECK(kmalloc_large_pages() == large0, "large pages %lu, were %lu", kmalloc_large_pages(), large0);
	CHECK(slab_errors() == errors0, "%lu misuse reports", slab_errors() - errors0);
	return 0;
}
SELFTEST(slab_newlib, test_slab_newlib);

/* ---- slab_walker ---- */

static unsigned long walker_slab_pages(void)
{
	unsigned long n = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			n += walk.count[nid][z][PGTY_SLAB];
	return n;
}

static unsigned long slabinfo_pages(void)
{
	int n = slabinfo_collect(after, MAX_CACHES);
	unsigned long pages = 0;

	for (int i = 0; i < n && i < MAX_CACHES; i++)
		pages += after[i].num_slabs * after[i].pages_per_slab;
	return pages;
}

static int walker_agrees(const char *when)
{
	unsigned long v = pagetypes_walk(&walk);

	CHECK(v == 0, "%s: walker found %lu violations, first: %s", when, v, walk.first_violation);
	CHECK(walk.sections_skipped == 0, "%s: %lu sections not initialized", when, walk.sections_skipped);
	CHECK(walker_slab_pages() == slab_pages(), "%s: walker counts %lu Slab pages, the caches %lu",
	      when, walker_slab_pages(), slab_pages());
	CHECK(slabinfo_pages() == slab_pages(), "%s: slabinfo adds up to %lu pages, slab_pages() %lu",
	      when, slabinfo_pages(), slab_pages());
	return 0;
}

static int test_slab_walker(void)
{
	struct kmem_cache *s;
	void *objs[300];
	unsigned long pages0;
	int i;

	if (walker_agrees("before"))
		return -1;
	pages0 = slab_pages();
	s = kmem_cache_create("selftest_700", 700, 0, 0, NULL);
	CHECK(s, "kmem_cache_create failed");
	for (i = 0; i < 300; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		CHECK(objs[i], "kmem_cache_alloc %d failed", i);
	}
	CHECK(slab_pages() > pages0, "300 objects of 700 bytes took no slab pages");
	if (walker_agrees("300 objects of selftest_700"))
		return -1;
	for (i = 0; i < 300; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	if (walker_agrees("after destroy"))
		return -1;
	return 0;
}
SELFTEST(slab_walker, test_slab_walker);

/* ---- slab_misuse ---- */

static int image_object;

static int test_slab_misuse(void)
{
	unsigned long errors0 = slab_errors(), k64;
	struct kmem_cache *s;
	struct page *page;
	int on_stack = 0, expected = 0;
	char *p, *q;

	p = kmalloc(64, GFP_KERNEL);
	CHECK(p, "kmalloc(64) failed");
	k64 = active_of("kmalloc-64");
	s = kmem_cache_create("selftest_misuse", 64, 0, 0, NULL);
	page = alloc_pages(GFP_KERNEL, 0);
	CHECK(s && page, "setup failed");

	printk(KERN_NOTICE "slab_misuse: the slab errors below are expected\n");
	kfree(&on_stack);			expected++;
	kfree(&image_object);			expected++;
	kfree(p + 16);				expected++;
	kfree(page_address(page));		expected++;
	kmem_cache_free(s, p);			expected++;
	CHECK(slab_errors() - errors0 == (unsigned long)expected, "%lu reports for %d bad frees",
	      slab_errors() - errors0, expected);
	CHECK(active_of("kmalloc-64") == k64, "a rejected free changed kmalloc-64 (%lu objects, were %lu)",
	      active_of("kmalloc-64"), k64);

#ifdef CONFIG_DEBUG_VM
	p[64] = 0x00;				/* one byte into the red zone */
	expected++;
#endif
	kfree(p);
	CHECK(active_of("kmalloc-64") == k64 - 1, "the good free did not free");
	kfree(p);				expected++;	/* double free */
	CHECK(slab_errors() - errors0 == (unsigned long)expected, "%lu reports, expected %d",
	      slab_errors() - errors0, expected);
	/* The double free did not put the object on a freelist twice. */
	p = kmalloc(64, GFP_KERNEL);
	q = kmalloc(64, GFP_KERNEL);
	CHECK(p && q && p != q, "the same object handed out twice: %p %p", p, q);
	kfree(p);
	kfree(q);
	__free_pages(page, 0);
	kmem_cache_destroy(s);
	CHECK(slab_errors() - errors0 == (unsigned long)expected, "%lu reports, expected %d",
	      slab_errors() - errors0, expected);
	return 0;
}
SELFTEST(slab_misuse, test_slab_misuse);
