/* SPDX-License-Identifier: MIT */
/*
 * DOC: migrate.c - page owners that can move their pages, pins, and migration
 *
 * Implements mm/migrate.h. What a page carries (mm/page.h):
 *   - an owner: PG_movable in _flags and the struct movable_operations in
 *     _owner[2]; only an order-0 Allocated page allocated with
 *     __GFP_MOVABLE (PG_gfp_movable) may get one. Freeing clears both
 *     (__free_pages), so a page back in the buddy never has an owner;
 *   - the isolated mark (PG_isolated): set by the migration core once the
 *     owner's isolate_page() agreed, cleared at the end of the move. While
 *     it is set the core holds a reference of its own on the page, so the
 *     owner cannot free it from under the move (__free_pages panics if
 *     the last reference of an isolated page goes);
 *   - pins: GUP_PIN_COUNTING_BIAS each in the refcount. A pinned page is
 *     never isolated, and a pin taken while it is isolated makes the
 *     owner's migrate_page() fail (it checks after stopping other users).
 * The flag bits are changed with atomic or/and: PG_isolated is set by the
 * migration core while the owner may set or clear PG_movable on the same
 * byte (the owner's lock protects its own bit, not ours).
 */
#include <errno.h>
#include <string.h>

#include "mm/migrate.h"
#include "mm/vmstat.h"
#include "mm/gfp.h"
#include "mm/pagetypes.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

const char *const migrate_reason_names[MR_TYPES] = {
	[MR_MEMORY_HOTPLUG]	= "memory_hotplug",
	[MR_CONTIG_RANGE]	= "contig_range",
	[MR_MEMORY_FAILURE]	= "memory_failure",
	[MR_SYSCALL]		= "syscall",
};

static inline uint8_t page_flags(const struct page *page)
{
	return __atomic_load_n(&page->_flags, __ATOMIC_ACQUIRE);
}

static inline void page_flags_set(struct page *page, uint8_t bits)
{
	__atomic_or_fetch(&page->_flags, bits, __ATOMIC_RELEASE);
}

static inline void page_flags_clear(struct page *page, uint8_t bits)
{
	__atomic_and_fetch(&page->_flags, (uint8_t)~bits, __ATOMIC_RELEASE);
}

/* ---- owners ---- */

void __SetPageMovable(struct page *page, const struct movable_operations *ops)
{
	unsigned long pfn = page_to_pfn(page);

	if (unlikely(!ops || !ops->name || !ops->isolate_page || !ops->migrate_page || !ops->putback_page))
		panic("__SetPageMovable: pfn %#lx: movable_operations %s incomplete (name, isolate_page, "
		      "migrate_page and putback_page are all needed)", pfn, ops && ops->name ? ops->name : "?");
	if (unlikely(page_type(page) != PGTY_ALLOCATED || page->order != 0))
		panic("__SetPageMovable(%s): pfn %#lx is %s order %u; only an order-0 Allocated page can move",
		      ops->name, pfn, page_type_name(page_type(page)), page->order);
	if (unlikely(!(page_flags(page) & PG_gfp_movable)))
		panic("__SetPageMovable(%s): pfn %#lx was not allocated with __GFP_MOVABLE", ops->name, pfn);
	page->_owner[2] = (unsigned long)ops;
	page_flags_set(page, PG_movable);	/* release: the ops are visible before the flag */
}

void __ClearPageMovable(struct page *page)
{
	if (unlikely(!(page_flags(page) & PG_movable)))
		panic("__ClearPageMovable: pfn %#lx (%s) has no owner", page_to_pfn(page),
		      page_type_name(page_type(page)));
	page_flags_clear(page, PG_movable);
	page->_owner[2] = 0;
}

const struct movable_operations *page_movable_ops(const struct page *page)
{
	if (page_type(page) != PGTY_ALLOCATED || !(page_flags(page) & PG_movable))
		return NULL;
	return (const struct movable_operations *)page->_owner[2];
}

bool PageIsolated(const struct page *page)
{
	return page_flags(page) & PG_isolated;
}

/* ---- pins ---- */

int pin_page(struct page *page)
{
	if (unlikely(page_type(page) != PGTY_ALLOCATED || page_ref_count(page) <= 0)) {
		pr_err("pin_page: pfn %#lx is %s (refcount %d), not an Allocated page: not pinned\n",
		       page_to_pfn(page), page_type_name(page_type(page)), page_ref_count(page));
		return -EINVAL;
	}
	__atomic_add_fetch(&page->refcount, GUP_PIN_COUNTING_BIAS, __ATOMIC_ACQ_REL);
	return 0;
}

void unpin_page(struct page *page)
{
	int old = __atomic_fetch_sub(&page->refcount, GUP_PIN_COUNTING_BIAS, __ATOMIC_ACQ_REL);

	if (unlikely(old < GUP_PIN_COUNTING_BIAS + 1))
		panic("unpin_page: pfn %#lx (%s) was not pinned (refcount %d)", page_to_pfn(page),
		      page_type_name(page_type(page)), old);
}
