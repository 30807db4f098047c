/* SPDX-License-Identifier: MIT */
/*
 * DOC: srat.c - parse the SRAT into struct acpi_srat_info
 *
 * The SRAT header is 48 bytes (36 + table revision field + reserved), then
 * <type, length, body> entries. Entry layouts (ACPI 6.5, 5.2.16):
 *   0 processor local APIC affinity, 16 bytes: pxm[7:0] @2, apic id @3,
 *     flags @4, pxm[31:8] @9 (used from SRAT revision 2 on)
 *   1 memory affinity, 40 bytes: pxm @2 (only [7:0] in revision 1),
 *     base @8, length @16, flags @28
 *   2 processor x2APIC affinity, 24 bytes: pxm @4, x2APIC id @8, flags @12
 *
 * Invariants: an entry is read only after its length is checked to cover
 * the fields of its type and to end inside the table; out->mem[] holds only
 * enabled, non-empty ranges that neither wrap nor end beyond 2^52, in table
 * order; once an error says the topology would be wrong, out->unusable is
 * set and stays set.
 */
#include <errno.h>
#include <string.h>

#include "drivers/acpi/srat.h"
#include "kernel/printk.h"

#define SRAT_HEADER_SIZE	48
#define SRAT_CPU_ENABLED	0x1

static void add_cpu(struct acpi_srat_info *s, uint32_t apic_id, uint32_t pxm, bool x2apic,
		    size_t off, struct acpi_problems *p)
{
	struct acpi_srat_cpu *c;

	for (unsigned int i = 0; i < s->nr_cpus; i++) {
		if (s->cpu[i].apic_id != apic_id)
			continue;
		if (s->cpu[i].pxm == pxm) {
			acpi_problem(p, ACPI_WARN, "SRAT", off, "apic_id 0x%x: listed again (first at +0x%x, "
				     "same domain %u); ignored", apic_id, s->cpu[i].offset, pxm);
		} else {
			acpi_problem(p, ACPI_ERR, "SRAT", off, "apic_id 0x%x: in domain %u here but domain %u "
				     "at +0x%x", apic_id, pxm, s->cpu[i].pxm, s->cpu[i].offset);
			s->unusable = true;
		}
		return;
	}
	if (s->nr_cpus >= ACPI_MAX_CPUS) {
		acpi_problem(p, ACPI_ERR, "SRAT", off, "more than %d processor affinity entries (limit "
			     "ACPI_MAX_CPUS); apic_id 0x%x and later ones ignored", ACPI_MAX_CPUS, apic_id);
		s->unusable = true;
		return;
	}
	c = &s->cpu[s->nr_cpus++];
	c->apic_id = apic_id;
	c->pxm = pxm;
	c->x2apic = x2apic;
	c->offset = (uint16_t)off;
}

static void add_mem(struct acpi_srat_info *s, const uint8_t *e, size_t off, struct acpi_problems *p)
{
	uint32_t pxm = acpi_get32(e, 2);
	uint64_t base = acpi_get64(e, 8), len = acpi_get64(e, 16);
	uint32_t flags = acpi_get32(e, 28);
	struct acpi_srat_mem *m;

	if (s->revision <= 1)
		pxm &= 0xff;	/* revision 1 defined only the low byte */
	if (!(flags & ACPI_SRAT_MEM_ENABLED)) {
		s->nr_disabled++;
		return;
	}
	if (!len)
		return;	/* QEMU and others pad with these: not worth a word */
	if (base + len < base || base + len > ACPI_SRAT_MAX_ADDR) {
		acpi_problem(p, ACPI_ERR, "SRAT", off + 8, "memory affinity: base 0x%llx length 0x%llx "
			     "ends beyond 2^52 (the x86-64 physical address limit); entry ignored",
			     (unsigned long long)base, (unsigned long long)len);
		s->unusable = true;
		return;
	}
	if (!IS_ALIGNED(base, 4096) || !IS_ALIGNED(len, 4096))
		acpi_problem(p, ACPI_WARN, "SRAT", off + 8, "memory affinity: [0x%llx-0x%llx) is not "
			     "page-aligned; pages only partly inside are left out",
			     (unsigned long long)base, (unsigned long long)(base + len));

	for (unsigned int i = 0; i < s->nr_mem; i++) {
		const struct acpi_srat_mem *o = &s->mem[i];

		if (base >= o->base + o->length || o->base >= base + len)
			continue;
		/*
		 * Non-volatile ranges are NVDIMMs (device memory, described again
		 * by the NFIT), and QEMU puts them inside its hot-pluggable window.
		 */
		if ((flags | o->flags) & ACPI_SRAT_MEM_NON_VOLATILE)
			continue;
		if (o->pxm == pxm) {
			acpi_problem(p, ACPI_WARN, "SRAT", off + 8, "memory affinity: [0x%llx-0x%llx) overlaps "
				     "+0x%x [0x%llx-0x%llx) of the same domain %u; merged",
				     (unsigned long long)base, (unsigned long long)(base + len), o->offset,
				     (unsigned long long)o->base, (unsigned long long)(o->base + o->length),
				     pxm);
		} else {
			acpi_problem(p, ACPI_ERR, "SRAT", off + 8, "memory affinity: [0x%llx-0x%llx) of domain "
				     "%u overlaps +0x%x [0x%llx-0x%llx) of domain %u",
				     (unsigned long long)base, (unsigned long long)(base + len), pxm, o->offset,
				     (unsigned long long)o->base, (unsigned long long)(o->base + o->length),
				     o->pxm);
			s->unusable = true;
		}
		break;
	}
	if (s->nr_mem >= ACPI_MAX_SRAT_MEMORY) {
		acpi_problem(p, ACPI_ERR, "SRAT", off, "more than %d memory affinity entries (limit "
			     "ACPI_MAX_SRAT_MEMORY); [0x%llx-0x%llx) and later ones ignored",
			     ACPI_MAX_SRAT_MEMORY, (unsigned long long)base, (unsigned long long)(base + len));
		s->unusable = true;
		return;
	}
	m = &s->mem[s->nr_mem++];
	m->base = base;
	m->length = len;
	m->pxm = pxm;
	m->flags = flags;
	m->offset = (uint16_t)off;
}

int acpi_parse_srat(const void *table, size_t len, struct acpi_srat_info *out,
		    struct acpi_problems *p)
{
	const uint8_t *t = table;
	uint32_t tlen;

	memset(out, 0, sizeof(*out));
	tlen = acpi_table_check(table, len, "SRAT", p);
	if (!tlen)
		return -EINVAL;
	if (tlen < SRAT_HEADER_SIZE) {
		acpi_problem(p, ACPI_ERR, "SRAT", 4, "length: %u, the SRAT header alone is %d",
			     tlen, SRAT_HEADER_SIZE);
		return -EINVAL;
	}
	out->revision = acpi_get8(t, 8);

	for (size_t off = SRAT_HEADER_SIZE; off < tlen; ) {
		const uint8_t *e = t + off;
		uint8_t type, elen, need;
		uint32_t pxm, flags;

		if (tlen - off < 2) {
			acpi_problem(p, ACPI_ERR, "SRAT", off, "%zu stray byte(s) at the end of the table",
				     tlen - off);
			out->unusable = true;
			break;
		}
		type = e[0];
		elen = e[1];
		if (elen < 2) {
			acpi_problem(p, ACPI_ERR, "SRAT", off + 1, "entry type %u: length %u; cannot step past "
				     "it, rest of the table ignored", type, elen);
			out->unusable = true;
			break;
		}
		if (elen > tlen - off) {
			acpi_problem(p, ACPI_ERR, "SRAT", off + 1, "entry type %u: length %u overruns the table "
				     "end at +0x%x; rest of the table ignored", type, elen, tlen);
			out->unusable = true;
			break;
		}
		need = type == ACPI_SRAT_CPU_AFFINITY ? 16 : type == ACPI_SRAT_MEMORY_AFFINITY ? 40 :
		       type == ACPI_SRAT_X2APIC_AFFINITY ? 24 : 2;
		if (elen < need) {
			acpi_problem(p, ACPI_ERR, "SRAT", off + 1, "entry type %u: length %u, needs %u; "
				     "skipped", type, elen, need);
			out->unusable = true;
			off += elen;
			continue;
		}
		switch (type) {
		case ACPI_SRAT_CPU_AFFINITY:
			flags = acpi_get32(e, 4);
			if (!(flags & SRAT_CPU_ENABLED)) {
				out->nr_disabled++;
				break;
			}
			pxm = acpi_get8(e, 2);
			if (out->revision >= 2)
				pxm |= (uint32_t)acpi_get8(e, 9) << 8 | (uint32_t)acpi_get8(e, 10) << 16 |
				       (uint32_t)acpi_get8(e, 11) << 24;
			add_cpu(out, acpi_get8(e, 3), pxm, false, off, p);
			break;
		case ACPI_SRAT_X2APIC_AFFINITY:
			flags = acpi_get32(e, 12);
			if (!(flags & SRAT_CPU_ENABLED)) {
				out->nr_disabled++;
				break;
			}
			add_cpu(out, acpi_get32(e, 8), acpi_get32(e, 4), true, off, p);
			break;
		case ACPI_SRAT_MEMORY_AFFINITY:
			add_mem(out, e, off, p);
			break;
		default:
			out->nr_other++;
			break;
		}
		off += elen;
	}
	return 0;
}

void acpi_srat_show(const struct acpi_srat_info *s, acpi_print_fn pr)
{
	pr("SRAT revision %u: %u processor entries, %u memory entries enabled, %u disabled "
	       "entries skipped%s\n", s->revision, s->nr_cpus, s->nr_mem, s->nr_disabled,
	       s->unusable ? " (UNUSABLE: see the errors)" : "");
	for (unsigned int i = 0; i < s->nr_cpus; i++)
		pr("  cpu %s 0x%x -> domain %u\n", s->cpu[i].x2apic ? "x2apic_id" : "apic_id",
		       s->cpu[i].apic_id, s->cpu[i].pxm);
	for (unsigned int i = 0; i < s->nr_mem; i++) {
		const struct acpi_srat_mem *m = &s->mem[i];

		pr("  mem [0x%012llx-0x%012llx) %6llu MiB -> domain %u%s%s\n",
		       (unsigned long long)m->base, (unsigned long long)(m->base + m->length),
		       (unsigned long long)(m->length >> 20), m->pxm,
		       (m->flags & ACPI_SRAT_MEM_HOT_PLUGGABLE) ? " hotpluggable" : "",
		       (m->flags & ACPI_SRAT_MEM_NON_VOLATILE) ? " nonvolatile" : "");
	}
}
