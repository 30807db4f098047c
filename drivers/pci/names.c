/* SPDX-License-Identifier: MIT */
/*
 * DOC: names.c - human names for PCI class codes and capability ids
 *
 * A short table of what QEMU machines and ordinary servers show, in the
 * words of the PCI Code and ID Assignment specification (as lspci prints
 * them). Unknown codes get NULL and are printed as numbers.
 */
#include "drivers/pci/pci.h"

static const struct { uint16_t cls; const char *name; } class_names[] = {
	{ 0x0100, "SCSI storage controller" }, { 0x0101, "IDE interface" },
	{ 0x0106, "SATA controller" }, { 0x0108, "Non-Volatile memory controller" },
	{ 0x0180, "Mass storage controller" }, { 0x0200, "Ethernet controller" },
	{ 0x0280, "Network controller" }, { 0x0300, "VGA compatible controller" },
	{ 0x0380, "Display controller" }, { 0x0403, "Audio device" },
	{ 0x0500, "RAM memory" }, { 0x0580, "Memory controller" },
	{ 0x0600, "Host bridge" }, { 0x0601, "ISA bridge" }, { 0x0604, "PCI bridge" },
	{ 0x0680, "Bridge" }, { 0x0700, "Serial controller" }, { 0x0780, "Communication controller" },
	{ 0x0880, "System peripheral" }, { 0x0c03, "USB controller" }, { 0x0c05, "SMBus" },
	{ 0x1000, "Network and computing encryption device" }, { 0x00ff, "Unclassified device" },
	{ 0xff00, "Unassigned class" },
};

const char *pci_class_name(uint32_t class)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(class_names); i++)
		if (class_names[i].cls == class >> 8)
			return class_names[i].name;
	return NULL;
}

const char *pci_cap_name(uint8_t id)
{
	switch (id) {
	case PCI_CAP_ID_PM:	return "Power Management";
	case PCI_CAP_ID_MSI:	return "MSI";
	case PCI_CAP_ID_VNDR:	return "Vendor Specific";
	case PCI_CAP_ID_SSVID:	return "Subsystem (bridge)";
	case PCI_CAP_ID_EXP:	return "Express";
	case PCI_CAP_ID_MSIX:	return "MSI-X";
	case 0x04:		return "Slot ID";
	case 0x0c:		return "Hot-plug";
	case 0x12:		return "SATA HBA";
	case 0x13:		return "PCI Advanced Features";
	default:		return NULL;
	}
}

const char *pci_ext_cap_name(uint16_t id)
{
	switch (id) {
	case 0x0001: return "Advanced Error Reporting";
	case 0x0002: return "Virtual Channel";
	case 0x0003: return "Device Serial Number";
	case 0x000b: return "Vendor Specific Information";
	case 0x000d: return "Access Control Services";
	case 0x000e: return "Alternative Routing-ID Interpretation (ARI)";
	case 0x0010: return "Single Root I/O Virtualization (SR-IOV)";
	case 0x0015: return "Physical Resizable BAR";
	case 0x0018: return "Latency Tolerance Reporting";
	case 0x0019: return "Secondary PCI Express";
	case 0x001e: return "L1 PM Substates";
	default: return NULL;
	}
}
