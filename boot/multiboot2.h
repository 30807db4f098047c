/* SPDX-License-Identifier: MIT */
/*
 * DOC: multiboot2.h - what the kernel keeps of GRUB's boot information
 *
 * GRUB leaves the multiboot2 information (a total_size, then 8-byte aligned
 * tags ending with an end tag) somewhere in RAM that memblock would happily
 * hand out. mb2_parse() checks every byte of its structure and copies what
 * the kernel needs later into a struct boot_info, which lives in the kernel
 * image; the kernel then memblock_reserve()s [info_phys, + total_size) for
 * what is only referenced by address (ELF section headers, EFI memory map).
 *
 * boot_info.mmap is the one memory map the kernel uses, in e820 terms
 * (enum mb2_memory_type), sorted by address when it comes from UEFI:
 * converted from the EFI memory map tag when GRUB booted through UEFI, else
 * GRUB's e820-style memory map tag as it is (multiboot2.c says why the EFI
 * map wins). mmap_source says which.
 *
 * Stated limits: MB2_CMDLINE_MAX (longer command lines are cut, with a
 * warning and cmdline_truncated set), MB2_LOADER_NAME_MAX (cut likewise),
 * MB2_MMAP_MAX memory-map entries (after merging, for the EFI map) and
 * MB2_MODULES_MAX modules (more is an error), MB2_INFO_MAX bytes of
 * information in all (mb2_parse() only).
 */
#ifndef HOTMM_BOOT_MULTIBOOT2_H
#define HOTMM_BOOT_MULTIBOOT2_H

#include "lib/compiler.h"

#define MB2_BOOTLOADER_MAGIC	0x36d76289	/* in EAX at entry */

/* Tag types of the boot information (Multiboot2 spec, 3.6). */
enum mb2_tag_type {
	MB2_TAG_END		= 0,
	MB2_TAG_CMDLINE		= 1,
	MB2_TAG_LOADER_NAME	= 2,
	MB2_TAG_MODULE		= 3,
	MB2_TAG_BASIC_MEMINFO	= 4,
	MB2_TAG_BOOTDEV		= 5,
	MB2_TAG_MMAP		= 6,
	MB2_TAG_VBE		= 7,
	MB2_TAG_FRAMEBUFFER	= 8,
	MB2_TAG_ELF_SECTIONS	= 9,
	MB2_TAG_APM		= 10,
	MB2_TAG_EFI32		= 11,
	MB2_TAG_EFI64		= 12,
	MB2_TAG_SMBIOS		= 13,
	MB2_TAG_ACPI_OLD	= 14,
	MB2_TAG_ACPI_NEW	= 15,
	MB2_TAG_NETWORK		= 16,
	MB2_TAG_EFI_MMAP	= 17,
	MB2_TAG_EFI_BS		= 18,
	MB2_TAG_EFI32_IH	= 19,
	MB2_TAG_EFI64_IH	= 20,
	MB2_TAG_LOAD_BASE_ADDR	= 21,
};

/* Memory map entry types; GRUB passes the BIOS e820 types through. */
enum mb2_memory_type {
	MB2_MEMORY_AVAILABLE		= 1,
	MB2_MEMORY_RESERVED		= 2,
	MB2_MEMORY_ACPI_RECLAIMABLE	= 3,
	MB2_MEMORY_NVS			= 4,
	MB2_MEMORY_BADRAM		= 5,
	MB2_MEMORY_PERSISTENT		= 7,	/* e820 PMEM */
	MB2_MEMORY_PERSISTENT_LEGACY	= 12,	/* e820 PRAM */
};

/* UEFI's EFI_MEMORY_TYPE (UEFI spec 2.10, 7.2); names as Linux prints them. */
enum efi_memory_type {
	EFI_RESERVED_TYPE		= 0,
	EFI_LOADER_CODE			= 1,
	EFI_LOADER_DATA			= 2,
	EFI_BOOT_SERVICES_CODE		= 3,
	EFI_BOOT_SERVICES_DATA		= 4,
	EFI_RUNTIME_SERVICES_CODE	= 5,
	EFI_RUNTIME_SERVICES_DATA	= 6,
	EFI_CONVENTIONAL_MEMORY		= 7,
	EFI_UNUSABLE_MEMORY		= 8,
	EFI_ACPI_RECLAIM_MEMORY		= 9,
	EFI_ACPI_MEMORY_NVS		= 10,
	EFI_MEMORY_MAPPED_IO		= 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE	= 12,
	EFI_PAL_CODE			= 13,
	EFI_PERSISTENT_MEMORY		= 14,
	EFI_UNACCEPTED_MEMORY		= 15,
	EFI_MAX_MEMORY_TYPE,
};

/* EFI_MEMORY_DESCRIPTOR.Attribute bits the kernel looks at or prints. */
#define EFI_MEMORY_UC		(1ull << 0)
#define EFI_MEMORY_WC		(1ull << 1)
#define EFI_MEMORY_WT		(1ull << 2)
#define EFI_MEMORY_WB		(1ull << 3)
#define EFI_MEMORY_UCE		(1ull << 4)
#define EFI_MEMORY_WP		(1ull << 12)
#define EFI_MEMORY_RP		(1ull << 13)
#define EFI_MEMORY_XP		(1ull << 14)
#define EFI_MEMORY_NV		(1ull << 15)
#define EFI_MEMORY_MORE_RELIABLE (1ull << 16)
#define EFI_MEMORY_RO		(1ull << 17)
#define EFI_MEMORY_SP		(1ull << 18)	/* specific purpose: soft reserved */
#define EFI_MEMORY_RUNTIME	(1ull << 63)
#define EFI_PAGE_SHIFT		12		/* NumberOfPages counts 4 KiB pages */

/* EFI_MEMORY_DESCRIPTOR, version 1; descriptors may be longer (desc_size). */
struct efi_memory_desc {
	uint32_t type;			/* enum efi_memory_type */
	uint32_t pad;
	uint64_t phys_addr;
	uint64_t virt_addr;
	uint64_t num_pages;
	uint64_t attribute;
};

/* Where boot_info.mmap came from. */
enum mb2_mmap_source {
	MB2_MMAP_NONE		= 0,
	MB2_MMAP_E820_TAG	= 1,	/* GRUB's memory map tag (type 6) */
	MB2_MMAP_EFI		= 2,	/* the EFI memory map tag (type 17), converted */
};

#define MB2_CMDLINE_MAX		2048	/* Linux's x86 COMMAND_LINE_SIZE */
#define MB2_LOADER_NAME_MAX	64
#define MB2_MMAP_MAX		128	/* Linux's E820_MAX_ENTRIES_ZEROPAGE */
#define MB2_MODULES_MAX		8
#define MB2_MODULE_STRING_MAX	64	/* a module's string (GRUB: module2 FILE STRING) */
#define MB2_RSDP_MAX		36	/* an ACPI 2.0+ RSDP; 1.0 has 20 */
#define MB2_INFO_MAX		SZ_1M	/* sanity bound for mb2_parse() */

struct mb2_mmap_entry {
	uint64_t addr;
	uint64_t len;
	uint32_t type;		/* enum mb2_memory_type */
};

struct mb2_module {
	uint32_t start, end;	/* physical [start, end) */
	char string[MB2_MODULE_STRING_MAX];	/* cut to fit; names the module in messages */
};

/* An ELF64 section header, as the ELF-sections tag lists them. */
struct elf64_shdr {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
};

struct boot_info {
	uint64_t info_phys;		/* the information itself: reserve it */
	uint32_t total_size;

	char cmdline[MB2_CMDLINE_MAX];	/* "" if GRUB gave none */
	bool cmdline_truncated;
	char loader_name[MB2_LOADER_NAME_MAX];
	bool loader_name_truncated;

	uint32_t nr_mmap;		/* 0: no memory map at all */
	uint32_t mmap_source;		/* enum mb2_mmap_source */
	struct mb2_mmap_entry mmap[MB2_MMAP_MAX];	/* the map the kernel uses */

	/* GRUB's e820-style memory map tag as given, used or not (the first MB2_MMAP_MAX). */
	uint32_t nr_e820_tag;		/* 0: no memory map tag */
	uint32_t mmap_entry_version;
	struct mb2_mmap_entry e820_tag[MB2_MMAP_MAX];

	uint8_t rsdp[MB2_RSDP_MAX];	/* the RSDP bytes, new (type 15) preferred */
	uint32_t rsdp_len;		/* 0: no ACPI tag */
	uint32_t rsdp_tag;		/* MB2_TAG_ACPI_NEW, MB2_TAG_ACPI_OLD or 0 */

	uint64_t elf_shdrs_phys;	/* 0: no ELF-sections tag */
	uint32_t elf_num, elf_entsize, elf_shndx;

	uint64_t efi_mmap_phys;		/* 0: no EFI memory map tag */
	uint32_t efi_desc_size, efi_desc_version, efi_nr_desc;
	uint64_t efi_system_table;	/* 64-bit EFI system table, 0 if none */

	bool has_meminfo;
	uint32_t mem_lower_kb, mem_upper_kb;
	uint32_t nr_modules;
	struct mb2_module modules[MB2_MODULES_MAX];
	bool has_load_base;
	uint32_t load_base_addr;	/* where GRUB put a relocatable image */
};

/*
 * Parse the information at `info` (physical address info_phys, which the
 * kernel passes on for the addresses it records) into *bi. Returns 0, or
 * -EINVAL with `err` naming the offset, the tag type and what is wrong; *bi
 * is then all zeroes. Never reads outside [info, info + total_size), and
 * mb2_parse_buf() never outside [info, info + avail) either (tests, fuzzer).
 */
int mb2_parse(const void *info, uint64_t info_phys, struct boot_info *bi, char *err,
	      size_t errlen);
int mb2_parse_buf(const void *info, size_t avail, uint64_t info_phys, struct boot_info *bi,
		  char *err, size_t errlen);

/*
 * The information was copied to new_phys (whole, total_size bytes): move
 * every address recorded from where it was (EFI map, ELF section headers).
 */
void mb2_moved(struct boot_info *bi, uint64_t new_phys);

/* GRUB handed over UEFI's tables: the machine booted through UEFI. */
static inline bool mb2_booted_uefi(const struct boot_info *bi)
{
	return bi->efi_system_table || bi->efi_mmap_phys;
}

/* The firmware map as Linux prints it: "BIOS-e820: [mem 0x...-0x...] usable". */
const char *mb2_memory_type_name(uint32_t type, char *buf, size_t len);
void mb2_print_mmap(const struct boot_info *bi);		/* to the log, KERN_INFO */
void mb2_format_mmap(const struct boot_info *bi, void (*emit)(const char *line));
/* GRUB's e820-style tag as given (it differs from mmap after a UEFI boot). */
void mb2_format_e820_tag(const struct boot_info *bi, void (*emit)(const char *line));

/*
 * The e820 type a UEFI descriptor becomes (Linux's do_add_efi_memmap()):
 * RAM only when it is free after ExitBootServices and write-back cacheable.
 */
uint32_t mb2_efi_to_e820_type(uint32_t efi_type, uint64_t attribute);
const char *mb2_efi_memory_type_name(uint32_t efi_type);	/* "Conventional" */
/*
 * The EFI map as Linux prints it ("efi: mem03: [Boot Data   |   |WB] range=
 * [...] (N MiB)"); `descs` is the map itself (the kernel: __va(efi_mmap_phys)).
 */
void mb2_format_efi_mmap(const struct boot_info *bi, const void *descs,
			 void (*emit)(const char *line));

#endif
