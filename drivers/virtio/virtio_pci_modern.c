/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_pci_modern.c - the virtio 1.x PCI transport (modern structures only)
 *
 * Kernel only. The structures found by virtio_pci_parse_caps() are reached
 * through pci_iomap() of their BARs. Queue i is set up through the common
 * structure (select, size, MSI-X vector, ring addresses, enable) and
 * notified by a 16-bit write of its index at notify base + queue_notify_off
 * * notify_off_multiplier. MSI-X entry 0 signals configuration changes,
 * entry 1 + i queue i; a device that answers VIRTIO_MSI_NO_VECTOR to a
 * vector we assign cannot interrupt us and its setup fails. A function
 * without MSI-X (QEMU 7.2's virtio-mem-pci and virtio-balloon-pci have
 * none) uses its shared INTx line instead, and the ISR register says why.
 *
 * Teardown is Linux's order: the device is reset first (it stops using the
 * rings and raising interrupts), then MSI-X is masked and its vectors
 * freed, pending completion work is cancelled, and only then the rings are
 * freed.
 */
#include <errno.h>
#include <string.h>

#include "drivers/virtio/virtio_pci_modern.h"
#include "drivers/virtio/virtio_ring.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/spinlock.h"
#include "kernel/printk.h"
#include "mm/slab.h"

/* Larger device queues are used at this size: enough for every driver here. */
#define VIRTIO_PCI_MAX_QUEUE_SIZE	256

struct virtio_pci_device {
	struct virtio_device vdev;
	struct pci_dev *pci;
	struct virtio_pci_caps caps;
	volatile uint8_t *common, *isr, *device, *notify;
	bool intx;			/* no usable MSI-X: the shared INTx line and the ISR */
	char label[48];
};

#define to_vp(v)	container_of(v, struct virtio_pci_device, vdev)

static inline uint8_t vp_ioread8(volatile uint8_t *base, unsigned int off) { return base[off]; }
static inline uint16_t vp_ioread16(volatile uint8_t *base, unsigned int off)
{ return *(volatile uint16_t *)(base + off); }
static inline uint32_t vp_ioread32(volatile uint8_t *base, unsigned int off)
{ return *(volatile uint32_t *)(base + off); }
static inline void vp_iowrite8(volatile uint8_t *base, unsigned int off, uint8_t v) { base[off] = v; }
static inline void vp_iowrite16(volatile uint8_t *base, unsigned int off, uint16_t v)
{ *(volatile uint16_t *)(base + off) = v; }
static inline void vp_iowrite32(volatile uint8_t *base, unsigned int off, uint32_t v)
{ *(volatile uint32_t *)(base + off) = v; }
static inline void vp_iowrite64(volatile uint8_t *base, unsigned int off, uint64_t v)
{
	vp_iowrite32(base, off, (uint32_t)v);
	vp_iowrite32(base, off + 4, (uint32_t)(v >> 32));
}

static const char *vp_bus_name(struct virtio_device *vdev)
{
	return to_vp(vdev)->pci->name;
}

static const char *vp_label(struct virtio_pci_device *vp)
{
	return virtio_dev_label(&vp->vdev, vp->label, sizeof(vp->label));
}

static unsigned int vp_config_size(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);

	return vp->device ? vp->caps.device.length : 0;
}

/* The access widths the spec asks for: 8/16/32 as the field, 64 as two 32s. */
static void vp_get(struct virtio_device *vdev, unsigned int off, void *buf, unsigned int len)
{
	volatile uint8_t *d = to_vp(vdev)->device;
	uint32_t w[2];
	uint16_t h;

	switch (len) {
	case 1: *(uint8_t *)buf = vp_ioread8(d, off); break;
	case 2: h = vp_ioread16(d, off); memcpy(buf, &h, 2); break;
	case 4: w[0] = vp_ioread32(d, off); memcpy(buf, w, 4); break;
	case 8: w[0] = vp_ioread32(d, off); w[1] = vp_ioread32(d, off + 4); memcpy(buf, w, 8); break;
	default:
		for (unsigned int i = 0; i < len; i++)
			((uint8_t *)buf)[i] = vp_ioread8(d, off + i);
	}
}

static void vp_set(struct virtio_device *vdev, unsigned int off, const void *buf, unsigned int len)
{
	volatile uint8_t *d = to_vp(vdev)->device;
	uint32_t w;
	uint16_t h;

	switch (len) {
	case 1: vp_iowrite8(d, off, *(const uint8_t *)buf); break;
	case 2: memcpy(&h, buf, 2); vp_iowrite16(d, off, h); break;
	case 4: memcpy(&w, buf, 4); vp_iowrite32(d, off, w); break;
	default:
		for (unsigned int i = 0; i < len; i++)
			vp_iowrite8(d, off + i, ((const uint8_t *)buf)[i]);
	}
}

static uint32_t vp_generation(struct virtio_device *vdev)
{
	return vp_ioread8(to_vp(vdev)->common, VIRTIO_PCI_COMMON_CFGGENERATION);
}

static uint8_t vp_get_status(struct virtio_device *vdev)
{
	return vp_ioread8(to_vp(vdev)->common, VIRTIO_PCI_COMMON_STATUS);
}

static void vp_set_status(struct virtio_device *vdev, uint8_t status)
{
	vp_iowrite8(to_vp(vdev)->common, VIRTIO_PCI_COMMON_STATUS, status);
}

static int vp_reset(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	uint64_t deadline = ktime_get_ns() + 1000000000ull;

	vp_set_status(vdev, 0);
	/* The reset is done when the device reads back 0 (virtio 1.2, 4.1.4.3.2). */
	while (vp_get_status(vdev)) {
		if (ktime_get_ns() > deadline) {
			pr_err("virtio %s: device_status still 0x%02x 1 s after a reset\n", vp_label(vp),
			       vp_get_status(vdev));
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	return 0;
}

static uint64_t vp_get_features(struct virtio_device *vdev)
{
	volatile uint8_t *c = to_vp(vdev)->common;
	uint64_t f;

	vp_iowrite32(c, VIRTIO_PCI_COMMON_DFSELECT, 0);
	f = vp_ioread32(c, VIRTIO_PCI_COMMON_DF);
	vp_iowrite32(c, VIRTIO_PCI_COMMON_DFSELECT, 1);
	f |= (uint64_t)vp_ioread32(c, VIRTIO_PCI_COMMON_DF) << 32;
	return f;
}

static int vp_finalize_features(struct virtio_device *vdev)
{
	volatile uint8_t *c = to_vp(vdev)->common;

	vp_iowrite32(c, VIRTIO_PCI_COMMON_GFSELECT, 0);
	vp_iowrite32(c, VIRTIO_PCI_COMMON_GF, (uint32_t)vdev->features);
	vp_iowrite32(c, VIRTIO_PCI_COMMON_GFSELECT, 1);
	vp_iowrite32(c, VIRTIO_PCI_COMMON_GF, (uint32_t)(vdev->features >> 32));
	return 0;
}

static bool vp_notify(struct virtqueue *vq)
{
	*(volatile uint16_t *)vq->priv = (uint16_t)vq->index;
	return true;
}

static void vp_queue_interrupt(unsigned int vector, void *data)
{
	struct virtqueue *vq = data;

	vq->interrupts++;
	queue_work(&vq->work);
}

static void vp_queue_work(struct work_struct *w)
{
	struct virtqueue *vq = container_of(w, struct virtqueue, work);

	if (vq->callback && !virtqueue_is_broken(vq))
		vq->callback(vq);
}

static void vp_config_interrupt(unsigned int vector, void *data)
{
	struct virtio_device *vdev = data;

	vdev->config_interrupts++;
	queue_work(&vdev->config_work);
}

/*
 * INTx: reading the ISR says why the device interrupted and lowers the
 * line; bit 0 a queue (any: each one looks at its used ring), bit 1 the
 * configuration. 0: the interrupt was another function's on the shared line.
 */
static void vp_intx_interrupt(void *data)
{
	struct virtio_pci_device *vp = data;
	uint8_t isr = vp_ioread8(vp->isr, 0);

	if (isr & 1)
		for (struct virtqueue *vq = READ_ONCE(vp->vdev.vqs); vq; vq = READ_ONCE(vq->next))
			if (vq->callback) {
				vq->interrupts++;
				queue_work(&vq->work);
			}
	if (isr & 2) {
		vp->vdev.config_interrupts++;
		queue_work(&vp->vdev.config_work);
	}
}

static void vp_del_vqs(struct virtio_device *vdev)
{
	struct virtio_pci_device *vp = to_vp(vdev);
	struct virtqueue *vq, *next;

	/* The device was reset by the caller; now no interrupt can come (masked, handlers gone). */
	if (vp->intx)
		pci_intx_free(vp->pci);
	else
		pci_msix_disable(vp->pci);
	vp->intx = false;
	/* A completion already running on another CPU finishes before its queue goes. */
	for (vq = vdev->vqs; vq; vq = vq->next)
		cancel_work_sync(&vq->work);
	cancel_work_sync(&vdev->config_work);
	for (vq = vdev->vqs; vq; vq = next) {
		next = vq->next;
		vring_del_virtqueue(vq);
	}
	vdev->vqs = NULL;
}

static struct virtqueue *vp_setup_vq(struct virtio_pci_device *vp, unsigned int index,
				     vq_callback_t *callback, const char *name)
{
	volatile uint8_t *c = vp->common;
	uint16_t size, noff, msix;
	uint64_t notify_at;
	unsigned int num;
	struct virtqueue *vq;
	int vec;

	vp_iowrite16(c, VIRTIO_PCI_COMMON_Q_SELECT, (uint16_t)index);
	size = vp_ioread16(c, VIRTIO_PCI_COMMON_Q_SIZE);
	if (!size || !is_power_of_2(size)) {
		pr_err("virtio %s: queue %u (%s): queue_size (common 0x%02x) = %u%s\n", vp_label(vp),
		       index, name, VIRTIO_PCI_COMMON_Q_SIZE, size, size ? " is not a power of two" :
		       ": no such queue");
		return NULL;
	}
	if (vp_ioread16(c, VIRTIO_PCI_COMMON_Q_ENABLE)) {
		pr_err("virtio %s: queue %u (%s): queue_enable is already 1 after a reset\n",
		       vp_label(vp), index, name);
		return NULL;
	}
	noff = vp_ioread16(c, VIRTIO_PCI_COMMON_Q_NOFF);
	notify_at = (uint64_t)noff * vp->caps.notify_off_multiplier;
	if (notify_at + 2 > vp->caps.notify.length) {
		pr_err("virtio %s: queue %u (%s): queue_notify_off (common 0x%02x) = %u x multiplier %u "
		       "= 0x%llx is past the notify structure's 0x%x bytes\n", vp_label(vp), index, name,
		       VIRTIO_PCI_COMMON_Q_NOFF, noff, vp->caps.notify_off_multiplier,
		       (unsigned long long)notify_at, vp->caps.notify.length);
		return NULL;
	}
	num = min((unsigned int)size, (unsigned int)VIRTIO_PCI_MAX_QUEUE_SIZE);
	vq = vring_create_virtqueue(index, num, &vp->vdev, vp_notify, callback, name);
	if (!vq)
		return NULL;
	vq->priv = (void *)(vp->notify + notify_at);
	INIT_WORK(&vq->work, vp_queue_work, name);
	/* On the device's list from here, so a failure below is undone by vp_del_vqs. */
	vq->next = vp->vdev.vqs;
	WRITE_ONCE(vp->vdev.vqs, vq);

	vp_iowrite16(c, VIRTIO_PCI_COMMON_Q_SIZE, (uint16_t)num);
	vp_iowrite64(c, VIRTIO_PCI_COMMON_Q_DESCLO, virtqueue_get_desc_addr(vq));
	vp_iowrite64(c, VIRTIO_PCI_COMMON_Q_AVAILLO, virtqueue_get_avail_addr(vq));
	vp_iowrite64(c, VIRTIO_PCI_COMMON_Q_USEDLO, virtqueue_get_used_addr(vq));
	if (callback && !vp->intx) {
		vec = pci_msix_request(vp->pci, 1 + index, vp_queue_interrupt, vq, name);
		if (vec < 0) {
			pr_err("virtio %s: queue %u (%s): no MSI-X vector (%d)\n", vp_label(vp), index,
			       name, vec);
			return NULL;
		}
		vp_iowrite16(c, VIRTIO_PCI_COMMON_Q_MSIX, (uint16_t)(1 + index));
		msix = vp_ioread16(c, VIRTIO_PCI_COMMON_Q_MSIX);
		if (msix != 1 + index) {
			pr_err("virtio %s: queue %u (%s): queue_msix_vector (common 0x%02x) reads 0x%x "
			       "after writing %u: the device refused it\n", vp_label(vp), index, name,
			       VIRTIO_PCI_COMMON_Q_MSIX, msix, 1 + index);
			return NULL;
		}
	} else {
		vp_iowrite16(c, VIRTIO_PCI_COMMON_Q_MSIX, VIRTIO_MSI_NO_VECTOR);
	}
	vp_iowrite16(c, VIRTIO_PCI_COMMON_Q_ENABLE, 1);
	return vq;
}

static int vp_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		       vq_callback_t *callbacks[], const char *const names[])
{
	struct virtio_pci_device *vp = to_vp(vdev);
	uint16_t numq = vp_ioread16(vp->common, VIRTIO_PCI_COMMON_NUMQ), msix;
	int err;

	if (vdev->vqs)
		return -EBUSY;
	if (nvqs > numq) {
		pr_err("virtio %s: %u queues wanted, num_queues (common 0x%02x) = %u\n", vp_label(vp),
		       nvqs, VIRTIO_PCI_COMMON_NUMQ, numq);
		return -ENOENT;
	}
	if (!vp->pci->msix.present || !vp->pci->msix.valid) {
		/* MSI-X is the way; a function without it (QEMU's virtio-mem-pci) gets its INTx line. */
		err = pci_intx_request(vp->pci, vp_intx_interrupt, vp, "virtio intx");
		if (err < 0) {
			pr_err("virtio %s: no MSI-X and no INTx (%d): no interrupts\n", vp_label(vp), err);
			return err;
		}
		vp->intx = true;
		pr_info("virtio %s: no MSI-X: INTx on IRQ %d\n", vp_label(vp), vp->pci->intx_irq);
	} else {
		err = pci_msix_enable(vp->pci, 1 + nvqs);
		if (err) {
			pr_err("virtio %s: cannot enable %u MSI-X vectors (%d)\n", vp_label(vp), 1 + nvqs,
			       err);
			return err;
		}
		err = pci_msix_request(vp->pci, 0, vp_config_interrupt, vdev, "virtio config");
		if (err < 0)
			goto fail;
		vp_iowrite16(vp->common, VIRTIO_PCI_COMMON_MSIX, 0);
		msix = vp_ioread16(vp->common, VIRTIO_PCI_COMMON_MSIX);
		if (msix != 0) {
			pr_err("virtio %s: msix_config (common 0x%02x) reads 0x%x after writing 0: the "
			       "device refused it\n", vp_label(vp), VIRTIO_PCI_COMMON_MSIX, msix);
			err = -EIO;
			goto fail;
		}
	}
	for (unsigned int i = 0; i < nvqs; i++) {
		vqs[i] = vp_setup_vq(vp, i, callbacks ? callbacks[i] : NULL, names[i]);
		if (!vqs[i]) {
			err = -EIO;
			goto fail;
		}
	}
	return 0;
fail:
	vp_reset(vdev);		/* the device forgets the queues before their memory goes */
	vp_del_vqs(vdev);
	return err;
}

static const struct virtio_config_ops vp_config_ops = {
	.get = vp_get,
	.set = vp_set,
	.generation = vp_generation,
	.config_size = vp_config_size,
	.get_status = vp_get_status,
	.set_status = vp_set_status,
	.reset = vp_reset,
	.get_features = vp_get_features,
	.finalize_features = vp_finalize_features,
	.find_vqs = vp_find_vqs,
	.del_vqs = vp_del_vqs,
	.bus_name = vp_bus_name,
};

static volatile uint8_t *vp_map(struct virtio_pci_device *vp, const struct virtio_pci_region *r)
{
	uint8_t *bar = pci_iomap(vp->pci, r->bar);

	return bar ? bar + r->offset : NULL;
}

struct virtio_device *virtio_pci_probe(struct pci_dev *pci)
{
	struct virtio_pci_device *vp = kzalloc(sizeof(*vp), GFP_KERNEL);

	if (!vp)
		return NULL;
	vp->pci = pci;
	vp->vdev.pci = pci;
	vp->vdev.config = &vp_config_ops;
	vp->vdev.id.device = virtio_pci_device_type(pci);
	if (virtio_pci_parse_caps(pci, &vp->caps))
		goto fail;
	pci_enable_device_mem(pci);
	vp->common = vp_map(vp, &vp->caps.common);
	vp->notify = vp_map(vp, &vp->caps.notify);
	vp->isr = vp_map(vp, &vp->caps.isr);
	if (vp->caps.device.found)
		vp->device = vp_map(vp, &vp->caps.device);
	if (!vp->common || !vp->notify || !vp->isr) {
		pr_err("pci %s: virtio: a BAR holding its structures could not be mapped\n", pci->name);
		goto fail;
	}
	/* DMA to the rings and the MSI-X messages both need bus mastering. */
	pci_set_master(pci);
	return &vp->vdev;
fail:
	kfree(vp);
	return NULL;
}
