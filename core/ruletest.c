/* ruletest: a rule's test file run case by case (maal_rule_test_run, 'maal test'). Each case
 * is a goal with the id "test" built from the case's nodes, evaluated in one Lua state kept
 * from case to case as the goals of 'maal check' are; what the result must be is checked
 * here and said in the caller's language, for cli/tools.c to print. */
#include "ruletest.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "doc.h"
#include "eval.h"
#include "rules.h"

struct maal_rule_test {
    char *rule;
    struct maal_test_case *v; /* its strings and diags are owned (cast back to free them) */
    size_t n;
};

/* the keys a case may have: a mistyped one must not pass silently */
static const char *const case_keys[] = {"name",   "params",  "year",     "data",        "expect",
                                        "message", "actual", "target",   "baseline",    "change",
                                        "op",     "unit",    "result_year", "lang",     NULL};

static const char *scalar(const struct maal_node *map, const char *key)
{
    const struct maal_node *n = maal_node_get(map, key);
    return n && n->type == MAAL_NODE_SCALAR ? n->str : NULL;
}

/* A case's expected number 'key' against the result's; says what came when it differs. */
static void check_number(struct maal_buf *why, enum maal_lang L, const struct maal_node *c,
                         const char *key, bool has, double got)
{
    const char *want_s = scalar(c, key);
    double want;
    if (!want_s || !maal_parse_double(want_s, &want))
        return;
    if (has && fabs(got - want) <= 1e-9 * (fabs(want) + 1))
        return;
    char num[64] = "-";
    if (has)
        snprintf(num, sizeof(num), "%.17g", got);
    maal_buf_printf(why, "%s%s %s = %s, %s %s", why->len ? "; " : "",
                    TR(L, "forventede", "expected"), key, want_s, TR(L, "fik", "got"), num);
}

static void check_text(struct maal_buf *why, enum maal_lang L, const struct maal_node *c,
                       const char *key, const char *got)
{
    const char *want = scalar(c, key);
    if (!want || (got && !strcmp(want, got)))
        return;
    maal_buf_printf(why, "%s%s %s = '%s', %s '%s'", why->len ? "; " : "",
                    TR(L, "forventede", "expected"), key, want, TR(L, "fik", "got"),
                    got ? got : "-");
}

/* What is wrong with case c before it can run (its outcome set to INVALID, with the place and
 * why), or false when it can run. */
static bool case_invalid(const struct maal_node *c, const struct maal_node *shared,
                         enum maal_lang L, struct maal_test_case *out, struct maal_buf *why)
{
    bool map = c->type == MAAL_NODE_MAP;
    const struct maal_node *badkey = NULL;
    for (size_t k = 0; map && k < c->n && !badkey; k++) {
        const struct maal_node *key = c->items[2 * k];
        bool known = false;
        for (size_t q = 0; case_keys[q]; q++)
            known = known || (key->type == MAAL_NODE_SCALAR && !strcmp(key->str, case_keys[q]));
        if (!known)
            badkey = key;
    }
    out->outcome = MAAL_CASE_INVALID;
    if (badkey) { /* named, at the key, with the nearest known one */
        const char *bad = badkey->type == MAAL_NODE_SCALAR ? badkey->str : "?";
        const char *dym = maal_did_you_mean(bad, case_keys);
        maal_buf_printf(why, "%s '%s'%s%s%s, %s name, params, year, data, expect, message, "
                             "actual, target, baseline, change, op, unit, result_year, lang",
                        TR(L, "ukendt nøgle i tilfældet", "unknown key in the case"), bad,
                        dym ? TR(L, " (mente du '", " (did you mean '") : "", dym ? dym : "",
                        dym ? "'?)" : "", TR(L, "forventede en af", "expected one of"));
        out->line = badkey->line;
        out->col = badkey->col;
        return true;
    }
    /* 'lang' picks the language the case runs in: a typo must not run it in the default */
    const struct maal_node *ln = map ? maal_node_get(c, "lang") : NULL;
    if (ln && (ln->type != MAAL_NODE_SCALAR || (strcmp(ln->str, "da") && strcmp(ln->str, "en")))) {
        maal_buf_printf(why, "%s '%s', %s da, en",
                        TR(L, "ukendt sprog i tilfældet", "unknown language in the case"),
                        ln->type == MAAL_NODE_SCALAR ? ln->str : "?",
                        TR(L, "forventede en af", "expected one of"));
        out->line = ln->line;
        out->col = ln->col;
        return true;
    }
    long yv;
    double av;
    const char *yss = map ? scalar(c, "year") : NULL;
    const char *acs = map ? scalar(c, "actual") : NULL;
    const char *exs = map ? scalar(c, "expect") : NULL;
    bool exp_ok = false;
    for (int q = 0; exs && q < MAAL_NVERDICTS; q++)
        exp_ok = exp_ok || !strcmp(exs, maal_verdict_name((enum maal_verdict)q));
    if ((yss && (!maal_parse_int(yss, &yv) || yv < MAAL_YEAR_MIN || yv > MAAL_YEAR_MAX)) ||
        (acs && !maal_parse_double(acs, &av)) || (exs && !exp_ok)) {
        maal_buf_puts(why, TR(L, "'year' skal være et årstal, 'actual' et tal og 'expect' en dom "
                                 "(pass, fail, info, nodata, error, waived)",
                              "'year' must be a year, 'actual' a number and 'expect' a verdict "
                              "(pass, fail, info, nodata, error, waived)"));
        out->line = c->line;
        out->col = c->col;
        return true;
    }
    const struct maal_node *data = map ? maal_node_get(c, "data") : NULL;
    if (!out->name || !exs || !(data ? data : shared)) {
        maal_buf_puts(why, TR(L, "et tilfælde skal have 'name', 'expect' og 'data' (eller fælles "
                                 "'data')",
                              "a case needs 'name', 'expect' and 'data' (or a shared 'data')"));
        out->line = c->line; /* the case's line alone, as 'maal test' has always said it */
        return true;
    }
    return false;
}

/* Case c run as goal "test" of rule 'rule' into out; what to keep is copied. */
static int run_case(const struct maal_ruletest_opts *o, struct maal_doc *doc, const char *path,
                    const char *rule, struct maal_ruleset *rs, struct maal_eval_worker *ev,
                    const struct maal_node *c, const struct maal_node *data,
                    struct maal_test_case *out, struct maal_buf *why)
{
    enum maal_lang L = o->lang;
    struct maal_diags *cd = maal_malloc(sizeof(*cd));
    if (!cd)
        return MAAL_ERR_NOMEM;
    maal_diags_init(cd);
    struct maal_load_opts lo = {.limits = o->limits, .lang = L};
    struct maal_partnership *p;
    if (maal_partnership_from_node(doc, data, &lo, &p, cd) != MAAL_OK) {
        out->outcome = MAAL_CASE_BAD_DATA;
        out->diags = cd;
        return MAAL_OK;
    }
    maal_diags_release(cd);
    maal_free(cd);
    struct maal_goal g = {.id = "test", .title = out->name, .group = "andet", .rule = rule,
                          .file = path, .line = c->line, .col = c->col};
    const struct maal_node *pm = maal_node_get(c, "params");
    g.params = pm && pm->type == MAAL_NODE_MAP ? pm : NULL;
    long year = 0;
    const char *ys = scalar(c, "year");
    if (ys)
        maal_parse_int(ys, &year);
    const char *cl = scalar(c, "lang");
    enum maal_lang cL = cl && !strcmp(cl, "en") ? MAAL_LANG_EN
                        : cl && !strcmp(cl, "da") ? MAAL_LANG_DA
                                                  : L;
    /* no 'today': a waiver in a test's data never expires, so a test passes on any day */
    struct maal_eval_opts eo = {.lang = cL, .year = (int)year, .limits = o->limits,
                                .rules = rs, .plugins = o->plugins, .worker = ev};
    struct maal_result res;
    int rc = maal_eval_goal(&eo, p, &g, &res);
    if (rc == MAAL_OK) {
        char pre[200];
        snprintf(pre, sizeof(pre), "%s '%s': ", TR(L, "målet", "goal"), g.id);
        if (res.invalid_params && res.message && !strncmp(res.message, pre, strlen(pre)))
            /* the case's params, not "the goal 'test'" */
            memmove(res.message, res.message + strlen(pre), strlen(res.message + strlen(pre)) + 1);
        const char *expect = scalar(c, "expect");
        if (strcmp(maal_verdict_name(res.verdict), expect) != 0)
            maal_buf_printf(why, TR(L, "forventede %s, fik %s", "expected %s, got %s"), expect,
                            maal_verdict_name(res.verdict));
        const char *msg = scalar(c, "message");
        if (msg && !strstr(res.message ? res.message : "", msg))
            maal_buf_printf(why, "%s%s '%s'", why->len ? "; " : "",
                            TR(L, "beskeden indeholder ikke", "the message lacks"), msg);
        check_number(why, L, c, "actual", res.has_actual, res.actual);
        check_number(why, L, c, "target", res.has_target, res.target);
        check_number(why, L, c, "baseline", res.has_baseline, res.baseline);
        check_number(why, L, c, "change", res.has_change, res.change);
        check_number(why, L, c, "result_year", res.year != 0, res.year);
        check_text(why, L, c, "op", res.op);
        check_text(why, L, c, "unit", res.unit);
        out->outcome = why->len ? MAAL_CASE_FAILED : MAAL_CASE_PASSED;
        if (why->len && res.invalid_params) {
            out->at_param = true;
            out->line = res.err_line;
            out->col = res.err_col;
        }
        out->message = res.message; /* taken from the result */
        res.message = NULL;
        maal_result_release(&res);
    }
    maal_eval_next(ev); /* the case's data leaves the state before it is freed */
    maal_partnership_free(p);
    return rc;
}

/* The test file's rule: 'rule:', or the file's name without _test.yaml. */
static char *rule_of(const struct maal_node *root, const char *path)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *r = scalar(root, "rule");
    if (r)
        return maal_strdup(r);
    const char *us = strstr(base, "_test.yaml");
    return maal_strndup(base, us ? (size_t)(us - base) : strlen(base));
}

static void free_case(struct maal_test_case *c)
{
    maal_free((char *)c->name);
    maal_free((char *)c->why);
    maal_free((char *)c->message);
    if (c->diags) {
        maal_diags_release((struct maal_diags *)c->diags);
        maal_free((struct maal_diags *)c->diags);
    }
}

void maal_rule_test_free(maal_rule_test *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free_case(&t->v[i]);
    maal_free(t->v);
    maal_free(t->rule);
    maal_free(t);
}

/* The cases of 'cases' run into t (its rule found in rs). */
static int run_cases(const struct maal_ruletest_opts *o, struct maal_doc *doc, const char *path,
                     struct maal_ruleset *rs, const struct maal_node *cases,
                     const struct maal_node *shared, maal_rule_test *t)
{
    if (cases->n && !(t->v = maal_calloc(cases->n, sizeof(*t->v))))
        return MAAL_ERR_NOMEM;
    /* the cases share one reused state, as the goals of 'maal check' do (NULL when out of
     * memory: each case gets a state of its own) */
    struct maal_eval_worker *ev = maal_eval_worker_new();
    int rc = MAAL_OK;
    for (size_t i = 0; i < cases->n && rc == MAAL_OK; i++) {
        const struct maal_node *c = cases->items[i];
        struct maal_test_case *out = &t->v[t->n++];
        const char *name = c->type == MAAL_NODE_MAP ? scalar(c, "name") : NULL;
        if (name && !(out->name = maal_strdup(name)))
            rc = MAAL_ERR_NOMEM;
        struct maal_buf why = MAAL_BUF_INIT;
        if (rc == MAAL_OK && !case_invalid(c, shared, o->lang, out, &why)) {
            const struct maal_node *data = maal_node_get(c, "data");
            rc = run_case(o, doc, path, t->rule, rs, ev, c, data ? data : shared, out, &why);
        }
        if (why.oom)
            rc = MAAL_ERR_NOMEM;
        out->why = why.len ? why.s : NULL;
        if (!why.len)
            maal_buf_release(&why);
    }
    maal_eval_worker_free(ev);
    return rc;
}

int maal_ruletest_run(const struct maal_ruletest_opts *o, const char *path, maal_rule_test **out,
                      struct maal_diags *d)
{
    *out = NULL;
    enum maal_lang L = o->lang;
    char *text;
    size_t len;
    struct maal_error e;
    int rc = maal_read_file(path, o->limits->max_input, &text, &len, &e, L);
    if (rc != MAAL_OK) {
        maal_diags_add(d, MAAL_SEV_ERROR, e.file, e.line, e.col, "%s", maal_error_text(&e, L));
        return rc;
    }
    struct maal_doc *doc = NULL;
    rc = maal_doc_parse(path, text, len, o->limits, L, &doc, d);
    maal_free(text);
    const struct maal_node *root = doc ? doc->root : NULL;
    const struct maal_node *cases = root ? maal_node_get(root, "cases") : NULL;
    if (rc == MAAL_OK && (!root || root->type != MAAL_NODE_MAP || !cases ||
                          cases->type != MAAL_NODE_SEQ)) {
        maal_diags_add(d, MAAL_SEV_ERROR, path, 0, 0, "%s",
                       TR(L, "forventede en tabel med 'cases' (en liste)",
                          "expected a mapping with 'cases' (a list)"));
        rc = MAAL_ERR_INVALID;
    }
    maal_rule_test *t = NULL;
    if (rc == MAAL_OK && (!(t = maal_calloc(1, sizeof(*t))) || !(t->rule = rule_of(root, path))))
        rc = MAAL_ERR_NOMEM;
    /* the rule is looked for beside the test file first */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char *dir = base > path ? maal_strndup(path, (size_t)(base - path - 1)) : maal_strdup(".");
    const char **dirs = maal_malloc((o->nrule_dirs + 1) * sizeof(*dirs));
    if (rc == MAAL_OK && (!dir || !dirs))
        rc = MAAL_ERR_NOMEM;
    struct maal_ruleset rs;
    bool have_rs = false;
    if (rc == MAAL_OK) {
        dirs[0] = dir;
        for (size_t i = 0; i < o->nrule_dirs; i++)
            dirs[i + 1] = o->rule_dirs[i];
        rc = maal_ruleset_init(&rs, dirs, o->nrule_dirs + 1, L);
        have_rs = rc == MAAL_OK;
        if (rc == MAAL_OK && o->plugins)
            rc = maal_ruleset_add_plugins(&rs, o->plugins);
    }
    struct maal_error fe;
    if (rc == MAAL_OK && !maal_ruleset_find(&rs, path, t->rule, &fe)) {
        /* no case can run: the file is broken, said once, not a failure per case */
        maal_diags_add(d, MAAL_SEV_ERROR, path, 0, 0,
                       TR(L, "reglen '%s' findes ikke ved siden af testfilen, forventede %s/%s.lua "
                             "(eller 'rule:' i testfilen)",
                          "the rule '%s' is not next to the test file, expected %s/%s.lua (or "
                          "'rule:' in the test file)"),
                       t->rule, dir, t->rule);
        rc = MAAL_ERR_INVALID;
    }
    if (rc == MAAL_OK)
        rc = run_cases(o, doc, path, &rs, cases, maal_node_get(root, "data"), t);
    if (rc == MAAL_ERR_NOMEM)
        maal_diags_add(d, MAAL_SEV_ERROR, path, 0, 0, "%s", maal_strerror(ENOMEM, L));
    if (have_rs)
        maal_ruleset_release(&rs);
    maal_free(dirs);
    maal_free(dir);
    maal_doc_free(doc);
    if (rc == MAAL_OK)
        *out = t;
    else
        maal_rule_test_free(t);
    return rc;
}

int maal_rule_test_case(const maal_rule_test *t, size_t i, struct maal_test_case *out)
{
    if (!t || !out || i >= t->n)
        return MAAL_ERR_USAGE;
    *out = t->v[i];
    return MAAL_OK;
}

size_t maal_rule_test_count(const maal_rule_test *t) { return t ? t->n : 0; }

const char *maal_rule_test_rule(const maal_rule_test *t) { return t ? t->rule : NULL; }
