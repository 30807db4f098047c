/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi_shell.c - shell commands: acpi, madt, srat, fadt, nfit, numa, acpidump
 *
 * Kernel only. The views are the same functions tools/acpi-decode prints
 * with, so what a bring-up engineer sees on the host from a dump is what the
 * kernel shows on the machine. `acpidump` prints every table in the text
 * layout of ACPICA's acpidump (acpixtract -a reads it back into .dat files),
 * so tables can be captured from any machine hotmm boots on.
 */
#include <stdio.h>
#include <string.h>

#include "drivers/acpi/acpi_boot.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/numa.h"
#include "kernel/shell.h"

static int no_tables(void)
{
	shell_printf("acpi: no ACPI tables were found at boot\n");
	return -19;	/* -ENODEV */
}

static void show_problems(void)
{
	const struct acpi_problems *p = acpi_get_problems();

	if (!p->count)
		return;
	shell_printf("problems: %u error(s), %u warning(s)\n", p->errors, p->warnings);
	for (unsigned int i = 0; i < p->count; i++)
		shell_printf("  %s: %s\n", p->problem[i].level == ACPI_ERR ? "error" : "warning",
			     p->problem[i].msg);
	if (p->dropped)
		shell_printf("  ... and %u more (see dmesg)\n", p->dropped);
}

static void show_desc(const struct acpi_table_desc *d)
{
	shell_printf("  %-4s 0x%016llx %7u  rev %-3u %-6s %-8s checksum %s%s%s%s\n", d->signature,
		     (unsigned long long)d->address, d->length, d->revision, d->oem_id, d->oem_table_id,
		     d->checksum_ok ? "ok" : "BAD", d->valid ? "" : "  (not used)",
		     d->source == ACPI_TABLE_REPLACED ? "  replaced from " :
		     d->source == ACPI_TABLE_ADDED ? "  added from " : "", d->origin);
}

static int cmd_acpi(int argc, char **argv)
{
	const struct acpi_tables *t = acpi_get_tables();

	if (!t)
		return no_tables();
	shell_printf("RSDP rev %u, OEM %s, at 0x%llx%s\n", t->rsdp_revision, t->rsdp_oem_id,
		     (unsigned long long)t->rsdp_address, t->rsdp_address ? "" : " (multiboot2 copy)");
	shell_printf("  sig  address             length  rev OEM    table    checksum\n");
	show_desc(&t->root);
	for (unsigned int i = 0; i < t->count; i++)
		show_desc(&t->table[i]);
	if (t->replaced || t->added || acpi_get_overrides()->refused)
		shell_printf("overrides: %u replaced, %u added, %u module(s) refused\n", t->replaced,
			     t->added, acpi_get_overrides()->refused);
	acpi_memhp_show(acpi_get_memhp(), shell_printf);
	if (acpi_get_mcfg())
		acpi_mcfg_show(acpi_get_mcfg(), shell_printf);
	show_problems();
	return 0;
}
SHELL_COMMAND(acpi, cmd_acpi, "", "ACPI tables: signature, OEM, revision, length, checksum");

static int cmd_madt(int argc, char **argv)
{
	if (!acpi_get_madt()) {
		shell_printf("madt: no usable MADT\n");
		return -19;
	}
	acpi_madt_show(acpi_get_madt(), shell_printf);
	shell_printf("boot CPU in %s mode\n", x2apic_mode ? "x2APIC" : "xAPIC");
	return 0;
}
SHELL_COMMAND(madt, cmd_madt, "", "CPUs, I/O APICs and interrupt overrides from the MADT");

static int cmd_srat(int argc, char **argv)
{
	if (!acpi_get_srat()) {
		shell_printf("srat: no usable SRAT (one NUMA node)\n");
		return 0;
	}
	acpi_srat_show(acpi_get_srat(), shell_printf);
	if (acpi_get_slit())
		acpi_slit_show(acpi_get_slit(), shell_printf);
	return 0;
}
SHELL_COMMAND(srat, cmd_srat, "", "CPU and memory affinity from the SRAT (and the SLIT)");

static int cmd_fadt(int argc, char **argv)
{
	if (!acpi_get_fadt()) {
		shell_printf("fadt: no usable FADT\n");
		return -19;
	}
	acpi_fadt_show(acpi_get_fadt(), shell_printf);
	acpi_memhp_show(acpi_get_memhp(), shell_printf);
	return 0;
}
SHELL_COMMAND(fadt, cmd_fadt, "", "ACPI fixed hardware (PM1, GPE0, SCI) and the memory hotplug controller");

static int cmd_nfit(int argc, char **argv)
{
	if (!acpi_get_nfit()) {
		shell_printf("nfit: no usable NFIT (no NVDIMMs)\n");
		return 0;
	}
	acpi_nfit_show(acpi_get_nfit(), shell_printf);
	return 0;
}
SHELL_COMMAND(nfit, cmd_nfit, "", "NVDIMM ranges from the NFIT: SPA ranges, kind, proximity domain");

static int cmd_numa(int argc, char **argv)
{
	numa_show(shell_printf);
	return 0;
}
SHELL_COMMAND(numa, cmd_numa, "", "NUMA nodes: CPUs, memory ranges, hot-pluggable ranges, distances");

static void dump_bytes(const char *sig, phys_addr_t addr, const uint8_t *b, size_t len)
{
	shell_printf("%s @ 0x%016llx\n", sig, (unsigned long long)addr);
	for (size_t off = 0; off < len; off += 16) {
		char hex[16 * 3 + 1], asc[17];
		size_t n = min(len - off, (size_t)16), h = 0;

		for (size_t i = 0; i < 16; i++) {
			if (i < n)
				h += snprintf(hex + h, sizeof(hex) - h, "%02X ", b[off + i]);
			else
				h += snprintf(hex + h, sizeof(hex) - h, "   ");
			asc[i] = i < n ? (b[off + i] >= 0x20 && b[off + i] < 0x7f ? (char)b[off + i] : '.') : '\0';
		}
		asc[16] = '\0';
		shell_printf("    %04zX: %s %s\n", off, hex, asc);
	}
	shell_printf("\n");
}

static void dump_table(const struct acpi_table_desc *d)
{
	const struct acpi_phys_ops *ops = acpi_kernel_phys_ops();
	const void *t;

	if (d->length < 8 || d->length > ACPI_MAX_TABLE_LEN)
		return;
	t = acpi_map_table(ops, d);
	if (!t) {
		shell_printf("acpidump: cannot map %s at 0x%llx\n", d->signature,
			     (unsigned long long)d->address);
		return;
	}
	dump_bytes(d->signature, d->address, t, d->length);
	acpi_unmap_table(ops, d, t);
}

static int cmd_acpidump(int argc, char **argv)
{
	const struct acpi_tables *t = acpi_get_tables();
	size_t rlen;
	const uint8_t *rsdp = acpi_get_rsdp(&rlen);

	if (!t)
		return no_tables();
	if (rsdp)
		dump_bytes("RSDP", t->rsdp_address, rsdp,
			   rsdp[15] >= 2 ? min(rlen, (size_t)ACPI_RSDP_V2_SIZE) : ACPI_RSDP_V1_SIZE);
	dump_table(&t->root);
	for (unsigned int i = 0; i < t->count; i++)
		dump_table(&t->table[i]);
	return 0;
}
SHELL_COMMAND(acpidump, cmd_acpidump, "", "hex dump of every ACPI table (acpidump text format)");
