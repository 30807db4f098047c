// SPDX-License-Identifier: MIT
/*
 * DOC: test_mt_job.c - host tests of kernel/mt_job.c
 *
 * The real job runner, compiled for the host. The first half checks the
 * cutting arithmetic against chunk lists worked out by hand here (and a
 * random sweep against the invariants: exact cover, aligned inner
 * boundaries, chunk size >= min_chunk and a multiple of align). The second
 * half runs jobs with pthreads standing in for the APs: each thread calls
 * mt_job_do_work() with its own CPU id, as an AP's idle loop does.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel/mt_job.h"
#include "tests/host/host_stubs.h"

/* ---- the machine as the runner sees it: host_nr_cpus CPUs, 0 is the caller ---- */

static unsigned int host_nr_cpus = 1;
static unsigned int kicks;

unsigned int arch_mt_job_nr_cpus(uint64_t mask)
{
	unsigned int n = 0;

	for (unsigned int c = 0; c < host_nr_cpus; c++)
		n += !mask || ((mask >> c) & 1);
	return n;
}

void arch_mt_job_kick(uint64_t mask)
{
	__atomic_add_fetch(&kicks, 1, __ATOMIC_RELAXED);
}

static void nop_fn(unsigned long s, unsigned long e, void *arg) { }

static struct mt_job make_job(unsigned long start, unsigned long size, unsigned long align,
			      unsigned long min_chunk, unsigned int max_threads)
{
	return (struct mt_job){ .name = "test", .fn = nop_fn, .start = start, .size = size,
				.align = align, .min_chunk = min_chunk, .max_threads = max_threads };
}

static void assert_chunk(const struct mt_job *job, unsigned long idx, unsigned long s, unsigned long e)
{
	unsigned long cs, ce;

	mt_job_chunk_range(job, idx, &cs, &ce);
	assert_int_equal(cs, s);
	assert_int_equal(ce, e);
}

/* ---- cutting ---- */

/* 4096 pfns (16 MiB), 4 MiB alignment, 4 CPUs: 16 MiB / (4*4) = 1 MiB, raised to 4 MiB. */
static void test_aligned_range(void **state)
{
	struct mt_job job = make_job(0, 4096, 1024, 1024, 0);

	assert_int_equal(mt_job_prepare(&job, 4), 0);
	assert_int_equal(job.chunk_size, 1024);
	assert_int_equal(job.nr_chunks, 4);
	assert_int_equal(job.nr_threads, 4);
	for (unsigned long i = 0; i < 4; i++)
		assert_chunk(&job, i, i * 1024, (i + 1) * 1024);
}

/* Unaligned start and end: only the first and last chunks are short. */
static void test_remainders(void **state)
{
	struct mt_job job = make_job(100, 5000, 1024, 1024, 0);

	assert_int_equal(mt_job_prepare(&job, 2), 0);
	assert_int_equal(job.base, 0);
	assert_int_equal(job.chunk_size, 1024);		/* 5000/8 = 625, raised to min_chunk */
	assert_int_equal(job.nr_chunks, 5);
	assert_chunk(&job, 0, 100, 1024);
	assert_chunk(&job, 1, 1024, 2048);
	assert_chunk(&job, 3, 3072, 4096);
	assert_chunk(&job, 4, 4096, 5100);
}

/* A range inside one aligned block that crosses no boundary is one chunk. */
static void test_inside_one_block(void **state)
{
	struct mt_job job = make_job(2048 + 10, 500, 1024, 0, 0);

	assert_int_equal(mt_job_prepare(&job, 8), 0);
	assert_int_equal(job.nr_chunks, 1);
	assert_int_equal(job.nr_threads, 1);
	assert_chunk(&job, 0, 2058, 2558);
}

static void test_more_threads_than_chunks(void **state)
{
	struct mt_job job = make_job(0, 3072, 1024, 1024, 0);

	assert_int_equal(mt_job_prepare(&job, 16), 0);
	assert_int_equal(job.chunk_size, 1024);
	assert_int_equal(job.nr_chunks, 3);
	assert_int_equal(job.nr_threads, 3);		/* never more threads than chunks */
}

/* Boot init of 4 GiB (1M pfns) with a section (32768 pfns) as min_chunk. */
static void test_min_chunk_section(void **state)
{
	struct mt_job job = make_job(0, 1UL << 20, 1024, 32768, 0);

	assert_int_equal(mt_job_prepare(&job, 2), 0);
	assert_int_equal(job.chunk_size, 131072);	/* 1M / (2 * 4) */
	assert_int_equal(job.nr_chunks, 8);

	job = make_job(0, 1UL << 20, 1024, 32768, 0);
	assert_int_equal(mt_job_prepare(&job, 64), 0);
	assert_int_equal(job.nr_threads, 32);		/* only 32 sections to share */
	assert_int_equal(job.chunk_size, 32768);	/* 1M / 128 = 8192, raised to a section */
	assert_int_equal(job.nr_chunks, 32);
}

/* Onlining one 128 MiB block (32768 pfns) with 4 MiB minimum: all CPUs share it. */
static void test_one_block_shared(void **state)
{
	struct mt_job job = make_job(0x48000, 32768, 1024, 1024, 0);

	assert_int_equal(mt_job_prepare(&job, 4), 0);
	assert_int_equal(job.chunk_size, 2048);		/* 32768 / 16 */
	assert_int_equal(job.nr_chunks, 16);
	assert_int_equal(job.nr_threads, 4);
}

/* min_chunk that is not a multiple of align is rounded up to one. */
static void test_min_chunk_rounded_to_align(void **state)
{
	struct mt_job job = make_job(0, 100000, 1024, 1500, 0);

	assert_int_equal(mt_job_prepare(&job, 64), 0);
	assert_int_equal(job.chunk_size, 2048);
	assert_int_equal(job.chunk_size % job.align, 0);
}

static void test_max_threads(void **state)
{
	struct mt_job job = make_job(0, 8192, 1024, 1024, 1);

	assert_int_equal(mt_job_prepare(&job, 8), 0);
	assert_int_equal(job.nr_threads, 1);
	assert_int_equal(job.chunk_size, 2048);		/* 8192 / (1 * 4) */
	assert_int_equal(job.nr_chunks, 4);
}

static void test_invalid_jobs(void **state)
{
	struct mt_job job = make_job(0, 100, 0, 0, 0);

	host_log_clear();
	assert_int_equal(mt_job_prepare(&job, 2), -EINVAL);
	assert_true(host_log_contains("mt_job test: size 100 and align 0"));

	job = make_job(0, 0, 1024, 0, 0);
	assert_int_equal(mt_job_prepare(&job, 2), -EINVAL);

	job = make_job(~0UL - 10, 100, 1, 0, 0);
	host_log_clear();
	assert_int_equal(mt_job_prepare(&job, 2), -EINVAL);
	assert_true(host_log_contains("wraps around"));

	job = make_job(0, 100, 1, 0, 0);
	job.fn = NULL;
	host_log_clear();
	assert_int_equal(mt_job_run(&job), -EINVAL);
	assert_true(host_log_contains("no function"));
	assert_int_equal(job.state, MT_JOB_IDLE);	/* a failed start leaves it as it was */
}

/* Random jobs: the chunks cover the range exactly, inner boundaries aligned. */
static void test_random_cutting(void **state)
{
	srand(7);
	for (int iter = 0; iter < 20000; iter++) {
		unsigned long align = 1UL << (rand() % 12);
		unsigned long start = (unsigned long)rand() % 100000;
		unsigned long size = 1 + (unsigned long)rand() % 200000;
		unsigned long min_chunk = (unsigned long)rand() % 5000;
		unsigned int cpus = 1 + rand() % 70, max_threads = rand() % 5;
		struct mt_job job = make_job(start, size, align, min_chunk, max_threads);
		unsigned long prev_end = start;

		assert_int_equal(mt_job_prepare(&job, cpus), 0);
		assert_int_equal(job.chunk_size % align, 0);
		assert_true(job.chunk_size >= (min_chunk ? min_chunk : align));
		assert_true(job.nr_threads >= 1 && job.nr_threads <= cpus);
		assert_true(job.nr_threads <= job.nr_chunks);
		if (max_threads)
			assert_true(job.nr_threads <= max_threads);
		for (unsigned long i = 0; i < job.nr_chunks; i++) {
			unsigned long s, e;

			mt_job_chunk_range(&job, i, &s, &e);
			assert_int_equal(s, prev_end);
			assert_true(e > s);
			assert_true(e - s <= job.chunk_size);
			if (i > 0)
				assert_int_equal(s % align, 0);
			prev_end = e;
		}
		assert_int_equal(prev_end, start + size);
	}
}

/* ---- running, with pthreads as CPUs 1..N-1 ---- */

#define MAX_UNITS	(1 << 16)
static unsigned char ran[MAX_UNITS];		/* times each unit ran */
static volatile bool stop_workers;
static pthread_t workers[8];
static unsigned int worker_id[8];
static unsigned int started_mask, concurrent, max_concurrent;
static unsigned int completions;

static void *worker_main(void *p)
{
	unsigned int cpu = *(unsigned int *)p;

	while (!stop_workers)
		if (!mt_job_do_work(cpu))
			sched_yield();
	return NULL;
}

static void start_workers(unsigned int nr_cpus)
{
	host_nr_cpus = nr_cpus;
	stop_workers = false;
	for (unsigned int c = 1; c < nr_cpus; c++) {
		worker_id[c] = c;
		assert_int_equal(pthread_create(&workers[c], NULL, worker_main, &worker_id[c]), 0);
	}
}

static void stop_all_workers(void)
{
	stop_workers = true;
	for (unsigned int c = 1; c < host_nr_cpus; c++)
		pthread_join(workers[c], NULL);
	host_nr_cpus = 1;
}

static unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

/*
 * Marks each unit; the first chunk a CPU runs waits (at most 5 s) until
 * every CPU expected has started one, so "all CPUs took part" does not
 * depend on thread scheduling luck, only on the runner dispatching.
 */
struct count_arg {
	unsigned int expect_cpus;
	unsigned int cpu_of_thread_hint;
};

static __thread unsigned int my_cpu_bit;

static void count_fn(unsigned long s, unsigned long e, void *arg)
{
	struct count_arg *a = arg;
	unsigned int now = __atomic_add_fetch(&concurrent, 1, __ATOMIC_SEQ_CST);
	unsigned int m;

	while ((m = __atomic_load_n(&max_concurrent, __ATOMIC_RELAXED)) < now &&
	       !__atomic_compare_exchange_n(&max_concurrent, &m, now, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (a && a->expect_cpus) {
		unsigned long until = now_ms() + 5000;

		if (!my_cpu_bit) {
			my_cpu_bit = 1;
			__atomic_add_fetch(&started_mask, 1, __ATOMIC_SEQ_CST);
		}
		while (__atomic_load_n(&started_mask, __ATOMIC_SEQ_CST) < a->expect_cpus && now_ms() < until)
			sched_yield();
	}
	for (unsigned long u = s; u < e; u++)
		__atomic_add_fetch(&ran[u], 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&concurrent, 1, __ATOMIC_SEQ_CST);
}

static void reset_counts(void)
{
	memset(ran, 0, sizeof(ran));
	started_mask = concurrent = max_concurrent = completions = 0;
	my_cpu_bit = 0;
}

static void assert_each_unit_once(unsigned long start, unsigned long end)
{
	for (unsigned long u = 0; u < MAX_UNITS; u++)
		assert_int_equal(ran[u], u >= start && u < end ? 1 : 0);
}

static unsigned long sum_chunks(const struct mt_job *job)
{
	unsigned long n = 0;

	for (int c = 0; c < NR_CPUS; c++)
		n += job->chunks_by_cpu[c];
	return n;
}

static void test_run_all_cpus(void **state)
{
	struct count_arg arg = { .expect_cpus = 4 };
	struct mt_job job = make_job(300, 60000, 1024, 1024, 0);

	reset_counts();
	job.fn = count_fn;
	job.arg = &arg;
	start_workers(4);
	assert_int_equal(mt_job_run(&job), 0);
	assert_true(mt_job_finished(&job));
	stop_all_workers();

	assert_each_unit_once(300, 60300);
	assert_int_equal(job.nr_threads, 4);
	assert_int_equal(job.chunks_done, job.nr_chunks);
	assert_int_equal(sum_chunks(&job), job.nr_chunks);
	for (int c = 0; c < 4; c++)
		assert_true(job.chunks_by_cpu[c] > 0);	/* the caller (CPU 0) too */
	assert_true(max_concurrent <= 4);
}

static void test_max_threads_respected(void **state)
{
	struct mt_job job = make_job(0, 40000, 1024, 1024, 2);

	reset_counts();
	job.fn = count_fn;
	start_workers(4);
	assert_int_equal(mt_job_run(&job), 0);
	stop_all_workers();
	assert_each_unit_once(0, 40000);
	assert_true(max_concurrent <= 2);
	assert_true(job.joined >= 1);
}

static void test_cpumask_respected(void **state)
{
	struct mt_job job = make_job(0, 50000, 1024, 1024, 0);

	reset_counts();
	job.fn = count_fn;
	job.cpumask = 0x1 | 0x2 | 0x8;		/* not CPU 2 */
	start_workers(4);
	assert_int_equal(mt_job_run(&job), 0);
	stop_all_workers();
	assert_each_unit_once(0, 50000);
	assert_int_equal(job.chunks_by_cpu[2], 0);
	assert_int_equal(job.nr_threads, 3);
}

static void count_complete(struct mt_job *job)
{
	__atomic_add_fetch(&completions, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(job->units_done, job->size);
	if (!job->takeovers)	/* a takeover's step is smaller than a chunk */
		assert_int_equal(job->chunks_done, job->nr_chunks);
	assert_false(mt_job_finished(job));	/* finished turns true after complete() */
}

static void test_background_completion(void **state)
{
	struct mt_job job = make_job(0, 65536, 1024, 1024, 0);
	unsigned long until = now_ms() + 10000;

	reset_counts();
	job.fn = count_fn;
	job.complete = count_complete;
	start_workers(3);
	assert_int_equal(mt_job_start(&job), 0);
	while (!mt_job_finished(&job) && now_ms() < until)
		sched_yield();
	assert_true(mt_job_finished(&job));
	stop_all_workers();
	assert_int_equal(completions, 1);
	assert_each_unit_once(0, 65536);
	assert_int_equal(job.chunks_by_cpu[0], 0);	/* the caller went on */
	assert_int_equal(job.takeovers, 0);
}

/* Helpers held back: the caller's takeovers run steps in order, helpers none. */
static void test_takeover_with_helpers_held(void **state)
{
	struct mt_job job = make_job(0, 16384, 1024, 1024, 0);
	unsigned long s, e;

	reset_counts();
	job.fn = count_fn;
	job.complete = count_complete;
	job.flags = MT_JOB_HOLD_HELPERS;
	start_workers(3);
	assert_int_equal(mt_job_start(&job), 0);
	usleep(20000);				/* helpers had every chance to (wrongly) join */
	assert_int_equal(job.chunks_done, 0);
	assert_false(mt_job_pending(1));

	assert_true(mt_job_help(&job));
	assert_true(mt_job_help(&job));
	mt_job_chunk_range(&job, 0, &s, &e);
	assert_int_equal(ran[s], 1);
	assert_int_equal(job.chunks_by_cpu[0], 2);
	assert_int_equal(job.takeovers, 2);
	assert_int_equal(job.chunks_by_cpu[1] + job.chunks_by_cpu[2], 0);

	mt_job_release_helpers(&job);
	mt_job_wait(&job);
	assert_true(mt_job_finished(&job));
	stop_all_workers();
	assert_int_equal(completions, 1);
	assert_each_unit_once(0, 16384);
	assert_false(mt_job_help(&job));	/* nothing left to take over */
}

/*
 * Takeovers take one step (min_chunk rounded up to align), not a chunk,
 * whether they come between the job's chunks or from inside one (an
 * interrupt handler's allocation on a CPU running a chunk). Chunks claimed
 * after a step start where it ended; every unit runs once, and the job
 * completes once.
 */
static struct mt_job *nest_job;
static unsigned long step_pieces, chunk_pieces, nested;
static bool in_nested;

static void nesting_fn(unsigned long s, unsigned long e, void *arg)
{
	for (unsigned long u = s; u < e; u++)
		ran[u]++;
	if (in_nested) {
		assert_int_equal(e - s, 256);
		step_pieces++;
		return;
	}
	chunk_pieces++;
	assert_int_equal(s % 64, 0);
	if (chunk_pieces % 2) {
		in_nested = true;
		assert_true(mt_job_help(nest_job));
		nested++;
		in_nested = false;
	}
}

static void test_takeover_is_one_step(void **state)
{
	struct mt_job job = make_job(0, 65536, 64, 256, 0);
	unsigned long before;

	reset_counts();
	step_pieces = chunk_pieces = nested = 0;
	nest_job = &job;
	job.fn = nesting_fn;
	job.complete = count_complete;
	job.flags = MT_JOB_HOLD_HELPERS;
	host_nr_cpus = 2;			/* cut for two: chunks of 65536 / 8 */
	assert_int_equal(mt_job_start(&job), 0);
	assert_int_equal(job.chunk_size, 8192);
	assert_int_equal(job.step, 256);
	for (int i = 0; i < 3; i++) {
		before = job.units_done;
		in_nested = true;
		assert_true(mt_job_help(&job));	/* between chunks: one step */
		in_nested = false;
		assert_int_equal(job.units_done - before, 256);
	}
	mt_job_wait(&job);			/* chunks from unit 768 on, with steps inside */
	host_nr_cpus = 1;
	assert_true(mt_job_finished(&job));
	assert_int_equal(completions, 1);
	assert_each_unit_once(0, 65536);
	assert_true(nested >= 3);
	assert_int_equal(step_pieces, 3 + nested);
	assert_int_equal(job.takeovers, 3 + nested);
	assert_int_equal(job.chunks_done, chunk_pieces + step_pieces);
	assert_int_equal(job.units_done, 65536);
	assert_false(mt_job_help(&job));
}

/* One CPU: a background start cannot be left to nobody; it runs at once. */
static void test_start_alone_runs_now(void **state)
{
	struct mt_job job = make_job(5, 3000, 1024, 1024, 0);

	reset_counts();
	job.fn = count_fn;
	job.complete = count_complete;
	host_nr_cpus = 1;
	assert_int_equal(mt_job_start(&job), 0);
	assert_true(mt_job_finished(&job));
	assert_int_equal(completions, 1);
	assert_each_unit_once(5, 3005);
}

/* Held, alone: only takeovers and wait run it; wait finishes the rest. */
static void test_wait_alone_finishes(void **state)
{
	struct mt_job job = make_job(0, 8192, 1024, 1024, 0);

	reset_counts();
	job.fn = count_fn;
	job.flags = MT_JOB_HOLD_HELPERS;
	host_nr_cpus = 1;
	assert_int_equal(mt_job_start(&job), 0);
	assert_false(mt_job_finished(&job));
	assert_true(mt_job_help(&job));
	mt_job_wait(&job);
	assert_true(mt_job_finished(&job));
	assert_each_unit_once(0, 8192);
	assert_int_equal(mt_job_start(&job), 0);	/* a finished job may run again */
	mt_job_wait(&job);
	for (unsigned long u = 0; u < 8192; u++)
		assert_int_equal(ran[u], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aligned_range),
		cmocka_unit_test(test_remainders),
		cmocka_unit_test(test_inside_one_block),
		cmocka_unit_test(test_more_threads_than_chunks),
		cmocka_unit_test(test_min_chunk_section),
		cmocka_unit_test(test_one_block_shared),
		cmocka_unit_test(test_min_chunk_rounded_to_align),
		cmocka_unit_test(test_max_threads),
		cmocka_unit_test(test_invalid_jobs),
		cmocka_unit_test(test_random_cutting),
		cmocka_unit_test(test_run_all_cpus),
		cmocka_unit_test(test_max_threads_respected),
		cmocka_unit_test(test_cpumask_respected),
		cmocka_unit_test(test_background_completion),
		cmocka_unit_test(test_takeover_with_helpers_held),
		cmocka_unit_test(test_takeover_is_one_step),
		cmocka_unit_test(test_start_alone_runs_now),
		cmocka_unit_test(test_wait_alone_finishes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
