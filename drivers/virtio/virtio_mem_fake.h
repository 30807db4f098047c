/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem_fake.h - a virtio-mem device model (drivers/virtio/virtio_mem_fake.c)
 *
 * For the in-kernel self-test and the host tests: a region of real RAM the
 * test owns, a configuration the test changes by hand (cfg.requested_size,
 * then virtio_mem_config_changed() or virtio_mem_run()), and QEMU's answers.
 */
#ifndef HOTMM_DRIVERS_VIRTIO_VIRTIO_MEM_FAKE_H
#define HOTMM_DRIVERS_VIRTIO_VIRTIO_MEM_FAKE_H

#include "drivers/virtio/virtio_mem.h"

struct virtio_mem_fake {
	struct virtio_mem_config cfg;
	uint8_t *plugged;		/* per device block */
	unsigned long nr_blocks;
	unsigned int busy_unplugs;	/* answer BUSY to this many UNPLUGs */
	unsigned int short_resp;	/* answer with 1 byte this many times */
	unsigned long requests;
};

#define VIRTIO_MEM_FAKE_USABLE_EXTENT	(256ull << 20)

/* The host asks for size (QEMU's qom-set requested-size): the usable region grows with it. */
void virtio_mem_fake_request(struct virtio_mem_fake *f, uint64_t size);
int virtio_mem_fake_init(struct virtio_mem_fake *f, uint64_t addr, uint64_t size, uint64_t block_size);
void virtio_mem_fake_destroy(struct virtio_mem_fake *f);
extern const struct virtio_mem_transport virtio_mem_fake_transport;

#endif
