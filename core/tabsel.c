/* tabsel: a binding's values from a parsed table (table.h): a row's years or quarters (wide)
 * or a column's rows (long), by row labels and column headers, each value at its cell. */
#include "table.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- selecting values ---- */

struct entry {
    int year, q;
    const struct maal_cell *cell;
    const char *label, *header;
    long hc; /* the header's column (wide), or -1: the header is a cell of the row (long) */
};

static int cmp_entry(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    if (a->year != b->year)
        return a->year - b->year;
    return a->q - b->q;
}

struct sel {
    struct maal_table *t;
    const struct maal_table_binding *b;
    enum maal_lang L;
    struct maal_arena *a;
    struct maal_diags *d;
    const size_t *lc; /* the label columns, nl of the w */
    size_t nl, w;
    bool failed, oom;
};

static void bind_err(struct sel *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bind_err(struct sel *s, const char *fmt, ...)
{
    struct maal_buf m = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    maal_diags_add(s->d, MAAL_SEV_ERROR, s->b->file, s->b->line, s->b->col, "%s",
                   maal_buf_str(&m));
    maal_buf_release(&m);
    s->failed = true;
}

/* A cell that is no quick number, read by maal_table_number: its error is said while the
 * table says errors (maal_table_err_ok), so a column of a million bad cells says fifty. */
static int cell_number(struct sel *s, const struct maal_cell *c, double *x, bool *u)
{
    struct maal_table *t = s->t;
    struct maal_diags one;
    maal_diags_init(&one);
    int r = maal_table_number(c->s, t->num, s->L, x, u, &one, t->file, c->line, c->col);
    if (r < 0 && one.n && maal_table_err_ok(t, s->d, c->line, c->col, s->L))
        maal_diags_add(s->d, MAAL_SEV_ERROR, t->file, c->line, c->col, "%s", one.v[0].msg);
    s->oom |= one.oom;
    maal_diags_release(&one);
    return r;
}

/* The strings of 'parts' (up to a NULL) joined in the arena: a value's 'what' is made for
 * every value read, so without printf. */
static const char *join_in(struct sel *s, struct maal_arena *a, const char *const *parts)
{
    size_t n = 0, len[8];
    for (size_t i = 0; parts[i]; i++)
        n += i < 8 ? (len[i] = strlen(parts[i])) : strlen(parts[i]);
    char *r = maal_arena_alloc(a, n + 1), *o = r;
    if (!r) {
        s->oom = true;
        return NULL;
    }
    for (size_t i = 0; parts[i]; i++) {
        size_t k = i < 8 ? len[i] : strlen(parts[i]);
        memcpy(o, parts[i], k);
        o += k;
    }
    *o = '\0';
    return r;
}

static const char *join(struct sel *s, const char *const *parts)
{
    return join_in(s, s->a, parts);
}

/* "table: label, ", the part of a value's name its binding gives, in 'a': join_in's work
 * with two lengths (the table name's taken once per table) and two copies. */
static const char *name_prefix(struct sel *s, struct maal_arena *a, const char *label)
{
    struct maal_table *t = s->t;
    if (!t->name_len)
        t->name_len = strlen(t->name);
    size_t tn = t->name_len, ln = strlen(label);
    char *r = maal_arena_alloc(a, tn + ln + 5);
    if (!r) {
        s->oom = true;
        return NULL;
    }
    memcpy(r, t->name, tn);
    memcpy(r + tn, ": ", 2);
    memcpy(r + tn + 2, label, ln);
    memcpy(r + tn + 2 + ln, ", ", 3);
    return r;
}

/* "'Indbrud', did you mean ..., the rows are: a, b, c" for a label or header not found */
static void not_found(struct sel *s, const char *what, const char *want, const char **cands,
                      size_t n)
{
    struct maal_buf m = MAAL_BUF_INIT;
    char ex[MAAL_EXCERPT_SIZE]; /* a label from the table, as quoted: cut, without controls */
    const char *dym = maal_did_you_mean(want, cands);
    if (dym)
        maal_buf_printf(&m, TR(s->L, " (mente du '%s'?)", " (did you mean '%s'?)"),
                        maal_excerpt(ex, sizeof(ex), dym));
    if (!n) /* a header and nothing under it: no label to list */
        maal_buf_printf(&m, "; %s", TR(s->L, "tabellen har ingen rækker under overskriften",
                                        "the table has no rows below its header"));
    else
        maal_buf_printf(&m, "; %s: ", TR(s->L, "tabellen har", "the table has"));
    for (size_t i = 0; i < n && i < 12; i++)
        maal_buf_printf(&m, "%s'%s'", i ? ", " : "", maal_excerpt(ex, sizeof(ex), cands[i]));
    if (n > 12)
        maal_buf_printf(&m, TR(s->L, " og %zu flere", " and %zu more"), n - 12);
    bind_err(s, TR(s->L, "%s '%s' findes ikke i tabellen '%s' (%s)%s",
                   "%s '%s' is not in the table '%s' (%s)%s"),
             what, want, s->t->name, s->t->file, maal_buf_str(&m));
    maal_buf_release(&m);
}

/* The label columns of 'is_label' (w columns) as a list in s->lc (nl of them): a row's
 * labels are looked for there only. */
static bool label_columns(struct sel *s, const bool *is_label, size_t w)
{
    size_t *lc = maal_arena_alloc(s->a, (w + 1) * sizeof(*lc));
    if (!lc)
        return false;
    s->nl = 0;
    for (size_t c = 0; c < w; c++)
        if (is_label[c])
            lc[s->nl++] = c;
    s->lc = lc;
    s->w = w;
    return true;
}

/* Row r's label cells (r counts from below the header) into lab[c] for the label columns c,
 * a blank filled down from lab's previous contents: called for r = 0, 1, ... in turn, that
 * is the row above, as Statistikbanken writes a label once for a group of rows. One row at a
 * time, so a binding needs memory for a row, not for the table. */
static void roll_labels(const struct sel *s, size_t r, const char **lab)
{
    const struct maal_cell *cells = s->t->rows[s->t->header + 1 + r].cells;
    for (size_t k = 0; k < s->nl; k++) {
        const char *x = cells[s->lc[k]].s;
        if (*x || r == 0)
            lab[s->lc[k]] = x;
    }
}

/* Every label the binding names is one of the row's (an empty one is the blank of any
 * column that is not a label). */
static bool row_matches(const struct sel *s, const char **lab)
{
    for (size_t k = 0; k < s->b->nrow; k++) {
        const char *want = s->b->row[k];
        bool found = !want[0] && s->nl < s->w;
        for (size_t j = 0; j < s->nl && !found; j++) {
            const char *x = lab[s->lc[j]];
            found = x[0] == want[0] && !strcmp(x, want);
        }
        if (!found)
            return false;
    }
    return true;
}

/* The message about a label no row has: the first such label, and the table's labels (the
 * first MAX_CANDS distinct ones) to name the nearest. The labels seen are a hash set (HSET
 * slots, at most half full), so a row costs the same however many labels came before: a
 * linear search made a table of two million rows with 999 labels take 5 s per binding. */
#define MAX_CANDS 1000
#define HSET 2048
static uint64_t label_hash(const char *x)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (; *x; x++)
        h = (h ^ (unsigned char)*x) * 1099511628211u;
    return h;
}

static void row_not_found(struct sel *s, size_t nr)
{
    size_t w = s->w;
    const char **lab = maal_calloc(w + 1, sizeof(*lab));
    const char **cands = maal_calloc(MAX_CANDS + 1, sizeof(*cands));
    const char **set = maal_calloc(HSET, sizeof(*set));
    bool *seen = maal_calloc(s->b->nrow + 1, sizeof(*seen));
    size_t n = 0;
    for (size_t r = 0; lab && cands && set && seen && r < nr; r++) {
        roll_labels(s, r, lab);
        for (size_t i = 0; i < s->nl; i++) {
            size_t c = s->lc[i];
            if (!*lab[c])
                continue;
            for (size_t k = 0; k < s->b->nrow; k++)
                seen[k] |= !strcmp(lab[c], s->b->row[k]);
            if (n == MAX_CANDS)
                continue;
            size_t h = (size_t)(label_hash(lab[c]) & (HSET - 1));
            while (set[h] && strcmp(set[h], lab[c]))
                h = (h + 1) & (HSET - 1);
            if (!set[h])
                set[h] = cands[n++] = lab[c];
        }
    }
    const char *missing = s->b->row[0];
    for (size_t k = 0; seen && k < s->b->nrow; k++)
        if (!seen[k]) {
            missing = s->b->row[k];
            break;
        }
    if (!lab || !cands || !set || !seen)
        s->oom = true;
    else
        not_found(s, TR(s->L, "rækken", "the row"), missing, cands, n);
    maal_free(lab);
    maal_free(cands);
    maal_free(set);
    maal_free(seen);
}

/* Row r (counted from below the header) matches the binding: the first is the hit, a second
 * an error naming both. True for the first. */
static bool row_hit(struct sel *s, size_t r, size_t *hit, size_t *hits)
{
    const struct maal_table *t = s->t;
    if (++*hits == 1) {
        *hit = r;
        return true;
    }
    if (*hits == 2)
        bind_err(s, TR(s->L, "row passer på flere rækker i tabellen '%s' (%s: linje %d og %d), "
                             "forventede én; nævn flere etiketter i row",
                       "row matches more than one row of the table '%s' (%s: lines %d and %d), "
                       "expected one; name more labels in row"),
                 t->name, t->file, t->rows[t->header + 1 + *hit].line,
                 t->rows[t->header + 1 + r].line);
    return false;
}

static const char *row_label(struct sel *s, const char **lab, const bool *is_label, size_t w)
{
    /* the labels the binding names, else the row's own, joined by " / " */
    if (s->b->nrow == 1)
        return s->b->row[0]; /* the binding's own string, kept while it is used */
    size_t np = 0, n = s->b->nrow ? s->b->nrow : w;
    const char **parts = maal_arena_alloc(s->a, (2 * n + 1) * sizeof(*parts));
    if (!parts) {
        s->oom = true;
        return "";
    }
    for (size_t k = 0; k < n; k++) {
        const char *x = s->b->nrow ? s->b->row[k] : is_label[k] && *lab[k] ? lab[k] : NULL;
        if (x) {
            if (np)
                parts[np++] = " / ";
            parts[np++] = x;
        }
    }
    parts[np] = NULL;
    const char *r = join(s, parts);
    return r ? r : "";
}

/* Header cell c copied into 'keep', once per table and arena: NULL when out of memory. */
static const char *kept_header(struct sel *s, struct maal_arena *keep, size_t c)
{
    struct maal_table *t = s->t;
    const struct maal_table_row *h = &t->rows[t->header];
    if (t->kept_in != keep || !t->kept) {
        t->kept = maal_arena_alloc(keep, (h->n + 1) * sizeof(*t->kept));
        if (!t->kept) {
            s->oom = true;
            return NULL;
        }
        memset(t->kept, 0, (h->n + 1) * sizeof(*t->kept));
        t->kept_in = keep;
    }
    if (!t->kept[c]) {
        t->kept[c] = maal_arena_strndup(keep, h->cells[c].s, strlen(h->cells[c].s));
        s->oom |= !t->kept[c];
    }
    return t->kept[c];
}

/* entries (a cell per year or quarter) -> values per year, quarters summed when asked */
static int finish(struct sel *s, struct entry *e, size_t ne, struct maal_table_value **out,
                  size_t *nout)
{
    const struct maal_table *t = s->t;
    for (size_t i = 1; i < ne; i++) /* in order already, as a wide table's columns are */
        if (cmp_entry(&e[i - 1], &e[i]) > 0) {
            qsort(e, ne, sizeof(*e), cmp_entry);
            break;
        }
    struct maal_table_value *v = maal_arena_alloc(s->a, (ne + 1) * sizeof(*v));
    if (!v)
        return MAAL_ERR_NOMEM;
    /* the separators maal_table_number's one-pass reading takes (none: digits only) */
    char dec = t->num == MAAL_NUM_ENGLISH ? '.' : t->num == MAAL_NUM_DANISH ? ',' : 0;
    char thou = t->num == MAAL_NUM_ENGLISH ? ',' : t->num == MAAL_NUM_DANISH ? '.' : 0;
    size_t nv = 0;
    const char *label = NULL, *prefix = NULL;
    for (size_t i = 0; i < ne;) {
        size_t j = i + 1;
        while (j < ne && e[j].year == e[i].year)
            j++;
        /* e[i..j) is one year: a year cell, or quarter cells */
        for (size_t k = i + 1; k < j; k++)
            if (!e[i].q || e[k].q == e[k - 1].q) { /* a year twice, or a year and quarters */
                s->failed = true;
                if (!maal_table_err_ok(s->t, s->d, e[k].cell->line, e[k].cell->col, s->L))
                    break;
                maal_diags_add(s->d, MAAL_SEV_ERROR, t->file, e[k].cell->line, e[k].cell->col,
                               TR(s->L, "%s står to gange i tabellen '%s' (også linje %d, felt "
                                        "%d), forventede én værdi pr. år%s",
                                  "%s is in the table '%s' twice (also line %d, field %d), "
                                  "expected one value per year%s"),
                               e[k].header, t->name, e[k - 1].cell->line, e[k - 1].cell->col,
                               s->b->column ? TR(s->L, "; vælg rækkerne med row:",
                                                 "; choose the rows with row:")
                                            : "");
                s->failed = true;
                break;
            }
        double sum = 0;
        bool unknown = false, missing = false, bad = false;
        for (size_t k = i; k < j; k++) {
            if (!e[k].cell->s[0]) { /* an empty cell (the most common missing value) */
                missing = true;
                continue;
            }
            double x;
            bool u = false;
            const char *cs = e[k].cell->s;
            int r = 1;
            if (maal_table_quick_number(cs + (cs[0] == '-'), SIZE_MAX, dec, thou, &x)) /* most cells */
                x = cs[0] == '-' ? -x : x;
            else
                r = cell_number(s, e[k].cell, &x, &u);
            if (r < 0) {
                s->failed = bad = true;
            } else if (r == 0) {
                if (u && s->b->unknown_ok)
                    unknown = true;
                else
                    missing = true;
            } else {
                sum += x;
            }
        }
        bool quarters = e[i].q != 0;
        if (!bad && !missing && (!quarters || j - i == 4)) {
            struct maal_table_value *x = &v[nv++];
            x->year = e[i].year;
            x->v = unknown ? 0 : sum;
            x->unknown = unknown;
            x->line = e[i].cell->line;
            x->col = e[i].cell->col;
            struct maal_arena *keep = s->b->keep ? s->b->keep : s->a;
            if (e[i].label != label) { /* "table: label, ": one per binding */
                label = e[i].label;
                prefix = name_prefix(s, keep, label);
            }
            x->what = prefix ? prefix : "";
            if (!quarters && e[i].hc >= 0)
                x->what_col = kept_header(s, keep, (size_t)e[i].hc);
            else
                x->what_col = join_in(s, keep, (const char *[]){e[i].header, quarters ? "-" : NULL,
                                                               e[j - 1].header, NULL});
            if (!x->what_col)
                x->what_col = "";
        }
        i = j;
    }
    *out = v;
    *nout = nv;
    return MAAL_OK;
}

/* finish's work for a wide row of a table whose header has years only, in order (most): a
 * value per non-empty cell, read straight from the row, with no entries to group by year */
static int finish_row(struct sel *s, const struct maal_table_row *row, const char *label,
                      struct maal_table_value **out, size_t *nout)
{
    struct maal_table *t = s->t;
    const size_t w = t->rows[t->header].n; /* a row as wide as its header (parsing checks) */
    struct maal_table_value *v = maal_arena_alloc(s->a, (w - t->nl + 1) * sizeof(*v));
    if (!v)
        return MAAL_ERR_NOMEM;
    char dec = t->num == MAAL_NUM_ENGLISH ? '.' : t->num == MAAL_NUM_DANISH ? ',' : 0;
    char thou = t->num == MAAL_NUM_ENGLISH ? ',' : t->num == MAAL_NUM_DANISH ? '.' : 0;
    struct maal_arena *keep = s->b->keep ? s->b->keep : s->a;
    const char *prefix = NULL;
    size_t nv = 0;
    for (size_t c = 0; c < w; c++) {
        const struct maal_cell *cell = &row->cells[c];
        const char *cs = cell->s;
        if (t->hlabel[c] || !cs[0]) /* a label, or an empty cell: no value */
            continue;
        double x;
        bool u = false;
        int r = 1;
        if (maal_table_quick_number(cs + (cs[0] == '-'), SIZE_MAX, dec, thou, &x))
            x = cs[0] == '-' ? -x : x;
        else
            r = cell_number(s, cell, &x, &u);
        if (r < 0)
            s->failed = true;
        if (r < 0 || (r == 0 && !(u && s->b->unknown_ok)))
            continue;
        struct maal_table_value *y = &v[nv++];
        y->year = t->hy[2 * c];
        y->unknown = r == 0;
        y->v = r == 0 ? 0 : 0.0 + x; /* as finish's sum: "-0" is 0 */
        y->line = cell->line;
        y->col = cell->col;
        if (!prefix && !(prefix = name_prefix(s, keep, label)))
            prefix = "";
        y->what = prefix;
        y->what_col = t->kept_in == keep && t->kept && t->kept[c] ? t->kept[c]
                                                                  : kept_header(s, keep, c);
        if (!y->what_col)
            y->what_col = "";
    }
    *out = v;
    *nout = nv;
    return MAAL_OK;
}

/* ---- indexes: the rows of a long table by their labels ---- */

/* A label and the rows (from below the header) that carry it, once each, in order:
 * rows[start .. start + n) of its index. */
struct lslot {
    const char *label;
    size_t start, n, last;
};

/* The rows by the labels in the label columns of one binding's kind: the header's (wide, vc
 * and yc the width) or all but a long binding's year and value columns. */
struct lidx {
    size_t vc, yc;
    struct lslot *map; /* cap slots, a power of two, at most half full (grown as labels come) */
    size_t cap;
    size_t *rows;
};

#define MAX_LIDX 4 /* value columns indexed; a binding to a fifth searches the table */
struct maal_table_cache {
    unsigned char *years; /* per column: 0 not looked at, 1 years or quarters only, 2 not */
    struct lidx l[MAX_LIDX];
    size_t nl;
};

static struct lslot *lslot_of(struct lslot *map, size_t cap, const char *label)
{
    size_t h = (size_t)(label_hash(label) & (cap - 1));
    while (map[h].label && strcmp(map[h].label, label))
        h = (h + 1) & (cap - 1);
    return &map[h];
}

/* t's cache when it is in 'a', else NULL */
static struct maal_table_cache *cache_in(const struct maal_table *t, const struct maal_arena *a)
{
    return t->cache_in == a ? t->cache : NULL;
}

/* Index x of s's label columns (s->lc, as label_columns or the header set them): a pass to
 * count each label's rows, a pass to list them, the labels rolled down as roll_labels does. */
/* x's map at twice the size (the smaller one stays in the arena: at most twice the memory) */
static bool grow_map(struct lidx *x, struct maal_arena *a)
{
    size_t cap = x->cap * 2;
    struct lslot *m = maal_arena_alloc(a, cap * sizeof(*m));
    if (!m)
        return false;
    memset(m, 0, cap * sizeof(*m));
    for (size_t h = 0; h < x->cap; h++)
        if (x->map[h].label)
            *lslot_of(m, cap, x->map[h].label) = x->map[h];
    x->map = m;
    x->cap = cap;
    return true;
}

static bool make_lidx(struct sel *s, struct maal_arena *a, size_t nr, struct lidx *x)
{
    x->cap = 32;
    x->map = maal_arena_alloc(a, x->cap * sizeof(*x->map));
    const char **lab = maal_calloc(s->w + 1, sizeof(*lab));
    if (!x->map || !lab) {
        maal_free(lab);
        return false;
    }
    memset(x->map, 0, x->cap * sizeof(*x->map));
    size_t total = 0, used = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t r = 0; r < nr; r++) {
            roll_labels(s, r, lab);
            for (size_t i = 0; i < s->nl; i++) {
                const char *f = lab[s->lc[i]];
                if (!*f)
                    continue;
                struct lslot *sl = lslot_of(x->map, x->cap, f);
                if (!sl->label) { /* a new label (only in the first pass) */
                    if (2 * (used + 1) > x->cap) {
                        if (!grow_map(x, a)) {
                            maal_free(lab);
                            return false;
                        }
                        sl = lslot_of(x->map, x->cap, f);
                    }
                    *sl = (struct lslot){f, 0, 0, SIZE_MAX};
                    used++;
                }
                if (sl->last == r) /* the label in two columns of the row: the row once */
                    continue;
                sl->last = r;
                if (pass)
                    x->rows[sl->start + sl->n] = r;
                sl->n++;
                total += !pass;
            }
        }
        if (pass)
            break;
        x->rows = maal_arena_alloc(a, (total + 1) * sizeof(*x->rows));
        if (!x->rows) {
            maal_free(lab);
            return false;
        }
        size_t at = 0;
        for (size_t h = 0; h < x->cap; h++)
            if (x->map[h].label) {
                x->map[h].start = at;
                at += x->map[h].n;
                x->map[h].n = 0;
                x->map[h].last = SIZE_MAX;
            }
    }
    maal_free(lab);
    return true;
}

/* The index of the binding's label columns (vc, yc: see struct lidx) once the table has been
 * searched a few times over, made now if need be; NULL: search the table (and count it). */
static const struct lidx *index_for(struct sel *s, struct maal_arena *a, size_t vc, size_t yc,
                                    size_t nr)
{
    struct maal_table *t = s->t;
    const struct maal_table_binding *b = s->b;
    bool plain = b->nrow >= 1 && b->nrow <= 8; /* labels to look up, none empty */
    for (size_t k = 0; plain && k < b->nrow; k++)
        plain = b->row[k][0] != '\0';
    if (!plain || nr < 64)
        return NULL;
    struct maal_table_cache *c = cache_in(t, a);
    for (size_t i = 0; c && i < c->nl; i++)
        if (c->l[i].vc == vc && c->l[i].yc == yc)
            return &c->l[i];
    if (t->scanned < 4 * nr || (c && c->nl == MAX_LIDX)) {
        t->scanned += nr;
        return NULL;
    }
    if (!c) {
        c = maal_arena_alloc(a, sizeof(*c));
        unsigned char *y = maal_arena_alloc(a, s->w + 1);
        if (!c || !y) {
            s->oom = true;
            return NULL;
        }
        memset(c, 0, sizeof(*c));
        memset(y, 0, s->w + 1);
        c->years = y;
        t->cache = c;
        t->cache_in = a;
    }
    struct lidx *x = &c->l[c->nl];
    *x = (struct lidx){.vc = vc, .yc = yc};
    if (!make_lidx(s, a, nr, x)) {
        s->oom = true;
        return NULL;
    }
    c->nl++;
    return x;
}

/* Does the label's list hold row r? (its rows are in order) */
static bool lslot_has(const struct lidx *x, const struct lslot *sl, size_t r)
{
    size_t lo = sl->start, hi = sl->start + sl->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->rows[mid] == r)
            return true;
        if (x->rows[mid] < r)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* The rows that carry every label of the binding, in order, by the index: into *rows (up to
 * 'max' of them; the caller's 'all' says how many there are), the first label's list
 * filtered by the others'. */
static size_t index_rows(const struct sel *s, const struct lidx *x, size_t *rows, size_t max,
                         size_t *all)
{
    const struct lslot *sl[8];
    *all = 0;
    for (size_t k = 0; k < s->b->nrow; k++) {
        struct lslot *f = lslot_of(x->map, x->cap, s->b->row[k]);
        if (!f->label)
            return 0;
        sl[k] = f;
    }
    size_t n = 0;
    for (size_t j = 0; j < sl[0]->n; j++) {
        size_t r = x->rows[sl[0]->start + j];
        bool ok = true;
        for (size_t k = 1; k < s->b->nrow && ok; k++)
            ok = lslot_has(x, sl[k], r);
        if (!ok)
            continue;
        if (n < max)
            rows[n++] = r;
        ++*all;
    }
    return n;
}

/* Column c (not the value column) holds years or quarters only below the header, and at
 * least one: the year column of a long table. Remembered in t's cache when it has one. */
static bool years_only(struct sel *s, struct maal_arena *a, size_t c, size_t nr)
{
    struct maal_table_cache *k = cache_in(s->t, a);
    if (k && k->years[c])
        return k->years[c] == 1;
    size_t years = 0, other = 0;
    for (size_t r = 0; r < nr; r++) {
        int y, q;
        const char *x = s->t->rows[s->t->header + 1 + r].cells[c].s;
        if (maal_table_period(x, &y, &q))
            years++;
        else if (*x)
            other++;
    }
    bool yes = years && !other;
    if (k)
        k->years[c] = yes ? 1 : 2;
    return yes;
}

int maal_table_select(struct maal_table *t, const struct maal_table_binding *b,
                      enum maal_lang L, struct maal_arena *a, struct maal_table_value **out,
                      size_t *nout, struct maal_diags *d)
{
    *out = NULL;
    *nout = 0;
    struct sel s = {.t = t, .b = b, .L = L, .a = a, .d = d};
    const struct maal_table_row *h = &t->rows[t->header];
    size_t w = h->n, nr = t->nrows - t->header - 1;
    bool one = !b->column && b->nrow == 1 && t->nl == 1 && b->row[0][0];
    /* in one allocation: a cell per column of one row (wide, unless its years are in order:
     * finish_row reads the row itself; long: a cell per row picked, below), a row's labels twice
     * (the current row's, the matching row's) and the label columns, unless one label is
     * looked for in one label column. Only what the binding needs: a cell per row of the
     * table for every binding made 30 000 bindings to 30 000 rows allocate 43 GB */
    size_t ne_cap = (b->column || t->years_in_order ? 0 : w) + 1; /* long: below */
    size_t lw = one ? 0 : w + 1;
    struct entry *e = maal_arena_alloc(a, ne_cap * sizeof(struct entry) +
                                              2 * lw * sizeof(const char *) + lw);
    if (!e)
        return MAAL_ERR_NOMEM;
    const char **lab = (const char **)(e + ne_cap), **hitlab = lab + lw;
    bool *is_label = (bool *)(hitlab + lw);
    for (size_t c = 0; !one && c < w; c++) /* the labels rolled row by row start empty */
        lab[c] = "";
    size_t ne = 0;
    const struct maal_table_row *wrow = NULL; /* wide: the row found, and its label */
    const char *wlabel = NULL;
    bool has_q = false;
    const char *first_q = NULL;
    if (!b->column) {
        /* wide: years or quarters are the columns; the row is found by its labels */
        /* the header's years, read once for the table (maal_table_parse) */
        const bool *isl = t->hlabel;
        const int *hy = t->hy;
        has_q = t->first_q != NULL;
        first_q = t->first_q;
        if (t->nl == w) {
            bind_err(&s, TR(L, "tabellen '%s' (%s) har ingen år (2021) eller kvartaler (2021K1) "
                               "i overskriften på linje %d; for en tabel med ét år pr. række, "
                               "forventede column:",
                            "the table '%s' (%s) has no years (2021) or quarters (2021K1) in "
                            "its header on line %d; for a table with a year per row, expected "
                            "column:"),
                     t->name, t->file, h->line);
            return MAAL_ERR_INVALID;
        }
        s.lc = t->lc; /* the header's label columns, found once for the table */
        s.nl = t->nl;
        s.w = w;
        size_t hit = nr, hits = 0;
        /* a long table that bindings have searched a few times over: by its index */
        const struct lidx *x = index_for(&s, a, w, w, nr);
        if (x) {
            size_t two[2], all;
            size_t n = index_rows(&s, x, two, 2, &all);
            for (size_t k = 0; k < n; k++) /* a second one is an error naming both */
                row_hit(&s, two[k], &hit, &hits);
        } else if (one) {
            /* one label and one label column (most bindings): the column's cells compared in
             * place, a blank one taking the label above it, as roll_labels does; row_label
             * needs no labels for one label */
            const char *want = b->row[0], *cur = "";
            const size_t lc0 = s.lc[0];
            const struct maal_table_row *rows = &t->rows[t->header + 1];
            for (size_t r = 0; r < nr; r++) {
                const char *l = rows[r].cells[lc0].s;
                if (*l || r == 0)
                    cur = l;
                if (cur[0] == want[0] && !strcmp(cur, want))
                    row_hit(&s, r, &hit, &hits);
            }
        } else {
            for (size_t r = 0; r < nr; r++) {
                roll_labels(&s, r, lab);
                if (row_matches(&s, lab) && row_hit(&s, r, &hit, &hits))
                    memcpy(hitlab, lab, w * sizeof(*lab));
            }
        }
        if (s.oom)
            return MAAL_ERR_NOMEM;
        if (!hits)
            row_not_found(&s, nr);
        if (s.failed || s.oom)
            return s.oom ? MAAL_ERR_NOMEM : MAAL_ERR_INVALID;
        wlabel = row_label(&s, hitlab, isl, w);
        wrow = &t->rows[t->header + 1 + hit];
        for (size_t c = 0; !t->years_in_order && c < w; c++)
            if (!isl[c])
                e[ne++] = (struct entry){hy[2 * c], hy[2 * c + 1], &wrow->cells[c], wlabel,
                                         h->cells[c].s, (long)c};
    } else {
        /* long: a year or quarter per row in the leftmost column that holds only those */
        size_t vc = w;
        for (size_t c = 0; c < w && vc == w; c++)
            if (!strcmp(h->cells[c].s, b->column))
                vc = c;
        if (vc == w) {
            /* the nearest among the first MAX_CANDS headers (all are counted): a header of
             * 900 000 cells took 5 s per column no table had */
            const char **cands = maal_arena_alloc(a, (MAX_CANDS + 1) * sizeof(*cands));
            if (!cands)
                return MAAL_ERR_NOMEM;
            size_t k = 0;
            for (size_t c = 0; c < w; c++)
                if (*h->cells[c].s && k++ < MAX_CANDS)
                    cands[k - 1] = h->cells[c].s;
            cands[k < MAX_CANDS ? k : MAX_CANDS] = NULL;
            not_found(&s, TR(L, "kolonnen", "the column"), b->column, cands, k);
            return s.oom ? MAAL_ERR_NOMEM : MAAL_ERR_INVALID;
        }
        size_t yc = w;
        for (size_t c = 0; c < w && yc == w; c++)
            if (c != vc && years_only(&s, a, c, nr))
                yc = c;
        if (yc == w) {
            bind_err(&s, TR(L, "tabellen '%s' (%s) har ingen kolonne med kun år (2021) eller "
                               "kvartaler (2021K1), forventede én række pr. år med column:, "
                               "eller år som kolonner uden column:",
                            "the table '%s' (%s) has no column of years (2021) or quarters "
                            "(2021K1) only, expected a row per year with column:, or years as "
                            "columns without column:"),
                     t->name, t->file);
            return MAAL_ERR_INVALID;
        }
        for (size_t c = 0; c < w; c++)
            is_label[c] = c != yc && c != vc;
        if (!label_columns(&s, is_label, w))
            return MAAL_ERR_NOMEM;
        bool any = false;
        /* the labels the binding names, the same for every row it picks */
        const char *label = !b->nrow ? b->column
                            : join(&s, (const char *[]){row_label(&s, lab, is_label, w), ", ",
                                                        b->column, NULL});
        /* the rows the binding picks: by the index of a table searched a few times over (its
         * rows, then their periods), else each row's labels rolled down and compared */
        const struct lidx *x = index_for(&s, a, vc, yc, nr);
        size_t *picked = NULL, npicked = 0, all = 0;
        if (x) { /* counted, then listed: memory for the rows picked, not for the table */
            index_rows(&s, x, NULL, 0, &all);
            picked = maal_arena_alloc(a, (all + 1) * sizeof(*picked));
            if (!picked)
                return MAAL_ERR_NOMEM;
            npicked = index_rows(&s, x, picked, all, &all);
        }
        if (s.oom)
            return MAAL_ERR_NOMEM;
        e = maal_arena_alloc(a, ((x ? npicked : nr) + 1) * sizeof(*e)); /* a cell per row */
        if (!e)
            return MAAL_ERR_NOMEM;
        for (size_t i = 0; i < (x ? npicked : nr); i++) {
            size_t r = x ? picked[i] : i;
            const struct maal_table_row *row = &t->rows[t->header + 1 + r];
            int y, q;
            if (!x) {
                roll_labels(&s, r, lab);
                if (!row_matches(&s, lab))
                    continue;
            }
            if (!maal_table_period(row->cells[yc].s, &y, &q))
                continue;
            any = true;
            if (q && !has_q) {
                has_q = true;
                first_q = row->cells[yc].s;
            }
            e[ne++] = (struct entry){y, q, &row->cells[vc], label ? label : "",
                                     row->cells[yc].s, -1};
        }
        if (!any && b->nrow)
            row_not_found(&s, nr);
    }
    if (has_q && !b->sum_quarters)
        bind_err(&s, TR(L, "tabellen '%s' (%s) har kvartaler ('%s'), forventede quarters: sum "
                           "for at lægge dem sammen til år",
                        "the table '%s' (%s) has quarters ('%s'), expected quarters: sum to add "
                        "them up to years"),
                 t->name, t->file, first_q);
    else if (!has_q && b->sum_quarters)
        bind_err(&s, TR(L, "quarters: sum, men tabellen '%s' (%s) har ingen kvartaler (2021K1)",
                        "quarters: sum, but the table '%s' (%s) has no quarters (2021K1)"),
                 t->name, t->file);
    if (s.failed || s.oom)
        return s.oom ? MAAL_ERR_NOMEM : MAAL_ERR_INVALID;
    int rc = wrow && t->years_in_order ? finish_row(&s, wrow, wlabel, out, nout)
                                        : finish(&s, e, ne, out, nout);
    if (rc == MAAL_OK && s.oom)
        rc = MAAL_ERR_NOMEM;
    if (rc == MAAL_OK && s.failed)
        rc = MAAL_ERR_INVALID;
    return rc;
}
