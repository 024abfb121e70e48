/*
 * stage1.S - gojos boot sector (LBA 0, loaded by the BIOS at 0x7C00).
 *
 * 1. flat real-mode segments, stack below 0x7C00, COM1 set up for errors
 * 2. stage 2 (LBA 1..63) -> 0x7E00 with INT 13h AH=42h (extended read);
 *    the whole 63-sector area is read, so stage 2's .bss arrives zeroed
 *    (mkimage zero-pads it; boot.ld asserts .bss fits)
 * 3. A20 on (already on? else INT 15h AX=2401h, else port 0x92), verified
 * 4. BIOS e820 memory map -> E820_BUF (24-byte entries, attr preset to 1)
 * 5. GDT (flat 4 GiB code 0x08 / data 0x10), CR0.PE, far jump to 32-bit code
 * 6. call stage2_main(e820_count, boot_drive) on the stack below 0x7C00
 *
 * Any BIOS failure prints "gojos boot: <what>" via BIOS teletype and COM1,
 * then halts. Bytes 446..509 (MBR partition table) stay zero.
 */
#include "layout.h"

#define SMAP 0x534D4150 /* "SMAP" */

	.code16
	.section .boot, "ax"
	.globl start
start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$LOADER_STACK_TOP, %sp
	ljmp	$0, $1f			/* normalise CS:IP to 0000:7Cxx */
1:	sti
	cld
	movb	%dl, boot_drive
	pushw	%dx

	/* COM1: 115200 8N1; table of (register offset, value). */
	movw	$uart_tab, %si
	movw	$(uart_tab_end - uart_tab) / 2, %cx
1:	lodsw
	movw	$COM1, %dx
	addb	%al, %dl
	movb	%ah, %al
	outb	%al, %dx
	loop	1b
	popw	%dx			/* DL = BIOS boot drive */

	/* Read stage 2. */
	movw	$dap, %si
	movb	$0x42, %ah
	int	$0x13
	jc	disk_error

	/* A20. */
	call	a20_on
	jnz	a20_done
	movw	$0x2401, %ax
	int	$0x15
	call	a20_on
	jnz	a20_done
	inb	$0x92, %al		/* "fast A20"; bit 0 would reset the CPU */
	orb	$0x02, %al
	andb	$0xFE, %al
	outb	%al, $0x92
	call	a20_on
	jz	a20_error
a20_done:

	/* e820 memory map; %bp counts stored entries. */
	xorl	%ebx, %ebx
	xorw	%bp, %bp
	movw	$E820_BUF, %di
e820_next:
	movl	$1, 20(%di)		/* ACPI attr default: "valid" */
	movl	$0xE820, %eax
	movl	$24, %ecx
	movl	$SMAP, %edx
	int	$0x15
	jc	e820_end		/* carry after the first entry = end of list */
	cmpl	$SMAP, %eax
	jne	e820_error
	movl	8(%di), %eax		/* skip zero-length entries */
	orl	12(%di), %eax
	jz	1f
	incw	%bp
	addw	$24, %di
	cmpw	$E820_MAX, %bp
	jae	e820_end
1:	testl	%ebx, %ebx
	jnz	e820_next
e820_end:
	testw	%bp, %bp
	jz	e820_error

	/* Protected mode. */
	cli
	lgdt	gdt_desc
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmp	$SEG_KCODE, $pm32

	/* a20_on: ZF=0 if A20 is enabled (0000:0500 and FFFF:0510 differ). */
a20_on:
	pushw	%ds
	pushw	%es
	xorw	%ax, %ax
	movw	%ax, %es
	notw	%ax
	movw	%ax, %ds
	movw	$0x0500, %di
	movw	$0x0510, %si
	movb	%es:(%di), %al
	movb	(%si), %ah
	pushw	%ax
	movb	$0x00, %es:(%di)
	movb	$0xFF, (%si)
	cmpb	$0xFF, %es:(%di)	/* ZF=1: the write wrapped around */
	popw	%ax
	movb	%ah, (%si)		/* mov/pop keep the flags */
	movb	%al, %es:(%di)
	popw	%es
	popw	%ds
	ret

disk_error:
	movw	$msg_disk, %si
	jmp	fail
a20_error:
	movw	$msg_a20, %si
	jmp	fail
e820_error:
	movw	$msg_e820, %si
fail:
	pushw	%si
	movw	$msg_prefix, %si
	call	print16
	popw	%si
	call	print16
hang:
	cli
	hlt
	jmp	hang

	/* print16: NUL-terminated string at %si to the BIOS console and COM1. */
print16:
	lodsb
	testb	%al, %al
	jz	2f
	movb	%al, %cl
	movb	$0x0E, %ah
	movw	$0x0007, %bx
	int	$0x10
	movw	$COM1 + 5, %dx
1:	inb	%dx, %al		/* a missing UART reads 0xFF: no hang */
	testb	$0x20, %al
	jz	1b
	movw	$COM1, %dx
	movb	%cl, %al
	outb	%al, %dx
	jmp	print16
2:	ret

	.code32
pm32:
	movw	$SEG_KDATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	$LOADER_STACK_TOP, %esp
	movzbl	boot_drive, %eax
	pushl	%eax			/* arg 2: BIOS boot drive */
	movzwl	%bp, %eax
	pushl	%eax			/* arg 1: e820 entry count */
	call	stage2_main
1:	cli
	hlt
	jmp	1b

uart_tab:
	.byte 3, 0x80, 0, 0x01, 1, 0x00, 3, 0x03
uart_tab_end:

boot_drive:
	.byte 0

	.p2align 2
dap:					/* INT 13h AH=42h disk address packet */
	.byte	16, 0
	.word	STAGE2_SECTORS
	.word	STAGE2_ADDR, 0		/* offset, segment */
	.quad	STAGE2_LBA

	.p2align 3
gdt:
	.quad	0
	.quad	0x00CF9A000000FFFF	/* 0x08: code, base 0, 4 GiB, 32-bit, DPL 0 */
	.quad	0x00CF92000000FFFF	/* 0x10: data, base 0, 4 GiB, DPL 0 */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt

msg_prefix:	.asciz "gojos boot: "
msg_disk:	.asciz "disk read failed\r\n"
msg_a20:	.asciz "A20 failed\r\n"
msg_e820:	.asciz "e820 failed\r\n"

	.org	446			/* MBR partition table: unused, zero */
	.org	510
	.word	0xAA55

	.section .note.GNU-stack, "", @progbits
