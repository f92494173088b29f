/* pool: the worker threads of 'maal check': each loads and evaluates files with a rule set of
 * its own; the main thread reports the files in order, at most 'window' in flight. */
#ifndef MAAL_POOL_H
#define MAAL_POOL_H

#include <pthread.h>

#include "backstop.h"
#include "cli.h"
#include "eval.h"
#include "report.h"

/* One file's work, done by a worker thread and reported by the main thread in order. */
struct file_job {
    const char *path;
    char *pathbuf; /* the path when the argument was a folder; else NULL (a job stays small:
                    * memory must not grow with the number of files) */
    struct maal_partnership *p;
    struct maal_presults pr;
    struct maal_buf diag; /* what to print on stderr, in order */
    struct maal_buf gh;   /* the same problems as GitHub annotations, for a github output */
    bool invalid, done;
    struct maal_backstop *bs; /* the watching parent's, or NULL */
    int file, slot, goal; /* the file's position in the check, the worker's backstop slot, the
                           * goal running */
};

#define POOL_MAX_THREADS 64

/* What one thread evaluates with: a rule set (the rule cache is not shared) and eval's worker
 * (the sandboxed state kept from goal to goal and file to file). */
struct pool_worker {
    struct maal_ruleset rs;
    struct maal_eval_worker *ev;
    bool ok; /* both were made: else each file is an out-of-memory error */
};

/* Zero-initialised ({0}) is a pool that pool_stop() accepts. */
struct pool {
    struct opts *o;
    struct file_job *jobs; /* a ring of 'window' slots: job i is in jobs[i % window] */
    char **files;
    size_t n, next, reported;
    size_t window; /* files in flight at most: memory stays flat however many files */
    struct maal_backstop *bs;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool sync;  /* mu and cv are initialised */
    pthread_t th[POOL_MAX_THREADS];
    int started;
    /* no threads to be had: each job is done by the main thread, just before it is reported */
    struct pool_worker inline_w;
    int inline_slot;
};

/* Starts the workers for files[0..n-1] (--jobs of them, none for --jobs 1). MAAL_ERR_NOMEM
 * when the ring cannot be had: then nothing runs, and pool_stop() is still to be called. */
int pool_start(struct pool *pl, struct opts *o, int n, char **files, struct maal_backstop *bs);
/* Job i (0, 1, ... in turn) once it is done; it stays the caller's until pool_done(pl, i). */
struct file_job *pool_wait(struct pool *pl, size_t i);
/* Releases job i: its slot is free for job i + window. */
void pool_done(struct pool *pl, size_t i);
/* Stops handing out jobs, joins the workers and releases everything; jobs not yet reported
 * are dropped. Accepts a zeroed pool, one whose start failed, and one already stopped. */
void pool_stop(struct pool *pl);

#endif
