/* SPDX-License-Identifier: MIT */
/*
 * DOC: nfit.h - the NFIT: where NVDIMMs' persistent memory sits, and on which domain
 *
 * The NVDIMM Firmware Interface Table (ACPI 6.x, 5.2.25) is a 4-byte reserved
 * field after the header and then structures, each opening with a 16-bit
 * type and a 16-bit length. What hotmm uses is the System Physical Address
 * (SPA) Range structure of the persistent-memory GUID: a physical range and
 * its proximity domain, which the pmem driver (drivers/nvdimm/) turns into
 * device memory. Every other structure (memory device to SPA map, interleave,
 * SMBIOS, control region, block data window, flush hint, platform
 * capabilities) is checked for its minimum length and skipped; an unknown
 * type is skipped by its length with a warning.
 *
 * Invariant: every range in the result passed every check (non-zero,
 * page-aligned, below 2^52, no overlap with another range, index unique);
 * a structure that fails one is left out with an error naming the offset
 * and the field, and the rest of the table is still read when the lengths
 * allow stepping over it.
 */
#ifndef HOTMM_DRIVERS_ACPI_NFIT_H
#define HOTMM_DRIVERS_ACPI_NFIT_H

#include "drivers/acpi/acpi.h"

#define ACPI_NFIT_HEADER_SIZE	40	/* table header + 4 reserved bytes */
#define ACPI_NFIT_MAX_SPA	32

enum acpi_nfit_type {
	ACPI_NFIT_TYPE_SPA		= 0,
	ACPI_NFIT_TYPE_MEMDEV		= 1,
	ACPI_NFIT_TYPE_INTERLEAVE	= 2,
	ACPI_NFIT_TYPE_SMBIOS		= 3,
	ACPI_NFIT_TYPE_CONTROL_REGION	= 4,
	ACPI_NFIT_TYPE_DATA_REGION	= 5,
	ACPI_NFIT_TYPE_FLUSH_ADDRESS	= 6,
	ACPI_NFIT_TYPE_CAPABILITIES	= 7,
	ACPI_NFIT_TYPE_COUNT
};

/* SPA range flags */
#define ACPI_NFIT_SPA_ADD_ONLINE_ONLY	0x1
#define ACPI_NFIT_SPA_PROXIMITY_VALID	0x2

enum acpi_nfit_spa_kind {
	ACPI_NFIT_SPA_PMEM,		/* persistent memory: what the pmem driver takes */
	ACPI_NFIT_SPA_VOLATILE,		/* volatile memory region */
	ACPI_NFIT_SPA_OTHER,		/* control regions, block windows, virtual disks: not memory */
};

struct acpi_nfit_spa {
	uint64_t base, length;
	uint32_t pxm;
	bool pxm_valid;
	uint16_t range_index;
	uint16_t flags;
	uint64_t attributes;	/* EFI memory attributes (UC, WB, ...) */
	enum acpi_nfit_spa_kind kind;
	uint16_t offset;	/* of the structure in the table */
};

struct acpi_nfit_info {
	uint8_t revision;
	unsigned int nr_spa;
	struct acpi_nfit_spa spa[ACPI_NFIT_MAX_SPA];
	unsigned int count[ACPI_NFIT_TYPE_COUNT];	/* structures seen, per type */
	unsigned int nr_unknown;			/* structures of unknown types skipped */
	unsigned int nr_refused;			/* structures left out after an error */
};

/*
 * Parse an NFIT of @len bytes. Returns 0 with @out filled (the SPA ranges
 * that passed), or -EINVAL when the header is unusable. Problems name
 * "NFIT+0xOFFSET: structure type: field: what".
 */
int acpi_parse_nfit(const void *table, size_t len, struct acpi_nfit_info *out,
		    struct acpi_problems *p);

const char *acpi_nfit_spa_kind_name(enum acpi_nfit_spa_kind kind);
void acpi_nfit_show(const struct acpi_nfit_info *n, acpi_print_fn pr);

#endif
