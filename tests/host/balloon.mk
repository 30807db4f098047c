# Host tests of the test balloon's accounting (drivers/memtest_balloon.c) through the hotplug core.
HOST_TESTS += balloon
HOST_TEST_SRCS_balloon := tests/host/test_balloon.c $(HOST_HOTPLUG_SRCS)
