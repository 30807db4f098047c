/* SPDX-License-Identifier: MIT */
/*
 * DOC: host_env.c - the kernel environment acpi-decode's parsers run in
 *
 * printk goes to stderr only with -v (problems are printed by the decoder
 * itself, from the problem list); panic aborts. There is no memory map on
 * the host, so memblock is empty and the calls numa.c makes on it do
 * nothing: the NUMA view comes from the tables alone, and the check that
 * the SRAT covers all RAM cannot be made (the decoder says so).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/printk.h"
#include "kernel/panic.h"
#include "mm/memblock.h"

int decode_verbose;
uintptr_t host_phys_base;
unsigned int host_cpu_id;
struct memblock memblock;

int vprintk(const char *fmt, va_list ap)
{
	if (!decode_verbose)
		return 0;
	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	return vfprintf(stderr, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void report(const char *event, const char *fields, ...)
{
	(void)event;
	(void)fields;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("acpi-decode: internal error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid)
{
	return 0;
}

int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return 0;
}

int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return 0;
}

bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	return false;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	return 0;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return 0;
}
