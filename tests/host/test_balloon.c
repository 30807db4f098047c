// SPDX-License-Identifier: MIT
/*
 * DOC: test_balloon.c - host tests of fake-offline accounting (drivers/memtest_balloon.c)
 *
 * The balloon takes allocated pages of a hot-added block, the block goes
 * offline and online again, the balloon gives its pages back: at every
 * step managed_pages must count exactly the pages the buddy owns (the
 * walker in mm/pagetypes.c checks that too) and present_pages the pages
 * of the online blocks. Runs the real hotplug core over mm_machine's
 * 512 MiB PC, with a 128 MiB block at 512 MiB (32768 pages, 512 of them
 * its self-hosted memmap).
 *
 * Stubs for what is not mm, as in test_memory_hotplug.c: one hot-pluggable
 * window, a direct map that always works, and one CPU for the job runner.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/mm_machine.h"
#include "tests/host/host_stubs.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/sparse.h"
#include "arch/x86_64/numa.h"
#include "drivers/memtest_balloon.h"
#include "kernel/mt_job.h"

#define BLOCK_PAGES	32768UL
#define VMEMMAP_PAGES	512UL
#define HOT_BASE	MiB(512)
#define HOT_PFN		(HOT_BASE >> 12)
#define BLOCK_ID	4		/* 512 MiB / 128 MiB */
#define TAKE		40

/* The stubs for what is not mm (one SRAT window at 512 MiB, one CPU) are mm_machine.c's. */

/* ---- helpers ---- */

static struct zone *movable(void)
{
	return &NODE_DATA(0)->node_zones[ZONE_MOVABLE];
}

/* Counts of the movable zone (only the hot block is in it), and a clean walk. */
static void assert_movable(unsigned long present, unsigned long managed)
{
	assert_int_equal(movable()->present_pages, present);
	assert_int_equal(zone_managed_pages(movable()), managed);
	mm_machine_assert_clean();
}

static struct page *alloc_in_block(void)
{
	return mm_machine_alloc_movable_in(HOT_PFN, HOT_PFN + BLOCK_PAGES);
}

static int setup(void **state)
{
	memory_hotplug_reset();
	memtest_balloon_reset();
	mm_machine_boot_pc(MiB(512), MiB(256));
	return 0;
}

static int teardown(void **state)
{
	mm_machine_teardown();
	return 0;
}

/* ---- tests ---- */

/*
 * Take pages, offline the block, online it again, give everything back.
 * Pieces kept at online time (one in 4 max-order pieces: 512 + 7 * 1024
 * pages) were never managed; taken pages stop being managed when taken, so
 * offlining - which subtracts only the free blocks it takes - ends at 0.
 */
static void test_take_offline_online_give_back(void **state)
{
	const unsigned long usable = BLOCK_PAGES - VMEMMAP_PAGES, kept = 512 + 7 * 1024;
	unsigned long free0, normal_managed;
	struct page *boot;
	int i;

	assert_int_equal(memtest_balloon_start(4), 0);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(memtest_balloon_held(), kept);
	assert_movable(usable, usable - kept);

	/* Take: each page leaves managed (not the free count: it was allocated already). */
	for (i = 0; i < TAKE; i++) {
		struct page *page = alloc_in_block();

		drain_all_pages(NULL);
		free0 = nr_free_pages();
		assert_int_equal(memtest_balloon_take(page), 0);
		assert_int_equal(page_type(page), PGTY_OFFLINE);
		assert_int_equal(page_ref_count(page), 1);
		assert_int_equal(nr_free_pages(), free0);
		assert_movable(usable, usable - kept - i - 1);
	}
	assert_int_equal(memtest_balloon_held(), kept + TAKE);

	/* A page of boot RAM (outside any hot-added block) is refused, and nothing changes. */
	normal_managed = zone_managed_pages(&NODE_DATA(0)->node_zones[ZONE_NORMAL]);
	boot = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(boot);
	host_log_clear();
	assert_int_equal(memtest_balloon_take(boot), -EINVAL);
	assert_true(host_log_contains("not an order-0 allocated page of an online hot-added"));
	assert_int_equal(page_type(boot), PGTY_ALLOCATED);
	assert_int_equal(zone_managed_pages(&NODE_DATA(0)->node_zones[ZONE_NORMAL]), normal_managed);
	__free_pages(boot, 0);
	assert_int_equal(memtest_balloon_held(), kept + TAKE);

	/* Offline: the block leaves present and managed completely. */
	assert_int_equal(memory_block_offline(BLOCK_ID), 0);
	assert_int_equal(memtest_balloon_held(), 0);
	assert_movable(0, 0);

	/* Online again: only the pieces kept at online time are held. */
	assert_int_equal(memory_block_online(BLOCK_ID, MMOP_ONLINE_MOVABLE), 0);
	assert_int_equal(memtest_balloon_held(), kept);
	assert_movable(usable, usable - kept);

	/* Take again, then give everything back without offlining. */
	for (i = 0; i < TAKE; i++)
		assert_int_equal(memtest_balloon_take(alloc_in_block()), 0);
	assert_movable(usable, usable - kept - TAKE);
	assert_int_equal(memtest_balloon_deflate(), kept + TAKE);
	assert_int_equal(memtest_balloon_held(), 0);
	assert_movable(usable, usable);

	memtest_balloon_stop();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(128)), 0);
	assert_movable(0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_take_offline_online_give_back, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
