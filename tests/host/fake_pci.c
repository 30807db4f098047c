/* SPDX-License-Identifier: MIT */
/*
 * DOC: fake_pci.c - the fake PCI configuration space (see fake_pci.h)
 */
#include <stdlib.h>
#include <string.h>

#include "tests/host/fake_pci.h"

static struct fake_fn *fns[256][256];
static uint16_t used[256 * 256];	/* bus << 8 | devfn of each function added */
static unsigned int nr_used;

static void fake_set(unsigned int bus, unsigned int devfn, struct fake_fn *f)
{
	free(fns[bus][devfn]);
	if (!fns[bus][devfn])
		used[nr_used++] = (uint16_t)(bus << 8 | devfn);
	fns[bus][devfn] = f;
}

void fake_pci_reset(void)
{
	for (unsigned int i = 0; i < nr_used; i++) {
		free(fns[used[i] >> 8][used[i] & 0xff]);
		fns[used[i] >> 8][used[i] & 0xff] = NULL;
	}
	nr_used = 0;
}

void fake_put8(struct fake_fn *f, unsigned int off, uint8_t v) { f->cfg[off] = v; }
void fake_put16(struct fake_fn *f, unsigned int off, uint16_t v) { memcpy(f->cfg + off, &v, 2); }
void fake_put32(struct fake_fn *f, unsigned int off, uint32_t v) { memcpy(f->cfg + off, &v, 4); }
uint32_t fake_get32(struct fake_fn *f, unsigned int off)
{
	uint32_t v;

	memcpy(&v, f->cfg + off, 4);
	return v;
}

struct fake_fn *fake_pci_add(unsigned int bus, unsigned int slot, unsigned int fn, uint16_t vendor,
			     uint16_t device, uint32_t class, uint8_t hdr_type)
{
	struct fake_fn *f = calloc(1, sizeof(*f));

	fake_set(bus, PCI_DEVFN(slot, fn), f);
	fake_put16(f, PCI_VENDOR_ID, vendor);
	fake_put16(f, PCI_DEVICE_ID, device);
	fake_put32(f, PCI_CLASS_REVISION, class << 8 | 1);
	fake_put8(f, PCI_HEADER_TYPE, hdr_type);
	fake_put16(f, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
	/* Every BAR dword of the header is a BAR that decodes nothing until fake_pci_bar. */
	for (int i = 0; i < ((hdr_type & 0x7f) == 1 ? 2 : 6); i++)
		f->bar_reg[i] = true;
	f->bar_reg[6] = true;
	return f;
}

void fake_pci_bar(struct fake_fn *f, unsigned int idx, uint64_t start, uint64_t size, uint32_t flags)
{
	uint64_t mask = ~(size - 1);

	if (flags & PCI_BASE_ADDRESS_SPACE_IO) {
		f->wmask[idx] = (uint32_t)mask & ~3u;
	} else {
		f->wmask[idx] = (uint32_t)mask & ~0xfu;
		if ((flags & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64) {
			f->wmask[idx + 1] = (uint32_t)(mask >> 32);
			f->bar_reg[idx + 1] = true;
			f->upper[idx + 1] = true;
			fake_put32(f, PCI_BASE_ADDRESS_0 + 4 * (idx + 1), (uint32_t)(start >> 32));
		}
	}
	fake_put32(f, PCI_BASE_ADDRESS_0 + 4 * idx, (uint32_t)start | flags);
}

void fake_pci_rom(struct fake_fn *f, uint32_t start, uint32_t size)
{
	f->wmask[6] = ~(size - 1) & PCI_ROM_ADDRESS_MASK;
	fake_put32(f, (f->cfg[PCI_HEADER_TYPE] & 0x7f) == 1 ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS, start);
}

void fake_pci_cap(struct fake_fn *f, uint8_t off, uint8_t id, const void *body, unsigned int len)
{
	unsigned int p = PCI_CAPABILITY_LIST;

	f->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	while (f->cfg[p])
		p = f->cfg[p] + PCI_CAP_LIST_NEXT;
	f->cfg[p] = off;
	f->cfg[off] = id;
	f->cfg[off + 1] = 0;
	if (body)
		memcpy(f->cfg + off + 2, body, len);
}

struct fake_fn *fake_pci_raw(const uint8_t *bytes, size_t len)
{
	struct fake_fn *f;

	fake_pci_reset();
	f = calloc(1, sizeof(*f));
	for (int i = 0; i < 7; i++)
		f->bar_reg[i] = true;
	memcpy(f->wmask, bytes, len < sizeof(f->wmask) ? len : sizeof(f->wmask));
	if (len > sizeof(f->wmask)) {
		len -= sizeof(f->wmask);
		memcpy(f->cfg, bytes + sizeof(f->wmask), len > sizeof(f->cfg) ? sizeof(f->cfg) : len);
	}
	fake_set(0, 0, f);
	return f;
}

static int bar_index(const struct fake_fn *f, unsigned int reg)
{
	bool bridge = (f->cfg[PCI_HEADER_TYPE] & 0x7f) == 1;

	if (reg >= PCI_BASE_ADDRESS_0 && reg < PCI_BASE_ADDRESS_0 + (bridge ? 8u : 24u))
		return (int)(reg - PCI_BASE_ADDRESS_0) / 4;
	if (reg == (bridge ? PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS))
		return 6;
	return -1;
}

static uint32_t fake_read(unsigned int bus, unsigned int devfn, unsigned int reg, int len)
{
	struct fake_fn *f = bus < 256 && devfn < 256 ? fns[bus][devfn] : NULL;
	uint32_t v = 0;

	if (!f || reg + (unsigned int)len > sizeof(f->cfg))
		return 0xffffffffu;
	memcpy(&v, f->cfg + reg, (size_t)len);
	return v;
}

static void fake_write(unsigned int bus, unsigned int devfn, unsigned int reg, int len, uint32_t v)
{
	struct fake_fn *f = bus < 256 && devfn < 256 ? fns[bus][devfn] : NULL;
	int bar;

	if (!f || reg + (unsigned int)len > sizeof(f->cfg))
		return;
	bar = len == 4 ? bar_index(f, reg) : -1;
	if (bar >= 0 && f->bar_reg[bar]) {
		uint32_t old = fake_get32(f, reg);
		/* The type bits are read-only; a ROM or the upper half of a 64-bit BAR has none. */
		uint32_t ro = bar == 6 || f->upper[bar] ? 0 : (old & 1) ? 3u : 0xfu;

		fake_put32(f, reg, (v & f->wmask[bar]) | (old & ro));
		return;
	}
	memcpy(f->cfg + reg, &v, (size_t)len);
}

const struct pci_ops fake_pci_ops = {
	.name = "fake", .cfg_size = 4096, .read = fake_read, .write = fake_write,
};
