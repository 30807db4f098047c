/* SPDX-License-Identifier: MIT */
/*
 * DOC: madt.h - the MADT ("APIC"): CPUs, IOAPICs, interrupt overrides
 *
 * What SMP bring-up and interrupt routing need from the MADT, as plain data.
 * A CPU is listed with its APIC id whether enabled or not: a disabled entry
 * that is online-capable (MADT revision >= 5) may be hot-added later.
 */
#ifndef HOTMM_DRIVERS_ACPI_MADT_H
#define HOTMM_DRIVERS_ACPI_MADT_H

#include "drivers/acpi/acpi.h"

#define ACPI_MAX_CPUS		512	/* CPU entries kept (the X99 table has 192) */
#define ACPI_MAX_IOAPICS	32
#define ACPI_MAX_OVERRIDES	32

/* MADT entry types */
#define ACPI_MADT_LAPIC			0
#define ACPI_MADT_IOAPIC		1
#define ACPI_MADT_INT_OVERRIDE		2
#define ACPI_MADT_NMI_SOURCE		3
#define ACPI_MADT_LAPIC_NMI		4
#define ACPI_MADT_LAPIC_OVERRIDE	5
#define ACPI_MADT_X2APIC		9
#define ACPI_MADT_X2APIC_NMI		10

/* MPS INTI flags of an interrupt source override */
#define ACPI_MADT_POLARITY_MASK		0x3
#define ACPI_MADT_POLARITY_HIGH		0x1
#define ACPI_MADT_POLARITY_LOW		0x3
#define ACPI_MADT_TRIGGER_MASK		0xc
#define ACPI_MADT_TRIGGER_EDGE		0x4
#define ACPI_MADT_TRIGGER_LEVEL		0xc

struct acpi_madt_cpu {
	uint32_t apic_id;
	uint32_t uid;		/* ACPI processor UID */
	bool enabled;
	bool online_capable;	/* disabled now, may be brought online */
	bool x2apic;		/* from an x2APIC entry */
	uint16_t offset;	/* of the entry in the table, for messages */
};

struct acpi_madt_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct acpi_madt_override {
	uint8_t bus;
	uint8_t source_irq;
	uint32_t gsi;
	uint16_t flags;		/* ACPI_MADT_POLARITY_* | ACPI_MADT_TRIGGER_* */
};

struct acpi_madt_info {
	uint8_t revision;
	uint64_t lapic_address;		/* after any LAPIC address override */
	bool lapic_address_overridden;
	uint32_t flags;			/* bit 0: PC-AT compatible 8259s present */
	unsigned int nr_cpus;		/* entries kept in cpu[] */
	unsigned int nr_enabled;
	unsigned int nr_x2apic_entries;
	struct acpi_madt_cpu cpu[ACPI_MAX_CPUS];
	unsigned int nr_ioapics;
	struct acpi_madt_ioapic ioapic[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_madt_override override[ACPI_MAX_OVERRIDES];
	unsigned int nr_nmi;		/* LAPIC / x2APIC / source NMI entries, counted only */
	unsigned int nr_other;		/* entry types we do not use */
};

/*
 * Parse a MADT of @len bytes (length, checksum and every entry checked).
 * Returns 0 when @out is usable, -EINVAL when the header is bad (then @out
 * holds nothing). Bad entries are recorded in @p and skipped; a walk that
 * cannot go on (entry length 0 or overrunning the table) stops there.
 */
int acpi_parse_madt(const void *table, size_t len, struct acpi_madt_info *out,
		    struct acpi_problems *p);

/* The CPU with @apic_id, or NULL. */
const struct acpi_madt_cpu *acpi_madt_find_cpu(const struct acpi_madt_info *m, uint32_t apic_id);

/* Print the MADT view (shell `madt`, acpi-decode). */
void acpi_madt_show(const struct acpi_madt_info *m, acpi_print_fn pr);

#endif
