/* SPDX-License-Identifier: MIT */
/*
 * DOC: slit.h - the SLIT: relative distances between proximity domains
 *
 * The matrix is indexed by proximity domain ("locality"), row = from,
 * column = to. 10 means local; 255 means unreachable.
 */
#ifndef HOTMM_DRIVERS_ACPI_SLIT_H
#define HOTMM_DRIVERS_ACPI_SLIT_H

#include "drivers/acpi/acpi.h"

#define ACPI_MAX_LOCALITIES	64	/* = MAX_NUMNODES: more domains than nodes are refused anyway */
#define LOCAL_DISTANCE		10
#define REMOTE_DISTANCE		20

struct acpi_slit_info {
	unsigned int localities;
	uint8_t dist[ACPI_MAX_LOCALITIES][ACPI_MAX_LOCALITIES];
	bool valid;		/* the checks Linux's slit_valid() makes passed */
};

/*
 * Parse a SLIT of @len bytes: header, a 64-bit locality count, then the
 * count-squared byte matrix, which must fit in the table. The matrix must be
 * 10 on the diagonal and more than 10 elsewhere, or (as in Linux) the SLIT
 * is not used: out->valid stays false and the reason is recorded.
 * Returns 0 when parsed (check out->valid), -EINVAL when unreadable.
 */
int acpi_parse_slit(const void *table, size_t len, struct acpi_slit_info *out,
		    struct acpi_problems *p);

void acpi_slit_show(const struct acpi_slit_info *s, acpi_print_fn pr);

#endif
