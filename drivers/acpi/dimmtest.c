/* SPDX-License-Identifier: MIT */
/*
 * DOC: dimmtest.c - shell helpers for the DIMM tests (kernel only)
 *
 * What tests/qemu/test_dimm.py needs to do to the memory of a DIMM from
 * inside the guest, through the ordinary page allocator (never by poking
 * at pfns the allocator did not hand out):
 *
 *   dimmtest fill N [kernel]   take every page the allocator has on the
 *                              slot's node, write a pattern into every word
 *                              of those inside the DIMM, verify, give all
 *                              back; report how many were inside the DIMM
 *   dimmtest hold N [COUNT] [movable|pinned|kernel]
 *                              keep COUNT (default 16) patterned pages that
 *                              lie inside the DIMM: movable (the default)
 *                              pages of the dimmtest owner, which migration
 *                              moves out of the DIMM on offline or eject;
 *                              pinned: the same, pinned (pin_page), so they
 *                              stay and keep the DIMM; kernel: GFP_KERNEL
 *                              pages, unmovable (only a DIMM onlined to the
 *                              kernel zone can give them)
 *   dimmtest release           verify the held pages' pattern, free them
 *   dimmtest churn start|stop  allocate, pattern, verify and free in a loop
 *                              on every other CPU until stopped
 *
 * Lists of allocated blocks are chained through page->next, the owner's
 * link, so nothing is allocated for the bookkeeping. Held pages are the
 * exception: a movable page is replaced by its copy when it migrates, so
 * they live in a table (held[], index in page->private) that the migrate
 * callback updates, and their pattern names the index, not the pfn.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/acpi/acpi_memhotplug.h"
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "kernel/mt_job.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/migrate.h"
#include "mm/memory_hotplug.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/percpu.h"

#define WORDS_PER_PAGE	(PAGE_SIZE / sizeof(uint64_t))

static inline uint64_t pattern(unsigned long pfn, unsigned long i)
{
	return ((uint64_t)pfn << 16) ^ i ^ 0xd1a5c0ffee000000ull;
}

static void fill_page(unsigned long pfn)
{
	uint64_t *p = __va(PFN_PHYS(pfn));

	for (unsigned long i = 0; i < WORDS_PER_PAGE; i++)
		p[i] = pattern(pfn, i);
}

static unsigned long check_page(unsigned long pfn)
{
	const uint64_t *p = __va(PFN_PHYS(pfn));
	unsigned long bad = 0;

	for (unsigned long i = 0; i < WORDS_PER_PAGE; i++)
		bad += p[i] != pattern(pfn, i);
	return bad;
}

static bool get_dimm(const char *arg, unsigned int *slot, struct memhp_slot *s)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 0);

	if (*end || !*arg || !memhp_get_slot((unsigned int)n, s)) {
		shell_printf("dimmtest: no slot '%s' (`hotplug` lists them)\n", arg);
		return false;
	}
	if (!s->added) {
		shell_printf("dimmtest: slot %lu holds no memory we added\n", n);
		return false;
	}
	*slot = (unsigned int)n;
	return true;
}

static void free_list(struct page *list)
{
	while (list) {
		struct page *next = list->next;

		__free_pages(list, list->order);
		list = next;
	}
}

/* ---- fill ---- */

static int dimm_fill(unsigned int slot, const struct memhp_slot *s, bool kernel)
{
	unsigned long lo = PFN_DOWN(s->add_start), hi = PFN_DOWN(s->add_start + s->add_size);
	unsigned long in_dimm = 0, allocated = 0, bad = 0;
	gfp_t gfp = (kernel ? GFP_KERNEL : GFP_MOVABLE) | __GFP_NOWARN | __GFP_THISNODE;
	struct page *list = NULL, *page;

	for (int order = 10; order >= 0; order--)
		while ((page = alloc_pages_node(s->nid, gfp, (unsigned int)order))) {
			page->order = (uint8_t)order;	/* the owner's copy, for the free */
			page->next = list;
			list = page;
			allocated += 1ul << order;
		}
	for (page = list; page; page = page->next) {
		unsigned long pfn = page_to_pfn(page), n = 1ul << page->order;

		if (pfn < lo || pfn + n > hi)
			continue;
		in_dimm += n;
		for (unsigned long i = 0; i < n; i++)
			fill_page(pfn + i);
	}
	for (page = list; page; page = page->next) {
		unsigned long pfn = page_to_pfn(page), n = 1ul << page->order;

		if (pfn >= lo && pfn + n <= hi)
			for (unsigned long i = 0; i < n; i++)
				bad += check_page(pfn + i);
	}
	free_list(list);
	shell_printf("slot %u: %lu pages allocated on node %d, %lu inside the DIMM, %lu bad words\n",
		     slot, allocated, s->nid, in_dimm, bad);
	report("dimm_fill", "\"slot\":%u,\"nid\":%d,\"allocated\":%lu,\"in_dimm\":%lu,\"dimm_pages\":%lu,"
	       "\"bad_words\":%lu", slot, s->nid, allocated, in_dimm, hi - lo, bad);
	return bad ? -EIO : 0;
}

/* ---- hold / release ---- */

enum hold_kind { HOLD_MOVABLE, HOLD_PINNED, HOLD_KERNEL };
static const char *const hold_kind_names[] = { "movable", "pinned", "kernel" };

/*
 * Static, not kmalloc'ed: on a DIMM onlined to the kernel zone a table
 * allocated after the plug could land on the DIMM itself and keep it.
 */
#define MAX_HELD	16384

struct held_page {
	struct page *page;
	enum hold_kind kind;
};

/* held[i].page holds hold_pattern(i, word); the migrate callback swaps in the copy. */
static struct held_page held[MAX_HELD];
static unsigned long nr_held;
static bool releasing;		/* release frees them: no move may start */
static DEFINE_SPINLOCK(held_lock);

static inline uint64_t hold_pattern(unsigned long idx, unsigned long i)
{
	return ((uint64_t)idx << 20) ^ i ^ 0x401dc0ffee000000ull;
}

static void hold_fill(struct page *page, unsigned long idx)
{
	uint64_t *p = page_address(page);

	for (unsigned long i = 0; i < WORDS_PER_PAGE; i++)
		p[i] = hold_pattern(idx, i);
}

static unsigned long hold_check(const struct page *page, unsigned long idx)
{
	const uint64_t *p = page_address(page);
	unsigned long bad = 0;

	for (unsigned long i = 0; i < WORDS_PER_PAGE; i++)
		bad += p[i] != hold_pattern(idx, i);
	return bad;
}

static bool hold_isolate(struct page *page)
{
	(void)page;
	/*
	 * Nobody but release touches the pages; offline cannot run while it
	 * holds the hotplug lock, and this keeps out the moves that do not
	 * take it (alloc_contig_range, soft_offline_page).
	 */
	return !READ_ONCE(releasing);
}

static int hold_migrate(struct page *dst, struct page *src)
{
	unsigned long idx = src->private;

	/* A pin taken after isolation (mm/migrate.h, step 4): src stays as it is. */
	if (page_maybe_dma_pinned(src))
		return -EBUSY;
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
	dst->private = idx;
	spin_lock(&held_lock);
	if (idx >= nr_held || held[idx].page != src) {
		spin_unlock(&held_lock);
		return -EINVAL;
	}
	held[idx].page = dst;
	spin_unlock(&held_lock);
	__SetPageMovable(dst, page_movable_ops(src));
	return 0;
}

static void hold_putback(struct page *page)
{
	(void)page;	/* it never left the table */
}

static const struct movable_operations dimmtest_ops = {
	.name = "dimmtest", .isolate_page = hold_isolate,
	.migrate_page = hold_migrate, .putback_page = hold_putback,
};

static int dimm_hold(unsigned int slot, const struct memhp_slot *s, unsigned long want, enum hold_kind kind)
{
	unsigned long lo = PFN_DOWN(s->add_start), hi = PFN_DOWN(s->add_start + s->add_size);
	unsigned long got = 0, other = 0;
	gfp_t gfp = (kind == HOLD_KERNEL ? GFP_KERNEL : GFP_MOVABLE) | __GFP_NOWARN | __GFP_THISNODE;
	struct page *outside = NULL, *page;

	if (want > MAX_HELD - nr_held) {
		shell_printf("dimmtest: at most %d pages held at once (%lu are)\n", MAX_HELD, nr_held);
		return -EINVAL;
	}
	while (got < want && (page = alloc_pages_node(s->nid, gfp, 0))) {
		unsigned long pfn = page_to_pfn(page), idx = nr_held;

		page->order = 0;
		if (pfn < lo || pfn >= hi) {
			page->next = outside;
			outside = page;
			other++;
			continue;
		}
		page->private = idx;
		hold_fill(page, idx);
		if (kind == HOLD_PINNED && pin_page(page)) {
			__free_page(page);
			break;
		}
		if (kind != HOLD_KERNEL)
			__SetPageMovable(page, &dimmtest_ops);
		spin_lock(&held_lock);
		held[idx] = (struct held_page){ .page = page, .kind = kind };
		nr_held = idx + 1;
		spin_unlock(&held_lock);
		got++;
	}
	free_list(outside);
	shell_printf("slot %u: holding %lu %s pages inside the DIMM (%lu outside it given back)\n",
		     slot, got, hold_kind_names[kind], other);
	report("dimm_hold", "\"slot\":%u,\"kind\":\"%s\",\"held\":%lu,\"total_held\":%lu", slot,
	       hold_kind_names[kind], got, nr_held);
	return got == want ? 0 : -ENOMEM;
}

static int dimm_release(void)
{
	unsigned long bad = 0, n, inside_dimms = 0;
	int ret;

	/* No offline (and so no migration of these pages) runs while the lock is held. */
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	WRITE_ONCE(releasing, true);
	for (n = 0; n < nr_held; n++) {
		struct memhp_slot s;
		struct page *page;

		/* Isolated just before releasing was set: that move ends (or fails) soon. */
		while (held[n].kind != HOLD_KERNEL && PageIsolated(READ_ONCE(held[n].page)))
			cpu_relax();
		page = held[n].page;
		bad += hold_check(page, n);
		for (unsigned int i = 0; memhp_get_slot(i, &s); i++)
			if (s.added && page_to_phys(page) >= s.add_start && page_to_phys(page) < s.add_start + s.add_size) {
				inside_dimms++;
				break;
			}
		if (held[n].kind == HOLD_PINNED)
			unpin_page(page);
		if (held[n].kind != HOLD_KERNEL)
			__ClearPageMovable(page);
		__free_page(page);
	}
	spin_lock(&held_lock);
	nr_held = 0;
	spin_unlock(&held_lock);
	WRITE_ONCE(releasing, false);
	mem_hotplug_done();
	shell_printf("released %lu pages (%lu still inside a DIMM), %lu bad words\n", n, inside_dimms, bad);
	report("dimm_release", "\"released\":%lu,\"in_dimms\":%lu,\"bad_words\":%lu", n, inside_dimms, bad);
	return bad ? -EIO : 0;
}

/* ---- churn on the other CPUs ---- */

static volatile bool churn_stop;
static unsigned long churn_ops, churn_bad, churn_fail;
static struct mt_job churn_job;

static void churn_fn(unsigned long start, unsigned long end, void *arg)
{
	unsigned long n = 0;

	while (!READ_ONCE(churn_stop)) {
		unsigned int order = (unsigned int)(n++ % 4);
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		unsigned long pfn;

		if (!page) {
			__atomic_add_fetch(&churn_fail, 1, __ATOMIC_RELAXED);
			continue;
		}
		pfn = page_to_pfn(page);
		for (unsigned long i = 0; i < (1ul << order); i++)
			fill_page(pfn + i);
		for (unsigned long i = 0; i < (1ul << order); i++)
			__atomic_add_fetch(&churn_bad, check_page(pfn + i), __ATOMIC_RELAXED);
		__free_pages(page, order);
		__atomic_add_fetch(&churn_ops, 1, __ATOMIC_RELAXED);
	}
}

static int churn(bool start)
{
	uint64_t others = READ_ONCE(cpu_online_mask) & ~(1ull << smp_processor_id());
	unsigned int n = (unsigned int)__builtin_popcountll(others);

	if (start) {
		if (churn_job.state == MT_JOB_RUNNING) {
			shell_printf("dimmtest churn: already running\n");
			return -EBUSY;
		}
		if (!n) {
			/* The job would run here and never return to the shell to be stopped. */
			shell_printf("dimmtest churn: needs a CPU besides this one (-smp 2 or more)\n");
			return -ENODEV;
		}
		churn_stop = false;
		churn_ops = churn_bad = churn_fail = 0;
		/*
		 * Held, then released: mt_job_start() runs a job whose mask has
		 * one CPU on the caller itself, and this one only ends when the
		 * shell (the caller) says stop.
		 */
		churn_job = (struct mt_job){ .name = "dimm_churn", .fn = churn_fn, .start = 0, .size = n,
					     .align = 1, .min_chunk = 1, .max_threads = n, .cpumask = others,
					     .flags = MT_JOB_HOLD_HELPERS };
		if (mt_job_start(&churn_job))
			return -EINVAL;
		mt_job_release_helpers(&churn_job);
		shell_printf("churn: running on %u CPU%s\n", n, n > 1 ? "s" : "");
		return 0;
	}
	if (churn_job.state != MT_JOB_RUNNING) {
		shell_printf("dimmtest churn: not running\n");
		return -EINVAL;
	}
	/*
	 * The other CPUs join from their idle loops, after whatever work item
	 * they are running (a DIMM add, say): give them up to 10 s to have done
	 * one round, so "stop" right after a plug still reports churn that ran
	 * alongside it rather than a job this CPU ends unstarted.
	 */
	for (uint64_t t0 = ktime_get_ns(); !__atomic_load_n(&churn_ops, __ATOMIC_RELAXED) &&
	     ktime_get_ns() - t0 < 10ull * 1000 * 1000 * 1000;)
		cpu_relax();
	churn_stop = true;
	mt_job_wait(&churn_job);
	shell_printf("churn: %lu allocations on %u CPUs, %lu failed, %lu bad words\n", churn_ops,
		     churn_job.nr_threads, churn_fail, churn_bad);
	report("dimm_churn", "\"ops\":%lu,\"cpus\":%u,\"failed\":%lu,\"bad_words\":%lu", churn_ops,
	       churn_job.nr_threads, churn_fail, churn_bad);
	return churn_bad ? -EIO : 0;
}

static int cmd_dimmtest(int argc, char **argv)
{
	struct memhp_slot s;
	unsigned int slot;

	if (argc >= 3 && !strcmp(argv[1], "fill") && get_dimm(argv[2], &slot, &s))
		return dimm_fill(slot, &s, argc > 3 && !strcmp(argv[3], "kernel"));
	if (argc >= 3 && argc <= 5 && !strcmp(argv[1], "hold") && get_dimm(argv[2], &slot, &s)) {
		enum hold_kind kind = HOLD_MOVABLE;
		unsigned long count = 16;

		for (int i = 3; i < argc; i++) {
			if (!strcmp(argv[i], "movable"))
				kind = HOLD_MOVABLE;
			else if (!strcmp(argv[i], "pinned"))
				kind = HOLD_PINNED;
			else if (!strcmp(argv[i], "kernel"))
				kind = HOLD_KERNEL;
			else if (!(count = strtoul(argv[i], NULL, 0)))
				goto usage;
		}
		return dimm_hold(slot, &s, count, kind);
	}
	if (argc == 2 && !strcmp(argv[1], "release"))
		return dimm_release();
	if (argc == 3 && !strcmp(argv[1], "churn") && (!strcmp(argv[2], "start") || !strcmp(argv[2], "stop")))
		return churn(!strcmp(argv[2], "start"));
usage:
	shell_printf("usage: dimmtest fill N [kernel] | hold N [COUNT] [movable|pinned|kernel] | release | "
		     "churn start|stop\n");
	return -EINVAL;
}
SHELL_COMMAND(dimmtest, cmd_dimmtest, "fill N [kernel]|hold N [COUNT] [movable|pinned|kernel]|release|churn start|stop",
	      "exercise a DIMM's memory through the page allocator (tests)");
