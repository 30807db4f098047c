/* SPDX-License-Identifier: MIT */
/*
 * DOC: dax_kmem.c - dax/kmem: a pmem device's memory as System RAM and back
 *
 * Linux's dax/kmem driver: the device memory is given up (memunmap_pages())
 * and the same range is hot-added as memory the driver manages (memmap on
 * the memory itself), then onlined, ZONE_MOVABLE unless asked otherwise, so
 * it can be offlined and removed again. Back: offline and remove (page
 * migration moves what the kernel put there), then map the device memory
 * again. The range is added with add_memory_driver_managed() as
 * "System RAM (kmem)" (so the shell's `remove` leaves it to this driver),
 * MHP_NO_ONLINE, and onlined here as asked.
 *
 * Invariant: a step that fails puts back what the earlier steps took, so
 * the device stays in the mode it was in.
 */
#include <errno.h>

#include "drivers/nvdimm/pmem.h"
#include "kernel/printk.h"

#define DAX_KMEM_RESOURCE	"System RAM (kmem)"	/* Linux's name for it */

int dax_kmem_to_system_ram(struct pmem_device *pmem, enum mmop online)
{
	int ret, undo;

	if (pmem->mode != PMEM_MODE_DEVDAX) {
		pr_err("dax_kmem: %s is %s, not devdax\n", pmem->name, pmem_mode_name(pmem->mode));
		return -EINVAL;
	}
	ret = memunmap_pages(&pmem->pgmap);
	if (ret)
		return ret;
	pmem->virt = NULL;
	ret = add_memory_driver_managed(pmem->nid, pmem->start, pmem->size, DAX_KMEM_RESOURCE,
					MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE);
	if (!ret) {
		ret = online_memory_range(pmem->start, pmem->size, online);
		if (ret && remove_memory(pmem->start, pmem->size))
			pr_err("dax_kmem: %s: cannot remove the memory again after the failed online\n",
			       pmem->name);
	}
	if (ret) {
		pr_err("dax_kmem: %s: to System RAM failed (%d); back to devdax\n", pmem->name, ret);
		undo = pmem_map_devdax(pmem);
		if (undo) {
			pr_err("dax_kmem: %s: mapping it back failed too (%d); disabled\n", pmem->name, undo);
			pmem->mode = PMEM_MODE_DISABLED;
			pmem->error = undo;
		}
		return ret;
	}
	pmem->mode = PMEM_MODE_SYSTEM_RAM;
	report("dax_kmem", "\"device\":\"%s\",\"mode\":\"system-ram\",\"base\":%llu,\"size\":%llu,"
	       "\"node\":%d,\"online\":\"%s\"", pmem->name, (unsigned long long)pmem->start,
	       (unsigned long long)pmem->size, pmem->nid, mhp_online_type_name(online));
	return 0;
}

int dax_kmem_to_devdax(struct pmem_device *pmem)
{
	int ret;

	if (pmem->mode != PMEM_MODE_SYSTEM_RAM) {
		pr_err("dax_kmem: %s is %s, not system-ram\n", pmem->name, pmem_mode_name(pmem->mode));
		return -EINVAL;
	}
	/* All or nothing: on a busy page every block stays online (memory_hotplug.h). */
	ret = offline_and_remove_memory(pmem->start, pmem->size);
	if (ret) {
		pr_err("dax_kmem: %s: the memory could not be offlined and removed (%d); it stays "
		       "System RAM\n", pmem->name, ret);
		return ret;
	}
	ret = pmem_map_devdax(pmem);
	if (ret) {
		pr_err("dax_kmem: %s: device memory could not be mapped again (%d); adding it back as "
		       "System RAM\n", pmem->name, ret);
		if (add_memory_driver_managed(pmem->nid, pmem->start, pmem->size, DAX_KMEM_RESOURCE,
					      MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE) ||
		    online_memory_range(pmem->start, pmem->size, MMOP_ONLINE_MOVABLE)) {
			pr_err("dax_kmem: %s: and that failed too; disabled\n", pmem->name);
			pmem->mode = PMEM_MODE_DISABLED;
			pmem->error = ret;
		}
		return ret;
	}
	pmem->mode = PMEM_MODE_DEVDAX;
	report("dax_kmem", "\"device\":\"%s\",\"mode\":\"devdax\",\"base\":%llu,\"size\":%llu,\"node\":%d",
	       pmem->name, (unsigned long long)pmem->start, (unsigned long long)pmem->size, pmem->nid);
	return 0;
}
