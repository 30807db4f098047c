/* SPDX-License-Identifier: MIT */
/*
 * DOC: tables.c - checksums, problems, and table discovery from the RSDP
 *
 * Owns the walk RSDP -> RSDT/XSDT -> tables (see tables.h) and the helpers
 * every parser uses to check a table and record what is wrong with it.
 *
 * Invariants: a table is read only through a mapping of exactly the length
 * checked first against its header (mapped 36 bytes first, then the length
 * the header claims, capped at ACPI_MAX_TABLE_LEN); a root table entry that
 * points at nothing mappable, at a bad header or at a bad checksum is listed
 * as invalid and skipped, never followed further.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "drivers/acpi/tables.h"
#include "kernel/printk.h"

/* ---- problems ---- */

void acpi_problems_reset(struct acpi_problems *p)
{
	if (p)
		memset(p, 0, sizeof(*p));
}

void acpi_problem(struct acpi_problems *p, enum acpi_problem_level level,
		  const char *table, size_t offset, const char *fmt, ...)
{
	char msg[ACPI_PROBLEM_LEN];
	va_list ap;
	int n;

	if (offset == ACPI_NO_OFFSET)
		n = snprintf(msg, sizeof(msg), "%s: ", table);
	else
		n = snprintf(msg, sizeof(msg), "%s+0x%zx: ", table, offset);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);

	if (level == ACPI_ERR)
		printk(KERN_ERR "ACPI: error: %s\n", msg);
	else
		printk(KERN_WARNING "ACPI: warning: %s\n", msg);
	if (!p)
		return;
	if (level == ACPI_ERR)
		p->errors++;
	else
		p->warnings++;
	if (p->count >= ACPI_MAX_PROBLEMS) {
		p->dropped++;
		return;
	}
	p->problem[p->count].level = level;
	memcpy(p->problem[p->count].msg, msg, sizeof(msg));
	p->count++;
}

bool acpi_problems_contain(const struct acpi_problems *p, const char *needle)
{
	for (unsigned int i = 0; i < p->count; i++)
		if (strstr(p->problem[i].msg, needle))
			return true;
	return false;
}

/* ---- table checks ---- */

uint8_t acpi_checksum(const void *buf, size_t len)
{
	const uint8_t *b = buf;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

void acpi_sig_string(char out[5], const void *sig)
{
	const uint8_t *s = sig;

	for (int i = 0; i < 4; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	out[4] = '\0';
}

void acpi_copy_id(char *out, const void *in, size_t width)
{
	const uint8_t *s = in;
	size_t n = width;

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\0'))
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
	out[n] = '\0';
}

uint32_t acpi_table_check(const void *buf, size_t avail, const char *sig,
			  struct acpi_problems *p)
{
	char name[5];
	uint32_t len;
	uint8_t sum;

	if (avail < ACPI_HEADER_SIZE) {
		if (!sig && avail >= 4)
			acpi_sig_string(name, buf);
		else
			snprintf(name, sizeof(name), "%s", sig ? sig : "????");
		acpi_problem(p, ACPI_ERR, name, 0,
			     "truncated: %zu bytes, a table header needs %d", avail, ACPI_HEADER_SIZE);
		return 0;
	}
	acpi_sig_string(name, buf);
	if (sig && memcmp(buf, sig, 4) != 0) {
		acpi_problem(p, ACPI_ERR, sig, 0, "signature: found \"%s\"", name);
		return 0;
	}
	len = acpi_get32(buf, 4);
	if (len < ACPI_HEADER_SIZE) {
		acpi_problem(p, ACPI_ERR, name, 4, "length: %u is shorter than the %d-byte header",
			     len, ACPI_HEADER_SIZE);
		return 0;
	}
	if (len > ACPI_MAX_TABLE_LEN) {
		acpi_problem(p, ACPI_ERR, name, 4, "length: %u is beyond the %u-byte limit",
			     len, ACPI_MAX_TABLE_LEN);
		return 0;
	}
	if (len > avail) {
		acpi_problem(p, ACPI_ERR, name, 4,
			     "length: %u is beyond the %zu bytes there (truncated table)", len, avail);
		return 0;
	}
	sum = acpi_checksum(buf, len);
	if (sum) {
		acpi_problem(p, ACPI_ERR, name, 9,
			     "checksum: bytes sum to 0x%02x, not 0 (checksum field 0x%02x)",
			     sum, acpi_get8(buf, 9));
		return 0;
	}
	return len;
}

/* ---- RSDP ---- */

int acpi_rsdp_check(const void *rsdp, size_t len, struct acpi_problems *p)
{
	uint8_t rev;
	uint32_t xlen;

	if (len < ACPI_RSDP_V1_SIZE) {
		acpi_problem(p, ACPI_ERR, "RSDP", 0, "truncated: %zu bytes, needs %d",
			     len, ACPI_RSDP_V1_SIZE);
		return -EINVAL;
	}
	if (memcmp(rsdp, "RSD PTR ", 8) != 0) {
		acpi_problem(p, ACPI_ERR, "RSDP", 0, "signature: not \"RSD PTR \"");
		return -EINVAL;
	}
	if (acpi_checksum(rsdp, ACPI_RSDP_V1_SIZE)) {
		acpi_problem(p, ACPI_ERR, "RSDP", 8, "checksum: the first 20 bytes sum to 0x%02x, not 0",
			     acpi_checksum(rsdp, ACPI_RSDP_V1_SIZE));
		return -EINVAL;
	}
	rev = acpi_get8(rsdp, 15);
	if (rev < 2)
		return 0;
	if (len < ACPI_RSDP_V2_SIZE) {
		acpi_problem(p, ACPI_ERR, "RSDP", 15, "revision %u needs %d bytes, only %zu there",
			     rev, ACPI_RSDP_V2_SIZE, len);
		return -EINVAL;
	}
	xlen = acpi_get32(rsdp, 20);
	if (xlen < ACPI_RSDP_V2_SIZE || xlen > len) {
		acpi_problem(p, ACPI_ERR, "RSDP", 20, "length: %u, expected %d..%zu",
			     xlen, ACPI_RSDP_V2_SIZE, len);
		return -EINVAL;
	}
	if (acpi_checksum(rsdp, xlen)) {
		acpi_problem(p, ACPI_ERR, "RSDP", 32, "extended checksum: %u bytes sum to 0x%02x, not 0",
			     xlen, acpi_checksum(rsdp, xlen));
		return -EINVAL;
	}
	return 0;
}

long acpi_rsdp_scan(const void *buf, size_t len)
{
	const uint8_t *b = buf;

	for (size_t off = 0; off + ACPI_RSDP_V1_SIZE <= len; off += 16) {
		if (memcmp(b + off, "RSD PTR ", 8) != 0)
			continue;
		if (acpi_checksum(b + off, ACPI_RSDP_V1_SIZE) == 0)
			return (long)off;
	}
	return -1;
}

/* ---- discovery ---- */

/*
 * Map and check the table at @phys; fill @d. @expect names the signature
 * wanted (or NULL). @who says where the address came from, for messages.
 */
static int probe_table(const struct acpi_phys_ops *ops, phys_addr_t phys, const char *expect,
		       const char *who, struct acpi_table_desc *d, struct acpi_problems *p)
{
	const void *hdr, *tbl;
	uint32_t len;
	char where[48];

	memset(d, 0, sizeof(*d));
	d->address = phys;
	snprintf(d->signature, sizeof(d->signature), "%s", expect ? expect : "????");
	snprintf(where, sizeof(where), "%s@0x%llx", who, (unsigned long long)phys);

	if (!phys) {
		acpi_problem(p, ACPI_ERR, who, ACPI_NO_OFFSET, "table address is 0");
		return -EINVAL;
	}
	hdr = ops->map(ops->ctx, phys, ACPI_HEADER_SIZE);
	if (!hdr) {
		acpi_problem(p, ACPI_ERR, where, ACPI_NO_OFFSET, "cannot map the table header");
		return -EINVAL;
	}
	acpi_sig_string(d->signature, hdr);
	acpi_copy_id(d->oem_id, (const uint8_t *)hdr + 10, 6);
	acpi_copy_id(d->oem_table_id, (const uint8_t *)hdr + 16, 8);
	d->revision = acpi_get8(hdr, 8);
	len = acpi_get32(hdr, 4);
	d->length = len;
	ops->unmap(ops->ctx, hdr, ACPI_HEADER_SIZE);

	snprintf(where, sizeof(where), "%s@0x%llx", d->signature, (unsigned long long)phys);
	if (expect && memcmp(d->signature, expect, 4) != 0) {
		acpi_problem(p, ACPI_ERR, where, 0, "signature: %s points here for a %s", who, expect);
		return -EINVAL;
	}
	if (len < ACPI_HEADER_SIZE || len > ACPI_MAX_TABLE_LEN) {
		acpi_problem(p, ACPI_ERR, where, 4, "length: %u is outside %d..%u; table skipped",
			     len, ACPI_HEADER_SIZE, ACPI_MAX_TABLE_LEN);
		return -EINVAL;
	}
	if (phys + len < phys) {
		acpi_problem(p, ACPI_ERR, where, 4, "length: %u wraps the address space", len);
		return -EINVAL;
	}
	tbl = ops->map(ops->ctx, phys, len);
	if (!tbl) {
		acpi_problem(p, ACPI_ERR, where, 4, "cannot map %u bytes (length beyond the memory there?)",
			     len);
		return -EINVAL;
	}
	d->checksum_ok = acpi_checksum(tbl, len) == 0;
	ops->unmap(ops->ctx, tbl, len);
	if (!d->checksum_ok) {
		acpi_problem(p, ACPI_ERR, where, 9, "checksum: %u bytes do not sum to 0; table skipped", len);
		return -EINVAL;
	}
	d->valid = true;
	return 0;
}

static void add_table(struct acpi_tables *t, const struct acpi_table_desc *d, struct acpi_problems *p)
{
	for (unsigned int i = 0; i < t->count; i++) {
		if (t->table[i].address == d->address) {
			acpi_problem(p, ACPI_WARN, t->root.signature, ACPI_NO_OFFSET,
				     "%s at 0x%llx is listed twice; second entry ignored",
				     d->signature, (unsigned long long)d->address);
			return;
		}
	}
	if (t->count >= ACPI_MAX_TABLES) {
		acpi_problem(p, ACPI_ERR, t->root.signature, ACPI_NO_OFFSET,
			     "more than %d tables; %s at 0x%llx and later ones ignored",
			     ACPI_MAX_TABLES, d->signature, (unsigned long long)d->address);
		return;
	}
	t->table[t->count++] = *d;
}

/* The FADT names the DSDT and FACS, which no root table lists. */
static void add_fadt_children(struct acpi_tables *t, const struct acpi_phys_ops *ops,
			      const struct acpi_table_desc *fadt, struct acpi_problems *p)
{
	struct acpi_table_desc d;
	const void *f = acpi_map_table(ops, fadt);
	uint64_t dsdt = 0, facs = 0;

	if (!f)
		return;
	if (fadt->length >= 44) {
		facs = acpi_get32(f, 36);
		dsdt = acpi_get32(f, 40);
	}
	if (fadt->length >= 140 + 8 && acpi_get64(f, 140))
		dsdt = acpi_get64(f, 140);
	if (fadt->length >= 132 + 8 && acpi_get64(f, 132))
		facs = acpi_get64(f, 132);
	acpi_unmap_table(ops, fadt, f);

	if (dsdt) {
		probe_table(ops, dsdt, "DSDT", "FADT.DSDT", &d, p);
		add_table(t, &d, p);	/* listed even when invalid, so `acpi` shows it */
	}
	if (facs) {
		/* The FACS has no checksum and a 4-byte-longer-than-header layout of its own. */
		const void *h = ops->map(ops->ctx, facs, 8);

		memset(&d, 0, sizeof(d));
		d.address = facs;
		if (h) {
			acpi_sig_string(d.signature, h);
			d.length = acpi_get32(h, 4);
			d.valid = memcmp(h, "FACS", 4) == 0 && d.length >= 64;
			d.checksum_ok = d.valid;
			ops->unmap(ops->ctx, h, 8);
		}
		if (!d.valid)
			acpi_problem(p, ACPI_WARN, "FACS", ACPI_NO_OFFSET,
				     "FADT names a FACS at 0x%llx that does not look like one",
				     (unsigned long long)facs);
		add_table(t, &d, p);
	}
}

/* Put override @o in the place of the firmware's table it names, or add it. */
static void apply_override(struct acpi_tables *t, const struct acpi_phys_ops *ops,
			   const struct acpi_override *o, struct acpi_problems *p)
{
	struct acpi_table_desc d, *fw = NULL;

	if (probe_table(ops, o->address, o->signature, o->origin, &d, p)) {
		acpi_problem(p, ACPI_ERR, o->origin, ACPI_NO_OFFSET,
			     "%s override unusable at 0x%llx; the firmware's table is kept",
			     o->signature, (unsigned long long)o->address);
		return;
	}
	d.source = ACPI_TABLE_REPLACED;
	snprintf(d.origin, sizeof(d.origin), "%s", o->origin);
	for (unsigned int i = 0; i < t->count && !fw; i++) {
		struct acpi_table_desc *e = &t->table[i];

		if (e->source == ACPI_TABLE_FIRMWARE && !memcmp(e->signature, o->signature, 4) &&
		    (memcmp(o->signature, "SSDT", 4) || !strcmp(e->oem_table_id, o->oem_table_id)))
			fw = e;
	}
	if (fw) {
		*fw = d;
		t->replaced++;
		return;
	}
	if (t->count >= ACPI_MAX_TABLES) {
		acpi_problem(p, ACPI_ERR, o->origin, ACPI_NO_OFFSET,
			     "%s cannot be added: already %d tables", o->signature, ACPI_MAX_TABLES);
		return;
	}
	d.source = ACPI_TABLE_ADDED;
	t->table[t->count++] = d;
	t->added++;
}

static void apply_overrides(struct acpi_tables *t, const struct acpi_phys_ops *ops,
			    const struct acpi_override_set *ov, bool dsdt, struct acpi_problems *p)
{
	for (unsigned int i = 0; ov && i < ov->count; i++)
		if (!memcmp(ov->ov[i].signature, "DSDT", 4) == dsdt)
			apply_override(t, ops, &ov->ov[i], p);
}

int acpi_tables_init(struct acpi_tables *t, const struct acpi_phys_ops *ops,
		     const void *rsdp, size_t rsdp_len, phys_addr_t rsdp_phys,
		     struct acpi_problems *p)
{
	return acpi_tables_init_override(t, ops, rsdp, rsdp_len, rsdp_phys, NULL, p);
}

int acpi_tables_init_override(struct acpi_tables *t, const struct acpi_phys_ops *ops,
			      const void *rsdp, size_t rsdp_len, phys_addr_t rsdp_phys,
			      const struct acpi_override_set *ov, struct acpi_problems *p)
{
	phys_addr_t root_phys;
	const void *root;
	unsigned int entry_size, n;

	memset(t, 0, sizeof(*t));
	if (acpi_rsdp_check(rsdp, rsdp_len, p))
		return -EINVAL;
	t->rsdp_address = rsdp_phys;
	t->rsdp_revision = acpi_get8(rsdp, 15);
	acpi_copy_id(t->rsdp_oem_id, (const uint8_t *)rsdp + 9, 6);

	/* An XSDT only when the RSDP is 2.0+ and names one; QEMU's BIOS path has only an RSDT. */
	if (t->rsdp_revision >= 2 && acpi_get64(rsdp, 24)) {
		t->use_xsdt = true;
		root_phys = acpi_get64(rsdp, 24);
		if (probe_table(ops, root_phys, "XSDT", "RSDP.XsdtAddress", &t->root, p)) {
			if (!acpi_get32(rsdp, 16))
				return -EINVAL;
			acpi_problem(p, ACPI_WARN, "RSDP", 24, "XSDT unusable; falling back to the RSDT");
			t->use_xsdt = false;
		}
	}
	if (!t->use_xsdt) {
		root_phys = acpi_get32(rsdp, 16);
		if (probe_table(ops, root_phys, "RSDT", "RSDP.RsdtAddress", &t->root, p))
			return -EINVAL;
	}

	root = acpi_map_table(ops, &t->root);
	if (!root)
		return -EINVAL;
	entry_size = t->use_xsdt ? 8 : 4;
	if ((t->root.length - ACPI_HEADER_SIZE) % entry_size)
		acpi_problem(p, ACPI_WARN, t->root.signature, 4,
			     "length: %u leaves a partial %u-byte entry at the end; ignored",
			     t->root.length, entry_size);
	n = (t->root.length - ACPI_HEADER_SIZE) / entry_size;
	for (unsigned int i = 0; i < n; i++) {
		size_t off = ACPI_HEADER_SIZE + (size_t)i * entry_size;
		uint64_t addr = t->use_xsdt ? acpi_get64(root, off) : acpi_get32(root, off);
		struct acpi_table_desc d;
		char who[24];

		snprintf(who, sizeof(who), "%s[%u]", t->root.signature, i);
		if (!addr) {
			acpi_problem(p, ACPI_WARN, t->root.signature, off, "entry %u: address 0; skipped", i);
			continue;
		}
		probe_table(ops, addr, NULL, who, &d, p);
		add_table(t, &d, p);
	}
	acpi_unmap_table(ops, &t->root, root);

	apply_overrides(t, ops, ov, false, p);	/* a new FADT names the DSDT and FACS */
	for (unsigned int i = 0; i < t->count; i++) {
		if (t->table[i].valid && !memcmp(t->table[i].signature, "FACP", 4)) {
			add_fadt_children(t, ops, &t->table[i], p);
			break;
		}
	}
	apply_overrides(t, ops, ov, true, p);
	return 0;
}

const struct acpi_table_desc *acpi_find_table(const struct acpi_tables *t,
					      const char *sig, unsigned int instance)
{
	for (unsigned int i = 0; i < t->count; i++) {
		if (!t->table[i].valid || memcmp(t->table[i].signature, sig, 4) != 0)
			continue;
		if (instance-- == 0)
			return &t->table[i];
	}
	return NULL;
}

const void *acpi_map_table(const struct acpi_phys_ops *ops, const struct acpi_table_desc *d)
{
	return ops->map(ops->ctx, d->address, d->length);
}

void acpi_unmap_table(const struct acpi_phys_ops *ops, const struct acpi_table_desc *d,
		      const void *virt)
{
	ops->unmap(ops->ctx, virt, d->length);
}
