/* SPDX-License-Identifier: MIT */
/*
 * DOC: tsc.h - time from the time-stamp counter
 *
 * tsc_init() calibrates the TSC against PIT channel 2; until then
 * ktime_get_ns() returns 0. Time is counted from kernel entry (the first
 * rdtsc the boot code takes), which is also the origin of every report
 * line's "ns" and of printk's [seconds.micros] stamp.
 */
#ifndef HOTMM_ARCH_TSC_H
#define HOTMM_ARCH_TSC_H

#include "lib/compiler.h"

extern uint64_t tsc_khz;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void tsc_init(void);
uint64_t ktime_get_ns(void);			/* since kernel entry */
uint64_t tsc_to_ns(uint64_t cycles);
void udelay(unsigned long usecs);

#endif
