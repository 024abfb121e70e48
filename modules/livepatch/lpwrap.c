/*
 * lpwrap.ko - a livepatch whose replacement calls the function it
 * replaces (KPATCH_ORIGINAL): gojos/kern/kdemo.Nap still sleeps and returns
 * what it returned, and every call is counted (kcall nap_calls). The
 * original runs as Go code on the caller's goroutine, so a call may sleep
 * in it while other goroutines enter module code.
 */
#include "gojos/module.h"

MODULE_NAME("lpwrap");
MODULE_DESCRIPTION("livepatch: count kdemo.Nap's calls, calling the original");

static int calls;

int nap_counted(int ms)
{
	int r;

	calls++;
	r = KPATCH_ORIGINAL(nap_counted)(ms);
	return r;
}
KPATCH_PROTO(int, nap_counted, int);

int nap_calls(void)
{
	return calls;
}

/* LpBench07 wrapped too: its result from the original, plus 1000. */
int bench7_plus(int n)
{
	return KPATCH_ORIGINAL(bench7_plus)(n) + 1000;
}
KPATCH_PROTO(int, bench7_plus, int);

static void wrap_exit(void)
{
	kprintf("lpwrap: %d calls of kdemo.Nap\n", calls);
}
module_exit(wrap_exit);
