/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi-decode.c - check a machine's ACPI tables before booting hotmm on it
 *
 *     acpi-decode [-v] FILE|FOLDER...
 *
 * FILE is a raw table as acpixtract writes it (apic.dat, srat.dat,
 * slit.dat, facp.dat, dsdt.dat, ...) or a whole acpidump text dump; a FOLDER
 * stands for every .dat in it. The tables go through the kernel's own
 * parsers (drivers/acpi/, arch/x86_64/numa.c, built for the host) and the
 * decoder prints what the kernel would build: tables, CPUs, SRAT, SLIT,
 * FADT, the memory-hotplug controller, and the NUMA view (nodes, CPUs,
 * memory, hot-pluggable ranges, distances), then every problem found.
 *
 * Exit status: 0 when the tables are usable as written, 1 when any error
 * was found (malformed input: the reason is printed), 2 for bad usage or an
 * unreadable file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/acpi-decode/load.h"
#include "drivers/acpi/madt.h"
#include "drivers/acpi/srat.h"
#include "drivers/acpi/slit.h"
#include "drivers/acpi/mcfg.h"
#include "drivers/acpi/nfit.h"
#include "drivers/acpi/fadt.h"
#include "drivers/acpi/dsdt_scan.h"
#include "arch/x86_64/numa.h"

extern int decode_verbose;

static struct acpi_image img;
static struct acpi_problems problems;
static struct acpi_tables tables;
static struct acpi_madt_info madt;
static struct acpi_srat_info srat;
static struct acpi_slit_info slit;
static struct acpi_mcfg_info mcfg;
static struct acpi_nfit_info nfit;
static struct acpi_fadt_info fadt;
static struct acpi_memhp_info memhp;
static bool use_rsdp;
static struct acpi_phys_ops ops;

/* The bytes of the first table with @sig, after discovery when there was an RSDP. */
static const void *table_bytes(const char *sig, unsigned int instance, size_t *len)
{
	if (use_rsdp) {
		const struct acpi_table_desc *d = acpi_find_table(&tables, sig, instance);

		if (!d)
			return NULL;
		*len = d->length;
		return acpi_map_table(&ops, d);
	} else {
		const struct acpi_blob *b = acpi_image_find(&img, sig, instance);

		if (!b)
			return NULL;
		*len = b->len;
		return b->data;
	}
}

static void list_tables(void)
{
	static struct acpi_problems listing;

	if (use_rsdp) {
		printf("RSDP rev %u, OEM %s -> %s at 0x%llx\n", tables.rsdp_revision, tables.rsdp_oem_id,
		       tables.use_xsdt ? "XSDT" : "RSDT", (unsigned long long)tables.root.address);
		for (unsigned int i = 0; i < tables.count; i++) {
			const struct acpi_table_desc *d = &tables.table[i];

			printf("  %-4s 0x%016llx %7u rev %-3u %-6s %-8s checksum %s\n", d->signature,
			       (unsigned long long)d->address, d->length, d->revision, d->oem_id,
			       d->oem_table_id, d->checksum_ok ? "ok" : "BAD");
		}
		return;
	}
	printf("tables (from files, no RSDP: checked one by one):\n");
	for (unsigned int i = 0; i < img.count; i++) {
		const struct acpi_blob *b = &img.blob[i];
		char oem[7] = "", oemt[9] = "";
		bool ok;

		if (!strcmp(b->sig, "RSDP") || !strcmp(b->sig, "FACS")) {
			printf("  %-4s %7zu bytes  %s\n", b->sig, b->len, b->origin);
			continue;
		}
		if (b->len >= ACPI_HEADER_SIZE) {
			acpi_copy_id(oem, b->data + 10, 6);
			acpi_copy_id(oemt, b->data + 16, 8);
		}
		/* Checked quietly: the parser of each table we use reports its own problems. */
		ok = acpi_table_check(b->data, b->len, NULL, &listing) != 0;
		if (!ok && !strstr("APIC SRAT SLIT FACP DSDT SSDT MCFG NFIT", b->sig))
			acpi_table_check(b->data, b->len, NULL, &problems);	/* nobody else will */
		printf("  %-4s %7zu bytes rev %-3u %-6s %-8s %s  %s\n", b->sig, b->len,
		       b->len > 8 ? b->data[8] : 0, oem, oemt, ok ? "ok" : "BAD", b->origin);
	}
}

static int say(const char *fmt, ...) __printf(1, 2);
static int say(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int main(int argc, char **argv)
{
	char err[512];
	const void *t;
	size_t len;
	bool have_madt = false, have_srat = false, have_slit = false, have_fadt = false, have_mcfg = false;
	bool have_nfit = false;
	const struct acpi_blob *rsdp;
	int argi = 1;

	if (argi < argc && !strcmp(argv[argi], "-v")) {
		decode_verbose = 1;
		argi++;
	}
	if (argi >= argc || !strcmp(argv[argi], "-h") || !strcmp(argv[argi], "--help")) {
		fprintf(stderr, "usage: acpi-decode [-v] FILE|FOLDER...\n"
			"  FILE: a raw table (apic.dat, srat.dat, slit.dat, facp.dat, dsdt.dat ...)\n"
			"        or an acpidump text dump; FOLDER: every .dat in it\n"
			"  -v: also print the kernel log lines the parsers write\n"
			"exit status: 0 usable, 1 errors found in the tables, 2 usage or I/O error\n");
		return 2;
	}
	for (; argi < argc; argi++) {
		if (acpi_image_load(&img, argv[argi], err, sizeof(err))) {
			fprintf(stderr, "acpi-decode: %s\n", err);
			return 2;
		}
	}

	ops = acpi_image_ops(&img);
	rsdp = acpi_image_find(&img, "RSDP", 0);
	if (rsdp && rsdp->has_address) {
		use_rsdp = acpi_tables_init(&tables, &ops, rsdp->data, rsdp->len, rsdp->address,
					    &problems) == 0;
		if (!use_rsdp)
			printf("RSDP present but discovery failed: tables checked one by one\n");
	}
	list_tables();

	if ((t = table_bytes("APIC", 0, &len)))
		have_madt = acpi_parse_madt(t, len, &madt, &problems) == 0;
	if ((t = table_bytes("SRAT", 0, &len)))
		have_srat = acpi_parse_srat(t, len, &srat, &problems) == 0;
	if ((t = table_bytes("SLIT", 0, &len)))
		have_slit = acpi_parse_slit(t, len, &slit, &problems) == 0;
	if ((t = table_bytes("FACP", 0, &len)))
		have_fadt = acpi_parse_fadt(t, len, &fadt, &problems) == 0;
	if ((t = table_bytes("MCFG", 0, &len)))
		have_mcfg = acpi_parse_mcfg(t, len, &mcfg, &problems) == 0;
	if ((t = table_bytes("NFIT", 0, &len)))
		have_nfit = acpi_parse_nfit(t, len, &nfit, &problems) == 0;
	for (unsigned int i = 0; (t = table_bytes("DSDT", i, &len)); i++)
		acpi_scan_memhp(t, len, "DSDT", &memhp, &problems);
	for (unsigned int i = 0; (t = table_bytes("SSDT", i, &len)); i++)
		acpi_scan_memhp(t, len, "SSDT", &memhp, &problems);

	printf("\n");
	if (have_madt)
		acpi_madt_show(&madt, say);
	else
		printf("MADT: none usable\n");
	printf("\n");
	if (have_srat)
		acpi_srat_show(&srat, say);
	else
		printf("SRAT: none (one node)\n");
	if (have_slit)
		acpi_slit_show(&slit, say);
	printf("\n");
	if (have_fadt)
		acpi_fadt_show(&fadt, say);
	else
		printf("FADT: none usable\n");
	if (acpi_image_find(&img, "DSDT", 0))
		acpi_memhp_show(&memhp, say);
	if (have_mcfg)
		acpi_mcfg_show(&mcfg, say);
	printf("\n");
	if (have_nfit) {
		acpi_nfit_show(&nfit, say);
		printf("\n");
	}

	numa_init_from_acpi(have_srat ? &srat : NULL, have_slit ? &slit : NULL, have_madt ? &madt : NULL,
			    &problems);
	printf("what the kernel would build (memory per node from the SRAT; the check that the SRAT\n"
	       "covers all RAM needs the firmware memory map and is made only at boot):\n");
	numa_show(say);

	printf("\n%u error(s), %u warning(s)\n", problems.errors, problems.warnings);
	for (unsigned int i = 0; i < problems.count; i++)
		printf("  %s: %s\n", problems.problem[i].level == ACPI_ERR ? "error" : "warning",
		       problems.problem[i].msg);
	if (problems.dropped)
		printf("  ... %u more not kept (run with -v to see all)\n", problems.dropped);
	acpi_image_free(&img);
	return problems.errors ? 1 : 0;
}
