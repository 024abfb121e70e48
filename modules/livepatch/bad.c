/*
 * bad_obj - the object //tools/mklivepatch:mklivepatch_test checks bad
 * patches with (an unknown target, a signature mismatch, an inlined
 * target, a replacement without prototype): each must fail the build.
 */
#include "gojos/module.h"

MODULE_NAME("lpbad");

int good_release(char *buf)
{
	buf[0] = '1';
	return 1;
}
KPATCH_PROTO(int, good_release, char *);

unsigned int wide_release(char *buf, int limit)
{
	return (unsigned int)(buf != 0) + (unsigned int)limit;
}
KPATCH_PROTO(unsigned int, wide_release, char *, int);

int no_proto(void)
{
	return 3;
}

int greeting_c(int n)
{
	return n;
}
KPATCH_PROTO(int, greeting_c, int);
