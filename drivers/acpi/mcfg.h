/* SPDX-License-Identifier: MIT */
/*
 * DOC: mcfg.h - the MCFG: where PCI Express config space is memory-mapped
 *
 * Each allocation names a PCI segment, a bus range and the physical base of
 * its ECAM window. As in Linux, the base is the address bus 0 of the segment
 * would have: bus B, device D, function F, register R is at
 * base + (B << 20 | D << 15 | F << 12 | R), for start_bus <= B <= end_bus.
 */
#ifndef HOTMM_DRIVERS_ACPI_MCFG_H
#define HOTMM_DRIVERS_ACPI_MCFG_H

#include "drivers/acpi/acpi.h"

#define ACPI_MCFG_MAX_REGIONS	16

struct acpi_mcfg_region {
	uint64_t address;	/* ECAM base (as for bus 0), 1 MiB aligned */
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
};

struct acpi_mcfg_info {
	unsigned int count;
	struct acpi_mcfg_region region[ACPI_MCFG_MAX_REGIONS];
};

/*
 * Parse an MCFG of @len bytes: header, 8 reserved bytes, then 16-byte
 * allocations. An allocation with a zero or unaligned base or an inverted
 * bus range is skipped with an error naming it; the rest are kept.
 * Returns 0 when at least one allocation is usable, -EINVAL otherwise.
 */
int acpi_parse_mcfg(const void *table, size_t len, struct acpi_mcfg_info *out,
		    struct acpi_problems *p);

void acpi_mcfg_show(const struct acpi_mcfg_info *m, acpi_print_fn pr);

#endif
