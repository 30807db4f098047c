HOST_TESTS += multiboot2
HOST_TEST_SRCS_multiboot2 := tests/host/test_multiboot2.c boot/multiboot2.c
