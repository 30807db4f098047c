/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_machine.h - a simulated machine for the mm host tests
 *
 * mm_machine_boot() builds what start_kernel would leave behind before the
 * memory core runs: memblock with the given RAM ranges (and nodes) and
 * reservations, "physical memory" and a vmemmap as host mappings (lazily
 * backed: untouched RAM costs nothing), then runs the real sparse_init()
 * and mm_core_init_size(). Everything is reset first, so each test case
 * starts from a fresh boot.
 */
#ifndef HOTMM_TESTS_MM_MACHINE_H
#define HOTMM_TESTS_MM_MACHINE_H

#include <stdint.h>
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/numa.h"
#include "mm/mmzone.h"

struct mm_range {
	uint64_t base, size;
	int nid;
};

#define MiB(x)	((uint64_t)(x) << 20)
#define KiB(x)	((uint64_t)(x) << 10)

/* Build memblock, run sparse_init() + mm_core_init_size(boot_mem). */
void mm_machine_boot(const struct mm_range *mem, int nr_mem, const struct mm_range *rsv,
		     int nr_rsv, uint64_t boot_mem);
/* Only memblock + host memory: for tests that drive the steps themselves. */
void mm_machine_setup(const struct mm_range *mem, int nr_mem, const struct mm_range *rsv,
		      int nr_rsv);
struct page;
/* Sections far above boot RAM (up to this pfn, 8 TiB) may get a memmap of their own. */
#define MM_MACHINE_FAR_PFN_LIMIT	(1UL << (43 - PAGE_SHIFT))
void *mm_machine_map_far_memmap(unsigned long pfn, unsigned long nr);
void mm_machine_unmap_far_memmap(void *memmap_of_range, unsigned long nr);
void mm_machine_teardown(void);

/* A QEMU-like 512 MiB PC: RAM 0-0x9f000 and 1 MiB-(512M-128K), low 1 MiB and a 2 MiB kernel reserved. */
void mm_machine_boot_pc(uint64_t ram, uint64_t boot_mem);

/* What mm_init.c registered with pgtable_set_allocator() (stubbed here). */
extern pgtable_alloc_fn mm_machine_pt_alloc;
extern pgtable_free_fn mm_machine_pt_free;

/* Counts the walker must give; fails the test with the first violation. */
void mm_machine_assert_clean(void);

/* An order-0 movable page that must lie in [start_pfn, end_pfn) and ZONE_MOVABLE (fails the test otherwise). */
struct page *mm_machine_alloc_movable_in(unsigned long start_pfn, unsigned long end_pfn);

/*
 * Node 0's zone counts and the global ones, for "a failed operation leaves
 * every count as it was" and "a full cycle gives back the boot counts".
 */
struct mm_counts {
	unsigned long present[MAX_NR_ZONES], managed[MAX_NR_ZONES], spanned[MAX_NR_ZONES];
	unsigned long start[MAX_NR_ZONES];
	unsigned long total_free, totalram, present_all;
};

void mm_machine_snap(struct mm_counts *c);
/* Fails the test unless a and b agree (a zone's start only where it spans pages). */
void mm_machine_assert_same(const struct mm_counts *a, const struct mm_counts *b);

/*
 * The machine outside mm, as the hotplug suites see it, defined weak in
 * mm_machine.c so a suite that wants another one defines its own: the SRAT
 * hot-pluggable windows are mm_machine_nr_windows (1) copies of
 * mm_machine_window ([512 MiB, 1 GiB) on node 0); arch_add_direct_map()
 * counts into mm_machine_direct_maps (maps minus unmaps) and fails once,
 * with -ENOMEM, while mm_machine_direct_map_fail is set; no command line;
 * one CPU (the test thread) runs every job. mm_machine_setup() (so every
 * boot) sets them back to these defaults; a suite changes them after it.
 */
extern struct numa_hotplug_range mm_machine_window;
extern unsigned int mm_machine_nr_windows;
extern int mm_machine_direct_map_fail;
extern int mm_machine_direct_maps;

#endif
