/* SPDX-License-Identifier: MIT */
/*
 * DOC: netdev.h - NIC drivers and network services on lwIP (see net.h)
 */
#ifndef HOTMM_DRIVERS_NET_NETDEV_H
#define HOTMM_DRIVERS_NET_NETDEV_H

#include "drivers/net/net.h"
#include "lwip/netif.h"

/* ---- for NIC drivers ---- */
struct net_device {
	struct netif netif;
	const char *name;			/* "virtio-net0" */
	err_t (*init)(struct netif *netif);	/* netif_add's init: hwaddr, mtu, linkoutput */
	/* Under net_lock: pass received frames to netif->input, reclaim sent buffers, check the link. */
	void (*poll)(struct net_device *dev);
	/* Counters the driver keeps (the `net` command and /metrics show them). */
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t interrupts;
	struct net_device *next;
};

/*
 * Add a NIC: netif_add with the address from `ip=` (DHCP by default), make
 * it the default route, bring it up. Returns 0 or -errno after saying why.
 */
int net_register_device(struct net_device *dev);
/* Call from a driver's poll when the link changes. */
void net_set_link(struct net_device *dev, bool up);

/* ---- for services (under net_lock unless said otherwise) ---- */
struct net_request;
typedef void (*net_request_fn)(struct net_request *req);
struct net_request {
	net_request_fn run;	/* outside net_lock, on an idle CPU; may wait */
	net_request_fn done;	/* under net_lock, after run returned */
	struct net_request *next;
	uint64_t queued_ns;
};
/* Queue req (under net_lock). It must stay alive until done() ran. */
void net_request_queue(struct net_request *req);

/* Held by net_poll(); services called from lwIP's callbacks already hold it. */
void net_lock(void);
void net_unlock(void);
bool net_locked_by_me(void);

/* The first NIC (NULL without one), for the `net` command, /metrics and the page. */
struct net_device *net_first_device(void);
/* The token from `net_token=`, NULL when none was given (no mutation over the network). */
const char *net_token(void);
/* Log a refused mutation: service, peer, what was asked. */
void net_log_refused(const char *service, const ip_addr_t *peer, const char *what, const char *why);

/* Requests queued, and run but whose done() has not run yet (for `net`). */
void net_request_counts(unsigned long *queued, unsigned long *finished, unsigned long *total);

#endif
