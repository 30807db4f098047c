// SPDX-License-Identifier: MIT
/*
 * DOC: memblock_shell.c - the `memblock` shell command (kernel only)
 *
 *   memblock        both lists in the memblock=debug format (Linux's dump)
 *   memblock free   the free ranges (memory minus reserved) and their sum
 *
 * Output goes to the shell, not the log: it is an answer, not an event.
 * After the buddy allocator takes over, the lists show what boot left.
 */
#include <errno.h>
#include <string.h>

#include "mm/memblock.h"
#include "kernel/shell.h"

static void shell_line(const char *line)
{
	shell_printf("%s", line);
}

static void show_free(void)
{
	phys_addr_t start, end, total = 0;
	unsigned long n = 0;
	uint64_t i;
	int nid;

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid) {
		shell_printf(" free[0x%lx]\t[0x%016llx-0x%016llx], 0x%016llx bytes", n,
			     (unsigned long long)start, (unsigned long long)(end - 1),
			     (unsigned long long)(end - start));
		if (nid != NUMA_NO_NODE)
			shell_printf(" on node %d", nid);
		shell_printf("\n");
		total += end - start;
		n++;
	}
	shell_printf(" free size = 0x%016llx (%llu MiB) in %lu ranges\n",
		     (unsigned long long)total, (unsigned long long)(total >> 20), n);
}

static int cmd_memblock(int argc, char **argv)
{
	if (argc == 1) {
		memblock_dump(shell_line);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "free")) {
		show_free();
		return 0;
	}
	shell_printf("usage: memblock [free]\n");
	return -EINVAL;
}
SHELL_COMMAND(memblock, cmd_memblock, "[free]",
	      "memblock's memory and reserved lists (memblock=debug format); free: memory minus reserved");
