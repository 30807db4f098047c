/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_memremap.c - host tests of device memory (mm/memremap.c)
 *
 * mm_machine's simulated PC (512 MiB of boot RAM) with a 256 MiB "device"
 * at 768 MiB: mapped with its memmap on the device and from RAM, refused
 * where it overlaps memory or is misaligned (each refusal leaving every
 * count as it was), unmapped only when idle, and turned into hot-added RAM
 * and back (the dax/kmem sequence). The walker must be clean after every
 * step, and a full cycle must give back exactly the boot counts.
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
#include "mm/memremap.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "arch/x86_64/numa.h"
#include "kernel/mt_job.h"

#define DEV_BASE	MiB(768)
#define DEV_SIZE	MiB(256)
#define DEV_PFN		(DEV_BASE >> 12)
#define DEV_PAGES	(DEV_SIZE >> 12)		/* 65536 */
#define DEV_VMEMMAP	(2 * 512UL)			/* 2 MiB of memmap per 128 MiB section */

/* ---- helpers (the stubs are mm_machine.c's; setup() takes away the SRAT window) ---- */

static struct pagetypes_result res;
static struct dev_pagemap pgmap;

static struct zone *zone0(enum zone_type z)
{
	return &NODE_DATA(0)->node_zones[z];
}

static void walk(void)
{
	mm_machine_assert_clean();
	assert_int_equal(pagetypes_walk(&res), 0);
}

static void init_pgmap(uint64_t base, uint64_t size, unsigned int flags)
{
	memset(&pgmap, 0, sizeof(pgmap));
	pgmap.range.start = base;
	pgmap.range.end = base + size - 1;
	pgmap.type = MEMORY_DEVICE_GENERIC;
	pgmap.flags = flags;
	pgmap.owner = "test0";
}

static int setup(void **state)
{
	memory_hotplug_reset();
	memremap_reset();
	mm_machine_boot_pc(MiB(512), MiB(256));
	mm_machine_nr_windows = 0;	/* device memory needs no SRAT window */
	mm_machine_assert_clean();
	return 0;
}

static int teardown(void **state)
{
	mm_machine_teardown();
	return 0;
}

/* ---- tests ---- */

static void test_memmap_on_device(void **state)
{
	struct mm_counts boot, c;
	int err = 0;
	void *v;

	mm_machine_snap(&boot);
	init_pgmap(DEV_BASE, DEV_SIZE, PGMAP_ALTMAP_VALID);
	v = memremap_pages(&pgmap, 0, &err);
	assert_non_null(v);
	assert_int_equal(err, 0);
	assert_ptr_equal(v, __va(DEV_BASE));
	assert_int_equal(mm_machine_direct_maps, 1);
	assert_int_equal(pgmap.nr_vmemmap, DEV_VMEMMAP);
	/* Both sections' memmaps at the start of the device, one after the other. */
	assert_int_equal(__nr_to_section(6)->memmap_phys, DEV_BASE);
	assert_int_equal(__nr_to_section(7)->memmap_phys, DEV_BASE + MiB(2));
	assert_true(__nr_to_section(6)->flags & SECTION_MEMMAP_ALTMAP);
	assert_int_equal(pfn_to_page(DEV_PFN)->type, PGTY_VMEMMAP_SELF_HOSTED);
	assert_int_equal(pfn_to_page(DEV_PFN)->zone_idx, ZONE_DEVICE);
	assert_int_equal(pfn_to_page(DEV_PFN + DEV_VMEMMAP)->type, PGTY_DEVICE);
	assert_int_equal(pfn_to_page(DEV_PFN + DEV_PAGES - 1)->type, PGTY_DEVICE);
	assert_int_equal(page_ref_count(pfn_to_page(DEV_PFN + DEV_VMEMMAP)), 1);
	assert_ptr_equal(page_pgmap(pfn_to_page(DEV_PFN + 12345)), &pgmap);
	assert_null(page_pgmap(pfn_to_page(DEV_PFN)));
	/* Not RAM: no zone's present or managed count moved, no free page was used. */
	mm_machine_snap(&c);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		assert_int_equal(c.present[z], boot.present[z]);
		assert_int_equal(c.managed[z], boot.managed[z]);
	}
	assert_int_equal(c.total_free, boot.total_free);
	assert_int_equal(c.spanned[ZONE_DEVICE], DEV_PAGES);
	assert_int_equal(zone0(ZONE_DEVICE)->zone_start_pfn, DEV_PFN);
	assert_int_equal(memremap_pages_on_node(0), DEV_PAGES);
	assert_ptr_equal(memremap_first(), &pgmap);
	walk();
	assert_int_equal(res.count[0][ZONE_DEVICE][PGTY_DEVICE], DEV_PAGES - DEV_VMEMMAP);
	assert_int_equal(res.count[0][ZONE_DEVICE][PGTY_VMEMMAP_SELF_HOSTED], DEV_VMEMMAP);
	/* Hotplug cannot take the range while the device has it. */
	assert_int_equal(add_memory(0, DEV_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY), -EEXIST);

	assert_int_equal(memunmap_pages(&pgmap), 0);
	assert_int_equal(mm_machine_direct_maps, 0);
	assert_false(present_section_nr(6));
	assert_false(present_section_nr(7));
	assert_null(memremap_first());
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	walk();
}

static void test_memmap_in_ram(void **state)
{
	struct mm_counts boot, c;
	int err;

	mm_machine_snap(&boot);
	init_pgmap(DEV_BASE, DEV_SIZE, 0);
	assert_non_null(memremap_pages(&pgmap, 0, &err));
	assert_int_equal(pgmap.nr_vmemmap, 0);
	assert_int_equal(pfn_to_page(DEV_PFN)->type, PGTY_DEVICE);
	mm_machine_snap(&c);
	assert_int_equal(c.total_free, boot.total_free - DEV_VMEMMAP);	/* two 2 MiB memmaps from the buddy */
	assert_int_equal(c.totalram, boot.totalram);
	walk();
	assert_int_equal(res.count[0][ZONE_DEVICE][PGTY_DEVICE], DEV_PAGES);
	assert_int_equal(memunmap_pages(&pgmap), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	walk();
}

static void test_refusals_leave_nothing(void **state)
{
	static const struct {
		uint64_t base, size;
		int type, want;
		const char *msg;
	} cases[] = {
		{ DEV_BASE + MiB(2), MiB(128), MEMORY_DEVICE_GENERIC, -EINVAL, "must be multiples of the section size" },
		{ DEV_BASE, MiB(100), MEMORY_DEVICE_GENERIC, -EINVAL, "must be multiples of the section size" },
		{ MiB(256), MiB(128), MEMORY_DEVICE_GENERIC, -EEXIST, "overlaps memory already there at 0x10000000" },
		{ DEV_BASE, MiB(128), 7, -EINVAL, "unknown memory type 7" },
	};
	struct mm_counts boot, c;
	int err;

	mm_machine_snap(&boot);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		host_log_clear();
		init_pgmap(cases[i].base, cases[i].size, PGMAP_ALTMAP_VALID);
		pgmap.type = cases[i].type;
		err = 0;
		assert_null(memremap_pages(&pgmap, 0, &err));
		assert_int_equal(err, cases[i].want);
		assert_true(host_log_contains(cases[i].msg));
		mm_machine_snap(&c);
		mm_machine_assert_same(&c, &boot);
	}
	/* The direct map fails: nothing stays (no section, no mapping, counts as at boot). */
	init_pgmap(DEV_BASE, DEV_SIZE, PGMAP_ALTMAP_VALID);
	mm_machine_direct_map_fail = 1;
	assert_null(memremap_pages(&pgmap, 0, &err));
	assert_int_equal(err, -ENOMEM);
	assert_false(present_section_nr(6));
	assert_int_equal(mm_machine_direct_maps, 0);
	/* Hot-added memory in the way, and a second map of a mapped range. */
	assert_int_equal(add_memory(0, DEV_BASE, MiB(128), MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE), 0);
	host_log_clear();
	assert_null(memremap_pages(&pgmap, 0, &err));
	assert_int_equal(err, -EEXIST);
	assert_true(host_log_contains("overlaps memory already there at 0x30000000"));
	assert_int_equal(remove_memory(DEV_BASE, MiB(128)), 0);
	assert_non_null(memremap_pages(&pgmap, 0, &err));
	{
		static struct dev_pagemap again;

		again = pgmap;
		assert_null(memremap_pages(&again, 0, &err));
		assert_int_equal(err, -EEXIST);
	}
	assert_int_equal(memunmap_pages(&pgmap), 0);
	assert_int_equal(memunmap_pages(&pgmap), -EINVAL);	/* not mapped any more */
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
	walk();
}

static void test_unmap_busy_page(void **state)
{
	struct mm_counts boot, mapped, c;
	struct page *page;
	int err;

	mm_machine_snap(&boot);
	init_pgmap(DEV_BASE, DEV_SIZE, PGMAP_ALTMAP_VALID);
	assert_non_null(memremap_pages(&pgmap, 0, &err));
	mm_machine_snap(&mapped);
	page = pfn_to_page(DEV_PFN + DEV_PAGES / 2);
	page_ref_inc(page);	/* the driver lent it out */
	host_log_clear();
	assert_int_equal(memunmap_pages(&pgmap), -EBUSY);
	assert_true(host_log_contains("memunmap_pages test0: pfn 0x38000 is in use (Device, refcount 2)"));
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &mapped);
	assert_true(present_section_nr(7));
	walk();
	page_ref_dec_and_test(page);
	assert_int_equal(memunmap_pages(&pgmap), 0);
	mm_machine_snap(&c);
	mm_machine_assert_same(&c, &boot);
}

/* dax/kmem: device memory -> hot-added System RAM (movable) -> device memory again. */
static void test_kmem_round_trip(void **state)
{
	struct mm_counts boot, c, boot_ram;
	struct page *p;
	int err;

	mm_machine_snap(&boot);
	init_pgmap(DEV_BASE, DEV_SIZE, PGMAP_ALTMAP_VALID);
	assert_non_null(memremap_pages(&pgmap, 0, &err));
	assert_int_equal(memunmap_pages(&pgmap), 0);
	assert_int_equal(add_memory(0, DEV_BASE, DEV_SIZE, MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE), 0);
	assert_int_equal(online_memory_range(DEV_BASE, DEV_SIZE, MMOP_ONLINE_MOVABLE), 0);
	mm_machine_snap(&c);
	assert_int_equal(c.managed[ZONE_MOVABLE], DEV_PAGES - DEV_VMEMMAP);
	assert_int_equal(c.spanned[ZONE_DEVICE], 0);
	walk();
	/* A page in use that nothing can move keeps it System RAM, every block online... */
	p = mm_machine_alloc_movable_in(DEV_PFN, DEV_PFN + DEV_PAGES);
	assert_int_equal(offline_and_remove_memory(DEV_BASE, DEV_SIZE), -EBUSY);
	mm_machine_snap(&boot_ram);
	assert_int_equal(boot_ram.managed[ZONE_MOVABLE], DEV_PAGES - DEV_VMEMMAP);
	walk();
	/* ... until it is freed. */
	__free_pages(p, 0);
	assert_int_equal(offline_and_remove_memory(DEV_BASE, DEV_SIZE), 0);
	assert_non_null(memremap_pages(&pgmap, 0, &err));
	walk();
	assert_int_equal(res.count[0][ZONE_DEVICE][PGTY_DEVICE], DEV_PAGES - DEV_VMEMMAP);
	assert_int_equal(memunmap_pages(&pgmap), 0);
	mm_machine_snap(&c);
	assert_int_equal(c.managed[ZONE_NORMAL], boot.managed[ZONE_NORMAL]);
	assert_int_equal(c.spanned[ZONE_DEVICE], 0);
	walk();
}

/* A node that had no memory at boot gets its pg_data_t from the device. */
static void test_new_node(void **state)
{
	int err;

	assert_false(node_has_pgdat(1));
	init_pgmap(DEV_BASE, DEV_SIZE, PGMAP_ALTMAP_VALID);
	assert_non_null(memremap_pages(&pgmap, 1, &err));
	assert_true(node_has_pgdat(1));
	assert_int_equal(NODE_DATA(1)->node_zones[ZONE_DEVICE].spanned_pages, DEV_PAGES);
	assert_int_equal(NODE_DATA(1)->node_present_pages, 0);
	assert_int_equal(pfn_to_page(DEV_PFN + DEV_VMEMMAP)->nid, 1);
	assert_int_equal(memremap_pages_on_node(1), DEV_PAGES);
	assert_int_equal(memremap_pages_on_node(0), 0);
	walk();
	assert_int_equal(res.count[1][ZONE_DEVICE][PGTY_DEVICE], DEV_PAGES - DEV_VMEMMAP);
	assert_int_equal(memunmap_pages(&pgmap), 0);
	walk();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_memmap_on_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memmap_in_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_leave_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_busy_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kmem_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_node, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
