/* SPDX-License-Identifier: MIT */
/*
 * DOC: arch/cc.h - lwIP's compiler and platform glue for the kernel
 *
 * lwIP is built freestanding against newlib's headers (tools/build-lwip.sh).
 * Its diagnostics go to printk, a failed lwIP assertion panics (lwIP's state
 * is shared by every connection: running on after one is broken would only
 * spread it), and its random numbers come from the kernel's generator
 * (lib/lwip/sys_arch.c: TCP initial sequence numbers, DHCP transaction ids,
 * local ports).
 */
#ifndef HOTMM_LWIP_ARCH_CC_H
#define HOTMM_LWIP_ARCH_CC_H

#include <stdint.h>
#include <limits.h>
#include <sys/types.h>

#define BYTE_ORDER LITTLE_ENDIAN
/* newlib has ssize_t (sys/types.h) but no SSIZE_MAX: say so, or lwIP typedefs its own */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif
#define LWIP_NO_UNISTD_H 1

int printk(const char *fmt, ...);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
uint32_t lwip_port_rand(void);

#define LWIP_PLATFORM_DIAG(x)	do { printk x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)	panic("lwIP assertion \"%s\" failed at %s:%d", x, __FILE__, __LINE__)
#define LWIP_RAND()		lwip_port_rand()

#endif
