# Host tests of the virtio-mem driver (drivers/virtio/virtio_mem*.c) against its device model, on mm_machine.
HOST_TESTS += virtio_mem
HOST_TEST_SRCS_virtio_mem := tests/host/test_virtio_mem.c tests/host/mm_machine.c \
	mm/memblock.c mm/sparse.c mm/mmzone.c mm/mm_init.c mm/deferred_init.c mm/page_alloc.c mm/pagetypes.c \
	mm/memory_hotplug.c mm/memory_block.c mm/page_isolation.c kernel/mt_job.c mm/migrate.c mm/vmstat.c \
	drivers/virtio/virtio_mem.c drivers/virtio/virtio_mem_config.c drivers/virtio/virtio_mem_fake.c
