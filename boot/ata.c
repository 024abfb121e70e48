/*
 * ata.c - polled ATA PIO reads (LBA28, READ SECTORS 0x20) on the primary bus.
 *
 * Ports (ATA/ATAPI-6): 0x1F0 data, 0x1F1 error, 0x1F2 sector count,
 * 0x1F3..0x1F5 LBA 0..23, 0x1F6 drive/head (bit 6 LBA, bit 4 slave, low
 * nibble LBA 24..27), 0x1F7 status/command; 0x3F6 alternate status/device
 * control (bit 1 nIEN). Status bits: 7 BSY, 6 DRDY, 5 DF, 3 DRQ, 0 ERR.
 *
 * Whole sectors go by bus-master DMA (READ DMA 0xC8) when the PCI bus has an
 * IDE controller with a bus-master function (QEMU's PIIX3/PIIX4): one
 * command moves up to 256 sectors with no per-word port I/O, which under
 * emulation is most of a PIO read's cost. Bus-master registers (primary
 * channel, at BAR4): +0 command (bit 0 start, bit 3 device-to-memory), +2
 * status (bit 0 active, bit 1 error, bit 2 interrupt; bits 1-2 write 1 to
 * clear), +4 physical address of the PRD table (entries: address, byte
 * count with 0 = 64 KiB, bit 15 of the last word = end of table; a region
 * may not cross a 64 KiB boundary). Without one, or after a DMA error, the
 * loader reads by polled PIO as before.
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
#define CMD_READ_DMA     0xC8

#define PCI_CONFIG_ADDR 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define BM_CMD    0
#define BM_STATUS 2
#define BM_PRDT   4
#define BM_START  0x01
#define BM_TOMEM  0x08
#define BM_ACTIVE 0x01
#define BM_ERR    0x02
#define BM_INT    0x04
#define PRD_MAX   8

struct prd {
	uint32_t addr;
	uint16_t count; /* 0 = 64 KiB */
	uint16_t flags; /* 0x8000: last entry */
};

static struct prd prdt[PRD_MAX] __attribute__((aligned(64)));
static uint16_t bm_base; /* 0: no bus-master DMA, PIO only */
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

static uint32_t pci_read(uint32_t dev, uint32_t off)
{
	outl(PCI_CONFIG_ADDR, 0x80000000u | dev << 8 | (off & 0xFC));
	return inl(PCI_CONFIG_DATA);
}

static void pci_write(uint32_t dev, uint32_t off, uint32_t v)
{
	outl(PCI_CONFIG_ADDR, 0x80000000u | dev << 8 | (off & 0xFC));
	outl(PCI_CONFIG_DATA, v);
}

/* bm_init finds an IDE controller with bus mastering on PCI bus 0 (dev is
 * device << 3 | function) and enables its I/O decoding and bus mastering. */
static void bm_init(void)
{
	for (uint32_t dev = 0; dev < 256; dev++) {
		uint32_t id = pci_read(dev, 0);
		if ((id & 0xFFFF) == 0xFFFF)
			continue;
		uint32_t class = pci_read(dev, 8);
		if ((class >> 16) != 0x0101 || !(class & 0x8000)) /* IDE, bus master */
			continue;
		uint32_t bar4 = pci_read(dev, 0x20);
		if (!(bar4 & 1) || (bar4 & 0xFFFC) == 0)
			continue;
		uint32_t cmd = pci_read(dev, 4) & 0xFFFF;
		pci_write(dev, 4, cmd | 0x5); /* I/O space, bus master; status bits untouched */
		bm_base = (uint16_t)(bar4 & 0xFFFC);
		return;
	}
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
	bm_init();
}

/* dma_read reads n (1..256) sectors at lba into dst by bus-master DMA. It
 * returns 0 on success, -1 if the transfer failed (the caller then reads by
 * PIO). dst must be even and below 4 GiB (paging is off). */
static int dma_read(uint32_t lba, uint32_t n, uint8_t *dst)
{
	uint32_t a = (uint32_t)dst, left = n * SECTOR_SIZE, k = 0;

	while (left > 0) { /* split at 64 KiB boundaries */
		uint32_t room = 0x10000 - (a & 0xFFFF);
		uint32_t c = left < room ? left : room;
		if (k == PRD_MAX)
			return -1;
		prdt[k].addr = a;
		prdt[k].count = (uint16_t)c; /* 0x10000 wraps to 0 = 64 KiB */
		prdt[k].flags = 0;
		a += c;
		left -= c;
		k++;
	}
	prdt[k - 1].flags = 0x8000;

	wait_not_busy();
	outb(bm_base + BM_CMD, BM_TOMEM); /* stopped, direction: to memory */
	outb(bm_base + BM_STATUS, BM_ERR | BM_INT);
	outl(bm_base + BM_PRDT, (uint32_t)prdt);
	outb(ATA_DRIVE, (uint8_t)(0xE0 | ((lba >> 24) & 0x0F)));
	outb(ATA_COUNT, (uint8_t)n); /* 0 means 256 */
	outb(ATA_LBA0, (uint8_t)lba);
	outb(ATA_LBA1, (uint8_t)(lba >> 8));
	outb(ATA_LBA2, (uint8_t)(lba >> 16));
	outb(ATA_CMD, CMD_READ_DMA);
	outb(bm_base + BM_CMD, BM_TOMEM | BM_START);
	uint8_t bs;
	for (uint32_t i = 0;; i++) {
		bs = inb(bm_base + BM_STATUS);
		if (!(bs & BM_ACTIVE) || (bs & BM_ERR))
			break;
		if (i == SPIN_LIMIT) {
			bs = BM_ERR;
			break;
		}
	}
	outb(bm_base + BM_CMD, BM_TOMEM); /* stop */
	uint8_t st = wait_not_busy();
	if ((bs & BM_ERR) || (st & (ST_ERR | ST_DF | ST_DRQ)))
		return -1;
	return 0;
}

void ata_read_sectors(uint32_t lba, uint32_t count, void *dst)
{
	uint8_t *p = dst;

	while (count > 0) {
		uint32_t n = count > 256 ? 256 : count;

		if (lba >= LBA28_LIMIT || LBA28_LIMIT - lba < n)
			panic2("ata: read beyond LBA28 range at lba", lba);
		if (bm_base != 0 && !((uint32_t)p & 1)) {
			if (dma_read(lba, n, p) == 0) {
				p += n * SECTOR_SIZE;
				lba += n;
				count -= n;
				continue;
			}
			bm_base = 0; /* DMA failed: PIO from now on */
			print("gojos boot: DMA read failed, reading by PIO\n");
		}
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
