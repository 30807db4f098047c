/* SPDX-License-Identifier: MIT */
/*
 * DOC: uart16550.c - the serial console
 *
 * The console is a 16550 UART, 8N1, COM1 at 115200 unless `console=ttyS1,115200`
 * picks another port (servers often put serial-over-LAN on COM2). Output
 * polls the transmitter; input is read from the receive buffer when the
 * receive interrupt (or a poll) says a byte is there. Under TCG every byte
 * costs an exit to QEMU, which is why printk filters by loglevel.
 */
#include "drivers/uart16550.h"
#include "arch/x86_64/io.h"

static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
static const int com_irqs[] = { 4, 3, 4, 3 };
static uint16_t port = 0x3f8;
static int cur_index;

#define UART_THR 0	/* transmit holding (write) */
#define UART_RBR 0	/* receive buffer (read) */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01	/* data ready */
#define LSR_THRE 0x20	/* transmitter holding register empty */

void uart_init(int index, unsigned int baud)
{
	unsigned int div;

	if (index < 0 || index >= (int)ARRAY_SIZE(com_ports))
		index = 0;
	if (baud == 0 || baud > 115200)
		baud = 115200;
	cur_index = index;
	port = com_ports[index];
	div = 115200 / baud;
	outb(0x00, port + UART_IER);		/* no interrupts while we program it */
	outb(0x80, port + UART_LCR);		/* DLAB: divisor follows */
	outb(div & 0xff, port + 0);
	outb(div >> 8, port + 1);
	outb(0x03, port + UART_LCR);		/* 8N1 */
	outb(0xc7, port + UART_FCR);		/* FIFOs on, cleared, 14-byte threshold */
	outb(0x0b, port + UART_MCR);		/* DTR, RTS, OUT2 (routes the IRQ) */
}

int uart_irq(void) { return com_irqs[cur_index]; }

void uart_enable_rx_irq(void)
{
	outb(0x01, port + UART_IER);
}

void uart_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (int i = 0; i < 100000 && !(inb(port + UART_LSR) & LSR_THRE); i++)
		;
	outb((uint8_t)c, port + UART_THR);
}

void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

int uart_getc(void)
{
	if (!(inb(port + UART_LSR) & LSR_DR))
		return -1;
	return inb(port + UART_RBR);
}
