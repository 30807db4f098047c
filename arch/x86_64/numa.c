/* SPDX-License-Identifier: MIT */
/*
 * DOC: numa.c - nodes, CPU -> node, node distances, memblock node tagging
 *
 * Linux keeps this in arch/x86/mm/numa.c and drivers/acpi/numa/srat.c; the
 * decisions follow it:
 *  - proximity domains become dense node ids in order of first appearance,
 *    processor entries first, then memory (acpi_map_pxm_to_node);
 *  - memory ranges of one node that overlap are merged; ranges of two
 *    different nodes that overlap make the SRAT unusable, and so do more
 *    domains than MAX_NUMNODES and a SRAT that leaves more than 1 MiB of the
 *    firmware's RAM on no node (numa_cleanup_meminfo,
 *    numa_meminfo_cover_memory): the kernel then runs as one node, with a
 *    message saying why, rather than on a wrong topology;
 *  - without a (valid) SLIT, distances are 10 local and 20 remote.
 *
 * Invariant after either init: every memblock.memory range has a nid that
 * is online, and nr_node_ids is one more than the highest nid in use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_64/numa.h"
#include "kernel/printk.h"

#define NUMA_MAX_UNCOVERED	SZ_1M	/* what Linux lets the SRAT miss */

int nr_node_ids = 1;
static uint64_t online_mask = 1;
static bool dummy = true;
static unsigned int nr_pxm;
static uint32_t node_pxm[MAX_NUMNODES];
static uint8_t distance[MAX_NUMNODES][MAX_NUMNODES];
static bool have_slit;

static unsigned int nr_cpu_nodes;
static struct {
	uint32_t apic_id;
	int nid;
} cpu_node[ACPI_MAX_CPUS];

static unsigned int nr_blks;
static struct numa_memblk blks[NR_NODE_MEMBLKS];
static unsigned int nr_hotplug;
static struct numa_hotplug_range hotplug[NUMA_MAX_HOTPLUG_RANGES];

/* ---- queries ---- */

bool node_online(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && (online_mask & (1ULL << nid));
}

int pxm_to_node(uint32_t pxm)
{
	for (unsigned int i = 0; i < nr_pxm; i++)
		if (node_pxm[i] == pxm)
			return (int)i;
	return NUMA_NO_NODE;
}

int node_to_pxm(int nid)
{
	return nid >= 0 && (unsigned int)nid < nr_pxm ? (int)node_pxm[nid] : -1;
}

int numa_node_of_apicid(uint32_t apic_id)
{
	for (unsigned int i = 0; i < nr_cpu_nodes; i++)
		if (cpu_node[i].apic_id == apic_id)
			return cpu_node[i].nid;
	return NUMA_NO_NODE;
}

unsigned int numa_node_nr_cpus(int nid)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nr_cpu_nodes; i++)
		n += cpu_node[i].nid == nid;
	return n;
}

int node_distance(int a, int b)
{
	if (a < 0 || b < 0 || a >= nr_node_ids || b >= nr_node_ids)
		return a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	return distance[a][b];
}

const struct numa_hotplug_range *numa_hotplug_ranges(unsigned int *count)
{
	*count = nr_hotplug;
	return hotplug;
}

const struct numa_memblk *numa_memblks(unsigned int *count)
{
	*count = nr_blks;
	return blks;
}

bool numa_is_dummy(void)
{
	return dummy;
}

/* ---- building ---- */

static void numa_reset(void)
{
	nr_node_ids = 1;
	online_mask = 0;
	nr_pxm = 0;
	nr_cpu_nodes = 0;
	nr_blks = 0;
	nr_hotplug = 0;
	have_slit = false;
	dummy = false;
}

static void default_distances(void)
{
	for (int i = 0; i < MAX_NUMNODES; i++)
		for (int j = 0; j < MAX_NUMNODES; j++)
			distance[i][j] = i == j ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

static int map_pxm(uint32_t pxm, struct acpi_problems *p)
{
	int nid = pxm_to_node(pxm);

	if (nid != NUMA_NO_NODE)
		return nid;
	if (nr_pxm >= MAX_NUMNODES) {
		acpi_problem(p, ACPI_ERR, "SRAT", ACPI_NO_OFFSET, "proximity domain %u would be node %d, "
			     "more than MAX_NUMNODES (%d) nodes", pxm, nr_pxm, MAX_NUMNODES);
		return NUMA_NO_NODE;
	}
	node_pxm[nr_pxm] = pxm;
	return (int)nr_pxm++;
}

static void add_cpu_node(uint32_t apic_id, int nid)
{
	if (nr_cpu_nodes < ACPI_MAX_CPUS) {
		cpu_node[nr_cpu_nodes].apic_id = apic_id;
		cpu_node[nr_cpu_nodes].nid = nid;
		nr_cpu_nodes++;
	}
}

/* Sort by start (insertion sort: at most a few hundred, once) and merge overlaps of one node. */
static int cleanup_memblks(struct acpi_problems *p)
{
	for (unsigned int i = 1; i < nr_blks; i++) {
		struct numa_memblk b = blks[i];
		unsigned int j = i;

		for (; j > 0 && blks[j - 1].start > b.start; j--)
			blks[j] = blks[j - 1];
		blks[j] = b;
	}
	for (unsigned int i = 0; i + 1 < nr_blks; ) {
		struct numa_memblk *a = &blks[i], *b = &blks[i + 1];

		if (b->start >= a->end) {
			i++;
			continue;
		}
		if (a->nid != b->nid) {
			acpi_problem(p, ACPI_ERR, "SRAT", ACPI_NO_OFFSET, "node %d [0x%llx-0x%llx) overlaps "
				     "node %d [0x%llx-0x%llx)", a->nid, (unsigned long long)a->start,
				     (unsigned long long)a->end, b->nid, (unsigned long long)b->start,
				     (unsigned long long)b->end);
			return -EINVAL;
		}
		a->end = max(a->end, b->end);
		a->hotplug = a->hotplug && b->hotplug;
		memmove(b, b + 1, (nr_blks - i - 2) * sizeof(*b));
		nr_blks--;
	}
	return 0;
}

/* Bytes of memblock.memory that no SRAT range covers. */
static phys_addr_t uncovered_memory(void)
{
	phys_addr_t missing = 0;

	for (unsigned long r = 0; r < memblock.memory.cnt; r++) {
		phys_addr_t start = memblock.memory.regions[r].base;
		phys_addr_t end = start + memblock.memory.regions[r].size;
		phys_addr_t covered = 0;

		for (unsigned int i = 0; i < nr_blks; i++) {
			phys_addr_t s = max(start, blks[i].start), e = min(end, blks[i].end);

			if (s < e)
				covered += e - s;	/* blks do not overlap after cleanup */
		}
		missing += (end - start) - covered;
	}
	return missing;
}

/*
 * Linux's numa_clear_kernel_node_hotplug(): what memblock has reserved so
 * far is the kernel's (image, boot information, modules, firmware areas)
 * and can never move, so every node holding some of it is not
 * hot-pluggable, whatever the SRAT says: its boot allocations and its
 * ZONE_NORMAL stay possible under movable_node.
 */
static int numa_clear_kernel_node_hotplug(void)
{
	uint64_t kernel_nodes = 0;
	unsigned long i, j;

	for (i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *rsv = &memblock.reserved.regions[i];

		for (j = 0; j < memblock.memory.cnt; j++) {
			const struct memblock_region *m = &memblock.memory.regions[j];

			if (m->base < rsv->base + rsv->size && rsv->base < m->base + m->size && m->nid >= 0 &&
			    m->nid < 64)
				kernel_nodes |= 1ULL << m->nid;
		}
	}
	for (j = 0; j < memblock.memory.cnt; j++) {
		const struct memblock_region *m = &memblock.memory.regions[j];

		if (memblock_is_hotpluggable(m) && m->nid >= 0 && m->nid < 64 && (kernel_nodes >> m->nid & 1)) {
			printk(KERN_INFO "NUMA: node %d holds kernel memory: [0x%llx-0x%llx) is not hot-pluggable\n",
			       m->nid, (unsigned long long)m->base, (unsigned long long)(m->base + m->size));
			if (memblock_clear_hotplug(m->base, m->size))
				return -ENOMEM;
			j = (unsigned long)-1;	/* regions may have merged: look again from the start */
		}
	}
	return 0;
}

static int apply_to_memblock(struct acpi_problems *p)
{
	phys_addr_t end = memblock.memory.cnt ? memblock_end_of_DRAM() : 0;
	int lowest = nr_blks ? blks[0].nid : 0;

	/* The bits of RAM the SRAT may miss (< 1 MiB) go to the lowest range's node. */
	if (end && memblock_set_node(0, end, &memblock.memory, lowest))
		goto fail;
	for (unsigned int i = 0; i < nr_blks; i++) {
		const struct numa_memblk *b = &blks[i];

		if (memblock_set_node(b->start, b->end - b->start, &memblock.memory, b->nid))
			goto fail;
		/* Any RAM inside the range, not only at its first byte (it may start in a hole). */
		if (b->hotplug && memblock_overlaps_region(&memblock.memory, b->start, b->end - b->start) &&
		    memblock_mark_hotplug(b->start, b->end - b->start))
			goto fail;
	}
	if (numa_clear_kernel_node_hotplug())
		goto fail;
	return 0;
fail:
	acpi_problem(p, ACPI_ERR, "NUMA", ACPI_NO_OFFSET, "memblock could not take the node ranges "
		     "(its region array is full and could not grow: see memblock's message)");
	return -ENOMEM;
}

static void numa_fallback(const struct acpi_madt_info *madt, const char *why)
{
	printk(KERN_ERR "NUMA: SRAT not used (%s); falling back to one node 0 with all memory "
	       "and no hot-pluggable ranges\n", why);
	numa_init_dummy(madt, why);
}

int numa_init_acpi(const struct acpi_srat_info *srat, const struct acpi_slit_info *slit,
		   const struct acpi_madt_info *madt, struct acpi_problems *p)
{
	phys_addr_t missing;

	numa_reset();
	default_distances();
	if (srat->unusable) {
		numa_fallback(madt, "the SRAT has errors");
		return -EINVAL;
	}
	if (!srat->nr_mem) {
		acpi_problem(p, ACPI_ERR, "SRAT", ACPI_NO_OFFSET, "no enabled memory affinity entry");
		numa_fallback(madt, "no memory affinity");
		return -EINVAL;
	}

	for (unsigned int i = 0; i < srat->nr_cpus; i++) {
		int nid = map_pxm(srat->cpu[i].pxm, p);

		if (nid == NUMA_NO_NODE) {
			numa_fallback(madt, "too many proximity domains");
			return -EINVAL;
		}
		add_cpu_node(srat->cpu[i].apic_id, nid);
	}
	for (unsigned int i = 0; i < srat->nr_mem; i++) {
		const struct acpi_srat_mem *m = &srat->mem[i];
		int nid = map_pxm(m->pxm, p);
		phys_addr_t start = ALIGN(m->base, PAGE_SIZE);
		phys_addr_t end = ALIGN_DOWN(m->base + m->length, PAGE_SIZE);

		if (nid == NUMA_NO_NODE) {
			numa_fallback(madt, "too many proximity domains");
			return -EINVAL;
		}
		if (start >= end)
			continue;
		/* NVDIMMs: device memory on that domain's node (drivers/nvdimm/), not RAM. */
		if (m->flags & ACPI_SRAT_MEM_NON_VOLATILE)
			continue;
		blks[nr_blks].start = start;
		blks[nr_blks].end = end;
		blks[nr_blks].nid = nid;
		blks[nr_blks].hotplug = m->flags & ACPI_SRAT_MEM_HOT_PLUGGABLE;
		nr_blks++;
	}
	if (cleanup_memblks(p)) {
		numa_fallback(madt, "memory ranges of different nodes overlap");
		return -EINVAL;
	}
	missing = uncovered_memory();
	if (missing > NUMA_MAX_UNCOVERED) {
		acpi_problem(p, ACPI_ERR, "SRAT", ACPI_NO_OFFSET, "memory ranges cover only %llu MiB of "
			     "the %llu MiB of RAM in the firmware map",
			     (unsigned long long)((memblock_phys_mem_size() - missing) >> 20),
			     (unsigned long long)(memblock_phys_mem_size() >> 20));
		numa_fallback(madt, "it does not cover the RAM");
		return -EINVAL;
	}

	/* CPUs the MADT has and the SRAT forgot: Linux puts them on a node round-robin; node 0 here. */
	if (madt) {
		for (unsigned int i = 0; i < madt->nr_cpus; i++) {
			const struct acpi_madt_cpu *c = &madt->cpu[i];

			if (!c->enabled || numa_node_of_apicid(c->apic_id) != NUMA_NO_NODE)
				continue;
			acpi_problem(p, ACPI_WARN, "SRAT", ACPI_NO_OFFSET, "enabled CPU apic_id 0x%x (MADT "
				     "+0x%x) has no processor affinity entry; put on node 0",
				     c->apic_id, c->offset);
			add_cpu_node(c->apic_id, 0);
		}
	}

	if (apply_to_memblock(p)) {
		numa_fallback(madt, "memblock could not be tagged");
		return -EINVAL;
	}

	for (unsigned int i = 0; i < nr_blks; i++) {
		const struct numa_memblk *b = &blks[i];

		if (!b->hotplug) {
			online_mask |= 1ULL << b->nid;
			continue;
		}
		if (nr_hotplug >= NUMA_MAX_HOTPLUG_RANGES) {
			acpi_problem(p, ACPI_ERR, "SRAT", ACPI_NO_OFFSET, "more than %d hot-pluggable ranges "
				     "(limit NUMA_MAX_HOTPLUG_RANGES); [0x%llx-0x%llx) not recorded",
				     NUMA_MAX_HOTPLUG_RANGES, (unsigned long long)b->start,
				     (unsigned long long)b->end);
			continue;
		}
		hotplug[nr_hotplug].start = b->start;
		hotplug[nr_hotplug].end = b->end;
		hotplug[nr_hotplug].nid = b->nid;
		nr_hotplug++;
	}
	for (unsigned int i = 0; i < nr_cpu_nodes; i++)
		online_mask |= 1ULL << cpu_node[i].nid;
	/* Boot RAM inside a hot-pluggable range still makes its node online (found by fuzzing). */
	for (unsigned long r = 0; r < memblock.memory.cnt; r++)
		online_mask |= 1ULL << memblock.memory.regions[r].nid;
	nr_node_ids = (int)nr_pxm;
	if (!online_mask)
		online_mask = 1;

	if (slit && slit->localities) {
		bool fits = slit->valid;

		for (unsigned int i = 0; fits && i < nr_pxm; i++)
			if (node_pxm[i] >= slit->localities) {
				acpi_problem(p, ACPI_ERR, "SLIT", 36, "proximity domain %u (node %u) is beyond the "
					     "%u localities; SLIT not used", node_pxm[i], i, slit->localities);
				fits = false;
			}
		if (fits) {
			for (unsigned int i = 0; i < nr_pxm; i++)
				for (unsigned int j = 0; j < nr_pxm; j++)
					distance[i][j] = slit->dist[node_pxm[i]][node_pxm[j]];
			have_slit = true;
		}
	}
	return 0;
}

void numa_init_from_acpi(const struct acpi_srat_info *srat, const struct acpi_slit_info *slit,
			 const struct acpi_madt_info *madt, struct acpi_problems *p)
{
	if (srat)
		numa_init_acpi(srat, slit, madt, p);
	else
		numa_init_dummy(madt, "no SRAT");
}

void numa_init_dummy(const struct acpi_madt_info *madt, const char *why)
{
	phys_addr_t end = memblock.memory.cnt ? memblock_end_of_DRAM() : 0;

	numa_reset();
	default_distances();
	dummy = true;
	online_mask = 1;
	nr_node_ids = 1;
	if (end) {
		memblock_set_node(0, end, &memblock.memory, 0);
		blks[0].start = 0;
		blks[0].end = end;
		blks[0].nid = 0;
		blks[0].hotplug = false;
		nr_blks = 1;
	}
	if (madt)
		for (unsigned int i = 0; i < madt->nr_cpus; i++)
			if (madt->cpu[i].enabled)
				add_cpu_node(madt->cpu[i].apic_id, 0);
	printk(KERN_NOTICE "NUMA: one node 0 with all memory (%s)\n", why);
}

/* ---- showing ---- */

static phys_addr_t node_present_bytes(int nid, bool *from_memblock)
{
	phys_addr_t sum = 0;

	*from_memblock = memblock.memory.cnt != 0;
	if (*from_memblock) {
		for (unsigned long r = 0; r < memblock.memory.cnt; r++)
			if (memblock.memory.regions[r].nid == nid)
				sum += memblock.memory.regions[r].size;
		return sum;
	}
	for (unsigned int i = 0; i < nr_blks; i++)
		if (blks[i].nid == nid && !blks[i].hotplug)
			sum += blks[i].end - blks[i].start;
	return sum;
}

void numa_show(acpi_print_fn pr)
{
	char line[64 * 6];

	pr("NUMA: %d node%s%s, distances from %s\n", nr_node_ids, nr_node_ids == 1 ? "" : "s",
	       dummy ? " (no usable SRAT)" : "", have_slit ? "the SLIT" : "defaults (10 local, 20 remote)");
	for (int nid = 0; nid < nr_node_ids; nid++) {
		bool from_memblock;
		phys_addr_t bytes = node_present_bytes(nid, &from_memblock);
		size_t n = 0;

		line[0] = '\0';
		for (unsigned int i = 0; i < nr_cpu_nodes && n < sizeof(line) - 16; i++)
			if (cpu_node[i].nid == nid)
				n += snprintf(line + n, sizeof(line) - n, " %u", cpu_node[i].apic_id);
		pr("node %d: pxm %d, %s, %u cpus [apic%s], %llu MiB %s%s\n", nid,
		       node_to_pxm(nid), node_online(nid) ? "online" : "offline", numa_node_nr_cpus(nid),
		       line, (unsigned long long)(bytes >> 20), from_memblock ? "present" : "in SRAT",
		       bytes ? "" : " (memoryless)");
		for (unsigned int i = 0; i < nr_blks; i++)
			if (blks[i].nid == nid)
				pr("  mem [0x%012llx-0x%012llx)%s\n", (unsigned long long)blks[i].start,
				       (unsigned long long)blks[i].end, blks[i].hotplug ? " hotpluggable" : "");
	}
	for (unsigned int i = 0; i < nr_hotplug; i++)
		pr("hotplug [0x%012llx-0x%012llx) node %d, %llu MiB\n",
		       (unsigned long long)hotplug[i].start, (unsigned long long)hotplug[i].end,
		       hotplug[i].nid, (unsigned long long)((hotplug[i].end - hotplug[i].start) >> 20));
	if (!nr_hotplug)
		pr("hotplug: no hot-pluggable range\n");
	pr("distances:\n");
	for (int i = 0; i < nr_node_ids; i++) {
		size_t n = 0;

		for (int j = 0; j < nr_node_ids && n < sizeof(line) - 8; j++)
			n += snprintf(line + n, sizeof(line) - n, " %3d", node_distance(i, j));
		pr("  %3d:%s\n", i, line);
	}
}
