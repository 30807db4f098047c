/* SPDX-License-Identifier: MIT */
/*
 * DOC: memtest_balloon.h - the in-tree test driver for fake-offline pages
 *
 * See drivers/memtest_balloon.c. Not for use alongside another driver that
 * sets the online page callback; deflate only while no hotplug operation runs.
 */
#ifndef HOTMM_DRIVERS_MEMTEST_BALLOON_H
#define HOTMM_DRIVERS_MEMTEST_BALLOON_H

#include "lib/compiler.h"

/* Hold one max-order piece in every one_in of each block onlined from now on. */
int memtest_balloon_start(unsigned int one_in);
void memtest_balloon_stop(void);
/*
 * Take an allocated order-0 page of an online memory block (the caller's
 * reference becomes the balloon's): it turns Offline and leaves managed.
 * 0, or -EINVAL (nothing changed) for any other page or a stopped balloon.
 */
struct page;
int memtest_balloon_take(struct page *page);
/* Pages held Offline now. */
unsigned long memtest_balloon_held(void);
/* Give every held page of the online blocks to the buddy; returns how many. */
unsigned long memtest_balloon_deflate(void);
/* Host tests. */
void memtest_balloon_reset(void);

#endif
