# tests/fuzz/virtio_mem.mk - libFuzzer target for the virtio-mem config and answer checks
#
#   make build/fuzz/fuzz_virtio_mem && build/fuzz/fuzz_virtio_mem tests/fuzz/corpus/virtio_mem
#   python3 tests/fuzz/gen_virtio_mem_corpus.py   rewrites the seed corpus
# `make fuzz` runs it for FUZZ_SECONDS; `make test` replays the corpus (-runs=0).

FUZZERS += $(BUILD)/fuzz/fuzz_virtio_mem

$(BUILD)/fuzz/fuzz_virtio_mem: tests/fuzz/fuzz_virtio_mem.c drivers/virtio/virtio_mem_config.c \
		drivers/virtio/virtio_mem.h tests/host/host_stubs.c tests/host/host_stubs.h lib/compiler.h
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  FUZZ    $@"
	$(Q)clang -std=gnu11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -DHOTMM_HOST -I. -o $@ \
	  tests/fuzz/fuzz_virtio_mem.c drivers/virtio/virtio_mem_config.c tests/host/host_stubs.c
