/* SPDX-License-Identifier: MIT */
/*
 * DOC: percpu.h - which CPU am I
 *
 * Until SMP brings up the other CPUs every caller is CPU 0. Per-CPU data is
 * kept as arrays indexed by smp_processor_id(); NR_CPUS bounds them. Host
 * tests set host_cpu_id to pretend to be another CPU.
 */
#ifndef HOTMM_ARCH_PERCPU_H
#define HOTMM_ARCH_PERCPU_H

#define NR_CPUS 64

#ifdef HOTMM_HOST
extern unsigned int host_cpu_id;
static inline unsigned int smp_processor_id(void) { return host_cpu_id; }
#else
extern unsigned int this_cpu_id_slow(void);
static inline unsigned int smp_processor_id(void) { return this_cpu_id_slow(); }
#endif

#endif
