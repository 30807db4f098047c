/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_ring.c - split virtqueues: descriptor chains in, used entries out
 *
 * The driver owns the descriptor table and the available ring, the device
 * the used ring. Which descriptors are free, and how each chain is linked,
 * is kept in driver-private shadow arrays (desc_next, desc_state): the
 * device can write the shared table, so nothing is ever read back from it.
 *
 * Invariants:
 *  - free descriptors form a list from free_head through desc_next,
 *    num_free long; a posted chain starts at a head whose desc_state has
 *    data != NULL, ndescs descriptors long, in_len device-writable bytes;
 *  - last_used_idx counts used entries taken; the device's used->idx may be
 *    ahead of it by at most num (more is a device bug: the queue breaks);
 *  - a used entry is only accepted for the head of a posted chain, and with
 *    a length no larger than the chain's writable bytes.
 *
 * Ordering (x86 is TSO; the fences are for the compiler and for the
 * store-load case): descriptors and the avail slot are written before
 * avail->idx (release); used->idx is read before the entry it covers
 * (acquire); avail->idx is published before used->flags is read to decide
 * on a notification (full fence), as Linux's virtqueue_kick_prepare().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "drivers/virtio/virtio_ring.h"
#include "kernel/printk.h"

#ifdef HOTMM_HOST
#include <stdlib.h>
#define vq_zalloc(n)		calloc(1, (n))
#define vq_free(p)		free(p)
static void *ring_alloc(size_t size)
{
	void *p = aligned_alloc(VRING_ALIGN, ALIGN(size, (size_t)VRING_ALIGN));

	if (p)
		memset(p, 0, size);
	return p;
}
static void ring_free(void *p, size_t size) { (void)size; free(p); }
/* Host tests: malloc'ed memory stands for physical memory (host_phys_base). */
static bool dma_addr(const void *p, size_t len, phys_addr_t *pa) { *pa = __pa(p); return true; }
#else
#include "mm/slab.h"
#define vq_zalloc(n)		kzalloc((n), GFP_KERNEL)
#define vq_free(p)		kfree(p)
static unsigned int ring_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}
static void *ring_alloc(size_t size)
{
	/* Not movable: the device holds the ring's physical address. */
	return (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, ring_order(size));
}
static void ring_free(void *p, size_t size) { free_pages((unsigned long)p, ring_order(size)); }
extern char _end[];
/*
 * A buffer the device can reach: in the direct map (contiguous physical
 * memory, not the movable heap's vmalloc range) or in the kernel image.
 */
static bool dma_addr(const void *p, size_t len, phys_addr_t *pa)
{
	uintptr_t v = (uintptr_t)p;

	if (v >= PAGE_OFFSET && v + len >= v && v + len <= PAGE_OFFSET + (1ull << MAX_PHYSMEM_BITS)) {
		*pa = __pa(p);
		return true;
	}
	if (v >= KERNEL_VBASE && v + len >= v && v + len <= (uintptr_t)_end) {
		*pa = __pa_symbol(p);
		return true;
	}
	return false;
}
#endif

struct vring_desc_state {
	void *data;		/* NULL: not the head of a posted chain */
	uint16_t ndescs;
	uint32_t in_len;	/* device-writable bytes of the chain */
};

struct vring_virtqueue {
	struct virtqueue vq;
	struct vring vring;
	void *ring_mem;
	size_t ring_size;
	bool (*notify)(struct virtqueue *vq);
	bool broken;
	uint16_t free_head;
	uint16_t num_added;		/* since the last kick */
	uint16_t avail_idx_shadow;
	uint16_t avail_flags_shadow;
	uint16_t last_used_idx;
	uint16_t *desc_next;
	struct vring_desc_state *desc_state;
};

#define to_vvq(_vq)	container_of(_vq, struct vring_virtqueue, vq)

const char *virtio_dev_label(const struct virtio_device *vdev, char *buf, size_t size)
{
	const char *bus = vdev->config && vdev->config->bus_name ?
			  vdev->config->bus_name((struct virtio_device *)vdev) : NULL;

	snprintf(buf, size, "%s%s%s%s", vdev->name[0] ? vdev->name : "virtio?", bus ? " (" : "",
		 bus ? bus : "", bus ? ")" : "");
	return buf;
}

/* Log what the device did wrong and break the queue (Linux's BAD_RING). */
static void __printf(2, 3) bad_ring(struct vring_virtqueue *vq, const char *fmt, ...)
{
	char label[48], msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("virtio %s: queue %u (%s): %s; queue marked broken\n",
	       virtio_dev_label(vq->vq.vdev, label, sizeof(label)), vq->vq.index,
	       vq->vq.name ? vq->vq.name : "?", msg);
	vq->broken = true;
}

struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num,
					 struct virtio_device *vdev,
					 bool (*notify)(struct virtqueue *vq),
					 vq_callback_t *callback, const char *name)
{
	struct vring_virtqueue *vq;
	char label[48];

	if (!is_power_of_2(num) || num > VIRTQUEUE_MAX_SIZE) {
		pr_err("virtio %s: queue %u (%s): size %u is %s\n",
		       virtio_dev_label(vdev, label, sizeof(label)), index, name ? name : "?", num,
		       num > VIRTQUEUE_MAX_SIZE ? "more than 32768" : "not a power of two");
		return NULL;
	}
	vq = vq_zalloc(sizeof(*vq));
	if (!vq)
		goto nomem;
	vq->desc_next = vq_zalloc(sizeof(*vq->desc_next) * num);
	vq->desc_state = vq_zalloc(sizeof(*vq->desc_state) * num);
	vq->ring_size = vring_size(num);
	vq->ring_mem = ring_alloc(vq->ring_size);
	if (!vq->desc_next || !vq->desc_state || !vq->ring_mem)
		goto nomem;
	vq->vring.num = num;
	vq->vring.desc = vq->ring_mem;
	vq->vring.avail = (void *)((uint8_t *)vq->ring_mem + sizeof(struct vring_desc) * num);
	vq->vring.used = (void *)((uint8_t *)vq->ring_mem +
				  ALIGN(sizeof(struct vring_desc) * num + sizeof(uint16_t) * (3 + num),
					(size_t)VRING_ALIGN));
	for (unsigned int i = 0; i + 1 < num; i++)
		vq->desc_next[i] = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->vq.vdev = vdev;
	vq->vq.index = index;
	vq->vq.name = name;
	vq->vq.callback = callback;
	vq->vq.num_free = num;
	vq->notify = notify;
	if (!callback) {
		/* Nobody to call: ask the device not to interrupt. */
		vq->avail_flags_shadow = VRING_AVAIL_F_NO_INTERRUPT;
		vq->vring.avail->flags = vq->avail_flags_shadow;
	}
	return &vq->vq;
nomem:
	pr_err("virtio %s: queue %u (%s): no memory for %u entries (%zu bytes of ring)\n",
	       virtio_dev_label(vdev, label, sizeof(label)), index, name ? name : "?", num,
	       vring_size(num));
	if (vq) {
		if (vq->ring_mem)
			ring_free(vq->ring_mem, vq->ring_size);
		vq_free(vq->desc_state);
		vq_free(vq->desc_next);
		vq_free(vq);
	}
	return NULL;
}

void vring_del_virtqueue(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	ring_free(vq->ring_mem, vq->ring_size);
	vq_free(vq->desc_state);
	vq_free(vq->desc_next);
	vq_free(vq);
}

phys_addr_t virtqueue_get_desc_addr(const struct virtqueue *vq)
{
	phys_addr_t pa = 0;

	dma_addr(to_vvq(vq)->vring.desc, 1, &pa);
	return pa;
}

phys_addr_t virtqueue_get_avail_addr(const struct virtqueue *vq)
{
	phys_addr_t pa = 0;

	dma_addr(to_vvq(vq)->vring.avail, 1, &pa);
	return pa;
}

phys_addr_t virtqueue_get_used_addr(const struct virtqueue *vq)
{
	phys_addr_t pa = 0;

	dma_addr(to_vvq(vq)->vring.used, 1, &pa);
	return pa;
}

const struct vring *virtqueue_get_vring(const struct virtqueue *vq)
{
	return &to_vvq(vq)->vring;
}

unsigned int virtqueue_get_vring_size(const struct virtqueue *vq)
{
	return to_vvq(vq)->vring.num;
}

bool virtqueue_is_broken(const struct virtqueue *vq)
{
	return READ_ONCE(to_vvq(vq)->broken);
}

void virtqueue_set_broken(struct virtqueue *vq)
{
	WRITE_ONCE(to_vvq(vq)->broken, true);
}

int virtqueue_add_sgs(struct virtqueue *_vq, struct scatterlist *sgs[], unsigned int out_sgs,
		      unsigned int in_sgs, void *data, gfp_t gfp)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	unsigned int total = 0, n, i, prev = 0;
	uint64_t in_len = 0;
	uint16_t head, slot;
	char label[48];

	(void)gfp;
	if (vq->broken)
		return -EIO;
	if (!data || !sgs)
		return -EINVAL;
	for (n = 0; n < out_sgs + in_sgs; n++)
		for (struct scatterlist *sg = sgs[n]; sg; sg = sg_next(sg)) {
			phys_addr_t pa;

			if (!sg->length || !dma_addr(sg->buf, sg->length, &pa)) {
				pr_err("virtio %s: queue %u: buffer %p+%u %s\n",
				       virtio_dev_label(_vq->vdev, label, sizeof(label)), _vq->index,
				       sg->buf, sg->length, sg->length ? "is not in the direct map or "
				       "the kernel image: the device cannot reach it" : "is empty");
				return -EINVAL;
			}
			if (n >= out_sgs)
				in_len += sg->length;
			total++;
		}
	if (!total)
		return -EINVAL;
	if (in_len > UINT32_MAX)
		return -EINVAL;
	if (total > _vq->num_free)
		return -ENOSPC;

	head = vq->free_head;
	i = head;
	for (n = 0; n < out_sgs + in_sgs; n++)
		for (struct scatterlist *sg = sgs[n]; sg; sg = sg_next(sg)) {
			struct vring_desc *d = &vq->vring.desc[i];
			phys_addr_t pa = 0;

			dma_addr(sg->buf, sg->length, &pa);
			d->addr = pa;
			d->len = sg->length;
			d->flags = VRING_DESC_F_NEXT | (n >= out_sgs ? VRING_DESC_F_WRITE : 0);
			d->next = vq->desc_next[i];
			prev = i;
			i = vq->desc_next[i];
		}
	vq->vring.desc[prev].flags &= (uint16_t)~VRING_DESC_F_NEXT;
	vq->free_head = (uint16_t)i;
	_vq->num_free -= total;
	vq->desc_state[head] = (struct vring_desc_state){
		.data = data, .ndescs = (uint16_t)total, .in_len = (uint32_t)in_len,
	};

	slot = vq->avail_idx_shadow & (uint16_t)(vq->vring.num - 1);
	vq->vring.avail->ring[slot] = head;
	vq->avail_idx_shadow++;
	/* The descriptors and the slot before the index that publishes them. */
	__atomic_store_n(&vq->vring.avail->idx, vq->avail_idx_shadow, __ATOMIC_RELEASE);
	vq->num_added++;
	return 0;
}

int virtqueue_add_outbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			 void *data, gfp_t gfp)
{
	if (!num)
		return -EINVAL;
	sg[num - 1].last = true;
	return virtqueue_add_sgs(vq, &sg, 1, 0, data, gfp);
}

int virtqueue_add_inbuf(struct virtqueue *vq, struct scatterlist sg[], unsigned int num,
			void *data, gfp_t gfp)
{
	if (!num)
		return -EINVAL;
	sg[num - 1].last = true;
	return virtqueue_add_sgs(vq, &sg, 0, 1, data, gfp);
}

bool virtqueue_kick_prepare(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	bool needs;

	/* avail->idx must be visible before we look whether the device wants a kick. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	needs = vq->num_added && !(__atomic_load_n(&vq->vring.used->flags, __ATOMIC_RELAXED) &
				   VRING_USED_F_NO_NOTIFY);
	vq->num_added = 0;
	return needs;
}

bool virtqueue_notify(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	if (vq->broken)
		return false;
	if (!vq->notify(_vq)) {
		vq->broken = true;
		return false;
	}
	return true;
}

bool virtqueue_kick(struct virtqueue *vq)
{
	if (virtqueue_kick_prepare(vq))
		return virtqueue_notify(vq);
	return !virtqueue_is_broken(vq);
}

static void detach_buf(struct vring_virtqueue *vq, unsigned int head)
{
	unsigned int i = head;

	for (unsigned int n = 1; n < vq->desc_state[head].ndescs; n++)
		i = vq->desc_next[i];
	vq->desc_next[i] = vq->free_head;
	vq->free_head = (uint16_t)head;
	vq->vq.num_free += vq->desc_state[head].ndescs;
	vq->desc_state[head].data = NULL;
}

bool virtqueue_more_used(const struct virtqueue *_vq)
{
	const struct vring_virtqueue *vq = to_vvq(_vq);

	return vq->last_used_idx != __atomic_load_n(&vq->vring.used->idx, __ATOMIC_RELAXED);
}

void *virtqueue_get_buf(struct virtqueue *_vq, unsigned int *len)
{
	struct vring_virtqueue *vq = to_vvq(_vq);
	uint16_t used_idx, slot;
	uint32_t id, l;
	void *data;

	if (vq->broken)
		return NULL;
	/* The entry is read only after the index that covers it. */
	used_idx = __atomic_load_n(&vq->vring.used->idx, __ATOMIC_ACQUIRE);
	if (used_idx == vq->last_used_idx)
		return NULL;
	if ((uint16_t)(used_idx - vq->last_used_idx) > vq->vring.num) {
		bad_ring(vq, "used idx %u is %u entries past the %u taken, more than the ring's %u",
			 used_idx, (uint16_t)(used_idx - vq->last_used_idx), vq->last_used_idx,
			 vq->vring.num);
		return NULL;
	}
	slot = vq->last_used_idx & (uint16_t)(vq->vring.num - 1);
	id = vq->vring.used->ring[slot].id;
	l = vq->vring.used->ring[slot].len;
	if (id >= vq->vring.num) {
		bad_ring(vq, "used ring[%u].id = %u is out of range (ring of %u)", slot, id, vq->vring.num);
		return NULL;
	}
	if (!vq->desc_state[id].data) {
		bad_ring(vq, "used ring[%u].id = %u is not the head of a buffer in flight", slot, id);
		return NULL;
	}
	if (l > vq->desc_state[id].in_len) {
		bad_ring(vq, "used ring[%u].len = %u is more than the %u bytes the device may write "
			 "(id %u)", slot, l, vq->desc_state[id].in_len, id);
		return NULL;
	}
	data = vq->desc_state[id].data;
	detach_buf(vq, id);
	vq->last_used_idx++;
	if (len)
		*len = l;
	return data;
}

void virtqueue_disable_cb(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	vq->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
	WRITE_ONCE(vq->vring.avail->flags, vq->avail_flags_shadow);
}

bool virtqueue_enable_cb(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	vq->avail_flags_shadow &= (uint16_t)~VRING_AVAIL_F_NO_INTERRUPT;
	WRITE_ONCE(vq->vring.avail->flags, vq->avail_flags_shadow);
	/* Flags out before looking at used->idx: a buffer used meanwhile is seen here or interrupts. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !virtqueue_more_used(_vq);
}

void *virtqueue_detach_unused_buf(struct virtqueue *_vq)
{
	struct vring_virtqueue *vq = to_vvq(_vq);

	for (unsigned int i = 0; i < vq->vring.num; i++) {
		void *data = vq->desc_state[i].data;

		if (!data)
			continue;
		detach_buf(vq, i);
		vq->avail_idx_shadow--;
		vq->vring.avail->idx = vq->avail_idx_shadow;
		return data;
	}
	return NULL;
}
