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
 * clear message and return the default when a value is malformed.
 */
#ifndef HOTMM_KERNEL_CMDLINE_H
#define HOTMM_KERNEL_CMDLINE_H

#include "lib/compiler.h"

struct cmdline_option {
	const char *name;
	const char *arg;	/* "" for a bare flag */
	const char *help;
};

#define CMDLINE_OPTION(_name, _arg, _help)					\
	static const struct cmdline_option __cmdline_opt_##_name		\
	__used __section(".cmdline_opts") __aligned(8) = {			\
		.name = #_name, .arg = _arg, .help = _help }

void cmdline_init(const char *grub, const char *fwcfg);

/* Value of the last key=value (NULL if absent; "" for a bare flag). */
const char *cmdline_get(const char *key);
bool cmdline_flag(const char *key);	/* present as a bare flag or key=1/on/yes */
/* Sizes accept K, M, G, T suffixes (binary): mem=300M. */
uint64_t cmdline_get_size(const char *key, uint64_t dflt);
uint64_t cmdline_get_u64(const char *key, uint64_t dflt);
/* Parse a size such as "300M"; false (and *out untouched) when malformed. */
bool parse_size(const char *s, uint64_t *out);

#endif
