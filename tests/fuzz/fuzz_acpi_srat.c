/* SPDX-License-Identifier: MIT */
/*
 * DOC: fuzz_acpi_srat.c - libFuzzer target: acpi_parse_srat(), then NUMA
 * setup (arch/x86_64/numa.c) over the real memblock with 1 GiB of RAM
 */
#include "tests/fuzz/fuzz_acpi.h"
#include "drivers/acpi/srat.h"
#include "arch/x86_64/numa.h"

static void check(const uint8_t *t, size_t len, struct acpi_problems *p)
{
	static struct acpi_srat_info s;

	if (acpi_parse_srat(t, len, &s, p))
		return;
	if (s.nr_cpus > ACPI_MAX_CPUS || s.nr_mem > ACPI_MAX_SRAT_MEMORY)
		__builtin_trap();
	acpi_srat_show(&s, fuzz_acpi_quiet);
	memblock_reset();
	memblock_add(0, 0x9fc00);
	memblock_add(0x100000, (1 << 30) - 0x100000);
	numa_init_acpi(&s, NULL, NULL, p);
	/* Whatever the table said, every memory range must end up on an online node. */
	for (unsigned long i = 0; i < memblock.memory.cnt; i++)
		if (!node_online(memblock.memory.regions[i].nid))
			__builtin_trap();
	if (nr_node_ids < 1 || nr_node_ids > MAX_NUMNODES)
		__builtin_trap();
	numa_show(fuzz_acpi_quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_acpi_run(data, size, check);
}
