/*
 * release.ko - a C replacement for a real kernel function, for
 * //tests:kpatch_any: the kernel's release text (uname -r,
 * /proc/sys/kernel/osrelease) comes from
 *
 *     func utsRelease(buf *[65]byte) int32      (gojos/kern/proc)
 *
 * which writes the text into buf and returns its length. release_c has the
 * same signature in C (a pointer and an int), declared with KPATCH_PROTO:
 *
 *     insmod release.ko
 *     kpatch utsRelease release_c     # uname -r now says 0.1-cpatch
 *     kpatch -u utsRelease
 */
#include "gojos/module.h"

MODULE_NAME("release");
MODULE_DESCRIPTION("C replacement for the kernel's release text");

int release_c(char *buf)
{
	static const char text[] = "0.1-cpatch";
	int n;

	for (n = 0; text[n] != 0; n++)
		buf[n] = text[n];
	return n;
}
KPATCH_PROTO(int, release_c, char *);

/* A declared prototype that does not match utsRelease's signature. */
unsigned int release_wide(char *buf, int limit)
{
	return (unsigned int)(buf != 0) + (unsigned int)limit;
}
KPATCH_PROTO(unsigned int, release_wide, char *, int);

/* No declared prototype: taken as int release_plain(void). */
int release_plain(void)
{
	return 7;
}

/* Adds two numbers: kcall release_add 40 2 prints 42. */
long long release_add(int a, long long b)
{
	return a + b;
}
KPATCH_PROTO(long long, release_add, int, long long);

/*
 * The C counterparts of gojos/kern/kdemo.Mix, Odd and Narrow: patched to
 * these, those functions must return what they returned before, whatever
 * the arguments (//tests:kpatch_any checks the Go→C bridge this way).
 */
long long mix_c(signed char a, unsigned short b, long long c, _Bool d, unsigned int e)
{
	long long r = (long long)a * 1000003 + (long long)b * 1009 + c + (long long)e * 3;

	if (d)
		r += 7;
	return r;
}
KPATCH_PROTO(long long, mix_c, signed char, unsigned short, long long, _Bool, unsigned int);

_Bool odd_c(int n)
{
	return n & 1;
}
KPATCH_PROTO(_Bool, odd_c, int);

signed char narrow_c(int n)
{
	return (signed char)n;
}
KPATCH_PROTO(signed char, narrow_c, int);

static void release_exit(void)
{
	kprintf("release: unloaded\n");
}
module_exit(release_exit);
