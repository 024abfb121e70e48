/*
 * test.ko - the seed scenario's module (docs/background.md, the seed scenario).
 *
 *   insmod test.ko                 prints "test2 address: 0x..."
 *   kpatch kpatch_test1 <that>     makes the kernel's kpatch_test1 run test2,
 *   kcall kpatch_test1             which prints "Hello World".
 */
#include "gojos/module.h"

MODULE_NAME("test");
MODULE_DESCRIPTION("live-patch target for the seed scenario");

int test2(void)
{
	kprintf("Hello World\n");
	return 0;
}

static int test_init(void)
{
	kprintf("test2 address: 0x%x\n", (unsigned int)&test2);
	return 0;
}
module_init(test_init);

static void test_exit(void)
{
	kprintf("test: unloaded\n");
}
module_exit(test_exit);
