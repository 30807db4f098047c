/* SPDX-License-Identifier: MIT */
/*
 * DOC: desc.h - one CPU's GDT and TSS
 */
#ifndef HOTMM_ARCH_DESC_H
#define HOTMM_ARCH_DESC_H

#include "lib/compiler.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct cpu_desc {
	uint64_t gdt[5];	/* null, code 0x08, data 0x10, TSS 0x18 (two slots) */
	struct tss tss;
} __aligned(64);

/* Fill d (IST1-3 = ist_top: #DF, NMI, #MC) and load it on this CPU. */
void gdt_load_cpu(struct cpu_desc *d, const uint64_t ist_top[3]);

#endif
