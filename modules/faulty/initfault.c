/* initfault.ko - a module whose init function faults: it must not load. */
#include "gojos/module.h"

MODULE_NAME("initfault");

volatile unsigned int initfault_addr = 0x20;

static int initfault_init(void)
{
	kprintf("initfault: about to fault\n");
	*(volatile int *)initfault_addr = 1;
	return 0;
}
module_init(initfault_init);
