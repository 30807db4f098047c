/* SPDX-License-Identifier: MIT */
/*
 * DOC: bench.c - running the in-kernel benchmarks
 *
 * Benchmarks register with BENCHMARK() (kernel/bench.h) and land between the
 * linker symbols __benchmarks_start and __benchmarks_end. They run:
 *   - after boot, from `bench=NAME[,NAME]` (or `bench` / `bench=all` for
 *     every one): start_kernel calls bench_run_cmdline() once all boot RAM
 *     is allocatable, so a benchmark never measures memory that is still
 *     being initialized in the background;
 *   - from the shell: `bench NAME[,NAME]`, `bench all`, `bench` lists them.
 *
 * Named benchmarks run in the order given, so a harness decides what runs
 * first. A name that matches nothing is an error, never silently skipped:
 * a typo would otherwise look like a benchmark that printed no numbers.
 * Each run ends with one report line, bench_done {ran, failed}, which
 * tools/bench reads as "the guest finished measuring". With `bench_exit` the
 * kernel then leaves QEMU (status 33 when every benchmark ran, 35 if not), so
 * a benchmark boot needs no shell interaction. `bench_exit` alone measures
 * just the boot: it waits until all boot RAM is allocatable (deferred init
 * over), reports bench_done with nothing ran, and leaves with 33.
 */
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "mm/mm_init.h"
/* After our headers: newlib's sys/cdefs.h also defines __section. */
#include <errno.h>
#include <string.h>

extern const struct benchmark __benchmarks_start[], __benchmarks_end[];

#define BENCH_NAME_MAX 32

static const struct benchmark *bench_find(const char *name, size_t len)
{
	for (const struct benchmark *b = __benchmarks_start; b < __benchmarks_end; b++)
		if (strlen(b->name) == len && !strncmp(b->name, name, len))
			return b;
	return NULL;
}

static int bench_one(const struct benchmark *b)
{
	int r;

	printk(KERN_NOTICE "bench: %s ...\n", b->name);
	r = b->fn();
	if (r)
		printk(KERN_ERR "bench: %s could not measure (%d)\n", b->name, r);
	return r;
}

static void bench_list_names(void)
{
	printk(KERN_ERR "bench: benchmarks in this kernel:");
	for (const struct benchmark *b = __benchmarks_start; b < __benchmarks_end; b++)
		printk(KERN_CONT " %s", b->name);
	printk(KERN_CONT "%s\n", &__benchmarks_start[0] == &__benchmarks_end[0] ? " (none)" : "");
}

int bench_run(const char *names)
{
	int ran = 0, failed = 0;

	if (!names || !*names || !strcmp(names, "all")) {
		for (const struct benchmark *b = __benchmarks_start; b < __benchmarks_end; b++) {
			ran++;
			if (bench_one(b))
				failed++;
		}
	} else {
		const char *p = names;

		while (*p) {
			size_t len = strcspn(p, ",");
			const struct benchmark *b = len ? bench_find(p, len) : NULL;

			if (len && b) {
				ran++;
				if (bench_one(b))
					failed++;
			} else if (len) {
				printk(KERN_ERR "bench: no benchmark named '%.*s' (in list '%s')\n",
				       (int)min(len, (size_t)BENCH_NAME_MAX), p, names);
				bench_list_names();
				failed++;
			}
			p += len;
			if (*p == ',')
				p++;
		}
	}
	printk(KERN_NOTICE "bench: %d ran, %d failed\n", ran, failed);
	report("bench_done", "\"ran\":%d,\"failed\":%d", ran, failed);
	return failed ? -EINVAL : 0;
}

/* Called by start_kernel once all boot RAM is allocatable. */
void bench_run_cmdline(void)
{
	const char *names = cmdline_get("bench");
	int r;

	if (!names) {
		if (!cmdline_flag("bench_exit"))
			return;
		/*
		 * Nothing to measure but the boot itself: leave once all boot RAM
		 * is allocatable. start_kernel waits for deferred init only when
		 * bench= or selftest= is given; without the wait here, a deferred
		 * init that ends after the shell is up (large RAM) never got here
		 * again and QEMU never exited.
		 */
		deferred_init_wait();
		printk(KERN_NOTICE "bench: bench_exit without bench=: all boot RAM allocatable, leaving\n");
		report("bench_done", "\"ran\":0,\"failed\":0");
		machine_exit(QEMU_EXIT_PASS);
	}
	r = bench_run(names);
	if (cmdline_flag("bench_exit"))
		machine_exit(r ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}
CMDLINE_OPTION(bench, "[NAME,...|all]", "run these benchmarks once all boot RAM is allocatable (bare: all)");
CMDLINE_OPTION(bench_exit, "", "after bench=, leave QEMU: status 33 when every benchmark ran, 35 if not "
	       "(alone: 33 once all boot RAM is allocatable)");

static int cmd_bench(int argc, char **argv)
{
	int r = 0;

	if (argc < 2) {
		shell_printf("usage: bench NAME[,NAME] | bench all\n");
		shell_printf("benchmarks:");
		for (const struct benchmark *b = __benchmarks_start; b < __benchmarks_end; b++)
			shell_printf(" %s", b->name);
		shell_printf("\n");
		return 0;
	}
	for (int i = 1; i < argc; i++)
		if (bench_run(argv[i]))
			r = -EINVAL;
	return r;
}
SHELL_COMMAND(bench, cmd_bench, "[NAME,...|all]", "run in-kernel benchmarks (no argument: list them)");
