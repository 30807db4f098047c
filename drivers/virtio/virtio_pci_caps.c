/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_pci_caps.c - parse and check a virtio function's vendor capabilities
 *
 * Reads config space only (through pci_root_ops) and checks each structure
 * against the BAR sizes found at scan time: the BAR number must name a
 * usable memory BAR and offset + length must lie within it, computed in 64
 * bits so no value can wrap. Minimum lengths: the 1.0 common structure
 * (0x38 bytes), one byte of ISR, and for notify 2 bytes (the doorbell is
 * 16 bits; each queue's own offset is checked when the queue is set up).
 */
#include <errno.h>
#include <string.h>

#include "drivers/virtio/virtio_pci_caps.h"
#include "kernel/printk.h"

unsigned int virtio_pci_device_type(const struct pci_dev *dev)
{
	if (dev->vendor != PCI_VENDOR_ID_REDHAT_QUMRANET)
		return 0;
	if (dev->device >= VIRTIO_PCI_MODERN_DEVICE_BASE && dev->device <= 0x107f)
		return dev->device - VIRTIO_PCI_MODERN_DEVICE_BASE;
	/* Transitional ids: the type is the subsystem id (virtio 1.2, 4.1.2.1). */
	if (dev->device >= VIRTIO_PCI_TRANSITIONAL_FIRST && dev->device <= VIRTIO_PCI_TRANSITIONAL_LAST)
		return dev->subsystem_device;
	return 0;
}

static const char *const type_names[] = {
	[VIRTIO_PCI_CAP_COMMON_CFG] = "common", [VIRTIO_PCI_CAP_NOTIFY_CFG] = "notify",
	[VIRTIO_PCI_CAP_ISR_CFG] = "ISR", [VIRTIO_PCI_CAP_DEVICE_CFG] = "device",
};

static const uint32_t min_length[] = {
	[VIRTIO_PCI_CAP_COMMON_CFG] = VIRTIO_PCI_COMMON_CFG_SIZE, [VIRTIO_PCI_CAP_NOTIFY_CFG] = 2,
	[VIRTIO_PCI_CAP_ISR_CFG] = 1, [VIRTIO_PCI_CAP_DEVICE_CFG] = 1,
};

int virtio_pci_parse_caps(const struct pci_dev *dev, struct virtio_pci_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	for (uint8_t pos = pci_find_capability(dev, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(dev, pos, PCI_CAP_ID_VNDR)) {
		uint8_t type, bar, caplen;
		uint32_t off, len;
		struct virtio_pci_region *r;
		const struct pci_bar *b;

		if (pos > 0xff - 16) {
			pr_err("pci %s: virtio capability at config 0x%02x: its 16 bytes run past the "
			       "header; ignored\n", dev->name, pos);
			continue;
		}
		type = pci_read_config_byte(dev, pos + VIRTIO_PCI_CAP_CFG_TYPE);
		caplen = pci_read_config_byte(dev, pos + 2);
		switch (type) {
		case VIRTIO_PCI_CAP_COMMON_CFG: r = &caps->common; break;
		case VIRTIO_PCI_CAP_NOTIFY_CFG: r = &caps->notify; break;
		case VIRTIO_PCI_CAP_ISR_CFG: r = &caps->isr; break;
		case VIRTIO_PCI_CAP_DEVICE_CFG: r = &caps->device; break;
		default: continue;	/* PCI cfg access, shared memory, vendor: not used */
		}
		if (r->found)
			continue;	/* the first usable one of each type wins */
		bar = pci_read_config_byte(dev, pos + VIRTIO_PCI_CAP_BAR);
		off = pci_read_config_dword(dev, pos + VIRTIO_PCI_CAP_OFFSET);
		len = pci_read_config_dword(dev, pos + VIRTIO_PCI_CAP_LENGTH);
		if (caplen < 16 || (type == VIRTIO_PCI_CAP_NOTIFY_CFG && caplen < 20)) {
			pr_err("pci %s: virtio %s capability at config 0x%02x: cap_len %u is too short; "
			       "ignored\n", dev->name, type_names[type], pos, caplen);
			continue;
		}
		if (bar >= PCI_STD_NUM_BARS) {
			pr_err("pci %s: virtio %s capability at config 0x%02x: bar = %u is not a BAR; "
			       "ignored\n", dev->name, type_names[type], pos, bar);
			continue;
		}
		b = &dev->bar[bar];
		if (!b->size || (b->flags & (PCI_BAR_IO | PCI_BAR_INVALID | PCI_BAR_UNASSIGNED))) {
			pr_err("pci %s: virtio %s capability at config 0x%02x: BAR%u is %s; ignored\n",
			       dev->name, type_names[type], pos, bar, !b->size ? "not implemented" :
			       b->flags & PCI_BAR_IO ? "an I/O BAR" : b->flags & PCI_BAR_INVALID ?
			       "invalid" : "unassigned");
			continue;
		}
		if (len < min_length[type]) {
			pr_err("pci %s: virtio %s capability at config 0x%02x: length = 0x%x, at least "
			       "0x%x needed; ignored\n", dev->name, type_names[type], pos, len,
			       min_length[type]);
			continue;
		}
		if ((uint64_t)off + len > b->size) {
			pr_err("pci %s: virtio %s capability at config 0x%02x: offset 0x%x + length 0x%x "
			       "runs past BAR%u's size 0x%llx; ignored\n", dev->name, type_names[type], pos,
			       off, len, bar, (unsigned long long)b->size);
			continue;
		}
		*r = (struct virtio_pci_region){
			.found = true, .cap = pos, .bar = bar, .offset = off, .length = len,
		};
		if (type == VIRTIO_PCI_CAP_NOTIFY_CFG)
			caps->notify_off_multiplier =
				pci_read_config_dword(dev, pos + VIRTIO_PCI_NOTIFY_CAP_MULT);
	}
	if (!caps->common.found || !caps->notify.found || !caps->isr.found) {
		pr_err("pci %s: virtio device without a usable %s structure (modern capabilities are "
		       "required; legacy I/O is not supported)\n", dev->name,
		       !caps->common.found ? "common" : !caps->notify.found ? "notify" : "ISR");
		return -ENODEV;
	}
	return 0;
}
