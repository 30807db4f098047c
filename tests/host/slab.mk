HOST_TESTS += slab
HOST_TEST_SRCS_slab := tests/host/test_slab.c mm/slab.c $(HOST_MM_SRCS)
