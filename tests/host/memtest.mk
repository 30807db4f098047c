# Host tests of the memory test's patterns (mm/memtest.c) and of page retirement (HWPoison) at
# boot, on hot-added memory and through memory_failure(), on mm_machine.
HOST_TESTS += memtest
HOST_TEST_SRCS_memtest := tests/host/test_memtest.c $(HOST_HOTPLUG_SRCS) mm/memory_failure.c
