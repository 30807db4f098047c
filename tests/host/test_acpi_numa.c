/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_acpi_numa.c - host tests of arch/x86_64/numa.c with the real memblock
 *
 * Each QEMU configuration's SRAT/SLIT/MADT (tests/fixtures/acpi/) over the
 * memory map that configuration's firmware gives (RAM below 640K, then from
 * 1 MiB to the top of RAM minus the 128 KiB SeaBIOS keeps for the tables),
 * checking nodes, CPU placement, memblock node tags, the hotplug window and
 * distances against what the QEMU command line must give; then bad SRATs,
 * which must fall back to one node with the reason said.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/host/host_stubs.h"
#include "tests/host/acpi_fixture.h"
#include "arch/x86_64/numa.h"

static struct acpi_problems probs;
static struct acpi_madt_info madt;
static struct acpi_srat_info srat;
static struct acpi_slit_info slit;

static void load(const char *dir, bool with_slit)
{
	struct tbuf t = fixture(dir, "apic.dat");

	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	tbuf_free(&t);
	t = fixture(dir, "srat.dat");
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	tbuf_free(&t);
	if (with_slit) {
		t = fixture(dir, "slit.dat");
		assert_int_equal(acpi_parse_slit(t.data, t.len, &slit, &probs), 0);
		tbuf_free(&t);
	}
}

/* QEMU/SeaBIOS's e820 RAM for -m @mib. */
static void qemu_ram(uint64_t mib)
{
	memblock_reset();
	assert_int_equal(memblock_add(0, 0x9fc00), 0);
	assert_int_equal(memblock_add(0x100000, (mib << 20) - 0x20000 - 0x100000), 0);
}

static int setup(void **state)
{
	acpi_problems_reset(&probs);
	host_log_clear();
	memset(&slit, 0, sizeof(slit));
	return 0;
}

static int nid_at(phys_addr_t addr)
{
	return memblock_search_pfn_nid(PHYS_PFN(addr), NULL, NULL);
}

static phys_addr_t node_mem(int nid)
{
	phys_addr_t sum = 0;

	for (unsigned long i = 0; i < memblock.memory.cnt; i++)
		if (memblock.memory.regions[i].nid == nid)
			sum += memblock.memory.regions[i].size;
	return sum;
}

static void numa_qemu_numa2(void **state)
{
	const struct numa_hotplug_range *hp;
	unsigned int n;

	load("qemu-numa2", false);
	qemu_ram(1024);
	assert_int_equal(numa_init_acpi(&srat, NULL, &madt, &probs), 0);
	assert_int_equal(probs.errors, 0);
	assert_false(numa_is_dummy());
	assert_int_equal(nr_node_ids, 2);
	assert_true(node_online(0) && node_online(1));
	assert_int_equal(numa_node_of_apicid(0), 0);
	assert_int_equal(numa_node_of_apicid(1), 0);
	assert_int_equal(numa_node_of_apicid(2), 1);
	assert_int_equal(numa_node_of_apicid(3), 1);
	assert_int_equal(numa_node_of_apicid(4), NUMA_NO_NODE);
	assert_int_equal(nid_at(0x1000), 0);
	assert_int_equal(nid_at((512 << 20) - 4096), 0);
	assert_int_equal(nid_at(512 << 20), 1);
	assert_int_equal(nid_at((1024 << 20) - 0x21000), 1);
	assert_int_equal(node_mem(1), (512 << 20) - 0x20000);
	hp = numa_hotplug_ranges(&n);
	assert_int_equal(n, 1);
	assert_int_equal(hp[0].start, 4ULL << 30);
	assert_int_equal(hp[0].end, (4ULL << 30) + (11ULL << 30));
	assert_int_equal(hp[0].nid, 1);		/* QEMU: the last node */
	assert_int_equal(node_distance(0, 1), 20);	/* no SLIT */
	assert_int_equal(node_distance(1, 1), 10);
}

static void numa_qemu_numa3_slit(void **state)
{
	load("qemu-numa3-slit", true);
	qemu_ram(1536);
	assert_int_equal(numa_init_acpi(&srat, &slit, &madt, &probs), 0);
	assert_int_equal(nr_node_ids, 3);
	for (int c = 0; c < 3; c++)
		assert_int_equal(numa_node_of_apicid(c), c);
	assert_int_equal(node_distance(0, 1), 21);
	assert_int_equal(node_distance(0, 2), 31);
	assert_int_equal(node_distance(2, 1), 41);
	assert_int_equal(node_distance(2, 2), 10);
	assert_int_equal(node_mem(2), (512 << 20) - 0x20000);
	assert_int_equal(nid_at(1024 << 20), 2);
	numa_hotplug_ranges(&(unsigned int){ 0 });
}

static void numa_qemu_memoryless(void **state)
{
	unsigned int n;

	load("qemu-memless", false);
	qemu_ram(512);
	assert_int_equal(numa_init_acpi(&srat, NULL, &madt, &probs), 0);
	assert_int_equal(nr_node_ids, 2);
	assert_true(node_online(1));		/* it has a CPU */
	assert_int_equal(node_mem(1), 0);
	assert_int_equal(node_mem(0), 0x9fc00 + (512 << 20) - 0x20000 - 0x100000);
	assert_int_equal(numa_node_of_apicid(1), 1);
	assert_int_equal(numa_node_nr_cpus(1), 1);
	numa_hotplug_ranges(&n);
	assert_int_equal(n, 0);
}

static void numa_qemu_hotplug_window(void **state)
{
	const struct numa_hotplug_range *hp;
	unsigned int n;

	load("qemu-hotplug", false);
	qemu_ram(512);
	assert_int_equal(numa_init_acpi(&srat, NULL, &madt, &probs), 0);
	assert_int_equal(nr_node_ids, 1);
	hp = numa_hotplug_ranges(&n);
	assert_int_equal(n, 1);
	assert_int_equal(hp[0].start, 0x100000000ULL);
	assert_int_equal(hp[0].end, 0xae0000000ULL);	/* 4G + 31.5G + 8 slots x 1G */
	assert_int_equal(hp[0].nid, 0);
	/* The window holds no boot RAM: nothing in memblock is marked hot-pluggable. */
	for (unsigned long i = 0; i < memblock.memory.cnt; i++)
		assert_false(memblock.memory.regions[i].flags & MEMBLOCK_HOTPLUG);
}

static void numa_qemu_nvdimm(void **state)
{
	const struct numa_hotplug_range *hp;
	unsigned int n;

	/* The NVDIMM's non-volatile entry [4G, 5G) lies inside QEMU's hotplug window [4G, 15.5G). */
	load("qemu-nvdimm", false);
	assert_int_equal(srat.nr_mem, 4);
	assert_int_equal(srat.mem[2].flags, ACPI_SRAT_MEM_ENABLED | ACPI_SRAT_MEM_NON_VOLATILE);
	assert_int_equal(probs.count, 0);	/* device memory in the window: nothing to merge or warn */
	qemu_ram(512);
	assert_int_equal(numa_init_acpi(&srat, NULL, &madt, &probs), 0);
	assert_int_equal(probs.count, 0);
	hp = numa_hotplug_ranges(&n);
	assert_int_equal(n, 1);	/* the window stays hot-pluggable: the NVDIMM is not RAM */
	assert_int_equal(hp[0].start, 0x100000000ULL);
	assert_int_equal(hp[0].end, 0x3e0000000ULL);
	assert_int_equal(pxm_to_node(0), 0);
}

static void numa_real_dell_dense_ids(void **state)
{
	/* Domains 1-4 become nodes 0-3; distances come from SLIT rows 1-4. */
	load("real-Dell-PowerEdge-PowerEdge_R820", true);
	memblock_reset();
	assert_int_equal(numa_init_acpi(&srat, &slit, &madt, &probs), 0);
	assert_int_equal(nr_node_ids, 4);
	for (int n = 0; n < 4; n++)
		assert_int_equal(node_to_pxm(n), n + 1);
	assert_int_equal(pxm_to_node(3), 2);
	assert_int_equal(numa_node_of_apicid(0), 0);
	assert_int_equal(numa_node_of_apicid(121), 3);
	assert_int_equal(numa_node_nr_cpus(2), 20);
	assert_int_equal(node_distance(0, 1), slit.dist[1][2]);
	assert_int_equal(node_distance(3, 0), slit.dist[4][1]);
}

static void numa_fallback_overlap(void **state)
{
	uint8_t e[80] = { 0 };
	struct tbuf t;
	unsigned int n;

	/* Two domains claiming the same gigabyte. */
	e[0] = 1; e[1] = 40; put32(e, 2, 0); put64(e, 16, 1ULL << 30); put32(e, 28, 1);
	e[40] = 1; e[41] = 40; put32(e, 42, 1); put64(e, 56, 1ULL << 30); put32(e, 68, 1);
	{
		uint8_t body[12 + 80] = { 0 };

		memcpy(body + 12, e, 80);
		t = make_table("SRAT", 1, body, sizeof(body));
	}
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	qemu_ram(1024);
	assert_int_equal(numa_init_acpi(&srat, NULL, &madt, &probs), -EINVAL);
	assert_true(numa_is_dummy());
	assert_int_equal(nr_node_ids, 1);
	assert_true(host_log_contains("NUMA: SRAT not used (the SRAT has errors); falling back to one node 0"));
	assert_int_equal(node_mem(0), memblock_phys_mem_size());
	numa_hotplug_ranges(&n);
	assert_int_equal(n, 0);
	tbuf_free(&t);
}

static void numa_fallback_not_covering(void **state)
{
	load("qemu-numa2", false);	/* covers 1 GiB */
	qemu_ram(2048);			/* but the firmware has 2 GiB */
	assert_int_equal(numa_init_acpi(&srat, NULL, &madt, &probs), -EINVAL);
	assert_true(numa_is_dummy());
	assert_true(acpi_problems_contain(&probs, "memory ranges cover only 1023 MiB of the 2047 MiB of RAM"));
	assert_int_equal(nid_at(1536 << 20), 0);
}

static void numa_fallback_too_many_domains(void **state)
{
	size_t n = 0;
	uint8_t *body = calloc(1, 12 + 70 * 40);
	struct tbuf t;

	for (uint32_t i = 0; i < 70; i++, n += 40) {
		uint8_t *e = body + 12 + n;

		e[0] = 1;
		e[1] = 40;
		put32(e, 2, i);
		put64(e, 8, (uint64_t)i << 30);
		put64(e, 16, 1ULL << 30);
		put32(e, 28, 1);
	}
	t = make_table("SRAT", 2, body, 12 + n);
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	memblock_reset();
	assert_int_equal(numa_init_acpi(&srat, NULL, NULL, &probs), -EINVAL);
	assert_true(acpi_problems_contain(&probs, "proximity domain 64 would be node 64, more than MAX_NUMNODES (64)"));
	assert_int_equal(nr_node_ids, 1);
	free(body);
	tbuf_free(&t);
}

static void numa_no_srat_and_bad_slit(void **state)
{
	struct tbuf t = fixture("qemu-plain", "apic.dat");

	assert_int_equal(acpi_parse_madt(t.data, t.len, &madt, &probs), 0);
	tbuf_free(&t);
	qemu_ram(512);
	numa_init_dummy(&madt, "no SRAT");
	assert_int_equal(nr_node_ids, 1);
	assert_int_equal(numa_node_of_apicid(1), 0);
	assert_int_equal(node_mem(0), memblock_phys_mem_size());

	/* A SLIT whose diagonal is wrong is ignored: default distances. */
	load("qemu-numa3-slit", true);
	slit.valid = false;
	qemu_ram(1536);
	assert_int_equal(numa_init_acpi(&srat, &slit, &madt, &probs), 0);
	assert_int_equal(node_distance(0, 2), 20);
}

static void numa_cpu_missing_from_srat(void **state)
{
	load("qemu-numa2", false);
	srat.nr_cpus = 3;		/* forget apic 3 */
	qemu_ram(1024);
	assert_int_equal(numa_init_acpi(&srat, NULL, &madt, &probs), 0);
	assert_true(acpi_problems_contain(&probs, "enabled CPU apic_id 0x3 (MADT +0x44) has no processor affinity entry; put on node 0"));
	assert_int_equal(numa_node_of_apicid(3), 0);
}

/*
 * Parse into srat an SRAT of two 512 MiB memory ranges: node 0's at 0 with
 * @flags0, node 1's at 512 MiB enabled and hot-pluggable (flags 3).
 */
static struct tbuf parse_srat_two_nodes(uint32_t flags0)
{
	uint8_t body[12 + 80] = { 0 };
	uint8_t *e = body + 12;
	struct tbuf t;

	e[0] = 1; e[1] = 40; put32(e, 2, 0); put64(e, 16, 512ULL << 20); put32(e, 28, flags0);
	e[40] = 1; e[41] = 40; put32(e, 42, 1); put64(e, 48, 512ULL << 20); put64(e, 56, 512ULL << 20);
	put32(e, 68, 3);
	t = make_table("SRAT", 2, body, sizeof(body));
	assert_int_equal(acpi_parse_srat(t.data, t.len, &srat, &probs), 0);
	return t;
}

static void numa_hotpluggable_boot_memory(void **state)
{
	/* Node 1's boot RAM is flagged hot-pluggable: the node is online all the same, and
	 * memblock marks the range MEMBLOCK_HOTPLUG, as Linux does. */
	struct tbuf t = parse_srat_two_nodes(1);
	unsigned int n;

	qemu_ram(1024);
	assert_int_equal(numa_init_acpi(&srat, NULL, NULL, &probs), 0);
	assert_int_equal(nr_node_ids, 2);
	assert_true(node_online(1));
	assert_int_equal(nid_at(768 << 20), 1);
	for (unsigned long i = 0; i < memblock.memory.cnt; i++)
		if (memblock.memory.regions[i].base >= (512 << 20))
			assert_true(memblock.memory.regions[i].flags & MEMBLOCK_HOTPLUG);
	numa_hotplug_ranges(&n);
	assert_int_equal(n, 1);
	tbuf_free(&t);
}

static void numa_kernel_node_not_hotpluggable(void **state)
{
	/*
	 * Both nodes flagged hot-pluggable; memblock holds the kernel's reservations
	 * (low 1 MiB, the image) on node 0: all of node 0 loses the flag (Linux's
	 * numa_clear_kernel_node_hotplug), node 1 keeps it.
	 */
	struct tbuf t = parse_srat_two_nodes(3);

	qemu_ram(1024);
	assert_int_equal(memblock_reserve(0, 1 << 20), 0);
	assert_int_equal(memblock_reserve(1 << 20, 2 << 20), 0);
	assert_int_equal(numa_init_acpi(&srat, NULL, NULL, &probs), 0);
	assert_true(host_log_contains("NUMA: node 0 holds kernel memory"));
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		assert_int_equal(!!(r->flags & MEMBLOCK_HOTPLUG), r->nid == 1);
	}
	assert_int_equal(nid_at(768 << 20), 1);
	tbuf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(numa_qemu_numa2, setup),
		cmocka_unit_test_setup(numa_qemu_numa3_slit, setup),
		cmocka_unit_test_setup(numa_qemu_memoryless, setup),
		cmocka_unit_test_setup(numa_qemu_hotplug_window, setup),
		cmocka_unit_test_setup(numa_real_dell_dense_ids, setup),
		cmocka_unit_test_setup(numa_fallback_overlap, setup),
		cmocka_unit_test_setup(numa_fallback_not_covering, setup),
		cmocka_unit_test_setup(numa_fallback_too_many_domains, setup),
		cmocka_unit_test_setup(numa_no_srat_and_bad_slit, setup),
		cmocka_unit_test_setup(numa_cpu_missing_from_srat, setup),
		cmocka_unit_test_setup(numa_hotpluggable_boot_memory, setup),
		cmocka_unit_test_setup(numa_qemu_nvdimm, setup),
		cmocka_unit_test_setup(numa_kernel_node_not_hotpluggable, setup),
	};

	return cmocka_run_group_tests_name("acpi_numa", tests, NULL, NULL);
}
