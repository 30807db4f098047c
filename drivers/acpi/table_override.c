/* SPDX-License-Identifier: MIT */
/*
 * DOC: table_override.c - checking boot modules that carry ACPI tables
 *
 * Owns the reading of one module (raw table or cpio "newc" archive) into
 * accepted overrides; see table_override.h. Every read is bounded by the
 * module's length, and every message names the module ("module N (STRING)"),
 * the byte offset in it and the field that is wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/acpi/table_override.h"

/*
 * Tables an override may replace or add: those Linux's initrd upgrade takes
 * (its table_sigs), less the FACS, which has no checksum to check.
 */
static const char *const override_sigs[] = {
	"APIC", "BERT", "BGRT", "BOOT", "CEDT", "CPEP", "CSRT", "DBG2", "DBGP", "DMAR", "DSDT",
	"ECDT", "EINJ", "ERST", "FACP", "FPDT", "GTDT", "HEST", "HMAT", "HPET", "IBFT", "IORT",
	"IVRS", "LPIT", "MCFG", "MCHI", "MSCT", "NFIT", "PCCT", "PHAT", "PPTT", "PRMT", "RASF",
	"SBST", "SDEV", "SLIC", "SLIT", "SPCR", "SPMI", "SRAT", "SSDT", "STAO", "TCPA", "TPM2",
	"UEFI", "WAET", "WDAT", "WDDT", "WDRT", "WPBT", "WSMT", "XENV",
};

bool acpi_override_sig_known(const char *sig)
{
	for (size_t i = 0; i < ARRAY_SIZE(override_sigs); i++)
		if (!memcmp(sig, override_sigs[i], 4))
			return true;
	return false;
}

struct module_ctx {
	const uint8_t *base;
	size_t len;
	phys_addr_t phys;
	char who[ACPI_OVERRIDE_ORIGIN_LEN];	/* "module N (STRING)" */
	struct acpi_problems *p;
	bool raw;				/* not a cpio archive */
	unsigned int count;			/* tables taken so far */
	struct acpi_override ov[ACPI_OVERRIDE_MAX];
	const struct acpi_override_set *set;
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/*
 * The signature a file name promises: acpixtract writes "srat.dat",
 * "ssdt2.dat"; iasl "nfit.aml". Four letters or digits, optional digits,
 * then a dot; any other name promises nothing. Returns false then.
 */
static bool name_sig(const char *name, char out[5])
{
	const char *base = strrchr(name, '/'), *s;

	base = base ? base + 1 : name;
	for (int i = 0; i < 4; i++) {
		char c = base[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
		out[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	out[4] = '\0';
	for (s = base + 4; *s >= '0' && *s <= '9'; s++)
		;
	return *s == '.';
}

/*
 * The table at [@off, @off + @avail) of the module, from a file named @name
 * ("" when unnamed); @name is "table" in messages about a raw module.
 */
static int take_table(struct module_ctx *m, size_t off, size_t avail, const char *fname,
		      bool exact)
{
	const char *name = m->raw ? "table" : fname;
	const uint8_t *t = m->base + off;
	char sig[5], want[5], oem_table_id[9];
	uint32_t len;
	uint8_t sum;

	if (avail < ACPI_HEADER_SIZE) {
		acpi_problem(m->p, ACPI_ERR, m->who, off, "%s: truncated: %zu bytes, a table header needs %d",
			     name, avail, ACPI_HEADER_SIZE);
		return -EINVAL;
	}
	acpi_sig_string(sig, t);
	if (!acpi_override_sig_known(sig)) {
		acpi_problem(m->p, ACPI_ERR, m->who, off, "%s: signature: \"%s\" is not a table that can "
			     "be overridden", name, sig);
		return -EINVAL;
	}
	if (name_sig(fname, want)) {
		bool same = true;

		for (int i = 0; i < 4; i++)
			same &= lower(want[i]) == lower(sig[i]);
		/* acpixtract names the MADT apic.dat and the FADT facp.dat: their signatures */
		if (!same) {
			acpi_problem(m->p, ACPI_ERR, m->who, off, "%s: signature: the table is \"%s\", "
				     "the file name says \"%s\"", name, sig, want);
			return -EINVAL;
		}
	}
	len = acpi_get32(t, 4);
	if (len < ACPI_HEADER_SIZE || len > ACPI_MAX_TABLE_LEN) {
		acpi_problem(m->p, ACPI_ERR, m->who, off + 4, "%s: length: %u is outside %d..%u",
			     name, len, ACPI_HEADER_SIZE, ACPI_MAX_TABLE_LEN);
		return -EINVAL;
	}
	if (len > avail) {
		acpi_problem(m->p, ACPI_ERR, m->who, off + 4, "%s: length: %u is beyond the %zu bytes "
			     "there (truncated table)", name, len, avail);
		return -EINVAL;
	}
	if (exact && len != avail) {
		acpi_problem(m->p, ACPI_ERR, m->who, off + 4, "%s: length: %u, but the file holds %zu "
			     "bytes", name, len, avail);
		return -EINVAL;
	}
	sum = acpi_checksum(t, len);
	if (sum) {
		acpi_problem(m->p, ACPI_ERR, m->who, off + 9, "%s: checksum: %u bytes sum to 0x%02x, "
			     "not 0 (checksum field 0x%02x)", name, len, sum, acpi_get8(t, 9));
		return -EINVAL;
	}
	acpi_copy_id(oem_table_id, t + 16, 8);
	/* Two overrides for one table: which wins would be an accident of order. */
	for (unsigned int i = 0; i < m->set->count + m->count; i++) {
		const struct acpi_override *o = i < m->set->count ? &m->set->ov[i]
								 : &m->ov[i - m->set->count];

		if (memcmp(o->signature, sig, 4) ||
		    (!memcmp(sig, "SSDT", 4) && strcmp(o->oem_table_id, oem_table_id)))
			continue;
		acpi_problem(m->p, ACPI_ERR, m->who, off, "%s: signature: %s already comes from %s",
			     name, sig, o->origin);
		return -EINVAL;
	}
	if (m->set->count + m->count >= ACPI_OVERRIDE_MAX) {
		acpi_problem(m->p, ACPI_ERR, m->who, off, "%s: more than the %d tables overrides may "
			     "carry", name, ACPI_OVERRIDE_MAX);
		return -EINVAL;
	}
	{
		struct acpi_override *o = &m->ov[m->count++];

		memset(o, 0, sizeof(*o));
		memcpy(o->signature, sig, 5);
		memcpy(o->oem_table_id, oem_table_id, sizeof(o->oem_table_id));
		o->address = m->phys + off;
		o->length = len;
		snprintf(o->origin, sizeof(o->origin), "%s", m->who);
	}
	return 0;
}

static const char *const cpio_fields[] = {
	"c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime", "c_filesize",
	"c_devmajor", "c_devminor", "c_rdevmajor", "c_rdevminor", "c_namesize", "c_check",
};
enum { CPIO_MODE = 1, CPIO_FILESIZE = 6, CPIO_NAMESIZE = 11, CPIO_NR_FIELDS = 13 };
#define CPIO_S_IFMT	0170000
#define CPIO_S_IFREG	0100000
#define CPIO_TRAILER	"TRAILER!!!"
#define CPIO_NAME_MAX	256

static bool is_cpio(const uint8_t *b, size_t len)
{
	return len >= 6 && (!memcmp(b, "070701", 6) || !memcmp(b, "070702", 6));
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

static int parse_cpio(struct module_ctx *m)
{
	size_t off = 0;

	for (;;) {
		const uint8_t *h = m->base + off;
		uint32_t f[CPIO_NR_FIELDS];
		char name[CPIO_NAME_MAX];
		size_t data, namesize, filesize;
		const char *path;

		if (m->len - off < CPIO_NEWC_HEADER_SIZE) {
			acpi_problem(m->p, ACPI_ERR, m->who, off, "cpio header: truncated: %zu bytes left, "
				     "a header needs %d (no " CPIO_TRAILER " entry)", m->len - off,
				     CPIO_NEWC_HEADER_SIZE);
			return -EINVAL;
		}
		if (!is_cpio(h, 6)) {
			acpi_problem(m->p, ACPI_ERR, m->who, off, "cpio header: c_magic is not \"070701\" "
				     "or \"070702\" (only the newc format is read)");
			return -EINVAL;
		}
		for (int i = 0; i < CPIO_NR_FIELDS; i++) {
			uint32_t v = 0;

			for (int j = 0; j < 8; j++) {
				int c = h[6 + i * 8 + j], d;

				if (c >= '0' && c <= '9')
					d = c - '0';
				else if (lower(c) >= 'a' && lower(c) <= 'f')
					d = lower(c) - 'a' + 10;
				else {
					acpi_problem(m->p, ACPI_ERR, m->who, off + 6 + (size_t)i * 8,
						     "cpio header: %s: byte %d is not a hex digit",
						     cpio_fields[i], j);
					return -EINVAL;
				}
				v = v << 4 | (uint32_t)d;
			}
			f[i] = v;
		}
		namesize = f[CPIO_NAMESIZE];
		filesize = f[CPIO_FILESIZE];
		if (namesize < 2 || namesize > CPIO_NAME_MAX) {
			acpi_problem(m->p, ACPI_ERR, m->who, off + 6 + CPIO_NAMESIZE * 8,
				     "cpio header: c_namesize: %zu is outside 2..%d", namesize, CPIO_NAME_MAX);
			return -EINVAL;
		}
		if (namesize > m->len - off - CPIO_NEWC_HEADER_SIZE) {
			acpi_problem(m->p, ACPI_ERR, m->who, off + 6 + CPIO_NAMESIZE * 8,
				     "cpio header: c_namesize: %zu runs past the end of the module", namesize);
			return -EINVAL;
		}
		memcpy(name, h + CPIO_NEWC_HEADER_SIZE, namesize);
		if (name[namesize - 1] != '\0' || memchr(name, '\0', namesize - 1)) {
			acpi_problem(m->p, ACPI_ERR, m->who, off + CPIO_NEWC_HEADER_SIZE,
				     "cpio name: not %zu bytes ending in its only NUL (c_namesize)", namesize);
			return -EINVAL;
		}
		data = align4(off + CPIO_NEWC_HEADER_SIZE + namesize);
		if (data > m->len || filesize > m->len - data) {
			acpi_problem(m->p, ACPI_ERR, m->who, off + 6 + CPIO_FILESIZE * 8,
				     "cpio header: c_filesize: %s: %zu bytes run past the end of the module "
				     "(truncated archive)", name, filesize);
			return -EINVAL;
		}
		if (!strcmp(name, CPIO_TRAILER))
			return 0;
		path = name;
		if (!strncmp(path, "./", 2))
			path += 2;
		/* Other files may share the archive (as in an initrd): only this folder is ours. */
		if ((f[CPIO_MODE] & CPIO_S_IFMT) == CPIO_S_IFREG &&
		    !strncmp(path, ACPI_OVERRIDE_CPIO_DIR, strlen(ACPI_OVERRIDE_CPIO_DIR)) &&
		    take_table(m, data, filesize, path, true))
			return -EINVAL;
		off = align4(data + filesize);
		if (off > m->len)
			off = m->len;	/* the last file's padding may be missing; the header check says so */
	}
}

int acpi_override_parse_module(struct acpi_override_set *set, const void *mod, size_t len,
			       phys_addr_t phys, unsigned int index, const char *string,
			       struct acpi_problems *p)
{
	static struct module_ctx m;	/* ~1.5 KiB: off the small boot stack */
	int ret;

	memset(&m, 0, sizeof(m));
	m.base = mod;
	m.len = len;
	m.phys = phys;
	m.p = p;
	m.set = set;
	if (string && string[0])
		snprintf(m.who, sizeof(m.who), "module %u (%.30s)", index, string);
	else
		snprintf(m.who, sizeof(m.who), "module %u", index);

	m.raw = !is_cpio(m.base, len);
	if (m.raw)
		ret = take_table(&m, 0, len, string ? string : "", true);
	else
		ret = parse_cpio(&m);
	if (ret) {
		acpi_problem(p, ACPI_ERR, m.who, ACPI_NO_OFFSET,
			     "refused whole: no table of it is used, the firmware's stay");
		set->refused++;
		return -EINVAL;
	}
	if (!m.count && !m.raw)
		acpi_problem(p, ACPI_WARN, m.who, ACPI_NO_OFFSET,
			     "cpio archive without files under " ACPI_OVERRIDE_CPIO_DIR "; nothing taken");
	memcpy(&set->ov[set->count], m.ov, m.count * sizeof(m.ov[0]));
	set->count += m.count;
	if (m.count)
		set->modules++;
	return (int)m.count;
}
