/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi_memhotplug.c - QEMU's ACPI memory-hotplug controller (DIMMs): coldplug, insert, eject
 *
 * Owns: the controller's registers (hw_lock held across every select +
 * access, because the selector is shared by everyone who touches the
 * window), the slot table (state_lock: written by the scan, read by the
 * shell), and the decisions per slot: which node, which part of the DIMM
 * is added, when to eject, what _OST to send.
 *
 * Invariants:
 *  - a slot is `added` iff [add_start, add_start + add_size) went through
 *    add_memory() and has not been removed since; add_start/add_size are
 *    the whole memory blocks inside the DIMM (a DIMM whose edges are not
 *    block-aligned gives only its aligned middle; one holding no whole
 *    block is refused);
 *  - add_memory / offline_and_remove_memory run only from the scan, which
 *    runs on the ordered work queue (or at boot, before events are on), so
 *    they never run twice at once and never in interrupt context;
 *  - eject (the write QEMU answers with DEVICE_DELETED) is written only
 *    after the DIMM's memory is removed, or when none of it was ours;
 *  - an eject that cannot go through leaves the memory online as it was
 *    and tells the controller _OST(eject request, status) instead.
 */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdarg.h>
#include "drivers/acpi/acpi_memhotplug.h"
#include "drivers/acpi/acpi_boot.h"
#include "drivers/acpi/gpe.h"
#include "mm/memory_hotplug.h"
#include "mm/memtest.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/workqueue.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"

#define MEMHP_POLL_NS		(500ull * 1000 * 1000)	/* fallback scan period */
#define MEMHP_POLL_TICK_HZ	10			/* wakes the idle loop to look */

static DEFINE_SPINLOCK(hw_lock);	/* the slot selector: select + access */
static DEFINE_SPINLOCK(state_lock);	/* slots[] for readers outside the scan */
static struct memhp_slot slots[ACPI_MEMHP_MAX_SLOTS];
static unsigned int nr_slots;
static uint64_t io_base;
static enum memhp_mode mode;
static unsigned long gpe_events, scans;

/* ---- register access ---- */

static uint32_t port_read(void *ctx, unsigned int off)
{
	return inl((uint16_t)(io_base + off));
}

static void port_write(void *ctx, unsigned int off, uint32_t val, unsigned int width)
{
	if (width == 1)
		outb((uint8_t)val, (uint16_t)(io_base + off));
	else
		outl(val, (uint16_t)(io_base + off));
}

static const struct memhp_io_ops port_ops = { .read = port_read, .write = port_write };
static const struct memhp_io_ops *io = &port_ops;

void memhp_set_io_ops(const struct memhp_io_ops *ops)
{
	io = ops ? ops : &port_ops;
}

struct hw_slot {
	uint64_t base, size;
	uint32_t pxm;
	uint32_t status;
};

static void hw_read_slot(unsigned int slot, struct hw_slot *h)
{
	/* LAB 6 BEGIN hw_read_slot */
	unsigned long flags;

	spin_lock_irqsave(&hw_lock, flags);
	io->write(io->ctx, MEMHP_REG_SELECT, slot, 4);
	h->base = io->read(io->ctx, MEMHP_REG_BASE_LO) |
		  (uint64_t)io->read(io->ctx, MEMHP_REG_BASE_HI) << 32;
	h->size = io->read(io->ctx, MEMHP_REG_SIZE_LO) |
		  (uint64_t)io->read(io->ctx, MEMHP_REG_SIZE_HI) << 32;
	h->pxm = io->read(io->ctx, MEMHP_REG_PXM);
	h->status = io->read(io->ctx, MEMHP_REG_STATUS) & 0xff;
	spin_unlock_irqrestore(&hw_lock, flags);
	/* LAB 6 END hw_read_slot */
}

/* One control bit per write: QEMU acts on the first bit it finds and ignores the rest. */
static void hw_control(unsigned int slot, uint32_t bit)
{
	/* LAB 6 BEGIN hw_control */
	unsigned long flags;

	if (WARN_ON(!is_power_of_2(bit)))
		return;
	spin_lock_irqsave(&hw_lock, flags);
	io->write(io->ctx, MEMHP_REG_SELECT, slot, 4);
	io->write(io->ctx, MEMHP_REG_STATUS, bit, 1);
	spin_unlock_irqrestore(&hw_lock, flags);
	/* LAB 6 END hw_control */
}

/* _OST: the event first; writing the status is what QEMU reports as ACPI_DEVICE_OST. */
static void hw_ost(unsigned int slot, uint32_t event, uint32_t status)
{
	unsigned long flags;

	spin_lock_irqsave(&hw_lock, flags);
	io->write(io->ctx, MEMHP_REG_SELECT, slot, 4);
	io->write(io->ctx, MEMHP_REG_OST_EVENT, event, 4);
	io->write(io->ctx, MEMHP_REG_OST_STATUS, status, 4);
	spin_unlock_irqrestore(&hw_lock, flags);

	spin_lock_irqsave(&state_lock, flags);
	slots[slot].ost_valid = true;
	slots[slot].ost_event = event;
	slots[slot].ost_status = status;
	spin_unlock_irqrestore(&state_lock, flags);
}

/* ---- decisions ---- */

/*
 * The DIMM's node: its proximity domain through the SRAT's map; a domain
 * the SRAT never listed gets the node of the hot-pluggable window holding
 * the DIMM (QEMU puts every DIMM in one window on the last node), with a
 * warning because the firmware contradicts itself.
 */
static int dimm_node(unsigned int slot, const struct hw_slot *h)
{
	const struct numa_hotplug_range *w;
	int nid = pxm_to_node(h->pxm);

	if (nid != NUMA_NO_NODE)
		return nid;
	if (numa_is_dummy())
		return 0;	/* no SRAT: one node, nothing to contradict */
	w = numa_hotplug_window_of(h->base, h->base + h->size);
	if (!w)
		return NUMA_NO_NODE;
	pr_warn("memhp: slot %u [0x%llx-0x%llx): proximity domain %u is not in the SRAT; "
		"using node %d of the hot-pluggable window [0x%llx-0x%llx)\n", slot,
		(unsigned long long)h->base, (unsigned long long)(h->base + h->size), h->pxm, w->nid,
		(unsigned long long)w->start, (unsigned long long)w->end);
	return w->nid;
}

static void set_reason(unsigned int slot, int ret, const char *fmt, ...) __printf(3, 4);
static void set_reason(unsigned int slot, int ret, const char *fmt, ...)
{
	struct memhp_slot *s = &slots[slot];
	unsigned long flags;
	char buf[MEMHP_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock_irqsave(&state_lock, flags);
	s->last_ret = ret;
	memcpy(s->reason, buf, sizeof(buf));
	if (ret)
		s->refusals++;
	spin_unlock_irqrestore(&state_lock, flags);
}

static int refuse_add(unsigned int slot, const struct hw_slot *h, int ret, const char *reason)
{
	set_reason(slot, ret, "%s", reason);
	pr_err("memhp: slot %u [0x%llx-0x%llx) %llu MiB refused: %s\n", slot,
	       (unsigned long long)h->base, (unsigned long long)(h->base + h->size),
	       (unsigned long long)(h->size >> 20), reason);
	report("memhp_refused", "\"slot\":%u,\"base\":%llu,\"size\":%llu,\"ret\":%d,\"reason\":\"%s\"",
	       slot, (unsigned long long)h->base, (unsigned long long)h->size, ret, reason);
	return ret;
}

static int slot_add(unsigned int slot, const struct hw_slot *h, bool runtime)
{
	struct memhp_slot *s = &slots[slot];
	uint64_t bs = memory_block_size_bytes(), start, end, t0, took;
	unsigned long flags;
	char why[MEMHP_REASON_LEN];
	mhp_t mhp = MHP_MEMMAP_ON_MEMORY;
	int nid, ret;

	if (!h->size || h->base + h->size < h->base)
		return refuse_add(slot, h, -EINVAL, "the controller reports an empty or wrapping range");
	nid = dimm_node(slot, h);
	if (nid == NUMA_NO_NODE) {
		snprintf(why, sizeof(why), "proximity domain %u is not in the SRAT and no "
			 "hot-pluggable window holds the DIMM", h->pxm);
		return refuse_add(slot, h, -EINVAL, why);
	}
	start = ALIGN(h->base, bs);
	end = ALIGN_DOWN(h->base + h->size, bs);
	if (start >= end) {
		if (!IS_ALIGNED(h->base, bs))
			snprintf(why, sizeof(why), "base is not aligned to the %llu MiB memory block "
				 "(after an odd-sized neighbour?) and no whole block fits",
				 (unsigned long long)(bs >> 20));
		else
			snprintf(why, sizeof(why), "smaller than one %llu MiB memory block",
				 (unsigned long long)(bs >> 20));
		return refuse_add(slot, h, -EINVAL, why);
	}
	/*
	 * The controller is the authority on what is present (as in Linux, where
	 * add_memory checks only the physical address limit); a DIMM the SRAT
	 * did not announce as hot-pluggable is worth a warning, not a refusal.
	 */
	if (!numa_is_dummy() && !numa_hotplug_window_of(start, end))
		pr_warn("memhp: slot %u [0x%llx-0x%llx) lies outside every SRAT hot-pluggable window; "
			"adding it as the controller reports it\n", slot, (unsigned long long)start,
			(unsigned long long)end);
	if (start != h->base || end != h->base + h->size)
		pr_warn("memhp: slot %u [0x%llx-0x%llx): only [0x%llx-0x%llx) is whole %llu MiB "
			"memory blocks; %llu KiB stay unused\n", slot, (unsigned long long)h->base,
			(unsigned long long)(h->base + h->size), (unsigned long long)start,
			(unsigned long long)end, (unsigned long long)(bs >> 20),
			(unsigned long long)((h->size - (end - start)) >> 10));

	t0 = ktime_get_ns();
	ret = add_memory(nid, start, end - start, mhp);
	took = ktime_get_ns() - t0;
	if (ret) {
		snprintf(why, sizeof(why), "add_memory of [0x%llx-0x%llx) on node %d failed (%d)",
			 (unsigned long long)start, (unsigned long long)end, nid, ret);
		return refuse_add(slot, h, ret, why);
	}
	spin_lock_irqsave(&state_lock, flags);
	s->added = true;
	s->add_start = start;
	s->add_size = end - start;
	s->nid = nid;
	s->inserts++;
	s->last_ret = 0;
	s->reason[0] = '\0';
	spin_unlock_irqrestore(&state_lock, flags);
	pr_info("memhp: slot %u: %llu MiB at 0x%llx on node %d added%s\n", slot,
		(unsigned long long)((end - start) >> 20), (unsigned long long)start, nid,
		runtime ? " (hot-plugged)" : "");
	report("memhp_add", "\"slot\":%u,\"base\":%llu,\"size\":%llu,\"added\":%llu,\"nid\":%d,"
	       "\"runtime\":%s,\"took_ns\":%llu", slot, (unsigned long long)h->base,
	       (unsigned long long)h->size, (unsigned long long)(end - start), nid,
	       runtime ? "true" : "false", (unsigned long long)took);
	return 0;
}

/*
 * Offline and remove what we added from the DIMM, then eject it. On
 * failure nothing changed (offline_and_remove_memory's contract) and the
 * controller hears why through _OST.
 */
static int slot_remove(unsigned int slot, const char *why_asked)
{
	/* LAB 6 BEGIN slot_remove */
	struct memhp_slot *s = &slots[slot];
	uint64_t t0 = ktime_get_ns(), took;
	unsigned long flags;
	int ret = 0;

	if (s->added) {
		ret = offline_and_remove_memory(s->add_start, s->add_size);
		if (ret) {
			set_reason(slot, ret, "%s: [0x%llx-0x%llx) could not be offlined and removed (%d%s)",
				   why_asked, (unsigned long long)s->add_start,
				   (unsigned long long)(s->add_start + s->add_size), ret,
				   ret == -EBUSY ? ", a page is in use" : "");
			pr_err("memhp: slot %u: eject refused, the DIMM stays online: %s\n", slot, s->reason);
			hw_ost(slot, ACPI_OST_EC_EJECT_REQUEST,
			       ret == -EBUSY ? ACPI_OST_SC_DEVICE_BUSY : ACPI_OST_SC_NON_SPECIFIC);
			report("memhp_remove", "\"slot\":%u,\"ret\":%d,\"ejected\":false,\"took_ns\":%llu",
			       slot, ret, (unsigned long long)(ktime_get_ns() - t0));
			return ret;
		}
	}
	spin_lock_irqsave(&state_lock, flags);
	s->added = false;
	s->enabled = false;	/* the eject below unplugs it */
	s->add_start = s->add_size = 0;
	s->removes++;
	s->last_ret = 0;
	s->reason[0] = '\0';
	spin_unlock_irqrestore(&state_lock, flags);
	hw_control(slot, MEMHP_CTL_EJECT);
	took = ktime_get_ns() - t0;
	pr_info("memhp: slot %u [0x%llx-0x%llx): %s: removed and ejected\n", slot,
		(unsigned long long)s->base, (unsigned long long)(s->base + s->size), why_asked);
	report("memhp_remove", "\"slot\":%u,\"ret\":0,\"ejected\":true,\"took_ns\":%llu", slot,
	       (unsigned long long)took);
	return 0;
	/* LAB 6 END slot_remove */
}

/* ---- the scan: every slot, every event ---- */

static void scan_slot(unsigned int i, bool coldplug)
{
	/* LAB 6 BEGIN scan_slot */
	struct memhp_slot *s = &slots[i];
	struct hw_slot h;
	unsigned long flags;
	bool eject_req;
	int ret;

	hw_read_slot(i, &h);
	spin_lock_irqsave(&state_lock, flags);
	if (h.status & MEMHP_STS_ENABLED) {
		s->base = h.base;
		s->size = h.size;
		s->pxm = h.pxm;
	}
	s->enabled = h.status & MEMHP_STS_ENABLED;
	s->events = (uint8_t)(h.status & (MEMHP_STS_INSERT | MEMHP_STS_REMOVE));
	eject_req = s->eject_requested;
	s->eject_requested = false;
	spin_unlock_irqrestore(&state_lock, flags);

	/* Clear each event before acting on it: one arriving meanwhile is seen next scan. */
	if (h.status & MEMHP_STS_INSERT) {
		hw_control(i, MEMHP_STS_INSERT);
		if (s->enabled && !s->added) {
			ret = slot_add(i, &h, !coldplug);
			hw_ost(i, ACPI_OST_EC_DEVICE_CHECK,
			       ret ? ACPI_OST_SC_NON_SPECIFIC : ACPI_OST_SC_SUCCESS);
		}
	} else if (coldplug && s->enabled && !s->added) {
		slot_add(i, &h, false);
	}
	if (h.status & MEMHP_STS_REMOVE) {
		hw_control(i, MEMHP_STS_REMOVE);
		if (s->enabled)
			slot_remove(i, "eject request");
	} else if (eject_req) {
		if (s->enabled)
			slot_remove(i, "eject command");
		else
			set_reason(i, -ENODEV, "eject command: the slot is empty");
	}
	if (!s->enabled && s->added)
		pr_err("memhp: slot %u: the DIMM holding [0x%llx-0x%llx) vanished without an eject; "
		       "its memory is still online and now reads nothing\n", i,
		       (unsigned long long)s->add_start, (unsigned long long)(s->add_start + s->add_size));
	spin_lock_irqsave(&state_lock, flags);
	s->events = 0;
	spin_unlock_irqrestore(&state_lock, flags);
	/* LAB 6 END scan_slot */
}

static void scan_all(bool coldplug)
{
	__atomic_add_fetch(&scans, 1, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < nr_slots; i++)
		scan_slot(i, coldplug);
}

void memhp_scan(void)
{
	scan_all(false);
}

static void scan_work_fn(struct work_struct *w)
{
	memhp_scan();
	if (mode == MEMHP_MODE_POLL)
		queue_delayed_work(w, MEMHP_POLL_NS);
}
static DECLARE_WORK(memhp_scan_work, scan_work_fn);

/* Interrupt context: note it, leave the rest to the work queue. */
static void memhp_gpe_handler(unsigned int gpe, void *data)
{
	__atomic_add_fetch(&gpe_events, 1, __ATOMIC_RELAXED);
	queue_work(&memhp_scan_work);
}

/* ---- bring-up ---- */

int memhp_init(void)
{
	const struct acpi_memhp_info *info = acpi_get_memhp();
	unsigned int added = 0, refused = 0, present = 0;
	uint64_t bytes = 0, t0 = ktime_get_ns();

	if (!info || !info->present || !info->has_slots || !info->slots) {
		pr_info("memhp: no ACPI memory-hotplug controller (DSDT HPMR/MDNR); DIMMs not supported\n");
		return -ENODEV;
	}
	if (info->space_id != ACPI_ADR_SPACE_SYSTEM_IO || info->length < ACPI_MEMHP_IO_LEN ||
	    info->base + ACPI_MEMHP_IO_LEN > 0x10000) {
		pr_err("memhp: controller at 0x%llx (space %u, %llu bytes) is not a %u-byte I/O port window\n",
		       (unsigned long long)info->base, info->space_id, (unsigned long long)info->length,
		       ACPI_MEMHP_IO_LEN);
		return -ENODEV;
	}
	io_base = info->base;
	nr_slots = (unsigned int)min(info->slots, (uint64_t)ACPI_MEMHP_MAX_SLOTS);
	if (info->slots > ACPI_MEMHP_MAX_SLOTS)
		pr_warn("memhp: MDNR says %llu slots; only the first %u are used\n",
			(unsigned long long)info->slots, ACPI_MEMHP_MAX_SLOTS);
	for (unsigned int i = 0; i < nr_slots; i++)
		slots[i].nid = NUMA_NO_NODE;
	hwpoison_set_slot_lookup(memhp_slot_of);

	/* Boot DIMMs first: events queue the scan, which cannot run before we return. */
	scan_all(true);
	for (unsigned int i = 0; i < nr_slots; i++) {
		present += slots[i].enabled;
		added += slots[i].added;
		refused += slots[i].enabled && !slots[i].added;
		bytes += slots[i].add_size;
	}

	if (!acpi_sci_init() && !acpi_install_gpe_handler(MEMHP_GPE, memhp_gpe_handler, NULL)) {
		mode = MEMHP_MODE_SCI;
		/* An insert between the boot scan and the enable raised no SCI we saw. */
		queue_work(&memhp_scan_work);
	} else {
		mode = MEMHP_MODE_POLL;
		lapic_timer_set_hz(MEMHP_POLL_TICK_HZ);
		queue_delayed_work(&memhp_scan_work, MEMHP_POLL_NS);
		pr_warn("memhp: no SCI for GPE %u: polling the controller every %llu ms instead\n",
			MEMHP_GPE, MEMHP_POLL_NS / 1000000);
	}
	pr_info("memhp: %u slots at I/O 0x%llx, %u DIMMs present, %u added (%llu MiB), %u refused; "
		"events by %s\n", nr_slots, (unsigned long long)io_base, present, added,
		(unsigned long long)(bytes >> 20), refused, memhp_mode_name(mode));
	report("memhp_ready", "\"slots\":%u,\"present\":%u,\"added\":%u,\"refused\":%u,\"bytes\":%llu,"
	       "\"mode\":\"%s\",\"took_ns\":%llu", nr_slots, present, added, refused,
	       (unsigned long long)bytes, memhp_mode_name(mode), (unsigned long long)(ktime_get_ns() - t0));
	return 0;
}

int memhp_eject(unsigned int slot)
{
	unsigned long flags;

	if (mode == MEMHP_MODE_NONE) {
		pr_err("memhp: eject %u: no memory-hotplug controller\n", slot);
		return -ENODEV;
	}
	if (slot >= nr_slots) {
		pr_err("memhp: eject %u: the controller has slots 0..%u\n", slot, nr_slots - 1);
		return -EINVAL;
	}
	spin_lock_irqsave(&state_lock, flags);
	slots[slot].eject_requested = true;
	slots[slot].last_ret = 0;
	spin_unlock_irqrestore(&state_lock, flags);
	/* Through the queue, so it is ordered with the SCI's scans. */
	queue_work(&memhp_scan_work);
	flush_workqueue();
	return slots[slot].last_ret;
}

/* ---- queries ---- */

unsigned int memhp_nr_slots(void) { return nr_slots; }
enum memhp_mode memhp_get_mode(void) { return mode; }

const char *memhp_mode_name(enum memhp_mode m)
{
	switch (m) {
	case MEMHP_MODE_SCI: return "sci";
	case MEMHP_MODE_POLL: return "polling";
	default: return "none";
	}
}

bool memhp_get_slot(unsigned int i, struct memhp_slot *out)
{
	unsigned long flags;

	if (i >= nr_slots)
		return false;
	spin_lock_irqsave(&state_lock, flags);
	*out = slots[i];
	spin_unlock_irqrestore(&state_lock, flags);
	return true;
}

/*
 * The slot whose DIMM holds @phys (base and size as the controller last
 * reported them), or -1: how a bad page is named by the DIMM to pull
 * (mm/memtest.c, hwpoison_set_slot_lookup()).
 */
int memhp_slot_of(uint64_t phys)
{
	unsigned long flags;
	int slot = -1;

	spin_lock_irqsave(&state_lock, flags);
	for (unsigned int i = 0; i < nr_slots && slot < 0; i++)
		if (slots[i].enabled && phys >= slots[i].base && phys - slots[i].base < slots[i].size)
			slot = (int)i;
	spin_unlock_irqrestore(&state_lock, flags);
	return slot;
}

void memhp_get_counts(unsigned long *gpe, unsigned long *nscans)
{
	*gpe = __atomic_load_n(&gpe_events, __ATOMIC_RELAXED);
	*nscans = __atomic_load_n(&scans, __ATOMIC_RELAXED);
}

void memhp_reset(void)
{
	cancel_work(&memhp_scan_work);
	memset(slots, 0, sizeof(slots));
	nr_slots = 0;
	io_base = 0;
	mode = MEMHP_MODE_NONE;
	gpe_events = scans = 0;
}

