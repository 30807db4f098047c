/* SPDX-License-Identifier: MIT */
/*
 * DOC: bench.h - in-kernel benchmarks, run by `bench=NAME[,NAME]` or the
 * `bench [NAME]` shell command
 *
 * A subsystem adds a benchmark with one line at file scope:
 *     BENCHMARK(alloc, bench_alloc);
 * The function measures, prints a human line and emits its results as one
 * report() line (event "bench_NAME") that tools/bench parses. It returns 0,
 * or nonzero after printing why it could not measure.
 */
#ifndef HOTMM_KERNEL_BENCH_H
#define HOTMM_KERNEL_BENCH_H

#include "lib/compiler.h"

struct benchmark {
	const char *name;
	int (*fn)(void);
};

#define BENCHMARK(_name, _fn)							\
	static const struct benchmark __benchmark_##_name			\
	__used __section(".benchmarks") __aligned(8) = { .name = #_name, .fn = _fn }

/* Run the benchmarks named in the comma list (NULL or "all": every one). */
int bench_run(const char *names);
/* Run what `bench=` asks for (and exit QEMU after, with `bench_exit`). */
void bench_run_cmdline(void);

#endif
