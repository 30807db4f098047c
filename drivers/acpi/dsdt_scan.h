/* SPDX-License-Identifier: MIT */
/*
 * DOC: dsdt_scan.h - find QEMU's memory-hotplug controller in the AML
 *
 * QEMU describes its ACPI memory-hotplug controller in the DSDT with
 *     OperationRegion (HPMR, SystemIO, 0x0A00, 0x18)
 *     Name (MDNR, <slots>)
 * (hw/acpi/memory_hotplug.c; only when the machine has slots=). We need
 * the I/O base, its length and the slot count, and nothing else from the
 * AML, so this is a bounded byte scan for those two objects, not an AML
 * interpreter.
 */
#ifndef HOTMM_DRIVERS_ACPI_DSDT_SCAN_H
#define HOTMM_DRIVERS_ACPI_DSDT_SCAN_H

#include "drivers/acpi/acpi.h"

#define ACPI_MEMHP_IO_LEN	0x18	/* QEMU's MEMORY_HOTPLUG_IO_LEN */
#define ACPI_MEMHP_MAX_SLOTS	256	/* QEMU's ACPI_MAX_RAM_SLOTS */

struct acpi_memhp_info {
	bool present;		/* HPMR found and usable */
	uint8_t space_id;	/* ACPI_ADR_SPACE_SYSTEM_IO on x86 */
	uint64_t base;
	uint64_t length;
	bool has_slots;		/* MDNR found */
	uint64_t slots;
};

/*
 * Scan one definition block (DSDT or SSDT) of @len bytes; results are
 * merged into @out (call it for the DSDT first, then each SSDT; zero @out
 * before the first call). @sig names the table in messages. Returns 0, or
 * -EINVAL when the table header is bad.
 */
int acpi_scan_memhp(const void *table, size_t len, const char *sig,
		    struct acpi_memhp_info *out, struct acpi_problems *p);

void acpi_memhp_show(const struct acpi_memhp_info *m, acpi_print_fn pr);

#endif
