HOST_TESTS += vmalloc_area
HOST_TEST_SRCS_vmalloc_area := tests/host/test_vmalloc_area.c mm/vmalloc_area.c
