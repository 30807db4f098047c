/* SPDX-License-Identifier: MIT */
#ifndef HOTMM_DRIVERS_UART16550_H
#define HOTMM_DRIVERS_UART16550_H

#include "lib/compiler.h"

/* ttyS0..ttyS3 are the classic COM1..COM4 I/O ports. */
void uart_init(int index, unsigned int baud);
void uart_putc(char c);
void uart_write(const char *s, size_t n);
int uart_getc(void);			/* -1 when nothing was received */
void uart_enable_rx_irq(void);
int uart_irq(void);			/* ISA IRQ line of the port */

#endif
