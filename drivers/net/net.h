/* SPDX-License-Identifier: MIT */
/*
 * DOC: net.h - the kernel on the network: lwIP, its NICs, its services
 *
 * lwIP runs with NO_SYS=1 (lib/lwip/): one lock, net_lock, covers every
 * call into it. Nobody waits for the lock: whichever CPU is idle polls
 * (net_poll() from the serial shell's idle loop and the APs' idle loop,
 * with a trylock), so the network is served while any CPU is idle, and a
 * CPU busy in a long command never blocks it. A NIC's interrupt only wakes
 * a CPU out of hlt (MSI-X); a 100 Hz timer on the boot CPU drives lwIP's
 * timeouts (TCP retransmits, DHCP) while a NIC exists.
 *
 * Work that may wait - a shell command, a JSON answer that needs the
 * hotplug lock - never runs under net_lock: the service queues a struct
 * net_request, an idle CPU runs it outside the lock (net_exec_do_work()),
 * and the service's done() is called under net_lock by the next poll, which
 * sends the answer. Limits (connections, sessions) live with each service.
 *
 * This header is what idle loops need; drivers and services include
 * drivers/net/netdev.h (lwIP's types).
 */
#ifndef HOTMM_DRIVERS_NET_NET_H
#define HOTMM_DRIVERS_NET_NET_H

#include "lib/compiler.h"

/* ---- for idle loops (any CPU, process context, interrupts on) ---- */
void net_poll(void);
/* Run one queued request, if any. True if one ran. */
bool net_exec_do_work(void);
/* A request waits for a CPU, or a poll is due: idle loops ask before hlt. */
bool net_work_pending(void);

#endif
