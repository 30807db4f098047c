/* SPDX-License-Identifier: MIT */
/*
 * DOC: mcfg.c - parse the MCFG into ECAM regions
 *
 * Layout: 36-byte header, 8 reserved bytes, then from offset 44 one 16-byte
 * entry per allocation: base address (u64, +0), PCI segment (u16, +8),
 * start bus (u8, +10), end bus (u8, +11), reserved (u32, +12). Entries are
 * read only while they fit entirely in the table's length.
 */
#include <errno.h>

#include "drivers/acpi/mcfg.h"

#define MCFG_ENTRIES_OFFSET	44
#define MCFG_ENTRY_SIZE		16

int acpi_parse_mcfg(const void *table, size_t len, struct acpi_mcfg_info *out,
		    struct acpi_problems *p)
{
	const uint8_t *t = table;
	uint32_t tlen;
	unsigned int n;

	memset(out, 0, sizeof(*out));
	tlen = acpi_table_check(table, len, "MCFG", p);
	if (!tlen)
		return -EINVAL;
	if (tlen < MCFG_ENTRIES_OFFSET + MCFG_ENTRY_SIZE) {
		acpi_problem(p, ACPI_ERR, "MCFG", 4, "length: %u, no room for one allocation "
			     "(%d bytes at +0x2c)", tlen, MCFG_ENTRY_SIZE);
		return -EINVAL;
	}
	if ((tlen - MCFG_ENTRIES_OFFSET) % MCFG_ENTRY_SIZE)
		acpi_problem(p, ACPI_WARN, "MCFG", 4, "length: %u, %u bytes after the last whole "
			     "allocation ignored", tlen, (tlen - MCFG_ENTRIES_OFFSET) % MCFG_ENTRY_SIZE);
	n = (tlen - MCFG_ENTRIES_OFFSET) / MCFG_ENTRY_SIZE;
	for (unsigned int i = 0; i < n; i++) {
		size_t off = MCFG_ENTRIES_OFFSET + (size_t)i * MCFG_ENTRY_SIZE;
		uint64_t base = acpi_get64(t, off);
		uint16_t seg = acpi_get16(t, off + 8);
		uint8_t start = acpi_get8(t, off + 10), end = acpi_get8(t, off + 11);

		if (!base || (base & (SZ_1M - 1))) {
			acpi_problem(p, ACPI_ERR, "MCFG", off, "allocation %u base address: 0x%llx is %s; "
				     "allocation not used", i, (unsigned long long)base,
				     base ? "not 1 MiB aligned" : "zero");
			continue;
		}
		if (start > end) {
			acpi_problem(p, ACPI_ERR, "MCFG", off + 10, "allocation %u bus range: start %u is "
				     "after end %u; allocation not used", i, start, end);
			continue;
		}
		if (base + ((uint64_t)end + 1) * SZ_1M < base) {
			acpi_problem(p, ACPI_ERR, "MCFG", off, "allocation %u base address: 0x%llx + "
				     "buses up to %u wraps the address space; allocation not used", i,
				     (unsigned long long)base, end);
			continue;
		}
		if (out->count == ACPI_MCFG_MAX_REGIONS) {
			acpi_problem(p, ACPI_WARN, "MCFG", off, "allocation %u: more than %d allocations "
				     "(limit ACPI_MCFG_MAX_REGIONS); the rest ignored", i,
				     ACPI_MCFG_MAX_REGIONS);
			break;
		}
		out->region[out->count++] = (struct acpi_mcfg_region){
			.address = base, .segment = seg, .start_bus = start, .end_bus = end,
		};
	}
	return out->count ? 0 : -EINVAL;
}

void acpi_mcfg_show(const struct acpi_mcfg_info *m, acpi_print_fn pr)
{
	pr("MCFG: %u ECAM region(s)\n", m->count);
	for (unsigned int i = 0; i < m->count; i++)
		pr("  segment %u buses %02x-%02x at 0x%llx\n", m->region[i].segment,
		   m->region[i].start_bus, m->region[i].end_bus,
		   (unsigned long long)m->region[i].address);
}
