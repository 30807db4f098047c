/* SPDX-License-Identifier: MIT */
/*
 * DOC: load.c - read raw tables and acpidump text into a struct acpi_image
 *
 * The acpidump text layout: a header line "SIG @ 0x<address>" (the RSDP is
 * "RSDP" or "RSD PTR"), then lines "  <offset>: XX XX ... XX  <ascii>" with up
 * to 16 bytes each, then a blank line. The hex is read by column (byte
 * pairs each followed by a space, stopping at the double space before the
 * ASCII), so ASCII text that happens to look like hex is never taken for
 * data; each line's offset must follow on from the last.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/acpi-decode/load.h"

int acpi_image_add(struct acpi_image *img, const void *data, size_t len, uint64_t address,
		   bool has_address, const char *origin)
{
	struct acpi_blob *b;

	if (img->count >= ACPI_IMAGE_MAX_BLOBS)
		return -1;
	b = &img->blob[img->count];
	memset(b, 0, sizeof(*b));
	b->data = malloc(len ? len : 1);
	if (!b->data)
		return -1;
	memcpy(b->data, data, len);
	b->len = len;
	b->address = address;
	b->has_address = has_address;
	if (len >= 8 && !memcmp(data, "RSD PTR ", 8))
		memcpy(b->sig, "RSDP", 5);
	else if (len >= 4)
		acpi_sig_string(b->sig, data);
	else
		memcpy(b->sig, "????", 5);
	snprintf(b->origin, sizeof(b->origin), "%s", origin);
	img->count++;
	return 0;
}

void acpi_image_free(struct acpi_image *img)
{
	for (unsigned int i = 0; i < img->count; i++)
		free(img->blob[i].data);
	img->count = 0;
}

const struct acpi_blob *acpi_image_find(const struct acpi_image *img, const char *sig,
					unsigned int instance)
{
	for (unsigned int i = 0; i < img->count; i++)
		if (!strncmp(img->blob[i].sig, sig, 4) && instance-- == 0)
			return &img->blob[i];
	return NULL;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

static int flush_table(struct acpi_image *img, uint8_t *buf, size_t len, uint64_t addr,
		       const char *path, unsigned int line, char *err, size_t errlen)
{
	char origin[160];

	snprintf(origin, sizeof(origin), "%s:%u", path, line);
	if (acpi_image_add(img, buf, len, addr, true, origin)) {
		snprintf(err, errlen, "%s:%u: more than %d tables", path, line, ACPI_IMAGE_MAX_BLOBS);
		return -1;
	}
	return 0;
}

static int load_text(struct acpi_image *img, const char *path, const char *text, char *err, size_t errlen)
{
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	uint64_t addr = 0;
	bool in_table = false;
	unsigned int lineno = 0, start_line = 0;
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char line[512];
		const char *at;

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)min(n, sizeof(line) - 1), p);
		p += n + (eol ? 1 : 0);
		at = strstr(line, " @ 0x");
		if (at && !isspace((unsigned char)line[0])) {
			if (in_table && flush_table(img, buf, len, addr, path, start_line, err, errlen))
				goto fail;
			addr = strtoull(at + 5, NULL, 16);
			len = 0;
			in_table = true;
			start_line = lineno;
			continue;
		}
		if (!in_table)
			continue;
		{
			char *colon = strchr(line, ':');
			char *q;
			unsigned long off;
			unsigned int k;

			if (!colon)
				continue;	/* blank or comment line */
			off = strtoul(line, &q, 16);
			while (q < colon && isspace((unsigned char)*q))
				q++;
			if (q != colon)
				continue;
			if (off != len) {
				snprintf(err, errlen, "%s:%u: offset 0x%lx where 0x%zx was expected", path,
					 lineno, off, len);
				goto fail;
			}
			q = colon + 1;
			if (*q == ' ')
				q++;
			for (k = 0; k < 16; k++, q += 3) {
				int hi = hexval((unsigned char)q[0]), lo = hi < 0 ? -1 : hexval((unsigned char)q[1]);

				if (hi < 0 || lo < 0 || (q[2] != ' ' && q[2] != '\0' && q[2] != '\r'))
					break;
				if (len == cap) {
					cap = cap ? cap * 2 : 4096;
					buf = realloc(buf, cap);
					if (!buf) {
						snprintf(err, errlen, "out of memory");
						return -1;
					}
				}
				buf[len++] = (uint8_t)(hi << 4 | lo);
				if (q[2] != ' ')
					break;
			}
		}
	}
	if (in_table && flush_table(img, buf, len, addr, path, start_line, err, errlen))
		goto fail;
	if (!start_line) {
		snprintf(err, errlen, "%s: no \"SIG @ 0xADDRESS\" line: not an acpidump text", path);
		goto fail;
	}
	free(buf);
	return 0;
fail:
	free(buf);
	return -1;
}

static bool looks_like_dump(const uint8_t *d, size_t len)
{
	/* "APIC @ 0x" or "RSD PTR @ 0x" within the first line */
	const void *nl = memchr(d, '\n', len);
	size_t first = nl ? (size_t)((const uint8_t *)nl - d) : len;

	for (size_t i = 0; i + 5 <= first && i < 16; i++)
		if (!memcmp(d + i, " @ 0x", 5))
			return true;
	return false;
}

static int load_dir(struct acpi_image *img, const char *path, char *err, size_t errlen)
{
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort), rc = 0, loaded = 0;

	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);
		char sub[4096];

		if (rc == 0 && l > 4 && !strcmp(names[i]->d_name + l - 4, ".dat")) {
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			rc = acpi_image_load(img, sub, err, errlen);
			loaded++;
		}
		free(names[i]);
	}
	free(names);
	if (rc == 0 && !loaded) {
		snprintf(err, errlen, "%s: no .dat files in this folder", path);
		return -1;
	}
	return rc;
}

int acpi_image_load(struct acpi_image *img, const char *path, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	uint8_t *d;
	size_t len;
	int rc;

	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return load_dir(img, path, err, errlen);
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	len = (size_t)st.st_size;
	d = malloc(len + 1);
	if (!d || fread(d, 1, len, f) != len) {
		snprintf(err, errlen, "%s: cannot read", path);
		fclose(f);
		free(d);
		return -1;
	}
	fclose(f);
	d[len] = '\0';
	if (looks_like_dump(d, len)) {
		rc = load_text(img, path, (const char *)d, err, errlen);
	} else {
		rc = acpi_image_add(img, d, len, 0, false, path);
		if (rc)
			snprintf(err, errlen, "%s: more than %d tables", path, ACPI_IMAGE_MAX_BLOBS);
	}
	free(d);
	return rc;
}

static const void *image_map(void *ctx, phys_addr_t phys, size_t len)
{
	struct acpi_image *img = ctx;

	for (unsigned int i = 0; i < img->count; i++) {
		const struct acpi_blob *b = &img->blob[i];

		if (b->has_address && phys >= b->address && phys - b->address <= b->len &&
		    len <= b->len - (phys - b->address))
			return b->data + (phys - b->address);
	}
	return NULL;
}

static void image_unmap(void *ctx, const void *virt, size_t len)
{
}

const struct acpi_phys_ops acpi_image_ops_template = { .map = image_map, .unmap = image_unmap };
