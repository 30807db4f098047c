/* SPDX-License-Identifier: MIT */
/*
 * DOC: net_services.h - the services the kernel offers on the network
 *
 * httpd.c (port 80: the live memory page, JSON, /metrics) and
 * tcp_shell.c (port 2323: the shell). Both start with the first NIC and
 * are polled under net_lock on every net_poll(). Each keeps its own limits
 * and counts its connections for `net`.
 */
#ifndef HOTMM_DRIVERS_NET_NET_SERVICES_H
#define HOTMM_DRIVERS_NET_NET_SERVICES_H

#include "lib/compiler.h"

#define HTTP_PORT		80
#define HTTP_MAX_CONNS		80	/* more get a 503 at accept */
#define HTTP_IDLE_TIMEOUT_S	10	/* a connection silent this long is closed */
#define HTTP_RATE_PER_S		2000	/* default net_rate=: requests per second from one address */
#define TCP_SHELL_PORT		2323
#define TCP_SHELL_MAX_SESSIONS	8

struct net_service_stats {
	unsigned int conns, max_conns;
	unsigned long accepted, refused, requests, errors;
};

void net_services_start(void);	/* under net_lock */
void net_services_poll(void);	/* under net_lock */
void httpd_init(void);
void httpd_stats(struct net_service_stats *s);
void httpd_poll(void);
void tcp_shell_init(void);
void tcp_shell_poll(void);
void tcp_shell_stats(struct net_service_stats *s);

/* Is this command line read-only (allowed over the network without the token)? */
bool net_command_is_readonly(const char *line);

#endif
