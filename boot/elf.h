/*
 * elf.h - the few ELF32 definitions the loader needs (from the System V ABI,
 * "ELF" chapter, and its Intel386 supplement).
 */
#ifndef GOJOS_BOOT_ELF_H
#define GOJOS_BOOT_ELF_H

#include <stdint.h>

#define EI_NIDENT   16
#define ELFMAG      0x464C457Fu /* "\177ELF" as a little-endian word */
#define EI_CLASS    4
#define EI_DATA     5
#define ELFCLASS32  1
#define ELFDATA2LSB 1
#define ET_EXEC     2
#define EM_386      3
#define EV_CURRENT  1

#define PT_LOAD     1
#define PF_X        1

#define SHT_SYMTAB  2
#define SHT_STRTAB  3
#define SHN_UNDEF   0
#define SHN_LORESERVE 0xff00

typedef struct {
	uint8_t  e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint32_t e_entry;
	uint32_t e_phoff;
	uint32_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	uint32_t p_type;
	uint32_t p_offset;
	uint32_t p_vaddr;
	uint32_t p_paddr;
	uint32_t p_filesz;
	uint32_t p_memsz;
	uint32_t p_flags;
	uint32_t p_align;
} Elf32_Phdr;

typedef struct {
	uint32_t sh_name;
	uint32_t sh_type;
	uint32_t sh_flags;
	uint32_t sh_addr;
	uint32_t sh_offset;
	uint32_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint32_t sh_addralign;
	uint32_t sh_entsize;
} Elf32_Shdr;

_Static_assert(sizeof(Elf32_Ehdr) == 52, "Ehdr");
_Static_assert(sizeof(Elf32_Phdr) == 32, "Phdr");
_Static_assert(sizeof(Elf32_Shdr) == 40, "Shdr");

#endif
