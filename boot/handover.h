/* SPDX-License-Identifier: MIT */
/*
 * DOC: handover.h - what the firmware handed over, after boot
 *
 * start_kernel() (kernel/main.c) fills boot_info from GRUB's multiboot2
 * information before anything else; it is not written after that. This
 * part reads the EFI system table once ACPI is up (early_memremap() works
 * then), and the `mmap` shell command shows all of it.
 */
#ifndef HOTMM_BOOT_HANDOVER_H
#define HOTMM_BOOT_HANDOVER_H

#include "boot/multiboot2.h"

extern struct boot_info boot_info;	/* kernel/main.c */

/* Read the EFI system table GRUB pointed to, if any (boot/efi.h). */
void efi_init(void);

#endif
