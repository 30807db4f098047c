/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_pci_caps.h - finding a modern virtio device's structures
 *
 * A virtio 1.x PCI function describes each of its register blocks with a
 * vendor-specific capability (id 0x09): cfg_type, the BAR, an offset and a
 * length inside it. virtio_pci_parse_caps() reads them through config space
 * and keeps, for each type, the first one that lies inside a memory BAR
 * (as the spec asks a driver to do); one that does not is reported with
 * the capability's offset, the field and the value.
 */
#ifndef HOTMM_DRIVERS_VIRTIO_VIRTIO_PCI_CAPS_H
#define HOTMM_DRIVERS_VIRTIO_VIRTIO_PCI_CAPS_H

#include "drivers/pci/pci.h"

#define PCI_VENDOR_ID_REDHAT_QUMRANET	0x1af4
#define VIRTIO_PCI_MODERN_DEVICE_BASE	0x1040	/* 0x1040 + device type: modern-only ids */
#define VIRTIO_PCI_TRANSITIONAL_FIRST	0x1000
#define VIRTIO_PCI_TRANSITIONAL_LAST	0x103f

/* cfg_type */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_PCI_CFG		5

/* struct virtio_pci_cap, offsets from the capability */
#define VIRTIO_PCI_CAP_CFG_TYPE		3
#define VIRTIO_PCI_CAP_BAR		4
#define VIRTIO_PCI_CAP_OFFSET		8
#define VIRTIO_PCI_CAP_LENGTH		12
#define VIRTIO_PCI_NOTIFY_CAP_MULT	16	/* notify_off_multiplier, notify cap only */

/* struct virtio_pci_common_cfg */
#define VIRTIO_PCI_COMMON_DFSELECT	0x00
#define VIRTIO_PCI_COMMON_DF		0x04
#define VIRTIO_PCI_COMMON_GFSELECT	0x08
#define VIRTIO_PCI_COMMON_GF		0x0c
#define VIRTIO_PCI_COMMON_MSIX		0x10
#define VIRTIO_PCI_COMMON_NUMQ		0x12
#define VIRTIO_PCI_COMMON_STATUS	0x14
#define VIRTIO_PCI_COMMON_CFGGENERATION	0x15
#define VIRTIO_PCI_COMMON_Q_SELECT	0x16
#define VIRTIO_PCI_COMMON_Q_SIZE	0x18
#define VIRTIO_PCI_COMMON_Q_MSIX	0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE	0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF	0x1e
#define VIRTIO_PCI_COMMON_Q_DESCLO	0x20
#define VIRTIO_PCI_COMMON_Q_AVAILLO	0x28
#define VIRTIO_PCI_COMMON_Q_USEDLO	0x30
#define VIRTIO_PCI_COMMON_CFG_SIZE	0x38	/* virtio 1.0's structure */
#define VIRTIO_MSI_NO_VECTOR		0xffff

struct virtio_pci_region {
	bool found;
	uint8_t cap;		/* config offset of the capability used */
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
};

struct virtio_pci_caps {
	struct virtio_pci_region common, notify, isr, device;
	uint32_t notify_off_multiplier;
};

/* Device type of a Red Hat/virtio PCI id, or 0 when it is not a virtio device. */
unsigned int virtio_pci_device_type(const struct pci_dev *dev);

/*
 * Fill @caps from @dev's vendor capabilities. Returns 0 when the common,
 * notify and ISR structures were found (device configuration is optional),
 * -ENODEV otherwise, with a message naming what is missing or wrong.
 */
int virtio_pci_parse_caps(const struct pci_dev *dev, struct virtio_pci_caps *caps);

#endif
