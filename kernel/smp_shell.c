/* SPDX-License-Identifier: MIT */
/*
 * DOC: smp_shell.c - SMP for the user: `cpus`, `ioapic`, and the self-tests
 * that prove every CPU works
 *
 * Kept apart from arch/x86_64/smp.c so that the bring-up code reads top to
 * bottom without the user interface in between. The self-tests check what
 * the configuration must give: every online CPU answers a function call
 * with its own id and APIC id, takes LAPIC timer interrupts, and pulls
 * chunks of a job in which every chunk runs exactly once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/tsc.h"
#include "kernel/mt_job.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/shell.h"

static int cmd_cpus(int argc, char **argv)
{
	unsigned int n;
	const struct smp_cpu_entry *e = smp_cpu_entries(&n);
	struct mt_job_stats js;
	uint64_t skew, unc;

	shell_printf("CPU  APIC  node  state        up_ms  timer  ipis  tsc_offset_cycles\n");
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		const struct percpu *pc = per_cpu(c);

		if (!cpu_online(c))
			continue;
		shell_printf("%3u  %4u  %4d  %-11s  %5llu  %5llu  %4llu  %lld (+-%llu)\n", c, pc->apic_id,
			     pc->node, "online", (unsigned long long)pc->online_ns / 1000000,
			     (unsigned long long)pc->timer_ticks, (unsigned long long)pc->ipis,
			     (long long)pc->tsc_offset, (unsigned long long)pc->tsc_uncertainty);
	}
	for (unsigned int i = 0; i < n; i++)
		if (e[i].state != SMP_CPU_ONLINE)
			shell_printf("  -  %4u     -  %-11s  %s%s\n", e[i].apic_id, smp_cpu_state_name(e[i].state),
				     e[i].why ? e[i].why : "",
				     e[i].state == SMP_CPU_DISABLED && e[i].online_capable ? "online-capable" : "");
	smp_tsc_skew(&skew, &unc);
	mt_job_get_stats(&js);
	shell_printf("%u online; %s mode, %s; TSC max skew %llu ns (+-%llu); jobs %lu, chunks %lu, takeovers %lu\n",
		     num_online_cpus(), x2apic_mode ? "x2APIC" : "xAPIC",
		     ioapic_active() ? "IOAPIC routing" : "8259 routing",
		     (unsigned long long)skew, (unsigned long long)unc, js.jobs, js.chunks, js.takeovers);
	return 0;
}
SHELL_COMMAND(cpus, cmd_cpus, "", "CPUs: online ones with APIC id, node, timer ticks, TSC offset; the rest and why");

static int cmd_ioapic(int argc, char **argv)
{
	if (!ioapic_active()) {
		shell_printf("no IOAPIC in use: legacy interrupts come through the 8259s\n");
		return 0;
	}
	ioapic_show(shell_printf);
	return 0;
}
SHELL_COMMAND(ioapic, cmd_ioapic, "", "IOAPICs and the pins routed (GSI, vector, trigger, destination)");

/* ---- self-tests ---- */

struct whoami {
	unsigned int cpu;
	uint32_t apic_id;
	bool ran;
};

static struct whoami who[NR_CPUS];

static void record_whoami(void *arg)
{
	struct whoami *w = arg;
	unsigned int cpu = smp_processor_id();

	w[cpu].cpu = cpu;
	w[cpu].apic_id = lapic_id();
	w[cpu].ran = true;
}

static int test_smp_call_each_cpu(void)
{
	int ret;

	memset(who, 0, sizeof(who));
	ret = on_each_cpu(record_whoami, who);
	if (ret) {
		printk(KERN_ERR "on_each_cpu failed: %d\n", ret);
		return 1;
	}
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		if (!cpu_online(c))
			continue;
		if (!who[c].ran || who[c].cpu != c || who[c].apic_id != per_cpu(c)->apic_id) {
			printk(KERN_ERR "CPU %u: ran %d, said it was CPU %u APIC id %u, expected APIC id %u\n",
			       c, who[c].ran, who[c].cpu, who[c].apic_id, per_cpu(c)->apic_id);
			return 1;
		}
	}
	report("selftest_smp_call", "\"cpus\":%u", num_online_cpus());
	return 0;
}
SELFTEST(smp_call_each_cpu, test_smp_call_each_cpu);

static void timer_on(void *arg) { lapic_timer_set_hz(1000); }
static void timer_off(void *arg) { lapic_timer_set_hz(0); }

/* 1 kHz for 100 ms on every CPU: each must take some ticks, none wildly many. */
static int test_lapic_timer(void)
{
	uint64_t before[NR_CPUS];
	unsigned long flags;
	int fail = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		before[c] = per_cpu(c)->timer_ticks;
	flags = local_irq_save();
	local_irq_enable();		/* the self-tests may run before the shell turns them on */
	on_each_cpu(timer_on, NULL);
	udelay(100000);
	on_each_cpu(timer_off, NULL);
	local_irq_restore(flags);
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		uint64_t t = per_cpu(c)->timer_ticks - before[c];

		if (!cpu_online(c))
			continue;
		/* 100 expected; TCG delivers late under load but never 5x early */
		if (t < 5 || t > 500) {
			printk(KERN_ERR "CPU %u took %llu timer ticks in 100 ms at 1 kHz\n", c, (unsigned long long)t);
			fail = 1;
		}
	}
	return fail;
}
SELFTEST(lapic_timer, test_lapic_timer);

/* A job of many chunks: every chunk once, every online CPU takes part. */
#define TEST_UNITS	(256 * 64)
static unsigned char unit_runs[TEST_UNITS];
static unsigned int cpus_started;
static bool cpu_started[NR_CPUS];

static void test_chunk(unsigned long s, unsigned long e, void *arg)
{
	unsigned int cpu = smp_processor_id(), want = *(unsigned int *)arg;
	uint64_t t0 = rdtsc();

	/* The first chunk on each CPU waits (at most 2 s) until every CPU has one. */
	if (!cpu_started[cpu]) {
		cpu_started[cpu] = true;
		__atomic_add_fetch(&cpus_started, 1, __ATOMIC_SEQ_CST);
	}
	while (__atomic_load_n(&cpus_started, __ATOMIC_SEQ_CST) < want && rdtsc() - t0 < tsc_khz * 2000)
		__asm__ __volatile__("pause");
	for (unsigned long u = s; u < e; u++)
		__atomic_add_fetch(&unit_runs[u], 1, __ATOMIC_RELAXED);
}

static int run_and_check(struct mt_job *job, bool background)
{
	unsigned int want = num_online_cpus();
	int fail = 0;

	memset(unit_runs, 0, sizeof(unit_runs));
	memset(cpu_started, 0, sizeof(cpu_started));
	cpus_started = 0;
	job->arg = &want;
	if (background) {
		if (mt_job_start(job))
			return 1;
		mt_job_wait(job);
	} else if (mt_job_run(job)) {
		return 1;
	}
	for (unsigned long u = 0; u < TEST_UNITS; u++) {
		unsigned int expect = u >= job->start && u < job->start + job->size;

		if (unit_runs[u] != expect) {
			printk(KERN_ERR "job %s: unit %lu ran %u times, expected %u\n", job->name, u, unit_runs[u], expect);
			fail = 1;
			break;
		}
	}
	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (cpu_online(c) && !job->chunks_by_cpu[c] && !(background && c == smp_processor_id())) {
			printk(KERN_ERR "job %s: CPU %u ran no chunk of %lu\n", job->name, c, job->nr_chunks);
			fail = 1;
		}
	return fail;
}

static int test_mt_job_all_cpus(void)
{
	struct mt_job job = { .name = "selftest", .fn = test_chunk, .start = 100, .size = TEST_UNITS - 200,
			      .align = 64, .min_chunk = 64 };
	char per_cpu_str[NR_CPUS * 8] = "";
	size_t len = 0;
	int fail = run_and_check(&job, false);

	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (cpu_online(c))
			len += snprintf(per_cpu_str + len, sizeof(per_cpu_str) - len, "%s%lu", len ? "," : "",
					job.chunks_by_cpu[c]);
	report("selftest_mt_job", "\"cpus\":%u,\"chunks\":%lu,\"threads\":%u,\"per_cpu\":[%s]",
	       num_online_cpus(), job.nr_chunks, job.nr_threads, per_cpu_str);
	return fail;
}
SELFTEST(mt_job_all_cpus, test_mt_job_all_cpus);

/* Background with helpers held back: the takeover path runs first, then everyone. */
static int test_mt_job_takeover(void)
{
	struct mt_job job = { .name = "selftest-bg", .fn = test_chunk, .start = 0, .size = TEST_UNITS,
			      .align = 64, .min_chunk = 64, .flags = MT_JOB_HOLD_HELPERS };
	unsigned int want = 1;
	int fail = 0;

	memset(unit_runs, 0, sizeof(unit_runs));
	memset(cpu_started, 0, sizeof(cpu_started));
	cpus_started = 0;
	job.arg = &want;
	if (mt_job_start(&job))
		return 1;
	udelay(20000);
	if (job.chunks_done) {
		printk(KERN_ERR "held job ran %lu chunks before anyone took one over\n", job.chunks_done);
		fail = 1;
	}
	for (int i = 0; i < 3; i++)
		if (!mt_job_help(&job)) {
			printk(KERN_ERR "takeover %d found no chunk left\n", i);
			fail = 1;
		}
	if (job.takeovers != 3 || unit_runs[0] != 1) {
		printk(KERN_ERR "after 3 takeovers: takeovers %lu, unit 0 ran %u times\n", job.takeovers, unit_runs[0]);
		fail = 1;
	}
	mt_job_release_helpers(&job);
	mt_job_wait(&job);
	for (unsigned long u = 0; u < TEST_UNITS && !fail; u++)
		if (unit_runs[u] != 1) {
			printk(KERN_ERR "background job: unit %lu ran %u times\n", u, unit_runs[u]);
			fail = 1;
		}
	report("selftest_mt_job_takeover", "\"cpus\":%u,\"chunks\":%lu,\"takeovers\":%lu",
	       num_online_cpus(), job.nr_chunks, job.takeovers);
	return fail;
}
SELFTEST(mt_job_takeover, test_mt_job_takeover);
