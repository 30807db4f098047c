/* SPDX-License-Identifier: MIT */
/*
 * DOC: gdt.c - segments and the task state segment
 *
 * Long mode hardly uses segments, but it needs a code and a data descriptor
 * and a TSS, whose interrupt stack table (IST) gives the double fault, NMI
 * and machine check handlers a known-good stack: a double fault is often a
 * stack overflow, and handling it on the broken stack would triple-fault.
 */
#include <string.h>
#include "arch/x86_64/traps.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

#define IST_STACK_SIZE 16384
static uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);
static struct tss tss;
static uint64_t gdt[7] __aligned(16);

uintptr_t ist_stack_bounds[3][2];	/* for the backtrace's stack check */

void gdt_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	struct { uint16_t limit; uint64_t base; } __packed ptr = { sizeof(gdt) - 1, (uint64_t)gdt };

	memset(&tss, 0, sizeof(tss));
	for (int i = 0; i < 3; i++) {
		tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
		ist_stack_bounds[i][0] = (uintptr_t)ist_stacks[i];
		ist_stack_bounds[i][1] = (uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
	}
	tss.iomap_base = sizeof(tss);		/* no I/O bitmap */

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull;		/* 0x08 kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffffull;		/* 0x10 kernel data */
	/* 0x18: 16-byte TSS descriptor, type 9 (available 64-bit TSS), present */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

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
