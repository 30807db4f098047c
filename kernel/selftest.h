/* SPDX-License-Identifier: MIT */
/*
 * DOC: selftest.h - in-kernel tests, run by the `selftest` option
 *
 * A subsystem adds a test with one line at file scope:
 *     SELFTEST(buddy_exhaust, test_buddy_exhaust);
 * The function returns 0 on pass, SELFTEST_SKIP when the machine lacks what
 * it tests (say why: e.g. no hot-added memory without memhp_withhold=), or
 * another nonzero value after printing why it failed.
 * `selftest` on the command line runs them all after boot, prints
 * "selftest: N passed, M failed, K skipped" and exits QEMU with 33 (none
 * failed) or 35.
 * `selftest=NAME[,NAME]` runs only those. The `selftest` shell command runs
 * them too, without exiting.
 */
#ifndef HOTMM_KERNEL_SELFTEST_H
#define HOTMM_KERNEL_SELFTEST_H

#include "lib/compiler.h"

#define SELFTEST_SKIP 77

struct selftest {
	const char *name;
	int (*fn)(void);
};

#define SELFTEST(_name, _fn)							\
	static const struct selftest __selftest_##_name				\
	__used __section(".selftests") __aligned(8) = { .name = #_name, .fn = _fn }

/* Run the tests whose names are in the comma list `only` (NULL: all). */
int selftest_run(const char *only, int *passed, int *failed, int *skipped);

#endif
