/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_virtio_mem.c - host tests of the virtio-mem driver (drivers/virtio/virtio_mem*.c)
 *
 * The config and answer checks on their own, then the driver against the
 * device model (virtio_mem_fake.c) over mm_machine's simulated PC: 512 MiB
 * of boot RAM, the device's region at 512 MiB (4 memory blocks of 128 MiB,
 * device blocks of 2 MiB). After every step the walker must be clean, the
 * device's plugged_size must equal the driver's count, and MemTotal
 * (managed pages) must be boot + plugged - memmap of the added blocks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/mm_machine.h"
#include "tests/host/host_stubs.h"
#include "drivers/virtio/virtio_mem.h"
#include "drivers/virtio/virtio_mem_fake.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/mmzone.h"
#include "arch/x86_64/numa.h"
#include "kernel/workqueue.h"

#define BLOCK_PAGES	32768UL
#define VMEMMAP_PAGES	512UL
#define REGION		MiB(512)
#define REGION_PFN	(REGION >> 12)

/* ---- stubs (the rest, one SRAT window at 512 MiB and one CPU, are mm_machine.c's) ---- */

int pxm_to_node(uint32_t pxm) { return pxm == 0 ? 0 : NUMA_NO_NODE; }

void *kcalloc(size_t n, size_t size, gfp_t gfp) { return calloc(n, size); }
void kfree(const void *p) { free((void *)p); }

static int queued, delayed;
bool queue_work(struct work_struct *w) { queued++; return true; }
bool queue_delayed_work(struct work_struct *w, uint64_t delay_ns) { delayed++; return true; }
bool cancel_work(struct work_struct *w) { return false; }

/* ---- helpers ---- */

static struct virtio_mem_fake fake;
static struct virtio_mem *vm;
static unsigned long boot_managed, boot_blocks;

static unsigned long managed(void)
{
	unsigned long n = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		n += zone_managed_pages(&NODE_DATA(0)->node_zones[z]);
	return n;
}

static void request(uint64_t size, int want_ret)
{
	virtio_mem_fake_request(&fake, size);
	assert_int_equal(virtio_mem_run(vm), want_ret);
	mm_machine_assert_clean();
}

/* plugged bytes in `blocks` added blocks: MemTotal grows by what is plugged beyond their memmaps. */
static void expect(uint64_t plugged, unsigned int blocks)
{
	struct virtio_mem_info info;

	assert_true(virtio_mem_get_info(0, &info));
	assert_int_equal(fake.cfg.plugged_size, plugged);
	assert_int_equal(info.plugged_size, plugged);
	assert_int_equal(nr_memory_blocks(), boot_blocks + blocks);	/* boot RAM has blocks too */
	assert_int_equal(managed(), boot_managed + (plugged >> 12) - blocks * VMEMMAP_PAGES);
}

static int setup(void **state)
{
	memory_hotplug_reset();
	virtio_mem_reset();
	queued = delayed = 0;
	mm_machine_boot_pc(MiB(512), MiB(256));
	boot_managed = managed();
	boot_blocks = nr_memory_blocks();
	assert_int_equal(virtio_mem_fake_init(&fake, REGION, MiB(512), MiB(2)), 0);
	vm = NULL;
	return 0;
}

static int teardown(void **state)
{
	virtio_mem_reset();
	virtio_mem_fake_destroy(&fake);
	mm_machine_teardown();
	return 0;
}

static void probe(void)
{
	vm = virtio_mem_probe(&virtio_mem_fake_transport, &fake, true);
	assert_non_null(vm);
	assert_int_equal(queued, 0);	/* nothing before the transport says the device is ready */
	virtio_mem_config_changed(vm);
	assert_int_equal(queued, 1);
}

/* ---- config and answers ---- */

static bool no_ram(uint64_t start, uint64_t size, uint64_t *where) { return false; }
static bool ram_below_1g(uint64_t start, uint64_t size, uint64_t *where)
{
	*where = start;
	return start < MiB(1024);
}

static void test_config_checks(void **state)
{
	struct virtio_mem_config ok = {
		.block_size = MiB(2), .addr = 1ULL << 32, .region_size = 1ULL << 33,
		.usable_region_size = 1ULL << 32, .requested_size = MiB(258),
	}, c;
	struct virtio_mem_geometry g;
	char err[200];

	assert_int_equal(virtio_mem_check_config(&ok, MiB(128), no_ram, &g, err, sizeof(err)), 0);
	assert_int_equal(g.sb_size, MiB(2));
	assert_int_equal(g.first_mb_id, 32);
	assert_int_equal(g.nr_mbs, 64);		/* the whole region: usable_region_size changes */
	assert_int_equal(g.sbs_per_mb, 64);

	c = ok; c.block_size = MiB(3);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "block_size 0x300000 is not a power of two"));
	c = ok; c.block_size = 2048;
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "at least the page size"));
	c = ok; c.block_size = 0;
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	c = ok; c.block_size = MiB(256);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "larger than the memory block size"));
	c = ok; c.addr += MiB(1);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "addr 0x100100000 is not a multiple of block_size 0x200000"));
	c = ok; c.region_size += MiB(1);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "region_size"));
	c = ok; c.usable_region_size = c.region_size + MiB(2);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "usable_region_size 0x200200000 is larger than region_size"));
	c = ok; c.plugged_size = c.region_size + MiB(2);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "plugged_size"));
	c = ok; c.requested_size = MiB(1);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "requested_size 0x100000 is not a multiple"));
	c = ok; c.region_size = 0; c.usable_region_size = 0; c.requested_size = 0;
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "region_size is 0"));
	c = ok; c.addr = ~0ULL & ~(MiB(2) - 1);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "MAX_PHYSMEM_BITS"));
	c = ok; c.addr = MiB(512);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), ram_below_1g, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "region [0x20000000-0x220000000) (addr, region_size) overlaps memory"));
	/* Less than one whole memory block usable. */
	c = ok; c.addr += MiB(64); c.region_size = MiB(128); c.usable_region_size = 0; c.requested_size = 0;
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "holds no whole memory block"));
	/* Unaligned start: the first partial memory block is left out. */
	c = ok; c.addr += MiB(64); c.requested_size = 0;
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), 0);
	assert_int_equal(g.first_mb_id, 33);
	assert_int_equal(g.nr_mbs, 63);
	/* Small device blocks: sub-blocks are a pageblock. */
	c = ok; c.block_size = KiB(4);
	assert_int_equal(virtio_mem_check_config(&c, MiB(128), no_ram, &g, err, sizeof(err)), 0);
	assert_int_equal(g.sb_size, MiB(2));
	assert_int_equal(virtio_mem_check_request(&g, MiB(1), MiB(258), err, sizeof(err)), 0);
	assert_int_equal(virtio_mem_check_request(&g, 1ULL << 33, 1ULL << 32, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "requested_size 0x200000000 is larger than usable_region_size 0x100000000"));
	assert_int_equal(virtio_mem_check_request(&g, 0, (1ULL << 33) + MiB(2), err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "usable_region_size 0x200200000 is not a multiple of block_size 0x1000 "
				   "or beyond region_size 0x200000000"));
}

static void test_responses(void **state)
{
	struct virtio_mem_resp r = { 0 };
	uint16_t st = 99;
	char err[128];

	assert_int_equal(virtio_mem_parse_resp(&r, sizeof(r), VIRTIO_MEM_REQ_PLUG, NULL, err, sizeof(err)), 0);
	assert_int_equal(virtio_mem_parse_resp(&r, 2, VIRTIO_MEM_REQ_UNPLUG, NULL, err, sizeof(err)), 0);
	assert_int_equal(virtio_mem_parse_resp(&r, 1, VIRTIO_MEM_REQ_PLUG, NULL, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "answer to PLUG is 1 bytes, at least 2 expected"));
	r.type = VIRTIO_MEM_RESP_NACK;
	assert_int_equal(virtio_mem_parse_resp(&r, sizeof(r), VIRTIO_MEM_REQ_PLUG, NULL, err, sizeof(err)), -EAGAIN);
	r.type = VIRTIO_MEM_RESP_BUSY;
	assert_int_equal(virtio_mem_parse_resp(&r, sizeof(r), VIRTIO_MEM_REQ_UNPLUG, NULL, err, sizeof(err)), -EBUSY);
	r.type = VIRTIO_MEM_RESP_ERROR;
	assert_int_equal(virtio_mem_parse_resp(&r, sizeof(r), VIRTIO_MEM_REQ_UNPLUG, NULL, err, sizeof(err)), -EINVAL);
	r.type = 7;
	assert_int_equal(virtio_mem_parse_resp(&r, sizeof(r), VIRTIO_MEM_REQ_UNPLUG, NULL, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "unknown type 7"));
	r.type = VIRTIO_MEM_RESP_ACK;
	r.state = VIRTIO_MEM_STATE_MIXED;
	assert_int_equal(virtio_mem_parse_resp(&r, sizeof(r), VIRTIO_MEM_REQ_STATE, &st, err, sizeof(err)), 0);
	assert_int_equal(st, VIRTIO_MEM_STATE_MIXED);
	assert_int_equal(virtio_mem_parse_resp(&r, 8, VIRTIO_MEM_REQ_STATE, &st, err, sizeof(err)), -EIO);
	r.state = 3;
	assert_int_equal(virtio_mem_parse_resp(&r, sizeof(r), VIRTIO_MEM_REQ_STATE, &st, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "unknown state 3"));
}

/* ---- the driver ---- */

static void test_probe_refusals(void **state)
{
	fake.cfg.block_size = MiB(3);
	assert_null(virtio_mem_probe(&virtio_mem_fake_transport, &fake, true));
	assert_true(host_log_contains("virtio-mem0 (fake): virtio-mem config: block_size 0x300000 is not a power of two"));
	fake.cfg.block_size = MiB(2);
	fake.cfg.addr = MiB(256);	/* boot RAM */
	assert_null(virtio_mem_probe(&virtio_mem_fake_transport, &fake, true));
	assert_true(host_log_contains("overlaps memory at 0x10000000"));
	assert_int_equal(nr_memory_blocks(), boot_blocks);
	assert_int_equal(managed(), boot_managed);
}

static void test_grow_shrink(void **state)
{
	struct memory_block *mem;
	char map[80], st[16];

	/* Plugged at probe (a reboot): everything is unplugged first. */
	virtio_mem_fake_request(&fake, MiB(64));
	fake.plugged[3] = 1;
	fake.cfg.plugged_size = MiB(2);
	probe();
	assert_int_equal(fake.cfg.plugged_size, MiB(2));
	assert_int_equal(virtio_mem_run(vm), 0);
	/* 64 MiB: one block added, 32 sub-blocks plugged (the memmap's first). */
	expect(MiB(64), 1);
	assert_int_equal(virtio_mem_block_map(0, 0, map, sizeof(map), st, sizeof(st)), 0);
	assert_string_equal(map, "################################................................");
	assert_string_equal(st, "online");
	mem = find_memory_block(4);
	assert_int_equal(mem->state, MEM_BLOCK_ONLINE);

	request(MiB(256), 0);
	expect(MiB(256), 2);
	/* 258 MiB: a third block holding nothing but its memmap. */
	request(MiB(258), 0);
	expect(MiB(258), 3);
	assert_int_equal(virtio_mem_block_map(0, 2, map, sizeof(map), st, sizeof(st)), 0);
	assert_string_equal(map, "#...............................................................");
	/* Its unplugged pages are Offline: present, not managed. */
	assert_int_equal(page_type(pfn_to_page(REGION_PFN + 2 * BLOCK_PAGES + 600)), PGTY_OFFLINE);

	/* Down to 130 MiB: block 2 leaves whole, block 1 sub-block by sub-block. */
	request(MiB(130), 0);
	expect(MiB(130), 2);
	assert_int_equal(virtio_mem_block_map(0, 1, map, sizeof(map), st, sizeof(st)), 0);
	assert_string_equal(map, "#...............................................................");

	/* An offline by hand steps over the unplugged pages; online again keeps them out. */
	assert_int_equal(memory_block_offline(5), 0);
	assert_int_equal(virtio_mem_block_map(0, 1, map, sizeof(map), st, sizeof(st)), 0);
	assert_string_equal(st, "offline");
	mm_machine_assert_clean();
	assert_int_equal(memory_block_online(5, MMOP_ONLINE_MOVABLE), 0);
	expect(MiB(130), 2);

	/* Back up into the partly plugged block first. */
	request(MiB(192), 0);
	expect(MiB(192), 2);

	request(0, 0);
	expect(0, 0);
	assert_int_equal(managed(), boot_managed);
	assert_true(host_log_contains("@hotmm {\"event\":\"virtio_mem\""));
}

static void test_busy_page_partial_unplug(void **state)
{
	struct page *page;
	unsigned long pfn;

	probe();
	request(MiB(256), 0);
	expect(MiB(256), 2);
	/* An allocated page without an owner cannot move: one in block 1, past its first sub-blocks. */
	{
		static struct page *others[70000];
		unsigned int n = 0, i;

		for (;;) {
			page = alloc_pages(GFP_MOVABLE, 0);
			assert_non_null(page);
			pfn = page_to_pfn(page);
			if (pfn >= REGION_PFN + BLOCK_PAGES + 2048 && pfn < REGION_PFN + 2 * BLOCK_PAGES)
				break;
			assert_true(n < ARRAY_SIZE(others));
			others[n++] = page;
		}
		for (i = 0; i < n; i++)
			__free_page(others[i]);
	}
	delayed = 0;
	request(0, -EBUSY);
	/* Everything but the busy page's sub-block and its block's memmap is gone. */
	expect(MiB(4), 1);
	assert_int_equal(delayed, 1);		/* a retry is queued */
	assert_int_equal(page_type(page), PGTY_ALLOCATED);
	__free_page(page);
	(void)pfn;
	request(0, 0);
	expect(0, 0);
}

static void test_device_refusals(void **state)
{
	probe();
	request(MiB(128), 0);
	/* BUSY unplugs: nothing lost, plugged as before, retry queued. */
	fake.busy_unplugs = 1000;
	delayed = 0;
	request(MiB(64), -EBUSY);
	expect(MiB(128), 1);
	assert_int_equal(delayed, 1);
	fake.busy_unplugs = 0;
	request(MiB(64), 0);
	expect(MiB(64), 1);
	/* A request that is not whole device blocks is refused, naming the field. */
	virtio_mem_fake_request(&fake, MiB(3));
	assert_int_equal(virtio_mem_run(vm), -EINVAL);
	assert_true(host_log_contains("requested_size 0x300000 is not a multiple of block_size 0x200000"));
	expect(MiB(64), 1);
	/* A garbled answer: the driver stops using the device, memory stays as it was. */
	fake.short_resp = 1;
	request(MiB(128), -EIO);
	assert_true(host_log_contains("answer to PLUG is 1 bytes"));
	{
		struct virtio_mem_info info;

		/* The device did plug: that memory is never used (unknown state is not guessed). */
		assert_true(virtio_mem_get_info(0, &info));
		assert_int_equal(info.plugged_size, MiB(64));
		assert_int_equal(managed(), boot_managed + (MiB(64) >> 12) - VMEMMAP_PAGES);
	}
	assert_int_equal(virtio_mem_run(vm), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_checks),
		cmocka_unit_test(test_responses),
		cmocka_unit_test_setup_teardown(test_probe_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grow_shrink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_page_partial_unplug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
