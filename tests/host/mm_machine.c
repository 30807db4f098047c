/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_machine.c - see mm_machine.h
 *
 * Also stubs the two kernel services the memory core calls that are not mm:
 * cmdline_get_size() (mm_core_init reads boot_mem=) and
 * pgtable_set_allocator() (recorded, so tests can use the page-table hooks),
 * and, weak, the rest of the machine the hotplug core calls (mm_machine.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "tests/host/mm_machine.h"
#include "tests/host/host_stubs.h"
#include "mm/memblock.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "mm/zone_movable.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/memory_hotplug.h"
#include "kernel/cmdline.h"
#include "kernel/mt_job.h"
#include "arch/x86_64/smp.h"

pgtable_alloc_fn mm_machine_pt_alloc;
pgtable_free_fn mm_machine_pt_free;

void pgtable_set_allocator(pgtable_alloc_fn alloc, pgtable_free_fn free)
{
	mm_machine_pt_alloc = alloc;
	mm_machine_pt_free = free;
}

uint64_t cmdline_get_size(const char *key, uint64_t dflt)
{
	return dflt;
}

/*
 * The host tests boot with an empty command line: no option is set (a test
 * may define its own cmdline_get()), so the option parsers of kernel/cmdline.c
 * that memory_hotplug_early_init() and memtest_setup() call are never reached.
 */
__attribute__((weak)) const char *cmdline_get(const char *key)
{
	return NULL;
}

__attribute__((weak)) bool cmdline_flag(const char *key)
{
	return false;
}

bool parse_size(const char *s, uint64_t *out)
{
	return false;
}

bool parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	return false;
}

/*
 * mm/memtest.c names a bad page's memory block (mm/memory_block.c), whose
 * zone listing needs the hotplug core; tests without mm/memory_hotplug.c
 * never list zones. Weak: the real one wins where it is linked.
 */
__attribute__((weak)) enum zone_type zone_for_online_type(int nid, enum mmop type, unsigned long start_pfn,
							  unsigned long nr_pages)
{
	return ZONE_NORMAL;
}

/* ---- the machine outside mm (weak: a suite's own definition wins) ---- */

struct numa_hotplug_range mm_machine_window = { .start = MiB(512), .end = MiB(1024), .nid = 0 };
unsigned int mm_machine_nr_windows = 1;
int mm_machine_direct_map_fail;
int mm_machine_direct_maps;

__attribute__((weak)) const struct numa_hotplug_range *numa_hotplug_ranges(unsigned int *count)
{
	*count = mm_machine_nr_windows;
	return &mm_machine_window;
}

__attribute__((weak)) int arch_add_direct_map(phys_addr_t start, phys_addr_t size)
{
	if (mm_machine_direct_map_fail) {
		mm_machine_direct_map_fail = 0;
		return -ENOMEM;
	}
	mm_machine_direct_maps++;
	return 0;
}

__attribute__((weak)) void arch_remove_direct_map(phys_addr_t start, phys_addr_t size)
{
	mm_machine_direct_maps--;
}

__attribute__((weak)) uint64_t node_online_cpumask(int nid) { return 1; }
__attribute__((weak)) unsigned int arch_mt_job_nr_cpus(uint64_t mask) { return 1; }
__attribute__((weak)) void arch_mt_job_kick(uint64_t mask) { }

/* ---- the machine's memory ---- */

static void *ram;
static size_t ram_size;
static void *memmap;
static size_t memmap_size, memmap_reserved;

/* Give the memmap of [pfn, pfn + nr) host memory: it lies in the reserved space. */
void *mm_machine_map_far_memmap(unsigned long pfn, unsigned long nr)
{
	void *want = pfn_to_page(pfn);

	assert_true(pfn + nr <= MM_MACHINE_FAR_PFN_LIMIT);
	assert_int_equal(mprotect(want, nr * sizeof(struct page), PROT_READ | PROT_WRITE), 0);
	return want;
}

/* Give it back (zeroed, reserved again). */
void mm_machine_unmap_far_memmap(void *memmap_of_range, unsigned long nr)
{
	madvise(memmap_of_range, nr * sizeof(struct page), MADV_DONTNEED);
	mprotect(memmap_of_range, nr * sizeof(struct page), PROT_NONE);
}

void mm_machine_teardown(void)
{
	if (ram)
		munmap(ram, ram_size);
	if (memmap)
		munmap(memmap, memmap_reserved);
	ram = memmap = NULL;
	host_cpu_id = 0;
}

void mm_machine_setup(const struct mm_range *mem, int nr_mem, const struct mm_range *rsv,
		      int nr_rsv)
{
	uint64_t end = 0;
	int i;

	mm_machine_teardown();
	mm_machine_window = (struct numa_hotplug_range){ .start = MiB(512), .end = MiB(1024), .nid = 0 };
	mm_machine_nr_windows = 1;
	mm_machine_direct_map_fail = 0;
	mm_machine_direct_maps = 0;
	memblock_reset();
	sparse_reset();
	mmzone_reset();
	page_alloc_reset();
	zone_movable_reset();
	host_log_clear();
	mm_machine_pt_alloc = NULL;
	mm_machine_pt_free = NULL;

	for (i = 0; i < nr_mem; i++)
		end = end > mem[i].base + mem[i].size ? end : mem[i].base + mem[i].size;
	/* At least 1 GiB of address space, so tests can hot-add above boot RAM. */
	end = max(ALIGN(end, SZ_128M), (uint64_t)SZ_1G);
	ram_size = end;
	ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(ram != MAP_FAILED);
	/*
	 * The memmap, then address space reserved (PROT_NONE, no memory) up to
	 * the memmap of a pfn at 8 TiB: tests map sections far above boot RAM
	 * at vmemmap + pfn (mm_machine_map_far_memmap), which must be ours to
	 * map, not another mapping's or past the top of user space.
	 */
	memmap_size = (end >> PAGE_SHIFT) * sizeof(struct page);
	memmap_reserved = max(memmap_size, (size_t)(MM_MACHINE_FAR_PFN_LIMIT * sizeof(struct page)));
	memmap = mmap(NULL, memmap_reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(memmap != MAP_FAILED);
	assert_int_equal(mprotect(memmap, memmap_size, PROT_READ | PROT_WRITE), 0);
	/* Garbage, as memblock memory is: init must write every field it relies on. */
	memset(memmap, 0xa5, memmap_size);
	host_phys_base = (uintptr_t)ram;
	vmemmap = memmap;

	for (i = 0; i < nr_mem; i++)
		assert_int_equal(memblock_add_node(mem[i].base, mem[i].size, mem[i].nid, MEMBLOCK_NONE), 0);
	for (i = 0; i < nr_rsv; i++)
		assert_int_equal(memblock_reserve(rsv[i].base, rsv[i].size), 0);
	memblock_set_current_limit(end);
}

/* mm/memory_hotplug.c, when the test links it. */
void memory_blocks_init_boot(void) __attribute__((weak));

void mm_machine_boot(const struct mm_range *mem, int nr_mem, const struct mm_range *rsv,
		     int nr_rsv, uint64_t boot_mem)
{
	mm_machine_setup(mem, nr_mem, rsv, nr_rsv);
	sparse_init();
	mm_core_init_size(boot_mem);
	/* As start_kernel: boot RAM's memory blocks, where the test links the hotplug core. */
	if (memory_blocks_init_boot)
		memory_blocks_init_boot();
}

void mm_machine_boot_pc(uint64_t ram_bytes, uint64_t boot_mem)
{
	const struct mm_range mem[] = {
		{ 0, 0x9f000, 0 },
		{ MiB(1), ram_bytes - MiB(1) - KiB(128), 0 },
	};
	const struct mm_range rsv[] = {
		{ 0, MiB(1), 0 },		/* BIOS, as start_kernel does */
		{ MiB(1), MiB(2), 0 },		/* the kernel image */
	};

	mm_machine_boot(mem, 2, rsv, 2, boot_mem);
}

void mm_machine_assert_clean(void)
{
	static struct pagetypes_result res;

	if (pagetypes_walk(&res)) {
		fprintf(stderr, "walker: %lu violations, first: %s\n", res.violations, res.first_violation);
		fail();
	}
	assert_int_equal(res.sections_skipped, 0);
}

struct page *mm_machine_alloc_movable_in(unsigned long start_pfn, unsigned long end_pfn)
{
	struct page *page = alloc_pages(GFP_MOVABLE, 0);

	assert_non_null(page);
	assert_int_equal(page->zone_idx, ZONE_MOVABLE);
	assert_true(page_to_pfn(page) >= start_pfn && page_to_pfn(page) < end_pfn);
	return page;
}

void mm_machine_snap(struct mm_counts *c)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &NODE_DATA(0)->node_zones[z];

		c->present[z] = zone->present_pages;
		c->managed[z] = zone_managed_pages(zone);
		c->spanned[z] = zone->spanned_pages;
		c->start[z] = zone->zone_start_pfn;
	}
	c->total_free = nr_free_pages();
	c->totalram = totalram_pages();
	c->present_all = total_present_pages();
}

void mm_machine_assert_same(const struct mm_counts *a, const struct mm_counts *b)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		assert_int_equal(a->present[z], b->present[z]);
		assert_int_equal(a->managed[z], b->managed[z]);
		assert_int_equal(a->spanned[z], b->spanned[z]);
		if (a->spanned[z])
			assert_int_equal(a->start[z], b->start[z]);
	}
	assert_int_equal(a->total_free, b->total_free);
	assert_int_equal(a->totalram, b->totalram);
	assert_int_equal(a->present_all, b->present_all);
}
