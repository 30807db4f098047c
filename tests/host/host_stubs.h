/* SPDX-License-Identifier: MIT */
/*
 * DOC: host_stubs.h - what the kernel's environment looks like in a host test
 *
 * Host tests compile the kernel's own sources (mm/, drivers/acpi/, boot/)
 * with -DHOTMM_HOST and link host_stubs.c in place of the console, panic and
 * per-CPU code. Everything printed is kept in host_log so a test can check
 * that an error message names what was wrong; set HOTMM_TEST_VERBOSE=1 in
 * the environment to see it on stderr as well.
 */
#ifndef HOTMM_TESTS_HOST_STUBS_H
#define HOTMM_TESTS_HOST_STUBS_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

extern char host_log[1 << 16];
extern size_t host_log_len;

void host_log_clear(void);
/* True when the log holds the substring since the last clear. */
bool host_log_contains(const char *needle);

/*
 * To test that something panics: set host_panic_jmp to a jmp_buf and
 * setjmp() it; panic() then longjmps there with 1 instead of aborting.
 */
extern jmp_buf *host_panic_jmp;
extern char host_panic_msg[512];

#endif
