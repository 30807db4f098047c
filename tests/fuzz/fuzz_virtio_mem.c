// SPDX-License-Identifier: MIT
/*
 * DOC: fuzz_virtio_mem.c - libFuzzer target for the virtio-mem config and answer checks
 *
 * Input: a device configuration (struct virtio_mem_config, 56 bytes), one
 * byte choosing the memory block size (128 MiB << (b % 4)), one byte
 * choosing a request type, then the device's answer (any length). The
 * checks (drivers/virtio/virtio_mem_config.c) must refuse with a message or
 * accept a configuration whose geometry is consistent: whole memory blocks
 * inside the region, sub-blocks a power of two of at least the device
 * block and a pageblock dividing the memory block; and must map every
 * answer to ACK/NACK/BUSY/ERROR or a malformed-answer error without reading
 * past it (ASan) or undefined behaviour (UBSan). The virtio queue itself is
 * fuzzed with the virtio core.
 * Seeds: tests/fuzz/corpus/virtio_mem/, written by gen_virtio_mem_corpus.py.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio/virtio_mem.h"
#include "mm/mmzone.h"
#include "tests/host/host_stubs.h"

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

static bool ram_below_4g(uint64_t start, uint64_t size, uint64_t *where)
{
	*where = start;
	return start < (1ull << 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_mem_config cfg;
	struct virtio_mem_geometry g;
	uint64_t mb;
	uint16_t type, state = 0xffff;
	char err[256];
	uint8_t *resp;
	size_t rlen;
	int ret;

	if (size < sizeof(cfg) + 2)
		return 0;
	memcpy(&cfg, data, sizeof(cfg));
	mb = (128ull << 20) << (data[sizeof(cfg)] % 4);
	type = data[sizeof(cfg) + 1] % 5;	/* 4: no such request */
	err[0] = 0;
	ret = virtio_mem_check_config(&cfg, mb, ram_below_4g, &g, err, sizeof(err));
	if (ret) {
		check(ret == -EINVAL && err[0]);
	} else {
		check(is_power_of_2(g.block_size) && g.block_size >= 4096 && g.block_size <= mb);
		check(is_power_of_2(g.sb_size) && g.sb_size >= g.block_size &&
		      g.sb_size >= (pageblock_nr_pages << 12) && mb % g.sb_size == 0);
		check(g.sbs_per_mb == mb / g.sb_size && g.nr_mbs > 0);
		check(g.first_mb_id * mb >= cfg.addr && cfg.addr >= (1ull << 32));
		check((g.first_mb_id + g.nr_mbs) * mb <= cfg.addr + cfg.region_size);
		check(cfg.usable_region_size <= cfg.region_size && cfg.requested_size <= cfg.usable_region_size);
		/* A later request: the usable size and the request from the same bytes. */
		ret = virtio_mem_check_request(&g, cfg.plugged_size, cfg.requested_size, err, sizeof(err));
		check(ret == 0 || ret == -EINVAL);
		if (!ret)
			check(cfg.plugged_size <= cfg.requested_size && cfg.requested_size <= g.region_size &&
			      cfg.plugged_size % g.block_size == 0);
	}
	/* The answer in a heap buffer of exactly its size, so an overread shows. */
	rlen = size - sizeof(cfg) - 2;
	resp = malloc(rlen ? rlen : 1);
	if (!resp)
		return 0;
	memcpy(resp, data + sizeof(cfg) + 2, rlen);
	err[0] = 0;
	ret = virtio_mem_parse_resp(resp, rlen, type, &state, err, sizeof(err));
	check(ret == 0 || ret == -EAGAIN || ret == -EBUSY || ret == -EINVAL || ret == -EIO);
	if (ret == -EIO)
		check(err[0]);
	if (!ret && type == VIRTIO_MEM_REQ_STATE)
		check(state <= VIRTIO_MEM_STATE_MIXED);
	if (!ret && type != VIRTIO_MEM_REQ_STATE)
		check(state == 0xffff);
	free(resp);
	return 0;
}
