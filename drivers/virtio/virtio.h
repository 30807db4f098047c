/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio.h - the virtio core: devices, drivers, virtqueues
 *
 * Virtio 1.x over PCI with the modern capabilities only (common, notify,
 * ISR and device configuration structures in memory BARs); legacy I/O-port
 * devices are not driven. VIRTIO_F_VERSION_1 is required. Interrupts are
 * MSI-X: entry 0 for configuration changes, entry 1 + i for queue i; a
 * function without MSI-X (QEMU 7.2's virtio-mem-pci has none) falls back
 * to its shared INTx line, read through the ISR register. Drivers see no
 * difference.
 *
 * A driver is one small file:
 *
 *     static const struct virtio_device_id id_table[] = { { VIRTIO_ID_RNG }, { 0 } };
 *     static int probe(struct virtio_device *vdev)
 *     {
 *             struct virtqueue *vq;
 *             vq_callback_t *cb[] = { done };
 *             const char *const names[] = { "input" };
 *             int err = virtio_find_vqs(vdev, 1, &vq, cb, names);
 *             ...                          // set vdev->priv, fill rings
 *             return err;                  // DRIVER_OK is set after a 0 return
 *     }                                    // (call virtio_device_ready() before a kick in probe)
 *     static struct virtio_driver drv = { .name = "virtio_rng", .id_table = id_table,
 *                                         .probe = probe, .remove = remove };
 *     module_virtio_driver(drv);
 *
 * module_virtio_driver() puts the driver in a link-time table that
 * virtio_init() registers at boot; virtio_register_driver() does the same
 * at run time. Either binds the driver to every unbound device whose id is
 * in its table, in PCI discovery order.
 *
 * Contexts. probe, remove and config_changed run in process context (boot,
 * the shell, or the work queue). A queue's callback runs from the ordered
 * work queue (kernel/workqueue.h) after its MSI-X interrupt, never in the
 * interrupt itself, so it may take locks that the submitting side holds
 * with interrupts on. As in Linux, the virtqueue_* calls on one queue must
 * be serialized by the driver (a lock around add/kick and get_buf).
 * The work queue is ordered: code running from it (config_changed, or a
 * driver's own work item) cannot wait for a queue callback, which would
 * only run after it. Such code polls for its answer with
 * virtqueue_poll_buf() instead.
 *
 * Buffers handed to a queue must be physically contiguous memory the
 * device can reach by its physical address: kmalloc()/page-allocator memory
 * or kernel-image data (not vmalloc, not the movable heap, whose pages
 * move). virtqueue_add_sgs() refuses anything else with -EINVAL.
 *
 * Everything the device reports is checked: queue sizes (0, not a power of
 * two), capability extents, and on every virtqueue_get_buf() the used
 * ring's id and length. A used entry that is wrong marks the queue broken:
 * a message names the device, the field and the value, virtqueue_get_buf()
 * returns NULL and virtqueue_add_sgs() -EIO from then on; nothing else is
 * harmed.
 */
#ifndef HOTMM_DRIVERS_VIRTIO_VIRTIO_H
#define HOTMM_DRIVERS_VIRTIO_VIRTIO_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"
#include "mm/gfp.h"
#include "kernel/workqueue.h"
#include "arch/x86_64/spinlock.h"

/* Device types (virtio 1.2, section 5) */
#define VIRTIO_ID_NET		1
#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_ID_RNG		4
#define VIRTIO_ID_BALLOON	5
#define VIRTIO_ID_SCSI		8
#define VIRTIO_ID_9P		9
#define VIRTIO_ID_GPU		16
#define VIRTIO_ID_INPUT		18
#define VIRTIO_ID_VSOCK		19
#define VIRTIO_ID_MEM		24
#define VIRTIO_DEV_ANY_ID	0xffffffffu

/* Device status bits */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE	0x01
#define VIRTIO_CONFIG_S_DRIVER		0x02
#define VIRTIO_CONFIG_S_DRIVER_OK	0x04
#define VIRTIO_CONFIG_S_FEATURES_OK	0x08
#define VIRTIO_CONFIG_S_NEEDS_RESET	0x40
#define VIRTIO_CONFIG_S_FAILED		0x80

/* Transport and ring feature bits */
#define VIRTIO_RING_F_INDIRECT_DESC	28
#define VIRTIO_RING_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33
#define VIRTIO_F_RING_PACKED		34

struct virtio_device_id {
	uint32_t device;	/* VIRTIO_ID_*; 0 ends a table */
};

/* ---- scatterlists (Linux's shape: entries of one list end at the last one) ---- */

struct scatterlist {
	const void *buf;
	uint32_t length;
	bool last;
};

static inline void sg_set_buf(struct scatterlist *sg, const void *buf, uint32_t len)
{
	sg->buf = buf;
	sg->length = len;
}

static inline void sg_init_table(struct scatterlist *sg, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		sg[i] = (struct scatterlist){ .last = i + 1 == n };
}

static inline void sg_init_one(struct scatterlist *sg, const void *buf, uint32_t len)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, len);
}

static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	return sg->last ? NULL : sg + 1;
}

/* ---- devices and queues ---- */

struct virtio_device;
struct virtqueue;
typedef void vq_callback_t(struct virtqueue *vq);

struct virtqueue {
	struct virtio_device *vdev;
	unsigned int index;		/* queue number on the device */
	const char *name;
	vq_callback_t *callback;
	unsigned int num_free;		/* descriptors free */
	void *priv;			/* the transport's */
	struct work_struct work;	/* runs callback after an interrupt */
	unsigned long interrupts;	/* taken for this queue */
	struct virtqueue *next;		/* on vdev->vqs */
};

struct virtio_config_ops;
struct pci_dev;

struct virtio_device {
	unsigned int index;		/* virtio<index> */
	char name[16];
	struct virtio_device_id id;
	uint64_t features;		/* negotiated */
	const struct virtio_config_ops *config;
	struct virtio_driver *driver;	/* bound, or NULL */
	struct pci_dev *pci;
	void *priv;			/* the driver's */
	struct virtqueue *vqs;
	struct work_struct config_work;	/* runs driver->config_changed */
	unsigned long config_interrupts;
	bool config_enabled;		/* config_changed may be called (after probe, before remove) */
	bool config_change_pending;	/* deliver config_changed once enabled (probe may set it) */
	bool failed;			/* FAILED was set: probe failed or the device is broken */
	struct virtio_device *next;	/* every virtio device found */
};

struct virtio_driver {
	const char *name;
	const struct virtio_device_id *id_table;	/* ends with { 0 } */
	const unsigned int *feature_table;	/* device feature bits the driver understands */
	unsigned int feature_table_size;
	int (*probe)(struct virtio_device *vdev);
	void (*remove)(struct virtio_device *vdev);		/* optional */
	void (*config_changed)(struct virtio_device *vdev);	/* optional */
	struct virtio_driver *next;
};

/* What a transport provides (virtio_pci_modern.c). */
struct virtio_config_ops {
	void (*get)(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len);
	void (*set)(struct virtio_device *vdev, unsigned int offset, const void *buf, unsigned int len);
	uint32_t (*generation)(struct virtio_device *vdev);
	unsigned int (*config_size)(struct virtio_device *vdev);
	uint8_t (*get_status)(struct virtio_device *vdev);
	void (*set_status)(struct virtio_device *vdev, uint8_t status);
	int (*reset)(struct virtio_device *vdev);
	uint64_t (*get_features)(struct virtio_device *vdev);
	int (*finalize_features)(struct virtio_device *vdev);
	int (*find_vqs)(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
			vq_callback_t *callbacks[], const char *const names[]);
	void (*del_vqs)(struct virtio_device *vdev);
	const char *(*bus_name)(struct virtio_device *vdev);
};

/* ---- drivers ---- */

int virtio_register_driver(struct virtio_driver *drv);
void virtio_unregister_driver(struct virtio_driver *drv);
#define register_virtio_driver(drv)	virtio_register_driver(drv)
#define unregister_virtio_driver(drv)	virtio_unregister_driver(drv)

/* Register @drv at boot (virtio_init) without editing any list. */
#define module_virtio_driver(drv)						\
	static struct virtio_driver *const __virtio_driver_##drv		\
	__used __section(".virtio_drivers") __aligned(8) = &(drv)

/* Every virtio device found, in PCI order. */
extern struct virtio_device *virtio_devices;

/* Kernel entry, after pci_init(): find the devices, register the table's drivers. */
void virtio_init(void);

/* ---- device side, for drivers ---- */

static inline bool virtio_has_feature(const struct virtio_device *vdev, unsigned int fbit)
{
	return fbit < 64 && (vdev->features & (1ull << fbit));
}

/*
 * Set up @nvqs queues, queue i with @callbacks[i] (NULL: no interrupt
 * wanted, the driver polls) and @names[i]. On failure nothing is left set
 * up and a message names the queue and what was wrong.
 */
int virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		    vq_callback_t *callbacks[], const char *const names[]);
/* Set DRIVER_OK now (the core does it after probe returns 0 otherwise). */
void virtio_device_ready(struct virtio_device *vdev);
/* Reset the device: it stops using its queues and raising interrupts. */
void virtio_reset_device(struct virtio_device *vdev);

/*
 * Device-specific configuration. An access outside the device's
 * configuration structure is refused with a message; the reads then
 * return 0. Multi-byte reads are retried until config_generation is stable.
 */
unsigned int virtio_config_size(struct virtio_device *vdev);
int virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len);
uint8_t virtio_cread8(struct virtio_device *vdev, unsigned int offset);
uint16_t virtio_cread16(struct virtio_device *vdev, unsigned int offset);
uint32_t virtio_cread32(struct virtio_device *vdev, unsigned int offset);
uint64_t virtio_cread64(struct virtio_device *vdev, unsigned int offset);
int virtio_cwrite_bytes(struct virtio_device *vdev, unsigned int offset, const void *buf, unsigned int len);
void virtio_cwrite8(struct virtio_device *vdev, unsigned int offset, uint8_t v);
void virtio_cwrite16(struct virtio_device *vdev, unsigned int offset, uint16_t v);
void virtio_cwrite32(struct virtio_device *vdev, unsigned int offset, uint32_t v);

/* ---- virtqueues (virtio_ring.c) ---- */

/*
 * Expose @out_sgs device-readable then @in_sgs device-writable lists
 * (each sgs[i] a scatterlist ending at its ->last entry) as one
 * descriptor chain, with @data (non-NULL) handed back by
 * virtqueue_get_buf(). -ENOSPC: not enough free descriptors; -EINVAL: a
 * buffer the device cannot reach or an empty request; -EIO: broken queue.
 */
int virtqueue_add_sgs(struct virtqueue *vq, struct scatterlist *sgs[], unsigned int out_sgs,
		      unsigned int in_sgs, void *data, gfp_t gfp);
int virtqueue_add_outbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			 void *data, gfp_t gfp);
int virtqueue_add_inbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			void *data, gfp_t gfp);
/* Publish what was added; true when the device must be notified. */
bool virtqueue_kick_prepare(struct virtqueue *vq);
/* Notify the device; false if the queue is broken. */
bool virtqueue_notify(struct virtqueue *vq);
/* Both. False if the queue is broken. */
bool virtqueue_kick(struct virtqueue *vq);
/*
 * The next buffer the device finished with: its @data, and in *@len the
 * bytes it wrote. NULL when none is ready, or (with a message) when the
 * used entry is invalid: the queue is then broken.
 */
void *virtqueue_get_buf(struct virtqueue *vq, unsigned int *len);
/* Ask for / stop interrupts. enable_cb returns false if buffers are already pending. */
void virtqueue_disable_cb(struct virtqueue *vq);
bool virtqueue_enable_cb(struct virtqueue *vq);
/* Take back a buffer the device never used (after a reset); NULL when none is left. */
void *virtqueue_detach_unused_buf(struct virtqueue *vq);
unsigned int virtqueue_get_vring_size(const struct virtqueue *vq);
bool virtqueue_is_broken(const struct virtqueue *vq);

/*
 * Process context, any (work items too): wait up to @timeout_ns for the
 * next used buffer, taking it with virtqueue_get_buf() under @lock (the
 * driver's queue lock, taken with interrupts off; NULL if none). Returns
 * its data, or NULL on timeout (-ETIMEDOUT in *@err) or when the queue is
 * or becomes broken (-EIO). @err may be NULL.
 */
void *virtqueue_poll_buf(struct virtqueue *vq, unsigned int *len, uint64_t timeout_ns,
			 spinlock_t *lock, int *err);

#endif
