/* SPDX-License-Identifier: MIT */
/*
 * DOC: json.c - writing JSON into a strbuf (see json.h)
 */
#include <inttypes.h>
#include <string.h>
#include "lib/json.h"

void json_init(struct json *j, struct strbuf *sb)
{
	memset(j, 0, sizeof(*j));
	j->sb = sb;
}

void json_escape(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0, i;

	strbuf_add(sb, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_add(sb, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			strbuf_add(sb, esc, 2);
		} else if (c == '\n') {
			strbuf_add(sb, "\\n", 2);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			strbuf_add(sb, esc, 6);
		}
	}
	strbuf_add(sb, s + run, n - run);
	strbuf_add(sb, "\"", 1);
}

/* Comma and key before a value; false when the value does not belong here. */
static bool json_prefix(struct json *j, const char *key)
{
	if (j->error)
		return false;
	if (!j->depth) {
		/* one top-level value only */
		if (key || j->sb->len) {
			j->error = true;
			return false;
		}
		return true;
	}
	if ((j->closer[j->depth - 1] == '}') != (key != NULL)) {
		j->error = true;	/* a key in an array, or none in an object */
		return false;
	}
	if (j->has_items[j->depth - 1])
		strbuf_add(j->sb, ",", 1);
	j->has_items[j->depth - 1] = true;
	if (key) {
		json_escape(j->sb, key, strlen(key));
		strbuf_add(j->sb, ":", 1);
	}
	return true;
}

static void json_open(struct json *j, const char *key, char open, char close)
{
	if (!json_prefix(j, key))
		return;
	if (j->depth == JSON_MAX_DEPTH) {
		j->error = true;
		return;
	}
	strbuf_add(j->sb, &open, 1);
	j->closer[j->depth] = close;
	j->has_items[j->depth++] = false;
}

static void json_close(struct json *j, char close)
{
	if (j->error)
		return;
	if (!j->depth || j->closer[j->depth - 1] != close) {
		j->error = true;
		return;
	}
	j->depth--;
	strbuf_add(j->sb, &close, 1);
}

void json_object_begin(struct json *j, const char *key) { json_open(j, key, '{', '}'); }
void json_object_end(struct json *j) { json_close(j, '}'); }
void json_array_begin(struct json *j, const char *key) { json_open(j, key, '[', ']'); }
void json_array_end(struct json *j) { json_close(j, ']'); }

void json_str(struct json *j, const char *key, const char *s)
{
	if (json_prefix(j, key))
		json_escape(j->sb, s, strlen(s));
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	if (json_prefix(j, key))
		strbuf_addf(j->sb, "%" PRIu64, v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	if (json_prefix(j, key))
		strbuf_addf(j->sb, "%" PRId64, v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	if (json_prefix(j, key))
		strbuf_addstr(j->sb, v ? "true" : "false");
}

void json_raw(struct json *j, const char *key, const char *raw, size_t n)
{
	if (json_prefix(j, key))
		strbuf_add(j->sb, raw, n);
}

bool json_ok(const struct json *j)
{
	return !j->error && !j->depth && !j->sb->overflow && j->sb->len;
}
