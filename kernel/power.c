/* SPDX-License-Identifier: MIT */
/*
 * DOC: power.c - halting, rebooting, powering off, and exiting QEMU
 *
 * Tests need a way to end a run with a verdict: QEMU's isa-debug-exit device
 * turns a byte V written to port 0xf4 into QEMU's exit status (V << 1) | 1.
 * That port is only written when fw_cfg showed we are under QEMU; on real
 * hardware these functions halt or reset instead.
 */
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "drivers/qemu_fw_cfg.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/cpu.h"

void machine_halt(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

void machine_exit(int qemu_code)
{
	if (fw_cfg_present())
		outb((uint8_t)qemu_code, 0xf4);
	/* No isa-debug-exit device (or not QEMU): stop here. */
	pr_emerg("System halted.\n");
	machine_halt();
}

void machine_restart(void)
{
	struct { uint16_t limit; uint64_t base; } __packed null_idt = { 0, 0 };

	local_irq_disable();
	/* The keyboard controller's reset line, then a triple fault. */
	for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
		;
	outb(0xfe, 0x64);
	for (;;)
		__asm__ __volatile__("lidt %0; int3" :: "m"(null_idt));
}

void machine_power_off(void)
{
	/*
	 * Under QEMU the debug-exit device is the dependable way out (status 33);
	 * ACPI S5 needs the FADT's PM1a control block, which the ACPI code may
	 * add here later.
	 */
	machine_exit(QEMU_EXIT_PASS);
}

static int cmd_reboot(int argc, char **argv)
{
	printk(KERN_NOTICE "reboot: Restarting system\n");
	machine_restart();
}
SHELL_COMMAND(reboot, cmd_reboot, "", "reset the machine");

static int cmd_poweroff(int argc, char **argv)
{
	printk(KERN_NOTICE "reboot: Power down\n");
	machine_power_off();
}
SHELL_COMMAND(poweroff, cmd_poweroff, "", "power off (under QEMU: exit with status 33)");
