/* SPDX-License-Identifier: MIT */
/*
 * DOC: host_stubs.c - printk, report and panic for host tests
 *
 * See host_stubs.h (and a no-op TLB flush at the end). Kept tiny on
 * purpose: the point of the host tests is to run the real kernel sources,
 * not a model of them.
 *
 * HOTMM_TEST_FILTER=NAME runs only the cmocka case NAME (cmocka's own
 * pattern: * and ? match anything), so one case can run in a process of its
 * own: the lab grader (tools/lab/grade.py) scores a case that crashes
 * without losing the others.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/host_stubs.h"
#include "kernel/printk.h"
#include "kernel/report_format.h"
#include "kernel/panic.h"

char host_log[1 << 16];
size_t host_log_len;
jmp_buf *host_panic_jmp;
char host_panic_msg[512];
uintptr_t host_phys_base;
unsigned int host_cpu_id;

/* Weak: the fuzzers link these stubs without cmocka. */
void cmocka_set_test_filter(const char *pattern) __attribute__((weak));

__attribute__((constructor)) static void host_test_filter(void)
{
	const char *f = getenv("HOTMM_TEST_FILTER");

	if (f && *f && cmocka_set_test_filter)
		cmocka_set_test_filter(f);
}

static bool verbose(void)
{
	const char *v = getenv("HOTMM_TEST_VERBOSE");
	return v && *v && *v != '0';
}

void host_log_clear(void)
{
	host_log_len = 0;
	host_log[0] = '\0';
}

bool host_log_contains(const char *needle)
{
	return strstr(host_log, needle) != NULL;
}

static void log_append(const char *s)
{
	size_t n = strlen(s);
	size_t room = sizeof(host_log) - 1 - host_log_len;

	if (n > room)	/* keep the newest text: tests look at what just happened */
		host_log_clear();
	n = n > sizeof(host_log) - 1 ? sizeof(host_log) - 1 : n;
	memcpy(host_log + host_log_len, s, n);
	host_log_len += n;
	host_log[host_log_len] = '\0';
	if (verbose())
		fputs(s, stderr);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1])	/* the level is not part of the text */
		fmt += 2;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	log_append(buf);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static void vreport(const char *event, const char *fields, va_list ap)
{
	char buf[1024];

	report_format(buf, sizeof(buf), event, 0, fields, ap);
	log_append(buf);
}

void report(const char *event, const char *fields, ...)
{
	va_list ap;

	va_start(ap, fields);
	vreport(event, fields, ap);
	va_end(ap);
}

void report_at(const char *event, uint64_t ns, const char *fields, ...)
{
	va_list ap;

	(void)ns;
	va_start(ap, fields);
	vreport(event, fields, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	log_append("Kernel panic - not syncing: ");
	log_append(host_panic_msg);
	log_append("\n");
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	fprintf(stderr, "panic: %s\n", host_panic_msg);
	abort();
}

/* arch/x86_64/tsc.h: host time is the monotonic clock. */
#include <time.h>
#include "arch/x86_64/tsc.h"
uint64_t tsc_khz = 1000000;

uint64_t ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t tsc_to_ns(uint64_t cycles)
{
	return cycles * 1000000ull / tsc_khz;
}

void udelay(unsigned long usecs)
{
	(void)usecs;
}

/*
 * The migration core (mm/migrate.c) flushes once per batch; host tests
 * have no TLB. Weak: tests/host/test_migrate.c counts the flushes.
 */
__attribute__((weak)) void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	(void)start;
	(void)end;
}
