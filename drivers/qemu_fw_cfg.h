/* SPDX-License-Identifier: MIT */
#ifndef HOTMM_DRIVERS_QEMU_FW_CFG_H
#define HOTMM_DRIVERS_QEMU_FW_CFG_H

#include "lib/compiler.h"

/* True once the "QEMU" signature was seen at selector 0. */
bool fw_cfg_present(void);
void fw_cfg_probe(void);
/* Read fw_cfg file `name` into buf (at most len bytes); returns its full size or -ENOENT. */
long fw_cfg_read_file(const char *name, void *buf, size_t len);

#endif
