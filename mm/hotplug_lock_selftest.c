/* SPDX-License-Identifier: MIT */
/*
 * DOC: hotplug_lock_selftest.c - in-kernel test of the hotplug lock under contention
 *
 * hotplug_lock_contended: the boot CPU onlines a range of hot-added blocks
 * (boot with memhp_withhold=SIZE, two blocks at least) while another CPU,
 * from the work queue as the ACPI driver's scan runs, asks to offline one of
 * them. A memory notifier tells that CPU to go once the boot CPU holds the
 * lock, so the ask always lands while the online runs. What must hold:
 *   - the waiter does not spin blind: it runs chunks of the holder's
 *     parallel jobs while it waits (counted by the lock; and the holder
 *     runs one job, from the notifier, that cannot finish unless another
 *     CPU runs a chunk of it), and its own request then completes (0: the
 *     block it asked for goes offline);
 *   - a request from a CPU with interrupts off (an IPI handler) while the
 *     lock is held is refused at once with -EBUSY, and one from the holder
 *     itself (a notifier calling back) with -EDEADLK;
 *   - afterwards every block of the range is online again and the walker
 *     is clean.
 * Skipped, saying why, on one CPU or without two hot-added blocks.
 */
#include <errno.h>

#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/pagetypes.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "kernel/mt_job.h"
#include "kernel/workqueue.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

#define WAIT_NS		(20ull * 1000 * 1000 * 1000)	/* far above any online of a test range */

static struct {
	unsigned long first_id, victim_id;
	int go, started, done, probe_helped;
	int ret, irqoff_ret, reentry_ret;
	unsigned int waiter_cpu;
} t;

static struct pagetypes_result walk_res;

/* On the waiter's CPU in an IPI: interrupts are off there. */
static void ask_with_irqs_off(void *arg)
{
	t.irqoff_ret = memory_block_offline(t.victim_id);
}

/*
 * A job the holder runs under the lock that cannot end until another CPU
 * has run one of its chunks: the waiter is the only other CPU that can, so
 * it ends (within the bound) only if waiting means helping.
 */
static void probe_chunk(unsigned long start, unsigned long end, void *arg)
{
	uint64_t t0 = ktime_get_ns();

	if (smp_processor_id() == t.waiter_cpu) {
		__atomic_store_n(&t.probe_helped, 1, __ATOMIC_RELEASE);
		return;
	}
	while (!__atomic_load_n(&t.probe_helped, __ATOMIC_ACQUIRE) && ktime_get_ns() - t0 < WAIT_NS)
		cpu_relax();
}

static int lock_notifier(struct memory_notifier *nb, enum memory_notify_action action,
			 const struct memory_notify *arg)
{
	struct mt_job probe = {
		.name = "hotplug_lock_probe", .fn = probe_chunk,
		.start = 0, .size = 16, .align = 1, .min_chunk = 1,
	};
	if (action != MEM_GOING_ONLINE || arg->mem->id != t.first_id)
		return 0;
	uint64_t t0;

	t.reentry_ret = memory_block_offline(t.victim_id);
	__atomic_store_n(&t.go, 1, __ATOMIC_RELEASE);
	/* The rest of the range's online (the other blocks' jobs) runs while the waiter waits. */
	t0 = ktime_get_ns();
	while (!mem_hotplug_lock_waiters() && ktime_get_ns() - t0 < WAIT_NS)
		cpu_relax();
	smp_call_function_single(t.waiter_cpu, ask_with_irqs_off, NULL);
	mt_job_run(&probe);
	return 0;
}

static struct memory_notifier lock_nb = { .fn = lock_notifier };

static void waiter_fn(struct work_struct *w)
{
	t.waiter_cpu = smp_processor_id();
	__atomic_store_n(&t.started, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&t.go, __ATOMIC_ACQUIRE))
		cpu_relax();
	t.ret = memory_block_offline(t.victim_id);
	__atomic_store_n(&t.done, 1, __ATOMIC_RELEASE);
}

static DECLARE_WORK(waiter_work, waiter_fn);

static bool wait_flag(int *flag)
{
	uint64_t t0 = ktime_get_ns();

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (ktime_get_ns() - t0 > WAIT_NS)
			return false;
		cpu_relax();
	}
	return true;
}

static int test_hotplug_lock_contended(void)
{
	uint64_t start[4], size[4], base, len, waits0, helped0, waits1, helped1;
	int nid[4], ret, failed = 0;
	unsigned int i, n;

	if (num_online_cpus() < 2) {
		pr_notice("hotplug_lock_contended: one CPU online; contention needs two\n");
		return SELFTEST_SKIP;
	}
	n = memhp_withheld_ranges(start, size, nid, ARRAY_SIZE(start));
	for (i = 0; i < n && i < ARRAY_SIZE(start); i++)
		if (size[i] >= 2 * memory_block_size_bytes())
			break;
	if (i >= n || i >= ARRAY_SIZE(start)) {
		pr_notice("hotplug_lock_contended: no hot-added range of two blocks (boot with memhp_withhold=SIZE)\n");
		return SELFTEST_SKIP;
	}
	base = start[i];
	len = size[i];
	ret = offline_memory_range(base, len);
	if (ret) {
		pr_notice("hotplug_lock_contended: range [%#llx-%#llx) is in use (%d); nothing to contend for\n",
			  (unsigned long long)base, (unsigned long long)(base + len), ret);
		return SELFTEST_SKIP;
	}
	t.first_id = pfn_to_block_id(PFN_DOWN(base));
	t.victim_id = pfn_to_block_id(PFN_DOWN(base + len)) - 1;
	t.go = t.started = t.done = t.probe_helped = 0;
	t.ret = t.irqoff_ret = t.reentry_ret = 1;
	mem_hotplug_lock_stats(&waits0, &helped0);
	register_memory_notifier(&lock_nb);

	queue_work(&waiter_work);
	if (!wait_flag(&t.started)) {
		pr_err("hotplug_lock_contended: no CPU picked up the waiter's work item\n");
		failed = 1;
		__atomic_store_n(&t.go, 1, __ATOMIC_RELEASE);
	}
	ret = online_memory_range(base, len, MMOP_ONLINE_MOVABLE);
	if (ret) {
		pr_err("hotplug_lock_contended: online of the range failed (%d)\n", ret);
		failed = 1;
	}
	if (!wait_flag(&t.done)) {
		pr_err("hotplug_lock_contended: the waiter did not get the lock within %llu s\n",
		       WAIT_NS / 1000000000ull);
		unregister_memory_notifier(&lock_nb);
		return -ETIMEDOUT;	/* the waiter still uses t: leave everything as it is */
	}
	unregister_memory_notifier(&lock_nb);
	mem_hotplug_lock_stats(&waits1, &helped1);

	if (t.reentry_ret != -EDEADLK) {
		pr_err("hotplug_lock_contended: re-entry from a notifier returned %d, not -EDEADLK\n", t.reentry_ret);
		failed = 1;
	}
	if (t.irqoff_ret != -EBUSY) {
		pr_err("hotplug_lock_contended: a request with interrupts off returned %d, not -EBUSY\n",
		       t.irqoff_ret);
		failed = 1;
	}
	if (t.ret) {
		pr_err("hotplug_lock_contended: the waiter's offline of block %lu returned %d\n", t.victim_id, t.ret);
		failed = 1;
	}
	if (!t.probe_helped) {
		pr_err("hotplug_lock_contended: the waiting CPU never ran a chunk of the holder's job\n");
		failed = 1;
	}
	if (waits1 == waits0 || helped1 == helped0) {
		pr_err("hotplug_lock_contended: the waiter waited %llu times and ran %llu job chunks while "
		       "waiting; it should have done both\n", (unsigned long long)(waits1 - waits0),
		       (unsigned long long)(helped1 - helped0));
		failed = 1;
	}
	/* Back as it was: every block of the range online. */
	ret = online_memory_range(base, len, MMOP_ONLINE_MOVABLE);
	if (ret) {
		pr_err("hotplug_lock_contended: could not bring the range back online (%d)\n", ret);
		failed = 1;
	}
	if (pagetypes_walk(&walk_res)) {
		pr_err("hotplug_lock_contended: walker: %s\n", walk_res.first_violation);
		failed = 1;
	}
	report("hotplug_lock_contended", "\"waits\":%llu,\"helped_jobs\":%llu,\"waiter_ret\":%d,"
	       "\"irqoff_ret\":%d,\"reentry_ret\":%d,\"waiter_cpu\":%u",
	       (unsigned long long)(waits1 - waits0), (unsigned long long)(helped1 - helped0), t.ret,
	       t.irqoff_ret, t.reentry_ret, t.waiter_cpu);
	return failed ? -EIO : 0;
}
SELFTEST(hotplug_lock_contended, test_hotplug_lock_contended);
