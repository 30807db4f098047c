/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio.c - the virtio bus: devices found on PCI, drivers bound to them
 *
 * Kernel only. virtio_init() (after pci_init) makes a virtio_device for
 * every PCI function with a virtio id, resets it and sets ACKNOWLEDGE, then
 * registers the drivers of the .virtio_drivers table. Binding a driver is
 * the handshake of virtio 1.2, 3.1.1: DRIVER, read the device features,
 * require VIRTIO_F_VERSION_1, accept those the driver lists, FEATURES_OK
 * (and check the device kept it), then the driver's probe (which sets up
 * its queues), then DRIVER_OK. Any failure sets FAILED, resets the device
 * and frees what the attempt set up; the device stays listed, unbound.
 *
 * Invariant: vdev->driver is set exactly while the driver's probe has
 * succeeded and its remove has not run; config_changed is only called
 * then (config_enabled).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio/virtio_pci_modern.h"
#include "drivers/virtio/virtio_ring.h"
#include "drivers/pci/pci.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"
#include "kernel/shell.h"

struct virtio_device *virtio_devices;
static struct virtio_driver *virtio_drivers;
static unsigned int virtio_next_index;

extern struct virtio_driver *const __virtio_drivers_start[], *const __virtio_drivers_end[];

static const char *label(const struct virtio_device *vdev)
{
	static char buf[48];	/* messages only; callers run one at a time (process context) */

	return virtio_dev_label(vdev, buf, sizeof(buf));
}

static void add_status(struct virtio_device *vdev, uint8_t bits)
{
	vdev->config->set_status(vdev, vdev->config->get_status(vdev) | bits);
}

void virtio_reset_device(struct virtio_device *vdev)
{
	vdev->config->reset(vdev);
}

void virtio_device_ready(struct virtio_device *vdev)
{
	uint8_t status = vdev->config->get_status(vdev);

	if (!(status & VIRTIO_CONFIG_S_DRIVER_OK))
		vdev->config->set_status(vdev, status | VIRTIO_CONFIG_S_DRIVER_OK);
}

int virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		    vq_callback_t *callbacks[], const char *const names[])
{
	return vdev->config->find_vqs(vdev, nvqs, vqs, callbacks, names);
}

unsigned int virtio_config_size(struct virtio_device *vdev)
{
	return vdev->config->config_size(vdev);
}

static bool config_range_ok(struct virtio_device *vdev, unsigned int offset, unsigned int len,
			    const char *what)
{
	unsigned int size = virtio_config_size(vdev);

	if ((uint64_t)offset + len <= size)
		return true;
	pr_err("virtio %s: %s of %u bytes at device config offset 0x%x: the device config is "
	       "only 0x%x bytes\n", label(vdev), what, len, offset, size);
	return false;
}

/* A device whose generation never settles is broken; give up after this many tries. */
#define CONFIG_GENERATION_TRIES	1000

int virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len)
{
	uint32_t gen, again;
	unsigned int tries = 0;

	if (!config_range_ok(vdev, offset, len, "read")) {
		memset(buf, 0, len);
		return -EINVAL;
	}
	/* A multi-part read is consistent when the generation did not move under it. */
	do {
		gen = vdev->config->generation(vdev);
		if (len == 8 || len == 4 || len == 2 || len == 1) {
			vdev->config->get(vdev, offset, buf, len);
		} else {
			for (unsigned int i = 0; i < len; i++)
				vdev->config->get(vdev, offset + i, (uint8_t *)buf + i, 1);
		}
		again = vdev->config->generation(vdev);
		if (gen != again && ++tries == CONFIG_GENERATION_TRIES) {
			pr_err("virtio %s: config_generation changed on each of %u reads of %u bytes at "
			       "device config offset 0x%x\n", label(vdev), tries, len, offset);
			return -EIO;
		}
	} while (gen != again);
	return 0;
}

uint8_t virtio_cread8(struct virtio_device *vdev, unsigned int offset)
{
	uint8_t v;

	virtio_cread_bytes(vdev, offset, &v, 1);
	return v;
}

uint16_t virtio_cread16(struct virtio_device *vdev, unsigned int offset)
{
	uint16_t v;

	virtio_cread_bytes(vdev, offset, &v, 2);
	return v;
}

uint32_t virtio_cread32(struct virtio_device *vdev, unsigned int offset)
{
	uint32_t v;

	virtio_cread_bytes(vdev, offset, &v, 4);
	return v;
}

uint64_t virtio_cread64(struct virtio_device *vdev, unsigned int offset)
{
	uint64_t v;

	virtio_cread_bytes(vdev, offset, &v, 8);
	return v;
}

int virtio_cwrite_bytes(struct virtio_device *vdev, unsigned int offset, const void *buf, unsigned int len)
{
	if (!config_range_ok(vdev, offset, len, "write"))
		return -EINVAL;
	vdev->config->set(vdev, offset, buf, len);
	return 0;
}

void virtio_cwrite8(struct virtio_device *vdev, unsigned int offset, uint8_t v)
{
	virtio_cwrite_bytes(vdev, offset, &v, 1);
}

void virtio_cwrite16(struct virtio_device *vdev, unsigned int offset, uint16_t v)
{
	virtio_cwrite_bytes(vdev, offset, &v, 2);
}

void virtio_cwrite32(struct virtio_device *vdev, unsigned int offset, uint32_t v)
{
	virtio_cwrite_bytes(vdev, offset, &v, 4);
}

void *virtqueue_poll_buf(struct virtqueue *vq, unsigned int *len, uint64_t timeout_ns,
			 spinlock_t *lock, int *err)
{
	uint64_t deadline = ktime_get_ns() + timeout_ns;
	unsigned long flags = 0;
	int e = 0;
	void *data;

	for (;;) {
		if (lock)
			spin_lock_irqsave(lock, flags);
		data = virtqueue_get_buf(vq, len);
		if (lock)
			spin_unlock_irqrestore(lock, flags);
		if (data)
			break;
		if (virtqueue_is_broken(vq)) {
			e = -EIO;
			break;
		}
		if (ktime_get_ns() > deadline) {
			e = -ETIMEDOUT;
			break;
		}
		cpu_relax();
	}
	if (err)
		*err = e;
	return data;
}

static void virtio_config_work(struct work_struct *w)
{
	struct virtio_device *vdev = container_of(w, struct virtio_device, config_work);
	uint8_t status = vdev->config->get_status(vdev);

	if (status & VIRTIO_CONFIG_S_NEEDS_RESET)
		pr_err("virtio %s: the device set DEVICE_NEEDS_RESET (status 0x%02x)\n", label(vdev),
		       status);
	if (!vdev->config_enabled)
		vdev->config_change_pending = true;	/* as Linux: replayed once the driver is ready */
	else if (vdev->driver && vdev->driver->config_changed)
		vdev->driver->config_changed(vdev);
}

static bool driver_matches(const struct virtio_driver *drv, const struct virtio_device *vdev)
{
	for (const struct virtio_device_id *id = drv->id_table; id && id->device; id++)
		if (id->device == vdev->id.device || id->device == VIRTIO_DEV_ANY_ID)
			return true;
	return false;
}

/* Undo a failed or finished binding: the device is reset before its queues go. */
static void virtio_unbind(struct virtio_device *vdev, bool failed)
{
	virtio_reset_device(vdev);
	if (vdev->vqs)
		vdev->config->del_vqs(vdev);
	vdev->driver = NULL;
	vdev->pci->driver = NULL;
	vdev->priv = NULL;
	add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	if (failed) {
		add_status(vdev, VIRTIO_CONFIG_S_FAILED);
		vdev->failed = true;
	}
}

static int virtio_dev_probe(struct virtio_device *vdev, struct virtio_driver *drv)
{
	uint64_t device_features, driver_features = 1ull << VIRTIO_F_VERSION_1;
	int err;

	vdev->failed = false;
	add_status(vdev, VIRTIO_CONFIG_S_DRIVER);
	device_features = vdev->config->get_features(vdev);
	if (!(device_features & (1ull << VIRTIO_F_VERSION_1))) {
		pr_err("virtio %s: device features 0x%llx lack VIRTIO_F_VERSION_1 (bit 32): legacy "
		       "devices are not driven\n", label(vdev), (unsigned long long)device_features);
		err = -ENODEV;
		goto fail;
	}
	for (unsigned int i = 0; i < drv->feature_table_size; i++)
		if (drv->feature_table[i] < 64)
			driver_features |= 1ull << drv->feature_table[i];
	vdev->features = device_features & driver_features;
	vdev->config->finalize_features(vdev);
	add_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(vdev->config->get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		pr_err("virtio %s: the device did not keep FEATURES_OK for features 0x%llx\n",
		       label(vdev), (unsigned long long)vdev->features);
		err = -ENODEV;
		goto fail;
	}
	vdev->driver = drv;
	vdev->pci->driver = drv->name;
	err = drv->probe(vdev);
	if (err) {
		pr_err("virtio %s: %s probe failed (%d)\n", label(vdev), drv->name, err);
		goto fail;
	}
	virtio_device_ready(vdev);
	vdev->config_enabled = true;
	if (vdev->config_change_pending) {
		vdev->config_change_pending = false;
		queue_work(&vdev->config_work);
	}
	pr_info("virtio %s: %s bound, features 0x%llx\n", label(vdev), drv->name,
		(unsigned long long)vdev->features);
	return 0;
fail:
	virtio_unbind(vdev, true);
	return err;
}

static void virtio_dev_remove(struct virtio_device *vdev)
{
	vdev->config_enabled = false;
	vdev->config_change_pending = false;
	if (vdev->driver->remove)
		vdev->driver->remove(vdev);
	virtio_unbind(vdev, false);
}

int virtio_register_driver(struct virtio_driver *drv)
{
	for (struct virtio_driver *d = virtio_drivers; d; d = d->next)
		if (d == drv)
			return -EBUSY;
	drv->next = virtio_drivers;
	virtio_drivers = drv;
	for (struct virtio_device *vdev = virtio_devices; vdev; vdev = vdev->next)
		if (!vdev->driver && !vdev->failed && driver_matches(drv, vdev))
			virtio_dev_probe(vdev, drv);
	return 0;
}

void virtio_unregister_driver(struct virtio_driver *drv)
{
	for (struct virtio_device *vdev = virtio_devices; vdev; vdev = vdev->next)
		if (vdev->driver == drv)
			virtio_dev_remove(vdev);
	for (struct virtio_driver **p = &virtio_drivers; *p; p = &(*p)->next)
		if (*p == drv) {
			*p = drv->next;
			break;
		}
}

void virtio_init(void)
{
	struct virtio_device **tail = &virtio_devices;
	unsigned int found = 0, drivers = 0;

	for_each_pci_dev(pci) {
		struct virtio_device *vdev;

		if (!virtio_pci_device_type(pci))
			continue;
		vdev = virtio_pci_probe(pci);
		if (!vdev)
			continue;
		vdev->index = virtio_next_index++;
		snprintf(vdev->name, sizeof(vdev->name), "virtio%u", vdev->index);
		INIT_WORK(&vdev->config_work, virtio_config_work, "virtio config");
		*tail = vdev;
		if (vdev->config->reset(vdev)) {
			/* Listed (so `virtio` shows it), never bound. */
			vdev->failed = true;
		} else {
			add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
		}
		tail = &vdev->next;
		found++;
	}
	for (struct virtio_driver *const *d = __virtio_drivers_start; d < __virtio_drivers_end; d++) {
		virtio_register_driver(*d);
		drivers++;
	}
	if (found)
		report("virtio", "\"devices\":%u,\"drivers\":%u", found, drivers);
}

static void show_devices(void)
{
	for (struct virtio_device *vdev = virtio_devices; vdev; vdev = vdev->next) {
		shell_printf("%s %s: device type %u, status 0x%02x, features 0x%llx, driver %s%s\n",
			     vdev->name, vdev->pci->name, vdev->id.device,
			     vdev->config->get_status(vdev), (unsigned long long)vdev->features,
			     vdev->driver ? vdev->driver->name : "-", vdev->failed ? " (failed)" : "");
		shell_printf("  config interrupts %lu\n", vdev->config_interrupts);
		for (struct virtqueue *vq = vdev->vqs; vq; vq = vq->next)
			shell_printf("  queue %u %-10s size %u, free %u, interrupts %lu%s\n", vq->index,
				     vq->name, virtqueue_get_vring_size(vq), vq->num_free,
				     vq->interrupts, virtqueue_is_broken(vq) ? ", BROKEN" : "");
	}
}

/* `virtio unbind N` / `bind N`: the driver's remove and probe again, for testing teardown. */
static int bind_cmd(bool bind, const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 0);
	struct virtio_device *vdev = virtio_devices;

	while (vdev && vdev->index != n)
		vdev = vdev->next;
	if (*end || !vdev) {
		shell_printf("virtio: no device virtio%s\n", arg);
		return -ENODEV;
	}
	if (!bind) {
		if (!vdev->driver) {
			shell_printf("virtio: %s has no driver\n", vdev->name);
			return -EINVAL;
		}
		virtio_dev_remove(vdev);
		shell_printf("virtio: %s unbound\n", vdev->name);
		return 0;
	}
	if (vdev->driver) {
		shell_printf("virtio: %s is bound to %s\n", vdev->name, vdev->driver->name);
		return -EBUSY;
	}
	for (struct virtio_driver *d = virtio_drivers; d; d = d->next) {
		if (!driver_matches(d, vdev))
			continue;
		if (vdev->failed && vdev->config->reset(vdev) == 0) {
			/* A new attempt starts from a reset device, as at boot. */
			vdev->failed = false;
			add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
		}
		if (virtio_dev_probe(vdev, d) == 0) {
			shell_printf("virtio: %s bound to %s\n", vdev->name, d->name);
			return 0;
		}
		shell_printf("virtio: %s: %s probe failed (see dmesg)\n", vdev->name, d->name);
		return -EIO;
	}
	shell_printf("virtio: no driver for %s (device type %u)\n", vdev->name, vdev->id.device);
	return -ENODEV;
}

static int cmd_virtio(int argc, char **argv)
{
	if (argc == 1) {
		show_devices();
		return 0;
	}
	if (argc == 3 && (!strcmp(argv[1], "bind") || !strcmp(argv[1], "unbind")))
		return bind_cmd(argv[1][0] == 'b', argv[2]);
	shell_printf("usage: virtio [bind N | unbind N]\n");
	return -EINVAL;
}
SHELL_COMMAND(virtio, cmd_virtio, "[bind N | unbind N]",
	      "virtio devices (status, features, queues, interrupts); bind or unbind virtio<N>'s driver");
