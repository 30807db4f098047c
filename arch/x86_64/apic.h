/* SPDX-License-Identifier: MIT */
/*
 * DOC: apic.h - the local APIC of each CPU: identity, EOI, timer, IPIs
 *
 * Every CPU has a local APIC at the same physical address (MADT, normally
 * 0xfee00000); each CPU reaches its own through it. In x2APIC mode the same
 * registers are MSRs 0x800 + offset / 16. We use x2APIC only when the
 * firmware left it on or when an APIC id above 254 makes xAPIC unable to
 * address a CPU; otherwise xAPIC through the MMIO page.
 */
#ifndef HOTMM_ARCH_APIC_H
#define HOTMM_ARCH_APIC_H

#include "lib/compiler.h"
#include "arch/x86_64/page.h"

/* Vectors above the ISA ones (0x20-0x2f); higher vectors win priority. */
#define LOCAL_TIMER_VECTOR	0xec
#define WAKEUP_VECTOR		0xf0	/* an idle CPU should look for work */
#define CALL_FUNCTION_VECTOR	0xf1	/* run smp_call_function's request */
#define APIC_ERROR_VECTOR	0xfe
/* SPURIOUS_VECTOR (0xff) is in traps.h: no EOI for it. */

extern bool x2apic_mode;	/* set here only: check_x2apic() and lapic_init() */

/*
 * Before the MADT is read: if the firmware left the boot CPU in x2APIC mode,
 * the local APIC can only be driven through MSRs from now on; note it in
 * x2apic_mode (as Linux's check_x2apic() does).
 */
void check_x2apic(void);
extern uint32_t lapic_timer_ticks_per_ms;	/* divide-by-16 ticks, from calibration */

/*
 * Boot CPU: map the APIC at @phys (0: the address in MSR IA32_APIC_BASE),
 * pick xAPIC/x2APIC (@max_apic_id: the largest id the MADT lists), enable
 * it, calibrate the timer against the TSC and install the IPI handlers.
 * Returns 0, or -ENODEV when the CPU has no APIC.
 */
int lapic_init(phys_addr_t phys, uint32_t max_apic_id);
/* Each AP, early in its start: same mode as the boot CPU, enabled, LINT0/1 masked. */
void lapic_setup_ap(void);

uint32_t lapic_id(void);
void lapic_eoi(void);
/* Stop the 8259s' virtual-wire path (LINT0) on this CPU: the IOAPIC took over. */
void lapic_mask_lint0(void);

/* Fixed-delivery IPI of @vector to the CPU with @apic_id. */
void lapic_send_ipi(uint32_t apic_id, unsigned int vector);
/*
 * Wake an AP: INIT, 10 ms, then two STARTUP IPIs for the real-mode code at
 * physical page @start_page (< 0x100), 200 us apart (Intel SDM vol. 3, 8.4.4.1).
 * @send_sipi false sends INIT only (parks a CPU; tests a CPU that never starts).
 * Returns 0, or -EIO when the APIC never accepted an IPI.
 */
int lapic_wakeup_ap(uint32_t apic_id, unsigned int start_page, bool send_sipi);
/* INIT only: put a CPU back into wait-for-SIPI (after it failed to start). */
void lapic_send_init(uint32_t apic_id);

/* Periodic timer on this CPU at @hz (0 stops it); each tick counts in percpu timer_ticks. */
void lapic_timer_set_hz(unsigned int hz);

#endif
