/* SPDX-License-Identifier: MIT */
/*
 * DOC: memhog.c - hold memory with a pattern that survives migration; migration tests (kernel only)
 *
 * `memhog` (numactl's name) takes memory and keeps it, so that tests and
 * benchmarks can fill hot-added memory and then offline or eject it:
 *
 *   memhog SIZE [movable|kernel] [node=N]   allocate and hold SIZE (K/M/G)
 *   memhog list                             the hogs held
 *   memhog free [ID]                        verify every word, free (all, or one)
 *   memhog pin ID / memhog unpin ID         pin every page of a hog / let go
 *
 * movable (the default) comes from the movable heap (mm/vmalloc.h): its
 * pages may migrate behind the hog's stable address. kernel comes from
 * alloc_pages(GFP_KERNEL) one page at a time: unmovable, and so a page of
 * it in a block keeps the block online.
 *
 * Every 64-bit word holds hog_pattern(id, byte offset in the hog): a
 * logical place, not a pfn, so a page that migrated still verifies and a
 * page copied wrong or to the wrong place does not. A kernel hog's pages
 * are chained through page->next (never moved: nobody else uses the link)
 * and page->private holds each page's index in the hog.
 *
 * Reports: memhog_alloc (bytes, pages, pages per node, pages inside
 * hot-added memory blocks), memhog_free (bad_words, first_bad), memhog_pin.
 * Walking a hog's struct pages (node counts, pins) is done under the
 * hotplug lock: the memmap of a block that is being removed goes away.
 *
 * The same file holds the migration tests the QEMU tests drive
 * (tests/qemu/test_migration.py) and the benchmark hook (tools/bench):
 *
 *   migtest cycles N     N offline/online cycles of random online hot-added
 *                        blocks while the other CPUs allocate, write, verify
 *                        and free movable-heap memory; every offline must
 *                        succeed (what is in the block migrates)
 *   migtest throughput SIZE   migrate every page of a movable hog of SIZE
 *                        once on this CPU and once on all CPUs, timed
 *   migtest offline FIRST COUNT   offline COUNT blocks from FIRST, timed
 *                        (the benchmark's hotmm side)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xorshift.h"

#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/migrate.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"
#include "mm/memblock.h"
#include "mm/memory_block.h"
#include "mm/memory_hotplug.h"
#include "mm/mmzone.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "kernel/cmdline.h"
#include "kernel/mt_job.h"
#include "kernel/printk.h"
#include "kernel/shell.h"

#define MAX_HOGS	32
#define MAX_NODES_SHOWN	8

struct hog {
	bool used, movable, pinned;
	int id, nid;			/* nid: asked for, NUMA_NO_NODE when not */
	size_t bytes;
	unsigned long pages;
	uint64_t *addr;			/* movable: the heap area */
	struct page *list;		/* kernel: the pages, through page->next */
};

static struct hog hogs[MAX_HOGS];
static int next_hog_id = 1;

static inline uint64_t hog_pattern(int id, unsigned long off)
{
	return ((uint64_t)(unsigned int)id << 48) ^ off ^ 0x6d68000000000000ull;	/* "mh" */
}

static struct hog *find_hog(const char *arg)
{
	char *end;
	long id = strtol(arg, &end, 0);

	for (int i = 0; i < MAX_HOGS && !*end && *arg; i++)
		if (hogs[i].used && hogs[i].id == id)
			return &hogs[i];
	shell_printf("memhog: no hog '%s' (`memhog list`)\n", arg);
	return NULL;
}

/*
 * The page behind a movable-heap address now: waits while a migration
 * entry stands in for it (the move finishes in microseconds).
 */
static struct page *heap_page(const void *va)
{
	uint64_t pte;

	/* Not present: a migration entry (arch/x86_64/pgtable.h) or nothing at all. */
	while (!((pte = kernel_pte_get((unsigned long)va)) & _PAGE_PRESENT)) {
		if (!(pte & _PAGE_MIGRATION))
			return NULL;
		cpu_relax();
	}
	return pfn_to_page(PHYS_PFN(pte & PTE_ADDR_MASK));
}

/* Pin the page behind va; as Linux's GUP: pin, then check the mapping still names it. */
static struct page *pin_heap_page(const void *va)
{
	for (;;) {
		struct page *page = heap_page(va);

		if (!page)
			return NULL;
		if (page_type(page) != PGTY_ALLOCATED || pin_page(page))
			continue;	/* freed by a move that just ended: look again */
		if (heap_page(va) == page)
			return page;
		unpin_page(page);	/* moved in between; the pin made nothing fail */
	}
}

static bool pfn_in_hotadded_block(unsigned long pfn)
{
	const struct memory_block *mem = find_memory_block(pfn_to_block_id(pfn));

	return mem && !mem->boot;
}

/* ---- allocate ---- */

static int hog_fill_kernel(struct hog *h)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | (h->nid != NUMA_NO_NODE ? __GFP_THISNODE : 0);

	for (unsigned long i = 0; i < h->pages; i++) {
		struct page *page = h->nid != NUMA_NO_NODE ? alloc_pages_node(h->nid, gfp, 0) : alloc_pages(gfp, 0);
		uint64_t *p;

		if (!page) {
			shell_printf("memhog: out of kernel memory after %lu of %lu pages\n", i, h->pages);
			h->pages = i;
			return -ENOMEM;
		}
		page->private = i;
		page->next = h->list;
		h->list = page;
		p = page_address(page);
		for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
			p[w] = hog_pattern(h->id, i * PAGE_SIZE + w * 8);
	}
	return 0;
}

/* Pages per node and inside hot-added blocks, under the hotplug lock (the memmap may go). */
static int hog_where(struct hog *h, unsigned long *per_node, unsigned long *hotadded)
{
	int ret = mem_hotplug_begin();

	if (ret)
		return ret;
	*hotadded = 0;
	if (h->movable) {
		for (unsigned long i = 0; i < h->pages; i++) {
			struct page *page = heap_page((char *)h->addr + i * PAGE_SIZE);

			if (!page)
				continue;
			per_node[page_to_nid(page) < MAX_NODES_SHOWN ? page_to_nid(page) : MAX_NODES_SHOWN - 1]++;
			*hotadded += pfn_in_hotadded_block(page_to_pfn(page));
		}
	} else {
		for (struct page *page = h->list; page; page = page->next) {
			per_node[page_to_nid(page) < MAX_NODES_SHOWN ? page_to_nid(page) : MAX_NODES_SHOWN - 1]++;
			*hotadded += pfn_in_hotadded_block(page_to_pfn(page));
		}
	}
	mem_hotplug_done();
	return 0;
}

static void hog_release(struct hog *h);

static int hog_alloc(uint64_t size, bool movable, int nid)
{
	unsigned long per_node[MAX_NODES_SHOWN] = { 0 }, hotadded = 0;
	struct hog *h = NULL;
	uint64_t t0 = ktime_get_ns(), t1;
	char nodes[96];
	int ret, len = 0;

	for (int i = 0; i < MAX_HOGS && !h; i++)
		if (!hogs[i].used)
			h = &hogs[i];
	if (!h) {
		shell_printf("memhog: %d hogs held already; free one\n", MAX_HOGS);
		return -ENOSPC;
	}
	*h = (struct hog){ .used = true, .movable = movable, .id = next_hog_id++, .nid = nid,
			   .pages = (unsigned long)PFN_UP(size) };
	h->bytes = h->pages * PAGE_SIZE;
	if (movable) {
		h->addr = nid == NUMA_NO_NODE ? vmalloc_movable(h->bytes) : vmalloc_movable_node(h->bytes, nid);
		if (!h->addr) {
			shell_printf("memhog: the movable heap has no %zu bytes\n", h->bytes);
			h->used = false;
			return -ENOMEM;
		}
		for (unsigned long w = 0; w < h->bytes / 8; w++)
			h->addr[w] = hog_pattern(h->id, w * 8);
	} else {
		ret = hog_fill_kernel(h);
		if (ret) {
			hog_release(h);
			return ret;
		}
	}
	t1 = ktime_get_ns();
	ret = hog_where(h, per_node, &hotadded);
	if (ret) {
		hog_release(h);
		return ret;
	}
	for (int n = 0; n < MAX_NODES_SHOWN; n++)
		if (per_node[n])
			len += snprintf(nodes + len, sizeof(nodes) - (size_t)len, "%s\"%d\":%lu", len ? "," : "",
					n, per_node[n]);
	nodes[len] = '\0';
	shell_printf("memhog %d: %zu bytes, %lu %s pages, %lu in hot-added blocks, %llu ms\n", h->id, h->bytes,
		     h->pages, movable ? "movable" : "kernel", hotadded, (unsigned long long)((t1 - t0) / 1000000));
	report("memhog_alloc", "\"id\":%d,\"kind\":\"%s\",\"bytes\":%zu,\"pages\":%lu,\"nodes\":{%s},"
	       "\"hotadded_pages\":%lu,\"took_ns\":%llu", h->id, movable ? "movable" : "kernel", h->bytes, h->pages,
	       nodes, hotadded, (unsigned long long)(t1 - t0));
	return 0;
}

/* ---- pins ---- */

static int hog_pin(struct hog *h, bool pin)
{
	unsigned long n = 0, first_pfn = 0;
	int ret;

	if (h->pinned == pin) {
		shell_printf("memhog %d: %s already\n", h->id, pin ? "pinned" : "not pinned");
		return -EINVAL;
	}
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	if (h->movable) {
		for (unsigned long i = 0; i < h->pages; i++) {
			const void *va = (char *)h->addr + i * PAGE_SIZE;
			/* A pinned page never moves, so the mapping is stable for unpin. */
			struct page *page = pin ? pin_heap_page(va) : heap_page(va);

			if (!page)
				continue;
			if (!pin)
				unpin_page(page);
			if (!n++)
				first_pfn = page_to_pfn(page);
		}
	} else {
		for (struct page *page = h->list; page; page = page->next) {
			if (!pin)
				unpin_page(page);
			else if (pin_page(page))
				continue;
			if (!n++)
				first_pfn = page_to_pfn(page);
		}
	}
	mem_hotplug_done();
	h->pinned = pin;
	shell_printf("memhog %d: %s %lu pages (first pfn %#lx, block %lu)\n", h->id, pin ? "pinned" : "unpinned",
		     n, first_pfn, pfn_to_block_id(first_pfn));
	report(pin ? "memhog_pin" : "memhog_unpin", "\"id\":%d,\"pages\":%lu,\"first_pfn\":%lu,\"first_block\":%lu",
	       h->id, n, first_pfn, pfn_to_block_id(first_pfn));
	return n == h->pages ? 0 : -EIO;
}

/* ---- verify and free ---- */

static void hog_release(struct hog *h)
{
	if (h->movable) {
		vfree(h->addr);
	} else {
		while (h->list) {
			struct page *page = h->list;

			h->list = page->next;
			page->next = NULL;
			__free_page(page);
		}
	}
	h->used = false;
}

static int hog_free(struct hog *h)
{
	unsigned long bad = 0;
	uint64_t first_bad = 0;
	bool any = false;

	if (h->pinned)
		hog_pin(h, false);
	if (h->movable) {
		for (unsigned long w = 0; w < h->bytes / 8; w++)
			if (h->addr[w] != hog_pattern(h->id, w * 8)) {
				if (!bad++)
					first_bad = (uint64_t)(uintptr_t)&h->addr[w];
			}
	} else {
		for (struct page *page = h->list; page; page = page->next) {
			const uint64_t *p = page_address(page);

			for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
				if (p[w] != hog_pattern(h->id, page->private * PAGE_SIZE + w * 8) && !bad++)
					first_bad = page_to_phys(page) + w * 8;
		}
	}
	any = bad != 0;
	shell_printf("memhog %d: freed %zu bytes, %lu bad words%s", h->id, h->bytes, bad, any ? "" : "\n");
	if (any)
		shell_printf(", the first at %#llx\n", (unsigned long long)first_bad);
	report("memhog_free", "\"id\":%d,\"kind\":\"%s\",\"bytes\":%zu,\"pages\":%lu,\"bad_words\":%lu,"
	       "\"first_bad\":%llu", h->id, h->movable ? "movable" : "kernel", h->bytes, h->pages, bad,
	       (unsigned long long)first_bad);
	hog_release(h);
	return bad ? -EIO : 0;
}

static void hog_list(void)
{
	int n = 0;

	shell_printf("  id kind      bytes        pages  node pinned address\n");
	for (int i = 0; i < MAX_HOGS; i++) {
		struct hog *h = &hogs[i];

		if (!h->used)
			continue;
		n++;
		shell_printf("%4d %-7s %12zu %10lu %5d %-6s %#lx\n", h->id, h->movable ? "movable" : "kernel",
			     h->bytes, h->pages, h->nid, h->pinned ? "yes" : "no",
			     h->movable ? (unsigned long)h->addr : 0ul);
	}
	report("memhog_list", "\"hogs\":%d", n);
}

static int cmd_memhog(int argc, char **argv)
{
	bool movable = true;
	int nid = NUMA_NO_NODE, ret = 0;
	uint64_t size;

	if (argc == 2 && !strcmp(argv[1], "list")) {
		hog_list();
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "free")) {
		struct hog *h;

		if (argc == 3)
			return (h = find_hog(argv[2])) ? hog_free(h) : -ENOENT;
		for (int i = 0; i < MAX_HOGS; i++)
			if (hogs[i].used && hog_free(&hogs[i]))
				ret = -EIO;
		return ret;
	}
	if (argc == 3 && (!strcmp(argv[1], "pin") || !strcmp(argv[1], "unpin"))) {
		struct hog *h = find_hog(argv[2]);

		return h ? hog_pin(h, !strcmp(argv[1], "pin")) : -ENOENT;
	}
	if (argc < 2 || !parse_size(argv[1], &size) || !size)
		goto usage;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "movable")) {
			movable = true;
		} else if (!strcmp(argv[i], "kernel")) {
			movable = false;
		} else if (!strncmp(argv[i], "node=", 5)) {
			char *end;

			nid = (int)strtol(argv[i] + 5, &end, 0);
			if (*end || !argv[i][5] || !node_online(nid)) {
				shell_printf("memhog: no node '%s'\n", argv[i] + 5);
				return -EINVAL;
			}
		} else {
			goto usage;
		}
	}
	return hog_alloc(size, movable, nid);
usage:
	shell_printf("usage: memhog SIZE [movable|kernel] [node=N] | list | free [ID] | pin ID | unpin ID\n");
	return -EINVAL;
}
SHELL_COMMAND(memhog, cmd_memhog, "SIZE [movable|kernel] [node=N]|list|free [ID]|pin ID|unpin ID",
	      "hold memory with a pattern that survives migration, verify it when freed");

/* ---- migtest cycles: offline/online under load, every offline must migrate its way through ---- */

#define CHURN_BYTES	(64 * 1024)

static volatile int churn_stop;
static unsigned long churn_rounds, churn_bad, churn_nomem;	/* atomic */

static void churn_round(unsigned long start, unsigned long end, void *arg)
{
	(void)arg;
	while (start < end && !READ_ONCE(churn_stop)) {
		uint64_t *p = vmalloc_movable(CHURN_BYTES);
		uint64_t tag = (uint64_t)start << 20;
		unsigned long bad = 0;

		if (!p) {
			__atomic_add_fetch(&churn_nomem, 1, __ATOMIC_RELAXED);
			start++;
			continue;
		}
		for (unsigned long w = 0; w < CHURN_BYTES / 8; w++)
			p[w] = tag ^ w;
		/* Offline may move these pages right now: the reads wait on the migration entries. */
		for (unsigned long w = 0; w < CHURN_BYTES / 8; w++)
			bad += p[w] != (tag ^ w);
		vfree(p);
		if (bad)
			__atomic_add_fetch(&churn_bad, bad, __ATOMIC_RELAXED);
		__atomic_add_fetch(&churn_rounds, 1, __ATOMIC_RELAXED);
		start++;
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static unsigned long rnd(unsigned long n)
{
	return (unsigned long)(xorshift64(&rng_state) % n);
}

static int migtest_cycles(unsigned long cycles)
{
	static unsigned long ids[MAX_MEMORY_BLOCKS];	/* not on a kernel stack */
	static struct mt_job job;
	unsigned long nr = 0, ok = 0, failed = 0;
	unsigned long moved0 = vm_event_count(PGMIGRATE_SUCCESS), fail0 = vm_event_count(PGMIGRATE_FAIL);
	bool background = num_online_cpus() > 1;
	uint64_t t0 = ktime_get_ns();
	struct memory_block *mem;
	int ret;

	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	for (mem = first_memory_block(); mem; mem = next_memory_block(mem))
		if (mem->state == MEM_BLOCK_ONLINE && !mem->boot)
			ids[nr++] = mem->id;
	mem_hotplug_done();
	if (!nr) {
		shell_printf("migtest: no online hot-added block (memhp_withhold=SIZE, or a DIMM)\n");
		return -ENODEV;
	}
	churn_stop = 0;
	churn_rounds = churn_bad = churn_nomem = 0;
	/* Every CPU may help; this one is busy cycling, so the others churn. */
	job = (struct mt_job){ .name = "migtest_churn", .fn = churn_round, .start = 0, .size = 1UL << 30,
			       .align = 1, .min_chunk = 1 };
	if (background && mt_job_start(&job))
		return -EINVAL;
	for (unsigned long i = 0; i < cycles; i++) {
		unsigned long id = ids[rnd(nr)];
		enum zone_type zone;

		if (!background)
			churn_round(i, i + 1, NULL);
		ret = mem_hotplug_begin();
		if (ret)
			break;
		mem = find_memory_block(id);
		zone = mem ? mem->zone : ZONE_MOVABLE;
		mem_hotplug_done();
		ret = memory_block_offline(id);
		if (ret) {
			/* With migration there is no excuse: nothing here is pinned or unmovable-only. */
			pr_err("migtest: cycle %lu: block %lu did not go offline (%d)\n", i, id, ret);
			failed++;
			continue;
		}
		ret = memory_block_online(id, zone == ZONE_MOVABLE ? MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL);
		if (ret) {
			pr_err("migtest: cycle %lu: block %lu did not come back online (%d)\n", i, id, ret);
			failed++;
			break;	/* one block fewer: the next cycles would pick it again */
		}
		ok++;
	}
	churn_stop = 1;
	if (background)
		mt_job_wait(&job);
	shell_printf("migtest: %lu cycles, %lu ok, %lu failed; churn %lu rounds, %lu bad words; %lu pages "
		     "migrated\n", cycles, ok, failed, churn_rounds, churn_bad,
		     vm_event_count(PGMIGRATE_SUCCESS) - moved0);
	report("migtest_cycles", "\"cycles\":%lu,\"ok\":%lu,\"failed\":%lu,\"blocks\":%lu,\"churn_rounds\":%lu,"
	       "\"churn_bad_words\":%lu,\"churn_nomem\":%lu,\"migrated\":%lu,\"migrate_fail\":%lu,\"cpus\":%u,"
	       "\"ms\":%llu", cycles, ok, failed, nr, churn_rounds, churn_bad, churn_nomem,
	       vm_event_count(PGMIGRATE_SUCCESS) - moved0, vm_event_count(PGMIGRATE_FAIL) - fail0,
	       num_online_cpus(), (unsigned long long)((ktime_get_ns() - t0) / 1000000));
	return failed || churn_bad ? -EIO : 0;
}

/* ---- migtest throughput: every page of a hog moved once ---- */

static unsigned long tp_moved, tp_failed;	/* atomic */

static void tp_chunk(unsigned long start, unsigned long end, void *arg)
{
	const char *base = arg;

	for (unsigned long i = start; i < end; i++) {
		struct page *page = heap_page(base + i * PAGE_SIZE);

		if (page && !migrate_page_to(page, NUMA_NO_NODE, page_to_pfn(page), page_to_pfn(page) + 1,
					     MR_SYSCALL))
			__atomic_add_fetch(&tp_moved, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&tp_failed, 1, __ATOMIC_RELAXED);
	}
}

static int migtest_throughput(uint64_t size)
{
	unsigned int cpus[2] = { 1, num_online_cpus() };
	struct hog *h;
	int ret;

	ret = hog_alloc(size, true, NUMA_NO_NODE);
	if (ret)
		return ret;
	h = NULL;
	for (int i = 0; i < MAX_HOGS; i++)
		if (hogs[i].used && hogs[i].id == next_hog_id - 1)
			h = &hogs[i];
	for (int r = 0; r < 2; r++) {
		struct mt_job job = { .name = "migtest_throughput", .fn = tp_chunk, .arg = h->addr,
				      .start = 0, .size = h->pages, .align = 1, .min_chunk = 64,
				      .max_threads = cpus[r] };
		uint64_t t0, ns;

		if (r == 1 && cpus[1] == 1)
			break;
		tp_moved = tp_failed = 0;
		/* Under the hotplug lock: no block of the hog goes away under the walk. */
		ret = mem_hotplug_begin();
		if (ret)
			break;
		t0 = ktime_get_ns();
		mt_job_run(&job);
		ns = ktime_get_ns() - t0;
		mem_hotplug_done();
		shell_printf("migtest throughput: %lu pages on %u CPU%s in %llu us: %llu ns/page, %llu MiB/s\n",
			     tp_moved, cpus[r], cpus[r] > 1 ? "s" : "", (unsigned long long)(ns / 1000),
			     (unsigned long long)(tp_moved ? ns / tp_moved : 0),
			     (unsigned long long)(ns ? (uint64_t)tp_moved * PAGE_SIZE * 1000000000ull / ns >> 20 : 0));
		report("migtest_throughput", "\"pages\":%lu,\"moved\":%lu,\"failed\":%lu,\"cpus\":%u,\"took_ns\":%llu",
		       h->pages, tp_moved, tp_failed, job.nr_threads ? job.nr_threads : cpus[r],
		       (unsigned long long)ns);
		if (tp_failed)
			ret = -EIO;
	}
	if (hog_free(h))
		ret = -EIO;
	return ret;
}

/* ---- migtest offline: the benchmark's timed offline of a DIMM's blocks ---- */

static int migtest_offline(unsigned long first, unsigned long count)
{
	unsigned long moved0 = vm_event_count(PGMIGRATE_SUCCESS), failed = 0;
	uint64_t t0 = ktime_get_ns(), ns;

	for (unsigned long id = first; id < first + count; id++)
		if (memory_block_offline(id))
			failed++;
	ns = ktime_get_ns() - t0;
	shell_printf("migtest offline: %lu blocks in %llu ms, %lu pages migrated, %lu failed\n", count,
		     (unsigned long long)(ns / 1000000), vm_event_count(PGMIGRATE_SUCCESS) - moved0, failed);
	report("migtest_offline", "\"first\":%lu,\"blocks\":%lu,\"block_bytes\":%llu,\"failed\":%lu,"
	       "\"migrated\":%lu,\"took_ns\":%llu", first, count, (unsigned long long)memory_block_size_bytes(),
	       failed, vm_event_count(PGMIGRATE_SUCCESS) - moved0, (unsigned long long)ns);
	return failed ? -EBUSY : 0;
}

static int cmd_migtest(int argc, char **argv)
{
	uint64_t size;

	if (argc == 3 && !strcmp(argv[1], "cycles"))
		return migtest_cycles(strtoul(argv[2], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "throughput") && parse_size(argv[2], &size) && size)
		return migtest_throughput(size);
	if (argc == 4 && !strcmp(argv[1], "offline"))
		return migtest_offline(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	shell_printf("usage: migtest cycles N | throughput SIZE | offline FIRST COUNT\n");
	return -EINVAL;
}
SHELL_COMMAND(migtest, cmd_migtest, "cycles N|throughput SIZE|offline FIRST COUNT",
	      "page migration tests: offline/online cycles under load, throughput, timed offline");
