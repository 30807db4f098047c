/* SPDX-License-Identifier: MIT */
/*
 * DOC: idt.c - the interrupt descriptor table and interrupt dispatch
 *
 * All 256 vectors point at the stubs of entry.S. Vectors 0-31 are CPU
 * exceptions and go to do_exception(); any other vector goes to the handler
 * registered with set_vector_handler(). An interrupt nobody registered is
 * reported once per vector and otherwise ignored.
 */
#include <errno.h>
#include "arch/x86_64/traps.h"
#include "kernel/printk.h"

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t zero;
} __packed;

extern char interrupt_stubs[];	/* 256 stubs, 16 bytes apart */
static struct idt_entry idt[256] __aligned(16);
static irq_handler_t handlers[256];
static bool warned[256];

void do_exception(struct pt_regs *regs);

static void set_gate(int vec, uint64_t addr, int ist)
{
	idt[vec] = (struct idt_entry){
		.offset_lo = addr & 0xffff,
		.selector = 0x08,
		.ist = ist,
		.type_attr = 0x8e,		/* present, DPL 0, 64-bit interrupt gate */
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_hi = addr >> 32,
	};
}

void idt_load(void)
{
	struct { uint16_t limit; uint64_t base; } __packed ptr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" :: "m"(ptr));
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, (uint64_t)interrupt_stubs + 16 * v, 0);
	set_gate(2, (uint64_t)interrupt_stubs + 16 * 2, 2);	/* NMI: IST2 */
	set_gate(8, (uint64_t)interrupt_stubs + 16 * 8, 1);	/* #DF: IST1 */
	set_gate(18, (uint64_t)interrupt_stubs + 16 * 18, 3);	/* #MC: IST3 */
	idt_load();
}

int set_vector_handler(unsigned int vector, irq_handler_t fn)
{
	if (vector < 32 || vector > 255)
		return -EINVAL;
	if (fn && handlers[vector])
		return -EBUSY;
	handlers[vector] = fn;
	return 0;
}

void do_interrupt(struct pt_regs *regs)
{
	unsigned int v = regs->vector;

	if (v < 32) {
		do_exception(regs);
		return;
	}
	if (handlers[v]) {
		handlers[v](regs);
		return;
	}
	if (!warned[v] && v != SPURIOUS_VECTOR) {
		warned[v] = true;
		pr_warn("irq: unexpected interrupt on vector %u (no handler)\n", v);
	}
}
