# Host tests of PCI scanning (drivers/pci/probe.c), virtio capability parsing
# (drivers/virtio/virtio_pci_caps.c) and the MCFG parser, over a fake config space.
HOST_TESTS += pci
HOST_TEST_SRCS_pci := tests/host/test_pci.c tests/host/fake_pci.c drivers/pci/probe.c \
	drivers/pci/names.c drivers/virtio/virtio_pci_caps.c drivers/acpi/mcfg.c drivers/acpi/tables.c
