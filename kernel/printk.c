/* SPDX-License-Identifier: MIT */
/*
 * DOC: printk.c - the kernel log
 *
 * Every message goes into a ring buffer of text lines, each prefixed with
 * its level and a timestamp ("[    0.012345] "), which `dmesg` prints.
 * Only messages whose level is below console_loglevel (`loglevel=`, default
 * 6: notice and more urgent) are also written to the UART: under TCG each
 * byte is an exit to QEMU, so a chatty boot is a slow boot.
 *
 * report() lines ("@hotmm {...}") always reach the console: tests and
 * benchmarks read them.
 *
 * One lock serializes writers so lines from different CPUs do not interleave;
 * it is taken with interrupts off because interrupt handlers may print.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/report_format.h"
#include "kernel/shell.h"
#include "kernel/cmdline.h"
#include "drivers/uart16550.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"

int console_loglevel = LOGLEVEL_DEFAULT;

#define LOG_BUF_LEN (128 * 1024)
static char log_buf[LOG_BUF_LEN];
static size_t log_head;		/* next byte to write */
static bool log_wrapped;
static bool at_line_start = true;
static DEFINE_SPINLOCK(log_lock);

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		log_buf[log_head++] = s[i];
		if (log_head == LOG_BUF_LEN) {
			log_head = 0;
			log_wrapped = true;
		}
	}
}

/*
 * The console is shared by printk, report lines and shell output, from any
 * CPU: all of it goes through con_write() under log_lock, which also tracks
 * whether the console cursor is at the start of a line, so a report line
 * never lands behind a prompt (tests find them by "^@hotmm ").
 */
static bool con_at_line_start = true;

static void con_write(const char *s, size_t n)
{
	if (!n)
		return;
	uart_write(s, n);
	con_at_line_start = s[n - 1] == '\n';
}

static void con_new_line(void)
{
	if (!con_at_line_start)
		con_write("\n", 1);
}

void console_write(const char *s, size_t n)
{
	unsigned long flags;

	spin_lock_irqsave(&log_lock, flags);
	con_write(s, n);
	spin_unlock_irqrestore(&log_lock, flags);
}

int vprintk(const char *fmt, va_list ap)
{
	char text[1024], stamp[32];
	int level = 4;		/* no level given: warning, Linux's default message level */
	bool cont = false, new_msg;
	unsigned long flags;
	int n, sn = 0;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(text, sizeof(text), fmt, ap);
	if (n < 0)
		return n;
	if (n >= (int)sizeof(text))
		n = sizeof(text) - 1;	/* truncated: still print what fits */

	spin_lock_irqsave(&log_lock, flags);
	new_msg = !cont || at_line_start;
	if (new_msg) {
		uint64_t ns = ktime_get_ns();
		sn = snprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
			      (unsigned long long)(ns / 1000000000ull),
			      (unsigned long long)(ns / 1000ull % 1000000ull));
		if (!at_line_start)	/* a new message ends an unfinished line */
			log_store("\n", 1);
		log_store(stamp, sn);
	}
	log_store(text, n);
	if (level < console_loglevel) {
		if (new_msg) {
			con_new_line();
			con_write(stamp, sn);
		}
		con_write(text, n);
	}
	if (n > 0)
		at_line_start = text[n - 1] == '\n';
	spin_unlock_irqrestore(&log_lock, flags);
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

/*
 * The last report lines, for whoever shows events later (the network's
 * /api/events): a ring of whole lines, the oldest overwritten first.
 */
#define REPORT_HIST_LEN (64 * 1024)
static char report_hist[REPORT_HIST_LEN];
static size_t report_hist_head;		/* bytes ever written */

static void report_hist_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		report_hist[report_hist_head++ % REPORT_HIST_LEN] = s[i];
}

size_t report_history(char *buf, size_t len)
{
	unsigned long flags;
	size_t n, start, i = 0;

	spin_lock_irqsave(&log_lock, flags);
	n = min(report_hist_head, (size_t)REPORT_HIST_LEN);
	n = min(n, len);
	start = report_hist_head - n;
	for (size_t k = 0; k < n; k++)
		buf[k] = report_hist[(start + k) % REPORT_HIST_LEN];
	spin_unlock_irqrestore(&log_lock, flags);
	/* drop the line the ring (or len) cut in two */
	if (start && n) {
		while (i < n && buf[i] != '\n')
			i++;
		i = i < n ? i + 1 : n;
		memmove(buf, buf + i, n - i);
	}
	return n - i;
}

static void vreport(const char *event, uint64_t ns, const char *fields, va_list ap)
{
	char line[1024];
	unsigned long flags;
	int n = report_format(line, sizeof(line), event, ns, fields, ap);

	spin_lock_irqsave(&log_lock, flags);
	if (!at_line_start) {
		log_store("\n", 1);
		at_line_start = true;
	}
	log_store(line, n);
	report_hist_store(line, n);
	con_new_line();
	con_write(line, n);
	spin_unlock_irqrestore(&log_lock, flags);
}

void report(const char *event, const char *fields, ...)
{
	va_list ap;

	va_start(ap, fields);
	vreport(event, ktime_get_ns(), fields, ap);
	va_end(ap);
}

void report_at(const char *event, uint64_t ns, const char *fields, ...)
{
	va_list ap;

	va_start(ap, fields);
	vreport(event, ns, fields, ap);
	va_end(ap);
}

/*
 * dmesg is a shell command: its output goes to the session that asked
 * (kernel/shell.h), which may be a slow connection, so the ring is copied
 * under the lock and written out after it. One command runs at a time
 * (shell_exec), so one copy buffer serves.
 */
static char log_copy[LOG_BUF_LEN];

void log_dump(void)
{
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&log_lock, flags);
	if (log_wrapped) {
		/* skip the partial line the ring cut in two */
		size_t i = log_head;
		while (i < LOG_BUF_LEN && log_buf[i] != '\n')
			i++;
		if (i < LOG_BUF_LEN) {
			memcpy(log_copy, log_buf + i + 1, LOG_BUF_LEN - i - 1);
			n = LOG_BUF_LEN - i - 1;
		}
	}
	memcpy(log_copy + n, log_buf, log_head);
	n += log_head;
	spin_unlock_irqrestore(&log_lock, flags);
	shell_write(log_copy, n);
}

static int cmd_dmesg(int argc, char **argv)
{
	log_dump();
	return 0;
}
SHELL_COMMAND(dmesg, cmd_dmesg, "", "print the kernel log ring buffer");

/* Levels are 0 (emergency) to 7 (debug): 8 already shows all, anything above is a typo. */
static const char *check_loglevel(const char *v)
{
	uint64_t n;

	return parse_u64_range(v, 0, 8, &n) ? NULL : "a number 0..8 (messages below it reach the console)";
}
CMDLINE_OPTION_CHECKED(loglevel, "N", "messages below level N reach the console (0..8, default 6; 8 shows all)",
		       check_loglevel);
CMDLINE_OPTION(quiet, "", "loglevel=4: only warnings and worse on the console");
