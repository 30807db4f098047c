# Host tests of page migration (mm/migrate.c, mm/vmstat.c) and offline-by-migration, on mm_machine.
HOST_TESTS += migrate
HOST_TEST_SRCS_migrate := tests/host/test_migrate.c $(HOST_HOTPLUG_SRCS)
