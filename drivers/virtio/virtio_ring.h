/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_ring.h - the split virtqueue's memory layout and its life cycle
 *
 * For transports and tests; drivers use virtio.h. One allocation holds the
 * ring, in the legacy layout (descriptors, then the available ring, then
 * the used ring at the next 4 KiB boundary), so the three addresses the
 * modern transport wants are simply three offsets into it.
 */
#ifndef HOTMM_DRIVERS_VIRTIO_VIRTIO_RING_H
#define HOTMM_DRIVERS_VIRTIO_VIRTIO_RING_H

#include "drivers/virtio/virtio.h"

#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2
#define VRING_DESC_F_INDIRECT	4
#define VRING_AVAIL_F_NO_INTERRUPT	1
#define VRING_USED_F_NO_NOTIFY	1

#define VIRTQUEUE_MAX_SIZE	32768	/* the spec's limit for a split queue */
#define VRING_ALIGN		4096

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

struct vring {
	unsigned int num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
};

static inline size_t vring_size(unsigned int num)
{
	return ALIGN(sizeof(struct vring_desc) * num + sizeof(uint16_t) * (3 + num), (size_t)VRING_ALIGN) +
	       sizeof(uint16_t) * 3 + sizeof(struct vring_used_elem) * num;
}

/*
 * A queue of @num entries (a power of two, 1..VIRTQUEUE_MAX_SIZE) with zeroed
 * rings. @notify tells the device about new buffers (false: it could not).
 * @name must stay valid. NULL (after a message) when @num is bad or memory
 * is short.
 */
struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num,
					 struct virtio_device *vdev,
					 bool (*notify)(struct virtqueue *vq),
					 vq_callback_t *callback, const char *name);
/* Free a queue's rings and state. The device must no longer use it (reset). */
void vring_del_virtqueue(struct virtqueue *vq);

/* Physical addresses of the three parts, for the transport. */
phys_addr_t virtqueue_get_desc_addr(const struct virtqueue *vq);
phys_addr_t virtqueue_get_avail_addr(const struct virtqueue *vq);
phys_addr_t virtqueue_get_used_addr(const struct virtqueue *vq);
/* The rings themselves (tests play the device through this). */
const struct vring *virtqueue_get_vring(const struct virtqueue *vq);
/* Used entries the device published that were not taken yet. */
bool virtqueue_more_used(const struct virtqueue *vq);
/* Mark broken (transport: the device failed); get_buf and add refuse from then on. */
void virtqueue_set_broken(struct virtqueue *vq);

/* The name messages use for @vdev: "virtio0 (0000:00:04.0)". */
const char *virtio_dev_label(const struct virtio_device *vdev, char *buf, size_t size);

#endif
