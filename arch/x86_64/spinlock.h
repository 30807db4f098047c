/* SPDX-License-Identifier: MIT */
/*
 * DOC: spinlock.h - the one lock primitive
 *
 * A ticket-free test-and-test-and-set lock. spin_lock_irqsave() also masks
 * interrupts on this CPU, for data an interrupt handler touches too. Host
 * builds (HOTMM_HOST) keep the atomics but have no interrupt flag to save.
 *
 * Debug kernels (CONFIG_DEBUG_VM, not host builds: there pthreads share one
 * CPU id) record the owner CPU and stop with a message naming the lock for
 * a recursive lock, an unlock by a CPU that does not hold it, and a lock
 * spun on for 10 s (a deadlock). spin_bug() lives in arch/x86_64/smp.c.
 *
 * cpu_relax(), the pause of every busy-wait loop (spinning for a lock,
 * waiting for a job or another CPU), also runs the lock-free cross-CPU
 * calls sent to this CPU (TLB flushes, SCF_ANYWHERE in arch/x86_64/smp.h):
 * the CPU it waits for may itself be waiting for this CPU's answer, and
 * with interrupts off the IPI alone would never be taken.
 */
#ifndef HOTMM_ARCH_SPINLOCK_H
#define HOTMM_ARCH_SPINLOCK_H

#include "lib/compiler.h"

#if defined(CONFIG_DEBUG_VM) && !defined(HOTMM_HOST)
#define SPINLOCK_DEBUG 1
#include "arch/x86_64/percpu.h"
#endif

#ifndef HOTMM_HOST
void smp_call_poll_anywhere(void);	/* arch/x86_64/smp.c */
#endif

typedef struct {
	volatile int locked;
#ifdef SPINLOCK_DEBUG
	int owner;			/* CPU id + 1 of the holder, 0 when free (so zeroed locks work) */
#endif
} spinlock_t;

#ifdef SPINLOCK_DEBUG
#define SPINLOCK_INIT { 0, 0 }
__noreturn void spin_bug(spinlock_t *l, const char *what);
#define spin_debug_owner_set(l)	((l)->owner = (int)smp_processor_id() + 1)
#define spin_debug_owner_clear(l)	((l)->owner = 0)
#else
#define SPINLOCK_INIT { 0 }
#define spin_debug_owner_set(l)	do { } while (0)
#define spin_debug_owner_clear(l)	do { } while (0)
#endif
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
	spin_debug_owner_clear(l);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__asm__ __volatile__("pause" ::: "memory");
#endif
#ifndef HOTMM_HOST
	smp_call_poll_anywhere();
#endif
}

#ifdef SPINLOCK_DEBUG
static inline uint64_t spin_debug_tsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
extern uint64_t tsc_khz;
#endif

static inline void spin_lock(spinlock_t *l)
{
#ifdef SPINLOCK_DEBUG
	uint64_t t0 = 0;
	unsigned long spins = 0;

	if (unlikely(READ_ONCE(l->owner) == (int)smp_processor_id() + 1))
		spin_bug(l, "recursive lock: this CPU already holds it");
#endif
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked)) {
			cpu_relax();
#ifdef SPINLOCK_DEBUG
			if (unlikely(!(++spins & 0xfff))) {
				if (!t0)
					t0 = spin_debug_tsc();
				else if (tsc_khz && spin_debug_tsc() - t0 > tsc_khz * 10000)
					spin_bug(l, "spun on for 10 s: deadlock?");
			}
#endif
		}
	spin_debug_owner_set(l);
}

static inline bool spin_trylock(spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	spin_debug_owner_set(l);
	return true;
}

static inline void spin_unlock(spinlock_t *l)
{
#ifdef SPINLOCK_DEBUG
	if (unlikely(l->owner != (int)smp_processor_id() + 1))
		spin_bug(l, l->locked ? "unlocked by a CPU that does not hold it" : "unlocked while free");
#endif
	spin_debug_owner_clear(l);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l) { return READ_ONCE(l->locked); }

#ifdef HOTMM_HOST
static inline unsigned long local_irq_save(void) { return 0; }
static inline void local_irq_restore(unsigned long f) { (void)f; }
static inline bool irqs_disabled(void) { return false; }
#else
/* Is this CPU running with interrupts off (IF clear)? */
static inline bool irqs_disabled(void)
{
	unsigned long flags;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags) :: "memory");
	return !(flags & (1UL << 9));
}

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
