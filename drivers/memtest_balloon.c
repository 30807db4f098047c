/* SPDX-License-Identifier: MIT */
/*
 * DOC: memtest_balloon.c - a test driver that keeps part of hot-added memory fake-offline
 *
 * What virtio-mem and the Hyper-V balloon do with partly plugged blocks,
 * reduced to what exercises the hotplug core (docs/hotplug.md):
 *   - its online callback keeps one max-order piece in every `one_in` of each
 *     block going online as Offline pages (refcount 1: present, not managed)
 *     and hands the rest to the buddy through generic_online_page();
 *   - in MEM_GOING_OFFLINE it drops the refcount of the pages it holds in the
 *     block to 0, which lets offline_pages() take the block; on
 *     MEM_CANCEL_OFFLINE it takes the references back; on MEM_OFFLINE it
 *     forgets the pages (they went with the block);
 *   - memtest_balloon_take() takes an allocated page of an online block
 *     (inflating, as virtio-balloon does) through page_take_offline(),
 *     which also takes it out of managed_pages;
 *   - memtest_balloon_deflate() gives every held page to the buddy.
 * managed_pages counts none of the held pages, however they came: pieces
 * kept at online time never reached the buddy, taken pages left managed
 * when taken. So offlining a block (which subtracts only the free blocks
 * it takes) and deflating (generic_online_page() adds one per page) keep
 * managed exact, as in Linux where a balloon calls
 * adjust_managed_page_count() when it takes and when it gives back.
 * In an online block the only Offline pages are the ones it holds (it is the
 * only driver setting the callback), so it finds its pages by their type
 * instead of keeping a list. The callback may run on several CPUs at once:
 * the counter is atomic, the pages are each CPU's own piece.
 */
#include <errno.h>

#include "drivers/memtest_balloon.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_alloc.h"
#include "kernel/printk.h"

static unsigned int balloon_one_in;
static unsigned long balloon_held;		/* atomic: pages held Offline */
static unsigned long balloon_going;		/* pages released in the pending MEM_GOING_OFFLINE */
static bool balloon_on;

static void balloon_online_page(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	if ((pfn / MAX_ORDER_NR_PAGES) % balloon_one_in == 0) {
		__atomic_add_fetch(&balloon_held, 1UL << order, __ATOMIC_RELAXED);
		return;		/* stays Offline, refcount 1, as memmap init left it */
	}
	generic_online_page(page, order);
}

/* Set the refcount of the held pages of the range to ref; returns how many. */
static unsigned long balloon_set_refs(const struct memory_notify *arg, int from, int to)
{
	unsigned long pfn, n = 0;

	for (pfn = arg->start_pfn; pfn < arg->start_pfn + arg->nr_pages; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (page_type(page) == PGTY_OFFLINE && page_ref_count(page) == from) {
			page->refcount = to;
			n++;
		}
	}
	return n;
}

static int balloon_notify(struct memory_notifier *nb, enum memory_notify_action action,
			  const struct memory_notify *arg)
{
	switch (action) {
	case MEM_GOING_OFFLINE:
		balloon_going = balloon_set_refs(arg, 1, 0);
		break;
	case MEM_CANCEL_OFFLINE:
		balloon_set_refs(arg, 0, 1);
		balloon_going = 0;
		break;
	case MEM_OFFLINE:
		__atomic_sub_fetch(&balloon_held, balloon_going, __ATOMIC_RELAXED);
		balloon_going = 0;
		break;
	default:
		break;
	}
	return 0;
}

static struct memory_notifier balloon_nb = { .fn = balloon_notify };

int memtest_balloon_start(unsigned int one_in)
{
	int ret;

	if (balloon_on) {
		pr_err("memtest_balloon: already running (1 piece in %u held)\n", balloon_one_in);
		return -EBUSY;
	}
	if (one_in == 0) {
		pr_err("memtest_balloon: share 1 in 0 pieces makes no sense\n");
		return -EINVAL;
	}
	balloon_one_in = one_in;
	ret = set_online_page_callback(balloon_online_page);
	if (ret)
		return ret;
	register_memory_notifier(&balloon_nb);
	balloon_on = true;
	return 0;
}

int memtest_balloon_take(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	struct memory_block *mem;
	int ret;

	if (!balloon_on) {
		pr_err("memtest_balloon: not running, cannot take pfn %#lx\n", pfn);
		return -EINVAL;
	}
	/* The block must not go offline (nor the block table move) while we look and take. */
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	mem = find_memory_block(pfn_to_block_id(pfn));
	if (!mem || mem->boot || mem->state != MEM_BLOCK_ONLINE || pfn < mem->start_pfn + mem->nr_vmemmap_pages ||
	    page_type(page) != PGTY_ALLOCATED || page->order || page_ref_count(page) != 1) {
		mem_hotplug_done();
		pr_err("memtest_balloon: pfn %#lx is not an order-0 allocated page of an online hot-added "
		       "memory block\n",
		       pfn);
		return -EINVAL;
	}
	page_take_offline(page);
	__atomic_add_fetch(&balloon_held, 1, __ATOMIC_RELAXED);
	mem_hotplug_done();
	return 0;
}

unsigned long memtest_balloon_held(void)
{
	return __atomic_load_n(&balloon_held, __ATOMIC_RELAXED);
}

unsigned long memtest_balloon_deflate(void)
{
	struct memory_block *mem;
	unsigned long given = 0, pfn;

	/* Blocks must neither go offline nor move in their table under us. */
	if (mem_hotplug_begin())
		return 0;
	for (mem = first_memory_block(); mem; mem = next_memory_block(mem)) {
		if (mem->state != MEM_BLOCK_ONLINE)
			continue;
		for (pfn = mem->start_pfn + mem->nr_vmemmap_pages; pfn < mem->start_pfn + mem->nr_pages; pfn++) {
			struct page *page = pfn_to_page(pfn);

			if (page_type(page) == PGTY_OFFLINE) {
				generic_online_page(page, 0);
				given++;
			}
		}
	}
	mem_hotplug_done();
	__atomic_sub_fetch(&balloon_held, given, __ATOMIC_RELAXED);
	return given;
}

void memtest_balloon_stop(void)
{
	if (!balloon_on)
		return;
	unregister_memory_notifier(&balloon_nb);
	restore_online_page_callback(balloon_online_page);
	balloon_on = false;
}

void memtest_balloon_reset(void)
{
	balloon_on = false;
	balloon_held = balloon_going = 0;
	balloon_one_in = 0;
}
