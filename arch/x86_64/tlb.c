/* SPDX-License-Identifier: MIT */
/*
 * DOC: tlb.c - TLB flushes and shootdown for kernel mappings
 *
 * Owns the local flushes (invlpg, the full flush that also drops global
 * entries), the cross-CPU shootdown and the gather that frees page-table
 * pages only after it. The order every unmapper follows (clear, flush on
 * every CPU, then free) is in tlb.h's overview.
 *
 * The shootdown is an SCF_ANYWHERE call (arch/x86_64/smp.h): the remote
 * flush takes no lock, so a target runs it also from any busy-wait with
 * interrupts off - spinning on a lock the flushing CPU holds
 * (mem_hotplug_lock around a hot-remove), waiting for a job the flushing
 * CPU works on - and two CPUs flushing at once each serve the other's
 * request while waiting for their own. flush_tlb_kernel_range() returns
 * only when every online CPU has flushed.
 *
 * A CPU comes online only in smp_init(), with an empty TLB, and none goes
 * offline; between its CR3 load and being marked online an AP touches
 * only its own stacks, GDT and per-CPU area. So the online mask at the
 * time of the flush names every CPU that may hold a translation.
 *
 * Kernel mappings carry _PAGE_GLOBAL, but head.S and the AP trampoline do
 * not set CR4.PGE today, so the bit has no effect and __flush_tlb_all()
 * reloads CR3; should PGE be turned on, it toggles PGE instead, which is
 * what drops global entries too.
 *
 * `tlb` in the shell shows the counts since boot.
 *
 * Invariant: a page-table page handed to tlb_remove_table() is detached from
 * the tree and zero except for the list link in its first word, which
 * tlb_finish_mmu() clears again before freeing it (fresh tables are zero).
 */
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/spinlock.h"
#include "kernel/shell.h"

unsigned long tlb_single_page_flush_ceiling = 33;

static struct tlb_stats stats;	/* atomic counters */

struct flush_tlb_info {
	unsigned long start, end;
};

void __flush_tlb_one_kernel(unsigned long addr)
{
	invlpg(addr);
}

void __flush_tlb_all(void)
{
	unsigned long flags = local_irq_save();
	uint64_t cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		/* Clearing PGE drops every entry, global ones included. */
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());	/* without PGE nothing is global */
	}
	local_irq_restore(flags);
}

static void flush_tlb_local_range(const struct flush_tlb_info *info)
{
	unsigned long addr;

	if (info->end == TLB_FLUSH_ALL || info->end - info->start > tlb_single_page_flush_ceiling << PAGE_SHIFT) {
		__flush_tlb_all();
		return;
	}
	for (addr = info->start; addr < info->end; addr += PAGE_SIZE)
		__flush_tlb_one_kernel(addr);
}

/* On a target, from its interrupt handler or wherever it waits (SCF_ANYWHERE). */
static void do_kernel_range_flush(void *arg)
{
	flush_tlb_local_range(arg);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_tlb_info info = { .start = start & PAGE_MASK, .end = end };
	unsigned int self = smp_processor_id();
	uint64_t others = READ_ONCE(cpu_online_mask) & ~(1ull << self);
	unsigned long flags;

	if (end != TLB_FLUSH_ALL)
		info.end = ALIGN(end, PAGE_SIZE);
	__atomic_add_fetch(&stats.flushes, 1, __ATOMIC_RELAXED);
	if (info.end == TLB_FLUSH_ALL || info.end - info.start > tlb_single_page_flush_ceiling << PAGE_SHIFT)
		__atomic_add_fetch(&stats.full, 1, __ATOMIC_RELAXED);
	flags = local_irq_save();
	flush_tlb_local_range(&info);
	local_irq_restore(flags);
	if (!others)
		return;		/* before SMP, or alone: nobody else can hold it */
	__atomic_add_fetch(&stats.shootdowns, 1, __ATOMIC_RELAXED);
	smp_call_function_many(others, do_kernel_range_flush, &info, SCF_ANYWHERE);
}

void flush_tlb_all(void)
{
	flush_tlb_kernel_range(0, TLB_FLUSH_ALL);
}

void tlb_gather_mmu_kernel(struct mmu_gather *tlb, unsigned long start, unsigned long end,
			   void (*free_table)(phys_addr_t pa))
{
	tlb->start = start;
	tlb->end = end;
	tlb->tables = 0;
	tlb->nr_tables = 0;
	tlb->free_table = free_table;
}

void tlb_remove_table(struct mmu_gather *tlb, phys_addr_t pa)
{
	*(phys_addr_t *)__va(pa) = tlb->tables;
	tlb->tables = pa;
	tlb->nr_tables++;
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	phys_addr_t pa = tlb->tables;

	if (tlb->end > tlb->start)
		flush_tlb_kernel_range(tlb->start, tlb->end);
	while (pa) {
		phys_addr_t *link = __va(pa), next = *link;

		*link = 0;
		tlb->free_table(pa);
		pa = next;
	}
	if (tlb->nr_tables)
		__atomic_add_fetch(&stats.tables_freed, tlb->nr_tables, __ATOMIC_RELAXED);
	tlb->tables = 0;
	tlb->nr_tables = 0;
}

void tlb_get_stats(struct tlb_stats *st)
{
	st->flushes = __atomic_load_n(&stats.flushes, __ATOMIC_RELAXED);
	st->shootdowns = __atomic_load_n(&stats.shootdowns, __ATOMIC_RELAXED);
	st->full = __atomic_load_n(&stats.full, __ATOMIC_RELAXED);
	st->tables_freed = __atomic_load_n(&stats.tables_freed, __ATOMIC_RELAXED);
}

static int cmd_tlb(int argc, char **argv)
{
	struct tlb_stats st;

	tlb_get_stats(&st);
	shell_printf("flushes %lu (full %lu), shootdowns %lu, page-table pages freed after a flush %lu\n",
		     st.flushes, st.full, st.shootdowns, st.tables_freed);
	shell_printf("invlpg up to %lu pages, full flush above; CR4.PGE %s\n", tlb_single_page_flush_ceiling,
		     (read_cr4() & X86_CR4_PGE) ? "on" : "off");
	return 0;
}
SHELL_COMMAND(tlb, cmd_tlb, "", "TLB flush and shootdown counts since boot");
