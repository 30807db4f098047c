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
#include "mm/sparse.h"
#include "kernel/printk.h"

/* What the page is, in Linux's words (mm/memory-failure.c there: action_page_types). */
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

int memory_failure(unsigned long pfn)
{
	char what[96];
	const char *kind;
	int ret;

	if (!pfn_memmap_in_use(pfn)) {
		pr_err("memory_failure: pfn %#lx: no memmap there (not present, offline or not initialized yet)\n",
		       pfn);
		return -ENXIO;
	}
	kind = page_kind(pfn_to_page(pfn));
	if (page_type(pfn_to_page(pfn)) == PGTY_HWPOISON) {
		pr_info("memory_failure: pfn %#lx is HWPoison already\n", pfn);
		return 0;
	}
	ret = soft_offline_page(pfn);
	snprintf(what, sizeof(what), "recovery action for %s: %s", kind,
		 !ret ? "Recovered" : ret == -EBUSY ? "Ignored (still in use)" : "Failed");
	hwpoison_report_range(pfn, pfn + 1, "memory_failure", what);
	return ret;
}
