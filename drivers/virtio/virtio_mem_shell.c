/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem_shell.c - the `virtio-mem` shell command
 *
 *   virtio-mem            every device: region, block and sub-block size,
 *                         node, plugged (driver and device), requested,
 *                         request counts, the last run's time
 *   virtio-mem map [N]    per memory block of device N (default 0): its
 *                         address, state (unused / offline / online) and
 *                         one character per sub-block: '#' plugged, '.' not
 *   virtio-mem run [N]    queue device N's work now (e.g. after freeing
 *                         memory a partial unplug was waiting for)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio/virtio_mem.h"
#include "kernel/shell.h"

static void print_device(const struct virtio_mem_info *in)
{
	shell_printf("virtio-mem%d: %s, node %d, region [%#llx-%#llx), usable %llu MiB, block %llu KiB, "
		     "sub-block %llu KiB, %lu memory blocks from %lu\n", in->id, in->transport, in->nid,
		     (unsigned long long)in->geo.addr, (unsigned long long)(in->geo.addr + in->geo.region_size),
		     (unsigned long long)(in->geo.usable_region_size >> 20),
		     (unsigned long long)(in->geo.block_size >> 10), (unsigned long long)(in->geo.sb_size >> 10),
		     in->geo.nr_mbs, in->geo.first_mb_id);
	shell_printf("  plugged %llu MiB (device says %llu MiB), requested %llu MiB; requests: %lu plug, "
		     "%lu unplug, %lu failed; %lu retries; last run took %llu us\n",
		     (unsigned long long)(in->plugged_size >> 20),
		     (unsigned long long)(in->device_plugged_size >> 20),
		     (unsigned long long)(in->requested_size >> 20), in->plug_requests, in->unplug_requests,
		     in->failed_requests, in->retries, (unsigned long long)(in->last_took_ns / 1000));
}

static int cmd_virtio_mem(int argc, char **argv)
{
	struct virtio_mem_info info;
	unsigned int n = 0, found = 0;

	if (argc == 1) {
		for (n = 0; n < 64; n++) {
			if (virtio_mem_get_info(n, &info)) {
				print_device(&info);
				found++;
			}
		}
		if (!found)
			shell_printf("no virtio-mem device\n");
		return 0;
	}
	if (argc <= 3 && (!strcmp(argv[1], "map") || !strcmp(argv[1], "run"))) {
		n = argc == 3 ? (unsigned int)strtoul(argv[2], NULL, 0) : 0;
		if (!virtio_mem_get_info(n, &info)) {
			shell_printf("virtio-mem: no device %u\n", n);
			return -ENODEV;
		}
		if (!strcmp(argv[1], "run")) {
			virtio_mem_config_changed(virtio_mem_get(n));
			return 0;
		}
		print_device(&info);
		for (unsigned long i = 0; i < info.geo.nr_mbs; i++) {
			char map[1100], st[16];

			if (virtio_mem_block_map(n, i, map, sizeof(map), st, sizeof(st)))
				continue;
			shell_printf("  memory%-5lu %#014llx %-7s %s\n", info.geo.first_mb_id + i,
				     (unsigned long long)((info.geo.first_mb_id + i) * info.geo.mb_size), st, map);
		}
		return 0;
	}
	shell_printf("usage: virtio-mem [map [N] | run [N]]\n");
	return -EINVAL;
}
SHELL_COMMAND_NAMED(virtio_mem, "virtio-mem", cmd_virtio_mem, "[map [N] | run [N]]",
		    "virtio-mem devices: region, block size, plugged, requested; map: per memory block");
