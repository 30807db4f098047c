/* SPDX-License-Identifier: MIT */
/*
 * DOC: shell.h - commands of the serial shell
 *
 * A subsystem adds a command with one line at file scope:
 *     SHELL_COMMAND(meminfo, cmd_meminfo, "", "show /proc/meminfo");
 * The entry lands in the .shell_cmds section; the shell finds every command
 * between the linker symbols __shell_cmds_start and __shell_cmds_end, so no
 * table is edited by hand. fn gets argv[0] = the command name and returns 0
 * on success, or a negative errno after printing why it failed.
 *
 * Put SHELL_COMMAND()s in files the host tests do not compile (e.g. the
 * subsystem's *_shell.c): the section only exists in the kernel image.
 */
#ifndef HOTMM_KERNEL_SHELL_H
#define HOTMM_KERNEL_SHELL_H

#include "lib/compiler.h"

struct shell_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* arguments, e.g. "N [kernel|movable]" */
	const char *help;	/* one line */
};

#define SHELL_COMMAND(_name, _fn, _usage, _help)				\
	static const struct shell_cmd __shell_cmd_##_name			\
	__used __section(".shell_cmds") __aligned(8) = {			\
		.name = #_name, .fn = _fn, .usage = _usage, .help = _help }

/* A command whose name is no C identifier (e.g. "virtio-mem"). */
#define SHELL_COMMAND_NAMED(_id, _name, _fn, _usage, _help)			\
	static const struct shell_cmd __shell_cmd_##_id				\
	__used __section(".shell_cmds") __aligned(8) = {			\
		.name = _name, .fn = _fn, .usage = _usage, .help = _help }

/*
 * Command output: straight to the console, no timestamp, not in the log ring
 * (printk is for kernel messages; a table a user asked for is not one).
 */
int shell_printf(const char *fmt, ...) __printf(1, 2);

/* Run one command line as if typed; returns the command's result. */
int shell_exec(char *line);
void shell_run(void) __noreturn;

#endif
