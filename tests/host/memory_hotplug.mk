# Host tests of the memory hotplug core (mm/memory_hotplug.c and friends) on mm_machine.
HOST_TESTS += memory_hotplug
HOST_TEST_SRCS_memory_hotplug := tests/host/test_memory_hotplug.c $(HOST_HOTPLUG_SRCS)
