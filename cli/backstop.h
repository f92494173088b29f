/* backstop: 'maal check' runs in a child process watched by the parent, which stops a goal
 * that overruns its deadline by more than a grace period from outside the Lua state (the count
 * hook cannot stop a C function) and starts the check again with that goal given up.
 * Used by the command line only. */
#ifndef MAAL_BACKSTOP_H
#define MAAL_BACKSTOP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

#define MAAL_BACKSTOP_SLOTS 65   /* one per worker thread (--jobs is at most 64), or inline */
#define MAAL_BACKSTOP_SKIPS 1024 /* goals given up in one check */

/* Shared between the watching parent and the child (an anonymous shared mapping). */
struct maal_backstop {
    struct {
        atomic_llong start; /* CLOCK_MONOTONIC ns when the goal started; 0: no goal running */
        atomic_int file, goal;
    } slot[MAAL_BACKSTOP_SLOTS];
    atomic_int nslots;
    atomic_bool finished; /* the child has run every goal: only its reports are left to write */
    int nskip; /* written by the parent before it starts a child */
    struct {
        int file, goal;
    } skip[MAAL_BACKSTOP_SKIPS];
    double stopped_after; /* seconds a given-up goal ran, for its message */
    bool stdout_tty;      /* what the parent's standard output is (the child's is a pipe) */
};

/* Forks the child and watches it. Returns in the child (true, *bs set: run the check with
 * it) or, in the parent, when the child has finished (false, *code its exit code). Without a
 * child to be had (fork or mmap failed) returns true and *bs NULL: check without a backstop.
 * A goal is stopped MAAL_WALL_CEILING(timeout) + 1 s after it started: 1 s after the sandbox's
 * own wall-clock ceiling, so never a goal the sandbox would still stop itself. */
bool maal_backstop_start(double timeout, enum maal_lang lang, struct maal_backstop **bs,
                         int *code);

/* In the child: a worker claims a slot once; a goal marks its start and end in it. */
int maal_backstop_slot(struct maal_backstop *bs);
void maal_backstop_begin(struct maal_backstop *bs, int slot, int file, int goal);
void maal_backstop_end(struct maal_backstop *bs, int slot);
/* In the child: every goal has run; from now on (writing and replacing the -o files) it is
 * never stopped from outside. */
void maal_backstop_finished(struct maal_backstop *bs);
/* Whether goal 'goal' of file 'file' was given up by an earlier child. */
bool maal_backstop_skipped(const struct maal_backstop *bs, int file, int goal);

#endif
