/* SPDX-License-Identifier: MIT */
/*
 * DOC: intx.c - legacy PCI interrupts (INTx), for functions without MSI-X
 *
 * Kernel only. MSI-X is the way (msix.c); this is the fallback for devices
 * that have none, such as QEMU 7.2's virtio-mem-pci and virtio-balloon-pci.
 * Firmware routed each function's pin to an ISA IRQ and wrote it to the
 * Interrupt Line register (0x3c); that IRQ goes through the IOAPIC, level-
 * triggered, active-low unless the MADT overrides it (QEMU: IRQs 5, 9, 10,
 * 11 level, active-high). A line is shared: one vector per IRQ, and on each
 * interrupt every handler on it runs and must look whether its device
 * raised it (for virtio: reading the ISR register, which also lowers the
 * line). The ACPI SCI's IRQ is not shared with PCI here.
 *
 * Invariant: a line's vector and IOAPIC pin are set up while it has at
 * least one handler; the pin is masked before the last handler goes.
 */
#include <errno.h>

#include "drivers/pci/pci.h"
#include "drivers/acpi/acpi_boot.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/irq_vector.h"
#include "arch/x86_64/spinlock.h"
#include "kernel/printk.h"

#define INTX_LINES		16	/* ISA IRQs */
#define INTX_HANDLERS		8	/* functions sharing one line */

struct intx_handler {
	struct pci_dev *dev;
	void (*fn)(void *data);
	void *data;
};

struct intx_line {
	int vector;			/* 0: not set up */
	uint32_t gsi;
	unsigned int nr;
	struct intx_handler h[INTX_HANDLERS];
};

static struct intx_line lines[INTX_LINES];
static DEFINE_SPINLOCK(intx_lock);

static void intx_interrupt(unsigned int vector, void *data)
{
	struct intx_line *l = data;

	spin_lock(&intx_lock);
	for (unsigned int i = 0; i < l->nr; i++)
		l->h[i].fn(l->h[i].data);
	spin_unlock(&intx_lock);
}

int pci_intx_request(struct pci_dev *dev, void (*fn)(void *data), void *data, const char *name)
{
	uint8_t irq = pci_read_config_byte(dev, PCI_INTERRUPT_LINE);
	const struct acpi_fadt_info *fadt = acpi_get_fadt();
	struct intx_line *l;
	unsigned long flags;
	int vec, err;

	if (!dev->irq_pin) {
		pr_err("pci %s: no interrupt pin (config 0x3d = 0) and no MSI-X: no interrupts\n",
		       dev->name);
		return -ENODEV;
	}
	if (irq >= INTX_LINES) {
		pr_err("pci %s: interrupt line (config 0x3c) = %u: firmware did not route INT%c to an "
		       "ISA IRQ\n", dev->name, irq, 'A' + dev->irq_pin - 1);
		return -ENODEV;
	}
	if (fadt && irq == fadt->sci_int) {
		pr_err("pci %s: interrupt line (config 0x3c) = %u is the ACPI SCI's; not shared\n",
		       dev->name, irq);
		return -EBUSY;
	}
	if (!ioapic_active()) {
		pr_err("pci %s: INTx needs the IOAPIC, which is not in use\n", dev->name);
		return -ENODEV;
	}
	l = &lines[irq];
	if (!l->vector) {
		vec = irq_vector_alloc(intx_interrupt, l, name);
		if (vec < 0)
			return vec;
		err = ioapic_route_pci_irq(irq, (unsigned int)vec, &l->gsi);
		if (err) {
			pr_err("pci %s: cannot route IRQ %u through the IOAPIC (%d)\n", dev->name, irq, err);
			irq_vector_free((unsigned int)vec);
			return err;
		}
		l->vector = vec;
	}
	spin_lock_irqsave(&intx_lock, flags);
	if (l->nr == INTX_HANDLERS) {
		spin_unlock_irqrestore(&intx_lock, flags);
		pr_err("pci %s: IRQ %u already has %d handlers\n", dev->name, irq, INTX_HANDLERS);
		return -EBUSY;
	}
	l->h[l->nr++] = (struct intx_handler){ .dev = dev, .fn = fn, .data = data };
	spin_unlock_irqrestore(&intx_lock, flags);
	dev->intx_irq = irq;
	pci_write_config_word(dev, PCI_COMMAND,
			      pci_read_config_word(dev, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	return l->vector;
}

void pci_intx_free(struct pci_dev *dev)
{
	struct intx_line *l;
	unsigned long flags;
	bool last;

	if (dev->intx_irq < 0)
		return;
	l = &lines[dev->intx_irq];
	pci_write_config_word(dev, PCI_COMMAND,
			      pci_read_config_word(dev, PCI_COMMAND) | PCI_COMMAND_INTX_DISABLE);
	spin_lock_irqsave(&intx_lock, flags);
	for (unsigned int i = 0; i < l->nr; i++)
		if (l->h[i].dev == dev) {
			l->h[i] = l->h[--l->nr];
			break;
		}
	last = l->nr == 0;
	spin_unlock_irqrestore(&intx_lock, flags);
	if (last) {
		ioapic_mask_gsi(l->gsi, true);
		irq_vector_free((unsigned int)l->vector);
		l->vector = 0;
	}
	dev->intx_irq = -1;
}

unsigned long pci_intx_count(const struct pci_dev *dev)
{
	return dev->intx_irq >= 0 ? irq_vector_count((unsigned int)lines[dev->intx_irq].vector) : 0;
}

int pci_intx_vector(const struct pci_dev *dev)
{
	return dev->intx_irq >= 0 ? lines[dev->intx_irq].vector : -1;
}
