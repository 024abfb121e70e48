/*
 * lpcum.ko - a cumulative livepatch (replace = True): it takes over every
 * function patched by earlier livepatch modules in one switch. It patches
 * only the release text ("0.1-lp2"); kdemo.Nap, which lpfix.ko patched,
 * goes back to its original code, and lpfix becomes unloadable.
 */
#include "gojos/module.h"

MODULE_NAME("lpcum");
MODULE_DESCRIPTION("cumulative livepatch: replaces lpfix");

int release_cum(char *buf)
{
	static const char text[] = "0.1-lp2";
	int n;

	for (n = 0; text[n] != 0; n++)
		buf[n] = text[n];
	return n;
}
KPATCH_PROTO(int, release_cum, char *);

static int cum_pre_patch(void)
{
	kprintf("lpcum: pre_patch\n");
	return 0;
}
KLP_PRE_PATCH(cum_pre_patch);

static void cum_post_unpatch(void)
{
	kprintf("lpcum: post_unpatch\n");
}
KLP_POST_UNPATCH(cum_post_unpatch);

static void cum_exit(void)
{
}
module_exit(cum_exit);
