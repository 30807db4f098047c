/* SPDX-License-Identifier: MIT */
/*
 * DOC: pci_shell.c - the `lspci` shell command
 *
 * Kernel only. One line per function as `lspci -nn` (BDF, class, vendor:
 * device), and with -v the details lspci -v gives: BARs with their sizes,
 * the capability list and the MSI-X table (its BAR, offset, size, and the
 * vectors and interrupt counts once a driver enabled it).
 */
#include <stdlib.h>
#include <string.h>

#include "drivers/pci/pci.h"
#include "kernel/shell.h"

/* The structure a virtio vendor capability describes (cfg_type, as lspci names it). */
static const char *virtio_cfg_name(uint8_t type)
{
	static const char *const names[] = { "?", "CommonCfg", "Notify", "ISR", "DeviceCfg",
					     "PCICfg", "?", "?", "SharedMemory", "VendorCfg" };

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

static void show_size(uint64_t size)
{
	if (size >= SZ_1G && !(size % SZ_1G))
		shell_printf("%lluG", (unsigned long long)(size / SZ_1G));
	else if (size >= SZ_1M && !(size % SZ_1M))
		shell_printf("%lluM", (unsigned long long)(size / SZ_1M));
	else if (size >= SZ_1K && !(size % SZ_1K))
		shell_printf("%lluK", (unsigned long long)(size / SZ_1K));
	else
		shell_printf("%llu", (unsigned long long)size);
}

static void show_bar(const struct pci_dev *d, unsigned int i)
{
	const struct pci_bar *b = &d->bar[i];

	if (!b->size)
		return;
	if (i == PCI_ROM_RESOURCE)
		shell_printf("\tExpansion ROM at %08llx", (unsigned long long)b->start);
	else if (b->flags & PCI_BAR_IO)
		shell_printf("\tRegion %u: I/O ports at %04llx", i, (unsigned long long)b->start);
	else
		shell_printf("\tRegion %u: Memory at %08llx (%s, %sprefetchable)", i,
			     (unsigned long long)b->start, b->flags & PCI_BAR_MEM64 ? "64-bit" : "32-bit",
			     b->flags & PCI_BAR_PREFETCH ? "" : "non-");
	shell_printf(" [size=");
	show_size(b->size);
	shell_printf("]%s%s\n", b->flags & PCI_BAR_UNASSIGNED ? " [unassigned]" : "",
		     b->flags & PCI_BAR_INVALID ? " [invalid]" : "");
}

static void show_dev(const struct pci_dev *d, bool verbose)
{
	const char *cls = pci_class_name(d->class);

	shell_printf("%02x:%02x.%u %s [%04x]: %04x:%04x (rev %02x)\n", d->bus, PCI_SLOT(d->devfn),
		     PCI_FUNC(d->devfn), cls ? cls : "Class", d->class >> 8, d->vendor, d->device,
		     d->revision);
	if (!verbose)
		return;
	if (d->hdr_type == PCI_HEADER_TYPE_NORMAL)
		shell_printf("\tSubsystem: %04x:%04x\n", d->subsystem_vendor, d->subsystem_device);
	shell_printf("\tClass %06x, header type %u%s%s\n", d->class, d->hdr_type,
		     d->irq_pin ? ", interrupt pin " : "",
		     d->irq_pin == 1 ? "A" : d->irq_pin == 2 ? "B" : d->irq_pin == 3 ? "C" :
		     d->irq_pin == 4 ? "D" : d->irq_pin ? "?" : "");
	if (d->intx_irq >= 0)
		shell_printf("\tINTx: IRQ %d, vector 0x%02x, %lu interrupts on the line\n", d->intx_irq,
			     pci_intx_vector(d), pci_intx_count(d));
	if (d->hdr_type == PCI_HEADER_TYPE_BRIDGE)
		shell_printf("\tBus: secondary=%02x, subordinate=%02x\n", d->secondary, d->subordinate);
	for (unsigned int i = 0; i < PCI_NUM_RESOURCES; i++)
		show_bar(d, i);
	for (unsigned int i = 0; i < d->nr_caps; i++) {
		const char *n = pci_cap_name(d->cap[i].id);

		shell_printf("\tCapabilities: [%02x] %s", d->cap[i].offset, n ? n : "");
		if (!n)
			shell_printf("id %02x", d->cap[i].id);
		if (d->cap[i].id == PCI_CAP_ID_VNDR && d->vendor == 0x1af4)
			shell_printf(": VirtIO %s", virtio_cfg_name(pci_read_config_byte(d, d->cap[i].offset + 3)));
		if (d->cap[i].id == PCI_CAP_ID_MSIX && d->msix.present)
			shell_printf(": Enable%c Count=%u\n\t\tVector table: BAR=%u offset=%08x\n"
				     "\t\tPBA: BAR=%u offset=%08x%s", d->msix.enabled ? '+' : '-',
				     d->msix.table_size, d->msix.table_bar, d->msix.table_offset,
				     d->msix.pba_bar, d->msix.pba_offset,
				     d->msix.valid ? "" : "\n\t\t[invalid: not used]");
		shell_printf("\n");
	}
	if (d->caps_bad)
		shell_printf("\tCapabilities: [list broken, see dmesg]\n");
	for (unsigned int i = 0; i < d->nr_ext_caps; i++) {
		const char *n = pci_ext_cap_name(d->ext_cap[i].id);

		shell_printf("\tCapabilities: [%03x v%u] %s", d->ext_cap[i].offset, d->ext_cap[i].version,
			     n ? n : "");
		if (!n)
			shell_printf("Extended Capability ID %#x", d->ext_cap[i].id);
		shell_printf("\n");
	}
	if (d->ext_caps_bad)
		shell_printf("\tCapabilities: [extended list broken, see dmesg]\n");
	for (unsigned int i = 0; d->msix.enabled && i < d->msix.nvec; i++)
		shell_printf("\t\tentry %u: vector 0x%02x, %lu interrupts\n", i, d->msix.vector[i],
			     pci_msix_count(d, i));
	if (d->driver)
		shell_printf("\tKernel driver in use: %s\n", d->driver);
}

static int cmd_lspci(int argc, char **argv)
{
	bool verbose = argc > 1 && !strcmp(argv[1], "-v");
	int shown = 0;

	if (argc > 1 + verbose || (argc > 1 && !verbose)) {
		shell_printf("usage: lspci [-v]\n");
		return -22;
	}
	for_each_pci_dev(d) {
		show_dev(d, verbose);
		shown++;
	}
	shell_printf("%d function(s), config access through %s\n", shown, pci_config_mechanism());
	return 0;
}
SHELL_COMMAND(lspci, cmd_lspci, "[-v]", "PCI functions: BDF, class, vendor:device; -v BARs, capabilities, MSI-X");
