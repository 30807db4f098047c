/* SPDX-License-Identifier: MIT */
/*
 * DOC: lwipopts.h - how the kernel configures lwIP
 *
 * NO_SYS=1: lwIP's raw API only, no threads. Every call into lwIP happens
 * under net_lock (drivers/net/net.c), from process context on whichever CPU
 * polls the network (the idle loops); interrupt handlers never enter lwIP,
 * so lwIP needs no protection of its own (SYS_LIGHTWEIGHT_PROT=0).
 *
 * Memory is lwIP's own: the heap (MEM_SIZE) and fixed pools (MEMP_*), all
 * static, so a flood of clients runs out of lwIP pools, never out of
 * kernel memory, and `net` can show every pool's use next to its size.
 * The pool sizes carry the services' limits (drivers/net/net_services.h): 128 TCP
 * connections: 80 HTTP and 8 shell sessions, plus room for TIME_WAIT.
 */
#ifndef HOTMM_LWIPOPTS_H
#define HOTMM_LWIPOPTS_H

#define NO_SYS				1
#define SYS_LIGHTWEIGHT_PROT		0
#define LWIP_SOCKET			0
#define LWIP_NETCONN			0
#define LWIP_IPV4			1
#define LWIP_IPV6			0
#define LWIP_ARP			1
#define LWIP_ETHERNET			1
#define LWIP_ICMP			1
#define LWIP_RAW			0
#define LWIP_UDP			1
#define LWIP_TCP			1
#define LWIP_DHCP			1
#define LWIP_DHCP_DOES_ACD_CHECK	0
#define DHCP_DOES_ARP_CHECK		0
#define LWIP_AUTOIP			0
#define LWIP_DNS			0
#define LWIP_IGMP			0
#define LWIP_NETIF_STATUS_CALLBACK	1
#define LWIP_NETIF_LINK_CALLBACK	1
#define LWIP_NETIF_HOSTNAME		1
#define LWIP_NETIF_LOOPBACK		0
#define LWIP_HAVE_LOOPIF		0
#define IP_REASSEMBLY			0
#define IP_FRAG				0

/* Memory: lwIP's own heap and pools, static. */
#define MEM_ALIGNMENT			8
#define MEM_SIZE			(2 * 1024 * 1024)
#define MEMP_NUM_PBUF			256
#define MEMP_NUM_UDP_PCB		4
#define MEMP_NUM_TCP_PCB		128
#define MEMP_NUM_TCP_PCB_LISTEN		4
#define MEMP_NUM_TCP_SEG		1024
#define MEMP_NUM_SYS_TIMEOUT		(LWIP_NUM_SYS_TIMEOUT_INTERNAL + 2)
#define MEMP_NUM_ARP_QUEUE		32
#define PBUF_POOL_SIZE			512
#define PBUF_POOL_BUFSIZE		1536

/* TCP: windows for a LAN through QEMU's user network. */
#define TCP_MSS				1460
#define TCP_WND				(16 * TCP_MSS)
#define TCP_SND_BUF			(32 * TCP_MSS)
#define TCP_SND_QUEUELEN		(4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ			1
#define TCP_LISTEN_BACKLOG		1
#define TCP_DEFAULT_LISTEN_BACKLOG	16
#define LWIP_TCP_KEEPALIVE		1
/*
 * TIME_WAIT lasts 2 * TCP_MSL. lwIP's 60 s keeps a closed connection's pcb
 * two minutes; clients of a kernel on a LAN (or QEMU's user network) are
 * better served by having the pool back: 2 s.
 */
#define TCP_MSL				1000UL
#define LWIP_CALLBACK_API		1

#define LWIP_CHKSUM_ALGORITHM		3
#define LWIP_STATS			1
#define LWIP_STATS_DISPLAY		1	/* keeps the pools' names for `net` */
#define MEM_STATS			1
#define MEMP_STATS			1
#define LINK_STATS			1
#define IP_STATS			1
#define TCP_STATS			1
#define UDP_STATS			1
#define ICMP_STATS			1
#define SYS_STATS			0
#define ETHARP_STATS			1
#define LWIP_DEBUG			0
#define LWIP_NOASSERT			0
#define LWIP_PROVIDE_ERRNO		0
#define LWIP_ERRNO_STDINCLUDE		1

#endif
