/* SPDX-License-Identifier: MIT */
/*
 * DOC: pmem.h - NVDIMM persistent memory as device memory, and as System RAM (dax/kmem)
 *
 * One pmem device per persistent-memory SPA range of the NFIT
 * (drivers/acpi/nfit.h), on the node of the range's proximity domain. At
 * boot each is mapped as device memory (mm/memremap.h, MEMORY_DEVICE_GENERIC:
 * Linux's devdax mode) with its memmap on the device itself, so it costs
 * no RAM for its struct pages. `daxctl` turns one into System RAM (Linux's
 * dax/kmem: the device memory is unmapped and the range hot-added as
 * driver-managed memory, onlined movable by default) and back.
 *
 * Invariant: a device is in exactly one mode, and a failed switch leaves
 * it in the mode it had (the memory is mapped back as it was).
 */
#ifndef HOTMM_DRIVERS_NVDIMM_PMEM_H
#define HOTMM_DRIVERS_NVDIMM_PMEM_H

#include "mm/memremap.h"
#include "mm/memory_hotplug.h"

#define PMEM_MAX_DEVICES	8

enum pmem_mode {
	PMEM_MODE_DISABLED,	/* probing failed: see `daxctl` and dmesg */
	PMEM_MODE_DEVDAX,	/* device memory (ZONE_DEVICE) */
	PMEM_MODE_SYSTEM_RAM,	/* hot-added RAM (dax/kmem) */
};

struct pmem_device {
	char name[16];			/* "pmem0" */
	uint16_t range_index;		/* the NFIT SPA range */
	uint16_t nfit_offset;
	uint64_t start, size;		/* section-aligned part of the SPA range used */
	uint64_t spa_start, spa_size;	/* the SPA range as the NFIT says */
	int nid;
	enum pmem_mode mode;
	int error;			/* why it is disabled (negative errno) */
	struct dev_pagemap pgmap;
	void *virt;			/* devdax: the range in the direct map */
};

/* Probe every pmem SPA range of the NFIT (start_kernel, after memhp_init()). */
void nvdimm_init(void);

unsigned int pmem_nr_devices(void);
struct pmem_device *pmem_device(unsigned int i);
struct pmem_device *pmem_find(const char *name);
const char *pmem_mode_name(enum pmem_mode mode);

/*
 * dax/kmem (dax_kmem.c): devdax -> System RAM onlined as `online` (an
 * MMOP_ONLINE_* type), and System RAM -> devdax (offline, remove, map back).
 * 0, or a negative errno after saying why; the mode is then unchanged.
 */
int dax_kmem_to_system_ram(struct pmem_device *pmem, enum mmop online);
int dax_kmem_to_devdax(struct pmem_device *pmem);

/* Map the device's memory as devdax again (pmem.c; used by dax_kmem.c). */
int pmem_map_devdax(struct pmem_device *pmem);

#endif
