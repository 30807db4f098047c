/* SPDX-License-Identifier: MIT */
/*
 * DOC: tsc.c - calibrating the time-stamp counter against the PIT
 *
 * PIT channel 2 is the one channel software can gate and read back without
 * disturbing anything, and it counts at a known 1.193182 MHz. Both it and
 * the TSC run in real time, so a pair of readings taken back to back
 * (rdtsc, latch the PIT count, rdtsc again) says what the TSC read at a
 * known PIT moment, and two such pairs 3 ms apart give the TSC rate. A host
 * preemption *between* the pairs changes nothing; one *inside* a pair
 * shows up as a wide rdtsc bracket, and such a pair is taken again.
 * (Waiting for the count to run out and timing that instead is what an
 * overloaded host turns into a 50% error: seen here under TCG.)
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
#define CAL_TICKS	3580u	/* 3 ms between the two readings */

/* TSC value at the moment the PIT count was latched; false if never tight. */
static bool pit_tsc_pair(uint64_t *tsc, uint16_t *count)
{
	uint64_t best = ~0ull;

	for (int i = 0; i < 20; i++) {
		uint64_t a, b;
		uint8_t lo, hi;

		a = rdtsc();
		outb(0x80, 0x43);		/* latch channel 2 */
		lo = inb(0x42);
		hi = inb(0x42);
		b = rdtsc();
		if (b - a < best) {
			best = b - a;
			*tsc = a;
			*count = (uint16_t)(hi << 8 | lo);
		}
		if (best < 20000)		/* a few microseconds: good enough */
			return true;
	}
	return best != ~0ull;
}

/* TSC cycles over CAL_TICKS of the PIT, or 0 if the PIT does not count. */
static uint64_t calibrate_once(void)
{
	uint64_t t1, t2;
	uint16_t c1, c2;
	int guard = 0;

	pit_tsc_pair(&t1, &c1);
	do {
		pit_tsc_pair(&t2, &c2);
	} while ((uint16_t)(c1 - c2) < CAL_TICKS && ++guard < 1000000);
	if ((uint16_t)(c1 - c2) < CAL_TICKS || t2 <= t1)
		return 0;
	return (t2 - t1) * CAL_TICKS / (uint16_t)(c1 - c2);
}

/*
 * Under TCG on a loaded host the TSC QEMU shows can jump forward between
 * two readings (its thread moved between host CPUs): seen here as 1.5x
 * rates in one boot out of three. Jumps only lengthen an interval, so the
 * shortest of three is the one to trust.
 */
void tsc_init(void)
{
	uint64_t best = 0;
	uint8_t v = inb(0x61);

	outb((v & ~0x02) | 0x01, 0x61);		/* gate on, speaker off */
	outb(0xb4, 0x43);			/* channel 2, lo/hi, mode 2 (rate), binary */
	outb(0xff, 0x42);
	outb(0xff, 0x42);			/* counts down from 65535: 55 ms a round */

	for (int i = 0; i < 3; i++) {
		uint64_t c = calibrate_once();

		if (c && (!best || c < best))
			best = c;
	}
	if (!best) {
		pr_warn("tsc: PIT channel 2 does not count; assuming 1 GHz\n");
		tsc_khz = 1000000;
	} else {
		tsc_khz = best * PIT_HZ / CAL_TICKS / 1000;
	}
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
