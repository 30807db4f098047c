/* SPDX-License-Identifier: MIT */
/*
 * DOC: tsc.c - calibrating the time-stamp counter against the PIT
 *
 * PIT channel 2 is the one channel whose output software can read (port
 * 0x61 bit 5) and whose gate software controls, so it makes a reliable
 * one-shot of known length: count 5966 ticks of 1.193182 MHz (5 ms) in
 * mode 0 and see how far the TSC moved. Taking the best of a few tries
 * hides an interrupt or a host preemption landing in one of them.
 *
 * Time zero is boot_tsc, read by boot/head.S at the first instruction.
 */
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/io.h"
#include "kernel/printk.h"

extern uint64_t boot_tsc;
uint64_t tsc_khz;
static uint64_t ns_mult;	/* ns = cycles * ns_mult >> 32 */

#define PIT_HZ		1193182u
#define CAL_TICKS	5966u	/* 5 ms */

static uint64_t pit_measure_once(void)
{
	uint64_t t0, t1;
	uint8_t v = inb(0x61);
	int guard = 0;

	outb((v & ~0x02) | 0x01, 0x61);		/* gate on, speaker off */
	outb(0xb0, 0x43);			/* channel 2, lo/hi, mode 0, binary */
	outb(CAL_TICKS & 0xff, 0x42);
	outb(CAL_TICKS >> 8, 0x42);
	inb(0x61);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))		/* OUT2 goes high at terminal count */
		if (++guard > 50000000)
			return 0;
	t1 = rdtsc();
	return t1 - t0;
}

void tsc_init(void)
{
	uint64_t best = ~0ull;

	for (int i = 0; i < 3; i++) {
		uint64_t d = pit_measure_once();
		if (d && d < best)
			best = d;
	}
	if (best == ~0ull) {
		pr_warn("tsc: PIT calibration failed; assuming 1 GHz\n");
		best = 10000000;
	}
	tsc_khz = best * PIT_HZ / CAL_TICKS / 1000;
	ns_mult = (1000000ull << 32) / tsc_khz;
	pr_info("tsc: %llu.%03llu MHz (calibrated against PIT channel 2)\n",
		(unsigned long long)tsc_khz / 1000, (unsigned long long)tsc_khz % 1000);
}

uint64_t tsc_to_ns(uint64_t cycles)
{
	return (uint64_t)(((unsigned __int128)cycles * ns_mult) >> 32);
}

uint64_t ktime_get_ns(void)
{
	if (!ns_mult)
		return 0;
	return tsc_to_ns(rdtsc() - boot_tsc);
}

void udelay(unsigned long usecs)
{
	uint64_t end;

	if (!tsc_khz) {		/* before calibration: about 1 us per port write */
		while (usecs--)
			io_delay();
		return;
	}
	end = rdtsc() + usecs * tsc_khz / 1000;
	while ((int64_t)(rdtsc() - end) < 0)
		__asm__ __volatile__("pause");
}
