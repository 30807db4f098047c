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
 * Command output: no timestamp, not in the log ring (printk is for kernel
 * messages; a table a user asked for is not one). It goes to the output of
 * the session whose command runs on this CPU: the console for the serial
 * shell, a connection's buffer for a network session (drivers/net/). A CPU
 * runs one command at a time and commands do not move between CPUs, so a
 * per-CPU pointer keeps the sessions' output apart.
 */
int shell_printf(const char *fmt, ...) __printf(1, 2);
void shell_write(const char *s, size_t n);

struct shell_output {
	/* Takes all n bytes, or drops what it cannot hold (and says so itself). */
	void (*write)(struct shell_output *out, const char *s, size_t n);
};

/* Route this CPU's command output to @out (NULL: the console); returns the one before. */
struct shell_output *shell_set_output(struct shell_output *out);

/*
 * Run one command line as if typed; returns the command's result. Commands
 * keep state of their own (meminfo's walk buffer, memhog's list), so one
 * runs at a time system-wide: a second caller waits, running the idle
 * loop's work (queued work, jobs, the network) meanwhile.
 */
int shell_exec(char *line);
/* Find a command by name (NULL if none). */
const struct shell_cmd *shell_find_cmd(const char *name);
void shell_run(void) __noreturn;

#endif
