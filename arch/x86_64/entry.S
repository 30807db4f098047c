/* SPDX-License-Identifier: MIT */
/*
 * DOC: entry.S - the one way into the kernel from an interrupt or exception
 *
 * Each of the 256 vectors has a small stub that makes the stack look the
 * same for all of them (a 0 where the CPU pushes no error code, then the
 * vector number) and jumps to common_interrupt, which saves the general
 * registers as struct pt_regs, saves the FPU/SSE state with fxsave (newlib
 * and gcc may use SSE registers anywhere, so a handler must not clobber
 * them), calls do_interrupt(regs) and undoes it all with iretq.
 */
#define HAS_ERRCODE(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
	.globl interrupt_stubs
interrupt_stubs:
	vector = 0
	.rept 256
	.balign 16
	.if HAS_ERRCODE(vector) == 0
	pushq	$0
	.endif
	pushq	$vector
	jmp	common_interrupt
	vector = vector + 1
	.endr

common_interrupt:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi		/* struct pt_regs * */
	movq	%rsp, %rbx		/* callee-saved: to find pt_regs again */
	subq	$512, %rsp
	andq	$~15, %rsp		/* fxsave wants 16-byte alignment */
	fxsave	(%rsp)
	call	do_interrupt
	fxrstor	(%rsp)
	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector and error code */
	iretq
