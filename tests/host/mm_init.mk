HOST_TESTS += mm_init
HOST_TEST_SRCS_mm_init := tests/host/test_mm_init.c $(HOST_MM_SRCS) mm/deferred_init.c kernel/mt_job.c
