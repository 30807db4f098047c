// SPDX-License-Identifier: MIT
/*
 * DOC: test_mm_init.c - host tests of sparse sections, memmap init and the memblock hand-off
 *
 * The real mm/ sources on a simulated machine (mm_machine.c). Expected
 * counts are computed here from the ranges each test passes in, page by
 * page, independently of mm_init.c's range walking. Also zone spans, and
 * deferred init (mm/deferred_init.c on the real job runner) driven by
 * this one thread: the job is held, so allocations take it over.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "tests/host/host_stubs.h"
#include "tests/host/mm_machine.h"
#include "mm/memblock.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "mm/zone_movable.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "kernel/mt_job.h"

static struct pagetypes_result res;

/*
 * What deferred init (mm/deferred_init.c) asks of the rest of the kernel:
 * default options, but helpers held back until the first takeover
 * (deferred_init_hold), and two CPUs, so the job is cut for two and runs
 * only when this thread asks it to.
 */
const char *cmdline_get(const char *key) { return NULL; }
bool cmdline_flag(const char *key) { return !strcmp(key, "deferred_init_hold"); }
uint64_t node_online_cpumask(int nid) { return 0x3; }
unsigned int arch_mt_job_nr_cpus(uint64_t mask) { return 2; }
void arch_mt_job_kick(uint64_t mask) { }

static int teardown(void **state)
{
	mm_machine_teardown();
	return 0;
}

/* Pages whose whole 4 KiB is RAM in one of the ranges. */
static unsigned long ranges_present(const struct mm_range *mem, int n, int nid)
{
	unsigned long pages = 0;
	int i;

	for (i = 0; i < n; i++)
		if (nid < 0 || mem[i].nid == nid)
			pages += PFN_DOWN(mem[i].base + mem[i].size) - PFN_UP(mem[i].base);
	return pages;
}

/* Present pages of nid that touch memblock.reserved (as it is after boot). */
static unsigned long reserved_present(const struct mm_range *mem, int n, int nid)
{
	unsigned long pages = 0, pfn;
	int i;
	unsigned long r;

	for (i = 0; i < n; i++) {
		if (nid >= 0 && mem[i].nid != nid)
			continue;
		for (pfn = PFN_UP(mem[i].base); pfn < PFN_DOWN(mem[i].base + mem[i].size); pfn++) {
			for (r = 0; r < memblock.reserved.cnt; r++) {
				const struct memblock_region *q = &memblock.reserved.regions[r];

				if (q->base < PFN_PHYS(pfn + 1) && q->base + q->size > PFN_PHYS(pfn)) {
					pages++;
					break;
				}
			}
		}
	}
	return pages;
}

static void assert_node_counts(const struct mm_range *mem, int n, int nid)
{
	struct zone *zone = &NODE_DATA(nid)->node_zones[ZONE_NORMAL];
	unsigned long present = ranges_present(mem, n, nid);
	unsigned long reserved = reserved_present(mem, n, nid);

	assert_int_equal(zone->present_pages, present);
	assert_int_equal(NODE_DATA(nid)->node_present_pages, present);
	assert_int_equal(zone_managed_pages(zone), present - reserved);
	assert_int_equal(NODE_DATA(nid)->node_zones[ZONE_MOVABLE].present_pages, 0);
	assert_int_equal(NODE_DATA(nid)->node_zones[ZONE_MOVABLE].spanned_pages, 0);
	/* Nothing allocated yet: everything managed is free. */
	assert_int_equal(zone->free_pages + zone_pcp_count(zone), present - reserved);
}

/* ---- the 512 MiB PC ---- */

static void test_pc_512m_counts(void **state)
{
	const struct mm_range mem[] = {
		{ 0, 0x9f000, 0 },
		{ MiB(1), MiB(511) - KiB(128), 0 },
	};
	struct zone *zone;

	mm_machine_boot_pc(MiB(512), MiB(256));
	zone = &NODE_DATA(0)->node_zones[ZONE_NORMAL];

	/* 159 pages below 640K, then 1 MiB .. 512 MiB - 128 KiB. */
	assert_int_equal(zone->present_pages, 159 + (0x1ffe0 - 0x100));
	assert_int_equal(zone->present_pages, 130943);
	assert_int_equal(zone->zone_start_pfn, 0);
	assert_int_equal(zone_end_pfn(zone), 0x1ffe0);
	assert_node_counts(mem, 2, 0);
	/* BIOS area, kernel, 4 sections' memmaps at least. */
	assert_true(zone->present_pages - zone_managed_pages(zone) >= 159 + 512 + 4 * 512);
	assert_int_equal(totalram_pages(), zone_managed_pages(zone));

	mm_machine_assert_clean();
	pagetypes_walk(&res);
	assert_int_equal(res.sections_walked, 4);
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_NOMEMORY], (0x100 - 0x9f) + (0x20000 - 0x1ffe0));
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_RESERVED],
			 zone->present_pages - zone_managed_pages(zone));
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_BUDDY], zone_managed_pages(zone));
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_OFFLINE], 0);
}

static void test_pc_page_types(void **state)
{
	unsigned long pfn;

	mm_machine_boot_pc(MiB(512), MiB(256));
	assert_int_equal(page_type(pfn_to_page(0)), PGTY_RESERVED);
	assert_int_equal(page_type(pfn_to_page(0x9e)), PGTY_RESERVED);
	for (pfn = 0x9f; pfn < 0x100; pfn++)
		assert_int_equal(page_type(pfn_to_page(pfn)), PGTY_NOMEMORY);
	for (pfn = 0x100; pfn < 0x300; pfn++)
		assert_int_equal(page_type(pfn_to_page(pfn)), PGTY_RESERVED);
	/* 0x300: first free page, head of an order-8 block (0x300 is 256-aligned). */
	assert_true(page_type(pfn_to_page(0x300)) == PGTY_BUDDY || page_type(pfn_to_page(0x300)) == PGTY_TAIL);
	for (pfn = 0x1ffe0; pfn < 0x20000; pfn++)
		assert_int_equal(page_type(pfn_to_page(pfn)), PGTY_NOMEMORY);
	/* Every section's memmap came from memblock and is Reserved. */
	for (pfn = 0; pfn < 4; pfn++) {
		struct mem_section *ms = __nr_to_section(pfn);

		assert_true(ms->flags & SECTION_HAS_MEM_MAP);
		assert_true(ms->flags & SECTION_MEMMAP_BOOT);
		assert_int_equal(ms->init_pages, PAGES_PER_SECTION);
		assert_int_equal(page_type(phys_to_page(ms->memmap_phys)), PGTY_RESERVED);
		assert_int_equal(page_type(phys_to_page(ms->memmap_phys + SZ_2M - PAGE_SIZE)), PGTY_RESERVED);
		assert_true(IS_ALIGNED(ms->memmap_phys, SZ_2M));
	}
	assert_false(present_section_nr(4));
	/* Hole pages belong to the node and zone of their section. */
	assert_int_equal(pfn_to_page(0x9f)->nid, 0);
	assert_int_equal(pfn_to_page(0x9f)->zone_idx, ZONE_NORMAL);
	assert_int_equal(pfn_to_page(0)->refcount, 1);
}

static void test_report_lines(void **state)
{
	char want[200];

	mm_machine_boot_pc(MiB(512), MiB(256));
	assert_true(host_log_contains("\"event\":\"memmap_init\",\"ns\":0,\"phase\":\"early\",\"node\":0,\"pages\":65536,"));
	assert_true(host_log_contains("\"phase\":\"deferred\",\"node\":0,\"pages\":65536,"));
	assert_true(host_log_contains("\"threads\":1"));
	snprintf(want, sizeof(want), "\"event\":\"all_ram_allocatable\",\"ns\":0,\"managed_pages\":%lu,\"present_pages\":130943}",
		 totalram_pages());
	assert_true(host_log_contains(want));
	assert_true(host_log_contains("node 0 deferred pages initialised in "));
	assert_true(host_log_contains("ns/page"));
}

/* boot_mem= only moves the line between the early and the deferred part. */
static void test_boot_mem_variants_same_state(void **state)
{
	static struct pagetypes_result first;
	const uint64_t sizes[] = { MiB(256), MiB(1), MiB(128), MiB(300), MiB(512), MiB(4096) };
	unsigned long managed0 = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		mm_machine_boot_pc(MiB(512), sizes[i]);
		mm_machine_assert_clean();
		pagetypes_walk(&res);
		if (i == 0) {
			first = res;
			managed0 = totalram_pages();
			continue;
		}
		assert_int_equal(totalram_pages(), managed0);
		assert_memory_equal(first.count[0], res.count[0], sizeof(res.count[0]));
	}
	/* 1 MiB rounds up to one section: the early phase covers 32768 pages. */
	mm_machine_boot_pc(MiB(512), MiB(1));
	assert_true(host_log_contains("\"phase\":\"early\",\"node\":0,\"pages\":32768,"));
	/* More than the node: all of it is early, deferred has nothing. */
	mm_machine_boot_pc(MiB(512), MiB(4096));
	assert_true(host_log_contains("\"phase\":\"early\",\"node\":0,\"pages\":131072,"));
	assert_true(host_log_contains("\"phase\":\"deferred\",\"node\":0,\"pages\":0,"));
}

/* 1000 MiB: a section only partly RAM; holes in the middle of a section. */
static void test_odd_sizes_and_holes(void **state)
{
	const struct mm_range mem[] = {
		{ 0, 0x9f000, 0 },
		{ MiB(1), MiB(198), 0 },
		{ MiB(300) + KiB(2), MiB(700) - KiB(130), 0 },	/* ragged ends: partial pages are holes */
	};
	const struct mm_range rsv[] = {
		{ 0, MiB(1), 0 },
		{ MiB(1), MiB(2), 0 },
		{ MiB(150) + 0x800, 0x100, 0 },			/* part of one page: the page is Reserved */
		{ MiB(199) - KiB(8), KiB(16), 0 },		/* runs past the RAM into the hole */
	};

	mm_machine_boot(mem, 3, rsv, 4, MiB(256));
	assert_node_counts(mem, 3, 0);
	mm_machine_assert_clean();
	assert_int_equal(page_type(phys_to_page(MiB(150))), PGTY_RESERVED);
	assert_int_equal(page_type(phys_to_page(MiB(150) + PAGE_SIZE)) == PGTY_RESERVED, false);
	assert_int_equal(page_type(phys_to_page(MiB(199) - PAGE_SIZE)), PGTY_RESERVED);
	assert_int_equal(page_type(phys_to_page(MiB(199))), PGTY_NOMEMORY);
	assert_int_equal(page_type(phys_to_page(MiB(250))), PGTY_NOMEMORY);
	assert_int_equal(page_type(phys_to_page(MiB(300))), PGTY_NOMEMORY);	/* partly RAM */
	assert_true(page_type(phys_to_page(MiB(300) + PAGE_SIZE)) != PGTY_NOMEMORY);
	assert_int_equal(page_type(phys_to_page(MiB(1000) - PAGE_SIZE)), PGTY_NOMEMORY);
	/* 0..1000 MiB - 128 KiB of RAM: sections 0-7 present (7 only partly). */
	assert_true(present_section_nr(7));
	assert_false(present_section_nr(8));
	assert_int_equal(page_type(phys_to_page(MiB(1024) - PAGE_SIZE)), PGTY_NOMEMORY);
}

/* A section with no RAM at all in the middle gets no memmap. */
static void test_section_gap(void **state)
{
	const struct mm_range mem[] = {
		{ MiB(1), MiB(255), 0 },
		{ MiB(512), MiB(256), 0 },
	};
	const struct mm_range rsv[] = { { MiB(1), MiB(2), 0 } };

	mm_machine_boot(mem, 2, rsv, 1, MiB(256));
	assert_false(pfn_valid(PFN_DOWN(MiB(300))));
	assert_false(present_section_nr(2));
	assert_true(present_section_nr(4));
	assert_node_counts(mem, 2, 0);
	assert_int_equal(NODE_DATA(0)->node_zones[ZONE_NORMAL].spanned_pages, PFN_DOWN(MiB(767)));
	mm_machine_assert_clean();
}

static void test_two_nodes(void **state)
{
	const struct mm_range mem[] = {
		{ 0, 0x9f000, 0 },
		{ MiB(1), MiB(255), 0 },
		{ MiB(256), MiB(256) - KiB(128), 1 },
	};
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };

	mm_machine_boot(mem, 3, rsv, 2, MiB(256));
	assert_int_equal(num_online_nodes(), 2);
	assert_node_counts(mem, 3, 0);
	assert_node_counts(mem, 3, 1);
	assert_int_equal(NODE_DATA(1)->node_start_pfn, PFN_DOWN(MiB(256)));
	assert_int_equal(__nr_to_section(2)->nid, 1);
	/* The memmap of node 1's sections lives on node 1. */
	assert_true(__nr_to_section(2)->memmap_phys >= MiB(256));
	assert_true(__nr_to_section(0)->memmap_phys < MiB(256));
	assert_int_equal(pfn_to_page(PFN_DOWN(MiB(300)))->nid, 1);
	assert_true(host_log_contains("\"phase\":\"early\",\"node\":0,\"pages\":65536,"));
	assert_true(host_log_contains("\"phase\":\"deferred\",\"node\":0,\"pages\":0,"));
	assert_true(host_log_contains("\"phase\":\"deferred\",\"node\":1,\"pages\":65536,"));
	mm_machine_assert_clean();
}

/* ---- the template stamp ---- */

static void test_template_init(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(256), 0 } };
	const unsigned long s = PAGES_PER_SECTION + 1000, e = PAGES_PER_SECTION + 5000;
	struct page want;
	unsigned long pfn;
	uint8_t garbage[64];

	mm_machine_setup(mem, 1, NULL, 0);
	sparse_init();
	assert_true(alloc_node_data(0) != NULL);
	memset(garbage, 0xa5, sizeof(garbage));

	memmap_init_range(s, e, 0, ZONE_MOVABLE, PGTY_OFFLINE);
	memset(&want, 0, sizeof(want));
	want.type = PGTY_OFFLINE;
	want.zone_idx = ZONE_MOVABLE;
	want.nid = 0;
	want.refcount = 1;
	for (pfn = s; pfn < e; pfn++)
		assert_memory_equal(pfn_to_page(pfn), &want, sizeof(want));
	/* Neighbours untouched. */
	assert_memory_equal(pfn_to_page(s - 1), garbage, sizeof(garbage));
	assert_memory_equal(pfn_to_page(e), garbage, sizeof(garbage));
	assert_int_equal(__nr_to_section(1)->init_pages, e - s);
	assert_false(section_memmap_initialized(__nr_to_section(1)));

	/* Types that hold no reference start at refcount 0. */
	memmap_init_range(e, e + 10, 0, ZONE_NORMAL, PGTY_NOMEMORY);
	assert_int_equal(pfn_to_page(e)->refcount, 0);
	memmap_init_range(e + 10, e + 11, 0, ZONE_NORMAL, PGTY_VMEMMAP_SELF_HOSTED);
	assert_int_equal(pfn_to_page(e + 10)->refcount, 1);
	/* Across a section boundary both sections count their part. */
	memmap_init_range(2 * PAGES_PER_SECTION - 8, 2 * PAGES_PER_SECTION + 8, 0, ZONE_NORMAL, PGTY_OFFLINE);
	assert_int_equal(__nr_to_section(1)->init_pages, e - s + 11 + 8);
	assert_int_equal(__nr_to_section(2)->init_pages, 8);
}

/* Offline pages handed over by __free_pages_core become free, managed grows. */
static void test_free_pages_core(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(256), 0 } };
	struct zone *zone;
	unsigned long before, managed, pfn = PFN_DOWN(MiB(200));

	mm_machine_boot(mem, 1, NULL, 0, MiB(128));
	zone = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	/* Take a 4 MiB block out, make it Offline as hotplug would, give it back. */
	drain_all_pages(NULL);
	{
		struct page *p = alloc_pages_node(0, GFP_MOVABLE, MAX_PAGE_ORDER);

		assert_non_null(p);
		pfn = page_to_pfn(p);
		page_allocated_to_tail(p);	/* pretend the block never reached the buddy */
		adjust_managed_page_count(zone, -(long)MAX_ORDER_NR_PAGES);
	}
	section_account_init(pfn, -MAX_ORDER_NR_PAGES);
	memmap_init_range(pfn, pfn + MAX_ORDER_NR_PAGES, 0, ZONE_NORMAL, PGTY_OFFLINE);
	before = zone->free_pages;
	managed = zone_managed_pages(zone);
	mm_machine_assert_clean();	/* Offline pages are present, not managed */
	__free_pages_core(pfn_to_page(pfn), MAX_PAGE_ORDER);
	assert_int_equal(zone_managed_pages(zone), managed + MAX_ORDER_NR_PAGES);
	assert_int_equal(zone->free_pages, before + MAX_ORDER_NR_PAGES);
	assert_int_equal(pfn_to_page(pfn)->refcount, 0);
	assert_int_equal(pfn_to_page(pfn + 1)->type, PGTY_TAIL);
	mm_machine_assert_clean();
}

/* ---- sparse ---- */

static void test_sparse_altmap(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(512), 0 } };
	struct vmem_altmap altmap = { .base_pfn = PFN_DOWN(MiB(256)), .reserve = 0, .free = PFN_DOWN(MiB(16)) };
	struct mem_section *ms;

	/* Only 256 MiB boot RAM; the second half is "hot-added" below. */
	mm_machine_setup((const struct mm_range[]){ { 0, MiB(256), 0 } }, 1, NULL, 0);
	(void)mem;
	sparse_init();
	mm_core_init_size(MiB(256));
	assert_int_equal(sparse_add_section_range(0, PFN_DOWN(MiB(256)), PFN_DOWN(MiB(256)), &altmap), 0);
	ms = __nr_to_section(2);
	assert_true(ms->flags & SECTION_MEMMAP_ALTMAP);
	assert_int_equal(ms->memmap_phys, MiB(256));
	assert_int_equal(__nr_to_section(3)->memmap_phys, MiB(258));
	assert_int_equal(altmap.alloc, 1024);
	assert_true(pfn_valid(PFN_DOWN(MiB(300))));
	/* Walker: present but not initialized sections are skipped, not misread. */
	pagetypes_walk(&res);
	assert_int_equal(res.sections_skipped, 2);
	assert_int_equal(res.violations, 0);

	/* Overlap is refused and changes nothing. */
	assert_int_equal(sparse_add_section_range(0, PFN_DOWN(MiB(384)), PFN_DOWN(MiB(128)), NULL), -EEXIST);
	assert_true(host_log_contains("section 3 (pfn 0x18000) is already present"));
	assert_true(__nr_to_section(3)->flags & SECTION_HAS_MEM_MAP);
	/* Misaligned is refused. */
	assert_int_equal(sparse_add_section_range(0, PFN_DOWN(MiB(520)), 10, NULL), -EINVAL);

	sparse_remove_section_range(PFN_DOWN(MiB(256)), PFN_DOWN(MiB(256)), &altmap);
	assert_int_equal(altmap.alloc, 0);
	assert_false(pfn_valid(PFN_DOWN(MiB(300))));
	assert_false(present_section_nr(2));

	/* Without an altmap after boot, the memmap comes from the buddy (2 MiB block, Allocated). */
	assert_int_equal(sparse_add_section_range(0, PFN_DOWN(MiB(256)), PFN_DOWN(MiB(128)), NULL), 0);
	ms = __nr_to_section(2);
	assert_int_equal(page_type(phys_to_page(ms->memmap_phys)), PGTY_ALLOCATED);
	assert_int_equal(page_order(phys_to_page(ms->memmap_phys)), pageblock_order);
	sparse_remove_section_range(PFN_DOWN(MiB(256)), PFN_DOWN(MiB(128)), NULL);
	mm_machine_assert_clean();

	/* An altmap too small fails cleanly. */
	altmap = (struct vmem_altmap){ .base_pfn = PFN_DOWN(MiB(256)), .free = 100 };
	assert_int_equal(sparse_add_section_range(0, PFN_DOWN(MiB(256)), PFN_DOWN(MiB(128)), &altmap), -ENOMEM);
	assert_true(host_log_contains("altmap full"));
	assert_false(present_section_nr(2));
}

/* ---- zones ---- */

static void test_zone_span_grow_shrink(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(512), 0 } };
	struct zone *mz, *nz;
	unsigned long s = PFN_DOWN(MiB(256)), n = PFN_DOWN(MiB(128));

	mm_machine_boot(mem, 1, NULL, 0, MiB(256));
	nz = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	mz = &NODE_DATA(0)->node_zones[ZONE_MOVABLE];
	assert_true(zone_is_empty(mz));
	zone_span_grow(mz, s + n, n);
	assert_int_equal(mz->zone_start_pfn, s + n);
	zone_span_grow(mz, s, n);
	assert_int_equal(mz->zone_start_pfn, s);
	assert_int_equal(mz->spanned_pages, 2 * n);
	assert_int_equal(NODE_DATA(0)->node_spanned_pages, PFN_DOWN(MiB(512)));

	/* Pages of [s, s+2n) now say ZONE_MOVABLE (as onlining would stamp them). */
	memmap_init_range(s, s + 2 * n, 0, ZONE_MOVABLE, PGTY_OFFLINE);
	memmap_init_range(s, s + n, 0, ZONE_NORMAL, PGTY_OFFLINE);	/* first half back to Normal */
	zone_span_shrink(mz, s, n);
	assert_int_equal(mz->zone_start_pfn, s + n);
	assert_int_equal(mz->spanned_pages, n);
	zone_span_shrink(mz, s + n, n);
	assert_true(zone_is_empty(mz));
	/* A hole in the middle does not shrink the normal zone. */
	zone_span_shrink(nz, s, n);
	assert_int_equal(nz->zone_start_pfn, 0);
	assert_int_equal(nz->spanned_pages, PFN_DOWN(MiB(512)));
}

/*
 * Spans of terabytes: sections far above boot RAM, made by hand (the
 * simulated machine's memmap covers 1 GiB; these get a memmap of their
 * own at vmemmap + pfn, in address space mm_machine reserves, and a
 * section root that sparse_reset() forgets). Their pages are stamped with the zone they belong to, as
 * onlining would.
 */
#define FAR_SECTIONS	4

static void *far_memmap[FAR_SECTIONS];
static unsigned long far_root[FAR_SECTIONS];
static unsigned int nr_far;

static void far_section(unsigned long pfn, unsigned long split, enum zone_type lo, enum zone_type hi)
{
	unsigned long nr = pfn_to_section_nr(pfn), root = nr / SECTIONS_PER_ROOT;
	struct mem_section *ms;
	void *want = pfn_to_page(pfn);

	assert_true(nr_far < FAR_SECTIONS);
	far_memmap[nr_far] = mm_machine_map_far_memmap(pfn, PAGES_PER_SECTION);
	assert_ptr_equal(far_memmap[nr_far], want);
	assert_null(mem_section[root]);
	assert_non_null(mem_section[root] = calloc(SECTIONS_PER_ROOT, sizeof(struct mem_section)));
	far_root[nr_far++] = root;
	ms = __nr_to_section(nr);
	ms->flags = SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP | SECTION_IS_ONLINE;
	ms->nid = 0;
	memmap_init_range(pfn, pfn + split, 0, lo, PGTY_OFFLINE);
	memmap_init_range(pfn + split, pfn + PAGES_PER_SECTION, 0, hi, PGTY_OFFLINE);
	assert_true(section_memmap_initialized(ms));
}

static int teardown_far(void **state)
{
	while (nr_far) {
		nr_far--;
		mm_machine_unmap_far_memmap(far_memmap[nr_far], PAGES_PER_SECTION);
		free(mem_section[far_root[nr_far]]);
		mem_section[far_root[nr_far]] = NULL;
	}
	mm_machine_teardown();
	return 0;
}

#define TiB_PFN(x)	((unsigned long)(x) << (40 - PAGE_SHIFT))

/*
 * ZONE_NORMAL spans boot RAM (512 MiB) up to a section at 4 TiB; between
 * them one section at 2 TiB, its first 512 pages Normal (a self-hosted
 * memmap) and the rest Movable, and ZONE_MOVABLE spans 1 TiB .. 3 TiB.
 * Shrinking must find the exact new edges, and the pfns looked at one by
 * one must stay within the present sections it passes (at most the
 * Movable one in between and the one holding the new edge): the terabytes
 * of holes cost a lookup per section (per root), not per pfn. The per-pfn
 * walk looked at about 2^29 pfns per shrink here.
 */
static void test_zone_span_shrink_sparse(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(512), 0 } };
	struct zone *nz, *mz;
	unsigned long boot_end = PFN_DOWN(MiB(512));

	mm_machine_boot(mem, 1, NULL, 0, MiB(256));
	nz = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	mz = &NODE_DATA(0)->node_zones[ZONE_MOVABLE];
	far_section(TiB_PFN(1), 0, ZONE_MOVABLE, ZONE_MOVABLE);
	far_section(TiB_PFN(2), 512, ZONE_NORMAL, ZONE_MOVABLE);
	far_section(TiB_PFN(3), PAGES_PER_SECTION, ZONE_MOVABLE, ZONE_MOVABLE);
	far_section(TiB_PFN(4), PAGES_PER_SECTION, ZONE_NORMAL, ZONE_NORMAL);
	zone_span_grow(nz, TiB_PFN(4), PAGES_PER_SECTION);
	zone_span_grow(mz, TiB_PFN(1), TiB_PFN(2) + PAGES_PER_SECTION);
	assert_int_equal(zone_end_pfn(nz), TiB_PFN(4) + PAGES_PER_SECTION);

	/*
	 * The top section of Normal goes: the new end is the 2 TiB section's
	 * 512 Normal pages, found after the Movable section at 3 TiB.
	 */
	assert_true(zone_span_shrink(nz, TiB_PFN(4), PAGES_PER_SECTION) <= 2 * PAGES_PER_SECTION);
	assert_int_equal(nz->zone_start_pfn, 0);
	assert_int_equal(zone_end_pfn(nz), TiB_PFN(2) + 512);
	/* Those go too: back to boot RAM, 2 TiB lower, past the Movable section at 1 TiB. */
	assert_true(zone_span_shrink(nz, TiB_PFN(2), 512) <= 2 * PAGES_PER_SECTION);
	assert_int_equal(zone_end_pfn(nz), boot_end);
	assert_int_equal(nz->zone_start_pfn, 0);

	/* Movable loses its first section: it starts at the 2 TiB section's first Movable page. */
	assert_true(zone_span_shrink(mz, TiB_PFN(1), PAGES_PER_SECTION) <= PAGES_PER_SECTION);
	assert_int_equal(mz->zone_start_pfn, TiB_PFN(2) + 512);
	assert_int_equal(zone_end_pfn(mz), TiB_PFN(3) + PAGES_PER_SECTION);
	/* ... and its last: it ends where the 2 TiB section does. */
	assert_true(zone_span_shrink(mz, TiB_PFN(3), PAGES_PER_SECTION) == 1);
	assert_int_equal(zone_end_pfn(mz), TiB_PFN(2) + PAGES_PER_SECTION);
	assert_int_equal(NODE_DATA(0)->node_spanned_pages, TiB_PFN(2) + PAGES_PER_SECTION);
	/* The last Movable pages go: the zone is empty, and no pfn was left to look at. */
	zone_span_shrink(mz, TiB_PFN(2) + 512, PAGES_PER_SECTION - 512);
	assert_true(zone_is_empty(mz));
	assert_int_equal(NODE_DATA(0)->node_spanned_pages, boot_end);
}

/* ---- deferred init and the allocator's takeovers ---- */

static unsigned int log_count(const char *needle)
{
	unsigned int n = 0;

	for (const char *p = host_log; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/*
 * 4 GiB on one node: the early region is 2 sections, deferred init owns the
 * other 30, cut for two CPUs into chunks of 3.75 sections. Helpers are held,
 * so only this thread moves the job: allocations that find the zone empty
 * take over one section each (exactly one section's pages become managed
 * per takeover; a whole chunk used to), then deferred_init_wait() runs the
 * chunks left, which start where the takeovers stopped. Every section is
 * initialized exactly once (the walker sees no uninitialized section and no
 * page twice; managed is what a single-threaded boot gives), and
 * all_ram_allocatable is reported once.
 */
#define TAKEOVERS	5

static void test_deferred_takeover_one_section(void **state)
{
	const struct mm_range mem[] = { { 0, MiB(4096), 0 } };
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };
	struct zone *zone;
	struct page *list = NULL, *p;
	unsigned long managed, takeovers = 0, deferred_pfns;
	struct mt_job_stats js0, js1;
	char want[64];

	mm_machine_setup(mem, 1, rsv, 2);
	sparse_init();
	mm_core_init();
	zone = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	mt_job_get_stats(&js0);
	host_log_clear();
	page_alloc_init_late();
	deferred_pfns = PFN_DOWN(MiB(4096) - MiB(256));
	assert_int_equal(deferred_pages_pending(), deferred_pfns);
	assert_int_equal(log_count("\"event\":\"all_ram_allocatable\""), 0);

	managed = zone_managed_pages(zone);
	while (takeovers < TAKEOVERS) {
		p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);
		assert_non_null(p);
		p->private = (unsigned long)list;
		list = p;
		if (deferred_takeovers() == takeovers)
			continue;
		takeovers++;
		assert_int_equal(deferred_takeovers(), takeovers);
		assert_int_equal(zone_managed_pages(zone) - managed, PAGES_PER_SECTION);
		assert_int_equal(deferred_pages_pending(), deferred_pfns - takeovers * PAGES_PER_SECTION);
		managed = zone_managed_pages(zone);
	}
	assert_int_equal(log_count("\"event\":\"all_ram_allocatable\""), 0);

	deferred_init_wait();
	assert_int_equal(deferred_pages_pending(), 0);
	assert_int_equal(log_count("\"event\":\"all_ram_allocatable\""), 1);
	snprintf(want, sizeof(want), "\"pages\":%lu,", deferred_pfns);
	assert_true(host_log_contains(want));
	snprintf(want, sizeof(want), "\"takeovers\":%d", TAKEOVERS);
	assert_true(host_log_contains(want));
	mt_job_get_stats(&js1);
	assert_int_equal(js1.takeovers - js0.takeovers, TAKEOVERS);

	while (list) {
		p = list;
		list = (struct page *)p->private;
		__free_pages(p, MAX_PAGE_ORDER);
	}
	assert_node_counts(mem, 1, 0);
	mm_machine_assert_clean();
	pagetypes_walk(&res);
	assert_int_equal(res.sections_walked, 32);
}

/* ---- page tables from the buddy ---- */

static void test_pgtable_allocator(void **state)
{
	phys_addr_t pa;
	struct zone *zone;
	unsigned long managed, i;
	uint8_t *p;

	mm_machine_boot_pc(MiB(512), MiB(256));
	zone = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	assert_non_null(mm_machine_pt_alloc);
	pa = mm_machine_pt_alloc();
	assert_true(pa != 0 && IS_ALIGNED(pa, PAGE_SIZE));
	assert_int_equal(page_type(phys_to_page(pa)), PGTY_PAGETABLE);
	for (p = __va(pa), i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(p[i], 0);
	pagetypes_walk(&res);
	assert_int_equal(res.count[0][ZONE_NORMAL][PGTY_PAGETABLE], 1);
	assert_int_equal(res.violations, 0);
	mm_machine_pt_free(pa);
	assert_int_equal(page_type(phys_to_page(pa)), PGTY_BUDDY);

	/* A table built from memblock (Reserved) joins the buddy when freed. */
	managed = zone_managed_pages(zone);
	mm_machine_pt_free(PFN_PHYS(0x150));
	assert_int_equal(zone_managed_pages(zone), managed + 1);
	/* memblock still says reserved, the page is free: allowed direction */
	mm_machine_assert_clean();
}

/* ---- boot RAM's ZONE_MOVABLE: kernelcore=, movablecore=, movable_node ---- */

/* zone_movable_pfn[] for mem with the options the caller set after mm_machine_setup(). */
#define PFN_OF(x)	((unsigned long)PFN_DOWN(x))

static void setup_nodes(const struct mm_range *mem, int n)
{
	mm_machine_setup(mem, n, NULL, 0);
}

/* Linux's examples, with ZONE_MOVABLE starting on a 128 MiB block boundary. */
static void test_kernelcore_arithmetic(void **state)
{
	const struct mm_range one[] = { { 0, MiB(1024), 0 } };
	const struct mm_range two[] = { { 0, MiB(1024), 0 }, { MiB(1024), MiB(1024), 1 } };
	const struct mm_range small_big[] = { { 0, MiB(128), 0 }, { MiB(128), MiB(1024), 1 } };

	/* kernelcore=256M on one node: the rest of the node is movable. */
	setup_nodes(one, 1);
	assert_int_equal(set_kernelcore(MiB(256), false), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], PFN_OF(MiB(256)));
	mm_machine_teardown();

	/* Spread evenly: kernelcore=512M over two 1 GiB nodes is 256M on each. */
	setup_nodes(two, 2);
	assert_int_equal(set_kernelcore(MiB(512), false), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], PFN_OF(MiB(256)));
	assert_int_equal(zone_movable_pfn[1], PFN_OF(MiB(1024 + 256)));
	mm_machine_teardown();

	/*
	 * A node too small for its share (384M of 768M) gives all it has (no
	 * ZONE_MOVABLE there) and the other node makes up the rest in a second
	 * pass: 640M of kernel memory on node 1.
	 */
	setup_nodes(small_big, 2);
	assert_int_equal(set_kernelcore(MiB(768), false), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], 0);
	assert_int_equal(zone_movable_pfn[1], PFN_OF(MiB(128 + 640)));
	mm_machine_teardown();

	/* movablecore=25%: a quarter of boot RAM movable, from the top of the node. */
	setup_nodes(one, 1);
	assert_int_equal(set_movablecore(25, true), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], PFN_OF(MiB(768)));
	mm_machine_teardown();

	/* kernelcore=50% over two nodes: half of each. */
	setup_nodes(two, 2);
	assert_int_equal(set_kernelcore(50, true), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], PFN_OF(MiB(512)));
	assert_int_equal(zone_movable_pfn[1], PFN_OF(MiB(1024 + 512)));
	mm_machine_teardown();

	/* Both: the larger kernel part wins (900M over movablecore's 512M), rounded up to the node's end. */
	setup_nodes(one, 1);
	assert_int_equal(set_kernelcore(MiB(900), false), 0);
	assert_int_equal(set_movablecore(50, true), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], 0);
	mm_machine_teardown();

	/* Not a block multiple: rounded up to the next 128 MiB. */
	setup_nodes(one, 1);
	assert_int_equal(set_kernelcore(MiB(300), false), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], PFN_OF(MiB(384)));
	mm_machine_teardown();

	/* kernelcore= all of RAM or more, or 0: no ZONE_MOVABLE. A bad percentage is refused, named. */
	setup_nodes(one, 1);
	assert_int_equal(set_kernelcore(MiB(2048), false), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], 0);
	assert_int_equal(set_kernelcore(0, false), 0);
	find_zone_movable_pfns_for_nodes();
	assert_int_equal(zone_movable_pfn[0], 0);
	host_log_clear();
	assert_int_equal(set_movablecore(101, true), -EINVAL);
	assert_true(host_log_contains("movablecore=101%: a percentage of boot RAM must be 0..100"));
}

/* kernelcore= at boot: zones split on the block boundary, every page in the zone its pfn says. */
static void test_kernelcore_boot(void **state)
{
	const struct mm_range mem[] = { { 0, 0x9f000, 0 }, { MiB(1), MiB(1023), 0 } };
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };
	struct zone *normal, *movable;

	mm_machine_setup(mem, 2, rsv, 2);
	assert_int_equal(set_movablecore(MiB(512), false), 0);
	sparse_init();
	mm_core_init_size(MiB(256));
	normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	movable = &NODE_DATA(0)->node_zones[ZONE_MOVABLE];
	assert_int_equal(movable->zone_start_pfn, PFN_OF(MiB(512)));
	assert_int_equal(movable->present_pages, PFN_OF(MiB(512)));
	assert_int_equal(normal->present_pages, ranges_present(mem, 2, 0) - PFN_OF(MiB(512)));
	assert_int_equal(zone_end_pfn(normal), PFN_OF(MiB(512)));
	assert_int_equal(pfn_to_page(PFN_OF(MiB(600)))->zone_idx, ZONE_MOVABLE);
	assert_int_equal(pfn_to_page(PFN_OF(MiB(300)))->zone_idx, ZONE_NORMAL);
	mm_machine_assert_clean();
	/* Movable allocations come from ZONE_MOVABLE, kernel ones never do. */
	assert_int_equal(page_zone(alloc_pages(GFP_MOVABLE, 0))->zone_idx, ZONE_MOVABLE);
	assert_int_equal(page_zone(alloc_pages(GFP_KERNEL, 0))->zone_idx, ZONE_NORMAL);
}

/*
 * movable_node: node 1 is all hot-pluggable (SRAT), node 2 from 1.5 GiB on.
 * Their boot RAM is ZONE_MOVABLE (node 1 has no ZONE_NORMAL at all) and
 * memblock put nothing of the boot (memmaps, pg_data_t, tables) there:
 * only free pages in the hot-pluggable ranges. kernelcore= is ignored.
 */
static void test_movable_node_boot(void **state)
{
	const struct mm_range mem[] = {
		{ 0, 0x9f000, 0 }, { MiB(1), MiB(511), 0 },
		{ MiB(512), MiB(512), 1 },
		{ MiB(1024), MiB(1024), 2 },
	};
	const struct mm_range rsv[] = { { 0, MiB(1), 0 }, { MiB(1), MiB(2), 0 } };
	unsigned long pfn, r;

	mm_machine_setup(mem, 4, rsv, 2);
	assert_int_equal(memblock_mark_hotplug(MiB(512), MiB(512)), 0);
	assert_int_equal(memblock_mark_hotplug(MiB(1536), MiB(512)), 0);
	memblock_set_movable_node(true);
	assert_int_equal(set_kernelcore(MiB(128), false), 0);
	host_log_clear();
	sparse_init();
	mm_core_init_size(MiB(256));
	assert_true(host_log_contains("kernelcore= and movablecore= are ignored"));
	assert_int_equal(zone_movable_pfn[0], 0);
	assert_int_equal(zone_movable_pfn[1], PFN_OF(MiB(512)));
	assert_int_equal(zone_movable_pfn[2], PFN_OF(MiB(1536)));
	assert_int_equal(NODE_DATA(1)->node_zones[ZONE_NORMAL].present_pages, 0);
	assert_int_equal(NODE_DATA(1)->node_zones[ZONE_MOVABLE].present_pages, PFN_OF(MiB(512)));
	assert_int_equal(NODE_DATA(2)->node_zones[ZONE_NORMAL].present_pages, PFN_OF(MiB(512)));
	assert_int_equal(NODE_DATA(2)->node_zones[ZONE_MOVABLE].present_pages, PFN_OF(MiB(512)));
	/* Nothing memblock handed out lies in a hot-pluggable range... */
	for (r = 0; r < memblock.reserved.cnt; r++) {
		const struct memblock_region *q = &memblock.reserved.regions[r];

		assert_false(q->base < MiB(1024) && q->base + q->size > MiB(512));
		assert_false(q->base < MiB(2048) && q->base + q->size > MiB(1536));
	}
	/* ... and the walker finds only free pages there. */
	mm_machine_assert_clean();
	for (pfn = PFN_OF(MiB(512)); pfn < PFN_OF(MiB(1024)); pfn++)
		assert_true(page_type(pfn_to_page(pfn)) == PGTY_BUDDY || page_type(pfn_to_page(pfn)) == PGTY_TAIL);
	/* The early region is in node 0's ZONE_NORMAL. */
	{
		int nid;
		unsigned long s, e;

		mm_early_region(&nid, &s, &e);
		assert_int_equal(nid, 0);
		assert_int_equal(s, 0);
		assert_int_equal(e, PFN_OF(MiB(256)));
	}
}

/* After the hand-off memblock must not hand out memory the buddy owns. */
static void test_memblock_closed_after_handoff(void **state)
{
	mm_machine_boot_pc(MiB(512), MiB(256));
	assert_int_equal(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	assert_null(memblock_alloc(PAGE_SIZE, PAGE_SIZE));
	assert_true(buddy_ready);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pc_512m_counts, teardown),
		cmocka_unit_test_teardown(test_pc_page_types, teardown),
		cmocka_unit_test_teardown(test_report_lines, teardown),
		cmocka_unit_test_teardown(test_boot_mem_variants_same_state, teardown),
		cmocka_unit_test_teardown(test_odd_sizes_and_holes, teardown),
		cmocka_unit_test_teardown(test_section_gap, teardown),
		cmocka_unit_test_teardown(test_two_nodes, teardown),
		cmocka_unit_test_teardown(test_template_init, teardown),
		cmocka_unit_test_teardown(test_free_pages_core, teardown),
		cmocka_unit_test_teardown(test_sparse_altmap, teardown),
		cmocka_unit_test_teardown(test_zone_span_grow_shrink, teardown),
		cmocka_unit_test_teardown(test_zone_span_shrink_sparse, teardown_far),
		cmocka_unit_test_teardown(test_deferred_takeover_one_section, teardown),
		cmocka_unit_test_teardown(test_pgtable_allocator, teardown),
		cmocka_unit_test_teardown(test_memblock_closed_after_handoff, teardown),
		cmocka_unit_test_teardown(test_kernelcore_arithmetic, teardown),
		cmocka_unit_test_teardown(test_kernelcore_boot, teardown),
		cmocka_unit_test_teardown(test_movable_node_boot, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
