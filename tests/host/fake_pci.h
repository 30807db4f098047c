/* SPDX-License-Identifier: MIT */
/*
 * DOC: fake_pci.h - a PCI configuration space for host tests and fuzzers
 *
 * Functions are 4 KiB byte arrays; an absent one reads all-ones. BARs and
 * the expansion ROM behave as hardware: writes keep only the address bits
 * the BAR decodes (its size mask) and the low type bits are read-only, so
 * sizing by writing all-ones reads back the size. Everything else is
 * plain memory. fake_pci_ops is a struct pci_ops over it.
 */
#ifndef HOTMM_TESTS_HOST_FAKE_PCI_H
#define HOTMM_TESTS_HOST_FAKE_PCI_H

#include "drivers/pci/pci.h"

struct fake_fn {
	uint8_t cfg[4096];
	uint32_t wmask[7];	/* writable bits of BAR0-5 dwords and the ROM; 0: plain memory */
	bool bar_reg[7];	/* that dword is emulated as a BAR */
	bool upper[7];		/* ... as the upper half of a 64-bit BAR (no type bits) */
};

extern const struct pci_ops fake_pci_ops;

void fake_pci_reset(void);
/* A function at bus:slot.fn with ids, class (base<<16|sub<<8|if) and header type (0x80: multi). */
struct fake_fn *fake_pci_add(unsigned int bus, unsigned int slot, unsigned int fn, uint16_t vendor,
			     uint16_t device, uint32_t class, uint8_t hdr_type);
/*
 * A BAR: @flags its low bits (PCI_BASE_ADDRESS_SPACE_IO, MEM_TYPE_64, PREFETCH), @size a power
 * of two. A 64-bit BAR takes @idx and @idx + 1.
 */
void fake_pci_bar(struct fake_fn *f, unsigned int idx, uint64_t start, uint64_t size, uint32_t flags);
void fake_pci_rom(struct fake_fn *f, uint32_t start, uint32_t size);
/* Append a capability @id at @off with @len bytes of body (written from @body, may be NULL). */
void fake_pci_cap(struct fake_fn *f, uint8_t off, uint8_t id, const void *body, unsigned int len);
void fake_put8(struct fake_fn *f, unsigned int off, uint8_t v);
void fake_put16(struct fake_fn *f, unsigned int off, uint16_t v);
void fake_put32(struct fake_fn *f, unsigned int off, uint32_t v);
uint32_t fake_get32(struct fake_fn *f, unsigned int off);
/*
 * Fuzzers: 00:00.0 alone, from @bytes: 28 bytes of BAR/ROM write masks
 * (7 x u32), then its config space (the rest, up to 4096 bytes).
 */
struct fake_fn *fake_pci_raw(const uint8_t *bytes, size_t len);

#endif
