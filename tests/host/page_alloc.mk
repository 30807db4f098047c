HOST_TESTS += page_alloc
HOST_TEST_SRCS_page_alloc := tests/host/test_page_alloc.c $(HOST_MM_SRCS)
