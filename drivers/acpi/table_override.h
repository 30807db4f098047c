/* SPDX-License-Identifier: MIT */
/*
 * DOC: table_override.h - ACPI tables from boot modules replace the firmware's
 *
 * As Linux's initrd table upgrade: a boot module is either a raw table (as
 * acpixtract writes them: srat.dat) or a cpio "newc" archive whose regular
 * files under kernel/firmware/acpi/ are tables. Each table found is checked
 * (header, known signature, length within the bytes there, checksum, and the
 * signature against a file name like "srat.dat") before it is accepted; the
 * accepted ones then replace the firmware's table of the same signature (an
 * SSDT: of the same OEM table ID) during discovery, before any parser runs,
 * or are added when the firmware has none (acpi_tables_init_override()).
 *
 * Invariants: a module is taken whole or not at all - one bad table or cpio
 * header refuses every table of that module, with a problem naming the
 * module, the byte offset in it and the field, and the firmware's tables
 * stay. An accepted override records the physical address of its bytes in
 * the module, which the kernel keeps reserved for good; discovery re-checks
 * them through the same mapping hook as the firmware's tables.
 */
#ifndef HOTMM_DRIVERS_ACPI_TABLE_OVERRIDE_H
#define HOTMM_DRIVERS_ACPI_TABLE_OVERRIDE_H

#include "drivers/acpi/acpi.h"
#include "arch/x86_64/page.h"

#define ACPI_OVERRIDE_MAX	16
#define ACPI_OVERRIDE_ORIGIN_LEN 48
#define ACPI_OVERRIDE_CPIO_DIR	"kernel/firmware/acpi/"	/* Linux's path in the archive */
#define CPIO_NEWC_HEADER_SIZE	110

struct acpi_override {
	char signature[5];
	char oem_table_id[9];
	phys_addr_t address;	/* of the table's bytes inside the module */
	uint32_t length;
	char origin[ACPI_OVERRIDE_ORIGIN_LEN];	/* "module 0 (srat.dat)" */
};

struct acpi_override_set {
	unsigned int count;
	unsigned int modules;	/* modules that gave tables */
	unsigned int refused;	/* modules refused whole */
	struct acpi_override ov[ACPI_OVERRIDE_MAX];
};

/*
 * Look at module @index (its string @string, may be "" or NULL), @len bytes
 * at @mod, loaded at physical @phys. Returns the number of tables taken into
 * @set (0 for a cpio archive without tables under ACPI_OVERRIDE_CPIO_DIR), or
 * -EINVAL with the reason in @p and @set unchanged.
 */
int acpi_override_parse_module(struct acpi_override_set *set, const void *mod, size_t len,
			       phys_addr_t phys, unsigned int index, const char *string,
			       struct acpi_problems *p);

/* True for a signature an override may carry (not the RSDT, XSDT or FACS). */
bool acpi_override_sig_known(const char *sig);

#endif
