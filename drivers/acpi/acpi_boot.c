/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi_boot.c - kernel glue: find the tables, parse them, set up NUMA
 *
 * Kernel only. Physical memory is reached through early_memremap(): SeaBIOS
 * and real firmware put the tables in e820-reserved memory, outside the
 * direct map. The RSDP comes from the multiboot2 tag (GRUB's BIOS path
 * hands over only the ACPI 1.0 one, so QEMU gives us an RSDT; through UEFI
 * it hands over the ACPI 2.0 one, and the tables come through the XSDT), or
 * from the classic scan of the EBDA's first KiB and 0xE0000-0xFFFFF.
 *
 * Invariant: every result below was produced by a parser from a table that
 * passed its checks; a table that did not is left NULL, with the reason in
 * the problem list and on the console. Nothing here panics on bad tables:
 * the worst outcome is one NUMA node and no hotplug ranges.
 */
#include <string.h>

#include "drivers/acpi/acpi_boot.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "boot/multiboot2.h"

CMDLINE_OPTION(acpi_rsdp, "scan|ADDR", "ignore the loader's RSDP: scan the BIOS areas, or use the one at ADDR");

#define BIOS_EBDA_SEGMENT	0x40e
#define BIOS_ROM_BASE		0xe0000
#define BIOS_ROM_SIZE		0x20000

static struct acpi_problems problems;
static struct acpi_tables tables;
static struct acpi_madt_info madt;
static struct acpi_srat_info srat;
static struct acpi_slit_info slit;
static struct acpi_fadt_info fadt;
static struct acpi_nfit_info nfit;
static struct acpi_override_set overrides;
static struct acpi_memhp_info memhp;
static struct acpi_mcfg_info mcfg;
static bool have_tables, have_madt, have_srat, have_slit, have_fadt, have_mcfg, have_nfit;
static uint8_t rsdp_copy[64];
static size_t rsdp_len;

static const void *kmap(void *ctx, phys_addr_t phys, size_t len)
{
	return early_memremap(phys, len);
}

static void kunmap(void *ctx, const void *virt, size_t len)
{
	early_memunmap((void *)virt, len);
}

static const struct acpi_phys_ops kernel_ops = { .map = kmap, .unmap = kunmap };

const struct acpi_phys_ops *acpi_kernel_phys_ops(void) { return &kernel_ops; }
const struct acpi_tables *acpi_get_tables(void) { return have_tables ? &tables : NULL; }
const struct acpi_madt_info *acpi_get_madt(void) { return have_madt ? &madt : NULL; }
const struct acpi_srat_info *acpi_get_srat(void) { return have_srat ? &srat : NULL; }
const struct acpi_slit_info *acpi_get_slit(void) { return have_slit ? &slit : NULL; }
const struct acpi_fadt_info *acpi_get_fadt(void) { return have_fadt ? &fadt : NULL; }
const struct acpi_nfit_info *acpi_get_nfit(void) { return have_nfit ? &nfit : NULL; }
const struct acpi_memhp_info *acpi_get_memhp(void) { return &memhp; }
const struct acpi_mcfg_info *acpi_get_mcfg(void) { return have_mcfg ? &mcfg : NULL; }
const struct acpi_problems *acpi_get_problems(void) { return &problems; }

const void *acpi_get_rsdp(size_t *len)
{
	*len = rsdp_len;
	return rsdp_len ? rsdp_copy : NULL;
}

/*
 * Linux's initrd table upgrade, from the boot modules: check each (see
 * table_override.c) before acpi_boot_init() reads any table. The modules
 * stay memblock-reserved for good, so the overrides' addresses stay valid.
 */
void acpi_table_upgrade(const struct mb2_module *mods, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		size_t len = mods[i].end - mods[i].start;
		const void *v;

		if (!len) {
			acpi_problem(&problems, ACPI_ERR, "module", ACPI_NO_OFFSET,
				     "module %u (%s) is empty; ignored", i, mods[i].string);
			continue;
		}
		v = early_memremap(mods[i].start, len);
		if (!v) {
			acpi_problem(&problems, ACPI_ERR, "module", ACPI_NO_OFFSET,
				     "module %u (%s): cannot map %zu bytes at 0x%x", i, mods[i].string,
				     len, mods[i].start);
			continue;
		}
		acpi_override_parse_module(&overrides, v, len, mods[i].start, i, mods[i].string,
					   &problems);
		early_memunmap((void *)v, len);
	}
}

const struct acpi_override_set *acpi_get_overrides(void) { return &overrides; }

/* Scan @len bytes at @phys for the RSDP; copy it out. Returns its address or 0. */
static phys_addr_t scan_area(phys_addr_t phys, size_t len)
{
	const uint8_t *v = early_memremap(phys, len);
	long off;

	if (!v)
		return 0;
	off = acpi_rsdp_scan(v, len);
	if (off >= 0) {
		rsdp_len = min(sizeof(rsdp_copy), len - (size_t)off);
		memcpy(rsdp_copy, v + off, rsdp_len);
	}
	early_memunmap((void *)v, len);
	return off >= 0 ? phys + (phys_addr_t)off : 0;
}

static phys_addr_t find_rsdp(void)
{
	const uint16_t *seg = early_memremap(BIOS_EBDA_SEGMENT, 2);
	phys_addr_t ebda = 0, found = 0;

	if (seg) {
		ebda = (phys_addr_t)*seg << 4;
		early_memunmap((void *)seg, 2);
	}
	if (ebda >= 0x80000 && ebda < 0xa0000)	/* anywhere else is not an EBDA */
		found = scan_area(ebda, 1024);
	if (!found)
		found = scan_area(BIOS_ROM_BASE, BIOS_ROM_SIZE);
	return found;
}

/* Map the first valid table @sig and run @parse on it; true when it parsed. */
#define PARSE_TABLE(sig, parse, out) ({						\
	const struct acpi_table_desc *__d = acpi_find_table(&tables, sig, 0);	\
	bool __ok = false;							\
	if (__d) {								\
		const void *__t = acpi_map_table(&kernel_ops, __d);		\
		if (__t) {							\
			__ok = parse(__t, __d->length, out, &problems) == 0;	\
			acpi_unmap_table(&kernel_ops, __d, __t);		\
		} else {							\
			acpi_problem(&problems, ACPI_ERR, sig, ACPI_NO_OFFSET,	\
				     "cannot map %u bytes at 0x%llx", __d->length, \
				     (unsigned long long)__d->address);		\
		}								\
	}									\
	__ok; })

static void scan_aml(void)
{
	const char *sigs[] = { "DSDT", "SSDT" };

	memset(&memhp, 0, sizeof(memhp));
	for (unsigned int s = 0; s < ARRAY_SIZE(sigs); s++) {
		const struct acpi_table_desc *d;

		for (unsigned int i = 0; (d = acpi_find_table(&tables, sigs[s], i)); i++) {
			const void *t = acpi_map_table(&kernel_ops, d);

			if (!t)
				continue;
			acpi_scan_memhp(t, d->length, d->signature, &memhp, &problems);
			acpi_unmap_table(&kernel_ops, d, t);
		}
	}
}

void acpi_boot_init(const void *rsdp, size_t len)
{
	phys_addr_t rsdp_phys = 0;
	unsigned int nr_hp = 0;
	const struct numa_hotplug_range *hp;

	/* problems already holds what acpi_table_upgrade() found */
	if (cmdline_get("acpi_rsdp")) {
		const char *opt = cmdline_get("acpi_rsdp");

		rsdp = NULL;	/* as Linux's acpi_rsdp=: the command line wins over the loader */
		if (strcmp(opt, "scan") != 0) {
			uint64_t addr = cmdline_get_u64("acpi_rsdp", 0);

			if (addr)
				rsdp_phys = scan_area(addr, ACPI_RSDP_V2_SIZE);
			if (!rsdp_phys)
				pr_err("ACPI: acpi_rsdp=%s: no valid RSDP there; scanning the BIOS areas\n", opt);
		}
		pr_info("ACPI: acpi_rsdp=%s: loader's RSDP ignored\n", opt);
	}
	if (rsdp_phys) {
		/* found through acpi_rsdp=ADDR */
	} else if (rsdp && len) {
		rsdp_len = min(len, sizeof(rsdp_copy));
		memcpy(rsdp_copy, rsdp, rsdp_len);
	} else {
		rsdp_phys = find_rsdp();
		if (!rsdp_phys)
			rsdp_len = 0;
	}
	if (!rsdp_len) {
		pr_err("ACPI: no RSDP (no multiboot2 tag, none in the EBDA or 0xE0000-0xFFFFF): "
		       "no CPUs, nodes or hotplug from ACPI\n");
		numa_init_dummy(NULL, "no ACPI tables");
		report("acpi", "\"tables\":0,\"nodes\":1,\"errors\":1");
		return;
	}
	have_tables = acpi_tables_init_override(&tables, &kernel_ops, rsdp_copy, rsdp_len, rsdp_phys,
						&overrides, &problems) == 0;
	if (!have_tables) {
		pr_err("ACPI: RSDP or root table unusable; see the errors above\n");
		numa_init_dummy(NULL, "no usable ACPI root table");
		report("acpi", "\"tables\":0,\"nodes\":1,\"errors\":%u", problems.errors);
		return;
	}
	pr_info("ACPI: RSDP rev %u (%s) -> %s at 0x%llx, %u tables\n", tables.rsdp_revision,
		tables.rsdp_oem_id, tables.use_xsdt ? "XSDT" : "RSDT",
		(unsigned long long)tables.root.address, tables.count);
	for (unsigned int i = 0; i < tables.count; i++)
		if (tables.table[i].source != ACPI_TABLE_FIRMWARE)
			pr_notice("ACPI: %s %s from %s\n", tables.table[i].signature,
				  tables.table[i].source == ACPI_TABLE_REPLACED ? "replaced" : "added",
				  tables.table[i].origin);

	have_madt = PARSE_TABLE("APIC", acpi_parse_madt, &madt);
	have_srat = PARSE_TABLE("SRAT", acpi_parse_srat, &srat);
	have_slit = PARSE_TABLE("SLIT", acpi_parse_slit, &slit);
	have_fadt = PARSE_TABLE("FACP", acpi_parse_fadt, &fadt);
	have_mcfg = PARSE_TABLE("MCFG", acpi_parse_mcfg, &mcfg);
	have_nfit = PARSE_TABLE("NFIT", acpi_parse_nfit, &nfit);
	if (!have_madt)
		pr_err("ACPI: no usable MADT: only the boot CPU is known\n");
	scan_aml();
	check_x2apic();	/* the report below says whether the firmware left x2APIC on */

	numa_init_from_acpi(have_srat ? &srat : NULL, have_slit ? &slit : NULL, have_madt ? &madt : NULL,
			    &problems);

	hp = numa_hotplug_ranges(&nr_hp);
	pr_info("ACPI: %u CPUs enabled, %d NUMA node(s), %u hot-pluggable range(s), memory hotplug "
		"controller %s\n", have_madt ? madt.nr_enabled : 1, nr_node_ids, nr_hp,
		memhp.present ? "present" : "absent");
	report("acpi", "\"rsdp_rev\":%u,\"root\":\"%s\",\"tables\":%u,\"cpus\":%u,\"nodes\":%d,\"numa_dummy\":%s,\"hotplug_ranges\":%u,"
	       "\"hotplug_base\":%llu,\"hotplug_size\":%llu,\"memhp_io\":%llu,\"memhp_slots\":%llu,"
	       "\"gpe0\":%llu,\"sci\":%u,\"x2apic\":%s,\"replaced\":%u,\"added\":%u,"
	       "\"refused_modules\":%u,\"errors\":%u,\"warnings\":%u",
	       tables.rsdp_revision, tables.use_xsdt ? "XSDT" : "RSDT",
	       tables.count, have_madt ? madt.nr_enabled : 1, nr_node_ids,
	       numa_is_dummy() ? "true" : "false", nr_hp,
	       (unsigned long long)(nr_hp ? hp[0].start : 0),
	       (unsigned long long)(nr_hp ? hp[0].end - hp[0].start : 0),
	       (unsigned long long)(memhp.present ? memhp.base : 0),
	       (unsigned long long)(memhp.has_slots ? memhp.slots : 0),
	       (unsigned long long)(have_fadt ? fadt.gpe0.address : 0), have_fadt ? fadt.sci_int : 0,
	       x2apic_mode ? "true" : "false", tables.replaced, tables.added, overrides.refused,
	       problems.errors, problems.warnings);
}
