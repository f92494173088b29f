/* compare: results against a previous run's JSON (--compare, maal diff). */
#include "compare.h"

#include <jansson.h>
#include <math.h>
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

int maal_prev_load(const char *path, struct maal_prev *out, struct maal_error *err,
                   enum maal_lang lang)
{
    memset(out, 0, sizeof(*out));
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
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
    json_array_foreach(ps, i, p)
    {
        const char *pid = json_string_value(json_object_get(p, "id"));
        json_t *rs = json_object_get(p, "results");
        if (!pid || !json_is_array(rs))
            continue;
        json_array_foreach(rs, k, r)
        {
            const char *goal = json_string_value(json_object_get(r, "goal"));
            const char *verdict = json_string_value(json_object_get(r, "verdict"));
            if (!goal || !verdict)
                continue;
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
            e->verdict = -1;
            for (int x = 0; x < MAAL_NVERDICTS; x++)
                if (!strcmp(maal_verdict_names[x], verdict))
                    e->verdict = x;
            e->pid = maal_strdup(pid);
            e->goal = maal_strdup(goal);
            e->title = dup_str(r, "title");
            if (!e->pid || !e->goal) {
                maal_free(e->pid);
                maal_free(e->goal);
                maal_free(e->title);
                rc = MAAL_ERR_NOMEM;
                goto done;
            }
            e->has_actual = num_of(r, "actual", &e->actual);
            e->has_target = num_of(r, "target", &e->target);
            e->has_baseline = num_of(r, "baseline", &e->baseline);
            out->n++;
        }
    }
done:
    json_decref(root);
    if (rc != MAAL_OK) {
        maal_error_set(err, path, 0, 0, "%s", TR(lang, "ikke nok hukommelse", "out of memory"));
        maal_prev_release(out);
    }
    return rc;
}

void maal_prev_release(struct maal_prev *p)
{
    for (size_t i = 0; i < p->n; i++) {
        maal_free(p->v[i].pid);
        maal_free(p->v[i].goal);
        maal_free(p->v[i].title);
    }
    maal_free(p->v);
    memset(p, 0, sizeof(*p));
}

static bool differ(bool ha, double a, bool hb, double b)
{
    return ha != hb || (ha && fabs(a - b) > 1e-9 * (fabs(a) + fabs(b) + 1));
}

struct maal_cmp_info maal_prev_compare(struct maal_prev *prev, const char *pid, const char *goal,
                                       int verdict, bool has_actual, double actual,
                                       bool has_target, double target, bool has_baseline,
                                       double baseline, struct maal_changes *ch)
{
    struct maal_cmp_info ci = {.cmp = MAAL_CMP_NEW, .prev_verdict = -1};
    ch->active = true;
    for (size_t i = 0; i < prev->n; i++) {
        struct maal_prev_entry *e = &prev->v[i];
        if (e->seen || strcmp(e->pid, pid ? pid : "") || strcmp(e->goal, goal ? goal : ""))
            continue;
        e->seen = true;
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
        break;
    }
    switch (ci.cmp) {
    case MAAL_CMP_NEW: ch->added++; break;
    case MAAL_CMP_VERDICT:
        ch->verdict++;
        if (ci.prev_verdict == MAAL_PASS && verdict == MAAL_FAIL)
            ch->regressions++;
        break;
    case MAAL_CMP_VALUES: ch->values++; break;
    default: ch->unchanged++; break;
    }
    return ci;
}

void maal_prev_finish(struct maal_prev *prev, struct maal_changes *ch)
{
    ch->active = true;
    for (size_t i = 0; i < prev->n; i++) {
        if (prev->v[i].seen)
            continue;
        char **r = maal_realloc(ch->removed, (ch->nremoved + 1) * sizeof(*r));
        if (!r)
            return;
        ch->removed = r;
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
