/* SPDX-License-Identifier: MIT */
/*
 * DOC: trampoline.S - an AP's way from real mode to the kernel
 *
 * A STARTUP IPI starts an AP in 16-bit real mode at CS:IP = (page << 8):0,
 * so this code must sit in a page below 1 MiB. It is assembled here as a
 * blob and copied by smp.c to TRAMPOLINE_PHYS (0x8000, inside the low 1 MiB
 * that memblock reserves whole), next to three pages of temporary page
 * tables smp.c builds: PML4 at +0x1000 whose entry 0 identity-maps the
 * first 2 MiB (so the code keeps running at its physical address when
 * paging turns on) and whose upper half is a copy of the kernel's. The AP:
 *
 *   real mode -> load our GDT, PE=1 -> 32-bit: PAE, temporary CR3,
 *   EFER.LME|NXE, PG=1 -> 64-bit code segment -> stack, CPU id, jump to
 *   tr_entry (ap_start_kernel in smp.c), which loads the kernel's CR3.
 *
 * The kernel's page tables never see the identity mapping. Every address
 * used before the jump is physical: TR(x) is x's address in the copy.
 * smp.c fills the parameter block (tr_params) before each AP's SIPI; APs
 * start one at a time, so one block serves all.
 */
#define TRAMPOLINE_PHYS	0x8000
#define TR(x)		(TRAMPOLINE_PHYS + ((x) - trampoline_start))

#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)

	.section .rodata
	.balign 16
	.globl trampoline_start, trampoline_end, tr_params
	.code16
trampoline_start:
	cli
	cld
	movw	%cs, %ax		/* CS = TRAMPOLINE_PHYS >> 4 */
	movw	%ax, %ds
	lgdtl	tr_gdt_ptr - trampoline_start
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $TR(tr_protected)

	.code32
tr_protected:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl	%eax, %cr4
	movl	TR(tr_pml4), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER */
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | CR0_MP), %eax
	andl	$~CR0_EM, %eax
	movl	%eax, %cr0
	ljmpl	$0x18, $TR(tr_long)

	.code64
tr_long:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorl	%eax, %eax
	movw	%ax, %fs
	movw	%ax, %gs
	movq	TR(tr_stack), %rsp
	movq	TR(tr_cpu), %rdi
	movq	TR(tr_entry), %rax
	xorl	%ebp, %ebp		/* ends backtraces */
	jmpq	*%rax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_ptr:
	.short	tr_gdt_ptr - tr_gdt - 1
	.long	TR(tr_gdt)

	.balign 8
tr_params:			/* struct trampoline_params in smp.c */
tr_pml4:	.long 0, 0	/* physical address of the temporary PML4 (< 4 GiB) */
tr_stack:	.quad 0		/* the AP's initial RSP (kernel virtual) */
tr_cpu:		.quad 0		/* its CPU id: ap_start_kernel's argument */
tr_entry:	.quad 0		/* where to go in the kernel */
trampoline_end:
