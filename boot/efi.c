// SPDX-License-Identifier: MIT
/*
 * DOC: efi.c - checking the EFI system table and reading its configuration tables
 *
 * Layout (UEFI spec 2.10, 4.3, 64-bit): a 24-byte EFI_TABLE_HEADER
 * {Signature u64, Revision u32, HeaderSize u32, CRC32 u32, Reserved u32},
 * then FirmwareVendor (pointer to CHAR16) at 24, FirmwareRevision at 32,
 * six console handles and protocols, RuntimeServices at 88, BootServices at
 * 96, NumberOfTableEntries at 104, ConfigurationTable at 112: 120 bytes.
 *
 * The signature must match and HeaderSize must cover those 120 bytes (later
 * revisions may add fields behind them). The CRC32 is not checked, as
 * Linux does not: firmware that updates the table in place (a console
 * handle) may leave it stale. Revisions below 1.0 are refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "boot/efi.h"
#include "lib/unaligned.h"

static int __printf(3, 4) systab_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!errlen)
		return -EINVAL;
	n = snprintf(err, errlen, "EFI system table: ");
	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int efi_parse_systab(const void *st, size_t len, struct efi_info *out, char *err, size_t errlen)
{
	const uint8_t *p = st;
	uint64_t sig;
	uint32_t hdr_size;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	if (len < EFI_SYSTAB_SIZE)
		return systab_error(err, errlen, "only %zu bytes, the 64-bit table has %u", len,
				    EFI_SYSTAB_SIZE);
	sig = get_unaligned_le64(p);
	if (sig != EFI_SYSTEM_TABLE_SIGNATURE)
		return systab_error(err, errlen, "Hdr.Signature 0x%016llx, expected 0x%016llx (\"IBI SYST\")",
				    (unsigned long long)sig, EFI_SYSTEM_TABLE_SIGNATURE);
	out->revision = get_unaligned_le32(p + 8);
	if (out->revision >> 16 < 1)
		return systab_error(err, errlen, "Hdr.Revision 0x%x: below 1.0", out->revision);
	hdr_size = get_unaligned_le32(p + 12);
	if (hdr_size < EFI_SYSTAB_SIZE)
		return systab_error(err, errlen, "Hdr.HeaderSize %u: smaller than the %u bytes of the table",
				    hdr_size, EFI_SYSTAB_SIZE);
	out->fw_vendor = get_unaligned_le64(p + 24);
	out->fw_revision = get_unaligned_le32(p + 32);
	out->runtime_services = get_unaligned_le64(p + 88);
	out->nr_tables = get_unaligned_le64(p + 104);
	out->tables = get_unaligned_le64(p + 112);
	if (out->nr_tables && !out->tables)
		return systab_error(err, errlen, "NumberOfTableEntries %llu with ConfigurationTable 0",
				    (unsigned long long)out->nr_tables);
	out->valid = true;
	return 0;
}

void efi_vendor_string(const void *ucs2, size_t bytes, char *out, size_t outlen)
{
	const uint8_t *p = ucs2;
	size_t i, n = 0;

	if (!outlen)
		return;
	for (i = 0; i + 1 < bytes && n + 1 < outlen; i += 2) {
		uint16_t c = (uint16_t)(p[i] | p[i + 1] << 8);

		if (!c)
			break;
		out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[n] = '\0';
}

/* EFI_GUID as it lies in memory: data1 u32, data2 u16, data3 u16 little-endian, data4[8]. */
#define GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)					\
	{ (a) & 0xff, (a) >> 8 & 0xff, (a) >> 16 & 0xff, (a) >> 24 & 0xff,		\
	  (b) & 0xff, (b) >> 8 & 0xff, (c) & 0xff, (c) >> 8 & 0xff,			\
	  d0, d1, d2, d3, d4, d5, d6, d7 }

void efi_parse_config_tables(const void *tables, uint64_t n, struct efi_info *out)
{
	static const struct {
		uint8_t guid[16];
		size_t field;
	} known[] = {
		{ GUID(0x8868e871, 0xe4f1, 0x11d3, 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81),
		  offsetof(struct efi_info, acpi20) },
		{ GUID(0xeb9d2d30, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d),
		  offsetof(struct efi_info, acpi) },
		{ GUID(0xeb9d2d31, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d),
		  offsetof(struct efi_info, smbios) },
		{ GUID(0xf2fd1544, 0x9794, 0x4a2c, 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94),
		  offsetof(struct efi_info, smbios3) },
	};
	const uint8_t *p = tables;
	uint64_t i;
	size_t k;

	for (i = 0; i < n && i < EFI_CONFIG_TABLES_MAX; i++, p += EFI_CONFIG_TABLE_SIZE) {
		for (k = 0; k < ARRAY_SIZE(known); k++) {
			uint64_t *field = (uint64_t *)((char *)out + known[k].field);

			/* The first entry of a GUID counts, as in Linux's efi_config_parse_tables(). */
			if (!memcmp(p, known[k].guid, 16) && !*field)
				*field = get_unaligned_le64(p + 16);
		}
	}
}

void efi_format_version(const struct efi_info *efi, char *buf, size_t len)
{
	unsigned int major = efi->revision >> 16, minor = efi->revision & 0xffff;

	/* Minor revisions count in tenths: 2.70 is 2.7, 2.31 is 2.3.1. */
	if (minor % 10)
		snprintf(buf, len, "EFI v%u.%u.%u by %s", major, minor / 10, minor % 10,
			 efi->vendor[0] ? efi->vendor : "?");
	else
		snprintf(buf, len, "EFI v%u.%u by %s", major, minor / 10,
			 efi->vendor[0] ? efi->vendor : "?");
}
