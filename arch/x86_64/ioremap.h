/* SPDX-License-Identifier: MIT */
/*
 * DOC: ioremap.h - reaching memory that is not RAM
 *
 * ACPI tables sit in e820-reserved memory and the LAPIC/IOAPIC/HPET are MMIO:
 * none of them is in the direct map. early_memremap() maps firmware ranges
 * (cached) and ioremap() maps device registers (uncached) into a window of
 * kernel virtual space. Mappings are 4 KiB granular and may be shared; a
 * range that is already RAM is returned through the direct map.
 * early_memunmap() and iounmap() take a mapping away on every CPU (TLB
 * shootdown) before its page-table pages are reused.
 */
#ifndef HOTMM_ARCH_IOREMAP_H
#define HOTMM_ARCH_IOREMAP_H

#include "arch/x86_64/page.h"

#define __iomem

void *early_memremap(phys_addr_t phys, unsigned long size);
void early_memunmap(void *virt, unsigned long size);
void __iomem *ioremap(phys_addr_t phys, unsigned long size);
void iounmap(void __iomem *virt);

#endif
