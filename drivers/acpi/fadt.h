/* SPDX-License-Identifier: MIT */
/*
 * DOC: fadt.h - the FADT ("FACP"): fixed ACPI hardware registers
 *
 * What the ACPI event and memory-hotplug work needs: the PM1 event/control
 * blocks, the GPE0 block (QEMU signals a DIMM insert as GPE event 3), the
 * SCI interrupt, SMI_CMD/ACPI_ENABLE to switch the machine into ACPI mode,
 * and the DSDT address. Each block is an address space + address + length
 * in bytes; a 64-bit X_ block, where present and non-zero, overrides the
 * 32-bit one (as ACPICA does).
 */
#ifndef HOTMM_DRIVERS_ACPI_FADT_H
#define HOTMM_DRIVERS_ACPI_FADT_H

#include "drivers/acpi/acpi.h"

#define ACPI_FADT_V1_SIZE		116
#define ACPI_FADT_HW_REDUCED		(1u << 20)

struct acpi_fadt_block {
	uint8_t space_id;	/* ACPI_ADR_SPACE_SYSTEM_IO or _MEMORY */
	uint64_t address;	/* 0: not present */
	uint8_t length;		/* bytes */
};

struct acpi_fadt_info {
	uint8_t revision;
	uint32_t length;
	uint64_t facs;
	uint64_t dsdt;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	struct acpi_fadt_block pm1a_evt, pm1b_evt, pm1a_cnt, pm1b_cnt, pm_tmr, gpe0, gpe1;
	uint8_t gpe1_base;
	uint16_t iapc_boot_arch;
	uint32_t flags;
	bool hw_reduced;
};

/* Parse a FADT of @len bytes; 0, or -EINVAL with the reason in @p. */
int acpi_parse_fadt(const void *table, size_t len, struct acpi_fadt_info *out,
		    struct acpi_problems *p);

void acpi_fadt_show(const struct acpi_fadt_info *f, acpi_print_fn pr);

#endif
