/* SPDX-License-Identifier: MIT */
/*
 * DOC: xorshift.h - a small reproducible pseudo-random generator for tests
 *
 * Marsaglia's xorshift64: each caller keeps its own state (never zero), so
 * a test's sequence depends on nothing else and shares no state with
 * newlib's rand().
 */
#ifndef HOTMM_LIB_XORSHIFT_H
#define HOTMM_LIB_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

#endif
