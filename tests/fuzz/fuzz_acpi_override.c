/* SPDX-License-Identifier: MIT */
/*
 * DOC: fuzz_acpi_override.c - libFuzzer target: boot modules carrying ACPI tables
 *
 * Input: one option byte, then the module (raw table or cpio "newc"
 * archive), copied into a buffer of exactly its size. Option bits 0-1 pick
 * the module's string ("", "srat.dat", "slit.dat", "tables.cpio"), which the
 * parser checks signatures against. Whatever is accepted must lie inside the
 * module with a good checksum; it then goes through discovery over the
 * qemu-numa2 tables (loaded once from tests/fixtures/acpi), as in the kernel.
 */
#include <stdio.h>
#include <stdlib.h>

#include "drivers/acpi/tables.h"
#include "drivers/acpi/table_override.h"
#include "tools/acpi-decode/load.h"

#define MOD_PHYS	0x80000000ULL

static struct acpi_image img;
static unsigned int fixed_blobs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const strings[] = { "", "srat.dat", "slit.dat", "tables.cpio" };
	static struct acpi_override_set set;
	static struct acpi_problems p;
	static struct acpi_tables t;
	const struct acpi_blob *rsdp;
	struct acpi_phys_ops ops;
	uint8_t *mod;
	size_t len;
	int n;

	if (!fixed_blobs) {
		char err[256];

		if (acpi_image_load(&img, "tests/fixtures/acpi/qemu-numa2/hotmm-acpidump.txt", err,
				    sizeof(err))) {
			fprintf(stderr, "%s (run from the repository root)\n", err);
			abort();
		}
		fixed_blobs = img.count;
	}
	if (size < 1)
		return 0;
	len = size - 1;
	mod = malloc(len ? len : 1);
	memcpy(mod, data + 1, len);
	memset(&set, 0, sizeof(set));
	acpi_problems_reset(&p);

	n = acpi_override_parse_module(&set, mod, len, MOD_PHYS, 0, strings[data[0] & 3], &p);
	if (n < 0 && (set.count || !p.errors))
		abort();	/* refused: nothing taken, and the reason recorded */
	for (unsigned int i = 0; i < set.count; i++) {
		const struct acpi_override *o = &set.ov[i];
		uint64_t off = o->address - MOD_PHYS;

		if (o->address < MOD_PHYS || off > len || o->length > len - off ||
		    o->length < ACPI_HEADER_SIZE || acpi_checksum(mod + off, o->length) ||
		    memcmp(mod + off, o->signature, 4) || !acpi_override_sig_known(o->signature))
			abort();
	}
	if (set.count) {
		acpi_image_add(&img, mod, len, MOD_PHYS, true, "module");
		ops = acpi_image_ops(&img);
		rsdp = acpi_image_find(&img, "RSDP", 0);
		if (acpi_tables_init_override(&t, &ops, rsdp->data, rsdp->len, 0, &set, &p) ||
		    t.replaced + t.added != set.count)
			abort();
		/* drop the module again: the fixture's blobs stay */
		while (img.count > fixed_blobs)
			free(img.blob[--img.count].data);
	}
	free(mod);
	return 0;
}
