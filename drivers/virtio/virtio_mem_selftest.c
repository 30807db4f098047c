/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem_selftest.c - the virtio-mem driver in the kernel, against the device model
 *
 *   virtio_mem_fake  takes a hot-added range (boot with memhp_withhold=SIZE,
 *                    at least 384 MiB) out of use, puts the device model
 *                    (virtio_mem_fake.c, 2 MiB device blocks) over it and
 *                    drives the real driver: grow to all of it, 258 MiB (a
 *                    block holding only its memmap), an offline and online
 *                    by hand over unplugged pages, then 0 while a page
 *                    without an owner is held (the unplug stops short, the
 *                    device keeps exactly what is busy), and 0 again once
 *                    it is freed. After every step the device's
 *                    plugged_size equals the driver's, MemTotal is boot +
 *                    plugged - memmap of the added blocks, and the
 *                    accounting check (mm_selftest.h) holds. The range is
 *                    added back at the end.
 * Reports `virtio_mem_fake` with the steps passed.
 */
#include <errno.h>

#include "drivers/virtio/virtio_mem.h"
#include "drivers/virtio/virtio_mem_fake.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/mm_selftest.h"
#include "mm/page_alloc.h"
#include "mm/migrate.h"
#include "mm/mmzone.h"
#include "kernel/selftest.h"
#include "kernel/printk.h"
#include "kernel/workqueue.h"

static unsigned long total_managed(void)
{
	unsigned long n = 0;
	int nid, z;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!node_has_pgdat(nid))
			continue;
		for (z = 0; z < MAX_NR_ZONES; z++)
			n += zone_managed_pages(&NODE_DATA(nid)->node_zones[z]);
	}
	return n;
}

static struct virtio_mem_fake fake;
static struct virtio_mem *vm;
static unsigned long base_managed, vmemmap_pages;

/* Ask for size; the run must return want; then check the counts (blocks: added ones). */
static int step(const char *what, uint64_t size, int want)
{
	struct virtio_mem_info info;
	unsigned long blocks = 0, expect_managed;
	int ret;

	virtio_mem_fake_request(&fake, size);
	flush_workqueue();	/* the probe's first run, a retry: not at the same time as ours */
	ret = virtio_mem_run(vm);
	virtio_mem_get_info(0, &info);
	for (unsigned long i = 0; i < info.geo.nr_mbs; i++) {
		char map[600], st[16];

		if (!virtio_mem_block_map((unsigned int)info.id, i, map, sizeof(map), st, sizeof(st)) &&
		    st[0] != 'u')
			blocks++;
	}
	expect_managed = base_managed + (unsigned long)(fake.cfg.plugged_size >> PAGE_SHIFT) -
			 blocks * vmemmap_pages;
	if (ret != want || fake.cfg.plugged_size != info.plugged_size || total_managed() != expect_managed) {
		pr_err("virtio_mem_fake: %s: run %d (want %d), device plugged %llu, driver %llu, "
		       "managed %lu (want %lu)\n", what, ret, want, (unsigned long long)fake.cfg.plugged_size,
		       (unsigned long long)info.plugged_size, total_managed(), expect_managed);
		return -1;
	}
	if (mm_selftest_accounting()) {
		pr_err("virtio_mem_fake: %s: the accounting does not add up\n", what);
		return -1;
	}
	return 0;
}

static int test_virtio_mem_fake(void)
{
	uint64_t start[16], size[16], base = 0, len = 0;
	int nid[16], ret = -EIO, steps = 0, base_nid = 0;
	unsigned int n, i;
	struct page *busy = NULL;

	n = memhp_withheld_ranges(start, size, nid, 16);
	for (i = 0; i < n && i < 16; i++) {
		if (size[i] > len) {
			base = start[i];
			len = size[i];
			base_nid = nid[i];
		}
	}
	if (len < 3 * memory_block_size_bytes()) {
		pr_notice("virtio_mem_fake: needs 3 memory blocks of withheld RAM (boot with memhp_withhold=384M)\n");
		return SELFTEST_SKIP;
	}
	drain_all_pages(NULL);
	if (offline_and_remove_memory(base, len)) {
		pr_err("virtio_mem_fake: the withheld range [%#llx-%#llx) does not go away (pages in use)\n",
		       (unsigned long long)base, (unsigned long long)(base + len));
		return -EIO;
	}
	if (virtio_mem_fake_init(&fake, base, len, SZ_2M))
		goto readd;
	base_managed = total_managed();
	vmemmap_pages = mhp_memmap_on_memory() ? memory_block_pages() * sizeof(struct page) / PAGE_SIZE : 0;
	vm = virtio_mem_probe(&virtio_mem_fake_transport, &fake, false);
	if (!vm)
		goto destroy;
	virtio_mem_config_changed(vm);
	if (step("grow to all", len, 0))
		goto out;
	steps++;
	if (step("258 MiB", 258ull << 20, 0))
		goto out;
	steps++;
	/* Offline and online by hand: the unplugged pages are stepped over and stay out. */
	if (memory_block_offline(pfn_to_block_id(PFN_DOWN(base + memory_block_size_bytes() * 2))) ||
	    memory_block_online(pfn_to_block_id(PFN_DOWN(base + memory_block_size_bytes() * 2)),
				MMOP_ONLINE_MOVABLE) ||
	    step("after offline/online by hand", 258ull << 20, 0))
		goto out;
	steps++;
	/* A page nobody can move (allocated, no owner), in the middle of the second block. */
	{
		unsigned long pfn = PFN_DOWN(base + memory_block_size_bytes() + memory_block_size_bytes() / 2);

		if (!alloc_contig_range(pfn, pfn + 1))
			busy = pfn_to_page(pfn);
	}
	if (busy) {
		if (step("0 with a busy page", 0, -EBUSY))
			goto out;
		if (fake.cfg.plugged_size != 2 * SZ_2M) {
			pr_err("virtio_mem_fake: with one busy page %llu bytes stay plugged, want 4 MiB "
			       "(its sub-block and its block's memmap)\n", (unsigned long long)fake.cfg.plugged_size);
			goto out;
		}
		free_contig_range(page_to_pfn(busy), 1);
		busy = NULL;
		steps++;
	} else {
		pr_err("virtio_mem_fake: alloc_contig_range of one free page of the second block failed\n");
		goto out;
	}
	if (step("0", 0, 0))
		goto out;
	steps++;
	ret = 0;
out:
	if (busy)
		free_contig_range(page_to_pfn(busy), 1);
	if (virtio_mem_remove(vm)) {
		pr_err("virtio_mem_fake: the device could not be removed; its range stays out of use\n");
		ret = -EIO;
		goto report;	/* its memory is still the driver's */
	}
destroy:
	virtio_mem_fake_destroy(&fake);
readd:
	if (add_memory(base_nid, base, len, MHP_MEMMAP_ON_MEMORY))
		pr_err("virtio_mem_fake: could not add [%#llx-%#llx) back\n", (unsigned long long)base,
		       (unsigned long long)(base + len));
report:
	report("virtio_mem_fake", "\"steps\":%d,\"ok\":%s", steps, ret ? "false" : "true");
	return ret;
}
SELFTEST(virtio_mem_fake, test_virtio_mem_fake);
