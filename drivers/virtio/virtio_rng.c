/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_rng.c - virtio entropy device (QEMU -device virtio-rng-pci)
 *
 * One queue ("input") of device-writable buffers; the device fills each
 * with random bytes and returns it (virtio 1.2, 5.4). A read posts one
 * buffer of up to RNG_BUF_SIZE bytes, kicks, and waits for the completion
 * that the queue's MSI-X interrupt hands to the work queue; the shell's
 * `rng N` reads N bytes that way and prints them with the counts;
 * `rng N DEV poll` waits with virtqueue_poll_buf() instead (how code
 * running from the ordered work queue must wait), with the callback
 * standing aside while a poller owns the queue.
 *
 * The buffer is the device's from the kick until the used ring returns it:
 * a read that times out leaves it posted (busy) and the next read waits
 * for that completion instead of posting again; remove resets the device
 * before the buffer is freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio/virtio.h"
#include "drivers/pci/pci.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "mm/slab.h"

#define RNG_BUF_SIZE	64
#define RNG_MAX_DEVICES	4
#define RNG_TIMEOUT_NS	2000000000ull

struct virtrng_info {
	struct virtio_device *vdev;
	struct virtqueue *vq;
	spinlock_t lock;		/* the queue: add/kick against get_buf */
	uint8_t *buf;			/* kmalloc: physically contiguous */
	bool busy;			/* buf is posted */
	bool done;			/* ... and came back with got bytes */
	bool polling;			/* the reader takes completions itself */
	unsigned int got;
	unsigned long requests, bytes;
};

static struct virtrng_info *rng_devs[RNG_MAX_DEVICES];

static void random_recv_done(struct virtqueue *vq)
{
	struct virtrng_info *vi = vq->vdev->priv;
	unsigned int len;
	unsigned long flags;

	spin_lock_irqsave(&vi->lock, flags);
	if (!vi->polling && virtqueue_get_buf(vi->vq, &len)) {
		vi->got = len;
		WRITE_ONCE(vi->done, true);
	}
	spin_unlock_irqrestore(&vi->lock, flags);
}

/* Read up to @n bytes; returns how many (> 0) or a negative errno. */
static int virtio_rng_read(struct virtrng_info *vi, uint8_t *out, unsigned int n, bool poll)
{
	struct scatterlist sg;
	unsigned long flags;
	uint64_t deadline;
	int err = 0;

	spin_lock_irqsave(&vi->lock, flags);
	vi->polling = poll;
	spin_unlock_irqrestore(&vi->lock, flags);
	/* A buffer that completed while a poller owned the queue: its interrupt was ignored. */
	if (!poll && vi->busy && !READ_ONCE(vi->done))
		random_recv_done(vi->vq);

	if (!vi->busy) {
		sg_init_one(&sg, vi->buf, RNG_BUF_SIZE);
		spin_lock_irqsave(&vi->lock, flags);
		vi->done = false;
		err = virtqueue_add_inbuf(vi->vq, &sg, 1, vi->buf, GFP_KERNEL);
		if (!err && !virtqueue_kick(vi->vq))
			err = -EIO;
		spin_unlock_irqrestore(&vi->lock, flags);
		if (err)
			return err;
		vi->busy = true;
		vi->requests++;
	}
	if (poll && !READ_ONCE(vi->done)) {
		unsigned int len;

		if (!virtqueue_poll_buf(vi->vq, &len, RNG_TIMEOUT_NS, &vi->lock, &err))
			return err;
		vi->got = len;
		vi->done = true;
	}
	deadline = ktime_get_ns() + RNG_TIMEOUT_NS;
	while (!READ_ONCE(vi->done)) {
		if (virtqueue_is_broken(vi->vq))
			return -EIO;
		if (ktime_get_ns() > deadline)
			return -ETIMEDOUT;
		/* The completion runs from the work queue: here, or on an idle CPU. */
		flush_workqueue();
		cpu_relax();
	}
	vi->busy = false;
	n = min(n, vi->got);
	memcpy(out, vi->buf, n);
	vi->bytes += n;
	return (int)n;
}

static int virtrng_probe(struct virtio_device *vdev)
{
	struct virtrng_info *vi;
	vq_callback_t *callbacks[] = { random_recv_done };
	const char *const names[] = { "input" };
	unsigned int slot;
	int err;

	for (slot = 0; slot < RNG_MAX_DEVICES && rng_devs[slot]; slot++)
		;
	if (slot == RNG_MAX_DEVICES)
		return -ENOSPC;
	vi = kzalloc(sizeof(*vi), GFP_KERNEL);
	if (!vi)
		return -ENOMEM;
	vi->buf = kmalloc(RNG_BUF_SIZE, GFP_KERNEL);
	if (!vi->buf) {
		kfree(vi);
		return -ENOMEM;
	}
	spin_lock_init(&vi->lock);
	vi->vdev = vdev;
	vdev->priv = vi;
	err = virtio_find_vqs(vdev, 1, &vi->vq, callbacks, names);
	if (err) {
		kfree(vi->buf);
		kfree(vi);
		return err;
	}
	rng_devs[slot] = vi;
	return 0;
}

static void virtrng_remove(struct virtio_device *vdev)
{
	struct virtrng_info *vi = vdev->priv;

	for (unsigned int i = 0; i < RNG_MAX_DEVICES; i++)
		if (rng_devs[i] == vi)
			rng_devs[i] = NULL;
	/* The buffer may still be posted: the device lets go of it at the reset. */
	virtio_reset_device(vdev);
	kfree(vi->buf);
	kfree(vi);
}

static const struct virtio_device_id id_table[] = { { VIRTIO_ID_RNG }, { 0 } };

static struct virtio_driver virtio_rng_driver = {
	.name = "virtio_rng",
	.id_table = id_table,
	.probe = virtrng_probe,
	.remove = virtrng_remove,
};
module_virtio_driver(virtio_rng_driver);

static int cmd_rng(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	unsigned int dev = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 0;
	bool poll = argc > 3 && !strcmp(argv[3], "poll");
	struct virtrng_info *vi;
	uint8_t chunk[RNG_BUF_SIZE];
	unsigned long done = 0, req0;
	unsigned int col = 0;
	struct pci_dev *pci;
	char how[48];
	uint64_t t0, busy_ns = 0;

	if (argc > 4 || (argc > 3 && !poll) || n == 0 || n > 4096 || dev >= RNG_MAX_DEVICES) {
		shell_printf("usage: rng [N (1..4096, default 16)] [DEV (0..%d)] [poll]\n",
			     RNG_MAX_DEVICES - 1);
		return -EINVAL;
	}
	vi = rng_devs[dev];
	if (!vi) {
		shell_printf("rng: no virtio-rng device %u (QEMU: -device virtio-rng-pci)\n", dev);
		return -ENODEV;
	}
	pci = vi->vdev->pci;
	req0 = vi->requests;
	while (done < n) {
		unsigned int want = (unsigned int)min(n - done, (unsigned long)RNG_BUF_SIZE);
		int got;

		t0 = ktime_get_ns();
		got = virtio_rng_read(vi, chunk, want, poll);
		busy_ns += ktime_get_ns() - t0;

		if (got < 0) {
			shell_printf("\nrng: %s after %lu bytes (%d)\n", got == -ETIMEDOUT ?
				     "no answer from the device in 2 s" : "queue failed", done, got);
			return got;
		}
		for (int i = 0; i < got; i++)
			shell_printf("%02x%s", chunk[i], ++col % 32 ? "" : "\n");
		done += (unsigned long)got;
	}
	if (col % 32)
		shell_printf("\n");
	if (pci->msix.enabled)
		snprintf(how, sizeof(how), "MSI-X entry 1 count %lu", pci_msix_count(pci, 1));
	else
		snprintf(how, sizeof(how), "INTx IRQ %d count %lu", pci->intx_irq, pci_intx_count(pci));
	shell_printf("rng: %lu bytes from %s (%s) in %lu request(s)%s; queue interrupts %lu, %s; "
		     "%llu us waiting for the device\n", done, vi->vdev->name, pci->name,
		     vi->requests - req0, poll ? " polled" : "", vi->vq->interrupts, how,
		     (unsigned long long)(busy_ns / 1000));
	return 0;
}
SHELL_COMMAND(rng, cmd_rng, "[N] [DEV] [poll]", "read N random bytes from virtio-rng device DEV");
