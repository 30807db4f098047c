/* SPDX-License-Identifier: MIT */
/*
 * DOC: irq_vector.h - IDT vectors handed out to device interrupts (MSI-X)
 *
 * Message-signalled interrupts name a vector directly, so each one needs a
 * vector of its own. They come from [FIRST_DEVICE_VECTOR, LAST_DEVICE_VECTOR],
 * above the ISA range (0x20-0x2f) and below the system vectors of apic.h.
 * The handler runs in interrupt context with a cookie; the EOI is sent
 * after it returns. Each vector counts the interrupts it took.
 */
#ifndef HOTMM_ARCH_IRQ_VECTOR_H
#define HOTMM_ARCH_IRQ_VECTOR_H

#include "lib/compiler.h"

#define FIRST_DEVICE_VECTOR	0x30
#define LAST_DEVICE_VECTOR	0xdf

typedef void (*irq_vector_fn)(unsigned int vector, void *data);

/* A free vector with @fn(@data) as its handler; -ENOSPC when none is left. */
int irq_vector_alloc(irq_vector_fn fn, void *data, const char *name);
/* Give @vector back; interrupts on it are reported as unexpected again. */
void irq_vector_free(unsigned int vector);
/* Interrupts taken on @vector since it was allocated. */
unsigned long irq_vector_count(unsigned int vector);

#endif
