/* SPDX-License-Identifier: MIT */
/*
 * DOC: hotplug_shell.c - memory hotplug on the serial shell (kernel only)
 *
 * The hotplug command-line options and the boot hooks that read them live in
 * mm/memory_hotplug.c.
 *
 * Shell: memory, online N [kernel|movable], offline N, add BASE SIZE
 * [nomemmap] [force], remove BASE SIZE. Refusals are printed by the hotplug
 * core, which knows why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/zone_movable.h"
#include "mm/memblock.h"
#include "mm/slab.h"
#include "kernel/cmdline.h"
#include "arch/x86_64/numa.h"
#include "kernel/shell.h"
#include "kernel/printk.h"

/* ---- shell ---- */

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s)
		return false;
	*out = strtoull(s, &end, 0);
	return *end == '\0';
}

/* A size with K/M/G suffix, or a plain number (hex with 0x). */
static bool parse_size_arg(const char *s, uint64_t *out)
{
	return parse_u64(s, out) || parse_size(s, out);
}

/* One line of `memory`, copied while the table cannot change. */
struct memory_line {
	struct memory_block mem;
	char zones[32];
	bool removable;
};

static int cmd_memory(int argc, char **argv)
{
	struct memory_block *mem;
	struct memory_line *lines;
	unsigned int n = 0, i;
	int ret;

	/*
	 * The work queue may add or remove blocks (and so move the table) at any
	 * moment: copy it under the hotplug lock, print after dropping it (the
	 * UART is slow; nobody should wait for it).
	 */
	lines = kmalloc(sizeof(*lines) * MAX_MEMORY_BLOCKS, GFP_KERNEL);
	if (!lines) {
		shell_printf("memory: no memory for a copy of the block table\n");
		return -ENOMEM;
	}
	ret = mem_hotplug_begin();
	if (ret) {
		kfree(lines);
		return ret;
	}
	for (mem = first_memory_block(); mem && n < MAX_MEMORY_BLOCKS; mem = next_memory_block(mem), n++) {
		lines[n].mem = *mem;
		memory_block_valid_zones(mem, lines[n].zones, sizeof(lines[n].zones));
		lines[n].removable = memory_block_removable(mem);
	}
	mem_hotplug_done();

	shell_printf("block size %llu MiB, default online type %s, memmap_on_memory %d, %u blocks\n",
		     (unsigned long long)(memory_block_size_bytes() >> 20),
		     mhp_online_type_name(mhp_get_default_online_type()), mhp_memmap_on_memory(), n);
	shell_printf("%-8s %-12s %-37s %-14s %-16s %4s %8s %9s %s\n", "block", "phys_index", "range", "state",
		     "valid_zones", "node", "vmemmap", "removable", "source");
	for (i = 0; i < n; i++) {
		const struct memory_block *m = &lines[i].mem;

		shell_printf("memory%-3lu %#-12lx [%#016llx-%#016llx) %-14s %-16s %4d %8lu %9d %s\n", m->id,
			     memory_block_phys_index(m),
			     (unsigned long long)PFN_PHYS(m->start_pfn),
			     (unsigned long long)PFN_PHYS(m->start_pfn + m->nr_pages),
			     memory_block_state_name(m->state), lines[i].zones, m->nid, m->nr_vmemmap_pages,
			     lines[i].removable, m->boot ? "boot" : "hotplug");
	}
	kfree(lines);
	return 0;
}
SHELL_COMMAND(memory, cmd_memory, "",
	      "memory blocks: index, range, state, zone, node, self-hosted vmemmap pages");

static int cmd_online(int argc, char **argv)
{
	enum mmop type = MMOP_ONLINE;
	uint64_t id;

	if (argc < 2 || argc > 3 || !parse_u64(argv[1], &id)) {
		shell_printf("usage: online N [kernel|movable]\n");
		return -EINVAL;
	}
	if (argc == 3) {
		if (!strcmp(argv[2], "kernel"))
			type = MMOP_ONLINE_KERNEL;
		else if (!strcmp(argv[2], "movable"))
			type = MMOP_ONLINE_MOVABLE;
		else {
			shell_printf("online: zone '%s': expected kernel or movable\n", argv[2]);
			return -EINVAL;
		}
	} else if (mhp_get_default_online_type() != MMOP_OFFLINE) {
		type = mhp_get_default_online_type();
	}
	return memory_block_online(id, type);
}
SHELL_COMMAND(online, cmd_online, "N [kernel|movable]",
	      "online memory block N (default: memhp_default_state)");

static int cmd_offline(int argc, char **argv)
{
	uint64_t id;

	if (argc != 2 || !parse_u64(argv[1], &id)) {
		shell_printf("usage: offline N\n");
		return -EINVAL;
	}
	return memory_block_offline(id);
}
SHELL_COMMAND(offline, cmd_offline, "N", "offline memory block N (-EBUSY names the first busy page)");

static int cmd_add(int argc, char **argv)
{
	mhp_t flags = MHP_MEMMAP_ON_MEMORY;
	uint64_t base, size;
	int i, nid = 0;
	bool force = false;

	if (argc < 3 || !parse_size_arg(argv[1], &base) || !parse_size_arg(argv[2], &size)) {
		shell_printf("usage: add BASE SIZE [nomemmap] [force] [node=N] [offline]\n");
		return -EINVAL;
	}
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "nomemmap"))
			flags &= ~MHP_MEMMAP_ON_MEMORY;
		else if (!strcmp(argv[i], "force"))
			force = true;
		else if (!strcmp(argv[i], "offline"))
			flags |= MHP_NO_ONLINE;
		else if (!strncmp(argv[i], "node=", 5))
			nid = atoi(argv[i] + 5);
		else {
			shell_printf("add: unknown word '%s' (nomemmap, force, node=N, offline)\n", argv[i]);
			return -EINVAL;
		}
	}
	/*
	 * By hand, a range the firmware never announced is most likely a typo:
	 * adding RAM that is not there would write the memmap into nothing.
	 */
	if (!force && !numa_hotplug_window_of(base, base + size)) {
		unsigned int n, j;
		const struct numa_hotplug_range *w = numa_hotplug_ranges(&n);

		shell_printf("add: [%#llx-%#llx) is outside every SRAT hot-pluggable window (%u of them%s); "
			     "`force` adds it anyway\n", (unsigned long long)base,
			     (unsigned long long)(base + size), n, n ? "" : ": the firmware announced none");
		for (j = 0; j < n; j++)
			shell_printf("  window [%#llx-%#llx) node %d\n", (unsigned long long)w[j].start,
				     (unsigned long long)w[j].end, w[j].nid);
		return -ERANGE;
	}
	return add_memory(nid, base, size, flags);
}
SHELL_COMMAND(add, cmd_add, "BASE SIZE [nomemmap] [force] [node=N] [offline]",
	      "hot-add RAM (force: outside the SRAT hot-pluggable windows)");

static int cmd_remove(int argc, char **argv)
{
	uint64_t base, size;

	if (argc != 3 || !parse_size_arg(argv[1], &base) || !parse_size_arg(argv[2], &size)) {
		shell_printf("usage: remove BASE SIZE\n");
		return -EINVAL;
	}
	if (mem_hotplug_begin() == 0) {
		char name[MHP_RESOURCE_NAME_LEN];
		bool owned = mhp_range_driver_managed(base, size, name, sizeof(name));

		mem_hotplug_done();
		if (owned) {
			shell_printf("remove: [%#llx-%#llx) is driver-managed memory (%s): its driver "
				     "removes it\n", (unsigned long long)base, (unsigned long long)(base + size),
				     name);
			return -EPERM;
		}
	}
	return remove_memory(base, size);
}
SHELL_COMMAND(remove, cmd_remove, "BASE SIZE", "remove hot-added memory (all blocks offline, as it was added)");

static int cmd_iomem(int argc, char **argv)
{
	struct mhp_resource res[32];
	int n, i;

	(void)argv;
	if (argc != 1) {
		shell_printf("usage: iomem\n");
		return -EINVAL;
	}
	n = memory_hotplug_resources(res, ARRAY_SIZE(res));
	if (n < 0)
		return n;
	for (i = 0; i < n && i < (int)ARRAY_SIZE(res); i++)
		shell_printf("%016llx-%016llx : %s (node %d)\n", (unsigned long long)res[i].start,
			     (unsigned long long)(res[i].start + res[i].size - 1), res[i].name, res[i].nid);
	if (n > (int)ARRAY_SIZE(res))
		shell_printf("... %d more\n", n - (int)ARRAY_SIZE(res));
	return 0;
}
SHELL_COMMAND(iomem, cmd_iomem, "", "hot-added memory ranges and who added them (/proc/iomem's System RAM lines)");
