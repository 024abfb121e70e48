/* x86.h - port I/O and control-register helpers for the 32-bit loader. */
#ifndef GOJOS_BOOT_X86_H
#define GOJOS_BOOT_X86_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* insl reads n 32-bit words from port into dst. */
static inline void insl(uint16_t port, void *dst, uint32_t n)
{
	__asm__ volatile("cld; rep insl"
			 : "+D"(dst), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static inline void __attribute__((noreturn)) halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
