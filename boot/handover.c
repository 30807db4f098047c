// SPDX-License-Identifier: MIT
/*
 * DOC: handover.c - the firmware's handover: the EFI system table and the `mmap` command
 *
 * Kernel only; the parsing is in boot/multiboot2.c and boot/efi.c, host
 * tested. Everything here reads firmware memory through early_memremap(),
 * which returns the direct map for RAM and maps anything else (the EFI
 * system table sits in runtime-services memory, outside the direct map),
 * and never writes it. Nothing here is needed to run: a table that fails
 * a check is a warning, and `mmap` says what is missing.
 */
#include <errno.h>
#include <string.h>

#include "boot/handover.h"
#include "boot/efi.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "drivers/acpi/acpi_boot.h"
#include "arch/x86_64/ioremap.h"

static struct efi_info efi;

/*
 * Which firmware, and where its configuration tables are: read only, and
 * nothing depends on it (no EFI service is ever called), so a bad table is
 * a warning. The pointers are physical: they are mapped one by one.
 */
void efi_init(void)
{
	char err[160], line[128];
	const void *v;

	if (!boot_info.efi_system_table)
		return;
	v = early_memremap(boot_info.efi_system_table, EFI_SYSTAB_SIZE);
	if (!v || efi_parse_systab(v, EFI_SYSTAB_SIZE, &efi, err, sizeof(err))) {
		pr_warn("%s at 0x%llx; not used\n", v ? err : "EFI system table: cannot map it",
			(unsigned long long)boot_info.efi_system_table);
		if (v)
			early_memunmap((void *)v, EFI_SYSTAB_SIZE);
		return;
	}
	early_memunmap((void *)v, EFI_SYSTAB_SIZE);
	if (efi.fw_vendor && (v = early_memremap(efi.fw_vendor, EFI_VENDOR_BYTES))) {
		efi_vendor_string(v, EFI_VENDOR_BYTES, efi.vendor, sizeof(efi.vendor));
		early_memunmap((void *)v, EFI_VENDOR_BYTES);
	}
	if (efi.nr_tables) {
		size_t len = min(efi.nr_tables, (uint64_t)EFI_CONFIG_TABLES_MAX) * EFI_CONFIG_TABLE_SIZE;

		if ((v = early_memremap(efi.tables, len))) {
			efi_parse_config_tables(v, efi.nr_tables, &efi);
			early_memunmap((void *)v, len);
		}
	}
	efi_format_version(&efi, line, sizeof(line));
	pr_info("efi: %s\n", line);
	pr_info("efi: ACPI 2.0=0x%llx ACPI=0x%llx SMBIOS=0x%llx SMBIOS 3.0=0x%llx\n",
		(unsigned long long)efi.acpi20, (unsigned long long)efi.acpi,
		(unsigned long long)efi.smbios, (unsigned long long)efi.smbios3);
}

static void emit_line(const char *line)
{
	shell_printf("%s", line);
}

static const char *mmap_source_name(uint32_t source)
{
	switch (source) {
	case MB2_MMAP_EFI:
		return "the EFI memory map tag, converted to e820 types";
	case MB2_MMAP_E820_TAG:
		return "GRUB's memory map tag";
	default:
		return "none";
	}
}

/* What the firmware handed over: boot method, which map, ACPI root. */
static void show_handover(void)
{
	const struct acpi_tables *t = acpi_get_tables();

	if (mb2_booted_uefi(&boot_info)) {
		char version[128] = "";

		if (efi.valid)
			efi_format_version(&efi, version, sizeof(version));
		shell_printf("boot: UEFI, through %s; EFI system table at 0x%llx%s%s\n",
			     boot_info.loader_name[0] ? boot_info.loader_name : "?",
			     (unsigned long long)boot_info.efi_system_table, efi.valid ? ": " : "",
			     version);
		if (efi.valid)
			shell_printf("  configuration tables: %llu; ACPI 2.0 RSDP at 0x%llx, ACPI 1.0 at 0x%llx, SMBIOS at 0x%llx, SMBIOS 3.0 at 0x%llx\n",
				     (unsigned long long)efi.nr_tables, (unsigned long long)efi.acpi20,
				     (unsigned long long)efi.acpi, (unsigned long long)efi.smbios,
				     (unsigned long long)efi.smbios3);
	} else
		shell_printf("boot: BIOS, through %s\n",
			     boot_info.loader_name[0] ? boot_info.loader_name : "?");
	shell_printf("memory map: %s (%u ranges)\n", mmap_source_name(boot_info.mmap_source),
		     boot_info.nr_mmap);
	if (boot_info.efi_mmap_phys)
		shell_printf("  EFI map: %u descriptors of %u bytes, version %u, at 0x%llx (`mmap efi`)\n",
			     boot_info.efi_nr_desc, boot_info.efi_desc_size, boot_info.efi_desc_version,
			     (unsigned long long)boot_info.efi_mmap_phys);
	if (boot_info.nr_e820_tag && boot_info.mmap_source != MB2_MMAP_E820_TAG)
		shell_printf("  GRUB's memory map tag: %u entries, not used (`mmap grub`)\n",
			     boot_info.nr_e820_tag);
	if (t && t->rsdp_address)	/* acpi_rsdp=, or no tag and the BIOS areas were scanned */
		shell_printf("ACPI: RSDP found at 0x%llx, not taken from a multiboot2 tag",
			     (unsigned long long)t->rsdp_address);
	else
		shell_printf("ACPI: RSDP from %s", boot_info.rsdp_tag == MB2_TAG_ACPI_NEW ?
			     "the new (ACPI 2.0+) RSDP tag" : boot_info.rsdp_tag == MB2_TAG_ACPI_OLD ?
			     "the old (ACPI 1.0) RSDP tag" : "no multiboot2 tag");
	if (t)
		shell_printf(", revision %u, OEM %s -> %s at 0x%llx, %u tables\n", t->rsdp_revision,
			     t->rsdp_oem_id, t->use_xsdt ? "XSDT" : "RSDT",
			     (unsigned long long)t->root.address, t->count);
	else
		shell_printf("; no usable ACPI tables\n");
}

static int cmd_mmap(int argc, char **argv)
{
	if (argc == 1) {
		show_handover();
		mb2_format_mmap(&boot_info, emit_line);
	} else if (argc == 2 && !strcmp(argv[1], "efi")) {
		if (!boot_info.efi_mmap_phys) {
			shell_printf("mmap: no EFI memory map (booted through %s)\n",
				     mb2_booted_uefi(&boot_info) ? "UEFI, but GRUB gave none" : "BIOS");
			return -ENOENT;
		}
		/*
		 * Inside the boot information, which stays reserved; through
		 * early_memremap() in case mem= left it out of the direct map.
		 */
		size_t len = (size_t)boot_info.efi_nr_desc * boot_info.efi_desc_size;
		void *descs = early_memremap(boot_info.efi_mmap_phys, len ? len : 1);

		if (!descs) {
			shell_printf("mmap: cannot map the EFI map at 0x%llx\n",
				     (unsigned long long)boot_info.efi_mmap_phys);
			return -ENOMEM;
		}
		mb2_format_efi_mmap(&boot_info, descs, emit_line);
		early_memunmap(descs, len ? len : 1);
	} else if (argc == 2 && !strcmp(argv[1], "grub")) {
		mb2_format_e820_tag(&boot_info, emit_line);
	} else {
		shell_printf("usage: mmap [efi|grub]\n");
		return -EINVAL;
	}
	return 0;
}
SHELL_COMMAND(mmap, cmd_mmap, "[efi|grub]",
	      "what the firmware handed over: boot method, memory map in use, ACPI root; the EFI map; GRUB's map");
