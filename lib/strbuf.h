/* SPDX-License-Identifier: MIT */
/*
 * DOC: strbuf.h - a growing text buffer
 *
 * For answers whose size is not known in advance (the network's JSON and
 * metrics pages). Appending never fails loudly: on an allocation failure
 * or at the limit the buffer stops growing and remembers it (sb->overflow),
 * so a builder writes its whole answer and checks once at the end. The text
 * is always NUL-terminated while sb->buf is not NULL.
 */
#ifndef HOTMM_LIB_STRBUF_H
#define HOTMM_LIB_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/compiler.h"

struct strbuf {
	char *buf;
	size_t len, cap;
	size_t limit;		/* most bytes it may hold (0: 4 MiB) */
	bool overflow;		/* something did not fit: the text is cut short */
};

void strbuf_init(struct strbuf *sb, size_t limit);
void strbuf_free(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __printf(2, 3);
/* Hand the text over (caller frees it with free()); the buffer is empty after. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
