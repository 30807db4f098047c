/* SPDX-License-Identifier: MIT */
/*
 * DOC: virtio_mem.c - the virtio-mem driver: plugging and unplugging a device's memory
 *
 * State (see virtio_mem.h for the device): per memory block of the region,
 * whether it is added (offline or online) or not, and per sub-block whether
 * the device has it plugged. Invariants:
 *   - an added block has its memmap sub-blocks (the first vmemmap_sbs) plugged;
 *   - in an online block, a plugged sub-block's pages belong to the buddy
 *     (or whoever allocated them); an unplugged one's pages are Offline,
 *     refcount 1, owned here, in no allocator and not managed: MemTotal
 *     never counts them and nothing reads or writes them;
 *   - a block whose sub-blocks are all unplugged is not added (once the
 *     run that unplugged the last one has removed it).
 * The online page callback applies the bitmap when a block goes online; the
 * memory notifier drops the references of the unplugged pages at
 * MEM_GOING_OFFLINE (so offline skips them) and takes them back at
 * MEM_CANCEL_OFFLINE.
 *
 * Growing: partly plugged added blocks first, then new blocks in address
 * order: the sub-blocks are plugged (one request per run), then the block
 * is added with add_memory_driver_managed() and goes online by
 * memhp_default_state=. Shrinking, from the top: plugged sub-blocks of
 * blocks not added, then offline blocks, then online blocks in two rounds:
 * first only whole blocks that look free (no copy), then block by block
 * with migration of movable pages; before that round every block that will
 * leave whole is isolated, so pages moved out of one do not land in the
 * next to go. A block whose plugged part is all that still has to go leaves
 * whole (offline_and_remove_memory, then UNPLUG);
 * otherwise its sub-blocks go one by one, free-looking ones first
 * (alloc_contig_range, the pages taken Offline, then UNPLUG; a refused
 * UNPLUG gives them back). What is busy and cannot move stays plugged; the
 * work runs again later (backing off up to VM_RETRY_MAX_NS) until the
 * device's request is met.
 *
 * One work item per device on the ordered work queue runs all of it, so a
 * device's state changes only there (and in the notifier, under the hotplug
 * lock, for blocks going online or offline).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/virtio/virtio_mem.h"
#include "mm/memory_hotplug.h"
#include "mm/memory_block.h"
#include "mm/memblock.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"
#include "mm/page_isolation.h"
#include "mm/slab.h"
#include "arch/x86_64/numa.h"
#include "arch/x86_64/tsc.h"
#include "kernel/printk.h"
#include "kernel/workqueue.h"
#ifndef HOTMM_HOST
#include "arch/x86_64/apic.h"
#endif

#define VM_MAX_DEVICES		8
#define VM_RESOURCE_NAME	"System RAM (virtio_mem)"
#define VM_RETRY_MIN_NS		(200ull * 1000000)	/* first retry after a partial unplug */
#define VM_RETRY_MAX_NS		(5ull * 1000000000)
#define VM_MAX_NB_BLOCKS	0xffffu			/* nb_blocks is 16 bits */

enum vm_mb_state { VM_MB_UNUSED, VM_MB_OFFLINE, VM_MB_ONLINE };

struct virtio_mem {
	int id, nid;
	const struct virtio_mem_transport *t;
	void *priv;
	struct virtio_mem_geometry geo;
	unsigned long vmemmap_pages;	/* a block's self-hosted memmap */
	unsigned int vmemmap_sbs;	/* sub-blocks holding it */
	unsigned long first_pfn, end_pfn;	/* the whole memory blocks used */
	uint8_t *mb_state;		/* enum vm_mb_state per memory block */
	uint8_t *sb_plugged;		/* per sub-block: 1 plugged */
	unsigned int *mb_plugged;	/* plugged sub-blocks per memory block */
	uint8_t *isolated;		/* per memory block: pre-isolated for a shrink */
	unsigned long nr_plugged;	/* plugged sub-blocks in all */
	uint64_t requested_size, device_plugged_size;
	uint64_t usable_end;		/* addr + usable_region_size, as the last run read it */
	unsigned long plug_requests, unplug_requests, failed_requests, retries;
	uint64_t last_took_ns, retry_ns;
	int running;			/* atomic: virtio_mem_run in progress */
	bool broken;			/* the device answered ERROR or garbage: stop */
	bool unplug_all;		/* plugged at probe: UNPLUG_ALL before anything else */
	struct work_struct work;
};

static struct virtio_mem *devices[VM_MAX_DEVICES];
static unsigned int nr_devices;		/* published with release after devices[] */
static bool callbacks_set;

/* ---- geometry ---- */

static uint64_t mb_addr(const struct virtio_mem *vm, unsigned long mb)
{
	return (vm->geo.first_mb_id + mb) * vm->geo.mb_size;
}

static uint64_t sb_addr(const struct virtio_mem *vm, unsigned long mb, unsigned int sb)
{
	return mb_addr(vm, mb) + (uint64_t)sb * vm->geo.sb_size;
}

static unsigned long sb_pfn(const struct virtio_mem *vm, unsigned long mb, unsigned int sb)
{
	return PFN_DOWN(sb_addr(vm, mb, sb));
}

static unsigned long sb_pages(const struct virtio_mem *vm)
{
	return (unsigned long)(vm->geo.sb_size >> PAGE_SHIFT);
}

static uint8_t *sb_byte(const struct virtio_mem *vm, unsigned long mb, unsigned int sb)
{
	return &vm->sb_plugged[mb * vm->geo.sbs_per_mb + sb];
}

static struct virtio_mem *device_of_pfn(unsigned long pfn)
{
	unsigned int i, n = __atomic_load_n(&nr_devices, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++) {
		struct virtio_mem *vm = __atomic_load_n(&devices[i], __ATOMIC_ACQUIRE);

		if (vm && pfn >= vm->first_pfn && pfn < vm->end_pfn)
			return vm;
	}
	return NULL;
}

/* ---- requests ---- */

static int vm_send(struct virtio_mem *vm, uint16_t type, uint64_t addr, uint64_t size)
{
	struct virtio_mem_req req = { .type = type, .addr = addr };
	uint8_t resp[sizeof(struct virtio_mem_resp)];
	uint64_t nb = size / vm->geo.block_size;
	size_t got = 0;
	char err[128];
	int ret;

	if (nb > VM_MAX_NB_BLOCKS) {
		/* Callers send at most one memory block: more would be a bug here. */
		pr_err("virtio-mem%d: %s of %llu blocks at %#llx: more than nb_blocks holds\n", vm->id,
		       virtio_mem_req_name(type), (unsigned long long)nb, (unsigned long long)addr);
		return -EINVAL;
	}
	req.nb_blocks = (uint16_t)nb;
	if (type == VIRTIO_MEM_REQ_PLUG)
		vm->plug_requests++;
	else
		vm->unplug_requests++;
	memset(resp, 0xff, sizeof(resp));
	ret = vm->t->request(vm->priv, &req, resp, sizeof(resp), &got);
	if (!ret)
		ret = virtio_mem_parse_resp(resp, got, type, NULL, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "transport %s failed (%d)", vm->t->name, ret);
	if (ret) {
		vm->failed_requests++;
		if (ret == -EIO || ret == -EINVAL || (ret != -EAGAIN && ret != -EBUSY)) {
			/* The driver or the device is wrong: stop touching it. */
			vm->broken = true;
			pr_err("virtio-mem%d: %s [%#llx, +%#llx): %s\n", vm->id, virtio_mem_req_name(type),
			       (unsigned long long)addr, (unsigned long long)size,
			       ret == -EINVAL ? "the device answered ERROR" : err);
		}
	}
	return ret;
}

/* ---- pages of an online block ---- */

/* Give [pfn, pfn + nr) (Offline, refcount 1, ours) to the buddy, in aligned pieces. */
static void give_pages(unsigned long pfn, unsigned long nr)
{
	unsigned long end = pfn + nr;

	while (pfn < end) {
		unsigned int order = min((unsigned int)__builtin_ctzl(pfn), (unsigned int)MAX_PAGE_ORDER);

		while (pfn + (1UL << order) > end)
			order--;
		generic_online_page(pfn_to_page(pfn), order);
		pfn += 1UL << order;
	}
}

/* Heuristic, without locks: does every page of the range look free (Buddy or Tail)? */
static bool range_looks_free(unsigned long pfn, unsigned long end)
{
	for (; pfn < end; pfn++) {
		enum page_type t = page_type(pfn_to_page(pfn));

		if (t != PGTY_BUDDY && t != PGTY_TAIL)
			return false;
	}
	return true;
}

/* Do the plugged sub-blocks of an online block look free (their memmap aside)? */
static bool block_looks_free(const struct virtio_mem *vm, unsigned long mb)
{
	unsigned long first = PFN_DOWN(mb_addr(vm, mb)), skip = vm->vmemmap_pages;
	unsigned int sb;

	for (sb = 0; sb < vm->geo.sbs_per_mb; sb++) {
		unsigned long pfn = sb_pfn(vm, mb, sb);

		if (*sb_byte(vm, mb, sb) && !range_looks_free(max(pfn, first + skip), pfn + sb_pages(vm)))
			return false;
	}
	return true;
}

/* ---- the online callback and the notifier ---- */

static void vm_online_page(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), end = pfn + (1UL << order), step;
	struct virtio_mem *vm = device_of_pfn(pfn);

	if (!vm) {
		generic_online_page(page, order);
		return;
	}
	/* Pieces are naturally aligned: one sub-block, or whole sub-blocks. */
	step = min(sb_pages(vm), end - pfn);
	for (; pfn < end; pfn += step) {
		unsigned long off = pfn - vm->first_pfn;
		unsigned long mb = off / (vm->geo.mb_size >> PAGE_SHIFT);
		unsigned int sb = (unsigned int)((off % (vm->geo.mb_size >> PAGE_SHIFT)) / sb_pages(vm));

		if (*sb_byte(vm, mb, sb))
			give_pages(pfn, step);
		/* else: stays Offline, refcount 1, ours */
	}
}

/* Set the refcount of the unplugged sub-blocks' pages of a block from `from` to `to`. */
static void unplugged_set_refs(struct virtio_mem *vm, unsigned long mb, const struct memory_notify *arg,
			       int from, int to)
{
	unsigned int sb;
	unsigned long pfn;

	for (sb = 0; sb < vm->geo.sbs_per_mb; sb++) {
		if (*sb_byte(vm, mb, sb))
			continue;
		for (pfn = max(sb_pfn(vm, mb, sb), arg->start_pfn);
		     pfn < sb_pfn(vm, mb, sb) + sb_pages(vm); pfn++) {
			struct page *page = pfn_to_page(pfn);

			if (page_type(page) == PGTY_OFFLINE && page_ref_count(page) == from)
				page->refcount = to;
		}
	}
}

static int vm_memory_notify(struct memory_notifier *nb, enum memory_notify_action action,
			    const struct memory_notify *arg)
{
	unsigned long pfn = arg->mem->start_pfn, mb;
	struct virtio_mem *vm = device_of_pfn(pfn);

	if (!vm)
		return 0;
	mb = (pfn - vm->first_pfn) / (vm->geo.mb_size >> PAGE_SHIFT);
	switch (action) {
	case MEM_GOING_OFFLINE:
		unplugged_set_refs(vm, mb, arg, 1, 0);
		break;
	case MEM_CANCEL_OFFLINE:
		unplugged_set_refs(vm, mb, arg, 0, 1);
		break;
	case MEM_OFFLINE:
		vm->mb_state[mb] = VM_MB_OFFLINE;
		break;
	case MEM_ONLINE:
		vm->mb_state[mb] = VM_MB_ONLINE;
		break;
	default:
		break;
	}
	return 0;
}

static struct memory_notifier vm_nb = { .fn = vm_memory_notify };

/* ---- plug ---- */

static void mark(struct virtio_mem *vm, unsigned long mb, unsigned int sb, unsigned int n, bool plugged)
{
	unsigned int i;

	for (i = sb; i < sb + n; i++)
		*sb_byte(vm, mb, i) = plugged;
	if (plugged) {
		vm->mb_plugged[mb] += n;
		vm->nr_plugged += n;
	} else {
		vm->mb_plugged[mb] -= n;
		vm->nr_plugged -= n;
	}
}

/*
 * Plug sub-blocks [sb, sb + n) of an added or unused block; in an online
 * block their pages go to the buddy. Under the hotplug lock, so the block
 * neither goes online nor offline meanwhile.
 */
static int plug_sbs(struct virtio_mem *vm, unsigned long mb, unsigned int sb, unsigned int n)
{
	int ret = vm_send(vm, VIRTIO_MEM_REQ_PLUG, sb_addr(vm, mb, sb), (uint64_t)n * vm->geo.sb_size);

	if (ret)
		return ret;
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	mark(vm, mb, sb, n, true);
	if (vm->mb_state[mb] == VM_MB_ONLINE)
		give_pages(sb_pfn(vm, mb, sb), n * sb_pages(vm));
	mem_hotplug_done();
	return 0;
}

/* How many sub-blocks from sb (below lim, at most max) share sb's plugged state. */
static unsigned int sb_run(struct virtio_mem *vm, unsigned long mb, unsigned int sb, unsigned int lim,
			   unsigned long max)
{
	unsigned int n;

	for (n = 1; sb + n < lim && n < max && *sb_byte(vm, mb, sb + n) == *sb_byte(vm, mb, sb); n++)
		;
	return n;
}

static int unplug_sbs_unused(struct virtio_mem *vm, unsigned long mb, unsigned int sb, unsigned int n)
{
	int ret = vm_send(vm, VIRTIO_MEM_REQ_UNPLUG, sb_addr(vm, mb, sb), (uint64_t)n * vm->geo.sb_size);

	if (!ret)
		mark(vm, mb, sb, n, false);
	return ret;
}

/* Unplug every plugged run of a block that is not added (any more). */
static int unplug_all_of_block(struct virtio_mem *vm, unsigned long mb)
{
	unsigned int sb = 0, n;
	int ret;

	while (sb < vm->geo.sbs_per_mb) {
		if (!*sb_byte(vm, mb, sb)) {
			sb++;
			continue;
		}
		n = sb_run(vm, mb, sb, vm->geo.sbs_per_mb, vm->geo.sbs_per_mb);
		ret = unplug_sbs_unused(vm, mb, sb, n);
		if (ret)
			return ret;
		sb += n;
	}
	return 0;
}

static int add_block(struct virtio_mem *vm, unsigned long mb)
{
	int ret;

	vm->mb_state[mb] = VM_MB_OFFLINE;	/* the notifier makes it ONLINE if it goes online */
	ret = add_memory_driver_managed(vm->nid, mb_addr(vm, mb), vm->geo.mb_size, VM_RESOURCE_NAME,
					MHP_MEMMAP_ON_MEMORY);
	if (ret)
		vm->mb_state[mb] = VM_MB_UNUSED;
	return ret;
}

/* How many of block mb's sub-blocks lie inside the usable region (plugs stay there). */
static unsigned int usable_sbs(const struct virtio_mem *vm, unsigned long mb)
{
	uint64_t a = mb_addr(vm, mb);

	if (vm->usable_end <= a)
		return 0;
	return (unsigned int)min((uint64_t)vm->geo.sbs_per_mb, (vm->usable_end - a) / vm->geo.sb_size);
}

/*
 * Plug the unplugged sub-blocks of block mb below lim, run by run, until *nb
 * (decremented as they plug) reaches 0. Returns 0 or the first error.
 */
static int plug_free_runs(struct virtio_mem *vm, unsigned long mb, unsigned int lim,
			  unsigned long *nb)
{
	unsigned int sb, n;
	int ret;

	for (sb = 0; sb < lim && *nb;) {
		if (*sb_byte(vm, mb, sb)) {
			sb++;
			continue;
		}
		n = sb_run(vm, mb, sb, lim, *nb);
		ret = plug_sbs(vm, mb, sb, n);
		if (ret)
			return ret;
		*nb -= n;
		sb += n;
	}
	return 0;
}

/* Plug nb sub-blocks. Returns 0 or the first error. */
static int vm_plug(struct virtio_mem *vm, unsigned long nb)
{
	unsigned long mb;
	unsigned int sb;
	int ret;

	/* Added blocks with room first: no add needed. */
	for (mb = 0; mb < vm->geo.nr_mbs && nb; mb++) {
		unsigned int lim = usable_sbs(vm, mb);

		if (vm->mb_state[mb] == VM_MB_UNUSED || vm->mb_plugged[mb] == vm->geo.sbs_per_mb)
			continue;
		ret = plug_free_runs(vm, mb, lim, &nb);
		if (ret)
			return ret;
	}
	/* Then new blocks, lowest first; the memmap sub-blocks are the first ones plugged. */
	for (mb = 0; mb < vm->geo.nr_mbs && nb; mb++) {
		unsigned int had, lim = usable_sbs(vm, mb);

		if (vm->mb_state[mb] != VM_MB_UNUSED)
			continue;
		had = vm->mb_plugged[mb];
		ret = plug_free_runs(vm, mb, lim, &nb);
		if (ret)
			return ret;
		for (sb = 0; sb < vm->vmemmap_sbs; sb++)
			if (!*sb_byte(vm, mb, sb))
				break;
		if (sb < vm->vmemmap_sbs || !vm->mb_plugged[mb])
			continue;	/* its memmap is not plugged yet: a later request completes it */
		ret = add_block(vm, mb);
		if (ret) {
			/* Give back what this call plugged for it; earlier leftovers stay for the next run. */
			pr_err("virtio-mem%d: adding memory block [%#llx, +%#llx) failed (%d); unplugging it\n",
			       vm->id, (unsigned long long)mb_addr(vm, mb), (unsigned long long)vm->geo.mb_size,
			       ret);
			if (vm->mb_plugged[mb] > had)
				unplug_all_of_block(vm, mb);
			return ret;
		}
	}
	return 0;
}

/* ---- unplug ---- */

/* The whole block leaves: offline (migrating), remove, then unplug its sub-blocks. */
static int remove_block(struct virtio_mem *vm, unsigned long mb)
{
	int ret;

	if (vm->mb_state[mb] == VM_MB_ONLINE)
		ret = offline_and_remove_memory(mb_addr(vm, mb), vm->geo.mb_size);
	else
		ret = remove_memory(mb_addr(vm, mb), vm->geo.mb_size);
	if (ret)
		return ret;
	vm->mb_state[mb] = VM_MB_UNUSED;
	/* Plugged but not added if this fails: the next run unplugs it first. */
	return unplug_all_of_block(vm, mb);
}

/* One plugged sub-block of an online block: take its pages, then UNPLUG. */
static int unplug_sb_online(struct virtio_mem *vm, unsigned long mb, unsigned int sb)
{
	unsigned long pfn = sb_pfn(vm, mb, sb), nr = sb_pages(vm), i;
	int ret = alloc_contig_range(pfn, pfn + nr);

	if (ret)
		return ret;
	for (i = 0; i < nr; i++)
		page_take_offline(pfn_to_page(pfn + i));
	ret = vm_send(vm, VIRTIO_MEM_REQ_UNPLUG, sb_addr(vm, mb, sb), vm->geo.sb_size);
	if (ret) {
		give_pages(pfn, nr);
		return ret;
	}
	if (mem_hotplug_begin() == 0) {
		mark(vm, mb, sb, 1, false);
		mem_hotplug_done();
	} else {
		mark(vm, mb, sb, 1, false);
	}
	return 0;
}

/*
 * Unplug the plugged sub-blocks of a block that is not online, one at a
 * time from the top down to sub-block first, until *nb (decremented as they
 * go) reaches 0. Returns 0 or the first error.
 */
static int unplug_unused_down_to(struct virtio_mem *vm, unsigned long mb, unsigned int first,
				 unsigned long *nb)
{
	unsigned int sb;
	int ret;

	for (sb = vm->geo.sbs_per_mb; sb-- > first && *nb;) {
		if (!*sb_byte(vm, mb, sb))
			continue;
		ret = unplug_sbs_unused(vm, mb, sb, 1);
		if (ret)
			return ret;
		(*nb)--;
	}
	return 0;
}

/*
 * Unplug up to *nb sub-blocks of block mb. free_only: touch only what
 * looks free (no migration). Returns 0, or a device error that should stop
 * the whole run (-EBUSY / -EAGAIN / broken); a busy page only skips.
 */
static int unplug_from_block(struct virtio_mem *vm, unsigned long mb, unsigned long *nb, bool free_only)
{
	unsigned int sb, pass;
	int ret;

	if (!vm->mb_plugged[mb])
		return 0;
	if (vm->mb_state[mb] == VM_MB_UNUSED) {
		return unplug_unused_down_to(vm, mb, 0, nb);
	}
	if (*nb >= vm->mb_plugged[mb] &&
	    (!free_only || vm->mb_state[mb] != VM_MB_ONLINE || block_looks_free(vm, mb))) {
		unsigned long was = vm->mb_plugged[mb];

		/* Whole block: offline skips the unplugged pages and migrates the rest. */
		ret = remove_block(vm, mb);
		if (!ret) {
			*nb -= was - vm->mb_plugged[mb];
			return 0;
		}
		if (vm->broken || ret == -EAGAIN)
			return ret;
		/* Busy: single sub-blocks below. */
	}
	if (vm->mb_state[mb] == VM_MB_OFFLINE) {
		return unplug_unused_down_to(vm, mb, vm->vmemmap_sbs, nb);
	}
	/*
	 * Sub-blocks of an online block: not in the free-only round (a block
	 * partly unplugged there would keep its memmap for less); here the free
	 * ones first, then the rest by migration.
	 */
	if (free_only)
		return 0;
	for (pass = 0; pass < 2; pass++) {
		for (sb = vm->geo.sbs_per_mb; sb-- > vm->vmemmap_sbs && *nb;) {
			unsigned long pfn = sb_pfn(vm, mb, sb);

			if (!*sb_byte(vm, mb, sb))
				continue;
			if (pass == 0 && !range_looks_free(pfn, pfn + sb_pages(vm)))
				continue;
			ret = unplug_sb_online(vm, mb, sb);
			if (ret == -EAGAIN && !vm->broken)
				return ret;	/* NACK: the device will not now */
			if (vm->broken)
				return -EIO;
			if (ret)
				continue;	/* busy pages: another sub-block */
			(*nb)--;
		}
	}
	/* Only its memmap left and that much still to go: the block leaves. */
	if (*nb >= vm->mb_plugged[mb] && vm->mb_plugged[mb] == vm->vmemmap_sbs) {
		unsigned long was = vm->mb_plugged[mb];

		ret = remove_block(vm, mb);
		if (!ret)
			*nb -= was - vm->mb_plugged[mb];
		else if (vm->broken || ret == -EAGAIN)
			return ret;
	}
	return 0;
}

/*
 * The online blocks that will leave whole when nb sub-blocks go, from the
 * top: isolate them all before the first migration (on), so that what
 * moves out of one does not land in the next one to go (a cascade that
 * would move the same pages once per block); off: undo it for those still
 * online (their removal failed). offline_pages isolates a block again
 * (harmlessly) and, failing, gives it back to MIGRATE_MOVABLE itself.
 */
static void isolate_leaving_blocks(struct virtio_mem *vm, unsigned long nb, bool on)
{
	unsigned long mb;

	if (mem_hotplug_begin())
		return;
	for (mb = vm->geo.nr_mbs; mb-- > 0;) {
		unsigned long start = PFN_DOWN(mb_addr(vm, mb)) + vm->vmemmap_pages;
		unsigned long end = PFN_DOWN(mb_addr(vm, mb) + vm->geo.mb_size);
		struct zone *zone;

		if (!on && vm->isolated[mb] && vm->mb_state[mb] != VM_MB_ONLINE)
			vm->isolated[mb] = false;	/* it left: nothing to undo */
		if (vm->mb_state[mb] != VM_MB_ONLINE || !vm->isolated[mb] == !on)
			continue;
		if (on && nb < vm->mb_plugged[mb])
			break;
		zone = page_zone(pfn_to_page(start));
		if (on) {
			start_isolate_page_range(zone, start, end);
			nb -= vm->mb_plugged[mb];
		} else {
			undo_isolate_page_range(zone, start, end, MIGRATE_MOVABLE);
		}
		vm->isolated[mb] = on;
	}
	mem_hotplug_done();
}

/* Unplug nb sub-blocks, from the top; returns 0 or what stopped it. */
static int vm_unplug(struct virtio_mem *vm, unsigned long nb)
{
	unsigned long mb;
	int round, ret = 0;

	/* Plugged but not added (a failed add or unplug earlier): nothing to free. */
	for (mb = vm->geo.nr_mbs; mb-- > 0 && nb;) {
		if (vm->mb_state[mb] != VM_MB_UNUSED)
			continue;
		ret = unplug_from_block(vm, mb, &nb, true);
		if (ret)
			return ret;
	}
	for (mb = vm->geo.nr_mbs; mb-- > 0 && nb;) {
		if (vm->mb_state[mb] != VM_MB_OFFLINE)
			continue;
		ret = unplug_from_block(vm, mb, &nb, true);
		if (ret)
			return ret;
	}
	/* Online blocks: what is free first, then with migration. */
	for (round = 0; round < 2; round++) {
		if (round == 1)
			isolate_leaving_blocks(vm, nb, true);
		for (mb = vm->geo.nr_mbs; mb-- > 0 && nb;) {
			if (vm->mb_state[mb] != VM_MB_ONLINE)
				continue;
			ret = unplug_from_block(vm, mb, &nb, round == 0);
			if (ret)
				break;
		}
		if (round == 1)
			isolate_leaving_blocks(vm, 0, false);
		if (ret)
			return ret;
	}
	return nb ? -EBUSY : 0;
}

/* ---- the work ---- */

static void read_config(struct virtio_mem *vm, struct virtio_mem_config *cfg)
{
	vm->t->read_config(vm->priv, cfg);
}

int virtio_mem_run(struct virtio_mem *vm)
{
	struct virtio_mem_config cfg;
	uint64_t t0 = ktime_get_ns(), plugged, requested;
	char err[160];
	int ret = 0, expected = 0;

	if (!__atomic_compare_exchange_n(&vm->running, &expected, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return -EBUSY;
	if (vm->broken) {
		pr_err("virtio-mem%d: the device gave a wrong answer before; not used any more\n", vm->id);
		ret = -EIO;
		goto out;
	}
	if (vm->unplug_all) {
		struct virtio_mem_req req = { .type = VIRTIO_MEM_REQ_UNPLUG_ALL };
		uint8_t resp[sizeof(struct virtio_mem_resp)];
		size_t got = 0;

		ret = vm->t->request(vm->priv, &req, resp, sizeof(resp), &got);
		if (!ret)
			ret = virtio_mem_parse_resp(resp, got, req.type, NULL, err, sizeof(err));
		if (ret == -EBUSY || ret == -EAGAIN) {
			pr_warn("virtio-mem%d: UNPLUG_ALL of what was plugged before: the device is busy; "
				"retrying later\n", vm->id);
			goto retry;
		}
		if (ret) {
			pr_err("virtio-mem%d: UNPLUG_ALL of what was plugged before failed (%d); device not used\n",
			       vm->id, ret);
			vm->broken = true;
			goto out;
		}
		vm->unplug_all = false;
	}
	read_config(vm, &cfg);
	requested = cfg.requested_size;
	if (virtio_mem_check_request(&vm->geo, requested, cfg.usable_region_size, err, sizeof(err))) {
		pr_err("virtio-mem%d: %s; request ignored\n", vm->id, err);
		ret = -EINVAL;
		goto out;
	}
	vm->requested_size = requested;
	vm->usable_end = vm->geo.addr + cfg.usable_region_size;
	plugged = (uint64_t)vm->nr_plugged * vm->geo.sb_size;
	/* Whole sub-blocks only: a request inside one is met from below (plug) or above (unplug). */
	if (plugged + vm->geo.sb_size <= requested)
		ret = vm_plug(vm, (unsigned long)((requested - plugged) / vm->geo.sb_size));
	else if (plugged >= requested + vm->geo.sb_size)
		ret = vm_unplug(vm, (unsigned long)((plugged - requested) / vm->geo.sb_size));
	read_config(vm, &cfg);
	vm->device_plugged_size = cfg.plugged_size;
	vm->last_took_ns = ktime_get_ns() - t0;
	plugged = (uint64_t)vm->nr_plugged * vm->geo.sb_size;
	if (plugged != cfg.plugged_size && !vm->broken)
		pr_warn("virtio-mem%d: the device says %llu bytes are plugged, the driver counts %llu\n",
			vm->id, (unsigned long long)cfg.plugged_size, (unsigned long long)plugged);
	report("virtio_mem", "\"id\":%d,\"plugged\":%llu,\"requested\":%llu,\"device_plugged\":%llu,"
	       "\"result\":%d,\"took_ns\":%llu", vm->id, (unsigned long long)plugged,
	       (unsigned long long)requested, (unsigned long long)cfg.plugged_size, ret,
	       (unsigned long long)vm->last_took_ns);
	if ((ret == -EBUSY || ret == -EAGAIN || ret == -ENOMEM) && !vm->broken) {
retry:
		/* Busy pages or a busy device: later, backing off. */
		vm->retry_ns = vm->retry_ns ? min(vm->retry_ns * 2, VM_RETRY_MAX_NS) : VM_RETRY_MIN_NS;
		vm->retries++;
#ifndef HOTMM_HOST
		/* Delayed work runs when a CPU wakes: make sure one does. */
		lapic_timer_set_hz(100);
#endif
		queue_delayed_work(&vm->work, vm->retry_ns);
	} else {
		vm->retry_ns = 0;
	}
out:
	__atomic_store_n(&vm->running, 0, __ATOMIC_RELEASE);
	return ret;
}

static void vm_work_fn(struct work_struct *w)
{
	struct virtio_mem *vm = container_of(w, struct virtio_mem, work);

	virtio_mem_run(vm);
}

void virtio_mem_config_changed(struct virtio_mem *vm)
{
	/* A new request: start over with short retries. */
	vm->retry_ns = 0;
	cancel_work(&vm->work);
	queue_work(&vm->work);
}

/* ---- probe / remove ---- */

static bool vm_overlaps_ram(uint64_t start, uint64_t size, uint64_t *where)
{
	struct mhp_resource res[32];
	unsigned long i;
	int n;

	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (start < r->base + r->size && r->base < start + size) {
			*where = max(start, r->base);
			return true;
		}
	}
	n = memory_hotplug_resources(res, ARRAY_SIZE(res));
	for (i = 0; n > 0 && i < (unsigned long)min(n, (int)ARRAY_SIZE(res)); i++) {
		if (start < res[i].start + res[i].size && res[i].start < start + size) {
			*where = max(start, res[i].start);
			return true;
		}
	}
	return false;
}

static int vm_pick_node(const struct virtio_mem_config *cfg, bool acpi_pxm, int id)
{
	const struct numa_hotplug_range *w;
	int nid;

	if (acpi_pxm) {
		nid = pxm_to_node(cfg->node_id);
		if (nid != NUMA_NO_NODE && nid >= 0 && nid < MAX_NUMNODES)
			return nid;
		pr_warn("virtio-mem%d: node_id %u is no proximity domain of the SRAT; using the node of "
			"its address\n", id, cfg->node_id);
	}
	w = numa_hotplug_window_of(cfg->addr, cfg->addr + cfg->region_size);
	if (w && w->nid >= 0 && w->nid < MAX_NUMNODES)
		return w->nid;
	return 0;
}

static int vm_set_callbacks(void)
{
	int ret;

	if (callbacks_set)
		return 0;
	ret = set_online_page_callback(vm_online_page);
	if (ret)
		return ret;
	ret = register_memory_notifier(&vm_nb);
	if (ret) {
		restore_online_page_callback(vm_online_page);
		return ret;
	}
	callbacks_set = true;
	return 0;
}

static void vm_free(struct virtio_mem *vm)
{
	kfree(vm->mb_state);
	kfree(vm->sb_plugged);
	kfree(vm->mb_plugged);
	kfree(vm->isolated);
	kfree(vm);
}

struct virtio_mem *virtio_mem_probe(const struct virtio_mem_transport *t, void *priv, bool acpi_pxm)
{
	struct virtio_mem_config cfg;
	struct virtio_mem *vm;
	char err[200];
	unsigned long mb_pages;
	int ret;

	if (nr_devices == VM_MAX_DEVICES) {
		pr_err("virtio-mem (%s): %d devices already; this one is not used\n", t->name, VM_MAX_DEVICES);
		return NULL;
	}
	t->read_config(priv, &cfg);
	vm = kcalloc(1, sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return NULL;
	vm->id = (int)nr_devices;
	vm->t = t;
	vm->priv = priv;
	if (virtio_mem_check_config(&cfg, memory_block_size_bytes(), vm_overlaps_ram, &vm->geo, err,
				    sizeof(err))) {
		pr_err("virtio-mem%d (%s): %s; device not used\n", vm->id, t->name, err);
		kfree(vm);
		return NULL;
	}
	vm->nid = vm_pick_node(&cfg, acpi_pxm, vm->id);
	mb_pages = (unsigned long)(vm->geo.mb_size >> PAGE_SHIFT);
	vm->vmemmap_pages = mhp_memmap_on_memory() ? mb_pages * sizeof(struct page) / PAGE_SIZE : 0;
	vm->vmemmap_sbs = (unsigned int)DIV_ROUND_UP(vm->vmemmap_pages, sb_pages(vm));
	vm->first_pfn = PFN_DOWN(mb_addr(vm, 0));
	vm->end_pfn = vm->first_pfn + vm->geo.nr_mbs * mb_pages;
	vm->mb_state = kcalloc(vm->geo.nr_mbs, 1, GFP_KERNEL);
	vm->sb_plugged = kcalloc(vm->geo.nr_mbs * vm->geo.sbs_per_mb, 1, GFP_KERNEL);
	vm->mb_plugged = kcalloc(vm->geo.nr_mbs, sizeof(*vm->mb_plugged), GFP_KERNEL);
	vm->isolated = kcalloc(vm->geo.nr_mbs, 1, GFP_KERNEL);
	INIT_WORK(&vm->work, vm_work_fn, "virtio_mem");
	if (!vm->mb_state || !vm->sb_plugged || !vm->mb_plugged || !vm->isolated) {
		pr_err("virtio-mem%d: no memory for the state of %lu memory blocks\n", vm->id, vm->geo.nr_mbs);
		vm_free(vm);
		return NULL;
	}
	/* Whatever is plugged from before (a reboot) is unknown to us: the first run unplugs it all. */
	vm->unplug_all = cfg.plugged_size != 0;
	ret = vm_set_callbacks();
	if (ret) {
		pr_err("virtio-mem%d: cannot install the online page callback (%d); device not used\n",
		       vm->id, ret);
		vm_free(vm);
		return NULL;
	}
	devices[nr_devices] = vm;
	__atomic_store_n(&nr_devices, nr_devices + 1, __ATOMIC_RELEASE);
	pr_info("virtio-mem%d (%s): region [%#llx-%#llx) usable %llu MiB, block %llu KiB, sub-block %llu KiB, "
		"%lu memory blocks, node %d\n", vm->id, t->name, (unsigned long long)vm->geo.addr,
		(unsigned long long)(vm->geo.addr + vm->geo.region_size),
		(unsigned long long)(vm->geo.usable_region_size >> 20),
		(unsigned long long)(vm->geo.block_size >> 10), (unsigned long long)(vm->geo.sb_size >> 10),
		vm->geo.nr_mbs, vm->nid);
	return vm;
}

int virtio_mem_remove(struct virtio_mem *vm)
{
	unsigned int i, live;
	int ret, expected = 0;

	cancel_work(&vm->work);
	if (!__atomic_compare_exchange_n(&vm->running, &expected, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return -EBUSY;
	ret = vm_unplug(vm, vm->nr_plugged);
	__atomic_store_n(&vm->running, 0, __ATOMIC_RELEASE);
	if (ret || vm->nr_plugged) {
		pr_err("virtio-mem%d: %lu sub-blocks stay plugged (%d); device stays\n", vm->id,
		       vm->nr_plugged, ret);
		return ret ? ret : -EBUSY;
	}
	/* Under the hotplug lock: no online callback or notifier is looking at vm meanwhile. */
	ret = mem_hotplug_begin();
	if (ret)
		return ret;
	for (i = 0, live = 0; i < nr_devices; i++) {
		if (devices[i] == vm)
			__atomic_store_n(&devices[i], NULL, __ATOMIC_RELEASE);
		live += devices[i] != NULL;
	}
	mem_hotplug_done();
	/* The slot stays (ids are not reused); the last device gives the callbacks back. */
	if (!live && callbacks_set) {
		unregister_memory_notifier(&vm_nb);
		restore_online_page_callback(vm_online_page);
		callbacks_set = false;
	}
	vm_free(vm);
	return 0;
}

/* ---- introspection ---- */

struct virtio_mem *virtio_mem_get(unsigned int n)
{
	return n < __atomic_load_n(&nr_devices, __ATOMIC_ACQUIRE) ? devices[n] : NULL;
}

bool virtio_mem_get_info(unsigned int n, struct virtio_mem_info *info)
{
	struct virtio_mem *vm = virtio_mem_get(n);

	if (!vm)
		return false;
	memset(info, 0, sizeof(*info));
	info->id = vm->id;
	info->nid = vm->nid;
	info->transport = vm->t->name;
	info->geo = vm->geo;
	info->geo.usable_region_size = vm->usable_end > vm->geo.addr ? vm->usable_end - vm->geo.addr : 0;
	info->plugged_size = (uint64_t)vm->nr_plugged * vm->geo.sb_size;
	info->requested_size = vm->requested_size;
	info->device_plugged_size = vm->device_plugged_size;
	info->plug_requests = vm->plug_requests;
	info->unplug_requests = vm->unplug_requests;
	info->failed_requests = vm->failed_requests;
	info->retries = vm->retries;
	info->last_took_ns = vm->last_took_ns;
	return true;
}

int virtio_mem_block_map(unsigned int n, unsigned long i, char *buf, size_t len, char *state,
			 size_t state_len)
{
	static const char *const names[] = { "unused", "offline", "online" };
	struct virtio_mem *vm = virtio_mem_get(n);
	unsigned int sb;

	if (!vm || i >= vm->geo.nr_mbs || len < vm->geo.sbs_per_mb + 1)
		return -EINVAL;
	for (sb = 0; sb < vm->geo.sbs_per_mb; sb++)
		buf[sb] = *sb_byte(vm, i, sb) ? '#' : '.';
	buf[sb] = 0;
	snprintf(state, state_len, "%s", names[vm->mb_state[i]]);
	return 0;
}

/* Host tests: forget every device (their memory is gone with the machine). */
void virtio_mem_reset(void)
{
	unsigned int i;

	for (i = 0; i < nr_devices; i++)
		if (devices[i])
			vm_free(devices[i]);
	memset(devices, 0, sizeof(devices));
	nr_devices = 0;
	callbacks_set = false;
}
