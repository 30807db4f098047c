/* SPDX-License-Identifier: MIT */
/*
 * DOC: probe.c - finding PCI functions and reading what they offer
 *
 * Depth-first over the buses: every slot of a bus, function 0 and (when it
 * says it is multi-function) 1-7, then the bus behind each bridge found,
 * as Linux's pci_scan_child_bus. A bus is walked at most once, so a bridge
 * pointing at a bus already seen (or at its own) cannot loop the scan.
 *
 * BAR sizing writes all-ones with decoding off and restores the BAR and
 * the command register after, so a device is left as the firmware set it.
 * Only config space is touched here (through pci_root_ops); mapping and
 * interrupts are for drivers, later.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/pci/pci.h"
#include "kernel/printk.h"

#ifdef HOTMM_HOST
#include <stdlib.h>
#define pci_zalloc(n)	calloc(1, (n))
#define pci_kfree(p)	free(p)
#else
#include "mm/slab.h"
#define pci_zalloc(n)	kzalloc((n), GFP_KERNEL)
#define pci_kfree(p)	kfree(p)
#endif

struct pci_dev *pci_devices;
const struct pci_ops *pci_root_ops;

static struct pci_dev **pci_tail = &pci_devices;

void pci_free_devices(void)
{
	struct pci_dev *d = pci_devices, *n;

	for (; d; d = n) {
		n = d->next;
		pci_kfree(d);
	}
	pci_devices = NULL;
	pci_tail = &pci_devices;
}

/* Size one BAR at config offset @reg into @bar; returns how many BAR slots it used (1 or 2). */
static int pci_read_bar(struct pci_dev *dev, unsigned int idx, unsigned int reg, bool last_slot,
			struct pci_bar *bar)
{
	uint32_t lo = pci_read_config_dword(dev, reg), sz, hi = 0, szhi = 0;
	uint64_t base, mask;
	int used = 1;

	memset(bar, 0, sizeof(*bar));
	pci_write_config_dword(dev, reg, 0xffffffff);
	sz = pci_read_config_dword(dev, reg);
	pci_write_config_dword(dev, reg, lo);
	if (sz == 0 || sz == 0xffffffff) {
		/* 0: not implemented. All-ones: the function went away, or a BAR that decodes nothing. */
		if (sz == 0xffffffff && lo != 0xffffffff)
			pr_err("pci %s: BAR%u (config 0x%02x): size probe read 0xffffffff; BAR ignored\n",
			       dev->name, idx, reg);
		return 1;
	}
	if (lo & PCI_BASE_ADDRESS_SPACE_IO) {
		bar->flags = PCI_BAR_IO;
		base = lo & PCI_BASE_ADDRESS_IO_MASK;
		/* The upper 16 bits may read back zero: I/O space is 64 KiB on x86 (Linux's mask). */
		mask = sz & PCI_BASE_ADDRESS_IO_MASK & 0xffffu;
	} else {
		if ((lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64) {
			if (last_slot) {
				pr_err("pci %s: BAR%u (config 0x%02x) = 0x%08x: 64-bit, but no BAR follows "
				       "for its upper half; BAR ignored\n", dev->name, idx, reg, lo);
				bar->flags = PCI_BAR_INVALID;
				return 1;
			}
			hi = pci_read_config_dword(dev, reg + 4);
			pci_write_config_dword(dev, reg + 4, 0xffffffff);
			szhi = pci_read_config_dword(dev, reg + 4);
			pci_write_config_dword(dev, reg + 4, hi);
			bar->flags |= PCI_BAR_MEM64;
			used = 2;
		} else if ((lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) != 0) {
			pr_err("pci %s: BAR%u (config 0x%02x) = 0x%08x: memory type %u is reserved; "
			       "BAR ignored\n", dev->name, idx, reg, lo, (lo >> 1) & 3);
			bar->flags = PCI_BAR_INVALID;
			return 1;
		}
		if (lo & PCI_BASE_ADDRESS_MEM_PREFETCH)
			bar->flags |= PCI_BAR_PREFETCH;
		base = ((uint64_t)hi << 32) | (lo & PCI_BASE_ADDRESS_MEM_MASK);
		mask = ((uint64_t)szhi << 32) | (sz & PCI_BASE_ADDRESS_MEM_MASK);
	}
	/* The size is the lowest writable address bit, as Linux's pci_size(); none: no BAR. */
	if (!mask) {
		memset(bar, 0, sizeof(*bar));
		return used;
	}
	bar->size = mask & -mask;
	bar->start = base;
	if (base & (bar->size - 1)) {
		pr_err("pci %s: BAR%u (config 0x%02x): base 0x%llx is not aligned to its size 0x%llx; "
		       "BAR ignored\n", dev->name, idx, reg, (unsigned long long)base,
		       (unsigned long long)bar->size);
		bar->flags |= PCI_BAR_INVALID;
	} else if (!base) {
		bar->flags |= PCI_BAR_UNASSIGNED;
	}
	return used;
}

static void pci_read_rom(struct pci_dev *dev, unsigned int reg)
{
	struct pci_bar *bar = &dev->bar[PCI_ROM_RESOURCE];
	uint32_t lo = pci_read_config_dword(dev, reg), sz;

	memset(bar, 0, sizeof(*bar));
	pci_write_config_dword(dev, reg, PCI_ROM_ADDRESS_MASK);
	sz = pci_read_config_dword(dev, reg) & PCI_ROM_ADDRESS_MASK;
	pci_write_config_dword(dev, reg, lo);
	if (!sz)
		return;
	bar->size = sz & -sz;
	bar->start = lo & PCI_ROM_ADDRESS_MASK;
	if (!bar->start)
		bar->flags |= PCI_BAR_UNASSIGNED;
	else if (bar->start & (bar->size - 1))
		bar->flags |= PCI_BAR_INVALID;
}

static void pci_read_bases(struct pci_dev *dev, unsigned int howmany, unsigned int rom)
{
	uint16_t cmd = pci_read_config_word(dev, PCI_COMMAND);
	/*
	 * Decoding off while a BAR holds all-ones: it must not claim random
	 * addresses. Not on a host bridge, whose decoding is the path to RAM on
	 * some chipsets (Linux's mmio_always_on quirk).
	 */
	bool toggle = (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)) && dev->class >> 8 != 0x0600;

	if (toggle)
		pci_write_config_word(dev, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (unsigned int i = 0; i < howmany;) {
		unsigned int used = pci_read_bar(dev, i, PCI_BASE_ADDRESS_0 + 4 * i, i + 1 == howmany,
						 &dev->bar[i]);

		if (dev->bar[i].start + dev->bar[i].size < dev->bar[i].start) {
			pr_err("pci %s: BAR%u: base 0x%llx + size 0x%llx wraps the address space; BAR "
			       "ignored\n", dev->name, i, (unsigned long long)dev->bar[i].start,
			       (unsigned long long)dev->bar[i].size);
			dev->bar[i].flags |= PCI_BAR_INVALID;
		}
		i += used;
	}
	if (rom)
		pci_read_rom(dev, rom);
	if (toggle)
		pci_write_config_word(dev, PCI_COMMAND, cmd);
}

/* Walk the capability chain into dev->cap[], checking every pointer. */
static void pci_read_caps(struct pci_dev *dev)
{
	unsigned int start = dev->hdr_type == PCI_HEADER_TYPE_CARDBUS ? PCI_CB_CAPABILITY_LIST
								      : PCI_CAPABILITY_LIST;
	unsigned int pos, from = start, ttl = PCI_FIND_CAP_TTL;

	if (!(pci_read_config_word(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	pos = pci_read_config_byte(dev, start);
	while (pos) {
		uint8_t id;

		if (pos < PCI_STD_HEADER_SIZEOF || (pos & 3)) {
			pr_err("pci %s: capability pointer at config 0x%02x = 0x%02x: %s; list ends here\n",
			       dev->name, from, pos, pos & 3 ? "not dword aligned" : "points into the header");
			dev->caps_bad = true;
			return;
		}
		if (!ttl--) {
			pr_err("pci %s: capability list longer than %d entries (a loop through config "
			       "0x%02x?); list ends here\n", dev->name, PCI_FIND_CAP_TTL, pos);
			dev->caps_bad = true;
			return;
		}
		id = pci_read_config_byte(dev, pos);
		if (id == 0xff) {
			pr_err("pci %s: capability at config 0x%02x has id 0xff; list ends here\n",
			       dev->name, pos);
			dev->caps_bad = true;
			return;
		}
		if (dev->nr_caps < PCI_MAX_CAPS)
			dev->cap[dev->nr_caps++] = (struct pci_cap){ .id = id, .offset = (uint8_t)pos };
		from = pos + PCI_CAP_LIST_NEXT;
		pos = pci_read_config_byte(dev, from);
	}
}

/*
 * The PCIe extended chain from 0x100 (Linux's pci_find_ext_capability walk):
 * only a PCI Express function behind 4 KiB config access has one.
 */
static void pci_read_ext_caps(struct pci_dev *dev)
{
	unsigned int pos = PCI_CFG_SPACE_SIZE, from = 0;
	unsigned int ttl = (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8;
	uint32_t h;

	if (pci_root_ops->cfg_size < PCI_CFG_SPACE_EXP_SIZE || !pci_find_capability(dev, PCI_CAP_ID_EXP))
		return;
	h = pci_read_config_dword(dev, pos);
	if (h == 0 || h == 0xffffffffu)
		return;		/* no extended capability at all */
	for (;;) {
		if (!ttl--) {
			pr_err("pci %s: extended capability list longer than %u entries (a loop through "
			       "config 0x%03x?); list ends here\n", dev->name,
			       (PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8, pos);
			dev->ext_caps_bad = true;
			return;
		}
		if (dev->nr_ext_caps < PCI_MAX_EXT_CAPS)
			dev->ext_cap[dev->nr_ext_caps++] = (struct pci_ext_cap){
				.id = PCI_EXT_CAP_ID(h), .offset = (uint16_t)pos,
				.version = (uint8_t)PCI_EXT_CAP_VER(h),
			};
		from = pos;
		pos = PCI_EXT_CAP_NEXT(h);
		if (!pos)
			return;
		if (pos < PCI_CFG_SPACE_SIZE) {
			pr_err("pci %s: extended capability at config 0x%03x: next = 0x%03x points below "
			       "0x100; list ends here\n", dev->name, from, pos);
			dev->ext_caps_bad = true;
			return;
		}
		h = pci_read_config_dword(dev, pos);
	}
}

static void pci_read_msix(struct pci_dev *dev)
{
	struct pci_msix_info *m = &dev->msix;
	uint8_t cap = pci_find_capability(dev, PCI_CAP_ID_MSIX);
	uint32_t table, pba;
	const struct pci_bar *tb;
	uint64_t tlen, plen;

	memset(m, 0, sizeof(*m));
	if (!cap)
		return;
	m->present = true;
	m->cap = cap;
	if (cap > 0xff - 12) {
		pr_err("pci %s: MSI-X capability at config 0x%02x: its 12 bytes run past the header; "
		       "MSI-X not used\n", dev->name, cap);
		return;
	}
	m->table_size = (pci_read_config_word(dev, cap + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_QSIZE) + 1;
	table = pci_read_config_dword(dev, cap + PCI_MSIX_TABLE);
	pba = pci_read_config_dword(dev, cap + PCI_MSIX_PBA);
	m->table_bar = table & PCI_MSIX_BIR;
	m->table_offset = table & ~PCI_MSIX_BIR;
	m->pba_bar = pba & PCI_MSIX_BIR;
	m->pba_offset = pba & ~PCI_MSIX_BIR;
	tlen = (uint64_t)m->table_size * PCI_MSIX_ENTRY_SIZE;
	plen = DIV_ROUND_UP(m->table_size, 64u) * 8u;
	for (int which = 0; which < 2; which++) {
		unsigned int bir = which ? m->pba_bar : m->table_bar;
		uint64_t off = which ? m->pba_offset : m->table_offset, len = which ? plen : tlen;
		const char *what = which ? "PBA" : "table";
		unsigned int reg = cap + (which ? PCI_MSIX_PBA : PCI_MSIX_TABLE);

		if (bir >= PCI_STD_NUM_BARS) {
			pr_err("pci %s: MSI-X %s (config 0x%02x): BIR %u is not a BAR; MSI-X not used\n",
			       dev->name, what, reg, bir);
			return;
		}
		tb = &dev->bar[bir];
		if (!tb->size || (tb->flags & (PCI_BAR_IO | PCI_BAR_INVALID | PCI_BAR_UNASSIGNED))) {
			pr_err("pci %s: MSI-X %s (config 0x%02x): BAR%u is %s; MSI-X not used\n", dev->name,
			       what, reg, bir, !tb->size ? "not implemented" : tb->flags & PCI_BAR_IO ?
			       "an I/O BAR" : tb->flags & PCI_BAR_INVALID ? "invalid" : "unassigned");
			return;
		}
		if (off + len > tb->size) {
			pr_err("pci %s: MSI-X %s (config 0x%02x): offset 0x%llx + 0x%llx bytes (%u entries) "
			       "runs past BAR%u's size 0x%llx; MSI-X not used\n", dev->name, what, reg,
			       (unsigned long long)off, (unsigned long long)len, m->table_size, bir,
			       (unsigned long long)tb->size);
			return;
		}
	}
	m->valid = true;
}

int pci_setup_device(struct pci_dev *dev)
{
	uint32_t id = pci_root_ops->read(dev->bus, dev->devfn, PCI_VENDOR_ID, 4), cr;
	uint8_t ht;

	snprintf(dev->name, sizeof(dev->name), "%04x:%02x:%02x.%u", dev->segment, dev->bus,
		 PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn));
	if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0 || id == 0xffff0000u)
		return -ENODEV;
	dev->vendor = id & 0xffff;
	dev->device = id >> 16;
	cr = pci_read_config_dword(dev, PCI_CLASS_REVISION);
	dev->revision = cr & 0xff;
	dev->class = cr >> 8;
	ht = pci_read_config_byte(dev, PCI_HEADER_TYPE);
	dev->hdr_type = ht & PCI_HEADER_TYPE_MASK;
	dev->irq_pin = pci_read_config_byte(dev, PCI_INTERRUPT_PIN);
	switch (dev->hdr_type) {
	case PCI_HEADER_TYPE_NORMAL:
		dev->subsystem_vendor = pci_read_config_word(dev, PCI_SUBSYSTEM_VENDOR_ID);
		dev->subsystem_device = pci_read_config_word(dev, PCI_SUBSYSTEM_ID);
		pci_read_bases(dev, PCI_STD_NUM_BARS, PCI_ROM_ADDRESS);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		pci_read_bases(dev, 2, PCI_ROM_ADDRESS1);
		dev->secondary = pci_read_config_byte(dev, PCI_SECONDARY_BUS);
		dev->subordinate = pci_read_config_byte(dev, PCI_SUBORDINATE_BUS);
		break;
	case PCI_HEADER_TYPE_CARDBUS:
		break;
	default:
		pr_err("pci %s: header type (config 0x0e) = 0x%02x is unknown; only vendor, device "
		       "and class are read\n", dev->name, ht);
		return 0;
	}
	pci_read_caps(dev);
	pci_read_ext_caps(dev);
	pci_read_msix(dev);
	return 0;
}

uint8_t pci_find_next_capability(const struct pci_dev *dev, uint8_t pos, uint8_t id)
{
	bool after = pos == 0;

	for (unsigned int i = 0; i < dev->nr_caps; i++) {
		if (after && dev->cap[i].id == id)
			return dev->cap[i].offset;
		if (dev->cap[i].offset == pos)
			after = true;
	}
	return 0;
}

uint8_t pci_find_capability(const struct pci_dev *dev, uint8_t id)
{
	return pci_find_next_capability(dev, 0, id);
}

struct pci_dev *pci_get_device(uint16_t vendor, uint16_t device, struct pci_dev *from)
{
	for (struct pci_dev *d = from ? from->next : pci_devices; d; d = d->next)
		if (d->vendor == vendor && (device == 0xffff || d->device == device))
			return d;
	return NULL;
}

struct pci_dev *pci_get_slot(unsigned int bus, unsigned int devfn)
{
	for_each_pci_dev(d)
		if (d->bus == bus && d->devfn == devfn)
			return d;
	return NULL;
}

struct scan_state {
	uint8_t seen[256 / 8];	/* buses walked */
	int count;
};

static void pci_scan_bus(struct scan_state *st, unsigned int bus, struct pci_dev *self, int depth);

static struct pci_dev *pci_scan_single(struct scan_state *st, unsigned int bus, unsigned int devfn,
				       struct pci_dev *self)
{
	struct pci_dev tmp = { .bus = (uint8_t)bus, .devfn = (uint8_t)devfn, .bus_self = self,
			       .intx_irq = -1 };
	struct pci_dev *dev;

	if (pci_setup_device(&tmp))
		return NULL;
	dev = pci_zalloc(sizeof(*dev));
	if (!dev) {
		pr_err("pci %s: no memory for its struct pci_dev; not listed\n", tmp.name);
		return NULL;
	}
	*dev = tmp;
	*pci_tail = dev;
	pci_tail = &dev->next;
	st->count++;
	return dev;
}

static void pci_scan_bus(struct scan_state *st, unsigned int bus, struct pci_dev *self, int depth)
{
	struct pci_dev *first = NULL;

	st->seen[bus / 8] |= 1u << (bus % 8);
	for (unsigned int slot = 0; slot < 32; slot++) {
		uint8_t ht;
		struct pci_dev *d = pci_scan_single(st, bus, PCI_DEVFN(slot, 0), self);

		if (!d)
			continue;
		if (!first)
			first = d;
		ht = (uint8_t)pci_root_ops->read(bus, PCI_DEVFN(slot, 0), PCI_HEADER_TYPE, 1);
		if (ht & PCI_HEADER_TYPE_MFD)
			for (unsigned int fn = 1; fn < 8; fn++)
				pci_scan_single(st, bus, PCI_DEVFN(slot, fn), self);
	}
	/* Then behind every bridge of this bus, in order (Linux's second pass). */
	for (struct pci_dev *d = first; d; d = d->next) {
		if (d->bus != bus || d->hdr_type != PCI_HEADER_TYPE_BRIDGE)
			continue;
		if (d->secondary <= bus || (st->seen[d->secondary / 8] & (1u << (d->secondary % 8)))) {
			pr_err("pci %s: bridge secondary bus (config 0x19) = %u %s; not scanned behind it\n",
			       d->name, d->secondary, d->secondary <= bus ? "is not above its own bus" :
			       "was already scanned");
			continue;
		}
		if (d->subordinate < d->secondary)
			pr_warn("pci %s: bridge subordinate bus (config 0x1a) = %u is below its secondary "
				"bus %u\n", d->name, d->subordinate, d->secondary);
		if (depth >= 32) {
			pr_err("pci %s: more than 32 bridges deep; not scanned behind it\n", d->name);
			continue;
		}
		pci_scan_bus(st, d->secondary, d, depth + 1);
	}
}

int pci_scan_root_bus(const struct pci_ops *ops)
{
	struct scan_state st = { .count = 0 };

	pci_free_devices();
	pci_root_ops = ops;
	pci_scan_bus(&st, 0, NULL, 0);
	return st.count;
}
