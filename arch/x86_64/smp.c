/* SPDX-License-Identifier: MIT */
/*
 * DOC: smp.c - SMP bring-up: INIT-SIPI-SIPI, per-CPU GDT/TSS and stacks,
 * TSC sync check, the APs' idle loop, cross-CPU function calls
 *
 * The boot CPU starts the APs one at a time, in MADT order, so the one
 * trampoline page and its parameter block serve all of them (see
 * trampoline.S). For each AP it allocates a kernel stack and three IST
 * stacks from the buddy allocator, fills in the CPU's percpu area (id, APIC
 * id, node, stack bounds), writes the trampoline parameters, sends
 * INIT-SIPI-SIPI and waits a bounded time for the AP to say it is alive.
 * Then the two measure their TSC offset by ping-pong, and the AP is marked
 * online. An AP that never answers is sent INIT again (back to
 * wait-for-SIPI, so it cannot run the trampoline later while another AP
 * uses it), its stacks are freed and it is reported and skipped.
 *
 * Each AP has its own GDT and TSS (a TSS is marked busy when loaded, so it
 * cannot be shared); the IDT is shared. gdt.c keeps the boot CPU's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "arch/x86_64/smp.h"
#include "arch/x86_64/desc.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/tsc.h"
#include "drivers/acpi/acpi_boot.h"
#include "drivers/uart16550.h"
#include "kernel/cmdline.h"
#include "kernel/mt_job.h"
#include "kernel/workqueue.h"
#include "drivers/net/net.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"

#define AP_STACK_ORDER		3	/* 32 KiB: memmap init and the allocator nest a little */
#define AP_IST_ORDER		2	/* 16 KiB, as gdt.c gives the boot CPU */
#define TSC_SYNC_ROUNDS		64

uint64_t cpu_online_mask;
unsigned int smp_boot_timeout_ms = 2000;

extern char trampoline_start[], trampoline_end[], tr_params[];
extern char boot_stack_bottom[], boot_stack_top[];
extern uintptr_t ist_stack_bounds[3][2];	/* gdt.c: the boot CPU's IST stacks */

struct trampoline_params {
	uint32_t pml4;
	uint32_t pad;
	uint64_t stack;
	uint64_t cpu;
	uint64_t entry;
};

CMDLINE_OPTION(nosmp, "", "run on the boot CPU only (the APIC and IOAPIC are still used)");
/* smp_init() reads it; a value it cannot honour is refused when the command line is parsed. */
static const char *check_maxcpus(const char *v)
{
	static char allowed[64];
	uint64_t n;

	if (parse_u64_range(v, 0, NR_CPUS, &n))
		return NULL;
	snprintf(allowed, sizeof(allowed), "a number of CPUs 0..%d (0 and 1: the boot CPU only)", NR_CPUS);
	return allowed;
}
CMDLINE_OPTION_CHECKED(maxcpus, "N", "bring up at most N CPUs, the boot CPU included (0..NR_CPUS)",
		       check_maxcpus);
CMDLINE_OPTION(smp_test_stuck, "APICID", "test: never send that CPU its STARTUP IPIs (it must be reported and skipped)");

static struct cpu_desc ap_desc[NR_CPUS];
static struct smp_cpu_entry entries[ACPI_MAX_CPUS];
static unsigned int nr_entries;
static uint64_t ap_cr0, ap_cr3, ap_cr4;
static volatile int ap_alive = -1;
static int64_t stuck_apic_id = -1;	/* smp_test_stuck=APICID: never send that CPU its SIPIs */

/* ---- the AP's side ---- */

static inline void write_cr0(uint64_t v) { __asm__ __volatile__("mov %0, %%cr0" :: "r"(v) : "memory"); }

static void ap_load_gdt_tss(unsigned int cpu)
{
	gdt_load_cpu(&ap_desc[cpu], percpu_areas[cpu].ist_hi);
}

static uint64_t ordered_rdtsc(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return rdtsc();
}

/* TSC ping-pong: the boot CPU writes a round number, the AP answers with its TSC. */
static volatile uint64_t sync_ping, sync_pong_round, sync_pong_tsc;

static bool wait_value(volatile uint64_t *p, uint64_t want, uint64_t limit_cycles)
{
	uint64_t t0 = rdtsc();

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != want) {
		if (rdtsc() - t0 > limit_cycles)
			return false;
		cpu_relax();
	}
	return true;
}

static void tsc_sync_respond(void)
{
	uint64_t limit = tsc_khz * 100;		/* 100 ms per round at most */

	for (uint64_t r = 1; r <= TSC_SYNC_ROUNDS; r++) {
		if (!wait_value(&sync_ping, r, limit))
			return;
		sync_pong_tsc = ordered_rdtsc();
		__atomic_store_n(&sync_pong_round, r, __ATOMIC_RELEASE);
	}
}

static void ap_idle(unsigned int cpu)
{
	for (;;) {
		net_poll();
		if (workqueue_do_work(cpu) || mt_job_do_work(cpu) || net_exec_do_work())
			continue;
		local_irq_disable();
		if (mt_job_pending(cpu) || workqueue_pending() || net_work_pending()) {
			local_irq_enable();
			continue;
		}
		safe_halt();	/* sti; hlt: a wakeup IPI after the check still ends the hlt */
	}
}

void __noreturn ap_start_kernel(unsigned long cpu);
void __noreturn ap_start_kernel(unsigned long cpu)
{
	write_cr3(ap_cr3);	/* leave the trampoline's identity mapping behind */
	write_cr0(ap_cr0);
	write_cr4(ap_cr4);
	ap_load_gdt_tss(cpu);
	idt_load();
	lapic_setup_ap();
	percpu_init_cpu(cpu, lapic_id());
	this_cpu()->online_ns = ktime_get_ns();
	__atomic_store_n(&ap_alive, (int)cpu, __ATOMIC_RELEASE);
	tsc_sync_respond();
	local_irq_enable();
	ap_idle(cpu);
	for (;;)
		halt();
}

/* ---- the boot CPU's side ---- */

static void tsc_sync_measure(unsigned int cpu)
{
	struct percpu *pc = &percpu_areas[cpu];
	uint64_t best_rtt = ~0ull, limit = tsc_khz * 100;
	int64_t offset = 0;

	sync_pong_round = 0;
	for (uint64_t r = 1; r <= TSC_SYNC_ROUNDS; r++) {
		uint64_t t0 = ordered_rdtsc(), t1, t2;

		__atomic_store_n(&sync_ping, r, __ATOMIC_RELEASE);
		if (!wait_value(&sync_pong_round, r, limit)) {
			pr_warn("smp: CPU %u stopped answering the TSC check after %llu rounds\n", cpu,
				(unsigned long long)r - 1);
			break;
		}
		t2 = ordered_rdtsc();
		t1 = sync_pong_tsc;
		if (t2 - t0 < best_rtt) {
			best_rtt = t2 - t0;
			offset = (int64_t)(t1 - t0 - best_rtt / 2);
		}
	}
	sync_ping = 0;
	pc->tsc_offset = offset;
	pc->tsc_uncertainty = best_rtt == ~0ull ? 0 : best_rtt / 2;
	if (best_rtt != ~0ull && (uint64_t)(offset < 0 ? -offset : offset) > pc->tsc_uncertainty + tsc_khz)
		pr_warn("smp: CPU %u's TSC is %lld cycles off the boot CPU's (+-%llu): times taken on "
			"different CPUs do not compare\n", cpu, (long long)offset,
			(unsigned long long)pc->tsc_uncertainty);
}

void smp_tsc_skew(uint64_t *max_skew_ns, uint64_t *uncertainty_ns)
{
	uint64_t skew = 0, unc = 0;

	for (unsigned int c = 1; c < NR_CPUS; c++) {
		const struct percpu *pc = &percpu_areas[c];
		uint64_t s = pc->tsc_offset < 0 ? (uint64_t)-pc->tsc_offset : (uint64_t)pc->tsc_offset;

		if (!cpu_online(c))
			continue;
		if (s >= skew) {
			skew = s;
			unc = max(unc, pc->tsc_uncertainty);
		}
	}
	*max_skew_ns = tsc_to_ns(skew);
	*uncertainty_ns = tsc_to_ns(unc);
}

static void *alloc_stack(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

	return page ? page_address(page) : NULL;
}

static void free_stack(uintptr_t lo, unsigned int order)
{
	if (lo)
		free_pages(lo, order);
}

static void free_ap_stacks(struct percpu *pc)
{
	free_stack(pc->stack_lo, AP_STACK_ORDER);
	for (int i = 0; i < 3; i++)
		free_stack(pc->ist_lo[i], AP_IST_ORDER);
	pc->stack_lo = pc->stack_hi = 0;
	memset(pc->ist_lo, 0, sizeof(pc->ist_lo));
	memset(pc->ist_hi, 0, sizeof(pc->ist_hi));
}

static int alloc_ap_stacks(struct percpu *pc)
{
	void *s = alloc_stack(AP_STACK_ORDER);

	if (!s)
		return -ENOMEM;
	pc->stack_lo = (uintptr_t)s;
	pc->stack_hi = pc->stack_lo + (PAGE_SIZE << AP_STACK_ORDER);
	for (int i = 0; i < 3; i++) {
		s = alloc_stack(AP_IST_ORDER);
		if (!s) {
			free_ap_stacks(pc);
			return -ENOMEM;
		}
		pc->ist_lo[i] = (uintptr_t)s;
		pc->ist_hi[i] = pc->ist_lo[i] + (PAGE_SIZE << AP_IST_ORDER);
	}
	return 0;
}

/* Copy the trampoline and build its page tables: PML4 -> PDPT -> PD, 2 MiB identity at 0. */
static void setup_trampoline(void)
{
	size_t len = (size_t)(trampoline_end - trampoline_start);
	uint8_t *tr = __va(TRAMPOLINE_PHYS);
	uint64_t *pml4 = __va(TRAMPOLINE_PHYS + 0x1000);
	uint64_t *pdpt = __va(TRAMPOLINE_PHYS + 0x2000);
	uint64_t *pd = __va(TRAMPOLINE_PHYS + 0x3000);
	const uint64_t *kernel_pml4 = __va(read_cr3() & PTE_ADDR_MASK);

	BUILD_BUG_ON(TRAMPOLINE_PHYS + TRAMPOLINE_PAGES * 0x1000 > 0x9f000);
	if (len > PAGE_SIZE)
		panic("smp: trampoline is %zu bytes; it must fit its page", len);
	memcpy(tr, trampoline_start, len);
	memset(pml4, 0, 3 * PAGE_SIZE);
	pml4[0] = (TRAMPOLINE_PHYS + 0x2000) | _PAGE_PRESENT | _PAGE_RW;
	pdpt[0] = (TRAMPOLINE_PHYS + 0x3000) | _PAGE_PRESENT | _PAGE_RW;
	pd[0] = 0 | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	for (int i = 256; i < 512; i++)
		pml4[i] = kernel_pml4[i];

	ap_cr0 = read_cr0();
	ap_cr3 = read_cr3();
	ap_cr4 = read_cr4();
}

static struct trampoline_params *tr_params_copy(void)
{
	return (struct trampoline_params *)((uint8_t *)__va(TRAMPOLINE_PHYS) + (tr_params - trampoline_start));
}

static int boot_one_ap(unsigned int cpu, struct smp_cpu_entry *e)
{
	struct percpu *pc = &percpu_areas[cpu];
	struct trampoline_params *p = tr_params_copy();
	uint64_t t0, limit;
	int nid, ret;

	memset(pc, 0, sizeof(*pc));
	if (alloc_ap_stacks(pc)) {
		e->state = SMP_CPU_NOT_STARTED;
		e->why = "no memory for its stacks";
		pr_err("smp: no memory for the stacks of CPU %u (APIC id %u); skipped\n", cpu, e->apic_id);
		return -ENOMEM;
	}
	nid = numa_node_of_apicid(e->apic_id);
	pc->node = nid == NUMA_NO_NODE ? 0 : nid;
	pc->apic_id = e->apic_id;

	/* The stack starts as if ap_start_kernel had been called: a zero return address on top. */
	*(uint64_t *)(pc->stack_hi - 8) = 0;
	p->pml4 = TRAMPOLINE_PHYS + 0x1000;
	p->stack = pc->stack_hi - 8;
	p->cpu = cpu;
	p->entry = (uint64_t)ap_start_kernel;
	__atomic_store_n(&ap_alive, -1, __ATOMIC_RELEASE);

	t0 = rdtsc();
	ret = lapic_wakeup_ap(e->apic_id, TRAMPOLINE_PHYS >> 12, (int64_t)e->apic_id != stuck_apic_id);
	limit = tsc_khz * smp_boot_timeout_ms;
	while (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) != (int)cpu && rdtsc() - t0 < limit)
		cpu_relax();
	if (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) != (int)cpu) {
		lapic_send_init(e->apic_id);	/* park it: it must not wake up in a reused trampoline */
		free_ap_stacks(pc);
		e->state = SMP_CPU_FAILED;
		e->why = ret ? "its APIC did not accept INIT/SIPI" : "no answer";
		pr_err("smp: CPU %u (APIC id %u) did not come up within %u ms (%s); skipped\n",
		       cpu, e->apic_id, smp_boot_timeout_ms, e->why);
		report("cpu_boot_failed", "\"cpu\":%u,\"apic_id\":%u,\"timeout_ms\":%u", cpu, e->apic_id,
		       smp_boot_timeout_ms);
		return -ETIMEDOUT;
	}
	tsc_sync_measure(cpu);
	if (pc->apic_id != e->apic_id)
		pr_warn("smp: CPU %u reports APIC id %u, the MADT says %u\n", cpu, pc->apic_id, e->apic_id);
	set_cpu_node(cpu, pc->node);
	WRITE_ONCE(pc->online, true);
	__atomic_or_fetch(&cpu_online_mask, 1ull << cpu, __ATOMIC_RELEASE);
	e->state = SMP_CPU_ONLINE;
	e->cpu = (int)cpu;
	pr_info("smp: CPU %u up: APIC id %u, node %d, %llu us, TSC offset %lld cycles (+-%llu)\n",
		cpu, e->apic_id, pc->node, (unsigned long long)tsc_to_ns(rdtsc() - t0) / 1000,
		(long long)pc->tsc_offset, (unsigned long long)pc->tsc_uncertainty);
	return 0;
}

static void setup_boot_cpu(void)
{
	struct percpu *pc = &percpu_areas[0];

	percpu_init_cpu(0, lapic_id());
	pc->node = numa_node_of_apicid(pc->apic_id) == NUMA_NO_NODE ? 0 : numa_node_of_apicid(pc->apic_id);
	pc->stack_lo = (uintptr_t)boot_stack_bottom;
	pc->stack_hi = (uintptr_t)boot_stack_top;
	for (int i = 0; i < 3; i++) {
		pc->ist_lo[i] = ist_stack_bounds[i][0];
		pc->ist_hi[i] = ist_stack_bounds[i][1];
	}
	pc->online = true;
	set_cpu_node(0, pc->node);
	cpu_online_mask = 1;
}

static void call_function_interrupt(struct pt_regs *regs);

void smp_init(void)
{
	const struct acpi_madt_info *madt = acpi_get_madt();
	unsigned int max_cpus = NR_CPUS, next_cpu = 1, online = 1, failed = 0, enabled = 0;
	uint32_t max_apic_id = 0, boot_apic;
	uint64_t t_start = ktime_get_ns(), skew, unc;
	const char *limit_why = NULL;

	if (madt)
		for (unsigned int i = 0; i < madt->nr_cpus; i++)
			max_apic_id = max(max_apic_id, madt->cpu[i].apic_id);
	if (lapic_init(madt ? madt->lapic_address : 0, max_apic_id)) {
		percpu_init_cpu(0, 0);
		cpu_online_mask = 1;
		return;
	}
	setup_boot_cpu();
	set_vector_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
	ioapic_init(madt);
	boot_apic = lapic_id();

	if (cmdline_flag("nosmp")) {
		max_cpus = 1;
		limit_why = "nosmp";
	} else if (cmdline_get("maxcpus")) {
		max_cpus = (unsigned int)min(cmdline_get_u64("maxcpus", NR_CPUS), (uint64_t)NR_CPUS);
		if (!max_cpus)
			max_cpus = 1;	/* the boot CPU runs whatever it says */
		limit_why = "maxcpus=";
	}
	if (cmdline_get("smp_test_stuck"))
		stuck_apic_id = (int64_t)cmdline_get_u64("smp_test_stuck", ~0ull);
	if (!madt) {
		pr_warn("smp: no MADT: running on the boot CPU only\n");
		return;
	}

	setup_trampoline();
	nr_entries = 0;
	for (unsigned int i = 0; i < madt->nr_cpus && nr_entries < ARRAY_SIZE(entries); i++) {
		const struct acpi_madt_cpu *c = &madt->cpu[i];
		struct smp_cpu_entry *e = &entries[nr_entries++];

		*e = (struct smp_cpu_entry){ .apic_id = c->apic_id, .cpu = -1,
					     .online_capable = c->online_capable };
		if (!c->enabled) {
			e->state = SMP_CPU_DISABLED;
			continue;
		}
		enabled++;
		if (c->apic_id == boot_apic) {
			e->state = SMP_CPU_ONLINE;
			e->cpu = 0;
			continue;
		}
		if (next_cpu >= max_cpus) {
			e->state = SMP_CPU_NOT_STARTED;
			e->why = next_cpu >= NR_CPUS && !limit_why ? "NR_CPUS" : limit_why;
			continue;
		}
		if (!x2apic_mode && c->apic_id > 254) {
			e->state = SMP_CPU_NOT_STARTED;
			e->why = "APIC id needs x2APIC";
			continue;
		}
		if (!boot_one_ap(next_cpu, e)) {
			online++;
			next_cpu++;
		} else if (e->state == SMP_CPU_FAILED) {
			failed++;
		}
	}
	if (enabled > online + failed)
		pr_notice("smp: %u of %u enabled CPUs left offline (%s)\n", enabled - online - failed, enabled,
			  limit_why ? limit_why : "see `cpus`");
	smp_tsc_skew(&skew, &unc);
	pr_notice("smp: %u CPU%s online (%u enabled in the MADT, %u failed) in %llu ms; "
		  "TSC max skew %llu ns (+-%llu ns)\n", online, online == 1 ? "" : "s", enabled, failed,
		  (unsigned long long)(ktime_get_ns() - t_start) / 1000000,
		  (unsigned long long)skew, (unsigned long long)unc);
	report("smp_ready", "\"online\":%u,\"enabled\":%u,\"failed\":%u,\"x2apic\":%s,\"tsc_skew_ns\":%llu,"
	       "\"tsc_skew_uncertainty_ns\":%llu,\"ioapic\":%s", online, enabled, failed,
	       x2apic_mode ? "true" : "false", (unsigned long long)skew, (unsigned long long)unc,
	       ioapic_active() ? "true" : "false");
}

unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountll(READ_ONCE(cpu_online_mask));
}

uint64_t node_online_cpumask(int nid)
{
	uint64_t mask = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (cpu_online(c) && percpu_areas[c].node == nid)
			mask |= 1ull << c;
	return mask;
}

const struct smp_cpu_entry *smp_cpu_entries(unsigned int *count)
{
	*count = nr_entries;
	return entries;
}

const char *smp_cpu_state_name(enum smp_cpu_state s)
{
	switch (s) {
	case SMP_CPU_ONLINE: return "online";
	case SMP_CPU_FAILED: return "failed";
	case SMP_CPU_NOT_STARTED: return "not-started";
	case SMP_CPU_DISABLED: return "disabled";
	}
	return "?";
}

/* ---- what the job runner needs from us ---- */

unsigned int arch_mt_job_nr_cpus(uint64_t mask)
{
	return (unsigned int)__builtin_popcountll(READ_ONCE(cpu_online_mask) & (mask ? mask : ~0ull));
}

void arch_mt_job_kick(uint64_t mask)
{
	unsigned int self = smp_processor_id();
	uint64_t m = READ_ONCE(cpu_online_mask) & (mask ? mask : ~0ull);

	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (c != self && ((m >> c) & 1))
			lapic_send_ipi(percpu_areas[c].apic_id, WAKEUP_VECTOR);
}

/* ---- function calls on other CPUs ---- */

/*
 * Each CPU sends from its own call_data (one call at a time: it waits for
 * every answer before it returns), so senders never wait for each other.
 * A target learns of a call by its sender's bit in call_pending[target];
 * it claims bits with one atomic operation (the interrupt handler or a
 * poll, whichever comes first), so each call runs exactly once per target,
 * then clears its own bit in the sender's `waiting` mask. The sender sets
 * the bit before sending the IPI, so a bit set while the target is in its
 * handler is seen by the next handler run (the IPI stays pending in the
 * APIC until the EOI).
 *
 * While a CPU busy-waits (for its answers, for a lock, for a job: every
 * cpu_relax()), it runs the SCF_ANYWHERE calls sent to it itself: those
 * are lock-free (TLB flushes), so they are safe at any point, also with
 * interrupts off. That is what keeps two CPUs that call each other at
 * once, or a target waiting with interrupts off for the sender (a lock it
 * holds, a job it runs), from deadlocking. Other calls run only from the
 * interrupt handler: their senders must not wait with interrupts off for
 * a CPU that may be waiting for them.
 */
struct call_data {
	void (*fn)(void *);
	void *arg;
	uint64_t waiting;		/* targets that have not run it yet (atomic) */
};

static struct call_data call_data[NR_CPUS];
static uint64_t call_pending[NR_CPUS];		/* bit = sender CPU id (atomic) */
static uint64_t call_pending_anywhere[NR_CPUS];	/* the SCF_ANYWHERE subset of those bits */

/* Run the calls of @claimed (sender bits) on this CPU and answer each. */
static void run_calls(uint64_t claimed, unsigned int self)
{
	while (claimed) {
		unsigned int sender = (unsigned int)__builtin_ctzll(claimed);
		struct call_data *d = &call_data[sender];

		claimed &= claimed - 1;
		d->fn(d->arg);
		__atomic_and_fetch(&d->waiting, ~(1ull << self), __ATOMIC_RELEASE);
	}
}

static void run_pending_calls(bool anywhere_only)
{
	unsigned int self = smp_processor_id();
	uint64_t claimed;

	if (anywhere_only) {
		uint64_t mask = __atomic_load_n(&call_pending_anywhere[self], __ATOMIC_ACQUIRE);

		if (!mask)
			return;
		claimed = __atomic_fetch_and(&call_pending[self], ~mask, __ATOMIC_ACQ_REL) & mask;
	} else {
		claimed = __atomic_exchange_n(&call_pending[self], 0, __ATOMIC_ACQ_REL);
	}
	if (claimed)
		__atomic_and_fetch(&call_pending_anywhere[self], ~claimed, __ATOMIC_RELAXED);
	run_calls(claimed, self);
}

static void call_function_interrupt(struct pt_regs *regs)
{
	this_cpu()->ipis++;
	run_pending_calls(false);
	lapic_eoi();
}

void smp_call_poll_anywhere(void)
{
	unsigned long flags;

	/* cpu_relax() calls this in every busy-wait: one load when nothing is pending. */
	if (likely(!__atomic_load_n(&call_pending_anywhere[smp_processor_id()], __ATOMIC_RELAXED)))
		return;
	flags = local_irq_save();	/* as the interrupt handler would run them */
	run_pending_calls(true);
	local_irq_restore(flags);
}

int smp_call_function_many(uint64_t mask, void (*fn)(void *), void *arg, unsigned int flags)
{
	unsigned int self = smp_processor_id();
	struct call_data *d = &call_data[self];
	uint64_t targets = mask & READ_ONCE(cpu_online_mask) & ~(1ull << self);
	uint64_t t0, left, warned = 0;

	if (targets) {
		d->fn = fn;
		d->arg = arg;
		__atomic_store_n(&d->waiting, targets, __ATOMIC_RELEASE);
		for (uint64_t m = targets; m; m &= m - 1) {
			unsigned int c = (unsigned int)__builtin_ctzll(m);

			if (flags & SCF_ANYWHERE)
				__atomic_or_fetch(&call_pending_anywhere[c], 1ull << self, __ATOMIC_RELEASE);
			__atomic_or_fetch(&call_pending[c], 1ull << self, __ATOMIC_SEQ_CST);
			lapic_send_ipi(percpu_areas[c].apic_id, CALL_FUNCTION_VECTOR);
		}
	}
	if ((flags & SCF_RUN_LOCAL) && (mask & (1ull << self))) {
		unsigned long irqf = local_irq_save();	/* as the others run it: in interrupt context */

		fn(arg);
		local_irq_restore(irqf);
	}
	t0 = rdtsc();
	while ((left = __atomic_load_n(&d->waiting, __ATOMIC_ACQUIRE)) != 0) {
		/*
		 * Never give up: the caller may free what the call protects
		 * (page tables after a TLB flush) as soon as we return.
		 */
		if (!warned && tsc_khz && rdtsc() - t0 > tsc_khz * 1000) {
			warned = left;
			pr_err("smp: CPU mask %#llx has not run a function call for 1 s; still waiting\n",
			       (unsigned long long)left);
		}
		cpu_relax();	/* also answers SCF_ANYWHERE calls sent to us */
	}
	if (warned)
		pr_err("smp: CPU mask %#llx answered after %llu ms\n", (unsigned long long)warned,
		       (unsigned long long)tsc_to_ns(rdtsc() - t0) / 1000000);
	return 0;
}

int smp_call_function_single(unsigned int cpu, void (*fn)(void *), void *arg)
{
	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return -ENODEV;
	return smp_call_function_many(1ull << cpu, fn, arg, SCF_RUN_LOCAL);
}

int on_each_cpu(void (*fn)(void *), void *arg)
{
	return smp_call_function_many(~0ull, fn, arg, SCF_RUN_LOCAL);
}

/* ---- lock debugging (CONFIG_DEBUG_VM): see spinlock.h ---- */

#ifdef SPINLOCK_DEBUG
#include <stdio.h>
#include "kernel/symbols.h"

void spin_bug(spinlock_t *l, const char *what)
{
	static volatile int reporting;
	char msg[200];
	uint64_t off;
	const char *name = symbol_lookup((uint64_t)l, &off);

	/* Straight to the UART: the lock at fault may be printk's own. */
	snprintf(msg, sizeof(msg), "\nspinlock %p%s%s: %s; CPU %u, owner CPU %d\n", (void *)l,
		 name ? " " : "", name ? name : "", what, smp_processor_id(), l->owner - 1);
	if (!__atomic_fetch_add(&reporting, 1, __ATOMIC_SEQ_CST))
		uart_write(msg, strlen(msg));
	panic("spinlock %p: %s", (void *)l, what);
}
#endif
