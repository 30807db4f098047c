// SPDX-License-Identifier: MIT
/*
 * DOC: test_efi.c - host tests of boot/efi.c
 *
 * A 64-bit EFI_SYSTEM_TABLE laid out field by field as OVMF's (the values
 * hotmm read from it under QEMU), its vendor string and configuration
 * table array; then each field the checks look at, broken one at a time.
 * Buffers are heap copies of exactly the size handed over, for ASan.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot/efi.h"
#include "lib/unaligned.h"

static uint8_t st[EFI_SYSTAB_SIZE];
static struct efi_info efi;
static char err[200];

/* OVMF 2022.11 under QEMU: UEFI 2.70, 10 configuration tables. */
static void ovmf_systab(void)
{
	memset(st, 0, sizeof(st));
	put_unaligned_le64(EFI_SYSTEM_TABLE_SIGNATURE, st);
	put_unaligned_le32(2 << 16 | 70, st + 8);
	put_unaligned_le32(EFI_SYSTAB_SIZE, st + 12);
	put_unaligned_le32(0x12345678, st + 16);		/* CRC32: not checked */
	put_unaligned_le64(0x1f5eb118, st + 24);		/* FirmwareVendor */
	put_unaligned_le32(0x10000, st + 32);
	put_unaligned_le64(0x1f5eab98, st + 88);		/* RuntimeServices */
	put_unaligned_le64(10, st + 104);
	put_unaligned_le64(0x1f5eb798, st + 112);
}

static int parse_n(size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	int ret;

	memcpy(copy, st, n);
	ret = efi_parse_systab(copy, n, &efi, err, sizeof(err));
	free(copy);
	return ret;
}

static void expect_error(int ret, const char *what)
{
	assert_int_equal(ret, -EINVAL);
	if (!strstr(err, what))
		fail_msg("error \"%s\" does not contain \"%s\"", err, what);
	assert_false(efi.valid);
}

static void test_ovmf_systab(void **state)
{
	char line[128];

	ovmf_systab();
	assert_int_equal(parse_n(sizeof(st)), 0);
	assert_string_equal(err, "");
	assert_true(efi.valid);
	assert_int_equal(efi.revision, 0x20046);
	assert_int_equal(efi.fw_vendor, 0x1f5eb118);
	assert_int_equal(efi.fw_revision, 0x10000);
	assert_int_equal(efi.runtime_services, 0x1f5eab98);
	assert_int_equal(efi.nr_tables, 10);
	assert_int_equal(efi.tables, 0x1f5eb798);

	/* A later revision with a larger header reads the same. */
	put_unaligned_le32(2 << 16 | 100, st + 8);
	put_unaligned_le32(EFI_SYSTAB_SIZE + 16, st + 12);
	assert_int_equal(parse_n(sizeof(st)), 0);

	strcpy(efi.vendor, "EDK II");
	efi.revision = 2 << 16 | 70;
	efi_format_version(&efi, line, sizeof(line));
	assert_string_equal(line, "EFI v2.7 by EDK II");
	efi.revision = 2 << 16 | 31;
	efi_format_version(&efi, line, sizeof(line));
	assert_string_equal(line, "EFI v2.3.1 by EDK II");
	efi.vendor[0] = '\0';
	efi.revision = 1 << 16 | 10;
	efi_format_version(&efi, line, sizeof(line));
	assert_string_equal(line, "EFI v1.1 by ?");
}

static void test_bad_systab(void **state)
{
	ovmf_systab();
	expect_error(parse_n(EFI_SYSTAB_SIZE - 1), "EFI system table: only 119 bytes, the 64-bit table has 120");

	ovmf_systab();
	st[3] ^= 0x20;
	expect_error(parse_n(sizeof(st)), "Hdr.Signature 0x5453595300494249, expected 0x5453595320494249");

	ovmf_systab();
	put_unaligned_le32(0x90, st + 8);
	expect_error(parse_n(sizeof(st)), "Hdr.Revision 0x90: below 1.0");

	ovmf_systab();
	put_unaligned_le32(24, st + 12);	/* a header alone */
	expect_error(parse_n(sizeof(st)), "Hdr.HeaderSize 24: smaller than the 120 bytes of the table");

	ovmf_systab();
	put_unaligned_le64(0, st + 112);
	expect_error(parse_n(sizeof(st)), "NumberOfTableEntries 10 with ConfigurationTable 0");
	put_unaligned_le64(0, st + 104);
	assert_int_equal(parse_n(sizeof(st)), 0);	/* no tables at all is fine */
}

static void test_vendor_string(void **state)
{
	static const uint8_t edk2[] = { 'E', 0, 'D', 0, 'K', 0, ' ', 0, 'I', 0, 'I', 0, 0, 0, 'x', 0 };
	static const uint8_t odd[] = { 'A', 0, 0xe9, 0, 0x3b, 0x26, 'B', 0, 'C' };	/* no NUL, odd length */
	char out[8];

	efi_vendor_string(edk2, sizeof(edk2), out, sizeof(out));
	assert_string_equal(out, "EDK II");
	efi_vendor_string(odd, sizeof(odd), out, sizeof(out));
	assert_string_equal(out, "A??B");
	efi_vendor_string(edk2, sizeof(edk2), out, 4);
	assert_string_equal(out, "EDK");
	efi_vendor_string(edk2, 0, out, sizeof(out));
	assert_string_equal(out, "");
}

static void put_guid_entry(uint8_t *e, uint32_t a, uint16_t b, uint16_t c, const uint8_t d[8],
			   uint64_t table)
{
	put_unaligned_le32(a, e);
	memcpy(e + 4, &b, 2);
	memcpy(e + 6, &c, 2);
	memcpy(e + 8, d, 8);
	put_unaligned_le64(table, e + 16);
}

static void test_config_tables(void **state)
{
	static const uint8_t acpi_d[8] = { 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
	static const uint8_t acpi20_d[8] = { 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
	static const uint8_t smbios3_d[8] = { 0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 };
	static const uint8_t other_d[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t *t = calloc(6, EFI_CONFIG_TABLE_SIZE);

	put_guid_entry(t + 0 * 24, 0x12345678, 0x1, 0x2, other_d, 0x1000);
	put_guid_entry(t + 1 * 24, 0xeb9d2d30, 0x2d88, 0x11d3, acpi_d, 0x1f77d000);
	put_guid_entry(t + 2 * 24, 0x8868e871, 0xe4f1, 0x11d3, acpi20_d, 0x1f77d014);
	put_guid_entry(t + 3 * 24, 0xeb9d2d31, 0x2d88, 0x11d3, acpi_d, 0x1f520000);
	put_guid_entry(t + 4 * 24, 0x8868e871, 0xe4f1, 0x11d3, acpi20_d, 0xdead000);	/* second: ignored */
	put_guid_entry(t + 5 * 24, 0xf2fd1544, 0x9794, 0x4a2c, smbios3_d, 0x1f51f000);

	memset(&efi, 0, sizeof(efi));
	efi_parse_config_tables(t, 6, &efi);
	assert_int_equal(efi.acpi, 0x1f77d000);
	assert_int_equal(efi.acpi20, 0x1f77d014);
	assert_int_equal(efi.smbios, 0x1f520000);
	assert_int_equal(efi.smbios3, 0x1f51f000);

	/* Only the first n entries are looked at. */
	memset(&efi, 0, sizeof(efi));
	efi_parse_config_tables(t, 2, &efi);
	assert_int_equal(efi.acpi, 0x1f77d000);
	assert_int_equal(efi.acpi20, 0);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ovmf_systab),
		cmocka_unit_test(test_bad_systab),
		cmocka_unit_test(test_vendor_string),
		cmocka_unit_test(test_config_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
