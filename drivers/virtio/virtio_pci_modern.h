/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_pci_modern.h - the PCI transport's entry for the virtio core
 */
#ifndef HOTMM_DRIVERS_VIRTIO_VIRTIO_PCI_MODERN_H
#define HOTMM_DRIVERS_VIRTIO_VIRTIO_PCI_MODERN_H

#include "drivers/virtio/virtio.h"
#include "drivers/virtio/virtio_pci_caps.h"

/*
 * A virtio_device for the virtio function @pci: capabilities checked, BARs
 * mapped, bus mastering on. The device itself is not touched (no reset):
 * the core does the status handshake. NULL after a message when it cannot
 * be driven.
 */
struct virtio_device *virtio_pci_probe(struct pci_dev *pci);

#endif
