/* SPDX-License-Identifier: MIT */
/*
 * DOC: net_shell.c - the `net` command: interfaces, services and lwIP's memory
 *
 * Like ifconfig: per NIC its address, MAC, link and packet counters; then
 * the services' connections and lwIP's heap and pools (used, most ever
 * used, size, failed allocations), which is where a leak or a flood shows.
 * Everything is copied under net_lock and printed after it (the output may
 * go to a slow network session that itself needs the lock to drain).
 */
#include <stdio.h>
#include <string.h>
#include "drivers/net/netdev.h"
#include "drivers/net/net_services.h"
#include "kernel/shell.h"
#include "lwip/stats.h"
#include "lwip/memp.h"
#include "lwip/dhcp.h"
#include "lwip/ip4_addr.h"

struct pool_copy {
	char name[24];
	unsigned long used, max, avail, err;
};

struct dev_copy {
	char name[24], ip[16], mask[16], gw[16];
	u8_t mac[6];
	bool link, up, dhcp;
	struct net_device counters;
};

static int cmd_net(int argc, char **argv)
{
	static struct pool_copy pools[MEMP_MAX + 1];
	struct dev_copy d[4];
	struct net_service_stats hs, ss;
	unsigned long queued, finished, total;
	unsigned int nd = 0, np = 0;
	static const char *const proto_names[] = { "link", "etharp", "ip", "tcp", "udp" };
	struct stats_proto protos[5];
	struct net_device *dev;

	if (!net_first_device()) {
		shell_printf("net: no network device (QEMU: -device virtio-net-pci,netdev=n0 -netdev user,id=n0)\n");
		return 0;
	}
	net_lock();
	for (dev = net_first_device(); dev && nd < ARRAY_SIZE(d); dev = dev->next, nd++) {
		struct netif *nif = &dev->netif;

		snprintf(d[nd].name, sizeof(d[nd].name), "%s", dev->name);
		ip4addr_ntoa_r(netif_ip4_addr(nif), d[nd].ip, sizeof(d[nd].ip));
		ip4addr_ntoa_r(netif_ip4_netmask(nif), d[nd].mask, sizeof(d[nd].mask));
		ip4addr_ntoa_r(netif_ip4_gw(nif), d[nd].gw, sizeof(d[nd].gw));
		memcpy(d[nd].mac, nif->hwaddr, 6);
		d[nd].link = netif_is_link_up(nif);
		d[nd].up = netif_is_up(nif);
		d[nd].dhcp = netif_dhcp_data(nif) != NULL;
		d[nd].counters = *dev;
	}
	snprintf(pools[np].name, sizeof(pools[np].name), "heap");
	pools[np].used = lwip_stats.mem.used;
	pools[np].max = lwip_stats.mem.max;
	pools[np].avail = lwip_stats.mem.avail;
	pools[np++].err = lwip_stats.mem.err;
	for (int i = 0; i < MEMP_MAX; i++, np++) {
		const struct stats_mem *m = lwip_stats.memp[i];

		snprintf(pools[np].name, sizeof(pools[np].name), "%s", m->name ? m->name : "?");
		pools[np].used = m->used;
		pools[np].max = m->max;
		pools[np].avail = m->avail;
		pools[np].err = m->err;
	}
	httpd_stats(&hs);
	tcp_shell_stats(&ss);
	protos[0] = lwip_stats.link;
	protos[1] = lwip_stats.etharp;
	protos[2] = lwip_stats.ip;
	protos[3] = lwip_stats.tcp;
	protos[4] = lwip_stats.udp;
	net_unlock();
	net_request_counts(&queued, &finished, &total);

	for (unsigned int i = 0; i < nd; i++) {
		const struct net_device *c = &d[i].counters;

		shell_printf("%s: %s, link %s\n", d[i].name, d[i].up ? "up" : "down", d[i].link ? "up" : "down");
		shell_printf("    inet %s netmask %s gateway %s (%s)\n", d[i].ip, d[i].mask, d[i].gw,
			     d[i].dhcp ? "DHCP" : "static");
		shell_printf("    ether %02x:%02x:%02x:%02x:%02x:%02x\n", d[i].mac[0], d[i].mac[1], d[i].mac[2],
			     d[i].mac[3], d[i].mac[4], d[i].mac[5]);
		shell_printf("    RX packets %llu bytes %llu errors %llu dropped %llu\n",
			     (unsigned long long)c->rx_packets, (unsigned long long)c->rx_bytes,
			     (unsigned long long)c->rx_errors, (unsigned long long)c->rx_dropped);
		shell_printf("    TX packets %llu bytes %llu errors %llu dropped %llu\n",
			     (unsigned long long)c->tx_packets, (unsigned long long)c->tx_bytes,
			     (unsigned long long)c->tx_errors, (unsigned long long)c->tx_dropped);
		shell_printf("    interrupts %llu\n", (unsigned long long)c->interrupts);
	}
	shell_printf("services: http :%d %u/%u connections, %lu accepted, %lu refused, %lu requests, %lu errors\n",
		     HTTP_PORT, hs.conns, hs.max_conns, hs.accepted, hs.refused, hs.requests, hs.errors);
	shell_printf("          shell :%d %u/%u sessions, %lu accepted, %lu refused, %lu commands\n",
		     TCP_SHELL_PORT, ss.conns, ss.max_conns, ss.accepted, ss.refused, ss.requests);
	shell_printf("          requests: %lu queued, %lu finished, %lu since boot; mutations %s\n", queued, finished,
		     total, net_token() ? "need the net_token" : "refused (no net_token=)");
	shell_printf("lwIP %-9s %9s %9s %7s %7s %7s %7s %7s %7s\n", "protocol", "xmit", "recv", "drop",
		     "chkerr", "lenerr", "memerr", "proterr", "err");
	for (unsigned int i = 0; i < ARRAY_SIZE(protos); i++)
		shell_printf("  %-14s %9u %9u %7u %7u %7u %7u %7u %7u\n", proto_names[i], protos[i].xmit,
			     protos[i].recv, protos[i].drop, protos[i].chkerr, protos[i].lenerr, protos[i].memerr,
			     protos[i].proterr, protos[i].err);
	shell_printf("lwIP memory     %10s %10s %10s %8s\n", "used", "max", "size", "failed");
	for (unsigned int i = 0; i < np; i++)
		shell_printf("  %-14s %10lu %10lu %10lu %8lu\n", pools[i].name, pools[i].used, pools[i].max,
			     pools[i].avail, pools[i].err);
	return 0;
}
SHELL_COMMAND(net, cmd_net, "", "network: address, MAC, packets, errors, services, lwIP pool use");
