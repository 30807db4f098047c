// SPDX-License-Identifier: MIT
/*
 * DOC: test_page_alloc.c - host tests of the buddy allocator and its per-CPU lists
 *
 * The real mm/ sources on a simulated machine (mm_machine.c), booted fresh
 * for every case. Expected values come from the state the test read before
 * acting (free counts per order) or from the configuration; the pagetypes
 * walker checks every invariant after each step that changes lists.
 */
#include <pthread.h>
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
#include "mm/memblock.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"

static struct pagetypes_result res;

static struct zone *normal(int nid)
{
	return &NODE_DATA(nid)->node_zones[ZONE_NORMAL];
}

static int setup_256m(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(256), 0 } };
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };

	mm_machine_boot(mem, 1, rsv, 2, MiB(128));
	return 0;
}

static int teardown(void **state)
{
	mm_machine_teardown();
	return 0;
}

/* Free blocks per order of one migratetype, counted from the lists. */
static void free_blocks(struct zone *zone, int mt, unsigned long out[NR_PAGE_ORDERS])
{
	unsigned long counts[NR_PAGE_ORDERS][MIGRATE_TYPES];
	int o;

	zone_free_counts(zone, counts);
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		out[o] = counts[o][mt];
}

/* ---- every order ---- */

static void test_alloc_free_every_order(void **state)
{
	struct zone *zone = normal(0);
	unsigned long free0, managed = zone_managed_pages(zone);
	unsigned int order;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);
		unsigned long pfn;

		assert_non_null(p);
		pfn = page_to_pfn(p);
		assert_true(IS_ALIGNED(pfn, 1UL << order));
		assert_int_equal(page_type(p), PGTY_ALLOCATED);
		assert_int_equal(page_order(p), order);
		assert_int_equal(page_ref_count(p), 1);
		if (order)
			assert_int_equal(page_type(p + (1UL << order) - 1), PGTY_TAIL);
		assert_int_equal(nr_free_pages(), free0 - (1UL << order));
		mm_machine_assert_clean();
		__free_pages(p, order);
		assert_int_equal(nr_free_pages(), free0);
		mm_machine_assert_clean();
	}
	assert_int_equal(zone_managed_pages(zone), managed);
	/* __get_free_pages / free_pages round trip through the direct map. */
	{
		unsigned long addr = __get_free_pages(GFP_KERNEL, 2);

		assert_true(addr != 0);
		assert_ptr_equal(virt_to_page((void *)addr), pfn_to_page(PFN_DOWN(__pa(addr))));
		assert_int_equal(page_type(virt_to_page((void *)addr)), PGTY_ALLOCATED);
		free_pages(addr, 2);
		assert_int_equal(nr_free_pages(), free0);
	}
}

static void test_order_too_big(void **state)
{
	host_log_clear();
	assert_null(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1));
	assert_true(host_log_contains("order 11 > MAX_PAGE_ORDER 10"));
}

/* ---- split and merge ---- */

static void test_split_and_merge(void **state)
{
	struct zone *zone = normal(0);
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS], again[NR_PAGE_ORDERS];
	unsigned int want = 3, src, o;
	struct page *p;
	unsigned long pfn;

	drain_all_pages(NULL);
	free_blocks(zone, MIGRATE_MOVABLE, before);
	for (src = want; src <= MAX_PAGE_ORDER && !before[src]; src++)
		;
	assert_true(src <= MAX_PAGE_ORDER);
	/* Make the split visible: the smallest block >= 3 must be bigger than 3. */
	if (src == want) {
		/* Use up the order-3 blocks first so the test splits a bigger one. */
		struct page *hold[64];
		unsigned long n = before[want], i;

		assert_true(n < 64);
		for (i = 0; i < n; i++)
			assert_non_null(hold[i] = alloc_pages(GFP_MOVABLE, want));
		free_blocks(zone, MIGRATE_MOVABLE, before);
		for (src = want; src <= MAX_PAGE_ORDER && !before[src]; src++)
			;
		assert_true(src > want);
		(void)hold;	/* kept allocated on purpose for the rest of the case */
	}
	p = alloc_pages(GFP_MOVABLE, want);
	assert_non_null(p);
	pfn = page_to_pfn(p);
	free_blocks(zone, MIGRATE_MOVABLE, after);
	/* Splitting an order-src block leaves one free block of each order in [want, src). */
	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		long d = (long)after[o] - (long)before[o];

		if (o >= want && o < src)
			assert_int_equal(d, 1);
		else if (o == src)
			assert_int_equal(d, -1);
		else
			assert_int_equal(d, 0);
	}
	/* The buddy of the allocated block is the free order-3 half. */
	assert_int_equal(page_type(pfn_to_page(pfn ^ 8)), PGTY_BUDDY);
	assert_int_equal(page_order(pfn_to_page(pfn ^ 8)), 3);
	mm_machine_assert_clean();

	__free_pages(p, want);
	free_blocks(zone, MIGRATE_MOVABLE, again);
	assert_memory_equal(again, before, sizeof(before));
	/* Merged back: the halves are Tail pages of one order-src block. */
	assert_int_equal(page_type(pfn_to_page(pfn ^ 8)), PGTY_TAIL);
	assert_int_equal(page_type(pfn_to_page(ALIGN_DOWN(pfn, 1UL << src))), PGTY_BUDDY);
	assert_int_equal(page_order(pfn_to_page(ALIGN_DOWN(pfn, 1UL << src))), src);
	mm_machine_assert_clean();
}

/* ---- migratetypes ---- */

static void test_migratetype_fallback(void **state)
{
	struct zone *zone = normal(0);
	unsigned long unmov[NR_PAGE_ORDERS], free0, n = 0;
	struct page *p, *list = NULL;
	int o;

	drain_all_pages(NULL);
	/* Boot pageblocks are all movable: an unmovable request must fall back and steal. */
	free_blocks(zone, MIGRATE_UNMOVABLE, unmov);
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		assert_int_equal(unmov[o], 0);
	p = alloc_pages(GFP_KERNEL, 1);
	assert_non_null(p);
	assert_int_equal(get_pageblock_migratetype(page_to_pfn(p)), MIGRATE_UNMOVABLE);
	free_blocks(zone, MIGRATE_UNMOVABLE, unmov);
	/* It stole a max-order block: the rest of it (orders 1..9) is now unmovable free. */
	for (o = 1; o < MAX_PAGE_ORDER; o++)
		assert_int_equal(unmov[o], 1);
	mm_machine_assert_clean();
	__free_pages(p, 1);
	mm_machine_assert_clean();

	/* Movable requests take the unmovable pageblocks too when movable ones run out. */
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	while ((p = alloc_pages(GFP_MOVABLE | __GFP_NOWARN, 0))) {
		p->private = (unsigned long)list;
		list = p;
		n++;
	}
	assert_int_equal(n, free0);
	mm_machine_assert_clean();
	while (list) {
		p = list;
		list = (struct page *)p->private;
		__free_pages(p, 0);
	}
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	mm_machine_assert_clean();
}

/* ---- exhaustion and failure ---- */

static void expect_panic(void (*fn)(void *), void *arg, const char *needle)
{
	jmp_buf jb;

	host_panic_jmp = &jb;
	if (setjmp(jb) == 0) {
		fn(arg);
		host_panic_jmp = NULL;
		fail_msg("no panic (wanted '%s')", needle);
	}
	host_panic_jmp = NULL;
	if (!strstr(host_panic_msg, needle))
		fail_msg("panic '%s' does not say '%s'", host_panic_msg, needle);
}

static void free_order0(void *p) { __free_pages(p, 0); }
static void free_order1(void *p) { __free_pages(p, 1); }
static void free_order2(void *p) { __free_pages(p, 2); }

static void alloc_nofail_order1(void *unused) { alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 1); }

struct held {
	struct page *page;
	unsigned int order;
};

static void test_exhaustion(void **state)
{
	struct zone *zone = normal(0);
	unsigned long free0, got = 0, i;
	struct page *p, *list = NULL;
	char want[160];
	int messages = 0;
	const char *s;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	assert_int_equal(free0, zone_managed_pages(zone));
	/* Largest first, then smaller: every free page comes out exactly once. */
	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order))) {
			p->private = (unsigned long)list;
			list = p;
			got += 1UL << order;
		}
	}
	assert_int_equal(got, free0);
	assert_int_equal(nr_free_pages(), 0);
	mm_machine_assert_clean();

	/* Out of memory: NULL, and a message naming node, zone and order. */
	host_log_clear();
	assert_null(alloc_pages(GFP_KERNEL, 2));
	snprintf(want, sizeof(want), "page allocation failure: node 0 zone Normal order 2");
	assert_true(host_log_contains(want));
	/* Rate-limited: 20 more failures print at most OOM_MESSAGES_PER_SEC in all. */
	for (i = 0; i < 20; i++)
		assert_null(alloc_pages(GFP_KERNEL, 0));
	for (s = host_log; (s = strstr(s, "page allocation failure: node")); s++)
		messages++;
	assert_true(messages <= OOM_MESSAGES_PER_SEC);
	assert_true(messages >= 1);
	/* __GFP_NOWARN: silent. */
	host_log_clear();
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	assert_false(host_log_contains("page allocation failure"));

	/* __GFP_NOFAIL panics, naming the order. */
	expect_panic(alloc_nofail_order1, NULL, "__GFP_NOFAIL allocation of order 1 on node 0");

	while (list) {
		p = list;
		list = (struct page *)p->private;
		__free_pages(p, page_order(p));
	}
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	mm_machine_assert_clean();
	/* Everything merged back to max-order blocks where alignment allows: same lists as at boot. */
	assert_true(zone->free_area[MAX_PAGE_ORDER].nr_free >= (MiB(256) - MiB(8)) / (4 * MiB(1)) - 2);
}

/* ---- per-CPU lists ---- */

static void test_pcp_hit_and_drain(void **state)
{
	struct zone *zone = normal(0);
	struct per_cpu_pages *pcp = &zone->pcp[0];
	unsigned long buddy0;
	struct page *p, *q;
	struct page *many[400];
	int i;

	drain_all_pages(NULL);
	assert_int_equal(pcp->count, 0);
	buddy0 = zone->free_pages;
	p = alloc_pages(GFP_KERNEL, 0);		/* miss: refills a batch */
	assert_int_equal(pcp->count, pcp->batch - 1);
	assert_int_equal(zone->free_pages, buddy0 - pcp->batch);
	q = alloc_pages(GFP_KERNEL, 0);		/* hit: zone untouched */
	assert_int_equal(pcp->count, pcp->batch - 2);
	assert_int_equal(zone->free_pages, buddy0 - pcp->batch);
	mm_machine_assert_clean();
	__free_pages(q, 0);
	__free_pages(p, 0);
	assert_int_equal(pcp->count, pcp->batch);
	assert_int_equal(page_type(p), PGTY_BUDDY);
	assert_int_equal(p->buddy_where, PAGE_ON_PCP);
	mm_machine_assert_clean();

	/* Overflow: the list never grows to `high`. */
	for (i = 0; i < 400; i++)
		assert_non_null(many[i] = alloc_pages(GFP_KERNEL, 0));
	for (i = 0; i < 400; i++) {
		__free_pages(many[i], 0);
		assert_true(pcp->count < pcp->high);
	}
	mm_machine_assert_clean();

	drain_local_pages(NULL);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(zone->free_pages, buddy0);
	mm_machine_assert_clean();

	/* An interrupt arriving while its CPU uses the pcp goes to the zone instead. */
	pcp->busy = 1;
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(zone->free_pages, buddy0 - 1);
	__free_pages(p, 0);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(zone->free_pages, buddy0);
	pcp->busy = 0;
	mm_machine_assert_clean();
}

/* Pages parked on another CPU's list are found by the slow path's drain. */
static void test_pcp_other_cpu(void **state)
{
	struct zone *zone = normal(0);
	unsigned long free0, got = 0;
	struct page *p, *list = NULL;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	host_cpu_id = 5;
	p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0);
	assert_int_equal(zone->pcp[5].count, zone->pcp[5].batch);
	host_cpu_id = 0;
	while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0))) {
		p->private = (unsigned long)list;
		list = p;
		got++;
	}
	assert_int_equal(got, free0);
	assert_int_equal(zone->pcp[5].count, 0);
	while (list) {
		p = list;
		list = (struct page *)p->private;
		__free_pages(p, 0);
	}
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	mm_machine_assert_clean();
}

/*
 * Another CPU drains CPU 1's lists while CPU 1 allocates and frees through
 * them: two threads, one playing CPU 1 (host_cpu_id is only read by it),
 * one draining CPU 1 from outside, as the allocation slow path of CPU 0
 * does. The claim must keep them out of each other's way: a page taken
 * twice or lost shows as a type panic, a wrong free count or a walker
 * violation. Checked to fail within a few thousand rounds when the claim
 * is a plain check-then-set.
 */
#define REMOTE_DRAIN_ROUNDS	200000

static volatile int owner_done;
static unsigned long remote_drains;

static void *remote_drainer(void *arg)
{
	struct zone *zone = arg;

	while (!__atomic_load_n(&owner_done, __ATOMIC_ACQUIRE)) {
		drain_cpu_pages_of(1, zone);
		remote_drains++;
	}
	return NULL;
}

static void test_pcp_remote_drain_races_owner(void **state)
{
	struct zone *zone = normal(0);
	struct page *held[8];
	unsigned long free0, round;
	pthread_t drainer;
	unsigned int n, i;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	host_cpu_id = 1;
	owner_done = 0;
	remote_drains = 0;
	assert_int_equal(pthread_create(&drainer, NULL, remote_drainer, zone), 0);
	for (round = 0; round < REMOTE_DRAIN_ROUNDS; round++) {
		n = 1 + round % 8;
		for (i = 0; i < n; i++) {
			held[i] = alloc_pages(GFP_KERNEL, 0);
			assert_non_null(held[i]);
			assert_int_equal(page_type(held[i]), PGTY_ALLOCATED);
		}
		for (i = 0; i < n; i++)
			__free_pages(held[i], 0);
	}
	__atomic_store_n(&owner_done, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(drainer, NULL), 0);
	host_cpu_id = 0;
	assert_true(remote_drains > 0);
	assert_int_equal(zone->pcp[1].busy, 0);
	drain_all_pages(NULL);
	assert_int_equal(zone->pcp[1].count, 0);
	assert_int_equal(nr_free_pages(), free0);
	mm_machine_assert_clean();
}

/* ---- zeroing ---- */

static void test_zeroing(void **state)
{
	unsigned int orders[] = { 0, 4, MAX_PAGE_ORDER };
	size_t k, i;

	for (k = 0; k < ARRAY_SIZE(orders); k++) {
		unsigned int order = orders[k];
		struct page *p = alloc_pages(GFP_KERNEL, order);
		uint8_t *b;

		assert_non_null(p);
		memset(page_address(p), 0xaa, PAGE_SIZE << order);
		__free_pages(p, order);
		if (order == 0)	/* the same page comes back from the pcp list */
			assert_ptr_equal(alloc_pages(GFP_KERNEL | __GFP_ZERO, 0), p);
		else
			p = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
		b = page_address(p);
		for (i = 0; i < (PAGE_SIZE << order); i++)
			if (b[i])
				fail_msg("order %u: byte %zu is %#x after __GFP_ZERO", order, i, b[i]);
		__free_pages(p, order);
	}
	mm_machine_assert_clean();
}

/* ---- nodes ---- */

static void test_node_preference(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(128), 0 }, { MiB(128), MiB(128), 1 } };
	const struct mm_range rsv[] = { { 0, MiB(2), 0 } };
	struct page *p, *list = NULL;
	unsigned long n1 = 0, free1;

	mm_machine_boot(mem, 2, rsv, 1, MiB(128));
	p = alloc_pages_node(1, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(p), 1);
	__free_pages(p, 0);
	p = alloc_pages(GFP_KERNEL, 3);		/* CPU 0 is on node 0 */
	assert_int_equal(page_to_nid(p), 0);
	__free_pages(p, 3);

	drain_all_pages(NULL);
	free1 = normal(1)->free_pages;
	while ((p = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0))) {
		assert_int_equal(page_to_nid(p), 1);
		p->private = (unsigned long)list;
		list = p;
		n1++;
	}
	assert_int_equal(n1, free1);
	/* Node 1 is full: without __GFP_THISNODE, node 0 serves. */
	p = alloc_pages_node(1, GFP_KERNEL, 0);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 0);
	__free_pages(p, 0);
	host_log_clear();
	assert_null(alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE, 0));
	assert_true(host_log_contains("node 1 zone Normal order 0"));
	while (list) {
		p = list;
		list = (struct page *)p->private;
		__free_pages(p, 0);
	}
	mm_machine_assert_clean();
}

/* ---- misuse is caught ---- */

static void test_bad_frees_panic(void **state)
{
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	char want[64];

	__free_pages(p, 1);
	snprintf(want, sizeof(want), "pfn %#lx", page_to_pfn(p));
	expect_panic(free_order0, p, "double free");
	expect_panic(free_order0, p, want);

	p = alloc_pages(GFP_KERNEL, 1);
	expect_panic(free_order2, p, "freed with order 2 but allocated with order 1");
	page_ref_inc(p);	/* the failed free dropped the reference */
	/* A page-table page must be turned back before freeing. */
	page_allocated_to_pagetable(p);
	expect_panic(free_order1, p, "is PageTable");
	page_pagetable_to_allocated(p);
	page_ref_inc(p);
	__free_pages(p, 1);
	mm_machine_assert_clean();
}

static void test_walker_catches_corruption(void **state)
{
	struct zone *zone = normal(0);
	struct page *head;
	uint8_t saved;

	drain_all_pages(NULL);
	head = zone->free_area[MAX_PAGE_ORDER].free_list[MIGRATE_MOVABLE];
	assert_non_null(head);
	mm_machine_assert_clean();

	saved = head->buddy_mt;
	head->buddy_mt = MIGRATE_UNMOVABLE;
	assert_true(pagetypes_walk(&res) > 0);
	assert_non_null(strstr(res.first_violation, "order-10 free block on the Unmovable list, its pageblock is Movable"));
	head->buddy_mt = saved;

	(head + 5)->type = PGTY_ALLOCATED;
	(head + 5)->order = 0;
	(head + 5)->refcount = 1;
	assert_true(pagetypes_walk(&res) > 0);
	assert_non_null(strstr(res.first_violation, "Allocated inside the order-10 Buddy block"));
	(head + 5)->type = PGTY_TAIL;
	(head + 5)->refcount = 0;

	zone->free_pages++;
	assert_true(pagetypes_walk(&res) > 0);
	assert_non_null(strstr(res.first_violation, "free_pages says"));
	zone->free_pages--;

	adjust_managed_page_count(zone, 1);
	assert_true(pagetypes_walk(&res) > 0);
	assert_non_null(strstr(res.first_violation, "managed_pages says"));
	adjust_managed_page_count(zone, -1);
	mm_machine_assert_clean();
}

/* ---- many rounds of random work, walker after each ---- */

#define RANDOM_ROUNDS	300
#define RANDOM_OPS	300
#define MAX_HELD	4096

static void test_random_rounds(void **state)
{
	static struct held held[MAX_HELD];
	unsigned long free0, nr = 0;
	unsigned int seed = 12345;
	int round, op;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	for (round = 0; round < RANDOM_ROUNDS; round++) {
		for (op = 0; op < RANDOM_OPS; op++) {
			unsigned int r = rand_r(&seed);

			if (nr < MAX_HELD && (r % 100) < 55) {
				/* orders skewed small, like real use */
				unsigned int order = (r >> 8) % 16;
				gfp_t gfp = ((r >> 12) & 1) ? GFP_MOVABLE : GFP_KERNEL;
				struct page *p;

				order = order < 8 ? 0 : order - 7;
				if ((r >> 13) % 7 == 0)
					gfp |= __GFP_ZERO;
				p = alloc_pages(gfp | __GFP_NOWARN, order);
				if (!p)
					continue;
				*(unsigned long *)page_address(p) = page_to_pfn(p);
				held[nr].page = p;
				held[nr].order = order;
				nr++;
			} else if (nr) {
				unsigned long i = (r >> 8) % nr;
				struct page *p = held[i].page;

				assert_int_equal(*(unsigned long *)page_address(p), page_to_pfn(p));
				__free_pages(p, held[i].order);
				held[i] = held[--nr];
			}
			if ((r % 997) == 0)
				drain_all_pages(NULL);
			host_cpu_id = (r >> 20) % 3;	/* pcp lists of 3 CPUs in play */
		}
		host_cpu_id = 0;
		mm_machine_assert_clean();
	}
	while (nr) {
		nr--;
		__free_pages(held[nr].page, held[nr].order);
	}
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	mm_machine_assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_free_every_order, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_order_too_big, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_split_and_merge, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_migratetype_fallback, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_pcp_hit_and_drain, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_pcp_other_cpu, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_pcp_remote_drain_races_owner, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_zeroing, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_node_preference, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frees_panic, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_walker_catches_corruption, setup_256m, teardown),
		cmocka_unit_test_setup_teardown(test_random_rounds, setup_256m, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
