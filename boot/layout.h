/*
 * layout.h - fixed addresses and disk positions of the gojos boot loader.
 *
 * Included by stage1.S (assembler, so only #defines here) and by the C stage 2.
 * docs/boot.md describes the same numbers; keep them in sync.
 */
#ifndef GOJOS_BOOT_LAYOUT_H
#define GOJOS_BOOT_LAYOUT_H

/* ---- disk (512-byte sectors, LBA) ---- */
#define SECTOR_SIZE        512
#define STAGE2_LBA         1       /* stage 2 occupies LBA 1..63 */
#define STAGE2_SECTORS     63      /* always read in full by stage 1 */
#define IMGHDR_LBA         64      /* image header (one sector), written by mkimage */
#define IMG_DATA_LBA       65      /* first sector available for kernel/initrd */

/* ---- physical memory used by the loader (all below 1 MiB) ---- */
#define E820_BUF           0x1000  /* raw e820 entries, 24 bytes each */
#define E820_MAX           128     /* entries stage 1 collects at most */
#define PAGE_DIR           0x2000  /* page directory handed to the kernel in CR3 */
#define BOOTINFO_ADDR      0x3000  /* struct bootinfo (physical) */
#define LOADER_STACK_TOP   0x7C00  /* loader stack grows down from here to 0x4000 */
#define STAGE1_ADDR        0x7C00
#define STAGE2_ADDR        0x7E00
#define STAGE2_END         (STAGE2_ADDR + STAGE2_SECTORS * SECTOR_SIZE) /* 0xFC00 */

/* ---- kernel placement ---- */
#define KERNBASE           0xC0000000u /* kernel image: virtual = physical + KERNBASE */
#define DIRECTMAP          0xD0000000u /* all physical memory: virtual = physical + DIRECTMAP */
#define KERNEL_MIN_PHYS    0x00100000u /* PT_LOAD segments must start at or above 1 MiB */
#define MAP_LIMIT          0x40000000u /* loader maps physical [0, 1 GiB) at 0, and ... */
#define KERNBASE_LIMIT     (DIRECTMAP - KERNBASE)  /* [0, 256 MiB) at KERNBASE, */
#define DIRECTMAP_LIMIT    (0u - DIRECTMAP)        /* [0, 768 MiB) at DIRECTMAP */
#define PAGE_SIZE          4096

/* ---- GDT selectors set up by stage 1 ---- */
#define SEG_KCODE          0x08
#define SEG_KDATA          0x10

/* ---- hand-over ---- */
#define BOOT_EAX_MAGIC     0x42494A47u /* "GJIB": EAX at kernel entry == bootinfo magic */

/* ---- COM1 ---- */
#define COM1               0x3F8

#endif
