# Host tests of the memory test's patterns (mm/memtest.c) and of page retirement (HWPoison) at
# boot, on hot-added memory and through memory_failure(), on mm_machine.
HOST_TESTS += memtest
HOST_TEST_SRCS_memtest := tests/host/test_memtest.c tests/host/mm_machine.c \
	mm/memblock.c mm/sparse.c mm/mmzone.c mm/mm_init.c mm/deferred_init.c mm/page_alloc.c mm/pagetypes.c \
	mm/memory_hotplug.c mm/memory_block.c mm/memtest.c mm/memory_failure.c mm/page_isolation.c \
	kernel/mt_job.c drivers/memtest_balloon.c mm/migrate.c mm/vmstat.c
