/*
 * faulty.ko - module code that faults, for //tests:module_faults. Each
 * function ends in a different CPU exception (or a system call); the kernel
 * contains each one: the call is unwound, the module is marked faulted, the
 * kernel tainted, and patches into the module are reverted.
 */
#include "gojos/module.h"

MODULE_NAME("faulty");
MODULE_DESCRIPTION("functions that fault, to test fault containment");

typedef int (*fn_t)(void);

/* Bad addresses and values, through volatile variables so that the compiler
 * emits the accesses as written. */
volatile int faulty_zero;
volatile unsigned int faulty_null = 0;
volatile unsigned int faulty_ktext = 0xc0100000u;
volatile unsigned int faulty_wild = 0x1234u; /* below 4 MiB: never mapped */
volatile unsigned int faulty_low = 0x10;
volatile int faulty_limit = 1 << 30;

int f_null_write(void)
{
	*(volatile int *)faulty_null = 1;
	return 1;
}

int f_kernel_write(void)
{
	/* the kernel's text is write-protected, even for ring 1 */
	*(volatile unsigned int *)faulty_ktext = 0;
	return 1;
}

int f_wild_jump(void)
{
	fn_t f = (fn_t)faulty_wild;
	return f();
}

int f_ud(void)
{
	__builtin_trap();
}

int f_divide(void)
{
	return 7 / faulty_zero;
}

int f_privileged(void)
{
	__asm__ volatile("hlt");
	return 1;
}

int f_do_syscall(void)
{
	/* exit_group(9): must not end anything but this call */
	int ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(252), "b"(9) : "memory");
	return ret;
}

int f_bad_segment(void)
{
	/* load a null selector into the stack segment: #GP */
	__asm__ volatile("xorl %%eax, %%eax\n\tmovw %%ax, %%ss" ::: "eax", "memory");
	return 1;
}

int f_bad_kprintf(void)
{
	/* the fault happens inside the kernel's kprintf, on the module stack */
	return kprintf("%s\n", (const char *)faulty_low);
}

static int depth(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	if (n >= faulty_limit)
		return pad[0];
	return depth(n + 1) + pad[0];
}

int f_stack_overflow(void)
{
	return depth(0);
}

int f_ok(void)
{
	return 42;
}

static void faulty_exit(void)
{
	kprintf("faulty: exit faults too\n");
	*(volatile int *)(faulty_null + 4) = 0;
}
module_exit(faulty_exit);
