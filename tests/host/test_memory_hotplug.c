/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_memory_hotplug.c - host tests of add/online/offline/remove (mm/memory_hotplug.c)
 *
 * Runs the real hotplug core over mm_machine's simulated PC: 512 MiB of boot
 * RAM, hot-added blocks at 512 MiB and up (host memory, lazily backed).
 * After every step the walker must be clean and the counts must be the
 * numbers this file computes from the configuration: a 128 MiB block is
 * 32768 pages, its self-hosted memmap 512 of them.
 *
 * The stubs for what is not mm are mm_machine.c's: the SRAT hot-pluggable
 * windows (one window, set per test), the direct map (can be told to fail),
 * and the job runner's view of the machine (one CPU: the test thread).
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
#include "mm/page_isolation.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "mm/zone_movable.h"
#include "mm/memblock.h"
#include "arch/x86_64/numa.h"
#include "drivers/memtest_balloon.h"
#include "kernel/mt_job.h"

#define BLOCK_PAGES	32768UL		/* 128 MiB */
#define VMEMMAP_PAGES	512UL		/* its 2 MiB memmap */
#define HOT_BASE	MiB(512)
#define HOT_PFN		(HOT_BASE >> 12)

/* Blocks of hot-added memory (boot RAM has its blocks too: memory0..3 here). */
static unsigned int nr_hot_blocks(void)
{
	struct memory_block *mem;
	unsigned int n = 0;

	for (mem = first_memory_block(); mem; mem = next_memory_block(mem))
		n += !mem->boot;
	return n;
}

/* ---- helpers (the stubs are mm_machine.c's) ---- */

static struct pagetypes_result res;

static struct zone *zone0(enum zone_type z)
{
	return &NODE_DATA(0)->node_zones[z];
}

/* Walk into our own result (mm_machine_assert_clean keeps its own) and insist on no violations. */
static void walk(void)
{
	mm_machine_assert_clean();
	assert_int_equal(pagetypes_walk(&res), 0);
}

static int setup(void **state)
{
	memory_hotplug_reset();
	memtest_balloon_reset();
	mm_machine_boot_pc(MiB(512), MiB(256));
	mm_machine_assert_clean();
	return 0;
}

static int teardown(void **state)
{
	mm_machine_teardown();
	return 0;
}

/* ---- add / online / offline / remove ---- */

static void test_cycle_memmap_on_memory(void **state)
{
	struct mm_counts boot, c;
	struct memory_block *mem;
	unsigned long pfn;

	mm_machine_snap(&boot);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(256), MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE), 0);
	assert_int_equal(mm_machine_direct_maps, 1);
	assert_int_equal(nr_hot_blocks(), 2);
	mem = find_memory_block(4);
	assert_non_null(mem);
	assert_int_equal(mem->state, MEM_BLOCK_OFFLINE);
	assert_int_equal(mem->start_pfn, HOT_PFN);
	assert_int_equal(mem->nr_vmemmap_pages, VMEMMAP_PAGES);
	assert_int_equal(memory_block_phys_index(mem), 4);
	assert_non_null(find_memory_block(5));
	/* The memmap of each block is its own first 2 MiB. */
	assert_int_equal(__nr_to_section(4)->memmap_phys, MiB(512));
	assert_int_equal(__nr_to_section(5)->memmap_phys, MiB(640));
	/* Vmemmap pages: VmemmapSelfHosted, ZONE_NORMAL, present, not managed. */
	assert_int_equal(pfn_to_page(HOT_PFN)->type, PGTY_VMEMMAP_SELF_HOSTED);
	assert_int_equal(pfn_to_page(HOT_PFN)->zone_idx, ZONE_NORMAL);
	assert_int_equal(pfn_to_page(HOT_PFN + BLOCK_PAGES + VMEMMAP_PAGES - 1)->type, PGTY_VMEMMAP_SELF_HOSTED);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_NORMAL], boot.present[ZONE_NORMAL] + 2 * VMEMMAP_PAGES);
	assert_int_equal(c.managed[ZONE_NORMAL], boot.managed[ZONE_NORMAL]);
	assert_int_equal(c.present[ZONE_MOVABLE], 0);
	assert_int_equal(zone_end_pfn(zone0(ZONE_NORMAL)), HOT_PFN + BLOCK_PAGES + VMEMMAP_PAGES);
	walk();
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_VMEMMAP_SELF_HOSTED], 2 * VMEMMAP_PAGES);

	/* Online block 4 movable, block 5 kernel. */
	assert_int_equal(memory_block_online(4, MMOP_ONLINE_MOVABLE), 0);
	assert_int_equal(mem->state, MEM_BLOCK_ONLINE);
	assert_int_equal(mem->zone, ZONE_MOVABLE);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_MOVABLE], BLOCK_PAGES - VMEMMAP_PAGES);
	assert_int_equal(c.managed[ZONE_MOVABLE], BLOCK_PAGES - VMEMMAP_PAGES);
	assert_int_equal(zone0(ZONE_MOVABLE)->zone_start_pfn, HOT_PFN + VMEMMAP_PAGES);
	assert_int_equal(c.spanned[ZONE_MOVABLE], BLOCK_PAGES - VMEMMAP_PAGES);
	assert_int_equal(c.total_free, boot.total_free + BLOCK_PAGES - VMEMMAP_PAGES);
	/* The vmemmap pages stay ZONE_NORMAL inside the movable block; zones interleave. */
	assert_int_equal(pfn_to_page(HOT_PFN)->zone_idx, ZONE_NORMAL);
	mm_machine_assert_clean();
	assert_int_equal(memory_block_online(5, MMOP_ONLINE_KERNEL), 0);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_NORMAL], boot.present[ZONE_NORMAL] + 2 * VMEMMAP_PAGES + BLOCK_PAGES - VMEMMAP_PAGES);
	assert_int_equal(c.managed[ZONE_NORMAL], boot.managed[ZONE_NORMAL] + BLOCK_PAGES - VMEMMAP_PAGES);
	walk();
	assert_int_equal(res.count[0][ZONE_MOVABLE][PGTY_BUDDY], BLOCK_PAGES - VMEMMAP_PAGES);

	/* Every page of the onlined block can be allocated and written. */
	for (pfn = HOT_PFN + VMEMMAP_PAGES; pfn < HOT_PFN + BLOCK_PAGES; pfn += 1024)
		memset(page_address(pfn_to_page(pfn)), 0x5a, 64);

	/* Online twice is refused; offline both; counts are back to "added". */
	assert_int_equal(memory_block_online(4, MMOP_ONLINE_MOVABLE), -EINVAL);
	assert_true(host_log_contains("online memory block 4: it is online, not offline"));
	assert_int_equal(memory_block_offline(4), 0);
	assert_int_equal(memory_block_offline(5), 0);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_MOVABLE], 0);
	assert_int_equal(c.managed[ZONE_MOVABLE], 0);
	assert_int_equal(c.spanned[ZONE_MOVABLE], 0);
	assert_int_equal(c.present[ZONE_NORMAL], boot.present[ZONE_NORMAL] + 2 * VMEMMAP_PAGES);
	assert_int_equal(c.managed[ZONE_NORMAL], boot.managed[ZONE_NORMAL]);
	assert_int_equal(c.total_free, boot.total_free);
	mm_machine_assert_clean();
	/* Offline memmap is poisoned in debug builds (host tests are). */
	assert_int_equal(pfn_to_page(HOT_PFN + VMEMMAP_PAGES)->type, 0xff);
	assert_false(pfn_memmap_in_use(HOT_PFN + VMEMMAP_PAGES));
	assert_true(pfn_memmap_in_use(HOT_PFN + VMEMMAP_PAGES - 1));

	/* Online again (a second cycle), offline, remove: back to boot. */
	assert_int_equal(online_memory_range(HOT_BASE, MiB(256), MMOP_ONLINE_MOVABLE), 0);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(256)), 0);
	assert_int_equal(nr_hot_blocks(), 0);
	assert_int_equal(mm_machine_direct_maps, 0);
	assert_false(present_section_nr(4));
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	mm_machine_assert_clean();
}

static void test_cycle_memmap_from_online_memory(void **state)
{
	struct mm_counts boot, c;
	struct memory_block *mem;

	mm_machine_snap(&boot);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_NO_ONLINE), 0);
	mem = find_memory_block(4);
	assert_int_equal(mem->nr_vmemmap_pages, 0);
	assert_false(__nr_to_section(4)->flags & SECTION_MEMMAP_ALTMAP);
	/* The memmap is a 2 MiB block of boot memory, allocated. */
	assert_true(__nr_to_section(4)->memmap_phys < MiB(512));
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_NORMAL], boot.present[ZONE_NORMAL]);
	assert_int_equal(c.total_free, boot.total_free - VMEMMAP_PAGES);
	mm_machine_assert_clean();
	assert_int_equal(memory_block_online(4, MMOP_ONLINE_MOVABLE), 0);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_MOVABLE], BLOCK_PAGES);
	assert_int_equal(c.managed[ZONE_MOVABLE], BLOCK_PAGES);
	assert_int_equal(zone0(ZONE_MOVABLE)->zone_start_pfn, HOT_PFN);
	mm_machine_assert_clean();
	assert_int_equal(memory_block_offline(4), 0);
	mm_machine_assert_clean();
	assert_int_equal(remove_memory(HOT_BASE, MiB(128)), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	mm_machine_assert_clean();
}

static void test_default_policy_and_memmap_param(void **state)
{
	struct mm_counts boot, c;

	mm_machine_snap(&boot);
	/* Default: online_movable, and the blocks come online with add. */
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_ONLINE);
	assert_int_equal(find_memory_block(4)->zone, ZONE_MOVABLE);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(128)), 0);

	/* memory_hotplug.memmap_on_memory=0 wins over the driver's flag. */
	mhp_set_memmap_on_memory(false);
	mhp_set_default_online_type(MMOP_ONLINE_KERNEL);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(find_memory_block(4)->nr_vmemmap_pages, 0);
	assert_int_equal(find_memory_block(4)->zone, ZONE_NORMAL);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(128)), 0);

	/* "offline" leaves them offline; "online" picks the kernel zone, movable_node the movable one. */
	mhp_set_memmap_on_memory(true);
	mhp_set_default_online_type(MMOP_OFFLINE);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(256), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_OFFLINE);
	assert_int_equal(memory_block_online(4, MMOP_ONLINE), 0);
	assert_int_equal(find_memory_block(4)->zone, ZONE_NORMAL);
	mhp_set_movable_node(true);
	assert_int_equal(memory_block_online(5, MMOP_ONLINE), 0);
	assert_int_equal(find_memory_block(5)->zone, ZONE_MOVABLE);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(256)), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	assert_int_equal(mhp_online_type_from_str("online_movable"), MMOP_ONLINE_MOVABLE);
	assert_int_equal(mhp_online_type_from_str("online_kernel"), MMOP_ONLINE_KERNEL);
	assert_int_equal(mhp_online_type_from_str("bogus"), -1);
}

/* ---- refusals ---- */

static void test_refusals(void **state)
{
	struct mm_counts boot, c;

	mm_machine_snap(&boot);
	assert_int_equal(add_memory(0, HOT_BASE + MiB(2), MiB(128), MHP_MEMMAP_ON_MEMORY), -EINVAL);
	assert_true(host_log_contains("base 0x20200000 size 0x8000000: both must be multiples of the memory block size 0x8000000 (128 MiB)"));
	assert_int_equal(add_memory(0, HOT_BASE, MiB(130), MHP_MEMMAP_ON_MEMORY), -EINVAL);
	assert_true(host_log_contains("size 0x8200000"));
	/* Boot RAM is memory already. */
	assert_int_equal(add_memory(0, MiB(384), MiB(128), MHP_NONE), -EEXIST);
	assert_true(host_log_contains("base 0x18000000 size 0x8000000 overlaps memory already there at 0x18000000"));
	/* Beyond the physical address limit. */
	assert_int_equal(add_memory(0, 1ULL << MAX_PHYSMEM_BITS, MiB(128), 0), -ERANGE);
	assert_true(host_log_contains("ends beyond MAX_PHYSMEM_BITS"));
	/* A node that cannot exist. */
	assert_int_equal(add_memory(MAX_NUMNODES, HOT_BASE, MiB(128), 0), -EINVAL);
	assert_true(host_log_contains("node 64 out of range"));
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	assert_int_equal(nr_hot_blocks(), 0);
	assert_int_equal(mm_machine_direct_maps, 0);

	/* Forced, then the same range again overlaps an earlier add. */
	assert_int_equal(add_memory(0, HOT_BASE, MiB(256), MHP_MEMMAP_ON_MEMORY), 0);
	host_log_clear();
	assert_int_equal(add_memory(0, HOT_BASE + MiB(128), MiB(128), MHP_NONE), -EEXIST);
	assert_true(host_log_contains("overlaps memory already there at 0x28000000"));
	/* Remove: at the granularity of the add, only when offline. */
	assert_int_equal(remove_memory(HOT_BASE, MiB(128)), -EINVAL);
	assert_true(host_log_contains("memory there was added as [0x20000000-0x30000000)"));
	assert_int_equal(remove_memory(HOT_BASE, MiB(256)), -EBUSY);
	assert_true(host_log_contains("memory block 4 is online; offline it first"));
	assert_int_equal(memory_block_offline(9), -ENOENT);
	assert_true(host_log_contains("offline memory block 9: no such block"));
	assert_int_equal(remove_memory(MiB(768), MiB(128)), -EINVAL);
	assert_true(host_log_contains("no hot-added memory there"));
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(256)), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	/* Block size: power of two multiples of 128 MiB, not while blocks exist. */
	assert_int_equal(set_memory_block_size(MiB(192)), -EINVAL);
	assert_int_equal(set_memory_block_size(MiB(64)), -EINVAL);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_NONE), 0);
	assert_int_equal(set_memory_block_size(MiB(256)), -EBUSY);
	assert_true(host_log_contains("cannot change from 128 MiB to 256 MiB while 5 blocks exist"));
}

/* ---- offlining with users ---- */

/* A movable page from the hot-added block (the movable zone only has it). */
static struct page *alloc_in_block(void)
{
	return mm_machine_alloc_movable_in(HOT_PFN, HOT_PFN + BLOCK_PAGES);
}

static void test_offline_busy_page(void **state)
{
	struct mm_counts online, c;
	struct page *page;
	char want[96];

	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	page = alloc_in_block();
	mm_machine_snap(&online);
	pagetypes_walk(&res);
	host_log_clear();
	assert_int_equal(memory_block_offline(4), -EBUSY);
	snprintf(want, sizeof(want), "offline memory block 4: pfn %#lx is busy (Allocated, unmovable)",
		 page_to_pfn(page));
	assert_true(host_log_contains(want));
	/* State unchanged: online, counts, nothing left isolated, walker clean. */
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_ONLINE);
	assert_false(page_range_isolated(HOT_PFN + VMEMMAP_PAGES, HOT_PFN + BLOCK_PAGES));
	assert_int_equal(get_pageblock_migratetype(HOT_PFN + BLOCK_PAGES - 1), MIGRATE_MOVABLE);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &online);
	mm_machine_assert_clean();
	/* The page is still usable; once freed the block goes. */
	memset(page_address(page), 1, PAGE_SIZE);
	__free_page(page);
	assert_int_equal(memory_block_offline(4), 0);
	mm_machine_assert_clean();
	assert_int_equal(remove_memory(HOT_BASE, MiB(128)), 0);
}

static void test_offline_range_all_or_nothing(void **state)
{
	struct page *page;

	assert_int_equal(add_memory(0, HOT_BASE, MiB(256), MHP_MEMMAP_ON_MEMORY), 0);
	/* A busy page in the second block: the first, offlined already, comes back. */
	page = pfn_to_page(HOT_PFN + BLOCK_PAGES + 4096);
	while (page_type(page) != PGTY_ALLOCATED) {
		struct page *p = alloc_pages(GFP_MOVABLE, 0);

		assert_non_null(p);
		if (p != page)
			continue;	/* leaked on purpose: the test machine is thrown away */
	}
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(256)), -EBUSY);
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_ONLINE);
	assert_int_equal(find_memory_block(5)->state, MEM_BLOCK_ONLINE);
	assert_int_equal(nr_hot_blocks(), 2);
	mm_machine_assert_clean();
}

static void test_pcp_pages_do_not_block(void **state)
{
	struct page *page;
	struct zone *movable;

	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	movable = zone0(ZONE_MOVABLE);
	/* CPU 3 allocates and frees: the pages park on its per-CPU list. */
	host_cpu_id = 3;
	page = alloc_in_block();
	__free_page(page);
	assert_true(movable->pcp[3].count > 0);
	host_cpu_id = 0;
	assert_int_equal(memory_block_offline(4), 0);
	assert_int_equal(movable->pcp[3].count, 0);
	mm_machine_assert_clean();

	/* Freed after isolation: straight to the zone, never to a pcp list. */
	assert_int_equal(memory_block_online(4, MMOP_ONLINE_MOVABLE), 0);
	page = alloc_in_block();
	start_isolate_page_range(movable, HOT_PFN + VMEMMAP_PAGES, HOT_PFN + BLOCK_PAGES);
	host_cpu_id = 2;
	__free_page(page);
	assert_int_equal(movable->pcp[2].count, 0);
	host_cpu_id = 0;
	undo_isolate_page_range(movable, HOT_PFN + VMEMMAP_PAGES, HOT_PFN + BLOCK_PAGES, MIGRATE_MOVABLE);
	mm_machine_assert_clean();
}

/* ---- the balloon driver ---- */

static void test_balloon_fake_offline(void **state)
{
	struct mm_counts c;
	unsigned long held;

	assert_int_equal(memtest_balloon_start(4), 0);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	/*
	 * 4 MiB pieces whose pfn / 1024 is a multiple of 4: the block starts at
	 * piece 128, so pieces 128 (only its upper half: the lower 2 MiB is the
	 * memmap), 132, ..., 156 are held.
	 */
	held = memtest_balloon_held();
	assert_int_equal(held, 512 + 7 * 1024);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_MOVABLE], BLOCK_PAGES - VMEMMAP_PAGES);
	assert_int_equal(c.managed[ZONE_MOVABLE], BLOCK_PAGES - VMEMMAP_PAGES - held);
	walk();
	assert_int_equal(res.count[0][ZONE_MOVABLE][PGTY_OFFLINE], held);
	/* The held pages (refcount 1) would block offlining; the driver lets them go. */
	assert_int_equal(memory_block_offline(4), 0);
	assert_int_equal(memtest_balloon_held(), 0);
	mm_machine_assert_clean();
	/* And back: held again. */
	assert_int_equal(memory_block_online(4, MMOP_ONLINE_MOVABLE), 0);
	assert_int_equal(memtest_balloon_held(), held);
	mm_machine_assert_clean();
	/* A busy page: the driver's refs come back on cancel. */
	{
		struct page *p = alloc_in_block();

		assert_int_equal(memory_block_offline(4), -EBUSY);
		assert_int_equal(pfn_to_page(HOT_PFN + 4 * 1024)->refcount, 1);
		assert_int_equal(memtest_balloon_held(), held);
		mm_machine_assert_clean();
		__free_page(p);
	}
	/* Deflate: every held page to the buddy. */
	assert_int_equal(memtest_balloon_deflate(), held);
	mm_machine_snap(&c);
	assert_int_equal(c.managed[ZONE_MOVABLE], BLOCK_PAGES - VMEMMAP_PAGES);
	mm_machine_assert_clean();
	memtest_balloon_stop();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(128)), 0);
}

/* ---- driver-managed memory (add_memory_driver_managed) ---- */

static void test_driver_managed(void **state)
{
	struct mhp_resource r[4];
	struct mm_counts boot, c;
	char name[MHP_RESOURCE_NAME_LEN];

	mm_machine_snap(&boot);
	/* The name must say "System RAM (DRIVER)"; nothing happens otherwise. */
	assert_int_equal(add_memory_driver_managed(0, HOT_BASE, MiB(128), "virtio_mem", MHP_MEMMAP_ON_MEMORY),
			 -EINVAL);
	assert_true(host_log_contains("resource name \"virtio_mem\" is not \"System RAM (DRIVER)\""));
	assert_int_equal(add_memory_driver_managed(0, HOT_BASE, MiB(128), "System RAM ()", 0), -EINVAL);
	assert_int_equal(add_memory_driver_managed(0, HOT_BASE, MiB(128), "System RAM (a\"b)", 0), -EINVAL);
	assert_int_equal(add_memory_driver_managed(0, HOT_BASE, MiB(128), NULL, 0), -EINVAL);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	assert_int_equal(nr_hot_blocks(), 0);

	assert_int_equal(add_memory(0, HOT_BASE + MiB(128), MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(add_memory_driver_managed(0, HOT_BASE, MiB(128), "System RAM (virtio_mem)",
						   MHP_MEMMAP_ON_MEMORY), 0);
	/* Onlined by the default policy, like any add. */
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_ONLINE);
	assert_int_equal(memory_hotplug_resources(r, 4), 2);
	assert_int_equal(r[0].start, HOT_BASE);
	assert_string_equal(r[0].name, "System RAM (virtio_mem)");
	assert_true(r[0].driver_managed);
	assert_int_equal(r[1].start, HOT_BASE + MiB(128));
	assert_string_equal(r[1].name, "System RAM");
	assert_false(r[1].driver_managed);
	assert_true(mhp_range_driver_managed(HOT_BASE + MiB(64), MiB(128), name, sizeof(name)));
	assert_string_equal(name, "System RAM (virtio_mem)");
	assert_false(mhp_range_driver_managed(HOT_BASE + MiB(128), MiB(128), NULL, 0));
	/* The memory_added report names the resource. */
	assert_true(host_log_contains("\"resource\":\"System RAM (virtio_mem)\""));
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(128)), 0);
	assert_int_equal(offline_and_remove_memory(HOT_BASE + MiB(128), MiB(128)), 0);
	assert_int_equal(memory_hotplug_resources(r, 4), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	mm_machine_assert_clean();
}

/* ---- notifier veto ---- */

static int veto_action = -1;
static int seen[MEM_CANCEL_OFFLINE + 1];

static int veto_fn(struct memory_notifier *nb, enum memory_notify_action action,
		   const struct memory_notify *arg)
{
	seen[action]++;
	assert_int_equal(arg->start_pfn % BLOCK_PAGES, VMEMMAP_PAGES);
	assert_int_equal(arg->nr_pages, BLOCK_PAGES - VMEMMAP_PAGES);
	return (int)action == veto_action ? -EPERM : 0;
}

static void test_notifier_veto(void **state)
{
	struct memory_notifier nb = { .fn = veto_fn };
	struct mm_counts boot, c;

	memset(seen, 0, sizeof(seen));
	register_memory_notifier(&nb);
	mm_machine_snap(&boot);
	veto_action = MEM_GOING_ONLINE;
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), -EPERM);
	assert_int_equal(seen[MEM_CANCEL_ONLINE], 1);
	assert_int_equal(nr_hot_blocks(), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	mm_machine_assert_clean();
	veto_action = MEM_GOING_OFFLINE;
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(seen[MEM_ONLINE], 1);
	assert_int_equal(memory_block_offline(4), -EPERM);
	assert_int_equal(seen[MEM_CANCEL_OFFLINE], 1);
	assert_int_equal(find_memory_block(4)->state, MEM_BLOCK_ONLINE);
	mm_machine_assert_clean();
	veto_action = -1;
	assert_int_equal(memory_block_offline(4), 0);
	assert_int_equal(seen[MEM_OFFLINE], 1);
	unregister_memory_notifier(&nb);
}

/* ---- fault injection ---- */

/* Node 1 has no memory yet: its pg_data_t and, without memmap on memory, each memmap are allocations. */
static void fault_inject_add(mhp_t flags, int nid, unsigned long min_allocs)
{
	struct mm_counts boot, c;
	bool had_node = node_has_pgdat(nid);
	unsigned long n;
	int ret;

	mm_machine_window.nid = nid;
	mm_machine_snap(&boot);
	for (n = 1;; n++) {
		fail_page_alloc_nth = n;
		ret = add_memory(nid, HOT_BASE, MiB(256), flags);
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
		/* As before: no blocks, no sections, no node, counts, walker. */
		assert_int_equal(nr_hot_blocks(), 0);
		assert_false(present_section_nr(4));
		assert_false(present_section_nr(5));
		assert_int_equal(mm_machine_direct_maps, 0);
		assert_int_equal(node_has_pgdat(nid), had_node);
		mm_machine_snap(&c);
		mm_machine_assert_same(&c, &boot);
		mm_machine_assert_clean();
	}
	assert_true(fail_page_alloc_nth > 0);	/* this time nothing was injected */
	fail_page_alloc_nth = 0;
	assert_int_equal(n - 1, min_allocs);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(256)), 0);
	mm_machine_assert_clean();
}

static void test_fault_injection_add(void **state)
{
	fault_inject_add(MHP_MEMMAP_ON_MEMORY, 1, 1);	/* the pg_data_t of node 1 */
	assert_true(node_has_pgdat(1));		/* kept after remove, as Linux keeps it */
	fault_inject_add(MHP_NONE, 1, 2);	/* two memmaps, from node 0's memory */
}

static void test_fault_injection_memmap_from_buddy(void **state)
{
	/* Two sections' memmaps from the buddy: allocation 1 and 2 can fail. */
	fault_inject_add(MHP_NONE, 0, 2);
	/* The direct map failing unwinds too. */
	mm_machine_direct_map_fail = 1;
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), -ENOMEM);
	assert_true(host_log_contains("direct map failed"));
	assert_int_equal(nr_hot_blocks(), 0);
	mm_machine_assert_clean();
}

/* ---- all or nothing: a veto at each block of a range ---- */

/*
 * A notifier that vetoes MEM_GOING_ONLINE of one chosen block, checks that
 * the struct pages it is shown are initialized already, tries to allocate
 * from any block it hears MEM_ONLINE for (a user racing with the rollback),
 * and tries to re-enter hotplug (which must be refused, not deadlock).
 */
static unsigned long veto_block = ~0UL;
static struct page *grabbed[8];
static unsigned int nr_grabbed;
static int reenter_ret;

static int range_fn(struct memory_notifier *nb, enum memory_notify_action action,
		    const struct memory_notify *arg)
{
	unsigned long id = arg->mem->id, pfn;
	struct page *page;

	if (action == MEM_GOING_ONLINE) {
		/* Linux's order: the memmap is initialized before anybody is told. */
		for (pfn = arg->start_pfn; pfn < arg->start_pfn + arg->nr_pages; pfn += 4093) {
			page = pfn_to_page(pfn);
			assert_int_equal(page->type, PGTY_OFFLINE);
			assert_int_equal(page->zone_idx, arg->zone);
			assert_int_equal(page_to_nid(page), arg->nid);
		}
		reenter_ret = memory_block_offline(id);
		return id == veto_block ? -EPERM : 0;
	}
	if (action == MEM_ONLINE && nr_grabbed < ARRAY_SIZE(grabbed)) {
		page = alloc_pages(GFP_MOVABLE | __GFP_NOWARN, 0);
		if (page)
			grabbed[nr_grabbed++] = page;
	}
	return 0;
}

static void release_grabbed(void)
{
	while (nr_grabbed)
		__free_page(grabbed[--nr_grabbed]);
}

static void test_online_range_all_or_nothing(void **state)
{
	struct memory_notifier nb = { .fn = range_fn };
	struct mm_counts added, c;
	unsigned long k, id;

	assert_int_equal(add_memory(0, HOT_BASE, MiB(512), MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE), 0);
	/* Block 5 is online before the range is: whatever happens, it stays online. */
	assert_int_equal(memory_block_online(5, MMOP_ONLINE_MOVABLE), 0);
	mm_machine_snap(&added);
	register_memory_notifier(&nb);
	for (k = 4; k < 8; k++) {
		if (k == 5)
			continue;
		veto_block = k;
		reenter_ret = 0;
		host_log_clear();
		assert_int_equal(online_memory_range(HOT_BASE, MiB(512), MMOP_ONLINE_MOVABLE), -EPERM);
		assert_int_equal(reenter_ret, -EDEADLK);
		assert_true(host_log_contains("asked for the hotplug lock it holds"));
		assert_int_equal(nr_grabbed, 0);	/* nothing was online for anybody to take */
		for (id = 4; id < 8; id++)
			assert_int_equal(find_memory_block(id)->state,
					 id == 5 ? MEM_BLOCK_ONLINE : MEM_BLOCK_OFFLINE);
		mm_machine_snap(&c);
		mm_machine_assert_same(&c, &added);
		mm_machine_assert_clean();
	}
	veto_block = ~0UL;
	assert_int_equal(online_memory_range(HOT_BASE, MiB(512), MMOP_ONLINE_MOVABLE), 0);
	release_grabbed();
	unregister_memory_notifier(&nb);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(512)), 0);
	mm_machine_assert_clean();
}

/* add_memory with the default policy: a veto at any block leaves nothing added, nothing in use. */
static void test_add_online_veto_at_each_block(void **state)
{
	struct memory_notifier nb = { .fn = range_fn };
	struct mm_counts boot, c;
	unsigned long k;

	mm_machine_snap(&boot);
	register_memory_notifier(&nb);
	for (k = 4; k < 8; k++) {
		veto_block = k;
		assert_int_equal(add_memory(0, HOT_BASE, MiB(512), MHP_MEMMAP_ON_MEMORY), -EPERM);
		/* Blocks before the veto were never handed out, so nobody holds a page of memory now gone. */
		assert_int_equal(nr_grabbed, 0);
		assert_int_equal(nr_hot_blocks(), 0);
		assert_false(present_section_nr(4));
		assert_int_equal(mm_machine_direct_maps, 0);
		mm_machine_snap(&c);
		mm_machine_assert_same(&c, &boot);
		mm_machine_assert_clean();
	}
	veto_block = ~0UL;
	assert_int_equal(add_memory(0, HOT_BASE, MiB(512), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(nr_grabbed, 4);	/* one per block, each after its MEM_ONLINE */
	release_grabbed();
	unregister_memory_notifier(&nb);
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(512)), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	mm_machine_assert_clean();
}

/* Offline a range with a veto at each block: every block back in its state and zone. */
static unsigned long veto_offline_block = ~0UL;

static int offline_veto_fn(struct memory_notifier *nb, enum memory_notify_action action,
			   const struct memory_notify *arg)
{
	return action == MEM_GOING_OFFLINE && arg->mem->id == veto_offline_block ? -EPERM : 0;
}

static void test_offline_range_veto_at_each_block(void **state)
{
	struct memory_notifier nb = { .fn = offline_veto_fn };
	static const enum memory_block_state want_state[4] = {
		MEM_BLOCK_ONLINE, MEM_BLOCK_ONLINE, MEM_BLOCK_OFFLINE, MEM_BLOCK_ONLINE,
	};
	static const enum zone_type want_zone[4] = { ZONE_MOVABLE, ZONE_NORMAL, ZONE_MOVABLE, ZONE_MOVABLE };
	struct mm_counts before, c;
	unsigned long k, id;

	assert_int_equal(add_memory(0, HOT_BASE, MiB(512), MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE), 0);
	assert_int_equal(memory_block_online(4, MMOP_ONLINE_MOVABLE), 0);
	assert_int_equal(memory_block_online(5, MMOP_ONLINE_KERNEL), 0);
	assert_int_equal(memory_block_online(7, MMOP_ONLINE_MOVABLE), 0);
	mm_machine_snap(&before);
	register_memory_notifier(&nb);
	for (k = 4; k < 8; k++) {
		if (k == 6)
			continue;	/* offline already: never asked */
		veto_offline_block = k;
		assert_int_equal(offline_memory_range(HOT_BASE, MiB(512)), -EPERM);
		for (id = 4; id < 8; id++) {
			struct memory_block *mem = find_memory_block(id);

			assert_int_equal(mem->state, want_state[id - 4]);
			if (mem->state == MEM_BLOCK_ONLINE)
				assert_int_equal(mem->zone, want_zone[id - 4]);
		}
		mm_machine_snap(&c);
		mm_machine_assert_same(&c, &before);
		mm_machine_assert_clean();
	}
	veto_offline_block = ~0UL;
	unregister_memory_notifier(&nb);
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(512)), 0);
	mm_machine_assert_clean();
}

/* ---- the SRAT window says where memory may appear, not its node ---- */

static void test_window_of_another_node(void **state)
{
	struct mm_counts boot, c;

	/* QEMU's layout: one window, on the last node; the DIMM is on node 0. */
	mm_machine_window.nid = 1;
	mm_machine_snap(&boot);
	assert_int_equal(add_memory(0, HOT_BASE, MiB(256), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(find_memory_block(4)->nid, 0);
	assert_int_equal(zone0(ZONE_MOVABLE)->present_pages, 2 * (BLOCK_PAGES - VMEMMAP_PAGES));
	assert_false(node_has_pgdat(1) && NODE_DATA(1)->node_zones[ZONE_MOVABLE].present_pages);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(256)), 0);
	/* A range outside every window: the caller vouches for it (the shell asks for `force`). */
	mm_machine_nr_windows = 0;
	assert_int_equal(add_memory(0, HOT_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(offline_and_remove_memory(HOT_BASE, MiB(128)), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	mm_machine_assert_clean();
}

/* ---- withheld boot RAM and 1 GiB blocks ---- */

static void test_withhold_1g_blocks(void **state)
{
	const struct mm_range ram[] = {
		{ 0, 0x9f000, 0 },
		{ MiB(1), MiB(511), 0 },
		{ MiB(1024), MiB(1024), 0 },
	};
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };
	uint64_t start[4], size[4];
	int nid[4];
	struct memory_block *mem;
	struct mm_counts c;

	mm_machine_setup(ram, 3, rsv, 2);
	memory_hotplug_reset();
	assert_int_equal(set_memory_block_size(SZ_1G), 0);
	/* Asks for 1.5 GiB: only one whole 1 GiB block is free of reservations and inside RAM. */
	assert_int_equal(memhp_withhold_boot_ram(MiB(1536)), SZ_1G);
	assert_true(host_log_contains("only 1024 of 1536 MiB"));
	assert_int_equal(memhp_withheld_ranges(start, size, nid, 4), 1);
	assert_int_equal(start[0], SZ_1G);
	assert_int_equal(size[0], SZ_1G);
	assert_false(memblock_is_region_memory(SZ_1G, PAGE_SIZE));
	sparse_init();
	mm_core_init_size(MiB(256));
	assert_false(present_section_nr(8));
	mm_machine_assert_clean();
	mm_machine_nr_windows = 0;		/* withheld RAM is forced in: no SRAT window needed */
	assert_int_equal(memhp_add_withheld(MHP_MEMMAP_ON_MEMORY), 0);
	assert_int_equal(nr_hot_blocks(), 1);
	mem = find_memory_block(1);
	assert_non_null(mem);
	assert_int_equal(mem->nr_pages, 8 * BLOCK_PAGES);
	assert_int_equal(mem->nr_vmemmap_pages, 8 * VMEMMAP_PAGES);	/* 16 MiB */
	assert_int_equal(mem->state, MEM_BLOCK_ONLINE);
	assert_int_equal(mem->zone, ZONE_MOVABLE);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_MOVABLE], 8 * (BLOCK_PAGES - VMEMMAP_PAGES));
	assert_int_equal(c.managed[ZONE_MOVABLE], 8 * (BLOCK_PAGES - VMEMMAP_PAGES));
	walk();
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_VMEMMAP_SELF_HOSTED], 8 * VMEMMAP_PAGES);
	assert_int_equal(memory_block_offline(1), 0);
	mm_machine_assert_clean();
	assert_int_equal(memory_block_online(1, MMOP_ONLINE_KERNEL), 0);
	mm_machine_assert_clean();
	assert_int_equal(offline_and_remove_memory(SZ_1G, SZ_1G), 0);
	mm_machine_assert_clean();
	mm_machine_snap(&c);
	assert_int_equal(c.spanned[ZONE_MOVABLE], 0);
}

/* ---- boot RAM's blocks ---- */

/*
 * Boot RAM with holes: [0, 640K) [1M, 300M) [384M, 512M). Blocks 0..3 are
 * boot blocks, online in ZONE_NORMAL; block 2 ends in a hole, block 0 is
 * the early region (boot_mem=128M), block 3 holds the memmaps (memblock
 * allocates top-down): each refuses to go offline, naming a pfn and its
 * type. Block 1 goes offline, online, offline and away - its memmap
 * (Reserved pages in block 3) back to the buddy - and is added again.
 */
static void test_boot_blocks_holes_offline_remove(void **state)
{
	const struct mm_range ram[] = {
		{ 0, 0x9f000, 0 }, { MiB(1), MiB(299), 0 }, { MiB(384), MiB(128), 0 },
	};
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };
	unsigned long id, memmap_pfn;
	struct memory_block *mem;
	struct mm_counts boot, c;

	memory_hotplug_reset();
	mm_machine_boot(ram, 3, rsv, 2, MiB(128));
	mm_machine_assert_clean();
	assert_int_equal(nr_memory_blocks(), 4);
	assert_int_equal(nr_hot_blocks(), 0);
	for (id = 0; id < 4; id++) {
		mem = find_memory_block(id);
		assert_non_null(mem);
		assert_true(mem->boot);
		assert_int_equal(mem->state, MEM_BLOCK_ONLINE);
		assert_int_equal(mem->zone, ZONE_NORMAL);
		assert_int_equal(mem->nid, 0);
		assert_int_equal(mem->nr_vmemmap_pages, 0);
	}
	assert_false(memory_block_removable(find_memory_block(0)));
	assert_true(memory_block_removable(find_memory_block(1)));
	assert_false(memory_block_removable(find_memory_block(2)));
	assert_false(memory_block_removable(find_memory_block(3)));
	mm_machine_snap(&boot);

	host_log_clear();
	assert_int_equal(memory_block_offline(0), -EBUSY);
	assert_true(host_log_contains("offline memory block 0: pfn 0 (Reserved) lies in the early region"));
	assert_int_equal(memory_block_offline(2), -EINVAL);
	assert_true(host_log_contains("offline memory block 2: pfn 0x12c00 (NoMemory) has no RAM of node 0"));
	assert_int_equal(memory_block_offline(3), -EBUSY);
	assert_true(host_log_contains("offline memory block 3: pfn"));
	assert_true(host_log_contains("is busy (Reserved); block stays online"));
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	mm_machine_assert_clean();

	/* Online boot RAM must not be removed, and boot RAM is not an add_memory() range. */
	assert_int_equal(remove_memory(MiB(128), MiB(128)), -EBUSY);
	assert_true(host_log_contains("memory block 1 (boot RAM) is online; offline it first"));

	assert_int_equal(memory_block_offline(1), 0);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_NORMAL], boot.present[ZONE_NORMAL] - BLOCK_PAGES);
	assert_int_equal(c.managed[ZONE_NORMAL], boot.managed[ZONE_NORMAL] - BLOCK_PAGES);
	assert_true(memory_block_removable(find_memory_block(1)));
	walk();
	assert_int_equal(memory_block_online(1, MMOP_ONLINE_KERNEL), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	walk();

	/* Away: the section's memmap (2 MiB of Reserved pages in block 3) joins the buddy. */
	memmap_pfn = PFN_DOWN(__nr_to_section(1)->memmap_phys);
	assert_true(memmap_pfn >= PFN_DOWN(MiB(384)));
	assert_int_equal(page_type(pfn_to_page(memmap_pfn)), PGTY_RESERVED);
	assert_int_equal(offline_and_remove_memory(MiB(128), MiB(128)), 0);
	assert_null(find_memory_block(1));
	assert_false(present_section_nr(1));
	assert_false(memblock_is_region_memory(MiB(128), PAGE_SIZE));
	assert_true(page_type(pfn_to_page(memmap_pfn)) == PGTY_BUDDY ||
		    page_type(pfn_to_page(memmap_pfn)) == PGTY_TAIL);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_NORMAL], boot.present[ZONE_NORMAL] - BLOCK_PAGES);
	assert_int_equal(c.managed[ZONE_NORMAL], boot.managed[ZONE_NORMAL] - BLOCK_PAGES + VMEMMAP_PAGES);
	walk();
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_RESERVED] + VMEMMAP_PAGES,
			 boot.present[ZONE_NORMAL] - boot.managed[ZONE_NORMAL]);

	/* The range is free again: it can be hot-added (and goes as hot-added memory). */
	assert_int_equal(add_memory(0, MiB(128), MiB(128), MHP_MEMMAP_ON_MEMORY), 0);
	mem = find_memory_block(1);
	assert_non_null(mem);
	assert_false(mem->boot);
	assert_int_equal(mem->zone, ZONE_MOVABLE);
	walk();
	assert_int_equal(offline_and_remove_memory(MiB(128), MiB(128)), 0);
	walk();
}

/*
 * movablecore=256M: boot blocks 2 and 3 are ZONE_MOVABLE. Block 2 goes
 * offline and online (movable again), counts exact; block 3 holds the
 * boot memmaps (Reserved in ZONE_MOVABLE, as Linux allows) and stays.
 */
static void test_boot_blocks_movablecore(void **state)
{
	const struct mm_range ram[] = { { 0, 0x9f000, 0 }, { MiB(1), MiB(511), 0 } };
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };
	struct mm_counts boot, c;
	struct page *page;

	memory_hotplug_reset();
	mm_machine_setup(ram, 2, rsv, 2);
	assert_int_equal(set_movablecore(MiB(256), false), 0);
	sparse_init();
	mm_core_init_size(MiB(128));
	memory_blocks_init_boot();
	mm_machine_assert_clean();
	assert_int_equal(find_memory_block(1)->zone, ZONE_NORMAL);
	assert_int_equal(find_memory_block(2)->zone, ZONE_MOVABLE);
	assert_int_equal(find_memory_block(3)->zone, ZONE_MOVABLE);
	mm_machine_snap(&boot);
	assert_int_equal(boot.present[ZONE_MOVABLE], 2 * BLOCK_PAGES);
	/* A movable page in the block migrates out of it. */
	page = mm_machine_alloc_movable_in(PFN_DOWN(MiB(256)), PFN_DOWN(MiB(512)));
	assert_non_null(page);
	__free_pages(page, 0);
	assert_int_equal(memory_block_offline(2), 0);
	mm_machine_snap(&c);
	assert_int_equal(c.present[ZONE_MOVABLE], BLOCK_PAGES);
	assert_int_equal(c.present[ZONE_NORMAL], boot.present[ZONE_NORMAL]);
	walk();
	host_log_clear();
	assert_int_equal(memory_block_offline(3), -EBUSY);
	assert_true(host_log_contains("is busy (Reserved); block stays online"));
	assert_int_equal(memory_block_online(2, MMOP_ONLINE_MOVABLE), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	walk();
}

/*
 * 256 MiB blocks over RAM that fills only the first section of block 2:
 * the block exists (one present section is enough, as in Linux), and
 * offlining it is refused at the section without a memmap, without
 * reading a struct page that is not there.
 */
static void test_boot_block_with_missing_section(void **state)
{
	const struct mm_range ram[] = {
		{ 0, 0x9f000, 0 }, { MiB(1), MiB(255), 0 }, { MiB(512), MiB(128), 0 },
	};
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };
	struct memory_block *mem;

	memory_hotplug_reset();
	assert_int_equal(set_memory_block_size(MiB(256)), 0);
	mm_machine_boot(ram, 3, rsv, 2, MiB(128));
	assert_int_equal(nr_memory_blocks(), 2);
	mem = find_memory_block(2);
	assert_non_null(mem);
	assert_true(mem->boot && mem->state == MEM_BLOCK_ONLINE);
	assert_false(present_section_nr(5));
	assert_false(memory_block_removable(mem));
	host_log_clear();
	assert_int_equal(memory_block_offline(2), -EINVAL);
	assert_true(host_log_contains("offline memory block 2: pfn 0x28000 (no memmap) has no RAM of node 0"));
	mm_machine_assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_boot_blocks_holes_offline_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_blocks_movablecore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_block_with_missing_section, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cycle_memmap_on_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cycle_memmap_from_online_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_policy_and_memmap_param, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_busy_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_range_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcp_pages_do_not_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_balloon_fake_offline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_driver_managed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notifier_veto, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_injection_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_injection_memmap_from_buddy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_online_range_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_online_veto_at_each_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_of_another_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_range_veto_at_each_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withhold_1g_blocks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
