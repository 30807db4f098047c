/* SPDX-License-Identifier: MIT */
/*
 * DOC: percpu.c - per-CPU areas and CPU ids
 *
 * One struct percpu per possible CPU, statically allocated (NR_CPUS of 64
 * bytes-aligned areas: no allocator is needed to bring a CPU up). A CPU's
 * GS base points at its own area, set once by the CPU itself before it runs
 * any code that asks smp_processor_id(); the boot CPU does it in smp_init()
 * before the first AP starts, and until then is CPU 0 by definition.
 */
#include <string.h>
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/cpu.h"
#include "lib/compiler.h"

BUILD_BUG_ON(__builtin_offsetof(struct percpu, self) != 0);
BUILD_BUG_ON(__builtin_offsetof(struct percpu, cpu) != PERCPU_CPU_OFFSET);

struct percpu percpu_areas[NR_CPUS];
bool percpu_gs_ready;

void percpu_init_cpu(unsigned int cpu, uint32_t apic_id)
{
	struct percpu *pc = &percpu_areas[cpu];

	pc->self = pc;
	pc->cpu = cpu;
	pc->apic_id = apic_id;
	wrmsr(MSR_GS_BASE, (uint64_t)pc);
	if (cpu == 0)
		WRITE_ONCE(percpu_gs_ready, true);
}

bool percpu_stack_bounds(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		const struct percpu *pc = &percpu_areas[c];

		if (pc->stack_lo && addr >= pc->stack_lo && addr < pc->stack_hi) {
			*lo = pc->stack_lo;
			*hi = pc->stack_hi;
			return true;
		}
		for (int i = 0; i < 3; i++)
			if (pc->ist_lo[i] && addr >= pc->ist_lo[i] && addr < pc->ist_hi[i]) {
				*lo = pc->ist_lo[i];
				*hi = pc->ist_hi[i];
				return true;
			}
	}
	return false;
}
