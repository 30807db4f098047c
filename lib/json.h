/* SPDX-License-Identifier: MIT */
/*
 * DOC: json.h - writing JSON into a strbuf
 *
 * The writer places the commas: every value call inside an object takes
 * its key, inside an array the key is NULL.
 *
 *     struct json j;
 *     json_init(&j, &sb);
 *     json_object_begin(&j, NULL);
 *     json_u64(&j, "free", 1234);
 *     json_array_begin(&j, "zones");  json_str(&j, NULL, "Normal");  json_array_end(&j);
 *     json_object_end(&j);
 *
 * Strings are escaped as RFC 8259 asks (quote, backslash, control
 * characters as \uXXXX); bytes >= 0x80 pass as they are (our strings are
 * ASCII or UTF-8 already). Nesting deeper than JSON_MAX_DEPTH, or an end
 * that does not match its begin, marks the writer broken (j->error), which
 * a caller checks once at the end, as with strbuf's overflow.
 */
#ifndef HOTMM_LIB_JSON_H
#define HOTMM_LIB_JSON_H

#include <stdint.h>
#include "lib/strbuf.h"

#define JSON_MAX_DEPTH 16

struct json {
	struct strbuf *sb;
	unsigned int depth;
	bool error;
	bool has_items[JSON_MAX_DEPTH];
	char closer[JSON_MAX_DEPTH];
};

void json_init(struct json *j, struct strbuf *sb);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_str(struct json *j, const char *key, const char *s);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
/* A value already in JSON (e.g. a report line's object); the caller vouches for it. */
void json_raw(struct json *j, const char *key, const char *raw, size_t n);
/* The string s (n bytes), escaped and quoted, with no key or comma: for callers building by hand. */
void json_escape(struct strbuf *sb, const char *s, size_t n);
/* True when everything written is one complete, well-nested value. */
bool json_ok(const struct json *j);

#endif
