/* SPDX-License-Identifier: MIT */
/*
 * DOC: gpe.c - ACPI mode, the SCI, and dispatch of GPE0 status bits
 *
 * GPE0_BLK is two equal halves (ACPI 6.5, 4.8.4.1): GPE0_STS in the first
 * GPE0_BLK_LEN/2 bytes, GPE0_EN in the second; bit n of the block is GPE
 * n. Registers are accessed a byte at a time, as the spec allows for any
 * GPE block width. Status bits are write-one-to-clear.
 *
 * Order in the handler: clear the status bit first, then call the handler,
 * then EOI. An event that arrives after the clear sets the bit again and
 * the level SCI fires again after the EOI, so none is lost; clearing after
 * the handler could wipe out an event that arrived while it ran.
 */
#include <errno.h>
#include "drivers/acpi/gpe.h"
#include "drivers/acpi/acpi_boot.h"
#include "kernel/printk.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"

#define ACPI_PM1_CNT_SCI_EN	(1u << 0)
#define SCI_EN_TIMEOUT_US	3000000		/* ACPICA waits 3 s for the SMI handler */
#define GPE0_MAX_BITS		128

struct gpe_handler {
	acpi_gpe_handler_t fn;
	void *data;
};

static DEFINE_SPINLOCK(gpe_lock);		/* GPE0_EN read-modify-write, handler table */
static struct gpe_handler handlers[GPE0_MAX_BITS];
static struct acpi_sci_stats st;
static int init_result = 1;			/* 1: not tried yet */
static uint16_t gpe_sts, gpe_en;		/* port of each half */
static unsigned int gpe_bytes;			/* bytes in each half */

static uint16_t gpe_port(bool en, unsigned int gpe)
{
	return (uint16_t)((en ? gpe_en : gpe_sts) + gpe / 8);
}

static void gpe_set_enable(unsigned int gpe, bool on)
{
	uint16_t port = gpe_port(true, gpe);
	uint8_t v = inb(port);

	v = on ? (uint8_t)(v | (1u << (gpe % 8))) : (uint8_t)(v & ~(1u << (gpe % 8)));
	outb(v, port);
}

static void sci_interrupt(struct pt_regs *regs)
{
	bool any = false;

	st.sci_irqs++;
	spin_lock(&gpe_lock);
	for (unsigned int byte = 0; byte < gpe_bytes; byte++) {
		uint8_t fired = inb((uint16_t)(gpe_sts + byte)) & inb((uint16_t)(gpe_en + byte));

		for (unsigned int bit = 0; fired && bit < 8; bit++) {
			unsigned int gpe = byte * 8 + bit;

			if (!(fired & (1u << bit)))
				continue;
			any = true;
			outb((uint8_t)(1u << bit), (uint16_t)(gpe_sts + byte));
			if (gpe < ARRAY_SIZE(st.gpe_events))
				st.gpe_events[gpe]++;
			if (handlers[gpe].fn) {
				handlers[gpe].fn(gpe, handlers[gpe].data);
			} else {
				gpe_set_enable(gpe, false);
				pr_warn("acpi: GPE %u fired with no handler; disabled\n", gpe);
			}
		}
	}
	spin_unlock(&gpe_lock);
	if (!any)
		st.spurious++;
	legacy_irq_eoi(st.irq);
}

static int enable_acpi_mode(const struct acpi_fadt_info *f)
{
	uint16_t cnt = (uint16_t)f->pm1a_cnt.address;
	uint64_t waited = 0;

	if (!cnt || f->pm1a_cnt.space_id != ACPI_ADR_SPACE_SYSTEM_IO) {
		pr_err("acpi: FADT PM1a_CNT_BLK is %s; cannot tell or set ACPI mode\n",
		       cnt ? "not in I/O space" : "missing");
		return -ENODEV;
	}
	if (inw(cnt) & ACPI_PM1_CNT_SCI_EN)
		return 0;
	if (!f->smi_cmd || !f->acpi_enable) {
		pr_err("acpi: PM1a_CNT.SCI_EN is clear and the FADT gives no SMI_CMD/ACPI_ENABLE "
		       "(0x%x/0x%x) to turn ACPI mode on\n", f->smi_cmd, f->acpi_enable);
		return -ENODEV;
	}
	/* Until SCI_EN is set, real chipsets steer GPEs to SMM instead of the SCI. */
	outb(f->acpi_enable, (uint16_t)f->smi_cmd);
	st.acpi_enabled_by_us = true;
	while (!(inw(cnt) & ACPI_PM1_CNT_SCI_EN)) {
		if (waited >= SCI_EN_TIMEOUT_US) {
			pr_err("acpi: wrote ACPI_ENABLE 0x%x to SMI_CMD 0x%x, PM1a_CNT (0x%x) SCI_EN still "
			       "clear after %u ms\n", f->acpi_enable, f->smi_cmd, cnt,
			       SCI_EN_TIMEOUT_US / 1000);
			return -ETIMEDOUT;
		}
		udelay(1000);
		waited += 1000;
	}
	pr_info("acpi: ACPI mode on (ACPI_ENABLE 0x%x -> SMI_CMD 0x%x)\n", f->acpi_enable, f->smi_cmd);
	return 0;
}

static int sci_init_once(void)
{
	const struct acpi_fadt_info *f = acpi_get_fadt();
	int ret;

	if (!f) {
		pr_err("acpi: no FADT: no SCI, no GPEs\n");
		return -ENODEV;
	}
	if (f->hw_reduced) {
		pr_err("acpi: hardware-reduced ACPI has no SCI/GPE0 block (GED is not supported)\n");
		return -ENODEV;
	}
	if (!f->gpe0.address || f->gpe0.length < 2 || (f->gpe0.length & 1)) {
		pr_err("acpi: FADT GPE0_BLK 0x%llx length %u is unusable (need a non-zero even length)\n",
		       (unsigned long long)f->gpe0.address, f->gpe0.length);
		return -ENODEV;
	}
	if (f->gpe0.space_id != ACPI_ADR_SPACE_SYSTEM_IO || f->gpe0.address + f->gpe0.length > 0x10000) {
		pr_err("acpi: FADT GPE0_BLK 0x%llx is in address space %u; only system I/O is supported\n",
		       (unsigned long long)f->gpe0.address, f->gpe0.space_id);
		return -ENODEV;
	}
	if (f->sci_int >= 16) {
		pr_err("acpi: FADT SCI_INT %u is not an ISA IRQ; not supported\n", f->sci_int);
		return -ENODEV;
	}
	if (!ioapic_active()) {
		pr_err("acpi: no IOAPIC in charge: the level-triggered SCI %u cannot be routed\n", f->sci_int);
		return -ENODEV;
	}
	ret = enable_acpi_mode(f);
	if (ret)
		return ret;

	gpe_sts = (uint16_t)f->gpe0.address;
	gpe_bytes = min(f->gpe0.length / 2u, (unsigned int)GPE0_MAX_BITS / 8);
	gpe_en = (uint16_t)(f->gpe0.address + f->gpe0.length / 2);
	/* Nothing is handled yet: a stale enabled bit would hold the SCI asserted. */
	for (unsigned int b = 0; b < gpe_bytes; b++) {
		outb(0, (uint16_t)(gpe_en + b));
		outb(0xff, (uint16_t)(gpe_sts + b));
	}
	st.irq = f->sci_int;
	st.vector = IRQ0_VECTOR + f->sci_int;
	st.gpe0_blk = f->gpe0.address;
	st.gpe0_len = f->gpe0.length;
	ret = set_vector_handler(st.vector, sci_interrupt);
	if (ret) {
		pr_err("acpi: vector 0x%x for the SCI (IRQ %u) is taken\n", st.vector, st.irq);
		return ret;
	}
	ret = ioapic_route_sci(f->sci_int, st.vector);
	if (ret) {
		pr_err("acpi: cannot route SCI IRQ %u through the IOAPIC (%d)\n", f->sci_int, ret);
		return ret;
	}
	st.active = true;
	pr_info("acpi: SCI on IRQ %u (vector 0x%x); GPE0_STS 0x%x, GPE0_EN 0x%x, %u GPEs\n",
		st.irq, st.vector, gpe_sts, gpe_en, gpe_bytes * 8);
	return 0;
}

int acpi_sci_init(void)
{
	if (init_result == 1)
		init_result = sci_init_once();
	return init_result;
}

int acpi_install_gpe_handler(unsigned int gpe, acpi_gpe_handler_t fn, void *data)
{
	unsigned long flags;
	int ret = 0;

	if (!st.active)
		return -ENODEV;
	if (gpe >= gpe_bytes * 8) {
		pr_err("acpi: GPE %u is past the GPE0 block (%u GPEs)\n", gpe, gpe_bytes * 8);
		return -EINVAL;
	}
	spin_lock_irqsave(&gpe_lock, flags);
	if (handlers[gpe].fn) {
		ret = -EBUSY;
	} else {
		handlers[gpe] = (struct gpe_handler){ fn, data };
		gpe_set_enable(gpe, true);
	}
	spin_unlock_irqrestore(&gpe_lock, flags);
	if (ret)
		pr_err("acpi: GPE %u already has a handler\n", gpe);
	return ret;
}

void acpi_remove_gpe_handler(unsigned int gpe)
{
	unsigned long flags;

	if (!st.active || gpe >= gpe_bytes * 8)
		return;
	spin_lock_irqsave(&gpe_lock, flags);
	gpe_set_enable(gpe, false);
	handlers[gpe] = (struct gpe_handler){ NULL, NULL };
	spin_unlock_irqrestore(&gpe_lock, flags);
}

void acpi_sci_get_stats(struct acpi_sci_stats *s)
{
	*s = st;
}
