/* SPDX-License-Identifier: MIT */
/*
 * DOC: head.S - from GRUB's 32-bit handover to start_kernel in long mode
 *
 * GRUB enters _start in 32-bit protected mode, paging off, with
 * EAX = 0x36d76289 and EBX = physical address of the multiboot2 information.
 * This code runs at its physical address (the .boot section is linked there)
 * and so may only touch physical addresses: every symbol of the higher half
 * is written as (sym - KERNEL_VBASE).
 *
 * It builds throwaway page tables that map the first 1 GiB three ways
 * (identity, so the next instruction still works; the direct map at
 * 0xffff888000000000; the kernel image at -2 GiB), enables PAE, long mode,
 * paging, SSE, and jumps to start_kernel(magic, info_phys) on the boot stack.
 * arch/x86_64/pgtable.c replaces these tables with exact ones early on.
 */
#define KERNEL_VBASE	0xffffffff80000000
#define MB2_MAGIC	0xe85250d6
#define MB2_ARCH_I386	0
#define PTE_P		0x1
#define PTE_W		0x2
#define PTE_PS		0x80

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* information request: we need the memory map and the ACPI RSDP */
	.balign 8
	.short	1, 0
	.long	4 * 2 + 4 * 4
	.long	6		/* memory map */
	.long	1		/* command line */
	.long	14		/* old RSDP */
	.long	9		/* ELF sections */
	/*
	 * GRUB adds what it has without being asked: through UEFI the new
	 * RSDP (15), the EFI system table (12) and the EFI memory map (17).
	 * No EFI boot-services tag (type 7 here) and no EFI entry address
	 * (8, 9): GRUB then calls ExitBootServices() and enters _start in
	 * 32-bit protected mode exactly as on BIOS, so one entry serves both.
	 */
	.balign 8
	.short	0, 0		/* end tag */
	.long	8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl	$(boot_stack_top - KERNEL_VBASE), %esp
	movl	%eax, %edi		/* magic: first argument of start_kernel */
	movl	%ebx, %esi		/* info: second argument */

	/* Time zero of the kernel: every "ns" in the report counts from here. */
	rdtsc
	movl	%eax, (boot_tsc - KERNEL_VBASE)
	movl	%edx, (boot_tsc - KERNEL_VBASE + 4)

	/* Long mode needs CPUID leaf 0x80000001 EDX bit 29. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode

	/* Page tables (all in .bss, zeroed by GRUB): one PD maps 0-1 GiB with 2 MiB pages. */
	movl	$(early_pd - KERNEL_VBASE), %ebx
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P | PTE_W | PTE_PS), %eax
	movl	%eax, (%ebx, %ecx, 8)
	movl	$0, 4(%ebx, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	1b

	/* identity and direct map share one PDPT: PDPT[0] -> PD */
	movl	$(early_pdpt_low - KERNEL_VBASE), %eax
	movl	$(early_pd - KERNEL_VBASE + PTE_P + PTE_W), (%eax)
	/* kernel image: PDPT_high[510] -> PD, so -2 GiB + x = x */
	movl	$(early_pdpt_high - KERNEL_VBASE), %eax
	movl	$(early_pd - KERNEL_VBASE + PTE_P + PTE_W), 510*8(%eax)

	movl	$(early_pml4 - KERNEL_VBASE), %eax
	movl	$(early_pdpt_low - KERNEL_VBASE + PTE_P + PTE_W), (%eax)		/* 0 */
	movl	$(early_pdpt_low - KERNEL_VBASE + PTE_P + PTE_W), 273*8(%eax)	/* 0xffff888000000000 */
	movl	$(early_pdpt_high - KERNEL_VBASE + PTE_P + PTE_W), 511*8(%eax)	/* 0xffffff8000000000 */
	movl	%eax, %cr3

	/* CR4: PAE (5), OSFXSR (9), OSXMMEXCPT (10); CR0: MP on, EM off -> SSE usable */
	movl	%cr4, %eax
	orl	$((1 << 5) | (1 << 9) | (1 << 10)), %eax
	movl	%eax, %cr4

	/* EFER.LME (bit 8), NXE (bit 11) */
	movl	$0xc0000080, %ecx
	rdmsr
	orl	$((1 << 8) | (1 << 11)), %eax
	wrmsr

	/* CR0: PG (31), WP (16), MP (1); clear EM (2) */
	movl	%cr0, %eax
	orl	$((1 << 31) | (1 << 16) | (1 << 1)), %eax
	andl	$~(1 << 2), %eax
	movl	%eax, %cr0

	lgdt	(early_gdt_ptr)
	ljmp	$0x08, $long_mode_entry

no_long_mode:
	/* Say why on COM1 (already set up by GRUB's serial command), then stop. */
	movl	$msg_no_lm, %esi
2:	lodsb
	testb	%al, %al
	jz	3f
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	2b
3:	hlt
	jmp	3b

	.code64
long_mode_entry:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorw	%ax, %ax
	movw	%ax, %fs
	movw	%ax, %gs
	/* Into the higher half: from here on only -2 GiB addresses are used. */
	movabsq	$higher_half, %rax
	jmp	*%rax

	.section .boot.data, "a"
	.balign 8
early_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
early_gdt_ptr:
	.short	early_gdt_ptr - early_gdt - 1
	.long	early_gdt		/* .boot is linked at its physical address */
msg_no_lm:
	.asciz	"hotmm: this CPU has no long mode (x86_64); cannot boot\r\n"

	.text
	.code64
	.type higher_half, @function
higher_half:
	movabsq	$boot_stack_top, %rsp
	xorl	%ebp, %ebp		/* ends frame-pointer backtraces */
	/* edi, esi still hold magic and info (zero-extended by the 32-bit movs) */
	movl	%edi, %edi
	movl	%esi, %esi
	call	start_kernel
4:	cli
	hlt
	jmp	4b
	.size higher_half, . - higher_half

	.bss
	.balign 4096
	.globl early_pml4
early_pml4:	.skip 4096
early_pdpt_low:	.skip 4096
early_pdpt_high: .skip 4096
early_pd:	.skip 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 65536
boot_stack_top:
	.data
	.balign 8
	.globl boot_tsc
boot_tsc:	.quad 0
