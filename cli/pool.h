/* pool: the worker threads of 'maal check': each loads and checks files with a worker
 * (maal_worker) of its own; the main thread reports the files in order, at most 'window' in
 * flight. */
#ifndef MAAL_POOL_H
#define MAAL_POOL_H

#include <pthread.h>

#include "backstop.h"
#include "cli.h"

#define POOL_MAX_REPORTS 16
#define POOL_MAX_GOALS 64 /* --goal names looked for at most (MAX_GOAL_ARGS) */ /* the outputs of a check at most (MAX_OUTPUTS) */

/* What each job formats once its file is checked, so that the main thread only adds the
 * parts in order: the --compare lookup (maal_check_compare_lookup) and a part of each
 * report (maal_report_format_part). */
struct pool_reports {
    const maal_previous *prev; /* NULL without --compare */
    const maal_report_stream *streams[POOL_MAX_REPORTS];
    size_t n;
};

/* One file's work, done by a worker thread and reported by the main thread in order. */
struct file_job {
    const char *path;
    char *pathbuf; /* the path when the argument was a folder; else NULL (a job stays small:
                    * memory must not grow with the number of files) */
    maal_partnership *p;
    maal_check *c;      /* its results; NULL when there are none */
    maal_diags *gh;     /* the problems to annotate in a github report */
    FILE *diag;         /* what to print on stderr, in order (diag_text) */
    char *diag_text;
    size_t diag_len;
    char *said; /* diag_text cleaned for a terminal (maal_clean_dup); NULL: out of memory */
    /* each --goal (at most POOL_MAX_GOALS): found in this file; else the nearest id it has,
     * or "" (NULL without --goal, or when out of memory: then the file is invalid) */
    struct pool_goal {
        bool hit;
        char dym[64];
    } *goals;
    /* the file's part of each report (pool_reports), with the comparison; NULL without
     * results, or when out of memory (adding NULL says so) */
    maal_report_part *parts[POOL_MAX_REPORTS];
    bool invalid, done;
    struct maal_backstop *bs; /* the watching parent's, or NULL */
    int file, slot; /* the file's position in the check, the worker's backstop slot */
    enum maal_lang lang;
    char stopped[256]; /* the message of a goal the backstop gave up */
};

#define POOL_MAX_THREADS 64

/* What one thread checks with: a worker of the engine, and its backstop slot. */
struct pool_worker {
    maal_worker *w; /* NULL: out of memory, each file says so */
    int slot;
};

/* Zero-initialised ({0}) is a pool that pool_stop() accepts. */
struct pool {
    struct opts *o;
    maal_engine *e; /* prepared: the threads only read it */
    struct file_job *jobs; /* a ring of 'window' slots: job i is in jobs[i % window] */
    char **files;
    size_t n, next, reported;
    size_t window; /* files in flight at most: memory stays flat however many files */
    struct maal_backstop *bs;
    const struct pool_reports *reports; /* NULL: nothing formatted in the jobs */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool sync;  /* mu and cv are initialised */
    pthread_t th[POOL_MAX_THREADS];
    int started;
    /* no threads to be had: each job is done by the main thread, just before it is reported */
    struct pool_worker inline_w;
    bool inline_made;
};

/* Starts the workers for files[0..n-1] (--jobs of them, none for --jobs 1), each job also
 * formatting its parts of 'reports' (may be NULL; it must outlive the pool). MAAL_ERR_NOMEM
 * when the ring cannot be had: then nothing runs, and pool_stop() is still to be called. */
int pool_start(struct pool *pl, struct opts *o, maal_engine *e, int n, char **files,
               struct maal_backstop *bs, const struct pool_reports *reports);
/* Job i (0, 1, ... in turn) once it is done; it stays the caller's until pool_done(pl, i).
 * Its text on stderr is j->diag_text (j->diag_len bytes). */
struct file_job *pool_wait(struct pool *pl, size_t i);
/* Job i is reported: its slot is free for job i + window (whose worker releases what job i
 * left: the main thread does not free it). */
void pool_done(struct pool *pl, size_t i);
/* Stops handing out jobs, joins the workers and releases everything; jobs not yet reported
 * are dropped. Accepts a zeroed pool, one whose start failed, and one already stopped. */
void pool_stop(struct pool *pl);

#endif
