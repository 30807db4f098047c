/* SPDX-License-Identifier: MIT */
/*
 * DOC: cmdline.h - the kernel command line
 *
 * The command line is GRUB's (the multiboot2 tag) followed by QEMU fw_cfg's
 * opt/hotmm/cmdline, so options reach the kernel without rebuilding the ISO.
 * Words are `key=value` or bare flags; for a repeated key the last one wins.
 *
 * Every option the kernel understands is declared once, next to the code that
 * reads it, so unknown options can be warned about and `help options` can
 * list them:
 *     CMDLINE_OPTION(boot_mem, "SIZE", "memory initialized before the rest (default 256M)");
 * (kernel only: like SHELL_COMMAND, it lives in a linker section).
 *
 * Readers return false / the default when the key is absent, and print a
 * clear message and return the default when a value is malformed. Options
 * declared with CMDLINE_OPTION_CHECKED() are checked at cmdline_init(): a
 * value outside what the option allows is reported (option, value, what is
 * allowed) and every reader then sees the option as absent, so the default
 * is used.
 */
#ifndef HOTMM_KERNEL_CMDLINE_H
#define HOTMM_KERNEL_CMDLINE_H

#include "lib/compiler.h"

struct cmdline_option {
	const char *name;
	const char *arg;	/* "" for a bare flag */
	const char *help;
	/*
	 * NULL, or a check of the value: NULL when it is allowed, else what is
	 * allowed ("a number 0..8"). cmdline_init() runs it on every word with
	 * this key; a rejected word is reported and ignored by every reader.
	 */
	const char *(*check)(const char *value);
};

#define CMDLINE_OPTION(_name, _arg, _help)					\
	static const struct cmdline_option __cmdline_opt_##_name		\
	__used __section(".cmdline_opts") __aligned(8) = {			\
		.name = #_name, .arg = _arg, .help = _help }

/*
 * An option whose values are checked once at boot, before anything reads
 * it, so a reader elsewhere needs no range check of its own:
 *     CMDLINE_OPTION_CHECKED(loglevel, "N", "...", check_loglevel);
 */
#define CMDLINE_OPTION_CHECKED(_name, _arg, _help, _check)			\
	static const struct cmdline_option __cmdline_opt_##_name		\
	__used __section(".cmdline_opts") __aligned(8) = {			\
		.name = #_name, .arg = _arg, .help = _help, .check = _check }

void cmdline_init(const char *grub, const char *fwcfg);

/* Value of the last key=value (NULL if absent; "" for a bare flag). */
const char *cmdline_get(const char *key);
bool cmdline_flag(const char *key);	/* present as a bare flag or key=1/on/yes */
/* Sizes accept K, M, G, T suffixes (binary): mem=300M. */
uint64_t cmdline_get_size(const char *key, uint64_t dflt);
uint64_t cmdline_get_u64(const char *key, uint64_t dflt);
/* Parse a size such as "300M"; false (and *out untouched) when malformed. */
bool parse_size(const char *s, uint64_t *out);
/* Parse a whole number (decimal or 0x hex) in [min, max]; false when it is not one. */
bool parse_u64_range(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
