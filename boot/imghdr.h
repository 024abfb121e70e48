/*
 * imghdr.h - the image header at LBA IMGHDR_LBA (64), written by tools/mkimage.
 *
 * One 512-byte sector, little endian. The Go writer is tools/mkimage/image
 * (header.go); its test checks these offsets. docs/boot.md has the same table.
 */
#ifndef GOJOS_BOOT_IMGHDR_H
#define GOJOS_BOOT_IMGHDR_H

#include <stdint.h>

#define IMGHDR_MAGIC    0x4D494A47u /* bytes "GJIM" */
#define IMGHDR_VERSION  1
#define IMGHDR_CMDLINE  256

struct imghdr {
	uint32_t magic;          /*   0 IMGHDR_MAGIC */
	uint32_t version;        /*   4 IMGHDR_VERSION */
	uint32_t header_size;    /*   8 512 */
	uint32_t flags;          /*  12 0 */
	uint32_t kernel_lba;     /*  16 first sector of the kernel ELF */
	uint32_t kernel_size;    /*  20 bytes */
	uint32_t initrd_lba;     /*  24 0 if none */
	uint32_t initrd_size;    /*  28 bytes, 0 if none */
	uint32_t cmdline_len;    /*  32 strlen(cmdline) */
	uint32_t total_sectors;  /*  36 size of the whole image in sectors */
	uint8_t  reserved0[24];  /*  40 zero */
	char     cmdline[IMGHDR_CMDLINE]; /* 64 NUL-terminated, zero-padded */
	uint8_t  reserved1[188]; /* 320 zero */
	uint32_t checksum;       /* 508 sum of all 128 little-endian words == 0 (mod 2^32) */
};

_Static_assert(sizeof(struct imghdr) == 512, "imghdr size");
_Static_assert(__builtin_offsetof(struct imghdr, cmdline) == 64, "cmdline");
_Static_assert(__builtin_offsetof(struct imghdr, checksum) == 508, "checksum");

#endif
