/* SPDX-License-Identifier: MIT */
/*
 * DOC: vmalloc.c - the movable heap: stable addresses over pages that can move
 *
 * Implements mm/vmalloc.h. The heap owns the window [VMALLOC_MOVABLE_START,
 * VMALLOC_MOVABLE_END) (arch/x86_64/page.h). Ranges come from a first-fit
 * allocator with one unmapped guard page after each area (mm/vmalloc_area.c);
 * each area's record and its page array (Linux's vm_struct->pages) are
 * kmalloc'd. Every page of an area is an order-0 GFP_MOVABLE page mapped
 * with one 4 KiB PTE, owned by the heap (__SetPageMovable with
 * vmalloc_movable_ops) and with page->private = the address it backs.
 *
 * Moving a page (called by the migration core of mm/migrate.h between
 * isolate_page and the end of the move), as Linux moves a page mapped by
 * user PTEs (try_to_migrate puts migration entries in,
 * remove_migration_ptes takes them out):
 *   1. swap the PTE for a migration entry (arch/x86_64/pgtable.h): not
 *      present, the old pfn, a software marker;
 *   2. flush_tlb_kernel_range on every CPU: from now on no CPU reaches the
 *      old page through the address; one that touches it faults and waits
 *      in vmalloc_fault() until step 5;
 *   3. a pin that appeared meanwhile (page_maybe_dma_pinned) makes the move
 *      fail: the old PTE goes back, -EBUSY;
 *   4. copy the 4 KiB through the direct map - nobody writes to the old
 *      page any more, so the copy is complete;
 *   5. point the PTE at the new page (present, same flags): the waiting
 *      CPUs retry their access and reach the new page. No flush: a
 *      not-present entry is never cached.
 * Without step 1-2 a write between the copy and the PTE switch lands in
 * the old page and is lost (mm/vmalloc_selftest.c shows it).
 * The core moves a batch in two phases (mm/migrate.h): vmalloc_unmap_page
 * does step 1 for each page and records its address; the core flushes
 * once for the batch (step 2); vmalloc_move_page does steps 3-5 for each.
 * vmalloc_migrate_page, the one-page path, is the two with the flush
 * between them.
 *
 * Lifetime. An area is POPULATING while vmalloc_movable fills it, LIVE
 * once returned, FREEING from the moment vfree takes it. isolate_page
 * agrees only for a page of a LIVE area that is the page the area's array
 * names for its address, and counts it in area->isolated; the move's end
 * (success in migrate_page, failure in putback_page, which the core calls
 * after a failed migrate_page) uncounts it. vfree marks the area FREEING
 * under the lock, so no new move starts, and waits for area->isolated to
 * reach 0 before it unmaps: when it unmaps, no PTE of the area is a
 * migration entry (kernel_unmap clears present entries only) and the
 * array names every page. Teardown is Linux's order: kernel_unmap (clear,
 * flush every CPU, free page-table pages), then the owner is cleared and
 * the pages freed, then the range is given back to the allocator.
 *
 * Context: vmalloc_movable and vfree map, unmap and flush, so they are
 * called from process context (not from an interrupt handler), as
 * kernel_unmap demands; vmalloc_fault runs in the #PF handler. A move
 * keeps interrupts off on the moving CPU from step 1 to 5 - for a batch,
 * from its first step 1 to its last step 5 (the core does it) - so only
 * the other CPUs can meet its migration entries (the mover would wait for
 * itself); the mover itself touches the pages through the direct map
 * only, never through heap addresses. An NMI handler must not touch heap
 * memory.
 *
 * Locking. vmap_lock (interrupts off) guards the range list, each area's
 * state, isolated count and page array; it is never held across a TLB
 * flush, a copy or a page allocation. PTEs are read and swapped under the
 * page-table lock (kernel_pte_get/kernel_pte_xchg). Only one move of a page
 * runs at a time (the core isolates a page once), so between steps 1 and 5
 * nobody else changes the PTE but the CPU setting Accessed/Dirty, which the
 * atomic swap keeps.
 */
#include <errno.h>
#include <string.h>

#include "mm/vmalloc.h"
#include "mm/vmalloc_area.h"
#include "mm/vmalloc_internal.h"
#include "mm/migrate.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/memblock.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tlb.h"
#include "kernel/printk.h"

enum vmalloc_area_state {
	VMAP_POPULATING,	/* vmalloc_movable is mapping its pages: not movable yet */
	VMAP_LIVE,		/* handed out: its pages may move */
	VMAP_FREEING,		/* vfree took it: no new move; waits for moves in flight */
};

static DEFINE_SPINLOCK(vmap_lock);
static struct vmap_space heap = VMAP_SPACE_INIT(VMALLOC_MOVABLE_START, VMALLOC_MOVABLE_END, PAGE_SIZE);
static unsigned long heap_moves;	/* pages moved (atomic) */
static unsigned long heap_fault_waits;	/* faults that waited for a move (atomic) */

static bool vmalloc_isolate_page(struct page *page);
static int vmalloc_migrate_page(struct page *dst, struct page *src);
static void vmalloc_putback_page(struct page *page);
static int vmalloc_unmap_page(struct page *dst, struct page *src, struct tlbflush_unmap_batch *tlb);
static int vmalloc_move_page(struct page *dst, struct page *src);

const struct movable_operations vmalloc_movable_ops = {
	.name = "vmalloc_movable",
	.isolate_page = vmalloc_isolate_page,
	.migrate_page = vmalloc_migrate_page,
	.putback_page = vmalloc_putback_page,
	.unmap_page = vmalloc_unmap_page,
	.move_page = vmalloc_move_page,
};

bool is_vmalloc_movable_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_MOVABLE_START && a < VMALLOC_MOVABLE_END;
}

static inline unsigned long area_index(const struct vmap_area *a, unsigned long va)
{
	return (va - a->va_start) >> PAGE_SHIFT;
}

/*
 * Unmap the first @nr pages of @a (flushed on every CPU), then drop their
 * owner and free them, then give the range back. Nothing may move them:
 * the area is POPULATING or FREEING with no move in flight.
 */
static void area_teardown(struct vmap_area *a, unsigned long nr)
{
	unsigned long irqf;

	if (nr)
		kernel_unmap(a->va_start, nr << PAGE_SHIFT);
	for (unsigned long i = 0; i < nr; i++) {
		__ClearPageMovable(a->pages[i]);
		__free_page(a->pages[i]);
	}
	spin_lock_irqsave(&vmap_lock, irqf);
	free_vmap_area(&heap, a);
	spin_unlock_irqrestore(&vmap_lock, irqf);
	kfree(a->pages);
	kfree(a);
}

void *vmalloc_movable_node(size_t size, int nid)
{
	unsigned long bytes, nr, i, irqf;
	const char *why = NULL;
	struct vmap_area *a;
	int ret;

	if (!size || size > VMALLOC_MOVABLE_END - VMALLOC_MOVABLE_START) {
		pr_warn("vmalloc_movable: %zu bytes: %s\n", size,
			size ? "larger than the heap's window" : "nothing to allocate");
		return NULL;
	}
	bytes = ALIGN(size, PAGE_SIZE);
	nr = bytes >> PAGE_SHIFT;
	/* Quiet: the one message below says what failed. */
	a = kzalloc(sizeof(*a), GFP_KERNEL | __GFP_NOWARN);
	if (a)
		a->pages = kcalloc(nr, sizeof(*a->pages), GFP_KERNEL | __GFP_NOWARN);
	if (!a || !a->pages) {
		pr_err("vmalloc_movable: %zu bytes: no memory for the area's page array (%lu pages)\n",
		       size, nr);
		kfree(a);
		return NULL;
	}
	a->state = VMAP_POPULATING;
	a->nr_pages = nr;
	spin_lock_irqsave(&vmap_lock, irqf);
	ret = alloc_vmap_area(&heap, a, bytes);
	spin_unlock_irqrestore(&vmap_lock, irqf);
	if (ret) {
		pr_err("vmalloc_movable: %zu bytes: no free range in the heap's window (%lu areas, %lu pages)\n",
		       size, heap.nr_areas, heap.busy >> PAGE_SHIFT);
		kfree(a->pages);
		kfree(a);
		return NULL;
	}

	for (i = 0; i < nr; i++) {
		unsigned long va = a->va_start + (i << PAGE_SHIFT);
		/* alloc_pages_node prefers nid and falls back to any node (mm/gfp.h). */
		struct page *page = alloc_pages_node(nid, GFP_MOVABLE | __GFP_NOWARN, 0);

		if (!page) {
			why = "out of memory";
			break;
		}
		page->private = va;
		if (kernel_map(va, page_to_phys(page), PAGE_SIZE, KMAP_RW | KMAP_4K)) {
			__free_page(page);
			why = "no page-table page";
			break;
		}
		a->pages[i] = page;
		/* Movable now, but isolate_page refuses it until the area is LIVE. */
		__SetPageMovable(page, &vmalloc_movable_ops);
	}
	if (why) {
		pr_err("vmalloc_movable: %zu bytes (node %d): %s after %lu of %lu pages; all given back\n",
		       size, nid, why, i, nr);
		area_teardown(a, i);
		return NULL;
	}
	spin_lock_irqsave(&vmap_lock, irqf);
	a->state = VMAP_LIVE;
	spin_unlock_irqrestore(&vmap_lock, irqf);
	return (void *)a->va_start;
}

void *vmalloc_movable(size_t size)
{
	return vmalloc_movable_node(size, NUMA_NO_NODE);
}

void vfree(const void *addr)
{
	unsigned long va = (unsigned long)addr, irqf;
	struct vmap_area *a;

	if (!addr)
		return;
	spin_lock_irqsave(&vmap_lock, irqf);
	a = is_vmalloc_movable_addr(addr) ? find_vmap_area(&heap, va) : NULL;
	if (!a || a->va_start != va || a->state != VMAP_LIVE) {
		int state = a ? a->state : -1;

		spin_unlock_irqrestore(&vmap_lock, irqf);
		pr_err("vfree: %p is %s; ignored\n", addr,
		       !a ? "in no movable-heap area" : a->va_start != va ? "inside an area, not its start" :
		       state == VMAP_FREEING ? "being freed already (double free?)" : "still being allocated");
		return;
	}
	a->state = VMAP_FREEING;	/* isolate_page refuses its pages from now on */
	spin_unlock_irqrestore(&vmap_lock, irqf);
	/* Moves in flight end in migrate_page or putback_page; wait for them. */
	while (__atomic_load_n(&a->isolated, __ATOMIC_ACQUIRE))
		cpu_relax();
	area_teardown(a, a->nr_pages);
}

size_t vmalloc_size(const void *addr)
{
	unsigned long va = (unsigned long)addr, irqf;
	struct vmap_area *a;
	size_t size = 0;

	if (!is_vmalloc_movable_addr(addr))
		return 0;
	spin_lock_irqsave(&vmap_lock, irqf);
	a = find_vmap_area(&heap, va);
	if (a && a->va_start == va && a->state == VMAP_LIVE)
		size = a->va_end - a->va_start;
	spin_unlock_irqrestore(&vmap_lock, irqf);
	return size;
}

void vmalloc_movable_stats(unsigned long *areas, unsigned long *pages)
{
	unsigned long irqf;

	spin_lock_irqsave(&vmap_lock, irqf);
	*areas = heap.nr_areas;
	*pages = heap.busy >> PAGE_SHIFT;
	spin_unlock_irqrestore(&vmap_lock, irqf);
}

void vmalloc_movable_counters(unsigned long *moves, unsigned long *fault_waits)
{
	*moves = __atomic_load_n(&heap_moves, __ATOMIC_RELAXED);
	*fault_waits = __atomic_load_n(&heap_fault_waits, __ATOMIC_RELAXED);
}

/* ---- moving a page ---- */

/* The LIVE or FREEING area whose array names @page at page->private; vmap_lock held. */
static struct vmap_area *page_area(const struct page *page)
{
	struct vmap_area *a;

	if (!is_vmalloc_movable_addr((void *)page->private))
		return NULL;
	a = find_vmap_area(&heap, page->private);
	if (!a || a->state == VMAP_POPULATING || a->pages[area_index(a, page->private)] != page)
		return NULL;
	return a;
}

static bool vmalloc_isolate_page(struct page *page)
{
	struct vmap_area *a;
	unsigned long irqf;
	bool ok;

	spin_lock_irqsave(&vmap_lock, irqf);
	a = page_area(page);
	ok = a && a->state == VMAP_LIVE;	/* an area being freed keeps its pages */
	if (ok)
		a->isolated++;
	spin_unlock_irqrestore(&vmap_lock, irqf);
	return ok;
}

/* The move of an isolated page ended (moved or not): vfree may go on. */
static void area_unisolate(struct vmap_area *a, unsigned long idx, struct page *now)
{
	unsigned long irqf;

	spin_lock_irqsave(&vmap_lock, irqf);
	a->pages[idx] = now;
	__atomic_store_n(&a->isolated, a->isolated - 1, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&vmap_lock, irqf);
}

static void vmalloc_putback_page(struct page *page)
{
	struct vmap_area *a;
	unsigned long irqf;

	spin_lock_irqsave(&vmap_lock, irqf);
	a = page_area(page);
	spin_unlock_irqrestore(&vmap_lock, irqf);
	if (a)
		area_unisolate(a, area_index(a, page->private), page);
	else
		pr_err("vmalloc_movable: putback of pfn %#lx (va %#lx), which the heap never isolated\n",
		       page_to_pfn(page), page->private);
}

/*
 * Steps 1 (and the flush of 2 recorded, not done): the batch's first phase
 * (mm/migrate.h, 4a). The core has interrupts off on this CPU from here to
 * the end of vmalloc_move_page. The PTE this replaces is kept in
 * dst->private for vmalloc_move_page to put back should the move fail.
 */
static int vmalloc_unmap_page(struct page *dst, struct page *src, struct tlbflush_unmap_batch *tlb)
{
	unsigned long va = src->private, irqf;
	struct vmap_area *a;
	uint64_t old;

	spin_lock_irqsave(&vmap_lock, irqf);
	a = page_area(src);
	spin_unlock_irqrestore(&vmap_lock, irqf);
	if (!a || !__atomic_load_n(&a->isolated, __ATOMIC_ACQUIRE)) {
		pr_err("vmalloc_movable: migrate_page of pfn %#lx (va %#lx), which the heap did not isolate\n",
		       page_to_pfn(src), va);
		return -EINVAL;
	}
	old = kernel_pte_get(va);
	if (!(old & _PAGE_PRESENT) || PHYS_PFN(old & PTE_ADDR_MASK) != page_to_pfn(src)) {
		pr_err("vmalloc_movable: va %#lx: PTE %#llx does not map pfn %#lx\n", va,
		       (unsigned long long)old, page_to_pfn(src));
		return -EINVAL;
	}
	/* From the flush on nobody reaches src through va; touching va faults and waits. */
	dst->private = kernel_pte_xchg(va, make_migration_entry(old));
	set_tlb_ubc_flush_pending(tlb, va, va + PAGE_SIZE);
	return 0;
}

/*
 * Steps 3-5, after the flush (mm/migrate.h, 4c). Touches src and dst
 * through the direct map only, never heap addresses: this CPU may hold
 * other migration entries of the batch, and would wait for itself.
 */
static int vmalloc_move_page(struct page *dst, struct page *src)
{
	unsigned long va = src->private, irqf, idx;
	uint64_t old = dst->private, cur;
	struct vmap_area *a;

	/* 3: a pin taken while the page was isolated forbids the move; the PTE goes back as it was. */
	if (page_maybe_dma_pinned(src)) {
		kernel_pte_xchg(va, old);
		return -EBUSY;
	}
	/* 4-5: copy everything ever written to src, then let the waiters reach dst. */
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
	dst->private = va;
	cur = kernel_pte_xchg(va, (old & ~PTE_ADDR_MASK) | page_to_phys(dst));
	if (unlikely(!is_migration_entry(cur)))
		panic("vmalloc_movable: va %#lx: migration entry replaced by %#llx during the move",
		      va, (unsigned long long)cur);
	__SetPageMovable(dst, &vmalloc_movable_ops);
	/* Isolated, so its area is not torn down meanwhile (vfree waits). */
	spin_lock_irqsave(&vmap_lock, irqf);
	a = page_area(src);
	spin_unlock_irqrestore(&vmap_lock, irqf);
	if (unlikely(!a))
		panic("vmalloc_movable: va %#lx: the area of isolated pfn %#lx is gone during its move",
		      va, page_to_pfn(src));
	idx = area_index(a, va);
	area_unisolate(a, idx, dst);
	__atomic_add_fetch(&heap_moves, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * The one-page move: both phases with the flush between them, interrupts
 * off from step 1 to 5 - an interrupt handler here touching the page would
 * fault and wait for the move it interrupted, forever. The flush may be
 * sent with interrupts off (arch/x86_64/tlb.h).
 */
static int vmalloc_migrate_page(struct page *dst, struct page *src)
{
	struct tlbflush_unmap_batch tlb = { 0, 0 };
	unsigned long irqf = local_irq_save();
	int ret = vmalloc_unmap_page(dst, src, &tlb);

	if (!ret) {
		try_to_unmap_flush(&tlb);
		ret = vmalloc_move_page(dst, src);
	}
	local_irq_restore(irqf);
	return ret;
}

/*
 * The page-fault hook (arch/x86_64/traps.c, for not-present faults only).
 * A migration entry means a move is between steps 1 and 5: wait for the PTE
 * to come back, serving TLB-flush requests while spinning (cpu_relax: this
 * CPU may be one the mover is shooting down, and the #PF handler runs with
 * interrupts off). A present PTE means the move ended between the fault
 * and this look: retry too. Anything else is a real fault.
 */
bool vmalloc_fault(unsigned long addr)
{
	uint64_t pte;

	if (!is_vmalloc_movable_addr((void *)addr))
		return false;
	pte = kernel_pte_get(addr & PAGE_MASK);
	if (is_migration_entry(pte)) {
		__atomic_add_fetch(&heap_fault_waits, 1, __ATOMIC_RELAXED);
		do {
			cpu_relax();
			pte = kernel_pte_get(addr & PAGE_MASK);
		} while (is_migration_entry(pte));
	}
	return pte & _PAGE_PRESENT;
}
