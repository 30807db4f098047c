/* SPDX-License-Identifier: MIT */
/*
 * DOC: acpi.h - what every ACPI table parser shares
 *
 * The parsers in drivers/acpi/ read table bytes that firmware wrote and
 * never trust them: every field is read through the bounds-checked helpers
 * below, every length is checked against the bytes actually there, and
 * whatever is wrong is recorded as a problem that names the table, the byte
 * offset, the field and what was wrong. The same sources build into the
 * kernel and, unchanged, into host tests, fuzzers and tools/acpi-decode
 * (-DHOTMM_HOST): nothing here maps memory or allocates.
 *
 * Problems come in two levels: a warning means the entry was skipped or
 * repaired the way Linux would, and what was built is still right; an error
 * means the table (or the part named) could not be used as written.
 */
#ifndef HOTMM_DRIVERS_ACPI_ACPI_H
#define HOTMM_DRIVERS_ACPI_ACPI_H

#include "lib/compiler.h"
#include <string.h>

#define ACPI_HEADER_SIZE	36
/* No sane table is this big (real DSDTs stay well under 1 MiB). */
#define ACPI_MAX_TABLE_LEN	(4u << 20)

/* The common header of every table but the RSDP and FACS. */
struct acpi_table_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char asl_compiler_id[4];
	uint32_t asl_compiler_revision;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_table_header) != ACPI_HEADER_SIZE);

/* Generic Address Structure (FADT X_ blocks). */
struct acpi_generic_address {
	uint8_t space_id;	/* ACPI_ADR_SPACE_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_width;
	uint64_t address;
} __packed;
BUILD_BUG_ON(sizeof(struct acpi_generic_address) != 12);

#define ACPI_ADR_SPACE_SYSTEM_MEMORY	0
#define ACPI_ADR_SPACE_SYSTEM_IO	1

/*
 * Where the show functions print: shell_printf in the kernel's shell (the
 * console, whatever the loglevel), printf in tools/acpi-decode.
 */
typedef int (*acpi_print_fn)(const char *fmt, ...) __printf(1, 2);

/* ---- problems found in tables ---- */

enum acpi_problem_level {
	ACPI_WARN,	/* skipped or repaired; the result is still right */
	ACPI_ERR,	/* the table or entry named cannot be used as written */
};

#define ACPI_MAX_PROBLEMS	48
#define ACPI_PROBLEM_LEN	176

struct acpi_problem {
	enum acpi_problem_level level;
	char msg[ACPI_PROBLEM_LEN];
};

struct acpi_problems {
	unsigned int count;	/* kept in problem[] */
	unsigned int dropped;	/* found after problem[] was full */
	unsigned int errors;	/* all errors found, kept or dropped */
	unsigned int warnings;
	struct acpi_problem problem[ACPI_MAX_PROBLEMS];
};

/*
 * Record one problem: "SIG+0xOFFSET: what" and print it (KERN_WARNING or
 * KERN_ERR, prefixed "ACPI: "). @p may be NULL: then it is only printed.
 * Pass offset ACPI_NO_OFFSET when no byte offset applies.
 */
#define ACPI_NO_OFFSET	((size_t)-1)
void acpi_problem(struct acpi_problems *p, enum acpi_problem_level level,
		  const char *table, size_t offset, const char *fmt, ...) __printf(5, 6);
void acpi_problems_reset(struct acpi_problems *p);
/* True when some message kept in @p contains @needle (tests, decoder). */
bool acpi_problems_contain(const struct acpi_problems *p, const char *needle);

/* ---- bounded little-endian reads (x86 and the host are little-endian) ---- */

static inline uint8_t acpi_get8(const void *base, size_t off)
{
	return ((const uint8_t *)base)[off];
}

static inline uint16_t acpi_get16(const void *base, size_t off)
{
	uint16_t v;

	memcpy(&v, (const uint8_t *)base + off, sizeof(v));
	return v;
}

static inline uint32_t acpi_get32(const void *base, size_t off)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)base + off, sizeof(v));
	return v;
}

static inline uint64_t acpi_get64(const void *base, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)base + off, sizeof(v));
	return v;
}

/* Sum of @len bytes modulo 256: zero for a table whose checksum is right. */
uint8_t acpi_checksum(const void *buf, size_t len);

/*
 * Check the header of a table held in @avail bytes at @buf: at least a
 * header, the signature (@sig, or any when NULL), a length field that is at
 * least a header, at most ACPI_MAX_TABLE_LEN and within @avail, and the
 * checksum over that length. Returns the table length, or 0 after recording
 * an error that names the check that failed. A wrong checksum is an error
 * too: Linux warns and goes on, but our tables come from firmware we are
 * meant to check, and a table that fails the sum fails it here.
 */
uint32_t acpi_table_check(const void *buf, size_t avail, const char *sig,
			  struct acpi_problems *p);

/*
 * Kernel entry (drivers/acpi/acpi_boot.c): find and parse the tables, set up
 * NUMA. @rsdp is the copy from the multiboot2 new/old RSDP tag, or NULL to
 * scan the EBDA and 0xE0000-0xFFFFF. Called by start_kernel once memblock
 * has the memory map and before the buddy allocator exists.
 */
void acpi_boot_init(const void *rsdp, size_t rsdp_len);

/*
 * Before it: the boot modules that carry ACPI tables (Linux's initrd table
 * upgrade, drivers/acpi/table_override.h) replace or add tables.
 */
struct mb2_module;
void acpi_table_upgrade(const struct mb2_module *mods, unsigned int nr);

/* "ABCD" from 4 raw bytes, NUL-terminated, unprintable bytes as '?'. */
void acpi_sig_string(char out[5], const void *sig);
/* Copy a fixed-width OEM field, trimming trailing blanks and NULs. */
void acpi_copy_id(char *out, const void *in, size_t width);

#endif
