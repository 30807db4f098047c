/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_net.c - virtio network device (QEMU -device virtio-net-pci) for lwIP
 *
 * One receive and one transmit queue (virtio 1.2, 5.1), features MAC and
 * STATUS only: no offloads and no merged receive buffers, so every frame
 * is one buffer of the 12-byte virtio_net_hdr plus at most 1514 bytes.
 * Buffers are kmalloc'd (physically contiguous, as the queue requires) and
 * recycled: receive buffers are posted again after their frame is copied
 * into a pbuf, transmit buffers go back to a free list once the device
 * returns them.
 *
 * Every queue operation happens under net_lock: linkoutput is called by
 * lwIP, poll by net_poll(). The queues' MSI-X interrupts only wake an idle
 * CPU (their callbacks, run from the work queue, just poll the network);
 * a change of the link status (config interrupt) is picked up by the next
 * poll. Frames the device hands back malformed (shorter than a header plus
 * an Ethernet header) are counted as receive errors and dropped.
 *
 * Hot-unplug of the NIC is not handled (no remove): the device stays
 * bound until the machine stops.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "drivers/net/netdev.h"
#include "drivers/virtio/virtio.h"
#include "drivers/pci/pci.h"
#include "kernel/printk.h"
#include "mm/slab.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "netif/ethernet.h"

#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_S_LINK_UP	1
#define VNET_HDR_LEN		12	/* struct virtio_net_hdr with num_buffers (VERSION_1) */
#define VNET_BUF_SIZE		2048	/* header + 1514-byte frame, a kmalloc power of two */
#define VNET_MAX_BUFS		256	/* per queue */
#define VNET_RX_BUDGET		64	/* frames per poll, so one poll never runs long */

struct vnet {
	struct net_device dev;
	struct virtio_device *vdev;
	struct virtqueue *rxq, *txq;
	void *tx_free[VNET_MAX_BUFS];
	unsigned int nr_tx_free, nr_tx, nr_rx;
	bool config_changed;
	char name[24];
};

static unsigned int vnet_count;

static void vnet_reclaim_tx(struct vnet *vn)
{
	void *buf;
	unsigned int len;

	while ((buf = virtqueue_get_buf(vn->txq, &len)))
		vn->tx_free[vn->nr_tx_free++] = buf;
}

static err_t vnet_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct vnet *vn = container_of((struct net_device *)netif->state, struct vnet, dev);
	struct scatterlist sg;
	uint8_t *buf;

	if (p->tot_len > VNET_BUF_SIZE - VNET_HDR_LEN) {
		vn->dev.tx_errors++;
		LINK_STATS_INC(link.lenerr);
		return ERR_IF;
	}
	if (!vn->nr_tx_free)
		vnet_reclaim_tx(vn);
	if (!vn->nr_tx_free) {
		vn->dev.tx_dropped++;
		LINK_STATS_INC(link.drop);
		return ERR_MEM;
	}
	buf = vn->tx_free[--vn->nr_tx_free];
	memset(buf, 0, VNET_HDR_LEN);
	pbuf_copy_partial(p, buf + VNET_HDR_LEN, p->tot_len, 0);
	sg_init_one(&sg, buf, VNET_HDR_LEN + p->tot_len);
	if (virtqueue_add_outbuf(vn->txq, &sg, 1, buf, GFP_KERNEL)) {
		vn->tx_free[vn->nr_tx_free++] = buf;
		vn->dev.tx_errors++;
		LINK_STATS_INC(link.err);
		return ERR_IF;
	}
	virtqueue_kick(vn->txq);
	vn->dev.tx_packets++;
	vn->dev.tx_bytes += p->tot_len;
	LINK_STATS_INC(link.xmit);
	return ERR_OK;
}

static int vnet_post_rx(struct vnet *vn, void *buf)
{
	struct scatterlist sg;

	sg_init_one(&sg, buf, VNET_BUF_SIZE);
	return virtqueue_add_inbuf(vn->rxq, &sg, 1, buf, GFP_KERNEL);
}

static void vnet_check_link(struct vnet *vn)
{
	bool up = true;

	if (virtio_has_feature(vn->vdev, VIRTIO_NET_F_STATUS))
		up = virtio_cread16(vn->vdev, 6) & VIRTIO_NET_S_LINK_UP;
	net_set_link(&vn->dev, up);
}

static void vnet_poll(struct net_device *dev)
{
	struct vnet *vn = container_of(dev, struct vnet, dev);
	unsigned int len, n = 0;
	bool posted = false;
	uint8_t *buf;

	if (READ_ONCE(vn->config_changed)) {
		WRITE_ONCE(vn->config_changed, false);
		vnet_check_link(vn);
	}
	vnet_reclaim_tx(vn);
	while (n++ < VNET_RX_BUDGET && (buf = virtqueue_get_buf(vn->rxq, &len))) {
		if (len < VNET_HDR_LEN + SIZEOF_ETH_HDR || len > VNET_BUF_SIZE) {
			dev->rx_errors++;
			LINK_STATS_INC(link.lenerr);
		} else {
			u16_t flen = (u16_t)(len - VNET_HDR_LEN);
			struct pbuf *p = pbuf_alloc(PBUF_RAW, flen, PBUF_POOL);

			if (!p) {
				dev->rx_dropped++;
				LINK_STATS_INC(link.memerr);
			} else {
				pbuf_take(p, buf + VNET_HDR_LEN, flen);
				dev->rx_packets++;
				dev->rx_bytes += flen;
				LINK_STATS_INC(link.recv);
				if (dev->netif.input(p, &dev->netif) != ERR_OK) {
					pbuf_free(p);
					dev->rx_dropped++;
				}
			}
		}
		if (vnet_post_rx(vn, buf)) {
			kfree(buf);	/* the queue refused it back: one buffer fewer, said once per buffer */
			vn->nr_rx--;
			pr_err("net: %s: could not post a receive buffer again (%u left)\n", vn->name, vn->nr_rx);
		}
		posted = true;
	}
	if (posted)
		virtqueue_kick(vn->rxq);
}

static err_t vnet_netif_init(struct netif *netif)
{
	struct vnet *vn = container_of((struct net_device *)netif->state, struct vnet, dev);

	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->hwaddr_len = ETH_HWADDR_LEN;
	if (virtio_has_feature(vn->vdev, VIRTIO_NET_F_MAC)) {
		virtio_cread_bytes(vn->vdev, 0, netif->hwaddr, ETH_HWADDR_LEN);
	} else {
		/* a locally administered address, different per boot */
		uint32_t r = lwip_port_rand();

		netif->hwaddr[0] = 0x02;
		netif->hwaddr[1] = 0x00;
		memcpy(netif->hwaddr + 2, &r, 4);
	}
	netif->mtu = 1500;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	netif->output = etharp_output;
	netif->linkoutput = vnet_linkoutput;
	netif_set_hostname(netif, "hotmm");
	return ERR_OK;
}

/* Queue callbacks run from the work queue after the MSI-X interrupt: serve the network now. */
static void vnet_vq_done(struct virtqueue *vq)
{
	struct vnet *vn = vq->vdev->priv;

	vn->dev.interrupts++;
	net_poll();
}

static void vnet_config_changed(struct virtio_device *vdev)
{
	struct vnet *vn = vdev->priv;

	WRITE_ONCE(vn->config_changed, true);
	net_poll();
}

static void vnet_free_bufs(struct vnet *vn)
{
	void *buf;

	while ((buf = virtqueue_detach_unused_buf(vn->rxq)))
		kfree(buf);
	while ((buf = virtqueue_detach_unused_buf(vn->txq)))
		kfree(buf);
	while (vn->nr_tx_free)
		kfree(vn->tx_free[--vn->nr_tx_free]);
}

static int vnet_probe(struct virtio_device *vdev)
{
	struct virtqueue *vqs[2];
	vq_callback_t *callbacks[] = { vnet_vq_done, vnet_vq_done };
	const char *const names[] = { "rx", "tx" };
	struct vnet *vn;
	unsigned int n;
	int err;

	vn = kzalloc(sizeof(*vn), GFP_KERNEL);
	if (!vn)
		return -ENOMEM;
	snprintf(vn->name, sizeof(vn->name), "virtio-net%u", vnet_count);
	vn->vdev = vdev;
	vn->dev.name = vn->name;
	vn->dev.init = vnet_netif_init;
	vn->dev.poll = vnet_poll;
	vdev->priv = vn;
	err = virtio_find_vqs(vdev, 2, vqs, callbacks, names);
	if (err) {
		kfree(vn);
		return err;
	}
	vn->rxq = vqs[0];
	vn->txq = vqs[1];
	virtio_device_ready(vdev);

	n = min(virtqueue_get_vring_size(vn->rxq), (unsigned int)VNET_MAX_BUFS);
	for (vn->nr_rx = 0; vn->nr_rx < n; vn->nr_rx++) {
		void *buf = kmalloc(VNET_BUF_SIZE, GFP_KERNEL);

		if (!buf || vnet_post_rx(vn, buf)) {
			kfree(buf);
			break;
		}
	}
	n = min(virtqueue_get_vring_size(vn->txq), (unsigned int)VNET_MAX_BUFS);
	for (vn->nr_tx = 0; vn->nr_tx < n; vn->nr_tx++) {
		void *buf = kmalloc(VNET_BUF_SIZE, GFP_KERNEL);

		if (!buf)
			break;
		vn->tx_free[vn->nr_tx_free++] = buf;
	}
	if (vn->nr_rx < 16 || vn->nr_tx < 16) {
		pr_err("net: %s: only %u receive and %u transmit buffers (out of memory)\n", vn->name,
		       vn->nr_rx, vn->nr_tx);
		virtio_reset_device(vdev);
		vnet_free_bufs(vn);
		vdev->config->del_vqs(vdev);
		kfree(vn);
		return -ENOMEM;
	}
	virtqueue_kick(vn->rxq);
	err = net_register_device(&vn->dev);
	if (err) {
		virtio_reset_device(vdev);
		vnet_free_bufs(vn);
		vdev->config->del_vqs(vdev);
		kfree(vn);
		return err;
	}
	net_lock();
	vnet_check_link(vn);
	net_unlock();
	vnet_count++;
	return 0;
}

static const struct virtio_device_id id_table[] = { { VIRTIO_ID_NET }, { 0 } };
static const unsigned int features[] = { VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS };

static struct virtio_driver virtio_net_driver = {
	.name = "virtio_net",
	.id_table = id_table,
	.feature_table = features,
	.feature_table_size = ARRAY_SIZE(features),
	.probe = vnet_probe,
	.config_changed = vnet_config_changed,
};
module_virtio_driver(virtio_net_driver);
