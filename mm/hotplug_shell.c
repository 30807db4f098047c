/* SPDX-License-Identifier: MIT */
/*
 * DOC: hotplug_shell.c - memory hotplug on the command line and the serial shell (kernel only)
 *
 * Command-line options, with Linux's names where Linux has them:
 *   memhp_default_state=online_movable|online_kernel|online|offline
 *   memory_hotplug.memmap_on_memory=1|0     (1: the default here)
 *   movable_node                            (hot-pluggable boot RAM in ZONE_MOVABLE,
 *                                            "online" picks ZONE_MOVABLE; the flag
 *                                            itself is set from setup_memblock)
 *   kernelcore=SIZE|N%, movablecore=SIZE|N%  (boot RAM's ZONE_MOVABLE, mm/zone_movable.c)
 *   memory_block_size=SIZE                  (128M default, power of two)
 *   memhp_withhold=SIZE                     (test: keep SIZE of boot RAM from
 *                                            the boot allocator, hot-add it
 *                                            after SMP is up)
 * start_kernel calls memory_hotplug_early_init() after ACPI tagged memblock
 * (before the direct map and sparse_init) and memory_hotplug_init() after
 * smp_init().
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

CMDLINE_OPTION(memhp_default_state, "online_movable|online_kernel|online|offline",
	       "how hot-added memory goes online (default online_movable, so it can be unplugged)");
/* CMDLINE_OPTION() by hand: the name has a dot, as Linux's module parameter does. */
static const struct cmdline_option __cmdline_opt_memmap_on_memory
__used __section(".cmdline_opts") __aligned(8) = {
	.name = "memory_hotplug.memmap_on_memory", .arg = "1|0",
	.help = "hot-added memory hosts its own memmap, 2 MiB per 128 MiB (default 1)" };
CMDLINE_OPTION(movable_node, "",
	       "SRAT hot-pluggable boot RAM in ZONE_MOVABLE, kept free of boot allocations; \"online\" "
	       "puts hot-added memory in ZONE_MOVABLE");
CMDLINE_OPTION(kernelcore, "SIZE|N%", "boot RAM kept for kernel data, spread over the nodes; the rest "
	       "goes to ZONE_MOVABLE");
CMDLINE_OPTION(movablecore, "SIZE|N%", "boot RAM put in ZONE_MOVABLE, spread over the nodes");
CMDLINE_OPTION(memory_block_size, "SIZE", "memory block size, power of two >= 128M (default 128M)");
CMDLINE_OPTION(memhp_withhold, "SIZE",
	       "test: withhold SIZE of boot RAM (whole blocks, from the top) and hot-add it after boot");

/* kernelcore= / movablecore=: a size (K/M/G) or a percentage of boot RAM, as Linux takes them. */
static void parse_core(const char *opt, int (*set)(uint64_t value, bool percent))
{
	const char *s = cmdline_get(opt);
	size_t n = s ? strlen(s) : 0;
	uint64_t v;

	if (!s)
		return;
	if (n > 1 && s[n - 1] == '%') {
		char num[24];

		if (n - 1 < sizeof(num)) {
			memcpy(num, s, n - 1);
			num[n - 1] = '\0';
			if (parse_u64_range(num, 0, 100, &v) && !set(v, true))
				return;
		}
	} else if (parse_size(s, &v) && !set(v, false)) {
		return;
	}
	pr_err("%s=%s: expected a size (512M, 2G) or a percentage of boot RAM (0%%..100%%); ignored\n", opt, s);
}

/*
 * Boot RAM has blocks too: on a large machine 128 MiB blocks would fill the
 * table. Like Linux's probe_memory_block_size() on big machines, grow the
 * block until boot RAM (up to its highest address) needs at most half the
 * table, leaving the other half for memory that arrives later.
 */
static void probe_memory_block_size(void)
{
	uint64_t end = memblock.memory.cnt ? memblock_end_of_DRAM() : 0, bs = MIN_MEMORY_BLOCK_SIZE;

	while (bs < MAX_MEMORY_BLOCK_SIZE && end > bs * (MAX_MEMORY_BLOCKS / 2))
		bs <<= 1;
	if (bs != memory_block_size_bytes() && !set_memory_block_size(bs))
		pr_notice("memory: %llu MiB memory blocks (boot RAM reaches %llu GiB; memory_block_size= "
			  "to choose)\n", (unsigned long long)(bs >> 20), (unsigned long long)(end >> 30));
}

void memory_hotplug_early_init(void)
{
	const char *s;
	uint64_t size;

	s = cmdline_get("memory_block_size");
	if (s) {
		if (!parse_size(s, &size) || set_memory_block_size(size))
			pr_err("memory_block_size=%s ignored; using %llu MiB\n", s,
			       (unsigned long long)(memory_block_size_bytes() >> 20));
	} else {
		probe_memory_block_size();
	}
	s = cmdline_get("memory_hotplug.memmap_on_memory");
	if (s) {
		if (!strcmp(s, "0") || !strcmp(s, "n") || !strcmp(s, "off"))
			mhp_set_memmap_on_memory(false);
		else if (!strcmp(s, "1") || !strcmp(s, "y") || !strcmp(s, "on") || !*s)
			mhp_set_memmap_on_memory(true);
		else
			pr_err("memory_hotplug.memmap_on_memory=%s: expected 0 or 1; keeping %d\n", s,
			       mhp_memmap_on_memory());
	}
	s = cmdline_get("memhp_default_state");
	if (s) {
		int t = mhp_online_type_from_str(s);

		if (t < 0)
			pr_err("memhp_default_state=%s: expected online_movable, online_kernel, online or "
			       "offline; keeping %s\n", s, mhp_online_type_name(mhp_get_default_online_type()));
		else
			mhp_set_default_online_type((enum mmop)t);
	}
	if (cmdline_flag("movable_node"))
		mhp_set_movable_node(true);
	parse_core("kernelcore", set_kernelcore);
	parse_core("movablecore", set_movablecore);
	s = cmdline_get("memhp_withhold");
	if (s) {
		if (!parse_size(s, &size) || !size)
			pr_err("memhp_withhold=%s: expected a size such as 512M\n", s);
		else
			memhp_withhold_boot_ram(size);
	}
}

static unsigned int nr_hot_added_blocks(void)
{
	struct memory_block *mem;
	unsigned int n = 0;

	if (mem_hotplug_begin())
		return 0;
	for (mem = first_memory_block(); mem; mem = next_memory_block(mem))
		n += !mem->boot;
	mem_hotplug_done();
	return n;
}

void memory_hotplug_init(void)
{
	uint64_t start[1], size[1];
	int nid[1];

	if (!memhp_withheld_ranges(start, size, nid, 1))
		return;
	if (memhp_add_withheld(MHP_MEMMAP_ON_MEMORY))
		pr_err("memhp_withhold: hot-adding the withheld boot RAM failed (see above)\n");
	report("memhp_withheld_added", "\"blocks\":%u,\"block_size\":%llu", nr_hot_added_blocks(),
	       (unsigned long long)memory_block_size_bytes());
}

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
