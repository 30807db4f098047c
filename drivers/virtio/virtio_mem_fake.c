/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem_fake.c - a virtio-mem device model for the self-test and the host tests
 *
 * Answers requests the way QEMU's virtio-mem device does (hw/virtio's
 * virtio-mem): the usable region follows the request (requested_size +
 * 256 MiB, growing only, back to 0 on UNPLUG_ALL of nothing requested); a PLUG or UNPLUG outside the usable region, not block
 * aligned, of no blocks, or of blocks not all in the opposite state is
 * ERROR; a PLUG beyond requested_size is NACK; UNPLUG_ALL unplugs
 * everything; STATE says PLUGGED / UNPLUGGED / MIXED. plugged_size follows.
 * Tests can make it answer BUSY to the next unplugs (busy_unplugs) or give
 * short answers (short_resp) to check that the driver copes. It never
 * touches the memory: the region is real RAM the test took out of use.
 */
#include <errno.h>
#include <string.h>

#include "drivers/virtio/virtio_mem_fake.h"
#include "mm/slab.h"

int virtio_mem_fake_init(struct virtio_mem_fake *f, uint64_t addr, uint64_t size, uint64_t block_size)
{
	memset(f, 0, sizeof(*f));
	f->cfg.block_size = block_size;
	f->cfg.addr = addr;
	f->cfg.region_size = size;
	f->cfg.usable_region_size = 0;
	f->nr_blocks = (unsigned long)(size / block_size);
	f->plugged = kcalloc(f->nr_blocks, 1, GFP_KERNEL);
	return f->plugged ? 0 : -ENOMEM;
}

void virtio_mem_fake_request(struct virtio_mem_fake *f, uint64_t size)
{
	/* QEMU: the usable region is requested_size + 256 MiB, never shrinking while in use. */
	uint64_t usable = ALIGN(min(f->cfg.region_size, size + VIRTIO_MEM_FAKE_USABLE_EXTENT),
				f->cfg.block_size);

	f->cfg.requested_size = size;
	if (usable > f->cfg.usable_region_size)
		f->cfg.usable_region_size = usable;
}

void virtio_mem_fake_destroy(struct virtio_mem_fake *f)
{
	kfree(f->plugged);
	f->plugged = NULL;
}

static bool range_ok(const struct virtio_mem_fake *f, uint64_t addr, uint64_t nb, unsigned long *first)
{
	uint64_t size = nb * f->cfg.block_size;

	if (!nb || addr < f->cfg.addr || addr & (f->cfg.block_size - 1) ||
	    addr + size > f->cfg.addr + f->cfg.usable_region_size || addr + size < addr)
		return false;
	*first = (unsigned long)((addr - f->cfg.addr) / f->cfg.block_size);
	return true;
}

static uint16_t state_change(struct virtio_mem_fake *f, const struct virtio_mem_req *req, bool plug)
{
	unsigned long first, i;
	uint64_t size = (uint64_t)req->nb_blocks * f->cfg.block_size;

	if (!range_ok(f, req->addr, req->nb_blocks, &first))
		return VIRTIO_MEM_RESP_ERROR;
	if (plug && f->cfg.plugged_size + size > f->cfg.requested_size)
		return VIRTIO_MEM_RESP_NACK;
	if (!plug && f->busy_unplugs) {
		f->busy_unplugs--;
		return VIRTIO_MEM_RESP_BUSY;
	}
	for (i = first; i < first + req->nb_blocks; i++)
		if (f->plugged[i] == plug)
			return VIRTIO_MEM_RESP_ERROR;
	for (i = first; i < first + req->nb_blocks; i++)
		f->plugged[i] = plug;
	if (plug)
		f->cfg.plugged_size += size;
	else
		f->cfg.plugged_size -= size;
	return VIRTIO_MEM_RESP_ACK;
}

static int fake_request(void *priv, const struct virtio_mem_req *req, void *respbuf, size_t resp_len,
			size_t *got)
{
	struct virtio_mem_fake *f = priv;
	struct virtio_mem_resp resp = { .type = VIRTIO_MEM_RESP_ACK };
	unsigned long first, i, n = 0;

	f->requests++;
	switch (req->type) {
	case VIRTIO_MEM_REQ_PLUG:
	case VIRTIO_MEM_REQ_UNPLUG:
		resp.type = state_change(f, req, req->type == VIRTIO_MEM_REQ_PLUG);
		break;
	case VIRTIO_MEM_REQ_UNPLUG_ALL:
		memset(f->plugged, 0, f->nr_blocks);
		f->cfg.plugged_size = 0;
		f->cfg.usable_region_size = f->cfg.requested_size ?
			ALIGN(min(f->cfg.region_size, f->cfg.requested_size + VIRTIO_MEM_FAKE_USABLE_EXTENT),
			      f->cfg.block_size) : 0;
		break;
	case VIRTIO_MEM_REQ_STATE:
		if (!range_ok(f, req->addr, req->nb_blocks, &first)) {
			resp.type = VIRTIO_MEM_RESP_ERROR;
			break;
		}
		for (i = first; i < first + req->nb_blocks; i++)
			n += f->plugged[i];
		resp.state = n == req->nb_blocks ? VIRTIO_MEM_STATE_PLUGGED :
			     n ? VIRTIO_MEM_STATE_MIXED : VIRTIO_MEM_STATE_UNPLUGGED;
		break;
	default:
		resp.type = VIRTIO_MEM_RESP_ERROR;
		break;
	}
	*got = min(resp_len, sizeof(resp));
	if (f->short_resp) {
		*got = 1;
		f->short_resp--;
	}
	memcpy(respbuf, &resp, *got);
	return 0;
}

static void fake_read_config(void *priv, struct virtio_mem_config *cfg)
{
	*cfg = ((struct virtio_mem_fake *)priv)->cfg;
}

const struct virtio_mem_transport virtio_mem_fake_transport = {
	.name = "fake",
	.request = fake_request,
	.read_config = fake_read_config,
};
