/* SPDX-License-Identifier: MIT */
/*
 * DOC: memory_failure.c - taking a page that went bad in use out of use
 *
 * See memory_failure.h. The work is soft_offline_page()'s (mm/migrate.c),
 * which already takes free pages off the buddy and migrates movable ones
 * before poisoning them; this file names what the page was, so the report
 * says which recovery was tried (Linux's action_page_types), and turns the
 * result into Linux's verdict.
 */
#include <errno.h>
#include <stdio.h>

#include "mm/memory_failure.h"
#include "mm/memtest.h"
#include "mm/migrate.h"
#include "mm/page.h"
#include "mm/mmzone.h"
#include "mm/sparse.h"
#include "kernel/printk.h"

/* What the page is, in the words of Linux's memory-failure messages. */
static const char *page_kind(const struct page *page)
{
	switch (page_type(page)) {
	case PGTY_BUDDY:
	case PGTY_TAIL:		/* inside a free block (or an allocated one: soft_offline tells) */
		return "free buddy page";
	case PGTY_ALLOCATED:
		if (page_maybe_dma_pinned(page))
			return "pinned page";
		return page_movable_ops(page) && !page->order ? "movable page" : "unmovable kernel page";
	case PGTY_SLAB:
		return "slab page";
	case PGTY_PAGETABLE:
		return "page table page";
	case PGTY_RESERVED:
		return "reserved kernel page";
	case PGTY_VMEMMAP_SELF_HOSTED:
		return "memmap page";
	case PGTY_OFFLINE:
		return "offline page";
	case PGTY_HWPOISON:
		return "already poisoned page";
	default:
		return "unknown page";
	}
}

/*
 * The head of the block holding pfn (a Tail belongs to the nearest head
 * below whose order covers it), or the page itself. A snapshot for the
 * message and for refusing early: soft_offline_page() decides under locks.
 */
static const struct page *block_head(unsigned long pfn)
{
	for (unsigned int o = 1; o <= MAX_PAGE_ORDER; o++) {
		unsigned long h = pfn & ~((1UL << o) - 1);
		const struct page *page;

		if (!pfn_memmap_in_use(h))
			break;
		page = pfn_to_page(h);
		if (page_type_is_head(page_type(page)) && page->order >= o)
			return page;
		if (page_type(page) != PGTY_TAIL)
			break;
	}
	return pfn_to_page(pfn);
}

int memory_failure(unsigned long pfn)
{
	const struct page *page, *head;
	char what[96];
	const char *kind;
	int ret;

	if (!pfn_memmap_in_use(pfn)) {
		pr_err("memory_failure: pfn %#lx: no memmap there (not present, offline or not initialized yet)\n",
		       pfn);
		return -ENXIO;
	}
	page = pfn_to_page(pfn);
	if (page_type(page) == PGTY_HWPOISON) {
		pr_info("memory_failure: pfn %#lx is HWPoison already\n", pfn);
		return 0;
	}
	head = page_type(page) == PGTY_TAIL ? block_head(pfn) : page;
	kind = page_kind(head);
	if (page_type(head) != PGTY_BUDDY && page_type(head) != PGTY_TAIL && head != page) {
		/* Part of an allocated block of several pages: only order-0 pages can move. */
		snprintf(what, sizeof(what), "recovery action for %s (order %u block at pfn %#lx): Ignored "
			 "(still in use)", page_type(head) == PGTY_ALLOCATED ? "unmovable kernel page" : kind,
			 head->order, page_to_pfn(head));
		hwpoison_report_range(pfn, pfn + 1, "memory_failure", what);
		return -EBUSY;
	}
	ret = soft_offline_page(pfn);
	snprintf(what, sizeof(what), "recovery action for %s: %s", kind,
		 !ret ? "Recovered" : ret == -EBUSY ? "Ignored (still in use)" : "Failed");
	hwpoison_report_range(pfn, pfn + 1, "memory_failure", what);
	return ret;
}
