/* SPDX-License-Identifier: MIT */
/*
 * DOC: tlb_selftest.c - in-kernel test of the TLB shootdown on hot-remove
 *
 *   tlb_shootdown  TLB_ROUNDS rounds of hot-remove and re-add of the same
 *                  TLB_RANGE at the base of a withheld range (boot with
 *                  memhp_withhold=SIZE, SIZE >= 512M), each round with
 *                  another layout (TLB_LAYOUTS below), so the memmap of
 *                  the range - and the page-table pages of its vmemmap and
 *                  direct map - land at other physical places than the
 *                  round before. After each re-add the boot CPU writes a
 *                  per-round stamp into every struct page of the range that
 *                  is not in use (the blocks stay offline until checked) and
 *                  into the first word of each data page through the direct
 *                  map; then every other CPU reads both back (an IPI: the
 *                  boot CPU waits for all of them, so no CPU ever touches
 *                  the range while it is unmapped). A CPU that kept a
 *                  translation of the last round reads the old memmap's
 *                  place and a stale stamp: without the shootdown in
 *                  kernel_unmap() that happens within a few rounds under
 *                  QEMU TCG (a software TLB per vCPU that nothing but a
 *                  flush on that vCPU empties).
 *
 * The readers walk the memmap down, then the direct map, then the memmap
 * up, so the vmemmap pages they touch last in one round are the first
 * they touch in the next: a small TLB that the direct-map pass would
 * otherwise have emptied still holds them.
 *
 * Skipped with one CPU online or without a withheld range of TLB_RANGE.
 * At the end the withheld range is added back as memhp_withhold= added it.
 *
 *   tlb_flush_storm  every CPU at once (the job runner) flushes kernel
 *                  ranges STORM_FLUSHES times with interrupts off, a
 *                  quarter of them while holding a lock the others spin on
 *                  with interrupts off too, and the boot CPU waits for the
 *                  job with interrupts off: every flush must come back (the
 *                  limit, STORM_MAX_MS, is only there to name a flush that
 *                  took seconds under TCG rather than hang). It only can
 *                  because busy-waiting CPUs serve the flush requests sent
 *                  to them (cpu_relax, arch/x86_64/smp.c); a shootdown that
 *                  relied on the IPI being taken would wait forever here.
 *
 *   tlb_iounmap    ioremap() two pages of the local APIC, read its id
 *                  register, iounmap(): the mapping must be gone afterwards
 *                  and the unmap must have gone through a flush.
 *
 * Each reports one line (`tlb_shootdown`, `tlb_flush_storm`, `tlb_iounmap`)
 * for tests/qemu/test_tlb.py.
 */
#include <errno.h>
#include <string.h>

#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page.h"
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/tsc.h"
#include "kernel/mt_job.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

#define TLB_ROUNDS	200
#define TLB_RANGE	(512ULL << 20)
#define TLB_MAX_BLOCKS	(TLB_RANGE / SZ_128M)	/* at the default block size; more are refused */
#define STAMP_MUL	0x9e3779b97f4a7c15ull
#define DATA_TAG	0xd1a7a000d1a7a000ull

/*
 * The layouts, one per round in turn: how many add_memory() calls make up
 * the range, where its memmap comes from, and whether the blocks go online
 * (then offline_and_remove_memory) or are removed straight from offline.
 * Every step between two consecutive layouts moves the memmap between the
 * range itself and online memory.
 */
static const struct tlb_layout {
	unsigned int adds;
	bool memmap_on_memory;
	bool online;
	const char *name;
} layouts[] = {
	{ 1, true, false, "1x512M memmap-on-memory" },
	{ 2, false, false, "2x256M memmap-from-online" },
	{ 2, true, true, "2x256M memmap-on-memory online" },
	{ 1, false, true, "1x512M memmap-from-online online" },
};

/* What the readers check in one round (written by the boot CPU before the IPI). */
struct tlb_round {
	unsigned long start_pfn, end_pfn;
	unsigned long block_pages;
	unsigned long vmemmap_pages[TLB_MAX_BLOCKS];	/* self-hosted memmap at each block's start */
	uint64_t stamp;
	unsigned int round;
};

struct tlb_reader {
	unsigned long checks, bad_memmap, bad_data, bad_rounds;
	unsigned long first_pfn;
	uint64_t first_got, first_want;
	int first_round;			/* -1: nothing bad seen */
	bool first_in_memmap;
};

static struct tlb_round cur;
static struct tlb_reader readers[NR_CPUS];

static inline uint64_t memmap_stamp(uint64_t stamp, unsigned long pfn) { return stamp ^ (pfn * STAMP_MUL); }
static inline uint64_t data_stamp(uint64_t stamp, unsigned long pfn) { return memmap_stamp(stamp, pfn) ^ DATA_TAG; }

/* A pfn of the range whose struct page and contents nobody uses while its block is offline. */
static bool pfn_is_free_for_stamps(const struct tlb_round *r, unsigned long pfn)
{
	unsigned long off = pfn - r->start_pfn;

	return off % r->block_pages >= r->vmemmap_pages[off / r->block_pages];
}

static void note_bad(struct tlb_reader *rd, const struct tlb_round *r, unsigned long pfn, uint64_t got,
		     uint64_t want, bool memmap)
{
	if (memmap)
		rd->bad_memmap++;
	else
		rd->bad_data++;
	if (rd->first_round >= 0)
		return;
	rd->first_round = (int)r->round;
	rd->first_pfn = pfn;
	rd->first_got = got;
	rd->first_want = want;
	rd->first_in_memmap = memmap;
}

static void check_memmap(struct tlb_reader *rd, const struct tlb_round *r, unsigned long pfn)
{
	uint64_t got, want = memmap_stamp(r->stamp, pfn);

	if (!pfn_is_free_for_stamps(r, pfn))
		return;
	got = READ_ONCE(pfn_to_page(pfn)->private);
	rd->checks++;
	if (got != want)
		note_bad(rd, r, pfn, got, want, true);
}

/* On every other CPU, from the call IPI: the boot CPU waits until all returned. */
static void tlb_reader_check(void *arg)
{
	const struct tlb_round *r = arg;
	struct tlb_reader *rd = &readers[smp_processor_id()];
	unsigned long before = rd->bad_memmap + rd->bad_data, pfn;

	for (pfn = r->end_pfn; pfn-- > r->start_pfn;)
		check_memmap(rd, r, pfn);
	for (pfn = r->start_pfn; pfn < r->end_pfn; pfn++) {
		uint64_t got, want = data_stamp(r->stamp, pfn);

		if (!pfn_is_free_for_stamps(r, pfn))
			continue;
		got = READ_ONCE(*(uint64_t *)__va(PFN_PHYS(pfn)));
		rd->checks++;
		if (got != want)
			note_bad(rd, r, pfn, got, want, false);
	}
	for (pfn = r->start_pfn; pfn < r->end_pfn; pfn++)
		check_memmap(rd, r, pfn);
	if (rd->bad_memmap + rd->bad_data != before)
		rd->bad_rounds++;
}

/* Add [base, base + TLB_RANGE) in the round's layout, offline. */
static int add_layout(int nid, uint64_t base, const struct tlb_layout *l)
{
	uint64_t part = TLB_RANGE / l->adds;
	mhp_t flags = MHP_NO_ONLINE | (l->memmap_on_memory ? MHP_MEMMAP_ON_MEMORY : 0);
	int ret;

	for (unsigned int i = 0; i < l->adds; i++) {
		ret = add_memory(nid, base + i * part, part, flags);
		if (ret) {
			while (i-- > 0)
				remove_memory(base + i * part, part);
			return ret;
		}
	}
	return 0;
}

static int remove_layout(uint64_t base, const struct tlb_layout *l)
{
	uint64_t part = TLB_RANGE / l->adds;
	int ret, first = 0;

	for (unsigned int i = l->adds; i-- > 0;) {
		if (l->online) {
			ret = online_memory_range(base + i * part, part, MMOP_ONLINE_MOVABLE);
			if (!ret)
				ret = offline_and_remove_memory(base + i * part, part);
		} else {
			ret = remove_memory(base + i * part, part);
		}
		if (ret && !first)
			first = ret;
	}
	return first;
}

/* The boot CPU's half of a round: stamp every unused struct page and data page of the range. */
static void stamp_range(struct tlb_round *r, uint64_t base, unsigned int round)
{
	unsigned long pfn;

	r->start_pfn = PFN_DOWN(base);
	r->end_pfn = PFN_DOWN(base + TLB_RANGE);
	r->block_pages = memory_block_pages();
	for (unsigned long b = 0; b < TLB_MAX_BLOCKS; b++) {
		struct memory_block *mem = find_memory_block(pfn_to_block_id(r->start_pfn + b * r->block_pages));

		r->vmemmap_pages[b] = mem ? mem->nr_vmemmap_pages : 0;
	}
	r->round = round;
	r->stamp = (round + 1) * 0x0123456789abcdefull;
	for (pfn = r->start_pfn; pfn < r->end_pfn; pfn++) {
		if (!pfn_is_free_for_stamps(r, pfn))
			continue;
		pfn_to_page(pfn)->private = memmap_stamp(r->stamp, pfn);
		*(uint64_t *)__va(PFN_PHYS(pfn)) = data_stamp(r->stamp, pfn);
	}
}

static int test_tlb_shootdown(void)
{
	uint64_t starts[16], sizes[16], base = 0, orig_size = 0, t0 = ktime_get_ns();
	unsigned int n, i, round, nr_readers = num_online_cpus() - 1;
	int nids[16], nid = 0, ret = 0, failed = 0;
	unsigned long bad_memmap = 0, bad_data = 0, bad_rounds = 0, checks = 0;
	uint64_t others = cpu_online_mask & ~(1ull << smp_processor_id());
	struct tlb_stats st0, st1;

	if (num_online_cpus() < 2) {
		pr_notice("tlb_shootdown: one CPU online: no other TLB to leave stale (boot with -smp 2 or more)\n");
		return SELFTEST_SKIP;
	}
	if (memory_block_size_bytes() != SZ_128M) {
		pr_notice("tlb_shootdown: needs the default 128 MiB memory blocks\n");
		return SELFTEST_SKIP;
	}
	n = memhp_withheld_ranges(starts, sizes, nids, ARRAY_SIZE(starts));
	for (i = 0; i < n; i++) {
		if (sizes[i] >= TLB_RANGE) {
			base = starts[i];
			orig_size = sizes[i];
			nid = nids[i];
			break;
		}
	}
	if (!base) {
		pr_notice("tlb_shootdown: no withheld range of %lu MiB (boot with memhp_withhold=512M or more)\n",
			  (unsigned long)(TLB_RANGE >> 20));
		return SELFTEST_SKIP;
	}
	ret = offline_and_remove_memory(base, orig_size);
	if (ret) {
		pr_err("tlb_shootdown: cannot take the withheld range [%#llx-%#llx) away (%d)\n",
		       (unsigned long long)base, (unsigned long long)(base + orig_size), ret);
		return ret;
	}
	memset(readers, 0, sizeof(readers));
	for (i = 0; i < NR_CPUS; i++)
		readers[i].first_round = -1;
	tlb_get_stats(&st0);

	for (round = 0; round < TLB_ROUNDS; round++) {
		const struct tlb_layout *l = &layouts[round % ARRAY_SIZE(layouts)];

		ret = add_layout(nid, base, l);
		if (ret) {
			pr_err("tlb_shootdown: round %u: adding %s failed (%d)\n", round, l->name, ret);
			failed = 1;
			break;
		}
		stamp_range(&cur, base, round);
		smp_call_function_many(others, tlb_reader_check, &cur, 0);
		ret = remove_layout(base, l);
		if (ret) {
			pr_err("tlb_shootdown: round %u: removing %s failed (%d)\n", round, l->name, ret);
			failed = 1;
			break;
		}
	}
	tlb_get_stats(&st1);

	for (i = 0; i < NR_CPUS; i++) {
		const struct tlb_reader *rd = &readers[i];

		if (!((others >> i) & 1))
			continue;
		checks += rd->checks;
		bad_memmap += rd->bad_memmap;
		bad_data += rd->bad_data;
		bad_rounds += rd->bad_rounds;
		if (rd->first_round >= 0)
			pr_err("tlb_shootdown: CPU %u read a stale %s in round %d (%s): pfn %#lx reads %#llx, "
			       "this round wrote %#llx; %lu bad memmap / %lu bad data words in %lu rounds\n",
			       i, rd->first_in_memmap ? "struct page" : "direct-map word", rd->first_round,
			       layouts[rd->first_round % ARRAY_SIZE(layouts)].name, rd->first_pfn,
			       (unsigned long long)rd->first_got, (unsigned long long)rd->first_want,
			       rd->bad_memmap, rd->bad_data, rd->bad_rounds);
	}
	if (add_memory(nid, base, orig_size, MHP_MEMMAP_ON_MEMORY)) {
		pr_err("tlb_shootdown: could not add the withheld range back\n");
		failed = 1;
	}
	report("tlb_shootdown", "\"rounds\":%u,\"readers\":%u,\"layouts\":%zu,\"checks\":%lu,\"bad_memmap\":%lu,"
	       "\"bad_data\":%lu,\"bad_reader_rounds\":%lu,\"flushes\":%lu,\"shootdowns\":%lu,\"full\":%lu,"
	       "\"tables_freed\":%lu,\"ms\":%llu,\"ok\":%s", round, nr_readers, ARRAY_SIZE(layouts), checks,
	       bad_memmap, bad_data, bad_rounds, st1.flushes - st0.flushes, st1.shootdowns - st0.shootdowns,
	       st1.full - st0.full, st1.tables_freed - st0.tables_freed,
	       (unsigned long long)(ktime_get_ns() - t0) / 1000000,
	       !failed && !bad_memmap && !bad_data ? "true" : "false");
	if (bad_memmap || bad_data) {
		pr_err("tlb_shootdown: other CPUs read stale translations in %lu reader-rounds of %u\n",
		       bad_rounds, round * nr_readers);
		failed = 1;
	}
	return failed ? -EIO : 0;
}
SELFTEST(tlb_shootdown, test_tlb_shootdown);

/* ---- many CPUs flushing at once, with interrupts off ---- */

#define STORM_FLUSHES	200
#define STORM_MAX_MS	5000
#define STORM_JOIN_MS	200

static DEFINE_SPINLOCK(storm_lock);
static unsigned int storm_arrived;			/* atomic */
static unsigned long storm_done[NR_CPUS];
static uint64_t storm_max_ns[NR_CPUS];
static char storm_target[PAGE_SIZE * 2] __aligned(PAGE_SIZE);

static void storm_chunk(unsigned long start, unsigned long end, void *arg)
{
	unsigned int self = smp_processor_id(), want = *(unsigned int *)arg;
	unsigned long va = (unsigned long)storm_target;
	uint64_t t0 = ktime_get_ns();

	/* Start together, so the flushes overlap (a CPU that never joins is not waited for long). */
	__atomic_add_fetch(&storm_arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&storm_arrived, __ATOMIC_ACQUIRE) < want &&
	       ktime_get_ns() - t0 < STORM_JOIN_MS * 1000000ull)
		cpu_relax();
	for (; start < end; start++) {
		unsigned long flags = local_irq_save();

		for (unsigned int i = 0; i < STORM_FLUSHES; i++) {
			uint64_t t = ktime_get_ns(), d;

			if (i % 4 == 0) {
				spin_lock(&storm_lock);
				flush_tlb_kernel_range(va, va + PAGE_SIZE);
				spin_unlock(&storm_lock);
			} else {
				/* one page (invlpg) or more than the ceiling (full flush) */
				flush_tlb_kernel_range(va, va + (i % 2 ? PAGE_SIZE : 64 * PAGE_SIZE));
			}
			d = ktime_get_ns() - t;
			if (d > storm_max_ns[self])
				storm_max_ns[self] = d;
			storm_done[self]++;
		}
		local_irq_restore(flags);
	}
}

static int test_tlb_flush_storm(void)
{
	unsigned int cpus = num_online_cpus(), joined = 0;
	struct mt_job job = {
		.name = "tlb_flush_storm", .fn = storm_chunk, .arg = &cpus,
		.start = 0, .size = cpus, .align = 1, .min_chunk = 1,
	};
	unsigned long total = 0;
	uint64_t max_ns = 0, t0 = ktime_get_ns();
	struct tlb_stats st0, st1;

	if (cpus < 2) {
		pr_notice("tlb_flush_storm: one CPU online: nobody to flush at the same time\n");
		return SELFTEST_SKIP;
	}
	memset(storm_done, 0, sizeof(storm_done));
	memset(storm_max_ns, 0, sizeof(storm_max_ns));
	storm_arrived = 0;
	tlb_get_stats(&st0);
	if (mt_job_run(&job))
		return -EINVAL;
	tlb_get_stats(&st1);
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		if (storm_done[c])
			joined++;
		total += storm_done[c];
		max_ns = max(max_ns, storm_max_ns[c]);
	}
	report("tlb_flush_storm", "\"cpus\":%u,\"joined\":%u,\"flushes\":%lu,\"shootdowns\":%lu,"
	       "\"max_flush_us\":%llu,\"ms\":%llu", cpus, joined, total, st1.shootdowns - st0.shootdowns,
	       (unsigned long long)max_ns / 1000, (unsigned long long)(ktime_get_ns() - t0) / 1000000);
	if (total != (unsigned long)cpus * STORM_FLUSHES) {
		pr_err("tlb_flush_storm: %lu flushes done, wanted %u\n", total, cpus * STORM_FLUSHES);
		return -EIO;
	}
	if (max_ns > STORM_MAX_MS * 1000000ull) {
		pr_err("tlb_flush_storm: a flush took %llu ms (limit %u ms)\n",
		       (unsigned long long)max_ns / 1000000, STORM_MAX_MS);
		return -EIO;
	}
	return 0;
}
SELFTEST(tlb_flush_storm, test_tlb_flush_storm);

/* ---- iounmap goes through the same path ---- */

#define LAPIC_PHYS	0xfee00000UL	/* the architectural default; MMIO, never RAM */

static int test_tlb_iounmap(void)
{
	struct tlb_stats st0, st1;
	unsigned long va, before, after;
	volatile uint32_t *regs;
	uint32_t id;

	tlb_get_stats(&st0);
	regs = ioremap(LAPIC_PHYS, 2 * PAGE_SIZE);
	if (!regs) {
		pr_err("tlb_iounmap: ioremap of %#lx failed\n", LAPIC_PHYS);
		return -ENOMEM;
	}
	va = (unsigned long)regs;
	before = kernel_mapped_run(va, 4 * PAGE_SIZE);
	id = regs[0x20 / 4];	/* APIC ID register */
	iounmap((void __iomem *)regs);
	after = kernel_mapped_run(va, 4 * PAGE_SIZE);
	tlb_get_stats(&st1);
	report("tlb_iounmap", "\"va\":%lu,\"mapped_before\":%lu,\"mapped_after\":%lu,\"flushes\":%lu,"
	       "\"apic_id_reg\":%u", va, before, after, st1.flushes - st0.flushes, id);
	if (before != 2 * PAGE_SIZE || after != 0 || st1.flushes == st0.flushes) {
		pr_err("tlb_iounmap: %lu bytes mapped before iounmap (want %lu), %lu after (want 0), %lu flushes\n",
		       before, 2 * PAGE_SIZE, after, st1.flushes - st0.flushes);
		return -EIO;
	}
	return 0;
}
SELFTEST(tlb_iounmap, test_tlb_iounmap);
