/* SPDX-License-Identifier: MIT */
/*
 * DOC: fuzz_acpi_tables.c - libFuzzer target: discovery from the RSDP
 *
 * Input: option byte, a 36-byte RSDP, then a blob that stands for physical
 * memory at FUZZ_PHYS_BASE; tables may point anywhere, and map() serves
 * only ranges wholly inside the blob (exact-size buffer: ASan sees overreads).
 * Options: bit 0 points the RSDP's RSDT and XSDT at the blob's start and
 * fixes both RSDP checksums; bit 1 fixes the checksum of every table the
 * root table lists (when its header lies inside the blob) and of the root.
 */
#include <stdio.h>
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/tables.h"

#define FUZZ_PHYS_BASE	0x100000ULL

static uint8_t *blob;
static size_t blob_len;

static const void *fmap(void *ctx, phys_addr_t phys, size_t len)
{
	if (phys < FUZZ_PHYS_BASE || phys - FUZZ_PHYS_BASE > blob_len ||
	    len > blob_len - (phys - FUZZ_PHYS_BASE))
		return NULL;
	return blob + (phys - FUZZ_PHYS_BASE);
}

static void funmap(void *ctx, const void *v, size_t len)
{
}

static const struct acpi_phys_ops ops = { .map = fmap, .unmap = funmap };

static void fix_table_at(uint64_t phys)
{
	uint64_t off = phys - FUZZ_PHYS_BASE;
	uint32_t len;

	if (phys < FUZZ_PHYS_BASE || off > blob_len || blob_len - off < ACPI_HEADER_SIZE)
		return;
	len = acpi_get32(blob + off, 4);
	if (len < ACPI_HEADER_SIZE || len > blob_len - off)
		return;
	blob[off + 9] = 0;
	blob[off + 9] = (uint8_t)(0x100 - acpi_checksum(blob + off, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_tables t;
	static struct acpi_problems p;
	uint8_t rsdp[36];
	uint8_t opt;

	if (size < 1 + sizeof(rsdp))
		return 0;
	opt = data[0];
	memcpy(rsdp, data + 1, sizeof(rsdp));
	blob_len = size - 1 - sizeof(rsdp);
	blob = malloc(blob_len ? blob_len : 1);
	memcpy(blob, data + 1 + sizeof(rsdp), blob_len);

	if (opt & 1) {
		uint32_t r = (uint32_t)FUZZ_PHYS_BASE;
		uint64_t x = FUZZ_PHYS_BASE;

		memcpy(rsdp, "RSD PTR ", 8);
		memcpy(rsdp + 16, &r, 4);
		memcpy(rsdp + 24, &x, 8);
		rsdp[8] = 0;
		rsdp[8] = (uint8_t)(0x100 - acpi_checksum(rsdp, 20));
		rsdp[32] = 0;
		if (acpi_get32(rsdp, 20) <= sizeof(rsdp) && acpi_get32(rsdp, 20) >= 33)
			rsdp[32] = (uint8_t)(0x100 - acpi_checksum(rsdp, acpi_get32(rsdp, 20)));
	}
	if ((opt & 2) && blob_len >= ACPI_HEADER_SIZE) {
		uint32_t rlen = acpi_get32(blob, 4);
		bool x = rsdp[15] >= 2 && acpi_get64(rsdp, 24);
		unsigned int esz = x ? 8 : 4;

		if (rlen >= ACPI_HEADER_SIZE && rlen <= blob_len) {
			for (size_t off = ACPI_HEADER_SIZE; off + esz <= rlen; off += esz)
				fix_table_at(x ? acpi_get64(blob, off) : acpi_get32(blob, off));
			fix_table_at(FUZZ_PHYS_BASE);
		}
	}
	acpi_problems_reset(&p);
	if (acpi_tables_init(&t, &ops, rsdp, sizeof(rsdp), 0xf0000, &p) == 0) {
		if (t.count > ACPI_MAX_TABLES)
			__builtin_trap();
		for (unsigned int i = 0; i < t.count; i++) {
			const void *v;

			if (!t.table[i].valid)
				continue;
			v = acpi_map_table(&ops, &t.table[i]);
			if (!v)	/* a valid table must be mappable at its length */
				__builtin_trap();
		}
	}
	free(blob);
	return 0;
}
