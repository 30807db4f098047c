/* SPDX-License-Identifier: MIT */
/*
 * DOC: printk.h - kernel log and the machine-readable report
 *
 * printk() works like Linux's: a message may start with a KERN_* level
 * (KERN_ERR "..."), every message lands in the log ring buffer (`dmesg`), and
 * only messages more urgent than `loglevel=` reach the UART, which is slow
 * under TCG.
 *
 * report() prints one JSON line for tests and benchmarks:
 *     @hotmm {"event":"NAME","ns":NANOSECONDS_SINCE_KERNEL_ENTRY,FIELDS}
 * FIELDS is a printf format for the rest of the object, e.g.
 *     report("memblock_ready", "\"memory\":%llu", total);
 * Report lines bypass loglevel: a test must always see them.
 *
 * Host tests link tests/host/host_stubs.c, which provides both functions.
 */
#ifndef HOTMM_KERNEL_PRINTK_H
#define HOTMM_KERNEL_PRINTK_H

#include "lib/compiler.h"
#include <stdarg.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

#define LOGLEVEL_DEFAULT 6	/* levels below 6 (notice and more urgent) reach the UART */

extern int console_loglevel;
/* Write to the console, serialized with printk and report lines (shell output). */
void console_write(const char *s, size_t n);
/* Print the log ring buffer (dmesg). */
void log_dump(void);

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
void report(const char *event, const char *fields, ...) __printf(2, 3);
/* The same, for an event that happened at `ns` (e.g. kernel entry, ns 0). */
void report_at(const char *event, uint64_t ns, const char *fields, ...) __printf(3, 4);
/*
 * Copy the most recent report lines ("@hotmm {...}\n" each, oldest first,
 * whole lines only) into buf; returns the bytes copied. The last 64 KiB
 * of them are kept.
 */
size_t report_history(char *buf, size_t len);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

#endif
