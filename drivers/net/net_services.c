/* SPDX-License-Identifier: MIT */
/*
 * DOC: net_services.c - starting and polling the services; what is read-only
 *
 * The read-only list decides what the network may run without net_token=:
 * commands that only look (the /proc-like views, the ACPI tables, the
 * logs). It is an allow-list: a command not named here - every new one
 * included - counts as changing the machine until somebody adds it, so a
 * forgotten entry costs a refusal, never a mutation.
 */
#include <string.h>
#include "drivers/net/net_services.h"

static const char *const readonly_cmds[] = {
	"help", "uptime", "cmdline", "dmesg", "meminfo", "zoneinfo", "buddyinfo", "pagetypeinfo",
	"pagetypes", "memory", "hotplug", "slabinfo", "vmstat", "tlb", "mmap", "cpus", "ioapic",
	"workqueue", "acpi", "madt", "srat", "fadt", "numa", "acpidump", "net", "memblock",
};

bool net_command_is_readonly(const char *line)
{
	char word[32], arg[32] = "";
	size_t n = strcspn(line, " \t");
	const char *a;

	if (!n || n >= sizeof(word))
		return false;
	memcpy(word, line, n);
	word[n] = '\0';
	a = line + n + strspn(line + n, " \t");
	strncpy(arg, a, sizeof(arg) - 1);
	arg[strcspn(arg, " \t")] = '\0';
	/* memhog only lists without changing anything when asked for its list */
	if (!strcmp(word, "memhog"))
		return !strcmp(arg, "list") && !a[strlen(arg) + strspn(a + strlen(arg), " \t")];
	for (size_t i = 0; i < sizeof(readonly_cmds) / sizeof(readonly_cmds[0]); i++)
		if (!strcmp(word, readonly_cmds[i]))
			return true;
	return false;
}

#ifndef HOTMM_HOST
void net_services_start(void)
{
	httpd_init();
	tcp_shell_init();
}

void net_services_poll(void)
{
	tcp_shell_poll();
	httpd_poll();
}
#endif
