/* SPDX-License-Identifier: MIT */
/*
 * DOC: mt_job.h - the one multithreaded job runner (Linux: padata_do_multithreaded)
 *
 * A job is a range [start, start + size) of some unit (pfns for memmap init),
 * a function that works on a sub-range, and how to cut it:
 *
 *     struct mt_job job = {
 *             .name = "deferred_init", .fn = init_chunk, .arg = zone,
 *             .start = spfn, .size = epfn - spfn,
 *             .align = PAGES_PER_4M, .min_chunk = PAGES_PER_SECTION,
 *     };
 *     mt_job_run(&job);                      // caller works too, returns when all done
 *
 * Cutting (mt_job_prepare): the helpers are min(max_threads, CPUs allowed,
 * chunks of min_chunk that fit); each gets about four chunks, so a slow CPU
 * does not hold up the end; the chunk size is at least min_chunk and a
 * multiple of align. Chunk boundaries are absolute multiples of align
 * counted from ALIGN_DOWN(start, align), so every inner boundary is aligned
 * and only the first and last chunk may be short.
 *
 * Running: every participating CPU, the caller included, claims the next
 * chunk with one atomic add until none is left, so each unit runs exactly
 * once and a CPU that finishes early simply takes more.
 * mt_job_start() instead lets the other CPUs do the work in the background;
 * job->complete() runs once, on whichever CPU finishes last, and
 * mt_job_finished() turns true. A CPU that needs the job further along
 * (an allocation that finds its zone short) calls mt_job_help() to run the
 * next unclaimed *step* itself instead of waiting: min_chunk rounded up to
 * align (a section for memmap init), not a whole chunk, because it may be
 * an interrupt handler or hold a lock, and a chunk can be gigabytes. The
 * chunks claimed after it start that much further on; boundaries stay
 * multiples of align, and every unit still runs exactly once.
 *
 * Lifetime: the runner never touches a job after marking it finished and
 * calling complete(); until then the job must stay where it is.
 *
 * The same file builds into host tests, where pthreads call
 * mt_job_do_work() in place of the APs' idle loops.
 */
#ifndef HOTMM_KERNEL_MT_JOB_H
#define HOTMM_KERNEL_MT_JOB_H

#include "lib/compiler.h"
#include "arch/x86_64/percpu.h"

struct mt_job;
typedef void (*mt_job_fn)(unsigned long start, unsigned long end, void *arg);

#define MT_JOB_HOLD_HELPERS	0x1u	/* other CPUs wait for mt_job_release_helpers() (test knob) */

enum mt_job_state {
	MT_JOB_IDLE = 0,	/* not started */
	MT_JOB_RUNNING,
	MT_JOB_FINISHED,	/* every chunk ran; complete() was (being) called */
};

struct mt_job {
	/* ---- set by the caller ---- */
	const char *name;		/* for messages */
	mt_job_fn fn;
	void *arg;
	unsigned long start, size;
	unsigned long align;		/* > 0; chunk boundaries fall on multiples of it */
	unsigned long min_chunk;	/* 0: align */
	unsigned int max_threads;	/* CPUs working at once, caller included; 0: all allowed */
	uint64_t cpumask;		/* CPUs that may help (bit = CPU id); 0: every online CPU */
	unsigned int flags;		/* MT_JOB_* */
	void (*complete)(struct mt_job *job);	/* optional: called once when all is done */

	/* ---- runner state (read-only for the caller) ---- */
	unsigned long chunk_size;	/* what a helper claims at a time */
	unsigned long step;		/* what a takeover claims: min_chunk rounded up to align */
	unsigned long nr_chunks;	/* planned: chunks of chunk_size covering the range */
	unsigned long base;		/* ALIGN_DOWN(start, align): chunk i begins at base + i * chunk_size */
	unsigned int nr_threads;	/* planned: helpers wanted, caller included */
	unsigned long next;		/* offset from base of the first unit not handed out */
	unsigned long chunks_done;	/* pieces run (chunks and takeover steps) */
	unsigned long units_done;	/* units of the range run so far */
	unsigned int users;		/* CPUs inside the job now */
	unsigned int joined;		/* distinct joins so far */
	unsigned int owner_cpu;		/* the CPU that published it */
	unsigned long takeovers;	/* steps run through mt_job_help() */
	volatile int state;		/* enum mt_job_state */
	bool held;			/* MT_JOB_HOLD_HELPERS not yet released */
	uint64_t start_ns, end_ns;
	unsigned long chunks_by_cpu[NR_CPUS];
	struct mt_job *next_job;	/* runner's list of jobs that still hand out chunks */
};

/*
 * Check the job and compute the cutting for @nr_cpus CPUs available
 * (caller included). Returns 0, or -EINVAL after a message naming the job
 * and the field that is wrong. Called by mt_job_run/start; exposed for tests.
 */
int mt_job_prepare(struct mt_job *job, unsigned int nr_cpus);
/* Bounds of planned chunk @idx (< nr_chunks) after mt_job_prepare(). */
void mt_job_chunk_range(const struct mt_job *job, unsigned long idx,
			unsigned long *start, unsigned long *end);

/* Run the job on this CPU and the allowed others; return when every chunk ran. */
int mt_job_run(struct mt_job *job);
/* Hand the job to the other CPUs and return at once (caller does not work). */
int mt_job_start(struct mt_job *job);
/* Work on the job from this CPU until no chunk is left, then wait until it is finished. */
void mt_job_wait(struct mt_job *job);
/* Take over the next unclaimed step (see above) on this CPU; false if none was left. */
bool mt_job_help(struct mt_job *job);
/* Let held helpers (MT_JOB_HOLD_HELPERS) join. */
void mt_job_release_helpers(struct mt_job *job);

static inline bool mt_job_finished(const struct mt_job *job)
{
	return __atomic_load_n(&job->state, __ATOMIC_ACQUIRE) == MT_JOB_FINISHED;
}

/*
 * Worker side: called by CPU @cpu when it has nothing else to do (an AP's
 * idle loop, a host test's thread). Joins a job that accepts @cpu and works
 * until no chunk is left. Returns true if it found a job.
 */
bool mt_job_do_work(unsigned int cpu);
/*
 * The same, but only for jobs published by CPU @owner: a CPU waiting for
 * something @owner holds helps it finish, and never gets caught in an
 * unrelated job that runs until somebody (perhaps itself) stops it.
 */
bool mt_job_help_cpu(unsigned int cpu, unsigned int owner);
/* Any job handing out chunks that @cpu could join? (idle loops check before halting) */
bool mt_job_pending(unsigned int cpu);

/*
 * What the runner needs from the machine (smp.c in the kernel, the test on
 * the host): how many of @mask's CPUs are online (mask 0: all), and wake
 * the idle CPUs of @mask so they look for work.
 */
unsigned int arch_mt_job_nr_cpus(uint64_t mask);
void arch_mt_job_kick(uint64_t mask);

/* Totals since boot, for `cpus`. */
struct mt_job_stats {
	unsigned long jobs;
	unsigned long chunks;
	unsigned long takeovers;
};
void mt_job_get_stats(struct mt_job_stats *s);

#endif
