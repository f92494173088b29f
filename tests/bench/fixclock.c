/* fixclock: an LD_PRELOAD library for tests/bench/cgpair.sh. Lua seeds its string hashes
 * with time(NULL) (luai_makeseed), and the hash chains, the table sizes and with them the
 * garbage collector's work differ from run to run by up to ±7 M instructions in a 1.9 G run
 * of 'maal check': more than the difference cgpair.sh measures. With a time() that returns
 * a constant, two runs of the same binary on the same files count within ±1 M. Only for
 * measuring: nothing in maal needs the time of day to be right here (the time limits use
 * clock_gettime). */
#include <time.h>

time_t time(time_t *t)
{
    if (t)
        *t = 1700000000;
    return 1700000000;
}
