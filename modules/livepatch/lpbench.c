/*
 * lpbench*.ko - livepatch modules of 1, 8 and 32 functions for kbench -lp
 * (//tests:bench_kpatch): lpb_NN replaces gojos/kern/kdemo.LpBenchNN.
 */
#include "gojos/module.h"

#define LP_STR2(x) #x
#define LP_STR(x) LP_STR2(x)

MODULE_NAME(LP_STR(LP_ID));

#define LPB(nn)                                                                \
	int lpb_##nn(int n) { return n + 1##nn; }                                 \
	KPATCH_PROTO(int, lpb_##nn, int)

LPB(00); LPB(01); LPB(02); LPB(03); LPB(04); LPB(05); LPB(06); LPB(07);
LPB(08); LPB(09); LPB(10); LPB(11); LPB(12); LPB(13); LPB(14); LPB(15);
LPB(16); LPB(17); LPB(18); LPB(19); LPB(20); LPB(21); LPB(22); LPB(23);
LPB(24); LPB(25); LPB(26); LPB(27); LPB(28); LPB(29); LPB(30); LPB(31);

static void lpb_exit(void)
{
}
module_exit(lpb_exit);
