/* SPDX-License-Identifier: MIT */
/*
 * DOC: hotplug_selftest.c - in-kernel tests of memory hotplug on hot-added (withheld) RAM
 *
 * Both need hot-added blocks (boot with memhp_withhold=SIZE) and fail when
 * there are none, so a test run that forgot the option does not pass.
 *
 *   hotplug_pattern  every page of every online hot-added movable block can
 *                    be allocated; a pattern naming the pfn is written to
 *                    every byte and read back; all is freed again.
 *   hotplug_cycles   offline/online cycles of random blocks while the other
 *                    CPUs allocate, write, check and free movable pages
 *                    (through the job runner): each -EBUSY must leave the
 *                    block online in its zone; every fourth cycle the
 *                    allocators pause, and then a movable block must go
 *                    offline; the walker must be clean at the end.
 *   hotplug_balloon  a driver (drivers/memtest_balloon.c) keeps part of a
 *                    block Offline when it comes online: exactly its share
 *                    is held, the accounting (mm_selftest.h) adds up with
 *                    the pages present but not managed, the block still goes
 *                    offline (the driver lets go) and online again, and the
 *                    deflated pages reach the buddy.
 * Each reports one line (`hotplug_pattern`, `hotplug_cycles`,
 * `hotplug_balloon`) for the QEMU tests.
 */
#include <errno.h>
#include <string.h>

#include "lib/xorshift.h"

#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/mm_selftest.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "arch/x86_64/smp.h"
#include "drivers/memtest_balloon.h"
#include "kernel/mt_job.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

#define CYCLES		40
#define CHURN_PAGES	64

static struct pagetypes_result walk_res;

static bool pfn_in_hotadded_block(unsigned long pfn)
{
	struct memory_block *mem = find_memory_block(pfn_to_block_id(pfn));

	return mem && !mem->boot && pfn >= mem->start_pfn + mem->nr_vmemmap_pages;
}

static unsigned long offline_pages_in(const struct memory_block *mem)
{
	unsigned long pfn, n = 0;

	for (pfn = mem->start_pfn + mem->nr_vmemmap_pages; pfn < mem->start_pfn + mem->nr_pages; pfn++)
		n += page_type(pfn_to_page(pfn)) == PGTY_OFFLINE;
	return n;
}

static bool fill_and_check(struct page *page, unsigned int order)
{
	unsigned long i, n = 1UL << order;

	for (i = 0; i < n; i++) {
		uint64_t *p = page_address(page + i), want = page_to_pfn(page + i) * 0x9e3779b97f4a7c15ull;
		unsigned int w;

		for (w = 0; w < PAGE_SIZE / 8; w++)
			p[w] = want ^ w;
		for (w = 0; w < PAGE_SIZE / 8; w++) {
			if (p[w] != (want ^ w)) {
				pr_err("hotplug_pattern: pfn %#lx word %u reads %#llx, wrote %#llx\n",
				       page_to_pfn(page + i), w, (unsigned long long)p[w],
				       (unsigned long long)(want ^ w));
				return false;
			}
		}
	}
	return true;
}

static int test_hotplug_pattern(void)
{
	unsigned long in_blocks = 0, want = 0, total = 0;
	struct memory_block *mem;
	struct page *list = NULL, *page;
	bool ok = true;

	/* Every page of the blocks but their memmap and what a driver holds Offline. */
	for (mem = first_memory_block(); mem; mem = next_memory_block(mem))
		if (mem->state == MEM_BLOCK_ONLINE && mem->zone == ZONE_MOVABLE && !mem->boot)
			want += mem->nr_pages - mem->nr_vmemmap_pages - offline_pages_in(mem);
	if (!want) {
		pr_notice("hotplug_pattern: no online movable hot-added block (boot with memhp_withhold=SIZE)\n");
		return SELFTEST_SKIP;
	}
	drain_all_pages(NULL);
	/* Take every movable page there is; keep them chained through page->next. */
	while ((page = alloc_pages(GFP_MOVABLE | __GFP_NOWARN | __GFP_THISNODE, 0)) != NULL ||
	       (page = alloc_pages(GFP_MOVABLE | __GFP_NOWARN, 0)) != NULL) {
		page->next = list;
		list = page;
		total++;
		if (pfn_in_hotadded_block(page_to_pfn(page))) {
			in_blocks++;
			if (ok && !fill_and_check(page, 0))
				ok = false;
		}
	}
	while (list) {
		page = list;
		list = page->next;
		page->next = NULL;
		__free_page(page);
	}
	report("hotplug_pattern", "\"pages\":%lu,\"expected\":%lu,\"allocated\":%lu,\"ok\":%s",
	       in_blocks, want, total, ok ? "true" : "false");
	if (in_blocks != want) {
		pr_err("hotplug_pattern: allocated %lu pages of the online movable blocks, they have %lu\n",
		       in_blocks, want);
		return -EIO;
	}
	return ok ? 0 : -EIO;
}
SELFTEST(hotplug_pattern, test_hotplug_pattern);

/* ---- cycles under load ---- */

static volatile int churn_stop;
static int churn_pause, churn_inflight;		/* atomic: a quiet moment, rounds running */
static unsigned long churn_rounds, churn_errors;	/* atomic */

static void churn_one(void)
{
	struct page *pages[CHURN_PAGES];
	unsigned int i, n;

	for (n = 0; n < CHURN_PAGES; n++) {
		pages[n] = alloc_pages(GFP_MOVABLE | __GFP_NOWARN, 0);
		if (!pages[n])
			break;
		memset(page_address(pages[n]), (int)(page_to_pfn(pages[n]) & 0xff), PAGE_SIZE);
	}
	for (i = 0; i < n; i++) {
		const uint8_t *p = page_address(pages[i]);

		if (p[0] != (page_to_pfn(pages[i]) & 0xff) || p[PAGE_SIZE - 1] != p[0])
			__atomic_add_fetch(&churn_errors, 1, __ATOMIC_RELAXED);
		__free_page(pages[i]);
	}
	__atomic_add_fetch(&churn_rounds, 1, __ATOMIC_RELAXED);
}

/*
 * A chunk of the job is many rounds: run them until told to stop. While
 * paused, no round runs (and so no churn page is held): a round announces
 * itself before it looks at the pause, the pauser sets the pause before it
 * waits for the announced rounds to end.
 */
static void churn_round(unsigned long start, unsigned long end, void *arg)
{
	while (start < end && !READ_ONCE(churn_stop)) {
		__atomic_add_fetch(&churn_inflight, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&churn_pause, __ATOMIC_SEQ_CST)) {
			__atomic_sub_fetch(&churn_inflight, 1, __ATOMIC_SEQ_CST);
			cpu_relax();
			continue;
		}
		churn_one();
		__atomic_sub_fetch(&churn_inflight, 1, __ATOMIC_SEQ_CST);
		start++;
	}
}

static void churn_quiet(bool on)
{
	__atomic_store_n(&churn_pause, on, __ATOMIC_SEQ_CST);
	while (on && __atomic_load_n(&churn_inflight, __ATOMIC_SEQ_CST))
		cpu_relax();
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static unsigned long rnd(unsigned long n)
{
	return (unsigned long)(xorshift64(&rng_state) % n);
}

static int test_hotplug_cycles(void)
{
	static unsigned long ids[MAX_MEMORY_BLOCKS];	/* 16 KiB: not on a kernel stack */
	unsigned long nr = 0, ok = 0, busy = 0, other = 0, quiet = 0;
	struct memory_block *mem;
	static struct mt_job job;
	struct mt_job init = {
		.name = "hotplug_churn", .fn = churn_round,
		.start = 0, .size = 1UL << 20, .align = 1, .min_chunk = 1,
		.cpumask = 0,	/* every CPU; this one is busy cycling, so the others churn */
	};
	bool background = num_online_cpus() > 1;

	job = init;
	int i, ret, failed = 0;

	for (mem = first_memory_block(); mem; mem = next_memory_block(mem))
		if (mem->state == MEM_BLOCK_ONLINE && !mem->boot)
			ids[nr++] = mem->id;
	if (!nr) {
		pr_notice("hotplug_cycles: no online hot-added block (boot with memhp_withhold=SIZE)\n");
		return SELFTEST_SKIP;
	}
	churn_stop = 0;
	churn_pause = churn_inflight = 0;
	churn_rounds = churn_errors = 0;
	if (background && mt_job_start(&job))
		return -EINVAL;
	for (i = 0; i < CYCLES; i++) {
		unsigned long id = ids[rnd(nr)];
		/* Every fourth cycle nobody allocates: a movable block must then go offline. */
		bool is_quiet = i % 4 == 3;
		enum zone_type zone;

		mem = find_memory_block(id);
		zone = mem->zone;
		if (!background && !is_quiet)
			churn_one();
		if (is_quiet)
			churn_quiet(true);
		ret = memory_block_offline(id);
		if (is_quiet)
			churn_quiet(false);
		if (ret == -EBUSY && is_quiet && zone == ZONE_MOVABLE) {
			pr_err("hotplug_cycles: movable block %lu is busy while nothing allocates\n", id);
			failed = 1;
		}
		if (ret == -EBUSY) {
			busy++;
			if (mem->state != MEM_BLOCK_ONLINE || mem->zone != zone) {
				pr_err("hotplug_cycles: block %lu is %s in %s after -EBUSY\n", id,
				       memory_block_state_name(mem->state), zone_names[mem->zone]);
				failed = 1;
			}
			continue;
		}
		if (ret) {
			other++;
			failed = 1;
			continue;
		}
		ret = memory_block_online(id, zone == ZONE_MOVABLE ? MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL);
		if (ret) {
			pr_err("hotplug_cycles: block %lu did not come back online (%d)\n", id, ret);
			failed = 1;
		}
		ok++;
		quiet += is_quiet;
	}
	churn_stop = 1;
	if (background)
		mt_job_wait(&job);	/* every remaining round returns at once */
	drain_all_pages(NULL);
	if (pagetypes_walk(&walk_res)) {
		pr_err("hotplug_cycles: walker: %s\n", walk_res.first_violation);
		failed = 1;
	}
	report("hotplug_cycles", "\"cycles\":%d,\"ok\":%lu,\"quiet_ok\":%lu,\"busy\":%lu,\"errors\":%lu,"
	       "\"churn_rounds\":%lu,\"churn_errors\":%lu,\"cpus\":%u,\"walker_violations\":%lu", CYCLES, ok,
	       quiet, busy, other, churn_rounds, churn_errors, num_online_cpus(), walk_res.violations);
	if (churn_errors) {
		pr_err("hotplug_cycles: %lu pattern errors in the allocating CPUs' pages\n", churn_errors);
		failed = 1;
	}
	/*
	 * Under load a busy block is no failure: without migration, any page the
	 * churn holds in it pins it (how many cycles succeed depends on how
	 * much movable memory there is). Success is required only when quiet.
	 */
	return failed ? -EIO : 0;
}
SELFTEST(hotplug_cycles, test_hotplug_cycles);

/* ---- a driver holding pages Offline ---- */

#define BALLOON_ONE_IN	4

/* The pages memtest_balloon keeps of a block going online: every BALLOON_ONE_IN-th max-order piece. */
static unsigned long balloon_share(const struct memory_block *mem)
{
	unsigned long pfn, n = 0;

	for (pfn = mem->start_pfn + mem->nr_vmemmap_pages; pfn < mem->start_pfn + mem->nr_pages; pfn++)
		n += (pfn / MAX_ORDER_NR_PAGES) % BALLOON_ONE_IN == 0;
	return n;
}

/* Online the block again (same zone) with the balloon running; check what it holds. */
static int balloon_online(struct memory_block *mem, enum mmop type, unsigned long want, const char *when)
{
	int ret = memory_block_online(mem->id, type);

	if (ret) {
		pr_err("hotplug_balloon: block %lu did not come back online %s (%d)\n", mem->id, when, ret);
		return -EIO;
	}
	if (memtest_balloon_held() != want || offline_pages_in(mem) != want) {
		pr_err("hotplug_balloon: %s: the driver holds %lu pages, the block has %lu Offline, want %lu\n",
		       when, memtest_balloon_held(), offline_pages_in(mem), want);
		return -EIO;
	}
	return mm_selftest_accounting() ? -EIO : 0;
}

static int test_hotplug_balloon(void)
{
	struct memory_block *mem;
	unsigned long want = 0, given = 0;
	enum mmop type = MMOP_ONLINE_MOVABLE;
	int ret = -EIO, busy = 0;

	drain_all_pages(NULL);
	if (memtest_balloon_start(BALLOON_ONE_IN))
		return -EIO;
	/* The first online block that goes offline (others may hold pages in use). */
	for (mem = first_memory_block(); mem; mem = next_memory_block(mem)) {
		if (mem->state != MEM_BLOCK_ONLINE || mem->boot)
			continue;
		type = mem->zone == ZONE_MOVABLE ? MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL;
		if (!memory_block_offline(mem->id))
			break;
		busy++;
	}
	if (!mem) {
		memtest_balloon_stop();
		pr_notice("hotplug_balloon: no online hot-added block%s (boot with memhp_withhold=SIZE)\n",
			  busy ? " that could go offline" : "");
		return busy ? -EIO : SELFTEST_SKIP;
	}
	want = balloon_share(mem);
	if (balloon_online(mem, type, want, "with the balloon"))
		goto out;
	/* The driver lets its pages go in MEM_GOING_OFFLINE: the block can leave. */
	if (memory_block_offline(mem->id) || memtest_balloon_held()) {
		pr_err("hotplug_balloon: block %lu with held pages did not go offline cleanly (%lu still held)\n",
		       mem->id, memtest_balloon_held());
		memory_block_online(mem->id, type);
		goto out;
	}
	if (mm_selftest_accounting() || balloon_online(mem, type, want, "the second time"))
		goto out;
	given = memtest_balloon_deflate();
	if (given != want || memtest_balloon_held() || offline_pages_in(mem)) {
		pr_err("hotplug_balloon: deflate gave %lu pages of %lu, %lu still held, %lu Offline\n",
		       given, want, memtest_balloon_held(), offline_pages_in(mem));
		goto out;
	}
	ret = mm_selftest_accounting() ? -EIO : 0;
out:
	memtest_balloon_deflate();
	memtest_balloon_stop();
	drain_all_pages(NULL);
	if (pagetypes_walk(&walk_res)) {
		pr_err("hotplug_balloon: walker: %s\n", walk_res.first_violation);
		ret = -EIO;
	}
	report("hotplug_balloon", "\"block\":%lu,\"held\":%lu,\"given\":%lu,\"ok\":%s",
	       mem->id, want, given, ret ? "false" : "true");
	return ret;
}
SELFTEST(hotplug_balloon, test_hotplug_balloon);
