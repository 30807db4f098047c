/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_virtio_ring.c - the split virtqueue against a model device
 *
 * The model plays the device the way the virtio 1.2 spec (2.7) describes:
 * it takes heads from the available ring, walks each chain through the
 * descriptor table (physical addresses are host pointers here), fills the
 * device-writable part with a pattern and publishes used entries, in any
 * order the test asks. Then the device misbehaves on purpose: used ids out
 * of range or not in flight, lengths past the buffer, an index too far
 * ahead; each must be refused with a message naming the field and value,
 * and the queue must refuse further work without touching memory (ASan).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tests/host/host_stubs.h"
#include "drivers/virtio/virtio_ring.h"

static struct virtio_device vdev = { .name = "virtio0" };
static unsigned int notifies;
static uint16_t dev_last_avail;		/* the model device's place in the avail ring */
static uint16_t dev_used_idx;

static bool model_notify(struct virtqueue *vq)
{
	notifies++;
	return true;
}

struct taken {
	uint16_t head;
	unsigned int ndesc;
	uint32_t out_len, in_len;
};

/* Take the next available chain; false when none. Checks the chain's shape. */
static bool model_take(struct virtqueue *vq, struct taken *t)
{
	const struct vring *vr = virtqueue_get_vring(vq);
	uint16_t i;

	if (dev_last_avail == vr->avail->idx)
		return false;
	t->head = vr->avail->ring[dev_last_avail++ & (vr->num - 1)];
	t->ndesc = 0;
	t->out_len = t->in_len = 0;
	assert_true(t->head < vr->num);
	i = t->head;
	for (;;) {
		const struct vring_desc *d = &vr->desc[i];
		uint8_t *buf = (uint8_t *)(uintptr_t)d->addr;

		t->ndesc++;
		assert_true(t->ndesc <= vr->num);
		if (d->flags & VRING_DESC_F_WRITE) {
			for (uint32_t b = 0; b < d->len; b++)
				buf[b] = (uint8_t)(t->head + t->in_len + b);
			t->in_len += d->len;
		} else {
			assert_int_equal(t->in_len, 0);	/* readable parts come first */
			t->out_len += d->len;
		}
		if (!(d->flags & VRING_DESC_F_NEXT))
			break;
		i = d->next;
		assert_true(i < vr->num);
	}
	return true;
}

static void model_use(struct virtqueue *vq, uint32_t id, uint32_t len)
{
	const struct vring *vr = virtqueue_get_vring(vq);

	vr->used->ring[dev_used_idx & (vr->num - 1)] = (struct vring_used_elem){ .id = id, .len = len };
	__atomic_store_n(&vr->used->idx, ++dev_used_idx, __ATOMIC_RELEASE);
}

static struct virtqueue *make_vq(unsigned int num)
{
	struct virtqueue *vq = vring_create_virtqueue(0, num, &vdev, model_notify, NULL, "test");

	assert_non_null(vq);
	notifies = 0;
	dev_last_avail = dev_used_idx = 0;
	host_log_clear();
	return vq;
}

static void test_roundtrip_one_inbuf(void **state)
{
	struct virtqueue *vq = make_vq(8);
	uint8_t buf[64] = { 0 };
	struct scatterlist sg;
	struct taken t;
	unsigned int len = 0;

	sg_init_one(&sg, buf, sizeof(buf));
	assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, buf, GFP_KERNEL), 0);
	assert_int_equal(vq->num_free, 7);
	assert_null(virtqueue_get_buf(vq, &len));	/* nothing used yet */
	assert_true(virtqueue_kick(vq));
	assert_int_equal(notifies, 1);
	assert_true(model_take(vq, &t));
	assert_int_equal(t.ndesc, 1);
	assert_int_equal(t.in_len, 64);
	model_use(vq, t.head, 40);
	assert_ptr_equal(virtqueue_get_buf(vq, &len), buf);
	assert_int_equal(len, 40);
	assert_int_equal(buf[5], (uint8_t)(t.head + 5));
	assert_int_equal(vq->num_free, 8);
	assert_null(virtqueue_get_buf(vq, &len));
	assert_false(virtqueue_is_broken(vq));
	vring_del_virtqueue(vq);
}

static void test_chain_out_then_in(void **state)
{
	struct virtqueue *vq = make_vq(16);
	uint8_t hdr[12], body[100], status[1], resp[30];
	struct scatterlist out[2], in[2], *sgs[2] = { out, in };
	const struct vring *vr = virtqueue_get_vring(vq);
	struct taken t;
	unsigned int len;
	uint16_t i;

	sg_init_table(out, 2);
	sg_set_buf(&out[0], hdr, sizeof(hdr));
	sg_set_buf(&out[1], body, sizeof(body));
	sg_init_table(in, 2);
	sg_set_buf(&in[0], resp, sizeof(resp));
	sg_set_buf(&in[1], status, sizeof(status));
	assert_int_equal(virtqueue_add_sgs(vq, sgs, 1, 1, hdr, GFP_KERNEL), 0);
	assert_int_equal(vq->num_free, 12);
	assert_true(model_take(vq, &t));
	assert_int_equal(t.ndesc, 4);
	assert_int_equal(t.out_len, 112);
	assert_int_equal(t.in_len, 31);
	/* The flags of each descriptor, in chain order. */
	i = t.head;
	assert_int_equal(vr->desc[i].flags, VRING_DESC_F_NEXT);
	i = vr->desc[i].next;
	assert_int_equal(vr->desc[i].flags, VRING_DESC_F_NEXT);
	i = vr->desc[i].next;
	assert_int_equal(vr->desc[i].flags, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	i = vr->desc[i].next;
	assert_int_equal(vr->desc[i].flags, VRING_DESC_F_WRITE);
	assert_ptr_equal((void *)(uintptr_t)vr->desc[i].addr, status);
	model_use(vq, t.head, 31);
	assert_ptr_equal(virtqueue_get_buf(vq, &len), hdr);
	assert_int_equal(len, 31);
	assert_int_equal(vq->num_free, 16);
	vring_del_virtqueue(vq);
}

/* Fill the ring, complete in reverse order, check the free list survives, and repeat. */
static void test_full_ring_out_of_order(void **state)
{
	enum { N = 8 };
	struct virtqueue *vq = make_vq(N);
	uint8_t bufs[N][16];
	struct scatterlist sg;
	struct taken t[N];
	unsigned int len;

	for (int round = 0; round < 3; round++) {
		for (int b = 0; b < N; b++) {
			sg_init_one(&sg, bufs[b], sizeof(bufs[b]));
			assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, bufs[b], GFP_KERNEL), 0);
		}
		sg_init_one(&sg, bufs[0], 1);
		assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, bufs[0], GFP_KERNEL), -ENOSPC);
		assert_int_equal(vq->num_free, 0);
		for (int b = 0; b < N; b++)
			assert_true(model_take(vq, &t[b]));
		assert_false(model_take(vq, &t[0]));
		for (int b = N - 1; b >= 0; b--)
			model_use(vq, t[b].head, (uint32_t)b);
		for (int b = N - 1; b >= 0; b--) {
			assert_ptr_equal(virtqueue_get_buf(vq, &len), bufs[b]);
			assert_int_equal(len, (unsigned int)b);
		}
		assert_int_equal(vq->num_free, N);
	}
	vring_del_virtqueue(vq);
}

/* The 16-bit ring indices wrap; 70000 round trips on a 4-entry ring cross 65535. */
static void test_index_wraparound(void **state)
{
	struct virtqueue *vq = make_vq(4);
	uint8_t buf[8];
	struct scatterlist sg;
	struct taken t;
	unsigned int len;

	for (unsigned int n = 0; n < 70000; n++) {
		sg_init_one(&sg, buf, sizeof(buf));
		assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, buf, GFP_KERNEL), 0);
		assert_true(model_take(vq, &t));
		model_use(vq, t.head, 8);
		assert_ptr_equal(virtqueue_get_buf(vq, &len), buf);
	}
	assert_int_equal(vq->num_free, 4);
	assert_false(virtqueue_is_broken(vq));
	vring_del_virtqueue(vq);
}

static void test_kick_suppressed_by_device(void **state)
{
	struct virtqueue *vq = make_vq(4);
	const struct vring *vr = virtqueue_get_vring(vq);
	uint8_t buf[8];
	struct scatterlist sg;

	assert_false(virtqueue_kick_prepare(vq));	/* nothing added */
	sg_init_one(&sg, buf, sizeof(buf));
	assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, buf, GFP_KERNEL), 0);
	vr->used->flags = VRING_USED_F_NO_NOTIFY;
	assert_true(virtqueue_kick(vq));
	assert_int_equal(notifies, 0);
	vr->used->flags = 0;
	assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, buf + 1, GFP_KERNEL), 0);
	assert_true(virtqueue_kick(vq));
	assert_int_equal(notifies, 1);
	vring_del_virtqueue(vq);
}

static void noop_callback(struct virtqueue *vq) { }

static void test_enable_disable_cb(void **state)
{
	struct virtqueue *vq = vring_create_virtqueue(0, 4, &vdev, model_notify,
						      noop_callback, "cb");
	const struct vring *vr = virtqueue_get_vring(vq);
	uint8_t buf[8];
	struct scatterlist sg;
	struct taken t;

	dev_last_avail = dev_used_idx = 0;
	assert_int_equal(vr->avail->flags, 0);
	virtqueue_disable_cb(vq);
	assert_int_equal(vr->avail->flags, VRING_AVAIL_F_NO_INTERRUPT);
	assert_true(virtqueue_enable_cb(vq));
	assert_int_equal(vr->avail->flags, 0);
	sg_init_one(&sg, buf, sizeof(buf));
	assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, buf, GFP_KERNEL), 0);
	assert_true(model_take(vq, &t));
	model_use(vq, t.head, 1);
	assert_false(virtqueue_enable_cb(vq));	/* a used buffer is already waiting */
	vring_del_virtqueue(vq);
}

static void test_detach_unused(void **state)
{
	struct virtqueue *vq = make_vq(8);
	uint8_t bufs[3][8];
	struct scatterlist sg;
	int seen = 0;
	void *d;

	for (int b = 0; b < 3; b++) {
		sg_init_one(&sg, bufs[b], 8);
		assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, bufs[b], GFP_KERNEL), 0);
	}
	while ((d = virtqueue_detach_unused_buf(vq)))
		seen |= 1 << (((uint8_t(*)[8])d) - bufs);
	assert_int_equal(seen, 7);
	assert_int_equal(vq->num_free, 8);
	vring_del_virtqueue(vq);
}

static void test_bad_requests_refused(void **state)
{
	struct virtqueue *vq = make_vq(4);
	uint8_t buf[8];
	struct scatterlist sg, *sgs[1] = { &sg };

	sg_init_one(&sg, buf, 0);
	assert_int_equal(virtqueue_add_sgs(vq, sgs, 0, 1, buf, GFP_KERNEL), -EINVAL);
	assert_true(host_log_contains("is empty"));
	sg_init_one(&sg, buf, 8);
	assert_int_equal(virtqueue_add_sgs(vq, sgs, 0, 1, NULL, GFP_KERNEL), -EINVAL);	/* no token */
	assert_int_equal(virtqueue_add_sgs(vq, sgs, 0, 0, buf, GFP_KERNEL), -EINVAL);	/* no buffer */
	assert_int_equal(vq->num_free, 4);
	vring_del_virtqueue(vq);
}

static void test_queue_size_checked(void **state)
{
	host_log_clear();
	assert_null(vring_create_virtqueue(3, 6, &vdev, model_notify, NULL, "odd"));
	assert_true(host_log_contains("virtio0: queue 3 (odd): size 6 is not a power of two"));
	assert_null(vring_create_virtqueue(0, 0, &vdev, model_notify, NULL, "zero"));
	assert_true(host_log_contains("size 0 is not a power of two"));
	assert_null(vring_create_virtqueue(0, 65536, &vdev, model_notify, NULL, "big"));
	assert_true(host_log_contains("size 65536 is more than 32768"));
}

/* After a refused used entry: broken, no buffer handed out, adds refused, nothing freed twice. */
static void expect_broken(struct virtqueue *vq, const char *msg)
{
	uint8_t other[4];
	struct scatterlist sg;
	unsigned int len = 12345;

	assert_null(virtqueue_get_buf(vq, &len));
	assert_int_equal(len, 12345);
	assert_true(host_log_contains(msg));
	assert_true(host_log_contains("virtio0: queue 0 (test)"));
	assert_true(host_log_contains("queue marked broken"));
	assert_true(virtqueue_is_broken(vq));
	assert_null(virtqueue_get_buf(vq, &len));
	sg_init_one(&sg, other, sizeof(other));
	assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, other, GFP_KERNEL), -EIO);
	assert_false(virtqueue_kick(vq));
	vring_del_virtqueue(vq);
}

static struct virtqueue *one_posted(uint8_t *buf, uint32_t size, struct taken *t)
{
	struct virtqueue *vq = make_vq(8);
	struct scatterlist sg;

	sg_init_one(&sg, buf, size);
	assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, buf, GFP_KERNEL), 0);
	assert_true(model_take(vq, t));
	return vq;
}

static void test_used_id_out_of_range(void **state)
{
	uint8_t buf[64];
	struct taken t;
	struct virtqueue *vq = one_posted(buf, sizeof(buf), &t);

	model_use(vq, 9, 4);
	expect_broken(vq, "used ring[0].id = 9 is out of range (ring of 8)");
}

static void test_used_id_not_in_flight(void **state)
{
	uint8_t buf[64];
	struct taken t;
	struct virtqueue *vq = one_posted(buf, sizeof(buf), &t);

	model_use(vq, t.head + 1u, 4);
	expect_broken(vq, "is not the head of a buffer in flight");
}

static void test_used_id_twice(void **state)
{
	uint8_t buf[64];
	struct taken t;
	unsigned int len;
	struct virtqueue *vq = one_posted(buf, sizeof(buf), &t);

	model_use(vq, t.head, 4);
	model_use(vq, t.head, 4);	/* the same buffer again */
	assert_ptr_equal(virtqueue_get_buf(vq, &len), buf);
	expect_broken(vq, "used ring[1].id = 0 is not the head of a buffer in flight");
}

static void test_used_len_too_large(void **state)
{
	uint8_t buf[64];
	struct taken t;
	struct virtqueue *vq = one_posted(buf, sizeof(buf), &t);

	model_use(vq, t.head, 65);
	expect_broken(vq, "used ring[0].len = 65 is more than the 64 bytes the device may write");
}

static void test_used_len_on_readonly_buffer(void **state)
{
	uint8_t buf[64];
	struct scatterlist sg;
	struct taken t;
	struct virtqueue *vq = make_vq(8);

	sg_init_one(&sg, buf, sizeof(buf));
	assert_int_equal(virtqueue_add_outbuf(vq, &sg, 1, buf, GFP_KERNEL), 0);
	assert_true(model_take(vq, &t));
	model_use(vq, t.head, 1);
	expect_broken(vq, "used ring[0].len = 1 is more than the 0 bytes");
}

static void test_used_idx_too_far(void **state)
{
	uint8_t buf[64];
	struct taken t;
	struct virtqueue *vq = one_posted(buf, sizeof(buf), &t);
	const struct vring *vr = virtqueue_get_vring(vq);

	vr->used->ring[0] = (struct vring_used_elem){ .id = t.head, .len = 1 };
	vr->used->idx = 9;
	expect_broken(vq, "used idx 9 is 9 entries past the 0 taken, more than the ring's 8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_one_inbuf),
		cmocka_unit_test(test_chain_out_then_in),
		cmocka_unit_test(test_full_ring_out_of_order),
		cmocka_unit_test(test_index_wraparound),
		cmocka_unit_test(test_kick_suppressed_by_device),
		cmocka_unit_test(test_enable_disable_cb),
		cmocka_unit_test(test_detach_unused),
		cmocka_unit_test(test_bad_requests_refused),
		cmocka_unit_test(test_queue_size_checked),
		cmocka_unit_test(test_used_id_out_of_range),
		cmocka_unit_test(test_used_id_not_in_flight),
		cmocka_unit_test(test_used_id_twice),
		cmocka_unit_test(test_used_len_too_large),
		cmocka_unit_test(test_used_len_on_readonly_buffer),
		cmocka_unit_test(test_used_idx_too_far),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
