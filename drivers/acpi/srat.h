/* SPDX-License-Identifier: MIT */
/*
 * DOC: srat.h - the SRAT: which CPUs and which memory belong to which
 * proximity domain
 *
 * Plain data as the table says it, after the checks: enabled entries only
 * (QEMU pads the table with disabled, zero-length ones), proximity domains
 * as written (8 bits in revision 1, 32 bits from revision 2 on). Mapping
 * domains to node ids and deciding whether the whole is sane enough to use
 * is arch/x86_64/numa.c's job.
 */
#ifndef HOTMM_DRIVERS_ACPI_SRAT_H
#define HOTMM_DRIVERS_ACPI_SRAT_H

#include "drivers/acpi/acpi.h"
#include "drivers/acpi/madt.h"

#define ACPI_MAX_SRAT_MEMORY	256	/* memory affinity entries kept (X99: 33) */

#define ACPI_SRAT_CPU_AFFINITY		0
#define ACPI_SRAT_MEMORY_AFFINITY	1
#define ACPI_SRAT_X2APIC_AFFINITY	2

#define ACPI_SRAT_MEM_ENABLED		0x1
#define ACPI_SRAT_MEM_HOT_PLUGGABLE	0x2
#define ACPI_SRAT_MEM_NON_VOLATILE	0x4

/* Highest address x86-64 can ever have (MAXPHYADDR is at most 52). */
#define ACPI_SRAT_MAX_ADDR		(1ULL << 52)

struct acpi_srat_cpu {
	uint32_t apic_id;
	uint32_t pxm;
	bool x2apic;
	uint16_t offset;
};

struct acpi_srat_mem {
	uint64_t base;
	uint64_t length;
	uint32_t pxm;
	uint32_t flags;		/* ACPI_SRAT_MEM_* */
	uint16_t offset;
};

struct acpi_srat_info {
	uint8_t revision;
	unsigned int nr_cpus;
	struct acpi_srat_cpu cpu[ACPI_MAX_CPUS];
	unsigned int nr_mem;
	struct acpi_srat_mem mem[ACPI_MAX_SRAT_MEMORY];
	unsigned int nr_disabled;	/* disabled entries skipped (not problems) */
	unsigned int nr_other;		/* GICC, generic initiator, ...: not used on x86 here */
	/* Set when an error means the table must not be used to build nodes. */
	bool unusable;
};

/*
 * Parse a SRAT of @len bytes. Returns 0 with @out filled (check
 * out->unusable), or -EINVAL when the header is bad. Checks, each reported
 * with table offset and field: entry length 0 / short / overrunning, memory
 * ranges that wrap or end beyond 2^52, ranges not page-aligned, overlapping
 * memory ranges (same domain: warning, merged later; different domains:
 * error, the table is unusable, as Linux's numa_cleanup_meminfo decides),
 * duplicate CPU entries, and the stated limits.
 */
int acpi_parse_srat(const void *table, size_t len, struct acpi_srat_info *out,
		    struct acpi_problems *p);

void acpi_srat_show(const struct acpi_srat_info *s, acpi_print_fn pr);

#endif
