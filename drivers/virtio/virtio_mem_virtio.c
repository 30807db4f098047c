/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem_virtio.c - the virtio-mem driver on the virtio core (QEMU -device virtio-mem-pci)
 *
 * Binds the driver (virtio_mem.c) to virtio devices of type 24: features
 * ACPI_PXM (node_id is a proximity domain) and UNPLUGGED_INACCESSIBLE
 * (accepted: the driver never touches unplugged memory), one queue
 * ("guest-request") for the requests, the device configuration read in one
 * generation-stable copy, configuration changes handed to the driver's work.
 *
 * A request is one descriptor chain (the request, device-readable; the
 * answer, device-writable) in buffers of our own (kmalloc: the device
 * reaches them by physical address). The driver's work runs on the
 * ordered work queue, which is also where queue callbacks would run, so the
 * queue has no callback and the answer is polled for. QEMU's virtio-mem-pci
 * has no MSI-X (and INTx is not supported), so configuration changes come
 * from polling requested_size every VM_POLL_NS unless the device has MSI-X. A device that does
 * not answer within VM_REQUEST_TIMEOUT_NS leaves the buffers posted: the
 * queue is not used again (the driver treats the device as broken).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_mem.h"
#include "drivers/pci/pci.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/apic.h"
#include "kernel/printk.h"
#include "mm/slab.h"

#define VM_REQUEST_TIMEOUT_NS	(10ull * 1000000000)
#define VM_POLL_NS		(10ull * 1000000)	/* config poll without MSI-X */
#define VM_POLL_TIMER_HZ	100

struct virtio_mem_vdev {
	struct virtio_device *vdev;
	struct virtqueue *vq;
	spinlock_t lock;			/* the queue */
	struct virtio_mem_req *req;		/* kmalloc: device-reachable */
	struct virtio_mem_resp *resp;
	struct virtio_mem *vm;
	struct virtio_mem_transport t;
	bool dead;				/* a request never came back */
	bool polled;				/* no config interrupt: poll requested_size */
	uint64_t last_requested;		/* as the poll last read it */
	struct work_struct poll_work;
	char name[48];
};

static int vmv_request(void *priv, const struct virtio_mem_req *req, void *resp, size_t resp_len,
		       size_t *got)
{
	struct virtio_mem_vdev *v = priv;
	struct scatterlist out, in, *sgs[2] = { &out, &in };
	unsigned long flags;
	unsigned int len = 0;
	void *data;
	int err = 0;

	if (v->dead)
		return -EIO;
	*v->req = *req;
	memset(v->resp, 0, sizeof(*v->resp));
	sg_init_one(&out, v->req, sizeof(*v->req));
	sg_init_one(&in, v->resp, sizeof(*v->resp));
	spin_lock_irqsave(&v->lock, flags);
	err = virtqueue_add_sgs(v->vq, sgs, 1, 1, v, GFP_KERNEL);
	if (!err && !virtqueue_kick(v->vq))
		err = -EIO;
	spin_unlock_irqrestore(&v->lock, flags);
	if (err)
		return err;
	data = virtqueue_poll_buf(v->vq, &len, VM_REQUEST_TIMEOUT_NS, &v->lock, &err);
	if (!data) {
		if (err == -ETIMEDOUT) {
			v->dead = true;
			pr_err("%s: no answer to %s in %llu s; the device is not used any more\n", v->name,
			       virtio_mem_req_name(req->type), VM_REQUEST_TIMEOUT_NS / 1000000000);
		}
		return err ? err : -EIO;
	}
	if (data != v) {
		/* Only one request is ever posted: anything else is the device's mistake. */
		v->dead = true;
		pr_err("%s: the device returned a buffer that was never posted\n", v->name);
		return -EIO;
	}
	len = min(len, (unsigned int)sizeof(*v->resp));
	memcpy(resp, v->resp, min((size_t)len, resp_len));
	*got = min((size_t)len, resp_len);
	return 0;
}

static void vmv_read_config(void *priv, struct virtio_mem_config *cfg)
{
	struct virtio_mem_vdev *v = priv;

	if (virtio_cread_bytes(v->vdev, 0, cfg, sizeof(*cfg)))
		memset(cfg, 0, sizeof(*cfg));
}

/* Without MSI-X nothing says the configuration changed: look every VM_POLL_NS. */
static void vmv_poll_fn(struct work_struct *w)
{
	struct virtio_mem_vdev *v = container_of(w, struct virtio_mem_vdev, poll_work);
	uint64_t req = virtio_cread64(v->vdev, VIRTIO_MEM_CONFIG_OFF(requested_size));

	if (req != v->last_requested) {
		v->last_requested = req;
		virtio_mem_config_changed(v->vm);
	}
	queue_delayed_work(w, VM_POLL_NS);
}

static void vmv_free(struct virtio_mem_vdev *v)
{
	kfree(v->req);
	kfree(v->resp);
	kfree(v);
}

static int vmv_probe(struct virtio_device *vdev)
{
	const char *const names[] = { "guest-request" };
	vq_callback_t *callbacks[] = { NULL };
	struct virtio_mem_vdev *v;
	unsigned int size = virtio_config_size(vdev);
	int err;

	if (size < sizeof(struct virtio_mem_config)) {
		pr_err("virtio-mem %s: device configuration is %u bytes, %zu expected\n", vdev->name, size,
		       sizeof(struct virtio_mem_config));
		return -EINVAL;
	}
	v = kcalloc(1, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->req = kmalloc(sizeof(*v->req), GFP_KERNEL);
	v->resp = kmalloc(sizeof(*v->resp), GFP_KERNEL);
	if (!v->req || !v->resp) {
		vmv_free(v);
		return -ENOMEM;
	}
	spin_lock_init(&v->lock);
	v->vdev = vdev;
	snprintf(v->name, sizeof(v->name), "%s pci %s", vdev->name, vdev->pci ? vdev->pci->name : "?");
	v->t.name = v->name;
	v->t.request = vmv_request;
	v->t.read_config = vmv_read_config;
	err = virtio_find_vqs(vdev, 1, &v->vq, callbacks, names);
	if (err) {
		vmv_free(v);
		return err;
	}
	v->vm = virtio_mem_probe(&v->t, v, virtio_has_feature(vdev, VIRTIO_MEM_F_ACPI_PXM));
	if (!v->vm) {
		virtio_reset_device(vdev);
		vdev->config->del_vqs(vdev);
		vmv_free(v);
		return -EINVAL;
	}
	vdev->priv = v;
	/* Requests only after DRIVER_OK; the first run unplugs leftovers and meets requested_size. */
	virtio_device_ready(vdev);
	virtio_mem_config_changed(v->vm);
	if (vdev->pci && !vdev->pci->msix.present) {
		v->polled = true;
		v->last_requested = virtio_cread64(vdev, VIRTIO_MEM_CONFIG_OFF(requested_size));
		INIT_WORK(&v->poll_work, vmv_poll_fn, "virtio_mem_poll");
		/* Delayed work runs when a CPU wakes: this one, VM_POLL_TIMER_HZ times a second. */
		lapic_timer_set_hz(VM_POLL_TIMER_HZ);
		queue_delayed_work(&v->poll_work, VM_POLL_NS);
	}
	return 0;
}

static void vmv_config_changed(struct virtio_device *vdev)
{
	struct virtio_mem_vdev *v = vdev->priv;

	if (v && v->vm)
		virtio_mem_config_changed(v->vm);
}

static void vmv_remove(struct virtio_device *vdev)
{
	struct virtio_mem_vdev *v = vdev->priv;

	if (v->polled)
		cancel_work(&v->poll_work);
	/* Memory that cannot be unplugged stays in use: the device, its queue and buffers stay too. */
	if (virtio_mem_remove(v->vm)) {
		pr_err("virtio-mem %s: memory still plugged; the device stays in use\n", vdev->name);
		if (v->polled)
			queue_delayed_work(&v->poll_work, VM_POLL_NS);
		return;
	}
	virtio_reset_device(vdev);
	vdev->config->del_vqs(vdev);
	vdev->priv = NULL;
	vmv_free(v);
}

static const struct virtio_device_id id_table[] = { { VIRTIO_ID_MEM }, { 0 } };
static const unsigned int features[] = { VIRTIO_MEM_F_ACPI_PXM, VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE };

static struct virtio_driver virtio_mem_driver = {
	.name = "virtio_mem",
	.id_table = id_table,
	.feature_table = features,
	.feature_table_size = ARRAY_SIZE(features),
	.probe = vmv_probe,
	.remove = vmv_remove,
	.config_changed = vmv_config_changed,
};
module_virtio_driver(virtio_mem_driver);
