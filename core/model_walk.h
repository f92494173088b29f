/* model_walk: the validation walk that builds a partnership, shared by model.c (the YAML) and
 * bindings.c (the tables: CSV files and the values bound from them). Internal to the model. */
#ifndef MAAL_MODEL_WALK_H
#define MAAL_MODEL_WALK_H

#include "model.h"

/* The validation walk: it records every problem and keeps going. */
struct mtable; /* a table from 'tables:' (bindings.c) */

struct v {
    struct maal_partnership *p;
    const char *file; /* the file being read: the partnership's, or an included goal set's */
    const struct maal_load_opts *opts;
    struct maal_arena *a;
    struct maal_diags *d;
    enum maal_lang lang;
    bool failed, oom;
    bool quiet; /* mv_err() records nothing: a check that passes needs no description of what it
                 * checked, so a hot loop checks quietly first and, when the check fails, runs
                 * it again with the description (the same messages, without a snprintf for
                 * every value that is fine) */
    char ex[4][MAAL_EXCERPT_SIZE]; /* excerpts quoted in the current message (see ex()) */
    unsigned nex;
    struct mtable *tables; /* 'tables:', read before anything binds to them */
    size_t ntables;
    size_t table_bytes;    /* the tables' sizes so far: together at most --max-input */
    struct maal_arena ta;  /* the tables' cells: released when the model is built */
};

enum ym_flags {
    YM_UNKNOWN_OK = 1,   /* '?' allowed */
    YM_NONNEG = 2,
    YM_WHOLE = 4,
    YM_PERCENT = 8,
    YM_IN_PERIOD = 16,   /* years must be within the period */
    YM_NOT_AFTER = 32,   /* years must not be after period.to */
};

/* A problem at n (NULL: the file itself); nothing is recorded while v->quiet. */
void mv_err(struct v *v, const struct maal_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Zeroed memory in the document's arena; NULL (and v->oom) when out of memory. */
void *mv_alloc(struct v *v, size_t n);
bool mv_want(struct v *v, const struct maal_node *n, enum maal_node_type t, const char *what);
void mv_check_keys(struct v *v, const struct maal_node *map, const char *const *allowed,
                   const char *const *required, const char *what);
bool mv_get_int_node(struct v *v, const struct maal_node *n, long lo, long hi, long *out,
                     const char *what);
const char *mv_get_text_node(struct v *v, const struct maal_node *n, const char *what);
const char *mv_get_text(struct v *v, const struct maal_node *map, const char *key,
                        const char *what);
/* YAML's null: a plain '', '~' or 'null' */
bool mv_is_null(const struct maal_node *n);
const char **mv_get_text_list(struct v *v, const struct maal_node *n, size_t *count,
                              const char *what);
int mv_enum_index(struct v *v, const struct maal_node *n, const char *const *names,
                  const char *what);
bool mv_valid_id(const char *s);

/* bindings.c */
void mv_load_tables(struct v *v, const struct maal_node *n);
bool mv_is_binding_key(const char *k);
void mv_bind_table(struct v *v, const struct maal_node *n, struct maal_yearmap *m,
                   unsigned flags, const char *what);

#endif
