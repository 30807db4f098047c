HOST_TESTS += page_alloc
HOST_TEST_SRCS_page_alloc := tests/host/test_page_alloc.c tests/host/mm_machine.c mm/memblock.c mm/sparse.c \
	mm/mmzone.c mm/mm_init.c mm/zone_movable.c mm/page_alloc.c mm/pagetypes.c
