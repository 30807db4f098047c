// SPDX-License-Identifier: MIT
/*
 * DOC: test_memblock.c - host tests of mm/memblock.c
 *
 * The real mm/memblock.c, compiled for the host. Each case starts from
 * memblock_reset() and states the lists it expects region by region. The
 * buddy's flag and kmalloc()/kfree() are defined here (memblock.c refers to
 * them weakly) so that array growth after the hand-off, and its failure,
 * can be driven. The last case drives thousands of random operations
 * against a one-byte-per-page model and checks the lists, the totals, the
 * memory walk and every allocation against it after each step.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/memblock.h"
#include "mm/gfp.h"
#include "tests/host/host_stubs.h"

#define M(x)	((phys_addr_t)(x) << 20)
#define K(x)	((phys_addr_t)(x) << 10)

/* Simulated RAM for the virtual allocators: physical 0 is sim_ram[0]. */
#define SIM_RAM_SIZE	M(32)
static uint8_t sim_ram[SIM_RAM_SIZE] __attribute__((aligned(4096)));

/*
 * The buddy's state and kmalloc()/kfree(), which memblock.c references
 * weakly to grow its arrays after the hand-off; here they can fail on demand.
 */
bool buddy_ready;
static bool kmalloc_fails;
static int kmalloc_calls, kfree_calls;

void *kmalloc(size_t size, gfp_t gfp)
{
	(void)gfp;
	kmalloc_calls++;
	return kmalloc_fails ? NULL : malloc(size);
}

void kfree(const void *p)
{
	kfree_calls++;
	free((void *)p);
}

static int setup(void **state)
{
	memblock_reset();	/* kfree()s an array that came from kmalloc() */
	buddy_ready = false;
	kmalloc_fails = false;
	kmalloc_calls = kfree_calls = 0;
	host_log_clear();
	host_phys_base = (uintptr_t)sim_ram;
	return 0;
}

static void assert_region(const struct memblock_type *type, unsigned long idx, phys_addr_t base,
			  phys_addr_t size, int nid, enum memblock_flags flags)
{
	assert_true(idx < type->cnt);
	assert_int_equal(type->regions[idx].base, base);
	assert_int_equal(type->regions[idx].size, size);
	assert_int_equal(type->regions[idx].nid, nid);
	assert_int_equal(type->regions[idx].flags, flags);
}

/* ---- add and merge ---- */

static void test_add_single(void **state)
{
	assert_int_equal(memblock_add(M(1), M(16)), 0);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_region(&memblock.memory, 0, M(1), M(16), NUMA_NO_NODE, MEMBLOCK_NONE);
	assert_int_equal(memblock.memory.total_size, M(16));
	assert_int_equal(memblock_phys_mem_size(), M(16));
	assert_int_equal(memblock.reserved.cnt, 0);
}

static void test_add_adjacent_merges(void **state)
{
	assert_int_equal(memblock_add_node(M(2), M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(1), M(1), 0, MEMBLOCK_NONE), 0);	/* below */
	assert_int_equal(memblock_add_node(M(3), M(1), 0, MEMBLOCK_NONE), 0);	/* above */
	assert_int_equal(memblock.memory.cnt, 1);
	assert_region(&memblock.memory, 0, M(1), M(3), 0, MEMBLOCK_NONE);
	/* Filling the hole between two regions joins all three. */
	assert_int_equal(memblock_add_node(M(8), M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock.memory.cnt, 2);
	assert_int_equal(memblock_add_node(M(4), M(4), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_region(&memblock.memory, 0, M(1), M(8), 0, MEMBLOCK_NONE);
	assert_int_equal(memblock.memory.total_size, M(8));
}

static void test_add_adjacent_other_node_or_flags_stay_apart(void **state)
{
	assert_int_equal(memblock_add_node(M(0), M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(1), M(1), 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(2), M(1), 1, MEMBLOCK_HOTPLUG), 0);
	assert_int_equal(memblock.memory.cnt, 3);
	assert_region(&memblock.memory, 0, M(0), M(1), 0, MEMBLOCK_NONE);
	assert_region(&memblock.memory, 1, M(1), M(1), 1, MEMBLOCK_NONE);
	assert_region(&memblock.memory, 2, M(2), M(1), 1, MEMBLOCK_HOTPLUG);
	assert_int_equal(memblock.memory.total_size, M(3));
}

static void test_add_overlapping(void **state)
{
	assert_int_equal(memblock_add(K(64), K(64)), 0);
	assert_int_equal(memblock_add(K(96), K(96)), 0);	/* overlaps the top */
	assert_int_equal(memblock.memory.cnt, 1);
	assert_region(&memblock.memory, 0, K(64), K(128), NUMA_NO_NODE, MEMBLOCK_NONE);
	assert_int_equal(memblock_add(K(80), K(16)), 0);	/* inside: nothing changes */
	assert_int_equal(memblock.memory.cnt, 1);
	assert_int_equal(memblock.memory.total_size, K(128));
	/* A range covering two regions and the hole between them. */
	assert_int_equal(memblock_add(K(512), K(64)), 0);
	assert_int_equal(memblock_add(K(32), K(1024)), 0);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_region(&memblock.memory, 0, K(32), K(1024), NUMA_NO_NODE, MEMBLOCK_NONE);
	assert_int_equal(memblock.memory.total_size, K(1024));
}

static void test_add_overlap_keeps_existing_node(void **state)
{
	assert_int_equal(memblock_add_node(K(64), K(64), 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(K(32), K(160), 2, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock.memory.cnt, 3);
	assert_region(&memblock.memory, 0, K(32), K(32), 2, MEMBLOCK_NONE);
	assert_region(&memblock.memory, 1, K(64), K(64), 1, MEMBLOCK_NONE);
	assert_region(&memblock.memory, 2, K(128), K(64), 2, MEMBLOCK_NONE);
	assert_int_equal(memblock.memory.total_size, K(160));
}

static void test_add_unsorted_is_sorted(void **state)
{
	assert_int_equal(memblock_add(M(30), M(1)), 0);
	assert_int_equal(memblock_add(M(10), M(1)), 0);
	assert_int_equal(memblock_add(M(20), M(1)), 0);
	assert_int_equal(memblock.memory.cnt, 3);
	assert_int_equal(memblock.memory.regions[0].base, M(10));
	assert_int_equal(memblock.memory.regions[1].base, M(20));
	assert_int_equal(memblock.memory.regions[2].base, M(30));
	assert_int_equal(memblock_start_of_DRAM(), M(10));
	assert_int_equal(memblock_end_of_DRAM(), M(31));
}

static void test_zero_size_and_wrap(void **state)
{
	assert_int_equal(memblock_add(M(1), 0), 0);
	assert_int_equal(memblock_reserve(M(1), 0), 0);
	assert_int_equal(memblock_remove(M(1), 0), 0);
	assert_int_equal(memblock.memory.cnt, 0);
	assert_int_equal(memblock.reserved.cnt, 0);
	/* A range past the top of the address space is clipped to it. */
	assert_int_equal(memblock_add(PHYS_ADDR_MAX - 0xfff, 0x2000), 0);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_region(&memblock.memory, 0, PHYS_ADDR_MAX - 0xfff, 0xfff, NUMA_NO_NODE, 0);
	assert_int_equal(memblock_end_of_DRAM(), PHYS_ADDR_MAX);
	assert_int_equal(memblock_remove(PHYS_ADDR_MAX - 0x7ff, 0x10000), 0);
	assert_region(&memblock.memory, 0, PHYS_ADDR_MAX - 0xfff, 0x800, NUMA_NO_NODE, 0);
	assert_int_equal(memblock_start_of_DRAM(), PHYS_ADDR_MAX - 0xfff);
}

static void test_empty_queries(void **state)
{
	assert_int_equal(memblock_start_of_DRAM(), 0);
	assert_int_equal(memblock_end_of_DRAM(), 0);
	assert_int_equal(memblock_phys_mem_size(), 0);
	assert_false(memblock_is_memory(M(1)));
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	assert_null(memblock_alloc(PAGE_SIZE, PAGE_SIZE));
}

/* Every slot past cnt reads as never used: no stale base, size, flags or nid. */
static void assert_slots_clear(const struct memblock_type *type, unsigned long from, unsigned long to)
{
	for (unsigned long i = from; i < to; i++) {
		assert_int_equal(type->regions[i].base, 0);
		assert_int_equal(type->regions[i].size, 0);
		assert_int_equal(type->regions[i].flags, 0);
		assert_int_equal(type->regions[i].nid, 0);
	}
}

static void test_emptied_list_reads_empty(void **state)
{
	phys_addr_t s, e;
	uint64_t i;
	int n = 0;

	assert_int_equal(memblock_add_node(M(4), M(4), 2, MEMBLOCK_HOTPLUG | MEMBLOCK_NOMAP), 0);
	assert_int_equal(memblock_add_node(M(12), M(4), 3, MEMBLOCK_MIRROR), 0);
	assert_int_equal(memblock_reserve(M(5), M(1)), 0);
	/* Dropping the second region clears its slot, not only cnt. */
	assert_int_equal(memblock_remove(M(12), M(4)), 0);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_slots_clear(&memblock.memory, 1, 2);
	/* Emptied: cnt 0 (as Linux keeps it) and regions[0] all zero, like a list never used. */
	assert_int_equal(memblock_remove(0, PHYS_ADDR_MAX), 0);
	assert_int_equal(memblock_phys_free(M(5), M(1)), 0);
	assert_int_equal(memblock.memory.cnt, 0);
	assert_int_equal(memblock.reserved.cnt, 0);
	assert_int_equal(memblock.memory.total_size, 0);
	assert_int_equal(memblock.reserved.total_size, 0);
	assert_slots_clear(&memblock.memory, 0, 2);
	assert_slots_clear(&memblock.reserved, 0, 1);
	/* ... and everything that reads the lists sees nothing. */
	for_each_mem_range(i, &s, &e)
		n++;
	for_each_reserved_mem_range(i, &s, &e)
		n++;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL)
		n++;
	assert_int_equal(n, 0);
	assert_int_equal(memblock_start_of_DRAM(), 0);
	assert_int_equal(memblock_end_of_DRAM(), 0);
	assert_false(memblock_is_memory(M(4)));
	assert_false(memblock_is_reserved(M(5)));
	assert_false(memblock_is_region_reserved(0, PHYS_ADDR_MAX));
	assert_int_equal(memblock_search_pfn_nid(PFN_DOWN(M(4)), NULL, NULL), NUMA_NO_NODE);
	/* A new first region takes nothing from the old one. */
	assert_int_equal(memblock_add(M(20), M(1)), 0);
	assert_region(&memblock.memory, 0, M(20), M(1), NUMA_NO_NODE, MEMBLOCK_NONE);
	assert_slots_clear(&memblock.memory, 1, 2);
}

/* ---- remove, reserve, free ---- */

static void test_remove_splits_region(void **state)
{
	assert_int_equal(memblock_add_node(0, M(1), 3, MEMBLOCK_HOTPLUG), 0);
	assert_int_equal(memblock_remove(K(256), K(256)), 0);
	assert_int_equal(memblock.memory.cnt, 2);
	assert_region(&memblock.memory, 0, 0, K(256), 3, MEMBLOCK_HOTPLUG);
	assert_region(&memblock.memory, 1, K(512), K(512), 3, MEMBLOCK_HOTPLUG);
	assert_int_equal(memblock.memory.total_size, K(768));
}

static void test_remove_across_regions(void **state)
{
	assert_int_equal(memblock_add(M(1), M(1)), 0);
	assert_int_equal(memblock_add(M(4), M(1)), 0);
	assert_int_equal(memblock_add(M(8), M(1)), 0);
	/* Trims the top of the first, drops the second, trims the bottom of the third. */
	assert_int_equal(memblock_remove(M(1) + K(512), M(7)), 0);
	assert_int_equal(memblock.memory.cnt, 2);
	assert_region(&memblock.memory, 0, M(1), K(512), NUMA_NO_NODE, 0);
	assert_region(&memblock.memory, 1, M(8) + K(512), K(512), NUMA_NO_NODE, 0);
	assert_int_equal(memblock.memory.total_size, M(1));
	/* Removing what is not there changes nothing. */
	assert_int_equal(memblock_remove(M(20), M(1)), 0);
	assert_int_equal(memblock.memory.cnt, 2);
	assert_int_equal(memblock_remove(0, PHYS_ADDR_MAX), 0);
	assert_int_equal(memblock.memory.cnt, 0);
	assert_int_equal(memblock.memory.total_size, 0);
}

static void test_reserve_and_free(void **state)
{
	assert_int_equal(memblock_add(0, M(64)), 0);
	assert_int_equal(memblock_reserve(M(1), M(1)), 0);
	assert_int_equal(memblock_reserve(M(2), M(1)), 0);	/* touches: merges */
	assert_int_equal(memblock_reserve(M(1) + K(4), K(8)), 0);	/* inside: nothing new */
	assert_int_equal(memblock.reserved.cnt, 1);
	assert_region(&memblock.reserved, 0, M(1), M(2), NUMA_NO_NODE, MEMBLOCK_NONE);
	assert_int_equal(memblock_reserved_size(), M(2));
	assert_true(memblock_is_reserved(M(2)));
	assert_false(memblock_is_reserved(M(3)));
	assert_true(memblock_is_region_reserved(M(3) - 1, 2));
	assert_false(memblock_is_region_reserved(M(3), M(1)));
	/* Freeing the middle splits the reservation. */
	assert_int_equal(memblock_phys_free(M(1) + K(512), M(1)), 0);
	assert_int_equal(memblock.reserved.cnt, 2);
	assert_region(&memblock.reserved, 0, M(1), K(512), NUMA_NO_NODE, 0);
	assert_region(&memblock.reserved, 1, M(2) + K(512), K(512), NUMA_NO_NODE, 0);
	assert_int_equal(memblock_reserved_size(), M(1));
	/* memory is untouched by reserve/free */
	assert_int_equal(memblock.memory.cnt, 1);
	assert_int_equal(memblock_phys_mem_size(), M(64));
}

/* ---- allocation ---- */

static void test_alloc_top_down(void **state)
{
	phys_addr_t a, b;

	assert_int_equal(memblock_add(M(1), M(15)), 0);
	a = memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_int_equal(a, M(16) - PAGE_SIZE);
	b = memblock_phys_alloc(K(8), PAGE_SIZE);
	assert_int_equal(b, M(16) - PAGE_SIZE - K(8));
	/* Both are reserved, and merged into one range. */
	assert_int_equal(memblock.reserved.cnt, 1);
	assert_region(&memblock.reserved, 0, b, K(12), NUMA_NO_NODE, 0);
}

static void test_alloc_bottom_up(void **state)
{
	assert_int_equal(memblock_add(M(1), M(15)), 0);
	memblock_set_bottom_up(true);
	assert_true(memblock_bottom_up());
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(1));
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(1) + PAGE_SIZE);
	assert_int_equal(memblock.reserved.cnt, 1);
	assert_region(&memblock.reserved, 0, M(1), K(8), NUMA_NO_NODE, 0);
}

static void test_alloc_skips_reserved(void **state)
{
	assert_int_equal(memblock_add(M(1), M(15)), 0);
	assert_int_equal(memblock_reserve(M(15), M(1)), 0);
	assert_int_equal(memblock_reserve(M(14), K(4)), 0);
	/* 1 MiB does not fit in [14M + 4K, 15M): the next fit is below 14M. */
	assert_int_equal(memblock_phys_alloc(M(1), PAGE_SIZE), M(13));
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_reserve(M(1), M(2)), 0);
	assert_int_equal(memblock_phys_alloc(K(64), PAGE_SIZE), M(3));
}

static void test_alloc_alignment(void **state)
{
	assert_int_equal(memblock_add(M(1) + K(4), M(15) - K(12)), 0);	/* [1M+4K, 16M-8K) */
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, M(2)), M(14));
	assert_int_equal(memblock_phys_alloc(M(2), M(2)), M(12));
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, M(2)), M(2));
	assert_int_equal(memblock_phys_alloc(16, 16), M(1) + K(4));
	assert_int_equal(memblock_phys_alloc(16, 16), M(1) + K(4) + 16);
	/* Non-power-of-two alignments are refused with a message. */
	host_log_clear();
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, 3 * PAGE_SIZE), 0);
	assert_true(host_log_contains("alignment 0x3000 is not a power of two"));
	/* align 0 is a caller bug: warned, cache-line aligned (as in Linux). */
	host_log_clear();
	assert_int_equal(memblock_phys_alloc(8, 0), M(1) + K(4) + 64);
	assert_true(host_log_contains("without alignment"));
}

static void test_alloc_range_limits(void **state)
{
	phys_addr_t p;

	assert_int_equal(memblock_add(0, M(64)), 0);
	p = memblock_phys_alloc_range(M(1), PAGE_SIZE, M(8), M(16));
	assert_int_equal(p, M(15));
	p = memblock_phys_alloc_range(M(1), PAGE_SIZE, M(8), M(16));
	assert_int_equal(p, M(14));
	memblock_set_bottom_up(true);
	p = memblock_phys_alloc_range(M(1), PAGE_SIZE, M(8), M(16));
	assert_int_equal(p, M(8));
	/* The range is too small for the request. */
	assert_int_equal(memblock_phys_alloc_range(M(2), PAGE_SIZE, M(8), M(9) + K(512)), 0);
	/* ...and what is left of it after reservations. */
	assert_int_equal(memblock_phys_alloc_range(M(6), PAGE_SIZE, M(8), M(16)), 0);
	assert_int_equal(memblock_phys_alloc_range(M(5), PAGE_SIZE, M(8), M(16)), M(9));
}

static void test_alloc_never_page_zero(void **state)
{
	assert_int_equal(memblock_add(0, K(64)), 0);
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
	memblock_reset();
	assert_int_equal(memblock_add(0, K(8)), 0);
	memblock_set_bottom_up(false);
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);	/* only page 0 left */
	assert_false(memblock_is_reserved(0));
}

static void test_alloc_node_preference_and_fallback(void **state)
{
	assert_int_equal(memblock_add_node(M(1), M(15), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(16), M(16), 1, MEMBLOCK_NONE), 0);
	/* Top-down without a node: the top of node 1. */
	assert_int_equal(memblock_phys_alloc_try_nid(PAGE_SIZE, PAGE_SIZE, NUMA_NO_NODE),
			 M(32) - PAGE_SIZE);
	/* Node 0 asked for: the top of node 0, not the top of memory. */
	assert_int_equal(memblock_phys_alloc_try_nid(PAGE_SIZE, PAGE_SIZE, 0), M(16) - PAGE_SIZE);
	/* Node 1 full: fall back to node 0 ... */
	assert_int_equal(memblock_reserve(M(16), M(16)), 0);
	assert_int_equal(memblock_phys_alloc_try_nid(PAGE_SIZE, PAGE_SIZE, 1), M(16) - 2 * PAGE_SIZE);
	/* ... unless the node is exact. */
	assert_int_equal(memblock_alloc_range_nid(PAGE_SIZE, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE,
						  1, true), 0);
	/* A node that does not exist falls back too. */
	assert_int_equal(memblock_phys_alloc_try_nid(PAGE_SIZE, PAGE_SIZE, 7), M(16) - 3 * PAGE_SIZE);
	assert_int_equal(memblock_alloc_range_nid(PAGE_SIZE, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE,
						  0, true), M(16) - 4 * PAGE_SIZE);
}

static void test_alloc_current_limit(void **state)
{
	assert_int_equal(memblock_add(M(1), M(63)), 0);
	assert_int_equal(memblock_get_current_limit(), MEMBLOCK_ALLOC_ANYWHERE);
	memblock_set_current_limit(M(8));
	assert_int_equal(memblock_get_current_limit(), M(8));
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(8) - PAGE_SIZE);
	/* An explicit end above the limit is lowered to it. */
	assert_int_equal(memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, M(32)),
			 M(8) - 2 * PAGE_SIZE);
	/* ANYWHERE is the one way past it. */
	assert_int_equal(memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE),
			 M(64) - PAGE_SIZE);
	/* Nothing fits under the limit: fail, do not go above. */
	memblock_set_current_limit(M(1) + K(4));
	assert_int_equal(memblock_phys_alloc(K(8), PAGE_SIZE), 0);
	assert_int_equal(memblock_phys_alloc(K(4), PAGE_SIZE), M(1));
}

static void test_alloc_exhaustion(void **state)
{
	int n = 0;

	assert_int_equal(memblock_add(M(1), K(64)), 0);
	while (memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE))
		n++;
	assert_int_equal(n, 16);
	assert_int_equal(memblock_reserved_size(), K(64));
	assert_int_equal(memblock.reserved.cnt, 1);
	assert_int_equal(memblock_phys_alloc(1, 1), 0);
	/* Freeing one page makes exactly that page available again. */
	assert_int_equal(memblock_phys_free(M(1) + K(20), PAGE_SIZE), 0);
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(1) + K(20));
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
}

static void test_alloc_skips_nomap_and_movable_hotplug(void **state)
{
	assert_int_equal(memblock_add(M(1), M(3)), 0);
	assert_int_equal(memblock_mark_nomap(M(3), M(1)), 0);
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(3) - PAGE_SIZE);
	assert_int_equal(memblock_mark_hotplug(M(2), M(1)), 0);
	/* Hot-pluggable memory is fine to use ... */
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(3) - 2 * PAGE_SIZE);
	/* ... unless movable_node keeps it unpluggable. */
	memblock_set_movable_node(true);
	assert_true(memblock_movable_node());
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(2) - PAGE_SIZE);
	assert_int_equal(memblock_clear_nomap(M(3), M(1)), 0);
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(4) - PAGE_SIZE);
}

static void test_alloc_virtual_zeroes_and_limits(void **state)
{
	uint8_t *p;
	size_t i;

	assert_int_equal(memblock_add(M(1), M(15)), 0);
	memset(sim_ram + M(1), 0xaa, M(15));
	p = memblock_alloc(K(16), PAGE_SIZE);
	assert_non_null(p);
	assert_ptr_equal(p, sim_ram + M(16) - K(16));
	for (i = 0; i < K(16); i++)
		assert_int_equal(p[i], 0);
	assert_true(memblock_is_region_reserved(M(16) - K(16), K(16)));
	/* raw: the old contents stay. */
	p = memblock_alloc_try_nid_raw(K(4), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	assert_ptr_equal(p, sim_ram + M(16) - K(20));
	assert_int_equal(p[0], 0xaa);
	/* Virtual allocations stay under current_limit even with ANYWHERE. */
	memblock_set_current_limit(M(4));
	p = memblock_alloc_try_nid(K(4), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	assert_ptr_equal(p, sim_ram + M(4) - K(4));
	/* min_addr above everything that fits: retried from 0 (Linux does). */
	p = memblock_alloc_try_nid(K(4), PAGE_SIZE, M(8), MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	assert_ptr_equal(p, sim_ram + M(4) - K(8));
	/* memblock_free() gives it back through __pa(). */
	memblock_free(p, K(4));
	assert_false(memblock_is_reserved(M(4) - K(8)));
	p = memblock_alloc_node(K(4), PAGE_SIZE, 0);
	assert_ptr_equal(p, sim_ram + M(4) - K(8));
	memblock_set_current_limit(M(1));
	assert_null(memblock_alloc(K(4), PAGE_SIZE));
}

static void test_alloc_raw_keeps_contents(void **state)
{
	uint8_t *p;

	assert_int_equal(memblock_add(M(1), M(15)), 0);
	memset(sim_ram + M(1), 0x5a, M(15));
	p = memblock_alloc_raw(K(8), PAGE_SIZE);
	assert_ptr_equal(p, sim_ram + M(16) - K(8));
	assert_int_equal(p[0], 0x5a);
	assert_int_equal(p[K(8) - 1], 0x5a);
	assert_true(memblock_is_region_reserved(M(16) - K(8), K(8)));
	/* Under current_limit, like every virtual allocator; NULL when nothing fits. */
	memblock_set_current_limit(M(2));
	p = memblock_alloc_raw(K(4), PAGE_SIZE);
	assert_ptr_equal(p, sim_ram + M(2) - K(4));
	assert_null(memblock_alloc_raw(M(2), PAGE_SIZE));
	assert_null(memblock_alloc_raw(K(4), 3));	/* not a power of two */
}

static void test_alloc_from_min_addr(void **state)
{
	uint8_t *p;

	assert_int_equal(memblock_add(M(1), M(15)), 0);
	memset(sim_ram + M(1), 0xaa, M(15));
	/* Bottom-up would take M(1); min_addr moves it up, and it is zeroed. */
	memblock_set_bottom_up(true);
	p = memblock_alloc_from(K(4), PAGE_SIZE, M(8) + 1);
	assert_ptr_equal(p, sim_ram + M(8) + K(4));
	assert_int_equal(p[0], 0);
	assert_int_equal(p[K(4) - 1], 0);
	/* Top-down it is still never below min_addr while anything fits above. */
	memblock_set_bottom_up(false);
	assert_int_equal(memblock_reserve(M(12), M(4)), 0);
	p = memblock_alloc_from(M(3), PAGE_SIZE, M(8));
	assert_ptr_equal(p, sim_ram + M(9));
	/* Above M(8) only [M(8), +4K) and [M(8) + 8K, M(9)) are free: no aligned MiB there. */
	p = memblock_alloc_from(M(1), M(1), M(8));
	/* Linux's rule: min_addr is a preference, the retry starts at 0. */
	assert_ptr_equal(p, sim_ram + M(7));
	assert_null(memblock_alloc_from(M(16), PAGE_SIZE, M(1)));
}

static void test_alloc_exact_nid_raw(void **state)
{
	uint8_t *p;

	assert_int_equal(memblock_add_node(M(1), M(7), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(8), M(2), 1, MEMBLOCK_NONE), 0);
	memset(sim_ram + M(1), 0x77, M(9));
	/* On node 1, and raw. */
	p = memblock_alloc_exact_nid_raw(M(1), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 1);
	assert_ptr_equal(p, sim_ram + M(9));
	assert_int_equal(p[0], 0x77);
	/* Node 1 too small: NULL, where try_nid falls back to node 0. */
	assert_null(memblock_alloc_exact_nid_raw(M(2), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 1));
	p = memblock_alloc_try_nid_raw(M(2), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 1);
	assert_ptr_equal(p, sim_ram + M(6));
	/* A node without memory: NULL, nothing reserved. */
	host_log_clear();
	assert_null(memblock_alloc_exact_nid_raw(PAGE_SIZE, PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 5));
	assert_int_equal(memblock_reserved_size(), M(3));
	/* min_addr is still only a preference, on the same node. */
	p = memblock_alloc_exact_nid_raw(K(4), PAGE_SIZE, M(9), MEMBLOCK_ALLOC_ACCESSIBLE, 1);
	assert_ptr_equal(p, sim_ram + M(9) - K(4));
	/* NUMA_NO_NODE: any node. */
	assert_non_null(memblock_alloc_exact_nid_raw(K(4), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
						     NUMA_NO_NODE));
}

static void test_overlaps_region(void **state)
{
	assert_int_equal(memblock_add(M(1), M(1)), 0);
	assert_int_equal(memblock_add(M(4), M(2)), 0);
	assert_int_equal(memblock_reserve(M(4), K(4)), 0);
	assert_true(memblock_overlaps_region(&memblock.memory, M(1), 1));
	assert_true(memblock_overlaps_region(&memblock.memory, M(2) - 1, M(2)));	/* last byte */
	assert_true(memblock_overlaps_region(&memblock.memory, 0, PHYS_ADDR_MAX));
	assert_false(memblock_overlaps_region(&memblock.memory, M(2), M(2)));		/* the hole */
	assert_false(memblock_overlaps_region(&memblock.memory, 0, M(1)));		/* ends at base */
	assert_false(memblock_overlaps_region(&memblock.memory, M(6), PHYS_ADDR_MAX));	/* clipped */
	assert_true(memblock_overlaps_region(&memblock.reserved, M(4) + K(4) - 1, M(1)));
	assert_false(memblock_overlaps_region(&memblock.reserved, M(4) + K(4), M(1)));
	/* Linux's test, quirk included: an empty range strictly inside a region overlaps it. */
	assert_true(memblock_overlaps_region(&memblock.memory, M(5), 0));
	assert_false(memblock_overlaps_region(&memblock.memory, M(4), 0));
	/* memblock_is_region_reserved() is the same question on reserved. */
	assert_true(memblock_is_region_reserved(M(4), 1));
	assert_false(memblock_is_region_reserved(M(1), M(3)));
}

static void test_trim_memory(void **state)
{
	assert_int_equal(memblock_add_node(M(1) + K(4), M(2), 0, MEMBLOCK_NONE), 0);	/* rounds both ends */
	assert_int_equal(memblock_add_node(M(4), K(512), 0, MEMBLOCK_HOTPLUG), 0);	/* smaller than align */
	assert_int_equal(memblock_add_node(M(5) + K(4), M(1) - K(8), 1, MEMBLOCK_NONE), 0); /* inside one unit */
	assert_int_equal(memblock_add_node(M(8), M(2), 1, MEMBLOCK_MIRROR), 0);	/* already aligned */
	assert_int_equal(memblock_add_node(M(12) + K(512), M(3), 1, MEMBLOCK_NONE), 0);	/* >align, unaligned */
	assert_int_equal(memblock.memory.cnt, 5);
	memblock_trim_memory(M(1));
	assert_int_equal(memblock.memory.cnt, 3);
	assert_region(&memblock.memory, 0, M(2), M(1), 0, MEMBLOCK_NONE);
	assert_region(&memblock.memory, 1, M(8), M(2), 1, MEMBLOCK_MIRROR);
	assert_region(&memblock.memory, 2, M(13), M(2), 1, MEMBLOCK_NONE);
	assert_int_equal(memblock_phys_mem_size(), M(5));
	assert_slots_clear(&memblock.memory, 3, 5);
	/* Reserved ranges are not memory's business here. */
	assert_int_equal(memblock.reserved.cnt, 0);
	/* A bad alignment is refused with a message and changes nothing. */
	host_log_clear();
	memblock_trim_memory(M(3));
	assert_true(host_log_contains("memblock: trim of memory to 0x300000 bytes"));
	assert_true(host_log_contains("must be a power of two; nothing trimmed"));
	memblock_trim_memory(0);
	assert_int_equal(memblock.memory.cnt, 3);
	assert_int_equal(memblock_phys_mem_size(), M(5));
	/* Trimming to a larger unit than any region empties the list. */
	memblock_trim_memory(M(64));
	assert_int_equal(memblock.memory.cnt, 0);
	assert_int_equal(memblock_phys_mem_size(), 0);
	assert_slots_clear(&memblock.memory, 0, 3);
}

/* ---- stated limits ---- */

static void test_memory_array_full(void **state)
{
	phys_addr_t total;
	int i;

	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		assert_int_equal(memblock_add(M(2 * i + 2), M(1)), 0);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	total = memblock.memory.total_size;
	host_log_clear();
	assert_int_equal(memblock_add(M(2 * INIT_MEMBLOCK_REGIONS + 10), M(1)), -ENOMEM);
	assert_true(host_log_contains("memblock: memory array is full (128 regions) and may not grow "
				      "before memblock_allow_resize(): "
				      "cannot add [mem 0x0000000010a00000-0x0000000010afffff]"));
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	assert_int_equal(memblock.memory.total_size, total);
	/* Splitting a region needs one more slot: refused, nothing changed. */
	assert_int_equal(memblock_remove(M(2) + K(4), K(4)), -ENOMEM);
	assert_true(host_log_contains("cannot remove [mem 0x0000000000201000-0x0000000000201fff]"));
	assert_region(&memblock.memory, 0, M(2), M(1), NUMA_NO_NODE, 0);
	assert_int_equal(memblock_set_node(M(2) + K(4), K(4), &memblock.memory, 1), -ENOMEM);
	assert_region(&memblock.memory, 0, M(2), M(1), NUMA_NO_NODE, 0);
	/* What fits after merging still works on a full list. */
	assert_int_equal(memblock_add(M(3), M(1)), 0);		/* joins two regions */
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS - 1);
	assert_region(&memblock.memory, 0, M(2), M(3), NUMA_NO_NODE, 0);
	assert_int_equal(memblock_remove(M(4) + K(4), K(4)), 0);	/* now there is room */
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
}

static void test_reserved_array_full(void **state)
{
	int i;

	assert_int_equal(memblock_add(0, M(1024)), 0);
	for (i = 0; i < INIT_MEMBLOCK_RESERVED_REGIONS; i++)
		assert_int_equal(memblock_reserve(M(1) + i * K(8), K(4)), 0);
	assert_int_equal(memblock.reserved.cnt, INIT_MEMBLOCK_RESERVED_REGIONS);
	host_log_clear();
	assert_int_equal(memblock_reserve(M(512), K(4)), -ENOMEM);
	assert_true(host_log_contains("reserved array is full (256 regions) and may not grow before "
				      "memblock_allow_resize(): "
				      "cannot add [mem 0x0000000020000000-0x0000000020000fff]"));
	/* An allocation whose reservation does not fit fails and reserves nothing. */
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_phys_alloc_range(K(2), K(2), M(256), M(300)), 0);
	assert_int_equal(memblock.reserved.cnt, INIT_MEMBLOCK_RESERVED_REGIONS);
	assert_int_equal(memblock_reserved_size(), INIT_MEMBLOCK_RESERVED_REGIONS * K(4));
	/* One next to an existing reservation merges and succeeds. */
	assert_int_equal(memblock_phys_alloc_range(K(4), K(4), M(1), M(2)), M(1) + K(4));
	assert_int_equal(memblock.reserved.cnt, INIT_MEMBLOCK_RESERVED_REGIONS - 1);
}

/* ---- growing the arrays (memblock_allow_resize) ---- */

/* A whole list, slots past cnt included, to compare before and after. */
struct list_copy {
	struct memblock_region *regions;
	unsigned long cnt, max;
	phys_addr_t total;
	struct memblock_region slots[2 * INIT_MEMBLOCK_RESERVED_REGIONS];
};

static void list_save(struct list_copy *c, const struct memblock_type *type)
{
	assert_true(type->max <= 2 * INIT_MEMBLOCK_RESERVED_REGIONS);
	c->regions = type->regions;
	c->cnt = type->cnt;
	c->max = type->max;
	c->total = type->total_size;
	memcpy(c->slots, type->regions, type->max * sizeof(c->slots[0]));
}

static void assert_list_same(const struct list_copy *c, const struct memblock_type *type)
{
	assert_ptr_equal(type->regions, c->regions);
	assert_int_equal(type->cnt, c->cnt);
	assert_int_equal(type->max, c->max);
	assert_int_equal(type->total_size, c->total);
	assert_memory_equal(type->regions, c->slots, type->max * sizeof(c->slots[0]));
}

static size_t grown_array_bytes(unsigned long max)
{
	return ALIGN(2 * max * sizeof(struct memblock_region), PAGE_SIZE);
}

/* n regions of 64 KiB, 64 KiB apart, from M(1): [M(1) + 128K * i, + 64K). */
static void add_spaced_regions(int from, int to)
{
	for (int i = from; i < to; i++)
		assert_int_equal(memblock_add(M(1) + i * K(128), K(64)), 0);
}

static void assert_spaced_regions(int n)
{
	assert_int_equal(memblock.memory.cnt, n);
	for (int i = 0; i < n; i++)
		assert_region(&memblock.memory, i, M(1) + i * K(128), K(64), NUMA_NO_NODE, 0);
}

static void test_resize_refused_before_allow(void **state)
{
	struct list_copy *before = malloc(sizeof(*before));

	memblock_set_current_limit(SIM_RAM_SIZE);
	add_spaced_regions(0, INIT_MEMBLOCK_REGIONS);
	list_save(before, &memblock.memory);
	host_log_clear();
	assert_int_equal(memblock_add(M(30), K(64)), -ENOMEM);
	assert_true(host_log_contains("memblock: memory array is full (128 regions) and may not grow "
				      "before memblock_allow_resize(): cannot add [mem 0x0000000001e00000-"));
	/* Nothing lost, nothing moved, nothing reserved for an array. */
	assert_list_same(before, &memblock.memory);
	assert_spaced_regions(INIT_MEMBLOCK_REGIONS);
	assert_int_equal(memblock.reserved.cnt, 0);
	free(before);
}

static void test_resize_memory_from_memblock(void **state)
{
	struct memblock_region *first;
	phys_addr_t arr;
	int i;

	memblock_set_current_limit(SIM_RAM_SIZE);
	add_spaced_regions(0, INIT_MEMBLOCK_REGIONS);
	memblock_allow_resize();
	host_log_clear();
	add_spaced_regions(INIT_MEMBLOCK_REGIONS, INIT_MEMBLOCK_REGIONS + 1);
	/* Doubled, every region intact, the new array memblock memory and reserved. */
	assert_int_equal(memblock.memory.max, 2 * INIT_MEMBLOCK_REGIONS);
	first = memblock.memory.regions;
	arr = __pa(first);
	assert_true(memblock_is_region_memory(arr, grown_array_bytes(memblock.memory.max)));
	assert_int_equal(memblock.reserved.cnt, 1);
	assert_region(&memblock.reserved, 0, arr, grown_array_bytes(memblock.memory.max), NUMA_NO_NODE, 0);
	assert_spaced_regions(INIT_MEMBLOCK_REGIONS + 1);
	assert_int_equal(memblock.memory.total_size, (INIT_MEMBLOCK_REGIONS + 1) * K(64));

	/* Merges, splits and node changes still right on the grown list. */
	assert_int_equal(memblock_add(M(1) + K(64), K(64)), 0);		/* fills the first gap */
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	assert_region(&memblock.memory, 0, M(1), K(192), NUMA_NO_NODE, 0);
	assert_int_equal(memblock_remove(M(1) + K(64), K(64)), 0);		/* and back */
	assert_spaced_regions(INIT_MEMBLOCK_REGIONS + 1);
	assert_int_equal(memblock_set_node(M(1), K(32), &memblock.memory, 1), 0);
	assert_int_equal(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS + 2);
	assert_region(&memblock.memory, 0, M(1), K(32), 1, 0);
	assert_region(&memblock.memory, 1, M(1) + K(32), K(32), NUMA_NO_NODE, 0);
	assert_int_equal(memblock_set_node(M(1), K(64), &memblock.memory, NUMA_NO_NODE), 0);
	assert_spaced_regions(INIT_MEMBLOCK_REGIONS + 1);

	/*
	 * One add over everything on another node: a window of the whole list
	 * whose result (every region and every gap) needs more than 256 slots,
	 * so it grows again - through the grown array's own scratch - and the
	 * outgrown memblock array is given back.
	 */
	assert_int_equal(memblock_add_node(M(1) - K(64), (INIT_MEMBLOCK_REGIONS + 2) * K(128), 2,
					   MEMBLOCK_NONE), 0);
	assert_int_equal(memblock.memory.max, 4 * INIT_MEMBLOCK_REGIONS);
	assert_int_equal(memblock.memory.cnt, 2 * (INIT_MEMBLOCK_REGIONS + 1) + 1);
	for (i = 0; i <= INIT_MEMBLOCK_REGIONS; i++) {
		assert_region(&memblock.memory, 2 * i, M(1) - K(64) + i * K(128), K(64), 2, 0);
		assert_region(&memblock.memory, 2 * i + 1, M(1) + i * K(128), K(64), NUMA_NO_NODE, 0);
	}
	assert_false(memblock_is_region_reserved(arr, grown_array_bytes(2 * INIT_MEMBLOCK_REGIONS)));
	assert_true(memblock_is_region_reserved(__pa(memblock.memory.regions),
						grown_array_bytes(memblock.memory.max)));
	assert_int_equal(memblock_reserved_size(), grown_array_bytes(memblock.memory.max));
}

/* A grown array never lands in memory that the growing change removes. */
static void test_resize_avoids_range_being_changed(void **state)
{
	phys_addr_t top = M(1) + (INIT_MEMBLOCK_REGIONS - 1) * K(128) + K(64), arr;

	memblock_set_current_limit(SIM_RAM_SIZE);
	add_spaced_regions(0, INIT_MEMBLOCK_REGIONS);
	memblock_allow_resize();
	/* Splits the top region; top-down, [top - 12K, top) would overlap it. */
	assert_int_equal(memblock_remove(top - K(16), K(12)), 0);
	assert_int_equal(memblock.memory.max, 2 * INIT_MEMBLOCK_REGIONS);
	arr = __pa(memblock.memory.regions);
	assert_int_equal(arr, top - K(28));
	assert_true(memblock_is_region_memory(arr, grown_array_bytes(memblock.memory.max)));
	assert_region(&memblock.memory, INIT_MEMBLOCK_REGIONS - 1, top - K(64), K(48), NUMA_NO_NODE, 0);
	assert_region(&memblock.memory, INIT_MEMBLOCK_REGIONS, top - K(4), K(4), NUMA_NO_NODE, 0);
}

static void test_resize_reserved_from_memblock(void **state)
{
	phys_addr_t got, arr, arr_size;
	int i;

	memblock_set_current_limit(SIM_RAM_SIZE);
	assert_int_equal(memblock_add(M(1), M(30)), 0);
	for (i = 0; i < INIT_MEMBLOCK_RESERVED_REGIONS; i++)
		assert_int_equal(memblock_reserve(M(1) + i * K(8), K(4)), 0);
	memblock_allow_resize();
	/*
	 * Top-down, the allocation and the new array would both want the top
	 * of memory: the array must avoid the range being reserved.
	 */
	got = memblock_phys_alloc(K(4), PAGE_SIZE);
	assert_int_equal(got, M(31) - K(4));
	assert_int_equal(memblock.reserved.max, 2 * INIT_MEMBLOCK_RESERVED_REGIONS);
	arr = __pa(memblock.reserved.regions);
	arr_size = grown_array_bytes(memblock.reserved.max);
	assert_true(arr + arr_size <= got || got + K(4) <= arr);
	assert_true(memblock_is_region_reserved(arr, arr_size));
	/* The array sits right below the allocation: one merged reservation. */
	assert_int_equal(memblock.reserved.cnt, INIT_MEMBLOCK_RESERVED_REGIONS + 1);
	assert_region(&memblock.reserved, INIT_MEMBLOCK_RESERVED_REGIONS, arr, arr_size + K(4),
		      NUMA_NO_NODE, 0);
	for (i = 0; i < INIT_MEMBLOCK_RESERVED_REGIONS; i++)
		assert_region(&memblock.reserved, i, M(1) + i * K(8), K(4), NUMA_NO_NODE, 0);
	assert_int_equal(memblock_reserved_size(), INIT_MEMBLOCK_RESERVED_REGIONS * K(4) + arr_size + K(4));
}

static void test_resize_failure_leaves_everything(void **state)
{
	struct list_copy *mem = malloc(sizeof(*mem)), *rsv = malloc(sizeof(*rsv));
	int i;

	/* Reserved full, and no free run of memory as large as a doubled array. */
	memblock_set_current_limit(SIM_RAM_SIZE);
	assert_int_equal(memblock_add(M(1), INIT_MEMBLOCK_RESERVED_REGIONS * K(8)), 0);
	for (i = 0; i < INIT_MEMBLOCK_RESERVED_REGIONS; i++)
		assert_int_equal(memblock_reserve(M(1) + i * K(8), K(4)), 0);
	memblock_allow_resize();
	list_save(mem, &memblock.memory);
	list_save(rsv, &memblock.reserved);
	host_log_clear();
	assert_int_equal(memblock_reserve(M(20), K(4)), -ENOMEM);
	assert_true(host_log_contains("memblock: cannot double the reserved array from 256 to 512 regions: "
				      "no 24576 bytes from memblock below the current limit"));
	assert_true(host_log_contains("memblock: reserved array is full (256 regions) and could not grow: "
				      "cannot add [mem 0x0000000001400000-0x0000000001400fff]"));
	assert_list_same(rsv, &memblock.reserved);
	assert_list_same(mem, &memblock.memory);
	/* So does a free that splits a reservation (one more region). */
	host_log_clear();
	assert_int_equal(memblock_phys_free(M(1) + K(1), K(1)), -ENOMEM);
	assert_true(host_log_contains("cannot remove [mem 0x0000000000100400-0x00000000001007ff]"));
	assert_list_same(rsv, &memblock.reserved);
	assert_list_same(mem, &memblock.memory);
	free(mem);
	free(rsv);
}

static void test_resize_after_buddy_uses_kmalloc(void **state)
{
	struct list_copy *before = malloc(sizeof(*before));
	struct memblock_region *grown;

	memblock_set_current_limit(SIM_RAM_SIZE);
	add_spaced_regions(0, INIT_MEMBLOCK_REGIONS);
	memblock_allow_resize();
	/* After the hand-off memblock hands out nothing: its limit is 0. */
	buddy_ready = true;
	memblock_set_current_limit(0);

	/* kmalloc() fails: the add fails, and nothing changed. */
	kmalloc_fails = true;
	list_save(before, &memblock.memory);
	host_log_clear();
	assert_int_equal(memblock_add(M(30), K(64)), -ENOMEM);
	assert_int_equal(kmalloc_calls, 1);
	assert_true(host_log_contains("memblock: cannot double the memory array from 128 to 256 regions: "
				      "no 12288 bytes from kmalloc"));
	assert_true(host_log_contains("memory array is full (128 regions) and could not grow"));
	assert_list_same(before, &memblock.memory);
	assert_int_equal(memblock.reserved.cnt, 0);

	/* kmalloc() works: grows there, reserves nothing in memblock. */
	kmalloc_fails = false;
	add_spaced_regions(INIT_MEMBLOCK_REGIONS, INIT_MEMBLOCK_REGIONS + 1);
	assert_int_equal(memblock.memory.max, 2 * INIT_MEMBLOCK_REGIONS);
	assert_spaced_regions(INIT_MEMBLOCK_REGIONS + 1);
	assert_int_equal(memblock.reserved.cnt, 0);
	assert_int_equal(kfree_calls, 0);	/* the static array is never freed */
	grown = memblock.memory.regions;

	/* Growing again frees the outgrown kmalloc() array. */
	add_spaced_regions(INIT_MEMBLOCK_REGIONS + 1, 2 * INIT_MEMBLOCK_REGIONS + 1);
	assert_int_equal(memblock.memory.max, 4 * INIT_MEMBLOCK_REGIONS);
	assert_true(memblock.memory.regions != grown);
	assert_int_equal(kfree_calls, 1);
	assert_spaced_regions(2 * INIT_MEMBLOCK_REGIONS + 1);
	free(before);
}

/* ---- mem=, nodes, flags, queries ---- */

static void test_enforce_memory_limit_with_holes(void **state)
{
	/* A PC-like map: low RAM, RAM to 256M, a hole, RAM 512M-1G. */
	assert_int_equal(memblock_add(K(4), K(632)), 0);
	assert_int_equal(memblock_add(M(1), M(255)), 0);
	assert_int_equal(memblock_add(M(512), M(512)), 0);
	assert_int_equal(memblock_reserve(M(1), M(2)), 0);
	assert_int_equal(memblock_reserve(M(600), M(1)), 0);
	assert_int_equal(memblock_reserve(M(900), M(1)), 0);
	memblock_enforce_memory_limit(M(300));
	/* 632K + 255M below the hole; the remaining 45M - 632K above it. */
	assert_int_equal(memblock_phys_mem_size(), M(300));
	assert_int_equal(memblock.memory.cnt, 3);
	assert_region(&memblock.memory, 2, M(512), M(45) - K(632), NUMA_NO_NODE, 0);
	assert_int_equal(memblock_end_of_DRAM(), M(557) - K(632));
	/* Reservations above the new end are gone, those below stay. */
	assert_int_equal(memblock.reserved.cnt, 1);
	assert_region(&memblock.reserved, 0, M(1), M(2), NUMA_NO_NODE, 0);
	/* A limit above what there is, and 0, change nothing. */
	memblock_enforce_memory_limit(M(4096));
	memblock_enforce_memory_limit(0);
	assert_int_equal(memblock_phys_mem_size(), M(300));
	/* A limit ending exactly at a region's end keeps that region whole. */
	memblock_enforce_memory_limit(K(632) + M(255));
	assert_int_equal(memblock.memory.cnt, 2);
	assert_int_equal(memblock_end_of_DRAM(), M(256));
}

static void test_set_node_splits_and_merges(void **state)
{
	assert_int_equal(memblock_add(0, M(1024)), 0);
	assert_int_equal(memblock_set_node(M(256), M(256), &memblock.memory, 1), 0);
	assert_int_equal(memblock.memory.cnt, 3);
	assert_region(&memblock.memory, 0, 0, M(256), NUMA_NO_NODE, 0);
	assert_region(&memblock.memory, 1, M(256), M(256), 1, 0);
	assert_region(&memblock.memory, 2, M(512), M(512), NUMA_NO_NODE, 0);
	assert_int_equal(memblock.memory.total_size, M(1024));
	/* The top becomes node 1 too: it joins the middle. */
	assert_int_equal(memblock_set_node(M(512), PHYS_ADDR_MAX, &memblock.memory, 1), 0);
	assert_int_equal(memblock.memory.cnt, 2);
	assert_region(&memblock.memory, 1, M(256), M(768), 1, 0);
	/* Setting a node over a hole does not create memory. */
	assert_int_equal(memblock_remove(M(100), M(100)), 0);
	assert_int_equal(memblock_set_node(0, PHYS_ADDR_MAX, &memblock.memory, 0), 0);
	assert_int_equal(memblock.memory.cnt, 2);
	assert_region(&memblock.memory, 0, 0, M(100), 0, 0);
	assert_region(&memblock.memory, 1, M(200), M(824), 0, 0);
	/* Reserved ranges take a node too. */
	assert_int_equal(memblock_reserve(M(1), M(1)), 0);
	assert_int_equal(memblock_set_node(0, PHYS_ADDR_MAX, &memblock.reserved, 0), 0);
	assert_region(&memblock.reserved, 0, M(1), M(1), 0, 0);
}

static void test_hotplug_flags(void **state)
{
	assert_int_equal(memblock_add_node(0, M(512), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_mark_hotplug(M(128), M(128)), 0);
	assert_int_equal(memblock.memory.cnt, 3);
	assert_region(&memblock.memory, 1, M(128), M(128), 0, MEMBLOCK_HOTPLUG);
	assert_true(memblock_is_hotpluggable(&memblock.memory.regions[1]));
	assert_int_equal(memblock_clear_hotplug(M(128), M(64)), 0);
	assert_int_equal(memblock.memory.cnt, 3);
	assert_region(&memblock.memory, 0, 0, M(192), 0, 0);
	assert_region(&memblock.memory, 1, M(192), M(64), 0, MEMBLOCK_HOTPLUG);
	assert_int_equal(memblock_clear_hotplug(0, M(512)), 0);
	assert_int_equal(memblock.memory.cnt, 1);
	assert_region(&memblock.memory, 0, 0, M(512), 0, 0);
}

static void test_search_pfn_nid(void **state)
{
	unsigned long s = 0, e = 0;

	assert_int_equal(memblock_add_node(M(1), M(15), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(16), M(16), 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(64), M(64), 2, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_search_pfn_nid(PHYS_PFN(M(1)), &s, &e), 0);
	assert_int_equal(s, 0x100);
	assert_int_equal(e, 0x1000);
	assert_int_equal(memblock_search_pfn_nid(0x1fff, &s, &e), 1);
	assert_int_equal(s, 0x1000);
	assert_int_equal(e, 0x2000);
	assert_int_equal(memblock_search_pfn_nid(PHYS_PFN(M(127)), &s, &e), 2);
	assert_int_equal(s, 0x4000);
	assert_int_equal(e, 0x8000);
	s = e = 77;
	assert_int_equal(memblock_search_pfn_nid(PHYS_PFN(M(32)), &s, &e), NUMA_NO_NODE);	/* hole */
	assert_int_equal(memblock_search_pfn_nid(0, &s, &e), NUMA_NO_NODE);
	assert_int_equal(memblock_search_pfn_nid(PHYS_PFN(M(128)), NULL, NULL), NUMA_NO_NODE);
	assert_int_equal(s, 77);
}

static void test_is_memory_queries(void **state)
{
	assert_int_equal(memblock_add_node(M(1), M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(2), M(1), 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(4), M(1), 1, MEMBLOCK_NONE), 0);
	assert_true(memblock_is_memory(M(1)));
	assert_true(memblock_is_memory(M(3) - 1));
	assert_false(memblock_is_memory(M(3)));
	assert_false(memblock_is_memory(M(1) - 1));
	/* Touching regions of different nodes are still all memory. */
	assert_true(memblock_is_region_memory(M(1) + K(512), M(1)));
	assert_true(memblock_is_region_memory(M(1), M(2)));
	assert_false(memblock_is_region_memory(M(1), M(2) + 1));	/* runs into the hole */
	assert_false(memblock_is_region_memory(M(2), M(3)));		/* spans the hole */
	assert_false(memblock_is_region_memory(M(5), 1));
}

/* ---- iterators ---- */

static void test_free_range_iterator(void **state)
{
	phys_addr_t s, e, got[8][2];
	uint64_t i;
	int n = 0, nid;

	assert_int_equal(memblock_add_node(M(1), M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(4), M(4), 1, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(8), M(2), 1, MEMBLOCK_HOTPLUG), 0);
	assert_int_equal(memblock_reserve(M(1) + K(512), M(4)), 0);	/* spans the hole */
	assert_int_equal(memblock_reserve(M(6), K(4)), 0);
	assert_int_equal(memblock_reserve(M(7), M(2)), 0);		/* across two regions */

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, &nid) {
		assert_true(n < 8);
		got[n][0] = s;
		got[n][1] = e;
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(got[0][0], M(1));
	assert_int_equal(got[0][1], M(1) + K(512));
	assert_int_equal(got[1][0], M(5) + K(512));
	assert_int_equal(got[1][1], M(6));
	assert_int_equal(got[2][0], M(6) + K(4));
	assert_int_equal(got[2][1], M(7));
	assert_int_equal(got[3][0], M(9));
	assert_int_equal(got[3][1], M(10));

	/* Only node 0: just the first. */
	n = 0;
	for_each_free_mem_range(i, 0, MEMBLOCK_NONE, &s, &e, &nid) {
		assert_int_equal(nid, 0);
		n++;
	}
	assert_int_equal(n, 1);

	/* Memory and reserved walks. */
	n = 0;
	for_each_mem_range(i, &s, &e)
		n++;
	assert_int_equal(n, 3);
	n = 0;
	for_each_reserved_mem_range(i, &s, &e) {
		if (n == 2) {
			assert_int_equal(s, M(7));
			assert_int_equal(e, M(9));
		}
		n++;
	}
	assert_int_equal(n, 3);
}

/*
 * As in Linux: for_each_mem_range() lists driver-managed memory (it is RAM),
 * NOMAP stays out, and the free walks - so every allocator - skip it unless
 * MEMBLOCK_DRIVER_MANAGED is asked for.
 */
static void test_driver_managed_listed_not_allocated(void **state)
{
	phys_addr_t s, e, got[4][2];
	uint64_t i;
	int n = 0;

	assert_int_equal(memblock_add_node(M(1), M(3), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(4), M(4), 0, MEMBLOCK_DRIVER_MANAGED), 0);
	assert_int_equal(memblock_add_node(M(8), M(1), 0, MEMBLOCK_NOMAP), 0);
	assert_int_equal(memblock.memory.cnt, 3);
	for_each_mem_range(i, &s, &e) {
		assert_true(n < 4);
		got[n][0] = s;
		got[n][1] = e;
		n++;
	}
	assert_int_equal(n, 2);
	assert_int_equal(got[0][0], M(1));
	assert_int_equal(got[0][1], M(4));
	assert_int_equal(got[1][0], M(4));
	assert_int_equal(got[1][1], M(8));

	/* Left out explicitly, the way a caller that must skip it says so. */
	n = 0;
	__for_each_mem_range(i, &memblock.memory, NULL, NUMA_NO_NODE, MEMBLOCK_HOTPLUG, &s, &e, NULL)
		n++;
	assert_int_equal(n, 1);

	/* Free walks: only when asked for. */
	n = 0;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL) {
		assert_true(e <= M(4));
		n++;
	}
	assert_int_equal(n, 1);
	n = 0;
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_DRIVER_MANAGED, &s, &e, NULL)
		n++;
	assert_int_equal(n, 2);

	/* Allocation never lands there, top-down (where it lies highest) or bottom-up. */
	assert_int_equal(memblock_phys_alloc(M(1), PAGE_SIZE), M(3));
	assert_int_equal(memblock_phys_alloc_range(M(1), PAGE_SIZE, M(4), M(8)), 0);
	memblock_set_bottom_up(true);
	assert_int_equal(memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, M(3), 0), 0);
	assert_int_equal(memblock_phys_alloc(K(4), PAGE_SIZE), M(1));
	assert_null(memblock_alloc_try_nid(M(3), PAGE_SIZE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 0));
}

/* A nid outside 0 .. MAX_NUMNODES - 1 asks for every node, as in Linux (numa_valid_node()). */
static void test_walk_invalid_nid_means_all(void **state)
{
	phys_addr_t s, e;
	unsigned long ps, pe;
	uint64_t i;
	int j, n = 0;

	assert_int_equal(memblock_add_node(M(1), M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(4), M(1), 1, MEMBLOCK_NONE), 0);
	for_each_free_mem_range(i, MAX_NUMNODES, MEMBLOCK_NONE, &s, &e, NULL)
		n++;
	assert_int_equal(n, 2);
	n = 0;
	for_each_mem_pfn_range(j, MAX_NUMNODES, &ps, &pe, NULL)
		n++;
	assert_int_equal(n, 2);
	n = 0;
	for_each_free_mem_range(i, 1, MEMBLOCK_NONE, &s, &e, NULL)
		n++;
	assert_int_equal(n, 1);
}

static void test_free_range_iterator_sums(void **state)
{
	phys_addr_t s, e, free = 0;
	uint64_t i;

	/* Free = memory - reserved, whatever the overlaps. */
	assert_int_equal(memblock_add(0, M(64)), 0);
	assert_int_equal(memblock_add(M(128), M(64)), 0);
	assert_int_equal(memblock_reserve(0, K(4)), 0);
	assert_int_equal(memblock_reserve(M(60), M(70)), 0);
	assert_int_equal(memblock_reserve(M(190), M(100)), 0);	/* reserved beyond memory */
	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &s, &e, NULL) {
		assert_true(s < e);
		assert_false(memblock_is_region_reserved(s, e - s));
		free += e - s;
	}
	assert_int_equal(free, (M(60) - K(4)) + M(60));
}

static void test_pfn_range_iterator(void **state)
{
	unsigned long s, e;
	int i, nid, n = 0;

	assert_int_equal(memblock_add_node(0x800, 0x800, 0, MEMBLOCK_NONE), 0);	/* no whole page */
	assert_int_equal(memblock_add_node(K(4) + 0x800, M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(4), M(4), 1, MEMBLOCK_NONE), 0);
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &s, &e, &nid) {
		if (n == 0) {
			assert_int_equal(s, 2);		/* rounded in to whole pages */
			assert_int_equal(e, 0x101);
			assert_int_equal(nid, 0);
		} else {
			assert_int_equal(s, 0x400);
			assert_int_equal(e, 0x800);
			assert_int_equal(nid, 1);
		}
		n++;
	}
	assert_int_equal(n, 2);
	n = 0;
	for_each_mem_pfn_range(i, 1, &s, &e, &nid)
		n++;
	assert_int_equal(n, 1);
}

/* ---- the dump and the debug log ---- */

static void test_dump_format(void **state)
{
	assert_int_equal(memblock_add_node(M(1), M(1), 0, MEMBLOCK_NONE), 0);
	assert_int_equal(memblock_add_node(M(4), M(4), 1, MEMBLOCK_HOTPLUG), 0);
	assert_int_equal(memblock_reserve(M(1), K(4)), 0);
	memblock_dump_all();		/* memblock_debug is off: silent */
	assert_false(host_log_contains("MEMBLOCK configuration"));
	__memblock_dump_all();
	assert_true(host_log_contains("MEMBLOCK configuration:\n"));
	assert_true(host_log_contains(" memory size = 0x0000000000500000 reserved size = 0x0000000000001000\n"));
	assert_true(host_log_contains(" memory.cnt  = 0x2\n"));
	assert_true(host_log_contains(" memory[0x0]\t[0x0000000000100000-0x00000000001fffff], "
				      "0x0000000000100000 bytes on node 0 flags: 0x0\n"));
	assert_true(host_log_contains(" memory[0x1]\t[0x0000000000400000-0x00000000007fffff], "
				      "0x0000000000400000 bytes on node 1 flags: 0x1\n"));
	assert_true(host_log_contains(" reserved.cnt  = 0x1\n"));
	assert_true(host_log_contains(" reserved[0x0]\t[0x0000000000100000-0x0000000000100fff], "
				      "0x0000000000001000 bytes flags: 0x0\n"));
}

static void test_debug_logs_callers(void **state)
{
	assert_int_equal(memblock_add(M(1), M(1)), 0);
	assert_false(host_log_contains("memblock_add"));
	memblock_debug = 1;
	assert_int_equal(memblock_add(M(4), M(1)), 0);
	assert_true(host_log_contains("memblock_add: [0x0000000000400000-0x00000000004fffff] caller 0x"));
	assert_int_equal(memblock_reserve(M(1), K(4)), 0);
	assert_true(host_log_contains("memblock_reserve: [0x0000000000100000-0x0000000000100fff] caller"));
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), M(5) - PAGE_SIZE);
	assert_true(host_log_contains("memblock_alloc: 0x1000 bytes align=0x1000 nid=-1"));
	assert_true(host_log_contains("-> 0x4ff000 caller"));
	memblock_dump_all();
	assert_true(host_log_contains(" memory.cnt  = 0x2\n"));
}

/* ---- random operations against a per-page model ---- */

#define MODEL_PAGES	512
#define NOT_MEMORY	(-2)
static int8_t model_nid[MODEL_PAGES];	/* NOT_MEMORY or the node */
static uint8_t model_flags[MODEL_PAGES];
static bool model_res[MODEL_PAGES];

static void check_list(const struct memblock_type *type, bool reserved)
{
	phys_addr_t total = 0;
	unsigned long i;
	int p, seen = 0;

	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		assert_true(r->size > 0);
		assert_true(IS_ALIGNED(r->base | r->size, PAGE_SIZE));
		assert_true(r->base + r->size <= MODEL_PAGES * PAGE_SIZE);
		if (i) {
			const struct memblock_region *q = &type->regions[i - 1];

			assert_true(q->base + q->size <= r->base);
			/* Touching neighbours differ in node or flags. */
			if (q->base + q->size == r->base)
				assert_true(q->nid != r->nid || q->flags != r->flags);
		}
		for (p = r->base / PAGE_SIZE; p < (int)((r->base + r->size) / PAGE_SIZE); p++) {
			if (reserved) {
				assert_true(model_res[p]);
			} else {
				assert_int_equal(model_nid[p], r->nid);
				assert_int_equal(model_flags[p], r->flags);
			}
			seen++;
		}
		total += r->size;
	}
	assert_int_equal(total, type->total_size);
	for (p = 0; p < MODEL_PAGES; p++)
		if (reserved ? model_res[p] : model_nid[p] != NOT_MEMORY)
			seen--;
	assert_int_equal(seen, 0);	/* every modelled page is in a region */
}

/* for_each_mem_range() lists exactly the modelled memory that is not NOMAP. */
static void check_mem_range_walk(void)
{
	phys_addr_t s, e, listed = 0, want = 0;
	uint64_t i;
	int p;

	for_each_mem_range(i, &s, &e) {
		for (p = s / PAGE_SIZE; p < (int)(e / PAGE_SIZE); p++)
			assert_false(model_nid[p] == NOT_MEMORY || (model_flags[p] & MEMBLOCK_NOMAP));
		listed += e - s;
	}
	for (p = 0; p < MODEL_PAGES; p++)
		if (model_nid[p] != NOT_MEMORY && !(model_flags[p] & MEMBLOCK_NOMAP))
			want += PAGE_SIZE;
	assert_int_equal(listed, want);
}

/* Highest (or lowest) npages run of free pages of one region, aligned. */
static phys_addr_t model_fit(int npages, int align_pages, bool bottom_up, int nid)
{
	int p, q, best = 0;

	for (p = 1; p + npages <= MODEL_PAGES; p++) {
		if (p % align_pages)
			continue;
		for (q = p; q < p + npages; q++) {
			if (model_nid[q] == NOT_MEMORY || model_res[q] ||
			    (model_flags[q] & (MEMBLOCK_NOMAP | MEMBLOCK_DRIVER_MANAGED)) ||
			    (nid != NUMA_NO_NODE && model_nid[q] != nid) ||
			    model_nid[q] != model_nid[p] || model_flags[q] != model_flags[p])
				break;
		}
		if (q == p + npages) {
			best = p;
			if (bottom_up)
				break;
		}
	}
	return (phys_addr_t)best * PAGE_SIZE;
}

static void test_random_against_model(void **state)
{
	unsigned int seed = 12345;
	int step, p;

	memset(model_nid, NOT_MEMORY, sizeof(model_nid));
	memset(model_flags, 0, sizeof(model_flags));
	memset(model_res, 0, sizeof(model_res));

	for (step = 0; step < 20000; step++) {
		int op = rand_r(&seed) % 9;
		int a = rand_r(&seed) % MODEL_PAGES;
		int n = 1 + rand_r(&seed) % 48;
		int nid = (int)(rand_r(&seed) % 3) - 1;
		int kind = rand_r(&seed) % 8;
		enum memblock_flags fl = kind < 2 ? MEMBLOCK_HOTPLUG :
					 kind == 2 ? MEMBLOCK_DRIVER_MANAGED : MEMBLOCK_NONE;
		int end = min(a + n, MODEL_PAGES);
		phys_addr_t base = (phys_addr_t)a * PAGE_SIZE, size = (phys_addr_t)(end - a) * PAGE_SIZE;

		switch (op) {
		case 0:
		case 1:
			assert_int_equal(memblock_add_node(base, size, nid, fl), 0);
			for (p = a; p < end; p++)
				if (model_nid[p] == NOT_MEMORY) {
					model_nid[p] = nid;
					model_flags[p] = fl;
				}
			break;
		case 2:
			assert_int_equal(memblock_remove(base, size), 0);
			for (p = a; p < end; p++) {
				model_nid[p] = NOT_MEMORY;
				model_flags[p] = 0;
			}
			break;
		case 3:
			assert_int_equal(memblock_reserve(base, size), 0);
			for (p = a; p < end; p++)
				model_res[p] = true;
			break;
		case 4:
			assert_int_equal(memblock_phys_free(base, size), 0);
			for (p = a; p < end; p++)
				model_res[p] = false;
			break;
		case 5:
			assert_int_equal(memblock_set_node(base, size, &memblock.memory, nid), 0);
			for (p = a; p < end; p++)
				if (model_nid[p] != NOT_MEMORY)
					model_nid[p] = nid;
			break;
		case 6:
			if (fl == MEMBLOCK_HOTPLUG) {
				assert_int_equal(memblock_mark_hotplug(base, size), 0);
			} else {
				assert_int_equal(memblock_mark_nomap(base, size), 0);
				fl = MEMBLOCK_NOMAP;
			}
			for (p = a; p < end; p++)
				if (model_nid[p] != NOT_MEMORY)
					model_flags[p] |= fl;
			break;
		case 7:
			assert_int_equal(memblock_clear_hotplug(base, size), 0);
			assert_int_equal(memblock_clear_nomap(base, size), 0);
			for (p = a; p < end; p++)
				model_flags[p] &= ~(MEMBLOCK_HOTPLUG | MEMBLOCK_NOMAP);
			break;
		case 8: {
			int align = 1 << (rand_r(&seed) % 4);
			int npages = 1 + n % 8;
			bool exact = rand_r(&seed) & 1;
			phys_addr_t want, got;

			memblock_set_bottom_up(rand_r(&seed) & 1);
			want = model_fit(npages, align, memblock.bottom_up, nid);
			if (!want && nid != NUMA_NO_NODE && !exact)
				want = model_fit(npages, align, memblock.bottom_up, NUMA_NO_NODE);
			got = memblock_alloc_range_nid(npages * PAGE_SIZE, align * PAGE_SIZE, 0,
						       MEMBLOCK_ALLOC_ANYWHERE, nid, exact);
			assert_int_equal(got, want);
			for (p = got / PAGE_SIZE; got && p < (int)(got / PAGE_SIZE) + npages; p++)
				model_res[p] = true;
			break;
		}
		}
		check_list(&memblock.memory, false);
		check_list(&memblock.reserved, true);
		check_mem_range_walk();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_single, setup),
		cmocka_unit_test_setup(test_add_adjacent_merges, setup),
		cmocka_unit_test_setup(test_add_adjacent_other_node_or_flags_stay_apart, setup),
		cmocka_unit_test_setup(test_add_overlapping, setup),
		cmocka_unit_test_setup(test_add_overlap_keeps_existing_node, setup),
		cmocka_unit_test_setup(test_add_unsorted_is_sorted, setup),
		cmocka_unit_test_setup(test_zero_size_and_wrap, setup),
		cmocka_unit_test_setup(test_empty_queries, setup),
		cmocka_unit_test_setup(test_emptied_list_reads_empty, setup),
		cmocka_unit_test_setup(test_remove_splits_region, setup),
		cmocka_unit_test_setup(test_remove_across_regions, setup),
		cmocka_unit_test_setup(test_reserve_and_free, setup),
		cmocka_unit_test_setup(test_alloc_top_down, setup),
		cmocka_unit_test_setup(test_alloc_bottom_up, setup),
		cmocka_unit_test_setup(test_alloc_skips_reserved, setup),
		cmocka_unit_test_setup(test_alloc_alignment, setup),
		cmocka_unit_test_setup(test_alloc_range_limits, setup),
		cmocka_unit_test_setup(test_alloc_never_page_zero, setup),
		cmocka_unit_test_setup(test_alloc_node_preference_and_fallback, setup),
		cmocka_unit_test_setup(test_alloc_current_limit, setup),
		cmocka_unit_test_setup(test_alloc_exhaustion, setup),
		cmocka_unit_test_setup(test_alloc_skips_nomap_and_movable_hotplug, setup),
		cmocka_unit_test_setup(test_alloc_virtual_zeroes_and_limits, setup),
		cmocka_unit_test_setup(test_alloc_raw_keeps_contents, setup),
		cmocka_unit_test_setup(test_alloc_from_min_addr, setup),
		cmocka_unit_test_setup(test_alloc_exact_nid_raw, setup),
		cmocka_unit_test_setup(test_overlaps_region, setup),
		cmocka_unit_test_setup(test_trim_memory, setup),
		cmocka_unit_test_setup(test_memory_array_full, setup),
		cmocka_unit_test_setup(test_reserved_array_full, setup),
		cmocka_unit_test_setup(test_resize_refused_before_allow, setup),
		cmocka_unit_test_setup(test_resize_memory_from_memblock, setup),
		cmocka_unit_test_setup(test_resize_avoids_range_being_changed, setup),
		cmocka_unit_test_setup(test_resize_reserved_from_memblock, setup),
		cmocka_unit_test_setup(test_resize_failure_leaves_everything, setup),
		cmocka_unit_test_setup(test_resize_after_buddy_uses_kmalloc, setup),
		cmocka_unit_test_setup(test_enforce_memory_limit_with_holes, setup),
		cmocka_unit_test_setup(test_set_node_splits_and_merges, setup),
		cmocka_unit_test_setup(test_hotplug_flags, setup),
		cmocka_unit_test_setup(test_search_pfn_nid, setup),
		cmocka_unit_test_setup(test_is_memory_queries, setup),
		cmocka_unit_test_setup(test_free_range_iterator, setup),
		cmocka_unit_test_setup(test_free_range_iterator_sums, setup),
		cmocka_unit_test_setup(test_driver_managed_listed_not_allocated, setup),
		cmocka_unit_test_setup(test_walk_invalid_nid_means_all, setup),
		cmocka_unit_test_setup(test_pfn_range_iterator, setup),
		cmocka_unit_test_setup(test_dump_format, setup),
		cmocka_unit_test_setup(test_debug_logs_callers, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
	};

	return cmocka_run_group_tests_name("memblock", tests, NULL, NULL);
}
