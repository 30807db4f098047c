/* SPDX-License-Identifier: MIT */
/*
 * DOC: dsdt_scan.c - a bounded scan of AML for HPMR and MDNR
 *
 * The AML encodings we look for (ACPI 6.5, 20.2):
 *   DefOpRegion := 0x5B 0x80 NameString RegionSpace(byte) RegionOffset RegionLen
 *   DefName     := 0x08 NameString DataRefObject
 * where offset, length and the name's value are integer constants:
 *   0x00 Zero, 0x01 One, 0xFF Ones, 0x0A byte, 0x0B word, 0x0C dword, 0x0E qword.
 * A NameString is an optional '\' or '^'... prefix, then a NameSeg, a
 * DualNamePath (0x2E + 2 segs) or MultiNamePath (0x2F, count, segs); we
 * match on its last NameSeg, so "\_SB.PCI0.MHPD.HPMR" matches too.
 *
 * Every read is checked against the table end; a match whose operands do not
 * decode as constants is not QEMU's object and is passed over. The same
 * bytes could in theory occur inside a buffer or string, so a second,
 * different HPMR or MDNR is reported rather than silently preferred.
 */
#include <errno.h>
#include <string.h>

#include "drivers/acpi/dsdt_scan.h"
#include "kernel/printk.h"

struct aml {
	const uint8_t *b;
	size_t len;
};

static bool lead_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(uint8_t c)
{
	return lead_char(c) || (c >= '0' && c <= '9');
}

static bool name_seg_at(const struct aml *a, size_t i)
{
	return i + 4 <= a->len && lead_char(a->b[i]) && name_char(a->b[i + 1]) &&
	       name_char(a->b[i + 2]) && name_char(a->b[i + 3]);
}

/* Parse a NameString at *i; on success *i is past it and *last the final seg. */
static bool parse_name_string(const struct aml *a, size_t *i, const uint8_t **last)
{
	size_t k = *i;
	unsigned int segs;

	if (k < a->len && a->b[k] == '\\')
		k++;
	else
		while (k < a->len && a->b[k] == '^')
			k++;
	if (k >= a->len)
		return false;
	if (a->b[k] == 0x2e) {
		segs = 2;
		k++;
	} else if (a->b[k] == 0x2f) {
		if (k + 1 >= a->len)
			return false;
		segs = a->b[k + 1];
		k += 2;
		if (!segs)
			return false;
	} else {
		segs = 1;
	}
	for (unsigned int s = 0; s < segs; s++, k += 4)
		if (!name_seg_at(a, k))
			return false;
	*last = a->b + k - 4;
	*i = k;
	return true;
}

static bool parse_integer(const struct aml *a, size_t *i, uint64_t *v)
{
	size_t k = *i, n;

	if (k >= a->len)
		return false;
	switch (a->b[k]) {
	case 0x00: *v = 0; *i = k + 1; return true;
	case 0x01: *v = 1; *i = k + 1; return true;
	case 0xff: *v = ~0ULL; *i = k + 1; return true;
	case 0x0a: n = 1; break;
	case 0x0b: n = 2; break;
	case 0x0c: n = 4; break;
	case 0x0e: n = 8; break;
	default: return false;
	}
	if (k + 1 + n > a->len)
		return false;
	*v = 0;
	for (size_t j = 0; j < n; j++)
		*v |= (uint64_t)a->b[k + 1 + j] << (8 * j);
	*i = k + 1 + n;
	return true;
}

static void found_region(struct acpi_memhp_info *out, const char *sig, size_t off, uint8_t space,
			 uint64_t base, uint64_t len, struct acpi_problems *p)
{
	if (out->present) {
		if (out->base != base || out->length != len || out->space_id != space)
			acpi_problem(p, ACPI_WARN, sig, off, "HPMR: a second region (0x%llx, 0x%llx) differs "
				     "from the first (0x%llx, 0x%llx); keeping the first",
				     (unsigned long long)base, (unsigned long long)len,
				     (unsigned long long)out->base, (unsigned long long)out->length);
		return;
	}
	if (len < ACPI_MEMHP_IO_LEN) {
		acpi_problem(p, ACPI_ERR, sig, off, "HPMR: length 0x%llx is shorter than the controller's "
			     "0x%x registers; not used", (unsigned long long)len, ACPI_MEMHP_IO_LEN);
		return;
	}
	if (!base || base + len < base || (space == ACPI_ADR_SPACE_SYSTEM_IO && base + len > 0x10000)) {
		acpi_problem(p, ACPI_ERR, sig, off, "HPMR: base 0x%llx length 0x%llx is not a usable %s "
			     "range; not used", (unsigned long long)base, (unsigned long long)len,
			     space == ACPI_ADR_SPACE_SYSTEM_IO ? "I/O port" : "address");
		return;
	}
	if (space != ACPI_ADR_SPACE_SYSTEM_IO && space != ACPI_ADR_SPACE_SYSTEM_MEMORY) {
		acpi_problem(p, ACPI_ERR, sig, off, "HPMR: region space %u is neither SystemIO nor "
			     "SystemMemory; not used", space);
		return;
	}
	out->present = true;
	out->space_id = space;
	out->base = base;
	out->length = len;
}

static void found_slots(struct acpi_memhp_info *out, const char *sig, size_t off, uint64_t v,
			struct acpi_problems *p)
{
	if (out->has_slots) {
		if (out->slots != v)
			acpi_problem(p, ACPI_WARN, sig, off, "MDNR: a second value %llu differs from %llu; "
				     "keeping the first", (unsigned long long)v, (unsigned long long)out->slots);
		return;
	}
	if (v > ACPI_MEMHP_MAX_SLOTS) {
		acpi_problem(p, ACPI_ERR, sig, off, "MDNR: %llu slots is more than QEMU's %d; not used",
			     (unsigned long long)v, ACPI_MEMHP_MAX_SLOTS);
		return;
	}
	out->has_slots = true;
	out->slots = v;
}

int acpi_scan_memhp(const void *table, size_t len, const char *sig,
		    struct acpi_memhp_info *out, struct acpi_problems *p)
{
	uint32_t tlen = acpi_table_check(table, len, NULL, p);
	struct aml a;

	if (!tlen)
		return -EINVAL;
	a.b = table;
	a.len = tlen;
	for (size_t i = ACPI_HEADER_SIZE; i + 1 < a.len; i++) {
		const uint8_t *seg;
		size_t k;
		uint64_t v1, v2;

		if (a.b[i] == 0x5b && a.b[i + 1] == 0x80) {
			uint8_t space;

			k = i + 2;
			if (!parse_name_string(&a, &k, &seg) || memcmp(seg, "HPMR", 4) || k >= a.len)
				continue;
			space = a.b[k++];
			if (!parse_integer(&a, &k, &v1) || !parse_integer(&a, &k, &v2)) {
				acpi_problem(p, ACPI_WARN, sig, i, "HPMR: offset/length are not integer "
					     "constants; ignored");
				continue;
			}
			found_region(out, sig, i, space, v1, v2, p);
		} else if (a.b[i] == 0x08) {
			k = i + 1;
			if (!parse_name_string(&a, &k, &seg) || memcmp(seg, "MDNR", 4))
				continue;
			if (!parse_integer(&a, &k, &v1))
				continue;	/* e.g. a buffer: not QEMU's slot count */
			found_slots(out, sig, i, v1, p);
		}
	}
	return 0;
}

void acpi_memhp_show(const struct acpi_memhp_info *m, acpi_print_fn pr)
{
	if (!m->present) {
		pr("memory hotplug controller: none (no HPMR region in the DSDT/SSDTs)\n");
		return;
	}
	pr("memory hotplug controller: %s 0x%llx, length 0x%llx, ",
	       m->space_id == ACPI_ADR_SPACE_SYSTEM_IO ? "io" : "mem",
	       (unsigned long long)m->base, (unsigned long long)m->length);
	if (m->has_slots)
		pr("%llu slots\n", (unsigned long long)m->slots);
	else
		pr("slot count unknown (no MDNR)\n");
}
