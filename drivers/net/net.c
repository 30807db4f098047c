/* SPDX-License-Identifier: MIT */
/*
 * DOC: net.c - lwIP's lock and poll, NIC registration, the interface address
 *
 * Owns net_lock (see net.h), the list of NICs, and how the first NIC gets
 * its address: `ip=ADDR/PREFIX,GW` sets it statically, anything else (or
 * nothing) asks DHCP. The address arriving is a report event (`net_up`),
 * so tests and users see it without polling. The services (HTTP, the TCP
 * shell) start with the first NIC.
 *
 * Invariants: lwIP is only entered with net_lock held; net_lock is never
 * waited for by a poller (trylock), only by process context that needs a
 * consistent copy of lwIP's state (`net`, /metrics) and holds it briefly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "drivers/net/netdev.h"
#include "drivers/net/net_services.h"
#include "drivers/net/mem_api.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "lwip/init.h"
#include "lwip/timeouts.h"
#include "lwip/dhcp.h"
#include "lwip/ip4_addr.h"
#include "netif/ethernet.h"

static DEFINE_SPINLOCK(net_lock_);
static int net_lock_owner = -1;
static struct net_device *devices;
static bool lwip_ready;

void net_lock(void)
{
	spin_lock(&net_lock_);
	net_lock_owner = (int)smp_processor_id();
}

static bool net_trylock(void)
{
	if (!spin_trylock(&net_lock_))
		return false;
	net_lock_owner = (int)smp_processor_id();
	return true;
}

void net_unlock(void)
{
	net_lock_owner = -1;
	spin_unlock(&net_lock_);
}

bool net_locked_by_me(void)
{
	return READ_ONCE(net_lock_owner) == (int)smp_processor_id();
}

struct net_device *net_first_device(void)
{
	return READ_ONCE(devices);
}

void net_request_run_done(void);	/* net_request.c */

void net_poll(void)
{
	struct net_device *dev;

	if (!READ_ONCE(lwip_ready) || net_locked_by_me() || !net_trylock())
		return;
	for (dev = devices; dev; dev = dev->next)
		dev->poll(dev);
	sys_check_timeouts();
	net_request_run_done();
	net_services_poll();
	net_unlock();
}

/* ---- ip= : static address, else DHCP ---- */
struct ip_config {
	ip4_addr_t addr, mask, gw;
};

/* "ADDR/PREFIX,GW" -> cfg; NULL if it is one, else what is wrong. */
static const char *parse_ip(const char *v, struct ip_config *cfg)
{
	char buf[64], *slash, *comma;
	uint64_t prefix;

	if (strlen(v) >= sizeof(buf))
		return "too long";
	strcpy(buf, v);
	slash = strchr(buf, '/');
	comma = strchr(buf, ',');
	if (!slash || !comma || comma < slash)
		return "expected ADDR/PREFIX,GW (ip=10.0.2.15/24,10.0.2.2) or ip=dhcp";
	*slash = *comma = '\0';
	if (!ip4addr_aton(buf, &cfg->addr))
		return "ADDR is not an IPv4 address";
	if (!parse_u64_range(slash + 1, 1, 32, &prefix))
		return "PREFIX is not a number 1..32";
	if (!ip4addr_aton(comma + 1, &cfg->gw))
		return "GW is not an IPv4 address";
	ip4_addr_set_u32(&cfg->mask, PP_HTONL(prefix == 32 ? 0xffffffffu : ~(0xffffffffu >> prefix)));
	return NULL;
}

static const char *check_ip(const char *v)
{
	struct ip_config cfg;
	const char *why;

	if (!strcmp(v, "dhcp"))
		return NULL;
	why = parse_ip(v, &cfg);
	if (!why)
		return NULL;
	return "dhcp, or ADDR/PREFIX,GW with an IPv4 address, a prefix 1..32 and an IPv4 gateway "
	       "(ip=10.0.2.15/24,10.0.2.2)";
}
CMDLINE_OPTION_CHECKED(ip, "dhcp|ADDR/PREFIX,GW", "address of the first NIC (default dhcp)", check_ip);

/* ---- net_token= ---- */
static const char *check_token(const char *v)
{
	size_t n = strlen(v);

	if (n < 8 || n > 127)
		return "8..127 characters (letters, digits, punctuation; no spaces)";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 0x7f)
			return "8..127 characters (letters, digits, punctuation; no spaces)";
	return NULL;
}
CMDLINE_OPTION_CHECKED(net_token, "TOKEN",
		       "secret that network clients must send to change anything (none: the network is read-only)",
		       check_token);

const char *net_token(void)
{
	const char *t = cmdline_get("net_token");

	return t && *t ? t : NULL;
}

void net_log_refused(const char *service, const ip_addr_t *peer, const char *what, const char *why)
{
	char a[IP4ADDR_STRLEN_MAX];

	ip4addr_ntoa_r(ip_2_ip4(peer), a, sizeof(a));
	pr_warn("net: %s: refused '%s' from %s: %s\n", service, what, a, why);
}

/* ---- NICs ---- */
static void net_status_changed(struct netif *netif)
{
	struct net_device *dev = netif->state;
	char a[IP4ADDR_STRLEN_MAX], m[IP4ADDR_STRLEN_MAX], g[IP4ADDR_STRLEN_MAX];

	if (ip4_addr_isany_val(*netif_ip4_addr(netif)))
		return;
	ip4addr_ntoa_r(netif_ip4_addr(netif), a, sizeof(a));
	ip4addr_ntoa_r(netif_ip4_netmask(netif), m, sizeof(m));
	ip4addr_ntoa_r(netif_ip4_gw(netif), g, sizeof(g));
	report("net_up", "\"dev\":\"%s\",\"ip\":\"%s\",\"netmask\":\"%s\",\"gw\":\"%s\",\"dhcp\":%s",
	       dev->name, a, m, g, dhcp_supplied_address(netif) ? "true" : "false");
}

void net_set_link(struct net_device *dev, bool up)
{
	if (up == !!netif_is_link_up(&dev->netif))
		return;
	if (up)
		netif_set_link_up(&dev->netif);
	else
		netif_set_link_down(&dev->netif);
	pr_notice("net: %s link %s\n", dev->name, up ? "up" : "down");
}

int net_register_device(struct net_device *dev)
{
	struct ip_config cfg = { 0 };
	const char *ip = cmdline_get("ip");
	bool dhcp = !ip || !strcmp(ip, "dhcp");
	bool first;

	if (!READ_ONCE(lwip_ready)) {
		lwip_init();
		WRITE_ONCE(lwip_ready, true);
	}
	if (!dhcp && parse_ip(ip, &cfg))
		dhcp = true;	/* cmdline_init refused it already, saying why */
	net_lock();
	if (!netif_add(&dev->netif, &cfg.addr, &cfg.mask, &cfg.gw, dev, dev->init, ethernet_input)) {
		net_unlock();
		pr_err("net: %s: lwIP refused the interface (netif_add)\n", dev->name);
		return -EINVAL;
	}
	first = !devices;
	dev->next = devices;
	devices = dev;
	netif_set_status_callback(&dev->netif, net_status_changed);
	if (first) {
		netif_set_default(&dev->netif);
		netif_set_up(&dev->netif);
		if (dhcp && dhcp_start(&dev->netif) != ERR_OK)
			pr_err("net: %s: DHCP did not start (lwIP out of memory)\n", dev->name);
		net_services_start();
	}
	net_unlock();
	if (first && mem_api_init())
		pr_err("net: %s: no memory events for the HTTP answers: they may lag a hotplug by 500 ms\n",
		       dev->name);
	/* lwIP's timeouts (TCP retransmits, DHCP) need a CPU awake now and then. */
	lapic_timer_set_hz(100);
	return 0;
}
