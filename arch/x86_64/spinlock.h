/* SPDX-License-Identifier: MIT */
/*
 * DOC: spinlock.h - the one lock primitive
 *
 * A ticket-free test-and-test-and-set lock. spin_lock_irqsave() also masks
 * interrupts on this CPU, for data an interrupt handler touches too. Host
 * builds (HOTMM_HOST) keep the atomics but have no interrupt flag to save.
 */
#ifndef HOTMM_ARCH_SPINLOCK_H
#define HOTMM_ARCH_SPINLOCK_H

#include "lib/compiler.h"

typedef struct {
	volatile int locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l) { l->locked = 0; }

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__asm__ __volatile__("pause" ::: "memory");
#endif
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l) { return READ_ONCE(l->locked); }

#ifdef HOTMM_HOST
static inline unsigned long local_irq_save(void) { return 0; }
static inline void local_irq_restore(unsigned long f) { (void)f; }
#else
static inline unsigned long local_irq_save(void)
{
	unsigned long flags;
	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
	return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("pushq %0; popfq" :: "r"(flags) : "memory", "cc");
}
#endif

#define spin_lock_irqsave(l, flags) do { (flags) = local_irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { spin_unlock(l); local_irq_restore(flags); } while (0)

#endif
