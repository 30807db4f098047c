/* SPDX-License-Identifier: MIT */
/*
 * DOC: memory_hotplug.c - add, online, offline and remove memory
 *
 * The one path for every byte that arrives after boot (docs/hotplug.md):
 *
 *   add_memory     checks (alignment, overlap, the physical address limit:
 *                  the SRAT's hot-pluggable windows are the callers'
 *                  business), direct map, vmemmap (from the range itself through
 *                  an altmap, 2 MiB per 128 MiB, or from online memory), the
 *                  vmemmap pages' own memmap initialized at once as
 *                  VmemmapSelfHosted pages of ZONE_NORMAL (present, never
 *                  managed, from add until remove), blocks created offline,
 *                  then onlined as memhp_default_state= says.
 *   online_pages   parallel memmap init (mt_job) of the block's other pages
 *                  as Offline/refcount 1, MEM_GOING_ONLINE, then the online
 *                  callback per max-order piece (default: to the buddy);
 *                  with memhp_memtest= each piece is tested first and its
 *                  bad pages stay out as HWPoison (mm/memtest.h).
 *                  A range goes online all or nothing: every block is
 *                  prepared (init + notifiers) before any page of any of
 *                  them reaches an allocator.
 *   offline_pages  isolate, drain every CPU, migrate every allocated page
 *                  out (mm/migrate.c, on every CPU), check every page; free blocks
 *                  leave the buddy, driver-released Offline pages stay; a
 *                  pinned or unmovable page undoes the isolation and names
 *                  the pfn and its owner (-EBUSY); pages migrated out before
 *                  that stay out, intact.
 *   remove_memory  every block offline, same range as added.
 *
 * Invariants kept here:
 *   - present/managed/spanned are exact after every step (the walker in
 *     pagetypes.c checks them): a block's non-vmemmap pages are present in
 *     its zone exactly while it is online; managed counts only pages that
 *     reached the buddy through generic_online_page();
 *   - an offline block's memmap beyond its vmemmap pages is not in use
 *     (SECTION_MEMMAP_PARTIAL, poisoned under CONFIG_DEBUG_VM);
 *   - a failed operation leaves everything as it was: each step has its
 *     undo, run in reverse on the first error; blocks that were online
 *     before a range operation are never touched by its undo.
 * Command-line options, with Linux's names where Linux has them:
 *   memhp_default_state=online_movable|online_kernel|online|offline
 *   memory_hotplug.memmap_on_memory=1|0     (1: the default here)
 *   movable_node                            (hot-pluggable boot RAM in ZONE_MOVABLE,
 *                                            "online" picks ZONE_MOVABLE)
 *   kernelcore=SIZE|N%, movablecore=SIZE|N%  (boot RAM's ZONE_MOVABLE, mm/zone_movable.c)
 *   memory_block_size=SIZE                  (128M default, power of two)
 *   memhp_withhold=SIZE                     (test: keep SIZE of boot RAM from
 *                                            the boot allocator, hot-add it
 *                                            after SMP is up)
 * start_kernel calls memory_hotplug_early_init() after ACPI tagged memblock
 * (before the direct map and sparse_init) and memory_hotplug_init() after
 * smp_init().
 *
 * One lock (mem_hotplug_begin/done) serializes all of it. It is not a
 * spinlock: waiters help the holder's parallel job, and a call from a
 * memory notifier or with interrupts off is refused, not deadlocked.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_isolation.h"
#include "mm/page_alloc.h"
#include "mm/migrate.h"
#include "mm/memtest.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "mm/zone_movable.h"
#include "mm/memblock.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "kernel/mt_job.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

#define MAX_MHP_RANGES		256
#define MAX_WITHHELD_RANGES	16
/*
 * Linux retries an offline's transient failures until they stop; here they
 * are bounded. At 8 a CPU allocating and freeing in the block all the time
 * won about once in a few thousand offlines; a pinned or unmovable page
 * ends the offline at once whatever this is.
 */
#define OFFLINE_MIGRATE_RETRIES	32

/* One add_memory() call: removal must name exactly this range, no part of it. */
struct mhp_range {
	uint64_t start, size;
	int nid;
	mhp_t flags;
	bool memmap_on_memory;
	bool driver_managed;		/* add_memory_driver_managed(): only its driver removes it */
	bool used;
	char name[MHP_RESOURCE_NAME_LEN];
};

static struct mhp_range ranges[MAX_MHP_RANGES];
static int hotplug_owner = -1;		/* the CPU holding the hotplug lock, -1: free */
static uint64_t hotplug_lock_waits;	/* mem_hotplug_begin calls that found it held */
static uint64_t hotplug_lock_helped;	/* jobs their CPUs worked on meanwhile */
static unsigned int hotplug_lock_waiting;	/* CPUs waiting right now (atomic) */

static bool memmap_on_memory_enabled = true;
static enum mmop default_online_type = MMOP_ONLINE_MOVABLE;

static struct memory_notifier *notifier_chain;
static online_page_callback_t online_page_callback = generic_online_page;

/* ---- tunables ---- */

void mhp_set_memmap_on_memory(bool on) { memmap_on_memory_enabled = on; }
bool mhp_memmap_on_memory(void) { return memmap_on_memory_enabled; }
enum mmop mhp_get_default_online_type(void) { return default_online_type; }
void mhp_set_default_online_type(enum mmop type) { default_online_type = type; }
/* One flag for boot RAM (memblock's avoidance, zone_movable.c) and hot-added memory. */
void mhp_set_movable_node(bool on) { memblock_set_movable_node(on); }

/* ---- the hotplug lock ---- */

/*
 * Not a spinlock: its holder runs parallel jobs, IPIs (per-CPU drains, TLB
 * shootdowns) and notifiers, for up to seconds on a large block. A CPU that
 * wants it meanwhile joins the jobs the holder's CPU publishes (never an
 * unrelated job, which might run until this very CPU stops it) and
 * otherwise waits with its interrupts on, so the holder's IPIs are
 * answered. It never waits where it could not be
 * answered: asking again on the CPU that holds it (a notifier or online
 * callback calling back into hotplug) is -EDEADLK, asking with interrupts
 * off while another CPU holds it is -EBUSY.
 */
int mem_hotplug_begin(void)
{
	int me = (int)smp_processor_id(), owner = -1;
	uint64_t t0 = 0, waited_s = 0, helped = 0;

	if (__atomic_load_n(&hotplug_owner, __ATOMIC_RELAXED) == me) {
		pr_err("memory hotplug: CPU %d asked for the hotplug lock it holds (a memory notifier "
		       "or online callback calling back into hotplug?)\n", me);
		return -EDEADLK;
	}
	while (!__atomic_compare_exchange_n(&hotplug_owner, &owner, me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED)) {
		if (irqs_disabled()) {
			pr_err("memory hotplug: busy (CPU %d holds the hotplug lock) and this caller "
			       "cannot wait with interrupts off\n", owner);
			return -EBUSY;
		}
		if (!t0) {
			t0 = ktime_get_ns();
			__atomic_add_fetch(&hotplug_lock_waiting, 1, __ATOMIC_RELAXED);
		}
		if (mt_job_help_cpu((unsigned int)me, (unsigned int)owner))
			helped++;
		else
			cpu_relax();
		if ((ktime_get_ns() - t0) / 1000000000ull >= waited_s + 10) {
			waited_s += 10;
			pr_warn("memory hotplug: CPU %d has waited %llu s for the hotplug lock (CPU %d holds it)\n",
				me, (unsigned long long)waited_s, owner);
		}
		owner = -1;
	}
	/* Counted by the holder of the lock: no atomics needed. */
	if (t0) {
		__atomic_sub_fetch(&hotplug_lock_waiting, 1, __ATOMIC_RELAXED);
		hotplug_lock_waits++;
		hotplug_lock_helped += helped;
	}
	return 0;
}

unsigned int mem_hotplug_lock_waiters(void)
{
	return __atomic_load_n(&hotplug_lock_waiting, __ATOMIC_RELAXED);
}

void mem_hotplug_lock_stats(uint64_t *waits, uint64_t *helped_jobs)
{
	*waits = READ_ONCE(hotplug_lock_waits);
	*helped_jobs = READ_ONCE(hotplug_lock_helped);
}

void mem_hotplug_done(void)
{
	__atomic_store_n(&hotplug_owner, -1, __ATOMIC_RELEASE);
}

static const char *const online_type_names[] = {
	[MMOP_OFFLINE] = "offline",
	[MMOP_ONLINE] = "online",
	[MMOP_ONLINE_KERNEL] = "online_kernel",
	[MMOP_ONLINE_MOVABLE] = "online_movable",
};

int mhp_online_type_from_str(const char *s)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(online_type_names); i++)
		if (!strcmp(s, online_type_names[i]))
			return (int)i;
	return -1;
}

const char *mhp_online_type_name(enum mmop type)
{
	return (unsigned int)type < ARRAY_SIZE(online_type_names) ? online_type_names[type] : "?";
}

enum zone_type zone_for_online_type(int nid, enum mmop type, unsigned long start_pfn,
				    unsigned long nr_pages)
{
	struct zone *movable;

	if (type == MMOP_ONLINE_KERNEL)
		return ZONE_NORMAL;
	if (type == MMOP_ONLINE_MOVABLE || memblock_movable_node())
		return ZONE_MOVABLE;
	/* "online": stay with ZONE_MOVABLE where it already spans the range, else the kernel zone. */
	if (node_has_pgdat(nid)) {
		movable = &NODE_DATA(nid)->node_zones[ZONE_MOVABLE];
		if (!zone_is_empty(movable) && zone_spans_pfn(movable, start_pfn) &&
		    zone_spans_pfn(movable, start_pfn + nr_pages - 1))
			return ZONE_MOVABLE;
	}
	return ZONE_NORMAL;
}

/* ---- the memory notifier ---- */

int register_memory_notifier(struct memory_notifier *nb)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	nb->next = notifier_chain;
	notifier_chain = nb;
	mem_hotplug_done();
	return 0;
}

void unregister_memory_notifier(struct memory_notifier *nb)
{
	struct memory_notifier **p;

	if (mem_hotplug_begin()) {
		pr_err("memory hotplug: notifier %p stays registered\n", (void *)nb);
		return;
	}
	for (p = &notifier_chain; *p; p = &(*p)->next) {
		if (*p == nb) {
			*p = nb->next;
			break;
		}
	}
	mem_hotplug_done();
}

const char *memory_notify_action_name(enum memory_notify_action action)
{
	static const char *const names[] = {
		"going-online", "online", "going-offline", "offline", "cancel-online", "cancel-offline",
	};

	return (unsigned int)action < ARRAY_SIZE(names) ? names[action] : "?";
}

/* Tell every notifier; the first veto stops the chain and is returned. */
static int memory_notify(enum memory_notify_action action, const struct memory_notify *arg)
{
	struct memory_notifier *nb;
	int ret;

	for (nb = notifier_chain; nb; nb = nb->next) {
		ret = nb->fn(nb, action, arg);
		if (ret && (action == MEM_GOING_ONLINE || action == MEM_GOING_OFFLINE))
			return ret;
	}
	return 0;
}

/* ---- the online callback ---- */

void generic_online_page(struct page *page, unsigned int order)
{
	__free_pages_core(page, order);
}

int set_online_page_callback(online_page_callback_t cb)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = -EBUSY;
	if (online_page_callback == generic_online_page) {
		online_page_callback = cb;
		ret = 0;
	}
	mem_hotplug_done();
	if (ret)
		pr_err("memory_hotplug: an online page callback is already set\n");
	return ret;
}

int restore_online_page_callback(online_page_callback_t cb)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = -EINVAL;
	if (online_page_callback == cb) {
		online_page_callback = generic_online_page;
		ret = 0;
	}
	mem_hotplug_done();
	return ret;
}

/* ---- section bookkeeping of a block ---- */

/* How many of the block's vmemmap pages fall into section nr. */
static unsigned int section_vmemmap_pages(const struct memory_block *mem, unsigned long nr)
{
	unsigned long s = section_nr_to_pfn(nr), e = mem->start_pfn + mem->nr_vmemmap_pages;

	if (e <= s)
		return 0;
	return (unsigned int)min(e - s, PAGES_PER_SECTION);
}

/*
 * Offline: only the vmemmap pages' struct pages stay in use. Online: the
 * whole memmap will be (init_pages reaches PAGES_PER_SECTION as the parallel
 * init goes).
 */
static void block_sections_set_online(struct memory_block *mem, bool online)
{
	unsigned long nr, first = pfn_to_section_nr(mem->start_pfn);
	unsigned long end = pfn_to_section_nr(mem->start_pfn + mem->nr_pages);

	for (nr = first; nr < end; nr++) {
		struct mem_section *ms = __nr_to_section(nr);

		if (online) {
			ms->flags &= ~SECTION_MEMMAP_PARTIAL;
			ms->flags |= SECTION_IS_ONLINE;
		} else {
			ms->flags &= ~SECTION_IS_ONLINE;
			__atomic_store_n(&ms->init_pages, section_vmemmap_pages(mem, nr), __ATOMIC_RELEASE);
			ms->flags |= SECTION_MEMMAP_PARTIAL;
		}
	}
}

static void block_notify_arg(const struct memory_block *mem, enum zone_type zone,
			     struct memory_notify *arg)
{
	arg->start_pfn = mem->start_pfn + mem->nr_vmemmap_pages;
	arg->nr_pages = mem->nr_pages - mem->nr_vmemmap_pages;
	arg->nid = mem->nid;
	arg->zone = zone;
	arg->mem = mem;
}

/* ---- online ---- */

/*
 * A block goes online in two steps, so a range of blocks can go online all
 * or nothing:
 *   online_pages_prepare  memmap init of the block's pages (Offline,
 *                         refcount 1), then MEM_GOING_ONLINE: notifiers
 *                         see initialized struct pages (Linux's order);
 *                         a veto undoes the block at once;
 *   online_pages_finish   the online callback (default: to the buddy),
 *                         then MEM_ONLINE. Cannot fail.
 * Between the two, no page of the block is in any allocator, so
 * online_pages_cancel() undoes a prepared block without asking anybody.
 */
struct online_job_arg {
	int nid;
	enum zone_type zone;
	online_page_callback_t cb;
};

static void online_init_chunk(unsigned long start, unsigned long end, void *argp)
{
	struct online_job_arg *arg = argp;

	memmap_init_range(start, end, arg->nid, arg->zone, PGTY_OFFLINE);
}

/* Hand [start, end) of freshly initialized pages to the online callback, max-order pieces. */
static void online_free_range(unsigned long start, unsigned long end, struct online_job_arg *arg)
{
	unsigned long pfn;

	for (pfn = start; pfn < end;) {
		unsigned int order = min((unsigned int)__builtin_ctzl(pfn), (unsigned int)MAX_PAGE_ORDER);

		while (pfn + (1UL << order) > end)
			order--;
		arg->cb(pfn_to_page(pfn), order);
		pfn += 1UL << order;
	}
}

/*
 * A chunk of the block goes to the online callback. With memhp_memtest= it
 * is tested first, on whichever CPU runs the chunk: the bad pages become
 * HWPoison (never managed, stepped over by offline) and only the good
 * pieces around them reach an allocator.
 */
static void online_free_chunk(unsigned long start, unsigned long end, void *argp)
{
	struct online_job_arg *arg = argp;
	struct memtest_bad bad = { 0 };
	unsigned long pfn = start;

	if (!memtest_hotplug_plan.nr) {
		online_free_range(start, end, arg);
		return;
	}
	memtest_pfn_range(&memtest_hotplug_plan, start, end, &bad);
	memtest_retire(&bad, start, end, MEMTEST_FROM_OFFLINE, "memhp_memtest");
	for (unsigned int i = 0; i < bad.nr; i++) {
		unsigned long s = max(bad.start[i], start), e = min(bad.end[i], end);

		if (s >= e)
			continue;
		online_free_range(pfn, s, arg);
		pfn = e;
	}
	online_free_range(pfn, end, arg);
}

/* Run fn over the block's pages beyond its self-hosted memmap, on every CPU. */
static void block_run_job(struct memory_block *mem, const char *name, mt_job_fn fn,
			  struct online_job_arg *arg)
{
	unsigned long pfn = mem->start_pfn + mem->nr_vmemmap_pages;
	unsigned long end = mem->start_pfn + mem->nr_pages;
	struct mt_job job = {
		.name = name, .fn = fn, .arg = arg, .start = pfn, .size = end - pfn,
		.align = MAX_ORDER_NR_PAGES, .min_chunk = MAX_ORDER_NR_PAGES,
	};

	if (pfn < end && mt_job_run(&job))
		fn(pfn, end, arg);	/* the runner refused the job (said why): do it here */
}

/* Undo the bookkeeping of a block that went (or was going) online: it is offline after. */
static void block_take_offline(struct memory_block *mem)
{
	/* LAB 5 BEGIN block_take_offline */
	unsigned long pfn = mem->start_pfn + mem->nr_vmemmap_pages;
	unsigned long end = mem->start_pfn + mem->nr_pages;
	struct zone *zone = &NODE_DATA(mem->nid)->node_zones[mem->zone];

	adjust_present_page_count(zone, -(long)(end - pfn));
#ifdef CONFIG_DEBUG_VM
	/* Anybody still reading these struct pages reads garbage that says so. */
	memset(pfn_to_page(pfn), 0xff, (end - pfn) * sizeof(struct page));
#endif
	block_sections_set_online(mem, false);
	zone_span_shrink(zone, pfn, end - pfn);
	mem->state = MEM_BLOCK_OFFLINE;
	/* LAB 5 END block_take_offline */
}

static int online_pages_prepare(struct memory_block *mem, enum zone_type zone_idx)
{
	/* LAB 5 BEGIN online_pages_prepare */
	unsigned long pfn = mem->start_pfn + mem->nr_vmemmap_pages;
	unsigned long end = mem->start_pfn + mem->nr_pages, p;
	struct zone *zone = &NODE_DATA(mem->nid)->node_zones[zone_idx];
	struct online_job_arg arg = { .nid = mem->nid, .zone = zone_idx };
	struct memory_notify notify;
	int ret;

	if (mem->state != MEM_BLOCK_OFFLINE) {
		pr_err("online memory block %lu: it is %s, not offline\n", mem->id,
		       memory_block_state_name(mem->state));
		return -EINVAL;
	}
	mem->state = MEM_BLOCK_GOING_ONLINE;
	mem->zone = zone_idx;
	block_sections_set_online(mem, true);
	zone_span_grow(zone, pfn, end - pfn);
	adjust_present_page_count(zone, (long)(end - pfn));
	for (p = pfn; p < end; p += pageblock_nr_pages)
		set_pageblock_migratetype(p, MIGRATE_MOVABLE);
	block_run_job(mem, "online_pages", online_init_chunk, &arg);

	block_notify_arg(mem, zone_idx, &notify);
	ret = memory_notify(MEM_GOING_ONLINE, &notify);
	if (ret) {
		memory_notify(MEM_CANCEL_ONLINE, &notify);
		block_take_offline(mem);
		pr_err("online memory block %lu: a memory notifier refused (%d)\n", mem->id, ret);
		return ret < 0 ? ret : -EBUSY;
	}
	return 0;
	/* LAB 5 END online_pages_prepare */
}

/* A prepared block that will not go online after all (another block of its range failed). */
static void online_pages_cancel(struct memory_block *mem)
{
	struct memory_notify notify;

	block_notify_arg(mem, mem->zone, &notify);
	memory_notify(MEM_CANCEL_ONLINE, &notify);
	block_take_offline(mem);
}

static void online_pages_finish(struct memory_block *mem)
{
	/* LAB 5 BEGIN online_pages_finish */
	struct online_job_arg arg = { .nid = mem->nid, .zone = mem->zone, .cb = online_page_callback };
	struct memory_notify notify;

	block_run_job(mem, "online_pages", online_free_chunk, &arg);
	hwpoison_flush_reports();	/* memhp_memtest=: each bad range of the block once */
	mem->state = MEM_BLOCK_ONLINE;
	mem->online_count++;
	block_notify_arg(mem, mem->zone, &notify);
	memory_notify(MEM_ONLINE, &notify);
	/* LAB 5 END online_pages_finish */
}

static int online_pages(struct memory_block *mem, enum zone_type zone_idx)
{
	int ret = online_pages_prepare(mem, zone_idx);

	if (!ret)
		online_pages_finish(mem);
	return ret;
}

/* ---- offline ---- */

/*
 * Why pfn stops the offline, for the message: its type, and for an
 * allocated page who owns it ("owner NAME", or "unmovable") and whether it
 * is pinned - e.g. "Allocated, owner memhog, pinned".
 */
static void offline_busy_reason(unsigned long pfn, char *buf, size_t size)
{
	const struct page *page = pfn_to_page(pfn);
	const struct movable_operations *ops = page_movable_ops(page);
	enum page_type t = page_type(page);
	int n;

	n = snprintf(buf, size, "%s", page_type_name(t));
	if (t == PGTY_ALLOCATED && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, ops ? ", owner %s" : ", unmovable", ops ? ops->name : "");
	else if (t == PGTY_BUDDY && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - n, ", free on a per-CPU list");
	if (page_maybe_dma_pinned(page) && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - n, ", pinned");
}

/*
 * do_migrate_range over the range on every CPU through the job runner, a
 * max-order block at least per chunk: the copies are the cost of an
 * offline, and each CPU allocates its targets from its own per-CPU lists.
 * The owners' callbacks may run on several CPUs at once for one range
 * (they take their own locks). The result is the one do_migrate_range
 * would give over the whole range: -EBUSY before any retryable error, the
 * lowest pfn within a kind. After an -EBUSY no further chunk starts
 * (chunks already running finish; what they moved stays moved).
 */
struct offline_migrate_arg {
	spinlock_t lock;
	int ret, stop;
	unsigned long busy;
};

static void offline_migrate_chunk(unsigned long start, unsigned long end, void *argp)
{
	struct offline_migrate_arg *arg = argp;
	unsigned long busy = start;
	int ret;

	if (__atomic_load_n(&arg->stop, __ATOMIC_ACQUIRE))
		return;
	ret = do_migrate_range(start, end, MR_MEMORY_HOTPLUG, &busy);
	if (!ret)
		return;
	spin_lock(&arg->lock);
	if (!arg->ret || (ret == -EBUSY && arg->ret != -EBUSY) ||
	    ((ret == -EBUSY) == (arg->ret == -EBUSY) && busy < arg->busy)) {
		arg->ret = ret;
		arg->busy = busy;
	}
	spin_unlock(&arg->lock);
	if (ret == -EBUSY)
		__atomic_store_n(&arg->stop, 1, __ATOMIC_RELEASE);
}

static int offline_migrate_range(unsigned long pfn, unsigned long end, unsigned long *busy)
{
	struct offline_migrate_arg arg = { .lock = SPINLOCK_INIT };
	struct mt_job job = {
		.name = "offline_migrate", .fn = offline_migrate_chunk, .arg = &arg,
		.start = pfn, .size = end - pfn,
		.align = MAX_ORDER_NR_PAGES, .min_chunk = MAX_ORDER_NR_PAGES,
	};

	if (mt_job_run(&job))
		offline_migrate_chunk(pfn, end, &arg);	/* the runner refused (said why): here */
	if (arg.ret)
		*busy = arg.busy;
	return arg.ret;
}

/*
 * Empty the isolated range [pfn, end): move every allocated page out
 * (offline_migrate_range), then take the free pages (offline_isolated_pages).
 * Either step can lose a race - a page freed onto a per-CPU list just
 * before its pageblock was isolated, an owner that says "not now", no
 * target for a moment - so both are tried a bounded number of times, with
 * every CPU's lists drained before each try. A pinned or unmovable page
 * (-EBUSY from the migration) will not change: stop at once. Returns the
 * pages taken, or -EBUSY with *busy the pfn that stopped it.
 */
static long offline_migrate_and_take(struct zone *zone, unsigned long pfn, unsigned long end,
				     unsigned long *busy)
{
	/* LAB 5 BEGIN offline_migrate_and_take */
	long taken = -EBUSY;
	int ret, tries;

	for (tries = 0; tries < OFFLINE_MIGRATE_RETRIES; tries++) {
		drain_all_pages_sync(zone);
		ret = offline_migrate_range(pfn, end, busy);
		if (ret == -EBUSY)
			return -EBUSY;
		if (ret)
			continue;	/* -EAGAIN, -ENOMEM: worth another try */
		/* Pages migrated away were freed into the isolated pageblocks: zone lists, not pcp. */
		taken = offline_isolated_pages(zone, pfn, end, busy);
		if (taken >= 0)
			return taken;
	}
	return -EBUSY;
	/* LAB 5 END offline_migrate_and_take */
}

/*
 * The first pfn of a boot block without RAM of the block's node behind it
 * (a hole, or a section shared with another node), or the block's end.
 */
static unsigned long boot_block_first_hole(const struct memory_block *mem)
{
	unsigned long pos = mem->start_pfn, end = mem->start_pfn + mem->nr_pages, i;

	for (i = 0; i < memblock.memory.cnt && pos < end; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		unsigned long rs = PFN_UP(r->base), re = PFN_DOWN(r->base + r->size);

		if (re <= pos || rs >= re)
			continue;
		if (rs > pos || (r->nid < 0 ? 0 : r->nid) != mem->nid)
			return pos;
		pos = re;
	}
	return min(pos, end);
}

/*
 * What keeps a boot block online whatever its pages: the early region (the
 * kernel's first memory: page tables, per-CPU areas, its own memmap), and
 * holes, which Linux refuses too (a block goes offline and online whole).
 */
static int boot_block_offline_check(const struct memory_block *mem)
{
	unsigned long end = mem->start_pfn + mem->nr_pages, es, ee, hole;
	int enid;

	if (deferred_pages_pending()) {
		pr_err("offline memory block %lu: deferred init has %lu boot pages still to initialize; "
		       "try again when it is done\n", mem->id, deferred_pages_pending());
		return -EAGAIN;
	}
	mm_early_region(&enid, &es, &ee);
	if (enid == mem->nid && es < end && ee > mem->start_pfn) {
		unsigned long pfn = max(es, mem->start_pfn);

		pr_err("offline memory block %lu: pfn %#lx (%s) lies in the early region pfn %#lx-%#lx "
		       "(boot_mem=), which the kernel keeps; block stays online\n", mem->id, pfn,
		       page_type_name(page_type(pfn_to_page(pfn))), es, ee);
		return -EBUSY;
	}
	hole = boot_block_first_hole(mem);
	if (hole < end) {
		pr_err("offline memory block %lu: pfn %#lx (%s) has no RAM of node %d behind it; a block "
		       "with holes stays online\n", mem->id, hole,
		       pfn_valid(hole) ? page_type_name(page_type(pfn_to_page(hole))) : "no memmap", mem->nid);
		return -EINVAL;
	}
	return 0;
}

static int offline_pages(struct memory_block *mem)
{
	/* LAB 5 BEGIN offline_pages */
	unsigned long pfn = mem->start_pfn + mem->nr_vmemmap_pages;
	unsigned long end = mem->start_pfn + mem->nr_pages, busy = 0;
	struct zone *zone = &NODE_DATA(mem->nid)->node_zones[mem->zone];
	struct memory_notify notify;
	long taken = 0;
	int ret;

	if (mem->state != MEM_BLOCK_ONLINE) {
		pr_err("offline memory block %lu: it is %s, not online\n", mem->id,
		       memory_block_state_name(mem->state));
		return -EINVAL;
	}
	if (mem->boot && (ret = boot_block_offline_check(mem)))
		return ret;
	block_notify_arg(mem, mem->zone, &notify);
	ret = memory_notify(MEM_GOING_OFFLINE, &notify);
	if (ret) {
		memory_notify(MEM_CANCEL_OFFLINE, &notify);
		pr_err("offline memory block %lu: a memory notifier refused (%d)\n", mem->id, ret);
		return ret < 0 ? ret : -EBUSY;
	}
	mem->state = MEM_BLOCK_GOING_OFFLINE;
	/* From here the buddy hands out no page of the range: migration targets come from elsewhere. */
	start_isolate_page_range(zone, pfn, end);
	if (pfn < end)
		taken = offline_migrate_and_take(zone, pfn, end, &busy);
	if (taken < 0) {
		char why[96];

		/* Pages already migrated out stay out, intact with their owners; the rest is as it was. */
		offline_busy_reason(busy, why, sizeof(why));
		undo_isolate_page_range(zone, pfn, end, MIGRATE_MOVABLE);
		mem->state = MEM_BLOCK_ONLINE;
		memory_notify(MEM_CANCEL_OFFLINE, &notify);
		pr_err("offline memory block %lu: pfn %#lx is busy (%s); block stays online\n",
		       mem->id, busy, why);
		return -EBUSY;
	}
	block_take_offline(mem);
	memory_notify(MEM_OFFLINE, &notify);
	return 0;
	/* LAB 5 END offline_pages */
}

static struct memory_block *find_block_or_complain(unsigned long id, const char *what)
{
	struct memory_block *mem = find_memory_block(id);

	if (!mem)
		pr_err("%s memory block %lu: no such block (%u blocks; `memory` lists them)\n",
		       what, id, nr_memory_blocks());
	return mem;
}

static int __memory_block_online_prepare(struct memory_block *mem, enum mmop type)
{
	if (type == MMOP_OFFLINE) {
		pr_err("online memory block %lu: \"offline\" is not a way to go online\n", mem->id);
		return -EINVAL;
	}
	return online_pages_prepare(mem, zone_for_online_type(mem->nid, type, mem->start_pfn,
							      mem->nr_pages));
}

int memory_block_online(unsigned long id, enum mmop type)
{
	struct memory_block *mem;
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = -ENOENT;
	mem = find_block_or_complain(id, "online");
	if (mem && !(ret = __memory_block_online_prepare(mem, type)))
		online_pages_finish(mem);
	mem_hotplug_done();
	return ret;
}

/* Boot blocks go offline only once deferred init is done with them: wait for it where we can. */
static void offline_wait_deferred(void)
{
	if (deferred_pages_pending() && !irqs_disabled())
		deferred_init_wait();
}

int memory_block_offline(unsigned long id)
{
	struct memory_block *mem;
	int ret;

	offline_wait_deferred();
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	ret = -ENOENT;
	mem = find_block_or_complain(id, "offline");
	if (mem)
		ret = offline_pages(mem);
	mem_hotplug_done();
	return ret;
}

/* ---- ranges of blocks ---- */

/* Every block of [start, start + size) exists; complain naming the first missing one. */
static bool range_has_blocks(uint64_t start, uint64_t size, const char *what)
{
	unsigned long id, first = pfn_to_block_id(PFN_DOWN(start));
	unsigned long end = pfn_to_block_id(PFN_DOWN(start + size));

	if (!size || (start | size) & (memory_block_size_bytes() - 1)) {
		pr_err("%s [%#llx-%#llx): not aligned to the memory block size %#llx\n", what,
		       (unsigned long long)start, (unsigned long long)(start + size),
		       (unsigned long long)memory_block_size_bytes());
		return false;
	}
	for (id = first; id < end; id++) {
		if (!find_memory_block(id)) {
			pr_err("%s [%#llx-%#llx): memory block %lu (%#llx) was never added\n", what,
			       (unsigned long long)start, (unsigned long long)(start + size), id,
			       (unsigned long long)id * memory_block_size_bytes());
			return false;
		}
	}
	return true;
}

/*
 * Online every block of the range, or none: blocks already online stay as
 * they are, the others all go online or all stay offline.
 */
static int __online_range(uint64_t start, uint64_t size, enum mmop type)
{
	unsigned long first = pfn_to_block_id(PFN_DOWN(start));
	unsigned long end = pfn_to_block_id(PFN_DOWN(start + size)), id;
	int ret = 0;

	/* Prepare every block first: until all are, no page has reached an allocator. */
	for (id = first; id < end; id++) {
		struct memory_block *mem = find_memory_block(id);

		if (mem->state == MEM_BLOCK_ONLINE)
			continue;
		ret = __memory_block_online_prepare(mem, type);
		if (ret)
			break;
	}
	while (id-- > first) {
		struct memory_block *mem = find_memory_block(id);

		if (mem->state != MEM_BLOCK_GOING_ONLINE)
			continue;	/* online before this call */
		if (ret)
			online_pages_cancel(mem);
		else
			online_pages_finish(mem);
	}
	return ret;
}

int online_memory_range(uint64_t start, uint64_t size, enum mmop type)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = -EINVAL;
	if (range_has_blocks(start, size, "online"))
		ret = __online_range(start, size, type);
	mem_hotplug_done();
	return ret;
}

/* Offline every block; on the first busy one, bring back those this call offlined. */
static int __offline_range(uint64_t start, uint64_t size)
{
	unsigned long first = pfn_to_block_id(PFN_DOWN(start));
	unsigned long end = pfn_to_block_id(PFN_DOWN(start + size)), id;
	static enum zone_type was_zone[MAX_MEMORY_BLOCKS];	/* under the hotplug lock */
	static bool was_online[MAX_MEMORY_BLOCKS];
	int ret = 0;

	if (end - first > MAX_MEMORY_BLOCKS)
		return -EINVAL;
	for (id = first; id < end; id++) {
		struct memory_block *mem = find_memory_block(id);

		was_online[id - first] = mem->state == MEM_BLOCK_ONLINE;
		was_zone[id - first] = mem->zone;
		if (!was_online[id - first])
			continue;
		ret = offline_pages(mem);
		if (ret)
			break;
	}
	if (ret) {
		while (id-- > first) {
			if (was_online[id - first] &&
			    online_pages(find_memory_block(id), was_zone[id - first]))
				pr_err("offline range: could not bring block %lu back online\n", id);
		}
	}
	return ret;
}

int offline_memory_range(uint64_t start, uint64_t size)
{
	int ret;

	offline_wait_deferred();
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	ret = -EINVAL;
	if (range_has_blocks(start, size, "offline"))
		ret = __offline_range(start, size);
	mem_hotplug_done();
	return ret;
}

/* ---- add ---- */

static bool ranges_overlap(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	return a < b + bsz && b < a + asz;
}

/* Is any of [start, end) already memory: boot RAM, a present section, an earlier add? */
bool mhp_range_overlaps_memory(uint64_t start, uint64_t size, uint64_t *where)
{
	unsigned long nr;
	unsigned long i;

	for (i = 0; i < MAX_MHP_RANGES; i++) {
		if (ranges[i].used && ranges_overlap(start, size, ranges[i].start, ranges[i].size)) {
			*where = max(start, ranges[i].start);
			return true;
		}
	}
	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (ranges_overlap(start, size, r->base, r->size)) {
			*where = max(start, r->base);
			return true;
		}
	}
	for (nr = pfn_to_section_nr(PFN_DOWN(start)); nr < pfn_to_section_nr(PFN_DOWN(start + size)); nr++) {
		if (present_section_nr(nr)) {
			*where = PFN_PHYS(section_nr_to_pfn(nr));
			return true;
		}
	}
	return false;
}

static int check_add_range(int nid, uint64_t start, uint64_t size, mhp_t flags)
{
	uint64_t bs = memory_block_size_bytes(), where;

	if (!buddy_ready) {
		pr_err("add_memory [%#llx-%#llx): too early, the buddy allocator is not up\n",
		       (unsigned long long)start, (unsigned long long)(start + size));
		return -EAGAIN;
	}
	if (nid < 0 || nid >= MAX_NUMNODES) {
		pr_err("add_memory [%#llx-%#llx): node %d out of range (0..%d)\n",
		       (unsigned long long)start, (unsigned long long)(start + size), nid, MAX_NUMNODES - 1);
		return -EINVAL;
	}
	if (flags & ~(MHP_MEMMAP_ON_MEMORY | MHP_NO_ONLINE)) {
		pr_err("add_memory [%#llx-%#llx): unknown flags %#x\n", (unsigned long long)start,
		       (unsigned long long)(start + size), flags);
		return -EINVAL;
	}
	if (!size || (start | size) & (bs - 1)) {
		pr_err("add_memory: base %#llx size %#llx: both must be multiples of the memory block size "
		       "%#llx (%llu MiB)\n", (unsigned long long)start, (unsigned long long)size,
		       (unsigned long long)bs, (unsigned long long)(bs >> 20));
		return -EINVAL;
	}
	if (start + size < start || start + size > (1ULL << MAX_PHYSMEM_BITS)) {
		pr_err("add_memory: base %#llx size %#llx ends beyond MAX_PHYSMEM_BITS %d (%#llx)\n",
		       (unsigned long long)start, (unsigned long long)size, MAX_PHYSMEM_BITS,
		       1ULL << MAX_PHYSMEM_BITS);
		return -ERANGE;
	}
	if (mhp_range_overlaps_memory(start, size, &where)) {
		pr_err("add_memory: base %#llx size %#llx overlaps memory already there at %#llx\n",
		       (unsigned long long)start, (unsigned long long)size, (unsigned long long)where);
		return -EEXIST;
	}
	return 0;
}

static struct mhp_range *alloc_range_slot(void)
{
	unsigned int i;

	for (i = 0; i < MAX_MHP_RANGES; i++)
		if (!ranges[i].used)
			return &ranges[i];
	return NULL;
}

/* Undo what add_one_block did, in reverse. */
static void remove_one_block(struct memory_block *mem, bool memmap_on_memory)
{
	struct zone *normal = &NODE_DATA(mem->nid)->node_zones[ZONE_NORMAL];
	struct vmem_altmap altmap = {
		.base_pfn = mem->start_pfn, .free = mem->nr_vmemmap_pages, .alloc = mem->nr_vmemmap_pages,
	};
	unsigned long start_pfn = mem->start_pfn, nr_pages = mem->nr_pages, nr_vm = mem->nr_vmemmap_pages;

	remove_memory_block(mem);
	if (nr_vm)
		adjust_present_page_count(normal, -(long)nr_vm);
	sparse_remove_section_range(start_pfn, nr_pages, memmap_on_memory ? &altmap : NULL);
	if (nr_vm)
		zone_span_shrink(normal, start_pfn, nr_vm);
}

/*
 * One block: memmap (self-hosted or not), the vmemmap pages' own memmap,
 * the block itself. Leaves nothing behind on failure.
 */
static int add_one_block(int nid, unsigned long start_pfn, bool memmap_on_memory, unsigned int range_id)
{
	unsigned long nr_pages = memory_block_pages();
	unsigned long nr_vm = memmap_on_memory ? nr_pages * sizeof(struct page) / PAGE_SIZE : 0;
	struct vmem_altmap altmap = { .base_pfn = start_pfn, .free = nr_vm };
	struct zone *normal = &NODE_DATA(nid)->node_zones[ZONE_NORMAL];
	struct memory_block *mem;
	unsigned long nr;
	int ret;

	ret = sparse_add_section_range(nid, start_pfn, nr_pages, memmap_on_memory ? &altmap : NULL);
	if (ret)
		return ret;
	mem = create_memory_block(pfn_to_block_id(start_pfn), nid, nr_vm, range_id);
	if (!mem) {
		sparse_remove_section_range(start_pfn, nr_pages, memmap_on_memory ? &altmap : NULL);
		return -ENOSPC;
	}
	for (nr = pfn_to_section_nr(start_pfn); nr < pfn_to_section_nr(start_pfn + nr_pages); nr++)
		__nr_to_section(nr)->flags |= SECTION_MEMMAP_PARTIAL;
	if (nr_vm) {
		memmap_init_range(start_pfn, start_pfn + nr_vm, nid, ZONE_NORMAL, PGTY_VMEMMAP_SELF_HOSTED);
		zone_span_grow(normal, start_pfn, nr_vm);
		adjust_present_page_count(normal, (long)nr_vm);
	}
	return 0;
}

static int __add_memory(int nid, uint64_t start, uint64_t size, mhp_t flags, const char *name,
			bool driver_managed)
{
	unsigned long pfn, start_pfn = PFN_DOWN(start), end_pfn = PFN_DOWN(start + size);
	bool memmap_on_memory, new_node = false;
	struct mhp_range *r;
	enum mmop online;
	uint64_t t0 = ktime_get_ns();
	int ret;

	/*
	 * Deferred init walks its nodes' spans by section: let it finish before
	 * hot-added sections appear inside (or grow) a span it is walking.
	 */
	deferred_init_wait();
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	ret = check_add_range(nid, start, size, flags);
	if (ret)
		goto out;
	r = alloc_range_slot();
	if (!r) {
		pr_err("add_memory [%#llx-%#llx): %d ranges added already (MAX_MHP_RANGES)\n",
		       (unsigned long long)start, (unsigned long long)(start + size), MAX_MHP_RANGES);
		ret = -ENOSPC;
		goto out;
	}
	if (!node_has_pgdat(nid)) {
		if (!alloc_node_data(nid)) {
			pr_err("add_memory [%#llx-%#llx): cannot create node %d\n",
			       (unsigned long long)start, (unsigned long long)(start + size), nid);
			ret = -ENOMEM;
			goto out;
		}
		new_node = true;
	}
	memmap_on_memory = (flags & MHP_MEMMAP_ON_MEMORY) && memmap_on_memory_enabled;
	ret = arch_add_direct_map(start, size);
	if (ret) {
		pr_err("add_memory [%#llx-%#llx): direct map failed (%d)\n",
		       (unsigned long long)start, (unsigned long long)(start + size), ret);
		goto out_node;
	}
	for (pfn = start_pfn; pfn < end_pfn; pfn += memory_block_pages()) {
		ret = add_one_block(nid, pfn, memmap_on_memory, (unsigned int)(r - ranges));
		if (ret)
			break;
	}
	if (ret) {
		pr_err("add_memory [%#llx-%#llx): block at %#llx failed (%d); undoing the add\n",
		       (unsigned long long)start, (unsigned long long)(start + size),
		       (unsigned long long)PFN_PHYS(pfn), ret);
		while (pfn > start_pfn) {
			pfn -= memory_block_pages();
			remove_one_block(find_memory_block(pfn_to_block_id(pfn)), memmap_on_memory);
		}
		arch_remove_direct_map(start, size);
		goto out_node;
	}
	r->start = start;
	r->size = size;
	r->nid = nid;
	r->flags = flags;
	r->memmap_on_memory = memmap_on_memory;
	r->driver_managed = driver_managed;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->used = true;

	online = default_online_type;
	if (!(flags & MHP_NO_ONLINE) && online != MMOP_OFFLINE) {
		/* All or nothing: on failure every block is offline again, so removable. */
		ret = __online_range(start, size, online);
		if (ret) {
			pr_err("add_memory [%#llx-%#llx): onlining failed (%d); undoing the add\n",
			       (unsigned long long)start, (unsigned long long)(start + size), ret);
			for (pfn = start_pfn; pfn < end_pfn; pfn += memory_block_pages())
				remove_one_block(find_memory_block(pfn_to_block_id(pfn)), memmap_on_memory);
			arch_remove_direct_map(start, size);
			r->used = false;
			goto out_node;
		}
	}
	report("memory_added", "\"base\":%llu,\"size\":%llu,\"node\":%d,\"resource\":\"%s\","
	       "\"memmap_on_memory\":%s,\"online\":\"%s\",\"add_ns\":%llu", (unsigned long long)start,
	       (unsigned long long)size, nid, name, memmap_on_memory ? "true" : "false",
	       (flags & MHP_NO_ONLINE) ? "offline" : mhp_online_type_name(online),
	       (unsigned long long)(ktime_get_ns() - t0));
	pr_info("memory: added [%#llx-%#llx) on node %d, %llu blocks, memmap %s\n",
		(unsigned long long)start, (unsigned long long)(start + size), nid,
		(unsigned long long)(size / memory_block_size_bytes()),
		memmap_on_memory ? "on the memory itself" : "from online memory");
	goto out;

out_node:
	if (new_node)
		free_node_data(nid);
out:
	mem_hotplug_done();
	return ret;
}

int add_memory(int nid, uint64_t start, uint64_t size, mhp_t flags)
{
	return __add_memory(nid, start, size, flags, "System RAM", false);
}

/* "System RAM (X)", X non-empty, no quote or control characters (it goes into the report). */
static bool driver_resource_name_ok(const char *name)
{
	static const char prefix[] = "System RAM (";
	size_t n, i;

	if (!name || strncmp(name, prefix, sizeof(prefix) - 1))
		return false;
	n = strlen(name);
	if (n >= MHP_RESOURCE_NAME_LEN || n < sizeof(prefix) + 1 || name[n - 1] != ')')
		return false;
	for (i = 0; i < n; i++)
		if (name[i] < 0x20 || name[i] > 0x7e || name[i] == '"' || name[i] == '\\')
			return false;
	return true;
}

int add_memory_driver_managed(int nid, uint64_t start, uint64_t size, const char *resource_name,
			      mhp_t flags)
{
	if (!driver_resource_name_ok(resource_name)) {
		pr_err("add_memory_driver_managed [%#llx-%#llx): resource name \"%s\" is not "
		       "\"System RAM (DRIVER)\" (printable, under %d characters)\n",
		       (unsigned long long)start, (unsigned long long)(start + size),
		       resource_name ? resource_name : "(null)", MHP_RESOURCE_NAME_LEN);
		return -EINVAL;
	}
	return __add_memory(nid, start, size, flags, resource_name, true);
}

int memory_hotplug_resources(struct mhp_resource *res, unsigned int max)
{
	unsigned int i, n = 0, j;
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	for (i = 0; i < MAX_MHP_RANGES; i++) {
		if (!ranges[i].used)
			continue;
		if (n < max) {
			/* Insertion in address order. */
			for (j = n; j > 0 && res[j - 1].start > ranges[i].start; j--)
				res[j] = res[j - 1];
			res[j].start = ranges[i].start;
			res[j].size = ranges[i].size;
			res[j].nid = ranges[i].nid;
			res[j].driver_managed = ranges[i].driver_managed;
			memcpy(res[j].name, ranges[i].name, sizeof(res[j].name));
		}
		n++;
	}
	mem_hotplug_done();
	return (int)n;
}

bool mhp_range_driver_managed(uint64_t start, uint64_t size, char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < MAX_MHP_RANGES; i++) {
		if (ranges[i].used && ranges[i].driver_managed &&
		    ranges_overlap(start, size, ranges[i].start, ranges[i].size)) {
			if (name && len)
				snprintf(name, len, "%s", ranges[i].name);
			return true;
		}
	}
	return false;
}

/* ---- remove ---- */

static struct mhp_range *find_range(uint64_t start, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < MAX_MHP_RANGES; i++)
		if (ranges[i].used && ranges[i].start == start && ranges[i].size == size)
			return &ranges[i];
	for (i = 0; i < MAX_MHP_RANGES; i++) {
		if (ranges[i].used && ranges_overlap(start, size, ranges[i].start, ranges[i].size)) {
			pr_err("remove_memory [%#llx-%#llx): memory there was added as [%#llx-%#llx); "
			       "remove it at the granularity it was added\n",
			       (unsigned long long)start, (unsigned long long)(start + size),
			       (unsigned long long)ranges[i].start,
			       (unsigned long long)(ranges[i].start + ranges[i].size));
			return NULL;
		}
	}
	pr_err("remove_memory [%#llx-%#llx): no hot-added memory there\n",
	       (unsigned long long)start, (unsigned long long)(start + size));
	return NULL;
}

/* Is [start, start + size) block aligned and made of boot blocks only? */
static bool range_is_boot_blocks(uint64_t start, uint64_t size)
{
	unsigned long id, first = pfn_to_block_id(PFN_DOWN(start));
	unsigned long end = pfn_to_block_id(PFN_DOWN(start + size));

	if (!size || (start | size) & (memory_block_size_bytes() - 1))
		return false;
	for (id = first; id < end; id++) {
		const struct memory_block *mem = find_memory_block(id);

		if (!mem || !mem->boot)
			return false;
	}
	return true;
}

/*
 * Boot RAM goes at any block granularity (it came from no add_memory()
 * call). Linux's order: every block offline; then per block, the block
 * itself, its sections with their memmap (unmapped, flushed on every CPU,
 * then the memmap's Reserved pages freed to the buddy: sparse.c); then the
 * direct map, and memblock forgets the RAM, so that it can be added again.
 */
static int remove_boot_memory(uint64_t start, uint64_t size)
{
	unsigned long pfn, start_pfn = PFN_DOWN(start), end_pfn = PFN_DOWN(start + size);

	for (pfn = start_pfn; pfn < end_pfn; pfn += memory_block_pages()) {
		struct memory_block *mem = find_memory_block(pfn_to_block_id(pfn));

		if (mem->state != MEM_BLOCK_OFFLINE) {
			pr_err("remove_memory [%#llx-%#llx): memory block %lu (boot RAM) is %s; offline it first\n",
			       (unsigned long long)start, (unsigned long long)(start + size), mem->id,
			       memory_block_state_name(mem->state));
			return -EBUSY;
		}
	}
	for (pfn = end_pfn; pfn > start_pfn;) {
		pfn -= memory_block_pages();
		remove_memory_block(find_memory_block(pfn_to_block_id(pfn)));
		sparse_remove_section_range(pfn, memory_block_pages(), NULL);
	}
	arch_remove_direct_map(start, size);
	memblock_phys_free(start, size);
	if (memblock_remove(start, size))
		pr_err("remove_memory [%#llx-%#llx): memblock still lists the range (see above); "
		       "it cannot be added again\n", (unsigned long long)start, (unsigned long long)(start + size));
	report("memory_removed", "\"base\":%llu,\"size\":%llu,\"boot\":true", (unsigned long long)start,
	       (unsigned long long)size);
	return 0;
}

static int __remove_memory(uint64_t start, uint64_t size)
{
	unsigned long pfn, start_pfn = PFN_DOWN(start), end_pfn = PFN_DOWN(start + size);
	struct mhp_range *r;

	if (range_is_boot_blocks(start, size))
		return remove_boot_memory(start, size);
	r = find_range(start, size);
	if (!r)
		return -EINVAL;
	for (pfn = start_pfn; pfn < end_pfn; pfn += memory_block_pages()) {
		struct memory_block *mem = find_memory_block(pfn_to_block_id(pfn));

		if (mem->state != MEM_BLOCK_OFFLINE) {
			pr_err("remove_memory [%#llx-%#llx): memory block %lu is %s; offline it first\n",
			       (unsigned long long)start, (unsigned long long)(start + size), mem->id,
			       memory_block_state_name(mem->state));
			return -EBUSY;
		}
	}
	for (pfn = end_pfn; pfn > start_pfn;) {
		pfn -= memory_block_pages();
		remove_one_block(find_memory_block(pfn_to_block_id(pfn)), r->memmap_on_memory);
	}
	arch_remove_direct_map(start, size);
	r->used = false;
	report("memory_removed", "\"base\":%llu,\"size\":%llu", (unsigned long long)start,
	       (unsigned long long)size);
	return 0;
}

int remove_memory(uint64_t start, uint64_t size)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	ret = __remove_memory(start, size);
	mem_hotplug_done();
	return ret;
}

int offline_and_remove_memory(uint64_t start, uint64_t size)
{
	int ret;

	offline_wait_deferred();
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	ret = -EINVAL;
	if (range_is_boot_blocks(start, size) || find_range(start, size)) {
		ret = __offline_range(start, size);
		if (!ret)
			ret = __remove_memory(start, size);
	}
	mem_hotplug_done();
	return ret;
}

/* ---- boot RAM's blocks ---- */

void memory_blocks_init_boot(void)
{
	unsigned long nr, first, end;
	unsigned int created = 0, failed = 0;

	if (!sparse_present_span(&first, &end))
		return;
	for (nr = first; nr < end; nr++) {
		struct mem_section *ms = __nr_to_section(nr);
		unsigned long id = pfn_to_block_id(section_nr_to_pfn(nr));
		struct memory_block *mem;

		if (!ms || !(ms->flags & SECTION_MARKED_PRESENT) || !(ms->flags & SECTION_MEMMAP_BOOT) ||
		    find_memory_block(id))
			continue;
		mem = create_memory_block(id, ms->nid, 0, ~0u);
		if (!mem) {
			failed++;	/* said why */
			continue;
		}
		mem->boot = true;
		mem->state = MEM_BLOCK_ONLINE;
		mem->zone = boot_zone_of_pfn(ms->nid, mem->start_pfn);
		mem->online_count = 1;
		created++;
	}
	pr_info("memory: %u blocks of boot RAM%s\n", created, failed ? " (some could not be created)" : "");
	if (failed)
		pr_err("memory: %u blocks of boot RAM have no memory block: they cannot go offline\n", failed);
}

/*
 * Linux's old `removable`: could every page of the block go - free, on a
 * migratable owner and not pinned, held Offline by a driver that lets go,
 * or the block's own memmap. Boot blocks also need no holes and no early
 * region. An offline block is removable.
 */
bool memory_block_removable(const struct memory_block *mem)
{
	unsigned long pfn = mem->start_pfn + mem->nr_vmemmap_pages, end = mem->start_pfn + mem->nr_pages;
	int enid;
	unsigned long es, ee;

	if (mem->state == MEM_BLOCK_OFFLINE)
		return true;
	if (mem->state != MEM_BLOCK_ONLINE)
		return false;
	if (mem->boot) {
		mm_early_region(&enid, &es, &ee);
		if ((enid == mem->nid && es < end && ee > mem->start_pfn) || boot_block_first_hole(mem) < end ||
		    deferred_pages_pending())
			return false;
	}
	while (pfn < end) {
		const struct page *page = pfn_to_page(pfn);
		unsigned long step = 1;

		switch (page_type(page)) {
		case PGTY_BUDDY:
			step = 1UL << page->order;
			break;
		case PGTY_TAIL:
		case PGTY_HWPOISON:
			break;
		case PGTY_OFFLINE:
			break;		/* a driver's: it decides in MEM_GOING_OFFLINE */
		case PGTY_ALLOCATED:
			if (!page_movable_ops(page) || page_maybe_dma_pinned(page))
				return false;
			step = 1UL << page->order;
			break;
		default:
			return false;
		}
		pfn += step;
	}
	return true;
}

/* ---- withheld boot RAM ---- */

static struct {
	uint64_t start, size;
	int nid;
} withheld[MAX_WITHHELD_RANGES];
static unsigned int nr_withheld;

/* Remember [start, end) of node nid as withheld; false when the table is full. */
static bool withhold_range(uint64_t start, uint64_t end, int nid)
{
	if (start >= end)
		return true;
	if (nr_withheld == MAX_WITHHELD_RANGES) {
		pr_warn("memhp_withhold: more than %d pieces; [%#llx-%#llx) stays boot RAM\n",
			MAX_WITHHELD_RANGES, (unsigned long long)start, (unsigned long long)end);
		return false;
	}
	withheld[nr_withheld].start = start;
	withheld[nr_withheld].size = end - start;
	withheld[nr_withheld].nid = nid;
	nr_withheld++;
	return true;
}

uint64_t memhp_withhold_boot_ram(uint64_t want)
{
	uint64_t bs = memory_block_size_bytes(), got = 0;
	unsigned int i;
	int r;

	nr_withheld = 0;
	/* From the top down: whole blocks inside one RAM range, with nothing reserved in them. */
	for (r = (int)memblock.memory.cnt - 1; r >= 0 && got < want; r--) {
		const struct memblock_region *reg = &memblock.memory.regions[r];
		uint64_t lo = ALIGN(reg->base, bs), b = ALIGN_DOWN(reg->base + reg->size, bs);
		uint64_t run_end = b;
		int nid = reg->nid < 0 ? 0 : reg->nid;

		while (b > lo && b - bs >= lo && got < want) {
			if (memblock_is_region_reserved(b - bs, bs)) {
				if (!withhold_range(b, run_end, nid)) {
					got -= run_end - b;
					goto done;
				}
				run_end = b - bs;
			} else {
				got += bs;
			}
			b -= bs;
		}
		if (!withhold_range(b, run_end, nid)) {
			got -= run_end - b;
			break;
		}
	}
done:
	for (i = 0; i < nr_withheld; i++)
		memblock_remove(withheld[i].start, withheld[i].size);
	if (got < want)
		pr_warn("memhp_withhold: only %llu of %llu MiB of boot RAM could be withheld "
			"(whole %llu MiB blocks, nothing reserved in them)\n", (unsigned long long)(got >> 20),
			(unsigned long long)(want >> 20), (unsigned long long)(bs >> 20));
	pr_info("memhp_withhold: %llu MiB of boot RAM withheld in %u range(s), hot-added after boot\n",
		(unsigned long long)(got >> 20), nr_withheld);
	return got;
}

unsigned int memhp_withheld_ranges(uint64_t *start, uint64_t *size, int *nid, unsigned int max)
{
	unsigned int i;

	for (i = 0; i < nr_withheld && i < max; i++) {
		start[i] = withheld[i].start;
		size[i] = withheld[i].size;
		nid[i] = withheld[i].nid;
	}
	return nr_withheld;
}

int memhp_add_withheld(mhp_t flags)
{
	unsigned int i;
	int ret, first_err = 0;

	/* Lowest first, so blocks come online in address order. */
	for (i = nr_withheld; i-- > 0;) {
		ret = add_memory(withheld[i].nid, withheld[i].start, withheld[i].size, flags);
		if (ret && !first_err)
			first_err = ret;
	}
	return first_err;
}

void memory_hotplug_reset(void)
{
	memset(ranges, 0, sizeof(ranges));
	memory_blocks_reset();
	memmap_on_memory_enabled = true;
	default_online_type = MMOP_ONLINE_MOVABLE;
	memblock_set_movable_node(false);
	notifier_chain = NULL;
	online_page_callback = generic_online_page;
	nr_withheld = 0;
}

/* ---- boot: the hotplug options, read by start_kernel through these two ---- */

CMDLINE_OPTION(memhp_default_state, "online_movable|online_kernel|online|offline",
	       "how hot-added memory goes online (default online_movable, so it can be unplugged)");
/* CMDLINE_OPTION() by hand: the name has a dot, as Linux's module parameter does. */
static const struct cmdline_option __cmdline_opt_memmap_on_memory
__used __section(".cmdline_opts") __aligned(8) = {
	.name = "memory_hotplug.memmap_on_memory", .arg = "1|0",
	.help = "hot-added memory hosts its own memmap, 2 MiB per 128 MiB (default 1)" };
CMDLINE_OPTION(movable_node, "",
	       "SRAT hot-pluggable boot RAM in ZONE_MOVABLE, kept free of boot allocations; \"online\" "
	       "puts hot-added memory in ZONE_MOVABLE");
CMDLINE_OPTION(kernelcore, "SIZE|N%", "boot RAM kept for kernel data, spread over the nodes; the rest "
	       "goes to ZONE_MOVABLE");
CMDLINE_OPTION(movablecore, "SIZE|N%", "boot RAM put in ZONE_MOVABLE, spread over the nodes");
CMDLINE_OPTION(memory_block_size, "SIZE", "memory block size, power of two >= 128M (default 128M)");
CMDLINE_OPTION(memhp_withhold, "SIZE",
	       "test: withhold SIZE of boot RAM (whole blocks, from the top) and hot-add it after boot");

/* kernelcore= / movablecore=: a size (K/M/G) or a percentage of boot RAM, as Linux takes them. */
static void parse_core(const char *opt, int (*set)(uint64_t value, bool percent))
{
	const char *s = cmdline_get(opt);
	size_t n = s ? strlen(s) : 0;
	uint64_t v;

	if (!s)
		return;
	if (n > 1 && s[n - 1] == '%') {
		char num[24];

		if (n - 1 < sizeof(num)) {
			memcpy(num, s, n - 1);
			num[n - 1] = '\0';
			if (parse_u64_range(num, 0, 100, &v) && !set(v, true))
				return;
		}
	} else if (parse_size(s, &v) && !set(v, false)) {
		return;
	}
	pr_err("%s=%s: expected a size (512M, 2G) or a percentage of boot RAM (0%%..100%%); ignored\n", opt, s);
}

/*
 * Boot RAM has blocks too: on a large machine 128 MiB blocks would fill the
 * table. Like Linux's probe_memory_block_size() on big machines, grow the
 * block until boot RAM (up to its highest address) needs at most half the
 * table, leaving the other half for memory that arrives later.
 */
static void probe_memory_block_size(void)
{
	uint64_t end = memblock.memory.cnt ? memblock_end_of_DRAM() : 0, bs = MIN_MEMORY_BLOCK_SIZE;

	while (bs < MAX_MEMORY_BLOCK_SIZE && end > bs * (MAX_MEMORY_BLOCKS / 2))
		bs <<= 1;
	if (bs != memory_block_size_bytes() && !set_memory_block_size(bs))
		pr_notice("memory: %llu MiB memory blocks (boot RAM reaches %llu GiB; memory_block_size= "
			  "to choose)\n", (unsigned long long)(bs >> 20), (unsigned long long)(end >> 30));
}

void memory_hotplug_early_init(void)
{
	const char *s;
	uint64_t size;

	s = cmdline_get("memory_block_size");
	if (s) {
		if (!parse_size(s, &size) || set_memory_block_size(size))
			pr_err("memory_block_size=%s ignored; using %llu MiB\n", s,
			       (unsigned long long)(memory_block_size_bytes() >> 20));
	} else {
		probe_memory_block_size();
	}
	s = cmdline_get("memory_hotplug.memmap_on_memory");
	if (s) {
		if (!strcmp(s, "0") || !strcmp(s, "n") || !strcmp(s, "off"))
			mhp_set_memmap_on_memory(false);
		else if (!strcmp(s, "1") || !strcmp(s, "y") || !strcmp(s, "on") || !*s)
			mhp_set_memmap_on_memory(true);
		else
			pr_err("memory_hotplug.memmap_on_memory=%s: expected 0 or 1; keeping %d\n", s,
			       mhp_memmap_on_memory());
	}
	s = cmdline_get("memhp_default_state");
	if (s) {
		int t = mhp_online_type_from_str(s);

		if (t < 0)
			pr_err("memhp_default_state=%s: expected online_movable, online_kernel, online or "
			       "offline; keeping %s\n", s, mhp_online_type_name(mhp_get_default_online_type()));
		else
			mhp_set_default_online_type((enum mmop)t);
	}
	if (cmdline_flag("movable_node"))
		mhp_set_movable_node(true);
	parse_core("kernelcore", set_kernelcore);
	parse_core("movablecore", set_movablecore);
	s = cmdline_get("memhp_withhold");
	if (s) {
		if (!parse_size(s, &size) || !size)
			pr_err("memhp_withhold=%s: expected a size such as 512M\n", s);
		else
			memhp_withhold_boot_ram(size);
	}
}

static unsigned int nr_hot_added_blocks(void)
{
	struct memory_block *mem;
	unsigned int n = 0;

	if (mem_hotplug_begin())
		return 0;
	for (mem = first_memory_block(); mem; mem = next_memory_block(mem))
		n += !mem->boot;
	mem_hotplug_done();
	return n;
}

void memory_hotplug_init(void)
{
	uint64_t start[1], size[1];
	int nid[1];

	if (!memhp_withheld_ranges(start, size, nid, 1))
		return;
	if (memhp_add_withheld(MHP_MEMMAP_ON_MEMORY))
		pr_err("memhp_withhold: hot-adding the withheld boot RAM failed (see above)\n");
	report("memhp_withheld_added", "\"blocks\":%u,\"block_size\":%llu", nr_hot_added_blocks(),
	       (unsigned long long)memory_block_size_bytes());
}
