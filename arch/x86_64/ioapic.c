/* SPDX-License-Identifier: MIT */
/*
 * DOC: ioapic.c - IOAPIC pins, ISA IRQs through the MADT overrides, and the
 * hand-over from the 8259s
 *
 * Each IOAPIC is two MMIO registers (index at +0, data at +0x10) in front of
 * a table of 64-bit redirection entries, one per pin. Invariants: every pin
 * is masked unless someone routed it; the redirection entry is written high
 * half first with the pin masked, so the pin is never live with half an
 * entry; one lock serializes index/data pairs. ioapic_init() is the one
 * place where legacy interrupts move from the 8259s to the IOAPIC: it masks
 * every 8259 line and the boot CPU's LINT0, then re-routes through the
 * IOAPIC whichever ISA lines were enabled before.
 */
#include <errno.h>
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/traps.h"
#include "drivers/acpi/madt.h"
#include "kernel/printk.h"

#define IOREGSEL	0x00
#define IOWIN		0x10	/* in 32-bit units: 4 */
#define IOAPIC_ID	0x00
#define IOAPIC_VER	0x01
#define IOAPIC_REDTBL(pin)	(0x10 + 2 * (pin))

#define RTE_MASKED	(1ull << 16)
#define RTE_LEVEL	(1ull << 15)
#define RTE_ACTIVE_LOW	(1ull << 13)

#define MAX_IOAPICS	8

struct ioapic {
	volatile uint32_t *regs;
	uint32_t phys;
	uint8_t id;
	uint32_t gsi_base;
	unsigned int nr_pins;
};

static struct ioapic ioapics[MAX_IOAPICS];
static unsigned int nr_ioapics;
static const struct acpi_madt_info *madt_info;
static DEFINE_SPINLOCK(ioapic_lock);
static bool active;
static uint32_t boot_apic_id;
static uint16_t legacy_enabled;	/* ISA lines enabled through legacy_irq_enable() */

static uint32_t io_read(struct ioapic *io, unsigned int reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void io_write(struct ioapic *io, unsigned int reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

static struct ioapic *gsi_to_ioapic(uint32_t gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

static void write_rte(struct ioapic *io, unsigned int pin, uint64_t rte)
{
	io_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
	io_write(io, IOAPIC_REDTBL(pin) + 1, (uint32_t)(rte >> 32));
	io_write(io, IOAPIC_REDTBL(pin), (uint32_t)rte);
}

bool ioapic_active(void) { return active; }

void isa_irq_to_gsi(unsigned int irq, uint32_t *gsi, int *trigger, int *polarity)
{
	*gsi = irq;
	*trigger = IOAPIC_TRIGGER_EDGE;
	*polarity = IOAPIC_POLARITY_HIGH;
	if (!madt_info)
		return;
	for (unsigned int i = 0; i < madt_info->nr_overrides; i++) {
		const struct acpi_madt_override *o = &madt_info->override[i];

		if (o->bus != 0 || o->source_irq != irq)
			continue;
		*gsi = o->gsi;
		if ((o->flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL)
			*trigger = IOAPIC_TRIGGER_LEVEL;
		if ((o->flags & ACPI_MADT_POLARITY_MASK) == ACPI_MADT_POLARITY_LOW)
			*polarity = IOAPIC_POLARITY_LOW;
		return;
	}
}

int ioapic_route_gsi(uint32_t gsi, unsigned int vector, int trigger, int polarity,
		     uint32_t dest_apic_id, bool masked)
{
	struct ioapic *io;
	unsigned int pin;
	unsigned long flags;
	uint64_t rte;

	if (vector < 0x20 || vector > 0xfe) {
		pr_err("ioapic: GSI %u: vector %#x is outside 0x20-0xfe\n", gsi, vector);
		return -EINVAL;
	}
	io = gsi_to_ioapic(gsi, &pin);
	if (!io) {
		pr_err("ioapic: no IOAPIC serves GSI %u\n", gsi);
		return -ENOENT;
	}
	if (!x2apic_mode && dest_apic_id > 0xff) {
		pr_err("ioapic: GSI %u: APIC id %u cannot be a destination in xAPIC mode\n", gsi, dest_apic_id);
		return -EINVAL;
	}
	rte = vector | ((uint64_t)(dest_apic_id & 0xff) << 56);	/* fixed, physical destination */
	if (trigger == IOAPIC_TRIGGER_LEVEL)
		rte |= RTE_LEVEL;
	if (polarity == IOAPIC_POLARITY_LOW)
		rte |= RTE_ACTIVE_LOW;
	if (masked)
		rte |= RTE_MASKED;
	spin_lock_irqsave(&ioapic_lock, flags);
	write_rte(io, pin, rte);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

int ioapic_mask_gsi(uint32_t gsi, bool masked)
{
	struct ioapic *io;
	unsigned int pin;
	unsigned long flags;
	uint32_t lo;

	io = gsi_to_ioapic(gsi, &pin);
	if (!io)
		return -ENOENT;
	spin_lock_irqsave(&ioapic_lock, flags);
	lo = io_read(io, IOAPIC_REDTBL(pin));
	io_write(io, IOAPIC_REDTBL(pin), masked ? lo | (uint32_t)RTE_MASKED : lo & ~(uint32_t)RTE_MASKED);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

/*
 * ISA @irq as ACPI and PCI see it: level, active-low unless a MADT
 * override says otherwise (the SCI's rule, and that of a PCI interrupt
 * routed to an ISA IRQ). Routed to @vector on the boot CPU, unmasked.
 */
static int route_level_irq(unsigned int irq, unsigned int vector, const char *what, uint32_t *gsi_out)
{
	uint32_t gsi = irq;
	int trigger = IOAPIC_TRIGGER_LEVEL, polarity = IOAPIC_POLARITY_LOW;
	bool overridden = false;

	for (unsigned int i = 0; madt_info && i < madt_info->nr_overrides; i++) {
		const struct acpi_madt_override *o = &madt_info->override[i];
		unsigned int t = o->flags & ACPI_MADT_TRIGGER_MASK, p = o->flags & ACPI_MADT_POLARITY_MASK;

		if (o->bus != 0 || o->source_irq != irq)
			continue;
		overridden = true;
		gsi = o->gsi;
		/* "conforms to the bus" (0) means the default here: level, low */
		if (t == ACPI_MADT_TRIGGER_EDGE)
			trigger = IOAPIC_TRIGGER_EDGE;
		if (p == ACPI_MADT_POLARITY_HIGH)
			polarity = IOAPIC_POLARITY_HIGH;
	}
	pr_info("ioapic: %s IRQ %u -> GSI %u, %s, active-%s%s\n", what, irq, gsi,
		trigger == IOAPIC_TRIGGER_LEVEL ? "level" : "edge",
		polarity == IOAPIC_POLARITY_LOW ? "low" : "high", overridden ? " (MADT override)" : "");
	if (gsi_out)
		*gsi_out = gsi;
	return ioapic_route_gsi(gsi, vector, trigger, polarity, boot_apic_id, false);
}

int ioapic_route_sci(unsigned int sci_irq, unsigned int vector)
{
	return route_level_irq(sci_irq, vector, "ACPI SCI", NULL);
}

int ioapic_route_pci_irq(unsigned int irq, unsigned int vector, uint32_t *gsi)
{
	return route_level_irq(irq, vector, "PCI INTx", gsi);
}

/* ---- legacy interrupts, whoever delivers them ---- */

static int route_isa(unsigned int irq, bool masked)
{
	uint32_t gsi;
	int trigger, polarity;

	isa_irq_to_gsi(irq, &gsi, &trigger, &polarity);
	return ioapic_route_gsi(gsi, IRQ0_VECTOR + irq, trigger, polarity, boot_apic_id, masked);
}

int legacy_irq_enable(unsigned int irq)
{
	if (irq >= 16) {
		pr_err("irq: ISA IRQ %u does not exist (0-15)\n", irq);
		return -EINVAL;
	}
	legacy_enabled |= 1u << irq;
	if (active)
		return route_isa(irq, false);
	pic_unmask((int)irq);
	return 0;
}

void legacy_irq_disable(unsigned int irq)
{
	uint32_t gsi;
	int trigger, polarity;

	if (irq >= 16)
		return;
	legacy_enabled &= ~(1u << irq);
	if (active) {
		isa_irq_to_gsi(irq, &gsi, &trigger, &polarity);
		ioapic_mask_gsi(gsi, true);
	} else {
		pic_mask((int)irq);
	}
}

void legacy_irq_eoi(unsigned int irq)
{
	if (active)
		lapic_eoi();
	else
		pic_eoi((int)irq);
}

/* ---- bring-up ---- */

int ioapic_init(const struct acpi_madt_info *madt)
{
	unsigned long flags;

	if (!madt || !madt->nr_ioapics) {
		pr_warn("ioapic: %s; legacy interrupts stay on the 8259s\n",
			madt ? "the MADT lists no IOAPIC" : "no MADT");
		return -ENODEV;
	}
	madt_info = madt;
	boot_apic_id = lapic_id();
	for (unsigned int i = 0; i < madt->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];
		const struct acpi_madt_ioapic *m = &madt->ioapic[i];

		if (nr_ioapics == MAX_IOAPICS) {
			pr_err("ioapic: MADT lists %u IOAPICs; only the first %d are used\n",
			       madt->nr_ioapics, MAX_IOAPICS);
			break;
		}
		io->regs = ioremap(m->address, PAGE_SIZE);
		if (!io->regs) {
			pr_err("ioapic: cannot map IOAPIC id %u at %#x; its GSIs stay dead\n", m->id, m->address);
			continue;
		}
		io->phys = m->address;
		io->id = m->id;
		io->gsi_base = m->gsi_base;
		io->nr_pins = ((io_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < io->nr_pins; pin++)
			write_rte(io, pin, RTE_MASKED);
		pr_info("ioapic: id %u at %#x, GSI %u-%u, version %#x\n", io->id, io->phys, io->gsi_base,
			io->gsi_base + io->nr_pins - 1, io_read(io, IOAPIC_VER) & 0xff);
		nr_ioapics++;
	}
	if (!nr_ioapics)
		return -ENODEV;

	/* The hand-over: nothing may arrive through the 8259s from here on. */
	flags = local_irq_save();
	for (int irq = 0; irq < 16; irq++)
		pic_mask(irq);
	lapic_mask_lint0();
	active = true;
	for (unsigned int irq = 0; irq < 16; irq++)
		if (legacy_enabled & (1u << irq))
			route_isa(irq, false);
	local_irq_restore(flags);
	return 0;
}

void ioapic_show(int (*pr)(const char *fmt, ...))
{
	for (unsigned int irq = 0; irq < 16; irq++) {
		uint32_t gsi;
		int trigger, polarity;

		isa_irq_to_gsi(irq, &gsi, &trigger, &polarity);
		if (gsi != irq || trigger != IOAPIC_TRIGGER_EDGE || polarity != IOAPIC_POLARITY_HIGH)
			pr("ISA IRQ %u -> GSI %u %s active-%s (MADT override)\n", irq, gsi,
			   trigger == IOAPIC_TRIGGER_LEVEL ? "level" : "edge",
			   polarity == IOAPIC_POLARITY_LOW ? "low" : "high");
	}
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];

		pr("IOAPIC %u at %#x: GSI %u-%u\n", io->id, io->phys, io->gsi_base,
		   io->gsi_base + io->nr_pins - 1);
		for (unsigned int pin = 0; pin < io->nr_pins; pin++) {
			unsigned long flags;
			uint32_t lo, hi;

			spin_lock_irqsave(&ioapic_lock, flags);
			lo = io_read(io, IOAPIC_REDTBL(pin));
			hi = io_read(io, IOAPIC_REDTBL(pin) + 1);
			spin_unlock_irqrestore(&ioapic_lock, flags);
			if (lo & RTE_MASKED)
				continue;
			pr("  GSI %-3u vector %#04x %s active-%s -> APIC id %u\n", io->gsi_base + pin, lo & 0xff,
			   lo & RTE_LEVEL ? "level" : "edge ", lo & RTE_ACTIVE_LOW ? "low " : "high", hi >> 24);
		}
	}
}
