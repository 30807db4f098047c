/* SPDX-License-Identifier: MIT */
/*
 * DOC: slit.c - parse the SLIT into a distance matrix
 *
 * Layout: 36-byte header, number of localities (u64) at 36, then the
 * matrix at 44, row-major, one byte per entry. The count is checked before
 * it is squared, so a huge count cannot overflow the size computation.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/acpi/slit.h"
#include "kernel/printk.h"

#define SLIT_MATRIX_OFFSET	44

int acpi_parse_slit(const void *table, size_t len, struct acpi_slit_info *out,
		    struct acpi_problems *p)
{
	const uint8_t *t = table;
	uint32_t tlen;
	uint64_t n;

	memset(out, 0, sizeof(*out));
	tlen = acpi_table_check(table, len, "SLIT", p);
	if (!tlen)
		return -EINVAL;
	if (tlen < SLIT_MATRIX_OFFSET) {
		acpi_problem(p, ACPI_ERR, "SLIT", 4, "length: %u, the locality count alone ends at %d",
			     tlen, SLIT_MATRIX_OFFSET);
		return -EINVAL;
	}
	n = acpi_get64(t, 36);
	if (n == 0) {
		acpi_problem(p, ACPI_ERR, "SLIT", 36, "locality count: 0; SLIT not used");
		return -EINVAL;
	}
	if (n > ACPI_MAX_LOCALITIES) {
		acpi_problem(p, ACPI_ERR, "SLIT", 36, "locality count: %llu is more than %d (limit "
			     "ACPI_MAX_LOCALITIES); SLIT not used", (unsigned long long)n, ACPI_MAX_LOCALITIES);
		return -EINVAL;
	}
	if (SLIT_MATRIX_OFFSET + n * n > tlen) {
		acpi_problem(p, ACPI_ERR, "SLIT", 36, "locality count: %llu needs a %llu-byte matrix at "
			     "+0x2c, the table length %u leaves %u", (unsigned long long)n,
			     (unsigned long long)(n * n), tlen, tlen - SLIT_MATRIX_OFFSET);
		return -EINVAL;
	}
	if (SLIT_MATRIX_OFFSET + n * n < tlen)
		acpi_problem(p, ACPI_WARN, "SLIT", 4, "length: %u, %llu bytes after the matrix ignored",
			     tlen, (unsigned long long)(tlen - SLIT_MATRIX_OFFSET - n * n));

	out->localities = (unsigned int)n;
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = 0; j < n; j++)
			out->dist[i][j] = t[SLIT_MATRIX_OFFSET + i * n + j];

	out->valid = true;
	for (unsigned int i = 0; i < n && out->valid; i++) {
		for (unsigned int j = 0; j < n; j++) {
			uint8_t d = out->dist[i][j];

			if (i == j ? d != LOCAL_DISTANCE : d <= LOCAL_DISTANCE) {
				acpi_problem(p, ACPI_ERR, "SLIT", SLIT_MATRIX_OFFSET + i * n + j,
					     "distance[%u][%u] = %u: must be %s; SLIT not used", i, j, d,
					     i == j ? "10 (local)" : "more than 10 (remote)");
				out->valid = false;
				break;
			}
		}
	}
	return 0;
}

void acpi_slit_show(const struct acpi_slit_info *s, acpi_print_fn pr)
{
	char line[ACPI_MAX_LOCALITIES * 4 + 16];

	pr("SLIT: %u localities%s\n", s->localities, s->valid ? "" : " (invalid, not used)");
	for (unsigned int i = 0; i < s->localities; i++) {
		size_t n = 0;

		for (unsigned int j = 0; j < s->localities; j++)
			n += snprintf(line + n, sizeof(line) - n, " %3u", s->dist[i][j]);
		pr("  %3u:%s\n", i, line);
	}
}
