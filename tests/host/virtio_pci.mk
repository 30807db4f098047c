# Host tests of the virtio PCI transport (drivers/virtio/virtio_pci_modern.c): queue setup
# against a device whose registers are plain memory, with PCI mapping and MSI-X stubbed.
HOST_TESTS += virtio_pci
HOST_TEST_SRCS_virtio_pci := tests/host/test_virtio_pci.c tests/host/fake_pci.c \
	drivers/virtio/virtio_pci_modern.c drivers/virtio/virtio_pci_caps.c drivers/virtio/virtio_ring.c \
	drivers/pci/probe.c drivers/pci/names.c
