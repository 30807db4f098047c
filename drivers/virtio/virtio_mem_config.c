/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem_config.c - checking a virtio-mem device's configuration and answers
 *
 * Pure functions (no allocation, no global state) so the host tests and the
 * fuzz target run them as the kernel does. Everything the device says is
 * checked before the driver acts on it: a configuration the driver cannot
 * use safely (a region over RAM, sizes that are not whole device blocks, a
 * block size that is not a power of two of at least a page, sizes beyond
 * the region) is refused with the field named; an answer that is too short
 * or carries an unknown type or state is an error, never a guess.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/virtio/virtio_mem.h"
#include "arch/x86_64/page.h"
#include "mm/mmzone.h"

#define ERR(...) snprintf(err, errlen, __VA_ARGS__)

static int check_block_multiple(const char *field, uint64_t v, uint64_t bs, char *err, size_t errlen)
{
	if (v & (bs - 1)) {
		ERR("virtio-mem config: %s %#llx is not a multiple of block_size %#llx", field,
		    (unsigned long long)v, (unsigned long long)bs);
		return -EINVAL;
	}
	return 0;
}

int virtio_mem_check_config(const struct virtio_mem_config *cfg, uint64_t mb_size,
			    bool (*overlaps_ram)(uint64_t start, uint64_t size, uint64_t *where),
			    struct virtio_mem_geometry *geo, char *err, size_t errlen)
{
	uint64_t bs = cfg->block_size, first, last, where;

	memset(geo, 0, sizeof(*geo));
	if (!is_power_of_2(bs) || bs < PAGE_SIZE) {
		ERR("virtio-mem config: block_size %#llx is not a power of two of at least the page size %#lx",
		    (unsigned long long)bs, (unsigned long)PAGE_SIZE);
		return -EINVAL;
	}
	if (bs > mb_size) {
		ERR("virtio-mem config: block_size %#llx is larger than the memory block size %#llx "
		    "(not supported)", (unsigned long long)bs, (unsigned long long)mb_size);
		return -EINVAL;
	}
	if (check_block_multiple("addr", cfg->addr, bs, err, errlen) ||
	    check_block_multiple("region_size", cfg->region_size, bs, err, errlen) ||
	    check_block_multiple("usable_region_size", cfg->usable_region_size, bs, err, errlen) ||
	    check_block_multiple("plugged_size", cfg->plugged_size, bs, err, errlen) ||
	    check_block_multiple("requested_size", cfg->requested_size, bs, err, errlen))
		return -EINVAL;
	if (!cfg->region_size) {
		ERR("virtio-mem config: region_size is 0");
		return -EINVAL;
	}
	if (cfg->addr + cfg->region_size < cfg->addr ||
	    cfg->addr + cfg->region_size > (1ULL << MAX_PHYSMEM_BITS)) {
		ERR("virtio-mem config: region [%#llx, +%#llx) (addr, region_size) ends beyond "
		    "MAX_PHYSMEM_BITS %d", (unsigned long long)cfg->addr,
		    (unsigned long long)cfg->region_size, MAX_PHYSMEM_BITS);
		return -EINVAL;
	}
	if (cfg->usable_region_size > cfg->region_size) {
		ERR("virtio-mem config: usable_region_size %#llx is larger than region_size %#llx",
		    (unsigned long long)cfg->usable_region_size, (unsigned long long)cfg->region_size);
		return -EINVAL;
	}
	if (cfg->plugged_size > cfg->region_size) {
		ERR("virtio-mem config: plugged_size %#llx is larger than region_size %#llx",
		    (unsigned long long)cfg->plugged_size, (unsigned long long)cfg->region_size);
		return -EINVAL;
	}
	if (cfg->requested_size > cfg->usable_region_size) {
		ERR("virtio-mem config: requested_size %#llx is larger than usable_region_size %#llx",
		    (unsigned long long)cfg->requested_size, (unsigned long long)cfg->usable_region_size);
		return -EINVAL;
	}
	if (overlaps_ram && overlaps_ram(cfg->addr, cfg->region_size, &where)) {
		ERR("virtio-mem config: region [%#llx-%#llx) (addr, region_size) overlaps memory at %#llx",
		    (unsigned long long)cfg->addr, (unsigned long long)(cfg->addr + cfg->region_size),
		    (unsigned long long)where);
		return -EINVAL;
	}
	/*
	 * Only whole memory blocks inside the region are used. The usable part
	 * grows and shrinks with requested_size (QEMU keeps it a little above):
	 * each run plugs only inside it.
	 */
	first = ALIGN(cfg->addr, mb_size);
	last = ALIGN_DOWN(cfg->addr + cfg->region_size, mb_size);
	if (first < cfg->addr || last <= first) {
		ERR("virtio-mem config: region [%#llx-%#llx) (addr, region_size) holds no "
		    "whole memory block of %#llx bytes", (unsigned long long)cfg->addr,
		    (unsigned long long)(cfg->addr + cfg->region_size), (unsigned long long)mb_size);
		return -EINVAL;
	}
	geo->addr = cfg->addr;
	geo->region_size = cfg->region_size;
	geo->usable_region_size = cfg->usable_region_size;
	geo->block_size = bs;
	geo->sb_size = max(bs, (uint64_t)pageblock_nr_pages << PAGE_SHIFT);
	geo->mb_size = mb_size;
	geo->first_mb_id = (unsigned long)(first / mb_size);
	geo->nr_mbs = (unsigned long)((last - first) / mb_size);
	geo->sbs_per_mb = (unsigned int)(mb_size / geo->sb_size);
	return 0;
}

int virtio_mem_check_request(const struct virtio_mem_geometry *geo, uint64_t requested,
			     uint64_t usable, char *err, size_t errlen)
{
	if (usable & (geo->block_size - 1) || usable > geo->region_size) {
		ERR("virtio-mem config: usable_region_size %#llx is not a multiple of block_size %#llx "
		    "or beyond region_size %#llx", (unsigned long long)usable,
		    (unsigned long long)geo->block_size, (unsigned long long)geo->region_size);
		return -EINVAL;
	}
	if (requested & (geo->block_size - 1)) {
		ERR("virtio-mem config: requested_size %#llx is not a multiple of block_size %#llx",
		    (unsigned long long)requested, (unsigned long long)geo->block_size);
		return -EINVAL;
	}
	if (requested > usable) {
		ERR("virtio-mem config: requested_size %#llx is larger than usable_region_size %#llx",
		    (unsigned long long)requested, (unsigned long long)usable);
		return -EINVAL;
	}
	return 0;
}

const char *virtio_mem_req_name(uint16_t type)
{
	static const char *const names[] = { "PLUG", "UNPLUG", "UNPLUG_ALL", "STATE" };

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

int virtio_mem_parse_resp(const void *buf, size_t len, uint16_t req_type, uint16_t *state,
			  char *err, size_t errlen)
{
	struct virtio_mem_resp resp;
	size_t need = req_type == VIRTIO_MEM_REQ_STATE ? sizeof(resp) : offsetof(struct virtio_mem_resp, padding);

	memset(&resp, 0, sizeof(resp));
	if (len < need) {
		ERR("virtio-mem: answer to %s is %zu bytes, at least %zu expected",
		    virtio_mem_req_name(req_type), len, need);
		return -EIO;
	}
	memcpy(&resp, buf, min(len, sizeof(resp)));
	switch (resp.type) {
	case VIRTIO_MEM_RESP_ACK:
		break;
	case VIRTIO_MEM_RESP_NACK:
		return -EAGAIN;
	case VIRTIO_MEM_RESP_BUSY:
		return -EBUSY;
	case VIRTIO_MEM_RESP_ERROR:
		return -EINVAL;
	default:
		ERR("virtio-mem: answer to %s has unknown type %u", virtio_mem_req_name(req_type), resp.type);
		return -EIO;
	}
	if (req_type == VIRTIO_MEM_REQ_STATE) {
		if (resp.state > VIRTIO_MEM_STATE_MIXED) {
			ERR("virtio-mem: answer to STATE has unknown state %u", resp.state);
			return -EIO;
		}
		if (state)
			*state = resp.state;
	}
	return 0;
}
