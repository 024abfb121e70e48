/*
 * stage2.c - the gojos loader, 32-bit protected mode, paging off, flat segments.
 *
 * Called by stage 1 as stage2_main(e820_count, boot_drive). Reads the image
 * header (LBA 64), loads the kernel ELF's PT_LOAD segments at
 * physical = p_vaddr - KERNBASE, then the initrd, the section header table,
 * .shstrtab, .symtab and .strtab on the following pages, fills the boot-info
 * struct at BOOTINFO_ADDR, turns on paging (4 MiB pages, physical [0, 1 GiB)
 * mapped at 0 and at KERNBASE) and jumps to e_entry. docs/boot.md has the
 * whole protocol. Every failure prints "gojos boot: error: ..." on COM1 and
 * halts.
 */
#include <stdint.h>

#include "ata.h"
#include "bootinfo.h"
#include "elf.h"
#include "imghdr.h"
#include "layout.h"
#include "serial.h"
#include "x86.h"

#define MAX_PHDRS 32

struct e820_entry { /* as stored by stage 1 at E820_BUF */
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t attr;
};

void __attribute__((noreturn)) stage2_main(uint32_t e820_count, uint32_t boot_drive);

static struct imghdr hdr;
static Elf32_Ehdr eh;
static Elf32_Phdr ph[MAX_PHDRS];

static uint32_t load_limit; /* placement must end at or below this physical address */
static uint32_t next_free;  /* bump pointer for initrd and symbols, page-aligned */

static struct bootinfo *const bi = (struct bootinfo *)BOOTINFO_ADDR;

/* gcc may emit calls to these even in freestanding code. */
void *memset(void *d, int c, uint32_t n)
{
	void *r = d;
	__asm__ volatile("cld; rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return r;
}

void *memcpy(void *d, const void *s, uint32_t n)
{
	void *r = d;
	__asm__ volatile("cld; rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return r;
}

static uint32_t page_round(uint32_t a)
{
	if (a > 0xFFFFFFFFu - (PAGE_SIZE - 1))
		panic2("address overflow rounding", a);
	return (a + PAGE_SIZE - 1) & ~(uint32_t)(PAGE_SIZE - 1);
}

/* reserve returns the page-aligned physical address for size bytes of what. */
static uint32_t reserve(uint32_t size, const char *what)
{
	uint32_t a = next_free;

	if (size > load_limit - a) {
		print("gojos boot: error: no room for ");
		print(what);
		print(": ");
		printdec(size);
		print(" bytes at ");
		printhex(a);
		print(", usable memory ends at ");
		printhex(load_limit);
		print("\n");
		halt_forever();
	}
	next_free = page_round(a + size);
	return a;
}

/* in_file reports whether [off, off+len) lies inside the kernel file. */
static int in_file(uint32_t off, uint32_t len)
{
	return off <= hdr.kernel_size && len <= hdr.kernel_size - off;
}

static void copy_memory_map(uint32_t n)
{
	const struct e820_entry *e = (const struct e820_entry *)E820_BUF;
	uint64_t usable = 0;

	if (n == 0)
		panic("BIOS e820 memory map is empty");
	if (n > BOOTINFO_MMAP_MAX) {
		bi->flags |= BI_FLAG_MMAP_TRUNCATED;
		n = BOOTINFO_MMAP_MAX;
	}
	load_limit = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct mem_region *r = &bi->mmap[i];
		r->base = e[i].base;
		r->length = e[i].length;
		r->type = e[i].type;
		r->attr = e[i].attr;
		if (r->type != MEM_USABLE)
			continue;
		usable += r->length;
		uint64_t end = r->base + r->length;
		if (r->base <= KERNEL_MIN_PHYS && end > KERNEL_MIN_PHYS)
			load_limit = end > MAP_LIMIT ? MAP_LIMIT : (uint32_t)end;
	}
	bi->mmap_count = n;
	usable >>= 10;
	bi->mem_usable_kib = usable > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)usable;
	if (load_limit == 0)
		panic("no usable RAM at 1 MiB in the BIOS memory map");
	load_limit &= ~(uint32_t)(PAGE_SIZE - 1);
}

static void read_image_header(void)
{
	const uint32_t *w = (const uint32_t *)&hdr;
	uint32_t sum = 0;

	ata_read_sectors(IMGHDR_LBA, 1, &hdr);
	if (hdr.magic != IMGHDR_MAGIC)
		panic2("bad image header magic (not a gojos image?) at LBA 64:", hdr.magic);
	if (hdr.version != IMGHDR_VERSION)
		panic2("unsupported image header version", hdr.version);
	for (int i = 0; i < 128; i++)
		sum += w[i];
	if (sum != 0)
		panic2("image header checksum mismatch, sum", sum);
	if (hdr.header_size != sizeof hdr)
		panic2("bad image header size", hdr.header_size);
	if (hdr.kernel_lba < IMG_DATA_LBA || hdr.kernel_size < sizeof(Elf32_Ehdr))
		panic2("bad kernel location/size in image header, lba", hdr.kernel_lba);
	if (hdr.initrd_size != 0 && hdr.initrd_lba < IMG_DATA_LBA)
		panic2("bad initrd location in image header, lba", hdr.initrd_lba);
	if (hdr.cmdline_len >= IMGHDR_CMDLINE || hdr.cmdline[hdr.cmdline_len] != 0)
		panic2("kernel command line not terminated, length", hdr.cmdline_len);
}

static void check_ehdr(void)
{
	disk_read(hdr.kernel_lba, 0, &eh, sizeof eh);
	if (*(const uint32_t *)eh.e_ident != ELFMAG)
		panic("kernel is not an ELF file (bad magic)");
	if (eh.e_ident[EI_CLASS] != ELFCLASS32)
		panic2("kernel is not ELFCLASS32, class", eh.e_ident[EI_CLASS]);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		panic("kernel ELF is not little endian");
	if (eh.e_machine != EM_386)
		panic2("kernel ELF is not EM_386, e_machine", eh.e_machine);
	if (eh.e_type != ET_EXEC)
		panic2("kernel ELF is not ET_EXEC, e_type", eh.e_type);
	if (eh.e_phentsize != sizeof(Elf32_Phdr))
		panic2("bad e_phentsize", eh.e_phentsize);
	if (eh.e_phnum == 0 || eh.e_phnum > MAX_PHDRS)
		panic2("bad number of program headers", eh.e_phnum);
	if (!in_file(eh.e_phoff, eh.e_phnum * (uint32_t)sizeof(Elf32_Phdr)))
		panic2("program headers outside the kernel file, e_phoff", eh.e_phoff);
}

static void load_segments(void)
{
	uint32_t prev_end = KERNEL_MIN_PHYS;
	int nload = 0, entry_ok = 0;

	disk_read(hdr.kernel_lba, eh.e_phoff, ph, eh.e_phnum * (uint32_t)sizeof(Elf32_Phdr));
	for (int i = 0; i < eh.e_phnum; i++) {
		const Elf32_Phdr *p = &ph[i];
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		if (p->p_filesz > p->p_memsz)
			panic2("PT_LOAD with p_filesz > p_memsz at vaddr", p->p_vaddr);
		if (!in_file(p->p_offset, p->p_filesz))
			panic2("PT_LOAD data outside the kernel file at vaddr", p->p_vaddr);
		if (p->p_vaddr < KERNBASE + KERNEL_MIN_PHYS)
			panic2("PT_LOAD below KERNBASE+1MiB (link with -T 0xC0101000?) vaddr",
			       p->p_vaddr);
		if (p->p_memsz > 0xFFFFFFFFu - p->p_vaddr)
			panic2("PT_LOAD wraps around the address space at vaddr", p->p_vaddr);
		uint32_t pa = p->p_vaddr - KERNBASE;
		if (pa < prev_end)
			panic2("PT_LOAD segments overlap or are not sorted at vaddr", p->p_vaddr);
		if (pa > load_limit || p->p_memsz > load_limit - pa)
			panic2("kernel does not fit in usable memory, segment ends at",
			       pa + p->p_memsz);
		disk_read(hdr.kernel_lba, p->p_offset, (void *)pa, p->p_filesz);
		memset((void *)(pa + p->p_filesz), 0, p->p_memsz - p->p_filesz);
		if (nload++ == 0)
			bi->kernel_phys_start = pa;
		prev_end = pa + p->p_memsz;
		if ((p->p_flags & PF_X) && eh.e_entry >= p->p_vaddr &&
		    eh.e_entry - p->p_vaddr < p->p_memsz)
			entry_ok = 1;
	}
	if (nload == 0)
		panic("kernel ELF has no PT_LOAD segment");
	if (!entry_ok)
		panic2("kernel entry point is not in an executable segment:", eh.e_entry);
	bi->kernel_phys_end = page_round(prev_end);
	bi->kernel_entry = eh.e_entry;
	next_free = bi->kernel_phys_end;
}

static void load_initrd(void)
{
	if (hdr.initrd_size == 0)
		return;
	uint32_t pa = reserve(hdr.initrd_size, "initrd");
	disk_read(hdr.initrd_lba, 0, (void *)pa, hdr.initrd_size);
	bi->initrd_phys = pa;
	bi->initrd_size = hdr.initrd_size;
}

/* load_section copies section i of the kernel file to fresh pages. */
static uint32_t load_section(const Elf32_Shdr *sh, uint32_t i, const char *what)
{
	if (!in_file(sh[i].sh_offset, sh[i].sh_size))
		panic2("kernel section outside the file, index", i);
	uint32_t pa = reserve(sh[i].sh_size, what);
	disk_read(hdr.kernel_lba, sh[i].sh_offset, (void *)pa, sh[i].sh_size);
	return pa;
}

static void load_symbols(void)
{
	if (eh.e_shoff == 0 || eh.e_shnum == 0) {
		print("gojos boot: warning: kernel has no section headers, no symbols\n");
		return;
	}
	if (eh.e_shentsize != sizeof(Elf32_Shdr))
		panic2("bad e_shentsize", eh.e_shentsize);
	if (eh.e_shnum >= SHN_LORESERVE)
		panic2("too many sections", eh.e_shnum);
	uint32_t tabsz = eh.e_shnum * (uint32_t)sizeof(Elf32_Shdr);
	if (!in_file(eh.e_shoff, tabsz))
		panic2("section headers outside the kernel file, e_shoff", eh.e_shoff);
	uint32_t shpa = reserve(tabsz, "section headers");
	disk_read(hdr.kernel_lba, eh.e_shoff, (void *)shpa, tabsz);
	const Elf32_Shdr *sh = (const Elf32_Shdr *)shpa;
	bi->shdr_phys = shpa;
	bi->shdr_num = eh.e_shnum;
	bi->shdr_entsize = eh.e_shentsize;
	bi->shstrndx = eh.e_shstrndx;

	if (eh.e_shstrndx != SHN_UNDEF) {
		if (eh.e_shstrndx >= eh.e_shnum || sh[eh.e_shstrndx].sh_type != SHT_STRTAB)
			panic2("bad e_shstrndx", eh.e_shstrndx);
		bi->shstrtab_phys = load_section(sh, eh.e_shstrndx, ".shstrtab");
		bi->shstrtab_size = sh[eh.e_shstrndx].sh_size;
	}
	for (uint32_t i = 1; i < eh.e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		uint32_t link = sh[i].sh_link;
		if (link == 0 || link >= eh.e_shnum || sh[link].sh_type != SHT_STRTAB)
			panic2(".symtab has a bad sh_link", link);
		bi->symtab_phys = load_section(sh, i, ".symtab");
		bi->symtab_size = sh[i].sh_size;
		bi->strtab_phys = load_section(sh, link, ".strtab");
		bi->strtab_size = sh[link].sh_size;
		bi->flags |= BI_FLAG_SYMS;
		return;
	}
	print("gojos boot: warning: kernel has no .symtab\n");
}

/*
 * build_page_dir maps, with 4 MiB pages, physical [0, MAP_LIMIT) at 0,
 * [0, KERNBASE_LIMIT) at KERNBASE (where the kernel image is linked) and
 * [0, DIRECTMAP_LIMIT) at DIRECTMAP (the kernel's direct map).
 */
static void build_page_dir(void)
{
	uint32_t *pd = (uint32_t *)PAGE_DIR;
	const uint32_t big = 4u << 20;

	memset(pd, 0, PAGE_SIZE);
	for (uint32_t i = 0; i < MAP_LIMIT / big; i++)
		pd[i] = i * big | 0x83; /* PS | RW | P */
	for (uint32_t i = 0; i < KERNBASE_LIMIT / big; i++)
		pd[(KERNBASE / big) + i] = i * big | 0x83;
	for (uint32_t i = 0; i < DIRECTMAP_LIMIT / big; i++)
		pd[(DIRECTMAP / big) + i] = i * big | 0x83;
	bi->page_dir_phys = PAGE_DIR;
	bi->map_limit = MAP_LIMIT;
}

static void __attribute__((noreturn)) enter_kernel(void)
{
	__asm__ volatile(
		"movl %%cr4, %%eax\n\t"
		"orl $0x10, %%eax\n\t"       /* CR4.PSE */
		"movl %%eax, %%cr4\n\t"
		"movl %%esi, %%cr3\n\t"
		"movl %%cr0, %%eax\n\t"
		"orl $0x80000000, %%eax\n\t" /* CR0.PG */
		"movl %%eax, %%cr0\n\t"
		"movl %%edx, %%esp\n\t"
		"pushl %%ebx\n\t"            /* [esp+4] = bootinfo (physical) */
		"pushl $0\n\t"               /* [esp] = fake return address */
		"movl %[magic], %%eax\n\t"
		"xorl %%ebp, %%ebp\n\t"
		"jmp *%%ecx"
		:
		: "c"(eh.e_entry), "b"(BOOTINFO_ADDR), "d"(KERNBASE + LOADER_STACK_TOP),
		  "S"(PAGE_DIR), [magic] "i"(BOOT_EAX_MAGIC)
		: "eax", "memory");
	__builtin_unreachable();
}

void stage2_main(uint32_t e820_count, uint32_t boot_drive)
{
	serial_init();
	print("gojos boot: stage 2\n");

	memset(bi, 0, sizeof *bi);
	bi->boot_drive = boot_drive;
	copy_memory_map(e820_count);

	ata_init();
	read_image_header();
	memcpy(bi->cmdline, hdr.cmdline, IMGHDR_CMDLINE);
	check_ehdr();
	load_segments();
	load_initrd();
	load_symbols();
	bi->loader_end_phys = next_free;
	build_page_dir();
	bi->magic = BOOTINFO_MAGIC;
	bi->version = BOOTINFO_VERSION;
	bi->size = sizeof *bi;

	print("gojos boot: kernel ");
	printdec(hdr.kernel_size);
	print(" bytes, entry ");
	printhex(eh.e_entry);
	print(", initrd ");
	printdec(bi->initrd_size);
	print(" bytes, ");
	printdec(bi->symtab_size / 16);
	print(" symbols, ");
	printdec(bi->mem_usable_kib >> 10);
	print(" MiB usable\n");
	enter_kernel();
}
