/* SPDX-License-Identifier: MIT */
/*
 * DOC: memory_block.h - memory blocks: the units memory goes online and offline in
 *
 * Hot-added memory is cut into blocks of memory_block_size_bytes() (128 MiB
 * by default, `memory_block_size=` to change it: a power-of-two multiple of
 * the 128 MiB section). A block is Linux's /sys/devices/system/memory/memoryN:
 * N is its id (start address / block size), phys_index its first section,
 * state reads "online", "offline" or "going-offline", valid_zones the zones
 * it may go to (offline) or the one it is in (online).
 *
 * Each block remembers how many pages at its start hold its own memmap
 * (self-hosted vmemmap, VmemmapSelfHosted pages of ZONE_NORMAL: docs/hotplug.md),
 * so onlining and offlining never look at uninitialized struct pages to find
 * out. The table is static (MAX_MEMORY_BLOCKS entries, sorted by id); a block
 * beyond it is refused with a message, not lost.
 *
 * Boot RAM has blocks too (memory_blocks_init_boot(), memory0 up): one
 * per block-sized piece of the physical space with a present boot section,
 * online in the zone its pages were initialized in, memmap from memblock
 * (so nr_vmemmap_pages 0), `boot` set. Such a block may hold holes (pfns
 * without RAM) and, where a section straddles nodes, RAM of another node;
 * either keeps it from going offline, as in Linux.
 *
 * Blocks are created and changed only by mm/memory_hotplug.c, under its
 * lock; creating or removing one moves the table, so anybody else reading
 * it (the shell, drivers) holds that lock too (mem_hotplug_begin/done),
 * or copies what it needs under it.
 */
#ifndef HOTMM_MM_MEMORY_BLOCK_H
#define HOTMM_MM_MEMORY_BLOCK_H

#include "lib/compiler.h"
#include "mm/mmzone.h"

#define MAX_MEMORY_BLOCKS	2048
#define MIN_MEMORY_BLOCK_SIZE	SZ_128M		/* one section */
#define MAX_MEMORY_BLOCK_SIZE	(1ULL << 34)	/* 16 GiB: its memmap (256 MiB) still fits the block */

enum memory_block_state {
	MEM_BLOCK_OFFLINE,
	MEM_BLOCK_GOING_ONLINE,
	MEM_BLOCK_ONLINE,
	MEM_BLOCK_GOING_OFFLINE,
};

struct memory_block {
	unsigned long id;			/* start pfn / pages per block */
	unsigned long start_pfn;
	unsigned long nr_pages;
	int nid;
	enum memory_block_state state;
	enum zone_type zone;			/* while online (or going offline) */
	unsigned long nr_vmemmap_pages;		/* self-hosted memmap at start_pfn */
	unsigned int range_id;			/* the add_memory() call that created it */
	unsigned long online_count;		/* times onlined, for `memory` */
	bool boot;				/* boot RAM: memmap from memblock, no add_memory() range */
};

/* Block size in bytes / pages; the size can change only while no block exists. */
uint64_t memory_block_size_bytes(void);
static inline unsigned long memory_block_pages(void)
{
	return (unsigned long)(memory_block_size_bytes() >> PAGE_SHIFT);
}
/* Returns 0, or -EINVAL / -EBUSY after saying what was wrong with size. */
int set_memory_block_size(uint64_t size);

static inline unsigned long pfn_to_block_id(unsigned long pfn)
{
	return pfn / memory_block_pages();
}
static inline unsigned long memory_block_phys_index(const struct memory_block *mem)
{
	return mem->start_pfn >> (27 - PAGE_SHIFT);	/* first section number */
}

/* NULL when no block has this id. */
struct memory_block *find_memory_block(unsigned long id);
/* Add a block, state offline. Returns it, or NULL after a message (table full, exists). */
struct memory_block *create_memory_block(unsigned long id, int nid, unsigned long nr_vmemmap_pages,
					 unsigned int range_id);
void remove_memory_block(struct memory_block *mem);

/* Blocks in id order: for (mem = first_memory_block(); mem; mem = next_memory_block(mem)). */
struct memory_block *first_memory_block(void);
struct memory_block *next_memory_block(struct memory_block *mem);
unsigned int nr_memory_blocks(void);

const char *memory_block_state_name(enum memory_block_state state);
/* "Normal", "Movable", or for an offline block the zones it may go to, default first. */
void memory_block_valid_zones(const struct memory_block *mem, char *buf, size_t len);

/* Host tests: forget every block and go back to 128 MiB. */
void memory_blocks_reset(void);

#endif
