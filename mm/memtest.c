/* SPDX-License-Identifier: MIT */
/*
 * DOC: memtest.c - the memory test's patterns, plans, bad-pfn bookkeeping and reports
 *
 * See memtest.h for the algorithms. The inner loops are the benchmark
 * (make bench): every access is one 8-byte volatile load or store (volatile
 * so the compiler neither drops the read-back nor merges stores into
 * 16-byte SSE moves, which cost more than twice as much under TCG), LINE
 * words an iteration, and a verify loop ORs the differences of LINE words
 * and branches once: the slow path that names the word runs only on a
 * mismatch.
 *
 * Host tests compile this file with HOTMM_HOST: there every load and store
 * goes through memtest_host_load/store when a test sets them, so a test
 * can model a stuck bit or two addresses reaching one cell in a host
 * buffer and check that each pattern finds it. The kernel build has plain
 * accesses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/memtest.h"
#include "mm/page.h"
#include "mm/memory_block.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"

#ifdef HOTMM_HOST
uint64_t (*memtest_host_load)(volatile uint64_t *p);
void (*memtest_host_store)(volatile uint64_t *p, uint64_t v);
#define LD(p)		(memtest_host_load ? memtest_host_load(p) : *(p))
#define ST(p, v)	(memtest_host_store ? memtest_host_store(p, v) : (void)(*(p) = (v)))
#else
#define LD(p)		(*(p))
#define ST(p, v)	(*(p) = (v))
#endif

/* Linux's memtest patterns, in its order: passes N-1 .. 0 end on 0 (memory left zeroed). */
static const uint64_t linux_patterns[MEMTEST_LINUX_PATTERNS] = {
	0,
	0xffffffffffffffffULL,
	0x5555555555555555ULL,
	0xaaaaaaaaaaaaaaaaULL,
	0x1111111111111111ULL,
	0x2222222222222222ULL,
	0x4444444444444444ULL,
	0x8888888888888888ULL,
	0x3333333333333333ULL,
	0x6666666666666666ULL,
	0xccccccccccccccccULL,
	0x9999999999999999ULL,
	0x7777777777777777ULL,
	0xbbbbbbbbbbbbbbbbULL,
	0xddddddddddddddddULL,
	0xeeeeeeeeeeeeeeeeULL,
	0x7a6c7258554e494cULL,
};

struct memtest_plan memtest_boot_plan, memtest_hotplug_plan;

/* ---- plans ---- */

static int plan_add(struct memtest_plan *plan, enum memtest_kind kind, uint64_t value)
{
	if (plan->nr >= MEMTEST_MAX_PASSES)
		return -1;
	plan->pass[plan->nr].kind = kind;
	plan->pass[plan->nr].value = value;
	plan->nr++;
	return 0;
}

int memtest_parse(const char *spec, const char *what, struct memtest_plan *out)
{
	struct memtest_plan plan = { 0 };
	char word[32];
	const char *s = spec ? spec : "";

	if (!*s) {	/* a bare `memtest`: Linux tests with every pattern */
		s = "linux";
	}
	while (*s) {
		size_t n = strcspn(s, ",");
		int bad = 0;

		if (n == 0 || n >= sizeof(word)) {
			pr_err("%s=%s: empty or overlong pattern name at offset %zu\n", what, spec, (size_t)(s - spec));
			return -EINVAL;
		}
		memcpy(word, s, n);
		word[n] = '\0';
		if (word[0] >= '0' && word[0] <= '9') {
			char *end;
			unsigned long k = strtoul(word, &end, 10);

			if (*end || k > MEMTEST_MAX_PASSES) {
				pr_err("%s=%s: '%s' is not a pass count 0..%d\n", what, spec, word, MEMTEST_MAX_PASSES);
				return -EINVAL;
			}
			/* Linux: passes N-1 down to 0 of its patterns, so memory ends zeroed. */
			for (unsigned long i = k; i-- > 0;)
				bad |= plan_add(&plan, MEMTEST_SOLID, linux_patterns[i % MEMTEST_LINUX_PATTERNS]);
		} else if (!strcmp(word, "linux")) {
			for (unsigned long i = MEMTEST_LINUX_PATTERNS; i-- > 0;)
				bad |= plan_add(&plan, MEMTEST_SOLID, linux_patterns[i]);
		} else if (!strcmp(word, "movinv")) {
			bad = plan_add(&plan, MEMTEST_MOVINV, 0);
		} else if (!strcmp(word, "movinv8")) {
			bad = plan_add(&plan, MEMTEST_MOVINV8, 0);
		} else if (!strcmp(word, "addr")) {
			bad = plan_add(&plan, MEMTEST_ADDR, 0);
		} else {
			pr_err("%s=%s: unknown pattern '%s' (a pass count N, linux, movinv, movinv8, addr; "
			       "comma separated)\n", what, spec, word);
			return -EINVAL;
		}
		if (bad) {
			pr_err("%s=%s: more than %d passes\n", what, spec, MEMTEST_MAX_PASSES);
			return -EINVAL;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	*out = plan;
	return 0;
}

const char *memtest_pass_name(const struct memtest_pass *p, char *buf, size_t size)
{
	switch (p->kind) {
	case MEMTEST_SOLID:
		snprintf(buf, size, "solid %#llx", (unsigned long long)p->value);
		break;
	case MEMTEST_MOVINV:
		snprintf(buf, size, "movinv");
		break;
	case MEMTEST_MOVINV8:
		snprintf(buf, size, "movinv8");
		break;
	case MEMTEST_ADDR:
		snprintf(buf, size, "addr");
		break;
	}
	return buf;
}

/*
 * Sweeps over the range: traversals that touch every word once (a fill, a
 * check, or a check-and-write). Throughput is bytes x sweeps / time, the
 * one unit in which every pattern, and memtest86+, can be compared.
 */
unsigned long memtest_plan_sweeps(const struct memtest_plan *plan)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < plan->nr; i++) {
		switch (plan->pass[i].kind) {
		case MEMTEST_SOLID:	n += 2; break;	/* fill, check */
		case MEMTEST_MOVINV:	n += 2 * MOVINV_SWEEPS; break;
		case MEMTEST_MOVINV8:	n += 8 * MOVINV_SWEEPS; break;
		case MEMTEST_ADDR:	n += 2 * 2; break;	/* address and complement: fill, check */
		}
	}
	return n;
}

/* ---- injection (test knob) ---- */

static uint64_t inject_phys[MEMTEST_MAX_INJECT];
static unsigned int nr_inject;

int memtest_set_inject(const uint64_t *phys, unsigned int nr)
{
	if (nr > MEMTEST_MAX_INJECT) {
		pr_err("memtest_inject: %u addresses, at most %d\n", nr, MEMTEST_MAX_INJECT);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (phys[i] & 7) {
			pr_err("memtest_inject: %#llx is not the address of a 64-bit word (8-byte aligned)\n",
			       (unsigned long long)phys[i]);
			return -EINVAL;
		}
	}
	if (nr)
		memcpy(inject_phys, phys, nr * sizeof(*phys));
	nr_inject = nr;
	return 0;
}

/* After a pass has written [s, e): the injected words in it lose bit 0's value. */
static void inject_apply(volatile uint64_t *s, volatile uint64_t *e)
{
	for (unsigned int i = 0; i < nr_inject; i++) {
		volatile uint64_t *w = (volatile uint64_t *)__va(inject_phys[i]);

		if (w >= s && w < e)
			*w ^= 1;
	}
}

/* ---- the inner loops ---- */

/*
 * Words per loop iteration, checked with one branch: under TCG a taken or
 * not-taken branch ends a translation block, and each block boundary costs
 * about as much as several memory accesses, so fewer of them is the speed
 * (32 words did the same work in less host CPU time than 8; make bench).
 * A group is 256 bytes: inside one page, so a bad group names its page.
 */
#define LINE	32

static void fill(volatile uint64_t *p, volatile uint64_t *e, uint64_t v)
{
	for (; p + LINE <= e; p += LINE) {
#pragma GCC unroll 32
		for (int i = 0; i < LINE; i++)
			ST(&p[i], v);
	}
	for (; p < e; p++)
		ST(p, v);
}

static __attribute__((noinline)) unsigned long report_words(volatile uint64_t *p, unsigned int n,
							   uint64_t want, uint64_t step,
							   memtest_bad_fn bad, void *ctx)
{
	unsigned long found = 0;

	for (unsigned int i = 0; i < n; i++, want += step) {
		uint64_t got = LD(&p[i]);

		if (got != want) {
			bad(ctx, &p[i], want, got);
			found++;
		}
	}
	return found;
}

static unsigned long check(volatile uint64_t *p, volatile uint64_t *e, uint64_t v,
			   memtest_bad_fn bad, void *ctx)
{
	unsigned long found = 0;

	for (; p + LINE <= e; p += LINE) {
		uint64_t d = 0;

#pragma GCC unroll 32
		for (int i = 0; i < LINE; i++)
			d |= LD(&p[i]) ^ v;
		if (unlikely(d))
			found += report_words(p, LINE, v, 0, bad, ctx);
	}
	if (p < e)
		found += report_words(p, (unsigned int)(e - p), v, 0, bad, ctx);
	return found;
}

static unsigned long pass_solid(volatile uint64_t *s, volatile uint64_t *e, uint64_t v,
				memtest_bad_fn bad, void *ctx)
{
	fill(s, e, v);
	inject_apply(s, e);
	barrier();
	return check(s, e, v, bad, ctx);
}

/*
 * One moving inversion: fill with p1; then MOVINV_ITERATIONS times:
 * upwards, each word must read p1 and gets p2; downwards, each must read
 * p2 and gets p1. Each word is read and written before the next is touched
 * (that order is the test: a write that disturbs a neighbour not yet
 * visited shows up when it is).
 */
static unsigned long movinv_one(volatile uint64_t *s, volatile uint64_t *e, uint64_t p1, uint64_t p2,
				memtest_bad_fn bad, void *ctx)
{
	unsigned long found = 0;
	volatile uint64_t *p;

	fill(s, e, p1);
	inject_apply(s, e);
	barrier();
	for (int it = 0; it < MOVINV_ITERATIONS; it++) {
		for (p = s; p + LINE <= e; p += LINE) {
			uint64_t d = 0;

#pragma GCC unroll 32
			for (int i = 0; i < LINE; i++) {
				d |= LD(&p[i]) ^ p1;
				ST(&p[i], p2);
			}
			if (unlikely(d)) {
				/*
				 * The words hold p2 now, so only the group is known:
				 * its first word is named (the page is the same).
				 */
				bad(ctx, p, p1, p1 ^ d);
				found++;
			}
		}
		for (; p < e; p++) {
			uint64_t got = LD(p);

			if (got != p1) {
				bad(ctx, p, p1, got);
				found++;
			}
			ST(p, p2);
		}
		barrier();
		for (p = e; p >= s + LINE;) {
			uint64_t d = 0;

			p -= LINE;
#pragma GCC unroll 32
			for (int i = LINE - 1; i >= 0; i--) {
				d |= LD(&p[i]) ^ p2;
				ST(&p[i], p1);
			}
			if (unlikely(d)) {
				bad(ctx, p, p2, p2 ^ d);
				found++;
			}
		}
		while (p > s) {
			uint64_t got;

			p--;
			got = LD(p);
			if (got != p2) {
				bad(ctx, p, p2, got);
				found++;
			}
			ST(p, p1);
		}
	}
	return found;
}

/*
 * Address in address: a word's value is its own (virtual) address, so two
 * addresses reaching one cell read back each other's. Then the complement,
 * so every bit of every word has been 0 and 1.
 */
static unsigned long pass_addr(volatile uint64_t *s, volatile uint64_t *e, memtest_bad_fn bad, void *ctx)
{
	unsigned long found = 0;

	for (int inv = 0; inv < 2; inv++) {
		uint64_t x = inv ? ~0ULL : 0;
		volatile uint64_t *p;

		for (p = s; p + 8 <= e; p += 8) {
			uint64_t a = (uint64_t)(uintptr_t)p;

			ST(&p[0], a ^ x);        ST(&p[1], (a + 8) ^ x);  ST(&p[2], (a + 16) ^ x);
			ST(&p[3], (a + 24) ^ x); ST(&p[4], (a + 32) ^ x); ST(&p[5], (a + 40) ^ x);
			ST(&p[6], (a + 48) ^ x); ST(&p[7], (a + 56) ^ x);
		}
		for (; p < e; p++)
			ST(p, (uint64_t)(uintptr_t)p ^ x);
		inject_apply(s, e);
		barrier();
		for (p = s; p + 8 <= e; p += 8) {
			uint64_t a = (uint64_t)(uintptr_t)p;
			uint64_t d = (LD(&p[0]) ^ a ^ x) | (LD(&p[1]) ^ (a + 8) ^ x) |
				     (LD(&p[2]) ^ (a + 16) ^ x) | (LD(&p[3]) ^ (a + 24) ^ x) |
				     (LD(&p[4]) ^ (a + 32) ^ x) | (LD(&p[5]) ^ (a + 40) ^ x) |
				     (LD(&p[6]) ^ (a + 48) ^ x) | (LD(&p[7]) ^ (a + 56) ^ x);

			if (unlikely(d)) {
				for (unsigned int i = 0; i < 8; i++) {
					uint64_t want = (uint64_t)(uintptr_t)&p[i] ^ x, got = LD(&p[i]);

					if (got != want) {
						bad(ctx, &p[i], want, got);
						found++;
					}
				}
			}
		}
		for (; p < e; p++) {
			uint64_t want = (uint64_t)(uintptr_t)p ^ x, got = LD(p);

			if (got != want) {
				bad(ctx, p, want, got);
				found++;
			}
		}
	}
	return found;
}

unsigned long memtest_run_pass(const struct memtest_pass *p, volatile uint64_t *start,
			       volatile uint64_t *end, memtest_bad_fn bad, void *ctx)
{
	unsigned long found = 0;

	switch (p->kind) {
	case MEMTEST_SOLID:
		return pass_solid(start, end, p->value, bad, ctx);
	case MEMTEST_MOVINV:
		found += movinv_one(start, end, 0, ~0ULL, bad, ctx);
		found += movinv_one(start, end, ~0ULL, 0, bad, ctx);
		return found;
	case MEMTEST_MOVINV8:
		for (int i = 0; i < 8; i++) {
			uint64_t p1 = 0x0101010101010101ULL << i;

			found += movinv_one(start, end, p1, ~p1, bad, ctx);
		}
		return found;
	case MEMTEST_ADDR:
		return pass_addr(start, end, bad, ctx);
	}
	return 0;
}

/* ---- bad pfns ---- */

void memtest_bad_add(struct memtest_bad *bad, unsigned long pfn)
{
	unsigned int i, best = 0;
	unsigned long best_gap = ~0UL;

	for (i = 0; i < bad->nr; i++) {
		if (pfn >= bad->start[i] && pfn < bad->end[i])
			return;
		if (pfn == bad->end[i]) {
			bad->end[i]++;
			goto merge;
		}
		if (pfn + 1 == bad->start[i]) {
			bad->start[i]--;
			goto merge;
		}
	}
	if (bad->nr < MEMTEST_MAX_BAD_RANGES) {
		/* Insert sorted. */
		for (i = bad->nr; i > 0 && bad->start[i - 1] > pfn; i--) {
			bad->start[i] = bad->start[i - 1];
			bad->end[i] = bad->end[i - 1];
		}
		bad->start[i] = pfn;
		bad->end[i] = pfn + 1;
		bad->nr++;
		return;
	}
	/* Full: widen the nearest range over it (never lose a bad page). */
	for (i = 0; i < bad->nr; i++) {
		unsigned long gap = pfn < bad->start[i] ? bad->start[i] - pfn : pfn - bad->end[i] + 1;

		if (gap < best_gap) {
			best_gap = gap;
			best = i;
		}
	}
	i = best;
	if (pfn < bad->start[i])
		bad->start[i] = pfn;
	else
		bad->end[i] = pfn + 1;
merge:
	/* A grown range may now touch or overlap its neighbours. */
	for (unsigned int j = 0; j + 1 < bad->nr;) {
		if (bad->end[j] >= bad->start[j + 1]) {
			bad->end[j] = max(bad->end[j], bad->end[j + 1]);
			memmove(&bad->start[j + 1], &bad->start[j + 2], (bad->nr - j - 2) * sizeof(unsigned long));
			memmove(&bad->end[j + 1], &bad->end[j + 2], (bad->nr - j - 2) * sizeof(unsigned long));
			bad->nr--;
		} else {
			j++;
		}
	}
}

struct pfn_sink {
	struct memtest_bad *bad;
	const struct memtest_pass *pass;
};

static void sink_pfn(void *ctx, volatile uint64_t *addr, uint64_t want, uint64_t got)
{
	struct pfn_sink *s = ctx;
	phys_addr_t pa = __pa((void *)(uintptr_t)addr);

	if (!s->bad->words) {
		s->bad->first_phys = pa;
		s->bad->first_want = want;
		s->bad->first_got = got;
		s->bad->first_pass = *s->pass;
	}
	s->bad->words++;
	memtest_bad_add(s->bad, PFN_DOWN(pa));
}

static DEFINE_SPINLOCK(stats_lock);
static struct memtest_stats stats;

void memtest_account(unsigned long bytes, unsigned long sweeps, uint64_t ns)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	stats.bytes += bytes;
	stats.sweep_bytes += bytes * sweeps;
	stats.ns += ns;
	spin_unlock_irqrestore(&stats_lock, flags);
}

void memtest_count_retired(unsigned long words, unsigned long pages)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	stats.bad_words += words;
	stats.bad_pages += pages;
	spin_unlock_irqrestore(&stats_lock, flags);
}

void memtest_get_stats(struct memtest_stats *s)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	*s = stats;
	spin_unlock_irqrestore(&stats_lock, flags);
}

unsigned long memtest_pfn_range(const struct memtest_plan *plan, unsigned long spfn, unsigned long epfn,
				struct memtest_bad *bad)
{
	volatile uint64_t *s = (volatile uint64_t *)__va(PFN_PHYS(spfn));
	volatile uint64_t *e = (volatile uint64_t *)__va(PFN_PHYS(epfn));
	unsigned long found = 0;
	uint64_t t0 = ktime_get_ns();

	if (spfn >= epfn || !plan->nr)
		return 0;
	for (unsigned int i = 0; i < plan->nr; i++) {
		struct pfn_sink sink = { .bad = bad, .pass = &plan->pass[i] };

		found += memtest_run_pass(&plan->pass[i], s, e, sink_pfn, &sink);
	}
	memtest_account(PFN_PHYS(epfn - spfn), memtest_plan_sweeps(plan), ktime_get_ns() - t0);
	return found;
}

/* ---- retiring and reporting ---- */

static int (*slot_lookup)(uint64_t phys);

void hwpoison_set_slot_lookup(int (*fn)(uint64_t phys))
{
	slot_lookup = fn;
}

int hwpoison_slot_of(uint64_t phys)
{
	return slot_lookup ? slot_lookup(phys) : -1;
}

void hwpoison_report_range(unsigned long spfn, unsigned long epfn, const char *source, const char *what)
{
	uint64_t start = PFN_PHYS(spfn), end = PFN_PHYS(epfn);
	int nid = page_to_nid(pfn_to_page(spfn)), slot = hwpoison_slot_of(start);
	unsigned long block = pfn_to_block_id(spfn);
	char where[24];

	if (slot >= 0)
		snprintf(where, sizeof(where), "DIMM slot %d", slot);
	else
		snprintf(where, sizeof(where), "not a DIMM slot");
	pr_err("%s: bad memory %#llx-%#llx (%lu pages) on node %d, memory block %lu, %s: %s\n",
	       source, (unsigned long long)start, (unsigned long long)end - 1, epfn - spfn, nid, block,
	       where, what);
	report("hwpoison", "\"source\":\"%s\",\"phys_start\":%llu,\"phys_end\":%llu,\"pages\":%lu,"
	       "\"node\":%d,\"block\":%lu,\"slot\":%d,\"action\":\"%s\"",
	       source, (unsigned long long)start, (unsigned long long)end, epfn - spfn, nid, block, slot, what);
}

/*
 * Bad ranges found by a parallel job are collected here and reported when
 * the job is over, merged: the job's chunks cut one bad range into pieces
 * tested on different CPUs, and a person wants one line per range. Merged
 * only inside one memory block, so a line never spans two blocks or DIMMs.
 */
#define MAX_PENDING_REPORTS	64

struct pending_report {
	unsigned long start, end;
	const char *source;
};

static DEFINE_SPINLOCK(pending_lock);
static struct pending_report pending[MAX_PENDING_REPORTS];
static unsigned int nr_pending;

static bool same_block(unsigned long a, unsigned long b)
{
	return pfn_to_block_id(a) == pfn_to_block_id(b);
}

static const char retired_what[] = "taken out of use (HWPoison)";

void hwpoison_note_range(unsigned long spfn, unsigned long epfn, const char *source)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&pending_lock, flags);
	for (i = 0; i < nr_pending; i++) {
		struct pending_report *r = &pending[i];

		if (!strcmp(r->source, source) && r->start <= epfn && spfn <= r->end && same_block(r->start, spfn)) {
			r->start = min(r->start, spfn);
			r->end = max(r->end, epfn);
			spin_unlock_irqrestore(&pending_lock, flags);
			return;
		}
	}
	if (nr_pending < MAX_PENDING_REPORTS) {
		pending[nr_pending++] = (struct pending_report){ spfn, epfn, source };
		spin_unlock_irqrestore(&pending_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&pending_lock, flags);
	hwpoison_report_range(spfn, epfn, source, retired_what);	/* no room: say it now */
}

void hwpoison_flush_reports(void)
{
	struct pending_report r[MAX_PENDING_REPORTS];
	unsigned long flags;
	unsigned int n, i, j;

	spin_lock_irqsave(&pending_lock, flags);
	n = nr_pending;
	memcpy(r, pending, n * sizeof(*r));
	nr_pending = 0;
	spin_unlock_irqrestore(&pending_lock, flags);
	/* Sorted by address; pieces noted apart that touch are one range. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && r[j - 1].start > r[j].start; j--) {
			struct pending_report t = r[j];

			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		while (i + 1 < n && !strcmp(r[i + 1].source, r[i].source) && r[i + 1].start <= r[i].end &&
		       same_block(r[i].start, r[i + 1].start)) {
			r[i + 1].start = r[i].start;
			r[i + 1].end = max(r[i].end, r[i + 1].end);
			i++;
		}
		hwpoison_report_range(r[i].start, r[i].end, r[i].source, retired_what);
	}
}

unsigned long memtest_retire(const struct memtest_bad *bad, unsigned long spfn, unsigned long epfn,
			     enum memtest_retire_from from, const char *source)
{
	unsigned long retired = 0;

	for (unsigned int i = 0; i < bad->nr; i++) {
		unsigned long s = max(bad->start[i], spfn), e = min(bad->end[i], epfn);

		if (s >= e)
			continue;
		for (unsigned long pfn = s; pfn < e; pfn++) {
			if (from == MEMTEST_FROM_TAIL)
				page_tail_to_hwpoison(pfn_to_page(pfn));
			else
				page_offline_to_hwpoison(pfn_to_page(pfn));
		}
		retired += e - s;
		hwpoison_note_range(s, e, source);
	}
	if (retired)
		memtest_count_retired(bad->words, retired);
	return retired;
}

/* ---- boot: the options ---- */

CMDLINE_OPTION(memtest, "N|PATTERNS",
	       "test boot RAM before it reaches the buddy: N passes of Linux's patterns (memtest alone: 17), "
	       "or names linux,movinv,movinv8,addr; bad pages become HWPoison");
CMDLINE_OPTION(memhp_memtest, "N|PATTERNS",
	       "test hot-added memory (every block going online) before it reaches the buddy, as memtest=");
CMDLINE_OPTION(memtest_inject, "ADDR[,ADDR...]",
	       "test knob: the memory tester finds these physical 64-bit words bad");

static void parse_plan(const char *key, struct memtest_plan *plan)
{
	const char *v = cmdline_get(key);

	if (!v)
		return;
	if (memtest_parse(v, key, plan))
		pr_err("%s: not testing\n", key);
}

void memtest_setup(void)
{
	const char *inj = cmdline_get("memtest_inject");

	parse_plan("memtest", &memtest_boot_plan);
	parse_plan("memhp_memtest", &memtest_hotplug_plan);
	if (inj && *inj) {
		uint64_t addr[MEMTEST_MAX_INJECT];
		unsigned int n = 0;
		const char *s = inj;

		while (*s) {
			char word[24];
			size_t len = strcspn(s, ",");

			if (n == MEMTEST_MAX_INJECT || !len || len >= sizeof(word)) {
				pr_err("memtest_inject=%s: at most %d addresses, comma separated; ignored\n",
				       inj, MEMTEST_MAX_INJECT);
				return;
			}
			memcpy(word, s, len);
			word[len] = '\0';
			if (!parse_u64_range(word, 0, ~0ULL, &addr[n])) {
				pr_err("memtest_inject=%s: '%s' is not an address; ignored\n", inj, word);
				return;
			}
			n++;
			s += len;
			if (*s == ',')
				s++;
		}
		if (memtest_set_inject(addr, n) == 0)
			pr_notice("memtest_inject: %u word(s) will read back wrong (test knob)\n", n);
	}
}
