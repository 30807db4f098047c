/* SPDX-License-Identifier: MIT */
/*
 * DOC: pmem.c - the pmem driver: NFIT SPA ranges become device memory
 *
 * Kernel only. For each persistent-memory SPA range (drivers/acpi/nfit.h)
 * a struct pmem_device: the node from the range's proximity domain (the
 * SRAT's node for it; node 0 with a warning when the domain is unknown or
 * not given), the section-aligned part of the range (hotplug works in
 * 128 MiB sections; a misaligned edge is left out with a warning), then
 * memremap_pages() with the memmap on the device (PGMAP_ALTMAP_VALID).
 * `daxctl` (pmem_shell.c) lists the devices and switches their mode
 * (dax_kmem.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/nvdimm/pmem.h"
#include "drivers/acpi/acpi_boot.h"
#include "arch/x86_64/numa.h"
#include "kernel/printk.h"

#define SECTION_BYTES	(1ULL << SECTION_SIZE_BITS)

static struct pmem_device devices[PMEM_MAX_DEVICES];
static unsigned int nr_devices;

unsigned int pmem_nr_devices(void) { return nr_devices; }
struct pmem_device *pmem_device(unsigned int i) { return i < nr_devices ? &devices[i] : NULL; }

struct pmem_device *pmem_find(const char *name)
{
	for (unsigned int i = 0; i < nr_devices; i++)
		if (!strcmp(devices[i].name, name))
			return &devices[i];
	return NULL;
}

const char *pmem_mode_name(enum pmem_mode mode)
{
	return mode == PMEM_MODE_DEVDAX ? "devdax" : mode == PMEM_MODE_SYSTEM_RAM ? "system-ram" : "disabled";
}

int pmem_map_devdax(struct pmem_device *pmem)
{
	int err = 0;

	memset(&pmem->pgmap, 0, sizeof(pmem->pgmap));
	pmem->pgmap.range.start = pmem->start;
	pmem->pgmap.range.end = pmem->start + pmem->size - 1;
	pmem->pgmap.type = MEMORY_DEVICE_GENERIC;
	pmem->pgmap.flags = PGMAP_ALTMAP_VALID;	/* the memmap on the device itself */
	pmem->pgmap.owner = pmem->name;
	pmem->virt = memremap_pages(&pmem->pgmap, pmem->nid, &err);
	return pmem->virt ? 0 : err;
}

static int spa_node(const struct acpi_nfit_spa *spa)
{
	int nid = spa->pxm_valid ? pxm_to_node(spa->pxm) : NUMA_NO_NODE;

	if (nid != NUMA_NO_NODE)
		return nid;
	if (spa->pxm_valid)
		pr_warn("nvdimm: NFIT+0x%x: SPA range %u: proximity domain %u has no node (not in the "
			"SRAT); node 0\n", spa->offset, spa->range_index, spa->pxm);
	else
		pr_warn("nvdimm: NFIT+0x%x: SPA range %u: no proximity domain given; node 0\n",
			spa->offset, spa->range_index);
	return 0;
}

static void probe_one(const struct acpi_nfit_spa *spa)
{
	struct pmem_device *pmem = &devices[nr_devices];
	uint64_t start = ALIGN(spa->base, SECTION_BYTES);
	uint64_t end = ALIGN_DOWN(spa->base + spa->length, SECTION_BYTES);

	memset(pmem, 0, sizeof(*pmem));
	snprintf(pmem->name, sizeof(pmem->name), "pmem%u", nr_devices);
	nr_devices++;
	pmem->range_index = spa->range_index;
	pmem->nfit_offset = spa->offset;
	pmem->spa_start = spa->base;
	pmem->spa_size = spa->length;
	pmem->nid = spa_node(spa);
	if (end <= start) {
		pr_err("nvdimm: %s: NFIT+0x%x SPA range %u [%#llx-%#llx) holds no whole %llu MiB "
		       "section; not used\n", pmem->name, spa->offset, spa->range_index,
		       (unsigned long long)spa->base, (unsigned long long)(spa->base + spa->length),
		       SECTION_BYTES >> 20);
		pmem->error = -EINVAL;
		return;
	}
	if (start != spa->base || end != spa->base + spa->length)
		pr_warn("nvdimm: %s: SPA range %u [%#llx-%#llx) is not section aligned; using "
			"[%#llx-%#llx)\n", pmem->name, spa->range_index, (unsigned long long)spa->base,
			(unsigned long long)(spa->base + spa->length), (unsigned long long)start,
			(unsigned long long)end);
	pmem->start = start;
	pmem->size = end - start;
	pmem->error = pmem_map_devdax(pmem);
	pmem->mode = pmem->error ? PMEM_MODE_DISABLED : PMEM_MODE_DEVDAX;
	if (pmem->error)
		pr_err("nvdimm: %s: [%#llx-%#llx) could not be mapped (%d); disabled\n", pmem->name,
		       (unsigned long long)start, (unsigned long long)end, pmem->error);
}

void nvdimm_init(void)
{
	const struct acpi_nfit_info *nfit = acpi_get_nfit();

	if (!nfit)
		return;
	for (unsigned int i = 0; i < nfit->nr_spa; i++) {
		if (nfit->spa[i].kind != ACPI_NFIT_SPA_PMEM)
			continue;
		if (nr_devices >= PMEM_MAX_DEVICES) {
			pr_err("nvdimm: more than %d pmem ranges (PMEM_MAX_DEVICES); SPA range %u and later "
			       "ones not used\n", PMEM_MAX_DEVICES, nfit->spa[i].range_index);
			break;
		}
		probe_one(&nfit->spa[i]);
	}
}
