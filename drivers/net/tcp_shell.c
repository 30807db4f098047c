/* SPDX-License-Identifier: MIT */
/*
 * DOC: tcp_shell.c - the shell on TCP port 2323, several sessions at once
 *
 * Each session has its own line editor (echo, backspace, Ctrl-U, Ctrl-C,
 * up/down history), as the serial shell has, and its own output: the
 * command's shell_printf goes to the session's ring (kernel/shell.h), which
 * the poller sends, so two sessions' output never mix. It speaks enough
 * telnet for `telnet HOST 2323` to switch to character mode without local
 * echo (WILL ECHO, WILL SUPPRESS-GO-AHEAD) and drops the client's telnet
 * commands from the input.
 *
 * A command runs as a net_request on an idle CPU, outside net_lock; while
 * it runs, what the client types waits in the session's queue, unread and
 * unacknowledged to lwIP (so the window closes on a client that types on
 * and on), and is edited once the prompt is back.
 *
 * Read-only commands (net_command_is_readonly) run for anybody; anything
 * else needs `auth TOKEN` with the kernel's net_token= first; without
 * net_token= nothing mutates over the network. A refusal is said to the
 * client and logged with its address. Kernel messages a command prints
 * (printk) go to the console and dmesg, not to the session.
 *
 * Lifetime: a session is freed by the poll that finds its connection gone
 * and no command of its running.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/netdev.h"
#include "drivers/net/net_services.h"
#include "drivers/net/http_parse.h"
#include "kernel/shell.h"
#include "kernel/printk.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "lwip/tcp.h"

#define SESSION_LINE_MAX	256
#define HISTORY		16
#define OUT_SIZE	(64 * 1024)
#define PROMPT		"hotmm> "
#define IAC		255

struct session {
	struct shell_output out;	/* first: container_of by cast */
	struct tcp_pcb *pcb;
	ip_addr_t peer;
	u16_t peer_port;
	bool busy;			/* a command of this session is queued or running */
	bool closing;			/* close once the output is sent */
	bool gone;			/* the connection is gone (closed or aborted) */
	bool authed;
	int esc, iac;			/* escape-sequence and telnet-command states */
	bool last_cr;			/* an LF right after a CR is the same Enter */
	struct pbuf *rxq;		/* input not consumed yet (typed while a command ran) */
	char line[SESSION_LINE_MAX];
	size_t len;
	char history[HISTORY][SESSION_LINE_MAX];
	unsigned int hist_count, hist_pos;
	char cmd[SESSION_LINE_MAX];		/* the line the request runs */
	struct net_request req;
	spinlock_t out_lock;		/* the ring: a command writes on one CPU, the poller sends on another */
	char *ring;
	size_t head, tail;		/* free-running: bytes written, bytes sent */
	unsigned long dropped;
	struct session *next;
};

static struct session *sessions;
static struct net_service_stats stats = { .max_conns = TCP_SHELL_MAX_SESSIONS };

void tcp_shell_stats(struct net_service_stats *s)
{
	*s = stats;
}

/* ---- output: a ring per session ---- */
static size_t ring_put(struct session *s, const char *p, size_t n)
{
	unsigned long flags;
	size_t done = 0;

	spin_lock_irqsave(&s->out_lock, flags);
	while (done < n && s->head - s->tail < OUT_SIZE - 1) {
		char c = p[done];

		/* telnet wants CR LF; a lone LF would leave the cursor in its column */
		if (c == '\n') {
			if (s->head - s->tail >= OUT_SIZE - 2)
				break;
			s->ring[s->head++ % OUT_SIZE] = '\r';
		}
		s->ring[s->head++ % OUT_SIZE] = c;
		done++;
	}
	spin_unlock_irqrestore(&s->out_lock, flags);
	return done;
}

/*
 * A command's output. When the ring is full the writer helps send it
 * (net_poll) and waits up to 5 s for the client to read; then what is
 * left is dropped and counted (a client that stopped reading must not stop
 * a command that holds the hotplug lock).
 */
static void session_write(struct shell_output *out, const char *p, size_t n)
{
	struct session *s = (struct session *)out;
	uint64_t deadline = 0;

	while (n) {
		size_t k = READ_ONCE(s->gone) ? n : ring_put(s, p, n);

		p += k;
		n -= k;
		if (!n)
			break;
		if (!deadline)
			deadline = ktime_get_ns() + 5000000000ull;
		if (ktime_get_ns() > deadline) {
			s->dropped += n;
			return;
		}
		net_poll();
		cpu_relax();
	}
}

static void say(struct session *s, const char *str)
{
	ring_put(s, str, strlen(str));
}

/* Under net_lock: send what the ring holds, as far as lwIP takes it. */
static void session_pump(struct session *s)
{
	bool sent = false;

	if (!s->pcb)
		return;
	for (;;) {
		size_t tail = s->tail, head = READ_ONCE(s->head), n = head - tail, off = tail % OUT_SIZE;
		u16_t room = tcp_sndbuf(s->pcb);

		if (!n || !room || tcp_sndqueuelen(s->pcb) >= TCP_SND_QUEUELEN - 1)
			break;
		if (n > OUT_SIZE - off)
			n = OUT_SIZE - off;
		if (n > room)
			n = room;
		if (tcp_write(s->pcb, s->ring + off, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		__atomic_store_n(&s->tail, tail + n, __ATOMIC_RELEASE);
		sent = true;
	}
	if (sent)
		tcp_output(s->pcb);
	if (s->closing && !s->busy && s->tail == READ_ONCE(s->head)) {
		struct tcp_pcb *pcb = s->pcb;

		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_sent(pcb, NULL);
		tcp_err(pcb, NULL);
		tcp_poll(pcb, NULL, 0);
		s->pcb = NULL;
		s->gone = true;
		if (tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
}

static void session_free(struct session *s)
{
	struct session **pp;

	for (pp = &sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	stats.conns--;
	if (s->rxq)
		pbuf_free(s->rxq);
	free(s->ring);
	free(s);
}

static void session_input(struct session *s);

/* ---- commands ---- */
static void session_run(struct net_request *req)
{
	struct session *s = container_of(req, struct session, req);
	struct shell_output *old = shell_set_output(&s->out);

	shell_exec(s->cmd);
	shell_set_output(old);
}

static void session_done(struct net_request *req)
{
	struct session *s = container_of(req, struct session, req);

	s->busy = false;
	if (s->gone)
		return;		/* the next poll frees it */
	if (s->dropped) {
		char msg[80];

		snprintf(msg, sizeof(msg), "(%lu bytes of output dropped: the client did not read)\n", s->dropped);
		say(s, msg);
		s->dropped = 0;
	}
	if (!s->closing)
		say(s, PROMPT);
	session_input(s);	/* what was typed meanwhile */
	session_pump(s);
}

static void session_line(struct session *s)
{
	char first[32];
	const char *token = net_token();
	size_t i = 0;

	s->line[s->len] = '\0';
	while (s->line[i] == ' ' || s->line[i] == '\t')
		i++;
	sscanf(s->line + i, "%31s", first);
	if (!s->line[i]) {
		say(s, PROMPT);
		return;
	}
	if (!s->hist_count || strcmp(s->history[(s->hist_count - 1) % HISTORY], s->line))
		strcpy(s->history[s->hist_count++ % HISTORY], s->line);
	if (!strcmp(first, "exit") || !strcmp(first, "quit")) {
		s->closing = true;
		return;
	}
	if (!strcmp(first, "auth")) {
		char given[HTTP_MAX_TOKEN] = "";

		sscanf(s->line + i + 4, "%127s", given);
		if (!token) {
			say(s, "auth: the kernel has no net_token=: this session stays read-only\n" PROMPT);
			net_log_refused("tcp-shell", &s->peer, "auth", "no net_token= configured");
		} else if (!http_token_equal(given, token)) {
			say(s, "auth: wrong token\n" PROMPT);
			net_log_refused("tcp-shell", &s->peer, "auth", "wrong token");
			stats.errors++;
		} else {
			s->authed = true;
			say(s, "auth: this session may change the machine now\n" PROMPT);
		}
		return;
	}
	if (!s->authed && !net_command_is_readonly(s->line + i)) {
		say(s, token ? "refused: this command changes the machine; `auth TOKEN` first\n" PROMPT
			     : "refused: this command changes the machine, and without net_token= on the kernel "
			       "command line nothing may over the network\n" PROMPT);
		net_log_refused("tcp-shell", &s->peer, first, token ? "not authenticated" : "no net_token= configured");
		return;
	}
	strcpy(s->cmd, s->line + i);
	s->busy = true;
	stats.requests++;
	s->req.run = session_run;
	s->req.done = session_done;
	net_request_queue(&s->req);
}

static void redraw(struct session *s, size_t old_len)
{
	say(s, "\r" PROMPT);
	ring_put(s, s->line, s->len);
	for (size_t i = s->len; i < old_len; i++)
		say(s, " ");
	for (size_t i = s->len; i < old_len; i++)
		say(s, "\b");
}

/* One input byte; false when the line is complete and went to run (stop reading). */
static bool session_key(struct session *s, unsigned char c)
{
	if (c != '\n')
		s->last_cr = false;
	if (s->iac) {		/* telnet command: IAC x [opt], or IAC SB ... IAC SE */
		if (s->iac == 1)
			s->iac = c == 250 ? 3 : (c >= 251 && c <= 254) ? 2 : 0;
		else if (s->iac == 2)
			s->iac = 0;
		else if (s->iac == 3 && c == IAC)
			s->iac = 4;
		else if (s->iac == 4)
			s->iac = c == 240 ? 0 : 3;
		return true;
	}
	if (c == IAC) {
		s->iac = 1;
		return true;
	}
	if (s->esc == 1) {
		s->esc = c == '[' ? 2 : 0;
		return true;
	}
	if (s->esc == 2) {
		size_t old = s->len;

		s->esc = 0;
		if (c == 'A' && s->hist_pos > 0 && s->hist_count - s->hist_pos < HISTORY)
			s->hist_pos--;
		else if (c == 'B' && s->hist_pos < s->hist_count)
			s->hist_pos++;
		else
			return true;
		if (s->hist_pos == s->hist_count)
			s->line[0] = '\0';
		else
			strcpy(s->line, s->history[s->hist_pos % HISTORY]);
		s->len = strlen(s->line);
		redraw(s, old);
		return true;
	}
	switch (c) {
	case 0x1b:
		s->esc = 1;
		break;
	case '\0':		/* telnet sends CR NUL or CR LF for Enter */
		break;
	case '\r':
	case '\n':
		if (c == '\n' && s->last_cr) {
			s->last_cr = false;
			break;
		}
		s->last_cr = c == '\r';
		say(s, "\n");
		session_line(s);
		s->len = 0;
		s->line[0] = '\0';
		s->hist_pos = s->hist_count;
		return !s->busy && !s->closing;
	case 0x7f:
	case '\b':
		if (s->len) {
			s->line[--s->len] = '\0';
			say(s, "\b \b");
		}
		break;
	case 0x15:		/* Ctrl-U */
		{
			size_t old = s->len;

			s->len = 0;
			s->line[0] = '\0';
			redraw(s, old);
		}
		break;
	case 0x03:		/* Ctrl-C */
		say(s, "^C\n" PROMPT);
		s->len = 0;
		s->line[0] = '\0';
		break;
	case 0x04:		/* Ctrl-D on an empty line: leave */
		if (!s->len)
			s->closing = true;
		break;
	default:
		if (c >= ' ' && c < 0x7f && s->len < SESSION_LINE_MAX - 1) {
			s->line[s->len++] = (char)c;
			s->line[s->len] = '\0';
			ring_put(s, (const char *)&c, 1);
		}
	}
	return !s->closing;
}

/* ---- input (under net_lock) ---- */

/* Feed queued input to the line editor until a command starts or it runs out. */
static void session_input(struct session *s)
{
	u16_t used = 0;

	if (!s->rxq)
		return;
	while (used < s->rxq->tot_len && !s->busy && !s->closing)
		session_key(s, pbuf_get_at(s->rxq, used++));
	if (s->pcb)
		tcp_recved(s->pcb, used);	/* unread input keeps the window closed: backpressure */
	if (used == s->rxq->tot_len) {
		pbuf_free(s->rxq);
		s->rxq = NULL;
	} else {
		s->rxq = pbuf_free_header(s->rxq, used);
	}
}

/* ---- lwIP callbacks (under net_lock) ---- */
static err_t shell_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct session *s = arg;

	if (!p) {		/* the client closed its side */
		s->closing = true;
		session_pump(s);
		return ERR_OK;
	}
	if (s->rxq)
		pbuf_cat(s->rxq, p);
	else
		s->rxq = p;
	session_input(s);
	session_pump(s);
	return ERR_OK;
}

static err_t shell_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	session_pump(arg);
	return ERR_OK;
}

static void shell_err(void *arg, err_t err)
{
	struct session *s = arg;

	s->pcb = NULL;	/* lwIP freed it; the next poll frees the session */
	s->gone = true;
}

static err_t shell_poll_cb(void *arg, struct tcp_pcb *pcb)
{
	session_pump(arg);
	return ERR_OK;
}

static err_t shell_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	static const char hello[] = { (char)IAC, (char)251, 1, (char)IAC, (char)251, 3 };	/* WILL ECHO, WILL SGA */
	struct session *s = NULL;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	if (stats.conns >= TCP_SHELL_MAX_SESSIONS || !(s = calloc(1, sizeof(*s))) ||
	    !(s->ring = malloc(OUT_SIZE))) {
		static const char busy[] = "hotmm: too many shell sessions, try later\r\n";

		if (s)
			free(s);
		stats.refused++;
		tcp_write(pcb, busy, sizeof(busy) - 1, 0);
		tcp_output(pcb);
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	s->out.write = session_write;
	spin_lock_init(&s->out_lock);
	s->pcb = pcb;
	ip_addr_copy(s->peer, pcb->remote_ip);
	s->peer_port = pcb->remote_port;
	s->next = sessions;
	sessions = s;
	stats.conns++;
	stats.accepted++;
	tcp_arg(pcb, s);
	tcp_recv(pcb, shell_recv);
	tcp_sent(pcb, shell_sent);
	tcp_err(pcb, shell_err);
	tcp_poll(pcb, shell_poll_cb, 2);
	tcp_nagle_disable(pcb);
	ring_put(s, hello, sizeof(hello));
	say(s, net_token() ? "hotmm shell over TCP: read-only until `auth TOKEN`; `exit` leaves.\n" PROMPT
			   : "hotmm shell over TCP: read-only (no net_token=); `exit` leaves.\n" PROMPT);
	session_pump(s);
	return ERR_OK;
}

void tcp_shell_poll(void)
{
	struct session *s, *next;

	for (s = sessions; s; s = next) {
		next = s->next;
		if (!s->gone && (READ_ONCE(s->head) != s->tail || s->closing))
			session_pump(s);
		if (s->gone && !s->busy)
			session_free(s);
	}
}

void tcp_shell_init(void)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4), *lpcb;

	if (!pcb || tcp_bind(pcb, IP_ADDR_ANY, TCP_SHELL_PORT) != ERR_OK) {
		pr_err("net: tcp shell: cannot bind port %d\n", TCP_SHELL_PORT);
		if (pcb)
			tcp_close(pcb);
		return;
	}
	lpcb = tcp_listen_with_backlog(pcb, TCP_SHELL_MAX_SESSIONS);
	if (!lpcb) {
		pr_err("net: tcp shell: cannot listen on port %d (lwIP out of memory)\n", TCP_SHELL_PORT);
		tcp_close(pcb);
		return;
	}
	tcp_accept(lpcb, shell_accept);
}
