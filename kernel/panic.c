/* SPDX-License-Identifier: MIT */
/*
 * DOC: panic.c - the end of the line
 *
 * Print the reason and a backtrace, then stop: under QEMU exit with the
 * panic status (37) so test harnesses see it at once; on hardware, halt
 * with interrupts off. A panic while panicking (the backtrace faulted)
 * skips straight to the exit.
 */
#include <stdio.h>
#include "kernel/panic.h"
#include "kernel/power.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/traps.h"

static volatile int panicking;

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	local_irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		machine_exit(QEMU_EXIT_PANIC);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_loglevel = 8;	/* whatever else is printed now, show it */
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	dump_backtrace((uint64_t)__builtin_frame_address(0));
	for (char *c = msg; *c; c++)	/* keep the report line valid JSON */
		if (*c == '"' || *c == '\\' || *c < ' ')
			*c = '\'';
	report("panic", "\"msg\":\"%s\"", msg);
	machine_exit(QEMU_EXIT_PANIC);
}
