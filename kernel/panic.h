/* SPDX-License-Identifier: MIT */
/*
 * DOC: panic.h - stopping the machine when an invariant breaks
 *
 * panic() prints the message and a backtrace and ends the run: under QEMU it
 * exits through isa-debug-exit with the panic status (37), elsewhere it halts.
 * BUG_ON() is for states that must never happen; WARN_ON() reports and goes
 * on, returning the condition so callers can bail out.
 */
#ifndef HOTMM_KERNEL_PANIC_H
#define HOTMM_KERNEL_PANIC_H

#include "lib/compiler.h"
#include "kernel/printk.h"

__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG() panic("BUG at %s:%d (%s)", __FILE__, __LINE__, __func__)
#define BUG_ON(cond) do { if (unlikely(cond)) panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); } while (0)
#define WARN_ON(cond) ({ bool __w = !!(cond); \
	if (unlikely(__w)) printk(KERN_WARNING "WARNING: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
	__w; })
#define WARN_ON_ONCE(cond) ({ static bool __warned; bool __w = !!(cond); \
	if (unlikely(__w) && !__warned) { __warned = true; \
		printk(KERN_WARNING "WARNING: %s at %s:%d\n", #cond, __FILE__, __LINE__); } \
	__w; })

#ifdef CONFIG_DEBUG_VM
#define VM_BUG_ON(cond) BUG_ON(cond)
#else
#define VM_BUG_ON(cond) do { (void)sizeof(cond); } while (0)
#endif

#endif
