# Host tests of the memory hotplug core (mm/memory_hotplug.c and friends) on mm_machine.
HOST_TESTS += memory_hotplug
HOST_TEST_SRCS_memory_hotplug := tests/host/test_memory_hotplug.c tests/host/mm_machine.c \
	mm/memblock.c mm/sparse.c mm/mmzone.c mm/mm_init.c mm/zone_movable.c mm/deferred_init.c mm/page_alloc.c mm/pagetypes.c \
	mm/memory_hotplug.c mm/memory_block.c mm/page_isolation.c kernel/mt_job.c \
	drivers/memtest_balloon.c mm/migrate.c mm/vmstat.c
