// SPDX-License-Identifier: MIT
/*
 * DOC: multiboot2.c - reading GRUB's boot information, trusting none of it
 *
 * The layout (Multiboot2 spec, 3.6): u32 total_size, u32 reserved, then tags
 * {u32 type, u32 size, payload} each starting 8-byte aligned (size does not
 * count the padding), the last one the end tag {0, 8}. The whole of it,
 * total_size included, ends with the end tag.
 *
 * Every length is checked against what encloses it before anything behind it
 * is read: total_size against the buffer, each tag against total_size, each
 * payload against its tag's size, and every string must end in a NUL inside
 * its tag. Fields are read with memcpy, so even a misaligned buffer is no
 * undefined behaviour. The first problem ends the parse with a message that
 * names the tag's offset and type: the kernel panics with it, so it has to
 * say where to look.
 *
 * Tags the kernel does not use (framebuffer, APM, SMBIOS, network, ...) are
 * checked only for their header and skipped. A tag the kernel copies may
 * appear once; a second copy is an error rather than a guess.
 *
 * Two memory maps. Booted through UEFI, GRUB hands over both its e820-style
 * memory map tag (6) and the EFI memory map tag (17); the EFI map wins, for
 * the same reasons Linux's EFI boot builds its e820 table from the EFI map:
 *  - it is the map that ExitBootServices() accepted, i.e. the firmware's
 *    memory as the kernel inherits it. GRUB fills its e820-style tag earlier,
 *    before its last allocations and before boot services exit;
 *  - it keeps what the e820 types cannot say: which memory is boot-services
 *    memory (free once they have exited: the kernel never asks GRUB to keep
 *    them), which is runtime-services memory (firmware's for good), and the
 *    cacheability attributes (RAM must be write-back). GRUB 2.06's e820
 *    view even hands runtime-services code over as its own type 20, which
 *    no e820 reader knows.
 * The conversion follows Linux's do_add_efi_memmap(): conventional, loader
 * and boot-services code/data are usable RAM if EFI_MEMORY_WB (else
 * reserved), soft-reserved (EFI_MEMORY_SP) memory stays reserved, ACPI
 * reclaim is "ACPI data", ACPI NVS, unusable and persistent memory keep
 * their e820 types, and everything else (reserved, runtime services, MMIO,
 * PAL code, unaccepted, OEM types) is reserved. Adjacent ranges of one type
 * merge and the result is sorted, so a map of hundreds of descriptors fits
 * MB2_MMAP_MAX; descriptors that overlap, are not page aligned or reach the
 * last page below 2^64 are refused by index. GRUB's own tag is kept beside
 * it (e820_tag) for the shell. Without an EFI map (BIOS boot) GRUB's tag is
 * the map.
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "boot/multiboot2.h"
#include "lib/unaligned.h"
#include "kernel/printk.h"

#define MB2_HEADER_SIZE		8	/* total_size, reserved */
#define MB2_TAG_HEADER		8	/* type, size */
#define MB2_MMAP_ENTRY_MIN	24	/* base_addr, length, type, reserved */
#define EFI_MEMORY_DESC_MIN	40	/* UEFI's EFI_MEMORY_DESCRIPTOR */
#define ACPI_RSDP_V1_SIZE	20

struct mb2_ctx {
	const uint8_t *info;
	uint64_t info_phys;
	struct boot_info *bi;
	char *err;
	size_t errlen;
	uint32_t seen;		/* bit per MB2_COPIED_TAGS type met so far */
	uint64_t e820_tag_off;	/* GRUB's memory map tag, if too long to use */
	uint32_t e820_tag_len;	/* its number of entries, if more than MB2_MMAP_MAX */
};

static const char *tag_name(uint32_t type)
{
	static const char *const names[] = {
		[MB2_TAG_END] = "end", [MB2_TAG_CMDLINE] = "command line",
		[MB2_TAG_LOADER_NAME] = "boot loader name", [MB2_TAG_MODULE] = "module",
		[MB2_TAG_BASIC_MEMINFO] = "basic memory info", [MB2_TAG_BOOTDEV] = "BIOS boot device",
		[MB2_TAG_MMAP] = "memory map", [MB2_TAG_VBE] = "VBE info",
		[MB2_TAG_FRAMEBUFFER] = "framebuffer", [MB2_TAG_ELF_SECTIONS] = "ELF sections",
		[MB2_TAG_APM] = "APM table", [MB2_TAG_EFI32] = "EFI 32-bit system table",
		[MB2_TAG_EFI64] = "EFI 64-bit system table", [MB2_TAG_SMBIOS] = "SMBIOS tables",
		[MB2_TAG_ACPI_OLD] = "ACPI old RSDP", [MB2_TAG_ACPI_NEW] = "ACPI new RSDP",
		[MB2_TAG_NETWORK] = "networking info", [MB2_TAG_EFI_MMAP] = "EFI memory map",
		[MB2_TAG_EFI_BS] = "EFI boot services not terminated",
		[MB2_TAG_EFI32_IH] = "EFI 32-bit image handle",
		[MB2_TAG_EFI64_IH] = "EFI 64-bit image handle",
		[MB2_TAG_LOAD_BASE_ADDR] = "image load base address",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : "unknown";
}

/* The message for a problem with the tag at `off`; always returns -EINVAL. */
static int __printf(4, 5) tag_error(struct mb2_ctx *c, uint64_t off, uint32_t type,
				    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->errlen)
		return -EINVAL;
	n = snprintf(c->err, c->errlen, "multiboot2 info: tag at offset 0x%llx (type %u, %s): ",
		     (unsigned long long)off, type, tag_name(type));
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A problem with the information as a whole (not one tag). */
static int __printf(2, 3) info_error(struct mb2_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->errlen)
		return -EINVAL;
	n = snprintf(c->err, c->errlen, "multiboot2 info at 0x%llx: ",
		     (unsigned long long)c->info_phys);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * The NUL-terminated string at payload[0..len) into dst[dstlen]; true if it
 * had to be cut. -EINVAL if there is no NUL inside the tag.
 */
static int copy_string(struct mb2_ctx *c, uint64_t off, uint32_t type, const uint8_t *payload,
		       uint32_t len, char *dst, size_t dstlen, bool *truncated)
{
	const uint8_t *nul = len ? memchr(payload, '\0', len) : NULL;
	size_t n;

	if (!nul)
		return tag_error(c, off, type, "string not NUL-terminated within its %u bytes",
				 len);
	n = nul - payload;
	*truncated = n >= dstlen;
	if (*truncated)
		n = dstlen - 1;
	memcpy(dst, payload, n);
	dst[n] = '\0';
	return 0;
}

static int parse_mmap(struct mb2_ctx *c, uint64_t off, const uint8_t *tag, uint32_t size)
{
	struct boot_info *bi = c->bi;
	uint32_t entry_size = get_unaligned_le32(tag + 8), version = get_unaligned_le32(tag + 12);
	uint32_t bytes = size - 16, i, n;

	/* The spec guarantees a multiple of 8, so every entry stays aligned. */
	if (entry_size < MB2_MMAP_ENTRY_MIN || entry_size % 8)
		return tag_error(c, off, MB2_TAG_MMAP,
				 "entry_size %u: must be at least %u and a multiple of 8",
				 entry_size, MB2_MMAP_ENTRY_MIN);
	if (bytes % entry_size)
		return tag_error(c, off, MB2_TAG_MMAP,
				 "%u bytes of entries is not a whole number of %u-byte entries",
				 bytes, entry_size);
	n = bytes / entry_size;
	/*
	 * Too long is an error only if this is the map used: after a UEFI boot
	 * GRUB's tag may list every EFI descriptor, and the EFI map wins anyway
	 * (mb2_parse_buf() decides once it has seen every tag).
	 */
	if (n > MB2_MMAP_MAX) {
		c->e820_tag_off = off;
		c->e820_tag_len = n;
	}
	/*
	 * entry_version is 0 today; the spec promises later versions only add
	 * fields (behind entry_size), so any version reads the same way.
	 */
	bi->mmap_entry_version = version;
	for (i = 0; i < n; i++) {
		const uint8_t *e = tag + 16 + (size_t)i * entry_size;
		uint64_t addr = get_unaligned_le64(e), len = get_unaligned_le64(e + 8);

		if (len && addr + len - 1 < addr)
			return tag_error(c, off, MB2_TAG_MMAP,
					 "entry %u [0x%llx + 0x%llx] runs past the end of the address space",
					 i, (unsigned long long)addr, (unsigned long long)len);
		if (i < MB2_MMAP_MAX)
			bi->e820_tag[i] = (struct mb2_mmap_entry){
				.addr = addr, .len = len, .type = get_unaligned_le32(e + 16) };
	}
	bi->nr_e820_tag = min(n, (uint32_t)MB2_MMAP_MAX);
	return 0;
}

static int parse_elf_sections(struct mb2_ctx *c, uint64_t off, const uint8_t *tag, uint32_t size)
{
	/* GRUB writes num, entsize and shndx as u32 (its multiboot2.h), not u16. */
	uint32_t num = get_unaligned_le32(tag + 8), entsize = get_unaligned_le32(tag + 12);
	uint32_t shndx = get_unaligned_le32(tag + 16);

	if (num && entsize < sizeof(struct elf64_shdr))
		return tag_error(c, off, MB2_TAG_ELF_SECTIONS,
				 "entsize %u smaller than an ELF64 section header (%zu)",
				 entsize, sizeof(struct elf64_shdr));
	if ((uint64_t)num * entsize > size - 20)
		return tag_error(c, off, MB2_TAG_ELF_SECTIONS,
				 "%u headers of %u bytes overrun the tag's %u bytes",
				 num, entsize, size - 20);
	if (num && shndx >= num)
		return tag_error(c, off, MB2_TAG_ELF_SECTIONS,
				 "string table index %u not below the %u sections", shndx, num);
	c->bi->elf_num = num;
	c->bi->elf_entsize = entsize;
	c->bi->elf_shndx = shndx;
	c->bi->elf_shdrs_phys = c->info_phys + off + 20;
	return 0;
}

static int parse_rsdp(struct mb2_ctx *c, uint64_t off, uint32_t type, const uint8_t *tag,
		      uint32_t size)
{
	struct boot_info *bi = c->bi;
	uint32_t len = min(size - 8, (uint32_t)MB2_RSDP_MAX);

	/* With both tags, the new one (XSDT) wins whatever the order. */
	if (type == MB2_TAG_ACPI_OLD && bi->rsdp_tag == MB2_TAG_ACPI_NEW)
		return 0;
	memset(bi->rsdp, 0, sizeof(bi->rsdp));
	memcpy(bi->rsdp, tag + 8, len);
	bi->rsdp_len = len;
	bi->rsdp_tag = type;
	return 0;
}

uint32_t mb2_efi_to_e820_type(uint32_t efi_type, uint64_t attribute)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		if (attribute & EFI_MEMORY_SP)
			return MB2_MEMORY_RESERVED;	/* for a driver, not the page allocator */
		return attribute & EFI_MEMORY_WB ? MB2_MEMORY_AVAILABLE : MB2_MEMORY_RESERVED;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MB2_MEMORY_ACPI_RECLAIMABLE;
	case EFI_ACPI_MEMORY_NVS:
		return MB2_MEMORY_NVS;
	case EFI_UNUSABLE_MEMORY:
		return MB2_MEMORY_BADRAM;
	case EFI_PERSISTENT_MEMORY:
		return MB2_MEMORY_PERSISTENT;
	default:
		/*
		 * Reserved, runtime services code/data, MMIO, port space, PAL
		 * code, and memory that must be accepted first (hotmm cannot),
		 * OEM and OS-loader types.
		 */
		return MB2_MEMORY_RESERVED;
	}
}

/*
 * Put descriptor `idx` ([addr, last] of e820 `type`) into the sorted map,
 * merging with a neighbour of the same type that it touches.
 */
static int efi_map_insert(struct mb2_ctx *c, uint64_t off, uint32_t idx, uint64_t addr,
			  uint64_t last, uint32_t type)
{
	struct boot_info *bi = c->bi;
	struct mb2_mmap_entry *m = bi->mmap;
	uint32_t n = bi->nr_mmap, i;

	for (i = 0; i < n && m[i].addr < addr; i++)
		;
	if (i > 0 && m[i - 1].addr + m[i - 1].len - 1 >= addr)
		i--;
	else if (i == n || m[i].addr > last)
		goto place;
	return tag_error(c, off, MB2_TAG_EFI_MMAP,
			 "descriptor %u [0x%llx-0x%llx] overlaps [0x%llx-0x%llx] of an earlier descriptor",
			 idx, (unsigned long long)addr, (unsigned long long)last,
			 (unsigned long long)m[i].addr, (unsigned long long)(m[i].addr + m[i].len - 1));
place:
	if (i > 0 && m[i - 1].type == type && m[i - 1].addr + m[i - 1].len == addr) {
		m[i - 1].len += last - addr + 1;
		if (i < n && m[i].type == type && m[i].addr == last + 1) {
			m[i - 1].len += m[i].len;
			memmove(&m[i], &m[i + 1], (n - i - 1) * sizeof(*m));
			bi->nr_mmap--;
		}
		return 0;
	}
	if (i < n && m[i].type == type && m[i].addr == last + 1) {
		m[i].len += m[i].addr - addr;
		m[i].addr = addr;
		return 0;
	}
	if (n == MB2_MMAP_MAX)
		return tag_error(c, off, MB2_TAG_EFI_MMAP,
				 "descriptor %u: more than the %u ranges hotmm keeps after merging",
				 idx, MB2_MMAP_MAX);
	memmove(&m[i + 1], &m[i], (n - i) * sizeof(*m));
	m[i] = (struct mb2_mmap_entry){ .addr = addr, .len = last - addr + 1, .type = type };
	bi->nr_mmap++;
	return 0;
}

static int parse_efi_mmap(struct mb2_ctx *c, uint64_t off, const uint8_t *tag, uint32_t size)
{
	struct boot_info *bi = c->bi;
	uint32_t desc_size = get_unaligned_le32(tag + 8), bytes = size - 16, n, i;
	int ret;

	/* UEFI lets descriptors grow; they may not shrink below the 1.0 layout. */
	if (desc_size < EFI_MEMORY_DESC_MIN)
		return tag_error(c, off, MB2_TAG_EFI_MMAP,
				 "descriptor size %u smaller than EFI_MEMORY_DESCRIPTOR (%u)",
				 desc_size, EFI_MEMORY_DESC_MIN);
	/* Fields are 64-bit: a size that is not a multiple of 8 is no UEFI map. */
	if (desc_size % 8)
		return tag_error(c, off, MB2_TAG_EFI_MMAP,
				 "descriptor size %u is not a multiple of 8", desc_size);
	if (bytes % desc_size)
		return tag_error(c, off, MB2_TAG_EFI_MMAP,
				 "%u bytes of descriptors is not a whole number of %u-byte descriptors",
				 bytes, desc_size);
	n = bytes / desc_size;
	bi->nr_mmap = 0;
	for (i = 0; i < n; i++) {
		const uint8_t *d = tag + 16 + (size_t)i * desc_size;
		uint32_t type = get_unaligned_le32(d + offsetof(struct efi_memory_desc, type));
		uint64_t addr = get_unaligned_le64(d + offsetof(struct efi_memory_desc, phys_addr));
		uint64_t pages = get_unaligned_le64(d + offsetof(struct efi_memory_desc, num_pages));
		uint64_t attr = get_unaligned_le64(d + offsetof(struct efi_memory_desc, attribute));

		if (addr & ((1ull << EFI_PAGE_SHIFT) - 1))
			return tag_error(c, off, MB2_TAG_EFI_MMAP,
					 "descriptor %u (%s): PhysicalStart 0x%llx is not 4 KiB aligned",
					 i, mb2_efi_memory_type_name(type), (unsigned long long)addr);
		if (!pages)
			continue;	/* describes nothing */
		/*
		 * As Linux's efi_memmap_entry_valid(): the range must end below
		 * the last page of the address space, so a length always fits.
		 */
		if (pages > (~0ull >> EFI_PAGE_SHIFT) - (addr >> EFI_PAGE_SHIFT))
			return tag_error(c, off, MB2_TAG_EFI_MMAP,
					 "descriptor %u (%s): PhysicalStart 0x%llx + NumberOfPages 0x%llx reaches the end of the 64-bit address space",
					 i, mb2_efi_memory_type_name(type), (unsigned long long)addr,
					 (unsigned long long)pages);
		ret = efi_map_insert(c, off, i, addr, addr + (pages << EFI_PAGE_SHIFT) - 1,
				     mb2_efi_to_e820_type(type, attr));
		if (ret)
			return ret;
	}
	bi->mmap_source = MB2_MMAP_EFI;
	bi->efi_desc_size = desc_size;
	bi->efi_desc_version = get_unaligned_le32(tag + 12);
	bi->efi_nr_desc = n;
	bi->efi_mmap_phys = c->info_phys + off + 16;
	return 0;
}

/* Smallest size of each tag whose payload is read; 0: header only. */
static const uint32_t tag_min_size[] = {
	[MB2_TAG_CMDLINE] = 9,		/* at least the NUL */
	[MB2_TAG_LOADER_NAME] = 9,
	[MB2_TAG_MODULE] = 17,		/* mod_start, mod_end, NUL */
	[MB2_TAG_BASIC_MEMINFO] = 16,
	[MB2_TAG_MMAP] = 16,
	[MB2_TAG_ELF_SECTIONS] = 20,
	[MB2_TAG_EFI64] = 16,
	[MB2_TAG_ACPI_OLD] = 8 + ACPI_RSDP_V1_SIZE,
	[MB2_TAG_ACPI_NEW] = 8 + MB2_RSDP_MAX,
	[MB2_TAG_EFI_MMAP] = 16,
	[MB2_TAG_LOAD_BASE_ADDR] = 12,
};

/* Tags whose contents land in boot_info: each may appear once. */
#define MB2_COPIED_TAGS	((1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) |		\
			 (1u << MB2_TAG_BASIC_MEMINFO) | (1u << MB2_TAG_MMAP) |		\
			 (1u << MB2_TAG_ELF_SECTIONS) | (1u << MB2_TAG_EFI64) |		\
			 (1u << MB2_TAG_ACPI_OLD) | (1u << MB2_TAG_ACPI_NEW) |		\
			 (1u << MB2_TAG_EFI_MMAP) | (1u << MB2_TAG_LOAD_BASE_ADDR))

static int parse_tag(struct mb2_ctx *c, uint64_t off, uint32_t type, const uint8_t *tag,
		     uint32_t size)
{
	struct boot_info *bi = c->bi;
	bool cut;
	int ret;

	if (type < ARRAY_SIZE(tag_min_size) && size < tag_min_size[type])
		return tag_error(c, off, type, "size %u smaller than the %u this tag needs",
				 size, tag_min_size[type]);
	if (type < 32 && (MB2_COPIED_TAGS & (1u << type))) {
		if (c->seen & (1u << type))
			return tag_error(c, off, type, "appears twice");
		c->seen |= 1u << type;
	}

	switch (type) {
	case MB2_TAG_CMDLINE:
		ret = copy_string(c, off, type, tag + 8, size - 8, bi->cmdline,
				  sizeof(bi->cmdline), &cut);
		if (!ret && cut) {
			bi->cmdline_truncated = true;
			pr_warn("multiboot2: command line longer than %u bytes; only the first %u are used\n",
				MB2_CMDLINE_MAX - 1, MB2_CMDLINE_MAX - 1);
		}
		return ret;
	case MB2_TAG_LOADER_NAME:
		return copy_string(c, off, type, tag + 8, size - 8, bi->loader_name,
				   sizeof(bi->loader_name), &bi->loader_name_truncated);
	case MB2_TAG_MODULE: {
		uint32_t start = get_unaligned_le32(tag + 8), end = get_unaligned_le32(tag + 12);
		struct mb2_module *m;

		if (end < start)
			return tag_error(c, off, type, "mod_end 0x%x below mod_start 0x%x", end, start);
		if (bi->nr_modules >= MB2_MODULES_MAX)
			return tag_error(c, off, type, "more than the %u modules hotmm keeps",
					 MB2_MODULES_MAX);
		/* The string must be whole; a long one is cut (it only names the module). */
		m = &bi->modules[bi->nr_modules];
		ret = copy_string(c, off, type, tag + 16, size - 16, m->string, sizeof(m->string), &cut);
		if (ret)
			return ret;
		m->start = start;
		m->end = end;
		bi->nr_modules++;
		return 0;
	}
	case MB2_TAG_BASIC_MEMINFO:
		bi->has_meminfo = true;
		bi->mem_lower_kb = get_unaligned_le32(tag + 8);
		bi->mem_upper_kb = get_unaligned_le32(tag + 12);
		return 0;
	case MB2_TAG_MMAP:
		return parse_mmap(c, off, tag, size);
	case MB2_TAG_ELF_SECTIONS:
		return parse_elf_sections(c, off, tag, size);
	case MB2_TAG_EFI64:
		bi->efi_system_table = get_unaligned_le64(tag + 8);
		return 0;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		return parse_rsdp(c, off, type, tag, size);
	case MB2_TAG_EFI_MMAP:
		return parse_efi_mmap(c, off, tag, size);
	case MB2_TAG_EFI_BS:
		/*
		 * boot/head.S never asks for it: with boot services running, the
		 * firmware still owns its boot-services memory and timers, which
		 * the kernel would overwrite as free RAM.
		 */
		return tag_error(c, off, type,
				 "the loader left EFI boot services running; hotmm needs ExitBootServices() called (its header does not request this tag)");
	case MB2_TAG_LOAD_BASE_ADDR:
		bi->has_load_base = true;
		bi->load_base_addr = get_unaligned_le32(tag + 8);
		return 0;
	default:
		return 0;	/* checked for its header only */
	}
}

int mb2_parse_buf(const void *info, size_t avail, uint64_t info_phys, struct boot_info *bi,
		  char *err, size_t errlen)
{
	struct mb2_ctx c = { .info = info, .info_phys = info_phys, .bi = bi,
			     .err = err, .errlen = errlen };
	uint32_t total_size;
	uint64_t off;
	int ret = -EINVAL;

	memset(bi, 0, sizeof(*bi));
	if (errlen)
		err[0] = '\0';

	if (avail < MB2_HEADER_SIZE) {
		info_error(&c, "only %zu bytes, not even the 8-byte header", avail);
		goto fail;
	}
	if (((uintptr_t)info | info_phys) & 7) {
		info_error(&c, "not 8-byte aligned");
		goto fail;
	}
	total_size = get_unaligned_le32(c.info);
	if (total_size < MB2_HEADER_SIZE + MB2_TAG_HEADER) {
		info_error(&c, "total_size %u smaller than a header and an end tag (16)", total_size);
		goto fail;
	}
	if (total_size > avail) {
		info_error(&c, "total_size %u larger than the %zu bytes available", total_size, avail);
		goto fail;
	}

	for (off = MB2_HEADER_SIZE; ; off = ALIGN(off + get_unaligned_le32(c.info + off + 4), 8)) {
		const uint8_t *tag = c.info + off;
		uint32_t type, size;

		if (off + MB2_TAG_HEADER > total_size) {
			info_error(&c, "no end tag (type 0) within total_size %u", total_size);
			goto fail;
		}
		type = get_unaligned_le32(tag);
		size = get_unaligned_le32(tag + 4);
		if (size < MB2_TAG_HEADER) {
			tag_error(&c, off, type, "size %u smaller than the tag header (8)", size);
			goto fail;
		}
		if (size > total_size - off) {
			tag_error(&c, off, type, "size %u runs past total_size %u (to offset 0x%llx)",
				  size, total_size, (unsigned long long)(off + size));
			goto fail;
		}
		if (type == MB2_TAG_END) {
			if (size != MB2_TAG_HEADER) {
				tag_error(&c, off, type, "end tag of size %u, must be 8", size);
				goto fail;
			}
			if (off + size != total_size) {
				tag_error(&c, off, type, "end tag is not the last: total_size is %u",
					  total_size);
				goto fail;
			}
			break;
		}
		ret = parse_tag(&c, off, type, tag, size);
		if (ret)
			goto fail;
	}
	/* Without an EFI map, GRUB's e820-style tag is the map. */
	if (bi->mmap_source != MB2_MMAP_EFI && c.e820_tag_len) {
		tag_error(&c, c.e820_tag_off, MB2_TAG_MMAP, "%u entries, more than the %u hotmm keeps",
			  c.e820_tag_len, MB2_MMAP_MAX);
		goto fail;
	}
	if (bi->mmap_source != MB2_MMAP_EFI && bi->nr_e820_tag) {
		memcpy(bi->mmap, bi->e820_tag, bi->nr_e820_tag * sizeof(bi->mmap[0]));
		bi->nr_mmap = bi->nr_e820_tag;
		bi->mmap_source = MB2_MMAP_E820_TAG;
	}
	bi->info_phys = info_phys;
	bi->total_size = total_size;
	return 0;

fail:
	memset(bi, 0, sizeof(*bi));
	return -EINVAL;
}

int mb2_parse(const void *info, uint64_t info_phys, struct boot_info *bi, char *err,
	      size_t errlen)
{
	uint32_t total_size;

	/* The header is the one thing read before its size is known. */
	if ((uintptr_t)info & 7)	/* refused by mb2_parse_buf before any read */
		return mb2_parse_buf(info, MB2_HEADER_SIZE, info_phys, bi, err, errlen);
	total_size = get_unaligned_le32(info);
	if (total_size > MB2_INFO_MAX) {
		memset(bi, 0, sizeof(*bi));
		snprintf(err, errlen, "multiboot2 info at 0x%llx: total_size %u larger than the %lu bytes hotmm accepts",
			 (unsigned long long)info_phys, total_size, (unsigned long)MB2_INFO_MAX);
		return -EINVAL;
	}
	return mb2_parse_buf(info, total_size, info_phys, bi, err, errlen);
}

void mb2_moved(struct boot_info *bi, uint64_t new_phys)
{
	uint64_t delta = new_phys - bi->info_phys;	/* modulo 2^64: a move down works too */

	if (bi->elf_shdrs_phys)
		bi->elf_shdrs_phys += delta;
	if (bi->efi_mmap_phys)
		bi->efi_mmap_phys += delta;
	bi->info_phys = new_phys;
}

/* ---- the map as Linux prints it ---- */

const char *mb2_memory_type_name(uint32_t type, char *buf, size_t len)
{
	switch (type) {
	case MB2_MEMORY_AVAILABLE:
		return "usable";
	case MB2_MEMORY_RESERVED:
		return "reserved";
	case MB2_MEMORY_ACPI_RECLAIMABLE:
		return "ACPI data";
	case MB2_MEMORY_NVS:
		return "ACPI NVS";
	case MB2_MEMORY_BADRAM:
		return "unusable";
	case MB2_MEMORY_PERSISTENT:
	case MB2_MEMORY_PERSISTENT_LEGACY:
		snprintf(buf, len, "persistent (type %u)", type);
		return buf;
	default:
		snprintf(buf, len, "type %u", type);
		return buf;
	}
}

static void format_e820(const struct mb2_mmap_entry *map, uint32_t nr,
			void (*emit)(const char *line))
{
	char line[96], name[32];
	uint32_t i;

	for (i = 0; i < nr; i++) {
		const struct mb2_mmap_entry *e = &map[i];

		if (!e->len)
			continue;	/* no inclusive end to print */
		snprintf(line, sizeof(line), "BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n",
			 (unsigned long long)e->addr, (unsigned long long)(e->addr + e->len - 1),
			 mb2_memory_type_name(e->type, name, sizeof(name)));
		emit(line);
	}
}

void mb2_format_mmap(const struct boot_info *bi, void (*emit)(const char *line))
{
	format_e820(bi->mmap, bi->nr_mmap, emit);
}

void mb2_format_e820_tag(const struct boot_info *bi, void (*emit)(const char *line))
{
	format_e820(bi->e820_tag, bi->nr_e820_tag, emit);
}

const char *mb2_efi_memory_type_name(uint32_t efi_type)
{
	static const char *const names[EFI_MAX_MEMORY_TYPE] = {
		[EFI_RESERVED_TYPE] = "Reserved", [EFI_LOADER_CODE] = "Loader Code",
		[EFI_LOADER_DATA] = "Loader Data", [EFI_BOOT_SERVICES_CODE] = "Boot Code",
		[EFI_BOOT_SERVICES_DATA] = "Boot Data", [EFI_RUNTIME_SERVICES_CODE] = "Runtime Code",
		[EFI_RUNTIME_SERVICES_DATA] = "Runtime Data", [EFI_CONVENTIONAL_MEMORY] = "Conventional",
		[EFI_UNUSABLE_MEMORY] = "Unusable", [EFI_ACPI_RECLAIM_MEMORY] = "ACPI Reclaim",
		[EFI_ACPI_MEMORY_NVS] = "ACPI Mem NVS", [EFI_MEMORY_MAPPED_IO] = "MMIO",
		[EFI_MEMORY_MAPPED_IO_PORT_SPACE] = "MMIO Port", [EFI_PAL_CODE] = "PAL Code",
		[EFI_PERSISTENT_MEMORY] = "Persistent", [EFI_UNACCEPTED_MEMORY] = "Unaccepted",
	};

	return efi_type < EFI_MAX_MEMORY_TYPE ? names[efi_type] : "OEM/OS type";
}

void mb2_format_efi_mmap(const struct boot_info *bi, const void *descs,
			 void (*emit)(const char *line))
{
	static const struct { uint64_t bit; const char *name; } attrs[] = {
		{ EFI_MEMORY_RUNTIME, "RUN" }, { EFI_MEMORY_SP, "SP" }, { EFI_MEMORY_MORE_RELIABLE, "MR" },
		{ EFI_MEMORY_NV, "NV" }, { EFI_MEMORY_RO, "RO" }, { EFI_MEMORY_XP, "XP" },
		{ EFI_MEMORY_RP, "RP" }, { EFI_MEMORY_WP, "WP" }, { EFI_MEMORY_UCE, "UCE" },
		{ EFI_MEMORY_WB, "WB" }, { EFI_MEMORY_WT, "WT" }, { EFI_MEMORY_WC, "WC" },
		{ EFI_MEMORY_UC, "UC" },
	};
	char line[224], a[64], name[32];
	uint32_t i, k;
	size_t n;

	for (i = 0; i < bi->efi_nr_desc; i++) {
		const uint8_t *d = (const uint8_t *)descs + (size_t)i * bi->efi_desc_size;
		uint32_t type = get_unaligned_le32(d + offsetof(struct efi_memory_desc, type));
		uint64_t addr = get_unaligned_le64(d + offsetof(struct efi_memory_desc, phys_addr));
		uint64_t pages = get_unaligned_le64(d + offsetof(struct efi_memory_desc, num_pages));
		uint64_t attr = get_unaligned_le64(d + offsetof(struct efi_memory_desc, attribute));

		for (k = 0, n = 0, a[0] = '\0'; k < ARRAY_SIZE(attrs) && n < sizeof(a); k++)
			if (attr & attrs[k].bit)
				n += snprintf(a + n, sizeof(a) - n, "%s%s", n ? "|" : "", attrs[k].name);
		/* parse_efi_mmap() refused any range past 2^64: the end is exact. */
		snprintf(line, sizeof(line),
			 "efi: mem%02u: [%-12s|%s] range=[0x%016llx-0x%016llx] (%llu KiB) -> %s\n",
			 i, mb2_efi_memory_type_name(type), a, (unsigned long long)addr,
			 (unsigned long long)(pages ? addr + (pages << EFI_PAGE_SHIFT) - 1 : addr),
			 (unsigned long long)(pages << (EFI_PAGE_SHIFT - 10)),
			 pages ? mb2_memory_type_name(mb2_efi_to_e820_type(type, attr), name, sizeof(name))
			       : "(empty)");
		emit(line);
	}
}

static void emit_info(const char *line)
{
	pr_info("%s", line);
}

void mb2_print_mmap(const struct boot_info *bi)
{
	mb2_format_mmap(bi, emit_info);
}
