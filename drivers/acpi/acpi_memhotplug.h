/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi_memhotplug.h - QEMU's ACPI memory-hotplug controller: DIMMs in and out
 *
 * QEMU (hw/acpi/memory_hotplug.c) exposes one 24-byte I/O window, found in
 * the DSDT as OperationRegion HPMR (drivers/acpi/dsdt_scan.h), with MDNR
 * slots behind a slot selector:
 *
 *   off   read                        write
 *   0x00  base, low 32 bits           select slot
 *   0x04  base, high 32 bits          _OST event code
 *   0x08  size, low 32 bits           _OST status (QEMU emits ACPI_DEVICE_OST)
 *   0x0c  size, high 32 bits          -
 *   0x10  proximity domain            -
 *   0x14  bit0 enabled, bit1 insert   bit1 clears insert, bit2 clears remove,
 *         event, bit2 remove event    bit3 ejects (QEMU emits DEVICE_DELETED)
 *
 * QEMU acts on one control bit per write to 0x14 (the first of 1, 2, 3 it
 * finds), so each bit is written alone. The selector is shared state: every
 * select + access pair is done under one lock.
 *
 * This driver adds the DIMMs present at boot (coldplug: they are not in the
 * firmware memory map), then follows insert and eject-request events. The
 * controller raises GPE 3 on the SCI; the interrupt handler only queues the
 * scan on the work queue, and the scan adds / onlines (by
 * memhp_default_state=) or offlines / removes / ejects in process context.
 * When eject is refused (a page cannot be offlined), the DIMM stays online
 * and the controller gets _OST(3, 0x82 busy).
 */
#ifndef HOTMM_DRIVERS_ACPI_MEMHP_H
#define HOTMM_DRIVERS_ACPI_MEMHP_H

#include "lib/compiler.h"
#include "drivers/acpi/dsdt_scan.h"

/* Registers (offsets in the HPMR window). */
#define MEMHP_REG_BASE_LO	0x00	/* write: slot selector */
#define MEMHP_REG_BASE_HI	0x04	/* write: _OST event */
#define MEMHP_REG_SIZE_LO	0x08	/* write: _OST status */
#define MEMHP_REG_SIZE_HI	0x0c
#define MEMHP_REG_PXM		0x10
#define MEMHP_REG_STATUS	0x14
#define MEMHP_REG_SELECT	MEMHP_REG_BASE_LO
#define MEMHP_REG_OST_EVENT	MEMHP_REG_BASE_HI
#define MEMHP_REG_OST_STATUS	MEMHP_REG_SIZE_LO

#define MEMHP_STS_ENABLED	(1u << 0)
#define MEMHP_STS_INSERT	(1u << 1)	/* write: clear the insert event */
#define MEMHP_STS_REMOVE	(1u << 2)	/* write: clear the remove event */
#define MEMHP_CTL_EJECT		(1u << 3)

/* The GPE QEMU raises for memory hotplug (ACPI_MEMORY_HOTPLUG_STATUS). */
#define MEMHP_GPE		3

/* _OST (ACPI 6.5, 6.3.5): source events and status codes we send. */
#define ACPI_OST_EC_DEVICE_CHECK	1
#define ACPI_OST_EC_EJECT_REQUEST	3
#define ACPI_OST_SC_SUCCESS		0
#define ACPI_OST_SC_NON_SPECIFIC	1
#define ACPI_OST_SC_DEVICE_BUSY		0x82

/* How events reach us. */
enum memhp_mode {
	MEMHP_MODE_NONE = 0,	/* no controller, or not set up */
	MEMHP_MODE_SCI,		/* GPE on the SCI */
	MEMHP_MODE_POLL,	/* no SCI could be routed: the scan runs on a timer */
};

#define MEMHP_REASON_LEN	160

/* What the driver knows of one slot (a snapshot for the shell and tests). */
struct memhp_slot {
	uint64_t base, size;		/* as the controller last reported them */
	uint32_t pxm;
	int nid;			/* NUMA_NO_NODE until the slot was seen enabled */
	bool enabled;			/* a DIMM is plugged */
	bool added;			/* [add_start, add_start + add_size) is ours */
	uint64_t add_start, add_size;	/* the whole memory blocks of the DIMM we added */
	uint8_t events;			/* insert/remove bits found at the last scan */
	bool eject_requested;		/* `eject N` waiting for the scan */
	bool ost_valid;
	uint32_t ost_event, ost_status;	/* the last _OST we sent */
	int last_ret;			/* last add/remove result (0 or -errno) */
	char reason[MEMHP_REASON_LEN];	/* why the last add/remove was refused ("" if not) */
	unsigned long inserts, removes, refusals;
};

/* How registers are reached: port I/O in the kernel; a model of QEMU's device in host tests. */
struct memhp_io_ops {
	uint32_t (*read)(void *ctx, unsigned int off);
	void (*write)(void *ctx, unsigned int off, uint32_t val, unsigned int width);
	void *ctx;
};

/*
 * Called once by start_kernel after smp_init() (the work queue needs CPUs
 * to service it and add_memory() the buddy allocator): find the controller,
 * add every DIMM present, then listen for events on the SCI, or poll when
 * no SCI can be routed. Returns 0, or -ENODEV when the machine has no
 * controller (nothing to do; not an error for the boot).
 */
int memhp_init(void);

/* Scan every slot now and handle its events (what the SCI's work runs). Process context. */
void memhp_scan(void);
/*
 * Guest-initiated eject of @slot (the shell's `eject N`): offline, remove,
 * eject, in the work queue's order. Returns 0, -EBUSY when a page stays
 * busy (the DIMM stays online), -EINVAL / -ENODEV for a bad or empty slot.
 */
int memhp_eject(unsigned int slot);

unsigned int memhp_nr_slots(void);
enum memhp_mode memhp_get_mode(void);
const char *memhp_mode_name(enum memhp_mode m);
/* Copy slot @i; false past the last slot. */
bool memhp_get_slot(unsigned int i, struct memhp_slot *out);
/* The slot whose DIMM holds physical address @phys, or -1. */
int memhp_slot_of(uint64_t phys);
/* SCI events taken, scans run. */
void memhp_get_counts(unsigned long *gpe_events, unsigned long *scans);

/* Test hook: use @ops instead of port I/O (before memhp_init); NULL restores. */
void memhp_set_io_ops(const struct memhp_io_ops *ops);
/* Test hook: forget everything, as before memhp_init. */
void memhp_reset(void);

#endif
