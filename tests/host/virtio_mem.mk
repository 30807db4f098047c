# Host tests of the virtio-mem driver (drivers/virtio/virtio_mem*.c) against its device model, on mm_machine.
HOST_TESTS += virtio_mem
HOST_TEST_SRCS_virtio_mem := tests/host/test_virtio_mem.c $(HOST_HOTPLUG_SRCS) \
	drivers/virtio/virtio_mem.c drivers/virtio/virtio_mem_config.c drivers/virtio/virtio_mem_fake.c
