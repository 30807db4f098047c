# Host tests of device memory (mm/memremap.c) on mm_machine, with the hotplug core for dax/kmem.
HOST_TESTS += memremap
HOST_TEST_SRCS_memremap := tests/host/test_memremap.c tests/host/mm_machine.c \
	mm/memblock.c mm/sparse.c mm/mmzone.c mm/mm_init.c mm/deferred_init.c mm/page_alloc.c mm/pagetypes.c \
	mm/memory_hotplug.c mm/memory_block.c mm/page_isolation.c kernel/mt_job.c \
	mm/migrate.c mm/vmstat.c mm/memremap.c mm/zone_movable.c
