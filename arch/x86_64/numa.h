/* SPDX-License-Identifier: MIT */
/*
 * DOC: numa.h - NUMA nodes: which CPUs and memory belong where, and how far
 *
 * Built once at boot from the SRAT/SLIT/MADT (numa_init_acpi) or, without a
 * usable SRAT, as one node 0 holding everything (numa_init_dummy). Node ids
 * are dense (0..nr_node_ids-1), given to proximity domains in the order
 * Linux gives them: processor affinity entries in table order first, then
 * memory affinity entries. After init every memblock.memory range carries
 * its node, and the hot-pluggable ranges the SRAT announced are recorded for
 * the hotplug subsystem.
 */
#ifndef HOTMM_ARCH_NUMA_H
#define HOTMM_ARCH_NUMA_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"
#include "mm/memblock.h"		/* MAX_NUMNODES, NUMA_NO_NODE */
#include "drivers/acpi/srat.h"
#include "drivers/acpi/slit.h"
#include "drivers/acpi/madt.h"

#define NR_NODE_MEMBLKS		ACPI_MAX_SRAT_MEMORY
#define NUMA_MAX_HOTPLUG_RANGES	64

/* One memory range of a node, as the SRAT gave it (merged, sorted). */
struct numa_memblk {
	phys_addr_t start;
	phys_addr_t end;
	int nid;
	bool hotplug;
};

/* A range where memory may appear later (SRAT Enabled|HotPluggable). */
struct numa_hotplug_range {
	phys_addr_t start;
	phys_addr_t end;
	int nid;
};

extern int nr_node_ids;

bool node_online(int nid);
int numa_node_of_apicid(uint32_t apic_id);	/* NUMA_NO_NODE when unknown */
int node_distance(int a, int b);
int pxm_to_node(uint32_t pxm);			/* NUMA_NO_NODE when unknown */
int node_to_pxm(int nid);			/* -1 when unknown */
/* How many CPUs node @nid has (from the MADT or SRAT). */
unsigned int numa_node_nr_cpus(int nid);

const struct numa_hotplug_range *numa_hotplug_ranges(unsigned int *count);

/*
 * The hot-pluggable window holding all of [start, end), or NULL. Whatever
 * node the window names: firmware may describe one window for every node
 * (QEMU puts a single one on the last node, wherever its DIMMs are), so the
 * window says where memory may appear, never which node it belongs to.
 */
static inline const struct numa_hotplug_range *numa_hotplug_window_of(phys_addr_t start,
								      phys_addr_t end)
{
	unsigned int i, n;
	const struct numa_hotplug_range *r = numa_hotplug_ranges(&n);

	for (i = 0; i < n; i++)
		if (start >= r[i].start && end <= r[i].end)
			return &r[i];
	return NULL;
}
const struct numa_memblk *numa_memblks(unsigned int *count);
bool numa_is_dummy(void);			/* one node because there was no usable SRAT */

/*
 * Build the topology from the parsed tables (@slit and @madt may be NULL)
 * and tag memblock.memory with node ids. When the SRAT is unusable, would
 * need more than MAX_NUMNODES nodes, has memory ranges of different nodes
 * overlapping, or leaves more than 1 MiB of memblock's memory uncovered,
 * it says why and falls back to numa_init_dummy(); returns -EINVAL then,
 * 0 on success.
 */
int numa_init_acpi(const struct acpi_srat_info *srat, const struct acpi_slit_info *slit,
		   const struct acpi_madt_info *madt, struct acpi_problems *p);
/* One node 0 with all memory and every CPU of @madt (may be NULL). */
void numa_init_dummy(const struct acpi_madt_info *madt, const char *why);
/*
 * The one decision both acpi_boot_init() and tools/acpi-decode make from the
 * parsed tables (each may be NULL: absent or unusable): nodes from the SRAT
 * when there is one, else one dummy node.
 */
void numa_init_from_acpi(const struct acpi_srat_info *srat, const struct acpi_slit_info *slit,
			 const struct acpi_madt_info *madt, struct acpi_problems *p);

/* Print nodes with CPUs, memory ranges, hot-pluggable ranges, distances. */
void numa_show(acpi_print_fn pr);

#endif
