/* SPDX-License-Identifier: MIT */
/*
 * DOC: fuzz_pci_config.c - libFuzzer target: a function's config space, parsed
 *
 * Input: 28 bytes of BAR/ROM write masks, then the config space of 00:00.0
 * (tests/host/fake_pci.h). The PCI scan (header, BAR sizing, capability
 * chain, MSI-X) and the virtio capability parser run over it; whatever they
 * keep must satisfy the checks they promise: capabilities outside the
 * header, a valid MSI-X table and PBA inside their memory BARs, every virtio
 * structure inside its memory BAR, extended capabilities in 0x100-0xfff.
 */
#include "tests/host/fake_pci.h"
#include "drivers/virtio/virtio_pci_caps.h"

static void check_region(const struct pci_dev *d, const struct virtio_pci_region *r)
{
	const struct pci_bar *b;

	if (!r->found)
		return;
	if (r->bar >= PCI_STD_NUM_BARS)
		__builtin_trap();
	b = &d->bar[r->bar];
	if (!b->size || (b->flags & (PCI_BAR_IO | PCI_BAR_INVALID | PCI_BAR_UNASSIGNED)) ||
	    (uint64_t)r->offset + r->length > b->size)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_pci_caps caps;

	fake_pci_raw(data, size);
	pci_scan_root_bus(&fake_pci_ops);
	for_each_pci_dev(d) {
		if (d->nr_caps > PCI_MAX_CAPS)
			__builtin_trap();
		for (unsigned int i = 0; i < d->nr_caps; i++)
			if (d->cap[i].offset < PCI_STD_HEADER_SIZEOF || (d->cap[i].offset & 3))
				__builtin_trap();
		if (d->nr_ext_caps > PCI_MAX_EXT_CAPS)
			__builtin_trap();
		for (unsigned int i = 0; i < d->nr_ext_caps; i++)
			if (d->ext_cap[i].offset < PCI_CFG_SPACE_SIZE || (d->ext_cap[i].offset & 3) ||
			    d->ext_cap[i].offset >= PCI_CFG_SPACE_EXP_SIZE)
				__builtin_trap();
		for (unsigned int i = 0; i < PCI_NUM_RESOURCES; i++) {
			const struct pci_bar *b = &d->bar[i];

			if (b->size && ((b->size & (b->size - 1)) ||
					(!(b->flags & PCI_BAR_INVALID) && (b->start & (b->size - 1)))))
				__builtin_trap();
		}
		if (d->msix.valid) {
			const struct pci_bar *t = &d->bar[d->msix.table_bar];

			if (d->msix.table_bar >= PCI_STD_NUM_BARS || (t->flags & PCI_BAR_IO) ||
			    d->msix.table_offset + (uint64_t)d->msix.table_size * 16 > t->size)
				__builtin_trap();
		}
		if (virtio_pci_parse_caps(d, &caps) == 0 &&
		    (!caps.common.found || !caps.notify.found || !caps.isr.found))
			__builtin_trap();
		check_region(d, &caps.common);
		check_region(d, &caps.notify);
		check_region(d, &caps.isr);
		check_region(d, &caps.device);
	}
	pci_free_devices();
	return 0;
}
