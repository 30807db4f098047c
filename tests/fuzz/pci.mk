# tests/fuzz/pci.mk - libFuzzer targets for PCI/virtio config parsing and the used ring
#
#   make build/fuzz/fuzz_pci_config && build/fuzz/fuzz_pci_config tests/fuzz/corpus/pci_config
#   python3 tests/fuzz/gen_pci_corpus.py    rewrites the seed corpora
# `make fuzz` runs each for FUZZ_SECONDS; `make test` replays the corpora (-runs=0).

FUZZERS += $(BUILD)/fuzz/fuzz_pci_config $(BUILD)/fuzz/fuzz_virtio_used

PCI_FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -DHOTMM_HOST -I.

$(BUILD)/fuzz/fuzz_pci_config: tests/fuzz/fuzz_pci_config.c tests/host/fake_pci.c tests/host/fake_pci.h \
		drivers/pci/probe.c drivers/pci/names.c drivers/virtio/virtio_pci_caps.c \
		$(wildcard drivers/pci/*.h drivers/virtio/*.h) tests/host/host_stubs.c
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  FUZZ    $@"
	$(Q)clang $(PCI_FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_pci_config.c tests/host/fake_pci.c \
	  drivers/pci/probe.c drivers/pci/names.c drivers/virtio/virtio_pci_caps.c tests/host/host_stubs.c

$(BUILD)/fuzz/fuzz_virtio_used: tests/fuzz/fuzz_virtio_used.c drivers/virtio/virtio_ring.c \
		$(wildcard drivers/virtio/*.h) tests/host/host_stubs.c
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  FUZZ    $@"
	$(Q)clang $(PCI_FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_virtio_used.c drivers/virtio/virtio_ring.c \
	  tests/host/host_stubs.c
