/*
 * bootinfo.h - the boot-info structure the loader hands to the kernel.
 *
 * Mirrored in Go by kern/bootinfo (bootinfo.go), whose host test checks every
 * offset listed here. Change both files and docs/boot.md together, and bump
 * BOOTINFO_VERSION on any layout change.
 *
 * Rules that keep C (-m32) and Go (386 and amd64) layouts identical: every
 * uint64_t sits at an 8-aligned offset, the struct size is a multiple of 8,
 * no implicit padding.
 *
 * All addresses are PHYSICAL. At kernel entry physical [0, map_limit) is
 * mapped at virtual 0, [0, 256 MiB) at KERNBASE (the kernel image) and
 * [0, 768 MiB) at DIRECTMAP, so phys + DIRECTMAP is a valid pointer; the
 * kernel keeps that direct map. kernel_phys_end may end before the
 * kernel's last symbol: the image's tail of large BSS objects is left to
 * the kernel, which backs it on demand (docs/boot.md, tools/mkimage).
 */
#ifndef GOJOS_BOOT_BOOTINFO_H
#define GOJOS_BOOT_BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC      0x42494A47u /* bytes "GJIB" */
#define BOOTINFO_VERSION    2
#define BOOTINFO_CMDLINE    256         /* bytes, NUL-terminated, zero-padded */
#define BOOTINFO_MMAP_MAX   64

/* flags */
#define BI_FLAG_MMAP_TRUNCATED 0x1 /* BIOS reported more than BOOTINFO_MMAP_MAX regions */
#define BI_FLAG_SYMS           0x2 /* shdr/symtab/strtab fields are valid */

/* memory region types (BIOS e820) */
#define MEM_USABLE     1
#define MEM_RESERVED   2
#define MEM_ACPI       3
#define MEM_NVS        4
#define MEM_BAD        5

struct mem_region {            /* 24 bytes, same as a BIOS e820 entry */
	uint64_t base;         /*  0 */
	uint64_t length;       /*  8 */
	uint32_t type;         /* 16  MEM_* */
	uint32_t attr;         /* 20  ACPI 3.0 extended attributes (1 if BIOS gave none) */
};

struct bootinfo {
	uint32_t magic;             /*   0 BOOTINFO_MAGIC */
	uint32_t version;           /*   4 BOOTINFO_VERSION */
	uint32_t size;              /*   8 sizeof(struct bootinfo) == 1896 */
	uint32_t flags;             /*  12 BI_FLAG_* */
	uint32_t boot_drive;        /*  16 BIOS drive number (DL at boot) */
	uint32_t mem_usable_kib;    /*  20 sum of usable regions, KiB, clamped to 4 GiB */
	uint32_t kernel_phys_start; /*  24 lowest PT_LOAD physical address */
	uint32_t kernel_phys_end;   /*  28 end of highest PT_LOAD (bss included), page-rounded */
	uint32_t kernel_entry;      /*  32 ELF e_entry (virtual) */
	uint32_t initrd_phys;       /*  36 page-aligned; 0 if no initrd */
	uint32_t initrd_size;       /*  40 bytes */
	uint32_t shdr_phys;         /*  44 copy of the kernel ELF section header table */
	uint32_t shdr_num;          /*  48 e_shnum */
	uint32_t shdr_entsize;      /*  52 e_shentsize (40) */
	uint32_t shstrndx;          /*  56 e_shstrndx */
	uint32_t shstrtab_phys;     /*  60 section name strings */
	uint32_t shstrtab_size;     /*  64 */
	uint32_t symtab_phys;       /*  68 .symtab (Elf32_Sym, 16 bytes each) */
	uint32_t symtab_size;       /*  72 */
	uint32_t strtab_phys;       /*  76 .strtab (the .symtab's sh_link) */
	uint32_t strtab_size;       /*  80 */
	uint32_t page_dir_phys;     /*  84 the loader's page directory (CR3) */
	uint32_t map_limit;         /*  88 bytes mapped at 0 (identity) */
	uint32_t loader_end_phys;   /*  92 first page after everything the loader placed */
	uint32_t mmap_count;        /*  96 valid entries in mmap[] */
	uint32_t reserved0;         /* 100 zero */
	char     cmdline[BOOTINFO_CMDLINE];           /* 104 */
	struct mem_region mmap[BOOTINFO_MMAP_MAX];    /* 360 */
};                                                    /* size 1896 */

_Static_assert(sizeof(struct mem_region) == 24, "mem_region size");
_Static_assert(__builtin_offsetof(struct bootinfo, kernel_entry) == 32, "kernel_entry");
_Static_assert(__builtin_offsetof(struct bootinfo, symtab_phys) == 68, "symtab_phys");
_Static_assert(__builtin_offsetof(struct bootinfo, mmap_count) == 96, "mmap_count");
_Static_assert(__builtin_offsetof(struct bootinfo, cmdline) == 104, "cmdline");
_Static_assert(__builtin_offsetof(struct bootinfo, mmap) == 360, "mmap");
_Static_assert(sizeof(struct bootinfo) == 1896, "bootinfo size");

#endif
