/* SPDX-License-Identifier: MIT */
/*
 * DOC: memory_block.c - the table of memory blocks
 *
 * A sorted array of MAX_MEMORY_BLOCKS entries: hotplug happens a few times a
 * second at most and `memory` lists blocks in id order, so an insertion that
 * moves the tail is cheaper to get right than a tree, and a binary search
 * finds a block by id. No allocation means creating a block cannot fail
 * halfway: it fails only when the table is full, with a message.
 *
 * Invariants: ids strictly increase along the array; a block's pfn range is
 * [id * pages per block, +pages per block); the block size does not change
 * while the table is not empty.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/memory_block.h"
#include "mm/memory_hotplug.h"
#include "mm/zone_movable.h"
#include "kernel/printk.h"

static struct memory_block blocks[MAX_MEMORY_BLOCKS];
static unsigned int nr_blocks;
static uint64_t block_size = MIN_MEMORY_BLOCK_SIZE;

uint64_t memory_block_size_bytes(void)
{
	return block_size;
}

int set_memory_block_size(uint64_t size)
{
	if (size < MIN_MEMORY_BLOCK_SIZE || size > MAX_MEMORY_BLOCK_SIZE || (size & (size - 1))) {
		pr_err("memory_block_size=%#llx: must be a power of two from 128 MiB (one section) to %llu GiB\n",
		       (unsigned long long)size, (unsigned long long)(MAX_MEMORY_BLOCK_SIZE >> 30));
		return -EINVAL;
	}
	if (nr_blocks && size != block_size) {
		pr_err("memory_block_size: cannot change from %llu MiB to %llu MiB while %u blocks exist\n",
		       (unsigned long long)(block_size >> 20), (unsigned long long)(size >> 20), nr_blocks);
		return -EBUSY;
	}
	block_size = size;
	zone_movable_set_align(size);
	return 0;
}

/* Index of the first block with id >= the one asked for. */
static unsigned int block_slot(unsigned long id)
{
	unsigned int lo = 0, hi = nr_blocks;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (blocks[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct memory_block *find_memory_block(unsigned long id)
{
	unsigned int i = block_slot(id);

	return i < nr_blocks && blocks[i].id == id ? &blocks[i] : NULL;
}

struct memory_block *create_memory_block(unsigned long id, int nid, unsigned long nr_vmemmap_pages,
					 unsigned int range_id)
{
	unsigned int i = block_slot(id);
	struct memory_block *mem;

	if (i < nr_blocks && blocks[i].id == id) {
		pr_err("memory block %lu already exists\n", id);
		return NULL;
	}
	if (nr_blocks == MAX_MEMORY_BLOCKS) {
		pr_err("memory block %lu: the block table is full (MAX_MEMORY_BLOCKS %d); "
		       "a larger memory_block_size= needs fewer\n", id, MAX_MEMORY_BLOCKS);
		return NULL;
	}
	memmove(&blocks[i + 1], &blocks[i], (nr_blocks - i) * sizeof(blocks[0]));
	nr_blocks++;
	mem = &blocks[i];
	memset(mem, 0, sizeof(*mem));
	mem->id = id;
	mem->start_pfn = id * memory_block_pages();
	mem->nr_pages = memory_block_pages();
	mem->nid = nid;
	mem->state = MEM_BLOCK_OFFLINE;
	mem->zone = ZONE_NORMAL;
	mem->nr_vmemmap_pages = nr_vmemmap_pages;
	mem->range_id = range_id;
	return mem;
}

void remove_memory_block(struct memory_block *mem)
{
	unsigned int i = (unsigned int)(mem - blocks);

	if (i >= nr_blocks)
		return;
	memmove(&blocks[i], &blocks[i + 1], (nr_blocks - i - 1) * sizeof(blocks[0]));
	nr_blocks--;
}

struct memory_block *first_memory_block(void)
{
	return nr_blocks ? &blocks[0] : NULL;
}

struct memory_block *next_memory_block(struct memory_block *mem)
{
	unsigned int i = (unsigned int)(mem - blocks) + 1;

	return i < nr_blocks ? &blocks[i] : NULL;
}

unsigned int nr_memory_blocks(void)
{
	return nr_blocks;
}

const char *memory_block_state_name(enum memory_block_state state)
{
	switch (state) {
	case MEM_BLOCK_OFFLINE:		return "offline";
	case MEM_BLOCK_GOING_ONLINE:	return "going-online";
	case MEM_BLOCK_ONLINE:		return "online";
	case MEM_BLOCK_GOING_OFFLINE:	return "going-offline";
	}
	return "?";
}

void memory_block_valid_zones(const struct memory_block *mem, char *buf, size_t len)
{
	enum zone_type dflt;

	if (mem->state != MEM_BLOCK_OFFLINE) {
		snprintf(buf, len, "%s", zone_names[mem->zone]);
		return;
	}
	/* Zones may interleave here, so an offline block can go to either; the default first. */
	dflt = zone_for_online_type(mem->nid, MMOP_ONLINE, mem->start_pfn, mem->nr_pages);
	snprintf(buf, len, "%s %s", zone_names[dflt],
		 zone_names[dflt == ZONE_NORMAL ? ZONE_MOVABLE : ZONE_NORMAL]);
}

void memory_blocks_reset(void)
{
	memset(blocks, 0, sizeof(blocks));
	nr_blocks = 0;
	block_size = MIN_MEMORY_BLOCK_SIZE;
	zone_movable_set_align(block_size);
}
