/* SPDX-License-Identifier: MIT */
/*
 * DOC: efi.h - what the kernel reads of the EFI system table
 *
 * After a UEFI boot GRUB passes the physical address of the 64-bit
 * EFI_SYSTEM_TABLE (multiboot2 tag 12). hotmm calls no EFI service (GRUB
 * left boot services, and runtime services would need their own page
 * tables); it only reads the table, to say which firmware it runs on and
 * where the firmware's configuration tables (ACPI, SMBIOS) are. The pointers
 * in it are still physical: nobody called SetVirtualAddressMap().
 *
 * The parsers here take bytes and never follow a pointer; the kernel maps
 * each piece (table, vendor string, configuration table array) itself.
 */
#ifndef HOTMM_BOOT_EFI_H
#define HOTMM_BOOT_EFI_H

#include "lib/compiler.h"

#define EFI_SYSTEM_TABLE_SIGNATURE	0x5453595320494249ull	/* "IBI SYST" */
#define EFI_SYSTAB_SIZE			120	/* the 64-bit EFI_SYSTEM_TABLE */
#define EFI_CONFIG_TABLE_SIZE		24	/* EFI_GUID + VendorTable */
#define EFI_VENDOR_BYTES		128	/* of the CHAR16 vendor string read */
#define EFI_CONFIG_TABLES_MAX		128	/* configuration tables looked at */

struct efi_info {
	bool valid;			/* the system table passed its checks */
	uint32_t revision;		/* major << 16 | minor, e.g. 2.70 = 0x20046 */
	uint32_t fw_revision;
	uint64_t fw_vendor;		/* physical address of the CHAR16 string */
	char vendor[EFI_VENDOR_BYTES / 2 + 1];	/* as ASCII, '?' for the rest */
	uint64_t runtime_services;
	uint64_t nr_tables, tables;	/* the configuration table array */
	/* From the configuration tables, 0 if absent. */
	uint64_t acpi20, acpi, smbios, smbios3;
};

/*
 * Check the system table in st[0..len) and fill the fields it holds.
 * Returns 0, or -EINVAL with `err` naming the field (the table is then not
 * used; nothing else depends on it).
 */
int efi_parse_systab(const void *st, size_t len, struct efi_info *out, char *err, size_t errlen);

/* The CHAR16 string in ucs2[0..bytes) (NUL-terminated or not) into out. */
void efi_vendor_string(const void *ucs2, size_t bytes, char *out, size_t outlen);

/* Record the ACPI and SMBIOS entries of n configuration tables at `tables`. */
void efi_parse_config_tables(const void *tables, uint64_t n, struct efi_info *out);

/* "EFI v2.70 by EDK II" */
void efi_format_version(const struct efi_info *efi, char *buf, size_t len);

#endif
