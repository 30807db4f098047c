/* SPDX-License-Identifier: MIT */
/*
 * DOC: pic.c - the legacy 8259 interrupt controllers
 *
 * The BIOS leaves the 8259s delivering IRQ 0-7 on vectors 8-15, where the
 * timer would look like a double fault. We move them to 0x20-0x2f and mask
 * every line before interrupts are ever enabled; drivers unmask the lines
 * they use (the serial console's receive IRQ) until the IOAPIC takes over.
 */
#include "arch/x86_64/pic.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/traps.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

static uint16_t mask = 0xffff;

static void write_mask(void)
{
	outb(mask & 0xff, PIC1_DATA);
	outb(mask >> 8, PIC2_DATA);
}

void pic_init(void)
{
	outb(0x11, PIC1_CMD); io_delay();		/* ICW1: init, ICW4 follows */
	outb(0x11, PIC2_CMD); io_delay();
	outb(IRQ0_VECTOR, PIC1_DATA); io_delay();	/* ICW2: vector base */
	outb(IRQ0_VECTOR + 8, PIC2_DATA); io_delay();
	outb(0x04, PIC1_DATA); io_delay();		/* ICW3: slave on IRQ2 */
	outb(0x02, PIC2_DATA); io_delay();
	outb(0x01, PIC1_DATA); io_delay();		/* ICW4: 8086 mode */
	outb(0x01, PIC2_DATA); io_delay();
	mask = 0xffff;
	write_mask();
}

void pic_unmask(int irq)
{
	mask &= ~(1u << irq);
	if (irq >= 8)
		mask &= ~(1u << 2);			/* the cascade */
	write_mask();
}

void pic_mask(int irq)
{
	mask |= 1u << irq;
	write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(0x20, PIC2_CMD);
	outb(0x20, PIC1_CMD);
}
