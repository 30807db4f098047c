HOST_TESTS += memblock
HOST_TEST_SRCS_memblock := tests/host/test_memblock.c mm/memblock.c
