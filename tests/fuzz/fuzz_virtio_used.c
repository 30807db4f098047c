/* SPDX-License-Identifier: MIT */
/*
 * DOC: fuzz_virtio_used.c - libFuzzer target: a device writing anything into the used ring
 *
 * Input: byte 0 picks the ring size (2^(b % 9)), byte 1 how many buffers
 * to post; the rest, in rounds, is written verbatim over the used ring
 * (its idx and entries) before draining it with virtqueue_get_buf(). What
 * comes back must be a token that is in flight, once, with a length no
 * larger than its buffer; the free count must stay within the ring; a
 * broken queue must refuse everything. ASan catches any read or write
 * outside the ring or the buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio/virtio_ring.h"

#define MAX_BUFS	256

static bool notify(struct virtqueue *vq) { return true; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct virtio_device vdev = { .name = "virtio-fuzz" };
	static uint8_t bufs[MAX_BUFS][32];
	bool in_flight[MAX_BUFS] = { false };
	struct virtqueue *vq;
	const struct vring *vr;
	unsigned int num, posted = 0;
	size_t pos = 2;

	if (size < 2)
		return 0;
	num = 1u << (data[0] % 9);
	vq = vring_create_virtqueue(0, num, &vdev, notify, NULL, "fuzz");
	if (!vq)
		__builtin_trap();
	vr = virtqueue_get_vring(vq);
	for (unsigned int i = 0; i < data[1] % (num + 1) && i < MAX_BUFS; i++) {
		struct scatterlist sg;

		sg_init_one(&sg, bufs[i], 1 + i % 32);
		if (virtqueue_add_inbuf(vq, &sg, 1, bufs[i], 0))
			__builtin_trap();
		in_flight[i] = true;
		posted++;
	}
	virtqueue_kick(vq);
	while (pos < size) {
		size_t ring_bytes = 4 + 8 * (size_t)num, n = size - pos < ring_bytes ? size - pos : ring_bytes;
		unsigned int len;
		void *tok;

		memcpy(vr->used, data + pos, n);	/* flags, idx, ring[] as the "device" wrote them */
		pos += n;
		while ((tok = virtqueue_get_buf(vq, &len))) {
			long i = ((uint8_t (*)[32])tok) - bufs;

			if (i < 0 || i >= MAX_BUFS || !in_flight[i] || len > 1 + (unsigned long)i % 32)
				__builtin_trap();
			in_flight[i] = false;
			posted--;
		}
		if (vq->num_free + posted != num)
			__builtin_trap();
		if (virtqueue_is_broken(vq)) {
			struct scatterlist sg;

			sg_init_one(&sg, bufs[0], 1);
			if (virtqueue_add_inbuf(vq, &sg, 1, bufs[0], 0) != -5 /* -EIO */)
				__builtin_trap();
			break;
		}
	}
	while (virtqueue_detach_unused_buf(vq))
		;
	if (vq->num_free != num)
		__builtin_trap();
	vring_del_virtqueue(vq);
	return 0;
}
