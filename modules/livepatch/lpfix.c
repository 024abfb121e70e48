/*
 * lpfix.ko - a livepatch module (gojos_livepatch, //modules/livepatch): two
 * kernel functions switched together, with callbacks.
 *
 *   gojos/kern/proc.utsRelease   the release text of uname -r and
 *                                /proc/sys/kernel/osrelease: "0.1-lp1"
 *   gojos/kern/kdemo.Nap         sleeps ms milliseconds; fixed to return at
 *                                once, with ms + 1000000 to show it ran
 *
 * The same source, with LP_ID defined, makes lpforeign.ko (a module
 * recorded for another kernel) for //tests:livepatch.
 */
#include "gojos/module.h"

#define LP_STR2(x) #x
#define LP_STR(x) LP_STR2(x)
#ifdef LP_ID
#define LP_NAME LP_STR(LP_ID)
#else
#define LP_NAME "lpfix"
#endif
#define LP_RELEASE "0.1-lp1"

MODULE_NAME(LP_NAME);
MODULE_DESCRIPTION("livepatch: uname -r and kdemo.Nap, with callbacks");

int release_fix(char *buf)
{
	static const char text[] = LP_RELEASE;
	int n;

	for (n = 0; text[n] != 0; n++)
		buf[n] = text[n];
	return n;
}
KPATCH_PROTO(int, release_fix, char *);

int nap_fix(int ms)
{
	return ms + 1000000;
}
KPATCH_PROTO(int, nap_fix, int);

static int lp_pre_patch(void)
{
	kprintf(LP_NAME ": pre_patch\n");
	return 0;
}
KLP_PRE_PATCH(lp_pre_patch);

static void lp_post_patch(void)
{
	kprintf(LP_NAME ": post_patch\n");
}
KLP_POST_PATCH(lp_post_patch);

static void lp_pre_unpatch(void)
{
	kprintf(LP_NAME ": pre_unpatch\n");
}
KLP_PRE_UNPATCH(lp_pre_unpatch);

static void lp_post_unpatch(void)
{
	kprintf(LP_NAME ": post_unpatch\n");
}
KLP_POST_UNPATCH(lp_post_unpatch);

static int lp_init(void)
{
	kprintf(LP_NAME ": init\n");
	return 0;
}
module_init(lp_init);

static void lp_exit(void)
{
	kprintf(LP_NAME ": exit\n");
}
module_exit(lp_exit);
