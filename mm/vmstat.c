/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmstat.c - event counters, one slot per CPU, summed on read
 *
 * Implements mm/vmstat.h. Each CPU adds into its own row of
 * vm_event_states[NR_CPUS] (a cache line per CPU, so counting from the
 * migration paths of several CPUs never bounces a shared line); a read adds
 * the rows up. Adds are relaxed atomics: an interrupt on the same CPU or a
 * job-runner worker pretending to be no CPU in particular may count at the
 * same moment, and a lost increment would make pgmigrate_* wrong, which the
 * tests check exactly. Counters only grow; nothing resets them (tests take
 * differences).
 *
 * The `vmstat` shell command prints every counter as "name value", one a
 * line, in the order of enum vm_event_item (Linux's /proc/vmstat names).
 */
#include "mm/vmstat.h"
#include "arch/x86_64/percpu.h"
#ifndef HOTMM_HOST
#include "kernel/shell.h"
#endif

struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];
} __aligned(64);

static struct vm_event_state vm_event_states[NR_CPUS];

static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGMIGRATE_SUCCESS]	= "pgmigrate_success",
	[PGMIGRATE_FAIL]	= "pgmigrate_fail",
	[COMPACT_ISOLATED]	= "compact_isolated",
	[PGMIGRATE_PINNED]	= "pgmigrate_pinned",
};

void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	unsigned int cpu = smp_processor_id();

	if ((unsigned int)item >= NR_VM_EVENT_ITEMS || cpu >= NR_CPUS)
		return;
	__atomic_add_fetch(&vm_event_states[cpu].event[item], delta, __ATOMIC_RELAXED);
}

unsigned long vm_event_count(enum vm_event_item item)
{
	unsigned long sum = 0;
	unsigned int cpu;

	if ((unsigned int)item >= NR_VM_EVENT_ITEMS)
		return 0;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		sum += __atomic_load_n(&vm_event_states[cpu].event[item], __ATOMIC_RELAXED);
	return sum;
}

const char *vm_event_name(enum vm_event_item item)
{
	return (unsigned int)item < NR_VM_EVENT_ITEMS ? vm_event_names[item] : "?";
}

#ifndef HOTMM_HOST
static int cmd_vmstat(int argc, char **argv)
{
	int i;

	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		shell_printf("%s %lu\n", vm_event_name(i), vm_event_count(i));
	return 0;
}
SHELL_COMMAND(vmstat, cmd_vmstat, "", "event counters, as /proc/vmstat");
#endif
