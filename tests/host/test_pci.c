/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_pci.c - PCI scanning, BARs, capabilities, MSI-X and virtio structures
 *
 * A fake config space (fake_pci.c) holds machines built here: what QEMU's
 * pc machine looks like with a virtio-rng behind a PCI bridge, then
 * functions that lie: a 64-bit BAR in the last slot, capability chains that
 * loop or point into the header, MSI-X tables and virtio structures past
 * the end of their BAR, bridges that point back at their own bus. Each lie
 * must be refused with a message naming the function, the register and
 * the value, and the rest of the machine must still be found. MCFG: QEMU
 * q35's real table, then broken ones.
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
#include "tests/host/fake_pci.h"
#include "tests/host/acpi_fixture.h"
#include "drivers/virtio/virtio_pci_caps.h"
#include "drivers/virtio/virtio.h"
#include "drivers/acpi/mcfg.h"

static int setup(void **state)
{
	fake_pci_reset();
	pci_free_devices();
	host_log_clear();
	return 0;
}

/* Vendor capability of a virtio structure: cap_len, cfg_type, bar, id, pad, offset, length[, mult]. */
static void virtio_cap(struct fake_fn *f, uint8_t off, uint8_t type, uint8_t bar, uint32_t offset,
		       uint32_t length, uint32_t mult)
{
	uint8_t body[18] = { type == VIRTIO_PCI_CAP_NOTIFY_CFG ? 20 : 16, type, bar, 0, 0, 0 };

	memcpy(body + 6, &offset, 4);
	memcpy(body + 10, &length, 4);
	memcpy(body + 14, &mult, 4);
	fake_pci_cap(f, off, PCI_CAP_ID_VNDR, body, type == VIRTIO_PCI_CAP_NOTIFY_CFG ? 18 : 14);
}

static void msix_cap(struct fake_fn *f, uint8_t off, uint16_t entries, uint32_t table, uint32_t pba)
{
	uint8_t body[10];
	uint16_t ctrl = entries - 1;

	memcpy(body, &ctrl, 2);
	memcpy(body + 2, &table, 4);
	memcpy(body + 6, &pba, 4);
	fake_pci_cap(f, off, PCI_CAP_ID_MSIX, body, sizeof(body));
}

/* QEMU's virtio-rng-pci (transitional): I/O BAR0, MSI-X in BAR1, structures in 64-bit BAR4. */
static struct fake_fn *add_virtio_rng(unsigned int bus, unsigned int slot, uint32_t mmio, uint64_t bar4)
{
	struct fake_fn *f = fake_pci_add(bus, slot, 0, 0x1af4, 0x1005, 0x00ff00, 0);

	fake_put16(f, PCI_SUBSYSTEM_VENDOR_ID, 0x1af4);
	fake_put16(f, PCI_SUBSYSTEM_ID, VIRTIO_ID_RNG);
	fake_pci_bar(f, 0, 0xc000 + 0x40 * slot, 32, PCI_BASE_ADDRESS_SPACE_IO);
	fake_pci_bar(f, 1, mmio, 4096, 0);
	fake_pci_bar(f, 4, bar4, 16384, PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	msix_cap(f, 0x98, 2, 1 | 0x000, 1 | 0x800);
	virtio_cap(f, 0x84, VIRTIO_PCI_CAP_PCI_CFG, 0, 0, 0, 0);
	virtio_cap(f, 0x70, VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000, 4);
	virtio_cap(f, 0x60, VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x2000, 0x1000, 0);
	virtio_cap(f, 0x50, VIRTIO_PCI_CAP_ISR_CFG, 4, 0x1000, 0x1000, 0);
	virtio_cap(f, 0x40, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x0000, 0x1000, 0);
	return f;
}

static struct fake_fn *rng, *bridge, *rng2, *vga, *isa;

/* pc: host bridge, multi-function PIIX (ISA + IDE at fn 1), VGA, rng, bridge to bus 1 with a rng. */
static void build_pc(void)
{
	fake_pci_add(0, 0, 0, 0x8086, 0x1237, 0x060000, 0);
	isa = fake_pci_add(0, 1, 0, 0x8086, 0x7000, 0x060100, 0x80);
	fake_pci_bar(fake_pci_add(0, 1, 1, 0x8086, 0x7010, 0x010180, 0), 4, 0xd060, 16,
		     PCI_BASE_ADDRESS_SPACE_IO);
	vga = fake_pci_add(0, 2, 0, 0x1234, 0x1111, 0x030000, 0);
	fake_pci_bar(vga, 0, 0xfd000000, 16 << 20, PCI_BASE_ADDRESS_MEM_PREFETCH);
	fake_pci_bar(vga, 2, 0xfea70000, 4096, 0);
	fake_pci_rom(vga, 0xfea60000, 64 << 10);
	rng = add_virtio_rng(0, 4, 0xfea71000, 0xfe200000);
	bridge = fake_pci_add(0, 5, 0, 0x1b36, 0x0001, 0x060400, 1);
	fake_put8(bridge, PCI_PRIMARY_BUS, 0);
	fake_put8(bridge, PCI_SECONDARY_BUS, 1);
	fake_put8(bridge, PCI_SUBORDINATE_BUS, 1);
	fake_pci_bar(bridge, 0, 0xfea72000, 256, PCI_BASE_ADDRESS_MEM_TYPE_64);
	rng2 = add_virtio_rng(1, 3, 0xfe800000, 0x8000000000ull);
}

static void test_scan_pc_with_bridge(void **state)
{
	static const struct { uint8_t bus, devfn; uint16_t vendor, device; uint32_t class; } want[] = {
		{ 0, PCI_DEVFN(0, 0), 0x8086, 0x1237, 0x060000 },
		{ 0, PCI_DEVFN(1, 0), 0x8086, 0x7000, 0x060100 },
		{ 0, PCI_DEVFN(1, 1), 0x8086, 0x7010, 0x010180 },
		{ 0, PCI_DEVFN(2, 0), 0x1234, 0x1111, 0x030000 },
		{ 0, PCI_DEVFN(4, 0), 0x1af4, 0x1005, 0x00ff00 },
		{ 0, PCI_DEVFN(5, 0), 0x1b36, 0x0001, 0x060400 },
		{ 1, PCI_DEVFN(3, 0), 0x1af4, 0x1005, 0x00ff00 },
	};
	unsigned int i = 0;

	build_pc();
	assert_int_equal(pci_scan_root_bus(&fake_pci_ops), 7);
	for_each_pci_dev(d) {
		assert_true(i < ARRAY_SIZE(want));
		assert_int_equal(d->bus, want[i].bus);
		assert_int_equal(d->devfn, want[i].devfn);
		assert_int_equal(d->vendor, want[i].vendor);
		assert_int_equal(d->device, want[i].device);
		assert_int_equal(d->class, want[i].class);
		i++;
	}
	assert_int_equal(i, 7);
	assert_string_equal(pci_get_slot(1, PCI_DEVFN(3, 0))->name, "0000:01:03.0");
	assert_ptr_equal(pci_get_slot(1, PCI_DEVFN(3, 0))->bus_self, pci_get_slot(0, PCI_DEVFN(5, 0)));
	assert_null(pci_get_slot(0, PCI_DEVFN(1, 2)));
	assert_string_equal(pci_class_name(pci_get_slot(0, PCI_DEVFN(5, 0))->class), "PCI bridge");
	assert_int_equal(host_log_len, 0);	/* nothing wrong, nothing said */
}

static void test_bar_sizes_and_restore(void **state)
{
	const struct pci_dev *d;

	build_pc();
	pci_scan_root_bus(&fake_pci_ops);
	d = pci_get_slot(0, PCI_DEVFN(4, 0));
	assert_int_equal(d->bar[0].size, 32);
	assert_int_equal(d->bar[0].start, 0xc100);
	assert_int_equal(d->bar[0].flags, PCI_BAR_IO);
	assert_int_equal(d->bar[1].size, 4096);
	assert_int_equal(d->bar[1].start, 0xfea71000);
	assert_int_equal(d->bar[1].flags, 0);
	assert_int_equal(d->bar[4].size, 16384);
	assert_int_equal(d->bar[4].start, 0xfe200000);
	assert_int_equal(d->bar[4].flags, PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
	assert_int_equal(d->bar[5].size, 0);	/* the upper half is not a BAR of its own */
	assert_int_equal(d->bar[2].size, 0);
	d = pci_get_slot(1, PCI_DEVFN(3, 0));
	assert_int_equal(d->bar[4].start, 0x8000000000ull);
	d = pci_get_slot(0, PCI_DEVFN(2, 0));
	assert_int_equal(d->bar[0].size, 16 << 20);
	assert_int_equal(d->bar[PCI_ROM_RESOURCE].size, 64 << 10);
	assert_int_equal(d->bar[PCI_ROM_RESOURCE].start, 0xfea60000);
	d = pci_get_slot(0, PCI_DEVFN(5, 0));
	assert_int_equal(d->bar[0].size, 256);
	assert_int_equal(d->secondary, 1);
	/* Sizing left every BAR and the command register as the firmware set them. */
	assert_int_equal(fake_get32(rng, PCI_BASE_ADDRESS_0), 0xc100 | 1);
	assert_int_equal(fake_get32(rng, PCI_BASE_ADDRESS_0 + 16), 0xfe200000 | 0xc);
	assert_int_equal(fake_get32(rng2, PCI_BASE_ADDRESS_0 + 20), 0x80);
	assert_int_equal(fake_get32(vga, PCI_ROM_ADDRESS), 0xfea60000);
	assert_int_equal(fake_get32(rng, PCI_COMMAND) & 0xffff, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
}

static void test_unassigned_and_bad_bars(void **state)
{
	struct fake_fn *f = fake_pci_add(0, 0, 0, 0x1234, 0x5678, 0x020000, 0);
	const struct pci_dev *d;

	fake_pci_bar(f, 0, 0, 4096, 0);				/* sized, no address */
	fake_pci_bar(f, 1, 0xfe001000, 8192, 0);		/* not aligned to its size */
	fake_put32(f, PCI_BASE_ADDRESS_0 + 8, 0x2);		/* reserved memory type */
	f->wmask[2] = 0xfffff000;
	fake_put32(f, PCI_BASE_ADDRESS_0 + 12, 0x8);		/* type bits, no writable address bit */
	fake_put32(f, PCI_BASE_ADDRESS_0 + 16, 0xe001);		/* I/O whose upper 16 bits read 0 */
	f->wmask[4] = 0x0000ffe0;
	fake_put32(f, PCI_BASE_ADDRESS_0 + 20, 0xfe000004);	/* 64-bit in BAR5: no upper half */
	f->wmask[5] = 0xfffff000;
	pci_scan_root_bus(&fake_pci_ops);
	d = pci_devices;
	assert_non_null(d);
	assert_int_equal(d->bar[0].flags, PCI_BAR_UNASSIGNED);
	assert_int_equal(d->bar[0].size, 4096);
	assert_true(d->bar[1].flags & PCI_BAR_INVALID);
	assert_true(host_log_contains("pci 0000:00:00.0: BAR1 (config 0x14): base 0xfe001000 is not "
				      "aligned to its size 0x2000"));
	assert_true(d->bar[2].flags & PCI_BAR_INVALID);
	assert_true(host_log_contains("BAR2 (config 0x18) = 0x00000002: memory type 1 is reserved"));
	assert_int_equal(d->bar[3].size, 0);			/* as Linux: no BAR there */
	assert_int_equal(d->bar[3].flags, 0);
	assert_int_equal(d->bar[4].size, 32);
	assert_int_equal(d->bar[4].start, 0xe000);
	assert_int_equal(d->bar[4].flags, PCI_BAR_IO);
	assert_true(d->bar[5].flags & PCI_BAR_INVALID);
	assert_true(host_log_contains("BAR5 (config 0x24) = 0xfe000004: 64-bit, but no BAR follows"));
}

static void test_caps_listed_in_order(void **state)
{
	const struct pci_dev *d;

	build_pc();
	pci_scan_root_bus(&fake_pci_ops);
	d = pci_get_slot(0, PCI_DEVFN(4, 0));
	assert_int_equal(d->nr_caps, 6);
	assert_int_equal(d->cap[0].offset, 0x98);
	assert_int_equal(d->cap[0].id, PCI_CAP_ID_MSIX);
	assert_int_equal(d->cap[5].offset, 0x40);
	assert_int_equal(pci_find_capability(d, PCI_CAP_ID_VNDR), 0x84);
	assert_int_equal(pci_find_next_capability(d, 0x84, PCI_CAP_ID_VNDR), 0x70);
	assert_int_equal(pci_find_next_capability(d, 0x40, PCI_CAP_ID_VNDR), 0);
	assert_int_equal(pci_find_capability(d, PCI_CAP_ID_EXP), 0);
	assert_false(d->caps_bad);
	assert_true(d->msix.present && d->msix.valid);
	assert_int_equal(d->msix.table_size, 2);
	assert_int_equal(d->msix.table_bar, 1);
	assert_int_equal(d->msix.pba_offset, 0x800);
}

static void test_cap_pointer_into_header(void **state)
{
	struct fake_fn *f = fake_pci_add(0, 3, 0, 0x1234, 0x5678, 0x020000, 0);

	fake_pci_cap(f, 0x40, PCI_CAP_ID_PM, NULL, 0);
	f->cfg[0x41] = 0x20;	/* next: inside the standard header */
	pci_scan_root_bus(&fake_pci_ops);
	assert_int_equal(pci_devices->nr_caps, 1);
	assert_true(pci_devices->caps_bad);
	assert_true(host_log_contains("pci 0000:00:03.0: capability pointer at config 0x41 = 0x20: "
				      "points into the header"));
}

static void test_cap_misaligned_and_loop(void **state)
{
	struct fake_fn *f = fake_pci_add(0, 3, 0, 0x1234, 0x5678, 0x020000, 0);
	struct fake_fn *g = fake_pci_add(0, 4, 0, 0x1234, 0x5678, 0x020000, 0);

	fake_pci_cap(f, 0x40, PCI_CAP_ID_PM, NULL, 0);
	f->cfg[0x41] = 0x51;
	fake_pci_cap(g, 0x40, PCI_CAP_ID_PM, NULL, 0);
	fake_pci_cap(g, 0x50, PCI_CAP_ID_MSI, NULL, 0);
	g->cfg[0x51] = 0x40;	/* back to the first: a loop */
	assert_int_equal(pci_scan_root_bus(&fake_pci_ops), 2);
	assert_true(host_log_contains("0000:00:03.0: capability pointer at config 0x41 = 0x51: not "
				      "dword aligned"));
	assert_true(host_log_contains("0000:00:04.0: capability list longer than 48 entries"));
	assert_int_equal(pci_get_slot(0, PCI_DEVFN(4, 0))->nr_caps, PCI_MAX_CAPS);
}

static void test_msix_table_outside_bar(void **state)
{
	struct fake_fn *f = fake_pci_add(0, 3, 0, 0x1234, 0x5678, 0x020000, 0);
	struct fake_fn *g = fake_pci_add(0, 4, 0, 0x1234, 0x5678, 0x020000, 0);
	struct fake_fn *h = fake_pci_add(0, 5, 0, 0x1234, 0x5678, 0x020000, 0);

	fake_pci_bar(f, 1, 0xfe000000, 4096, 0);
	msix_cap(f, 0x40, 512, 1 | 0x0, 1 | 0x800);	/* 512 x 16 = 8 KiB in a 4 KiB BAR */
	fake_pci_bar(g, 0, 0xc000, 256, PCI_BASE_ADDRESS_SPACE_IO);
	msix_cap(g, 0x40, 4, 0, 0x800);			/* in an I/O BAR */
	fake_pci_bar(h, 0, 0xfe100000, 4096, 0);
	msix_cap(h, 0x40, 4, 7, 0x800);			/* BIR 7 */
	pci_scan_root_bus(&fake_pci_ops);
	assert_false(pci_get_slot(0, PCI_DEVFN(3, 0))->msix.valid);
	assert_true(host_log_contains("pci 0000:00:03.0: MSI-X table (config 0x44): offset 0x0 + 0x2000 "
				      "bytes (512 entries) runs past BAR1's size 0x1000"));
	assert_false(pci_get_slot(0, PCI_DEVFN(4, 0))->msix.valid);
	assert_true(host_log_contains("0000:00:04.0: MSI-X table (config 0x44): BAR0 is an I/O BAR"));
	assert_false(pci_get_slot(0, PCI_DEVFN(5, 0))->msix.valid);
	assert_true(host_log_contains("0000:00:05.0: MSI-X table (config 0x44): BIR 7 is not a BAR"));
}

static void test_bridge_loops_refused(void **state)
{
	struct fake_fn *b0 = fake_pci_add(0, 1, 0, 0x1b36, 1, 0x060400, 1);
	struct fake_fn *b1 = fake_pci_add(1, 0, 0, 0x1b36, 1, 0x060400, 1);
	struct fake_fn *b2 = fake_pci_add(0, 2, 0, 0x1b36, 1, 0x060400, 1);

	fake_put8(b0, PCI_SECONDARY_BUS, 1);
	fake_put8(b0, PCI_SUBORDINATE_BUS, 1);
	fake_put8(b1, PCI_SECONDARY_BUS, 1);	/* points at its own bus */
	fake_put8(b2, PCI_SECONDARY_BUS, 0);	/* not assigned by firmware */
	fake_pci_add(1, 7, 0, 0x1234, 0x1, 0x020000, 0);
	assert_int_equal(pci_scan_root_bus(&fake_pci_ops), 4);
	assert_true(host_log_contains("pci 0000:01:00.0: bridge secondary bus (config 0x19) = 1 is not "
				      "above its own bus"));
	assert_true(host_log_contains("pci 0000:00:02.0: bridge secondary bus (config 0x19) = 0 is not "
				      "above its own bus"));
	assert_non_null(pci_get_slot(1, PCI_DEVFN(7, 0)));
}

static void test_ext_caps(void **state)
{
	struct fake_fn *f = fake_pci_add(0, 3, 0, 0x1b36, 0x000c, 0x060400, 1);
	struct fake_fn *g = fake_pci_add(0, 4, 0, 0x1234, 0x5678, 0x020000, 0);
	struct fake_fn *h = fake_pci_add(0, 5, 0, 0x1234, 0x5678, 0x020000, 0);
	const struct pci_dev *d;

	fake_pci_cap(f, 0x40, PCI_CAP_ID_EXP, NULL, 0);
	fake_put32(f, 0x100, 0x14820001);	/* AER v2, next 0x148 */
	fake_put32(f, 0x148, 0x0001000d);	/* ACS v1, end */
	fake_pci_cap(g, 0x40, PCI_CAP_ID_EXP, NULL, 0);
	fake_put32(g, 0x100, 0x0f010003);	/* next 0x0f0: below 0x100 */
	fake_put32(h, 0x100, 0x00010001);	/* not PCI Express: no extended space */
	pci_scan_root_bus(&fake_pci_ops);
	d = pci_get_slot(0, PCI_DEVFN(3, 0));
	assert_int_equal(d->nr_ext_caps, 2);
	assert_int_equal(d->ext_cap[0].id, 1);
	assert_int_equal(d->ext_cap[0].version, 2);
	assert_int_equal(d->ext_cap[1].offset, 0x148);
	assert_string_equal(pci_ext_cap_name(d->ext_cap[1].id), "Access Control Services");
	assert_false(d->ext_caps_bad);
	d = pci_get_slot(0, PCI_DEVFN(4, 0));
	assert_int_equal(d->nr_ext_caps, 1);
	assert_true(d->ext_caps_bad);
	assert_true(host_log_contains("pci 0000:00:04.0: extended capability at config 0x100: next = "
				      "0x0f0 points below 0x100"));
	assert_int_equal(pci_get_slot(0, PCI_DEVFN(5, 0))->nr_ext_caps, 0);
}

static void test_ext_caps_loop(void **state)
{
	struct fake_fn *f = fake_pci_add(0, 3, 0, 0x1234, 0x5678, 0x020000, 0);

	fake_pci_cap(f, 0x40, PCI_CAP_ID_EXP, NULL, 0);
	fake_put32(f, 0x100, 0x20000001);	/* -> 0x200 */
	fake_put32(f, 0x200, 0x10000002);	/* -> 0x100: a loop */
	pci_scan_root_bus(&fake_pci_ops);
	assert_true(pci_devices->ext_caps_bad);
	assert_int_equal(pci_devices->nr_ext_caps, PCI_MAX_EXT_CAPS);
	assert_true(host_log_contains("extended capability list longer than 480 entries"));
}

static void test_virtio_caps_good(void **state)
{
	struct virtio_pci_caps c;
	const struct pci_dev *d;

	build_pc();
	pci_scan_root_bus(&fake_pci_ops);
	d = pci_get_slot(1, PCI_DEVFN(3, 0));
	assert_int_equal(virtio_pci_device_type(d), VIRTIO_ID_RNG);
	assert_int_equal(virtio_pci_device_type(pci_get_slot(0, PCI_DEVFN(2, 0))), 0);
	assert_int_equal(virtio_pci_parse_caps(d, &c), 0);
	assert_true(c.common.found && c.notify.found && c.isr.found && c.device.found);
	assert_int_equal(c.common.cap, 0x40);
	assert_int_equal(c.common.bar, 4);
	assert_int_equal(c.notify.offset, 0x3000);
	assert_int_equal(c.notify_off_multiplier, 4);
	assert_int_equal(c.device.offset, 0x2000);
	assert_int_equal(c.isr.length, 0x1000);
	assert_int_equal(host_log_len, 0);
}

static void test_virtio_modern_id(void **state)
{
	struct pci_dev d = { .vendor = 0x1af4, .device = 0x1040 + VIRTIO_ID_MEM };

	assert_int_equal(virtio_pci_device_type(&d), VIRTIO_ID_MEM);
	d.device = 0x1000;
	d.subsystem_device = VIRTIO_ID_NET;
	assert_int_equal(virtio_pci_device_type(&d), VIRTIO_ID_NET);
	d.vendor = 0x8086;
	assert_int_equal(virtio_pci_device_type(&d), 0);
}

/* Each structure pointing somewhere wrong is refused with its own message. */
static void test_virtio_caps_bad(void **state)
{
	struct virtio_pci_caps c;
	struct fake_fn *f = fake_pci_add(0, 3, 0, 0x1af4, 0x1044, 0x00ff00, 0);

	fake_pci_bar(f, 0, 0xc000, 64, PCI_BASE_ADDRESS_SPACE_IO);
	fake_pci_bar(f, 4, 0xfe000000, 16384, PCI_BASE_ADDRESS_MEM_TYPE_64);
	virtio_cap(f, 0x40, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x3c00, 0x1000, 0);	/* past the BAR */
	virtio_cap(f, 0x50, VIRTIO_PCI_CAP_NOTIFY_CFG, 6, 0, 0x1000, 4);	/* bar 6 */
	virtio_cap(f, 0x64, VIRTIO_PCI_CAP_ISR_CFG, 0, 0, 4, 0);		/* I/O BAR */
	virtio_cap(f, 0x74, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x10, 0);	/* too short */
	virtio_cap(f, 0x84, VIRTIO_PCI_CAP_DEVICE_CFG, 2, 0, 0x10, 0);	/* BAR not implemented */
	virtio_cap(f, 0x94, VIRTIO_PCI_CAP_ISR_CFG, 4, 0xffffffff, 0xffffffff, 0);	/* wraps in 32 bits */
	pci_scan_root_bus(&fake_pci_ops);
	assert_int_equal(virtio_pci_parse_caps(pci_devices, &c), -ENODEV);
	assert_false(c.common.found || c.notify.found || c.isr.found || c.device.found);
	assert_true(host_log_contains("pci 0000:00:03.0: virtio common capability at config 0x40: "
				      "offset 0x3c00 + length 0x1000 runs past BAR4's size 0x4000"));
	assert_true(host_log_contains("virtio notify capability at config 0x50: bar = 6 is not a BAR"));
	assert_true(host_log_contains("virtio ISR capability at config 0x64: BAR0 is an I/O BAR"));
	assert_true(host_log_contains("virtio common capability at config 0x74: length = 0x10, at "
				      "least 0x38 needed"));
	assert_true(host_log_contains("virtio device capability at config 0x84: BAR2 is not implemented"));
	assert_true(host_log_contains("virtio ISR capability at config 0x94: offset 0xffffffff + length "
				      "0xffffffff runs past"));
	assert_true(host_log_contains("virtio device without a usable common structure"));
}

/* The first usable structure of a type is the one used, even after a bad one. */
static void test_virtio_caps_first_usable_wins(void **state)
{
	struct virtio_pci_caps c;
	struct fake_fn *f = fake_pci_add(0, 3, 0, 0x1af4, 0x1044, 0x00ff00, 0);

	fake_pci_bar(f, 4, 0xfe000000, 16384, PCI_BASE_ADDRESS_MEM_TYPE_64);
	virtio_cap(f, 0x40, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x8000, 0x1000, 0);	/* bad */
	virtio_cap(f, 0x50, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x1000, 0x1000, 0);
	virtio_cap(f, 0x60, VIRTIO_PCI_CAP_COMMON_CFG, 4, 0x2000, 0x1000, 0);
	virtio_cap(f, 0x70, VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000, 4);
	virtio_cap(f, 0x88, VIRTIO_PCI_CAP_ISR_CFG, 4, 0x0, 0x1, 0);
	pci_scan_root_bus(&fake_pci_ops);
	assert_int_equal(virtio_pci_parse_caps(pci_devices, &c), 0);
	assert_int_equal(c.common.cap, 0x50);
	assert_int_equal(c.common.offset, 0x1000);
	assert_false(c.device.found);
}

static void test_mcfg_qemu_q35(void **state)
{
	struct tbuf t = fixture("qemu-q35", "mcfg.dat");
	struct acpi_problems p;
	struct acpi_mcfg_info m;

	acpi_problems_reset(&p);
	assert_int_equal(acpi_parse_mcfg(t.data, t.len, &m, &p), 0);
	assert_int_equal(m.count, 1);
	assert_int_equal(m.region[0].address, 0xb0000000);
	assert_int_equal(m.region[0].segment, 0);
	assert_int_equal(m.region[0].start_bus, 0);
	assert_int_equal(m.region[0].end_bus, 255);
	assert_int_equal(p.errors + p.warnings, 0);
	tbuf_free(&t);
}

static void test_mcfg_bad_entries(void **state)
{
	uint8_t body[8 + 4 * 16 + 3] = { 0 };
	struct acpi_problems p;
	struct acpi_mcfg_info m;
	struct tbuf t;

	put64(body, 8, 0xb0080000);			/* not 1 MiB aligned */
	put64(body, 24, 0);				/* zero */
	put64(body, 40, 0xe0000000);
	put8(body, 50, 5);				/* start 5 > end 2 */
	put8(body, 51, 2);
	put64(body, 56, 0xc0000000);			/* the good one */
	put8(body, 67, 63);
	t = make_table("MCFG", 1, body, sizeof(body));
	acpi_problems_reset(&p);
	assert_int_equal(acpi_parse_mcfg(t.data, t.len, &m, &p), 0);
	assert_int_equal(m.count, 1);
	assert_int_equal(m.region[0].address, 0xc0000000);
	assert_int_equal(m.region[0].end_bus, 63);
	assert_true(acpi_problems_contain(&p, "MCFG+0x2c: allocation 0 base address: 0xb0080000 is not "
					  "1 MiB aligned"));
	assert_true(acpi_problems_contain(&p, "MCFG+0x3c: allocation 1 base address: 0x0 is zero"));
	assert_true(acpi_problems_contain(&p, "MCFG+0x56: allocation 2 bus range: start 5 is after end 2"));
	assert_true(acpi_problems_contain(&p, "3 bytes after the last whole allocation ignored"));
	tbuf_free(&t);

	t = make_table("MCFG", 1, body, 8);		/* no allocation at all */
	acpi_problems_reset(&p);
	assert_int_equal(acpi_parse_mcfg(t.data, t.len, &m, &p), -EINVAL);
	assert_true(acpi_problems_contain(&p, "no room for one allocation"));
	tbuf_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_scan_pc_with_bridge, setup),
		cmocka_unit_test_setup(test_bar_sizes_and_restore, setup),
		cmocka_unit_test_setup(test_unassigned_and_bad_bars, setup),
		cmocka_unit_test_setup(test_caps_listed_in_order, setup),
		cmocka_unit_test_setup(test_cap_pointer_into_header, setup),
		cmocka_unit_test_setup(test_cap_misaligned_and_loop, setup),
		cmocka_unit_test_setup(test_msix_table_outside_bar, setup),
		cmocka_unit_test_setup(test_bridge_loops_refused, setup),
		cmocka_unit_test_setup(test_ext_caps, setup),
		cmocka_unit_test_setup(test_ext_caps_loop, setup),
		cmocka_unit_test_setup(test_virtio_caps_good, setup),
		cmocka_unit_test_setup(test_virtio_modern_id, setup),
		cmocka_unit_test_setup(test_virtio_caps_bad, setup),
		cmocka_unit_test_setup(test_virtio_caps_first_usable_wins, setup),
		cmocka_unit_test_setup(test_mcfg_qemu_q35, setup),
		cmocka_unit_test_setup(test_mcfg_bad_entries, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
