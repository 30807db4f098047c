/* SPDX-License-Identifier: MIT */
#ifndef HOTMM_ARCH_PIC_H
#define HOTMM_ARCH_PIC_H

void pic_init(void);		/* remap to 0x20-0x2f, everything masked */
void pic_unmask(int irq);
void pic_mask(int irq);
void pic_eoi(int irq);

#endif
