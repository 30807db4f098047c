/* SPDX-License-Identifier: MIT */
/*
 * DOC: madt.c - parse the MADT into struct acpi_madt_info
 *
 * Walks the variable-length entries after the 44-byte MADT header. Each
 * entry is <type, length, body>; the walk trusts a length only after
 * checking it is at least 2 and ends inside the table, and reads a body
 * only after checking the length covers the fields of that type.
 *
 * As in Linux: a local APIC entry with id 0xff and an x2APIC entry with id
 * 0xffffffff are placeholders (kept, never enabled); the online-capable bit
 * means something only from MADT revision 5 on; the last LAPIC address
 * override wins over the header's 32-bit address.
 */
#include <errno.h>
#include <string.h>

#include "drivers/acpi/madt.h"
#include "kernel/printk.h"

#define MADT_HEADER_SIZE	44
#define MADT_ENABLED		0x1
#define MADT_ONLINE_CAPABLE	0x2

static const struct {
	uint8_t type;
	uint8_t min_len;
	const char *name;
} madt_types[] = {
	{ ACPI_MADT_LAPIC, 8, "local APIC" },
	{ ACPI_MADT_IOAPIC, 12, "I/O APIC" },
	{ ACPI_MADT_INT_OVERRIDE, 10, "interrupt source override" },
	{ ACPI_MADT_NMI_SOURCE, 8, "NMI source" },
	{ ACPI_MADT_LAPIC_NMI, 6, "local APIC NMI" },
	{ ACPI_MADT_LAPIC_OVERRIDE, 12, "local APIC address override" },
	{ ACPI_MADT_X2APIC, 16, "x2APIC" },
	{ ACPI_MADT_X2APIC_NMI, 12, "x2APIC NMI" },
};

static void add_cpu(struct acpi_madt_info *m, const uint8_t *e, size_t off, bool x2apic,
		    struct acpi_problems *p)
{
	uint32_t apic_id, uid, flags;
	bool placeholder;
	struct acpi_madt_cpu *c;

	if (x2apic) {
		apic_id = acpi_get32(e, 4);
		flags = acpi_get32(e, 8);
		uid = acpi_get32(e, 12);
		placeholder = apic_id == 0xffffffff;
		m->nr_x2apic_entries++;
	} else {
		uid = acpi_get8(e, 2);
		apic_id = acpi_get8(e, 3);
		flags = acpi_get32(e, 4);
		placeholder = apic_id == 0xff;
	}
	if (placeholder && (flags & MADT_ENABLED)) {
		acpi_problem(p, ACPI_WARN, "APIC", off, "apic_id: 0x%x is not a valid id but the entry is "
			     "enabled; treated as disabled", apic_id);
		flags &= ~MADT_ENABLED;
	}
	if (m->nr_cpus >= ACPI_MAX_CPUS) {
		acpi_problem(p, ACPI_ERR, "APIC", off, "more than %d CPU entries (limit ACPI_MAX_CPUS); "
			     "apic_id 0x%x and later CPUs ignored", ACPI_MAX_CPUS, apic_id);
		return;
	}
	if (!placeholder) {
		const struct acpi_madt_cpu *dup = acpi_madt_find_cpu(m, apic_id);

		if (dup && (dup->enabled || (flags & MADT_ENABLED))) {
			acpi_problem(p, ACPI_WARN, "APIC", off, "apic_id: 0x%x already listed at +0x%x; "
				     "duplicate entry ignored", apic_id, dup->offset);
			return;
		}
	}
	c = &m->cpu[m->nr_cpus++];
	c->apic_id = apic_id;
	c->uid = uid;
	c->enabled = flags & MADT_ENABLED;
	c->online_capable = !c->enabled && m->revision >= 5 && (flags & MADT_ONLINE_CAPABLE);
	c->x2apic = x2apic;
	c->offset = (uint16_t)off;
	if (c->enabled)
		m->nr_enabled++;
}

static void add_ioapic(struct acpi_madt_info *m, const uint8_t *e, size_t off, struct acpi_problems *p)
{
	struct acpi_madt_ioapic *io;
	uint8_t id = acpi_get8(e, 2);
	uint32_t addr = acpi_get32(e, 4), gsi = acpi_get32(e, 8);

	for (unsigned int i = 0; i < m->nr_ioapics; i++) {
		if (m->ioapic[i].id == id || m->ioapic[i].address == addr) {
			acpi_problem(p, ACPI_WARN, "APIC", off, "I/O APIC id %u at 0x%x duplicates id %u at 0x%x; "
				     "ignored", id, addr, m->ioapic[i].id, m->ioapic[i].address);
			return;
		}
	}
	if (!addr) {
		acpi_problem(p, ACPI_WARN, "APIC", off + 4, "I/O APIC id %u: address 0; ignored", id);
		return;
	}
	if (m->nr_ioapics >= ACPI_MAX_IOAPICS) {
		acpi_problem(p, ACPI_ERR, "APIC", off, "more than %d I/O APICs (limit ACPI_MAX_IOAPICS); "
			     "id %u ignored", ACPI_MAX_IOAPICS, id);
		return;
	}
	io = &m->ioapic[m->nr_ioapics++];
	io->id = id;
	io->address = addr;
	io->gsi_base = gsi;
}

static void add_override(struct acpi_madt_info *m, const uint8_t *e, size_t off, struct acpi_problems *p)
{
	struct acpi_madt_override *o;
	uint8_t irq = acpi_get8(e, 3);

	for (unsigned int i = 0; i < m->nr_overrides; i++) {
		if (m->override[i].source_irq == irq) {
			acpi_problem(p, ACPI_WARN, "APIC", off, "IRQ %u is overridden twice; later entry ignored",
				     irq);
			return;
		}
	}
	if (m->nr_overrides >= ACPI_MAX_OVERRIDES) {
		acpi_problem(p, ACPI_ERR, "APIC", off, "more than %d interrupt source overrides "
			     "(limit ACPI_MAX_OVERRIDES); IRQ %u ignored", ACPI_MAX_OVERRIDES, irq);
		return;
	}
	o = &m->override[m->nr_overrides++];
	o->bus = acpi_get8(e, 2);
	o->source_irq = irq;
	o->gsi = acpi_get32(e, 4);
	o->flags = acpi_get16(e, 8);
}

int acpi_parse_madt(const void *table, size_t len, struct acpi_madt_info *out,
		    struct acpi_problems *p)
{
	const uint8_t *t = table;
	uint32_t tlen;
	size_t off;

	memset(out, 0, sizeof(*out));
	tlen = acpi_table_check(table, len, "APIC", p);
	if (!tlen)
		return -EINVAL;
	if (tlen < MADT_HEADER_SIZE) {
		acpi_problem(p, ACPI_ERR, "APIC", 4, "length: %u, the MADT header alone is %d",
			     tlen, MADT_HEADER_SIZE);
		return -EINVAL;
	}
	out->revision = acpi_get8(t, 8);
	out->lapic_address = acpi_get32(t, 36);
	out->flags = acpi_get32(t, 40);

	for (off = MADT_HEADER_SIZE; off < tlen; ) {
		const uint8_t *e = t + off;
		uint8_t type, elen;
		unsigned int k;

		if (tlen - off < 2) {
			acpi_problem(p, ACPI_ERR, "APIC", off, "%zu stray byte(s) at the end of the table",
				     tlen - off);
			break;
		}
		type = e[0];
		elen = e[1];
		if (elen < 2) {
			acpi_problem(p, ACPI_ERR, "APIC", off + 1, "entry type %u: length %u; cannot step "
				     "past it, rest of the table ignored", type, elen);
			break;
		}
		if (elen > tlen - off) {
			acpi_problem(p, ACPI_ERR, "APIC", off + 1, "entry type %u: length %u overruns the table "
				     "end at +0x%x; rest of the table ignored", type, elen, tlen);
			break;
		}
		for (k = 0; k < ARRAY_SIZE(madt_types); k++)
			if (madt_types[k].type == type)
				break;
		if (k == ARRAY_SIZE(madt_types)) {
			out->nr_other++;
			off += elen;
			continue;
		}
		if (elen < madt_types[k].min_len) {
			acpi_problem(p, ACPI_WARN, "APIC", off + 1, "%s entry: length %u, needs %u; skipped",
				     madt_types[k].name, elen, madt_types[k].min_len);
			off += elen;
			continue;
		}
		switch (type) {
		case ACPI_MADT_LAPIC:
			add_cpu(out, e, off, false, p);
			break;
		case ACPI_MADT_X2APIC:
			add_cpu(out, e, off, true, p);
			break;
		case ACPI_MADT_IOAPIC:
			add_ioapic(out, e, off, p);
			break;
		case ACPI_MADT_INT_OVERRIDE:
			add_override(out, e, off, p);
			break;
		case ACPI_MADT_LAPIC_OVERRIDE:
			out->lapic_address = acpi_get64(e, 4);
			out->lapic_address_overridden = true;
			break;
		default:
			out->nr_nmi++;
			break;
		}
		off += elen;
	}
	if (!out->lapic_address)
		acpi_problem(p, ACPI_ERR, "APIC", 36, "local APIC address is 0");
	if (!out->nr_enabled)
		acpi_problem(p, ACPI_ERR, "APIC", ACPI_NO_OFFSET, "no enabled CPU");
	return 0;
}

const struct acpi_madt_cpu *acpi_madt_find_cpu(const struct acpi_madt_info *m, uint32_t apic_id)
{
	for (unsigned int i = 0; i < m->nr_cpus; i++)
		if (m->cpu[i].apic_id == apic_id)
			return &m->cpu[i];
	return NULL;
}

static const char *polarity(uint16_t f)
{
	switch (f & ACPI_MADT_POLARITY_MASK) {
	case ACPI_MADT_POLARITY_HIGH: return "active-high";
	case ACPI_MADT_POLARITY_LOW: return "active-low";
	case 0: return "bus-default";
	default: return "reserved";
	}
}

static const char *trigger(uint16_t f)
{
	switch (f & ACPI_MADT_TRIGGER_MASK) {
	case ACPI_MADT_TRIGGER_EDGE: return "edge";
	case ACPI_MADT_TRIGGER_LEVEL: return "level";
	case 0: return "bus-default";
	default: return "reserved";
	}
}

void acpi_madt_show(const struct acpi_madt_info *m, acpi_print_fn pr)
{
	pr("MADT revision %u: local APIC at 0x%llx%s, flags 0x%x%s\n", m->revision,
	       (unsigned long long)m->lapic_address, m->lapic_address_overridden ? " (override)" : "",
	       m->flags, (m->flags & 1) ? " (PC-AT 8259s)" : "");
	pr("CPUs: %u entries, %u enabled, %u x2APIC entries\n", m->nr_cpus, m->nr_enabled,
	       m->nr_x2apic_entries);
	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		const struct acpi_madt_cpu *c = &m->cpu[i];

		pr("  cpu apic_id 0x%x uid %u %s%s%s\n", c->apic_id, c->uid,
		       c->enabled ? "enabled" : "disabled", c->online_capable ? " online-capable" : "",
		       c->x2apic ? " (x2APIC entry)" : "");
	}
	for (unsigned int i = 0; i < m->nr_ioapics; i++)
		pr("  ioapic id %u at 0x%x gsi_base %u\n", m->ioapic[i].id, m->ioapic[i].address,
		       m->ioapic[i].gsi_base);
	for (unsigned int i = 0; i < m->nr_overrides; i++) {
		const struct acpi_madt_override *o = &m->override[i];

		pr("  override bus %u irq %u -> gsi %u, %s, %s\n", o->bus, o->source_irq, o->gsi,
		       trigger(o->flags), polarity(o->flags));
	}
	if (m->nr_nmi || m->nr_other)
		pr("  %u NMI entries, %u entries of other types\n", m->nr_nmi, m->nr_other);
}
