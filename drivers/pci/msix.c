/* SPDX-License-Identifier: MIT */
/*
 * DOC: msix.c - MSI-X: each table entry a message straight to a LAPIC vector
 *
 * Kernel only; no INTx and no plain MSI. An entry is a 16-byte slot in a
 * memory BAR: the message address (0xFEE00000 with the destination APIC id
 * in bits 19:12, physical destination mode), the data (the vector, fixed
 * delivery, edge) and a mask bit. The table was checked to lie inside its
 * BAR at scan time (probe.c). Enabling goes as in Linux: function mask on
 * and MSI-X enabled, every entry masked, then the function mask off; an
 * entry is written while masked and unmasked last, so a half-written
 * message is never sent. All interrupts go to the boot CPU, which never
 * goes offline.
 */
#include <errno.h>

#include "drivers/pci/pci.h"
#include "arch/x86_64/irq_vector.h"
#include "arch/x86_64/percpu.h"
#include "kernel/printk.h"
#include "mm/slab.h"

#define MSI_ADDR_BASE		0xfee00000u
#define MSI_ADDR_DEST_SHIFT	12

static volatile uint32_t *msix_entry(const struct pci_dev *dev, unsigned int entry, unsigned int reg)
{
	return (volatile uint32_t *)((uint8_t *)dev->msix.table + entry * PCI_MSIX_ENTRY_SIZE + reg);
}

static void msix_mask(const struct pci_dev *dev, unsigned int entry, bool mask)
{
	volatile uint32_t *ctrl = msix_entry(dev, entry, PCI_MSIX_ENTRY_VECTOR_CTRL);
	uint32_t v = *ctrl;

	*ctrl = mask ? (v | PCI_MSIX_ENTRY_CTRL_MASKBIT) : (v & ~PCI_MSIX_ENTRY_CTRL_MASKBIT);
	(void)*ctrl;	/* read back: the write has reached the device */
}

int pci_msix_enable(struct pci_dev *dev, unsigned int nvec)
{
	struct pci_msix_info *m = &dev->msix;
	uint16_t ctrl;
	void __iomem *bar;

	if (!m->present || !m->valid) {
		pr_err("pci %s: %s; no interrupts (INTx is not supported)\n", dev->name,
		       m->present ? "its MSI-X capability failed the checks" : "no MSI-X capability");
		return -EINVAL;
	}
	if (m->enabled)
		return -EBUSY;
	if (!nvec || nvec > m->table_size) {
		pr_err("pci %s: %u MSI-X vectors wanted, the table (config 0x%02x) has %u entries\n",
		       dev->name, nvec, m->cap + PCI_MSIX_FLAGS, m->table_size);
		return -EINVAL;
	}
	pci_enable_device_mem(dev);
	bar = pci_iomap(dev, m->table_bar);
	if (!bar)
		return -EIO;
	m->vector = kmalloc(sizeof(*m->vector) * nvec, GFP_KERNEL);
	if (!m->vector)
		return -ENOMEM;
	for (unsigned int i = 0; i < nvec; i++)
		m->vector[i] = -1;
	m->table = (uint8_t *)bar + m->table_offset;
	m->nvec = (uint16_t)nvec;

	ctrl = pci_read_config_word(dev, m->cap + PCI_MSIX_FLAGS);
	pci_write_config_word(dev, m->cap + PCI_MSIX_FLAGS,
			      ctrl | PCI_MSIX_FLAGS_MASKALL | PCI_MSIX_FLAGS_ENABLE);
	for (unsigned int i = 0; i < m->table_size; i++)
		msix_mask(dev, i, true);
	pci_write_config_word(dev, PCI_COMMAND,
			      pci_read_config_word(dev, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	pci_set_master(dev);
	pci_write_config_word(dev, m->cap + PCI_MSIX_FLAGS,
			      (ctrl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
	m->enabled = true;
	return 0;
}

int pci_msix_request(struct pci_dev *dev, unsigned int entry,
		     void (*fn)(unsigned int vector, void *data), void *data, const char *name)
{
	struct pci_msix_info *m = &dev->msix;
	int vec;

	if (!m->enabled || entry >= m->nvec || m->vector[entry] >= 0)
		return -EINVAL;
	if (per_cpu(0)->apic_id > 0xff) {
		/* Bits 19:12 of the message address hold 8 bits; more needs interrupt remapping. */
		pr_err("pci %s: MSI-X entry %u: the boot CPU's APIC id %u does not fit a message "
		       "address\n", dev->name, entry, per_cpu(0)->apic_id);
		return -ENODEV;
	}
	vec = irq_vector_alloc(fn, data, name);
	if (vec < 0)
		return vec;
	msix_mask(dev, entry, true);
	*msix_entry(dev, entry, PCI_MSIX_ENTRY_LOWER_ADDR) =
		MSI_ADDR_BASE | (per_cpu(0)->apic_id << MSI_ADDR_DEST_SHIFT);
	*msix_entry(dev, entry, PCI_MSIX_ENTRY_UPPER_ADDR) = 0;
	*msix_entry(dev, entry, PCI_MSIX_ENTRY_DATA) = (uint32_t)vec;
	m->vector[entry] = (int16_t)vec;
	msix_mask(dev, entry, false);
	return vec;
}

void pci_msix_disable(struct pci_dev *dev)
{
	struct pci_msix_info *m = &dev->msix;
	uint16_t ctrl;

	if (!m->enabled)
		return;
	for (unsigned int i = 0; i < m->table_size; i++)
		msix_mask(dev, i, true);
	ctrl = pci_read_config_word(dev, m->cap + PCI_MSIX_FLAGS);
	pci_write_config_word(dev, m->cap + PCI_MSIX_FLAGS, ctrl & ~PCI_MSIX_FLAGS_ENABLE);
	/* Masked and disabled: no new message. One already in flight finds no handler and is dropped. */
	for (unsigned int i = 0; i < m->nvec; i++)
		if (m->vector[i] >= 0)
			irq_vector_free((unsigned int)m->vector[i]);
	kfree(m->vector);
	m->vector = NULL;
	m->nvec = 0;
	m->enabled = false;
}

unsigned long pci_msix_count(const struct pci_dev *dev, unsigned int entry)
{
	const struct pci_msix_info *m = &dev->msix;

	if (!m->enabled || entry >= m->nvec || m->vector[entry] < 0)
		return 0;
	return irq_vector_count((unsigned int)m->vector[entry]);
}
