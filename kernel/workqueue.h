/* SPDX-License-Identifier: MIT */
/*
 * DOC: workqueue.h - deferred work: what an interrupt asks for, done later
 *
 * An interrupt handler must not allocate, online memory or wait; it queues
 * a work item and returns. The items run later, in process context, on
 * whichever CPU looks first: the boot CPU's idle shell loop, or an AP idle
 * in the job runner's loop. There is one queue and it is ordered (Linux's
 * alloc_ordered_workqueue): at most one item runs at any moment, system
 * wide, in the order queued, so work that changes the memory map never
 * races itself.
 *
 *     static void scan_fn(struct work_struct *w) { ... }
 *     static DECLARE_WORK(scan_work, scan_fn);
 *     queue_work(&scan_work);                    // any context, interrupts too
 *
 * An item is either pending (on the queue) or not; queueing a pending item
 * again does nothing and returns false. The pending bit is cleared just
 * before the function runs, so a queue_work() from an interrupt while it
 * runs makes it run once more afterwards: no event is lost.
 *
 * A delayed item (queue_delayed_work) is not due before its time; the
 * queue never wakes a CPU for it, so whoever relies on one must make sure
 * a CPU wakes up often enough (a periodic timer).
 */
#ifndef HOTMM_KERNEL_WORKQUEUE_H
#define HOTMM_KERNEL_WORKQUEUE_H

#include "lib/compiler.h"

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct work_struct *next;	/* on the queue while pending */
	work_func_t func;
	const char *name;		/* for messages and `workqueue` */
	uint64_t due_ns;		/* ktime from which it may run */
	bool pending;
	unsigned long runs;		/* times func ran */
};

#define __WORK_INITIALIZER(n, f)	{ .func = (f), .name = #n }
#define DECLARE_WORK(n, f)		struct work_struct n = __WORK_INITIALIZER(n, f)

static inline void INIT_WORK(struct work_struct *w, work_func_t fn, const char *name)
{
	*w = (struct work_struct){ .func = fn, .name = name };
}

/* Queue @w to run as soon as a CPU looks. Any context. False if already pending. */
bool queue_work(struct work_struct *w);
/* Queue @w, not to run before @delay_ns from now. False if already pending (its time stays). */
bool queue_delayed_work(struct work_struct *w, uint64_t delay_ns);
/* Take @w off the queue if it is pending (a running item finishes). True if it was pending. */
bool cancel_work(struct work_struct *w);
/*
 * As cancel_work(), and if @w is running on another CPU, wait until it has
 * returned: afterwards @w may be freed. Process context; from inside @w
 * itself it does not wait.
 */
bool cancel_work_sync(struct work_struct *w);

/*
 * Worker side, for idle loops: run the first due item on this CPU (@cpu,
 * for the statistics) unless another CPU is running one. True if an item ran.
 */
bool workqueue_do_work(unsigned int cpu);
/* Is an item due now and nobody running one? Idle loops ask with interrupts off before hlt. */
bool workqueue_pending(void);
/*
 * Run every item due now on this CPU, waiting for one another CPU is
 * running, until none is due and none runs. Process context only.
 */
void flush_workqueue(void);

struct workqueue_stats {
	unsigned long queued;		/* queue_work/queue_delayed_work calls that queued */
	unsigned long runs;		/* items run */
	unsigned long runs_by_cpu[4];	/* CPUs 0..2, and 3 = every other CPU */
	uint64_t max_latency_ns;	/* longest from due to start of run */
};
void workqueue_get_stats(struct workqueue_stats *s);

/*
 * From the machine (smp.c in the kernel, the test on the host): wake idle
 * CPUs so they look for work. Shared with the job runner.
 */
void arch_mt_job_kick(uint64_t mask);

#endif
