/* SPDX-License-Identifier: MIT */
/*
 * DOC: access.c - PCI configuration space access: ECAM and the 0xCF8 ports
 *
 * Kernel only. With an MCFG (q35) config space is memory: each bus's 1 MiB
 * of the ECAM window is ioremap()ed the first time the bus is touched and
 * kept. Without one (pc) the legacy mechanism #1 is used: the address goes
 * to 0xCF8, the data through 0xCFC-0xCFF, under a lock since the pair is
 * not atomic; it reaches only the first 256 bytes of each function.
 * Only segment 0 is used (QEMU has no other).
 */
#include <stdio.h>
#include <string.h>


#include "drivers/pci/pci.h"
#include "drivers/acpi/acpi_boot.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"

#define PCI_CONF1_ADDRESS	0xcf8
#define PCI_CONF1_DATA		0xcfc

static DEFINE_SPINLOCK(pci_config_lock);

/* ---- mechanism #1: ports ---- */

static uint32_t conf1_addr(unsigned int bus, unsigned int devfn, unsigned int reg)
{
	return 0x80000000u | (bus << 16) | (devfn << 8) | (reg & 0xfc);
}

static uint32_t conf1_read(unsigned int bus, unsigned int devfn, unsigned int reg, int len)
{
	unsigned long flags;
	uint32_t v;

	if (bus > 255 || devfn > 255 || reg > 255)
		return 0xffffffffu;
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(conf1_addr(bus, devfn, reg), PCI_CONF1_ADDRESS);
	switch (len) {
	case 1: v = inb(PCI_CONF1_DATA + (reg & 3)); break;
	case 2: v = inw(PCI_CONF1_DATA + (reg & 2)); break;
	default: v = inl(PCI_CONF1_DATA); break;
	}
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return v;
}

static void conf1_write(unsigned int bus, unsigned int devfn, unsigned int reg, int len, uint32_t v)
{
	unsigned long flags;

	if (bus > 255 || devfn > 255 || reg > 255)
		return;
	spin_lock_irqsave(&pci_config_lock, flags);
	outl(conf1_addr(bus, devfn, reg), PCI_CONF1_ADDRESS);
	switch (len) {
	case 1: outb((uint8_t)v, PCI_CONF1_DATA + (reg & 3)); break;
	case 2: outw((uint16_t)v, PCI_CONF1_DATA + (reg & 2)); break;
	default: outl(v, PCI_CONF1_DATA); break;
	}
	spin_unlock_irqrestore(&pci_config_lock, flags);
}

static const struct pci_ops pci_conf1_ops = {
	.name = "ports 0xcf8/0xcfc", .cfg_size = 256, .read = conf1_read, .write = conf1_write,
};

/* ---- ECAM ---- */

static struct acpi_mcfg_region ecam;
static void __iomem *ecam_bus[256];
static bool ecam_bus_failed[256];

static volatile uint8_t *ecam_addr(unsigned int bus, unsigned int devfn, unsigned int reg)
{
	unsigned long flags;

	if (bus < ecam.start_bus || bus > ecam.end_bus || devfn > 255 || reg > 4095)
		return NULL;
	if (!READ_ONCE(ecam_bus[bus]) && !ecam_bus_failed[bus]) {
		void __iomem *v = ioremap(ecam.address + ((uint64_t)bus << 20), SZ_1M);

		spin_lock_irqsave(&pci_config_lock, flags);
		if (!v) {
			ecam_bus_failed[bus] = true;
			pr_err("pci: cannot map the ECAM window of bus %u at 0x%llx\n", bus,
			       (unsigned long long)(ecam.address + ((uint64_t)bus << 20)));
		} else if (ecam_bus[bus]) {
			/* Another CPU mapped it first; ioremap's window is never reused, so just leak v. */
		} else {
			WRITE_ONCE(ecam_bus[bus], v);
		}
		spin_unlock_irqrestore(&pci_config_lock, flags);
	}
	if (!ecam_bus[bus])
		return NULL;
	return (volatile uint8_t *)ecam_bus[bus] + (devfn << 12) + reg;
}

static uint32_t ecam_read(unsigned int bus, unsigned int devfn, unsigned int reg, int len)
{
	volatile uint8_t *a = ecam_addr(bus, devfn, reg);

	if (!a)
		return 0xffffffffu;
	switch (len) {
	case 1: return *a;
	case 2: return *(volatile uint16_t *)a;
	default: return *(volatile uint32_t *)a;
	}
}

static void ecam_write(unsigned int bus, unsigned int devfn, unsigned int reg, int len, uint32_t v)
{
	volatile uint8_t *a = ecam_addr(bus, devfn, reg);

	if (!a)
		return;
	switch (len) {
	case 1: *a = (uint8_t)v; break;
	case 2: *(volatile uint16_t *)a = (uint16_t)v; break;
	default: *(volatile uint32_t *)a = v; break;
	}
}

static const struct pci_ops pci_ecam_ops = {
	.name = "ECAM", .cfg_size = 4096, .read = ecam_read, .write = ecam_write,
};

static char mechanism[64];

const char *pci_config_mechanism(void)
{
	return mechanism[0] ? mechanism : "none";
}

static bool pci_conf1_present(void)
{
	uint32_t saved = inl(PCI_CONF1_ADDRESS), v;

	/* As Linux's pci_check_type1(): the address register must hold what was written. */
	outl(0x80000000u, PCI_CONF1_ADDRESS);
	v = inl(PCI_CONF1_ADDRESS);
	outl(saved, PCI_CONF1_ADDRESS);
	return v == 0x80000000u;
}

void pci_init(void)
{
	const struct acpi_mcfg_info *m = acpi_get_mcfg();
	const struct pci_ops *ops = NULL;
	uint64_t t0;
	int n;

	for (unsigned int i = 0; m && i < m->count; i++) {
		if (m->region[i].segment != 0 || m->region[i].start_bus != 0) {
			pr_warn("pci: MCFG region %u (segment %u, buses %u-%u) ignored: only segment 0 "
				"from bus 0 is used\n", i, m->region[i].segment, m->region[i].start_bus,
				m->region[i].end_bus);
			continue;
		}
		ecam = m->region[i];
		ops = &pci_ecam_ops;
		snprintf(mechanism, sizeof(mechanism), "ECAM at 0x%llx, buses %u-%u",
			 (unsigned long long)ecam.address, ecam.start_bus, ecam.end_bus);
		break;
	}
	if (!ops && pci_conf1_present()) {
		ops = &pci_conf1_ops;
		snprintf(mechanism, sizeof(mechanism), "%s", pci_conf1_ops.name);
	}
	if (!ops) {
		pr_err("pci: no MCFG and no configuration mechanism #1 at 0xcf8: no PCI\n");
		report("pci", "\"devices\":0,\"mechanism\":\"none\"");
		return;
	}
	t0 = ktime_get_ns();
	n = pci_scan_root_bus(ops);
	t0 = ktime_get_ns() - t0;
	pr_info("pci: %d functions through %s, scanned in %llu us\n", n, mechanism,
		(unsigned long long)(t0 / 1000));
	report("pci", "\"devices\":%d,\"mechanism\":\"%s\",\"scan_ns\":%llu", n,
	       ops == &pci_ecam_ops ? "ecam" : "conf1", (unsigned long long)t0);
}

void pci_enable_device_mem(struct pci_dev *dev)
{
	uint16_t cmd = pci_read_config_word(dev, PCI_COMMAND);

	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(dev, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
}

void pci_set_master(struct pci_dev *dev)
{
	uint16_t cmd = pci_read_config_word(dev, PCI_COMMAND);

	if (!(cmd & PCI_COMMAND_MASTER))
		pci_write_config_word(dev, PCI_COMMAND, cmd | PCI_COMMAND_MASTER);
}

void __iomem *pci_iomap(struct pci_dev *dev, unsigned int idx)
{
	struct pci_bar *bar;
	const char *why = NULL;

	if (idx >= PCI_STD_NUM_BARS) {
		pr_err("pci %s: BAR%u does not exist\n", dev->name, idx);
		return NULL;
	}
	bar = &dev->bar[idx];
	if (bar->virt)
		return bar->virt;
	if (!bar->size)
		why = "not implemented";
	else if (bar->flags & PCI_BAR_IO)
		why = "an I/O BAR";
	else if (bar->flags & PCI_BAR_INVALID)
		why = "invalid";
	else if (bar->flags & PCI_BAR_UNASSIGNED)
		why = "unassigned (address 0)";
	if (why) {
		pr_err("pci %s: cannot map BAR%u: it is %s\n", dev->name, idx, why);
		return NULL;
	}
	bar->virt = ioremap(bar->start, bar->size);
	if (!bar->virt)
		pr_err("pci %s: ioremap of BAR%u (0x%llx, 0x%llx bytes) failed\n", dev->name, idx,
		       (unsigned long long)bar->start, (unsigned long long)bar->size);
	return bar->virt;
}
