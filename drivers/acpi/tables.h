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

struct acpi_table_desc {
	char signature[5];
	char oem_id[7];
	char oem_table_id[9];
	uint8_t revision;
	phys_addr_t address;
	uint32_t length;	/* the header's length field */
	bool checksum_ok;
	bool valid;		/* passed every check: safe to parse */
};

struct acpi_tables {
	phys_addr_t rsdp_address;	/* 0 when the RSDP came as a copy */
	uint8_t rsdp_revision;
	char rsdp_oem_id[7];
	bool use_xsdt;
	struct acpi_table_desc root;	/* the RSDT or XSDT itself */
	unsigned int count;
	struct acpi_table_desc table[ACPI_MAX_TABLES];
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

/* The @instance'th (0 = first) valid table with signature @sig, or NULL. */
const struct acpi_table_desc *acpi_find_table(const struct acpi_tables *t,
					      const char *sig, unsigned int instance);

/* Map a table recorded in @t (its whole length); unmap with acpi_unmap_table. */
const void *acpi_map_table(const struct acpi_phys_ops *ops, const struct acpi_table_desc *d);
void acpi_unmap_table(const struct acpi_phys_ops *ops, const struct acpi_table_desc *d,
		      const void *virt);

#endif
