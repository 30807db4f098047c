/* SPDX-License-Identifier: MIT */
/*
 * DOC: gpe.h - the ACPI SCI and the GPE0 block: hardware events to handlers
 *
 * Firmware signals platform events (QEMU: a DIMM inserted or to be ejected
 * is GPE 3) by setting a bit in GPE0_STS; while a status bit and its
 * GPE0_EN bit are both set, the level-triggered SCI stays asserted. This
 * file switches the machine into ACPI mode, routes the SCI through the
 * IOAPIC and dispatches GPE0 bits to handlers. A handler runs in interrupt
 * context after its status bit was cleared: it may only note the event and
 * queue work (kernel/workqueue.h).
 *
 * Only GPE0 in system I/O space is handled (every PC chipset and QEMU);
 * a status bit that fires with no handler is cleared and disabled, with a
 * warning, so it cannot keep the SCI asserted.
 */
#ifndef HOTMM_DRIVERS_ACPI_GPE_H
#define HOTMM_DRIVERS_ACPI_GPE_H

#include "lib/compiler.h"

typedef void (*acpi_gpe_handler_t)(unsigned int gpe, void *data);

/*
 * Once: ACPI mode (ACPI_ENABLE to SMI_CMD, wait for PM1a_CNT.SCI_EN), all
 * GPE0 enables off, stale status cleared, SCI routed and unmasked. Returns
 * 0, or a negative errno after saying why events cannot be delivered (no
 * FADT, hardware-reduced, no GPE0 block, SCI_EN never set, no IOAPIC); the
 * caller then polls. Later calls return the first result.
 */
int acpi_sci_init(void);
/* Install @fn for GPE0 bit @gpe and enable it. -EINVAL past the block, -EBUSY if taken. */
int acpi_install_gpe_handler(unsigned int gpe, acpi_gpe_handler_t fn, void *data);
void acpi_remove_gpe_handler(unsigned int gpe);

struct acpi_sci_stats {
	bool active;			/* acpi_sci_init() succeeded */
	unsigned int irq, vector;
	uint64_t gpe0_blk;
	unsigned int gpe0_len;
	unsigned long sci_irqs;		/* SCI interrupts taken */
	unsigned long spurious;		/* with no enabled status bit set */
	unsigned long gpe_events[16];	/* per GPE0 bit, first 16 */
	bool acpi_enabled_by_us;	/* we wrote ACPI_ENABLE to SMI_CMD */
};
void acpi_sci_get_stats(struct acpi_sci_stats *s);

#endif
