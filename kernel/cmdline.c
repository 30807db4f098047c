/* SPDX-License-Identifier: MIT */
/*
 * DOC: cmdline.c - the kernel command line
 *
 * The line is GRUB's multiboot2 command line followed by QEMU's fw_cfg file
 * opt/hotmm/cmdline, joined with a space, so a later word overrides an
 * earlier one: every reader scans all words and keeps the last match.
 * Options are declared with CMDLINE_OPTION() next to their readers; words
 * that match no declaration are warned about once at boot (a typo in
 * `memory_block_size=` should not pass silently), and words of an option
 * declared with a check are checked then: a rejected word is reported once
 * (option, value, what is allowed) and every reader treats the option as
 * absent, so its default is used whoever reads it and however.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/shell.h"
#include "lib/sorted.h"

#define CMDLINE_MAX 2048
static char grub_line[CMDLINE_MAX];
static char fwcfg_line[CMDLINE_MAX];
static char full_line[2 * CMDLINE_MAX + 2];
/* rejected[i]: the word starting at full_line[i] failed its option's check. */
static bool rejected[sizeof(full_line)];

extern const struct cmdline_option __cmdline_opts_start[], __cmdline_opts_end[];

/* Next word of s starting at *pos: sets [*ws, *we). False at the end. */
static bool next_word(const char *s, size_t *pos, size_t *ws, size_t *we)
{
	size_t i = *pos;

	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
		i++;
	if (!s[i])
		return false;
	*ws = i;
	while (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
		i++;
	*we = i;
	*pos = i;
	return true;
}

static const struct cmdline_option *find_option(const char *key, size_t len)
{
	for (const struct cmdline_option *o = __cmdline_opts_start; o < __cmdline_opts_end; o++)
		if (strlen(o->name) == len && !strncmp(o->name, key, len))
			return o;
	return NULL;
}

/* Run the option's check on the word [ws, we) whose key is klen long; true when rejected. */
static bool check_word(const struct cmdline_option *o, size_t ws, size_t we, size_t klen)
{
	char value[256];
	size_t vlen = ws + klen < we ? we - ws - klen - 1 : 0;
	const char *allowed;

	if (!o->check)
		return false;
	if (vlen >= sizeof(value))
		vlen = sizeof(value) - 1;
	memcpy(value, full_line + ws + klen + (ws + klen < we), vlen);
	value[vlen] = '\0';
	allowed = o->check(value);
	if (!allowed)
		return false;
	pr_err("cmdline: %s=%s rejected: allowed is %s; using the default\n", o->name, value, allowed);
	return true;
}

void cmdline_init(const char *grub, const char *fwcfg)
{
	const struct cmdline_option *o;
	size_t pos = 0, ws, we;

	/* GRUB may pass the kernel's path as the first word: not an option. */
	if (grub) {
		while (*grub == ' ')
			grub++;
		if (*grub == '/')
			while (*grub && *grub != ' ')
				grub++;
		strncpy(grub_line, grub, CMDLINE_MAX - 1);
	}
	if (fwcfg)
		strncpy(fwcfg_line, fwcfg, CMDLINE_MAX - 1);
	snprintf(full_line, sizeof(full_line), "%s %s", grub_line, fwcfg_line);

	while (next_word(full_line, &pos, &ws, &we)) {
		size_t klen = 0;

		while (ws + klen < we && full_line[ws + klen] != '=')
			klen++;
		o = find_option(full_line + ws, klen);
		if (!o)
			pr_warn("cmdline: unknown option '%.*s' ignored (`help options` lists them)\n",
				(int)(we - ws), full_line + ws);
		else
			rejected[ws] = check_word(o, ws, we, klen);
	}
}


/* Values are returned from a small rotating pool so callers need no buffer. */
static const char *lookup(const char *key)
{
	static char vals[8][256];
	static unsigned int next;
	size_t pos = 0, ws, we, klen = strlen(key);
	const char *found = NULL;
	size_t flen = 0, found_ws = 0;

	while (next_word(full_line, &pos, &ws, &we)) {
		size_t len = we - ws;

		if (len >= klen && !strncmp(full_line + ws, key, klen) &&
		    (len == klen || full_line[ws + klen] == '=')) {
			found = len == klen ? "" : full_line + ws + klen + 1;
			flen = len == klen ? 0 : len - klen - 1;
			found_ws = ws;
		}
	}
	/* The last word wins; if it was rejected at boot, the default does. */
	if (!found || rejected[found_ws])
		return NULL;
	char *v = vals[next++ % 8];
	if (flen > 255)
		flen = 255;
	memcpy(v, found, flen);
	v[flen] = '\0';
	return v;
}

const char *cmdline_get(const char *key)
{
	return lookup(key);
}

bool cmdline_flag(const char *key)
{
	const char *v = lookup(key);

	if (!v)
		return false;
	return !*v || !strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "y");
}

bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return false;
	v = strtoull(s, &end, 0);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' || *end == 'B')		/* accept 1GiB / 1GB spellings */
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end || (shift && v > (~0ull >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

bool parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull would take "-1" as 2^64 - 1 and "" as 0. */
	if (!s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

uint64_t cmdline_get_size(const char *key, uint64_t dflt)
{
	const char *v = lookup(key);
	uint64_t r;

	if (!v)
		return dflt;
	if (!parse_size(v, &r)) {
		pr_err("cmdline: %s=%s is not a size (examples: 300M, 4G, 0x10000000); using the default\n",
		       key, v);
		return dflt;
	}
	return r;
}

uint64_t cmdline_get_u64(const char *key, uint64_t dflt)
{
	const char *v = lookup(key);
	char *end;
	unsigned long long r;

	if (!v)
		return dflt;
	errno = 0;
	r = strtoull(v, &end, 0);
	if (!isdigit((unsigned char)*v) || *end || errno) {
		pr_err("cmdline: %s=%s is not a number; using the default %llu\n", key, v,
		       (unsigned long long)dflt);
		return dflt;
	}
	return r;
}

static int cmd_cmdline(int argc, char **argv)
{
	shell_printf("grub:   %s\n", grub_line[0] ? grub_line : "(empty)");
	shell_printf("fw_cfg: %s\n", fwcfg_line[0] ? fwcfg_line : "(empty)");
	shell_printf("(for a repeated option the last one wins: fw_cfg's)\n");
	return 0;
}
SHELL_COMMAND(cmdline, cmd_cmdline, "", "the command line from GRUB and from QEMU fw_cfg");

/* `help options` is served from here (kernel/shell.c calls it). */
void cmdline_print_options(void)
{
	const struct cmdline_option *o;

	for_each_by_name(o, __cmdline_opts_start, __cmdline_opts_end) {
		char head[64];

		snprintf(head, sizeof(head), "%s%s%s", o->name, *o->arg ? "=" : "", o->arg);
		shell_printf("  %-24s %s\n", head, o->help);
	}
}
