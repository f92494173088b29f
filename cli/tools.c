/* tools: the commands around rules: rules, plugins, test, new rule, init. The one part of the
 * command line that still uses the library's internal headers (docs/architecture.md says
 * why): it reads the rule search path, rule descriptions and plugin details, and runs rule
 * tests as goals built from a test file's nodes. */
#include "tools.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "doc.h"
#include "eval.h"
#include "model.h"
#include "plugin.h"
#include "rules.h"

struct maal_tool_opts {
    enum maal_lang lang;
    const struct maal_limits *limits;
    const char *const *rule_dirs;
    size_t nrule_dirs;
    const struct maal_plugins *plugins;
    bool verbose;
    const char *kind; /* maal new rule --kind: series, activity (default) or budget */
};

/* ---- maal rules ---- */

struct list_ud {
    const struct maal_tool_opts *o;
    const char *id;
    int found;
};

static void list_rule(void *ud, const char *name, const char *path, const char *origin,
                      bool shadowed)
{
    struct list_ud *u = ud;
    enum maal_lang L = u->o->lang;
    if (u->id && strcmp(u->id, name) != 0)
        return;
    if (u->id && u->found++) {
        maal_fprintf_clean(stdout, "\n%s: %s (%s)\n", TR(L, "skygget", "shadowed"), path, origin);
        return;
    }
    struct maal_rule_info info;
    maal_rule_describe(path, u->o->limits, L, &info);
    const char *problem = maal_rule_info_problem(&info, L);
    if (u->id) {
        maal_fprintf_clean(stdout, "%s — %s\n", name, info.title ? info.title : "");
        maal_fprintf_clean(stdout, "%s: %s (%s)\n\n", TR(L, "fil", "file"), path, origin);
        if (info.doc)
            maal_fprintf_clean(stdout, "%s\n", info.doc);
        maal_fprintf_clean(stdout, "%s: %s\n", TR(L, "parametre", "parameters"), info.params ? info.params : "-");
        if (problem)
            maal_fprintf_clean(stdout, "%s: %s\n", TR(L, "problem", "problem"), problem);
    } else {
        maal_fprintf_clean(stdout, "%-28s %-12s %s%s%s\n", name, origin, info.title ? info.title : "",
               shadowed ? TR(L, "  [skygget]", "  [shadowed]") : "",
               problem ? TR(L, "  [fejl]", "  [broken]") : "");
        if (u->o->verbose) {
            maal_fprintf_clean(stdout, "%-28s %-12s %s: %s\n", "", "", TR(L, "parametre", "parameters"),
                   info.params ? info.params : "-");
            maal_fprintf_clean(stdout, "%-28s %-12s %s\n", "", "", path);
            if (problem)
                maal_fprintf_clean(stdout, "%-28s %-12s %s\n", "", "", problem);
        }
    }
    maal_rule_info_release(&info);
}

static int make_ruleset(const struct maal_tool_opts *o, const char *first_dir,
                        struct maal_ruleset *rs)
{
    const char *dirs[65];
    size_t n = 0;
    if (first_dir)
        dirs[n++] = first_dir;
    for (size_t i = 0; i < o->nrule_dirs && n < 64; i++)
        dirs[n++] = o->rule_dirs[i];
    int rc = maal_ruleset_init(rs, dirs, n, o->lang);
    if (rc == MAAL_OK && o->plugins && (rc = maal_ruleset_add_plugins(rs, o->plugins)) != MAAL_OK)
        maal_ruleset_release(rs);
    return rc;
}

static int maal_tool_rules(const struct maal_tool_opts *o, const char *id, const char *data_file)
{
    struct maal_ruleset rs;
    if (make_ruleset(o, NULL, &rs) != MAAL_OK)
        return MAAL_EXIT_INVALID;
    enum maal_lang L = o->lang;
    if (o->verbose && !id) {
        printf("%s:\n", TR(L, "søgeorden", "search order"));
        int k = 1;
        if (data_file)
            printf("  %d. local      %s\n", k++, TR(L, "rules/ ved siden af datafilen", "rules/ next to the data file"));
        else
            printf("  %d. local      %s\n", k++, TR(L, "rules/ ved siden af hver datafil", "rules/ next to each data file"));
        for (size_t i = 0; i < rs.ndirs; i++)
            maal_fprintf_clean(stdout, "  %d. %-10s %s\n", k++, rs.dirs[i].origin, rs.dirs[i].path);
        printf("\n");
    }
    struct list_ud u = {o, id, 0};
    maal_ruleset_each(&rs, data_file, list_rule, &u);
    maal_ruleset_release(&rs);
    if (id && !u.found) {
        fprintf(stderr, "maal: %s: %s '%s'\n", TR(L, "fejl", "error"),
                TR(L, "ingen regel hedder", "no rule is called"), id);
        return MAAL_EXIT_INVALID;
    }
    return MAAL_EXIT_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- maal plugins ---- */

static void count_dir(const char *dir, const char *sub, const char *ext, struct maal_buf *b,
                      const char *label)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    size_t n = 0;
    char *found[256];
    while ((e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name), el = strlen(ext);
        if (l > el && !strcmp(e->d_name + l - el, ext) && !strstr(e->d_name, "_test."))
            if ((found[n] = maal_strndup(e->d_name, l - el)))
                n++;
    }
    closedir(d);
    qsort(found, n, sizeof(*found), cmp_str); /* directory order differs between machines */
    struct maal_buf names = MAAL_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        maal_buf_printf(&names, "%s%s", i ? ", " : "", found[i]);
        maal_free(found[i]);
    }
    if (n)
        maal_buf_printf(b, "    %s: %s\n", label, maal_buf_str(&names));
    maal_buf_release(&names);
}

static int maal_tool_plugins(const struct maal_tool_opts *o)
{
    enum maal_lang L = o->lang;
    const struct maal_plugins *ps = o->plugins;
    if (!ps || !ps->n) {
        maal_fprintf_clean(stdout, "%s\n", TR(L, "ingen plugins fundet (--plugins MAPPE, MAAL_PLUGIN_PATH)",
                          "no plugins found (--plugins DIR, MAAL_PLUGIN_PATH)"));
        return MAAL_EXIT_OK;
    }
    int rc = MAAL_EXIT_OK;
    for (size_t i = 0; i < ps->n; i++) {
        const struct maal_plugin *p = &ps->v[i];
        maal_fprintf_clean(stdout, "%s %s (maal_api %ld)%s\n  %s\n", p->name, p->version ? p->version : "?", p->api,
               p->explicit_dir ? TR(L, " [--plugin]", " [--plugin]") : "", p->dir);
        if (p->description)
            maal_fprintf_clean(stdout, "  %s\n", p->description);
        if (p->author || p->license)
            maal_fprintf_clean(stdout, "  %s: %s, %s: %s\n", TR(L, "forfatter", "author"), p->author ? p->author : "?",
                   TR(L, "licens", "license"), p->license ? p->license : "?");
        struct maal_buf b = MAAL_BUF_INIT;
        count_dir(p->dir, "rules", ".lua", &b, TR(L, "regler", "rules"));
        count_dir(p->dir, "reporters", ".lua", &b, TR(L, "rapporter", "reporters"));
        count_dir(p->dir, "goalsets", ".yaml", &b, TR(L, "målsæt", "goal sets"));
        fputs(maal_buf_str(&b), stdout);
        maal_buf_release(&b);
        if (p->nfns) {
            maal_fprintf_clean(stdout, "    native:");
            for (size_t k = 0; k < p->nfns; k++)
                maal_fprintf_clean(stdout, "%s %s.%s", k ? "," : "", p->name, p->fns[k].name);
            maal_fprintf_clean(stdout, "\n");
        }
        const char *problem = maal_plugin_problem(p, L);
        if (problem) {
            maal_fprintf_clean(stdout, "  %s: %s\n", TR(L, "problem", "problem"), problem);
            if (p->explicit_dir || p->refused)
                rc = MAAL_EXIT_INVALID;
        }
    }
    return rc;
}

/* ---- maal test ---- */

struct tally {
    size_t pass, fail;
    bool broken;
};

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

static void run_test_file(const struct maal_tool_opts *o, const char *path, struct tally *t)
{
    enum maal_lang L = o->lang;
    char *text;
    size_t len;
    struct maal_error e;
    if (maal_read_file(path, o->limits->max_input, &text, &len, &e, L) != MAAL_OK) {
        maal_error_print(&e, stderr, L);
        t->broken = true;
        return;
    }
    struct maal_diags d;
    maal_diags_init(&d);
    struct maal_doc *doc = NULL;
    int rc = maal_doc_parse(path, text, len, o->limits, L, &doc, &d);
    maal_free(text);
    const struct maal_node *root = doc ? doc->root : NULL;
    const struct maal_node *cases = root ? maal_node_get(root, "cases") : NULL;
    if (rc != MAAL_OK || !root || root->type != MAAL_NODE_MAP || !cases ||
        cases->type != MAAL_NODE_SEQ) {
        if (rc == MAAL_OK)
            maal_diags_add(&d, MAAL_SEV_ERROR, path, 0, 0, "%s",
                           TR(L, "forventede en tabel med 'cases' (en liste)",
                              "expected a mapping with 'cases' (a list)"));
        maal_diags_print(&d, stderr, L);
        maal_diags_release(&d);
        maal_doc_free(doc);
        t->broken = true;
        return;
    }
    /* the rule: 'rule:' or the file name without _test.yaml */
    char rule[160];
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *r = scalar(root, "rule");
    if (r)
        snprintf(rule, sizeof(rule), "%s", r);
    else {
        const char *us = strstr(base, "_test.yaml");
        snprintf(rule, sizeof(rule), "%.*s", us ? (int)(us - base) : (int)strlen(base), base);
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%.*s", base > path ? (int)(base - path - 1) : 1,
             base > path ? path : ".");
    struct maal_ruleset rs;
    if (make_ruleset(o, dir, &rs) != MAAL_OK) {
        maal_diags_release(&d);
        maal_doc_free(doc);
        t->broken = true;
        return;
    }
    struct maal_error fe;
    if (!maal_ruleset_find(&rs, path, rule, &fe)) {
        /* no case can run: the file is broken, said once, not a failure per case */
        fprintf(stderr, TR(L, "%s: fejl: reglen '%s' findes ikke ved siden af testfilen, "
                              "forventede %s/%s.lua (eller 'rule:' i testfilen)\n",
                           "%s: error: the rule '%s' is not next to the test file, expected "
                           "%s/%s.lua (or 'rule:' in the test file)\n"),
                path, rule, dir, rule);
        maal_ruleset_release(&rs);
        maal_diags_release(&d);
        maal_doc_free(doc);
        t->broken = true;
        return;
    }
    const struct maal_node *shared = maal_node_get(root, "data");
    struct maal_load_opts lo = {.limits = o->limits, .lang = L};
    /* the cases share one reused state, as the goals of 'maal check' do (NULL when out of
     * memory: each case gets a state of its own) */
    struct maal_eval_worker *ev = maal_eval_worker_new();
    for (size_t i = 0; i < cases->n; i++) {
        const struct maal_node *c = cases->items[i];
        const char *name = c->type == MAAL_NODE_MAP ? scalar(c, "name") : NULL;
        /* a mistyped key or value in a case must not pass silently */
        static const char *const ckeys[] = {"name",   "params", "year",     "data",
                                            "expect", "message", "actual",  "target",
                                            "baseline", "change", "op",     "unit",
                                            "result_year", "lang", NULL};
        const char *bad = NULL;
        const struct maal_node *badkey = NULL;
        for (size_t k = 0; c->type == MAAL_NODE_MAP && k < c->n && !bad; k++) {
            const struct maal_node *key = c->items[2 * k];
            bool known = false;
            for (size_t q = 0; ckeys[q]; q++)
                known = known || (key->type == MAAL_NODE_SCALAR && !strcmp(key->str, ckeys[q]));
            if (!known) {
                bad = key->type == MAAL_NODE_SCALAR ? key->str : "?";
                badkey = key;
            }
        }
        if (bad) { /* named, at the key, with the nearest known one */
            const char *dym = maal_did_you_mean(bad, ckeys);
            printf("FAIL - %s:%d:%d: %s '%s'%s%s%s, %s name, params, year, data, expect, "
                   "message, actual, target, baseline, change, op, unit, result_year, lang\n",
                   path, badkey->line, badkey->col,
                   TR(L, "ukendt nøgle i tilfældet", "unknown key in the case"), bad,
                   dym ? TR(L, " (mente du '", " (did you mean '") : "", dym ? dym : "",
                   dym ? "'?)" : "", TR(L, "forventede en af", "expected one of"));
            t->fail++;
            continue;
        }
        /* 'lang' picks the language the case runs in: a typo must not run it in the default */
        const struct maal_node *ln = c->type == MAAL_NODE_MAP ? maal_node_get(c, "lang") : NULL;
        if (ln && (ln->type != MAAL_NODE_SCALAR || (strcmp(ln->str, "da") && strcmp(ln->str, "en")))) {
            maal_fprintf_clean(stdout, "FAIL - %s:%d:%d: %s '%s', %s da, en\n", path, ln->line, ln->col,
                               TR(L, "ukendt sprog i tilfældet", "unknown language in the case"),
                               ln->type == MAAL_NODE_SCALAR ? ln->str : "?",
                               TR(L, "forventede en af", "expected one of"));
            t->fail++;
            continue;
        }
        long yv;
        double av;
        const char *yss = c->type == MAAL_NODE_MAP ? scalar(c, "year") : NULL;
        const char *acs = c->type == MAAL_NODE_MAP ? scalar(c, "actual") : NULL;
        const char *exs = c->type == MAAL_NODE_MAP ? scalar(c, "expect") : NULL;
        bool exp_ok = false;
        for (int q = 0; exs && q < MAAL_NVERDICTS; q++)
            exp_ok = exp_ok || !strcmp(exs, maal_verdict_name((enum maal_verdict)q));
        if ((yss && (!maal_parse_int(yss, &yv) || yv < MAAL_YEAR_MIN || yv > MAAL_YEAR_MAX)) ||
            (acs && !maal_parse_double(acs, &av)) || (exs && !exp_ok)) {
            maal_fprintf_clean(stdout, "FAIL - %s:%d:%d: %s\n", path, c->line, c->col,
                   TR(L, "'year' skal være et årstal, 'actual' et tal og 'expect' en dom "
                         "(pass, fail, info, nodata, error, waived)",
                      "'year' must be a year, 'actual' a number and 'expect' a verdict "
                      "(pass, fail, info, nodata, error, waived)"));
            t->fail++;
            continue;
        }
        const char *expect = c->type == MAAL_NODE_MAP ? scalar(c, "expect") : NULL;
        const struct maal_node *data = c->type == MAAL_NODE_MAP ? maal_node_get(c, "data") : NULL;
        if (!data)
            data = shared;
        if (!name || !expect || !data) {
            maal_fprintf_clean(stdout, "FAIL - %s:%d: %s\n", path, c->line,
                   TR(L, "et tilfælde skal have 'name', 'expect' og 'data' (eller fælles 'data')",
                      "a case needs 'name', 'expect' and 'data' (or a shared 'data')"));
            t->fail++;
            continue;
        }
        struct maal_diags cd;
        maal_diags_init(&cd);
        struct maal_partnership *p;
        if (maal_partnership_from_node(doc, data, &lo, &p, &cd) != MAAL_OK) {
            maal_fprintf_clean(stdout, "FAIL - %s: %s: %s\n", base, name, TR(L, "ugyldige data:", "invalid data:"));
            maal_diags_print(&cd, stdout, L);
            maal_diags_release(&cd);
            t->fail++;
            continue;
        }
        maal_diags_release(&cd);
        struct maal_goal g = {.id = "test", .title = name, .group = "andet", .rule = rule,
                              .file = path, .line = c->line, .col = c->col};
        const struct maal_node *pm = maal_node_get(c, "params");
        g.params = pm && pm->type == MAAL_NODE_MAP ? pm : NULL;
        long year = 0;
        const char *ys = scalar(c, "year");
        if (ys)
            maal_parse_int(ys, &year);
        const char *cl = scalar(c, "lang");
        enum maal_lang cL = cl && !strcmp(cl, "en") ? MAAL_LANG_EN : cl && !strcmp(cl, "da") ? MAAL_LANG_DA : L;
        struct maal_eval_opts eo = {.lang = cL, .year = (int)year, .limits = o->limits,
                                    .rules = &rs, .plugins = o->plugins, .worker = ev};
        struct maal_result res;
        maal_eval_goal(&eo, p, &g, &res);
        char pre[200];
        snprintf(pre, sizeof(pre), "%s '%s': ", TR(L, "målet", "goal"), g.id);
        if (res.invalid_params && res.message && !strncmp(res.message, pre, strlen(pre)))
            /* the case's params, not "the goal 'test'" */
            memmove(res.message, res.message + strlen(pre), strlen(res.message + strlen(pre)) + 1);
        struct maal_buf why = MAAL_BUF_INIT;
        if (strcmp(maal_verdict_name(res.verdict), expect) != 0)
            maal_buf_printf(&why, TR(L, "forventede %s, fik %s", "expected %s, got %s"), expect,
                            maal_verdict_name(res.verdict));
        const char *msg = scalar(c, "message");
        if (msg && !strstr(res.message ? res.message : "", msg))
            maal_buf_printf(&why, "%s%s '%s'", why.len ? "; " : "",
                            TR(L, "beskeden indeholder ikke", "the message lacks"), msg);
        check_number(&why, L, c, "actual", res.has_actual, res.actual);
        check_number(&why, L, c, "target", res.has_target, res.target);
        check_number(&why, L, c, "baseline", res.has_baseline, res.baseline);
        check_number(&why, L, c, "change", res.has_change, res.change);
        check_number(&why, L, c, "result_year", res.year != 0, res.year);
        check_text(&why, L, c, "op", res.op);
        check_text(&why, L, c, "unit", res.unit);
        if (why.len && res.invalid_params) /* at the parameter */
            maal_fprintf_clean(stdout, "FAIL - %s:%d:%d: %s: %s\n       %s\n", path, res.err_line, res.err_col, name,
                   maal_buf_str(&why), res.message);
        if (why.len && !res.invalid_params)
            maal_fprintf_clean(stdout, "FAIL - %s: %s: %s\n       %s\n", base, name, maal_buf_str(&why), res.message);
        if (why.len) {
            t->fail++;
        } else {
            maal_fprintf_clean(stdout, "ok - %s: %s\n", base, name);
            if (o->verbose)
                maal_fprintf_clean(stdout, "       %s\n", res.message);
            t->pass++;
        }
        maal_buf_release(&why);
        maal_result_release(&res);
        maal_eval_next(ev); /* the case's data leaves the state before it is freed */
        maal_partnership_free(p);
    }
    maal_eval_worker_free(ev);
    maal_ruleset_release(&rs);
    maal_diags_release(&d);
    maal_doc_free(doc);
}


static void run_test_path(const struct maal_tool_opts *o, const char *path, struct tally *t)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(o->lang, "fejl", "error"),
                TR(o->lang, "kan ikke åbne", "cannot open"), path, maal_strerror(errno, o->lang));
        t->broken = true;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        run_test_file(o, path, t);
        return;
    }
    DIR *d = opendir(path);
    if (!d)
        return;
    char *names[512];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512) {
        size_t l = strlen(e->d_name);
        if (l > 10 && !strcmp(e->d_name + l - 10, "_test.yaml"))
            names[n++] = maal_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (names[i]) {
            char full[PATH_MAX + 300];
            snprintf(full, sizeof(full), "%s/%s", path, names[i]);
            run_test_file(o, full, t);
        }
        maal_free(names[i]);
    }
}

static int maal_tool_test(const struct maal_tool_opts *o, int n, char **paths)
{
    struct tally t = {0};
    struct stat st;
    if (n == 0 && stat("rules", &st) != 0) {
        fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"),
                TR(o->lang, "ingen mappe 'rules' her, forventede regeltests (NAVN_test.yaml) i "
                            "rules/ eller en sti: maal test STI",
                   "no folder 'rules' here, expected rule tests (NAME_test.yaml) in rules/ or "
                   "a path: maal test PATH"));
        return MAAL_EXIT_INVALID;
    }
    if (n == 0) {
        char *def = "rules";
        run_test_path(o, def, &t);
    }
    for (int i = 0; i < n; i++)
        run_test_path(o, paths[i], &t);
    printf("%zu passed, %zu failed\n", t.pass, t.fail);
    if (t.broken)
        return MAAL_EXIT_INVALID;
    return t.fail ? MAAL_EXIT_FAIL : MAAL_EXIT_OK;
}

/* ---- maal new rule, maal init ---- */

static int write_new(const char *path, const char *text, enum maal_lang L)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(L, "fejl", "error"),
                TR(L, "kan ikke oprette", "cannot create"), path, maal_strerror(errno, L));
        return MAAL_EXIT_INVALID;
    }
    size_t len = strlen(text);
    ssize_t w = write(fd, text, len);
    close(fd);
    if (w != (ssize_t)len) {
        fprintf(stderr, "maal: %s: %s '%s'\n", TR(L, "fejl", "error"),
                TR(L, "kan ikke skrive", "cannot write"), path);
        return MAAL_EXIT_INVALID;
    }
    printf("%s %s\n", TR(L, "skrev", "wrote"), path);
    return MAAL_EXIT_OK;
}

static bool mkdirs(const char *dir)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    return mkdir(tmp, 0755) == 0 || errno == EEXIST;
}

static void write_editor_config(const struct maal_tool_opts *o, const char *dir);

static const char rule_template[] =
    "-- %s: <the goal in one line, e.g. \"min. 40 frivillige årligt\">.\n"
    "-- Params: activity, criterion, target (required): the least value each year.\n"
    "-- Missing data: nodata when the criterion has no value up to the year.\n"
    "return {\n"
    "  title = {da = \"Mindst et antal\", en = \"At least a number\"},\n"
    "  params = {\n"
    "    activity = {type = \"string\", required = true},\n"
    "    criterion = {type = \"string\", required = true},\n"
    "    target = {type = \"number\", required = true},\n"
    "  },\n"
    "  evaluate = function(ctx, p)\n"
    "    local c = ctx.activity(p.activity):criterion(p.criterion)\n"
    "    local year, value = c:latest(ctx.year)\n"
    "    if not year then\n"
    "      return maal.nodata(maal.msg(\"ingen værdi for \" .. c.text, \"no value for \" .. c.text))\n"
    "    end\n"
    "    return maal.verdict(value >= p.target, {\n"
    "      actual = value, target = p.target, op = \">=\", year = year, unit = c.unit,\n"
    "      message = string.format(maal.msg(\"%%s: %%s i %%d; målet er mindst %%s\",\n"
    "        \"%%s: %%s in %%d; the goal is at least %%s\"), c.text, maal.fmt(value), year,\n"
    "        maal.fmt(p.target)),\n"
    "    })\n"
    "  end,\n"
    "}\n";

static const char test_template[] =
    "# Tests of the rule '%s': run them with 'maal test %s'.\n"
    "data:\n"
    "  maal: 1\n"
    "  partnership: {id: test, name: Test, period: {from: 2021, to: 2024}}\n"
    "  activities:\n"
    "    - id: a1\n"
    "      name: Frivillige\n"
    "      responsible: [Boligsocial helhedsplan]\n"
    "      criteria:\n"
    "        - {id: frivillige, text: Antal frivillige, unit: count, values: {2021: 35, 2022: 45}}\n"
    "cases:\n"
    "  - name: 45 frivillige i 2022 er mindst 40\n"
    "    params: {activity: a1, criterion: frivillige, target: 40}\n"
    "    year: 2022\n"
    "    expect: pass\n"
    "    actual: 45\n"
    "  - name: 35 frivillige i 2021 er for få\n"
    "    params: {activity: a1, criterion: frivillige, target: 40}\n"
    "    year: 2021\n"
    "    expect: fail\n"
    "  - name: intet tal før 2021\n"
    "    params: {activity: a1, criterion: frivillige, target: 40}\n"
    "    year: 2020\n"
    "    expect: nodata\n";

static const char series_rule_template[] =
    "-- %s: <the goal in one line, e.g. \"andelen af utrygge højst 20 %%%%\">.\n"
    "-- Params: series (required), target (required): the most the latest value may be;\n"
    "-- scope: area (default), district or city.\n"
    "-- Missing data: nodata when the series has no value up to the year.\n"
    "return {\n"
    "  title = {da = \"Højst et niveau\", en = \"At most a level\"},\n"
    "  params = {\n"
    "    series = {type = \"string\", required = true},\n"
    "    target = {type = \"number\", required = true},\n"
    "    scope = {type = \"string\", default = \"area\", enum = {\"area\", \"district\", \"city\"}},\n"
    "  },\n"
    "  evaluate = function(ctx, p)\n"
    "    local s = ctx.series(p.series)\n"
    "    local year, value = s:latest(ctx.year, p.scope)\n"
    "    if not year then\n"
    "      return maal.nodata(maal.msg(\"ingen værdi for \" .. s.name, \"no value for \" .. s.name))\n"
    "    end\n"
    "    -- without 'message' maal writes one from actual, op, target, unit and year\n"
    "    return maal.verdict(value <= p.target, {\n"
    "      actual = value, target = p.target, op = \"<=\", year = year, unit = s.unit,\n"
    "    })\n"
    "  end,\n"
    "}\n";

static const char series_test_template[] =
    "# Tests of the rule '%s': run them with 'maal test %s'.\n"
    "data:\n"
    "  maal: 1\n"
    "  partnership: {id: test, name: Test, period: {from: 2021, to: 2024}}\n"
    "  series:\n"
    "    - {id: utrygge, name: Andel utrygge, kind: survey, unit: percent,\n"
    "       values: {area: {2021: 24, 2022: 18}}}\n"
    "cases:\n"
    "  - name: 18 %% i 2022 er højst 20 %%\n"
    "    params: {series: utrygge, target: 20}\n"
    "    year: 2022\n"
    "    expect: pass\n"
    "    actual: 18\n"
    "    message: \"18 %% i 2022\"\n"
    "  - name: 24 %% i 2021 er for mange\n"
    "    params: {series: utrygge, target: 20}\n"
    "    year: 2021\n"
    "    expect: fail\n"
    "  - name: intet tal før 2021\n"
    "    params: {series: utrygge, target: 20}\n"
    "    year: 2020\n"
    "    expect: nodata\n";

static const char budget_rule_template[] =
    "-- %s: <the goal in one line, e.g. \"finansieringen når mindst budgettet\">.\n"
    "-- Params: year (required): the budget year.\n"
    "-- Missing data: nodata when the budget is not stated, the year is after ctx.year or a\n"
    "-- financing is \"?\" (not decided yet).\n"
    "return {\n"
    "  title = {da = \"Finansiering mindst budgettet\", en = \"Financing at least the budget\"},\n"
    "  params = {\n"
    "    year = {type = \"year\", required = true},\n"
    "  },\n"
    "  evaluate = function(ctx, p)\n"
    "    local budget = ctx.budget(p.year)\n"
    "    if not budget or p.year > ctx.year then\n"
    "      return maal.nodata(maal.msg(\"intet budget for \" .. p.year, \"no budget for \" .. p.year))\n"
    "    end\n"
    "    local sum = 0\n"
    "    for _, a in ipairs(ctx.activities()) do\n"
    "      local f = a:financing(p.year)\n"
    "      if f == \"?\" then\n"
    "        return maal.nodata(string.format(maal.msg(\"finansieringen af '%%s' er ikke besluttet\",\n"
    "          \"the financing of '%%s' is not decided\"), a.name))\n"
    "      end\n"
    "      sum = sum + (f or 0)\n"
    "    end\n"
    "    return maal.verdict(sum >= budget, {\n"
    "      actual = sum, target = budget, op = \">=\", year = p.year, unit = \"kr\",\n"
    "    })\n"
    "  end,\n"
    "}\n";

static const char budget_test_template[] =
    "# Tests of the rule '%s': run them with 'maal test %s'.\n"
    "data:\n"
    "  maal: 1\n"
    "  partnership: {id: test, name: Test, period: {from: 2021, to: 2024},\n"
    "                budget: {2021: 300000, 2022: 300000, 2023: 300000}}\n"
    "  activities:\n"
    "    - {id: a1, name: Lektiecafé, responsible: [SSP],\n"
    "       financing: {2021: 200000, 2022: 100000, 2023: \"?\"}}\n"
    "    - {id: a2, name: Tryghedsvandringer, responsible: [Politiet],\n"
    "       financing: {2021: 100000, 2022: 100000}}\n"
    "cases:\n"
    "  - name: 2021 er fuldt finansieret\n"
    "    params: {year: 2021}\n"
    "    year: 2021\n"
    "    expect: pass\n"
    "    actual: 300000\n"
    "  - name: 2022 mangler 100.000 kr.\n"
    "    params: {year: 2022}\n"
    "    year: 2022\n"
    "    expect: fail\n"
    "  - name: 2023 er ikke besluttet\n"
    "    params: {year: 2023}\n"
    "    year: 2023\n"
    "    expect: nodata\n";

static int maal_tool_new_rule(const struct maal_tool_opts *o, const char *name, const char *dir)
{
    enum maal_lang L = o->lang;
    const char *kind = o->kind ? o->kind : "activity";
    const char *rule_t = rule_template, *test_t = test_template;
    if (!strcmp(kind, "series")) {
        rule_t = series_rule_template;
        test_t = series_test_template;
    } else if (!strcmp(kind, "budget")) {
        rule_t = budget_rule_template;
        test_t = budget_test_template;
    } else if (strcmp(kind, "activity") != 0) {
        fprintf(stderr, "maal: %s '%s', %s\n%s\n", TR(L, "ukendt --kind", "unknown --kind"), kind,
                TR(L, "forventede series, activity eller budget",
                   "expected series, activity or budget"),
                TR(L, "prøv 'maal --help'", "try 'maal --help'"));
        return MAAL_EXIT_INVALID;
    }
    bool ok = *name && strlen(name) <= 64;
    for (const char *p = name; *p; p++)
        ok = ok && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
    if (!ok) {
        fprintf(stderr, "maal: %s '%s', %s\n%s\n",
                TR(L, "ugyldigt regelnavn", "invalid rule name"), name,
                TR(L, "forventede [a-z0-9_]+", "expected [a-z0-9_]+"),
                TR(L, "prøv 'maal --help'", "try 'maal --help'"));
        return MAAL_EXIT_INVALID;
    }
    if (!mkdirs(dir)) {
        fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(L, "fejl", "error"),
                TR(L, "kan ikke oprette", "cannot create"), dir, maal_strerror(errno, o->lang));
        return MAAL_EXIT_INVALID;
    }
    char path[PATH_MAX + 100];
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_printf(&b, rule_t, name);
    snprintf(path, sizeof(path), "%s/%s.lua", dir, name);
    int rc = write_new(path, maal_buf_str(&b), L);
    maal_buf_release(&b);
    if (rc != MAAL_EXIT_OK)
        return rc;
    snprintf(path, sizeof(path), "%s/%s_test.yaml", dir, name);
    maal_buf_printf(&b, test_t, name, path);
    rc = write_new(path, maal_buf_str(&b), L);
    maal_buf_release(&b);
    /* the editor's set-up in the partnership folder: the one that holds the rules folder */
    char parent[PATH_MAX];
    const char *sl = strrchr(dir, '/');
    snprintf(parent, sizeof(parent), "%.*s", sl ? (int)(sl - dir) : 1, sl ? dir : ".");
    if (rc == MAAL_EXIT_OK)
        write_editor_config(o, parent[0] ? parent : "/");
    return rc;
}

/* A file of maal's share folder: beside an installed binary (PREFIX/share/maal), else the
 * build tree, else the installed path compiled in. */
static void share_file(const char *installed, const char *in_tree, char *out, size_t size)
{
    char exe[PATH_MAX], cand[PATH_MAX + 64], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(cand, sizeof(cand), "%s/../share/maal/%s", exe, installed);
            if (access(cand, R_OK) == 0 && realpath(cand, real)) {
                snprintf(out, size, "%s", real);
                return;
            }
        }
    }
#ifdef MAAL_SOURCE_DIR
    snprintf(cand, sizeof(cand), "%s/%s", MAAL_SOURCE_DIR, in_tree);
    if (access(cand, R_OK) == 0) {
        snprintf(out, size, "%.*s", (int)(size - 1), cand);
        return;
    }
#endif
#ifdef MAAL_INSTALLED_SHARE
    snprintf(out, size, "%s/%s", MAAL_INSTALLED_SHARE, installed);
#else
    snprintf(out, size, "%s", in_tree);
#endif
}

/* The editor's set-up in 'dir' (a partnership folder): .luarc.json points the Lua language
 * server at maal's type definitions (editor/maal.d.lua), .vscode/settings.json also points
 * the YAML extension at the JSON Schema for partnership.yaml. A file that exists is kept. */
static void write_editor_config(const struct maal_tool_opts *o, const char *dir)
{
    char defs[PATH_MAX], schema[PATH_MAX], path[PATH_MAX + 64];
    share_file("editor/maal.d.lua", "editor/maal.d.lua", defs, sizeof(defs));
    share_file("maal.schema.json", "docs/maal.schema.json", schema, sizeof(schema));
    char *slash = strrchr(defs, '/');
    if (slash)
        *slash = '\0'; /* the library is the folder */
    json_t *luarc = json_pack("{s:s, s:[s], s:[s]}", "runtime.version", "Lua 5.4",
                              "workspace.library", defs, "diagnostics.globals", "maal");
    json_t *vs = json_pack("{s:{s:[s, s]}, s:s, s:[s]}", "yaml.schemas", schema,
                           "partnership.yaml", "**/partnership.yaml", "Lua.runtime.version",
                           "Lua 5.4", "Lua.workspace.library", defs);
    char *a = luarc ? json_dumps(luarc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    char *b = vs ? json_dumps(vs, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    struct maal_buf t = MAAL_BUF_INIT;
    snprintf(path, sizeof(path), "%s/.luarc.json", dir);
    if (a && access(path, F_OK) != 0) {
        maal_buf_printf(&t, "%s\n", a);
        write_new(path, maal_buf_str(&t), o->lang);
    }
    snprintf(path, sizeof(path), "%s/.vscode", dir);
    if (b && mkdirs(path)) {
        snprintf(path, sizeof(path), "%s/.vscode/settings.json", dir);
        t.len = 0;
        maal_buf_printf(&t, "%s\n", b);
        if (access(path, F_OK) != 0)
            write_new(path, maal_buf_str(&t), o->lang);
    }
    maal_buf_release(&t);
    free(a);
    free(b);
    json_decref(luarc);
    json_decref(vs);
}

static const char init_template[] =
    "# A partnership file for maal (data format v1; see docs/data-format.md).\n"
    "# Check it with 'maal validate partnership.yaml' and 'maal check partnership.yaml'.\n"
    "maal: 1\n"
    "\n"
    "partnership:\n"
    "  id: mit-partnerskab            # lowercase letters, digits, '-', '_', '.'\n"
    "  name: Mit Tryghedspartnerskab\n"
    "  period: {from: 2025, to: 2028}\n"
    "  area: Boligområdet og gaderne omkring det\n"
    "  baselines: {survey: 2025, crime: 2024}\n"
    "  budget:                        # the totals the plan states, per year (kr.)\n"
    "    2025: 300000\n"
    "\n"
    "series:\n"
    "  - id: utrygge\n"
    "    name: Andel utrygge i nabolaget\n"
    "    kind: survey                 # survey | crime | other\n"
    "    unit: percent                # count | per_1000 | percent | kr | number\n"
    "    source: Københavns Tryghedsundersøgelse\n"
    "    values:\n"
    "      area: {2025: 20}\n"
    "  - id: indbrud\n"
    "    name: Indbrud\n"
    "    kind: crime\n"
    "    unit: count\n"
    "    values:\n"
    "      area: {2024: 30}\n"
    "\n"
    "activities:\n"
    "  - id: a1\n"
    "    name: Lektiecafé\n"
    "    responsible: [Boligsocial helhedsplan]\n"
    "    partners: [Biblioteket]\n"
    "    financing: {2025: 200000, 2026: \"?\"}   # \"?\" = not decided yet\n"
    "  - id: a2\n"
    "    name: Tryghedsvandringer\n"
    "    responsible: [SSP]\n"
    "    partners: [Politiet, Boligforeningen]\n"
    "    financing: {2025: 100000}\n"
    "\n"
    "goals:\n"
    "  - id: utrygge-fald\n"
    "    group: tryghed\n"
    "    title: Andelen af utrygge skal falde hvert år\n"
    "    rule: annual_decrease\n"
    "    params: {series: utrygge}\n"
    "  - id: indbrud\n"
    "    group: kriminalitet\n"
    "    title: Anmeldelser for indbrud højst på 2024-niveau\n"
    "    rule: at_most_baseline\n"
    "    params: {series: indbrud}\n"
    "  - id: samarbejde\n"
    "    group: samarbejde\n"
    "    title: Mindst 75 % af aktiviteterne har to eller flere samarbejdspartnere\n"
    "    rule: share_of_activities\n"
    "    params: {threshold: 75}\n"
    "  - id: budget-2025\n"
    "    group: budget\n"
    "    title: Finansieringen 2025 svarer til budgettet\n"
    "    rule: budget_balance\n"
    "    params: {year: 2025}\n";

static int maal_tool_init(const struct maal_tool_opts *o, const char *dir)
{
    enum maal_lang L = o->lang;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof(path), "%s/rules", dir);
    if (!mkdirs(path)) {
        fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(L, "fejl", "error"),
                TR(L, "kan ikke oprette", "cannot create"), path, maal_strerror(errno, o->lang));
        return MAAL_EXIT_INVALID;
    }
    snprintf(path, sizeof(path), "%s/partnership.yaml", dir);
    int rc = write_new(path, init_template, L);
    if (rc != MAAL_EXIT_OK)
        return rc;
    write_editor_config(o, dir);
    printf(TR(L, "næste skridt: maal check %s   (egne regler: maal new rule NAVN --dir %s/rules)\n",
              "next: maal check %s   (own rules: maal new rule NAME --dir %s/rules)\n"),
           path, dir);
    return MAAL_EXIT_OK;
}

/* ---- the commands, as main.c calls them ---- */

/* The options as the internal parts take them: the limits, and the plugins read again (main.c
 * has said their problems already, through its engine). */
struct tool_env {
    struct maal_tool_opts t;
    struct maal_limits lim;
    struct maal_plugins ps;
};

static void env_init(struct tool_env *x, const struct opts *o)
{
    maal_limits_default(&x->lim);
    if (o->rule_timeout > 0)
        x->lim.rule_timeout = o->rule_timeout;
    if (o->rule_memory)
        x->lim.rule_memory = o->rule_memory;
    if (o->max_input)
        x->lim.max_input = o->max_input;
    maal_plugins_init(&x->ps, o->plugin_dirs, o->nplugin_dirs, o->plugin_roots, o->nplugin_roots,
                      &x->lim, o->lang);
    x->t = (struct maal_tool_opts){.lang = o->lang, .limits = &x->lim, .rule_dirs = o->rule_dirs,
                                   .nrule_dirs = o->nrule_dirs, .plugins = &x->ps,
                                   .verbose = o->verbose, .kind = o->kind};
}

int tool_rules(const struct opts *o, const char *id, const char *data_file)
{
    struct tool_env x;
    env_init(&x, o);
    int rc = maal_tool_rules(&x.t, id, data_file);
    maal_plugins_release(&x.ps);
    return rc;
}

int tool_plugins(const struct opts *o)
{
    struct tool_env x;
    env_init(&x, o);
    int rc = maal_tool_plugins(&x.t);
    maal_plugins_release(&x.ps);
    return rc;
}

int tool_test(const struct opts *o, int n, char **paths)
{
    struct tool_env x;
    env_init(&x, o);
    int rc = maal_tool_test(&x.t, n, paths);
    maal_plugins_release(&x.ps);
    return rc;
}

int tool_new_rule(const struct opts *o, const char *name, const char *dir)
{
    struct tool_env x;
    env_init(&x, o);
    int rc = maal_tool_new_rule(&x.t, name, dir);
    maal_plugins_release(&x.ps);
    return rc;
}

int tool_init(const struct opts *o, const char *dir)
{
    struct tool_env x;
    env_init(&x, o);
    int rc = maal_tool_init(&x.t, dir);
    maal_plugins_release(&x.ps);
    return rc;
}
