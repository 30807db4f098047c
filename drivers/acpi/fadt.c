/* SPDX-License-Identifier: MIT */
/*
 * DOC: fadt.c - parse the FADT into struct acpi_fadt_info
 *
 * The FADT grew over the ACPI revisions; a field is read only when the
 * table's length covers it (a revision-1 FADT, as QEMU's `pc` builds, is 116
 * bytes and has no X_ fields). Offsets are those of ACPI 6.5, 5.2.9.
 * Nothing here hard-codes a machine's values: QEMU `pc` puts GPE0 at 0xafe0
 * and `q35` at 0x620, and the tests check both come out of the table.
 */
#include <errno.h>
#include <string.h>

#include "drivers/acpi/fadt.h"
#include "kernel/printk.h"

struct fadt_block_layout {
	const char *name;
	size_t legacy_off;	/* 32-bit address */
	size_t len_off;		/* its length byte */
	size_t x_off;		/* 64-bit GAS */
	size_t info_off;	/* offsetof(struct acpi_fadt_info, block) */
};

static const struct fadt_block_layout blocks[] = {
	{ "PM1a_EVT_BLK", 56, 88, 148, offsetof(struct acpi_fadt_info, pm1a_evt) },
	{ "PM1b_EVT_BLK", 60, 88, 160, offsetof(struct acpi_fadt_info, pm1b_evt) },
	{ "PM1a_CNT_BLK", 64, 89, 172, offsetof(struct acpi_fadt_info, pm1a_cnt) },
	{ "PM1b_CNT_BLK", 68, 89, 184, offsetof(struct acpi_fadt_info, pm1b_cnt) },
	{ "PM_TMR_BLK",   76, 91, 208, offsetof(struct acpi_fadt_info, pm_tmr) },
	{ "GPE0_BLK",     80, 92, 220, offsetof(struct acpi_fadt_info, gpe0) },
	{ "GPE1_BLK",     84, 93, 232, offsetof(struct acpi_fadt_info, gpe1) },
};

static void read_block(const uint8_t *t, uint32_t tlen, const struct fadt_block_layout *l,
		       struct acpi_fadt_block *b, struct acpi_problems *p)
{
	uint32_t legacy = acpi_get32(t, l->legacy_off);
	uint8_t legacy_len = acpi_get8(t, l->len_off);

	b->space_id = ACPI_ADR_SPACE_SYSTEM_IO;
	b->address = legacy;
	b->length = legacy ? legacy_len : 0;
	if (tlen >= l->x_off + 12) {
		uint8_t space = acpi_get8(t, l->x_off);
		uint8_t bits = acpi_get8(t, l->x_off + 1);
		uint64_t x = acpi_get64(t, l->x_off + 4);

		if (!x)
			return;
		if (legacy && x != legacy)
			acpi_problem(p, ACPI_WARN, "FACP", l->x_off + 4, "X_%s: 0x%llx differs from the 32-bit "
				     "%s 0x%x; using the 64-bit one", l->name, (unsigned long long)x,
				     l->name, legacy);
		b->space_id = space;
		b->address = x;
		/* Firmware often leaves the GAS width 0 or wrong for PM1/GPE: keep the legacy length then. */
		b->length = bits && (!legacy_len || bits / 8 == legacy_len) ? bits / 8 : legacy_len;
	}
}

int acpi_parse_fadt(const void *table, size_t len, struct acpi_fadt_info *out,
		    struct acpi_problems *p)
{
	const uint8_t *t = table;
	uint32_t tlen;

	memset(out, 0, sizeof(*out));
	tlen = acpi_table_check(table, len, "FACP", p);
	if (!tlen)
		return -EINVAL;
	if (tlen < ACPI_FADT_V1_SIZE) {
		acpi_problem(p, ACPI_ERR, "FACP", 4, "length: %u, even a revision-1 FADT is %d",
			     tlen, ACPI_FADT_V1_SIZE);
		return -EINVAL;
	}
	out->revision = acpi_get8(t, 8);
	out->length = tlen;
	out->facs = acpi_get32(t, 36);
	out->dsdt = acpi_get32(t, 40);
	out->sci_int = acpi_get16(t, 46);
	out->smi_cmd = acpi_get32(t, 48);
	out->acpi_enable = acpi_get8(t, 52);
	out->acpi_disable = acpi_get8(t, 53);
	out->gpe1_base = acpi_get8(t, 94);
	out->iapc_boot_arch = acpi_get16(t, 109);
	out->flags = acpi_get32(t, 112);
	out->hw_reduced = out->flags & ACPI_FADT_HW_REDUCED;

	if (tlen >= 140 && acpi_get64(t, 132))
		out->facs = acpi_get64(t, 132);
	if (tlen >= 148 && acpi_get64(t, 140)) {
		uint64_t x = acpi_get64(t, 140);

		if (out->dsdt && out->dsdt != x)
			acpi_problem(p, ACPI_WARN, "FACP", 140, "X_DSDT: 0x%llx differs from DSDT 0x%llx; "
				     "using X_DSDT", (unsigned long long)x, (unsigned long long)out->dsdt);
		out->dsdt = x;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(blocks); i++)
		read_block(t, tlen, &blocks[i], (struct acpi_fadt_block *)((char *)out + blocks[i].info_off), p);

	if (!out->dsdt)
		acpi_problem(p, ACPI_ERR, "FACP", 40, "DSDT: address 0");
	if (!out->hw_reduced) {
		if (!out->pm1a_evt.address)
			acpi_problem(p, ACPI_ERR, "FACP", 56, "PM1a_EVT_BLK: 0 on a machine that is not "
				     "hardware-reduced");
		else if (out->pm1a_evt.length < 4)
			acpi_problem(p, ACPI_WARN, "FACP", 88, "PM1_EVT_LEN: %u, at least 4 expected",
				     out->pm1a_evt.length);
		if (!out->pm1a_cnt.address)
			acpi_problem(p, ACPI_ERR, "FACP", 64, "PM1a_CNT_BLK: 0 on a machine that is not "
				     "hardware-reduced");
	}
	if (out->gpe0.address && (out->gpe0.length == 0 || out->gpe0.length % 2))
		acpi_problem(p, ACPI_WARN, "FACP", 92, "GPE0_BLK_LEN: %u, must be a non-zero multiple of 2",
			     out->gpe0.length);
	return 0;
}

static void show_block(const char *name, const struct acpi_fadt_block *b, acpi_print_fn pr)
{
	if (!b->address)
		return;
	pr("  %-13s %s 0x%llx, %u bytes\n", name,
	       b->space_id == ACPI_ADR_SPACE_SYSTEM_IO ? "io " :
	       b->space_id == ACPI_ADR_SPACE_SYSTEM_MEMORY ? "mem" : "???",
	       (unsigned long long)b->address, b->length);
}

void acpi_fadt_show(const struct acpi_fadt_info *f, acpi_print_fn pr)
{
	pr("FADT revision %u, %u bytes%s: DSDT 0x%llx FACS 0x%llx\n", f->revision, f->length,
	       f->hw_reduced ? " (hardware-reduced)" : "", (unsigned long long)f->dsdt,
	       (unsigned long long)f->facs);
	pr("  SCI_INT %u, SMI_CMD 0x%x, ACPI_ENABLE 0x%x, ACPI_DISABLE 0x%x, flags 0x%x\n",
	       f->sci_int, f->smi_cmd, f->acpi_enable, f->acpi_disable, f->flags);
	show_block("PM1a_EVT_BLK", &f->pm1a_evt, pr);
	show_block("PM1b_EVT_BLK", &f->pm1b_evt, pr);
	show_block("PM1a_CNT_BLK", &f->pm1a_cnt, pr);
	show_block("PM1b_CNT_BLK", &f->pm1b_cnt, pr);
	show_block("PM_TMR_BLK", &f->pm_tmr, pr);
	show_block("GPE0_BLK", &f->gpe0, pr);
	show_block("GPE1_BLK", &f->gpe1, pr);
}
