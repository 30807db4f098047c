/* SPDX-License-Identifier: MIT */
/*
 * DOC: mem_api.c - the memory state as JSON and Prometheus text (see mem_api.h)
 *
 * meminfo and /metrics need the pfn walker's counts (Slab, PageTables...),
 * /api/blocks and /metrics every block's page mix: one walk of each serves
 * every request for 500 ms (a page refreshing every second from 50 clients
 * must not walk memory 50 times a second); answers say how old it is. A
 * memory notifier drops both at once when a block changes state, so a
 * DIMM plugged or a block offlined shows in the next answer. The walk and
 * the per-block page mix hold the hotplug lock, so no section's memmap
 * goes away under them. Units: meminfo in kB like /proc/meminfo and the
 * shell, metrics in bytes like node_exporter, pages where Linux counts
 * pages (zoneinfo).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/net/mem_api.h"
#include "drivers/net/netdev.h"
#include "drivers/net/net_services.h"
#include "drivers/acpi/acpi_memhotplug.h"
#include "lib/json.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/pagetypes.h"
#include "mm/sparse.h"
#include "mm/mm_init.h"
#include "mm/memory_block.h"
#include "mm/memory_hotplug.h"
#include "mm/vmstat.h"
#include "mm/slab.h"
#include "kernel/printk.h"
#include "arch/x86_64/spinlock.h"
#include "arch/x86_64/tsc.h"
#include "lwip/stats.h"
#include "lwip/memp.h"

#define K(pages)	((unsigned long)(pages) << (PAGE_SHIFT - 10))
#define WALK_MAX_AGE_NS	500000000ull

static DEFINE_SPINLOCK(walk_lock);
static struct pagetypes_result walk;
static uint64_t walk_ns;
static bool walk_valid;
/* Set by the memory notifier: a block changed state, the kept walks are stale. */
static bool walks_stale, cells_stale;

static int mem_api_memory_event(struct memory_notifier *nb, enum memory_notify_action action,
				const struct memory_notify *arg)
{
	WRITE_ONCE(walks_stale, true);
	WRITE_ONCE(cells_stale, true);
	return 0;
}

static struct memory_notifier mem_api_nb = { .fn = mem_api_memory_event };

int mem_api_init(void)
{
	return register_memory_notifier(&mem_api_nb);
}

/* Lock the shared walk result, walking again if it is older than 500 ms. */
static int walk_get(void)
{
	int ret;

	while (!spin_trylock(&walk_lock))
		cpu_relax();
	if (walk_valid && !READ_ONCE(walks_stale) && ktime_get_ns() - walk_ns < WALK_MAX_AGE_NS)
		return 0;
	ret = mem_hotplug_begin();
	if (ret) {
		spin_unlock(&walk_lock);
		return ret;
	}
	WRITE_ONCE(walks_stale, false);		/* under the hotplug lock: no event can slip between */
	pagetypes_walk(&walk);
	mem_hotplug_done();
	walk_ns = ktime_get_ns();
	walk_valid = true;
	return 0;
}

static void walk_put(void)
{
	spin_unlock(&walk_lock);
}

static unsigned long sum_type(enum page_type t)
{
	unsigned long n = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			n += walk.count[nid][z][t];
	return n;
}

int mem_api_meminfo(struct strbuf *sb)
{
	struct json j;
	unsigned long total = totalram_pages(), free = nr_free_pages();
	int ret = walk_get();

	if (ret)
		return ret;
	json_init(&j, sb);
	json_object_begin(&j, NULL);
	json_str(&j, "unit", "kB");
	json_u64(&j, "MemTotal", K(total));
	json_u64(&j, "MemFree", K(free));
	json_u64(&j, "MemAvailable", K(free));
	json_u64(&j, "Slab", K(sum_type(PGTY_SLAB)));
	json_u64(&j, "PageTables", K(sum_type(PGTY_PAGETABLE)));
	json_u64(&j, "HardwareCorrupted", K(sum_type(PGTY_HWPOISON)));
	json_u64(&j, "MemPresent", K(total_present_pages()));
	json_u64(&j, "Reserved", K(sum_type(PGTY_RESERVED)));
	json_u64(&j, "Allocated", K(sum_type(PGTY_ALLOCATED)));
	json_u64(&j, "Offline", K(sum_type(PGTY_OFFLINE)));
	json_u64(&j, "VmemmapSelfHosted", K(sum_type(PGTY_VMEMMAP_SELF_HOSTED)));
	json_u64(&j, "DeferredInit", K(deferred_pages_pending()));
	json_u64(&j, "sections_not_counted", walk.sections_skipped);
	json_u64(&j, "walk_age_ms", (ktime_get_ns() - walk_ns) / 1000000);
	json_object_end(&j);
	walk_put();
	return json_ok(&j) ? 0 : -ENOMEM;
}

int mem_api_zoneinfo(struct strbuf *sb)
{
	struct json j;
	struct zone *zone;
	int nid;

	json_init(&j, sb);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "zones");
	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			json_object_begin(&j, NULL);
			json_i64(&j, "node", nid);
			json_str(&j, "zone", zone->name);
			json_u64(&j, "free", READ_ONCE(zone->free_pages) + zone_pcp_count(zone));
			json_u64(&j, "spanned", zone->spanned_pages);
			json_u64(&j, "present", zone->present_pages);
			json_u64(&j, "managed", zone_managed_pages(zone));
			json_u64(&j, "start_pfn", zone->zone_start_pfn);
			json_array_begin(&j, "nr_free_by_order");
			for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
				json_u64(&j, NULL, READ_ONCE(zone->free_area[o].nr_free));
			json_array_end(&j);
			json_object_end(&j);
		}
	}
	json_array_end(&j);
	json_object_end(&j);
	return json_ok(&j) ? 0 : -ENOMEM;
}

/* ---- blocks: every block-sized piece of present memory, hot-added or boot ---- */
struct cell {
	unsigned long id;
	bool is_block;			/* a memory block (boot RAM or hot-added), else memory in no block */
	struct memory_block mem;
	int slot;			/* ACPI memory-hotplug slot holding it, -1 if none */
	unsigned long types[NR_PAGE_TYPES];
	unsigned long node_pages[MAX_NUMNODES < 8 ? MAX_NUMNODES : 8];
	unsigned long zone_pages[MAX_NR_ZONES];
	unsigned long not_initialized;
};

static void count_section(struct cell *c, unsigned long nr)
{
	const struct mem_section *ms = __nr_to_section(nr);
	unsigned long pfn = section_nr_to_pfn(nr), end = pfn + PAGES_PER_SECTION, n;
	enum page_type head = PGTY_NOMEMORY;

	if (!(ms->flags & SECTION_HAS_MEM_MAP)) {
		c->not_initialized += PAGES_PER_SECTION;
		return;
	}
	n = __atomic_load_n(&ms->init_pages, __ATOMIC_ACQUIRE);
	if (n < PAGES_PER_SECTION && !(ms->flags & SECTION_MEMMAP_PARTIAL)) {
		c->not_initialized += PAGES_PER_SECTION;	/* deferred init still running */
		return;
	}
	if (n < PAGES_PER_SECTION) {
		c->not_initialized += PAGES_PER_SECTION - n;	/* offline: only its own memmap is pages */
		end = pfn + n;
	}
	for (; pfn < end; pfn++) {
		const struct page *page = pfn_to_page(pfn);
		enum page_type t = page_type(page);

		/* Racy by design (nothing is locked against allocations): a count, not a check. */
		if (t >= NR_PAGE_TYPES)
			continue;
		if (t == PGTY_TAIL)
			t = head;
		else if (page_type_is_head(t))
			head = t;
		c->types[t]++;
		if (t != PGTY_NOMEMORY && t != PGTY_UNINIT) {
			if (page->nid < ARRAY_SIZE(c->node_pages))
				c->node_pages[page->nid]++;
			if (page->zone_idx < MAX_NR_ZONES)
				c->zone_pages[page->zone_idx]++;
		}
	}
}

static int argmax(const unsigned long *v, int n)
{
	int best = -1;

	for (int i = 0; i < n; i++)
		if (v[i] && (best < 0 || v[i] > v[best]))
			best = i;
	return best;
}

/* Fill cells[]; returns how many, or -errno. */
static int collect_cells(struct cell **out, unsigned long *block_pages)
{
	unsigned long first, end, nr, bp;
	unsigned int cap = 64;
	int n = 0, ret;
	struct cell *cells = calloc(cap, sizeof(*cells));

	if (!cells)
		return -ENOMEM;
	ret = mem_hotplug_begin();
	if (ret) {
		free(cells);
		return ret;
	}
	bp = memory_block_pages();
	if (sparse_present_span(&first, &end)) {
		for (nr = first; nr < end; nr++) {
			unsigned long id = section_nr_to_pfn(nr) / bp;
			struct cell *c;

			if (!present_section_nr(nr))
				continue;
			if (!n || cells[n - 1].id != id) {
				struct memory_block *mem = find_memory_block(id);

				if (n == (int)cap) {
					struct cell *nc = realloc(cells, 2 * cap * sizeof(*cells));

					if (!nc) {
						mem_hotplug_done();
						free(cells);
						return -ENOMEM;
					}
					memset(nc + cap, 0, cap * sizeof(*cells));
					cells = nc;
					cap *= 2;
				}
				c = &cells[n++];
				c->id = id;
				c->slot = -1;
				if (mem) {
					c->is_block = true;
					c->mem = *mem;
				}
			}
			count_section(&cells[n - 1], nr);
		}
	}
	mem_hotplug_done();
	/* the ACPI slot a block belongs to, for the page's eject button */
	for (int i = 0; i < n; i++) {
		uint64_t start = PFN_PHYS(cells[i].id * bp);

		cells[i].slot = -1;
		for (unsigned int s = 0; s < memhp_nr_slots(); s++) {
			struct memhp_slot sl;

			if (memhp_get_slot(s, &sl) && sl.enabled && start >= sl.base && start < sl.base + sl.size)
				cells[i].slot = (int)s;
		}
	}
	*out = cells;
	*block_pages = bp;
	return n;
}

/*
 * The cells, walked at most every 500 ms like the pfn walk: held under
 * cells_lock between cells_get() and cells_put().
 */
static DEFINE_SPINLOCK(cells_lock);
static struct cell *cells_cache;
static int cells_n;
static unsigned long cells_bp;
static uint64_t cells_ns;

static int cells_get(struct cell **cells, unsigned long *bp)
{
	while (!spin_trylock(&cells_lock))
		cpu_relax();
	if (!cells_cache || READ_ONCE(cells_stale) || ktime_get_ns() - cells_ns >= WALK_MAX_AGE_NS) {
		struct cell *c;
		unsigned long b;
		int n;

		/* before the walk: an event during it marks it stale again */
		WRITE_ONCE(cells_stale, false);
		n = collect_cells(&c, &b);
		if (n < 0) {
			spin_unlock(&cells_lock);
			return n;
		}
		free(cells_cache);
		cells_cache = c;
		cells_n = n;
		cells_bp = b;
		cells_ns = ktime_get_ns();
	}
	*cells = cells_cache;
	*bp = cells_bp;
	return cells_n;
}

static void cells_put(void)
{
	spin_unlock(&cells_lock);
}

int mem_api_blocks(struct strbuf *sb)
{
	struct cell *cells;
	unsigned long bp;
	struct json j;
	int n = cells_get(&cells, &bp), nid;

	if (n < 0)
		return n;
	json_init(&j, sb);
	json_object_begin(&j, NULL);
	json_u64(&j, "block_size", (uint64_t)bp << PAGE_SHIFT);
	json_u64(&j, "page_size", PAGE_SIZE);
	json_str(&j, "default_online", mhp_online_type_name(mhp_get_default_online_type()));
	json_array_begin(&j, "nodes");
	for_each_online_node(nid) {
		json_object_begin(&j, NULL);
		json_i64(&j, "id", nid);
		json_u64(&j, "start_pfn", NODE_DATA(nid)->node_start_pfn);
		json_u64(&j, "spanned", NODE_DATA(nid)->node_spanned_pages);
		json_u64(&j, "present", NODE_DATA(nid)->node_present_pages);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "blocks");
	for (int i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		int node = argmax(c->node_pages, ARRAY_SIZE(c->node_pages));
		int zone = argmax(c->zone_pages, MAX_NR_ZONES);

		json_object_begin(&j, NULL);
		json_u64(&j, "id", c->id);
		json_u64(&j, "start", PFN_PHYS(c->id * bp));
		json_u64(&j, "size", (uint64_t)bp << PAGE_SHIFT);
		json_bool(&j, "block", c->is_block);
		json_bool(&j, "hotplug", c->is_block && !c->mem.boot);
		json_str(&j, "source", c->is_block && !c->mem.boot ? "hotplug" : "boot");
		if (c->is_block) {
			json_str(&j, "state", memory_block_state_name(c->mem.state));
			json_i64(&j, "node", c->mem.nid);
			json_str(&j, "zone", c->mem.state == MEM_BLOCK_OFFLINE ? "" : zone_names[c->mem.zone]);
			json_u64(&j, "vmemmap_pages", c->mem.nr_vmemmap_pages);
			json_u64(&j, "online_count", c->mem.online_count);
		} else {
			json_str(&j, "state", "boot");
			json_i64(&j, "node", node);
			json_str(&j, "zone", zone >= 0 ? zone_names[zone] : "");
		}
		json_i64(&j, "slot", c->slot);
		json_object_begin(&j, "pages");
		for (int t = PGTY_NOMEMORY; t < NR_PAGE_TYPES; t++)
			if (t != PGTY_TAIL && c->types[t])
				json_u64(&j, page_type_name(t), c->types[t]);
		if (c->not_initialized)
			json_u64(&j, "NotInitialized", c->not_initialized);
		json_object_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_u64(&j, "age_ms", (ktime_get_ns() - cells_ns) / 1000000);
	json_object_end(&j);
	cells_put();
	return json_ok(&j) ? 0 : -ENOMEM;
}

int mem_api_events(struct strbuf *sb)
{
	size_t len = 64 * 1024, n, pos = 0;
	char *buf = malloc(len);
	struct json j;

	if (!buf)
		return -ENOMEM;
	n = report_history(buf, len);
	json_init(&j, sb);
	json_array_begin(&j, NULL);
	while (pos < n) {
		char *nl = memchr(buf + pos, '\n', n - pos);
		size_t l = nl ? (size_t)(nl - (buf + pos)) : n - pos;
		const char *line = buf + pos;

		pos += l + 1;
		/* whole objects only: a line report_format had to cut short is left out */
		if (l > 9 && !memcmp(line, "@hotmm {", 8) && line[l - 1] == '}')
			json_raw(&j, NULL, line + 7, l - 7);
	}
	json_array_end(&j);
	free(buf);
	return json_ok(&j) ? 0 : -ENOMEM;
}

/* ---- history of free pages per zone ---- */
#define HIST_SAMPLES	300	/* every 2 s: 10 minutes */
#define HIST_ZONES	8
static struct {
	uint64_t ns;
	uint32_t free[HIST_ZONES];
} hist[HIST_SAMPLES];
static unsigned int hist_n;	/* samples ever taken */
static char hist_names[HIST_ZONES][24];
static unsigned int hist_nzones;

void mem_api_sample(void)
{
	unsigned int k = 0, slot = hist_n % HIST_SAMPLES;
	struct zone *zone;
	int nid;

	hist[slot].ns = ktime_get_ns();
	for_each_online_node(nid) {
		for_each_zone_of(zone, NODE_DATA(nid)) {
			if (k == HIST_ZONES)
				break;
			if (!zone->spanned_pages && k >= hist_nzones)
				continue;	/* a zone never used has no line yet */
			if (k >= hist_nzones) {
				snprintf(hist_names[k], sizeof(hist_names[k]), "%d/%s", nid, zone->name);
				hist_nzones = k + 1;
			}
			hist[slot].free[k++] = (uint32_t)(READ_ONCE(zone->free_pages) + zone_pcp_count(zone));
		}
	}
	hist_n++;
}

int mem_api_history(struct strbuf *sb)
{
	unsigned int n = min(hist_n, (unsigned int)HIST_SAMPLES), first = hist_n - n;
	struct json j;

	json_init(&j, sb);
	json_object_begin(&j, NULL);
	json_u64(&j, "interval_ms", 2000);
	json_array_begin(&j, "zones");
	for (unsigned int z = 0; z < hist_nzones; z++)
		json_str(&j, NULL, hist_names[z]);
	json_array_end(&j);
	json_array_begin(&j, "samples");
	for (unsigned int i = 0; i < n; i++) {
		unsigned int s = (first + i) % HIST_SAMPLES;

		json_array_begin(&j, NULL);
		json_u64(&j, NULL, hist[s].ns / 1000000);
		for (unsigned int z = 0; z < hist_nzones; z++)
			json_u64(&j, NULL, hist[s].free[z]);
		json_array_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	return json_ok(&j) ? 0 : -ENOMEM;
}

/* ---- Prometheus text format ---- */
static void metric_head(struct strbuf *sb, const char *name, const char *type, const char *help)
{
	strbuf_addf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int mem_api_metrics(struct strbuf *sb)
{
	unsigned long total = totalram_pages(), free_pages = nr_free_pages();
	struct net_service_stats hs, ss;
	struct net_device *dev = net_first_device();
	struct cell *cells;
	unsigned long bp;
	struct zone *zone;
	int nid, n, ret;

	ret = walk_get();
	if (ret)
		return ret;
	metric_head(sb, "node_memory_MemTotal_bytes", "gauge", "Memory information field MemTotal_bytes.");
	strbuf_addf(sb, "node_memory_MemTotal_bytes %lu\n", K(total) * 1024);
	metric_head(sb, "node_memory_MemFree_bytes", "gauge", "Memory information field MemFree_bytes.");
	strbuf_addf(sb, "node_memory_MemFree_bytes %lu\n", K(free_pages) * 1024);
	metric_head(sb, "node_memory_MemAvailable_bytes", "gauge", "Memory information field MemAvailable_bytes.");
	strbuf_addf(sb, "node_memory_MemAvailable_bytes %lu\n", K(free_pages) * 1024);
	metric_head(sb, "node_memory_Slab_bytes", "gauge", "Memory information field Slab_bytes.");
	strbuf_addf(sb, "node_memory_Slab_bytes %lu\n", K(sum_type(PGTY_SLAB)) * 1024);
	metric_head(sb, "node_memory_PageTables_bytes", "gauge", "Memory information field PageTables_bytes.");
	strbuf_addf(sb, "node_memory_PageTables_bytes %lu\n", K(sum_type(PGTY_PAGETABLE)) * 1024);
	metric_head(sb, "node_memory_HardwareCorrupted_bytes", "gauge",
		    "Memory information field HardwareCorrupted_bytes.");
	strbuf_addf(sb, "node_memory_HardwareCorrupted_bytes %lu\n", K(sum_type(PGTY_HWPOISON)) * 1024);
	metric_head(sb, "hotmm_page_type_pages", "gauge", "Pages per node, zone and page type (the pfn walker).");
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			for (int t = PGTY_NOMEMORY; t < NR_PAGE_TYPES; t++)
				if (t != PGTY_TAIL && walk.count[nid][z][t])
					strbuf_addf(sb, "hotmm_page_type_pages{node=\"%d\",zone=\"%s\",type=\"%s\"} %lu\n",
						    nid, zone_names[z], page_type_name(t), walk.count[nid][z][t]);
	walk_put();

	static const char *const zone_metric[][2] = {
		{ "hotmm_zone_free_pages", "Free pages of the zone (free lists and per-CPU lists)." },
		{ "hotmm_zone_managed_pages", "Pages the buddy allocator manages in the zone." },
		{ "hotmm_zone_present_pages", "Pages with RAM in the zone." },
		{ "hotmm_zone_spanned_pages", "Pages the zone spans, holes included." },
	};
	for (unsigned int m = 0; m < ARRAY_SIZE(zone_metric); m++) {
		metric_head(sb, zone_metric[m][0], "gauge", zone_metric[m][1]);
		for_each_online_node(nid) {
			for_each_zone_of(zone, NODE_DATA(nid)) {
				unsigned long v = m == 0 ? READ_ONCE(zone->free_pages) + zone_pcp_count(zone)
					: m == 1 ? zone_managed_pages(zone)
					: m == 2 ? zone->present_pages : zone->spanned_pages;

				strbuf_addf(sb, "%s{node=\"%d\",zone=\"%s\"} %lu\n", zone_metric[m][0], nid,
					    zone->name, v);
			}
		}
	}

	n = cells_get(&cells, &bp);
	if (n >= 0) {
		metric_head(sb, "hotmm_memory_block_online", "gauge",
			    "1 if the memory block is online (boot memory always is).");
		for (int i = 0; i < n; i++) {
			const struct cell *c = &cells[i];
			const char *state = c->is_block ? memory_block_state_name(c->mem.state) : "boot";
			int node = c->is_block ? c->mem.nid : argmax(c->node_pages, ARRAY_SIZE(c->node_pages));

			strbuf_addf(sb, "hotmm_memory_block_online{block=\"%lu\",node=\"%d\",state=\"%s\"} %d\n",
				    c->id, node, state, !c->is_block || c->mem.state == MEM_BLOCK_ONLINE);
		}
		metric_head(sb, "hotmm_memory_block_free_pages", "gauge", "Free (Buddy) pages in the memory block.");
		for (int i = 0; i < n; i++)
			strbuf_addf(sb, "hotmm_memory_block_free_pages{block=\"%lu\"} %lu\n", cells[i].id,
				    cells[i].types[PGTY_BUDDY]);
		cells_put();
	}

	metric_head(sb, "hotmm_vmstat_total", "counter", "Event counters, with /proc/vmstat's names.");
	for (int e = 0; e < NR_VM_EVENT_ITEMS; e++)
		strbuf_addf(sb, "hotmm_vmstat_total{event=\"%s\"} %lu\n", vm_event_name(e), vm_event_count(e));

	if (dev) {
		static const char *const dev_metric[][2] = {
			{ "node_network_receive_packets_total", "Network device statistic receive_packets." },
			{ "node_network_transmit_packets_total", "Network device statistic transmit_packets." },
			{ "node_network_receive_bytes_total", "Network device statistic receive_bytes." },
			{ "node_network_transmit_bytes_total", "Network device statistic transmit_bytes." },
			{ "node_network_receive_errs_total", "Network device statistic receive_errs." },
			{ "node_network_transmit_errs_total", "Network device statistic transmit_errs." },
			{ "node_network_receive_drop_total", "Network device statistic receive_drop." },
			{ "node_network_transmit_drop_total", "Network device statistic transmit_drop." },
		};
		for (unsigned int m = 0; m < ARRAY_SIZE(dev_metric); m++) {
			uint64_t v[] = { dev->rx_packets, dev->tx_packets, dev->rx_bytes, dev->tx_bytes,
					 dev->rx_errors, dev->tx_errors, dev->rx_dropped, dev->tx_dropped };

			metric_head(sb, dev_metric[m][0], "counter", dev_metric[m][1]);
			strbuf_addf(sb, "%s{device=\"%s\"} %llu\n", dev_metric[m][0], dev->name,
				    (unsigned long long)v[m]);
		}
	}
	httpd_stats(&hs);
	tcp_shell_stats(&ss);
	metric_head(sb, "hotmm_net_connections", "gauge", "Open connections per service.");
	strbuf_addf(sb, "hotmm_net_connections{service=\"http\"} %u\n", hs.conns);
	strbuf_addf(sb, "hotmm_net_connections{service=\"shell\"} %u\n", ss.conns);
	metric_head(sb, "hotmm_net_requests_total", "counter", "Requests (HTTP) and commands (shell) served.");
	strbuf_addf(sb, "hotmm_net_requests_total{service=\"http\"} %lu\n", hs.requests);
	strbuf_addf(sb, "hotmm_net_requests_total{service=\"shell\"} %lu\n", ss.requests);
	metric_head(sb, "hotmm_net_refused_total", "counter", "Connections refused at the limit.");
	strbuf_addf(sb, "hotmm_net_refused_total{service=\"http\"} %lu\n", hs.refused);
	strbuf_addf(sb, "hotmm_net_refused_total{service=\"shell\"} %lu\n", ss.refused);
	return sb->overflow ? -ENOMEM : 0;
}
