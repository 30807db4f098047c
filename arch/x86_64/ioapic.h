/* SPDX-License-Identifier: MIT */
/*
 * DOC: ioapic.h - routing device interrupts: IOAPIC pins, ISA IRQs, GSIs
 *
 * A global system interrupt (GSI) is an IOAPIC pin, numbered across all
 * IOAPICs from their MADT gsi_base. ISA IRQ n is GSI n unless the MADT has
 * an interrupt source override saying otherwise (QEMU: IRQ 0 -> GSI 2, and
 * IRQ 9 -> GSI 9 level active-high for the ACPI SCI), and ISA lines are
 * edge, active-high unless an override says so.
 *
 * Legacy (ISA) interrupts keep their vectors whoever delivers them:
 * IRQ0_VECTOR + irq. Drivers use legacy_irq_enable()/legacy_irq_eoi() and
 * do not care whether the 8259s or the IOAPIC deliver: before
 * ioapic_init() it is the 8259s, after it the IOAPIC, with the 8259s fully
 * masked and the boot CPU's LINT0 closed (one place: ioapic_init()).
 */
#ifndef HOTMM_ARCH_IOAPIC_H
#define HOTMM_ARCH_IOAPIC_H

#include "lib/compiler.h"

struct acpi_madt_info;

#define IOAPIC_TRIGGER_EDGE	0
#define IOAPIC_TRIGGER_LEVEL	1
#define IOAPIC_POLARITY_HIGH	0
#define IOAPIC_POLARITY_LOW	1

/*
 * Map every IOAPIC of @madt, mask all pins, then take legacy interrupts
 * over from the 8259s. Returns 0, or -ENODEV (no MADT or no IOAPIC: the
 * 8259s keep delivering, legacy_irq_* keep working through them).
 */
int ioapic_init(const struct acpi_madt_info *madt);
bool ioapic_active(void);

/* ISA @irq -> GSI, trigger and polarity after the MADT overrides. */
void isa_irq_to_gsi(unsigned int irq, uint32_t *gsi, int *trigger, int *polarity);

/*
 * Route @gsi to @vector on the CPU with @dest_apic_id, masked or not.
 * Returns 0, -ENOENT when no IOAPIC has that pin, -EINVAL for a bad vector.
 */
int ioapic_route_gsi(uint32_t gsi, unsigned int vector, int trigger, int polarity,
		     uint32_t dest_apic_id, bool masked);
int ioapic_mask_gsi(uint32_t gsi, bool masked);

/*
 * The ACPI SCI (FADT SCI_INT, an ISA IRQ number): without an override ACPI
 * says level, active-low; with one, what it says. Routed to @vector on the
 * boot CPU, unmasked.
 */
int ioapic_route_sci(unsigned int sci_irq, unsigned int vector);
/*
 * A PCI interrupt that firmware routed to ISA @irq (the function's
 * Interrupt Line): level, active-low unless a MADT override says otherwise,
 * to @vector on the boot CPU, unmasked. The GSI used goes to *@gsi.
 */
int ioapic_route_pci_irq(unsigned int irq, unsigned int vector, uint32_t *gsi);

/* ISA @irq delivers IRQ0_VECTOR + irq to the boot CPU, through whichever controller is in charge. */
int legacy_irq_enable(unsigned int irq);
void legacy_irq_disable(unsigned int irq);
/* End of interrupt for ISA @irq, to whichever controller delivered it. */
void legacy_irq_eoi(unsigned int irq);

/* `ioapic` listing for the shell: pins in use. */
void ioapic_show(int (*pr)(const char *fmt, ...));

#endif
