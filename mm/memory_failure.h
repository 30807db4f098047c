/* SPDX-License-Identifier: MIT */
/*
 * DOC: memory_failure.h - a page found bad after it went into use
 *
 * memory_failure(pfn) is Linux's entry for a hardware error reported on a
 * page (a machine check, a scrubber, the shell's `hwpoison PFN`): the page
 * is taken out of use if that can be done without losing anybody's data -
 * a free page leaves the buddy, an allocated movable page is migrated
 * first (soft_offline_page, mm/migrate.c) - and becomes HWPoison: never
 * allocated again, counted in HardwareCorrupted, stepped over by offline.
 * A page that cannot move (kernel data, page tables, a pin, reserved boot
 * memory) stays in use and is reported: recovering it is its owner's
 * business. Every call reports once (hwpoison_report_range, mm/memtest.h)
 * with the physical address, node, memory block, DIMM slot and Linux's
 * verdict ("Recovered", "Ignored", "Failed").
 */
#ifndef HOTMM_MM_MEMORY_FAILURE_H
#define HOTMM_MM_MEMORY_FAILURE_H

#include "lib/compiler.h"

/*
 * 0 when the page is HWPoison now (or was already); -ENXIO: no memmap at
 * pfn; -EBUSY: it is in use and cannot move (reported, left as it was);
 * -EAGAIN / -ENOMEM: it could move but did not this time.
 */
int memory_failure(unsigned long pfn);

#endif
