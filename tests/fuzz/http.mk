# tests/fuzz/http.mk - libFuzzer target for the HTTP request head parser
#
#   make build/fuzz/fuzz_http && build/fuzz/fuzz_http tests/fuzz/corpus/http
# `make fuzz` runs it for FUZZ_SECONDS; `make test` replays the corpus (-runs=0).

FUZZERS += $(BUILD)/fuzz/fuzz_http

$(BUILD)/fuzz/fuzz_http: tests/fuzz/fuzz_http.c drivers/net/http_parse.c drivers/net/http_parse.h
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  FUZZ    $@"
	$(Q)clang -std=gnu11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -DHOTMM_HOST -I. -o $@ \
	  tests/fuzz/fuzz_http.c drivers/net/http_parse.c
