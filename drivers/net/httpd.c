/* SPDX-License-Identifier: MIT */
/*
 * DOC: httpd.c - HTTP on port 80: the live memory page, JSON, /metrics
 *
 * GET /                 the page (drivers/net/www/, compiled into the image)
 * GET /api/meminfo, /api/zoneinfo, /api/blocks, /api/events, /api/history
 * GET /metrics          Prometheus text format
 * POST /api/online?block=N[&zone=kernel|movable], /api/offline?block=N,
 *      /api/eject?slot=N  run the shell's online/offline/eject; they need
 *      the kernel's net_token= sent as "Authorization: Bearer TOKEN" (or
 *      X-Hotmm-Token); without net_token= they are always refused (403),
 *      and every refusal is logged with the peer's address.
 *
 * HTTP/1.1 with keep-alive; one request at a time per connection (a
 * pipelined next request waits in the receive buffer). Answers that read
 * kernel state or run commands are net_requests (outside net_lock). Limits:
 * HTTP_MAX_CONNS connections (more get 503), heads up to HTTP_MAX_HEAD
 * bytes (431), `net_rate=` requests per second per peer address (429; QEMU's
 * user network shows every host client as one address),
 * and a connection that sends nothing for HTTP_IDLE_TIMEOUT_S is closed, so
 * slow clients cannot hold connections forever.
 *
 * Lifetime: a connection is freed by the poll that finds it gone (closed
 * or aborted) with no request of its queued or running.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/netdev.h"
#include "drivers/net/net_services.h"
#include "drivers/net/http_parse.h"
#include "drivers/net/mem_api.h"
#include "lib/json.h"
#include "kernel/shell.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "arch/x86_64/tsc.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"

extern const char www_index_html[], www_index_html_end[];

enum conn_state { CONN_READING, CONN_WAITING, CONN_SENDING };

struct http_conn;
struct capture {
	struct shell_output out;
	struct strbuf sb;
};

struct http_conn {
	struct tcp_pcb *pcb;
	ip_addr_t peer;
	enum conn_state state;
	bool gone, busy, keep_alive, head_only;
	uint64_t last_ns;
	char rx[HTTP_MAX_HEAD];
	size_t rx_len;
	struct http_request hreq;
	struct net_request req;
	/* the answer: a head we built, then a body (ours, or static in the image) */
	char *head;
	size_t head_len, head_off;
	const char *body;
	size_t body_len, body_off;
	char *body_owned;
	/* for requests: what to build, and what came out */
	int (*build)(struct strbuf *sb);
	const char *ctype;
	char cmd[96];
	struct capture cap;
	int status;
	struct strbuf out;
	struct http_conn *next;
};

static struct http_conn *conns;
static struct net_service_stats stats = { .max_conns = HTTP_MAX_CONNS };

void httpd_stats(struct net_service_stats *s)
{
	*s = stats;
}

/* ---- rate limit: a token bucket per peer address ---- */
#define RATE_SLOTS 32
static struct { u32_t addr; uint64_t last_ns; uint32_t tokens; } rate[RATE_SLOTS];
static uint32_t rate_limit = HTTP_RATE_PER_S;

static const char *check_net_rate(const char *v)
{
	uint64_t n;

	return parse_u64_range(v, 0, 1000000, &n) ? NULL : "a number 0..1000000 (requests per second; 0: no limit)";
}
CMDLINE_OPTION_CHECKED(net_rate, "N", "HTTP requests per second from one address before 429 (default 2000, "
		       "0: no limit)", check_net_rate);

static bool rate_ok(const ip_addr_t *peer)
{
	u32_t a = ip4_addr_get_u32(ip_2_ip4(peer));
	uint64_t now = ktime_get_ns();
	unsigned int i, victim = 0;

	if (!rate_limit)
		return true;
	for (i = 0; i < RATE_SLOTS; i++) {
		if (rate[i].addr == a && rate[i].last_ns)
			break;
		if (rate[i].last_ns < rate[victim].last_ns)
			victim = i;
	}
	if (i == RATE_SLOTS) {
		i = victim;
		rate[i].addr = a;
		rate[i].tokens = rate_limit;
		rate[i].last_ns = now;
	}
	rate[i].tokens = (uint32_t)min((uint64_t)rate_limit,
				       rate[i].tokens + (now - rate[i].last_ns) * rate_limit / 1000000000ull);
	rate[i].last_ns = now;
	if (!rate[i].tokens)
		return false;
	rate[i].tokens--;
	return true;
}

/* ---- sending ---- */
static void conn_close(struct http_conn *c)
{
	struct tcp_pcb *pcb = c->pcb;

	if (!pcb)
		return;
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	tcp_poll(pcb, NULL, 0);
	c->pcb = NULL;
	c->gone = true;
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

static void answer_free(struct http_conn *c)
{
	free(c->head);
	free(c->body_owned);
	c->head = c->body_owned = NULL;
	c->body = NULL;
	c->head_len = c->head_off = c->body_len = c->body_off = 0;
}

static void conn_process(struct http_conn *c);

static void conn_pump(struct http_conn *c)
{
	bool wrote = false;

	if (!c->pcb || c->state != CONN_SENDING)
		return;
	for (;;) {
		const char *p;
		size_t left;
		u8_t flags;
		u16_t room = tcp_sndbuf(c->pcb), n;

		if (c->head_off < c->head_len) {
			p = c->head + c->head_off;
			left = c->head_len - c->head_off;
			flags = TCP_WRITE_FLAG_COPY;
		} else if (c->body_off < c->body_len) {
			p = c->body + c->body_off;
			left = c->body_len - c->body_off;
			/* static files live in the image forever: lwIP may point at them */
			flags = c->body_owned ? TCP_WRITE_FLAG_COPY : 0;
		} else {
			break;
		}
		if (!room || tcp_sndqueuelen(c->pcb) >= TCP_SND_QUEUELEN - 4)
			break;
		n = (u16_t)min(left, (size_t)room);
		if (left > n)
			flags |= TCP_WRITE_FLAG_MORE;
		if (tcp_write(c->pcb, p, n, flags) != ERR_OK)
			break;
		wrote = true;
		if (c->head_off < c->head_len)
			c->head_off += n;
		else
			c->body_off += n;
	}
	if (wrote)
		tcp_output(c->pcb);
	if (c->head_off == c->head_len && c->body_off == c->body_len) {
		answer_free(c);
		if (!c->keep_alive) {
			conn_close(c);
			return;
		}
		c->state = CONN_READING;
		conn_process(c);	/* a pipelined request may be waiting */
	}
}

/* Start sending status + body (body_owned: ours to free; else static). */
static void respond(struct http_conn *c, int status, const char *ctype, const char *body, size_t len,
		    char *body_owned, const char *extra)
{
	char head[512];
	int n;

	/* after a malformed or oversized request the stream cannot be trusted: close */
	if (status >= 400 && status != 403 && status != 404 && status != 405 && status != 409 && status != 429)
		c->keep_alive = false;
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nServer: hotmm\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		     "Cache-Control: no-store\r\nConnection: %s\r\n%s\r\n",
		     status, http_status_text(status), ctype, len, c->keep_alive ? "keep-alive" : "close",
		     extra ? extra : "");
	c->head = malloc((size_t)n);
	if (!c->head) {
		free(body_owned);
		stats.errors++;
		conn_close(c);
		return;
	}
	memcpy(c->head, head, (size_t)n);
	c->head_len = (size_t)n;
	c->head_off = 0;
	c->body = body;
	c->body_len = c->head_only ? 0 : len;
	c->body_off = 0;
	c->body_owned = body_owned;
	c->state = CONN_SENDING;
	if (status >= 400)
		stats.errors++;
	conn_pump(c);
}

static void respond_error(struct http_conn *c, int status, const char *msg)
{
	struct strbuf sb;
	struct json j;
	char *b;
	size_t n;

	strbuf_init(&sb, 4096);
	json_init(&j, &sb);
	json_object_begin(&j, NULL);
	json_i64(&j, "status", status);
	json_str(&j, "error", msg);
	json_object_end(&j);
	strbuf_addstr(&sb, "\n");
	b = strbuf_detach(&sb, &n);
	respond(c, status, "application/json", b, b ? n : 0, b,
		status == 405 ? "Allow: GET, HEAD, POST\r\n" : status == 429 ? "Retry-After: 1\r\n" : NULL);
}

/* ---- work outside net_lock ---- */
static void capture_write(struct shell_output *out, const char *s, size_t n)
{
	strbuf_add(&container_of(out, struct capture, out)->sb, s, n);
}

static void conn_run(struct net_request *req)
{
	struct http_conn *c = container_of(req, struct http_conn, req);
	int ret;

	strbuf_init(&c->out, 0);
	if (c->build) {
		ret = c->build(&c->out);
		c->status = ret ? 503 : 200;
		if (ret) {
			strbuf_free(&c->out);
			strbuf_init(&c->out, 0);
			strbuf_addf(&c->out, "{\"status\":503,\"error\":\"could not build the answer (%d)\"}\n", ret);
		}
		return;
	}
	/* a command: its output captured, the result as JSON */
	struct shell_output *old;
	struct json j;
	char line[sizeof(c->cmd)];

	strbuf_init(&c->cap.sb, 64 * 1024);
	c->cap.out.write = capture_write;
	strcpy(line, c->cmd);
	old = shell_set_output(&c->cap.out);
	ret = shell_exec(line);
	shell_set_output(old);
	json_init(&j, &c->out);
	json_object_begin(&j, NULL);
	json_str(&j, "command", c->cmd);
	json_i64(&j, "ret", ret);
	json_str(&j, "output", c->cap.sb.buf ? c->cap.sb.buf : "");
	json_object_end(&j);
	strbuf_addstr(&c->out, "\n");
	strbuf_free(&c->cap.sb);
	c->status = ret ? 409 : 200;
}

static void conn_done(struct net_request *req)
{
	struct http_conn *c = container_of(req, struct http_conn, req);
	size_t n;
	char *b = strbuf_detach(&c->out, &n);

	c->busy = false;
	if (c->gone || !c->pcb) {
		free(b);
		return;
	}
	if (!b) {
		respond_error(c, 503, "out of memory");
		return;
	}
	respond(c, c->status, c->ctype, b, n, b, NULL);
}

static void queue_build(struct http_conn *c, int (*build)(struct strbuf *sb), const char *ctype)
{
	c->build = build;
	c->ctype = ctype;
	c->state = CONN_WAITING;
	c->busy = true;
	c->req.run = conn_run;
	c->req.done = conn_done;
	net_request_queue(&c->req);
}

/* ---- routing ---- */
static bool number_arg(const char *query, const char *key, unsigned long max, unsigned long *v)
{
	char s[24], *end;

	if (!http_query_get(query, key, s, sizeof(s)) || !s[0])
		return false;
	*v = strtoul(s, &end, 10);
	return !*end && *v <= max;
}

static void route_post(struct http_conn *c)
{
	const struct http_request *r = &c->hreq;
	const char *token = net_token();
	unsigned long n;
	char zone[16] = "";

	if (!token) {
		net_log_refused("http", &c->peer, r->path, "no net_token= configured");
		respond_error(c, 403, "read-only: the kernel was started without net_token=");
		return;
	}
	if (!r->has_token || !http_token_equal(r->token, token)) {
		net_log_refused("http", &c->peer, r->path, r->has_token ? "wrong token" : "no token sent");
		respond_error(c, 403, r->has_token ? "wrong token" : "this needs the token (Authorization: Bearer TOKEN)");
		return;
	}
	if (!strcmp(r->path, "/api/online")) {
		if (!number_arg(r->query, "block", 1ul << 40, &n)) {
			respond_error(c, 400, "online: block=N (a memory block number) is required");
			return;
		}
		if (http_query_get(r->query, "zone", zone, sizeof(zone)) && strcmp(zone, "kernel") &&
		    strcmp(zone, "movable")) {
			respond_error(c, 400, "online: zone= must be kernel or movable");
			return;
		}
		snprintf(c->cmd, sizeof(c->cmd), "online %lu%s%s", n, zone[0] ? " " : "", zone);
	} else if (!strcmp(r->path, "/api/offline")) {
		if (!number_arg(r->query, "block", 1ul << 40, &n)) {
			respond_error(c, 400, "offline: block=N (a memory block number) is required");
			return;
		}
		snprintf(c->cmd, sizeof(c->cmd), "offline %lu", n);
	} else if (!strcmp(r->path, "/api/eject")) {
		if (!number_arg(r->query, "slot", 255, &n)) {
			respond_error(c, 400, "eject: slot=N (a DIMM slot number) is required");
			return;
		}
		snprintf(c->cmd, sizeof(c->cmd), "eject %lu", n);
	} else {
		respond_error(c, 404, "no such action (online, offline, eject)");
		return;
	}
	pr_notice("net: http: '%s' for an authenticated client\n", c->cmd);
	queue_build(c, NULL, "application/json");
}

static void route(struct http_conn *c)
{
	static const struct {
		const char *path;
		int (*build)(struct strbuf *sb);
		const char *ctype;
	} gets[] = {
		{ "/api/meminfo", mem_api_meminfo, "application/json" },
		{ "/api/zoneinfo", mem_api_zoneinfo, "application/json" },
		{ "/api/blocks", mem_api_blocks, "application/json" },
		{ "/api/events", mem_api_events, "application/json" },
		{ "/api/history", mem_api_history, "application/json" },
		{ "/metrics", mem_api_metrics, "text/plain; version=0.0.4; charset=utf-8" },
	};
	const struct http_request *r = &c->hreq;

	stats.requests++;
	c->head_only = r->method == HTTP_HEAD;
	c->keep_alive = r->keep_alive;
	if (!rate_ok(&c->peer)) {
		respond_error(c, 429, "too many requests from this address");
		return;
	}
	if (r->method == HTTP_POST) {
		route_post(c);
		return;
	}
	if (!strcmp(r->path, "/") || !strcmp(r->path, "/index.html")) {
		respond(c, 200, "text/html; charset=utf-8", www_index_html,
			(size_t)(www_index_html_end - www_index_html), NULL, NULL);
		return;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(gets); i++) {
		if (!strcmp(r->path, gets[i].path)) {
			queue_build(c, gets[i].build, gets[i].ctype);
			return;
		}
	}
	if (!strcmp(r->path, "/api/online") || !strcmp(r->path, "/api/offline") || !strcmp(r->path, "/api/eject")) {
		respond_error(c, 405, "use POST");
		return;
	}
	respond_error(c, 404, "not found");
}

/* Parse what was received; start answering a complete request. */
static void conn_process(struct http_conn *c)
{
	int n;

	if (c->state != CONN_READING || !c->rx_len || !c->pcb)
		return;
	n = http_parse_request(c->rx, c->rx_len, &c->hreq);
	if (!n)
		return;
	if (n < 0) {
		c->rx_len = 0;
		c->keep_alive = false;
		respond_error(c, -n, c->hreq.error ? c->hreq.error : "bad request");
		return;
	}
	memmove(c->rx, c->rx + n, c->rx_len - (size_t)n);
	c->rx_len -= (size_t)n;
	route(c);
}

/* ---- lwIP callbacks (under net_lock) ---- */
static err_t http_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct http_conn *c = arg;
	size_t room;

	if (!p) {
		/* the client finished sending: answer what is in flight, then close */
		c->keep_alive = false;
		if (c->state == CONN_READING && !c->rx_len)
			conn_close(c);
		return ERR_OK;
	}
	c->last_ns = ktime_get_ns();
	room = sizeof(c->rx) - c->rx_len;
	if (p->tot_len > room && c->state == CONN_READING) {
		/* more than a head can be: refuse it now */
		pbuf_copy_partial(p, c->rx + c->rx_len, (u16_t)room, 0);
		c->rx_len += room;
	} else if (p->tot_len > room) {
		/* a client sending while its answer is on the way: more than we keep */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		c->keep_alive = false;
		return ERR_OK;
	} else {
		pbuf_copy_partial(p, c->rx + c->rx_len, p->tot_len, 0);
		c->rx_len += p->tot_len;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	conn_process(c);
	return ERR_OK;
}

static err_t http_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct http_conn *c = arg;

	c->last_ns = ktime_get_ns();
	conn_pump(c);
	return ERR_OK;
}

static void http_err(void *arg, err_t err)
{
	struct http_conn *c = arg;

	c->pcb = NULL;
	c->gone = true;
}

static err_t http_poll_cb(void *arg, struct tcp_pcb *pcb)
{
	struct http_conn *c = arg;

	/* Slow clients: nothing received or acknowledged for too long. */
	if (!c->busy && ktime_get_ns() - c->last_ns > HTTP_IDLE_TIMEOUT_S * 1000000000ull) {
		c->keep_alive = false;
		if (c->state == CONN_READING && c->rx_len) {
			respond_error(c, 408, "request head not complete in time");
			return ERR_OK;
		}
		tcp_arg(pcb, NULL);
		tcp_err(pcb, NULL);
		c->pcb = NULL;
		c->gone = true;
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	conn_pump(c);
	return ERR_OK;
}

static err_t http_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n"
				   "Retry-After: 1\r\n\r\n";
	struct http_conn *c;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	if (stats.conns >= HTTP_MAX_CONNS || !(c = calloc(1, sizeof(*c)))) {
		stats.refused++;
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_write(pcb, busy, sizeof(busy) - 1, 0);
		if (tcp_close(pcb) != ERR_OK) {
			tcp_abort(pcb);
			return ERR_ABRT;
		}
		return ERR_OK;
	}
	c->pcb = pcb;
	ip_addr_copy(c->peer, pcb->remote_ip);
	c->last_ns = ktime_get_ns();
	c->next = conns;
	conns = c;
	stats.conns++;
	stats.accepted++;
	tcp_arg(pcb, c);
	tcp_recv(pcb, http_recv);
	tcp_sent(pcb, http_sent);
	tcp_err(pcb, http_err);
	tcp_poll(pcb, http_poll_cb, 4);
	tcp_nagle_disable(pcb);
	return ERR_OK;
}

void httpd_poll(void)
{
	struct http_conn **pp = &conns, *c;

	while ((c = *pp)) {
		if (c->gone && !c->busy) {
			*pp = c->next;
			answer_free(c);
			stats.conns--;
			free(c);
			continue;
		}
		pp = &c->next;
	}
}

static void sample_timer(void *arg)
{
	mem_api_sample();
	sys_timeout(2000, sample_timer, NULL);
}

void httpd_init(void)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4), *lpcb;

	if (!pcb || tcp_bind(pcb, IP_ADDR_ANY, HTTP_PORT) != ERR_OK) {
		pr_err("net: http: cannot bind port %d\n", HTTP_PORT);
		if (pcb)
			tcp_close(pcb);
		return;
	}
	/* SYNs beyond the backlog are dropped silently and the client retries seconds later: take every one the limit allows */
	lpcb = tcp_listen_with_backlog(pcb, HTTP_MAX_CONNS);
	if (!lpcb) {
		pr_err("net: http: cannot listen on port %d (lwIP out of memory)\n", HTTP_PORT);
		tcp_close(pcb);
		return;
	}
	tcp_accept(lpcb, http_accept);
	rate_limit = (uint32_t)cmdline_get_u64("net_rate", HTTP_RATE_PER_S);
	sample_timer(NULL);
}
