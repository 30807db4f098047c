/* SPDX-License-Identifier: MIT */
/*
 * DOC: apic.c - the local APIC: enable, ID, EOI, timer, IPIs, INIT/SIPI
 *
 * Owns the local APIC of every CPU. The boot CPU maps the register page once
 * (it is the same physical page on every CPU, each seeing its own APIC) and
 * picks the access mode for all: xAPIC through MMIO, or x2APIC through MSRs
 * when the firmware left x2APIC on or a CPU's APIC id does not fit in
 * xAPIC's 8 bits. The boot CPU's LINT0 stays in virtual-wire mode (the
 * 8259s' path) until the IOAPIC takes over; the APs' LINT0/LINT1 are masked
 * from the start: legacy interrupts and NMIs go to the boot CPU only.
 *
 * IPIs are written with interrupts off: the two ICR halves of xAPIC would be
 * torn by an interrupt handler that sends an IPI of its own in between.
 */
#include <errno.h>
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"

#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define  APIC_SVR_ENABLE	(1u << 8)
#define APIC_ESR	0x280
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0

#define APIC_LVT_MASKED		(1u << 16)
#define APIC_TIMER_PERIODIC	(1u << 17)
#define APIC_TIMER_DIV_16	0x3

#define ICR_FIXED		0x000
#define ICR_INIT		0x500
#define ICR_STARTUP		0x600
#define ICR_DELIVERY_PENDING	(1u << 12)
#define ICR_LEVEL_ASSERT	(1u << 14)
#define ICR_TRIGGER_LEVEL	(1u << 15)

#define APIC_BASE_X2APIC	(1ull << 10)
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_BSP		(1ull << 8)

bool x2apic_mode;
uint32_t lapic_timer_ticks_per_ms;
static volatile uint32_t *lapic_mmio;

static uint32_t apic_read(unsigned int reg)
{
	if (x2apic_mode)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return lapic_mmio[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
	if (x2apic_mode)
		wrmsr(0x800 + (reg >> 4), v);
	else
		lapic_mmio[reg / 4] = v;
}

uint32_t lapic_id(void)
{
	if (x2apic_mode)
		return (uint32_t)rdmsr(0x802);
	return lapic_mmio[APIC_ID / 4] >> 24;
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void lapic_mask_lint0(void)
{
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
}

/* ---- interrupt handlers ---- */

static void timer_interrupt(struct pt_regs *regs)
{
	this_cpu()->timer_ticks++;
	lapic_eoi();
}

static void wakeup_interrupt(struct pt_regs *regs)
{
	this_cpu()->ipis++;	/* the point was to leave hlt */
	lapic_eoi();
}

static void error_interrupt(struct pt_regs *regs)
{
	uint32_t esr;

	apic_write(APIC_ESR, 0);	/* latch the errors into ESR */
	esr = apic_read(APIC_ESR);
	lapic_eoi();
	pr_err("apic: CPU %u (APIC id %u) reports error status %#x\n", smp_processor_id(), lapic_id(), esr);
}

/* ---- enabling ---- */

static void lapic_enable_this_cpu(bool bsp)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base |= APIC_BASE_ENABLE);
	if (x2apic_mode && !(base & APIC_BASE_X2APIC))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);

	apic_write(APIC_TPR, 0);		/* accept every priority */
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_LVT_ERROR, APIC_ERROR_VECTOR);
	if (!bsp) {
		apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
		apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	}
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
}

/* Divide-by-16 ticks in 10 ms of TSC time. */
static void calibrate_timer(void)
{
	uint32_t left;

	apic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TIMER_INIT, 0xffffffff);
	udelay(10000);
	left = apic_read(APIC_TIMER_CUR);
	apic_write(APIC_TIMER_INIT, 0);
	lapic_timer_ticks_per_ms = (0xffffffffu - left) / 10;
}

void check_x2apic(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 21)))	/* no x2APIC: the MSR bit cannot be set */
		return;
	if (!(rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC))
		return;
	x2apic_mode = true;
	pr_warn("apic: firmware left the boot CPU in x2APIC mode: the local APIC must be driven "
		"through MSRs, not MMIO (QEMU's TCG cannot emulate x2APIC; machines with more than "
		"255 CPUs need it)\n");
}

int lapic_init(phys_addr_t phys, uint32_t max_apic_id)
{
	uint32_t a, b, c, d;
	uint64_t base;
	bool has_x2apic;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & (1u << 9))) {
		pr_err("apic: this CPU has no local APIC (CPUID.1:EDX bit 9); staying on the 8259s\n");
		return -ENODEV;
	}
	has_x2apic = c & (1u << 21);
	base = rdmsr(MSR_APIC_BASE);
	if (!phys)
		phys = base & ~0xfffull & ((1ull << 52) - 1);

	if (base & APIC_BASE_X2APIC) {
		x2apic_mode = true;
		pr_info("apic: x2APIC mode (left on by the firmware)\n");
	} else if (max_apic_id > 254 && has_x2apic) {
		x2apic_mode = true;
		pr_info("apic: x2APIC mode: APIC id %u does not fit xAPIC's 8 bits\n", max_apic_id);
	} else {
		if (max_apic_id > 254)
			pr_err("apic: APIC id %u needs x2APIC, which this CPU lacks; such CPUs stay offline\n",
			       max_apic_id);
		pr_info("apic: xAPIC mode at %#llx%s\n", (unsigned long long)phys,
			has_x2apic ? " (x2APIC available, not needed)" : "");
	}
	if (!x2apic_mode) {
		lapic_mmio = ioremap(phys, PAGE_SIZE);
		if (!lapic_mmio) {
			pr_err("apic: cannot map the local APIC at %#llx\n", (unsigned long long)phys);
			return -ENOMEM;
		}
	}

	lapic_enable_this_cpu(true);
	set_vector_handler(LOCAL_TIMER_VECTOR, timer_interrupt);
	set_vector_handler(WAKEUP_VECTOR, wakeup_interrupt);
	set_vector_handler(APIC_ERROR_VECTOR, error_interrupt);
	calibrate_timer();
	pr_info("apic: boot CPU APIC id %u, version %#x, timer %u kHz (divide by 16)\n",
		lapic_id(), apic_read(APIC_VERSION) & 0xff, lapic_timer_ticks_per_ms);
	return 0;
}

void lapic_setup_ap(void)
{
	lapic_enable_this_cpu(false);
}

/* ---- IPIs ---- */

static int wait_icr_idle(void)
{
	if (x2apic_mode)
		return 0;	/* x2APIC has no delivery-pending bit: writes are accepted at once */
	for (int i = 0; i < 100000; i++) {
		if (!(apic_read(APIC_ICR_LO) & ICR_DELIVERY_PENDING))
			return 0;
		cpu_relax();
	}
	return -EIO;
}

static int send_icr(uint32_t apic_id, uint32_t low)
{
	unsigned long flags = local_irq_save();
	int ret;

	if (x2apic_mode) {
		wrmsr(0x830, ((uint64_t)apic_id << 32) | low);
		ret = 0;
	} else {
		ret = wait_icr_idle();
		apic_write(APIC_ICR_HI, apic_id << 24);
		apic_write(APIC_ICR_LO, low);
		if (!ret)
			ret = wait_icr_idle();
	}
	local_irq_restore(flags);
	return ret;
}

void lapic_send_ipi(uint32_t apic_id, unsigned int vector)
{
	if (send_icr(apic_id, ICR_FIXED | vector))
		pr_err("apic: IPI %#x to APIC id %u stayed pending\n", vector, apic_id);
}

void lapic_send_init(uint32_t apic_id)
{
	send_icr(apic_id, ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
	udelay(200);
	send_icr(apic_id, ICR_INIT | ICR_TRIGGER_LEVEL);	/* de-assert */
}

/*
 * The MP spec's 10 ms between INIT and STARTUP is for old discrete APICs;
 * Linux waits 0 on modern CPUs and under a hypervisor, and so do we when
 * CPUID says we run under one (an AP boot under TCG is slow enough as it is).
 */
static unsigned long init_udelay(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return (c & (1u << 31)) ? 0 : 10000;
}

int lapic_wakeup_ap(uint32_t apic_id, unsigned int start_page, bool send_sipi)
{
	int ret;

	apic_write(APIC_ESR, 0);
	ret = send_icr(apic_id, ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
	udelay(init_udelay());
	ret |= send_icr(apic_id, ICR_INIT | ICR_TRIGGER_LEVEL);
	if (!send_sipi)
		return ret ? -EIO : 0;
	for (int i = 0; i < 2; i++) {
		udelay(200);
		ret |= send_icr(apic_id, ICR_STARTUP | (start_page & 0xff));
	}
	udelay(200);
	return ret ? -EIO : 0;
}

/* ---- timer ---- */

void lapic_timer_set_hz(unsigned int hz)
{
	if (!hz || !lapic_timer_ticks_per_ms) {
		apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
		apic_write(APIC_TIMER_INIT, 0);
		return;
	}
	apic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TIMER_INIT, max(1u, (uint32_t)((uint64_t)lapic_timer_ticks_per_ms * 1000 / hz)));
}
