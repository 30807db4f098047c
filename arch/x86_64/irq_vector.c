/* SPDX-License-Identifier: MIT */
/*
 * DOC: irq_vector.c - allocation of IDT vectors for device interrupts
 *
 * One table of {handler, cookie, count, name} per device vector; every
 * allocated vector is registered in the IDT with one common entry point
 * that looks the vector up. A vector is either free (fn NULL) or owned; the
 * lock only orders allocation against freeing, the interrupt path reads
 * the entry without it (an entry is filled before the IDT points at it and
 * the IDT stops pointing at it before the entry is cleared).
 */
#include <errno.h>

#include "arch/x86_64/irq_vector.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/spinlock.h"
#include "kernel/printk.h"
#include "kernel/shell.h"

struct device_vector {
	irq_vector_fn fn;
	void *data;
	const char *name;
	unsigned long count;
};

static struct device_vector vectors[LAST_DEVICE_VECTOR + 1];
static DEFINE_SPINLOCK(vector_lock);

static void device_interrupt(struct pt_regs *regs)
{
	struct device_vector *v = &vectors[regs->vector];
	irq_vector_fn fn = READ_ONCE(v->fn);

	v->count++;
	if (fn)
		fn((unsigned int)regs->vector, v->data);
	lapic_eoi();
}

int irq_vector_alloc(irq_vector_fn fn, void *data, const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&vector_lock, flags);
	for (unsigned int vec = FIRST_DEVICE_VECTOR; vec <= LAST_DEVICE_VECTOR; vec++) {
		if (vectors[vec].fn)
			continue;
		vectors[vec] = (struct device_vector){ .fn = fn, .data = data, .name = name };
		if (set_vector_handler(vec, device_interrupt)) {
			vectors[vec].fn = NULL;		/* someone else's fixed vector */
			continue;
		}
		spin_unlock_irqrestore(&vector_lock, flags);
		return (int)vec;
	}
	spin_unlock_irqrestore(&vector_lock, flags);
	pr_err("irq: no free vector in 0x%x-0x%x for %s\n", FIRST_DEVICE_VECTOR, LAST_DEVICE_VECTOR, name);
	return -ENOSPC;
}

void irq_vector_free(unsigned int vector)
{
	unsigned long flags;

	if (vector < FIRST_DEVICE_VECTOR || vector > LAST_DEVICE_VECTOR)
		return;
	spin_lock_irqsave(&vector_lock, flags);
	set_vector_handler(vector, NULL);
	WRITE_ONCE(vectors[vector].fn, NULL);
	spin_unlock_irqrestore(&vector_lock, flags);
}

unsigned long irq_vector_count(unsigned int vector)
{
	return vector <= LAST_DEVICE_VECTOR ? READ_ONCE(vectors[vector].count) : 0;
}

static int cmd_interrupts(int argc, char **argv)
{
	shell_printf("vector     count  owner\n");
	for (unsigned int vec = FIRST_DEVICE_VECTOR; vec <= LAST_DEVICE_VECTOR; vec++)
		if (vectors[vec].fn)
			shell_printf("  0x%02x %9lu  %s\n", vec, vectors[vec].count, vectors[vec].name);
	return 0;
}
SHELL_COMMAND(interrupts, cmd_interrupts, "", "device interrupt vectors (MSI-X) and their counts");
