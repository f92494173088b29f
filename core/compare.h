/* compare: results against a previous run's JSON (--compare, maal diff). */
#ifndef MAAL_COMPARE_H
#define MAAL_COMPARE_H

#include "eval.h"

enum maal_cmp { MAAL_CMP_NONE, MAAL_CMP_UNCHANGED, MAAL_CMP_NEW, MAAL_CMP_VERDICT, MAAL_CMP_VALUES };
extern const char *const maal_cmp_names[]; /* "", "unchanged", "new", ... */

struct maal_prev_entry {
    char *pid, *goal, *title;
    char *file; /* the partnership's file as that run named it, or NULL */
    char *unit; /* "count", "percent", ...: an id of at most 32 bytes, else NULL */
    /* the first data source (sources[1], after the goal's own; the goal's when it is the only
     * one), as the file says it: file NULL when there is none or it is not a well-formed
     * {file, line, col} (a path of at most 4096 bytes, 0 <= line, col <= INT_MAX); what NULL
     * when absent or over 1024 bytes */
    char *src_file, *src_what;
    int src_line, src_col;
    int verdict; /* enum maal_verdict */
    bool has_actual, has_target, has_baseline;
    double actual, target, baseline;
    bool seen;
};

/* A previous run's results, keyed by partnership id and goal id (unique: a result with a pair
 * twice is refused), in the file's order; 'idx' orders them by (partnership, goal) for lookup. */
struct maal_prev {
    struct maal_prev_entry *v;
    size_t n;
    struct maal_prev_entry **idx;
};

struct maal_changes {
    bool active;
    size_t unchanged, added, verdict, values, regressions;
    char **removed; /* "partnership/goal" */
    size_t nremoved;
};

/* Read a --format json result. It is untrusted input (a file from a CI artifact, or from
 * whoever sent it): at most MAAL_PREV_MAX_BYTES, no duplicate keys or NUL, every partnership
 * and goal id well-formed, every verdict known, no (partnership, goal) twice. Returns MAAL_OK
 * or fills 'err' (file:line:col when jansson says where). Release with maal_prev_release. */
#define MAAL_PREV_MAX_BYTES (512u << 20)
int maal_prev_load(const char *path, struct maal_prev *out, struct maal_error *err,
                   enum maal_lang lang);
void maal_prev_release(struct maal_prev *p);

/* The entry of (pid, goal), or NULL. */
const struct maal_prev_entry *maal_prev_find(const struct maal_prev *prev, const char *pid,
                                             const char *goal);

/* What changed for one current result. */
struct maal_cmp_info {
    enum maal_cmp cmp;
    int prev_verdict;
    bool has_prev_actual;
    double prev_actual;
    struct maal_prev_entry *entry; /* the previous result it matched, or NULL */
};
/* The comparison alone: reads 'prev' (not changed after it is loaded), so checks may be
 * compared on several threads at once, each then noted in order (maal_prev_note). */
struct maal_cmp_info maal_prev_lookup(const struct maal_prev *prev, const char *pid,
                                      const char *goal, int verdict, bool has_actual,
                                      double actual, bool has_target, double target,
                                      bool has_baseline, double baseline);
/* Count a lookup in 'ch' and mark its entry seen; an entry seen before matches nothing: the
 * result is then new (*ci says so). */
void maal_prev_note(struct maal_cmp_info *ci, int verdict, struct maal_changes *ch);
/* Both at once; marks the previous entry as seen. */
struct maal_cmp_info maal_prev_compare(struct maal_prev *prev, const char *pid, const char *goal,
                                       int verdict, bool has_actual, double actual,
                                       bool has_target, double target, bool has_baseline,
                                       double baseline, struct maal_changes *ch);
/* After all results: the previous entries never seen are 'removed'. */
void maal_prev_finish(struct maal_prev *prev, struct maal_changes *ch);
void maal_changes_release(struct maal_changes *ch);

#endif
