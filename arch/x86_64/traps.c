/* SPDX-License-Identifier: MIT */
/*
 * DOC: traps.c - CPU exceptions and backtraces
 *
 * One page fault is not a bug: an access to a movable-heap page while it
 * is being moved finds a migration entry in its PTE (mm/vmalloc.c). Before
 * reporting a not-present #PF, do_exception asks vmalloc_fault(), which
 * waits until the move is done and says "retry"; the handler then returns
 * and the faulting instruction runs again. This is what Linux does for a
 * user PTE (do_swap_page finds a migration entry and calls
 * migration_entry_wait); Linux never moves kernel pages, so its
 * do_kern_addr_fault has no such case. Protection faults and faults
 * anywhere else are never retried.
 *
 * Otherwise hotmm has no user space, so every CPU exception is a kernel bug: print
 * everything a developer needs to find it (vector and name, error code, RIP
 * with its symbol, RSP, CR2, all registers, a frame-pointer backtrace with
 * names) and stop through panic(), which exits QEMU with the panic status.
 *
 * The backtrace follows saved frame pointers (the kernel is built with
 * -fno-omit-frame-pointer). Each frame must lie inside the stack it started
 * on and frames must move toward the stack's top, so a corrupt chain ends
 * the walk instead of faulting inside the fault handler.
 */
#include "arch/x86_64/traps.h"
#include "arch/x86_64/cpu.h"
#include "kernel/panic.h"
#include "kernel/symbols.h"
#include "arch/x86_64/percpu.h"
#include "mm/vmalloc.h"

#define X86_PF_PROT	0x1	/* #PF error code: the page was present (protection) */

extern char boot_stack_bottom[], boot_stack_top[];
extern uintptr_t ist_stack_bounds[3][2];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved", "x87 FPU error", "alignment check", "machine check",
	"SIMD floating-point", "virtualization", "control protection",
	"reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"hypervisor injection", "VMM communication", "security", "reserved",
};

static bool stack_bounds(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	if (addr >= (uint64_t)boot_stack_bottom && addr < (uint64_t)boot_stack_top) {
		*lo = (uint64_t)boot_stack_bottom;
		*hi = (uint64_t)boot_stack_top;
		return true;
	}
	for (int i = 0; i < 3; i++)
		if (addr >= ist_stack_bounds[i][0] && addr < ist_stack_bounds[i][1]) {
			*lo = ist_stack_bounds[i][0];
			*hi = ist_stack_bounds[i][1];
			return true;
		}
	return percpu_stack_bounds(addr, lo, hi);	/* the APs' stacks */
}

/*
 * A return address points after its call, which for a call to a noreturn
 * function is past the caller's end: name what contains addr - 1.
 */
static void print_addr(const char *prefix, uint64_t addr, bool is_return)
{
	uint64_t off;
	const char *name = symbol_lookup(addr - is_return, &off);

	off += is_return;
	if (name)
		printk(KERN_EMERG "%s0x%016llx %s+0x%llx\n", prefix,
		       (unsigned long long)addr, name, (unsigned long long)off);
	else
		printk(KERN_EMERG "%s0x%016llx\n", prefix, (unsigned long long)addr);
}

void dump_backtrace(uint64_t rbp)
{
	uint64_t lo, hi;
	int depth = 0;

	printk(KERN_EMERG "Call Trace:\n");
	if (!stack_bounds(rbp, &lo, &hi)) {
		printk(KERN_EMERG " (frame pointer 0x%llx is on no known stack)\n", (unsigned long long)rbp);
		return;
	}
	while (rbp >= lo && rbp + 16 <= hi && !(rbp & 7) && depth++ < 32) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t next = frame[0];

		if (frame[1] < 0xffffffff80000000ull)	/* not kernel text: chain is done */
			break;
		print_addr(" ", frame[1], true);
		if (next <= rbp)			/* frames must climb the stack */
			break;
		rbp = next;
	}
}

void show_regs(const struct pt_regs *r)
{
	print_addr("RIP: ", r->rip, false);
	printk(KERN_EMERG "RSP: %016llx RFLAGS: %08llx CS: %04llx SS: %04llx\n",
	       (unsigned long long)r->rsp, (unsigned long long)r->rflags,
	       (unsigned long long)r->cs, (unsigned long long)r->ss);
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)r->rax, (unsigned long long)r->rbx, (unsigned long long)r->rcx);
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)r->rdx, (unsigned long long)r->rsi, (unsigned long long)r->rdi);
	printk(KERN_EMERG "RBP: %016llx R08: %016llx R09: %016llx\n",
	       (unsigned long long)r->rbp, (unsigned long long)r->r8, (unsigned long long)r->r9);
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)r->r10, (unsigned long long)r->r11, (unsigned long long)r->r12);
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)r->r13, (unsigned long long)r->r14, (unsigned long long)r->r15);
	printk(KERN_EMERG "CR2: %016llx CR3: %016llx CR4: %016llx\n",
	       (unsigned long long)read_cr2(), (unsigned long long)read_cr3(),
	       (unsigned long long)read_cr4());
}

void do_exception(struct pt_regs *regs)
{
	unsigned int v = regs->vector;

	/* A heap page being moved: wait for the move, then retry the access. */
	if (v == 14 && !(regs->error_code & X86_PF_PROT) && vmalloc_fault(read_cr2()))
		return;
	printk(KERN_EMERG "exception %u (%s), error code 0x%llx\n", v, exception_names[v],
	       (unsigned long long)regs->error_code);
	if (v == 14)
		printk(KERN_EMERG "page fault at address 0x%016llx (%s, %s)\n",
		       (unsigned long long)read_cr2(),
		       regs->error_code & 1 ? "protection violation" : "page not present",
		       regs->error_code & 2 ? "write" : "read");
	show_regs(regs);
	dump_backtrace(regs->rbp);
	panic("CPU exception %u (%s) at RIP 0x%llx", v, exception_names[v],
	      (unsigned long long)regs->rip);
}

/*
 * `crash` (Linux: echo c > /proc/sysrq-trigger) proves the fault path works:
 * the exception report, symbol names in the backtrace and the panic status.
 */
#include <string.h>
#include "kernel/shell.h"

static int __attribute__((noinline)) crash_now(const char *how)
{
	if (!strcmp(how, "pagefault"))
		return *(volatile int *)0xdead000;	/* nothing is mapped there */
	if (!strcmp(how, "ud"))
		__asm__ __volatile__("ud2");
	if (!strcmp(how, "panic"))
		panic("crash requested from the shell");
	shell_printf("crash: unknown kind '%s' (pagefault, ud, panic)\n", how);
	return -1;
}

static int cmd_crash(int argc, char **argv)
{
	if (argc != 2) {
		shell_printf("usage: crash pagefault|ud|panic\n");
		return -1;
	}
	return crash_now(argv[1]);
}
SHELL_COMMAND(crash, cmd_crash, "pagefault|ud|panic", "fault on purpose (tests the panic path)");
