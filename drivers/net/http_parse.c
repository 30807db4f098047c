/* SPDX-License-Identifier: MIT */
/*
 * DOC: http_parse.c - the HTTP/1.x request head parser (see http_parse.h)
 *
 * Works on the bytes received so far, from the start, each time more
 * arrive: heads are at most 4 KiB, so parsing again is cheaper than
 * keeping parser state across segments, and a half-received head can never
 * leave a half-filled request behind.
 */
#include <string.h>
#include "drivers/net/http_parse.h"

/* A refusal: the status to answer (negative) and, for the answer's body, why. */
static int refuse(struct http_request *req, int status, const char *why)
{
	req->error = why;
	return status;
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does the field name [name, name+n) equal want (lower case), ignoring case? */
static bool name_is(const char *name, size_t n, const char *want)
{
	size_t i;

	if (strlen(want) != n)
		return false;
	for (i = 0; i < n; i++)
		if (lower(name[i]) != want[i])
			return false;
	return true;
}

/* Does the value contain the comma-separated token want (lower case), ignoring case? */
static bool value_has_token(const char *v, size_t n, const char *want)
{
	size_t i = 0, wl = strlen(want);

	while (i < n) {
		size_t s, e;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == wl) {
			size_t k;

			for (k = 0; k < wl && lower(v[s + k]) == want[k]; k++)
				;
			if (k == wl)
				return true;
		}
	}
	return false;
}

static bool copy_token(struct http_request *req, const char *v, size_t n)
{
	size_t i;

	if (!n || n >= sizeof(req->token))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 0x7f)
			return false;
	memcpy(req->token, v, n);
	req->token[n] = '\0';
	req->has_token = true;
	return true;
}

static int parse_request_line(const char *l, size_t n, struct http_request *req)
{
	const char *sp1 = memchr(l, ' ', n), *sp2, *t, *q;
	size_t tl;

	if (!sp1)
		return refuse(req, -400, "request line: no space after the method");
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - l));
	if (!sp2)
		return refuse(req, -400, "request line: no space after the target");
	for (t = l; t < sp1; t++)
		if (!is_tchar(*t))
			return refuse(req, -400, "request line: the method is not a token");
	if (sp1 - l == 3 && !memcmp(l, "GET", 3))
		req->method = HTTP_GET;
	else if (sp1 - l == 4 && !memcmp(l, "HEAD", 4))
		req->method = HTTP_HEAD;
	else if (sp1 - l == 4 && !memcmp(l, "POST", 4))
		req->method = HTTP_POST;
	else if (sp1 == l)
		return refuse(req, -400, "request line: empty method");
	else
		return refuse(req, -405, "request line: method not allowed (GET, HEAD, POST)");
	t = sp1 + 1;
	tl = (size_t)(sp2 - t);
	if (!tl || *t != '/')
		return refuse(req, -400, "request line: the target does not start with /");
	if (tl >= HTTP_MAX_TARGET)
		return refuse(req, -414, "request line: target longer than 255 bytes");
	for (size_t i = 0; i < tl; i++)
		if ((unsigned char)t[i] <= ' ' || (unsigned char)t[i] >= 0x7f)
			return refuse(req, -400, "request line: control character or space in the target");
	q = memchr(t, '?', tl);
	if (q) {
		memcpy(req->path, t, (size_t)(q - t));
		req->path[q - t] = '\0';
		memcpy(req->query, q + 1, tl - (size_t)(q - t) - 1);
		req->query[tl - (size_t)(q - t) - 1] = '\0';
	} else {
		memcpy(req->path, t, tl);
		req->path[tl] = '\0';
		req->query[0] = '\0';
	}
	t = sp2 + 1;
	tl = n - (size_t)(t - l);
	if (tl != 8 || memcmp(t, "HTTP/1.", 7))
		return tl >= 5 && !memcmp(t, "HTTP/", 5) ?
			refuse(req, -505, "request line: HTTP version other than 1.0 or 1.1") :
			refuse(req, -400, "request line: no HTTP/1.x version after the target");
	if (t[7] == '0')
		req->minor = 0;
	else if (t[7] == '1')
		req->minor = 1;
	else
		return refuse(req, -505, "request line: HTTP version other than 1.0 or 1.1");
	req->keep_alive = req->minor == 1;
	return 0;
}

static int parse_header(const char *l, size_t n, struct http_request *req)
{
	const char *colon = memchr(l, ':', n), *v;
	size_t nl, vl;

	if (!colon || colon == l)
		return refuse(req, -400, "header: no colon, or an empty field name");
	nl = (size_t)(colon - l);
	for (size_t i = 0; i < nl; i++)
		if (!is_tchar(l[i]))
			return refuse(req, -400, "header: field name is not a token (whitespace before the colon?)");	/* also refuses whitespace before the colon (RFC 9112 5.1) */
	v = colon + 1;
	vl = n - nl - 1;
	while (vl && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		vl--;
	for (size_t i = 0; i < vl; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return refuse(req, -400, "header: control character in a field value");
	if (name_is(l, nl, "connection")) {
		if (value_has_token(v, vl, "close"))
			req->keep_alive = false;
		else if (value_has_token(v, vl, "keep-alive"))
			req->keep_alive = true;
	} else if (name_is(l, nl, "content-length")) {
		if (!vl)
			return refuse(req, -400, "header: empty Content-Length");
		for (size_t i = 0; i < vl; i++)
			if (v[i] < '0' || v[i] > '9')
				return refuse(req, -400, "header: Content-Length is not a number");
		for (size_t i = 0; i < vl; i++)
			if (v[i] != '0')
				return refuse(req, -413, "header: Content-Length above 0 (requests carry no body here)");
	} else if (name_is(l, nl, "transfer-encoding")) {
		return refuse(req, -501, "header: Transfer-Encoding is not supported");
	} else if (name_is(l, nl, "authorization")) {
		if (vl < 7 || !name_is(v, 6, "bearer") || v[6] != ' ')
			return refuse(req, -400, "header: Authorization is not \"Bearer TOKEN\"");
		v += 7;
		vl -= 7;
		while (vl && *v == ' ')
			v++, vl--;
		if (!copy_token(req, v, vl))
			return refuse(req, -400, "header: Authorization token empty, too long or not printable");
	} else if (name_is(l, nl, "x-hotmm-token")) {
		if (!copy_token(req, v, vl))
			return refuse(req, -400, "header: X-Hotmm-Token empty, too long or not printable");
	}
	return 0;
}

int http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	size_t pos = 0, lines = 0, scan = len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD;
	int ret;

	memset(req, 0, sizeof(*req));
	/* RFC 9112 2.2: ignore empty lines before the request line. */
	while (pos < scan && (buf[pos] == '\r' || buf[pos] == '\n'))
		pos++;
	for (;;) {
		const char *nl = memchr(buf + pos, '\n', scan - pos);
		size_t n;

		if (!nl)
			return len >= HTTP_MAX_HEAD ? refuse(req, -431, "request head longer than 4096 bytes") : 0;
		n = (size_t)(nl - (buf + pos));
		if (n && buf[pos + n - 1] == '\r')
			n--;
		if (memchr(buf + pos, '\r', n) || memchr(buf + pos, '\0', n))
			return refuse(req, -400, "a bare CR or a NUL inside a line");	/* a bare CR or a NUL inside a line */
		if (!lines) {
			if (n >= HTTP_MAX_TARGET + 16)
				return refuse(req, -414, "request line: target longer than 255 bytes");
			ret = parse_request_line(buf + pos, n, req);
		} else if (!n) {
			return (int)(nl - buf) + 1;
		} else if (lines > HTTP_MAX_HEADERS) {
			return refuse(req, -431, "more than 48 header lines");
		} else if (buf[pos] == ' ' || buf[pos] == '\t') {
			ret = refuse(req, -400, "obsolete line folding (a header line starting with a space)");	/* obsolete line folding */
		} else {
			ret = parse_header(buf + pos, n, req);
		}
		if (ret)
			return ret;
		lines++;
		pos = (size_t)(nl - buf) + 1;
	}
}

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "";
	}
}

bool http_query_get(const char *query, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	const char *p = query;

	while (p && *p) {
		const char *end = strchr(p, '&');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n > kl && p[kl] == '=' && !memcmp(p, key, kl)) {
			if (n - kl - 1 >= outlen)
				return false;
			memcpy(out, p + kl + 1, n - kl - 1);
			out[n - kl - 1] = '\0';
			return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

bool http_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);

	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ (lb ? b[i % lb] : 0));
	return !diff;
}
