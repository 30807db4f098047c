# Host tests of device memory (mm/memremap.c) on mm_machine, with the hotplug core for dax/kmem.
HOST_TESTS += memremap
HOST_TEST_SRCS_memremap := tests/host/test_memremap.c $(HOST_HOTPLUG_SRCS)
