// SPDX-License-Identifier: MIT
/*
 * DOC: test_slab.c - host tests of mm/slab.c on the real buddy
 *
 * The real mm/ sources on a simulated 256 MiB machine (mm_machine.c); slabs
 * come from the real page allocator and the real walker counts them. Host
 * builds have CONFIG_DEBUG_VM, so objects carry red zones: the expected
 * strides below are class size + 8 rounded up to the class's alignment,
 * worked out by hand per class.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/host_stubs.h"
#include "tests/host/mm_machine.h"
#include "mm/slab.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"

static struct pagetypes_result res;

static int setup(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(256), 0 } };
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };

	slab_reset();
	mm_machine_boot(mem, 1, rsv, 2, MiB(256));
	kmem_cache_init();
	host_log_clear();
	return 0;
}

static int teardown(void **state)
{
	mm_machine_teardown();
	slab_reset();
	return 0;
}

static struct slabinfo info_of(const char *name)
{
	struct slabinfo info[64];
	int i, n = slabinfo_collect(info, 64);

	assert_true(n <= 64);
	for (i = 0; i < n; i++)
		if (!strcmp(info[i].name, name))
			return info[i];
	fail_msg("no cache %s in slabinfo", name);
	return info[0];
}

static unsigned long walker_slab_pages(void)
{
	unsigned long n = 0;
	int nid, z;

	assert_int_equal(pagetypes_walk(&res), 0);
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			n += res.count[nid][z][PGTY_SLAB];
	return n;
}

/* Sum over slabinfo of num_slabs * pagesperslab. */
static unsigned long slabinfo_pages(void)
{
	struct slabinfo info[64];
	unsigned long pages = 0;
	int i, n = slabinfo_collect(info, 64);

	for (i = 0; i < n; i++)
		pages += info[i].num_slabs * info[i].pages_per_slab;
	return pages;
}

static void fill(void *p, size_t n, unsigned int seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
}

static bool check(const void *p, size_t n, unsigned int seed)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (uint8_t)(seed * 131 + i * 7 + (i >> 8)))
			return false;
	return true;
}

/* ---- size classes ---- */

static const struct {
	const char *name;
	unsigned int size, stride, per_slab, pages;
} classes[] = {
	/* debug strides: size + 8 red-zone bytes, aligned to the class's alignment */
	{ "kmalloc-8",     8,   16, 254, 1 },	/* 256 minus room for a 32-byte bitmap */
	{ "kmalloc-16",   16,   32, 127, 1 },	/* 128 minus room for a 16-byte bitmap */
	{ "kmalloc-32",   32,   64,  64, 1 },
	{ "kmalloc-64",   64,  128,  32, 1 },
	{ "kmalloc-96",   96,  128,  32, 1 },	/* aligned to 32 */
	{ "kmalloc-128", 128,  256,  16, 1 },
	{ "kmalloc-192", 192,  256,  16, 1 },	/* aligned to 64 */
	{ "kmalloc-256", 256,  512,   8, 1 },
	{ "kmalloc-512", 512, 1024,   4, 1 },
	{ "kmalloc-1k", 1024, 2048,   2, 1 },
	{ "kmalloc-2k", 2048, 4096,   1, 1 },
	{ "kmalloc-4k", 4096, 8192,   1, 2 },	/* one object does not fit one page */
};

static void test_every_size_class(void **state)
{
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(classes); c++) {
		struct slabinfo si = info_of(classes[c].name);
		unsigned int lo = c ? classes[c - 1].size + 1 : 1, sz;

		assert_int_equal(si.objsize, classes[c].stride);
		assert_int_equal(si.objects_per_slab, classes[c].per_slab);
		assert_int_equal(si.pages_per_slab, classes[c].pages);
		/* Every size of the class lands in it, usable up to the class size. */
		for (sz = lo; sz <= classes[c].size; sz++) {
			uint8_t *p = kmalloc(sz, GFP_KERNEL);

			assert_non_null(p);
			assert_int_equal(ksize(p), classes[c].size);
			assert_int_equal(page_type(virt_to_page(p)), PGTY_SLAB);
			fill(p, classes[c].size, sz);
			assert_int_equal(info_of(classes[c].name).active_objs, 1);
			assert_true(check(p, classes[c].size, sz));
			kfree(p);
			assert_int_equal(info_of(classes[c].name).active_objs, 0);
		}
	}
	assert_int_equal(slab_errors(), 0);
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	assert_int_equal(slab_errors(), 0);
}

static void test_alignment(void **state)
{
	size_t sz;

	for (sz = 1; sz <= 2 * KMALLOC_MAX_CACHE_SIZE + 1; sz++) {
		void *p = kmalloc(sz, GFP_KERNEL);
		uintptr_t a = (uintptr_t)p;

		assert_non_null(p);
		assert_true(a % ARCH_KMALLOC_MINALIGN == 0);
		if (is_power_of_2(sz))
			assert_true(a % (sz < PAGE_SIZE ? sz : PAGE_SIZE) == 0);
		if (sz > KMALLOC_MAX_CACHE_SIZE)
			assert_true(a % PAGE_SIZE == 0);
		kfree(p);
	}
	assert_int_equal(slab_errors(), 0);
}

/* Three slabs' worth of every class, all distinct, patterns intact, freed in random order. */
static void test_fill_and_free_random_order(void **state)
{
	unsigned int c;

	srand(5);
	for (c = 0; c < ARRAY_SIZE(classes); c++) {
		unsigned int n = classes[c].per_slab * 3 + 1, i;
		unsigned long base_pages = slab_pages();
		void **objs = calloc(n, sizeof(void *));
		struct slabinfo si;

		for (i = 0; i < n; i++) {
			objs[i] = kmalloc(classes[c].size, GFP_KERNEL);
			assert_non_null(objs[i]);
			fill(objs[i], classes[c].size, i);
		}
		si = info_of(classes[c].name);
		assert_int_equal(si.active_objs, n);
		assert_int_equal(si.num_slabs, 4);
		assert_int_equal(si.num_objs, 4 * classes[c].per_slab);
		assert_int_equal(slab_pages(), base_pages + 4 * classes[c].pages);
		for (i = 0; i < n; i++)
			assert_true(check(objs[i], classes[c].size, i));
		for (i = n - 1; i > 0; i--) {	/* shuffle */
			unsigned int j = rand() % (i + 1);
			void *t = objs[i];

			objs[i] = objs[j];
			objs[j] = t;
		}
		for (i = 0; i < n; i++)
			kfree(objs[i]);
		si = info_of(classes[c].name);
		assert_int_equal(si.active_objs, 0);
		/*
		 * The CPU's slab (the 4th, holding the last object) and one
		 * empty slab stay; the other two went back to the buddy.
		 */
		assert_int_equal(si.num_slabs, 2);
		assert_int_equal(si.active_slabs, 1);
		assert_int_equal(slab_pages(), base_pages + 2 * classes[c].pages);
		free(objs);
	}
	assert_int_equal(slab_errors(), 0);
	assert_int_equal(walker_slab_pages(), slab_pages());
	assert_int_equal(slabinfo_pages(), slab_pages());
}

/* ---- a created cache, back to the buddy ---- */

static void test_cache_empties_to_buddy(void **state)
{
	unsigned long free0, slabs0;
	struct kmem_cache *s;
	struct slabinfo si;
	void *objs[200];
	int i;

	s = kmem_cache_create("test_obj_200", 200, 0, 0, NULL);
	assert_non_null(s);
	/* Stride 208 (200 + 8 red zone): 19 per page waste 144 B = 3.5% */
	si = info_of("test_obj_200");
	assert_int_equal(si.objsize, 208);
	assert_int_equal(si.objects_per_slab, 19);
	assert_int_equal(si.pages_per_slab, 1);

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	slabs0 = slab_pages();	/* struct kmem_cache took a kmem_cache slab (4 pages) */
	for (i = 0; i < 190; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(objs[i]);
		memset(objs[i], i, 200);
	}
	si = info_of("test_obj_200");
	assert_int_equal(si.num_slabs, 10);
	assert_int_equal(si.active_objs, 190);
	assert_int_equal(slab_pages(), slabs0 + 10);
	assert_int_equal(nr_free_pages(), free0 - 10);
	assert_int_equal(walker_slab_pages(), slab_pages());

	/* Destroy refuses while objects are out, and says how many. */
	kmem_cache_destroy(s);
	assert_true(host_log_contains("kmem_cache_destroy(test_obj_200): 190 objects still allocated"));
	assert_int_equal(info_of("test_obj_200").active_objs, 190);

	for (i = 0; i < 190; i++)
		kmem_cache_free(s, objs[i]);
	si = info_of("test_obj_200");
	assert_int_equal(si.active_objs, 0);
	/*
	 * The refused destroy took the CPU's slab back, so every free went to
	 * a slab of the cache's lists: the first to empty stays as the
	 * reserve, the other nine went back to the buddy as they emptied.
	 */
	assert_int_equal(si.num_slabs, 1);
	assert_int_equal(si.active_slabs, 0);
	assert_int_equal(nr_free_pages(), free0 - 1);
	assert_int_equal(kmem_cache_shrink(s), 1);
	assert_int_equal(info_of("test_obj_200").num_slabs, 0);
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(slab_pages(), slabs0);
	kmem_cache_destroy(s);
	assert_int_equal(slab_errors(), 1);	/* the refused destroy */
	assert_int_equal(walker_slab_pages(), slab_pages());
}

static void test_cache_create_limits(void **state)
{
	struct kmem_cache *s;

	assert_null(kmem_cache_create("too_big", 64 * 1024, 0, 0, NULL));
	assert_true(host_log_contains("kmem_cache_create(too_big, size 65536, align 0): object size out of range"));
	assert_null(kmem_cache_create("odd_align", 64, 24, 0, NULL));
	assert_true(host_log_contains("odd_align, size 64, align 24): alignment is not a power of two"));
	assert_null(kmem_cache_create("ctor", 64, 0, 0, (void (*)(void *))free));
	assert_true(host_log_contains("constructors are not supported"));

	s = kmem_cache_create("aligned_40", 40, 0, SLAB_HWCACHE_ALIGN, NULL);
	assert_non_null(s);
	for (int i = 0; i < 100; i++) {
		void *p = kmem_cache_zalloc(s, GFP_KERNEL);

		assert_true((uintptr_t)p % 64 == 0);
		kmem_cache_free(s, p);
	}
	kmem_cache_destroy(s);
	assert_int_equal(slab_errors(), 0);
}

/* ---- krealloc ---- */

static void test_krealloc_grow_and_shrink(void **state)
{
	static const size_t sizes[] = { 1, 7, 8, 9, 60, 100, 200, 1000, 4096, 4097, 10000, 65536, 300000 };
	uint8_t *p = krealloc(NULL, 1, GFP_KERNEL);
	size_t i, prev = 1;

	assert_non_null(p);
	fill(p, 1, 77);
	for (i = 1; i < ARRAY_SIZE(sizes); i++) {
		p = krealloc(p, sizes[i], GFP_KERNEL);
		assert_non_null(p);
		assert_true(ksize(p) >= sizes[i]);
		assert_true(check(p, prev, 77));	/* what was there survives */
		fill(p, sizes[i], 77);
		prev = sizes[i];
	}
	assert_int_equal(kmalloc_large_pages(), 128);	/* 300000 B: order 7 */
	assert_int_equal(ksize(p), 128 * 4096);
	/* Shrinking a large block moves it once it would fit half the block... */
	for (i = ARRAY_SIZE(sizes) - 1; i-- > 0;) {
		p = krealloc(p, sizes[i], GFP_KERNEL);
		assert_non_null(p);
		assert_true(ksize(p) >= sizes[i]);
		assert_true(check(p, sizes[i], 77));
		if (sizes[i] == 10000)
			assert_int_equal(kmalloc_large_pages(), 4);
	}
	/* ...a slab object stays in place, as in Linux: 4096 -> 1 keeps kmalloc-4k. */
	assert_int_equal(ksize(p), 4096);
	assert_int_equal(kmalloc_large_pages(), 0);
	kfree(p);
	assert_int_equal(info_of("kmalloc-4k").active_objs, 0);

	p = kmalloc(100, GFP_KERNEL);
	fill(p, 100, 3);
	assert_ptr_equal(krealloc(p, 50, GFP_KERNEL), p);
	assert_true(check(p, 50, 3));
	/* Zero size frees. */
	assert_ptr_equal(krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_int_equal(info_of("kmalloc-128").active_objs, 0);
	/* __GFP_ZERO zeroes what growth adds. */
	p = kmalloc(16, GFP_KERNEL);
	memset(p, 0xff, 16);
	p = krealloc(p, 3000, GFP_KERNEL | __GFP_ZERO);
	for (i = 16; i < 3000; i++)
		assert_int_equal(p[i], 0);
	kfree(p);
	assert_int_equal(slab_errors(), 0);
}

/* ---- large kmalloc ---- */

static void test_large_kmalloc(void **state)
{
	struct page *page;
	void *p, *q;

	drain_all_pages(NULL);
	unsigned long free0 = nr_free_pages();

	p = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);	/* order 1 */
	assert_non_null(p);
	page = virt_to_page(p);
	assert_int_equal(page_type(page), PGTY_ALLOCATED);
	assert_int_equal(page_order(page), 1);
	assert_int_equal(ksize(p), 8192);
	assert_int_equal(kmalloc_large_pages(), 2);
	q = kmalloc(4 << 20, GFP_KERNEL);	/* the largest buddy block */
	assert_non_null(q);
	assert_int_equal(kmalloc_large_pages(), 2 + 1024);
	assert_null(kmalloc((4 << 20) + 1, GFP_KERNEL));
	assert_true(host_log_contains("kmalloc: 4194305 bytes is more than the largest buddy block (4096 KiB)"));
	kfree(q);
	kfree(p);
	assert_int_equal(kmalloc_large_pages(), 0);
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(slab_errors(), 0);
}

/* ---- misuse ---- */

static void test_double_free(void **state)
{
	char want[160];
	void *p = kmalloc(64, GFP_KERNEL), *q, *objs[64];
	int i;

	kfree(p);
	assert_int_equal(slab_errors(), 0);
	host_log_clear();
	kfree(p);
	snprintf(want, sizeof(want), "kfree(%p): double free of object", p);
	assert_true(host_log_contains(want));
	assert_true(host_log_contains("of cache kmalloc-64"));
	assert_int_equal(slab_errors(), 1);
	/* Nothing changed: the object is handed out once, not twice. */
	assert_int_equal(info_of("kmalloc-64").active_objs, 0);
	for (i = 0; i < 64; i++) {
		objs[i] = kmalloc(64, GFP_KERNEL);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(objs[i], objs[j]);
	}
	for (i = 0; i < 64; i++)
		kfree(objs[i]);

	/* A double free of a large block names the page type it found. */
	q = kmalloc(20000, GFP_KERNEL);
	kfree(q);
	host_log_clear();
	kfree(q);
	snprintf(want, sizeof(want), "kfree(%p): pfn", q);
	assert_true(host_log_contains(want));
	assert_true(host_log_contains("not memory kmalloc handed out (freed already?)"));
	assert_int_equal(slab_errors(), 2);
}

static void test_foreign_pointers(void **state)
{
	char want[200];
	int on_stack;
	char *p = kmalloc(100, GFP_KERNEL);
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	struct kmem_cache *s = kmem_cache_create("other", 128, 0, 0, NULL);

	kfree(&on_stack);
	snprintf(want, sizeof(want), "kfree(%p): not an address of memory with a memmap", (void *)&on_stack);
	assert_true(host_log_contains(want));

	kfree(p + 8);
	snprintf(want, sizeof(want), "kfree(%p): not the start of an object of cache kmalloc-128: 8 bytes into object", p + 8);
	assert_true(host_log_contains(want));

	kfree(page_address(page));
	snprintf(want, sizeof(want), "kfree(%p): pfn %#lx is an Allocated block of the page allocator",
		 page_address(page), page_to_pfn(page));
	assert_true(host_log_contains(want));

	kmem_cache_free(s, p);
	snprintf(want, sizeof(want), "kmem_cache_free(other, %p): the object belongs to cache kmalloc-128", p);
	assert_true(host_log_contains(want));

	assert_int_equal(slab_errors(), 4);
	/* None of it changed anything: p is still allocated, and frees cleanly. */
	assert_int_equal(info_of("kmalloc-128").active_objs, 1);
	kfree(p);
	assert_int_equal(info_of("kmalloc-128").active_objs, 0);
	assert_int_equal(slab_errors(), 4);
	__free_pages(page, 0);
	kmem_cache_destroy(s);
}

static void test_red_zone_and_poison(void **state)
{
	char want[200];
	uint8_t *p = kmalloc(32, GFP_KERNEL), *q;

	p[32] = 0;	/* one byte past the object */
	kfree(p);
	snprintf(want, sizeof(want), "kfree: red zone after object %p of cache kmalloc-32 overwritten at +32", p);
	assert_true(host_log_contains(want));
	assert_int_equal(slab_errors(), 1);

	p[20] = 1;	/* write after free */
	q = kmalloc(32, GFP_KERNEL);
	assert_ptr_equal(q, p);		/* LIFO: the same object comes back */
	snprintf(want, sizeof(want), "free object %p of cache kmalloc-32 was written after it was freed, at +20", p);
	assert_true(host_log_contains(want));
	assert_int_equal(slab_errors(), 2);
	kfree(q);
	assert_int_equal(slab_errors(), 2);
}

/* ---- other CPUs ---- */

static void test_remote_free(void **state)
{
	struct slabinfo si;
	void *objs[100];
	int i;

	for (i = 0; i < 100; i++)
		objs[i] = kmalloc(256, GFP_KERNEL);	/* 8 per slab: 13 slabs */
	host_cpu_id = 1;
	for (i = 0; i < 100; i += 2)
		kfree(objs[i]);
	si = info_of("kmalloc-256");
	assert_int_equal(si.active_objs, 50);
	assert_int_equal(si.num_slabs, 13);
	/*
	 * CPU 1 refills the 12 partial slabs (4 each). The two objects it freed
	 * into CPU 0's slab wait there for CPU 0, so its last two need a new slab.
	 */
	for (i = 0; i < 100; i += 2)
		objs[i] = kmalloc(256, GFP_KERNEL);
	assert_int_equal(info_of("kmalloc-256").num_slabs, 14);
	assert_int_equal(info_of("kmalloc-256").active_objs, 100);
	host_cpu_id = 0;
	for (i = 0; i < 100; i++)
		kfree(objs[i]);
	si = info_of("kmalloc-256");
	assert_int_equal(si.active_objs, 0);
	slab_flush_cpu(1);
	slab_flush_cpu(0);
	si = info_of("kmalloc-256");
	assert_int_equal(si.active_objs, 0);
	assert_int_equal(si.num_slabs, 1);	/* the reserve */
	assert_int_equal(si.active_slabs, 0);
	assert_int_equal(slab_errors(), 0);
	assert_int_equal(walker_slab_pages(), slab_pages());
	assert_int_equal(slabinfo_pages(), slab_pages());
}

/* Random sizes for many rounds, patterns checked, then walker == caches. */
static void test_random_rounds(void **state)
{
	enum { SLOTS = 512 };
	static void *slot[SLOTS];
	static size_t len[SLOTS];
	static unsigned int seed[SLOTS];
	unsigned int round, i;

	srand(42);
	for (round = 0; round < 40; round++) {
		for (i = 0; i < SLOTS; i++) {
			if (slot[i] && rand() % 2) {
				assert_true(check(slot[i], len[i], seed[i]));
				kfree(slot[i]);
				slot[i] = NULL;
			} else if (!slot[i]) {
				len[i] = rand() % 3 == 0 ? 1 + rand() % 20000 : 1 + rand() % 600;
				seed[i] = rand();
				slot[i] = kmalloc(len[i], GFP_KERNEL);
				assert_non_null(slot[i]);
				fill(slot[i], len[i], seed[i]);
			}
		}
		for (i = 0; i < SLOTS; i++)
			if (slot[i])
				assert_true(check(slot[i], len[i], seed[i]));
		assert_int_equal(walker_slab_pages(), slab_pages());
		assert_int_equal(slabinfo_pages(), slab_pages());
	}
	for (i = 0; i < SLOTS; i++) {
		kfree(slot[i]);
		slot[i] = NULL;
	}
	assert_int_equal(slab_errors(), 0);
	assert_int_equal(kmalloc_large_pages(), 0);
	mm_machine_assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_size_class, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_and_free_random_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_empties_to_buddy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_create_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_krealloc_grow_and_shrink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_kmalloc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_double_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_pointers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_red_zone_and_poison, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remote_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_rounds, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
