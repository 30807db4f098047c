/* SPDX-License-Identifier: MIT */
/*
 * DOC: memory_hotplug.h - the one path for every byte that arrives after boot
 *
 * (Contract written by the lead; mm/memory_hotplug.c implements it. Keep
 * these names: drivers — QEMU's ACPI memory-hotplug controller, virtio-mem
 * later — call them.)
 *
 *   add_memory(nid, start, size, flags)
 *       check alignment to the memory block size, no overlap, below the
 *       physical address limit (the caller vouches that memory is there:
 *       the SRAT's hot-pluggable windows are advice, checked by the
 *       callers that take a person's word for it); direct-map the range;
 *       vmemmap from the range itself (MHP_MEMMAP_ON_MEMORY, the default
 *       unless memory_hotplug.memmap_on_memory=0) or from online memory;
 *       the vmemmap pages' own memmap is VmemmapSelfHosted in ZONE_NORMAL;
 *       memory blocks created offline; then, by memhp_default_state=,
 *       online them (online_movable by default). Any failure unwinds all.
 *   offline_and_remove_memory(start, size)
 *       offline every block of the range (on the first busy page: undo,
 *       everything stays online, -EBUSY naming the pfn), then remove.
 *   remove_memory(start, size)
 *       only when every block is offline, at the granularity it was added;
 *       boot RAM (which no add_memory() added) at any block granularity.
 *
 * Return 0 or a negative errno after printing why.
 */
#ifndef HOTMM_MM_MEMORY_HOTPLUG_H
#define HOTMM_MM_MEMORY_HOTPLUG_H

#include "lib/compiler.h"

typedef unsigned int mhp_t;
#define MHP_NONE		0u
#define MHP_MEMMAP_ON_MEMORY	(1u << 0)	/* memmap carved from the added range */
#define MHP_NO_ONLINE		(1u << 2)	/* leave the blocks offline whatever the policy */

/* How a block goes online (Linux's MMOP_*; memhp_default_state= picks the default). */
enum mmop {
	MMOP_OFFLINE = 0,
	MMOP_ONLINE,		/* "online": the kernel's choice of zone */
	MMOP_ONLINE_KERNEL,	/* ZONE_NORMAL: can hold unmovable data, may not unplug */
	MMOP_ONLINE_MOVABLE,	/* ZONE_MOVABLE: can be offlined and unplugged again */
};

int add_memory(int nid, uint64_t start, uint64_t size, mhp_t flags);
/*
 * Linux's add_memory_driver_managed: memory a driver (virtio-mem, dax/kmem)
 * owns and manages, added like add_memory() but under the driver's resource
 * name, which must read "System RAM (DRIVER)" (e.g. "System RAM (virtio_mem)").
 * Only that driver removes it again (offline_and_remove_memory /
 * remove_memory); the shell's `remove` and the ACPI controller refuse.
 * Onlined as memhp_default_state= says unless MHP_NO_ONLINE; a driver that
 * keeps parts of its blocks unplugged sets the online page callback first.
 */
int add_memory_driver_managed(int nid, uint64_t start, uint64_t size, const char *resource_name,
			      mhp_t flags);
int remove_memory(uint64_t start, uint64_t size);
int offline_and_remove_memory(uint64_t start, uint64_t size);
/* Online / offline every block of [start, start + size) (all or nothing). */
int online_memory_range(uint64_t start, uint64_t size, enum mmop type);
int offline_memory_range(uint64_t start, uint64_t size);

/*
 * The hot-added ranges (Linux's /proc/iomem entries below 'System RAM'):
 * resource name "System RAM" for add_memory(), the driver's for
 * add_memory_driver_managed(). Returns how many there are; fills up to max
 * in address order. Takes the hotplug lock (-errno if it cannot).
 */
#define MHP_RESOURCE_NAME_LEN	40
struct mhp_resource {
	uint64_t start, size;
	int nid;
	bool driver_managed;
	char name[MHP_RESOURCE_NAME_LEN];
};
int memory_hotplug_resources(struct mhp_resource *res, unsigned int max);
/* Does [start, start + size) overlap a driver-managed range? Caller holds the hotplug lock. */
bool mhp_range_driver_managed(uint64_t start, uint64_t size, char *name, size_t len);

enum mmop mhp_get_default_online_type(void);
uint64_t memory_block_size_bytes(void);

/* ---- below: the rest of the hotplug core's interface (mm/memory_hotplug.c) ---- */

#include "mm/mmzone.h"

struct memory_block;

/*
 * Drivers pass MHP_MEMMAP_ON_MEMORY (as Linux's ACPI driver does); it is
 * honoured at every add size unless memory_hotplug.memmap_on_memory=0.
 */
void mhp_set_memmap_on_memory(bool on);
bool mhp_memmap_on_memory(void);
void mhp_set_default_online_type(enum mmop type);
/* "offline", "online", "online_kernel", "online_movable" -> MMOP_*; -1 if none of these. */
int mhp_online_type_from_str(const char *s);
const char *mhp_online_type_name(enum mmop type);
/* movable_node: "online" (the kernel's choice) picks ZONE_MOVABLE for hot-added memory. */
void mhp_set_movable_node(bool on);

/*
 * Is any of [start, start + size) already memory: boot RAM, a present
 * section (device memory included), a hot-added range? *where: the first
 * such address. Call with the hotplug lock held.
 */
bool mhp_range_overlaps_memory(uint64_t start, uint64_t size, uint64_t *where);

/* The zone a block at [start_pfn, +nr_pages) of nid goes to when onlined as type. */
enum zone_type zone_for_online_type(int nid, enum mmop type, unsigned long start_pfn,
				    unsigned long nr_pages);

/*
 * The hotplug lock (Linux's mem_hotplug_begin/done): held across every add,
 * online, offline and remove, and by whoever reads the memory block table
 * or walks the memmap of blocks that may go away. A waiter joins the
 * holder's parallel job instead of spinning. Returns 0, or -EDEADLK when
 * this CPU holds it already (a notifier or callback calling back), -EBUSY
 * when another CPU holds it and this caller has interrupts off; either
 * after saying so.
 */
int mem_hotplug_begin(void);
void mem_hotplug_done(void);
/* Since boot: how many begins had to wait, and how many jobs they worked on meanwhile. */
void mem_hotplug_lock_stats(uint64_t *waits, uint64_t *helped_jobs);
/* How many CPUs are waiting for it right now. */
unsigned int mem_hotplug_lock_waiters(void);

/* Memory blocks by id (see mm/memory_block.h); return 0 or -errno after saying why. */
int memory_block_online(unsigned long id, enum mmop type);
int memory_block_offline(unsigned long id);

/*
 * The memory notifier (Linux's register_memory_notifier). Every callback
 * sees the block's pages that are not its self-hosted memmap. Returning
 * nonzero from MEM_GOING_ONLINE / MEM_GOING_OFFLINE vetoes the change; then
 * every notifier gets MEM_CANCEL_ONLINE / MEM_CANCEL_OFFLINE. A driver
 * holding pages Offline (refcount 1) lets a block go offline by dropping
 * their refcount to 0 in MEM_GOING_OFFLINE and restoring it on
 * MEM_CANCEL_OFFLINE (docs/hotplug.md). Callbacks run with the hotplug lock held:
 * they must not call the functions of this file.
 */
enum memory_notify_action {
	MEM_GOING_ONLINE,
	MEM_ONLINE,
	MEM_GOING_OFFLINE,
	MEM_OFFLINE,
	MEM_CANCEL_ONLINE,
	MEM_CANCEL_OFFLINE,
};

struct memory_notify {
	unsigned long start_pfn;	/* first page after the self-hosted memmap */
	unsigned long nr_pages;
	int nid;
	enum zone_type zone;
	const struct memory_block *mem;
};

struct memory_notifier {
	int (*fn)(struct memory_notifier *nb, enum memory_notify_action action,
		  const struct memory_notify *arg);
	struct memory_notifier *next;
};

int register_memory_notifier(struct memory_notifier *nb);
void unregister_memory_notifier(struct memory_notifier *nb);
const char *memory_notify_action_name(enum memory_notify_action action);

/*
 * The online callback: called for every naturally aligned block of freshly
 * initialized pages (all Offline, refcount 1) of a block going online, in
 * pieces of up to MAX_PAGE_ORDER, possibly on several CPUs at once for
 * different pieces. The default, generic_online_page(), gives them to the
 * buddy; a driver may keep some pages Offline and hand the rest to
 * generic_online_page(). Only one driver may set it at a time.
 */
typedef void (*online_page_callback_t)(struct page *page, unsigned int order);
void generic_online_page(struct page *page, unsigned int order);
int set_online_page_callback(online_page_callback_t cb);
int restore_online_page_callback(online_page_callback_t cb);

/*
 * Testing without DIMMs (`memhp_withhold=SIZE`): take up to size bytes of
 * boot RAM, whole memory blocks from the top down, out of memblock before
 * the boot allocator sees them (call after ACPI tagged memblock with nodes,
 * before the direct map and sparse_init), and hot-add them later through
 * add_memory() with the given flags. Returns the bytes withheld / 0 or -errno.
 */
uint64_t memhp_withhold_boot_ram(uint64_t size);
int memhp_add_withheld(mhp_t flags);
/* The withheld ranges (for tests and the benchmark). */
unsigned int memhp_withheld_ranges(uint64_t *start, uint64_t *size, int *nid, unsigned int max);

/*
 * Boot hooks (mm/hotplug_shell.c, kernel only): read the command-line
 * options and withhold memhp_withhold= of boot RAM - start_kernel, after
 * acpi_boot_init(), before init_direct_map(); then hot-add what was
 * withheld - start_kernel, after smp_init().
 */
void memory_hotplug_early_init(void);
void memory_hotplug_init(void);

/*
 * Boot RAM's memory blocks (memory0 up), online in their boot zones:
 * start_kernel, after mm_core_init(). A block beyond the table is said.
 */
void memory_blocks_init_boot(void);
/* Could every page of the block go offline now (see memory_hotplug.c)? Hotplug lock held. */
bool memory_block_removable(const struct memory_block *mem);

/* Host tests: forget every range and block, defaults back. */
void memory_hotplug_reset(void);

#endif
