/* SPDX-License-Identifier: MIT */
/*
 * DOC: shell.c - the serial shell
 *
 * A prompt with line editing (backspace, Ctrl-U to clear, Ctrl-C to drop
 * the line, up/down for the last commands) on the serial console. Commands
 * come from the .shell_cmds section (SHELL_COMMAND in kernel/shell.h), so a
 * subsystem adds its commands without touching this file.
 *
 * Input arrives through the UART's receive interrupt into a small ring; the
 * shell sleeps in hlt between keys, so an idle guest costs the host nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "kernel/shell.h"
#include "lib/sorted.h"
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "kernel/selftest.h"
#include "drivers/uart16550.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/percpu.h"
#include "kernel/mt_job.h"
#include "kernel/workqueue.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "drivers/net/net.h"

extern const struct shell_cmd __shell_cmds_start[], __shell_cmds_end[];
void cmdline_print_options(void);

#define PROMPT "hotmm> "
#define LINE_MAX 256
#define MAX_ARGS 16
#define HISTORY 16

static struct shell_output *shell_out[NR_CPUS];

struct shell_output *shell_set_output(struct shell_output *out)
{
	struct shell_output **slot = &shell_out[smp_processor_id()];
	struct shell_output *old = *slot;

	*slot = out;
	return old;
}

void shell_write(const char *s, size_t n)
{
	struct shell_output *out = shell_out[smp_processor_id()];

	if (out)
		out->write(out, s, n);
	else
		console_write(s, n);
}

int shell_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	shell_write(buf, n);
	return n;
}

/*
 * What an idle CPU does between keys: queued work, jobs, the network and
 * its requests. Waiting for another session's command it does the same but
 * runs no network request itself (those may be commands: they would wait
 * for the same lock one level deeper).
 */
static bool shell_idle_work(bool net_requests)
{
	unsigned int cpu = smp_processor_id();

	net_poll();
	return workqueue_do_work(cpu) || mt_job_do_work(cpu) || (net_requests && net_exec_do_work());
}

/* ---- input: the receive interrupt fills a ring, the shell drains it ---- */
static char rx_ring[256];
static volatile unsigned int rx_head, rx_tail;

static void uart_rx_interrupt(struct pt_regs *regs)
{
	int c;

	while ((c = uart_getc()) >= 0) {
		if (rx_head - rx_tail < sizeof(rx_ring))
			rx_ring[rx_head++ % sizeof(rx_ring)] = (char)c;
	}
	legacy_irq_eoi(uart_irq());
}

static int shell_getc(void)
{
	for (;;) {
		local_irq_disable();
		if (rx_tail != rx_head) {
			char c = rx_ring[rx_tail++ % sizeof(rx_ring)];
			local_irq_enable();
			return (unsigned char)c;
		}
		local_irq_enable();
		/*
		 * An idle boot CPU runs queued work (hotplug events), helps background
		 * jobs and serves the network (its commands included).
		 */
		if (shell_idle_work(true))
			continue;
		local_irq_disable();
		/* Checked with interrupts off: an SCI just before hlt still wakes us. */
		if (rx_tail == rx_head && !workqueue_pending() && !net_work_pending())
			safe_halt();	/* sti; hlt: woken by the next interrupt */
		else
			local_irq_enable();
	}
}

/* ---- commands ---- */
const struct shell_cmd *shell_find_cmd(const char *name)
{
	for (const struct shell_cmd *c = __shell_cmds_start; c < __shell_cmds_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static DEFINE_SPINLOCK(shell_exec_lock);

static int shell_exec_locked(char *line)
{
	char *argv[MAX_ARGS + 1], *save = NULL;
	int argc = 0;
	const struct shell_cmd *cmd;

	for (char *p = strtok_r(line, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (argc == MAX_ARGS) {
			shell_printf("too many arguments (at most %d)\n", MAX_ARGS - 1);
			return -1;
		}
		argv[argc++] = p;
	}
	argv[argc] = NULL;
	if (!argc)
		return 0;
	cmd = shell_find_cmd(argv[0]);
	if (!cmd) {
		shell_printf("%s: unknown command (type `help`)\n", argv[0]);
		return -1;
	}
	return cmd->fn(argc, argv);
}

int shell_exec(char *line)
{
	int ret;

	while (!spin_trylock(&shell_exec_lock)) {
		if (!shell_idle_work(false))
			cpu_relax();
	}
	ret = shell_exec_locked(line);
	spin_unlock(&shell_exec_lock);
	return ret;
}

static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *c;

	if (argc > 1 && !strcmp(argv[1], "options")) {
		shell_printf("command-line options (GRUB line + QEMU fw_cfg opt/hotmm/cmdline):\n");
		cmdline_print_options();
		return 0;
	}
	if (argc > 1) {
		c = shell_find_cmd(argv[1]);
		if (!c) {
			shell_printf("help: no command '%s'\n", argv[1]);
			return -1;
		}
		shell_printf("%s %s\n  %s\n", c->name, c->usage, c->help);
		return 0;
	}
	for_each_by_name(c, __shell_cmds_start, __shell_cmds_end) {
		char head[40];

		snprintf(head, sizeof(head), "%s %s", c->name, c->usage);
		shell_printf("  %-28s %s\n", head, c->help);
	}
	shell_printf("`help options` lists the command-line options.\n");
	return 0;
}
SHELL_COMMAND(help, cmd_help, "[COMMAND|options]", "list commands, or explain one");

static int cmd_uptime(int argc, char **argv)
{
	uint64_t ns = ktime_get_ns();

	shell_printf("up %llu.%03llu s since kernel entry (TSC %llu.%03llu MHz)\n",
		     (unsigned long long)(ns / 1000000000ull),
		     (unsigned long long)(ns / 1000000ull % 1000),
		     (unsigned long long)tsc_khz / 1000, (unsigned long long)tsc_khz % 1000);
	return 0;
}
SHELL_COMMAND(uptime, cmd_uptime, "", "time since kernel entry");

/* ---- the prompt ---- */
static char history[HISTORY][LINE_MAX];
static unsigned int hist_count;

static void redraw(const char *line, size_t len, size_t old_len)
{
	shell_printf("\r" PROMPT "%s", line);
	for (size_t i = len; i < old_len; i++)
		shell_printf(" ");
	for (size_t i = len; i < old_len; i++)
		shell_printf("\b");
}

static size_t read_line(char *line)
{
	size_t len = 0;
	unsigned int hist_pos = hist_count;
	int esc = 0;

	line[0] = '\0';
	for (;;) {
		int c = shell_getc();

		if (esc == 1) {
			esc = c == '[' ? 2 : 0;
			continue;
		}
		if (esc == 2) {		/* ESC [ A / B: history */
			size_t old = len;
			esc = 0;
			if (c == 'A' && hist_pos > 0 && hist_count - hist_pos < HISTORY)
				hist_pos--;
			else if (c == 'B' && hist_pos < hist_count)
				hist_pos++;
			else
				continue;
			if (hist_pos == hist_count)
				line[0] = '\0';
			else
				strcpy(line, history[hist_pos % HISTORY]);
			len = strlen(line);
			redraw(line, len, old);
			continue;
		}
		switch (c) {
		case 0x1b:
			esc = 1;
			break;
		case '\r':
		case '\n':
			shell_printf("\n");
			line[len] = '\0';
			return len;
		case 0x7f:
		case '\b':
			if (len) {
				line[--len] = '\0';
				shell_printf("\b \b");
			}
			break;
		case 0x15:		/* Ctrl-U */
			redraw("", 0, len);
			len = 0;
			line[0] = '\0';
			break;
		case 0x03:		/* Ctrl-C */
			shell_printf("^C\n");
			line[0] = '\0';
			return 0;
		default:
			if (c >= ' ' && c < 0x7f && len < LINE_MAX - 1) {
				line[len++] = (char)c;
				line[len] = '\0';
				shell_printf("%c", c);
			}
		}
	}
}

void shell_run(void)
{
	char line[LINE_MAX];

	set_vector_handler(IRQ0_VECTOR + uart_irq(), uart_rx_interrupt);
	legacy_irq_enable(uart_irq());
	uart_enable_rx_irq();
	local_irq_enable();
	report("shell_ready", NULL);
	shell_printf("hotmm shell: `help` lists commands.\n");
	for (;;) {
		shell_printf(PROMPT);
		if (!read_line(line))
			continue;
		if (!hist_count || strcmp(history[(hist_count - 1) % HISTORY], line))
			strcpy(history[hist_count++ % HISTORY], line);
		shell_exec(line);
	}
}
