/* SPDX-License-Identifier: MIT */
/*
 * DOC: memtest.h - testing RAM with patterns before anybody uses it
 *
 * A plan is a list of passes, each one algorithm over a range of 64-bit
 * words:
 *   solid V   Linux's memtest: write V to every word, then read every word
 *             back (V from Linux's 17 patterns);
 *   movinv    memtest86+'s moving inversions, ones and zeros (its test 3):
 *             fill with P, then twice (its first pass's iterations) upwards
 *             check P and write ~P word by word, downwards check ~P and
 *             write P; for P = 0 and P = ~0. Finds coupling between cells
 *             and aliased addresses;
 *   movinv8   the same with the eight walking-one byte patterns
 *             (0x0101..01 << i);
 *   addr      address in address: every word holds its own address, then
 *             its complement; finds address-line faults (two addresses
 *             reaching one cell) that solid patterns cannot see.
 * Plans are written as Linux's memtest=N (the number of passes of Linux's
 * patterns, counted down to pattern 0 so memory is left zeroed, 17 = all)
 * or by name: "N", "linux" (= 17), "movinv", "movinv8", "addr", comma
 * separated ("4,addr").
 *
 * A bad word is never fixed or skipped: the pass goes on and calls the
 * sink for each word that read back wrong. memtest_pfn_range() turns the
 * words into ranges of bad pfns (struct memtest_bad), which the callers
 * retire as HWPoison before the pages reach an allocator: boot RAM in
 * deferred init (mm/mm_init.c), hot-added memory as it goes online
 * (mm/memory_hotplug.c), free memory of a running machine (the shell's
 * `memtest`, mm/memtest_shell.c).
 *
 * memtest_inject= (a test knob) lists physical words the tester must find
 * bad: each pass flips bit 0 of those words right after it has written the
 * range, so the real compare finds them.
 */
#ifndef HOTMM_MM_MEMTEST_H
#define HOTMM_MM_MEMTEST_H

#include "lib/compiler.h"

enum memtest_kind { MEMTEST_SOLID, MEMTEST_MOVINV, MEMTEST_MOVINV8, MEMTEST_ADDR };

struct memtest_pass {
	enum memtest_kind kind;
	uint64_t value;		/* solid: the pattern */
};

#define MEMTEST_MAX_PASSES	64
#define MEMTEST_LINUX_PATTERNS	17

struct memtest_plan {
	unsigned int nr;	/* 0: no test */
	struct memtest_pass pass[MEMTEST_MAX_PASSES];
};

/*
 * Parse @spec into @plan. 0, or -EINVAL after a message naming @what (the
 * option or command), the word and what is allowed; @plan is then untouched.
 */
int memtest_parse(const char *spec, const char *what, struct memtest_plan *plan);
/* "movinv", "solid 0x5555555555555555", ... */
const char *memtest_pass_name(const struct memtest_pass *p, char *buf, size_t size);
/* Up-and-down rounds of a moving inversion: memtest86+'s test 3 on its first pass (6 / 3). */
#define MOVINV_ITERATIONS	2
#define MOVINV_SWEEPS		(1 + 2 * MOVINV_ITERATIONS)	/* fill, then up and down each round */

/* Sweeps (traversals touching every word once) of one plan over a range: the throughput unit. */
unsigned long memtest_plan_sweeps(const struct memtest_plan *plan);

/* Called for every word that read back wrong. */
typedef void (*memtest_bad_fn)(void *ctx, volatile uint64_t *addr, uint64_t want, uint64_t got);

/* One pass over [start, end) (8-byte aligned words); returns the bad words seen. */
unsigned long memtest_run_pass(const struct memtest_pass *p, volatile uint64_t *start,
			       volatile uint64_t *end, memtest_bad_fn bad, void *ctx);

/* ---- bad pfns ---- */

#define MEMTEST_MAX_BAD_RANGES	16

/*
 * Bad pfns of one tested range, as sorted disjoint ranges. When more than
 * MEMTEST_MAX_BAD_RANGES distinct ranges turn up, a new bad pfn widens the
 * nearest range instead: good pages between may be retired too, a bad one
 * is never missed.
 */
struct memtest_bad {
	unsigned int nr;
	unsigned long start[MEMTEST_MAX_BAD_RANGES], end[MEMTEST_MAX_BAD_RANGES];
	unsigned long words;		/* bad words seen */
	uint64_t first_phys, first_want, first_got;
	struct memtest_pass first_pass;	/* the pass that saw the first one */
};

void memtest_bad_add(struct memtest_bad *bad, unsigned long pfn);
static inline bool memtest_bad_has(const struct memtest_bad *bad, unsigned long pfn)
{
	for (unsigned int i = 0; i < bad->nr; i++)
		if (pfn >= bad->start[i] && pfn < bad->end[i])
			return true;
	return false;
}

/*
 * Every pass of @plan over the RAM of pfns [spfn, epfn) through the direct
 * map; bad pfns are added to @bad. Nothing else may use those pages
 * meanwhile. Returns the bad words seen.
 */
unsigned long memtest_pfn_range(const struct memtest_plan *plan, unsigned long spfn, unsigned long epfn,
				struct memtest_bad *bad);

/* ---- the plans of boot RAM (memtest=) and hot-added memory (memhp_memtest=) ---- */

extern struct memtest_plan memtest_boot_plan, memtest_hotplug_plan;

/* Read memtest=, memhp_memtest=, memtest_inject= (start_kernel, before boot RAM is freed). */
void memtest_setup(void);

/* memtest_inject=: physical addresses of words to corrupt after each write (test knob). */
#define MEMTEST_MAX_INJECT	16
int memtest_set_inject(const uint64_t *phys, unsigned int nr);

/* Totals since boot (every caller), for `memtest` and the report. */
struct memtest_stats {
	unsigned long bytes;		/* bytes tested (once per range, whatever the passes) */
	unsigned long sweep_bytes;	/* bytes x sweeps */
	unsigned long bad_words, bad_pages;
	uint64_t ns;			/* summed over CPUs */
};
void memtest_get_stats(struct memtest_stats *s);
void memtest_account(unsigned long bytes, unsigned long sweeps, uint64_t ns);
void memtest_count_retired(unsigned long words, unsigned long pages);

enum memtest_retire_from { MEMTEST_FROM_TAIL, MEMTEST_FROM_OFFLINE };

/*
 * Retire what memtest_pfn_range() found in [spfn, epfn): each bad page in
 * state @from (Tail: boot RAM not yet freed; Offline: a block going online)
 * becomes HWPoison, and every bad range is noted for the report
 * (hwpoison_note_range()). Returns the pages retired.
 */
unsigned long memtest_retire(const struct memtest_bad *bad, unsigned long spfn, unsigned long epfn,
			     enum memtest_retire_from from, const char *source);

/*
 * One bad range [spfn, epfn) found by @source ("memtest", "memhp_memtest",
 * "memory_failure"): one console line and one report event naming the
 * physical range, node, memory block and DIMM slot (-1: not a DIMM), so a
 * person knows which DIMM to pull.
 */
void hwpoison_report_range(unsigned long spfn, unsigned long epfn, const char *source,
			   const char *what);

/*
 * A parallel test's chunks find pieces of one bad range on different CPUs:
 * hwpoison_note_range() collects them (merged within a memory block) and
 * hwpoison_flush_reports(), called when the job is over (deferred init of
 * a node, a block going online, the shell's memtest), reports each range
 * once through hwpoison_report_range().
 */
void hwpoison_note_range(unsigned long spfn, unsigned long epfn, const char *source);
void hwpoison_flush_reports(void);

/* The DIMM slot holding a physical address, or -1 (drivers/acpi/acpi_memhotplug.c registers it). */
void hwpoison_set_slot_lookup(int (*fn)(uint64_t phys));
int hwpoison_slot_of(uint64_t phys);

#endif
