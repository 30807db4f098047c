/* SPDX-License-Identifier: MIT */
/*
 * DOC: compiler.h - small helpers every file uses
 *
 * The macros Linux code reaches for without thinking (ARRAY_SIZE, ALIGN,
 * min/max, container_of, likely, READ_ONCE ...). They are plain C11 + GNU
 * extensions, so the same header serves the kernel and the host tests.
 */
#ifndef HOTMM_LIB_COMPILER_H
#define HOTMM_LIB_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define is_power_of_2(n)	((n) != 0 && (((n) & ((n) - 1)) == 0))

#define min(a, b)	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define clamp(v, lo, hi) min(max(v, lo), hi)

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#ifndef __noreturn
#define __noreturn	__attribute__((noreturn))
#endif
#ifndef __packed
#define __packed	__attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((aligned(x)))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif
#ifndef __used
#define __used		__attribute__((used))
#endif
#ifndef __unused
#define __unused	__attribute__((unused))
#endif
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#ifndef __section
#define __section(s)	__attribute__((section(s)))
#endif

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()		__asm__ __volatile__("" ::: "memory")

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

#define SZ_1K	0x400UL
#define SZ_4K	0x1000UL
#define SZ_1M	0x100000UL
#define SZ_2M	0x200000UL
#define SZ_128M	0x8000000UL
#define SZ_1G	0x40000000UL

#endif
