// SPDX-License-Identifier: MIT
/*
 * DOC: test_vmalloc_area.c - host tests of mm/vmalloc_area.c
 *
 * The movable heap's range allocator, compiled for the host: where areas
 * land (first fit, one guard page after each), reuse of freed ranges,
 * lookups that must miss guard pages, exhaustion of a small window, sizes
 * that are refused, and a random sweep checked against the invariants of
 * mm/vmalloc_area.h after every step.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/vmalloc_area.h"
#include "arch/x86_64/page.h"
#include "tests/host/host_stubs.h"

#define W0	0xffffd90000000000UL	/* any page-aligned base will do */
#define P	PAGE_SIZE

static struct vmap_area *area(struct vmap_space *s, unsigned long size, int want)
{
	struct vmap_area *va = calloc(1, sizeof(*va));

	assert_non_null(va);
	assert_int_equal(alloc_vmap_area(s, va, size), want);
	if (want) {
		free(va);
		return NULL;
	}
	return va;
}

static void drop(struct vmap_space *s, struct vmap_area *va)
{
	free_vmap_area(s, va);
	free(va);
}

/* Sorted, page-aligned, guard after each, inside the window; counters agree. */
static void check_invariants(const struct vmap_space *s)
{
	unsigned long n = 0, busy = 0, floor = s->start;
	const struct vmap_area *prev = NULL;

	for (const struct vmap_area *va = s->first; va; prev = va, va = va->next) {
		assert_ptr_equal(va->prev, prev);
		assert_true(va->va_start < va->va_end);
		assert_int_equal(va->va_start & ~PAGE_MASK, 0);
		assert_int_equal(va->va_end & ~PAGE_MASK, 0);
		assert_true(va->va_start >= floor);
		assert_true(va->va_end + s->guard <= s->end);
		floor = va->va_end + s->guard;
		n++;
		busy += va->va_end - va->va_start;
	}
	assert_int_equal(n, s->nr_areas);
	assert_int_equal(busy, s->busy);
}

static void test_first_fit_with_guards(void **state)
{
	struct vmap_space s = VMAP_SPACE_INIT(W0, W0 + 1024 * P, P);
	struct vmap_area *a = area(&s, 4 * P, 0), *b = area(&s, P, 0), *c = area(&s, 16 * P, 0);

	assert_int_equal(a->va_start, W0);
	assert_int_equal(a->va_end, W0 + 4 * P);
	assert_int_equal(b->va_start, W0 + 5 * P);		/* one guard page after a */
	assert_int_equal(c->va_start, W0 + 7 * P);
	assert_int_equal(s.nr_areas, 3);
	assert_int_equal(s.busy, 21 * P);
	check_invariants(&s);

	/* Lookups: every byte of an area finds it; the guard pages find nothing. */
	assert_ptr_equal(find_vmap_area(&s, W0), a);
	assert_ptr_equal(find_vmap_area(&s, W0 + 4 * P - 1), a);
	assert_null(find_vmap_area(&s, W0 + 4 * P));
	assert_ptr_equal(find_vmap_area(&s, W0 + 5 * P + 100), b);
	assert_null(find_vmap_area(&s, W0 + 6 * P));
	assert_ptr_equal(find_vmap_area(&s, W0 + 22 * P), c);
	assert_null(find_vmap_area(&s, W0 + 23 * P));
	assert_null(find_vmap_area(&s, W0 - 1));
	drop(&s, a);
	drop(&s, b);
	drop(&s, c);
	assert_null(s.first);
	assert_int_equal(s.nr_areas, 0);
	assert_int_equal(s.busy, 0);
}

static void test_reuse_lowest_gap(void **state)
{
	struct vmap_space s = VMAP_SPACE_INIT(W0, W0 + 1024 * P, P);
	struct vmap_area *a = area(&s, 4 * P, 0), *b = area(&s, 8 * P, 0), *c = area(&s, 4 * P, 0);
	struct vmap_area *d, *e, *f;

	assert_int_equal(b->va_start, W0 + 5 * P);
	drop(&s, b);				/* gap [5P, 14P): 8 pages + its guard */
	d = area(&s, 9 * P, 0);			/* 9 + guard does not fit: after c */
	assert_int_equal(d->va_start, c->va_end + P);
	e = area(&s, 8 * P, 0);			/* exactly b's place */
	assert_int_equal(e->va_start, W0 + 5 * P);
	drop(&s, e);
	e = area(&s, 2 * P, 0);			/* a smaller area takes the front of the gap */
	f = area(&s, 5 * P, 0);			/* and the rest: 2+1 + 5+1 = 9 pages */
	assert_int_equal(e->va_start, W0 + 5 * P);
	assert_int_equal(f->va_start, W0 + 8 * P);
	check_invariants(&s);
	drop(&s, a);				/* the first area's place comes back too */
	a = area(&s, P, 0);
	assert_int_equal(a->va_start, W0);
	check_invariants(&s);
	drop(&s, a);
	drop(&s, c);
	drop(&s, d);
	drop(&s, e);
	drop(&s, f);
	assert_int_equal(s.nr_areas, 0);
}

static void test_exhaustion(void **state)
{
	struct vmap_space s = VMAP_SPACE_INIT(W0, W0 + 16 * P, P);
	struct vmap_area *v[8];

	for (int i = 0; i < 8; i++)		/* 8 x (1 page + guard) = the whole window */
		v[i] = area(&s, P, 0);
	assert_int_equal(v[7]->va_end + P, W0 + 16 * P);
	area(&s, P, -ENOMEM);
	drop(&s, v[3]);
	area(&s, 2 * P, -ENOMEM);		/* the hole is one page + guard */
	v[3] = area(&s, P, 0);
	assert_int_equal(v[3]->va_start, W0 + 6 * P);
	for (int i = 0; i < 8; i++)
		drop(&s, v[i]);
	/* The guard counts: 15 pages + guard fit in 16, 16 pages do not. */
	v[0] = area(&s, 15 * P, 0);
	drop(&s, v[0]);
	area(&s, 16 * P, -ENOMEM);
	area(&s, 1UL << 63, -ENOMEM);		/* larger than the window */
	area(&s, ULONG_MAX & PAGE_MASK, -ENOMEM);	/* size + guard overflows */
	assert_int_equal(s.nr_areas, 0);
}

static void test_bad_sizes(void **state)
{
	struct vmap_space s = VMAP_SPACE_INIT(W0, W0 + 16 * P, P);

	area(&s, 0, -EINVAL);
	area(&s, 100, -EINVAL);
	area(&s, P + 1, -EINVAL);
	assert_int_equal(s.nr_areas, 0);
	assert_null(s.first);
}

/* Random alloc/free against a shadow list; invariants after every step. */
static void test_random_sweep(void **state)
{
	enum { N = 64 };
	struct vmap_space s = VMAP_SPACE_INIT(W0, W0 + 512 * P, P);
	struct vmap_area *live[N] = { 0 };
	unsigned int seed = 12345, fails = 0, allocs = 0;

	for (int step = 0; step < 20000; step++) {
		int i = rand_r(&seed) % N;

		if (live[i]) {
			drop(&s, live[i]);
			live[i] = NULL;
		} else {
			unsigned long size = (1 + rand_r(&seed) % 24) * P;
			struct vmap_area *va = calloc(1, sizeof(*va));
			int ret = alloc_vmap_area(&s, va, size);

			if (ret) {
				/* Refused only when no gap holds it: check that by hand. */
				unsigned long base = s.start;

				assert_int_equal(ret, -ENOMEM);
				for (struct vmap_area *a = s.first; a; a = a->next) {
					assert_true(a->va_start - base < size + P);
					base = a->va_end + P;
				}
				assert_true(s.end - base < size + P);
				free(va);
				fails++;
			} else {
				assert_int_equal(va->va_end - va->va_start, size);
				assert_ptr_equal(find_vmap_area(&s, va->va_start), va);
				assert_ptr_equal(find_vmap_area(&s, va->va_end - 1), va);
				assert_null(find_vmap_area(&s, va->va_end));	/* its guard */
				live[i] = va;
				allocs++;
			}
		}
		check_invariants(&s);
	}
	for (int i = 0; i < N; i++)
		if (live[i])
			drop(&s, live[i]);
	assert_int_equal(s.nr_areas, 0);
	assert_true(fails > 0 && allocs > 1000);	/* the sweep reached both outcomes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_fit_with_guards),
		cmocka_unit_test(test_reuse_lowest_gap),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_random_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
