HOST_TESTS += mm_init
HOST_TEST_SRCS_mm_init := tests/host/test_mm_init.c tests/host/mm_machine.c mm/memblock.c mm/sparse.c \
	mm/mmzone.c mm/mm_init.c mm/zone_movable.c mm/page_alloc.c mm/pagetypes.c \
	mm/deferred_init.c kernel/mt_job.c
