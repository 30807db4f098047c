# hotmm - a freestanding x86_64 kernel whose whole job is physical memory.
#
#   make          build build/hotmm.elf and build/hotmm.iso (boots BIOS and UEFI)
#   make run      boot it in QEMU, landing in the shell (Ctrl-A c: QEMU monitor)
#   make test     every check: host unit tests, fuzz regressions, QEMU boot tests
#   make bench    benchmarks against Linux in the same QEMU configuration
#   make fuzz     run each libFuzzer target for FUZZ_SECONDS
#   make gdb      QEMU halted with a gdb stub, gdb attached with symbols
#   make deps     install missing tools from Debian's packages
#   make docs     render docs/data-path.svg from docs/data-path.dot (Graphviz)
#   make lab LAB=n        write build/lab-n: this tree with lab n's functions cut out
#   make lab-check LAB=n  score lab n on this tree (LAB_QEMU=0: host tests only)
#
# Variables: CMDLINE="..." (kernel options, passed through QEMU fw_cfg, no
# rebuild), QEMU_ARGS="..." (replace the machine options), UEFI=1 (boot
# through OVMF instead of SeaBIOS: run, gdb), NET=1 (a NIC: the live memory
# page and the shell over TCP), DEBUG=1 (checks that cost
# time: CONFIG_DEBUG_VM), V=1 (show commands), ACPI_OVERRIDE="srat.dat
# ..." (run/gdb: GRUB loads these ACPI tables or cpio archives as modules).

BUILD      := build
CC         := gcc
HOST_CC    := gcc
PYTHON     := python3
Q          := $(if $(V),,@)

NEWLIB_DIR := $(BUILD)/newlib
NEWLIB     := $(NEWLIB_DIR)/install/x86_64-elf
LIBGCC     := $(shell $(CC) -print-libgcc-file-name)
LWIP_DIR   := $(BUILD)/lwip
LWIP       := $(LWIP_DIR)/liblwip.a

WARN       := -Wall -Wextra -Werror -Wno-unused-parameter
KCFLAGS    := -std=gnu11 -O2 -g $(WARN) -I. -isystem $(NEWLIB)/include -Ilib/lwip/include -isystem $(LWIP_DIR)/include \
              -ffreestanding -fno-builtin-malloc -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
              -mno-red-zone -mcmodel=kernel -fno-pie -fno-pic -fno-omit-frame-pointer -fno-optimize-sibling-calls \
              -fno-stack-protector -fno-asynchronous-unwind-tables -fno-strict-aliasing \
              -mno-80387 -MMD -MP $(if $(DEBUG),-DCONFIG_DEBUG_VM)
KASFLAGS   := -I. -MMD -MP
KLDFLAGS   := -nostdlib -static -Wl,--build-id=none -z max-page-size=0x1000 -z noexecstack -no-pie -T linker.ld

# Every .c/.S under the kernel's folders is part of the kernel. Host-only
# programs live in tools/ and tests/.
KDIRS      := boot arch/x86_64 mm drivers drivers/acpi drivers/pci drivers/virtio \
              drivers/nvdimm drivers/net lib lib/lwip kernel
KSRCS      := $(foreach d,$(KDIRS),$(wildcard $(d)/*.c) $(wildcard $(d)/*.S))
KOBJS      := $(patsubst %,$(BUILD)/kernel/%.o,$(KSRCS))

QEMU       := qemu-system-x86_64
QEMU_ARGS  ?= -accel tcg,thread=multi -smp 2 -m 512M,slots=8,maxmem=32G \
              -object memory-backend-ram,id=dimm0mem,size=1G -device pc-dimm,id=dimm0,memdev=dimm0mem
# NET=1: a virtio-net NIC on QEMU's user network; the page on http://localhost:8080/, the shell on
# port 2323 of localhost (both only on the host's loopback).
NET_ARGS   := -netdev user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:2323-:2323 \
              -device virtio-net-pci,netdev=n0
QEMU_BASE  := -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none
# UEFI=1: Debian's OVMF. It writes its variable store (boot order, ...), so
# every run gets a fresh private copy in build/; /usr/share/OVMF stays as it is.
OVMF_CODE  := /usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS  := /usr/share/OVMF/OVMF_VARS_4M.fd
FIRMWARE    = $(if $(UEFI),-drive if=pflash$(comma)format=raw$(comma)unit=0$(comma)readonly=on$(comma)file=$(OVMF_CODE) \
              -drive if=pflash$(comma)format=raw$(comma)unit=1$(comma)file=$(BUILD)/OVMF_VARS.fd)
FW_PREPARE  = $(if $(UEFI),tools/deps.sh uefi && cp $(OVMF_VARS) $(BUILD)/OVMF_VARS.fd)
# fw_cfg strings: QEMU rejects an empty one and splits options at commas.
FW_CMDLINE  = $(if $(CMDLINE),-fw_cfg 'name=opt/hotmm/cmdline$(comma)string=$(subst $(comma),$(comma)$(comma),$(CMDLINE))')
comma      := ,

.PHONY: all deps run test check host-tests fuzz fuzz-regress bench gdb docs clean distclean qemu-tests lab lab-check
all: $(BUILD)/hotmm.iso

deps:
	$(Q)tools/deps.sh build test

$(BUILD)/.deps-build:
	$(Q)tools/deps.sh build
	$(Q)mkdir -p $(BUILD) && touch $@

# ---- newlib: built once per clean tree (about 1.5 min) ----
$(NEWLIB)/lib/libc.a: tools/build-newlib.sh | $(BUILD)/.deps-build
	$(Q)echo "  NEWLIB  building newlib 3.3.0 from Debian's newlib-source (once per clean tree)"
	$(Q)tools/build-newlib.sh $(NEWLIB_DIR)

# ---- lwIP: Debian's source package (apt-get source), built once per clean tree ----
$(LWIP): tools/build-lwip.sh lib/lwip/include/lwipopts.h lib/lwip/include/arch/cc.h $(NEWLIB)/lib/libc.a
	$(Q)echo "  LWIP    building lwIP 2.1.3 from Debian's source package"
	$(Q)tools/build-lwip.sh $(LWIP_DIR) $(CC) $(KCFLAGS)

# ---- kernel ----
$(BUILD)/kernel/%.c.o: %.c $(NEWLIB)/lib/libc.a | $(LWIP)
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.S.o: %.S
	$(Q)mkdir -p $(dir $@)
	$(Q)echo "  AS      $<"
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# .incbin is invisible to -MMD: the page's files are named here.
$(BUILD)/kernel/drivers/net/www.S.o: $(wildcard drivers/net/www/*)

$(BUILD)/hotmm.elf: $(KOBJS) linker.ld $(NEWLIB)/lib/libc.a $(LWIP)
	$(Q)echo "  LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -o $@ $(KOBJS) $(LWIP) $(NEWLIB)/lib/libc.a $(LIBGCC)
	$(Q)grub-file --is-x86-multiboot2 $@ || { echo "error: $@ is not multiboot2-bootable" >&2; rm -f $@; exit 1; }

$(BUILD)/hotmm.iso: $(BUILD)/hotmm.elf boot/grub.cfg
	$(Q)echo "  ISO     $@"
	$(Q)rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	$(Q)# GRUB loads every non-allocated section it is handed: keep .symtab (for
	$(Q)# backtraces), drop the DWARF (megabytes; gdb reads build/hotmm.elf).
	$(Q)objcopy --strip-debug $(BUILD)/hotmm.elf $(BUILD)/iso/boot/hotmm.elf
	$(Q)cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	$(Q)# One image for both: GRUB for BIOS (El Torito, MBR) and for UEFI (an
	$(Q)# EFI system partition image); grub-mkrescue takes every platform installed.
	$(Q)test -d /usr/lib/grub/i386-pc -a -d /usr/lib/grub/x86_64-efi || tools/deps.sh build
	$(Q)grub-mkrescue -o $@ $(BUILD)/iso >$(BUILD)/grub-mkrescue.log 2>&1 || { cat $(BUILD)/grub-mkrescue.log; exit 1; }
	$(Q)xorriso -indev $@ -report_el_torito plain 2>/dev/null | grep -q 'boot img.*UEFI' || \
	  { echo "error: $@ has no UEFI boot image (grub-efi-amd64-bin?)" >&2; rm -f $@; exit 1; }

# ACPI_OVERRIDE: the same kernel on an ISO whose GRUB also loads those files as
# modules (tools/mkiso.py); they replace the firmware's tables of their signature.
ifneq ($(ACPI_OVERRIDE),)
RUN_ISO    := $(BUILD)/override/hotmm.iso
.PHONY: $(RUN_ISO)
$(RUN_ISO): $(BUILD)/hotmm.iso $(ACPI_OVERRIDE)
	$(Q)echo "  ISO     $@ (modules: $(ACPI_OVERRIDE))"
	$(Q)$(PYTHON) tools/mkiso.py $@ $(BUILD)/iso/boot/hotmm.elf $(ACPI_OVERRIDE)
else
RUN_ISO    := $(BUILD)/hotmm.iso
endif

run: $(RUN_ISO)
	$(Q)$(FW_PREPARE)
	$(QEMU) $(QEMU_BASE) $(FIRMWARE) $(QEMU_ARGS) $(if $(NET),$(NET_ARGS)) -cdrom $(RUN_ISO) $(FW_CMDLINE) \
	  -chardev stdio,id=c0,mux=on,signal=off -serial chardev:c0 -mon chardev=c0 \
	  -qmp unix:$(BUILD)/qmp.sock,server=on,wait=off

gdb: $(RUN_ISO)
	$(Q)tools/deps.sh debug
	$(Q)# QEMU waits halted (-S) for gdb; it is stopped when gdb exits. The serial
	$(Q)# console goes to build/gdb-serial.log. GDB_ARGS adds gdb options (e.g. -batch).
	$(Q)$(FW_PREPARE)
	$(Q)$(QEMU) $(QEMU_BASE) $(FIRMWARE) $(QEMU_ARGS) -cdrom $(RUN_ISO) $(FW_CMDLINE) \
	  -serial file:$(BUILD)/gdb-serial.log -S -gdb tcp::1234 & qpid=$$!; \
	trap 'kill $$qpid 2>/dev/null' EXIT; \
	gdb -q $(BUILD)/hotmm.elf -ex 'set architecture i386:x86-64' -ex 'target remote :1234' \
	  -ex 'hbreak start_kernel' -ex 'continue' $(GDB_ARGS)

# ---- host unit tests: the kernel's own sources compiled for the host ----
# Each tests/host/*.mk adds NAME to HOST_TESTS and sets HOST_TEST_SRCS_NAME.
# The mm sources a host test links, listed once: the allocator on the fake
# machine of tests/host/mm_machine.c, and that plus the hotplug core.
HOST_MM_SRCS       := tests/host/mm_machine.c mm/memblock.c mm/sparse.c mm/mmzone.c mm/mm_init.c \
                      mm/zone_movable.c mm/page_alloc.c mm/pagetypes.c mm/memtest.c mm/memory_block.c
HOST_HOTPLUG_SRCS  := $(HOST_MM_SRCS) mm/deferred_init.c kernel/mt_job.c mm/memory_hotplug.c \
                      mm/page_isolation.c mm/migrate.c mm/vmstat.c mm/memremap.c \
                      drivers/memtest_balloon.c
HOST_TESTS :=
-include $(wildcard tests/host/*.mk)
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARN) -I. -DHOTMM_HOST -DCONFIG_DEBUG_VM \
               -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
HOST_BINS  := $(patsubst %,$(BUILD)/host/test_%,$(HOST_TESTS))

define host_test_rule
$(BUILD)/host/test_$(1): $(HOST_TEST_SRCS_$(1)) tests/host/host_stubs.c $(wildcard tests/host/*.h) | $(BUILD)/.deps-test
	$$(Q)mkdir -p $$(dir $$@)
	$$(Q)echo "  HOSTCC  $$@"
	$$(Q)$(HOST_CC) $(HOST_CFLAGS) -o $$@ $(HOST_TEST_SRCS_$(1)) tests/host/host_stubs.c -lcmocka
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

$(BUILD)/.deps-test:
	$(Q)tools/deps.sh build test
	$(Q)mkdir -p $(BUILD) && touch $@

host-tests: $(HOST_BINS)
	$(Q)$(PYTHON) tests/run_tests.py --host $(HOST_BINS)

# ---- tools and fuzzers: tools/*.mk and tests/fuzz/*.mk add their own rules ----
TOOLS      :=
FUZZERS    :=
-include $(wildcard tools/*.mk tools/*/*.mk tests/fuzz/*.mk)

fuzz: $(FUZZERS)
	$(Q)for f in $(FUZZERS); do echo "fuzz: $$f for $(or $(FUZZ_SECONDS),60) s"; \
	  $$f -max_total_time=$(or $(FUZZ_SECONDS),60) tests/fuzz/corpus/$$(basename $$f | sed 's/^fuzz_//') || exit 1; done

# ---- everything that checks ----
test: $(BUILD)/hotmm.iso $(HOST_BINS) $(FUZZERS) $(TOOLS)
	$(Q)$(PYTHON) tests/run_tests.py --host $(HOST_BINS) --fuzz $(FUZZERS) --labs --qemu

check: test

# ---- labs (labs/): the kernel with one lab's functions cut out, and its grader ----
lab:
	$(Q)$(if $(LAB),,echo "make lab LAB=n (n = 1..6, labs/README.md)" >&2; exit 2;)
	$(Q)$(PYTHON) tools/lab/mklab.py make $(LAB) $(BUILD)/lab-$(LAB)

lab-check:
	$(Q)$(if $(LAB),,echo "make lab-check LAB=n (n = 1..6, labs/README.md)" >&2; exit 2;)
	$(Q)$(PYTHON) tools/lab/grade.py $(LAB) $(if $(filter 0,$(LAB_QEMU)),--no-qemu) $(if $(V),-v)

# ---- documentation: the picture of the data path, from its text source ----
docs: docs/data-path.svg

docs/data-path.svg: docs/data-path.dot | $(BUILD)/.deps-docs
	$(Q)echo "  DOT     $@"
	$(Q)dot -Tsvg $< -o $@

$(BUILD)/.deps-docs:
	$(Q)tools/deps.sh docs
	$(Q)mkdir -p $(BUILD) && touch $@

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/host $(BUILD)/iso $(BUILD)/hotmm.* $(BUILD)/fuzz $(BUILD)/tools

distclean:
	rm -rf $(BUILD)

-include $(KOBJS:.o=.d)
