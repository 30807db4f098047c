/* SPDX-License-Identifier: MIT */
/*
 * DOC: smp.h - bringing up the other CPUs, and talking to them
 *
 * smp_init() (start_kernel, after ACPI and the buddy allocator) enables the
 * boot CPU's local APIC and per-CPU area, moves legacy interrupts to the
 * IOAPIC, and starts every enabled CPU of the MADT with INIT-SIPI-SIPI,
 * one at a time. A started CPU (an AP) loads its own GDT/TSS, the shared
 * IDT and the kernel's page tables, checks its TSC against the boot CPU's,
 * and waits in its idle loop for jobs (kernel/mt_job.h) or function calls.
 * A CPU that does not report within smp_boot_timeout_ms is reported,
 * parked with INIT, and skipped; the kernel goes on with the rest.
 *
 * Command line: `nosmp` (only the boot CPU), `maxcpus=N` (at most N CPUs,
 * the boot CPU included).
 */
#ifndef HOTMM_ARCH_SMP_H
#define HOTMM_ARCH_SMP_H

#include "lib/compiler.h"
#include "arch/x86_64/percpu.h"

/* The real-mode page the APs start in, and the three after it (temporary page tables). */
#define TRAMPOLINE_PHYS		0x8000
#define TRAMPOLINE_PAGES	4

extern uint64_t cpu_online_mask;	/* bit = CPU id */

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < 64 && ((READ_ONCE(cpu_online_mask) >> cpu) & 1);
}
unsigned int num_online_cpus(void);
/* Online CPUs of NUMA node @nid (a mask for struct mt_job.cpumask); 0 when it has none. */
uint64_t node_online_cpumask(int nid);

void smp_init(void);

/*
 * Cross-CPU function calls (smp.c). Every call waits until each target ran
 * @fn(@arg) from its interrupt handler (on this CPU: a direct call with
 * interrupts off); none gives up, since callers free what the call
 * protects as soon as it returns (a CPU silent for a second is reported,
 * and waited for). Senders never wait for each other: any number of CPUs
 * may call at once. Not from interrupt context.
 *
 * SCF_ANYWHERE says @fn takes no lock and may run at any point where the
 * target busy-waits (every cpu_relax(): for a lock, a job, its own call's
 * answers), also with interrupts off (TLB flushes). Such a call cannot deadlock against a
 * target that waits with interrupts off for something the caller holds.
 * Without it, the caller must not hold, with interrupts off, what a target
 * may be waiting for.
 */
#define SCF_RUN_LOCAL	0x1	/* run it on this CPU too, if in the mask */
#define SCF_ANYWHERE	0x2	/* lock-free: safe wherever a target waits */

/* Run on the online CPUs of @mask (bit = CPU id). Returns 0. */
int smp_call_function_many(uint64_t mask, void (*fn)(void *), void *arg, unsigned int flags);
/* On @cpu. Returns 0, or -ENODEV for a CPU that is not online. */
int smp_call_function_single(unsigned int cpu, void (*fn)(void *), void *arg);
/* The same on every online CPU, this one included; returns 0. */
int on_each_cpu(void (*fn)(void *), void *arg);
/* Run the SCF_ANYWHERE calls sent to this CPU now (cpu_relax() calls it). */
void smp_call_poll_anywhere(void);

/* What became of each CPU entry of the MADT (for `cpus`). */
enum smp_cpu_state {
	SMP_CPU_ONLINE,
	SMP_CPU_FAILED,		/* enabled, but did not come up in time */
	SMP_CPU_NOT_STARTED,	/* enabled, left off by nosmp / maxcpus= / NR_CPUS / no memory */
	SMP_CPU_DISABLED,	/* MADT: not enabled (online-capable ones may be hot-added later) */
};

struct smp_cpu_entry {
	uint32_t apic_id;
	int cpu;			/* CPU id, -1 when it has none */
	enum smp_cpu_state state;
	bool online_capable;
	const char *why;		/* for FAILED / NOT_STARTED */
};

const struct smp_cpu_entry *smp_cpu_entries(unsigned int *count);
const char *smp_cpu_state_name(enum smp_cpu_state s);

/* The largest |TSC offset| of an AP against the boot CPU, and its uncertainty, in ns. */
void smp_tsc_skew(uint64_t *max_skew_ns, uint64_t *uncertainty_ns);

#endif
