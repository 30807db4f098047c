// SPDX-License-Identifier: MIT
/*
 * DOC: test_http.c - host tests of the network services' pure parts
 *
 * drivers/net/http_parse.c (request heads: what is accepted, what each
 * refusal's status is, the limits), lib/json.c and lib/strbuf.c (escaping,
 * commas, nesting errors, overflow). The JSON written is checked against
 * strings worked out by hand here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/net/http_parse.h"
#include "lib/json.h"
#include "lib/strbuf.h"

static int parse(const char *s, struct http_request *r)
{
	return http_parse_request(s, strlen(s), r);
}

static void test_simple_get(void **state)
{
	struct http_request r;
	const char *s = "GET /api/meminfo?x=1&block=12 HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n";

	assert_int_equal(parse(s, &r), (int)(strstr(s, "\r\n\r\n") - s) + 4);
	assert_int_equal(r.method, HTTP_GET);
	assert_int_equal(r.minor, 1);
	assert_string_equal(r.path, "/api/meminfo");
	assert_string_equal(r.query, "x=1&block=12");
	assert_true(r.keep_alive);
	assert_false(r.has_token);
	char v[16];
	assert_true(http_query_get(r.query, "block", v, sizeof(v)));
	assert_string_equal(v, "12");
	assert_false(http_query_get(r.query, "bloc", v, sizeof(v)));
	assert_false(http_query_get(r.query, "x", v, 1));	/* "1" does not fit in 1 byte */
}

static void test_bare_lf_and_http10(void **state)
{
	struct http_request r;

	assert_int_equal(parse("HEAD /metrics HTTP/1.0\nUser-Agent: x\n\n", &r), 38);
	assert_int_equal(r.method, HTTP_HEAD);
	assert_false(r.keep_alive);
	assert_true(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r) > 0);
	assert_true(r.keep_alive);
	assert_true(parse("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n", &r) > 0);
	assert_false(r.keep_alive);
	/* empty lines before the request line are skipped */
	assert_true(parse("\r\n\r\nGET / HTTP/1.1\r\n\r\n", &r) > 0);
}

static void test_incomplete(void **state)
{
	struct http_request r;
	const char *full = "POST /api/online?block=3 HTTP/1.1\r\nAuthorization: Bearer s3cret\r\n\r\n";

	for (size_t n = 0; n < strlen(full); n++)
		assert_int_equal(http_parse_request(full, n, &r), 0);
	assert_int_equal(parse(full, &r), (int)strlen(full));
	assert_int_equal(r.method, HTTP_POST);
	assert_true(r.has_token);
	assert_string_equal(r.token, "s3cret");
}

static void test_token_headers(void **state)
{
	struct http_request r;

	assert_true(parse("GET / HTTP/1.1\r\nX-Hotmm-Token:  abc \r\n\r\n", &r) > 0);
	assert_string_equal(r.token, "abc");
	assert_int_equal(parse("GET / HTTP/1.1\r\nAuthorization: Basic abc\r\n\r\n", &r), -400);
	assert_int_equal(parse("GET / HTTP/1.1\r\nAuthorization: Bearer \r\n\r\n", &r), -400);
	assert_true(http_token_equal("abc", "abc"));
	assert_false(http_token_equal("abc", "abd"));
	assert_false(http_token_equal("abc", "abcd"));
	assert_false(http_token_equal("", "a"));
	assert_false(http_token_equal("a", ""));
}

static void test_refusals(void **state)
{
	struct http_request r;
	char big[HTTP_MAX_HEAD + 64];

	assert_int_equal(parse("PUT / HTTP/1.1\r\n\r\n", &r), -405);
	assert_string_equal(r.error, "request line: method not allowed (GET, HEAD, POST)");
	assert_int_equal(parse("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", &r), -400);
	assert_string_equal(r.error, "header: Content-Length is not a number");
	assert_int_equal(parse("GET / HTTP/2.0\r\n\r\n", &r), -505);
	assert_int_equal(parse("GET / HTTP/1.2\r\n\r\n", &r), -505);
	assert_int_equal(parse("GET / FOO/1.1\r\n\r\n", &r), -400);
	assert_int_equal(parse("GET foo HTTP/1.1\r\n\r\n", &r), -400);
	assert_int_equal(parse("GET  / HTTP/1.1\r\n\r\n", &r), -400);
	assert_int_equal(parse("GET / HTTP/1.1\r\nNoColon\r\n\r\n", &r), -400);
	assert_int_equal(parse("GET / HTTP/1.1\r\nA : b\r\n\r\n", &r), -400);
	assert_int_equal(parse("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", &r), -400);
	assert_int_equal(parse("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", &r), -400);
	assert_int_equal(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", &r), -413);
	assert_true(parse("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &r) > 0);
	assert_int_equal(parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", &r), -400);
	assert_int_equal(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &r), -501);

	/* a target too long for HTTP_MAX_TARGET */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	strcpy(big + 5 + HTTP_MAX_TARGET, " HTTP/1.1\r\n\r\n");
	assert_int_equal(parse(big, &r), -414);
	/* a head that never ends within HTTP_MAX_HEAD */
	strcpy(big, "GET / HTTP/1.1\r\nX: ");
	memset(big + strlen(big), 'b', HTTP_MAX_HEAD);
	big[HTTP_MAX_HEAD + 10] = '\0';
	assert_int_equal(parse(big, &r), -431);
	assert_string_equal(r.error, "request head longer than 4096 bytes");
	/* too many header lines */
	struct strbuf sb;
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, "GET / HTTP/1.1\r\n");
	for (int i = 0; i <= HTTP_MAX_HEADERS; i++)
		strbuf_addstr(&sb, "A: b\r\n");
	strbuf_addstr(&sb, "\r\n");
	assert_int_equal(http_parse_request(sb.buf, sb.len, &r), -431);
	strbuf_free(&sb);
}

static void test_status_text(void **state)
{
	assert_string_equal(http_status_text(404), "Not Found");
	assert_string_equal(http_status_text(431), "Request Header Fields Too Large");
	assert_string_equal(http_status_text(999), "");
}

static void test_json_writer(void **state)
{
	struct strbuf sb;
	struct json j;

	strbuf_init(&sb, 0);
	json_init(&j, &sb);
	json_object_begin(&j, NULL);
	json_u64(&j, "a", 18446744073709551615ull);
	json_i64(&j, "b", -5);
	json_str(&j, "s", "q\"\\\n\x01\x7f\xc3\xa9");
	json_array_begin(&j, "l");
	json_bool(&j, NULL, true);
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_array_begin(&j, NULL);
	json_array_end(&j);
	json_raw(&j, NULL, "{\"x\":1}", 7);
	json_array_end(&j);
	json_object_end(&j);
	assert_true(json_ok(&j));
	assert_string_equal(sb.buf, "{\"a\":18446744073709551615,\"b\":-5,"
			    "\"s\":\"q\\\"\\\\\\n\\u0001\x7f\xc3\xa9\",\"l\":[true,{},[],{\"x\":1}]}");
	strbuf_free(&sb);
}

static void test_json_misuse(void **state)
{
	struct strbuf sb;
	struct json j;

	strbuf_init(&sb, 0);
	json_init(&j, &sb);
	json_object_begin(&j, NULL);
	json_u64(&j, NULL, 1);		/* no key inside an object */
	assert_false(json_ok(&j));
	strbuf_free(&sb);

	strbuf_init(&sb, 0);
	json_init(&j, &sb);
	json_array_begin(&j, NULL);
	json_object_end(&j);		/* wrong closer */
	assert_false(json_ok(&j));
	strbuf_free(&sb);

	strbuf_init(&sb, 0);
	json_init(&j, &sb);
	json_object_begin(&j, NULL);	/* never closed */
	assert_false(json_ok(&j));
	strbuf_free(&sb);

	strbuf_init(&sb, 0);
	json_init(&j, &sb);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_array_begin(&j, NULL);
	assert_true(j.error);
	strbuf_free(&sb);
}

static void test_strbuf_limit(void **state)
{
	struct strbuf sb;

	strbuf_init(&sb, 100);
	for (int i = 0; i < 20; i++)
		strbuf_addf(&sb, "%d,", 12345);
	assert_true(sb.overflow);
	assert_true(sb.len < 100);
	assert_int_equal(strlen(sb.buf), sb.len);
	strbuf_free(&sb);

	strbuf_init(&sb, 0);
	strbuf_addf(&sb, "%s-%d", "x", 7);
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%0300d", i);	/* each longer than the first capacity */
	assert_false(sb.overflow);
	assert_int_equal(sb.len, 3 + 300 * 1000);
	size_t n;
	char *t = strbuf_detach(&sb, &n);
	assert_int_equal(n, 3 + 300 * 1000);
	assert_memory_equal(t, "x-7", 3);
	assert_memory_equal(t + 3 + 300 * 999, "000", 3);
	assert_null(sb.buf);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_bare_lf_and_http10),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_token_headers),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_misuse),
		cmocka_unit_test(test_strbuf_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
