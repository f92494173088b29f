/* common: what every part of libmaal shares inside the library: the public interface
 * (include/maal.h), located errors and limits. Internal: not installed. */
#ifndef MAAL_COMMON_H
#define MAAL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <maal.h>

/* One located error; fixed buffers so reporting an error never allocates. */
struct maal_error {
    char file[512];
    int line, col; /* 1-based; 0 = unknown */
    char msg[1024];
    int sys; /* the errno behind msg (strerror's English text), or 0: maal_error_text */
};

struct maal_diag {
    enum maal_severity sev;
    char *file;
    int line, col;
    char *msg;
};

/* The diagnostics one collection keeps; past them each is only counted (dropped_*), and the
 * printers say how many more there are: 300 000 goals of '{zz: 1}' (3.6 MB) made 1.2 million
 * of them, 548 MB and 7 s. */
#define MAAL_DIAGS_MAX 1000

struct maal_diags {
    struct maal_diag *v;
    size_t n, cap;
    bool oom;
    size_t dropped_errors, dropped_warnings; /* past MAAL_DIAGS_MAX */
};

/* Limits on input; maal_limits_default fills sensible values. */
struct maal_limits {
    size_t max_input;    /* bytes of one data file */
    size_t max_depth;    /* YAML nesting */
    size_t max_aliases;  /* alias expansions per file */
    size_t max_nodes;    /* nodes after alias expansion */
    double rule_timeout; /* seconds of the thread's CPU time per goal (MAAL_WALL_CEILING) */
    size_t rule_memory;  /* bytes per goal's Lua state */
};
void maal_limits_default(struct maal_limits *l);
/* The most a worker's reused Lua state may hold in all, whatever its goals keep: each goal
 * gets rule_memory more than the state holds when it starts, up to this. */
#define MAAL_STATE_CAP(rule_memory) (3 * (size_t)(rule_memory) + ((size_t)8 << 20))

#endif
