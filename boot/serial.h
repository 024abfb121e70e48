/* serial.h - COM1 output and fatal errors for the loader. */
#ifndef GOJOS_BOOT_SERIAL_H
#define GOJOS_BOOT_SERIAL_H

#include <stdint.h>

void serial_init(void);
void printc(char c);
void print(const char *s);   /* no newline added; "\n" becomes "\r\n" */
void printdec(uint32_t v);
void printhex(uint32_t v);    /* "0x" and 8 hex digits */

/* panic prints "gojos boot: error: <msg>\r\n" and halts forever. */
void __attribute__((noreturn)) panic(const char *msg);
/* panic2 prints "gojos boot: error: <msg> <hex value>\r\n" and halts. */
void __attribute__((noreturn)) panic2(const char *msg, uint32_t v);

#endif
