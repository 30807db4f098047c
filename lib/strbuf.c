/* SPDX-License-Identifier: MIT */
/*
 * DOC: strbuf.c - a growing text buffer (see strbuf.h)
 *
 * Capacity doubles from 256 bytes; malloc is the kernel's (lib/malloc.c)
 * or the host's in tests.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/strbuf.h"

#define STRBUF_DEFAULT_LIMIT	(4u << 20)

void strbuf_init(struct strbuf *sb, size_t limit)
{
	*sb = (struct strbuf){ .limit = limit ? limit : STRBUF_DEFAULT_LIMIT };
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* Room for n more bytes and the NUL; false (and overflow set) if there is none. */
static bool strbuf_grow(struct strbuf *sb, size_t n)
{
	size_t need = sb->len + n + 1, cap = sb->cap ? sb->cap : 256;
	char *nb;

	if (sb->overflow)
		return false;
	if (need <= sb->cap)
		return true;
	if (need > sb->limit) {
		sb->overflow = true;
		return false;
	}
	while (cap < need)
		cap *= 2;
	if (cap > sb->limit)
		cap = sb->limit;
	nb = realloc(sb->buf, cap);
	if (!nb) {
		sb->overflow = true;
		return false;
	}
	sb->buf = nb;
	sb->cap = cap;
	return true;
}

void strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	if (!strbuf_grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!strbuf_grow(sb, 64))
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sb->cap - sb->len) {
		if (!strbuf_grow(sb, (size_t)n)) {
			sb->buf[sb->len] = '\0';
			return;
		}
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *b = sb->buf;

	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return b;
}
