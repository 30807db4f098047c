/* SPDX-License-Identifier: MIT */
/*
 * DOC: report_format.h - the one place the report line's format is written
 *
 *     @hotmm {"event":"NAME","ns":NS,FIELDS}\n
 *
 * Used by kernel/printk.c and by the host tests' stubs, so both print what
 * tests/qemu/qemu.py parses. Inline in a header so host programs need
 * nothing more to link.
 */
#ifndef HOTMM_KERNEL_REPORT_FORMAT_H
#define HOTMM_KERNEL_REPORT_FORMAT_H

#include <stdarg.h>
#include <stdio.h>
#include "lib/compiler.h"

/* Format into buf (len >= 64); returns the length, newline included, always < len. */
static inline int report_format(char *buf, size_t len, const char *event, uint64_t ns,
				const char *fields, va_list ap)
{
	int n = snprintf(buf, len - 2, "@hotmm {\"event\":\"%s\",\"ns\":%llu", event,
			 (unsigned long long)ns);

	if (n > (int)len - 3)
		n = len - 3;
	if (fields && *fields && n < (int)len - 4) {
		buf[n++] = ',';
		n += vsnprintf(buf + n, len - n - 2, fields, ap);
		if (n > (int)len - 3)
			n = len - 3;
	}
	buf[n++] = '}';
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

#endif
