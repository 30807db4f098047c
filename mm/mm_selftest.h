/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_selftest.h - the memory core's accounting check, for other self-tests (kernel only)
 *
 * mm_selftest_accounting() is the meminfo_matches_memmap self-test
 * (mm/mm_selftest.c): every node's zones hold exactly its boot RAM and its
 * memory blocks, and every present page is managed, Reserved,
 * VmemmapSelfHosted, Offline (held by a driver in an online block) or
 * HWPoison. Self-tests that change the memory layout (mm/hotplug_selftest.c)
 * run it in the states they create. Returns 0, or -1 after saying what
 * did not add up. Call it on a quiet system.
 */
#ifndef HOTMM_MM_MM_SELFTEST_H
#define HOTMM_MM_MM_SELFTEST_H

int mm_selftest_accounting(void);

#endif
