/* SPDX-License-Identifier: MIT */
/*
 * DOC: traps.h - interrupt frames, vectors and handler registration
 */
#ifndef HOTMM_ARCH_TRAPS_H
#define HOTMM_ARCH_TRAPS_H

#include "lib/compiler.h"

/* What arch/x86_64/entry.S leaves on the stack, lowest address first. */
struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

#define IRQ0_VECTOR	0x20	/* the 8259s are remapped to 0x20-0x2f */
#define SPURIOUS_VECTOR	0xff

typedef void (*irq_handler_t)(struct pt_regs *regs);

void gdt_init(void);
void idt_init(void);
void idt_load(void);
/* Handle `vector`; returns -EBUSY if it already has a handler. */
int set_vector_handler(unsigned int vector, irq_handler_t fn);
void do_interrupt(struct pt_regs *regs);

/* Backtrace from a frame pointer, each frame checked against the stack's bounds. */
void dump_backtrace(uint64_t rbp);
void show_regs(const struct pt_regs *regs);

#endif
