# Host tests of page migration (mm/migrate.c, mm/vmstat.c) and offline-by-migration, on mm_machine.
HOST_TESTS += migrate
HOST_TEST_SRCS_migrate := tests/host/test_migrate.c tests/host/mm_machine.c \
	mm/memblock.c mm/sparse.c mm/mmzone.c mm/mm_init.c mm/zone_movable.c mm/deferred_init.c mm/page_alloc.c mm/pagetypes.c \
	mm/memory_hotplug.c mm/memory_block.c mm/page_isolation.c kernel/mt_job.c \
	drivers/memtest_balloon.c mm/migrate.c mm/vmstat.c
