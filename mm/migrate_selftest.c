/* SPDX-License-Identifier: MIT */
/*
 * DOC: migrate_selftest.c - in-kernel test of offline by migration on hot-added RAM
 *
 *   migrate_offline  a test owner ("selftest_owner") fills one online
 *                    movable hot-added block with movable pages, each
 *                    holding a pattern made from its slot; the block must
 *                    go offline (every page migrated out, mm/migrate.c),
 *                    every word must be intact at the new places,
 *                    pgmigrate_success must have grown by exactly the
 *                    pages owned, the walker must be clean; then the block
 *                    comes online again and everything is freed.
 * Needs hot-added blocks (boot with memhp_withhold=SIZE, at least two
 * blocks: the pages need somewhere to go); skips saying so otherwise.
 * Reports one line, `migrate_offline`, with the pages moved and the time
 * per page, for tests/qemu/test_migrate.py.
 */
#include <errno.h>
#include <string.h>

#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/migrate.h"
#include "mm/vmstat.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/slab.h"
#include "arch/x86_64/tsc.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

static struct page **owned;	/* slot -> page; page->private = slot */
static unsigned long nr_owned, nr_moved;
static struct pagetypes_result walk_res;

static uint64_t pattern(unsigned long slot, unsigned int word)
{
	return (slot * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)word << 32) ^ 0xa5a5a5a5ull;
}

static bool st_isolate(struct page *page)
{
	return true;
}

static const struct movable_operations st_ops;

/* Nobody else uses the pages (nothing maps them): copy, repoint the slot, hand the owner over. */
static int st_migrate(struct page *dst, struct page *src)
{
	unsigned long slot = src->private;

	if (slot >= nr_owned || owned[slot] != src || page_maybe_dma_pinned(src))
		return -EBUSY;
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
	dst->private = slot;
	owned[slot] = dst;
	__SetPageMovable(dst, &st_ops);
	__atomic_add_fetch(&nr_moved, 1, __ATOMIC_RELAXED);	/* offline migrates on every CPU */
	return 0;
}

static void st_putback(struct page *page)
{
}

static const struct movable_operations st_ops = {
	.name = "selftest_owner", .isolate_page = st_isolate,
	.migrate_page = st_migrate, .putback_page = st_putback,
};

static bool in_block(const struct memory_block *mem, const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	return pfn >= mem->start_pfn + mem->nr_vmemmap_pages && pfn < mem->start_pfn + mem->nr_pages;
}

static unsigned long free_pages_of_block(const struct memory_block *mem)
{
	unsigned long pfn, n = 0;

	for (pfn = mem->start_pfn + mem->nr_vmemmap_pages; pfn < mem->start_pfn + mem->nr_pages; pfn++)
		n += page_type(pfn_to_page(pfn)) != PGTY_OFFLINE;
	return n;
}

static void free_all(struct page *spare)
{
	unsigned long slot;

	while (spare) {
		struct page *p = spare;

		spare = p->next;
		p->next = NULL;
		__free_page(p);
	}
	for (slot = 0; slot < nr_owned; slot++) {
		__ClearPageMovable(owned[slot]);
		__free_page(owned[slot]);
	}
	nr_owned = 0;
}

static int test_migrate_offline(void)
{
	struct memory_block *mem, *target = NULL;
	unsigned long want, slot, blocks = 0, bad = 0, success0;
	struct page *spare = NULL, *page;
	uint64_t t0, ns;
	int ret;

	for (mem = first_memory_block(); mem; mem = next_memory_block(mem)) {
		if (mem->state != MEM_BLOCK_ONLINE || mem->zone != ZONE_MOVABLE || mem->boot)
			continue;
		blocks++;
		if (!target)
			target = mem;
	}
	if (blocks < 2) {
		pr_notice("migrate_offline: %lu online movable hot-added block(s); needs 2 "
			  "(boot with memhp_withhold=SIZE of 256M or more)\n", blocks);
		return SELFTEST_SKIP;
	}
	want = free_pages_of_block(target);
	owned = kcalloc(want, sizeof(*owned), GFP_KERNEL);
	if (!owned) {
		pr_err("migrate_offline: no memory for %lu page pointers\n", want);
		return -ENOMEM;
	}
	/* Fill the block: take movable pages until it has none left, keep the others aside. */
	drain_all_pages(NULL);
	nr_owned = nr_moved = 0;
	while (nr_owned < want && (page = alloc_pages(GFP_MOVABLE | __GFP_NOWARN, 0)) != NULL) {
		uint64_t *w = page_address(page);
		unsigned int i;

		if (!in_block(target, page)) {
			page->next = spare;
			spare = page;
			continue;
		}
		for (i = 0; i < PAGE_SIZE / 8; i++)
			w[i] = pattern(nr_owned, i);
		page->private = nr_owned;
		owned[nr_owned++] = page;
		__SetPageMovable(page, &st_ops);
	}
	/* The rest of the movable memory must be free for the targets. */
	while (spare) {
		page = spare;
		spare = page->next;
		page->next = NULL;
		__free_page(page);
	}
	if (nr_owned != want) {
		pr_err("migrate_offline: block %lu: owned %lu of its %lu pages\n", target->id, nr_owned, want);
		free_all(NULL);
		kfree(owned);
		return -EIO;
	}
	success0 = vm_event_count(PGMIGRATE_SUCCESS);
	t0 = ktime_get_ns();
	ret = memory_block_offline(target->id);
	ns = ktime_get_ns() - t0;
	if (ret) {
		pr_err("migrate_offline: offline of block %lu full of movable pages failed (%d)\n",
		       target->id, ret);
		free_all(NULL);
		kfree(owned);
		return -EIO;
	}
	for (slot = 0; slot < nr_owned; slot++) {
		const uint64_t *w = page_address(owned[slot]);
		unsigned int i;

		if (in_block(target, owned[slot]) || owned[slot]->private != slot ||
		    page_movable_ops(owned[slot]) != &st_ops) {
			if (!bad++)
				pr_err("migrate_offline: slot %lu: pfn %#lx still in the block or lost its owner\n",
				       slot, page_to_pfn(owned[slot]));
			continue;
		}
		for (i = 0; i < PAGE_SIZE / 8; i++) {
			if (w[i] != pattern(slot, i)) {
				if (!bad++)
					pr_err("migrate_offline: slot %lu pfn %#lx word %u reads %#llx, want %#llx\n",
					       slot, page_to_pfn(owned[slot]), i, (unsigned long long)w[i],
					       (unsigned long long)pattern(slot, i));
				break;
			}
		}
	}
	pagetypes_walk(&walk_res);
	report("migrate_offline", "\"block\":%lu,\"pages\":%lu,\"migrated\":%lu,\"pgmigrate_success\":%lu,"
	       "\"bad\":%lu,\"offline_ns\":%llu,\"ns_per_page\":%llu,\"walker_violations\":%lu",
	       target->id, nr_owned, nr_moved, vm_event_count(PGMIGRATE_SUCCESS) - success0, bad,
	       (unsigned long long)ns, (unsigned long long)(ns / nr_owned), walk_res.violations);
	if (walk_res.violations)
		pr_err("migrate_offline: walker: %s\n", walk_res.first_violation);
	ret = memory_block_online(target->id, MMOP_ONLINE_MOVABLE);
	if (ret)
		pr_err("migrate_offline: block %lu did not come online again (%d)\n", target->id, ret);
	if (vm_event_count(PGMIGRATE_SUCCESS) - success0 != nr_owned || nr_moved != nr_owned)
		pr_err("migrate_offline: pgmigrate_success grew by %lu, the owner moved %lu, it owns %lu\n",
		       vm_event_count(PGMIGRATE_SUCCESS) - success0, nr_moved, nr_owned);
	bad += (vm_event_count(PGMIGRATE_SUCCESS) - success0 != nr_owned) + (nr_moved != nr_owned) +
	       walk_res.violations + (ret != 0);
	free_all(NULL);
	kfree(owned);
	owned = NULL;
	return bad ? -EIO : 0;
}
SELFTEST(migrate_offline, test_migrate_offline);
