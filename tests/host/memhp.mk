# Host tests of QEMU's ACPI memory-hotplug driver (drivers/acpi/acpi_memhotplug.c) against a model of
# QEMU's controller, and of the work queue that runs its scans (kernel/workqueue.c).
HOST_TESTS += memhp
HOST_TEST_SRCS_memhp := tests/host/test_memhp.c drivers/acpi/acpi_memhotplug.c kernel/workqueue.c
