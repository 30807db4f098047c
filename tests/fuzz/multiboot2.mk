# tests/fuzz/multiboot2.mk - libFuzzer target for the multiboot2 parser
#
#   make build/fuzz/fuzz_multiboot2 && build/fuzz/fuzz_multiboot2 tests/fuzz/corpus/multiboot2
#   python3 tests/fuzz/gen_multiboot2_corpus.py   rewrites the seed corpus
# `make fuzz` runs it for FUZZ_SECONDS; `make test` replays the corpus (-runs=0).

FUZZERS += $(BUILD)/fuzz/fuzz_multiboot2

$(BUILD)/fuzz/fuzz_multiboot2: tests/fuzz/fuzz_multiboot2.c boot/multiboot2.c boot/multiboot2.h \
		tests/host/host_stubs.c tests/host/host_stubs.h lib/compiler.h
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  FUZZ    $@"
	$(Q)clang -std=gnu11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -DHOTMM_HOST -I. -o $@ \
	  tests/fuzz/fuzz_multiboot2.c boot/multiboot2.c tests/host/host_stubs.c
