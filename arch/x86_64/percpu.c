/* SPDX-License-Identifier: MIT */
/*
 * DOC: percpu.c - per-CPU identity
 *
 * Only the boot CPU runs until SMP bring-up gives each CPU its own per-CPU
 * area (GS base); until then every caller is CPU 0.
 */
#include "arch/x86_64/percpu.h"

unsigned int this_cpu_id_slow(void)
{
	return 0;
}
