# Host tests of the split virtqueue (drivers/virtio/virtio_ring.c) against a model device.
HOST_TESTS += virtio_ring
HOST_TEST_SRCS_virtio_ring := tests/host/test_virtio_ring.c drivers/virtio/virtio_ring.c
