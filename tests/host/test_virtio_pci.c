/* SPDX-License-Identifier: MIT */
/*
 * DOC: test_virtio_pci.c - the virtio PCI transport's queue setup and its refusals
 *
 * The function's config space is fake_pci.c's (QEMU's virtio-rng layout:
 * structures and here the MSI-X table in 64-bit BAR4), its BAR4 plain host memory that the test
 * fills as the device would (num_queues, queue_size, queue_notify_off) and
 * reads back after (ring addresses, vectors, enable, the doorbell). The
 * PCI mapping, MSI-X and INTx calls are stubs that record what they were
 * asked; without MSI-X the transport must fall back to INTx and the ISR.
 * A device offering a queue of size 0 or not a power of two, a notify
 * offset past its structure, or fewer queues than wanted must be refused
 * with a message naming the device, the queue, the register and the value,
 * with everything set up on the way undone (no leak: LeakSanitizer).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/host/host_stubs.h"
#include "tests/host/fake_pci.h"
#include "drivers/virtio/virtio_pci_modern.h"
#include "drivers/virtio/virtio_ring.h"
#include "mm/slab.h"

/* ---- what the kernel would provide ---- */

static uint8_t *bar_mem[PCI_STD_NUM_BARS];
static int msix_enabled, msix_requests, msix_fail_enable;

void *kmalloc(size_t size, gfp_t gfp) { return calloc(1, size); }
void kfree(const void *p) { free((void *)p); }

void __iomem *pci_iomap(struct pci_dev *dev, unsigned int bar)
{
	if (bar >= PCI_STD_NUM_BARS || !dev->bar[bar].size || (dev->bar[bar].flags & PCI_BAR_IO))
		return NULL;
	if (!bar_mem[bar])
		bar_mem[bar] = calloc(1, dev->bar[bar].size);
	return bar_mem[bar];
}

void pci_enable_device_mem(struct pci_dev *dev) { }
void pci_set_master(struct pci_dev *dev) { }

int pci_msix_enable(struct pci_dev *dev, unsigned int nvec)
{
	if (msix_fail_enable)
		return -EINVAL;
	msix_enabled = (int)nvec;
	return 0;
}

int pci_msix_request(struct pci_dev *dev, unsigned int entry,
		     void (*fn)(unsigned int vector, void *data), void *data, const char *name)
{
	assert_true((int)entry < msix_enabled);
	msix_requests++;
	return 0x30 + (int)entry;
}

void pci_msix_disable(struct pci_dev *dev) { msix_enabled = 0; }

static int intx_requests;
static void (*intx_fn)(void *data);
static void *intx_data;

int pci_intx_request(struct pci_dev *dev, void (*fn)(void *data), void *data, const char *name)
{
	intx_requests++;
	intx_fn = fn;
	intx_data = data;
	dev->intx_irq = 11;
	return 0x40;
}

void pci_intx_free(struct pci_dev *dev)
{
	intx_requests--;
	intx_fn = NULL;
	dev->intx_irq = -1;
}
bool queue_work(struct work_struct *w) { return true; }
bool cancel_work_sync(struct work_struct *w) { return false; }

/* ---- the device ---- */

#define COMMON(off)	(bar_mem[4] + (off))
#define NOTIFY_BASE	0x3000

static struct pci_dev *dev;

static void put16(unsigned int off, uint16_t v) { memcpy(COMMON(off), &v, 2); }
static uint16_t get16(unsigned int off) { uint16_t v; memcpy(&v, COMMON(off), 2); return v; }
static uint64_t get64(unsigned int off) { uint64_t v; memcpy(&v, COMMON(off), 8); return v; }

static void virtio_cap(struct fake_fn *f, uint8_t off, uint8_t type, uint32_t offset, uint32_t length,
		       uint32_t mult)
{
	uint8_t body[18] = { type == VIRTIO_PCI_CAP_NOTIFY_CFG ? 20 : 16, type, 4, 0, 0, 0 };

	memcpy(body + 6, &offset, 4);
	memcpy(body + 10, &length, 4);
	memcpy(body + 14, &mult, 4);
	fake_pci_cap(f, off, PCI_CAP_ID_VNDR, body, sizeof(body));
}

static void msix_cap(struct fake_fn *f, uint8_t off)
{
	uint8_t body[10];
	uint16_t ctrl = 2 - 1;
	uint32_t table = 4 | 0x2800, pba = 4 | 0x2c00;

	memcpy(body, &ctrl, 2);
	memcpy(body + 2, &table, 4);
	memcpy(body + 6, &pba, 4);
	fake_pci_cap(f, off, PCI_CAP_ID_MSIX, body, sizeof(body));
}

static int setup_common(bool with_msix)
{
	struct fake_fn *f;

	fake_pci_reset();
	f = fake_pci_add(0, 3, 0, 0x1af4, 0x1044, 0x00ff00, 0);
	fake_pci_bar(f, 4, 0xfe000000, 0x4000, PCI_BASE_ADDRESS_MEM_TYPE_64);
	virtio_cap(f, 0x40, VIRTIO_PCI_CAP_COMMON_CFG, 0x0000, 0x1000, 0);
	virtio_cap(f, 0x54, VIRTIO_PCI_CAP_ISR_CFG, 0x1000, 0x1000, 0);
	virtio_cap(f, 0x68, VIRTIO_PCI_CAP_DEVICE_CFG, 0x2000, 0x100, 0);
	virtio_cap(f, 0x7c, VIRTIO_PCI_CAP_NOTIFY_CFG, NOTIFY_BASE, 0x1000, 4);
	if (with_msix)
		msix_cap(f, 0x98);
	fake_put8(f, PCI_INTERRUPT_PIN, 1);
	fake_put8(f, PCI_INTERRUPT_LINE, 11);
	pci_scan_root_bus(&fake_pci_ops);
	dev = pci_devices;
	assert_non_null(dev);
	assert_int_equal(dev->msix.valid, with_msix);
	msix_enabled = msix_requests = msix_fail_enable = intx_requests = 0;
	host_log_clear();
	return 0;
}

static int setup(void **state) { return setup_common(true); }
static int setup_no_msix(void **state) { return setup_common(false); }

static int teardown(void **state)
{
	for (int i = 0; i < PCI_STD_NUM_BARS; i++) {
		free(bar_mem[i]);
		bar_mem[i] = NULL;
	}
	pci_free_devices();
	fake_pci_reset();
	return 0;
}

static struct virtio_device *probe(uint16_t numq, uint16_t qsize, uint16_t noff)
{
	struct virtio_device *vdev = virtio_pci_probe(dev);

	assert_non_null(vdev);
	snprintf(vdev->name, sizeof(vdev->name), "virtio0");
	put16(VIRTIO_PCI_COMMON_NUMQ, numq);
	put16(VIRTIO_PCI_COMMON_Q_SIZE, qsize);
	put16(VIRTIO_PCI_COMMON_Q_NOFF, noff);
	return vdev;
}

static void done(struct virtqueue *vq) { }

static int find_one(struct virtio_device *vdev, struct virtqueue **vq)
{
	vq_callback_t *cbs[] = { done };
	const char *const names[] = { "input" };

	return vdev->config->find_vqs(vdev, 1, vq, cbs, names);
}

static void test_queue_setup(void **state)
{
	struct virtio_device *vdev = probe(1, 128, 3);
	struct virtqueue *vq;
	uint16_t doorbell;
	uint8_t buf[16];
	struct scatterlist sg;

	assert_int_equal(find_one(vdev, &vq), 0);
	assert_int_equal(msix_enabled, 2);		/* config + one queue */
	assert_int_equal(msix_requests, 2);
	assert_int_equal(get16(VIRTIO_PCI_COMMON_MSIX), 0);
	assert_int_equal(get16(VIRTIO_PCI_COMMON_Q_MSIX), 1);
	assert_int_equal(get16(VIRTIO_PCI_COMMON_Q_SIZE), 128);
	assert_int_equal(get16(VIRTIO_PCI_COMMON_Q_ENABLE), 1);
	assert_int_equal(get64(VIRTIO_PCI_COMMON_Q_DESCLO), virtqueue_get_desc_addr(vq));
	assert_int_equal(get64(VIRTIO_PCI_COMMON_Q_AVAILLO), virtqueue_get_avail_addr(vq));
	assert_int_equal(get64(VIRTIO_PCI_COMMON_Q_USEDLO), virtqueue_get_used_addr(vq));
	assert_int_equal(virtqueue_get_vring_size(vq), 128);
	assert_ptr_equal(vdev->vqs, vq);
	/* The doorbell: queue index 0, 16 bits at notify + queue_notify_off 3 x multiplier 4. */
	memset(bar_mem[4] + NOTIFY_BASE, 0xff, 16);
	sg_init_one(&sg, buf, sizeof(buf));
	assert_int_equal(virtqueue_add_inbuf(vq, &sg, 1, buf, GFP_KERNEL), 0);
	assert_true(virtqueue_kick(vq));
	memcpy(&doorbell, bar_mem[4] + NOTIFY_BASE + 12, 2);
	assert_int_equal(doorbell, 0);
	assert_int_equal(bar_mem[4][NOTIFY_BASE + 11], 0xff);
	assert_int_equal(bar_mem[4][NOTIFY_BASE + 14], 0xff);
	assert_int_equal(vdev->config->config_size(vdev), 0x100);
	vdev->config->del_vqs(vdev);
	assert_null(vdev->vqs);
	assert_int_equal(msix_enabled, 0);
	kfree(vdev);
}

/* No MSI-X: the INTx line, queues without vectors, and the ISR deciding what to run. */
static void test_intx_fallback(void **state)
{
	struct virtio_device *vdev = probe(1, 8, 0);
	struct virtqueue *vq;

	assert_int_equal(find_one(vdev, &vq), 0);
	assert_int_equal(msix_enabled, 0);
	assert_int_equal(msix_requests, 0);
	assert_int_equal(intx_requests, 1);
	assert_int_equal(get16(VIRTIO_PCI_COMMON_Q_MSIX), VIRTIO_MSI_NO_VECTOR);
	assert_int_equal(get16(VIRTIO_PCI_COMMON_Q_ENABLE), 1);
	bar_mem[4][0x1000] = 0;			/* ISR 0: another function's interrupt */
	intx_fn(intx_data);
	assert_int_equal(vq->interrupts, 0);
	assert_int_equal(vdev->config_interrupts, 0);
	bar_mem[4][0x1000] = 1;			/* a queue */
	intx_fn(intx_data);
	assert_int_equal(vq->interrupts, 1);
	bar_mem[4][0x1000] = 2;			/* the configuration */
	intx_fn(intx_data);
	assert_int_equal(vq->interrupts, 1);
	assert_int_equal(vdev->config_interrupts, 1);
	vdev->config->del_vqs(vdev);
	assert_int_equal(intx_requests, 0);
	assert_int_equal(dev->intx_irq, -1);
	kfree(vdev);
}

static void test_big_queue_used_at_256(void **state)
{
	struct virtio_device *vdev = probe(1, 1024, 0);
	struct virtqueue *vq;

	assert_int_equal(find_one(vdev, &vq), 0);
	assert_int_equal(get16(VIRTIO_PCI_COMMON_Q_SIZE), 256);
	assert_int_equal(virtqueue_get_vring_size(vq), 256);
	vdev->config->del_vqs(vdev);
	kfree(vdev);
}

static void expect_refused(uint16_t numq, uint16_t qsize, uint16_t noff, const char *msg)
{
	struct virtio_device *vdev = probe(numq, qsize, noff);
	struct virtqueue *vq = NULL;

	assert_int_not_equal(find_one(vdev, &vq), 0);
	assert_true(host_log_contains(msg));
	assert_null(vdev->vqs);
	assert_int_equal(msix_enabled, 0);		/* MSI-X given back */
	assert_int_equal(get16(VIRTIO_PCI_COMMON_Q_ENABLE), 0);
	kfree(vdev);
}

static void test_queue_size_zero(void **state)
{
	expect_refused(1, 0, 0, "virtio virtio0 (0000:00:03.0): queue 0 (input): queue_size "
		       "(common 0x18) = 0: no such queue");
}

static void test_queue_size_not_power_of_two(void **state)
{
	expect_refused(1, 6, 0, "virtio virtio0 (0000:00:03.0): queue 0 (input): queue_size "
		       "(common 0x18) = 6 is not a power of two");
}

static void test_notify_off_past_structure(void **state)
{
	expect_refused(1, 8, 0x400, "queue 0 (input): queue_notify_off (common 0x1e) = 1024 x "
		       "multiplier 4 = 0x1000 is past the notify structure's 0x1000 bytes");
}

static void test_too_few_queues(void **state)
{
	expect_refused(0, 8, 0, "virtio virtio0 (0000:00:03.0): 1 queues wanted, num_queues "
		       "(common 0x12) = 0");
}

static void test_no_msix(void **state)
{
	msix_fail_enable = 1;
	expect_refused(1, 8, 0, "cannot enable 2 MSI-X vectors");
}

static void test_device_config_widths(void **state)
{
	struct virtio_device *vdev = probe(1, 8, 0);
	uint64_t v64 = 0x1122334455667788ull, r64 = 0;
	uint32_t r32 = 0;
	uint8_t r3[3];

	memcpy(bar_mem[4] + 0x2000 + 8, &v64, 8);
	vdev->config->get(vdev, 8, &r64, 8);
	assert_int_equal(r64, v64);
	vdev->config->get(vdev, 12, &r32, 4);
	assert_int_equal(r32, 0x11223344);
	vdev->config->get(vdev, 9, r3, 3);
	assert_int_equal(r3[0], 0x77);
	assert_int_equal(r3[2], 0x55);
	kfree(vdev);
}

static void test_caps_unusable(void **state)
{
	struct fake_fn *f;

	teardown(state);
	f = fake_pci_add(0, 3, 0, 0x1af4, 0x1044, 0x00ff00, 0);
	fake_pci_bar(f, 4, 0xfe000000, 0x4000, PCI_BASE_ADDRESS_MEM_TYPE_64);
	virtio_cap(f, 0x40, VIRTIO_PCI_CAP_COMMON_CFG, 0x0000, 0x1000, 0);
	virtio_cap(f, 0x54, VIRTIO_PCI_CAP_ISR_CFG, 0x1000, 0x1000, 0);
	pci_scan_root_bus(&fake_pci_ops);
	host_log_clear();
	assert_null(virtio_pci_probe(pci_devices));
	assert_true(host_log_contains("pci 0000:00:03.0: virtio device without a usable notify structure"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queue_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intx_fallback, setup_no_msix, teardown),
		cmocka_unit_test_setup_teardown(test_big_queue_used_at_256, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_size_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_size_not_power_of_two, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_off_past_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_few_queues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_msix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_config_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps_unusable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
