// SPDX-License-Identifier: MIT
/*
 * DOC: test_memhp.c - host tests of drivers/acpi/acpi_memhotplug.c and kernel/workqueue.c
 *
 * The real driver and work queue, compiled for the host, talk to a model
 * of QEMU's memory-hotplug controller written here from QEMU's
 * hw/acpi/memory_hotplug.c: a slot selector, the register layout, one
 * control bit acted on per write to 0x14 (the model also counts writes
 * carrying more than one bit, which QEMU would half-ignore), _OST written
 * as event then status, and eject unplugging the DIMM (QEMU's
 * DEVICE_DELETED). The hotplug core, the SRAT's node map and the SCI are
 * stand-ins that record what the driver asked of them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "drivers/acpi/acpi_memhotplug.h"
#include "drivers/acpi/acpi_boot.h"
#include "drivers/acpi/gpe.h"
#include "mm/memory_hotplug.h"
#include "kernel/workqueue.h"
#include "arch/x86_64/numa.h"
#include "tests/host/host_stubs.h"

#define GiB (1ull << 30)
#define MiB (1ull << 20)

/* ---- a model of QEMU's controller ---- */

struct model_dimm {
	uint64_t base, size;
	uint32_t node;
	bool enabled, inserting, removing;
};

struct ost_record {
	uint32_t slot, event, status;
};

static struct model {
	struct model_dimm slot[16];
	uint32_t count;
	uint32_t selector;
	uint32_t ost_event;
	struct ost_record ost[32];
	unsigned int nr_ost;
	unsigned int deleted[16];	/* DEVICE_DELETED per slot */
	unsigned int multi_bit_writes;
	unsigned int bad_ejects;	/* eject of an empty slot */
} m;

static uint32_t model_read(void *ctx, unsigned int off)
{
	struct model_dimm *d;

	if (m.selector >= m.count)
		return 0;
	d = &m.slot[m.selector];
	switch (off) {
	case 0x00: return d->enabled ? (uint32_t)d->base : 0;
	case 0x04: return d->enabled ? (uint32_t)(d->base >> 32) : 0;
	case 0x08: return d->enabled ? (uint32_t)d->size : 0;
	case 0x0c: return d->enabled ? (uint32_t)(d->size >> 32) : 0;
	case 0x10: return d->node;
	case 0x14: return (d->enabled ? 1u : 0) | (d->inserting ? 2u : 0) | (d->removing ? 4u : 0);
	}
	return 0;
}

static void model_write(void *ctx, unsigned int off, uint32_t val, unsigned int width)
{
	struct model_dimm *d;

	if (off == 0x00) {
		m.selector = val;
		return;
	}
	if (m.selector >= m.count)
		return;
	d = &m.slot[m.selector];
	switch (off) {
	case 0x04:
		m.ost_event = val;
		break;
	case 0x08:
		if (m.nr_ost < 32)
			m.ost[m.nr_ost++] = (struct ost_record){ m.selector, m.ost_event, val };
		break;
	case 0x14:
		if (val & (val - 1))
			m.multi_bit_writes++;
		if (val & 2) {
			d->inserting = false;
		} else if (val & 4) {
			d->removing = false;
		} else if (val & 8) {
			if (!d->enabled) {
				m.bad_ejects++;
				break;
			}
			*d = (struct model_dimm){ 0 };
			m.deleted[m.selector]++;
		}
		break;
	}
}

static const struct memhp_io_ops model_ops = { .read = model_read, .write = model_write };

static void plug(unsigned int slot, uint64_t base, uint64_t size, uint32_t node, bool hot)
{
	m.slot[slot] = (struct model_dimm){ base, size, node, true, hot, false };
}

/* ---- the machine around the driver ---- */

static struct acpi_memhp_info hpmr = { .present = true, .space_id = ACPI_ADR_SPACE_SYSTEM_IO,
	.base = 0xa00, .length = 0x18, .has_slots = true, .slots = 8 };

const struct acpi_memhp_info *acpi_get_memhp(void) { return &hpmr; }

static int sci_result;
static acpi_gpe_handler_t gpe_fn;
static unsigned int gpe_bit = ~0u;
static unsigned int timer_hz;

int acpi_sci_init(void) { return sci_result; }
int acpi_install_gpe_handler(unsigned int gpe, acpi_gpe_handler_t fn, void *data)
{
	gpe_fn = fn;
	gpe_bit = gpe;
	return 0;
}
void lapic_timer_set_hz(unsigned int hz) { timer_hz = hz; }
void arch_mt_job_kick(uint64_t mask) { }

/* SRAT: pxm 0 -> node 0, pxm 1 -> node 1; one hot-pluggable window [4 GiB, 64 GiB) on node 1. */
static struct numa_hotplug_range windows[1] = { { 4 * GiB, 64 * GiB, 1 } };
static unsigned int nr_windows = 1;
static bool dummy_numa;

int pxm_to_node(uint32_t pxm) { return pxm <= 1 ? (int)pxm : NUMA_NO_NODE; }
const struct numa_hotplug_range *numa_hotplug_ranges(unsigned int *count)
{
	*count = nr_windows;
	return windows;
}
bool numa_is_dummy(void) { return dummy_numa; }

/* The hotplug core: records calls; results chosen by the test. */
struct core_call {
	int nid;
	uint64_t start, size;
	mhp_t flags;
};
static struct core_call adds[16], removes[16];
static unsigned int nr_adds, nr_removes;
static int add_result, remove_result;
static uint64_t block_size = 128 * MiB;

int add_memory(int nid, uint64_t start, uint64_t size, mhp_t flags)
{
	if (nr_adds < 16)
		adds[nr_adds++] = (struct core_call){ nid, start, size, flags };
	return add_result;
}

int offline_and_remove_memory(uint64_t start, uint64_t size)
{
	if (nr_removes < 16)
		removes[nr_removes++] = (struct core_call){ -1, start, size, 0 };
	return remove_result;
}

uint64_t memory_block_size_bytes(void) { return block_size; }

/* What memhp_init() registers for naming bad pages by DIMM (mm/memtest.c in the kernel). */
static int (*slot_lookup)(uint64_t phys);
void hwpoison_set_slot_lookup(int (*fn)(uint64_t phys)) { slot_lookup = fn; }

static int setup(void **state)
{
	memhp_reset();
	memset(&m, 0, sizeof(m));
	m.count = 8;
	hpmr.slots = 8;
	hpmr.present = true;
	memhp_set_io_ops(&model_ops);
	sci_result = 0;
	gpe_fn = NULL;
	gpe_bit = ~0u;
	timer_hz = 0;
	nr_adds = nr_removes = 0;
	add_result = remove_result = 0;
	block_size = 128 * MiB;
	dummy_numa = false;
	nr_windows = 1;
	host_log_clear();
	return 0;
}

static void run_work(void)
{
	while (workqueue_do_work(0))
		;
}

/* An SCI for GPE 3, as the interrupt would deliver it. */
static void raise_gpe(void)
{
	assert_non_null(gpe_fn);
	gpe_fn(gpe_bit, NULL);
}

static struct memhp_slot slot(unsigned int i)
{
	struct memhp_slot s;

	assert_true(memhp_get_slot(i, &s));
	return s;
}

/* ---- naming a bad page's DIMM ---- */

static void test_slot_of_names_the_dimm(void **state)
{
	plug(1, 4 * GiB, 1 * GiB, 0, false);
	plug(3, 6 * GiB, 256 * MiB, 0, false);
	slot_lookup = NULL;
	assert_int_equal(memhp_init(), 0);
	assert_ptr_equal(slot_lookup, memhp_slot_of);
	assert_int_equal(memhp_slot_of(4 * GiB), 1);
	assert_int_equal(memhp_slot_of(5 * GiB - 8), 1);
	assert_int_equal(memhp_slot_of(5 * GiB), -1);		/* between the DIMMs */
	assert_int_equal(memhp_slot_of(6 * GiB + 0x1000), 3);
	assert_int_equal(memhp_slot_of(6 * GiB + 256 * MiB), -1);
	assert_int_equal(memhp_slot_of(0x100000), -1);		/* boot RAM */
}

/* ---- coldplug ---- */

static void test_coldplug_nodes_and_sizes(void **state)
{
	plug(0, 4 * GiB, 128 * MiB, 0, false);
	plug(1, 5 * GiB, 1 * GiB, 0, false);
	plug(2, 6 * GiB, 3 * GiB, 1, false);
	plug(5, 10 * GiB, 1 * GiB, 1, false);
	assert_int_equal(memhp_init(), 0);

	assert_int_equal(nr_adds, 4);
	assert_int_equal(adds[0].nid, 0);
	assert_int_equal(adds[0].start, 4 * GiB);
	assert_int_equal(adds[0].size, 128 * MiB);
	assert_true(adds[0].flags & MHP_MEMMAP_ON_MEMORY);
	/* Node 0's DIMM inside the one window, which names node 1: added on node 0, no warning. */
	assert_false(host_log_contains("outside every SRAT hot-pluggable window"));
	assert_int_equal(adds[1].size, 1 * GiB);
	assert_int_equal(adds[2].nid, 1);
	assert_int_equal(adds[2].start, 6 * GiB);
	assert_int_equal(adds[2].size, 3 * GiB);
	assert_int_equal(adds[3].start, 10 * GiB);
	assert_true(slot(5).added);
	assert_int_equal(slot(5).nid, 1);
	assert_false(slot(3).enabled);
	assert_int_equal(memhp_get_mode(), MEMHP_MODE_SCI);
	assert_int_equal(gpe_bit, 3);
	/* coldplug answers no notification, so no _OST; no event bit was touched wrongly */
	assert_int_equal(m.nr_ost, 0);
	assert_int_equal(m.multi_bit_writes, 0);
	assert_true(host_log_contains("\"event\":\"memhp_ready\",\"ns\":0,\"slots\":8,\"present\":4,"
				      "\"added\":4,\"refused\":0,\"bytes\":5502926848,\"mode\":\"sci\""));
	/* The scan queued after enabling the SCI finds nothing new. */
	run_work();
	assert_int_equal(nr_adds, 4);
}

static void test_coldplug_odd_neighbour_refused_rest_goes_on(void **state)
{
	plug(0, 4 * GiB, 192 * MiB, 0, false);
	plug(1, 4 * GiB + 192 * MiB, 128 * MiB, 0, false);
	plug(2, 5 * GiB, 256 * MiB, 0, false);
	assert_int_equal(memhp_init(), 0);

	/* the whole block of the 192 MiB DIMM, its odd 64 MiB left out with a warning */
	assert_int_equal(nr_adds, 2);
	assert_int_equal(adds[0].start, 4 * GiB);
	assert_int_equal(adds[0].size, 128 * MiB);
	assert_true(host_log_contains("slot 0 [0x100000000-0x10c000000): only [0x100000000-0x108000000)"));
	assert_true(host_log_contains("65536 KiB stay unused"));
	/* the 128 MiB DIMM after it holds no whole block: refused with slot, range and reason */
	assert_false(slot(1).added);
	assert_int_equal(slot(1).last_ret, -EINVAL);
	assert_true(host_log_contains("memhp: slot 1 [0x10c000000-0x114000000) 128 MiB refused: base is not "
				      "aligned to the 128 MiB memory block"));
	assert_true(host_log_contains("\"event\":\"memhp_refused\",\"ns\":0,\"slot\":1,\"base\":4496293888"));
	assert_int_equal(adds[1].start, 5 * GiB);
	assert_true(host_log_contains("\"present\":3,\"added\":2,\"refused\":1"));
}

static void test_coldplug_block_size_1g(void **state)
{
	block_size = 1 * GiB;
	plug(0, 4 * GiB, 1 * GiB, 0, false);
	plug(1, 5 * GiB, 512 * MiB, 0, false);
	assert_int_equal(memhp_init(), 0);
	assert_int_equal(nr_adds, 1);
	assert_int_equal(adds[0].size, 1 * GiB);
	assert_true(host_log_contains("slot 1 [0x140000000-0x160000000) 512 MiB refused: smaller than one "
				      "1024 MiB memory block"));
}

static void test_unknown_pxm_uses_window_node(void **state)
{
	plug(0, 4 * GiB, 128 * MiB, 7, false);
	assert_int_equal(memhp_init(), 0);
	assert_int_equal(nr_adds, 1);
	assert_int_equal(adds[0].nid, 1);
	assert_true(host_log_contains("slot 0 [0x100000000-0x108000000): proximity domain 7 is not in the SRAT; "
				      "using node 1 of the hot-pluggable window [0x100000000-0x1000000000)"));
}

static void test_outside_windows_added_with_warning(void **state)
{
	plug(0, 64 * GiB, 128 * MiB, 0, false);		/* known node, but no window */
	plug(1, 65 * GiB, 128 * MiB, 9, false);		/* unknown node, no window */
	assert_int_equal(memhp_init(), 0);
	/* The controller is the authority on presence: slot 0 is added, on its node. */
	assert_int_equal(nr_adds, 1);
	assert_int_equal(adds[0].start, 64 * GiB);
	assert_int_equal(adds[0].nid, 0);
	assert_true(slot(0).added);
	assert_true(host_log_contains("memhp: slot 0 [0x1000000000-0x1008000000) lies outside every SRAT "
				      "hot-pluggable window; adding it as the controller reports it"));
	/* Without a window there is nothing to take a node from for an unknown domain. */
	assert_true(host_log_contains("slot 1 [0x1040000000-0x1048000000) 128 MiB refused: proximity domain 9 "
				      "is not in the SRAT and no hot-pluggable window holds the DIMM"));
	assert_int_equal(slot(1).last_ret, -EINVAL);
}

static void test_no_srat_forces_node0(void **state)
{
	dummy_numa = true;
	nr_windows = 0;
	plug(0, 4 * GiB, 256 * MiB, 3, false);
	assert_int_equal(memhp_init(), 0);
	assert_int_equal(nr_adds, 1);
	assert_int_equal(adds[0].nid, 0);
	/* No SRAT, no windows: nothing to warn about either. */
	assert_false(host_log_contains("outside every SRAT hot-pluggable window"));
}

static void test_add_memory_failure_named(void **state)
{
	add_result = -EEXIST;
	plug(0, 4 * GiB, 128 * MiB, 0, false);
	assert_int_equal(memhp_init(), 0);
	assert_false(slot(0).added);
	assert_int_equal(slot(0).last_ret, -EEXIST);
	assert_true(host_log_contains("refused: add_memory of [0x100000000-0x108000000) on node 0 failed (-17)"));
}

static void test_no_controller(void **state)
{
	hpmr.present = false;
	assert_int_equal(memhp_init(), -ENODEV);
	assert_int_equal(memhp_get_mode(), MEMHP_MODE_NONE);
	assert_int_equal(memhp_eject(0), -ENODEV);
	assert_true(host_log_contains("no ACPI memory-hotplug controller"));
}

/* ---- runtime events ---- */

static void test_runtime_insert_on_gpe(void **state)
{
	assert_int_equal(memhp_init(), 0);
	run_work();
	plug(3, 4 * GiB + 1 * GiB, 1 * GiB, 1, true);
	raise_gpe();
	assert_int_equal(nr_adds, 0);		/* nothing in "interrupt context" */
	assert_true(workqueue_pending());
	run_work();
	assert_int_equal(nr_adds, 1);
	assert_int_equal(adds[0].start, 5 * GiB);
	assert_int_equal(adds[0].size, 1 * GiB);
	assert_int_equal(adds[0].nid, 1);
	assert_false(m.slot[3].inserting);	/* event cleared */
	assert_int_equal(m.nr_ost, 1);
	assert_int_equal(m.ost[0].slot, 3);
	assert_int_equal(m.ost[0].event, ACPI_OST_EC_DEVICE_CHECK);
	assert_int_equal(m.ost[0].status, ACPI_OST_SC_SUCCESS);
	assert_true(host_log_contains("\"runtime\":true"));
	unsigned long gpe, scans;
	memhp_get_counts(&gpe, &scans);
	assert_int_equal(gpe, 1);
	assert_int_equal(m.multi_bit_writes, 0);
}

static void test_runtime_insert_refused_reports_ost(void **state)
{
	assert_int_equal(memhp_init(), 0);
	plug(2, 4 * GiB + 64 * MiB, 64 * MiB, 0, true);
	raise_gpe();
	run_work();
	assert_int_equal(nr_adds, 0);
	assert_int_equal(m.nr_ost, 1);
	assert_int_equal(m.ost[0].status, ACPI_OST_SC_NON_SPECIFIC);
	assert_false(m.slot[2].inserting);
	assert_true(slot(2).enabled);
}

static void test_runtime_remove_ejects(void **state)
{
	plug(1, 4 * GiB, 1 * GiB, 0, false);
	assert_int_equal(memhp_init(), 0);
	run_work();
	m.slot[1].removing = true;		/* device_del */
	raise_gpe();
	run_work();
	assert_int_equal(nr_removes, 1);
	assert_int_equal(removes[0].start, 4 * GiB);
	assert_int_equal(removes[0].size, 1 * GiB);
	assert_int_equal(m.deleted[1], 1);	/* QEMU: DEVICE_DELETED */
	assert_false(m.slot[1].enabled);
	assert_false(slot(1).added);
	assert_int_equal(m.nr_ost, 0);		/* a finished eject is the eject write itself */
	assert_int_equal(m.bad_ejects, 0);
	assert_int_equal(m.multi_bit_writes, 0);
	/* the slot can take a DIMM again */
	plug(1, 4 * GiB, 128 * MiB, 0, true);
	raise_gpe();
	run_work();
	assert_int_equal(nr_adds, 2);
	assert_true(slot(1).added);
	assert_int_equal(slot(1).add_size, 128 * MiB);
}

static void test_runtime_remove_busy_keeps_dimm(void **state)
{
	plug(0, 4 * GiB, 1 * GiB, 0, false);
	assert_int_equal(memhp_init(), 0);
	run_work();
	remove_result = -EBUSY;
	m.slot[0].removing = true;
	raise_gpe();
	run_work();
	assert_int_equal(nr_removes, 1);
	assert_int_equal(m.deleted[0], 0);
	assert_true(m.slot[0].enabled);
	assert_false(m.slot[0].removing);	/* the request was answered */
	assert_int_equal(m.nr_ost, 1);
	assert_int_equal(m.ost[0].slot, 0);
	assert_int_equal(m.ost[0].event, ACPI_OST_EC_EJECT_REQUEST);
	assert_int_equal(m.ost[0].status, 0x82);
	assert_true(slot(0).added);
	assert_int_equal(slot(0).last_ret, -EBUSY);
	assert_true(slot(0).ost_valid);
	assert_int_equal(slot(0).ost_status, 0x82);
	assert_true(host_log_contains("memhp: slot 0: eject refused, the DIMM stays online: eject request: "
				      "[0x100000000-0x140000000) could not be offlined and removed (-16, a page is in use)"));
	/* once the pages are free, the next device_del goes through */
	remove_result = 0;
	m.slot[0].removing = true;
	raise_gpe();
	run_work();
	assert_int_equal(m.deleted[0], 1);
	assert_false(slot(0).added);
}

static void test_eject_command(void **state)
{
	plug(4, 4 * GiB, 256 * MiB, 0, false);
	assert_int_equal(memhp_init(), 0);
	assert_int_equal(memhp_eject(8), -EINVAL);
	assert_true(host_log_contains("eject 8: the controller has slots 0..7"));
	assert_int_equal(memhp_eject(2), -ENODEV);
	assert_int_equal(nr_removes, 0);
	assert_int_equal(memhp_eject(4), 0);
	assert_int_equal(nr_removes, 1);
	assert_int_equal(m.deleted[4], 1);
	remove_result = -EBUSY;
	plug(4, 4 * GiB, 256 * MiB, 0, true);
	raise_gpe();
	run_work();
	assert_int_equal(memhp_eject(4), -EBUSY);
	assert_true(m.slot[4].enabled);
	assert_int_equal(m.bad_ejects, 0);
}

static void test_insert_and_remove_in_one_scan(void **state)
{
	plug(0, 4 * GiB, 128 * MiB, 0, false);
	assert_int_equal(memhp_init(), 0);
	run_work();
	plug(1, 4 * GiB + 128 * MiB, 128 * MiB, 0, true);
	m.slot[0].removing = true;
	raise_gpe();
	raise_gpe();		/* a second SCI before the work ran: one scan */
	run_work();
	assert_int_equal(nr_adds, 2);
	assert_int_equal(nr_removes, 1);
	assert_int_equal(m.deleted[0], 1);
	assert_true(slot(1).added);
	unsigned long gpe, scans;
	memhp_get_counts(&gpe, &scans);
	assert_int_equal(gpe, 2);
	assert_int_equal(scans, 3);	/* boot, after SCI enable, this one */
}

static void test_polling_fallback(void **state)
{
	sci_result = -ENODEV;
	assert_int_equal(memhp_init(), 0);
	assert_int_equal(memhp_get_mode(), MEMHP_MODE_POLL);
	assert_int_equal(timer_hz, 10);
	assert_true(host_log_contains("no SCI for GPE 3: polling the controller every 500 ms instead"));
	assert_false(workqueue_pending());	/* the poll is due later, not now */
	plug(2, 4 * GiB, 128 * MiB, 0, true);	/* no SCI will say so */
	usleep(520 * 1000);
	assert_true(workqueue_pending());
	run_work();
	assert_int_equal(nr_adds, 1);
	assert_false(workqueue_pending());	/* polled again later */
	usleep(520 * 1000);
	run_work();
	unsigned long gpe, scans;
	memhp_get_counts(&gpe, &scans);
	assert_int_equal(scans, 3);
	assert_int_equal(gpe, 0);
}

/* ---- the work queue ---- */

static char order[16];
static unsigned int norder;
static struct work_struct wa, wb;

static void fn_a(struct work_struct *w)
{
	order[norder++] = 'a';
	/* ordered: no other CPU may start an item while this one runs */
	assert_false(workqueue_do_work(1));
	assert_false(workqueue_pending());
	if (w->runs == 0)
		assert_true(queue_work(w));	/* queued while running: runs again after */
}

static void fn_b(struct work_struct *w)
{
	order[norder++] = 'b';
}

static void test_workqueue_order_requeue_cancel(void **state)
{
	struct workqueue_stats s0, s1;

	workqueue_get_stats(&s0);
	norder = 0;
	INIT_WORK(&wa, fn_a, "a");
	INIT_WORK(&wb, fn_b, "b");
	assert_true(queue_work(&wa));
	assert_false(queue_work(&wa));		/* already pending */
	assert_true(queue_work(&wb));
	assert_true(workqueue_pending());
	assert_true(workqueue_do_work(0));
	assert_true(workqueue_do_work(2));
	assert_true(workqueue_do_work(0));
	assert_false(workqueue_do_work(0));
	assert_memory_equal(order, "aba", 3);
	assert_int_equal(wa.runs, 2);
	workqueue_get_stats(&s1);
	assert_int_equal(s1.queued - s0.queued, 3);
	assert_int_equal(s1.runs - s0.runs, 3);
	assert_int_equal(s1.runs_by_cpu[2] - s0.runs_by_cpu[2], 1);

	assert_true(queue_work(&wb));
	assert_true(cancel_work(&wb));
	assert_false(cancel_work(&wb));
	assert_false(workqueue_pending());
	assert_true(queue_delayed_work(&wb, 200 * 1000 * 1000ull));
	assert_false(workqueue_pending());
	assert_false(workqueue_do_work(0));
	flush_workqueue();			/* nothing due: returns at once */
	assert_int_equal(wb.runs, 1);
	usleep(210 * 1000);
	flush_workqueue();
	assert_int_equal(wb.runs, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_slot_of_names_the_dimm, setup),
		cmocka_unit_test_setup(test_coldplug_nodes_and_sizes, setup),
		cmocka_unit_test_setup(test_coldplug_odd_neighbour_refused_rest_goes_on, setup),
		cmocka_unit_test_setup(test_coldplug_block_size_1g, setup),
		cmocka_unit_test_setup(test_unknown_pxm_uses_window_node, setup),
		cmocka_unit_test_setup(test_outside_windows_added_with_warning, setup),
		cmocka_unit_test_setup(test_no_srat_forces_node0, setup),
		cmocka_unit_test_setup(test_add_memory_failure_named, setup),
		cmocka_unit_test_setup(test_no_controller, setup),
		cmocka_unit_test_setup(test_runtime_insert_on_gpe, setup),
		cmocka_unit_test_setup(test_runtime_insert_refused_reports_ost, setup),
		cmocka_unit_test_setup(test_runtime_remove_ejects, setup),
		cmocka_unit_test_setup(test_runtime_remove_busy_keeps_dimm, setup),
		cmocka_unit_test_setup(test_eject_command, setup),
		cmocka_unit_test_setup(test_insert_and_remove_in_one_scan, setup),
		cmocka_unit_test_setup(test_polling_fallback, setup),
		cmocka_unit_test(test_workqueue_order_requeue_cancel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
