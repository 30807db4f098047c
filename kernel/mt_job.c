/* SPDX-License-Identifier: MIT */
/*
 * DOC: mt_job.c - the one multithreaded job runner
 *
 * See mt_job.h for the model. Invariants kept here:
 *  - a piece is handed out by one atomic add to job->next (the offset from
 *    job->base of the first unit nobody has claimed): a helper adds
 *    chunk_size, a takeover adds step. Both are multiples of align, so
 *    every boundary stays aligned, and each unit runs exactly once, on the
 *    CPU that claimed it;
 *  - only a CPU counted in job->users may claim, and it stays counted until
 *    the piece it claimed has run: so "users == 0 and base + next >= end",
 *    checked under runner_lock, means every chunk has run, and exactly one
 *    CPU sees it and finishes the job;
 *  - joining happens under runner_lock and only while chunks are left, so
 *    nobody enters a job that is finishing;
 *  - a job is on the runner's list from start until it finishes; after the
 *    state store that marks it finished the runner never touches it again.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "kernel/mt_job.h"
#include "kernel/printk.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"

/* Chunks per thread: more evens out CPUs of different speed; padata uses 4 too. */
#define MT_JOB_LOAD_BALANCE	4

static DEFINE_SPINLOCK(runner_lock);
static struct mt_job *job_list;		/* jobs that may still hand out chunks */
static struct mt_job_stats stats;

#ifdef HOTMM_HOST
static uint64_t job_now_ns(void) { return 0; }
#else
static uint64_t job_now_ns(void) { return ktime_get_ns(); }
#endif

static bool cpu_allowed(const struct mt_job *job, unsigned int cpu)
{
	return !job->cpumask || (cpu < 64 && ((job->cpumask >> cpu) & 1));
}

int mt_job_prepare(struct mt_job *job, unsigned int nr_cpus)
{
	const char *name = job->name ? job->name : "?";
	unsigned long min_chunk, chunk, threads, end;

	if (!job->fn) {
		pr_err("mt_job %s: no function to run\n", name);
		return -EINVAL;
	}
	if (!job->size || !job->align) {
		pr_err("mt_job %s: size %lu and align %lu must both be > 0\n", name, job->size, job->align);
		return -EINVAL;
	}
	if (job->start + job->size < job->start) {
		pr_err("mt_job %s: range start %#lx size %#lx wraps around\n", name, job->start, job->size);
		return -EINVAL;
	}
	end = job->start + job->size;
	min_chunk = job->min_chunk ? job->min_chunk : job->align;

	threads = nr_cpus ? nr_cpus : 1;
	if (job->max_threads && job->max_threads < threads)
		threads = job->max_threads;
	threads = min(threads, DIV_ROUND_UP(job->size, min_chunk));

	chunk = job->size / (threads * MT_JOB_LOAD_BALANCE);
	chunk = max(chunk, min_chunk);
	if (chunk > ULONG_MAX - job->align) {
		pr_err("mt_job %s: chunk %#lx cannot be rounded up to align %#lx\n", name, chunk, job->align);
		return -EINVAL;
	}
	chunk = DIV_ROUND_UP(chunk, job->align) * job->align;

	job->base = job->start - job->start % job->align;
	job->chunk_size = chunk;
	job->step = DIV_ROUND_UP(min_chunk, job->align) * job->align;
	job->nr_chunks = (end - job->base) / chunk + ((end - job->base) % chunk != 0);
	job->nr_threads = (unsigned int)min(threads, job->nr_chunks);
	job->next = 0;
	job->chunks_done = 0;
	job->units_done = 0;
	job->users = 0;
	job->joined = 0;
	job->takeovers = 0;
	job->held = job->flags & MT_JOB_HOLD_HELPERS;
	job->next_job = NULL;
	memset(job->chunks_by_cpu, 0, sizeof(job->chunks_by_cpu));
	return 0;
}

void mt_job_chunk_range(const struct mt_job *job, unsigned long idx,
			unsigned long *start, unsigned long *end)
{
	unsigned long s = job->base + idx * job->chunk_size;
	unsigned long e = s + job->chunk_size;

	*start = max(s, job->start);
	*end = min(e, job->start + job->size);
}

/* ---- the list of running jobs (runner_lock held) ---- */

static void list_add_job(struct mt_job *job)
{
	struct mt_job **p = &job_list;

	while (*p)
		p = &(*p)->next_job;
	*p = job;
}

static void list_del_job(struct mt_job *job)
{
	for (struct mt_job **p = &job_list; *p; p = &(*p)->next_job)
		if (*p == job) {
			*p = job->next_job;
			return;
		}
}

static bool chunks_left(const struct mt_job *job)
{
	return __atomic_load_n(&job->next, __ATOMIC_RELAXED) < job->start + job->size - job->base;
}

/* A helper (not the caller, not a takeover) may join @job from @cpu. */
static bool may_help(const struct mt_job *job, unsigned int cpu)
{
	return job->state == MT_JOB_RUNNING && !job->held && chunks_left(job) &&
	       job->users < job->nr_threads && cpu_allowed(job, cpu);
}

/* ---- claiming and running chunks ---- */

/*
 * Claim the next `len` units (chunk_size or step) and run them, if any are
 * left. The caller is counted in job->users. Without takeovers every claim
 * is exactly chunk i of mt_job_chunk_range(); a step taken in between only
 * shifts the later claims by a multiple of align.
 */
static bool run_one_piece(struct mt_job *job, unsigned int cpu, unsigned long len)
{
	unsigned long off = __atomic_fetch_add(&job->next, len, __ATOMIC_RELAXED);
	unsigned long end = job->start + job->size, s, e;

	if (off >= end - job->base)
		return false;
	s = max(job->base + off, job->start);
	e = off + len >= end - job->base ? end : job->base + off + len;
	job->fn(s, e, job->arg);
	if (cpu < NR_CPUS)
		__atomic_add_fetch(&job->chunks_by_cpu[cpu], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&job->units_done, e - s, __ATOMIC_RELAXED);
	__atomic_add_fetch(&job->chunks_done, 1, __ATOMIC_RELEASE);
	return true;
}

static bool run_one_chunk(struct mt_job *job, unsigned int cpu)
{
	return run_one_piece(job, cpu, job->chunk_size);
}

/*
 * Leave the job; the last one out after the last chunk finishes it. Every
 * chunk claimed has run by now (users only leave between chunks).
 */
static void leave_job(struct mt_job *job)
{
	void (*complete)(struct mt_job *) = NULL;
	unsigned long flags;
	bool finish = false;

	spin_lock_irqsave(&runner_lock, flags);
	job->users--;
	if (!job->users && !chunks_left(job) && job->state == MT_JOB_RUNNING) {
		list_del_job(job);
		finish = true;
		complete = job->complete;
		job->end_ns = job_now_ns();
		stats.jobs++;
		stats.chunks += job->chunks_done;
		stats.takeovers += job->takeovers;
	}
	spin_unlock_irqrestore(&runner_lock, flags);

	if (finish) {
		if (complete)
			complete(job);
		/* The last touch: from here the owner may reuse the job. */
		__atomic_store_n(&job->state, MT_JOB_FINISHED, __ATOMIC_RELEASE);
	}
}

static void work_until_empty(struct mt_job *job, unsigned int cpu)
{
	while (run_one_chunk(job, cpu))
		;
	leave_job(job);
}

/* ---- the caller's side ---- */

static int publish(struct mt_job *job, bool caller_works)
{
	unsigned long flags;
	unsigned int nr_cpus;
	int ret;

	if (job->state == MT_JOB_RUNNING) {
		pr_err("mt_job %s: started twice\n", job->name ? job->name : "?");
		return -EBUSY;
	}
	nr_cpus = arch_mt_job_nr_cpus(job->cpumask);
	if (caller_works && !cpu_allowed(job, smp_processor_id()))
		nr_cpus++;		/* the caller works even outside the mask */
	ret = mt_job_prepare(job, nr_cpus);
	if (ret)
		return ret;
	job->start_ns = job_now_ns();
	job->end_ns = 0;

	spin_lock_irqsave(&runner_lock, flags);
	job->state = MT_JOB_RUNNING;
	if (caller_works) {
		job->users = 1;		/* counted before anyone can see the job */
		job->joined = 1;
	}
	job->owner_cpu = smp_processor_id();
	list_add_job(job);
	spin_unlock_irqrestore(&runner_lock, flags);

	if (!job->held && job->nr_threads > (caller_works ? 1u : 0u))
		arch_mt_job_kick(job->cpumask);
	return 0;
}

int mt_job_run(struct mt_job *job)
{
	int ret = publish(job, true);

	if (ret)
		return ret;
	work_until_empty(job, smp_processor_id());
	while (!mt_job_finished(job))
		cpu_relax();
	return 0;
}

int mt_job_start(struct mt_job *job)
{
	bool alone = arch_mt_job_nr_cpus(job->cpumask) <= 1;
	int ret;

	/*
	 * With nobody else to do the work in the background, do it now: the
	 * caller would otherwise wait forever on a job nobody runs.
	 */
	if (alone && !(job->flags & MT_JOB_HOLD_HELPERS))
		return mt_job_run(job);
	ret = publish(job, false);
	return ret;
}

/* Join as a CPU that must not be turned away (the caller, a takeover). */
static bool join_forced(struct mt_job *job)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&runner_lock, flags);
	if (job->state == MT_JOB_RUNNING && chunks_left(job)) {
		job->users++;
		job->joined++;
		ok = true;
	}
	spin_unlock_irqrestore(&runner_lock, flags);
	return ok;
}

void mt_job_wait(struct mt_job *job)
{
	if (job->state == MT_JOB_IDLE)
		return;
	if (join_forced(job))
		work_until_empty(job, smp_processor_id());
	while (!mt_job_finished(job))
		cpu_relax();
}

bool mt_job_help(struct mt_job *job)
{
	bool ran;

	if (!join_forced(job))
		return false;
	ran = run_one_piece(job, smp_processor_id(), job->step);
	if (ran)
		__atomic_add_fetch(&job->takeovers, 1, __ATOMIC_RELAXED);
	leave_job(job);
	return ran;
}

void mt_job_release_helpers(struct mt_job *job)
{
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&runner_lock, flags);
	kick = job->held && job->state == MT_JOB_RUNNING;
	job->held = false;
	spin_unlock_irqrestore(&runner_lock, flags);
	if (kick)
		arch_mt_job_kick(job->cpumask);
}

/* ---- the helpers' side ---- */

bool mt_job_pending(unsigned int cpu)
{
	struct mt_job *job;
	bool found = false;
	unsigned long flags;

	spin_lock_irqsave(&runner_lock, flags);
	for (job = job_list; job && !found; job = job->next_job)
		found = may_help(job, cpu);
	spin_unlock_irqrestore(&runner_lock, flags);
	return found;
}

/* Join the first job that accepts @cpu (and, owner >= 0, was published by CPU owner). */
static bool join_and_work(unsigned int cpu, int owner)
{
	struct mt_job *job;
	unsigned long flags;

	spin_lock_irqsave(&runner_lock, flags);
	for (job = job_list; job; job = job->next_job)
		if (may_help(job, cpu) && (owner < 0 || job->owner_cpu == (unsigned int)owner)) {
			job->users++;
			job->joined++;
			break;
		}
	spin_unlock_irqrestore(&runner_lock, flags);
	if (!job)
		return false;
	work_until_empty(job, cpu);
	return true;
}

bool mt_job_do_work(unsigned int cpu)
{
	return join_and_work(cpu, -1);
}

bool mt_job_help_cpu(unsigned int cpu, unsigned int owner)
{
	return join_and_work(cpu, (int)owner);
}

void mt_job_get_stats(struct mt_job_stats *s)
{
	unsigned long flags;

	spin_lock_irqsave(&runner_lock, flags);
	*s = stats;
	spin_unlock_irqrestore(&runner_lock, flags);
}
