/*
 * badorig_obj - KPATCH_ORIGINAL misused, for //tools/mklivepatch's test:
 * the original of a function taking a pointer, and of a function the
 * module does not patch, are build errors.
 */
#include "gojos/module.h"

MODULE_NAME("lpbadorig");

int orig_release(char *buf)
{
	return KPATCH_ORIGINAL(orig_release)(buf);
}
KPATCH_PROTO(int, orig_release, char *);

int orig_unpatched(int n)
{
	return KPATCH_ORIGINAL(orig_unpatched)(n);
}
KPATCH_PROTO(int, orig_unpatched, int);
