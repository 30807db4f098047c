/* SPDX-License-Identifier: MIT */
#ifndef HOTMM_KERNEL_SYMBOLS_H
#define HOTMM_KERNEL_SYMBOLS_H

#include "lib/compiler.h"

/* Find .symtab/.strtab among the ELF section headers GRUB handed over. */
void symbols_init(const void *shdrs, uint32_t num, uint32_t entsize);
/* Name of the function containing addr (NULL if unknown), and the offset into it. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);

#endif
