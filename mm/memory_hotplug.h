/* SPDX-License-Identifier: MIT */
/*
 * DOC: memory_hotplug.h - the one path for every byte that arrives after boot
 *
 * (Contract written by the lead; mm/memory_hotplug.c implements it. Keep
 * these names: drivers — QEMU's ACPI memory-hotplug controller, virtio-mem
 * later — call them.)
 *
 *   add_memory(nid, start, size, flags)
 *       check alignment to the memory block size, no overlap, inside an SRAT
 *       hot-pluggable window (unless MHP_FORCE); direct-map the range;
 *       vmemmap from the range itself (MHP_MEMMAP_ON_MEMORY, the default
 *       unless memory_hotplug.memmap_on_memory=0) or from online memory;
 *       the vmemmap pages' own memmap is VmemmapSelfHosted in ZONE_NORMAL;
 *       memory blocks created offline; then, by memhp_default_state=,
 *       online them (online_movable by default). Any failure unwinds all.
 *   offline_and_remove_memory(start, size)
 *       offline every block of the range (on the first busy page: undo,
 *       everything stays online, -EBUSY naming the pfn), then remove.
 *   remove_memory(start, size)
 *       only when every block is offline, at the granularity it was added.
 *
 * Return 0 or a negative errno after printing why.
 */
#ifndef HOTMM_MM_MEMORY_HOTPLUG_H
#define HOTMM_MM_MEMORY_HOTPLUG_H

#include "lib/compiler.h"

typedef unsigned int mhp_t;
#define MHP_NONE		0u
#define MHP_MEMMAP_ON_MEMORY	(1u << 0)	/* memmap carved from the added range */
#define MHP_FORCE		(1u << 1)	/* allow outside every SRAT hot-pluggable window */
#define MHP_NO_ONLINE		(1u << 2)	/* leave the blocks offline whatever the policy */

/* How a block goes online (Linux's MMOP_*; memhp_default_state= picks the default). */
enum mmop {
	MMOP_OFFLINE = 0,
	MMOP_ONLINE,		/* "online": the kernel's choice of zone */
	MMOP_ONLINE_KERNEL,	/* ZONE_NORMAL: can hold unmovable data, may not unplug */
	MMOP_ONLINE_MOVABLE,	/* ZONE_MOVABLE: can be offlined and unplugged again */
};

int add_memory(int nid, uint64_t start, uint64_t size, mhp_t flags);
int remove_memory(uint64_t start, uint64_t size);
int offline_and_remove_memory(uint64_t start, uint64_t size);
/* Online / offline every block of [start, start + size) (all or nothing). */
int online_memory_range(uint64_t start, uint64_t size, enum mmop type);
int offline_memory_range(uint64_t start, uint64_t size);

enum mmop mhp_get_default_online_type(void);
uint64_t memory_block_size_bytes(void);

#endif
