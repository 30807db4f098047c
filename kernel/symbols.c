/* SPDX-License-Identifier: MIT */
/*
 * DOC: symbols.c - addresses to function names, for backtraces
 *
 * GRUB's multiboot2 ELF-sections tag lists the image's section headers and
 * loads the non-allocated ones (.symtab, .strtab) into memory, recording
 * where in sh_addr. We keep pointers to both (through the direct map) and
 * search the function symbols linearly: a panic is no hot path. Every
 * header field is checked before use, since a broken table must not turn a
 * panic into a second fault.
 */
#include <string.h>
#include "kernel/symbols.h"
#include "arch/x86_64/page.h"
#include "boot/multiboot2.h"

struct elf64_sym {
	uint32_t st_name;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
};

#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define STT_FUNC 2

static const struct elf64_sym *symtab;
static size_t nsyms;
static const char *strtab;
static size_t strsize;

void symbols_init(const void *shdrs, uint32_t num, uint32_t entsize)
{
	const uint8_t *base = shdrs;

	if (entsize < sizeof(struct elf64_shdr))
		return;
	for (uint32_t i = 0; i < num; i++) {
		const struct elf64_shdr *sh = (const void *)(base + (size_t)i * entsize);
		const struct elf64_shdr *str;

		if (sh->sh_type != SHT_SYMTAB || sh->sh_link >= num || !sh->sh_addr)
			continue;
		str = (const void *)(base + (size_t)sh->sh_link * entsize);
		if (str->sh_type != SHT_STRTAB || !str->sh_addr)
			continue;
		symtab = __va(sh->sh_addr);
		nsyms = sh->sh_size / sizeof(struct elf64_sym);
		strtab = __va(str->sh_addr);
		strsize = str->sh_size;
		return;
	}
}

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	const struct elf64_sym *best = NULL;

	for (size_t i = 0; i < nsyms; i++) {
		const struct elf64_sym *s = &symtab[i];

		if ((s->st_info & 0xf) != STT_FUNC || s->st_value > addr)
			continue;
		if (addr < s->st_value + (s->st_size ? s->st_size : 1) &&
		    (!best || s->st_value > best->st_value))
			best = s;
	}
	if (!best || best->st_name >= strsize)
		return NULL;
	*offset = addr - best->st_value;
	return strtab + best->st_name;
}
