/* SPDX-License-Identifier: MIT */
/*
 * DOC: workqueue.c - one ordered queue of deferred work
 *
 * A singly linked FIFO under one interrupt-safe lock, plus a "running"
 * flag: a CPU takes the first due item only when no item runs anywhere,
 * which is what makes the queue ordered. Items are static objects owned
 * by their subsystems; the queue never allocates, so queue_work() is safe
 * in an interrupt handler.
 *
 * Invariants (queue_lock held): an item is on the list iff ->pending;
 * `running` is the item whose function runs now (its ->pending is false
 * unless it was queued again meanwhile).
 */
#include "kernel/workqueue.h"
#include "kernel/printk.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/tsc.h"

static DEFINE_SPINLOCK(queue_lock);
static struct work_struct *queue_head;
static struct work_struct *running;
static unsigned int running_cpu;	/* where `running` runs */
static struct workqueue_stats stats;

static bool enqueue(struct work_struct *w, uint64_t due)
{
	struct work_struct **p;
	unsigned long flags;
	bool queued = false;

	spin_lock_irqsave(&queue_lock, flags);
	if (!w->pending) {
		w->pending = true;
		w->due_ns = due;
		w->next = NULL;
		for (p = &queue_head; *p; p = &(*p)->next)
			;
		*p = w;
		stats.queued++;
		queued = true;
	}
	spin_unlock_irqrestore(&queue_lock, flags);
	return queued;
}

bool queue_work(struct work_struct *w)
{
	bool queued = enqueue(w, ktime_get_ns());

	/*
	 * The CPU that took the interrupt looks again when it returns to its
	 * idle loop; the others may be halted while it is busy with a command.
	 */
	if (queued)
		arch_mt_job_kick(0);
	return queued;
}

bool queue_delayed_work(struct work_struct *w, uint64_t delay_ns)
{
	return enqueue(w, ktime_get_ns() + delay_ns);
}

bool cancel_work(struct work_struct *w)
{
	unsigned long flags;
	bool was = false;

	spin_lock_irqsave(&queue_lock, flags);
	for (struct work_struct **p = &queue_head; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			w->next = NULL;
			w->pending = false;
			was = true;
			break;
		}
	spin_unlock_irqrestore(&queue_lock, flags);
	return was;
}

bool cancel_work_sync(struct work_struct *w)
{
	bool was = cancel_work(w);

	for (;;) {
		unsigned long flags;
		bool wait;

		spin_lock_irqsave(&queue_lock, flags);
		/* Never wait for ourselves: an item may cancel itself (and nothing else runs then). */
		wait = running == w && running_cpu != smp_processor_id();
		spin_unlock_irqrestore(&queue_lock, flags);
		if (!wait)
			return was;
		cpu_relax();
	}
}

/* First due item, or NULL (queue_lock held). Order among due items is queue order. */
static struct work_struct **first_due(uint64_t now)
{
	for (struct work_struct **p = &queue_head; *p; p = &(*p)->next)
		if ((*p)->due_ns <= now)
			return p;
	return NULL;
}

bool workqueue_pending(void)
{
	unsigned long flags;
	bool due;

	spin_lock_irqsave(&queue_lock, flags);
	due = !running && first_due(ktime_get_ns());
	spin_unlock_irqrestore(&queue_lock, flags);
	return due;
}

bool workqueue_do_work(unsigned int cpu)
{
	struct work_struct **p, *w = NULL;
	unsigned long flags;
	uint64_t now = ktime_get_ns();

	spin_lock_irqsave(&queue_lock, flags);
	if (!running && (p = first_due(now))) {
		w = *p;
		*p = w->next;
		w->next = NULL;
		w->pending = false;
		running = w;
		running_cpu = cpu;
		if (now >= w->due_ns && now - w->due_ns > stats.max_latency_ns)
			stats.max_latency_ns = now - w->due_ns;
	}
	spin_unlock_irqrestore(&queue_lock, flags);
	if (!w)
		return false;

	w->func(w);

	spin_lock_irqsave(&queue_lock, flags);
	w->runs++;
	stats.runs++;
	stats.runs_by_cpu[min(cpu, (unsigned int)ARRAY_SIZE(stats.runs_by_cpu) - 1)]++;
	running = NULL;
	spin_unlock_irqrestore(&queue_lock, flags);
	return true;
}

void flush_workqueue(void)
{
	for (;;) {
		unsigned long flags;
		bool busy;

		if (workqueue_do_work(smp_processor_id()))
			continue;
		spin_lock_irqsave(&queue_lock, flags);
		busy = running || first_due(ktime_get_ns());
		spin_unlock_irqrestore(&queue_lock, flags);
		if (!busy)
			return;
		cpu_relax();
	}
}

void workqueue_get_stats(struct workqueue_stats *s)
{
	unsigned long flags;

	spin_lock_irqsave(&queue_lock, flags);
	*s = stats;
	spin_unlock_irqrestore(&queue_lock, flags);
}
