/* SPDX-License-Identifier: MIT */
/*
 * DOC: migfill.c - the Linux side of the migration benchmark (tools/bench, hotmm_bench=migrate)
 *
 * Run by /init (tools/bench/init.sh) in the benchmark initramfs, built
 * static with the host's gcc by tools/bench/linux-side.sh:
 *
 *     migfill BASE_MIB SIZE_MIB PERCENT
 *
 * The DIMM at [BASE, BASE + SIZE) is offline (memhp_default_state=offline).
 * migfill onlines its blocks movable, so it is ZONE_MOVABLE, which movable
 * user memory fills first (the zonelist starts at the highest zone); then
 * it maps PERCENT of the zone's managed pages anonymously, with
 * MADV_NOHUGEPAGE so both kernels move 4 KiB pages (hotmm's movable heap has
 * only those), and writes a pattern naming each word's offset into every
 * word. It then writes "offline" to every block's state (sysfs), timed with
 * CLOCK_MONOTONIC around the writes: each write returns when the block is
 * offline, its pages migrated. Last it verifies every word and prints one
 *     @linux {"event":"migrate_offline",...}
 * line: ns, blocks, how much of the mapping sat in ZONE_MOVABLE (managed
 * minus free before and after the fill), pgmigrate_success before and
 * after, bad words, blocks that did not go offline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MEMDIR "/sys/devices/system/memory"

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

static unsigned long long read_hex(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%llx", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static unsigned long long vmstat(const char *name)
{
	char key[64];
	unsigned long long v, found = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	while (f && fscanf(f, "%63s %llu", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	if (f)
		fclose(f);
	return found;
}

/* ZONE_MOVABLE of every node: free and managed pages, from /proc/zoneinfo. */
static void movable_zone(unsigned long long *free_pages, unsigned long long *managed)
{
	char line[256];
	int in_movable = 0;
	unsigned long long v;
	FILE *f = fopen("/proc/zoneinfo", "r");

	*free_pages = *managed = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Node ", 5))
			in_movable = strstr(line, "zone  Movable") || strstr(line, "zone Movable");
		else if (in_movable && sscanf(line, " pages free %llu", &v) == 1)
			*free_pages += v;
		else if (in_movable && sscanf(line, " managed %llu", &v) == 1)
			*managed += v;
	}
	if (f)
		fclose(f);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t pattern(uint64_t off)
{
	return off ^ 0x6d696766696c6c00ull;	/* "migfill" */
}

int main(int argc, char **argv)
{
	unsigned long long base, size, bs, first, nblocks, pct;
	unsigned long long free0, managed, free1, mig0, mig1, bad = 0, words;
	char path[128], failed[512] = "";
	uint64_t *p, t0, ns;
	size_t len;
	int online_failed = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: migfill BASE_MIB SIZE_MIB PERCENT\n");
		return 2;
	}
	base = strtoull(argv[1], NULL, 0) << 20;
	size = strtoull(argv[2], NULL, 0) << 20;
	pct = strtoull(argv[3], NULL, 0);
	bs = read_hex(MEMDIR "/block_size_bytes");
	if (!bs || base % bs || size % bs) {
		printf("@linux {\"event\":\"migrate_error\",\"msg\":\"block size %#llx does not divide the DIMM\"}\n", bs);
		return 1;
	}
	first = base / bs;
	nblocks = size / bs;
	for (unsigned long long i = 0; i < nblocks; i++) {
		snprintf(path, sizeof(path), MEMDIR "/memory%llu/state", first + i);
		if (write_file(path, "online_movable"))
			online_failed++;
	}
	movable_zone(&free0, &managed);
	len = (size_t)(managed * pct / 100) * 4096;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise(p, len, MADV_NOHUGEPAGE)) {
		printf("@linux {\"event\":\"migrate_error\",\"msg\":\"mmap/madvise of %zu bytes: %s\"}\n", len,
		       strerror(errno));
		return 1;
	}
	words = len / 8;
	for (unsigned long long w = 0; w < words; w++)
		p[w] = pattern(w * 8);
	movable_zone(&free1, &managed);
	mig0 = vmstat("pgmigrate_success");

	t0 = now_ns();
	for (unsigned long long i = 0; i < nblocks; i++) {
		snprintf(path, sizeof(path), MEMDIR "/memory%llu/state", first + i);
		if (write_file(path, "offline") && strlen(failed) < sizeof(failed) - 16)
			snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed), "%smemory%llu",
				 *failed ? " " : "", first + i);
	}
	ns = now_ns() - t0;

	mig1 = vmstat("pgmigrate_success");
	for (unsigned long long w = 0; w < words; w++)
		bad += p[w] != pattern(w * 8);
	printf("@linux {\"event\":\"migrate_offline\",\"ns\":%llu,\"blocks\":%llu,\"block_bytes\":%llu,"
	       "\"fill_bytes\":%zu,\"movable_managed_pages\":%llu,\"movable_filled_pages\":%llu,"
	       "\"migrated\":%llu,\"bad_words\":%llu,\"online_failed\":%d,\"failed\":\"%s\"}\n",
	       (unsigned long long)ns, nblocks, bs, len, managed, free0 > free1 ? free0 - free1 : 0,
	       mig1 - mig0, bad, online_failed, failed);
	return 0;
}
