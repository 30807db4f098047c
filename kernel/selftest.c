/* SPDX-License-Identifier: MIT */
/*
 * DOC: selftest.c - running the in-kernel tests
 *
 * Tests register with SELFTEST() (kernel/selftest.h). With `selftest` on the
 * command line the kernel runs them after boot and leaves QEMU with status
 * 33 when all passed, 35 when any failed; a panic during a test is 37.
 */
#include <string.h>
#include "kernel/selftest.h"
#include "kernel/shell.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"

extern const struct selftest __selftests_start[], __selftests_end[];

static bool selected(const char *only, const char *name)
{
	size_t n = strlen(name);

	if (!only || !*only || !strcmp(only, "all") || !strcmp(only, "1"))
		return true;
	for (const char *p = only; (p = strstr(p, name)); p += n)
		if ((p == only || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

int selftest_run(const char *only, int *passed, int *failed, int *skipped)
{
	*passed = *failed = *skipped = 0;
	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		int r;

		if (!selected(only, t->name))
			continue;
		printk(KERN_NOTICE "selftest: %s ...\n", t->name);
		r = t->fn();
		if (r == SELFTEST_SKIP) {
			(*skipped)++;
			printk(KERN_NOTICE "selftest: %s skipped\n", t->name);
			report("selftest_case", "\"name\":\"%s\",\"ok\":true,\"skipped\":true", t->name);
			continue;
		}
		if (r) {
			(*failed)++;
			printk(KERN_ERR "selftest: %s FAILED (%d)\n", t->name, r);
		} else {
			(*passed)++;
			printk(KERN_NOTICE "selftest: %s ok\n", t->name);
		}
		report("selftest_case", "\"name\":\"%s\",\"ok\":%s", t->name, r ? "false" : "true");
	}
	printk(KERN_NOTICE "selftest: %d passed, %d failed, %d skipped\n", *passed, *failed, *skipped);
	report("selftest", "\"passed\":%d,\"failed\":%d,\"skipped\":%d", *passed, *failed, *skipped);
	return *failed ? -1 : 0;
}

static int cmd_selftest(int argc, char **argv)
{
	int p, f, k;

	return selftest_run(argc > 1 ? argv[1] : NULL, &p, &f, &k);
}
SHELL_COMMAND(selftest, cmd_selftest, "[NAME,...]", "run the in-kernel tests");
CMDLINE_OPTION(selftest, "[NAME,...]", "run the in-kernel tests after boot, then exit QEMU (33 pass, 35 fail)");
