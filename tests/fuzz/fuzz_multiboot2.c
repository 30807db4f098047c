// SPDX-License-Identifier: MIT
/*
 * DOC: fuzz_multiboot2.c - libFuzzer target for boot/multiboot2.c
 *
 * Any bytes are a possible boot information structure. The parser must
 * either accept them with a consistent boot_info or refuse them with a
 * message, and never read outside the buffer (ASan) or hit undefined
 * behaviour (UBSan). The input is copied into a heap buffer of exactly its
 * size, 8-byte aligned as GRUB's is, so an overread of even one byte shows.
 * Seeds: tests/fuzz/corpus/multiboot2/, written by gen_multiboot2_corpus.py.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/multiboot2.h"
#include "tests/host/host_stubs.h"

#define INFO_PHYS 0x10000ull

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

static void log_line(const char *line)
{
	check(strlen(line) > 0 && line[strlen(line) - 1] == '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi, again;
	char err[256];
	uint8_t *buf = malloc(size ? size : 1);	/* malloc is 16-byte aligned */
	uint32_t total;
	int ret;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ret = mb2_parse_buf(buf, size, INFO_PHYS, &bi, err, sizeof(err));
	if (ret) {
		check(ret == -EINVAL);
		check(!strncmp(err, "multiboot2 info", 15));
		check(bi.total_size == 0 && bi.nr_mmap == 0);
	} else {
		check(err[0] == '\0');
		check(bi.total_size >= 16 && bi.total_size <= size);
		check(bi.info_phys == INFO_PHYS);
		check(bi.nr_mmap <= MB2_MMAP_MAX && bi.nr_modules <= MB2_MODULES_MAX);
		check(memchr(bi.cmdline, 0, sizeof(bi.cmdline)) != NULL);
		check(memchr(bi.loader_name, 0, sizeof(bi.loader_name)) != NULL);
		check(bi.rsdp_len <= MB2_RSDP_MAX);
		check(!bi.elf_shdrs_phys ||
		      bi.elf_shdrs_phys + (uint64_t)bi.elf_num * bi.elf_entsize <= INFO_PHYS + bi.total_size);
		check(!bi.efi_mmap_phys ||
		      bi.efi_mmap_phys + (uint64_t)bi.efi_nr_desc * bi.efi_desc_size <= INFO_PHYS + bi.total_size);
		check(bi.nr_e820_tag <= MB2_MMAP_MAX);
		check(bi.mmap_source == (bi.efi_mmap_phys ? MB2_MMAP_EFI :
					 bi.nr_e820_tag ? MB2_MMAP_E820_TAG : MB2_MMAP_NONE));
		/* A map from UEFI is sorted, without overlaps or empty ranges. */
		for (uint32_t i = 0; bi.mmap_source == MB2_MMAP_EFI && i < bi.nr_mmap; i++) {
			check(bi.mmap[i].len != 0);
			check(bi.mmap[i].addr + bi.mmap[i].len - 1 >= bi.mmap[i].addr);
			check(!i || bi.mmap[i].addr > bi.mmap[i - 1].addr + bi.mmap[i - 1].len - 1);
		}
		mb2_print_mmap(&bi);
		mb2_format_e820_tag(&bi, log_line);
		if (bi.efi_mmap_phys)
			mb2_format_efi_mmap(&bi, buf + (bi.efi_mmap_phys - INFO_PHYS), log_line);
		host_log_clear();
	}
	/* The kernel's entry point reads total_size bytes: only where they exist. */
	if (size >= 8) {
		memcpy(&total, buf, sizeof(total));
		if (total <= size) {
			check(mb2_parse(buf, INFO_PHYS, &again, err, sizeof(err)) == ret);
			check(!memcmp(&bi, &again, sizeof(bi)));
		}
	}
	free(buf);
	return 0;
}
