/* ata.h - ATA PIO reads from the primary master (the BIOS boot disk under QEMU). */
#ifndef GOJOS_BOOT_ATA_H
#define GOJOS_BOOT_ATA_H

#include <stdint.h>

/* ata_init checks that a drive answers on the primary bus; panics if not. */
void ata_init(void);

/* ata_read_sectors reads count sectors starting at lba into dst (LBA28).
 * Panics on any drive error. */
void ata_read_sectors(uint32_t lba, uint32_t count, void *dst);

/* disk_read reads len bytes starting off bytes after the start of sector
 * base_lba (any alignment) into dst. Panics on error. */
void disk_read(uint32_t base_lba, uint32_t off, void *dst, uint32_t len);

#endif
