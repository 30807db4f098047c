/* SPDX-License-Identifier: MIT */
/*
 * DOC: sys_arch.c - what lwIP asks of the kernel under NO_SYS=1
 *
 * sys_now(): milliseconds from the TSC clock (ktime), which every CPU
 * shares, so lwIP's timeouts work whichever CPU polls. lwip_port_rand():
 * a xorshift64 generator seeded from the TSC at the first call, under
 * net_lock like every lwIP call (TCP initial sequence numbers and DHCP
 * transaction ids only need to differ between boots, not to be secret).
 */
#include "lwip/sys.h"
#include "arch/x86_64/tsc.h"
#include "lib/xorshift.h"

u32_t sys_now(void)
{
	return (u32_t)(ktime_get_ns() / 1000000ull);
}

uint32_t lwip_port_rand(void);
uint32_t lwip_port_rand(void)
{
	static uint64_t state;

	if (!state)
		state = rdtsc() | 1;
	return (uint32_t)(xorshift64(&state) >> 32);
}
