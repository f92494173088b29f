/* maal.h: the public interface of libmaal, which checks safety partnerships' goals.
 *
 * Ownership, stated once: a function that returns a pointer through '**out' gives the caller
 * that object, to be released with the matching _free (which accepts NULL). Strings inside a
 * returned object are borrowed from it and live exactly as long as it. On failure, outputs
 * are left NULL and need no cleanup. Errors and warnings about input are appended to a
 * 'struct maal_diags', located at file:line:col (1-based).
 */
#ifndef MAAL_H
#define MAAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define MAAL_VERSION "0.1.0"
#define MAAL_FORMAT_VERSION 1      /* of the data files */
#define MAAL_JSON_FORMAT_VERSION 1 /* of --format json */

/* Return codes of fallible functions. */
enum maal_status {
    MAAL_OK = 0,
    MAAL_ERR_IO = 1,
    MAAL_ERR_INVALID = 2, /* input did not validate: see the diagnostics */
    MAAL_ERR_NOMEM = 3,
    MAAL_ERR_LIMIT = 4,
    MAAL_ERR_USAGE = 5,
};

/* Exit codes of the CLI; documented in docs/maal.1 and never changed. */
enum maal_exit {
    MAAL_EXIT_OK = 0,      /* no goal failed */
    MAAL_EXIT_FAIL = 1,    /* a goal failed (or matched --fail-on) */
    MAAL_EXIT_INVALID = 2, /* usage error or invalid input */
    MAAL_EXIT_RULE = 3,    /* a rule error: some goal has verdict 'error' */
};

enum maal_lang { MAAL_LANG_DA = 0, MAAL_LANG_EN = 1 };

/* One located error; fixed buffers so reporting an error never allocates. */
struct maal_error {
    char file[512];
    int line, col; /* 1-based; 0 = unknown */
    char msg[1024];
};

enum maal_severity { MAAL_SEV_ERROR, MAAL_SEV_WARNING };

struct maal_diag {
    enum maal_severity sev;
    char *file;
    int line, col;
    char *msg;
};

struct maal_diags {
    struct maal_diag *v;
    size_t n, cap;
    bool oom;
};

/* Limits on input; maal_limits_default fills sensible values. */
struct maal_limits {
    size_t max_input;    /* bytes of one data file */
    size_t max_depth;    /* YAML nesting */
    size_t max_aliases;  /* alias expansions per file */
    size_t max_nodes;    /* nodes after alias expansion */
    double rule_timeout; /* seconds per goal */
    size_t rule_memory;  /* bytes per goal's Lua state */
};
void maal_limits_default(struct maal_limits *l);

#endif
