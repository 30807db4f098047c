/* SPDX-License-Identifier: MIT */
/*
 * DOC: slab_shell.c - `slabinfo` on the serial shell (kernel only)
 *
 * Prints what Linux's /proc/slabinfo prints (version 2.1), one line per
 * cache in creation order. The tunables columns are zero: there are no
 * per-CPU array caches to tune (each CPU owns one slab, as in SLUB), and
 * sharedavail is zero for the same reason. objsize is the stride in the
 * slab, red zone and alignment padding included, as SLUB shows it.
 * The totals also go out as one report line for tests:
 *   slabinfo {caches, num_slabs, slab_pages, active_objs, num_objs,
 *             large_pages, errors}
 */
#include <errno.h>

#include "mm/slab.h"
#include "kernel/shell.h"
#include "kernel/printk.h"

static int cmd_slabinfo(int argc, char **argv)
{
	unsigned long slabs = 0, pages = 0, active = 0, objs = 0;
	struct slabinfo *info;
	int n, i;

	n = slabinfo_collect(NULL, 0);
	info = kcalloc(n, sizeof(*info), GFP_KERNEL);
	if (!info) {
		shell_printf("slabinfo: no memory for %d entries\n", n);
		return -ENOMEM;
	}
	n = min(slabinfo_collect(info, n), n);	/* a cache created meanwhile waits for the next call */
	shell_printf("slabinfo - version: 2.1\n");
	shell_printf("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		     " : tunables <limit> <batchcount> <sharedfactor>"
		     " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (i = 0; i < n; i++) {
		const struct slabinfo *s = &info[i];

		shell_printf("%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u : slabdata %6lu %6lu %6u\n",
			     s->name, s->active_objs, s->num_objs, s->objsize, s->objects_per_slab,
			     s->pages_per_slab, 0, 0, 0, s->active_slabs, s->num_slabs, 0);
		slabs += s->num_slabs;
		pages += s->num_slabs * s->pages_per_slab;
		active += s->active_objs;
		objs += s->num_objs;
	}
	kfree(info);
	report("slabinfo", "\"caches\":%d,\"num_slabs\":%lu,\"slab_pages\":%lu,\"active_objs\":%lu,"
	       "\"num_objs\":%lu,\"large_pages\":%lu,\"errors\":%lu",
	       n, slabs, pages, active, objs, kmalloc_large_pages(), slab_errors());
	return 0;
}
SHELL_COMMAND(slabinfo, cmd_slabinfo, "", "slab caches, as /proc/slabinfo");
