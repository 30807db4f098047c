/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi_memhotplug_shell.c - DIMM slots on the serial shell (kernel only)
 *
 * `hotplug` lists every slot of QEMU's memory-hotplug controller with what
 * the controller last said (base, size, enabled, pending events) and what
 * the driver did (node, the part added, the last _OST, why it refused);
 * `eject N` is the guest-initiated unplug of slot N. `workqueue` shows the
 * deferred-work queue that runs the controller's scans.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/acpi/acpi_memhotplug.h"
#include "drivers/acpi/gpe.h"
#include "kernel/shell.h"
#include "kernel/workqueue.h"

static int cmd_hotplug(int argc, char **argv)
{
	struct memhp_slot s;
	unsigned long gpe, scans;
	unsigned int shown = 0;
	bool all = argc > 1 && !strcmp(argv[1], "-a");

	if (memhp_get_mode() == MEMHP_MODE_NONE) {
		shell_printf("no ACPI memory-hotplug controller (the machine needs -m ...,slots=N,maxmem=M)\n");
		return -ENODEV;
	}
	memhp_get_counts(&gpe, &scans);
	shell_printf("%u slots, events by %s, %lu GPE events, %lu scans\n", memhp_nr_slots(),
		     memhp_mode_name(memhp_get_mode()), gpe, scans);
	shell_printf("slot base               size      node enabled events  added     last_ost\n");
	for (unsigned int i = 0; memhp_get_slot(i, &s); i++) {
		char events[16], ost[24], node[8];

		if (!all && !s.enabled && !s.added && !s.ost_valid && !s.reason[0])
			continue;
		snprintf(events, sizeof(events), "%s%s%s", s.events & MEMHP_STS_INSERT ? "ins" : "",
			 s.events & MEMHP_STS_REMOVE ? "rm" : "", s.eject_requested ? "ej" : "");
		if (!events[0])
			snprintf(events, sizeof(events), "-");
		if (s.ost_valid)
			snprintf(ost, sizeof(ost), "ev %u st 0x%x", s.ost_event, s.ost_status);
		else
			snprintf(ost, sizeof(ost), "-");
		if (s.nid >= 0)
			snprintf(node, sizeof(node), "%d", s.nid);
		else
			snprintf(node, sizeof(node), "-");
		shell_printf("%4u 0x%016llx %6llu MiB %4s %-7s %-7s %6llu MiB %s\n", i,
			     (unsigned long long)s.base, (unsigned long long)(s.size >> 20), node,
			     s.enabled ? "yes" : "no", events, (unsigned long long)(s.add_size >> 20), ost);
		if (s.reason[0])
			shell_printf("     last refusal (%d): %s\n", s.last_ret, s.reason);
		shown++;
	}
	if (!shown)
		shell_printf("(no DIMM plugged; `hotplug -a` lists the empty slots too)\n");
	return 0;
}
SHELL_COMMAND(hotplug, cmd_hotplug, "[-a]",
	      "DIMM slots: base, size, node, enabled, pending events, part added, last _OST");

static int cmd_eject(int argc, char **argv)
{
	char *end;
	unsigned long slot;
	int ret;

	if (argc != 2 || (slot = strtoul(argv[1], &end, 0), *end) || !*argv[1]) {
		shell_printf("usage: eject N   (N: a slot number from `hotplug`)\n");
		return -EINVAL;
	}
	ret = memhp_eject((unsigned int)min(slot, 0xffffffffUL));
	if (ret)
		shell_printf("eject %lu: failed (%d); see the message above\n", slot, ret);
	else
		shell_printf("eject %lu: removed and ejected\n", slot);
	return ret;
}
SHELL_COMMAND(eject, cmd_eject, "N", "offline, remove and eject the DIMM in slot N");

static int cmd_workqueue(int argc, char **argv)
{
	struct workqueue_stats w;
	struct acpi_sci_stats sci;

	workqueue_get_stats(&w);
	acpi_sci_get_stats(&sci);
	shell_printf("work queued %lu, run %lu (cpu0 %lu, cpu1 %lu, cpu2 %lu, others %lu), "
		     "longest wait %llu us\n", w.queued, w.runs, w.runs_by_cpu[0], w.runs_by_cpu[1],
		     w.runs_by_cpu[2], w.runs_by_cpu[3], (unsigned long long)(w.max_latency_ns / 1000));
	if (sci.active)
		shell_printf("SCI: IRQ %u vector 0x%x, %lu interrupts (%lu spurious), GPE0_BLK 0x%llx/%u, "
			     "GPE3 %lu%s\n", sci.irq, sci.vector, sci.sci_irqs, sci.spurious,
			     (unsigned long long)sci.gpe0_blk, sci.gpe0_len, sci.gpe_events[3],
			     sci.acpi_enabled_by_us ? ", ACPI mode enabled by us" : "");
	else
		shell_printf("SCI: not in use\n");
	return 0;
}
SHELL_COMMAND(workqueue, cmd_workqueue, "", "the deferred-work queue and the ACPI SCI");
