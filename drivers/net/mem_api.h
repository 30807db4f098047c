/* SPDX-License-Identifier: MIT */
/*
 * DOC: mem_api.h - the memory state as JSON and as Prometheus metrics
 *
 * What the HTTP service answers on /api/meminfo, /api/zoneinfo,
 * /api/blocks, /api/events, /api/history and /metrics. The builders read
 * the same counters the shell's meminfo, zoneinfo and memory commands
 * print (never a bookkeeping of their own) and may wait for the hotplug
 * lock: they run as net_requests, outside net_lock. Each returns 0 with
 * the body in sb, or -errno.
 */
#ifndef HOTMM_DRIVERS_NET_MEM_API_H
#define HOTMM_DRIVERS_NET_MEM_API_H

#include "lib/strbuf.h"

/* Register for memory events (kept walks are dropped on each); process context, no net_lock. */
int mem_api_init(void);
int mem_api_meminfo(struct strbuf *sb);
int mem_api_zoneinfo(struct strbuf *sb);
int mem_api_blocks(struct strbuf *sb);
int mem_api_events(struct strbuf *sb);
int mem_api_metrics(struct strbuf *sb);
/* Free pages per zone, one sample every 2 s for the last 10 minutes. */
int mem_api_history(struct strbuf *sb);
/* Take a sample (from an lwIP timeout, under net_lock: reads counters only). */
void mem_api_sample(void);

#endif
