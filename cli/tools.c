/* tools: the commands around rules: rules, plugins, test, new rule, init. What they show comes
 * from the library's public interface (maal_rules_*, maal_engine_plugin*, maal_rule_test_*)
 * on the engine main.c prepared; this file words and prints it. 'new rule' and 'init' write
 * templates. */
#include "tools.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

/* printf into a new string (NULL when out of memory) */
static char *format_v(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = format_v(fmt, ap);
    va_end(ap);
    return s;
}

/* printf to f, the text cleaned for a terminal (names, paths and rule texts come from files) */
static void say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = format_v(fmt, ap);
    va_end(ap);
    char *c = s ? maal_clean_dup(s, true) : NULL;
    if (c)
        fputs(c, f);
    maal_text_free(c);
    free(s);
}

/* The library's problems on stderr, as a compiler says them. */
static void say_diags(const maal_diags *d, FILE *f, enum maal_lang L)
{
    if (maal_diags_write(d, "text", f, L) == MAAL_ERR_NOMEM)
        out_of_memory(L);
}

/* ---- maal rules ---- */

/* Rule i of r in full (maal rules ID), or, 'shadowed', where a later one of the name is. */
static void show_rule(maal_rules *r, size_t i, const struct maal_rule_entry *re, bool later,
                      enum maal_lang L)
{
    if (later) {
        say(stdout, "\n%s: %s (%s)\n", TR(L, "skygget", "shadowed"), re->path, re->origin);
        return;
    }
    struct maal_rule_about a = {0};
    maal_rules_describe(r, i, &a);
    say(stdout, "%s — %s\n", re->name, a.title ? a.title : "");
    say(stdout, "%s: %s (%s)\n\n", TR(L, "fil", "file"), re->path, re->origin);
    if (a.doc)
        say(stdout, "%s\n", a.doc);
    say(stdout, "%s: %s\n", TR(L, "parametre", "parameters"), a.params ? a.params : "-");
    if (a.problem)
        say(stdout, "%s: %s\n", TR(L, "problem", "problem"), a.problem);
}

/* Rule i of r on one line (maal rules), and with -v its parameters, file and problem. */
static void list_rule(maal_rules *r, size_t i, const struct maal_rule_entry *re, bool verbose,
                      enum maal_lang L)
{
    struct maal_rule_about a = {0};
    maal_rules_describe(r, i, &a);
    say(stdout, "%-28s %-12s %s%s%s\n", re->name, re->origin, a.title ? a.title : "",
        re->shadowed ? TR(L, "  [skygget]", "  [shadowed]") : "",
        a.problem ? TR(L, "  [fejl]", "  [broken]") : "");
    if (verbose) {
        say(stdout, "%-28s %-12s %s: %s\n", "", "", TR(L, "parametre", "parameters"),
            a.params ? a.params : "-");
        say(stdout, "%-28s %-12s %s\n", "", "", re->path);
        if (a.problem)
            say(stdout, "%-28s %-12s %s\n", "", "", a.problem);
    }
}

int tool_rules(const struct opts *o, const char *id, const char *data_file)
{
    enum maal_lang L = o->lang;
    maal_rules *r;
    maal_diags *d = maal_diags_new();
    int rc = maal_rules_new(o->engine, data_file, &r, d);
    if (rc != MAAL_OK) {
        if (rc == MAAL_ERR_NOMEM)
            out_of_memory(L);
        else if (d)
            say_diags(d, stderr, L);
        maal_diags_free(d);
        return MAAL_EXIT_INVALID;
    }
    maal_diags_free(d);
    if (o->verbose && !id) {
        printf("%s:\n", TR(L, "søgeorden", "search order"));
        int k = 1;
        if (data_file)
            printf("  %d. local      %s\n", k++,
                   TR(L, "rules/ ved siden af datafilen", "rules/ next to the data file"));
        else
            printf("  %d. local      %s\n", k++,
                   TR(L, "rules/ ved siden af hver datafil", "rules/ next to each data file"));
        const char *path, *origin;
        for (size_t i = 0; maal_rules_dir(r, i, &path, &origin) == MAAL_OK; i++)
            say(stdout, "  %d. %-10s %s\n", k++, origin, path);
        printf("\n");
    }
    size_t found = 0;
    struct maal_rule_entry re;
    for (size_t i = 0; maal_rules_get(r, i, &re) == MAAL_OK; i++) {
        if (!id)
            list_rule(r, i, &re, o->verbose, L);
        else if (!strcmp(id, re.name))
            show_rule(r, i, &re, found++ > 0, L);
    }
    maal_rules_free(r);
    if (id && !found) {
        fprintf(stderr, "maal: %s: %s '%s'\n", TR(L, "fejl", "error"),
                TR(L, "ingen regel hedder", "no rule is called"), id);
        return MAAL_EXIT_INVALID;
    }
    return MAAL_EXIT_OK;
}

/* ---- maal plugins ---- */

/* "    LABEL: a, b, c" for what plugin i provides of 'part', when it provides any. */
static bool show_names(const maal_engine *e, size_t i, enum maal_plugin_part part,
                       const char *label, const char *prefix)
{
    char **names;
    size_t n;
    if (maal_engine_plugin_names(e, i, part, &names, &n) != MAAL_OK)
        return false;
    if (n && prefix) {
        say(stdout, "    %s:", label);
        for (size_t k = 0; k < n; k++)
            say(stdout, "%s %s.%s", k ? "," : "", prefix, names[k]);
        say(stdout, "\n");
    } else if (n) {
        say(stdout, "    %s: ", label);
        for (size_t k = 0; k < n; k++)
            say(stdout, "%s%s", k ? ", " : "", names[k]);
        say(stdout, "\n");
    }
    maal_text_free(names);
    return true;
}

int tool_plugins(const struct opts *o)
{
    enum maal_lang L = o->lang;
    const maal_engine *e = o->engine;
    if (!maal_engine_plugin_count(e)) {
        say(stdout, "%s\n", TR(L, "ingen plugins fundet (--plugins MAPPE, MAAL_PLUGIN_PATH)",
                               "no plugins found (--plugins DIR, MAAL_PLUGIN_PATH)"));
        return MAAL_EXIT_OK;
    }
    int rc = MAAL_EXIT_OK;
    struct maal_plugin_info p;
    for (size_t i = 0; maal_engine_plugin(e, i, &p) == MAAL_OK; i++) {
        say(stdout, "%s %s (maal_api %ld)%s\n  %s\n", p.name, p.version ? p.version : "?", p.api,
            p.explicit_dir ? " [--plugin]" : "", p.dir);
        if (p.description)
            say(stdout, "  %s\n", p.description);
        if (p.author || p.license)
            say(stdout, "  %s: %s, %s: %s\n", TR(L, "forfatter", "author"),
                p.author ? p.author : "?", TR(L, "licens", "license"),
                p.license ? p.license : "?");
        bool ok = show_names(e, i, MAAL_PLUGIN_RULES, TR(L, "regler", "rules"), NULL) &&
                  show_names(e, i, MAAL_PLUGIN_REPORTERS, TR(L, "rapporter", "reporters"), NULL) &&
                  show_names(e, i, MAAL_PLUGIN_GOALSETS, TR(L, "målsæt", "goal sets"), NULL) &&
                  show_names(e, i, MAAL_PLUGIN_NATIVE, "native", p.name);
        if (!ok) {
            out_of_memory(L);
            return MAAL_EXIT_INVALID;
        }
        if (p.problem) {
            say(stdout, "  %s: %s\n", TR(L, "problem", "problem"), p.problem);
            if (p.explicit_dir || p.refused)
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

/* One test file's cases, each a line "ok - ..." or "FAIL - ..." on stdout; the file's own
 * problems (it cannot run at all) on stderr. */
static void run_test_file(const struct opts *o, const char *path, struct tally *t)
{
    enum maal_lang L = o->lang;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    maal_diags *d = maal_diags_new();
    maal_rule_test *rt;
    int rc = d ? maal_rule_test_run(o->engine, path, &rt, d) : MAAL_ERR_NOMEM;
    if (rc != MAAL_OK) {
        if (d)
            say_diags(d, stderr, L);
        else
            out_of_memory(L);
        maal_diags_free(d);
        t->broken = true;
        return;
    }
    maal_diags_free(d);
    struct maal_test_case c;
    for (size_t i = 0; maal_rule_test_case(rt, i, &c) == MAAL_OK; i++) {
        switch (c.outcome) {
        case MAAL_CASE_PASSED:
            say(stdout, "ok - %s: %s\n", base, c.name);
            if (o->verbose)
                say(stdout, "       %s\n", c.message ? c.message : "");
            t->pass++;
            continue;
        case MAAL_CASE_INVALID:
            if (c.col)
                say(stdout, "FAIL - %s:%d:%d: %s\n", path, c.line, c.col, c.why);
            else
                say(stdout, "FAIL - %s:%d: %s\n", path, c.line, c.why);
            break;
        case MAAL_CASE_BAD_DATA:
            say(stdout, "FAIL - %s: %s: %s\n", base, c.name,
                TR(L, "ugyldige data:", "invalid data:"));
            say_diags(c.diags, stdout, L);
            break;
        case MAAL_CASE_FAILED:
            if (c.at_param) /* at the parameter */
                say(stdout, "FAIL - %s:%d:%d: %s: %s\n       %s\n", path, c.line, c.col, c.name,
                    c.why, c.message ? c.message : "");
            else
                say(stdout, "FAIL - %s: %s: %s\n       %s\n", base, c.name, c.why,
                    c.message ? c.message : "");
            break;
        }
        t->fail++;
    }
    maal_rule_test_free(rt);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A test file, or each NAME_test.yaml of a folder in the order of their names. */
static void run_test_path(const struct opts *o, const char *path, struct tally *t)
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
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (names[i]) {
            char full[PATH_MAX + 300];
            snprintf(full, sizeof(full), "%s/%s", path, names[i]);
            run_test_file(o, full, t);
        }
        free(names[i]);
    }
}

int tool_test(const struct opts *o, int n, char **paths)
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
    if (n == 0)
        run_test_path(o, "rules", &t);
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

static void write_editor_config(const struct opts *o, const char *dir);

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

int tool_new_rule(const struct opts *o, const char *name, const char *dir)
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
    snprintf(path, sizeof(path), "%s/%s.lua", dir, name);
    char *text = format(rule_t, name);
    int rc = text ? write_new(path, text, L) : MAAL_EXIT_INVALID;
    free(text);
    if (rc != MAAL_EXIT_OK) {
        if (!text)
            out_of_memory(L);
        return rc;
    }
    snprintf(path, sizeof(path), "%s/%s_test.yaml", dir, name);
    text = format(test_t, name, path);
    rc = text ? write_new(path, text, L) : MAAL_EXIT_INVALID;
    if (!text)
        out_of_memory(L);
    free(text);
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
static void write_editor_config(const struct opts *o, const char *dir)
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
    snprintf(path, sizeof(path), "%s/.luarc.json", dir);
    char *t = a ? format("%s\n", a) : NULL;
    if (t && access(path, F_OK) != 0)
        write_new(path, t, o->lang);
    free(t);
    snprintf(path, sizeof(path), "%s/.vscode", dir);
    if (b && mkdirs(path)) {
        snprintf(path, sizeof(path), "%s/.vscode/settings.json", dir);
        t = format("%s\n", b);
        if (t && access(path, F_OK) != 0)
            write_new(path, t, o->lang);
        free(t);
    }
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

int tool_init(const struct opts *o, const char *dir)
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

