/*
 * serial.c - polled 16550 UART output on COM1 (0x3F8), 115200 8N1.
 *
 * Register offsets from the 16550 data sheet: 0 THR/DLL, 1 IER/DLM, 2 FCR,
 * 3 LCR, 4 MCR, 5 LSR (bit 5 = THR empty).
 */
#include "serial.h"
#include "layout.h"
#include "x86.h"

void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB on */
	outb(COM1 + 0, 0x01); /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1, DLAB off */
	outb(COM1 + 2, 0xC7); /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

static void rawputc(char c)
{
	/* Bounded wait: a missing UART must not hang the loader. */
	for (uint32_t i = 0; i < 100000; i++)
		if (inb(COM1 + 5) & 0x20)
			break;
	outb(COM1, (uint8_t)c);
}

void printc(char c)
{
	if (c == '\n')
		rawputc('\r');
	rawputc(c);
}

void print(const char *s)
{
	while (*s)
		printc(*s++);
}

void printdec(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	print(&buf[i]);
}

void printhex(uint32_t v)
{
	print("0x");
	for (int sh = 28; sh >= 0; sh -= 4)
		printc("0123456789abcdef"[(v >> sh) & 0xF]);
}

void panic(const char *msg)
{
	print("gojos boot: error: ");
	print(msg);
	print("\n");
	halt_forever();
}

void panic2(const char *msg, uint32_t v)
{
	print("gojos boot: error: ");
	print(msg);
	print(" ");
	printhex(v);
	print("\n");
	halt_forever();
}
