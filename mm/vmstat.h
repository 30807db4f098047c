/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmstat.h - event counters, with /proc/vmstat's names
 *
 * (Contract written by the lead; mm/vmstat.c implements it, and the shell
 * command `vmstat` prints every counter as "name value", one a line, in
 * this order, as /proc/vmstat does.)
 *
 * Counters only grow; each CPU counts into its own slot (no shared line
 * on the hot path) and a read adds the slots up.
 */
#ifndef HOTMM_MM_VMSTAT_H
#define HOTMM_MM_VMSTAT_H

#include "lib/compiler.h"

enum vm_event_item {
	PGMIGRATE_SUCCESS,	/* pages moved by migration */
	PGMIGRATE_FAIL,		/* pages migration gave up on */
	COMPACT_ISOLATED,	/* pages isolated for migration (Linux counts compaction's) */
	PGMIGRATE_PINNED,	/* pages left in place because they were pinned (hotmm's own) */
	NR_VM_EVENT_ITEMS
};

void count_vm_events(enum vm_event_item item, unsigned long delta);
static inline void count_vm_event(enum vm_event_item item) { count_vm_events(item, 1); }
/* The sum over every CPU. */
unsigned long vm_event_count(enum vm_event_item item);
/* "pgmigrate_success", ... */
const char *vm_event_name(enum vm_event_item item);

#endif
