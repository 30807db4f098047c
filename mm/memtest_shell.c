/* SPDX-License-Identifier: MIT */
/*
 * DOC: memtest_shell.c - testing a running machine's free memory from the shell
 *
 * The options memtest=, memhp_memtest= and memtest_inject= and the boot hook
 * that reads them (memtest_setup()) live in mm/memtest.c.
 *
 * `memtest [PATTERNS] [node=N|block=N]` tests free memory of a running
 * machine without touching anything in use: under the hotplug lock (no
 * offline, no alloc_contig_range meanwhile), every CPU takes the free
 * blocks of one 4 MiB window at a time off the buddy (take_free_blocks():
 * they become allocations of the tester), tests them, retires the bad
 * pages and frees the rest, so at most one window per CPU is out of the
 * buddy at once and other allocations go on. Pages on per-CPU lists are
 * drained first; pages allocated meanwhile are simply not tested.
 *
 * `hwpoison PFN` is memory_failure(PFN) (mm/memory_failure.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/memtest.h"
#include "mm/memory_failure.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_alloc.h"
#include "mm/sparse.h"
#include "kernel/cmdline.h"
#include "kernel/mt_job.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "arch/x86_64/tsc.h"

/* ---- testing free memory of a running machine ---- */

struct live_test {
	struct zone *zone;
	const struct memtest_plan *plan;
	unsigned long tested, retired, windows;	/* pages; atomics */
};

/* Test what is free in one MAX_ORDER_NR_PAGES window; the window's memmap is in use. */
static void live_window(struct live_test *lt, unsigned long start, unsigned long end)
{
	uint16_t blocks[MAX_ORDER_NR_PAGES];
	struct memtest_bad bad = { 0 };
	unsigned int n, i;
	unsigned long tested = 0, retired = 0;

	n = take_free_blocks(lt->zone, start, end, blocks, ARRAY_SIZE(blocks));
	for (i = 0; i < n; i++) {
		unsigned long pfn = start + (blocks[i] & 0x7ff);
		unsigned int order = blocks[i] >> 11;

		memtest_pfn_range(lt->plan, pfn, pfn + (1UL << order), &bad);
		tested += 1UL << order;
	}
	for (i = 0; i < n; i++) {
		unsigned long pfn = start + (blocks[i] & 0x7ff), nr;
		unsigned int order = blocks[i] >> 11;
		struct page *page = pfn_to_page(pfn);
		bool hit = false;

		nr = 1UL << order;
		for (unsigned int r = 0; r < bad.nr; r++)
			if (bad.start[r] < pfn + nr && bad.end[r] > pfn)
				hit = true;
		if (!hit) {
			__free_pages(page, order);
			continue;
		}
		split_page(page, order);
		for (unsigned long k = 0; k < nr; k++) {
			if (memtest_bad_has(&bad, pfn + k)) {
				page_poison_allocated(page + k);
				/* Noted page by page: only what was retired (pieces merge again). */
				hwpoison_note_range(pfn + k, pfn + k + 1, "memtest");
				retired++;
			} else {
				__free_pages(page + k, 0);
			}
		}
	}
	if (retired)
		memtest_count_retired(bad.words, retired);
	__atomic_add_fetch(&lt->tested, tested, __ATOMIC_RELAXED);
	__atomic_add_fetch(&lt->retired, retired, __ATOMIC_RELAXED);
	__atomic_add_fetch(&lt->windows, 1, __ATOMIC_RELAXED);
}

static void live_chunk(unsigned long start, unsigned long end, void *arg)
{
	struct live_test *lt = arg;

	for (unsigned long pfn = start; pfn < end;) {
		unsigned long next = min(ALIGN(pfn + 1, MAX_ORDER_NR_PAGES), end);
		struct mem_section *ms = __pfn_to_section(pfn);

		/* Sections whose whole memmap is in use (boot RAM, online blocks) only. */
		if (ms && section_memmap_initialized(ms) && !(ms->flags & SECTION_MEMMAP_PARTIAL))
			live_window(lt, pfn, next);
		else
			next = min(ALIGN(pfn + 1, PAGES_PER_SECTION), end);
		pfn = next;
	}
}

static int live_test_range(const struct memtest_plan *plan, int only_nid, unsigned long spfn,
			   unsigned long epfn, unsigned long *tested, unsigned long *retired,
			   unsigned int *threads)
{
	int nid, ret;

	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	for_each_online_node(nid) {
		struct zone *zone;

		if (only_nid >= 0 && nid != only_nid)
			continue;
		for_each_zone_of(zone, NODE_DATA(nid)) {
			struct live_test lt = { .zone = zone, .plan = plan };
			unsigned long s = max(zone->zone_start_pfn, spfn), e = min(zone_end_pfn(zone), epfn);
			struct mt_job job;

			if (s >= e || !zone_managed_pages(zone))
				continue;
			s = ALIGN_DOWN(s, MAX_ORDER_NR_PAGES);
			drain_all_pages(zone);
			job = (struct mt_job){
				.name = "memtest", .fn = live_chunk, .arg = &lt,
				.start = s, .size = e - s,
				.align = MAX_ORDER_NR_PAGES, .min_chunk = MAX_ORDER_NR_PAGES,
			};
			if (mt_job_run(&job))
				live_chunk(s, e, &lt);
			*tested += lt.tested;
			*retired += lt.retired;
			*threads = max(*threads, job.joined);
		}
	}
	mem_hotplug_done();
	return 0;
}

static int cmd_memtest(int argc, char **argv)
{
	struct memtest_plan plan;
	const char *spec = NULL;
	unsigned long spfn = 0, epfn = ~0UL, tested = 0, retired = 0, sweeps;
	unsigned int threads = 0;
	int only_nid = -1, ret;
	uint64_t t0, ns, bytes, mgibs;
	struct memtest_stats total;

	for (int i = 1; i < argc; i++) {
		uint64_t v;

		if (!strncmp(argv[i], "node=", 5)) {
			if (!parse_u64_range(argv[i] + 5, 0, MAX_NUMNODES - 1, &v) || !node_has_pgdat((int)v)) {
				shell_printf("memtest: %s: not a node with memory\n", argv[i]);
				return -EINVAL;
			}
			only_nid = (int)v;
		} else if (!strncmp(argv[i], "block=", 6)) {
			if (!parse_u64_range(argv[i] + 6, 0, ~0UL / memory_block_pages() - 1, &v)) {
				shell_printf("memtest: %s: not a memory block number\n", argv[i]);
				return -EINVAL;
			}
			spfn = v * memory_block_pages();
			epfn = spfn + memory_block_pages();
		} else if (!spec) {
			spec = argv[i];
		} else {
			shell_printf("usage: memtest [PATTERNS] [node=N|block=N]\n");
			return -EINVAL;
		}
	}
	if (memtest_parse(spec, "memtest", &plan))
		return -EINVAL;
	if (!plan.nr) {
		shell_printf("memtest: 0 passes: nothing to do\n");
		return 0;
	}
	sweeps = memtest_plan_sweeps(&plan);
	t0 = ktime_get_ns();
	ret = live_test_range(&plan, only_nid, spfn, epfn, &tested, &retired, &threads);
	ns = ktime_get_ns() - t0;
	hwpoison_flush_reports();
	if (ret) {
		shell_printf("memtest: cannot take the hotplug lock (%d)\n", ret);
		return ret;
	}
	bytes = (uint64_t)tested << PAGE_SHIFT;
	/* GiB/s of sweeps (memtest.h), in thousandths: bytes x sweeps / ns x 1e9 / 2^30. */
	mgibs = ns ? (uint64_t)((unsigned __int128)bytes * sweeps * 1000000000000ULL / ns >> 30) : 0;
	shell_printf("memtest: %llu MiB free memory tested, %u passes (%lu sweeps), %u CPUs, %llu ms, "
		     "%llu.%03llu GiB/s per sweep; %lu bad pages retired\n",
		     (unsigned long long)(bytes >> 20), plan.nr, sweeps, threads, (unsigned long long)(ns / 1000000),
		     (unsigned long long)(mgibs / 1000), (unsigned long long)(mgibs % 1000), retired);
	memtest_get_stats(&total);
	shell_printf("since boot (memtest=, memhp_memtest=, this command): %lu MiB tested, %lu bad pages retired\n",
		     total.bytes >> 20, total.bad_pages);
	report("memtest", "\"where\":\"live\",\"bytes\":%llu,\"passes\":%u,\"sweeps\":%lu,\"threads\":%u,"
	       "\"took_ns\":%llu,\"bad_pages\":%lu", (unsigned long long)bytes, plan.nr, sweeps, threads,
	       (unsigned long long)ns, retired);
	return 0;
}
SHELL_COMMAND(memtest, cmd_memtest, "[PATTERNS] [node=N|block=N]",
	      "test free memory on every CPU (PATTERNS: N, linux, movinv, movinv8, addr); bad pages become HWPoison");

static int cmd_hwpoison(int argc, char **argv)
{
	uint64_t pfn;
	int ret;

	if (argc != 2 || !parse_u64_range(argv[1], 0, ~0UL >> PAGE_SHIFT, &pfn)) {
		shell_printf("usage: hwpoison PFN   (memory_failure(PFN): take the page out of use)\n");
		return -EINVAL;
	}
	ret = memory_failure((unsigned long)pfn);
	shell_printf("hwpoison %#llx: %s (%d)\n", (unsigned long long)pfn,
		     !ret ? "HWPoison" : ret == -EBUSY ? "in use, not taken out" : "failed", ret);
	return ret;
}
SHELL_COMMAND(hwpoison, cmd_hwpoison, "PFN", "memory_failure(PFN): a page found bad in use is taken out of use");
