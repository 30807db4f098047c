/* SPDX-License-Identifier: MIT */
/*
 * DOC: main.c - start_kernel: the order in which the machine comes up
 *
 * boot/head.S arrives here in long mode with the multiboot2 magic and the
 * physical address of GRUB's boot information, on the boot stack, with the
 * first 1 GiB mapped. From there, in this order and for these reasons:
 *
 *  1. console and traps first, so that anything that goes wrong is seen;
 *  2. the boot information, validated, and copied before memblock may hand
 *     its memory out; the command line (GRUB's, then QEMU fw_cfg's);
 *  3. memblock from the firmware memory map, with everything in use
 *     reserved (low 1 MiB, kernel image, boot information, symbol tables);
 *  4. ACPI: CPUs, NUMA nodes and hot-pluggable ranges, which tag memblock;
 *  5. exact page tables: the direct map of all RAM;
 *  6. the memory core: sections, memmap, zones, buddy (mm/), then the other
 *     CPUs (their stacks come from the buddy allocator);
 *  7. what the command line asks for (benchmarks, self-tests), then the shell.
 *
 * Every milestone is a report line (`@hotmm {"event":...}`) for tests and
 * benchmarks, timed from kernel entry.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "boot/multiboot2.h"
#include "boot/handover.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/shell.h"
#include "kernel/power.h"
#include "kernel/cmdline.h"
#include "kernel/selftest.h"
#include "kernel/symbols.h"
#include "kernel/bench.h"
#include "drivers/uart16550.h"
#include "drivers/qemu_fw_cfg.h"
#include "drivers/acpi/acpi.h"
#include "drivers/acpi/acpi_memhotplug.h"
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio.h"
#include "drivers/nvdimm/pmem.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/smp.h"
#include "mm/memtest.h"
#include "mm/memblock.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "mm/memory_hotplug.h"

extern char _phys_start[], _end[];

void start_kernel(uint32_t magic, uint64_t info_phys);

struct boot_info boot_info;
static char fwcfg_cmdline[2048];

CMDLINE_OPTION(console, "ttyS<N>[,BAUD]", "serial console port and speed (default ttyS0,115200)");
CMDLINE_OPTION(mem, "SIZE", "use only the lowest SIZE bytes of RAM");
CMDLINE_OPTION(memblock, "debug", "log every memblock call and dump memblock at boot");

static void setup_console(void)
{
	const char *c = cmdline_get("console");

	if (cmdline_flag("quiet"))
		console_loglevel = 4;
	console_loglevel = (int)cmdline_get_u64("loglevel", console_loglevel);
	if (c) {
		char *end;
		long idx, baud = 115200;

		if (strncmp(c, "ttyS", 4) || (idx = strtol(c + 4, &end, 10)) < 0 || idx > 3 ||
		    (*end && *end != ',') || (*end == ',' && (baud = strtol(end + 1, NULL, 10)) <= 0)) {
			pr_err("console=%s: expected ttyS0..ttyS3 with an optional ,BAUD; keeping ttyS0\n", c);
			return;
		}
		uart_init((int)idx, (unsigned int)baud);
	}
}

static void read_boot_info(uint32_t magic, uint64_t info_phys)
{
	char err[200];
	long n;

	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not started by a multiboot2 boot loader: magic 0x%x, expected 0x%x",
		      magic, MB2_BOOTLOADER_MAGIC);
	if (info_phys + 8 > SZ_1G || info_phys + *(uint32_t *)__va(info_phys) > SZ_1G)
		panic("multiboot2 info at 0x%llx (%u bytes) reaches above the first GiB mapped at entry",
		      (unsigned long long)info_phys, info_phys + 8 > SZ_1G ? 0 : *(uint32_t *)__va(info_phys));
	if (mb2_parse(__va(info_phys), info_phys, &boot_info, err, sizeof(err)))
		panic("%s", err);

	n = fw_cfg_read_file("opt/hotmm/cmdline", fwcfg_cmdline, sizeof(fwcfg_cmdline) - 1);
	if (n >= (long)sizeof(fwcfg_cmdline))
		pr_warn("fw_cfg: opt/hotmm/cmdline is %ld bytes; only the first %zu are used\n",
			n, sizeof(fwcfg_cmdline) - 1);
	fwcfg_cmdline[n > 0 ? min((size_t)n, sizeof(fwcfg_cmdline) - 1) : 0] = '\0';
	cmdline_init(boot_info.cmdline, fwcfg_cmdline);
}

static struct elf64_shdr *elf_shdr(uint32_t i)
{
	return (void *)((char *)__va(boot_info.elf_shdrs_phys) + (size_t)i * boot_info.elf_entsize);
}

/* ELF sections GRUB loaded outside the image (.symtab, .strtab) are in use. */
static void reserve_elf_sections(void)
{
	for (uint32_t i = 0; boot_info.elf_shdrs_phys && i < boot_info.elf_num; i++) {
		const struct elf64_shdr *sh = elf_shdr(i);

		if (sh->sh_addr && sh->sh_size && sh->sh_addr < KERNEL_VBASE)
			memblock_reserve(sh->sh_addr, sh->sh_size);
	}
}

/* Copy [start, + size) elsewhere if the AP trampoline would overwrite it; returns where it is. */
static phys_addr_t move_from_trampoline(phys_addr_t start, phys_addr_t size, phys_addr_t align,
					const char *what)
{
	const phys_addr_t tr = TRAMPOLINE_PHYS, tr_end = TRAMPOLINE_PHYS + TRAMPOLINE_PAGES * PAGE_SIZE;
	phys_addr_t to;

	if (!size || start >= tr_end || start + size <= tr)
		return start;
	to = memblock_phys_alloc(size, max(align, (phys_addr_t)8));
	if (!to)
		panic("%s [0x%llx-0x%llx) lies where the AP trampoline goes [0x%llx-0x%llx), and no memory below 1 GiB is left to move it to",
		      what, (unsigned long long)start, (unsigned long long)(start + size),
		      (unsigned long long)tr, (unsigned long long)tr_end);
	memcpy(__va(to), __va(start), size);
	pr_info("boot: %s moved from [0x%llx-0x%llx) to 0x%llx, out of the AP trampoline's way\n", what,
		(unsigned long long)start, (unsigned long long)(start + size), (unsigned long long)to);
	return to;
}

/*
 * smp_init() writes the AP trampoline at a fixed address below 1 MiB
 * (TRAMPOLINE_PHYS, arch/x86_64/smp.h), inside the first MiB that memblock
 * keeps reserved. GRUB for BIOS leaves that range alone; GRUB for UEFI takes
 * the lowest free memory for the boot information, the modules and the
 * ELF sections it loads (.symtab, .strtab), so they can lie right there.
 * Whatever of them does is copied out of the way (to memblock memory below
 * the GiB head.S mapped) before anything reads it after boot: the old copy
 * stays reserved with the rest of the first MiB.
 */
static void keep_clear_of_trampoline(void)
{
	phys_addr_t to = move_from_trampoline(boot_info.info_phys, boot_info.total_size, 8,
					      "multiboot2 information");

	if (to != boot_info.info_phys)
		mb2_moved(&boot_info, to);
	for (uint32_t i = 0; i < boot_info.nr_modules; i++) {
		struct mb2_module *m = &boot_info.modules[i];

		to = move_from_trampoline(m->start, m->end - m->start, PAGE_SIZE, "a module");
		m->end = (uint32_t)(to + (m->end - m->start));	/* memblock's limit is 1 GiB */
		m->start = (uint32_t)to;
	}
	for (uint32_t i = 0; boot_info.elf_shdrs_phys && i < boot_info.elf_num; i++) {
		struct elf64_shdr *sh = elf_shdr(i);

		char what[32];

		snprintf(what, sizeof(what), "ELF section %u", i);
		if (sh->sh_addr && sh->sh_size && sh->sh_addr < KERNEL_VBASE)
			sh->sh_addr = move_from_trampoline(sh->sh_addr, sh->sh_size, sh->sh_addralign, what);
	}
}

static void setup_memblock(uint64_t info_phys)
{
	uint64_t limit = cmdline_get_size("mem", 0);

	memblock_debug = cmdline_get("memblock") && !strcmp(cmdline_get("memblock"), "debug");
	/*
	 * movable_node: until the SRAT says which RAM is hot-pluggable, take
	 * boot allocations bottom-up, next to the kernel image, whose node is
	 * never hot-pluggable (numa.c); top-down again once it is known.
	 */
	if (cmdline_flag("movable_node")) {
		memblock_set_movable_node(true);
		memblock_set_bottom_up(true);
	}
	memblock_set_current_limit(SZ_1G);	/* all that head.S mapped */
	/*
	 * What is in use comes first (memblock takes reservations of memory it
	 * does not list yet), so that once the arrays may grow, a new array
	 * never lands on the image, the boot information or a module.
	 */
	/* The BIOS data area, EBDA, real-mode IVT, VGA and option ROMs live below 1 MiB. */
	memblock_reserve(0, SZ_1M);
	/* _phys_start is linked at its physical address (.boot); _end is in the higher half */
	memblock_reserve((phys_addr_t)(uintptr_t)_phys_start,
			 __pa_symbol(_end) - (phys_addr_t)(uintptr_t)_phys_start);
	memblock_reserve(info_phys, boot_info.total_size);
	for (uint32_t i = 0; i < boot_info.nr_modules; i++)
		memblock_reserve(boot_info.modules[i].start,
				 boot_info.modules[i].end - boot_info.modules[i].start);
	reserve_elf_sections();

	/* A firmware map longer than the static arrays makes them grow (as Linux's e820 setup). */
	memblock_allow_resize();
	for (uint32_t i = 0; i < boot_info.nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &boot_info.mmap[i];

		if (e->type == MB2_MEMORY_AVAILABLE && memblock_add(e->addr, e->len))
			panic("memblock: cannot add RAM [0x%llx-0x%llx) from the firmware map",
			      (unsigned long long)e->addr, (unsigned long long)(e->addr + e->len));
	}
	if (!memblock.memory.cnt)
		panic("the firmware memory map lists no usable RAM");

	if (limit) {
		memblock_enforce_memory_limit(limit);
		pr_notice("mem=%lluM: using %llu MiB of RAM\n", (unsigned long long)(limit >> 20),
			  (unsigned long long)(memblock_phys_mem_size() >> 20));
	}
	/* After mem=: a copy must land in RAM that stays. */
	keep_clear_of_trampoline();
	if (boot_info.elf_shdrs_phys)
		symbols_init(__va(boot_info.elf_shdrs_phys), boot_info.elf_num, boot_info.elf_entsize);
}

void start_kernel(uint32_t magic, uint64_t info_phys)
{
	uart_init(0, 115200);
	gdt_init();
	idt_init();
	pic_init();		/* remapped and masked before interrupts are ever on */
	fw_cfg_probe();
	read_boot_info(magic, info_phys);
	setup_console();
	tsc_init();
	printk(KERN_NOTICE "hotmm: booted by %s%s\n", boot_info.loader_name[0] ? boot_info.loader_name : "?",
	       mb2_booted_uefi(&boot_info) ? " through UEFI" : "");
	report_at("kernel_entry", 0, "\"tsc_khz\":%llu,\"qemu\":%s,\"boot\":\"%s\",\"mmap\":\"%s\"",
		  (unsigned long long)tsc_khz, fw_cfg_present() ? "true" : "false",
		  mb2_booted_uefi(&boot_info) ? "uefi" : "bios",
		  boot_info.mmap_source == MB2_MMAP_EFI ? "efi" : "e820");

	setup_memblock(info_phys);
	acpi_table_upgrade(boot_info.modules, boot_info.nr_modules);
	acpi_boot_init(boot_info.rsdp_len ? boot_info.rsdp : NULL, boot_info.rsdp_len);
	efi_init();
	memblock_set_bottom_up(false);	/* the SRAT's hot-pluggable ranges are marked now */
	memory_hotplug_early_init();	/* hotplug options; memhp_withhold= leaves memblock here */
	init_direct_map();
	report("memblock_ready", "\"memory\":%llu,\"reserved\":%llu,\"regions\":%lu",
	       (unsigned long long)memblock_phys_mem_size(),
	       (unsigned long long)memblock_reserved_size(), memblock.memory.cnt);
	if (memblock_debug)
		memblock_dump_all();

	sparse_init();
	memtest_setup();	/* memtest=: boot RAM is tested as it is freed */
	mm_core_init();
	memory_blocks_init_boot();	/* boot RAM in memory blocks, memory0 up */
	smp_init();		/* needs the MADT and the buddy allocator (AP stacks) */
	page_alloc_init_late();	/* the rest of boot RAM, on all CPUs */
	memory_hotplug_init();	/* hot-add what memhp_withhold= kept back */
	memhp_init();		/* DIMMs: coldplug, then events on the SCI */
	pci_init();		/* config access (MCFG or ports), scan the buses */
	virtio_init();		/* virtio devices on PCI, their drivers */
	nvdimm_init();		/* NVDIMMs from the NFIT: device memory */
	/*
	 * From here on other CPUs may change the memory map (the work queue on
	 * an AP) and must reach this one with IPIs: per-CPU drains, TLB
	 * shootdowns. Benchmarks and self-tests run with interrupts on, as
	 * the shell does.
	 */
	local_irq_enable();

	/* Benchmarks and self-tests measure and check all of RAM (unless a test holds it back). */
	if ((cmdline_get("bench") || cmdline_get("selftest")) && !cmdline_flag("deferred_init_hold"))
		deferred_init_wait();
	bench_run_cmdline();
	if (cmdline_get("selftest")) {
		int passed, failed, skipped;
		const char *only = cmdline_get("selftest");

		selftest_run(*only ? only : NULL, &passed, &failed, &skipped);
		machine_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	}
	shell_run();
}
