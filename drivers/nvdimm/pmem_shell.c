/* SPDX-License-Identifier: MIT */
/*
 * DOC: pmem_shell.c - the `daxctl` shell command (kernel only)
 *
 * Named after Linux's daxctl: `daxctl` lists the pmem devices (range, node,
 * mode, where the memmap is), `daxctl reconfigure pmemN system-ram [movable|
 * kernel]` and `daxctl reconfigure pmemN devdax` switch one (dax_kmem.c).
 */
#include <errno.h>
#include <string.h>

#include "drivers/nvdimm/pmem.h"
#include "kernel/shell.h"

static void show(const struct pmem_device *p)
{
	shell_printf("%-6s [%#014llx-%#014llx) %6llu MiB node %d  %-10s spa %u (NFIT+0x%x)", p->name,
		     (unsigned long long)p->start, (unsigned long long)(p->start + p->size),
		     (unsigned long long)(p->size >> 20), p->nid, pmem_mode_name(p->mode), p->range_index,
		     p->nfit_offset);
	if (p->mode == PMEM_MODE_DEVDAX)
		shell_printf("  memmap on device: %lu pages\n", p->pgmap.nr_vmemmap);
	else if (p->mode == PMEM_MODE_DISABLED)
		shell_printf("  error %d\n", p->error);
	else
		shell_printf("\n");
}

static int cmd_daxctl(int argc, char **argv)
{
	struct pmem_device *p;
	enum mmop online = MMOP_ONLINE_MOVABLE;

	if (argc < 2 || !strcmp(argv[1], "list")) {
		if (!pmem_nr_devices())
			shell_printf("daxctl: no NVDIMM persistent memory (no NFIT pmem range)\n");
		for (unsigned int i = 0; i < pmem_nr_devices(); i++)
			show(pmem_device(i));
		return 0;
	}
	if (strcmp(argv[1], "reconfigure") || argc < 4 || argc > 5) {
		shell_printf("usage: daxctl [list] | daxctl reconfigure pmemN system-ram [movable|kernel] "
			     "| daxctl reconfigure pmemN devdax\n");
		return -EINVAL;
	}
	p = pmem_find(argv[2]);
	if (!p) {
		shell_printf("daxctl: no device %s (see daxctl list)\n", argv[2]);
		return -ENODEV;
	}
	if (!strcmp(argv[3], "system-ram")) {
		if (argc == 5 && !strcmp(argv[4], "kernel"))
			online = MMOP_ONLINE_KERNEL;
		else if (argc == 5 && strcmp(argv[4], "movable")) {
			shell_printf("daxctl: online as movable or kernel, not %s\n", argv[4]);
			return -EINVAL;
		}
		return dax_kmem_to_system_ram(p, online);
	}
	if (!strcmp(argv[3], "devdax") && argc == 4)
		return dax_kmem_to_devdax(p);
	shell_printf("daxctl: mode %s: system-ram or devdax\n", argv[3]);
	return -EINVAL;
}
SHELL_COMMAND(daxctl, cmd_daxctl, "[list | reconfigure pmemN system-ram [movable|kernel] | reconfigure pmemN devdax]",
	      "NVDIMM pmem devices: list; device memory <-> System RAM (dax/kmem)");
