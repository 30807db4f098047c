/* SPDX-License-Identifier: MIT */
/*
 * DOC: pci.h - the PCI core: config access, devices, BARs, capabilities, MSI-X
 *
 * pci_init() picks the configuration mechanism (ECAM from the MCFG when
 * ACPI has one, q35; else the legacy ports 0xCF8/0xCFC, pc), walks bus 0
 * and every bus behind a PCI-PCI bridge and keeps one struct pci_dev per
 * function found, in discovery order. Bus numbers are the firmware's: a
 * bridge whose secondary bus was not assigned (or points back at a bus
 * already walked) is reported and not followed.
 *
 * Everything read from a device is checked before use: BAR sizes, the
 * capability chains (pointers into the header, loops, running off the
 * space; the PCIe extended chain at 0x100 when config space is ECAM) and the MSI-X table and PBA (their BAR and extent). A check that
 * fails names the device, the register and the value, and leaves that
 * resource unused; the device stays listed. Interrupts are MSI-X; INTx
 * through the IOAPIC is the fallback for a function without MSI-X.
 *
 * probe.c reads config space only through struct pci_ops, so host tests
 * and the fuzzer run the same parsing against a fake config space.
 */
#ifndef HOTMM_DRIVERS_PCI_PCI_H
#define HOTMM_DRIVERS_PCI_PCI_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"
#include "arch/x86_64/ioremap.h"
#include "drivers/pci/pci_regs.h"

#define PCI_DEVFN(slot, fn)	((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

#define PCI_STD_NUM_BARS	6
#define PCI_ROM_RESOURCE	6	/* bar[6]: the expansion ROM */
#define PCI_NUM_RESOURCES	7
#define PCI_MAX_CAPS		16	/* kept per device; more are walked but not kept */
#define PCI_FIND_CAP_TTL	48	/* as Linux: longer chains are loops */
#define PCI_MAX_EXT_CAPS	16

/* Configuration space access for one PCI segment. */
struct pci_ops {
	const char *name;
	unsigned int cfg_size;		/* bytes per function: 256 (ports) or 4096 (ECAM) */
	/* @len 1, 2 or 4; @reg aligned to @len. Absent functions read all-ones. */
	uint32_t (*read)(unsigned int bus, unsigned int devfn, unsigned int reg, int len);
	void (*write)(unsigned int bus, unsigned int devfn, unsigned int reg, int len, uint32_t val);
};

/* bar[].flags */
#define PCI_BAR_IO		0x01
#define PCI_BAR_MEM64		0x02
#define PCI_BAR_PREFETCH	0x04
#define PCI_BAR_UNASSIGNED	0x08	/* sized, but firmware gave it no address */
#define PCI_BAR_INVALID		0x10	/* failed a check: never mapped */

struct pci_bar {
	uint64_t start;
	uint64_t size;			/* 0: not implemented */
	unsigned int flags;
	void __iomem *virt;		/* pci_iomap(), memory BARs only */
};

struct pci_cap {
	uint8_t id;
	uint8_t offset;
};

struct pci_ext_cap {
	uint16_t id;
	uint16_t offset;
	uint8_t version;
};

struct pci_msix_info {
	bool present;			/* capability found */
	bool valid;			/* table and PBA inside their BARs */
	uint8_t cap;			/* capability offset */
	uint16_t table_size;		/* entries */
	uint8_t table_bar, pba_bar;
	uint32_t table_offset, pba_offset;
	/* Kernel state, msix.c: */
	bool enabled;
	void __iomem *table;
	uint16_t nvec;			/* entries in use */
	int16_t *vector;		/* IDT vector of each entry in use, -1 none */
};

struct pci_dev {
	struct pci_dev *next;		/* pci_devices list, discovery order */
	struct pci_dev *bus_self;	/* the bridge leading to this bus, NULL on bus 0 */
	uint16_t segment;
	uint8_t bus, devfn;
	char name[16];			/* "0000:00:03.0" */
	uint16_t vendor, device;
	uint16_t subsystem_vendor, subsystem_device;
	uint32_t class;			/* base << 16 | sub << 8 | prog-if */
	uint8_t revision;
	uint8_t hdr_type;		/* PCI_HEADER_TYPE_*, without the multi-function bit */
	uint8_t irq_pin;
	uint8_t secondary, subordinate;	/* bridges */
	struct pci_bar bar[PCI_NUM_RESOURCES];
	unsigned int nr_caps;		/* kept in cap[] */
	struct pci_cap cap[PCI_MAX_CAPS];
	bool caps_bad;			/* the chain failed a check; it stops there */
	unsigned int nr_ext_caps;	/* PCIe extended capabilities (ECAM only) */
	struct pci_ext_cap ext_cap[PCI_MAX_EXT_CAPS];
	bool ext_caps_bad;
	struct pci_msix_info msix;
	int intx_irq;			/* ISA IRQ in use through intx.c, -1 none */
	void *driver_data;
	const char *driver;		/* bound driver's name, for lspci */
};

/* Every function found, in discovery order (bus 0 first, then each bridge's bus). */
extern struct pci_dev *pci_devices;
#define for_each_pci_dev(d)	for (struct pci_dev *d = pci_devices; d; d = d->next)

/* The ops in use; set by pci_init() (tests set their own). */
extern const struct pci_ops *pci_root_ops;

static inline uint8_t pci_read_config_byte(const struct pci_dev *d, unsigned int reg)
{ return (uint8_t)pci_root_ops->read(d->bus, d->devfn, reg, 1); }
static inline uint16_t pci_read_config_word(const struct pci_dev *d, unsigned int reg)
{ return (uint16_t)pci_root_ops->read(d->bus, d->devfn, reg, 2); }
static inline uint32_t pci_read_config_dword(const struct pci_dev *d, unsigned int reg)
{ return pci_root_ops->read(d->bus, d->devfn, reg, 4); }
static inline void pci_write_config_byte(const struct pci_dev *d, unsigned int reg, uint8_t v)
{ pci_root_ops->write(d->bus, d->devfn, reg, 1, v); }
static inline void pci_write_config_word(const struct pci_dev *d, unsigned int reg, uint16_t v)
{ pci_root_ops->write(d->bus, d->devfn, reg, 2, v); }
static inline void pci_write_config_dword(const struct pci_dev *d, unsigned int reg, uint32_t v)
{ pci_root_ops->write(d->bus, d->devfn, reg, 4, v); }

/*
 * Walk bus 0 and the buses behind bridges with @ops, building pci_devices
 * (any previous list is freed first). Returns the number of functions.
 */
int pci_scan_root_bus(const struct pci_ops *ops);
/* Free pci_devices (host tests, rescans). Nothing may be mapped or enabled. */
void pci_free_devices(void);

/*
 * Read one function's header, size its BARs, walk its capabilities and
 * check its MSI-X capability into @dev (bus/devfn set by the caller).
 * Returns 0, or -ENODEV when nothing answers there.
 */
int pci_setup_device(struct pci_dev *dev);

/* Offset of the first capability @id of @dev, or 0 (from the list kept at scan time). */
uint8_t pci_find_capability(const struct pci_dev *dev, uint8_t id);
/* Offset of the capability after the one at @pos with @id, or 0 (virtio has several). */
uint8_t pci_find_next_capability(const struct pci_dev *dev, uint8_t pos, uint8_t id);

struct pci_dev *pci_get_device(uint16_t vendor, uint16_t device, struct pci_dev *from);
struct pci_dev *pci_get_slot(unsigned int bus, unsigned int devfn);

/* Memory decoding and bus mastering (DMA, and MSI-X writes) on. */
void pci_enable_device_mem(struct pci_dev *dev);
void pci_set_master(struct pci_dev *dev);
/*
 * The uncached mapping of memory BAR @bar (made once, kept). NULL, after a
 * message naming the device and BAR, for an I/O, empty, unassigned or
 * invalid BAR.
 */
void __iomem *pci_iomap(struct pci_dev *dev, unsigned int bar);

/* Names for lspci: "Ethernet controller", "Red Hat, Inc.", ... (NULL when unknown). */
const char *pci_class_name(uint32_t class);
const char *pci_cap_name(uint8_t id);
const char *pci_ext_cap_name(uint16_t id);

/* ---- MSI-X (msix.c, kernel only) ---- */

/*
 * Enable MSI-X with @nvec entries, all masked, INTx off. -EINVAL when the
 * device has no usable MSI-X table or fewer than @nvec entries.
 */
int pci_msix_enable(struct pci_dev *dev, unsigned int nvec);
/*
 * Give entry @entry its own IDT vector, delivered to the boot CPU, with
 * @fn(vector, @data) as handler, and unmask it. Returns the vector or a
 * negative errno.
 */
int pci_msix_request(struct pci_dev *dev, unsigned int entry,
		     void (*fn)(unsigned int vector, void *data), void *data, const char *name);
/* Mask every entry, disable MSI-X, free the vectors. */
void pci_msix_disable(struct pci_dev *dev);
/* Interrupts taken through entry @entry (0 when it has no vector). */
unsigned long pci_msix_count(const struct pci_dev *dev, unsigned int entry);

/* ---- INTx (intx.c, kernel only): the fallback for functions without MSI-X ---- */

/*
 * Run @fn(@data) on every interrupt of @dev's INTx line (shared: @fn must
 * check its device), routed through the IOAPIC to the boot CPU, and let
 * the function interrupt. Returns the vector or a negative errno.
 */
int pci_intx_request(struct pci_dev *dev, void (*fn)(void *data), void *data, const char *name);
/* Stop @dev's INTx (INTx Disable set) and drop its handler; the last one masks the pin. */
void pci_intx_free(struct pci_dev *dev);
unsigned long pci_intx_count(const struct pci_dev *dev);	/* interrupts on its line */
int pci_intx_vector(const struct pci_dev *dev);		/* -1 when not in use */

/* Kernel entry: choose the config mechanism, scan. Called once from start_kernel. */
void pci_init(void);
/* ECAM or ports, for lspci and the report. */
const char *pci_config_mechanism(void);

#endif
