/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem.h - the virtio-mem device (virtio spec, "Memory Device") and its driver
 *
 * A virtio-mem device owns a region of guest-physical address space
 * [addr, addr + region_size) cut into device blocks of block_size. The host
 * asks for requested_size bytes of it to be plugged (config change); the
 * driver plugs and unplugs device blocks with requests on one virtqueue
 * (PLUG / UNPLUG / UNPLUG_ALL / STATE, each answered ACK / NACK / BUSY /
 * ERROR) and the device reports plugged_size. Unplugged memory is never
 * touched as RAM (with VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE the host may not
 * even back it).
 *
 * The driver (drivers/virtio/virtio_mem.c) manages the region in memory
 * blocks (memory_block_size_bytes()) made of sub-blocks: sub-block size is
 * the device block size, at least a pageblock (so alloc_contig_range can take
 * one alone). A memory block is added (add_memory_driver_managed, memmap on
 * the memory itself) once one of its sub-blocks is plugged; its first
 * sub-blocks hold its memmap and stay plugged until the block is removed.
 * Unplugged sub-blocks of an added block are PageOffline pages the driver
 * owns (refcount 1; dropped to 0 while the block goes offline).
 *
 * The transport (virtio over PCI, or a fake device in the self-test and the
 * host tests) is behind struct virtio_mem_transport.
 *
 * This header also holds the pure parts, compiled on the host and fuzzed:
 * virtio_mem_check_config() and virtio_mem_parse_resp().
 */
#ifndef HOTMM_DRIVERS_VIRTIO_VIRTIO_MEM_H
#define HOTMM_DRIVERS_VIRTIO_VIRTIO_MEM_H

#include <stddef.h>

#include "lib/compiler.h"

#ifndef VIRTIO_ID_MEM
#define VIRTIO_ID_MEM				24
#endif
#define VIRTIO_MEM_F_ACPI_PXM			0	/* node_id is an ACPI proximity domain */
#define VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE	1	/* unplugged memory must not be read */

#define VIRTIO_MEM_REQ_PLUG		0
#define VIRTIO_MEM_REQ_UNPLUG		1
#define VIRTIO_MEM_REQ_UNPLUG_ALL	2
#define VIRTIO_MEM_REQ_STATE		3

#define VIRTIO_MEM_RESP_ACK		0
#define VIRTIO_MEM_RESP_NACK		1
#define VIRTIO_MEM_RESP_BUSY		2
#define VIRTIO_MEM_RESP_ERROR		3

#define VIRTIO_MEM_STATE_PLUGGED	0
#define VIRTIO_MEM_STATE_UNPLUGGED	1
#define VIRTIO_MEM_STATE_MIXED		2

/* Device configuration space, little endian (x86: as is). */
struct virtio_mem_config {
	uint64_t block_size;
	uint16_t node_id;
	uint8_t padding[6];
	uint64_t addr;
	uint64_t region_size;
	uint64_t usable_region_size;
	uint64_t plugged_size;
	uint64_t requested_size;
} __packed;

struct virtio_mem_req {
	uint16_t type;
	uint16_t padding[3];
	uint64_t addr;		/* PLUG / UNPLUG / STATE */
	uint16_t nb_blocks;
	uint16_t padding2[3];
} __packed;

struct virtio_mem_resp {
	uint16_t type;
	uint16_t padding[3];
	uint16_t state;		/* STATE */
} __packed;

#define VIRTIO_MEM_CONFIG_OFF(field)	offsetof(struct virtio_mem_config, field)

/*
 * What the driver makes of a device's configuration: the sub-block size,
 * and the whole memory blocks inside the region (first_mb_id, nr_mbs).
 * Parts of the region outside whole memory blocks are never plugged;
 * usable_region_size (as at probe) changes with every request.
 */
struct virtio_mem_geometry {
	uint64_t addr, region_size, usable_region_size, block_size;
	uint64_t sb_size;		/* sub-block: max(block_size, pageblock) */
	uint64_t mb_size;		/* memory block size */
	unsigned long first_mb_id;	/* first whole memory block of the usable region */
	unsigned long nr_mbs;
	unsigned int sbs_per_mb;
};

/*
 * Check a configuration. overlaps_ram(start, size, &where) says whether a
 * range holds memory already (boot RAM, other hot-added memory). Returns 0,
 * or -EINVAL with err naming the field and what is wrong with it.
 */
int virtio_mem_check_config(const struct virtio_mem_config *cfg, uint64_t mb_size,
			    bool (*overlaps_ram)(uint64_t start, uint64_t size, uint64_t *where),
			    struct virtio_mem_geometry *geo, char *err, size_t errlen);
/*
 * A config change: requested_size and usable_region_size as read now. 0, or
 * -EINVAL with err naming the field (not a multiple of block_size, beyond
 * the usable region, a usable region beyond the region).
 */
int virtio_mem_check_request(const struct virtio_mem_geometry *geo, uint64_t requested,
			     uint64_t usable, char *err, size_t errlen);

/*
 * Parse the device's answer (len bytes written into buf) to a request of
 * type req_type. 0 ACK (for STATE: *state set), -EAGAIN NACK (the device
 * cannot now: a plug beyond requested_size, an unplug while...), -EBUSY BUSY,
 * -EINVAL ERROR (the request was wrong), -EIO a malformed answer (err says
 * what: too short, unknown type or state).
 */
int virtio_mem_parse_resp(const void *buf, size_t len, uint16_t req_type, uint16_t *state,
			  char *err, size_t errlen);
const char *virtio_mem_req_name(uint16_t type);

/* ---- the driver ---- */

struct virtio_mem_transport {
	const char *name;		/* "pci 0000:00:04.0", "fake" */
	/* Send req; the device's answer goes into resp (up to resp_len bytes), its length in *got. */
	int (*request)(void *priv, const struct virtio_mem_req *req, void *resp, size_t resp_len,
		       size_t *got);
	/* Read the whole configuration now. */
	void (*read_config)(void *priv, struct virtio_mem_config *cfg);
};

struct virtio_mem;

/*
 * Probe: check the config, pick the node (node_id through the SRAT when the
 * ACPI_PXM feature was accepted, else the node of the SRAT window holding
 * addr, else 0), install the online callback and memory notifier. Sends
 * nothing: the transport makes the device ready, then calls
 * virtio_mem_config_changed() for the first run, which first unplugs
 * everything the device still has plugged (UNPLUG_ALL). Returns the device
 * or NULL after saying why.
 */
struct virtio_mem *virtio_mem_probe(const struct virtio_mem_transport *t, void *priv, bool acpi_pxm);
/*
 * The device said its config changed (from the interrupt: only queues the
 * work). The work reads requested_size and plugs or unplugs towards it;
 * when it cannot get there (busy pages), it retries later.
 */
void virtio_mem_config_changed(struct virtio_mem *vm);
/* Process context: do the work now (tests, the shell); returns 0 when plugged == requested. */
int virtio_mem_run(struct virtio_mem *vm);
/* Unplug everything and release the device (tests); 0 or -EBUSY when memory could not be freed. */
int virtio_mem_remove(struct virtio_mem *vm);

struct virtio_mem_info {
	int id, nid;
	const char *transport;
	struct virtio_mem_geometry geo;
	uint64_t plugged_size;		/* the driver's count of plugged sub-blocks */
	uint64_t requested_size;
	uint64_t device_plugged_size;	/* as the device last reported */
	unsigned long plug_requests, unplug_requests, failed_requests, retries;
	uint64_t last_took_ns;
};
/* The n-th device (0..); false past the last one. */
bool virtio_mem_get_info(unsigned int n, struct virtio_mem_info *info);
/* One character per sub-block of memory block i of device n: '#' plugged, '.' unplugged. */
int virtio_mem_block_map(unsigned int n, unsigned long i, char *buf, size_t len, char *state,
			 size_t state_len);
struct virtio_mem *virtio_mem_get(unsigned int n);
/* Host tests: forget every device. */
void virtio_mem_reset(void);

#endif
