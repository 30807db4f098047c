/* SPDX-License-Identifier: MIT */
/*
 * DOC: percpu.h - which CPU am I, and what belongs to it
 *
 * Each CPU has a struct percpu (arch/x86_64/percpu.c), found through its GS
 * base: %gs:0 holds the area's own address, %gs:8 the CPU id, so
 * smp_processor_id() is one load. CPU ids are dense: 0 is the boot CPU, the
 * APs get 1, 2, ... in the order they were started. Larger per-CPU data is
 * kept as arrays indexed by smp_processor_id(); NR_CPUS bounds them.
 *
 * Until percpu_init_boot() sets the boot CPU's GS base, every caller is CPU
 * 0 (nothing else runs yet). Host tests set host_cpu_id to pretend to be
 * another CPU.
 */
#ifndef HOTMM_ARCH_PERCPU_H
#define HOTMM_ARCH_PERCPU_H

#define NR_CPUS 64

#ifdef HOTMM_HOST
extern unsigned int host_cpu_id;
static inline unsigned int smp_processor_id(void) { return host_cpu_id; }
#else
#include "lib/compiler.h"

struct percpu {
	struct percpu *self;		/* %gs:0 */
	unsigned int cpu;		/* %gs:8 */
	uint32_t apic_id;
	int node;			/* NUMA node, from the SRAT (0 without one) */
	bool online;
	uintptr_t stack_lo, stack_hi;	/* the CPU's kernel stack, for backtraces */
	uintptr_t ist_lo[3], ist_hi[3];	/* its #DF / NMI / #MC stacks */
	uint64_t timer_ticks;		/* LAPIC timer interrupts taken */
	uint64_t ipis;			/* wakeup and call-function IPIs taken */
	int64_t tsc_offset;		/* TSC minus the boot CPU's, cycles (sync check) */
	uint64_t tsc_uncertainty;	/* +- cycles of that estimate */
	uint64_t online_ns;		/* when it came up, since kernel entry */
} __aligned(64);

#define PERCPU_CPU_OFFSET 8

extern struct percpu percpu_areas[NR_CPUS];
extern bool percpu_gs_ready;

static inline unsigned int smp_processor_id(void)
{
	unsigned int id;

	if (unlikely(!READ_ONCE(percpu_gs_ready)))
		return 0;
	__asm__("movl %%gs:%c1, %0" : "=r"(id) : "i"(PERCPU_CPU_OFFSET));
	return id;
}

static inline struct percpu *this_cpu(void)
{
	return &percpu_areas[smp_processor_id()];
}

static inline struct percpu *per_cpu(unsigned int cpu) { return &percpu_areas[cpu]; }

/* Point this CPU's GS base at percpu_areas[cpu] (boot CPU: cpu 0). */
void percpu_init_cpu(unsigned int cpu, uint32_t apic_id);
/* The stack that holds @addr, if it is one of a CPU's (traps.c's backtrace check). */
bool percpu_stack_bounds(uintptr_t addr, uintptr_t *lo, uintptr_t *hi);
#endif

#endif
