# Host tests of the EFI system table reader (boot/efi.c).
HOST_TESTS += efi
HOST_TEST_SRCS_efi := tests/host/test_efi.c boot/efi.c
