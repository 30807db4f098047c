/* SPDX-License-Identifier: MIT */
/*
 * DOC: bench_store.c - BENCHMARK(store): the guest's store-bandwidth floor
 *
 * Initializing a memmap is, at bottom, writing 64 bytes of struct page per
 * 4 KiB of RAM; freeing to the buddy touches a fraction of that again. No
 * memmap init can beat the rate at which this CPU (under QEMU: this TCG
 * build on this host) stores to RAM, so the memmap figures of tools/bench
 * are read against this number. It is measured two ways over the same bytes:
 *   - plain 8-byte stores through a volatile pointer, unrolled by 8: what a
 *     struct-page initializer compiles to;
 *   - `rep stosq`: the string instruction memset uses, the fastest store
 *     loop x86 offers (and under TCG a single helper call per instruction).
 *
 * The buffer is STORE_BLOCKS blocks of order STORE_ORDER from the buddy
 * (64 MiB: larger than any cache, small enough for a 512 MiB guest); the
 * loops sweep it STORE_BYTES / buffer times, each way STORE_REPEATS times,
 * and keep the fastest repeat (the floor, not the average). One untimed
 * sweep first, so neither method pays for first touches. Runs on the CPU
 * that calls it; the blocks go back to the buddy before returning.
 *
 * Reported as one line:
 *   bench_store {bytes, plain_ns, rep_stosq_ns, plain_mb_s, rep_stosq_mb_s,
 *                plain_ms_per_gib, rep_stosq_ms_per_gib, buffer_bytes,
 *                repeats, cpu}
 * where MB is 10^6 bytes and ms_per_gib is the time to store 1 GiB.
 *
 * BENCHMARK(store_all): the same floor with every online CPU storing at
 * once (make bench wants the floor at 1 and 2 vCPUs: under TCG each vCPU is
 * a host thread, and the host's cores and memory decide whether two of
 * them store twice as fast). The buffer is STORE_BLOCKS blocks per CPU,
 * handed out in chunks of blocks by the multithreaded job runner, so the
 * CPUs sweep disjoint memory side by side; one job is one sweep over the
 * whole buffer, and the time is wall time from the job's start to its last
 * chunk. Reported as
 *   bench_store_all {cpus, threads, bytes, plain_ns, rep_stosq_ns,
 *                    plain_mb_s, rep_stosq_mb_s, plain_ms_per_gib,
 *                    rep_stosq_ms_per_gib, buffer_bytes, repeats}
 * where threads is how many CPUs took part in the slowest sweep's job.
 */
#include "kernel/bench.h"
#include "kernel/printk.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/smp.h"
#include "kernel/mt_job.h"

#include "mm/gfp.h"
#include "mm/page.h"

#define STORE_ORDER	10			/* 4 MiB: the largest buddy block */
#define STORE_BLOCK	(SZ_4K << STORE_ORDER)
#define STORE_BLOCKS	16			/* 64 MiB buffer */
#define STORE_BYTES	(256 * SZ_1M)		/* per method and repeat */
#define STORE_REPEATS	3
#define STORE_PATTERN	0x5a5a5a5a5a5a5a5aULL

static void store_plain(void *buf, size_t bytes, uint64_t v)
{
	/* volatile: gcc would otherwise turn this loop into a memset call. */
	volatile uint64_t *q = buf;
	size_t words = bytes / 8;

	for (size_t i = 0; i < words; i += 8) {
		q[i + 0] = v; q[i + 1] = v; q[i + 2] = v; q[i + 3] = v;
		q[i + 4] = v; q[i + 5] = v; q[i + 6] = v; q[i + 7] = v;
	}
}

static void store_rep_stosq(void *buf, size_t bytes, uint64_t v)
{
	size_t words = bytes / 8;

	__asm__ __volatile__("rep stosq" : "+D"(buf), "+c"(words) : "a"(v) : "memory");
}

typedef void (*store_fn)(void *buf, size_t bytes, uint64_t v);

/* One sweep over every block, `passes` times; returns the elapsed ns. */
static uint64_t store_sweep(store_fn fn, void *const *blocks, unsigned int nr, unsigned int passes)
{
	uint64_t t0 = ktime_get_ns();

	for (unsigned int p = 0; p < passes; p++)
		for (unsigned int i = 0; i < nr; i++)
			fn(blocks[i], STORE_BLOCK, STORE_PATTERN + p);
	return ktime_get_ns() - t0;
}

static uint64_t fastest(store_fn fn, void *const *blocks, unsigned int nr, unsigned int passes)
{
	uint64_t best = UINT64_MAX;

	for (int r = 0; r < STORE_REPEATS; r++)
		best = min(best, store_sweep(fn, blocks, nr, passes));
	return best;
}

/* 10^6 bytes per second, from bytes and ns. */
static uint64_t mb_per_s(uint64_t bytes, uint64_t ns)
{
	return ns ? bytes * 1000 / ns : 0;
}

/* Microseconds to store 1 GiB (printed as ms with 3 decimals). */
static uint64_t us_per_gib(uint64_t bytes, uint64_t ns)
{
	uint64_t mib = bytes / SZ_1M;

	return mib ? ns * 1024 / mib / 1000 : 0;
}

static int bench_store(void)
{
	struct page *pages[STORE_BLOCKS];
	void *blocks[STORE_BLOCKS];
	unsigned int nr = 0, passes;
	uint64_t bytes, plain_ns, rep_ns, buf_bytes;

	if (!tsc_khz) {
		printk(KERN_ERR "bench store: TSC not calibrated, cannot time stores\n");
		return -1;
	}
	for (; nr < STORE_BLOCKS; nr++) {
		pages[nr] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, STORE_ORDER);
		if (!pages[nr])
			break;
		blocks[nr] = page_address(pages[nr]);
	}
	if (nr == 0) {
		printk(KERN_ERR "bench store: no free order-%d block (%lu KiB) to store into\n",
		       STORE_ORDER, STORE_BLOCK / SZ_1K);
		return -1;
	}
	if (nr < STORE_BLOCKS)
		printk(KERN_WARNING "bench store: only %u of %d order-%d blocks free; buffer is %lu MiB\n",
		       nr, STORE_BLOCKS, STORE_ORDER, nr * STORE_BLOCK / SZ_1M);

	buf_bytes = (uint64_t)nr * STORE_BLOCK;
	passes = max(1UL, STORE_BYTES / buf_bytes);
	bytes = buf_bytes * passes;

	store_sweep(store_rep_stosq, blocks, nr, 1);	/* first touch, untimed */
	plain_ns = fastest(store_plain, blocks, nr, passes);
	rep_ns = fastest(store_rep_stosq, blocks, nr, passes);

	for (unsigned int i = 0; i < nr; i++)
		__free_pages(pages[i], STORE_ORDER);

	printk(KERN_NOTICE "bench store: %llu MiB: plain 8-byte stores %llu MB/s, rep stosq %llu MB/s (cpu %d)\n",
	       (unsigned long long)(bytes / SZ_1M),
	       (unsigned long long)mb_per_s(bytes, plain_ns),
	       (unsigned long long)mb_per_s(bytes, rep_ns), smp_processor_id());
	report("bench_store",
	       "\"bytes\":%llu,\"plain_ns\":%llu,\"rep_stosq_ns\":%llu,"
	       "\"plain_mb_s\":%llu,\"rep_stosq_mb_s\":%llu,"
	       "\"plain_ms_per_gib\":%llu.%03llu,\"rep_stosq_ms_per_gib\":%llu.%03llu,"
	       "\"buffer_bytes\":%llu,\"repeats\":%d,\"cpu\":%d",
	       (unsigned long long)bytes, (unsigned long long)plain_ns, (unsigned long long)rep_ns,
	       (unsigned long long)mb_per_s(bytes, plain_ns), (unsigned long long)mb_per_s(bytes, rep_ns),
	       (unsigned long long)(us_per_gib(bytes, plain_ns) / 1000),
	       (unsigned long long)(us_per_gib(bytes, plain_ns) % 1000),
	       (unsigned long long)(us_per_gib(bytes, rep_ns) / 1000),
	       (unsigned long long)(us_per_gib(bytes, rep_ns) % 1000),
	       (unsigned long long)buf_bytes, STORE_REPEATS, smp_processor_id());
	return 0;
}
BENCHMARK(store, bench_store);

/* ---- every CPU at once ---- */

#define STORE_ALL_MAX_BLOCKS	(NR_CPUS * STORE_BLOCKS)

/* Static: a benchmark runs at a time, and NR_CPUS x 16 pointers is large for a stack. */
static struct page *all_pages[STORE_ALL_MAX_BLOCKS];
static void *all_blocks[STORE_ALL_MAX_BLOCKS];

struct store_all_arg {
	store_fn fn;
	uint64_t v;
};

static void store_all_chunk(unsigned long start, unsigned long end, void *arg)
{
	struct store_all_arg *a = arg;

	for (unsigned long i = start; i < end; i++)
		a->fn(all_blocks[i], STORE_BLOCK, a->v);
}

/* `passes` sweeps of the buffer, each one job over all CPUs; wall ns, and the fewest CPUs a sweep had. */
static uint64_t store_all_sweep(store_fn fn, unsigned int nr, unsigned int passes, unsigned int *threads)
{
	uint64_t t0 = ktime_get_ns();

	for (unsigned int p = 0; p < passes; p++) {
		struct store_all_arg a = { .fn = fn, .v = STORE_PATTERN + p };
		struct mt_job job = {
			.name = "bench_store_all", .fn = store_all_chunk, .arg = &a,
			.start = 0, .size = nr, .align = 1, .min_chunk = 1,
		};

		mt_job_run(&job);
		*threads = min(*threads, job.joined);
	}
	return ktime_get_ns() - t0;
}

static uint64_t store_all_fastest(store_fn fn, unsigned int nr, unsigned int passes, unsigned int *threads)
{
	uint64_t best = UINT64_MAX;

	for (int r = 0; r < STORE_REPEATS; r++)
		best = min(best, store_all_sweep(fn, nr, passes, threads));
	return best;
}

static int bench_store_all(void)
{
	unsigned int cpus = num_online_cpus(), want, nr = 0, passes, threads = ~0u, ignored = ~0u;
	uint64_t bytes, plain_ns, rep_ns, buf_bytes;

	if (!tsc_khz) {
		printk(KERN_ERR "bench store_all: TSC not calibrated, cannot time stores\n");
		return -1;
	}
	want = min(cpus, (unsigned int)NR_CPUS) * STORE_BLOCKS;
	for (; nr < want; nr++) {
		all_pages[nr] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, STORE_ORDER);
		if (!all_pages[nr])
			break;
		all_blocks[nr] = page_address(all_pages[nr]);
	}
	if (nr < cpus) {
		printk(KERN_ERR "bench store_all: %u free order-%d blocks for %u CPUs; need one per CPU at least\n",
		       nr, STORE_ORDER, cpus);
		for (unsigned int i = 0; i < nr; i++)
			__free_pages(all_pages[i], STORE_ORDER);
		return -1;
	}
	if (nr < want)
		printk(KERN_WARNING "bench store_all: only %u of %u order-%d blocks free; buffer is %lu MiB\n",
		       nr, want, STORE_ORDER, nr * STORE_BLOCK / SZ_1M);

	buf_bytes = (uint64_t)nr * STORE_BLOCK;
	/* The same bytes per CPU as `store`, so the two are timed over equal work per CPU. */
	passes = max(1UL, (unsigned long)((uint64_t)STORE_BYTES * cpus / buf_bytes));
	bytes = buf_bytes * passes;

	store_all_sweep(store_rep_stosq, nr, 1, &ignored);	/* first touch, untimed */
	plain_ns = store_all_fastest(store_plain, nr, passes, &threads);
	rep_ns = store_all_fastest(store_rep_stosq, nr, passes, &threads);

	for (unsigned int i = 0; i < nr; i++)
		__free_pages(all_pages[i], STORE_ORDER);

	printk(KERN_NOTICE "bench store_all: %llu MiB on %u CPUs: plain 8-byte stores %llu MB/s, rep stosq %llu MB/s\n",
	       (unsigned long long)(bytes / SZ_1M), cpus,
	       (unsigned long long)mb_per_s(bytes, plain_ns), (unsigned long long)mb_per_s(bytes, rep_ns));
	report("bench_store_all",
	       "\"cpus\":%u,\"threads\":%u,\"bytes\":%llu,\"plain_ns\":%llu,\"rep_stosq_ns\":%llu,"
	       "\"plain_mb_s\":%llu,\"rep_stosq_mb_s\":%llu,"
	       "\"plain_ms_per_gib\":%llu.%03llu,\"rep_stosq_ms_per_gib\":%llu.%03llu,"
	       "\"buffer_bytes\":%llu,\"repeats\":%d",
	       cpus, threads, (unsigned long long)bytes, (unsigned long long)plain_ns, (unsigned long long)rep_ns,
	       (unsigned long long)mb_per_s(bytes, plain_ns), (unsigned long long)mb_per_s(bytes, rep_ns),
	       (unsigned long long)(us_per_gib(bytes, plain_ns) / 1000),
	       (unsigned long long)(us_per_gib(bytes, plain_ns) % 1000),
	       (unsigned long long)(us_per_gib(bytes, rep_ns) / 1000),
	       (unsigned long long)(us_per_gib(bytes, rep_ns) % 1000),
	       (unsigned long long)buf_bytes, STORE_REPEATS);
	return 0;
}
BENCHMARK(store_all, bench_store_all);
