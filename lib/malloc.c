/* SPDX-License-Identifier: MIT */
/*
 * DOC: malloc.c - newlib's malloc family, backed by kmalloc and the movable heap
 *
 * newlib's malloc(), free(), realloc(), calloc(), memalign() ... are thin
 * wrappers (stdlib/malloc.c and friends) that call the reentrant _r
 * functions with _REENT. Defining every _r function of newlib's allocator
 * here means its own dlmalloc (mallocr.o, which grows a heap with sbrk) is
 * never linked: check with `nm build/hotmm.elf | grep __malloc_av_`
 * (nothing). So newlib, lwIP later and any library code allocate from the
 * same slab caches and buddy as the kernel, and memory freed by either side
 * is visible in slabinfo and meminfo.
 *
 * Large requests - MALLOC_HEAP_THRESHOLD (64 KiB) and up - go to the
 * movable heap (mm/vmalloc.h) instead: page-granular areas at stable
 * addresses whose pages can migrate, so a big buffer a library keeps for
 * long never pins a DIMM. Why 64 KiB: above 4 KiB kmalloc hands out whole
 * buddy blocks rounded up to a power of two - unmovable, physically
 * contiguous, up to twice the request - and from order 4 (64 KiB) up those
 * are the blocks that fragment memory and stop an offline; the heap costs
 * a record, a page array, one PTE per page and a guard page of address
 * space, which is small against 16 pages or more but would dominate for a
 * few hundred bytes. Small requests stay on kmalloc's slabs. free, realloc
 * and malloc_usable_size tell the two apart by address
 * (is_vmalloc_movable_addr: one compare). realloc between the two copies;
 * memalign puts large requests with alignment up to a page in the heap
 * (areas are page-aligned) and keeps larger alignments on kmalloc.
 *
 * Semantics are C's, mapped onto kmalloc's: malloc(0) returns a unique
 * 1-byte object (never ZERO_SIZE_PTR, which C code would store into), a
 * failure returns NULL with ENOMEM in the caller's reent, realloc(p, 0)
 * frees p and returns NULL (newlib's own REALLOC_ZERO_BYTES_FREES), and
 * memalign() relies on kmalloc's natural alignment of power-of-two sizes.
 *
 * Concurrency. kmalloc is SMP-safe by itself (per-CPU slabs with
 * interrupts off, a lock per cache), so these functions take no lock of
 * their own, and a CPU in malloc never waits for another. The only shared
 * newlib state they touch is errno of the reent they are handed, on
 * failure. newlib is built without __DYNAMIC_REENT__, so _REENT is the one
 * global _impure_ptr: errno, stdio FILEs, strtok/rand state are shared by
 * all CPUs. The kernel uses newlib only for functions that keep no state
 * between calls (string, snprintf into a buffer, strtoul, qsort) and never
 * reads errno after them, so a racing errno write is harmless today; the
 * day a caller needs its own errno or stdio, the fix is per-CPU reents:
 * build newlib with -D__DYNAMIC_REENT__ and define __getreent() to return
 * this CPU's struct _reent. __malloc_lock()/__malloc_unlock() are what
 * newlib requires of any malloc it may call into recursively: here a real
 * recursive lock (owner CPU + depth, interrupts off while held) for code
 * that wants several allocator calls to look atomic to other CPUs. The
 * allocator itself does not need it and does not take it.
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <string.h>

#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "arch/x86_64/page.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/spinlock.h"
#include "kernel/printk.h"

/* Requests of this size and up live in the movable heap (see the overview). */
#define MALLOC_HEAP_THRESHOLD	(64 * SZ_1K)

static void *malloc_result(struct _reent *r, void *p)
{
	if (!p)
		r->_errno = ENOMEM;
	return p;
}

static void *alloc_bytes(size_t n)
{
	if (n >= MALLOC_HEAP_THRESHOLD)
		return vmalloc_movable(n);
	return kmalloc(n ? n : 1, GFP_KERNEL);
}

static void free_bytes(void *p)
{
	if (is_vmalloc_movable_addr(p))
		vfree(p);
	else
		kfree(p);
}

static size_t usable_bytes(void *p)
{
	return is_vmalloc_movable_addr(p) ? vmalloc_size(p) : ksize(p);
}

void *_malloc_r(struct _reent *r, size_t n)
{
	return malloc_result(r, alloc_bytes(n));
}

void _free_r(struct _reent *r, void *p)
{
	free_bytes(p);
}

void *_calloc_r(struct _reent *r, size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		r->_errno = ENOMEM;
		return NULL;
	}
	if (bytes < MALLOC_HEAP_THRESHOLD)
		return malloc_result(r, kzalloc(bytes ? bytes : 1, GFP_KERNEL));
	p = vmalloc_movable(bytes);
	if (p)
		memset(p, 0, bytes);
	return malloc_result(r, p);
}

void *_realloc_r(struct _reent *r, void *p, size_t n)
{
	bool in_heap = is_vmalloc_movable_addr(p), to_heap = n >= MALLOC_HEAP_THRESHOLD;
	size_t have;
	void *q;

	if (!p)
		return _malloc_r(r, n);
	if (!n) {
		free_bytes(p);
		return NULL;
	}
	if (!in_heap && !to_heap)
		return malloc_result(r, krealloc(p, n, GFP_KERNEL));
	have = usable_bytes(p);
	if (in_heap && to_heap && n <= have)
		return p;		/* fits in its pages already */
	q = alloc_bytes(n);
	if (!q)
		return malloc_result(r, NULL);	/* p is untouched, as C wants */
	memcpy(q, p, min(have, n));
	free_bytes(p);
	return q;
}

/*
 * A power-of-two kmalloc size is aligned to itself (slab classes up to
 * 4 KiB, buddy blocks beyond), so the smallest power of two covering both
 * the size and the alignment gives the alignment. Heap areas are
 * page-aligned: they serve large requests aligned up to a page.
 */
void *_memalign_r(struct _reent *r, size_t align, size_t n)
{
	size_t bytes = n ? n : 1;

	if (!is_power_of_2(align)) {
		r->_errno = EINVAL;
		return NULL;
	}
	if (bytes >= MALLOC_HEAP_THRESHOLD && align <= PAGE_SIZE)
		return malloc_result(r, vmalloc_movable(bytes));
	if (align > ARCH_KMALLOC_MINALIGN) {
		bytes = max(bytes, align);
		if (bytes > (SIZE_MAX >> 1) + 1) {
			r->_errno = ENOMEM;
			return NULL;
		}
		bytes = is_power_of_2(bytes) ? bytes : 1UL << (64 - __builtin_clzl(bytes - 1));
	}
	return malloc_result(r, kmalloc(bytes, GFP_KERNEL));
}

void *_valloc_r(struct _reent *r, size_t n)
{
	return _memalign_r(r, PAGE_SIZE, n);
}

void *_pvalloc_r(struct _reent *r, size_t n)
{
	return _memalign_r(r, PAGE_SIZE, ALIGN(n ? n : 1, PAGE_SIZE));
}

size_t _malloc_usable_size_r(struct _reent *r, void *p)
{
	return usable_bytes(p);
}

/* Empty slabs already go back to the buddy: there is no heap top to trim. */
int _malloc_trim_r(struct _reent *r, size_t pad)
{
	return 0;
}

/* dlmalloc's tuning knobs mean nothing here: refused, as C allows. */
int _mallopt_r(struct _reent *r, int param, int value)
{
	return 0;
}

/*
 * The pool seen as one arena (the slab pages plus the large blocks) and
 * the movable heap's areas as dlmalloc's mmapped blocks (hblks, hblkhd).
 */
struct mallinfo _mallinfo_r(struct _reent *r)
{
	unsigned long areas, pages;
	struct mallinfo mi;

	vmalloc_movable_stats(&areas, &pages);
	memset(&mi, 0, sizeof(mi));
	mi.arena = (slab_pages() + kmalloc_large_pages()) * PAGE_SIZE;
	mi.hblks = areas;
	mi.hblkhd = pages * PAGE_SIZE;
	mi.uordblks = mi.arena + mi.hblkhd;	/* slab-level free space is in slabinfo, per cache */
	return mi;
}

void _malloc_stats_r(struct _reent *r)
{
	unsigned long areas, pages;

	vmalloc_movable_stats(&areas, &pages);
	printk(KERN_INFO "malloc: %lu KiB in slabs, %lu KiB in large kmalloc blocks (see slabinfo), "
	       "%lu KiB in %lu movable-heap areas\n", slab_pages() * (PAGE_SIZE / SZ_1K),
	       kmalloc_large_pages() * (PAGE_SIZE / SZ_1K), pages * (PAGE_SIZE / SZ_1K), areas);
}

/* ---- newlib's malloc lock ---- */

static DEFINE_SPINLOCK(malloc_lock);
static int malloc_lock_owner = -1;	/* CPU holding it */
static unsigned int malloc_lock_depth;
static unsigned long malloc_lock_flags;

void __malloc_lock(struct _reent *r)
{
	unsigned long flags = local_irq_save();
	int cpu = smp_processor_id();

	if (__atomic_load_n(&malloc_lock_owner, __ATOMIC_RELAXED) == cpu) {
		malloc_lock_depth++;	/* interrupts stay off from the outer lock */
		return;
	}
	spin_lock(&malloc_lock);
	__atomic_store_n(&malloc_lock_owner, cpu, __ATOMIC_RELAXED);
	malloc_lock_depth = 1;
	malloc_lock_flags = flags;
}

void __malloc_unlock(struct _reent *r)
{
	unsigned long flags;

	if (--malloc_lock_depth)
		return;
	flags = malloc_lock_flags;
	__atomic_store_n(&malloc_lock_owner, -1, __ATOMIC_RELAXED);
	spin_unlock(&malloc_lock);
	local_irq_restore(flags);
}
