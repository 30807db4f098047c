/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmalloc_internal.h - what the movable heap shows its own self-test
 *
 * Not part of the heap's contract (mm/vmalloc.h): the heap's page owner,
 * so a test can drive isolate/migrate/putback as the migration core does,
 * and two counters since boot.
 */
#ifndef HOTMM_MM_VMALLOC_INTERNAL_H
#define HOTMM_MM_VMALLOC_INTERNAL_H

#include "mm/migrate.h"

extern const struct movable_operations vmalloc_movable_ops;

/* Pages moved by the heap's migrate_page; page faults that waited on a migration entry. */
void vmalloc_movable_counters(unsigned long *moves, unsigned long *fault_waits);

#endif
