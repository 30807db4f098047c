HOST_TESTS += mt_job
HOST_TEST_SRCS_mt_job := tests/host/test_mt_job.c kernel/mt_job.c
