/* SPDX-License-Identifier: MIT */
/*
 * DOC: tables.h - finding ACPI tables: RSDP, RSDT/XSDT, lookup by signature
 *
 * Discovery goes RSDP -> RSDT (32-bit entries, ACPI 1.0) or XSDT (64-bit,
 * revision >= 2 with a non-zero XSDT address) -> every table they name, plus
 * the DSDT and FACS that the FADT names. Each table is mapped, checked
 * (length, checksum) and recorded as a struct acpi_table_desc; a table that
 * fails a check is still listed (so `acpi` can show it) but marked invalid
 * and never handed to a parser.
 *
 * All access to physical memory goes through one hook, struct
 * acpi_phys_ops: the kernel's maps with early_memremap(), the host's looks
 * the address up among tables loaded from files. Mappings are short-lived:
 * map, read, unmap; nothing here keeps a pointer into firmware memory.
 */
#ifndef HOTMM_DRIVERS_ACPI_TABLES_H
#define HOTMM_DRIVERS_ACPI_TABLES_H

#include "drivers/acpi/acpi.h"
#include "drivers/acpi/table_override.h"
#include "arch/x86_64/page.h"

struct acpi_phys_ops {
	/* Map @len bytes at @phys for reading; NULL when that cannot be done. */
	const void *(*map)(void *ctx, phys_addr_t phys, size_t len);
	void (*unmap)(void *ctx, const void *virt, size_t len);
	void *ctx;
};

#define ACPI_RSDP_V1_SIZE	20
#define ACPI_RSDP_V2_SIZE	36
#define ACPI_MAX_TABLES		64

enum acpi_table_source {
	ACPI_TABLE_FIRMWARE,
	ACPI_TABLE_REPLACED,	/* an override took the firmware's table's place */
	ACPI_TABLE_ADDED,	/* an override the firmware had no table for */
};

struct acpi_table_desc {
	char signature[5];
	char oem_id[7];
	char oem_table_id[9];
	uint8_t revision;
	phys_addr_t address;
	uint32_t length;	/* the header's length field */
	bool checksum_ok;
	bool valid;		/* passed every check: safe to parse */
	uint8_t source;		/* enum acpi_table_source */
	char origin[ACPI_OVERRIDE_ORIGIN_LEN];	/* the override's module, "" from firmware */
};

struct acpi_tables {
	phys_addr_t rsdp_address;	/* 0 when the RSDP came as a copy */
	uint8_t rsdp_revision;
	char rsdp_oem_id[7];
	bool use_xsdt;
	struct acpi_table_desc root;	/* the RSDT or XSDT itself */
	unsigned int count;
	struct acpi_table_desc table[ACPI_MAX_TABLES];
	unsigned int replaced, added;	/* overrides in table[] */
};

/*
 * Check an RSDP held in @len bytes: signature "RSD PTR ", the ACPI 1.0
 * checksum over 20 bytes and, for revision >= 2, the length field and the
 * extended checksum. Returns 0 or -EINVAL after recording why.
 */
int acpi_rsdp_check(const void *rsdp, size_t len, struct acpi_problems *p);

/*
 * Find an RSDP in @len bytes at @buf (the EBDA's first KiB, the BIOS area
 * 0xE0000-0xFFFFF): on a 16-byte boundary with a good checksum. Returns its
 * offset, or -1.
 */
long acpi_rsdp_scan(const void *buf, size_t len);

/*
 * Discover every table from a checked copy of the RSDP. Fills @t; returns 0
 * when a root table was found and usable (individual tables may still be
 * invalid), -EINVAL otherwise. @rsdp_phys is only recorded.
 */
int acpi_tables_init(struct acpi_tables *t, const struct acpi_phys_ops *ops,
		     const void *rsdp, size_t rsdp_len, phys_addr_t rsdp_phys,
		     struct acpi_problems *p);

/*
 * acpi_tables_init(), then every override in @ov (may be NULL) takes the
 * place of the firmware's table of its signature (an SSDT: of its OEM table
 * ID), or is added. The FADT is replaced before the DSDT and FACS are read
 * from it, the DSDT after. An override that fails its checks at its address
 * is listed as invalid and the firmware's table is kept.
 */
int acpi_tables_init_override(struct acpi_tables *t, const struct acpi_phys_ops *ops,
			      const void *rsdp, size_t rsdp_len, phys_addr_t rsdp_phys,
			      const struct acpi_override_set *ov, struct acpi_problems *p);

/* The @instance'th (0 = first) valid table with signature @sig, or NULL. */
const struct acpi_table_desc *acpi_find_table(const struct acpi_tables *t,
					      const char *sig, unsigned int instance);

/* Map a table recorded in @t (its whole length); unmap with acpi_unmap_table. */
const void *acpi_map_table(const struct acpi_phys_ops *ops, const struct acpi_table_desc *d);
void acpi_unmap_table(const struct acpi_phys_ops *ops, const struct acpi_table_desc *d,
		      const void *virt);

#endif
