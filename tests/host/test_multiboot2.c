// SPDX-License-Identifier: MIT
/*
 * DOC: test_multiboot2.c - host tests of boot/multiboot2.c
 *
 * Each case builds a boot information structure byte by byte, the way GRUB
 * lays it out, and checks what mb2_parse_buf() makes of it: the copied
 * fields for good input; -EINVAL and a message naming the offset and tag for
 * bad input. Buffers handed to the parser are heap copies of exactly the
 * stated size, so ASan catches any read past them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot/multiboot2.h"
#include "lib/unaligned.h"
#include "tests/host/host_stubs.h"

#define INFO_PHYS	0x10000ull	/* where "GRUB" put the info */

/* ---- building an info structure ---- */

struct mb2b {
	uint8_t buf[65536] __attribute__((aligned(8)));
	uint32_t off;
};

static struct mb2b b;
static struct boot_info bi;
static char err[256];

static void b_init(void)
{
	memset(&b, 0, sizeof(b));
	b.off = 8;
}

/* A tag of `size` bytes at the next 8-byte boundary; returns it. */
static uint8_t *b_tag(uint32_t type, uint32_t size)
{
	uint8_t *t = b.buf + b.off;

	put_unaligned_le32(type, t);
	put_unaligned_le32(size, t + 4);
	b.off += (size + 7) & ~7u;
	return t;
}

static uint32_t b_end(void)
{
	b_tag(MB2_TAG_END, 8);
	put_unaligned_le32(b.off, b.buf);
	return b.off;
}

static uint8_t *b_string(uint32_t type, const char *s)
{
	uint8_t *t = b_tag(type, 8 + strlen(s) + 1);

	memcpy(t + 8, s, strlen(s) + 1);
	return t;
}

struct ent {
	uint64_t addr, len;
	uint32_t type;
};

static uint8_t *b_mmap(const struct ent *e, int n, uint32_t entry_size, uint32_t version)
{
	uint8_t *t = b_tag(MB2_TAG_MMAP, 16 + n * entry_size);
	int i;

	put_unaligned_le32(entry_size, t + 8);
	put_unaligned_le32(version, t + 12);
	for (i = 0; i < n; i++) {
		put_unaligned_le64(e[i].addr, t + 16 + i * entry_size);
		put_unaligned_le64(e[i].len, t + 24 + i * entry_size);
		put_unaligned_le32(e[i].type, t + 32 + i * entry_size);
	}
	return t;
}

struct edesc {
	uint32_t type;
	uint64_t addr, pages, attr;
};

#define WB_ATTRS	(EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB)
#define RT_ATTRS	(EFI_MEMORY_RUNTIME | WB_ATTRS)

/* The EFI memory map tag with descriptors of desc_size bytes (48 from OVMF). */
static uint8_t *b_efi_mmap(const struct edesc *d, int n, uint32_t desc_size)
{
	uint8_t *t = b_tag(MB2_TAG_EFI_MMAP, 16 + n * desc_size);
	int i;

	put_unaligned_le32(desc_size, t + 8);
	put_unaligned_le32(1, t + 12);
	for (i = 0; i < n; i++) {
		uint8_t *e = t + 16 + i * desc_size;

		memset(e, 0xee, desc_size);	/* padding and fields hotmm does not read */
		put_unaligned_le32(d[i].type, e);
		put_unaligned_le32(0, e + 4);
		put_unaligned_le64(d[i].addr, e + 8);
		put_unaligned_le64(d[i].pages, e + 24);
		put_unaligned_le64(d[i].attr, e + 32);
	}
	return t;
}

/*
 * OVMF's map of a 512 MiB pc guest after GRUB's ExitBootServices(), shortened
 * (the boot-services code/data runs are fewer), from `mmap efi` under QEMU.
 */
static const struct edesc ovmf_map[] = {
	{ EFI_BOOT_SERVICES_CODE, 0x0, 1, WB_ATTRS },
	{ EFI_LOADER_DATA, 0x1000, 0x12, WB_ATTRS },
	{ EFI_CONVENTIONAL_MEMORY, 0x13000, 0x74, WB_ATTRS },
	{ EFI_BOOT_SERVICES_DATA, 0x87000, 1, WB_ATTRS },
	{ EFI_CONVENTIONAL_MEMORY, 0x88000, 0x18, WB_ATTRS },
	{ EFI_LOADER_DATA, 0x100000, 0x19b, WB_ATTRS },
	{ EFI_CONVENTIONAL_MEMORY, 0x29b000, 0x56b, WB_ATTRS },
	{ EFI_ACPI_MEMORY_NVS, 0x806000, 2, WB_ATTRS },
	{ EFI_CONVENTIONAL_MEMORY, 0x808000, 8, WB_ATTRS },
	{ EFI_ACPI_MEMORY_NVS, 0x810000, 0xf0, WB_ATTRS },
	{ EFI_BOOT_SERVICES_DATA, 0x900000, 0xc00, WB_ATTRS },
	{ EFI_CONVENTIONAL_MEMORY, 0x1500000, 0x1319f, WB_ATTRS },
	{ EFI_LOADER_CODE, 0x1469f000, 0x74ce, WB_ATTRS },
	{ EFI_BOOT_SERVICES_CODE, 0x1bb6d000, 0x2f1d, WB_ATTRS },
	{ EFI_RUNTIME_SERVICES_DATA, 0x1ea8a000, 0x102, RT_ATTRS },
	{ EFI_BOOT_SERVICES_DATA, 0x1eb8c000, 0x960, WB_ATTRS },
	{ EFI_RUNTIME_SERVICES_DATA, 0x1f4ec000, 0x100, RT_ATTRS },
	{ EFI_RUNTIME_SERVICES_CODE, 0x1f5ec000, 0x100, RT_ATTRS },
	{ EFI_RESERVED_TYPE, 0x1f6ec000, 0x80, WB_ATTRS },
	{ EFI_ACPI_RECLAIM_MEMORY, 0x1f76c000, 0x12, WB_ATTRS },
	{ EFI_ACPI_MEMORY_NVS, 0x1f77e000, 0x80, WB_ATTRS },
	{ EFI_BOOT_SERVICES_DATA, 0x1f7fe000, 0x602, WB_ATTRS },
	{ EFI_CONVENTIONAL_MEMORY, 0x1fe00000, 0x71, WB_ATTRS },
	{ EFI_BOOT_SERVICES_CODE, 0x1fe71000, 0x7b, WB_ATTRS },
	{ EFI_RUNTIME_SERVICES_DATA, 0x1feec000, 0x84, RT_ATTRS },
	{ EFI_ACPI_MEMORY_NVS, 0x1ff70000, 0x90, WB_ATTRS },
	{ EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, EFI_MEMORY_RUNTIME | EFI_MEMORY_UC },
};

/* What Linux's EFI boot makes of ovmf_map (and what `mmap` printed under QEMU). */
static const struct ent ovmf_e820[] = {
	{ 0x0, 0xa0000, 1 },
	{ 0x100000, 0x706000, 1 },
	{ 0x806000, 0x2000, 4 },
	{ 0x808000, 0x8000, 1 },
	{ 0x810000, 0xf0000, 4 },
	{ 0x900000, 0x1e18a000, 1 },
	{ 0x1ea8a000, 0x102000, 2 },
	{ 0x1eb8c000, 0x960000, 1 },
	{ 0x1f4ec000, 0x280000, 2 },
	{ 0x1f76c000, 0x12000, 3 },
	{ 0x1f77e000, 0x80000, 4 },
	{ 0x1f7fe000, 0x6ee000, 1 },
	{ 0x1feec000, 0x84000, 2 },
	{ 0x1ff70000, 0x90000, 4 },
	{ 0xffc00000, 0x400000, 2 },
};

/* GRUB's own e820-style tag on the same boot: runtime code became type 20. */
static const struct ent ovmf_grub_tag[] = {
	{ 0x0, 0xa0000, 1 },
	{ 0x100000, 0x706000, 1 },
	{ 0x1f5ec000, 0x100000, 20 },
};

static void expect_map(const struct ent *want, uint32_t n)
{
	uint32_t i;

	assert_int_equal(bi.nr_mmap, n);
	for (i = 0; i < n; i++) {
		if (bi.mmap[i].addr != want[i].addr || bi.mmap[i].len != want[i].len ||
		    bi.mmap[i].type != want[i].type)
			fail_msg("mmap[%u] = [0x%llx + 0x%llx] type %u, want [0x%llx + 0x%llx] type %u", i,
				 (unsigned long long)bi.mmap[i].addr, (unsigned long long)bi.mmap[i].len,
				 bi.mmap[i].type, (unsigned long long)want[i].addr,
				 (unsigned long long)want[i].len, want[i].type);
	}
}

/* A PC under QEMU with 512 MiB, as GRUB reports it. */
static const struct ent pc_map[] = {
	{ 0x0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x1fee0000, 1 },
	{ 0x1ffe0000, 0x20000, 2 },
	{ 0xfffc0000, 0x40000, 2 },
};

static const uint8_t rsdp_v1[20] = "RSD PTR \x42" "BOCHS \x00\x00\xe0\x0f\x00";
static uint32_t elf_tag_off, mmap_tag_off;

/* cmdline, loader name, meminfo, mmap, old RSDP, ELF sections, end. */
static uint32_t build_good(void)
{
	uint8_t *t;
	int i;

	b_init();
	b_string(MB2_TAG_CMDLINE, "/boot/hotmm.elf console=ttyS0 mem=300M");
	b_string(MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1");
	t = b_tag(MB2_TAG_BASIC_MEMINFO, 16);
	put_unaligned_le32(639, t + 8);
	put_unaligned_le32(523136, t + 12);
	mmap_tag_off = b.off;
	b_mmap(pc_map, ARRAY_SIZE(pc_map), 24, 0);
	t = b_tag(MB2_TAG_ACPI_OLD, 8 + 20);
	memcpy(t + 8, rsdp_v1, 20);
	elf_tag_off = b.off;
	t = b_tag(MB2_TAG_ELF_SECTIONS, 20 + 3 * 64);
	put_unaligned_le32(3, t + 8);
	put_unaligned_le32(64, t + 12);
	put_unaligned_le32(2, t + 16);
	for (i = 0; i < 3 * 64; i++)
		t[20 + i] = (uint8_t)i;
	return b_end();
}

/* Parse the first n bytes of b.buf from a heap copy of exactly n bytes. */
static int parse_n(size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, b.buf, n);
	ret = mb2_parse_buf(copy, n, INFO_PHYS, &bi, err, sizeof(err));
	free(copy);
	return ret;
}

static int parse(void)
{
	return parse_n(get_unaligned_le32(b.buf));
}

static bool bi_is_zero(void)
{
	static const struct boot_info zero;

	return !memcmp(&bi, &zero, sizeof(bi));
}

/* Fails with a message containing `what`, and leaves nothing half-parsed. */
static void expect_error(int ret, const char *what)
{
	assert_int_equal(ret, -EINVAL);
	if (!strstr(err, what))
		fail_msg("error \"%s\" does not contain \"%s\"", err, what);
	assert_true(bi_is_zero());
}

static int setup(void **state)
{
	host_log_clear();
	memset(err, 0, sizeof(err));
	return 0;
}

/* ---- good input ---- */

static void test_well_formed(void **state)
{
	uint32_t total = build_good();

	assert_int_equal(parse(), 0);
	assert_string_equal(err, "");
	assert_int_equal(bi.info_phys, INFO_PHYS);
	assert_int_equal(bi.total_size, total);
	assert_string_equal(bi.cmdline, "/boot/hotmm.elf console=ttyS0 mem=300M");
	assert_false(bi.cmdline_truncated);
	assert_string_equal(bi.loader_name, "GRUB 2.06-13+deb12u1");
	assert_true(bi.has_meminfo);
	assert_int_equal(bi.mem_lower_kb, 639);
	assert_int_equal(bi.mem_upper_kb, 523136);
	assert_int_equal(bi.nr_mmap, 6);
	assert_int_equal(bi.mmap[0].addr, 0);
	assert_int_equal(bi.mmap[0].len, 0x9fc00);
	assert_int_equal(bi.mmap[0].type, MB2_MEMORY_AVAILABLE);
	assert_int_equal(bi.mmap[3].addr, 0x100000);
	assert_int_equal(bi.mmap[3].len, 0x1fee0000);
	assert_int_equal(bi.mmap[5].addr, 0xfffc0000);
	assert_int_equal(bi.mmap[5].type, MB2_MEMORY_RESERVED);
	assert_int_equal(bi.rsdp_tag, MB2_TAG_ACPI_OLD);
	assert_int_equal(bi.rsdp_len, 20);
	assert_memory_equal(bi.rsdp, "RSD PTR ", 8);
	assert_memory_equal(bi.rsdp, rsdp_v1, 20);
	assert_int_equal(bi.elf_num, 3);
	assert_int_equal(bi.elf_entsize, 64);
	assert_int_equal(bi.elf_shndx, 2);
	assert_int_equal(bi.elf_shdrs_phys, INFO_PHYS + elf_tag_off + 20);
	assert_int_equal(bi.efi_mmap_phys, 0);
	assert_int_equal(bi.nr_modules, 0);
}

static void test_kernel_entry_parse(void **state)
{
	build_good();
	/* mb2_parse() trusts total_size for the length, as the kernel must. */
	assert_int_equal(mb2_parse(b.buf, INFO_PHYS, &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.nr_mmap, 6);
	put_unaligned_le32(MB2_INFO_MAX + 8, b.buf);
	expect_error(mb2_parse(b.buf, INFO_PHYS, &bi, err, sizeof(err)),
		     "multiboot2 info at 0x10000: total_size 1048584 larger than the 1048576 bytes hotmm accepts");
	expect_error(mb2_parse(b.buf + 4, INFO_PHYS, &bi, err, sizeof(err)), "not 8-byte aligned");
}

static void test_new_rsdp_preferred_over_old(void **state)
{
	uint8_t *t;

	b_init();
	t = b_tag(MB2_TAG_ACPI_NEW, 8 + 36);
	memcpy(t + 8, "RSD PTR ", 8);
	t[8 + 15] = 2;		/* revision */
	t[8 + 35] = 0x5a;	/* last byte of the 36 */
	t = b_tag(MB2_TAG_ACPI_OLD, 8 + 20);
	memcpy(t + 8, rsdp_v1, 20);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp_tag, MB2_TAG_ACPI_NEW);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp[15], 2);
	assert_int_equal(bi.rsdp[35], 0x5a);
}

static void test_efi_tags(void **state)
{
	uint32_t efi_off;
	uint8_t *t;

	b_init();
	t = b_tag(MB2_TAG_EFI64, 16);
	put_unaligned_le64(0x1f5eb018, t + 8);
	b_mmap(ovmf_grub_tag, ARRAY_SIZE(ovmf_grub_tag), 24, 0);
	efi_off = b.off;
	b_efi_mmap(ovmf_map, ARRAY_SIZE(ovmf_map), 48);
	t = b_tag(MB2_TAG_LOAD_BASE_ADDR, 12);
	put_unaligned_le32(0x200000, t + 8);
	b_end();
	assert_int_equal(parse(), 0);
	assert_true(mb2_booted_uefi(&bi));
	assert_int_equal(bi.efi_system_table, 0x1f5eb018);
	assert_int_equal(bi.efi_mmap_phys, INFO_PHYS + efi_off + 16);
	assert_int_equal(bi.efi_desc_size, 48);
	assert_int_equal(bi.efi_desc_version, 1);
	assert_int_equal(bi.efi_nr_desc, ARRAY_SIZE(ovmf_map));
	assert_true(bi.has_load_base);
	assert_int_equal(bi.load_base_addr, 0x200000);
	assert_int_equal(bi.rsdp_len, 0);
	/* The EFI map wins over GRUB's tag, which is kept as given. */
	assert_int_equal(bi.mmap_source, MB2_MMAP_EFI);
	expect_map(ovmf_e820, ARRAY_SIZE(ovmf_e820));
	assert_int_equal(bi.nr_e820_tag, ARRAY_SIZE(ovmf_grub_tag));
	assert_int_equal(bi.e820_tag[2].type, 20);

	/* Tag order does not matter: the EFI map first, GRUB's tag after. */
	b_init();
	b_efi_mmap(ovmf_map, ARRAY_SIZE(ovmf_map), 48);
	b_mmap(ovmf_grub_tag, ARRAY_SIZE(ovmf_grub_tag), 24, 0);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.mmap_source, MB2_MMAP_EFI);
	expect_map(ovmf_e820, ARRAY_SIZE(ovmf_e820));

	/* BIOS boot: GRUB's tag is the map; nothing says UEFI. */
	build_good();
	assert_int_equal(parse(), 0);
	assert_false(mb2_booted_uefi(&bi));
	assert_int_equal(bi.mmap_source, MB2_MMAP_E820_TAG);
	expect_map(pc_map, ARRAY_SIZE(pc_map));
}

static void test_moved(void **state)
{
	uint32_t efi_off;

	/* The kernel copies the information out of the AP trampoline's way: addresses follow. */
	build_good();
	efi_off = b.off - 8;		/* over the end tag */
	b.off = efi_off;
	b_efi_mmap(ovmf_map, 2, 48);
	b_end();
	assert_int_equal(parse(), 0);
	mb2_moved(&bi, 0x1fee0000);
	assert_int_equal(bi.info_phys, 0x1fee0000);
	assert_int_equal(bi.elf_shdrs_phys, 0x1fee0000 + elf_tag_off + 20);
	assert_int_equal(bi.efi_mmap_phys, 0x1fee0000 + efi_off + 16);
	mb2_moved(&bi, 0x1000);		/* down works as well */
	assert_int_equal(bi.elf_shdrs_phys, 0x1000 + elf_tag_off + 20);
	assert_int_equal(bi.efi_mmap_phys, 0x1000 + efi_off + 16);

	/* What was not there stays absent. */
	b_init();
	b_string(MB2_TAG_CMDLINE, "x");
	b_end();
	assert_int_equal(parse(), 0);
	mb2_moved(&bi, 0x200000);
	assert_int_equal(bi.elf_shdrs_phys, 0);
	assert_int_equal(bi.efi_mmap_phys, 0);
}

static void test_efi_type_mapping(void **state)
{
	static const struct { uint32_t type; uint32_t wb, no_wb; } want[] = {
		{ EFI_RESERVED_TYPE, 2, 2 },
		{ EFI_LOADER_CODE, 1, 2 }, { EFI_LOADER_DATA, 1, 2 },
		{ EFI_BOOT_SERVICES_CODE, 1, 2 }, { EFI_BOOT_SERVICES_DATA, 1, 2 },
		{ EFI_RUNTIME_SERVICES_CODE, 2, 2 }, { EFI_RUNTIME_SERVICES_DATA, 2, 2 },
		{ EFI_CONVENTIONAL_MEMORY, 1, 2 },
		{ EFI_UNUSABLE_MEMORY, 5, 5 },
		{ EFI_ACPI_RECLAIM_MEMORY, 3, 3 }, { EFI_ACPI_MEMORY_NVS, 4, 4 },
		{ EFI_MEMORY_MAPPED_IO, 2, 2 }, { EFI_MEMORY_MAPPED_IO_PORT_SPACE, 2, 2 },
		{ EFI_PAL_CODE, 2, 2 },
		{ EFI_PERSISTENT_MEMORY, 7, 7 },
		{ EFI_UNACCEPTED_MEMORY, 2, 2 },
		{ 0x70000000, 2, 2 }, { 0x80000000, 2, 2 },	/* OEM, OS loader */
	};
	struct edesc d[2 * ARRAY_SIZE(want)];
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(mb2_efi_to_e820_type(want[i].type, WB_ATTRS), want[i].wb);
		assert_int_equal(mb2_efi_to_e820_type(want[i].type, EFI_MEMORY_UC), want[i].no_wb);
		/* Soft-reserved RAM is for a driver, never the page allocator. */
		if (want[i].wb == MB2_MEMORY_AVAILABLE)
			assert_int_equal(mb2_efi_to_e820_type(want[i].type, WB_ATTRS | EFI_MEMORY_SP),
					 MB2_MEMORY_RESERVED);
		/* 1 MiB apart, so that nothing merges. */
		d[2 * i] = (struct edesc){ want[i].type, (2ull * i) << 20, 16, WB_ATTRS };
		d[2 * i + 1] = (struct edesc){ want[i].type, (2ull * i + 1) << 20, 16, EFI_MEMORY_UC };
	}
	assert_string_equal(mb2_efi_memory_type_name(EFI_BOOT_SERVICES_DATA), "Boot Data");
	assert_string_equal(mb2_efi_memory_type_name(EFI_UNACCEPTED_MEMORY), "Unaccepted");
	assert_string_equal(mb2_efi_memory_type_name(0x80000000), "OEM/OS type");

	/* The same through the parser. */
	b_init();
	b_efi_mmap(d, ARRAY_SIZE(d), 48);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mmap, ARRAY_SIZE(d));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(bi.mmap[2 * i].type, want[i].wb);
		assert_int_equal(bi.mmap[2 * i + 1].type, want[i].no_wb);
		assert_int_equal(bi.mmap[2 * i].len, 16 << 12);
	}
}

static void test_efi_mmap_sorted_and_merged(void **state)
{
	/* Out of order, a descriptor of no pages, descriptors larger than 48 bytes. */
	static const struct edesc d[] = {
		{ EFI_CONVENTIONAL_MEMORY, 0x300000, 0x100, WB_ATTRS },
		{ EFI_BOOT_SERVICES_DATA, 0x100000, 0x100, WB_ATTRS },
		{ EFI_ACPI_RECLAIM_MEMORY, 0x500000, 0x10, WB_ATTRS },
		{ EFI_LOADER_DATA, 0x200000, 0x100, WB_ATTRS },	/* joins both neighbours */
		{ EFI_RESERVED_TYPE, 0x700000, 0, 0 },		/* describes nothing */
		{ EFI_RUNTIME_SERVICES_CODE, 0x400000, 0x100, RT_ATTRS },
		{ EFI_CONVENTIONAL_MEMORY, 0x0, 0x9f, WB_ATTRS },
		{ EFI_CONVENTIONAL_MEMORY, 0x510000, 0x10, WB_ATTRS },
		{ EFI_CONVENTIONAL_MEMORY, 0xfffffffffff00000ull, 0xff, WB_ATTRS },	/* up to 2^64 - 4K */
	};
	static const struct ent want[] = {
		{ 0x0, 0x9f000, 1 }, { 0x100000, 0x300000, 1 }, { 0x400000, 0x100000, 2 },
		{ 0x500000, 0x10000, 3 }, { 0x510000, 0x10000, 1 },
		{ 0xfffffffffff00000ull, 0xff000, 1 },
	};

	b_init();
	b_efi_mmap(d, ARRAY_SIZE(d), 56);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.efi_desc_size, 56);
	assert_int_equal(bi.efi_nr_desc, ARRAY_SIZE(d));
	expect_map(want, ARRAY_SIZE(want));
}

static void test_efi_mmap_many_descriptors(void **state)
{
	/* OVMF's boot-services code/data alternate by the hundred; they merge into one range. */
	static struct edesc d[600];
	static struct ent e[MB2_MMAP_MAX + 1];
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(d); i++)
		d[i] = (struct edesc){ i % 2 ? EFI_BOOT_SERVICES_CODE : EFI_BOOT_SERVICES_DATA,
				       0x100000 + i * 0x3000ull, 3, WB_ATTRS };
	for (i = 0; i <= MB2_MMAP_MAX; i++)
		e[i] = (struct ent){ (uint64_t)i << 20, 1 << 20, 1 + i % 5 };
	b_init();
	/* GRUB's tag too long to use does not matter when the EFI map wins. */
	b_mmap(e, MB2_MMAP_MAX + 1, 24, 0);
	b_efi_mmap(d, ARRAY_SIZE(d), 48);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mmap, 1);
	assert_int_equal(bi.mmap[0].addr, 0x100000);
	assert_int_equal(bi.mmap[0].len, 600 * 0x3000);
	assert_int_equal(bi.nr_e820_tag, MB2_MMAP_MAX);
}

static void test_new_rsdp_only(void **state)
{
	uint8_t *t;

	b_init();
	t = b_tag(MB2_TAG_ACPI_NEW, 8 + 36);
	memcpy(t + 8, "RSD PTR ", 8);
	t[8 + 15] = 2;
	put_unaligned_le64(0x1f77c0e8, t + 8 + 24);		/* XsdtAddress */
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp_tag, MB2_TAG_ACPI_NEW);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(get_unaligned_le32(bi.rsdp + 24), 0x1f77c0e8);

	/* A new-RSDP tag too short for an ACPI 2.0 RSDP. */
	b_init();
	t = b_tag(MB2_TAG_ACPI_NEW, 8 + 20);
	memcpy(t + 8, rsdp_v1, 20);
	b_end();
	expect_error(parse(), "tag at offset 0x8 (type 15, ACPI new RSDP): size 28 smaller than the 44 this tag needs");
}

static void log_line(const char *line)
{
	size_t n = strlen(line);

	assert_true(host_log_len + n < sizeof(host_log));
	memcpy(host_log + host_log_len, line, n + 1);
	host_log_len += n;
}

static void test_print_efi_mmap(void **state)
{
	static const struct edesc d[] = {
		{ EFI_BOOT_SERVICES_DATA, 0x900000, 0xc00, WB_ATTRS },
		{ EFI_RUNTIME_SERVICES_CODE, 0x1f5ec000, 0x100, RT_ATTRS | EFI_MEMORY_XP },
		{ EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, EFI_MEMORY_RUNTIME | EFI_MEMORY_UC },
	};
	uint8_t *t;

	b_init();
	t = b_efi_mmap(d, ARRAY_SIZE(d), 48);
	b_end();
	assert_int_equal(parse(), 0);
	host_log_clear();
	mb2_format_efi_mmap(&bi, t + 16, log_line);
	assert_true(host_log_contains("efi: mem00: [Boot Data   |WB|WT|WC|UC] range=[0x0000000000900000-0x00000000014fffff] (12288 KiB) -> usable\n"));
	assert_true(host_log_contains("efi: mem01: [Runtime Code|RUN|XP|WB|WT|WC|UC] range=[0x000000001f5ec000-0x000000001f6ebfff] (1024 KiB) -> reserved\n"));
	assert_true(host_log_contains("efi: mem02: [MMIO        |RUN|UC] range=[0x00000000ffc00000-0x00000000ffffffff] (4096 KiB) -> reserved\n"));
	host_log_clear();
	mb2_print_mmap(&bi);
	assert_true(host_log_contains("BIOS-e820: [mem 0x0000000000900000-0x00000000014fffff] usable\n"));
}

static void test_unused_tags_skipped(void **state)
{
	uint8_t *t;

	b_init();
	t = b_tag(MB2_TAG_FRAMEBUFFER, 32);
	put_unaligned_le64(0xfd000000, t + 8);
	b_tag(MB2_TAG_BOOTDEV, 20);
	b_tag(MB2_TAG_SMBIOS, 16 + 31);
	b_tag(99, 8);			/* a type from the future */
	b_tag(1000, 13);
	b_string(MB2_TAG_CMDLINE, "");
	b_end();
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "");
}

static void test_modules_recorded(void **state)
{
	uint8_t *t;
	int i;

	b_init();
	t = b_tag(MB2_TAG_MODULE, 16 + 7);
	put_unaligned_le32(0x400000, t + 8);
	put_unaligned_le32(0x480000, t + 12);
	memcpy(t + 16, "initrd", 7);	/* the string follows mod_start, mod_end */
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_modules, 1);
	assert_int_equal(bi.modules[0].start, 0x400000);
	assert_int_equal(bi.modules[0].end, 0x480000);
	assert_string_equal(bi.modules[0].string, "initrd");

	/* A string longer than MB2_MODULE_STRING_MAX is cut: it only names the module. */
	b_init();
	t = b_tag(MB2_TAG_MODULE, 16 + 100);
	put_unaligned_le32(0x400000, t + 8);
	put_unaligned_le32(0x400100, t + 12);
	memset(t + 16, 'a', 99);
	t[16 + 99] = '\0';
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(strlen(bi.modules[0].string), MB2_MODULE_STRING_MAX - 1);

	/* One more than the limit. */
	b_init();
	for (i = 0; i <= MB2_MODULES_MAX; i++) {
		t = b_tag(MB2_TAG_MODULE, 17);
		put_unaligned_le32(0x1000 * i, t + 8);
		put_unaligned_le32(0x1000 * i + 0x1000, t + 12);
	}
	b_end();
	/* Module tags of 17 bytes take 24: the ninth is at 8 + 8 * 24 = 0xc8. */
	expect_error(parse(), "tag at offset 0xc8 (type 3, module): more than the 8 modules hotmm keeps");
}

static void test_mmap_future_entry_size(void **state)
{
	const struct ent e[] = { { 0x1000, 0x9e000, 1 }, { 0x100000, 0x7ff00000, 1 } };

	/* A later entry_version with 32-byte entries reads the same first 24 bytes. */
	b_init();
	b_mmap(e, 2, 32, 1);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mmap, 2);
	assert_int_equal(bi.mmap_entry_version, 1);
	assert_int_equal(bi.mmap[1].addr, 0x100000);
	assert_int_equal(bi.mmap[1].len, 0x7ff00000);
	assert_int_equal(bi.mmap[1].type, 1);
}

static void test_mmap_at_limit(void **state)
{
	static struct ent e[MB2_MMAP_MAX + 1];
	int i;

	for (i = 0; i <= MB2_MMAP_MAX; i++)
		e[i] = (struct ent){ (uint64_t)i << 20, 1 << 20, 1 + i % 5 };
	b_init();
	b_mmap(e, MB2_MMAP_MAX, 24, 0);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mmap, MB2_MMAP_MAX);
	assert_int_equal(bi.mmap[MB2_MMAP_MAX - 1].addr, (uint64_t)(MB2_MMAP_MAX - 1) << 20);

	b_init();
	b_mmap(e, MB2_MMAP_MAX + 1, 24, 0);
	b_end();
	expect_error(parse(), "tag at offset 0x8 (type 6, memory map): 129 entries, more than the 128 hotmm keeps");
}

static void test_cmdline_truncated(void **state)
{
	static char longline[3001];

	memset(longline, 'x', 3000);
	b_init();
	b_string(MB2_TAG_CMDLINE, longline);
	b_end();
	assert_int_equal(parse(), 0);
	assert_true(bi.cmdline_truncated);
	assert_int_equal(strlen(bi.cmdline), MB2_CMDLINE_MAX - 1);
	assert_true(host_log_contains("multiboot2: command line longer than 2047 bytes; only the first 2047 are used"));

	/* A long loader name is cut and flagged too. */
	b_init();
	b_string(MB2_TAG_LOADER_NAME, longline + 2900);
	b_end();
	assert_int_equal(parse(), 0);
	assert_true(bi.loader_name_truncated);
	assert_int_equal(strlen(bi.loader_name), MB2_LOADER_NAME_MAX - 1);
}

static void test_print_mmap(void **state)
{
	const struct ent e[] = {
		{ 0x0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0x7ffe0000, 0x10000, 3 },
		{ 0x7fff0000, 0x10000, 4 }, { 0x80000000, 0x1000, 5 }, { 0x100000000, 0x40000000, 7 },
		{ 0x140000000, 0x1000, 20 }, { 0x150000000, 0, 1 },
	};

	b_init();
	b_mmap(e, ARRAY_SIZE(e), 24, 0);
	b_end();
	assert_int_equal(parse(), 0);
	mb2_print_mmap(&bi);
	assert_true(host_log_contains("BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n"));
	assert_true(host_log_contains("BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\n"));
	assert_true(host_log_contains("BIOS-e820: [mem 0x000000007ffe0000-0x000000007ffeffff] ACPI data\n"));
	assert_true(host_log_contains("BIOS-e820: [mem 0x000000007fff0000-0x000000007fffffff] ACPI NVS\n"));
	assert_true(host_log_contains("BIOS-e820: [mem 0x0000000080000000-0x0000000080000fff] unusable\n"));
	assert_true(host_log_contains("BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] persistent (type 7)\n"));
	assert_true(host_log_contains("BIOS-e820: [mem 0x0000000140000000-0x0000000140000fff] type 20\n"));
	assert_false(host_log_contains("0x0000000150000000"));	/* empty entry */
}

/* ---- bad input: the information as a whole ---- */

static void test_header_truncated(void **state)
{
	build_good();
	expect_error(parse_n(0), "multiboot2 info at 0x10000: only 0 bytes, not even the 8-byte header");
	expect_error(parse_n(7), "only 7 bytes");
}

static void test_total_size_too_small(void **state)
{
	b_init();
	b_end();
	put_unaligned_le32(8, b.buf);
	expect_error(parse_n(16), "total_size 8 smaller than a header and an end tag (16)");
	put_unaligned_le32(16, b.buf);
	assert_int_equal(parse_n(16), 0);	/* the smallest valid info */
}

static void test_total_size_beyond_buffer(void **state)
{
	uint32_t total = build_good();

	expect_error(parse_n(total - 8), "larger than the");
	put_unaligned_le32(4096, b.buf);
	expect_error(parse_n(total), "total_size 4096 larger than the");
}

static void test_misaligned(void **state)
{
	uint8_t *copy;
	uint32_t total = build_good();

	copy = malloc(total + 4);
	memcpy(copy + 4, b.buf, total);
	expect_error(mb2_parse_buf(copy + 4, total, INFO_PHYS, &bi, err, sizeof(err)),
		     "not 8-byte aligned");
	free(copy);
	expect_error(mb2_parse_buf(b.buf, total, INFO_PHYS + 4, &bi, err, sizeof(err)),
		     "multiboot2 info at 0x10004: not 8-byte aligned");
}

static void test_missing_end_tag(void **state)
{
	b_init();
	b_string(MB2_TAG_CMDLINE, "quiet");
	put_unaligned_le32(b.off, b.buf);		/* total_size ends after the cmdline */
	expect_error(parse(), "no end tag (type 0) within total_size 24");
}

static void test_end_tag_wrong_size_or_not_last(void **state)
{
	uint8_t *t;

	b_init();
	t = b_tag(MB2_TAG_END, 16);
	put_unaligned_le32(b.off, b.buf);
	expect_error(parse(), "tag at offset 0x8 (type 0, end): end tag of size 16, must be 8");
	(void)t;

	b_init();
	b_tag(MB2_TAG_END, 8);
	b_tag(MB2_TAG_CMDLINE, 9);
	put_unaligned_le32(b.off, b.buf);
	expect_error(parse(), "tag at offset 0x8 (type 0, end): end tag is not the last: total_size is 32");
}

/* ---- bad input: one tag ---- */

static void test_tag_size_below_header(void **state)
{
	b_init();
	b_string(MB2_TAG_CMDLINE, "a");
	b_tag(MB2_TAG_BOOTDEV, 4);		/* declares 4: smaller than its own header */
	b.off = 8 + 16 + 8;
	b_end();
	expect_error(parse(), "tag at offset 0x18 (type 5, BIOS boot device): size 4 smaller than the tag header (8)");
	put_unaligned_le32(0, b.buf + 0x18 + 4);		/* size 0 must not loop forever */
	expect_error(parse(), "size 0 smaller than the tag header");
}

static void test_tag_overruns_total_size(void **state)
{
	uint32_t total = build_good();

	/* The ELF tag claims 64 bytes more than there are. */
	put_unaligned_le32(20 + 3 * 64 + 64, b.buf + elf_tag_off + 4);
	expect_error(parse(), "runs past total_size");
	assert_non_null(strstr(err, "(type 9, ELF sections)"));
	/* A huge size must not wrap the offset arithmetic. */
	put_unaligned_le32(0xfffffff8, b.buf + elf_tag_off + 4);
	expect_error(parse(), "size 4294967288 runs past total_size");
	(void)total;
}

static void test_tag_below_type_minimum(void **state)
{
	uint8_t *t;

	b_init();
	t = b_tag(MB2_TAG_MMAP, 12);	/* the spec's header alone is 16 */
	(void)t;
	b_end();
	expect_error(parse(), "tag at offset 0x8 (type 6, memory map): size 12 smaller than the 16 this tag needs");

	b_init();
	b_tag(MB2_TAG_ACPI_OLD, 8 + 19);
	b_end();
	expect_error(parse(), "(type 14, ACPI old RSDP): size 27 smaller than the 28");

	b_init();
	b_tag(MB2_TAG_ACPI_NEW, 8 + 20);
	b_end();
	expect_error(parse(), "(type 15, ACPI new RSDP): size 28 smaller than the 44");

	b_init();
	b_tag(MB2_TAG_CMDLINE, 8);	/* no room for even the NUL */
	b_end();
	expect_error(parse(), "(type 1, command line): size 8 smaller than the 9");
}

static void test_bad_mmap_entry_size(void **state)
{
	uint8_t *t;

	b_init();
	t = b_mmap(pc_map, 2, 24, 0);
	put_unaligned_le32(20, t + 8);
	b_end();
	expect_error(parse(), "tag at offset 0x8 (type 6, memory map): entry_size 20: must be at least 24 and a multiple of 8");

	put_unaligned_le32(28, t + 8);
	expect_error(parse(), "entry_size 28");

	put_unaligned_le32(0, t + 8);		/* no division by zero */
	expect_error(parse(), "entry_size 0");

	/* 48 bytes of 32-byte entries do not divide. */
	put_unaligned_le32(32, t + 8);
	expect_error(parse(), "48 bytes of entries is not a whole number of 32-byte entries");
}

static void test_mmap_entry_wraps(void **state)
{
	const struct ent e[] = { { 0x100000, 0x1000, 1 }, { 0xfffffffffffff000ull, 0x2000, 2 } };

	b_init();
	b_mmap(e, 2, 24, 0);
	b_end();
	expect_error(parse(), "entry 1 [0xfffffffffffff000 + 0x2000] runs past the end of the address space");

	/* Ending exactly at the top is fine. */
	put_unaligned_le64(0x1000, b.buf + 8 + 16 + 24 + 8);
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mmap, 2);
}

static void test_unterminated_string(void **state)
{
	uint8_t *t;

	b_init();
	b_string(MB2_TAG_LOADER_NAME, "GRUB");
	t = b_tag(MB2_TAG_CMDLINE, 8 + 5);
	memcpy(t + 8, "quiet", 5);	/* no NUL; the padding after it is not the tag's */
	b_end();
	expect_error(parse(), "tag at offset 0x18 (type 1, command line): string not NUL-terminated within its 5 bytes");

	b_init();
	t = b_tag(MB2_TAG_MODULE, 16 + 3);
	memcpy(t + 16, "abc", 3);
	b_end();
	expect_error(parse(), "(type 3, module): string not NUL-terminated within its 3 bytes");
}

static void test_bad_elf_sections(void **state)
{
	build_good();
	put_unaligned_le32(40, b.buf + elf_tag_off + 12);	/* ELF32-sized headers */
	expect_error(parse(), "(type 9, ELF sections): entsize 40 smaller than an ELF64 section header (64)");

	build_good();
	put_unaligned_le32(4, b.buf + elf_tag_off + 8);	/* one header more than the tag holds */
	expect_error(parse(), "4 headers of 64 bytes overrun the tag's 192 bytes");

	build_good();
	put_unaligned_le32(0x4000001, b.buf + elf_tag_off + 8);	/* num * entsize overflows 32 bits */
	expect_error(parse(), "overrun the tag's");

	build_good();
	put_unaligned_le32(3, b.buf + elf_tag_off + 16);
	expect_error(parse(), "string table index 3 not below the 3 sections");
}

static void test_bad_efi_mmap(void **state)
{
	static const struct edesc two[] = {
		{ EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB_ATTRS },
		{ EFI_BOOT_SERVICES_DATA, 0x1ff000, 2, WB_ATTRS },
	};
	static struct edesc many[MB2_MMAP_MAX + 1];
	struct edesc d[2];
	uint8_t *t;
	uint32_t i;

	b_init();
	t = b_tag(MB2_TAG_EFI_MMAP, 16 + 48);
	put_unaligned_le32(0, t + 8);
	b_end();
	expect_error(parse(), "(type 17, EFI memory map): descriptor size 0 smaller than EFI_MEMORY_DESCRIPTOR (40)");

	b_init();
	t = b_efi_mmap(two, 1, 48);
	put_unaligned_le32(44, t + 8);
	put_unaligned_le32(16 + 44, t + 4);
	b_end();
	expect_error(parse(), "(type 17, EFI memory map): descriptor size 44 is not a multiple of 8");

	b_init();
	t = b_efi_mmap(two, 2, 48);
	put_unaligned_le32(16 + 48 + 40, t + 4);	/* the last descriptor cut short */
	b_end();
	expect_error(parse(), "tag at offset 0x8 (type 17, EFI memory map): 88 bytes of descriptors is not a whole number of 48-byte descriptors");

	/* Overlap, whichever comes first. */
	b_init();
	b_efi_mmap(two, 2, 48);
	b_end();
	expect_error(parse(), "descriptor 1 [0x1ff000-0x200fff] overlaps [0x100000-0x1fffff] of an earlier descriptor");
	d[0] = two[1];
	d[1] = two[0];
	b_init();
	b_efi_mmap(d, 2, 48);
	b_end();
	expect_error(parse(), "descriptor 1 [0x100000-0x1fffff] overlaps [0x1ff000-0x200fff] of an earlier descriptor");

	d[0] = (struct edesc){ EFI_CONVENTIONAL_MEMORY, 0x100800, 1, WB_ATTRS };
	b_init();
	b_efi_mmap(d, 1, 48);
	b_end();
	expect_error(parse(), "descriptor 0 (Conventional): PhysicalStart 0x100800 is not 4 KiB aligned");

	d[0] = (struct edesc){ EFI_LOADER_DATA, 0xfffffffffff00000ull, 0x100, WB_ATTRS };
	b_init();
	b_efi_mmap(d, 1, 48);
	b_end();
	expect_error(parse(), "descriptor 0 (Loader Data): PhysicalStart 0xfffffffffff00000 + NumberOfPages 0x100 reaches the end of the 64-bit address space");
	d[0] = (struct edesc){ EFI_CONVENTIONAL_MEMORY, 0, 1ull << 52, WB_ATTRS };	/* all of it */
	b_init();
	b_efi_mmap(d, 1, 48);
	b_end();
	expect_error(parse(), "NumberOfPages 0x10000000000000 reaches the end");
	d[0] = (struct edesc){ EFI_LOADER_DATA, 0x1000, ~0ull, WB_ATTRS };
	b_init();
	b_efi_mmap(d, 1, 48);
	b_end();
	expect_error(parse(), "reaches the end of the 64-bit address space");

	/* More ranges than hotmm keeps, even after merging. */
	for (i = 0; i <= MB2_MMAP_MAX; i++)
		many[i] = (struct edesc){ i % 2 ? EFI_RUNTIME_SERVICES_DATA : EFI_CONVENTIONAL_MEMORY,
					  (uint64_t)i << 20, 256, WB_ATTRS };
	b_init();
	b_efi_mmap(many, MB2_MMAP_MAX, 48);
	b_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mmap, MB2_MMAP_MAX);
	b_init();
	b_efi_mmap(many, MB2_MMAP_MAX + 1, 48);
	b_end();
	expect_error(parse(), "descriptor 128: more than the 128 ranges hotmm keeps after merging");

	/* Boot services left running: the firmware still owns memory the map calls free. */
	b_init();
	b_efi_mmap(two, 1, 48);
	b_tag(MB2_TAG_EFI_BS, 8);
	b_end();
	expect_error(parse(), "(type 18, EFI boot services not terminated): the loader left EFI boot services running");

	/* A second EFI map is an error, not a guess. */
	b_init();
	b_efi_mmap(two, 1, 48);
	b_efi_mmap(two, 1, 48);
	b_end();
	expect_error(parse(), "(type 17, EFI memory map): appears twice");
}

static void test_duplicate_tags(void **state)
{
	b_init();
	b_mmap(pc_map, 2, 24, 0);
	b_mmap(pc_map, 2, 24, 0);
	b_end();
	expect_error(parse(), "tag at offset 0x48 (type 6, memory map): appears twice");

	b_init();
	b_string(MB2_TAG_CMDLINE, "a");
	b_string(MB2_TAG_CMDLINE, "b");
	b_end();
	expect_error(parse(), "tag at offset 0x18 (type 1, command line): appears twice");
}

static void test_small_error_buffer(void **state)
{
	char small[12];

	b_init();
	b_tag(MB2_TAG_MMAP, 12);
	b_end();
	memset(small, 'z', sizeof(small));
	assert_int_equal(mb2_parse_buf(b.buf, b.off, INFO_PHYS, &bi, small, sizeof(small)), -EINVAL);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(mb2_parse_buf(b.buf, b.off, INFO_PHYS, &bi, NULL, 0), -EINVAL);
}

/* ---- never a crash: every prefix, every total_size, every byte ---- */

static void test_every_truncation_fails_cleanly(void **state)
{
	uint32_t total = build_good(), n;

	for (n = 0; n < total; n++) {
		/* The buffer is n bytes: total_size is always larger. */
		assert_int_equal(parse_n(n), -EINVAL);
		assert_true(bi_is_zero());
	}
	assert_int_equal(parse_n(total), 0);

	/* Every total_size that does not end at the end tag is refused. */
	for (n = 0; n < total + 64; n++) {
		build_good();
		put_unaligned_le32(n, b.buf);
		assert_int_equal(parse_n(total + 64), n == total ? 0 : -EINVAL);
		assert_true(err[0] == '\0' || strstr(err, "multiboot2 info"));
	}
}

static void test_every_byte_corrupted(void **state)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x07, 0x08, 0x80, 0xff };
	uint32_t total = build_good(), i, v;
	int ok = 0, bad = 0;

	for (i = 0; i < total; i++) {
		for (v = 0; v < ARRAY_SIZE(values); v++) {
			build_good();
			b.buf[i] = values[v];
			if (parse_n(total) == 0) {
				ok++;
			} else {
				bad++;
				assert_true(strstr(err, "multiboot2 info") == err);
				assert_true(bi_is_zero());
			}
		}
	}
	/* Payload bytes may change freely; header bytes may not. */
	assert_true(ok > 0);
	assert_true(bad > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_well_formed, setup),
		cmocka_unit_test_setup(test_kernel_entry_parse, setup),
		cmocka_unit_test_setup(test_new_rsdp_preferred_over_old, setup),
		cmocka_unit_test_setup(test_efi_tags, setup),
		cmocka_unit_test_setup(test_moved, setup),
		cmocka_unit_test_setup(test_efi_type_mapping, setup),
		cmocka_unit_test_setup(test_efi_mmap_sorted_and_merged, setup),
		cmocka_unit_test_setup(test_efi_mmap_many_descriptors, setup),
		cmocka_unit_test_setup(test_new_rsdp_only, setup),
		cmocka_unit_test_setup(test_print_efi_mmap, setup),
		cmocka_unit_test_setup(test_unused_tags_skipped, setup),
		cmocka_unit_test_setup(test_modules_recorded, setup),
		cmocka_unit_test_setup(test_mmap_future_entry_size, setup),
		cmocka_unit_test_setup(test_mmap_at_limit, setup),
		cmocka_unit_test_setup(test_cmdline_truncated, setup),
		cmocka_unit_test_setup(test_print_mmap, setup),
		cmocka_unit_test_setup(test_header_truncated, setup),
		cmocka_unit_test_setup(test_total_size_too_small, setup),
		cmocka_unit_test_setup(test_total_size_beyond_buffer, setup),
		cmocka_unit_test_setup(test_misaligned, setup),
		cmocka_unit_test_setup(test_missing_end_tag, setup),
		cmocka_unit_test_setup(test_end_tag_wrong_size_or_not_last, setup),
		cmocka_unit_test_setup(test_tag_size_below_header, setup),
		cmocka_unit_test_setup(test_tag_overruns_total_size, setup),
		cmocka_unit_test_setup(test_tag_below_type_minimum, setup),
		cmocka_unit_test_setup(test_bad_mmap_entry_size, setup),
		cmocka_unit_test_setup(test_mmap_entry_wraps, setup),
		cmocka_unit_test_setup(test_unterminated_string, setup),
		cmocka_unit_test_setup(test_bad_elf_sections, setup),
		cmocka_unit_test_setup(test_bad_efi_mmap, setup),
		cmocka_unit_test_setup(test_duplicate_tags, setup),
		cmocka_unit_test_setup(test_small_error_buffer, setup),
		cmocka_unit_test_setup(test_every_truncation_fails_cleanly, setup),
		cmocka_unit_test_setup(test_every_byte_corrupted, setup),
	};

	return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
