/* SPDX-License-Identifier: MIT */
/*
 * DOC: load.h - ACPI tables from files, for acpi-decode and the host tests
 *
 * Reads raw tables (as acpixtract writes them: apic.dat, srat.dat, ...) and
 * acpidump text dumps ("SIG @ 0xADDR" followed by "OFFS: XX XX ..." lines)
 * into an image: a list of blobs, each with its bytes and, from a dump, the
 * physical address it had. acpi_image_ops then serves them to
 * acpi_tables_init() as if they were physical memory, so discovery from the
 * RSDP runs on the host exactly as in the kernel.
 */
#ifndef HOTMM_TOOLS_ACPI_DECODE_LOAD_H
#define HOTMM_TOOLS_ACPI_DECODE_LOAD_H

#include "drivers/acpi/tables.h"

#define ACPI_IMAGE_MAX_BLOBS	128

struct acpi_blob {
	char sig[5];		/* "RSDP" for the RSDP */
	uint64_t address;
	bool has_address;
	uint8_t *data;
	size_t len;
	char origin[160];	/* file (and line) it came from */
};

struct acpi_image {
	unsigned int count;
	struct acpi_blob blob[ACPI_IMAGE_MAX_BLOBS];
};

/* Add the tables in @path (a raw table, an acpidump text, or a folder of .dat). 0 or -1 with @err set. */
int acpi_image_load(struct acpi_image *img, const char *path, char *err, size_t errlen);
/* Add @len bytes as one table (copied). */
int acpi_image_add(struct acpi_image *img, const void *data, size_t len, uint64_t address,
		   bool has_address, const char *origin);
void acpi_image_free(struct acpi_image *img);
const struct acpi_blob *acpi_image_find(const struct acpi_image *img, const char *sig,
					unsigned int instance);

/* Physical-memory hook over the blobs that have an address; ctx = the image. */
extern const struct acpi_phys_ops acpi_image_ops_template;
static inline struct acpi_phys_ops acpi_image_ops(struct acpi_image *img)
{
	struct acpi_phys_ops ops = acpi_image_ops_template;

	ops.ctx = img;
	return ops;
}

#endif
