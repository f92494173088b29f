/* compare: results against a previous run's JSON (--compare, maal diff). */
#include "compare.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const maal_cmp_names[] = {"", "unchanged", "new", "verdict_changed",
                                      "values_changed", NULL};

static bool num_of(json_t *o, const char *k, double *out)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

static char *dup_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? maal_strdup(s) : NULL;
}

/* An id as the data format allows it ([a-z0-9][a-z0-9_.-]*, at most 200 bytes): what a
 * previous result says is printed in logs and annotations. */
static bool prev_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 200 || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

/* A unit as the JSON format writes it ("count", "per_1000", ...): an id of at most 32 bytes,
 * else NULL. Only the units maal knows are worded; the others are not printed. */
static char *prev_unit(json_t *r)
{
    const char *s = json_string_value(json_object_get(r, "unit"));
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 32 || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return NULL;
    return maal_strdup(s);
}

/* Where the result's number came from: the first data source (the goal's own is first in
 * 'sources'; a result with only that one points at the goal, as the github report does). What
 * the file says is input: a source that is not {file: string of at most 4096 bytes, line and
 * col: integers 0..INT_MAX} gives no location, and a 'what' over 1024 bytes is left out. The
 * strings are printed only cleaned or escaped for the format. False when out of memory. */
static bool prev_source(json_t *r, struct maal_prev_entry *e)
{
    json_t *ss = json_object_get(r, "sources");
    size_t n = json_is_array(ss) ? json_array_size(ss) : 0;
    json_t *s = n ? json_array_get(ss, n > 1 ? 1 : 0) : NULL;
    const char *file = json_string_value(json_object_get(s, "file"));
    json_t *line = json_object_get(s, "line"), *col = json_object_get(s, "col");
    if (!file || !*file || strlen(file) > 4096 || !json_is_integer(line) ||
        !json_is_integer(col) || json_integer_value(line) < 0 ||
        json_integer_value(line) > INT_MAX || json_integer_value(col) < 0 ||
        json_integer_value(col) > INT_MAX)
        return true;
    const char *what = json_string_value(json_object_get(s, "what"));
    e->src_file = maal_strdup(file);
    e->src_what = what && strlen(what) <= 1024 ? maal_strdup(what) : NULL;
    e->src_line = (int)json_integer_value(line);
    e->src_col = (int)json_integer_value(col);
    return e->src_file && (!what || strlen(what) > 1024 || e->src_what);
}

static void entry_release(struct maal_prev_entry *e)
{
    maal_free(e->pid);
    maal_free(e->goal);
    maal_free(e->title);
    maal_free(e->unit);
    maal_free(e->src_file);
    maal_free(e->src_what);
    maal_free(e->file);
}

static int cmp_key(const struct maal_prev_entry *a, const char *pid, const char *goal)
{
    int c = strcmp(a->pid, pid);
    return c ? c : strcmp(a->goal, goal);
}

static int cmp_idx(const void *x, const void *y)
{
    const struct maal_prev_entry *a = *(struct maal_prev_entry *const *)x;
    const struct maal_prev_entry *b = *(struct maal_prev_entry *const *)y;
    int c = cmp_key(a, b->pid, b->goal);
    return c ? c : (a > b) - (a < b); /* equal keys: in the file's order */
}

/* Order the entries by (partnership, goal) once: each lookup is then a binary search (a linear
 * scan per goal took 16 s for 32 000 goals). Returns a duplicate's second entry, or NULL. */
static const struct maal_prev_entry *index_prev(struct maal_prev *p)
{
    for (size_t i = 0; i < p->n; i++)
        p->idx[i] = &p->v[i];
    qsort(p->idx, p->n, sizeof(*p->idx), cmp_idx);
    for (size_t i = 1; i < p->n; i++)
        if (!cmp_key(p->idx[i - 1], p->idx[i]->pid, p->idx[i]->goal))
            return p->idx[i];
    return NULL;
}

int maal_prev_load(const char *path, struct maal_prev *out, struct maal_error *err,
                   enum maal_lang lang)
{
    memset(out, 0, sizeof(*out));
    char *text = NULL;
    size_t len = 0;
    struct maal_error re;
    /* the user names it: '--compare <(git show main:maal.json)' reads a pipe */
    if (maal_read_named(path, MAAL_PREV_MAX_BYTES, &text, &len, &re, lang) != MAAL_OK) {
        *err = re;
        return MAAL_ERR_INVALID;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    maal_free(text);
    if (!root) {
        maal_error_set(err, path, je.line > 0 ? je.line : 0, je.column > 0 ? je.column : 0,
                       TR(lang, "kan ikke læse tidligere resultat: %s",
                          "cannot read the previous result: %s"),
                       je.text);
        return MAAL_ERR_INVALID;
    }
    json_t *fv = json_object_get(root, "format_version");
    json_t *ps = json_object_get(root, "partnerships");
    if (!json_is_integer(fv) || json_integer_value(fv) != MAAL_JSON_FORMAT_VERSION ||
        !json_is_array(ps)) {
        maal_error_set(err, path, 0, 0,
                       TR(lang, "'%s' er ikke et maal-resultat med format_version 1 "
                                "(lavet med --format json)",
                          "'%s' is not a maal result with format_version 1 (made with "
                          "--format json)"),
                       path);
        json_decref(root);
        return MAAL_ERR_INVALID;
    }
    size_t cap = 0, i, k;
    json_t *p, *r;
    int rc = MAAL_OK;
    char where[128] = "";
    json_array_foreach(ps, i, p)
    {
        const char *pid = json_string_value(json_object_get(p, "id"));
        json_t *rs = json_object_get(p, "results");
        snprintf(where, sizeof(where), TR(lang, "partnerskab nr. %zu", "partnership #%zu"), i + 1);
        if (!prev_id(pid) || !json_is_array(rs)) {
            rc = MAAL_ERR_INVALID;
            goto done;
        }
        json_array_foreach(rs, k, r)
        {
            const char *goal = json_string_value(json_object_get(r, "goal"));
            const char *verdict = json_string_value(json_object_get(r, "verdict"));
            snprintf(where, sizeof(where), TR(lang, "resultat nr. %zu i partnerskab nr. %zu",
                                              "result #%zu of partnership #%zu"), k + 1, i + 1);
            int vi = -1;
            for (int x = 0; verdict && x < MAAL_NVERDICTS; x++)
                if (!strcmp(maal_verdict_names[x], verdict))
                    vi = x;
            if (!prev_id(goal) || vi < 0) {
                rc = MAAL_ERR_INVALID;
                goto done;
            }
            if (out->n == cap) {
                cap = cap ? cap * 2 : 64;
                struct maal_prev_entry *v = maal_realloc(out->v, cap * sizeof(*v));
                if (!v) {
                    rc = MAAL_ERR_NOMEM;
                    goto done;
                }
                out->v = v;
            }
            struct maal_prev_entry *e = &out->v[out->n];
            memset(e, 0, sizeof(*e));
            e->verdict = vi;
            e->pid = maal_strdup(pid);
            e->goal = maal_strdup(goal);
            e->title = dup_str(r, "title");
            e->file = dup_str(p, "file");
            e->unit = prev_unit(r);
            if (!e->pid || !e->goal || !prev_source(r, e)) {
                entry_release(e);
                rc = MAAL_ERR_NOMEM;
                goto done;
            }
            e->has_actual = num_of(r, "actual", &e->actual);
            e->has_target = num_of(r, "target", &e->target);
            e->has_baseline = num_of(r, "baseline", &e->baseline);
            out->n++;
        }
    }
    out->idx = maal_malloc((out->n + 1) * sizeof(*out->idx));
    if (!out->idx) {
        rc = MAAL_ERR_NOMEM;
        goto done;
    }
    const struct maal_prev_entry *dup = index_prev(out);
    if (dup) {
        maal_error_set(err, path, 0, 0,
                       TR(lang, "det tidligere resultat har målet '%s/%s' to gange, forventede "
                                "hvert mål én gang",
                          "the previous result has the goal '%s/%s' twice, expected each goal "
                          "once"),
                       dup->pid, dup->goal);
        rc = MAAL_ERR_INVALID;
        where[0] = '\0';
    }
done:
    json_decref(root);
    if (rc == MAAL_ERR_NOMEM)
        maal_error_set(err, path, 0, 0, "%s", TR(lang, "ikke nok hukommelse", "out of memory"));
    else if (rc != MAAL_OK && where[0])
        maal_error_set(err, path, 0, 0,
                       TR(lang, "%s i det tidligere resultat har et ugyldigt id eller en ukendt "
                                "dom, forventede et maal-resultat (--format json)",
                          "%s of the previous result has an invalid id or an unknown verdict, "
                          "expected a maal result (--format json)"),
                       where);
    if (rc != MAAL_OK)
        maal_prev_release(out);
    return rc;
}

void maal_prev_release(struct maal_prev *p)
{
    for (size_t i = 0; i < p->n; i++)
        entry_release(&p->v[i]);
    maal_free(p->v);
    maal_free(p->idx);
    memset(p, 0, sizeof(*p));
}

static bool differ(bool ha, double a, bool hb, double b)
{
    return ha != hb || (ha && fabs(a - b) > 1e-9 * (fabs(a) + fabs(b) + 1));
}

/* The index of the first entry not below (pid, goal) in prev->idx. */
static size_t lower_bound(const struct maal_prev *prev, const char *pid, const char *goal)
{
    size_t lo = 0, hi = prev->idx ? prev->n : 0;
    while (lo < hi) { /* the first entry not below (pid, goal) */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(prev->idx[mid], pid ? pid : "", goal ? goal : "") < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct maal_prev_entry *maal_prev_find(const struct maal_prev *prev, const char *pid,
                                             const char *goal)
{
    size_t i = lower_bound(prev, pid, goal);
    const struct maal_prev_entry *e = prev->idx && i < prev->n ? prev->idx[i] : NULL;
    return e && !cmp_key(e, pid ? pid : "", goal ? goal : "") ? e : NULL;
}

struct maal_cmp_info maal_prev_lookup(const struct maal_prev *prev, const char *pid,
                                      const char *goal, int verdict, bool has_actual,
                                      double actual, bool has_target, double target,
                                      bool has_baseline, double baseline)
{
    struct maal_cmp_info ci = {.cmp = MAAL_CMP_NEW, .prev_verdict = -1};
    size_t lo = lower_bound(prev, pid, goal);
    struct maal_prev_entry *e = prev->idx && lo < prev->n ? prev->idx[lo] : NULL;
    if (e && !cmp_key(e, pid ? pid : "", goal ? goal : "")) {
        ci.entry = e;
        ci.prev_verdict = e->verdict;
        ci.has_prev_actual = e->has_actual;
        ci.prev_actual = e->actual;
        if (e->verdict != verdict)
            ci.cmp = MAAL_CMP_VERDICT;
        else if (differ(e->has_actual, e->actual, has_actual, actual) ||
                 differ(e->has_target, e->target, has_target, target) ||
                 differ(e->has_baseline, e->baseline, has_baseline, baseline))
            ci.cmp = MAAL_CMP_VALUES;
        else
            ci.cmp = MAAL_CMP_UNCHANGED;
    }
    return ci;
}

void maal_prev_note(struct maal_cmp_info *ci, int verdict, struct maal_changes *ch)
{
    ch->active = true;
    if (ci->entry && ci->entry->seen) /* matched before: this one is new */
        *ci = (struct maal_cmp_info){.cmp = MAAL_CMP_NEW, .prev_verdict = -1};
    if (ci->entry)
        ci->entry->seen = true;
    switch (ci->cmp) {
    case MAAL_CMP_NEW: ch->added++; break;
    case MAAL_CMP_VERDICT:
        ch->verdict++;
        if (ci->prev_verdict == MAAL_PASS && verdict == MAAL_FAIL)
            ch->regressions++;
        break;
    case MAAL_CMP_VALUES: ch->values++; break;
    default: ch->unchanged++; break;
    }
}

struct maal_cmp_info maal_prev_compare(struct maal_prev *prev, const char *pid, const char *goal,
                                       int verdict, bool has_actual, double actual,
                                       bool has_target, double target, bool has_baseline,
                                       double baseline, struct maal_changes *ch)
{
    struct maal_cmp_info ci = maal_prev_lookup(prev, pid, goal, verdict, has_actual, actual,
                                               has_target, target, has_baseline, baseline);
    maal_prev_note(&ci, verdict, ch);
    return ci;
}

void maal_prev_finish(struct maal_prev *prev, struct maal_changes *ch)
{
    ch->active = true;
    size_t unseen = 0;
    for (size_t i = 0; i < prev->n; i++)
        unseen += !prev->v[i].seen;
    if (!unseen)
        return;
    /* one allocation for all: growing by one per goal copied the list each time */
    char **r = maal_realloc(ch->removed, (ch->nremoved + unseen) * sizeof(*r));
    if (!r)
        return;
    ch->removed = r;
    for (size_t i = 0; i < prev->n; i++) {
        if (prev->v[i].seen)
            continue;
        struct maal_buf b = MAAL_BUF_INIT;
        maal_buf_printf(&b, "%s/%s", prev->v[i].pid, prev->v[i].goal);
        if (b.s)
            ch->removed[ch->nremoved++] = b.s;
    }
}

void maal_changes_release(struct maal_changes *ch)
{
    for (size_t i = 0; i < ch->nremoved; i++)
        maal_free(ch->removed[i]);
    maal_free(ch->removed);
    memset(ch, 0, sizeof(*ch));
}
