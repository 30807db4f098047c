/* SPDX-License-Identifier: MIT */
/*
 * DOC: mm_init.c - memmap init and the hand-off from memblock to the buddy
 *
 * Boot memory reaches the buddy in two steps, both through the same
 * function, memmap_init_boot_range():
 *   1. the early region - the first boot_mem bytes (default 256 MiB, whole
 *      sections) of the first node's ZONE_NORMAL - so that the kernel can
 *      allocate pages;
 *   2. everything else, node by node (deferred init): on all CPUs through
 *      the job runner once they are up (mm/deferred_init.c), or right here,
 *      single-threaded, with deferred_init=off.
 * Because both steps are one function, every boot_mem= value ends in the
 * same page types and counts.
 *
 * A chunk is classified by memblock into holes (pfns without RAM inside a
 * present section: NoMemory), reserved ranges (Reserved, refcount 1: the
 * kernel image, page tables, the memmap itself - everything memblock handed
 * out) and free ranges. Each class gets one template struct page stamped
 * over its range (no per-page callbacks, so the loop is a run of
 * 64-byte stores). Free boot RAM is stamped straight into the state the
 * buddy leaves its non-head pages in (Tail, refcount 0) and only the head
 * of each max-order block is touched again; hot-added memory instead goes
 * Offline -> online callback -> __free_pages_core() (docs/hotplug.md), because a
 * driver may keep some of it. Work is done per 4 MiB block, so the heads
 * are still in cache when they are freed. With memtest= each free range is
 * tested first and its bad pages stay out as HWPoison (mm/memtest.h).
 *
 * Each page goes to the zone boot_zone_of_pfn() says (mm/zone_movable.h):
 * ZONE_MOVABLE from zone_movable_pfn[nid], a block boundary, up; so a
 * max-order chunk never straddles two zones.
 *
 * Zone spans and present counts are set from memblock before any page is
 * initialized; managed counts grow as blocks reach the buddy. After the
 * hand-off memblock allocates nothing (its limit drops to 0): the buddy owns
 * the free memory, including the part deferred init has not reached yet.
 */
#include <string.h>

#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/sparse.h"
#include "mm/memblock.h"
#include "mm/memtest.h"
#include "mm/zone_movable.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tsc.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"

#define DEFAULT_BOOT_MEM	(256UL << 20)

static uint64_t boot_mem_bytes = DEFAULT_BOOT_MEM;
static int early_nid;
static unsigned long early_start_pfn, early_end_pfn;

/* ---- the template stamp ---- */

/*
 * mm_core_init() reads it and rounds up to whole sections; a value that
 * is not already a whole number of sections (boot_mem=1 meant 128M) is
 * refused here instead.
 */
static const char *check_boot_mem(const char *v)
{
	uint64_t size;

	if (parse_size(v, &size) && size && IS_ALIGNED(size, SZ_128M))
		return NULL;
	return "a size that is a multiple of 128M, at least 128M (128M, 384M, 2G)";
}
CMDLINE_OPTION_CHECKED(boot_mem, "SIZE", "memory initialized before the rest of boot RAM (default 256M, "
		       "a multiple of 128M)", check_boot_mem);

static void make_template(struct page *tmpl, int nid, enum zone_type zone, enum page_type type)
{
	memset(tmpl, 0, sizeof(*tmpl));
	tmpl->type = type;
	tmpl->zone_idx = zone;
	tmpl->nid = nid;
	tmpl->refcount = (type == PGTY_OFFLINE || type == PGTY_RESERVED ||
			  type == PGTY_VMEMMAP_SELF_HOSTED || type == PGTY_DEVICE) ? 1 : 0;
}

/*
 * Eight plain 8-byte stores per struct page. A struct assignment compiles to
 * 16-byte SSE moves, which cost more than twice as much as 8-byte stores
 * under TCG (make bench: the store floor); volatile keeps gcc from merging
 * them back.
 */
static void stamp(unsigned long start_pfn, unsigned long end_pfn, const struct page *tmpl)
{
	const uint64_t *w = (const uint64_t *)tmpl;
	const uint64_t w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
	const uint64_t w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7];
	volatile uint64_t *p = (volatile uint64_t *)pfn_to_page(start_pfn);
	volatile uint64_t *end = (volatile uint64_t *)pfn_to_page(end_pfn);

	BUILD_BUG_ON(sizeof(struct page) != 8 * sizeof(uint64_t));
	for (; p < end; p += 8) {
		p[0] = w0; p[1] = w1; p[2] = w2; p[3] = w3;
		p[4] = w4; p[5] = w5; p[6] = w6; p[7] = w7;
	}
}

static void account_init(unsigned long pfn, unsigned long end_pfn)
{
	while (pfn < end_pfn) {
		unsigned long next = min(ALIGN(pfn + 1, PAGES_PER_SECTION), end_pfn);

		section_account_init(pfn, next - pfn);
		pfn = next;
	}
}

void memmap_init_range(unsigned long start_pfn, unsigned long end_pfn, int nid,
		       enum zone_type zone, enum page_type type)
{
	struct page tmpl;

	if (start_pfn >= end_pfn)
		return;
	make_template(&tmpl, nid, zone, type);
	stamp(start_pfn, end_pfn, &tmpl);
	account_init(start_pfn, end_pfn);
}

/*
 * memtest= (Linux's early memtest, here on the CPU that initializes the
 * range: all of them in deferred init): test the free range before any of
 * it reaches the buddy, retire the bad pages (Tail -> HWPoison, never
 * managed) and free the good pieces around them. Returns the pages retired.
 */
static unsigned long memtest_free_range(unsigned long start_pfn, unsigned long end_pfn)
{
	struct memtest_bad bad = { 0 };
	unsigned long pfn = start_pfn, retired;

	memtest_pfn_range(&memtest_boot_plan, start_pfn, end_pfn, &bad);
	retired = memtest_retire(&bad, start_pfn, end_pfn, MEMTEST_FROM_TAIL, "memtest");
	for (unsigned int i = 0; i < bad.nr; i++) {
		unsigned long s = max(bad.start[i], start_pfn), e = min(bad.end[i], end_pfn);

		if (s >= e)
			continue;
		free_pages_core_range_prepared(pfn, s);
		pfn = e;
	}
	free_pages_core_range_prepared(pfn, end_pfn);
	return retired;
}

/*
 * Free boot RAM: no driver can claim these pages (unlike hot-added memory,
 * which goes Offline -> online callback -> buddy), so they are
 * stamped straight into the state __free_pages_core() would leave them in
 * (Tail, refcount 0) and only the head of each max-order block is touched
 * again: one pass over the memmap instead of two. The section counts them
 * as initialized only once they are in the buddy, so the walker never sees
 * a Tail page without its head.
 */
static void memmap_init_free_range(unsigned long start_pfn, unsigned long end_pfn, int nid,
				   struct memmap_init_stats *st)
{
	struct page tmpl;
	uint64_t t0, t1, t2;
	unsigned long retired = 0;

	if (start_pfn >= end_pfn)
		return;
	make_template(&tmpl, nid, boot_zone_of_pfn(nid, start_pfn), PGTY_TAIL);
	t0 = ktime_get_ns();
	stamp(start_pfn, end_pfn, &tmpl);
	t1 = ktime_get_ns();
	if (memtest_boot_plan.nr)
		retired = memtest_free_range(start_pfn, end_pfn);
	else
		free_pages_core_range_prepared(start_pfn, end_pfn);
	account_init(start_pfn, end_pfn);
	t2 = ktime_get_ns();
	st->pages += end_pfn - start_pfn;
	st->freed += end_pfn - start_pfn - retired;
	st->init_ns += t1 - t0;
	st->free_ns += t2 - t1;
}

/* ---- classifying a range by memblock ---- */

enum range_kind { RANGE_HOLE, RANGE_RESERVED, RANGE_FREE };

struct chunk_pass {
	struct memmap_init_stats *st;
};

static void chunk_range(unsigned long s, unsigned long e, int nid, enum range_kind kind,
			struct chunk_pass *cp)
{
	uint64_t t0;

	if (s >= e)
		return;
	if (kind == RANGE_FREE) {
		memmap_init_free_range(s, e, nid, cp->st);
		return;
	}
	t0 = ktime_get_ns();
	memmap_init_range(s, e, nid, boot_zone_of_pfn(nid, s),
			  kind == RANGE_HOLE ? PGTY_NOMEMORY : PGTY_RESERVED);
	cp->st->init_ns += ktime_get_ns() - t0;
	cp->st->pages += e - s;
}

static int region_nid(const struct memblock_region *r)
{
	return r->nid < 0 ? 0 : r->nid;
}

/*
 * Walk [spfn, epfn) (inside one section) as holes, reserved and free pfn
 * ranges. A page only partly covered by RAM is a hole; a page partly
 * reserved is reserved. NOMAP memory is not the kernel's to use: reserved.
 */
static void classify_range(unsigned long spfn, unsigned long epfn, int hole_nid,
			   struct chunk_pass *cp)
{
	/* LAB 4 BEGIN classify_range */
	const struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;
	unsigned long pos = spfn, i, j = 0;

	for (i = 0; i < mem->cnt && pos < epfn; i++) {
		const struct memblock_region *r = &mem->regions[i];
		unsigned long ms = PFN_UP(r->base), me = PFN_DOWN(r->base + r->size), p;
		int nid = region_nid(r);

		if (me <= pos || ms >= me)
			continue;
		if (ms >= epfn)
			break;
		ms = max(ms, pos);
		me = min(me, epfn);
		chunk_range(pos, ms, hole_nid, RANGE_HOLE, cp);
		if (r->flags & MEMBLOCK_NOMAP) {
			chunk_range(ms, me, nid, RANGE_RESERVED, cp);
			pos = me;
			continue;
		}
		for (p = ms; j < rsv->cnt; j++) {
			const struct memblock_region *q = &rsv->regions[j];
			unsigned long rs = PFN_DOWN(q->base), re = PFN_UP(q->base + q->size);

			if (re <= p)
				continue;
			if (rs >= me)
				break;
			chunk_range(p, max(rs, p), nid, RANGE_FREE, cp);
			chunk_range(max(rs, p), min(re, me), nid, RANGE_RESERVED, cp);
			p = min(re, me);
			if (re > me)
				break;	/* reaches into the next memory region */
		}
		chunk_range(p, me, nid, RANGE_FREE, cp);
		pos = me;
	}
	chunk_range(pos, epfn, hole_nid, RANGE_HOLE, cp);
	/* LAB 4 END classify_range */
}

void memmap_init_boot_range(int nid, unsigned long spfn, unsigned long epfn,
				struct memmap_init_stats *stats)
{
	/* LAB 4 BEGIN memmap_init_boot_range */
	struct memmap_init_stats local = { 0 };
	struct memmap_init_stats *st = stats ? stats : &local;
	unsigned long pfn, next;

	for (pfn = spfn; pfn < epfn; pfn = next) {
		struct mem_section *ms = __pfn_to_section(pfn);
		struct chunk_pass cp = { .st = st };

		next = min(ALIGN(pfn + 1, MAX_ORDER_NR_PAGES), epfn);
		/* Only boot sections: a hot-added one inside (or growing) the span is not ours. */
		if (!ms || !(ms->flags & SECTION_HAS_MEM_MAP) || !(ms->flags & SECTION_MEMMAP_BOOT) ||
		    ms->nid != nid) {
			next = min(ALIGN(pfn + 1, PAGES_PER_SECTION), epfn);
			continue;
		}
		classify_range(pfn, next, ms->nid, &cp);
	}
	/* LAB 4 END memmap_init_boot_range */
}

/* ---- nodes and zones ---- */

void free_area_init(void)
{
	unsigned long start, end;
	int i, nid;

	find_zone_movable_pfns_for_nodes();
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &start, &end, &nid) {
		unsigned long split;
		pg_data_t *pgdat;

		if (nid < 0)
			nid = 0;
		if (start >= end)
			continue;
		pgdat = alloc_node_data(nid);
		if (!pgdat)
			panic("mm: cannot create node %d for memory at pfn %#lx-%#lx", nid, start, end);
		/* Below zone_movable_pfn ZONE_NORMAL, from it up ZONE_MOVABLE (a block boundary). */
		split = zone_movable_pfn[nid] ? clamp(zone_movable_pfn[nid], start, end) : end;
		if (split > start) {
			zone_span_grow(&pgdat->node_zones[ZONE_NORMAL], start, split - start);
			adjust_present_page_count(&pgdat->node_zones[ZONE_NORMAL], split - start);
		}
		if (end > split) {
			zone_span_grow(&pgdat->node_zones[ZONE_MOVABLE], split, end - split);
			adjust_present_page_count(&pgdat->node_zones[ZONE_MOVABLE], end - split);
		}
	}
}

/* ---- page tables from the buddy ---- */

static phys_addr_t pgtable_alloc_buddy(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, 0);

	if (!page)
		return 0;
	page_allocated_to_pagetable(page);
	return page_to_phys(page);
}

static void pgtable_free_buddy(phys_addr_t pa)
{
	struct page *page = phys_to_page(pa);

	/* Tables built from memblock before the hand-off are Reserved: they join the buddy now. */
	if (page_type(page) == PGTY_RESERVED) {
		free_reserved_page(page);
		return;
	}
	page_pagetable_to_allocated(page);
	__free_pages(page, 0);
}

/* ---- the hand-off ---- */

static void report_phase(const char *phase, int nid, const struct memmap_init_stats *st)
{
	report("memmap_init",
	       "\"phase\":\"%s\",\"node\":%d,\"pages\":%lu,\"init_ns\":%llu,\"free_ns\":%llu,\"threads\":%d",
	       phase, nid, st->pages, (unsigned long long)st->init_ns,
	       (unsigned long long)st->free_ns, 1);
}

/* The early region's memmap, and its free pages to the buddy (not usable until buddy_ready). */
static void init_early_region(struct memmap_init_stats *st)
{
	unsigned long end_limit;
	struct zone *normal = NULL;

	/*
	 * The kernel allocates from ZONE_NORMAL only: the early region is the
	 * start of the first node that has one (with movable_node or
	 * kernelcore= a node may be all ZONE_MOVABLE, and that part of any
	 * node lies above its ZONE_NORMAL, on a block boundary).
	 */
	for_each_online_node(early_nid) {
		normal = &NODE_DATA(early_nid)->node_zones[ZONE_NORMAL];
		if (populated_zone(normal))
			break;
	}
	if (early_nid >= MAX_NUMNODES)
		panic("mm: no boot RAM in ZONE_NORMAL on any node (memblock.memory empty, or all of it "
		      "hot-pluggable under movable_node / in ZONE_MOVABLE by movablecore=)");
	early_start_pfn = ALIGN_DOWN(normal->zone_start_pfn, PAGES_PER_SECTION);
	end_limit = ALIGN(zone_end_pfn(normal), PAGES_PER_SECTION);
	early_end_pfn = early_start_pfn + (ALIGN(boot_mem_bytes, SZ_128M) >> PAGE_SHIFT);
	if (early_end_pfn > end_limit || early_end_pfn <= early_start_pfn)
		early_end_pfn = end_limit;
	memmap_init_boot_range(early_nid, early_start_pfn, early_end_pfn, st);
	if (!st->freed)
		panic("mm: the early region pfn %#lx-%#lx of node %d has no free memory (boot_mem=%llu MiB)",
		      early_start_pfn, early_end_pfn, early_nid, (unsigned long long)(boot_mem_bytes >> 20));
}

/* The hand-off: everything free belongs to the buddy now, also what deferred init has not reached. */
void memblock_free_all(void)
{
	memblock_set_current_limit(0);
}

static void report_early_region(const struct memmap_init_stats *st)
{
	hwpoison_flush_reports();	/* memtest= in the early region */
	report_phase("early", early_nid, st);
	pr_info("mm: early region pfn %#lx-%#lx (node %d): %lu pages initialized, %lu freed, %llu ns/page\n",
		early_start_pfn, early_end_pfn, early_nid, st->pages, st->freed,
		st->pages ? (unsigned long long)((st->init_ns + st->free_ns) / st->pages) : 0ull);
}

void mm_early_region(int *nid, unsigned long *start_pfn, unsigned long *end_pfn)
{
	*nid = early_nid;
	*start_pfn = early_start_pfn;
	*end_pfn = early_end_pfn;
}

/*
 * Every pfn of nid that deferred init owns lies in [*start, *end): the node's
 * sections, less the early region where it sits at the start (the usual
 * case). An early region in the middle stays inside the span and is clipped
 * out chunk by chunk.
 */
void deferred_init_span(int nid, unsigned long *start, unsigned long *end)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long s = ALIGN_DOWN(pgdat->node_start_pfn, PAGES_PER_SECTION);
	unsigned long e = ALIGN(pgdat_end_pfn(pgdat), PAGES_PER_SECTION);

	if (nid == early_nid) {
		if (early_start_pfn <= s)
			s = max(s, early_end_pfn);
		if (early_end_pfn >= e)
			e = min(e, early_start_pfn > s ? early_start_pfn : e);
	}
	*start = s;
	*end = s < e ? e : s;
}

/* memmap_init_boot_range() over [spfn, epfn) minus the early region. */
void deferred_init_memmap_chunk_clipped(int nid, unsigned long spfn, unsigned long epfn,
					struct memmap_init_stats *st)
{
	if (nid != early_nid || epfn <= early_start_pfn || spfn >= early_end_pfn) {
		memmap_init_boot_range(nid, spfn, epfn, st);
		return;
	}
	if (spfn < early_start_pfn)
		memmap_init_boot_range(nid, spfn, early_start_pfn, st);
	if (epfn > early_end_pfn)
		memmap_init_boot_range(nid, early_end_pfn, epfn, st);
}

unsigned long deferred_init_memmap(int nid)
{
	struct memmap_init_stats st = { 0 };
	uint64_t t0 = ktime_get_ns(), ns;
	unsigned long s, e;

	deferred_init_span(nid, &s, &e);
	deferred_init_memmap_chunk_clipped(nid, s, e, &st);
	ns = ktime_get_ns() - t0;
	hwpoison_flush_reports();
	report_phase("deferred", nid, &st);
	pr_info("node %d deferred pages initialised in %llums (%lu pages, %llu ns/page)\n",
		nid, (unsigned long long)(ns / 1000000), st.pages,
		st.pages ? (unsigned long long)(ns / st.pages) : 0ull);
	return st.pages;
}

static void report_all_ram(void)
{
	report("all_ram_allocatable", "\"managed_pages\":%lu,\"present_pages\":%lu",
	       totalram_pages(), total_present_pages());
	pr_info("mm: %lu MiB managed of %lu MiB present on %d node(s)\n",
		totalram_pages() >> (20 - PAGE_SHIFT), total_present_pages() >> (20 - PAGE_SHIFT),
		num_online_nodes());
}

void mm_core_init_early(uint64_t boot_mem)
{
	struct memmap_init_stats st = { 0 };

	boot_mem_bytes = boot_mem ? boot_mem : DEFAULT_BOOT_MEM;
	free_area_init();
	init_early_region(&st);
	buddy_ready = true;
	memblock_free_all();
	pgtable_set_allocator(pgtable_alloc_buddy, pgtable_free_buddy);
	report_early_region(&st);
}

void mm_core_init_size(uint64_t boot_mem)
{
	int nid;

	mm_core_init_early(boot_mem);
	for_each_online_node(nid)
		deferred_init_memmap(nid);
	report_all_ram();
}

CMDLINE_OPTION(deferred_init, "background|sync|off",
	       "how boot RAM beyond boot_mem= is initialized (default background, on all CPUs)");

enum deferred_mode deferred_mode(void)
{
	const char *m = cmdline_get("deferred_init");

	if (!m || !strcmp(m, "background")) {
		/*
		 * memtest= tests each chunk before it is freed, seconds per
		 * section: an allocation taking a section over (possibly in an
		 * interrupt handler) must not wait for that, so boot waits for
		 * all of it instead, on every CPU.
		 */
		if (memtest_boot_plan.nr)
			return DEFERRED_SYNC;
		return DEFERRED_BACKGROUND;
	}
	if (!strcmp(m, "sync"))
		return DEFERRED_SYNC;
	if (!strcmp(m, "off"))
		return DEFERRED_OFF;
	pr_err("deferred_init=%s: expected background, sync or off; using background\n", m);
	return DEFERRED_BACKGROUND;
}

bool deferred_init_off(void)
{
	return deferred_mode() == DEFERRED_OFF;
}

/*
 * Boot: the early region now; the rest after SMP (page_alloc_init_late())
 * unless deferred_init=off asks for it all here, single-threaded.
 */
void mm_core_init(void)
{
	uint64_t boot_mem = cmdline_get_size("boot_mem", 0);	/* 0: the default */

	if (deferred_init_off())
		mm_core_init_size(boot_mem);
	else
		mm_core_init_early(boot_mem);
}
