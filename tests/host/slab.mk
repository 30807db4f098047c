HOST_TESTS += slab
HOST_TEST_SRCS_slab := tests/host/test_slab.c tests/host/mm_machine.c mm/slab.c mm/memblock.c mm/sparse.c \
	mm/mmzone.c mm/mm_init.c mm/zone_movable.c mm/page_alloc.c mm/pagetypes.c
