/* SPDX-License-Identifier: MIT */
#ifndef HOTMM_KERNEL_POWER_H
#define HOTMM_KERNEL_POWER_H

#include "lib/compiler.h"

/* isa-debug-exit codes: QEMU exits with (code << 1) | 1. */
#define QEMU_EXIT_PASS	0x10	/* status 33 */
#define QEMU_EXIT_FAIL	0x11	/* status 35 */
#define QEMU_EXIT_PANIC	0x12	/* status 37 */

/* Leave QEMU with the code (only when running under QEMU), else halt. */
__noreturn void machine_exit(int qemu_code);
__noreturn void machine_halt(void);
__noreturn void machine_restart(void);
__noreturn void machine_power_off(void);

#endif
