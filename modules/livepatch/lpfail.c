/*
 * lpfail.ko - a livepatch whose pre_patch callback refuses: the load
 * fails with its error and nothing is patched (//tests:livepatch).
 */
#include "gojos/module.h"

MODULE_NAME("lpfail");

int release_fail(char *buf)
{
	buf[0] = 'X';
	return 1;
}
KPATCH_PROTO(int, release_fail, char *);

static int fail_pre_patch(void)
{
	kprintf("lpfail: pre_patch refuses\n");
	return -22;
}
KLP_PRE_PATCH(fail_pre_patch);

static void fail_post_unpatch(void)
{
	kprintf("lpfail: post_unpatch\n");
}
KLP_POST_UNPATCH(fail_post_unpatch);

static void fail_exit(void)
{
	kprintf("lpfail: exit\n");
}
module_exit(fail_exit);
