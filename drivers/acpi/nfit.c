/* SPDX-License-Identifier: MIT */
/*
 * DOC: nfit.c - parsing the NFIT (see nfit.h)
 *
 * Structure layouts read here (ACPI 6.4, 5.2.25), offsets in the structure:
 *   0 SPA range, 56 bytes: range index @4, flags @6, proximity domain @12,
 *     address range type GUID @16, base @32, length @40, memory attributes @48
 *   1 memory device to SPA map, 48; 2 interleave, 16; 3 SMBIOS, 8;
 *   4 control region, 32 (80 with the block-window fields); 5 block data
 *     window, 40; 6 flush hint address, 16; 7 platform capabilities, 16
 * Only the minimum lengths of types 1-7 are checked: hotmm reads nothing
 * else from them.
 */
#include <errno.h>
#include <string.h>

#include "drivers/acpi/nfit.h"

#define SPA_MIN_LEN	56
#define NFIT_MAX_ADDR	(1ULL << 52)	/* the x86-64 physical address limit */

static const uint16_t min_len[ACPI_NFIT_TYPE_COUNT] = {
	[ACPI_NFIT_TYPE_SPA] = SPA_MIN_LEN, [ACPI_NFIT_TYPE_MEMDEV] = 48,
	[ACPI_NFIT_TYPE_INTERLEAVE] = 16, [ACPI_NFIT_TYPE_SMBIOS] = 8,
	[ACPI_NFIT_TYPE_CONTROL_REGION] = 32, [ACPI_NFIT_TYPE_DATA_REGION] = 40,
	[ACPI_NFIT_TYPE_FLUSH_ADDRESS] = 16, [ACPI_NFIT_TYPE_CAPABILITIES] = 16,
};

static const char *const type_names[ACPI_NFIT_TYPE_COUNT] = {
	"SPA range", "memory device map", "interleave", "SMBIOS", "control region",
	"block data window", "flush hint", "platform capabilities",
};

/* GUIDs as they are stored (the first three fields little-endian). */
static const uint8_t guid_pmem[16] = {	/* 66F0D379-B4F3-4074-AC43-0D3318B78CDB */
	0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40,
	0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb,
};
static const uint8_t guid_volatile[16] = {	/* 7305944F-FDDA-44E3-B16C-3F22D252E5D0 */
	0x4f, 0x94, 0x05, 0x73, 0xda, 0xfd, 0xe3, 0x44,
	0xb1, 0x6c, 0x3f, 0x22, 0xd2, 0x52, 0xe5, 0xd0,
};

const char *acpi_nfit_spa_kind_name(enum acpi_nfit_spa_kind kind)
{
	return kind == ACPI_NFIT_SPA_PMEM ? "pmem" : kind == ACPI_NFIT_SPA_VOLATILE ? "volatile" : "other";
}

static void parse_spa(struct acpi_nfit_info *n, const uint8_t *s, size_t off, struct acpi_problems *p)
{
	struct acpi_nfit_spa spa = {
		.range_index = acpi_get16(s, 4), .flags = acpi_get16(s, 6), .pxm = acpi_get32(s, 12),
		.base = acpi_get64(s, 32), .length = acpi_get64(s, 40), .attributes = acpi_get64(s, 48),
		.offset = (uint16_t)off,
	};

	spa.pxm_valid = spa.flags & ACPI_NFIT_SPA_PROXIMITY_VALID;
	spa.kind = !memcmp(s + 16, guid_pmem, 16) ? ACPI_NFIT_SPA_PMEM :
		   !memcmp(s + 16, guid_volatile, 16) ? ACPI_NFIT_SPA_VOLATILE : ACPI_NFIT_SPA_OTHER;
	if (spa.kind == ACPI_NFIT_SPA_OTHER)
		return;		/* control regions and block windows are not memory */
	if (!spa.range_index) {
		acpi_problem(p, ACPI_ERR, "NFIT", off + 4, "SPA range: range index 0 is reserved; "
			     "structure left out");
		goto refused;
	}
	if (!spa.length) {
		acpi_problem(p, ACPI_ERR, "NFIT", off + 40, "SPA range %u: length 0; structure left out",
			     spa.range_index);
		goto refused;
	}
	if (spa.base + spa.length < spa.base || spa.base + spa.length > NFIT_MAX_ADDR) {
		acpi_problem(p, ACPI_ERR, "NFIT", off + 40, "SPA range %u: base 0x%llx length 0x%llx "
			     "ends beyond 2^52 (the x86-64 physical address limit); structure left out",
			     spa.range_index, (unsigned long long)spa.base, (unsigned long long)spa.length);
		goto refused;
	}
	if (!IS_ALIGNED(spa.base, 4096) || !IS_ALIGNED(spa.length, 4096)) {
		acpi_problem(p, ACPI_ERR, "NFIT", off + (IS_ALIGNED(spa.base, 4096) ? 40 : 32),
			     "SPA range %u: [0x%llx-0x%llx) is not page-aligned; structure left out",
			     spa.range_index, (unsigned long long)spa.base,
			     (unsigned long long)(spa.base + spa.length));
		goto refused;
	}
	for (unsigned int i = 0; i < n->nr_spa; i++) {
		const struct acpi_nfit_spa *o = &n->spa[i];

		if (o->range_index == spa.range_index) {
			acpi_problem(p, ACPI_ERR, "NFIT", off + 4, "SPA range: range index %u already used "
				     "by +0x%x; structure left out", spa.range_index, o->offset);
			goto refused;
		}
		if (spa.base < o->base + o->length && o->base < spa.base + spa.length) {
			acpi_problem(p, ACPI_ERR, "NFIT", off + 32, "SPA range %u: [0x%llx-0x%llx) overlaps "
				     "range %u at +0x%x [0x%llx-0x%llx); structure left out",
				     spa.range_index, (unsigned long long)spa.base,
				     (unsigned long long)(spa.base + spa.length), o->range_index, o->offset,
				     (unsigned long long)o->base, (unsigned long long)(o->base + o->length));
			goto refused;
		}
	}
	if (n->nr_spa >= ACPI_NFIT_MAX_SPA) {
		acpi_problem(p, ACPI_ERR, "NFIT", off, "SPA range %u: more than %d ranges "
			     "(ACPI_NFIT_MAX_SPA); structure left out", spa.range_index, ACPI_NFIT_MAX_SPA);
		goto refused;
	}
	n->spa[n->nr_spa++] = spa;
	return;
refused:
	n->nr_refused++;
}

int acpi_parse_nfit(const void *table, size_t len, struct acpi_nfit_info *out,
		    struct acpi_problems *p)
{
	const uint8_t *t = table;
	uint32_t tlen;

	memset(out, 0, sizeof(*out));
	tlen = acpi_table_check(table, len, "NFIT", p);
	if (!tlen)
		return -EINVAL;
	if (tlen < ACPI_NFIT_HEADER_SIZE) {
		acpi_problem(p, ACPI_ERR, "NFIT", 4, "length: %u, the NFIT header alone is %d",
			     tlen, ACPI_NFIT_HEADER_SIZE);
		return -EINVAL;
	}
	out->revision = acpi_get8(t, 8);
	for (size_t off = ACPI_NFIT_HEADER_SIZE; off < tlen;) {
		const uint8_t *s = t + off;
		uint16_t type, slen;

		if (tlen - off < 4) {
			acpi_problem(p, ACPI_ERR, "NFIT", off, "%zu stray byte(s) at the end of the table",
				     tlen - off);
			break;
		}
		type = acpi_get16(s, 0);
		slen = acpi_get16(s, 2);
		if (slen < 4) {
			acpi_problem(p, ACPI_ERR, "NFIT", off + 2, "structure type %u: length %u; cannot "
				     "step past it, rest of the table ignored", type, slen);
			break;
		}
		if (slen > tlen - off) {
			acpi_problem(p, ACPI_ERR, "NFIT", off + 2, "structure type %u: length %u overruns "
				     "the table end at +0x%x; rest of the table ignored", type, slen, tlen);
			break;
		}
		if (type >= ACPI_NFIT_TYPE_COUNT) {
			acpi_problem(p, ACPI_WARN, "NFIT", off, "structure type %u (length %u) unknown; "
				     "skipped", type, slen);
			out->nr_unknown++;
		} else if (slen < min_len[type]) {
			acpi_problem(p, ACPI_ERR, "NFIT", off + 2, "%s: length %u, needs %u; skipped",
				     type_names[type], slen, min_len[type]);
			out->nr_refused++;
		} else {
			out->count[type]++;
			if (type == ACPI_NFIT_TYPE_SPA)
				parse_spa(out, s, off, p);
		}
		off += slen;
	}
	return 0;
}

void acpi_nfit_show(const struct acpi_nfit_info *n, acpi_print_fn pr)
{
	pr("NFIT revision %u: %u SPA, %u memory device, %u control region, %u other structure(s); "
	   "%u unknown skipped, %u left out\n", n->revision, n->count[ACPI_NFIT_TYPE_SPA],
	   n->count[ACPI_NFIT_TYPE_MEMDEV], n->count[ACPI_NFIT_TYPE_CONTROL_REGION],
	   n->count[ACPI_NFIT_TYPE_INTERLEAVE] + n->count[ACPI_NFIT_TYPE_SMBIOS] +
	   n->count[ACPI_NFIT_TYPE_DATA_REGION] + n->count[ACPI_NFIT_TYPE_FLUSH_ADDRESS] +
	   n->count[ACPI_NFIT_TYPE_CAPABILITIES], n->nr_unknown, n->nr_refused);
	for (unsigned int i = 0; i < n->nr_spa; i++) {
		const struct acpi_nfit_spa *s = &n->spa[i];

		if (s->pxm_valid)
			pr("  spa %u [0x%012llx-0x%012llx) %6llu MiB %s, domain %u\n", s->range_index,
			   (unsigned long long)s->base, (unsigned long long)(s->base + s->length),
			   (unsigned long long)(s->length >> 20), acpi_nfit_spa_kind_name(s->kind), s->pxm);
		else
			pr("  spa %u [0x%012llx-0x%012llx) %6llu MiB %s, no domain\n", s->range_index,
			   (unsigned long long)s->base, (unsigned long long)(s->base + s->length),
			   (unsigned long long)(s->length >> 20), acpi_nfit_spa_kind_name(s->kind));
	}
}
