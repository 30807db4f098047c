/* SPDX-License-Identifier: MIT */
/*
 * DOC: http_parse.h - the HTTP/1.x request head parser of the network services
 *
 * Pure: no lwIP, no kernel state, so the host tests and the fuzz target
 * compile it as it is. It reads one request head (request line and header
 * lines up to the empty line), accepting CRLF or bare LF line ends, and
 * fills struct http_request with what the server uses; everything else is
 * skipped. Limits are the server's defence against slow or hostile
 * clients: a head longer than HTTP_MAX_HEAD bytes is 431, a target longer
 * than HTTP_MAX_TARGET 414, more than HTTP_MAX_HEADERS header lines 431.
 * Requests carry no body here: Content-Length above 0 is 413, a
 * Transfer-Encoding 501.
 */
#ifndef HOTMM_DRIVERS_NET_HTTP_PARSE_H
#define HOTMM_DRIVERS_NET_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_HEAD		4096
#define HTTP_MAX_TARGET		256
#define HTTP_MAX_HEADERS	48
#define HTTP_MAX_TOKEN		128

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST };

struct http_request {
	enum http_method method;
	int minor;				/* HTTP/1.<minor> */
	char path[HTTP_MAX_TARGET];		/* target before '?' (not percent-decoded) */
	char query[HTTP_MAX_TARGET];		/* after '?', "" if none */
	char token[HTTP_MAX_TOKEN];		/* "Authorization: Bearer T" or "X-Hotmm-Token: T" */
	bool has_token;
	bool keep_alive;			/* 1.1 unless "Connection: close"; 1.0 only with keep-alive */
	const char *error;			/* after a refusal: what was wrong, and where */
};

/*
 * Parse the head at the start of buf[0..len). Returns its length (through
 * the empty line) with *req filled; 0 when it is not complete yet and may
 * still be; or -STATUS for a request to refuse with that status (400 bad
 * syntax, 405 a method other than GET/HEAD/POST, 413, 414, 431, 501, 505
 * a version other than HTTP/1.0 or 1.1), with req->error saying what was
 * wrong and where (request line or header, which field).
 */
int http_parse_request(const char *buf, size_t len, struct http_request *req);

/* "OK", "Not Found", ... for the statuses the server sends ("" for others). */
const char *http_status_text(int status);

/*
 * The value of key in a query string "a=1&b=2" (no percent-decoding: the
 * server's parameters are numbers and words). False if absent or longer
 * than outlen - 1.
 */
bool http_query_get(const char *query, const char *key, char *out, size_t outlen);

/* Compare two tokens in time that depends only on their lengths. */
bool http_token_equal(const char *a, const char *b);

#endif
