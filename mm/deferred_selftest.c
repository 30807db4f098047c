/* SPDX-License-Identifier: MIT */
/*
 * DOC: deferred_selftest.c - in-kernel test of deferred init (kernel only)
 *
 * With `deferred_init=background deferred_init_hold` the helpers wait, so
 * only the early region is in the buddy when self-tests start. This test
 * then allocates more pages than the early region holds: every page beyond
 * it must come from a chunk the allocating CPU initialized itself
 * (deferred_grow_zone), so the takeover count must rise. Afterwards all of
 * boot RAM must be in the buddy and the walker clean.
 *
 * Without the hold, deferred init has finished before self-tests run
 * (start_kernel waits for it) and the test checks just that.
 */
#include "mm/mm_init.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "kernel/cmdline.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"

static struct pagetypes_result walk;

static int test_deferred_takeover(void)
{
	unsigned long free0 = nr_free_pages(), got = 0, takeovers0 = deferred_takeovers();
	void *head = NULL;
	int ret = 0;

	if (!cmdline_flag("deferred_init_hold")) {
		if (deferred_pages_pending()) {
			pr_err("deferred selftest: %lu pages still deferred after boot waited\n",
			       deferred_pages_pending());
			return -1;
		}
		return 0;
	}
	if (!deferred_pages_pending()) {
		pr_err("deferred selftest: deferred_init_hold given but nothing is deferred\n");
		return -1;
	}
	/* Chain the pages through their own first word: no memory is needed to track them. */
	while (got < free0 + 4096) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
		void **p;

		if (!page)
			break;
		p = page_address(page);
		*p = head;
		head = p;
		got++;
	}
	pr_info("deferred selftest: %lu pages allocated with %lu free at the start, %lu takeovers\n",
		got, free0, deferred_takeovers() - takeovers0);
	if (got <= free0 || deferred_takeovers() == takeovers0) {
		pr_err("deferred selftest: the allocator did not take over deferred chunks "
		       "(%lu allocated, %lu free at start, %lu takeovers)\n",
		       got, free0, deferred_takeovers() - takeovers0);
		ret = -1;
	}
	while (head) {
		void **p = head;

		head = *p;
		free_pages((unsigned long)p, 0);
	}
	deferred_init_wait();
	if (deferred_pages_pending()) {
		pr_err("deferred selftest: %lu pages still deferred after waiting\n", deferred_pages_pending());
		ret = -1;
	}
	if (pagetypes_walk(&walk) || walk.sections_skipped) {
		pr_err("deferred selftest: walker: %lu violations (%s), %lu sections skipped\n",
		       walk.violations, walk.first_violation, walk.sections_skipped);
		ret = -1;
	}
	return ret;
}
SELFTEST(deferred_takeover, test_deferred_takeover);
