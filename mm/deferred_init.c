/* SPDX-License-Identifier: MIT */
/*
 * DOC: deferred_init.c - boot RAM beyond the early region, on all CPUs
 *
 * mm_core_init() leaves everything but the early region uninitialized, so
 * the boot CPU can bring up the other CPUs first; page_alloc_init_late()
 * then initializes the rest of each node through the one job runner
 * (kernel/mt_job.c), the same runner hotplug onlining uses (one
 * mechanism, not two). Chunks are 4 MiB aligned (a max-order block never
 * straddles two CPUs) and at least a section, and a node's CPUs are asked
 * first so the struct pages are written from the node that owns them.
 *
 * deferred_init= (parsed in mm/mm_init.c, deferred_mode()) picks how:
 *   background (default)  the other CPUs work while the boot CPU goes on to
 *                          the shell (whose idle loop joins in);
 *   sync                   every CPU works and boot waits for the end
 *                          (also what background means with memtest=);
 *   off                    mm_core_init() does it all, single-threaded,
 *                          before SMP (the comparison point).
 * An allocation that finds its zone short while a node is still being
 * initialized does not fail: it initializes the next section itself
 * (deferred_grow_zone(), Linux's name, which also grows by a section at a
 * time) and tries again; such takeovers are counted. deferred_init_hold
 * keeps the helpers back until the first takeover, so tests can rely on
 * that path being taken.
 *
 * all_ram_allocatable is reported when the last node finishes, from
 * whichever CPU finishes it.
 */
#include "mm/mm_init.h"
#include "mm/page_alloc.h"
#include "mm/sparse.h"
#include "mm/memtest.h"
#include "kernel/mt_job.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tsc.h"

CMDLINE_OPTION(deferred_init_hold, "",
	       "test knob: helpers wait until an allocation has taken over a chunk itself");

struct deferred_node {
	struct mt_job job;
	int nid;
	struct memmap_init_stats st[NR_CPUS];	/* per CPU: chunks run concurrently */
};

static struct deferred_node dnodes[MAX_NUMNODES];
static int nodes_pending;		/* nodes whose job has not finished */
static uint64_t deferred_start_ns;

/* Long inits (big machines, slow emulation) say how far they are, once a second. */
static uint64_t last_progress_ns;

static void show_progress(struct deferred_node *dn)
{
	uint64_t now = ktime_get_ns(), last = READ_ONCE(last_progress_ns);

	if (now - deferred_start_ns < 1000000000ull || now - last < 1000000000ull)
		return;
	if (!__atomic_compare_exchange_n(&last_progress_ns, &last, now, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;		/* another CPU just printed */
	pr_notice("deferred init: node %d %lu%% (%lu of %lu pages)\n", dn->nid,
		  READ_ONCE(dn->job.units_done) * 100 / dn->job.size,
		  READ_ONCE(dn->job.units_done), dn->job.size);
}

static void deferred_chunk(unsigned long spfn, unsigned long epfn, void *arg)
{
	struct deferred_node *dn = arg;

	deferred_init_memmap_chunk_clipped(dn->nid, spfn, epfn, &dn->st[smp_processor_id()]);
	show_progress(dn);
}

static void deferred_done(struct mt_job *job)
{
	struct deferred_node *dn = container_of(job, struct deferred_node, job);
	struct memmap_init_stats sum = { 0 };
	uint64_t ns = job->end_ns - job->start_ns;

	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		sum.pages += dn->st[cpu].pages;
		sum.freed += dn->st[cpu].freed;
		sum.init_ns += dn->st[cpu].init_ns;
		sum.free_ns += dn->st[cpu].free_ns;
	}
	report("memmap_init",
	       "\"phase\":\"deferred\",\"node\":%d,\"pages\":%lu,\"init_ns\":%llu,\"free_ns\":%llu,"
	       "\"threads\":%u,\"wall_ns\":%llu,\"takeovers\":%lu",
	       dn->nid, sum.pages, (unsigned long long)sum.init_ns, (unsigned long long)sum.free_ns,
	       job->joined, (unsigned long long)ns, job->takeovers);
	pr_info("node %d deferred pages initialised in %llums (%lu pages, %u CPUs, %lu taken over)\n",
		dn->nid, (unsigned long long)(ns / 1000000), sum.pages, job->joined, job->takeovers);
	hwpoison_flush_reports();	/* memtest=: each bad range of the node once */
	if (__atomic_sub_fetch(&nodes_pending, 1, __ATOMIC_ACQ_REL) == 0)
		report("all_ram_allocatable",
		       "\"managed_pages\":%lu,\"present_pages\":%lu,\"deferred_wall_ns\":%llu",
		       totalram_pages(), total_present_pages(),
		       (unsigned long long)(ktime_get_ns() - deferred_start_ns));
}

/*
 * The allocator's slow path: a node's deferred job still has sections
 * left, so initialize the next one here rather than fail. True if this
 * made progress somewhere (nid's job first, else any node's).
 *
 * One section (the job's min_chunk, taken by mt_job_help() as one step),
 * not a job chunk: the caller may be an interrupt handler or hold
 * pgtable_lock, and a chunk is size/(threads*4) - gigabytes on a big node.
 * The step is claimed from the job like any chunk, so the background CPUs
 * neither redo it nor skip it, and the takeover counts as a user of the
 * job until its section is done: the job cannot complete (and report
 * all_ram_allocatable) with a section still being initialized.
 */
static bool deferred_grow_zone(int nid)
{
	/* LAB 4 BEGIN deferred_grow_zone */
	if (!READ_ONCE(nodes_pending))
		return false;
	if (nid >= 0 && nid < MAX_NUMNODES && dnodes[nid].job.fn && mt_job_help(&dnodes[nid].job)) {
		mt_job_release_helpers(&dnodes[nid].job);	/* the takeover happened: helpers may go */
		return true;
	}
	for (int n = 0; n < MAX_NUMNODES; n++)
		if (dnodes[n].job.fn && mt_job_help(&dnodes[n].job)) {
			mt_job_release_helpers(&dnodes[n].job);
			return true;
		}
	return false;
	/* LAB 4 END deferred_grow_zone */
}

/* After smp_init(): start (and with deferred_init=sync, finish) every node's job. */
void page_alloc_init_late(void)
{
	/* LAB 4 BEGIN page_alloc_init_late */
	enum deferred_mode mode = deferred_mode();
	unsigned int flags = cmdline_flag("deferred_init_hold") ? MT_JOB_HOLD_HELPERS : 0;
	int nid, started = 0;

	if (mode == DEFERRED_OFF)
		return;		/* mm_core_init() did it all */
	deferred_start_ns = ktime_get_ns();
	for_each_online_node(nid) {
		unsigned long s, e;

		deferred_init_span(nid, &s, &e);
		if (s < e)
			started++;
	}
	if (!started) {
		report("all_ram_allocatable", "\"managed_pages\":%lu,\"present_pages\":%lu",
		       totalram_pages(), total_present_pages());
		return;
	}
	nodes_pending = started;
	page_alloc_set_grow_hook(deferred_grow_zone);

	for_each_online_node(nid) {
		struct deferred_node *dn = &dnodes[nid];
		unsigned long s, e;

		deferred_init_span(nid, &s, &e);
		if (s >= e)
			continue;
		dn->nid = nid;
		dn->job = (struct mt_job){
			.name = "deferred_init", .fn = deferred_chunk, .arg = dn,
			.start = s, .size = e - s,
			.align = MAX_ORDER_NR_PAGES, .min_chunk = PAGES_PER_SECTION,
			.cpumask = node_online_cpumask(nid),
			.flags = flags,
			.complete = deferred_done,
		};
		/* A node without CPUs of its own is done by everybody. */
		if (!arch_mt_job_nr_cpus(dn->job.cpumask))
			dn->job.cpumask = 0;
		if (mt_job_start(&dn->job))
			panic("deferred init: cannot start the job for node %d", nid);
	}
	if (mode == DEFERRED_SYNC)
		for_each_online_node(nid)
			if (dnodes[nid].job.fn)
				mt_job_wait(&dnodes[nid].job);
	/* LAB 4 END page_alloc_init_late */
}

unsigned long deferred_pages_pending(void)
{
	unsigned long left = 0;

	for (int n = 0; n < MAX_NUMNODES; n++) {
		struct mt_job *job = &dnodes[n].job;

		if (job->fn && !mt_job_finished(job))
			left += job->size - READ_ONCE(job->units_done);
	}
	return left;
}

unsigned long deferred_takeovers(void)
{
	unsigned long t = 0;

	for (int n = 0; n < MAX_NUMNODES; n++)
		t += dnodes[n].job.takeovers;
	return t;
}

/* Wait until deferred init is over (tests, benchmarks, hotplug of boot memory). */
void deferred_init_wait(void)
{
	for (int n = 0; n < MAX_NUMNODES; n++)
		if (dnodes[n].job.fn)
			mt_job_wait(&dnodes[n].job);
}
