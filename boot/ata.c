/*
 * ata.c - polled ATA PIO reads (LBA28, READ SECTORS 0x20) on the primary bus.
 *
 * Ports (ATA/ATAPI-6): 0x1F0 data, 0x1F1 error, 0x1F2 sector count,
 * 0x1F3..0x1F5 LBA 0..23, 0x1F6 drive/head (bit 6 LBA, bit 4 slave, low
 * nibble LBA 24..27), 0x1F7 status/command; 0x3F6 alternate status/device
 * control (bit 1 nIEN). Status bits: 7 BSY, 6 DRDY, 5 DF, 3 DRQ, 0 ERR.
 */
#include "ata.h"
#include "layout.h"
#include "serial.h"
#include "x86.h"

#define ATA_DATA    0x1F0
#define ATA_ERROR   0x1F1
#define ATA_COUNT   0x1F2
#define ATA_LBA0    0x1F3
#define ATA_LBA1    0x1F4
#define ATA_LBA2    0x1F5
#define ATA_DRIVE   0x1F6
#define ATA_STATUS  0x1F7
#define ATA_CMD     0x1F7
#define ATA_ALTST   0x3F6
#define ATA_DEVCTL  0x3F6

#define ST_BSY  0x80
#define ST_DRDY 0x40
#define ST_DF   0x20
#define ST_DRQ  0x08
#define ST_ERR  0x01

#define CMD_READ_SECTORS 0x20
#define LBA28_LIMIT      (1u << 28)
#define SPIN_LIMIT       20000000u

/* 400 ns settle time: four reads of the alternate status register. */
static void ata_delay(void)
{
	for (int i = 0; i < 4; i++)
		(void)inb(ATA_ALTST);
}

static uint8_t wait_not_busy(void)
{
	for (uint32_t i = 0; i < SPIN_LIMIT; i++) {
		uint8_t st = inb(ATA_STATUS);
		if (!(st & ST_BSY))
			return st;
	}
	panic("ata: timeout waiting for drive (BSY stuck)");
}

void ata_init(void)
{
	outb(ATA_DEVCTL, 0x02); /* nIEN: no interrupts, we poll */
	outb(ATA_DRIVE, 0xE0);  /* master, LBA */
	ata_delay();
	uint8_t st = inb(ATA_STATUS);
	if (st == 0xFF || st == 0x00)
		panic2("ata: no drive on the primary bus, status", st);
	st = wait_not_busy();
	if (!(st & ST_DRDY))
		panic2("ata: primary master not ready, status", st);
}

void ata_read_sectors(uint32_t lba, uint32_t count, void *dst)
{
	uint8_t *p = dst;

	while (count > 0) {
		uint32_t n = count > 256 ? 256 : count;

		if (lba >= LBA28_LIMIT || LBA28_LIMIT - lba < n)
			panic2("ata: read beyond LBA28 range at lba", lba);
		wait_not_busy();
		outb(ATA_DRIVE, (uint8_t)(0xE0 | ((lba >> 24) & 0x0F)));
		outb(ATA_COUNT, (uint8_t)n); /* 0 means 256 */
		outb(ATA_LBA0, (uint8_t)lba);
		outb(ATA_LBA1, (uint8_t)(lba >> 8));
		outb(ATA_LBA2, (uint8_t)(lba >> 16));
		outb(ATA_CMD, CMD_READ_SECTORS);
		for (uint32_t i = 0; i < n; i++) {
			ata_delay();
			uint8_t st = wait_not_busy();
			if (st & (ST_ERR | ST_DF)) {
				print("gojos boot: ata error register ");
				printhex(inb(ATA_ERROR));
				print("\n");
				panic2("ata: read failed at lba", lba + i);
			}
			if (!(st & ST_DRQ))
				panic2("ata: drive not ready for data at lba", lba + i);
			insl(ATA_DATA, p, SECTOR_SIZE / 4);
			p += SECTOR_SIZE;
		}
		lba += n;
		count -= n;
	}
}

static uint8_t bounce[SECTOR_SIZE] __attribute__((aligned(4)));

void disk_read(uint32_t base_lba, uint32_t off, void *dst, uint32_t len)
{
	uint8_t *p = dst;
	uint32_t lba = base_lba + (off >> 9);
	uint32_t skip = off & (SECTOR_SIZE - 1);

	if (skip != 0 && len > 0) { /* unaligned head */
		uint32_t n = SECTOR_SIZE - skip;
		if (n > len)
			n = len;
		ata_read_sectors(lba, 1, bounce);
		for (uint32_t i = 0; i < n; i++)
			p[i] = bounce[skip + i];
		p += n;
		len -= n;
		lba++;
	}
	if (len >= SECTOR_SIZE) { /* whole sectors straight to the destination */
		uint32_t whole = len >> 9;
		ata_read_sectors(lba, whole, p);
		p += whole << 9;
		len -= whole << 9;
		lba += whole;
	}
	if (len > 0) { /* partial tail */
		ata_read_sectors(lba, 1, bounce);
		for (uint32_t i = 0; i < len; i++)
			p[i] = bounce[i];
	}
}
