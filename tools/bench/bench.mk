# tools/bench/bench.mk - `make bench`: hotmm and Linux in the same QEMU, side by side
#
#   make bench              every scenario of tools/bench/bench.py, RUNS times (default 3),
#                           results in bench/ (results.md, results.json, chart.png)
#   make bench QUICK=1      one run of the quick scenarios, results in build/bench/quick/
#   make bench RUNS=5       more runs
#   make bench-linux        only fetch/build the Linux side (cached in build/bench/)
#   make bench-memtest      only hotmm's memtest against memtest86+ (bench/memtest.md)
#
# The Linux side is Debian's kernel package, downloaded with apt-get and
# unpacked with dpkg-deb (never installed), plus a busybox initramfs. Both are
# cached: a second `make bench` downloads nothing. The kernel is refetched only
# when build/bench/vmlinuz is deleted.

BENCH_DIR := $(BUILD)/bench

.PHONY: bench-linux bench-memtest

bench: $(BUILD)/hotmm.iso bench-linux
	$(Q)$(PYTHON) tools/bench/bench.py --iso $(BUILD)/hotmm.iso $(if $(QUICK),--quick) $(if $(RUNS),--runs $(RUNS))
	$(Q)$(MAKE) --no-print-directory bench-memtest

# hotmm's memory test against Debian's memtest86+ in the same QEMU machine (bench/memtest.md).
bench-memtest: $(BUILD)/hotmm.iso | $(BUILD)/.deps-bench
	$(Q)$(PYTHON) tools/bench/memtest_bench.py --iso $(BUILD)/hotmm.iso \
		$(if $(QUICK),--runs 1 --out $(BUILD)/memtest-quick.md) $(if $(RUNS),--runs $(RUNS))

bench-linux: $(BENCH_DIR)/vmlinuz $(BENCH_DIR)/initramfs.cpio.gz

$(BUILD)/.deps-bench:
	$(Q)tools/deps.sh bench
	$(Q)mkdir -p $(BUILD) && touch $@

$(BENCH_DIR)/vmlinuz: tools/bench/linux-side.sh | $(BUILD)/.deps-bench
	$(Q)tools/bench/linux-side.sh kernel $(BENCH_DIR)

# The initramfs carries the kernel's virtio modules: after the kernel step.
$(BENCH_DIR)/initramfs.cpio.gz: tools/bench/init.sh tools/bench/linux-side.sh tools/bench/migfill.c \
		$(BENCH_DIR)/vmlinuz | $(BUILD)/.deps-bench
	$(Q)echo "  CPIO    $@"
	$(Q)tools/bench/linux-side.sh initramfs $(BENCH_DIR)
