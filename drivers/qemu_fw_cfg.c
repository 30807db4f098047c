/* SPDX-License-Identifier: MIT */
/*
 * DOC: qemu_fw_cfg.c - reading QEMU's firmware configuration device
 *
 * fw_cfg is how QEMU hands files to the guest (-fw_cfg name=opt/...,string=...).
 * On a PC it is two I/O ports: a 16-bit selector at 0x510 and a data byte at
 * 0x511. Selector 0 returns the signature "QEMU"; nothing here touches the
 * ports further unless that signature is there, because on real hardware
 * those ports may belong to something else. Selector 0x19 is the directory:
 * a big-endian count, then {size, select, reserved, name[56]} per file.
 *
 * The same signature decides whether the kernel may use QEMU's
 * isa-debug-exit port to report test results (kernel/power.c).
 */
#include <errno.h>
#include <string.h>
#include "drivers/qemu_fw_cfg.h"
#include "arch/x86_64/io.h"

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_FILE_DIR		0x0019

static bool present;

static void fw_cfg_select(uint16_t key) { outw(key, FW_CFG_PORT_SEL); }

static void fw_cfg_read(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

void fw_cfg_probe(void)
{
	char sig[4];

	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read(sig, 4);
	present = memcmp(sig, "QEMU", 4) == 0;
}

bool fw_cfg_present(void) { return present; }

long fw_cfg_read_file(const char *name, void *buf, size_t len)
{
	uint8_t hdr[4], ent[64];
	uint32_t count;

	if (!present)
		return -ENODEV;
	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read(hdr, 4);
	count = be32(hdr);
	for (uint32_t i = 0; i < count && i < 4096; i++) {
		fw_cfg_read(ent, sizeof(ent));
		ent[63] = '\0';
		if (strcmp((char *)ent + 8, name) == 0) {
			uint32_t size = be32(ent);
			uint16_t sel = (uint16_t)(ent[4] << 8 | ent[5]);

			fw_cfg_select(sel);
			fw_cfg_read(buf, size < len ? size : len);
			return size;
		}
	}
	return -ENOENT;
}
