/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi_boot.h - what the kernel learned from ACPI at boot
 *
 * Filled once by acpi_boot_init() (declared in drivers/acpi/acpi.h) and
 * read-only afterwards. Each getter returns NULL when the machine had no
 * such table or the table failed its checks; the problems found on the way
 * stay available for the `acpi` shell command.
 * NUMA queries (numa_node_of_apicid, node_distance, nr_node_ids,
 * node_online, numa_hotplug_ranges) live in arch/x86_64/numa.h.
 */
#ifndef HOTMM_DRIVERS_ACPI_ACPI_BOOT_H
#define HOTMM_DRIVERS_ACPI_ACPI_BOOT_H

#include "drivers/acpi/tables.h"
#include "drivers/acpi/madt.h"
#include "drivers/acpi/srat.h"
#include "drivers/acpi/slit.h"
#include "drivers/acpi/fadt.h"
#include "drivers/acpi/dsdt_scan.h"
#include "drivers/acpi/mcfg.h"
#include "drivers/acpi/nfit.h"

const struct acpi_override_set *acpi_get_overrides(void);
const struct acpi_tables *acpi_get_tables(void);	/* NULL: no RSDP found */
const struct acpi_madt_info *acpi_get_madt(void);
const struct acpi_srat_info *acpi_get_srat(void);
const struct acpi_slit_info *acpi_get_slit(void);
const struct acpi_fadt_info *acpi_get_fadt(void);
const struct acpi_nfit_info *acpi_get_nfit(void);	/* NULL: no usable NFIT (no NVDIMMs) */
const struct acpi_memhp_info *acpi_get_memhp(void);	/* ->present false: no controller */
const struct acpi_mcfg_info *acpi_get_mcfg(void);	/* NULL: no usable MCFG (pc) */
const struct acpi_problems *acpi_get_problems(void);
const struct acpi_phys_ops *acpi_kernel_phys_ops(void);
const void *acpi_get_rsdp(size_t *len);			/* the checked RSDP copy */

#endif
