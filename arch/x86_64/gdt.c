/* SPDX-License-Identifier: MIT */
/*
 * DOC: gdt.c - segments and the task state segment
 *
 * Long mode hardly uses segments, but it needs a code and a data descriptor
 * and a TSS, whose interrupt stack table (IST) gives the double fault, NMI
 * and machine check handlers a known-good stack: a double fault is often a
 * stack overflow, and handling it on the broken stack would triple-fault.
 * Every CPU has its own GDT and TSS (struct cpu_desc): the TSS holds that
 * CPU's IST stack pointers.
 */
#include <string.h>
#include "arch/x86_64/traps.h"
#include "arch/x86_64/desc.h"

#define IST_STACK_SIZE 16384
static uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
static struct cpu_desc boot_desc;

uintptr_t ist_stack_bounds[3][2];	/* for the backtrace's stack check */

void gdt_load_cpu(struct cpu_desc *d, const uint64_t ist_top[3])
{
	uint64_t base = (uint64_t)&d->tss, limit = sizeof(d->tss) - 1;
	struct { uint16_t limit; uint64_t base; } __packed ptr = { sizeof(d->gdt) - 1, (uint64_t)d->gdt };

	memset(&d->tss, 0, sizeof(d->tss));
	for (int i = 0; i < 3; i++)
		d->tss.ist[i] = ist_top[i];
	d->tss.iomap_base = sizeof(d->tss);		/* no I/O bitmap */

	d->gdt[0] = 0;
	d->gdt[1] = 0x00af9a000000ffffull;		/* 0x08 kernel code, 64-bit */
	d->gdt[2] = 0x00cf92000000ffffull;		/* 0x10 kernel data */
	/* 0x18: 16-byte TSS descriptor, type 9 (available 64-bit TSS), present */
	d->gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	d->gdt[4] = base >> 32;

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq $0x08\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw $0x10, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"movw $0x18, %%ax\n\t"
		"ltr %%ax"
		:: "m"(ptr) : "rax", "memory");
}

/* The boot CPU's tables and IST stacks are static: nothing can be allocated yet. */
void gdt_init(void)
{
	uint64_t top[3];

	for (int i = 0; i < 3; i++) {
		top[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
		ist_stack_bounds[i][0] = (uintptr_t)ist_stacks[i];
		ist_stack_bounds[i][1] = (uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
	}
	gdt_load_cpu(&boot_desc, top);
}
