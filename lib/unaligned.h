/* SPDX-License-Identifier: MIT */
/*
 * DOC: unaligned.h - little-endian reads and writes at any byte address
 *
 * Firmware structures (multiboot2 tags, the EFI system table) put 64-bit
 * fields at 4-byte offsets; a plain dereference there is undefined in C
 * (and UBSan says so in the host tests). memcpy() is what the compiler turns
 * into one plain load or store on x86_64, which is little-endian, so no
 * byte swapping is needed.
 */
#ifndef HOTMM_LIB_UNALIGNED_H
#define HOTMM_LIB_UNALIGNED_H

#include <stdint.h>
#include <string.h>

static inline uint32_t get_unaligned_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t get_unaligned_le64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void put_unaligned_le32(uint32_t v, void *p)
{
	memcpy(p, &v, sizeof(v));
}

static inline void put_unaligned_le64(uint64_t v, void *p)
{
	memcpy(p, &v, sizeof(v));
}

#endif
