/* test_eval: the rule host on inline partnership files, with the reused sandbox state that
 * 'maal check' uses: sources, the sandbox (time and memory limits, no io/os/require, isolation
 * between goals), params checked against the rule's schema; the Tingbjerg-Husum 2022 report.
 * The standard rules' own edge cases are tested once, in rules/<rule>_test.yaml. */
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "eval.h"
#include "rules.h"

#ifndef MAAL_RULES_DIR
#error "the Makefile defines MAAL_RULES_DIR (the repository's rules/)"
#endif

/* Inline files are named in a folder that does not exist: no local rules/ is searched. */
#define FILE_NAME "/maal-unit-test/t.yaml"

#define HEAD                                                                                   \
    "maal: 1\n"                                                                                \
    "partnership:\n"                                                                           \
    "  id: p\n"                                                                                \
    "  name: P\n"                                                                              \
    "  period: {from: 2021, to: 2024}\n"

/* ---- fixture ---- */

static char rules_dir[PATH_MAX];
static struct maal_ruleset RS;
static struct maal_eval_worker *EV; /* the reused state, as a worker of 'maal check' has it */
static struct maal_limits LIM;
static enum maal_lang LANG;

static struct maal_partnership *P;
static struct maal_diags D;
static struct maal_result RES;
static char *TEXT;

struct custom_rule {
    const char *name, *src;
};

static const struct custom_rule CUSTOM[] = {
    {"loop", "return { evaluate = function() while true do end end }\n"},
    {"swallow", "return { evaluate = function()\n"
                "  while true do pcall(function() while true do end end) end\n"
                "end }\n"},
    {"membomb", "return { evaluate = function()\n"
                "  local t, s = {}, string.rep('x', 1024)\n"
                "  for i = 1, 1e9 do t[i] = s .. i end\n"
                "end }\n"},
    {"bigstring", "return { evaluate = function()\n"
                  "  local s = string.rep('x', 1 << 30)\n"
                  "  return maal.pass({message = #s})\n"
                  "end }\n"},
    {"churn", "return { evaluate = function()\n"
              "  local keep = {}\n"
              "  for i = 1, 9000 do keep[i] = string.rep('k', 1000) .. i end\n"
              "  for i = 1, 100000 do local g = string.rep('g', 1000) .. i end\n"
              "  return maal.pass({message = 'kept ' .. #keep})\n"
              "end }\n"},
    {"globals", "return { evaluate = function()\n"
                "  local names = {'io', 'os', 'require', 'package', 'debug', 'dofile',\n"
                "                 'loadfile', 'load', 'collectgarbage'}\n"
                "  local out = {}\n"
                "  for _, n in ipairs(names) do out[#out + 1] = n .. '=' .. type(_G[n]) end\n"
                "  local ok, d = pcall(function() return string.dump end)\n"
                "  out[#out + 1] = 'dump=' .. (ok and type(d) or 'error')\n"
                "  out[#out + 1] = 'sdump=' .. type(('').dump)\n"
                "  return maal.info({message = table.concat(out, ' ')})\n"
                "end }\n"},
    {"tamper",
     "return { evaluate = function()\n"
     "  local evil = function() return 'HACKED' end\n"
     "  local r = {}\n"
     "  r[1] = pcall(function() getmetatable('').__index = {upper = evil} end)\n"
     "  r[2] = pcall(function() getmetatable('').__index.upper = evil end)\n"
     "  r[3] = pcall(function() string.upper = evil end)\n"
     "  r[4] = pcall(rawset, string, 'upper', evil)\n"
     "  r[5] = pcall(setmetatable, string, {__index = {upper = evil}})\n"
     "  r[6] = pcall(function() maal.fmt = evil end)\n"
     "  local out = {}\n"
     "  for i = 1, 6 do out[i] = tostring(r[i]) end\n"
     "  out[7] = ('abc'):upper()\n"
     "  return maal.info({message = table.concat(out, ' ')})\n"
     "end }\n"},
    {"strcheck", "return { evaluate = function()\n"
                 "  local ok = ('abc'):upper() == 'ABC' and string.upper('abc') == 'ABC'\n"
                 "    and maal.fmt(1000) == '1.000'\n"
                 "  return maal.verdict(ok, {message = ('abc'):upper() .. ' ' .. maal.fmt(1000)})\n"
                 "end }\n"},
    {"boom", "return { evaluate = function() error('boom') end }\n"},
    {"badkey", "return { evaluate = function() return {verdikt = 'pass', message = 'x'} end }\n"},
    {"nomsg", "return { evaluate = function() return {verdict = 'pass'} end }\n"},
    {"badverdict", "return { evaluate = function() return {verdict = 'maybe', message = 'x'} end }\n"},
    {"nanactual",
     "return { evaluate = function() return {verdict = 'pass', message = 'x', actual = 0/0} end }\n"},
    {"noeval", "return { title = 'x' }\n"},
    {"syntax", "return {\n  evaluate = function(\n"},
    {"ctxtypo", "return { evaluate = function(ctx) return ctx.serie('x') end }\n"},
    {"ctxwrite", "return { evaluate = function(ctx) ctx.year = 1999 end }\n"},
    {"schema", "return {\n"
               "  params = {n = {type = 'integer', required = true},\n"
               "            name = {type = 'string', default = 'd'}},\n"
               "  evaluate = function(ctx, p)\n"
               "    return maal.pass({message = p.name .. ' ' .. p.n})\n"
               "  end,\n"
               "}\n"},
    {"schema2", "return {\n"
                "  params = {scope = {type = 'string', default = 'area',\n"
                "                     enum = {'area', 'district', 'city'}},\n"
                "            k = {type = 'number', enum = {1, 2.5, true, 'x', {}}},\n"
                "            y = 'year', i = {type = 'integer'}, flag = 'boolean', l = 'list'},\n"
                "  evaluate = function(ctx, p)\n"
                "    return maal.pass({message = p.scope .. ' ' .. tostring(p.k) .. ' '\n"
                "      .. tostring(p.y) .. ' ' .. tostring(p.flag)})\n"
                "  end,\n"
                "}\n"},
    {"schema_nottable", "return { params = 5, evaluate = function() end }\n"},
    {"schema_badtype", "return { params = {a = {type = 'float'}}, evaluate = function() end }\n"},
    {"schema_badspec", "return { params = {a = 7}, evaluate = function() end }\n"},
    {"printer", "return { evaluate = function()\n"
                "  print('hello', 42)\n"
                "  return maal.info({message = 'printed'})\n"
                "end }\n"},
    /* main chunks with work or traces of their own: a rule is kept per state only when its
     * main chunk leaves nothing but its table (core/keep.h) */
    {"topspin", "local n = 0\n"
                "for i = 1, 5e6 do n = n + i % 7 end\n"
                "return { evaluate = function() return maal.info({message = tostring(n)}) end }\n"},
    {"topprint", "print('top')\n"
                 "return { evaluate = function() return maal.info({message = 'x'}) end }\n"},
    {"toplang", "local W = maal.msg('hej', 'hello')\n"
                "return { evaluate = function() return maal.info({message = W}) end }\n"},
    {"counter", "local n = 0\n"
                "return { evaluate = function()\n"
                "  n = n + 1\n"
                "  return maal.info({message = 'n=' .. n})\n"
                "end }\n"},
    {"dice", "return { evaluate = function()\n"
             "  return maal.info({message = 'x', actual = math.random(1, 1 << 30)})\n"
             "end }\n"},
    {"many", "return { evaluate = function(ctx)\n"
             "  local n = 0\n"
             "  for _, id in ipairs({'m1', 'm2', 'm3'}) do\n"
             "    local s = ctx.series(id)\n"
             "    for y = 1900, 1999 do\n"
             "      for _ = 1, 3 do if s:value(y) then n = n + 1 end end\n"
             "    end\n"
             "  end\n"
             "  return maal.info({message = 'read ' .. n})\n"
             "end }\n"},
    {"quiet", "return { evaluate = function() return maal.info({message = 'q'}) end }\n"},
    {"aliased", "return { evaluate = function(ctx)\n"
                "  local a, b = ctx.series('a'), ctx.series('b')\n"
                "  return maal.info({message = 'x', actual = b:value(2021) + a:value(2021)\n"
                "                                           + a:value(2020)})\n"
                "end }\n"},
    {"sigs", "return { evaluate = function(ctx)\n"
             "  local s = ctx.series('s')\n"
             "  local a = s:significance('area', 2020, 2021)\n"
             "  local d = s:significance_year('district', 2021)\n"
             "  local c = s:significance('city')\n"
             "  return maal.info({message = tostring(a) .. tostring(d) .. tostring(c)})\n"
             "end }\n"},
    {NULL, NULL},
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int group_setup(void **state)
{
    (void)state;
    unsetenv("MAAL_PATH");
    char tmpl[] = "/tmp/maal-test-eval-XXXXXX";
    if (!mkdtemp(tmpl))
        return -1;
    snprintf(rules_dir, sizeof(rules_dir), "%s", tmpl);
    for (const struct custom_rule *c = CUSTOM; c->name; c++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof(path), "%s/%s.lua", rules_dir, c->name);
        write_file(path, c->src);
    }
    const char *extra[] = {rules_dir};
    if (!(EV = maal_eval_worker_new()))
        return -1;
    return maal_ruleset_init(&RS, extra, 1, MAAL_LANG_DA) == MAAL_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    maal_eval_worker_free(EV);
    EV = NULL;
    maal_ruleset_release(&RS);
    for (const struct custom_rule *c = CUSTOM; c->name; c++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof(path), "%s/%s.lua", rules_dir, c->name);
        unlink(path);
    }
    rmdir(rules_dir);
    return 0;
}

static void release_all(void)
{
    maal_result_release(&RES);
    maal_eval_next(EV); /* the partnership's data leaves the reused state before it is freed */
    maal_partnership_free(P);
    P = NULL;
    maal_diags_release(&D);
    free(TEXT);
    TEXT = NULL;
}

static int setup(void **state)
{
    (void)state;
    maal_limits_default(&LIM);
    LANG = MAAL_LANG_DA;
    RS.lang = MAAL_LANG_DA;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    release_all();
    maal_eval_end(EV); /* each test starts with a fresh state */
    maal_mem_fail_after(0);
    return 0;
}

/* printf into a fresh text kept until the next load */
static const char *T(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *T(const char *fmt, ...)
{
    free(TEXT);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    TEXT = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(TEXT, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return TEXT;
}

static void load_text(const char *text)
{
    maal_result_release(&RES);
    maal_eval_next(EV);
    maal_partnership_free(P);
    P = NULL;
    maal_diags_release(&D);
    maal_diags_init(&D);
    int rc = maal_partnership_parse(FILE_NAME, text, strlen(text), &LIM, LANG, &P, &D);
    if (rc != MAAL_OK) {
        for (size_t i = 0; i < D.n; i++)
            print_message("  diag %d:%d: %s\n", D.v[i].line, D.v[i].col, D.v[i].msg);
        fail_msg("the inline file did not load (rc %d)", rc);
    }
}

static const struct maal_goal *goal(const char *id)
{
    for (size_t i = 0; i < P->ngoals; i++)
        if (!strcmp(P->goals[i].id, id))
            return &P->goals[i];
    fail_msg("no goal '%s'", id);
    return NULL;
}

/* Evaluate goal 'id' of the loaded file at 'year' (0: the latest), in the one sandbox state
 * that every goal of this file reuses, as 'maal check' does (.worker). */
static void run(const char *id, int year)
{
    maal_result_release(&RES);
    struct maal_eval_opts o = {.lang = LANG, .year = year, .limits = &LIM, .rules = &RS,
                               .worker = EV};
    assert_int_equal(maal_eval_goal(&o, P, goal(id), &RES), MAAL_OK);
    assert_non_null(RES.message);
}

/* Load 'text' and evaluate 'id'. */
static void eval_text(const char *text, const char *id, int year)
{
    load_text(text);
    run(id, year);
}

static void expect_verdict(enum maal_verdict v)
{
    if (RES.verdict != v)
        fail_msg("verdict %s, expected %s; message: %s", maal_verdict_names[RES.verdict],
                 maal_verdict_names[v], RES.message ? RES.message : "(none)");
}

static void expect_msg(const char *needle)
{
    if (!RES.message || !strstr(RES.message, needle))
        fail_msg("message '%s' lacks '%s'", RES.message ? RES.message : "(none)", needle);
}

static void expect_num(bool has, double got, double want, const char *what)
{
    if (!has)
        fail_msg("no %s in the result (message: %s)", what, RES.message);
    if (fabs(got - want) > 1e-9)
        fail_msg("%s is %.10g, expected %.10g (message: %s)", what, got, want, RES.message);
}

#define EXPECT_ACTUAL(x) expect_num(RES.has_actual, RES.actual, (x), "actual")
#define EXPECT_TARGET(x) expect_num(RES.has_target, RES.target, (x), "target")
#define EXPECT_BASELINE(x) expect_num(RES.has_baseline, RES.baseline, (x), "baseline")
#define EXPECT_CHANGE(x) expect_num(RES.has_change, RES.change, (x), "change")

static int line_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    int line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    return line;
}

static int col_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    const char *bol = p;
    while (bol > text && bol[-1] != '\n')
        bol--;
    return (int)(p - bol) + 1;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time of this process: a bound on it holds however busy the machine is */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- inline files ----
 * The standard rules' edge cases are tested once, in rules/<rule>_test.yaml ('maal test', the
 * rules suite); the files here serve the tests of the rule host below. */

#define CRIME_FILE                                                                             \
    HEAD "  baselines: {crime: 2020}\n"                                                        \
         "series:\n"                                                                           \
         "  - id: indbrud\n"                                                                   \
         "    name: Indbrud\n"                                                                 \
         "    kind: crime\n"                                                                   \
         "    unit: count\n"                                                                   \
         "    values:\n"                                                                       \
         "      area: {%s}\n"                                                                  \
         "goals:\n"                                                                            \
         "  - id: g\n"                                                                         \
         "    title: G\n"                                                                      \
         "    rule: at_most_baseline\n"                                                        \
         "    params: {series: indbrud%s}\n"

#define BUDGET_FILE                                                                            \
    HEAD "%s"                                                                                  \
         "activities:\n"                                                                       \
         "  - {id: a1, name: A1, responsible: [X], financing: {2021: 100, 2022: 1}}\n"         \
         "  - {id: a2, name: A2, responsible: [X], financing: {2021: %s}}\n"                   \
         "  - {id: a3, name: A3, responsible: [X], financing: {2022: 7}}\n"                    \
         "  - {id: a4, name: A4, responsible: [X]}\n"                                          \
         "goals:\n"                                                                            \
         "  - {id: g, title: G, rule: budget_balance, params: {year: 2021}}\n"

/* ---- sources ---- */

static void test_eval_sources_carry_line_numbers(void **state)
{
    (void)state;
    const char *text = HEAD "  baselines: {crime: 2020}\n"
                            "series:\n"
                            "  - id: indbrud\n"
                            "    name: Indbrud\n"
                            "    kind: crime\n"
                            "    unit: count\n"
                            "    values:\n"
                            "      area:\n"
                            "        2019: 25\n"
                            "        2020: 23\n"
                            "        2021: 27\n"
                            "goals:\n"
                            "  - {id: g, title: G, rule: at_most_baseline, params: {series: indbrud}}\n";
    eval_text(text, "g", 0);
    expect_verdict(MAAL_FAIL);
    struct {
        const char *what, *needle, *at;
        bool found;
    } want[] = {
        {"indbrud area 2021", "        2021: 27", "27", false},
        {"indbrud area 2020", "        2020: 23", "23", false},
        {"baselines.crime", "  baselines: {crime: 2020}", "2020}", false},
    };
    for (size_t i = 0; i < RES.nsources; i++) {
        const struct maal_source *s = &RES.sources[i];
        if (strstr(s->what, "2019"))
            fail_msg("source %s (line %d) was not used", s->what, s->line);
        for (size_t k = 0; k < 3; k++) {
            if (strcmp(s->what, want[k].what))
                continue;
            const char *ln = strstr(text, want[k].needle);
            int line = line_of(text, want[k].needle);
            int col = (int)(strstr(ln, want[k].at) - ln) + 1;
            if (s->line != line || s->col != col)
                fail_msg("source '%s' at %d:%d, expected %d:%d", s->what, s->line, s->col,
                         line, col);
            want[k].found = true;
        }
    }
    for (size_t k = 0; k < 3; k++)
        if (!want[k].found)
            fail_msg("no source '%s' among %zu", want[k].what, RES.nsources);
}

static void test_eval_sources_for_activities(void **state)
{
    (void)state;
    eval_text(T(BUDGET_FILE, "  budget: {2021: 300}\n", "200"), "g", 0);
    bool a2 = false, budget = false;
    for (size_t i = 0; i < RES.nsources; i++) {
        const struct maal_source *s = &RES.sources[i];
        if (!strcmp(s->what, "a2 financing 2021")) {
            a2 = true;
            assert_int_equal(s->line, line_of(TEXT, "{id: a2"));
            assert_int_equal(s->col, col_of(TEXT, "200}}"));
        }
        if (!strcmp(s->what, "budget 2021")) {
            budget = true;
            assert_int_equal(s->line, line_of(TEXT, "  budget:"));
        }
    }
    assert_true(a2);
    assert_true(budget);
}

/* A goal records at most 200 sources, the first 200 it reads, each once however often it
 * reads it; the next goal in the same state starts with none, and records a value an earlier
 * goal read as its own again. */
static void test_eval_sources_limited_and_per_goal(void **state)
{
    (void)state;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_puts(&b, HEAD "  baselines: {crime: 2020}\nseries:\n");
    for (int k = 1; k <= 3; k++) {
        maal_buf_printf(&b, "  - id: m%d\n    name: M\n    kind: crime\n    unit: count\n"
                            "    values:\n      area:\n", k);
        for (int y = 1900; y <= 1999; y++)
            maal_buf_printf(&b, "        %d: %d\n", y, k * 1000 + y - 1900);
    }
    maal_buf_puts(&b, "goals:\n"
                      "  - {id: many, title: M, rule: many}\n"
                      "  - {id: quiet, title: Q, rule: quiet}\n"
                      "  - {id: again, title: A, rule: many}\n");
    load_text(T("%s", maal_buf_str(&b)));
    maal_buf_release(&b);
    const char *order[] = {"many", "quiet", "again"};
    for (size_t g = 0; g < 3; g++) {
        run(order[g], 0);
        expect_verdict(MAAL_INFO);
        if (g == 1) {
            assert_int_equal(RES.nsources, 0);
            continue;
        }
        expect_msg("read 900");
        assert_int_equal(RES.nsources, 200);
        assert_string_equal(RES.sources[0].what, "m1 area 1900");
        assert_int_equal(RES.sources[0].line, line_of(TEXT, "1900: 1000"));
        assert_string_equal(RES.sources[99].what, "m1 area 1999");
        assert_string_equal(RES.sources[100].what, "m2 area 1900");
        assert_string_equal(RES.sources[199].what, "m2 area 1999");
        assert_int_equal(RES.sources[199].line, line_of(TEXT, "1999: 2099"));
        assert_null(RES.sources[199].file);
    }
}

/* One place read under two names (a YAML alias) is one source, named by the first read. */
static void test_eval_sources_alias_is_one_place(void **state)
{
    (void)state;
    eval_text(T(HEAD "series:\n"
                     "  - {id: a, name: A, kind: crime, unit: count, values: {area: &v {2020: 5, "
                     "2021: 4}}}\n"
                     "  - {id: b, name: B, kind: crime, unit: count, values: {area: *v}}\n"
                     "goals:\n"
                     "  - {id: g, title: G, rule: aliased}\n"),
              "g", 0);
    expect_verdict(MAAL_INFO);
    EXPECT_ACTUAL(13);
    assert_int_equal(RES.nsources, 2);
    assert_string_equal(RES.sources[0].what, "b area 2021");
    assert_int_equal(RES.sources[0].col, col_of(TEXT, "4}}}"));
    assert_string_equal(RES.sources[1].what, "a area 2020");
    assert_int_equal(RES.sources[1].col, col_of(TEXT, "5, "));
}

/* A significance statement's source names what was asked of it: the change between two
 * years, or the one year, also for a statement that gives both; one of a year read without
 * years (significance(scope)) is that year's statement (it raised a format error before). */
static void test_eval_sources_of_significance(void **state)
{
    (void)state;
    eval_text(T(HEAD "series:\n"
                     "  - id: s\n"
                     "    name: S\n"
                     "    kind: survey\n"
                     "    unit: percent\n"
                     "    values: {area: {2020: 5, 2021: 4}}\n"
                     "    significance:\n"
                     "      - {scope: area, from: 2020, to: 2021, year: 2019, significant: true}\n"
                     "      - {scope: district, year: 2021, from: 2018, to: 2019, significant: false}\n"
                     "      - {scope: city, year: 2021, significant: true}\n"
                     "goals:\n"
                     "  - {id: g, title: G, rule: sigs}\n"),
              "g", 0);
    expect_verdict(MAAL_INFO);
    expect_msg("truefalsetrue");
    assert_int_equal(RES.nsources, 3);
    assert_string_equal(RES.sources[0].what, "s significance area 2020-2021");
    assert_int_equal(RES.sources[0].line, line_of(TEXT, "{scope: area"));
    assert_string_equal(RES.sources[1].what, "s significance district 2021");
    assert_string_equal(RES.sources[2].what, "s significance city 2021");
    assert_int_equal(RES.sources[2].col, col_of(TEXT, "{scope: city"));
}

/* A goal whose result cannot be made (every allocation from the n-th on fails) returns
 * MAAL_ERR_NOMEM with nothing left in the result: the callers (api.c's check_goal,
 * ruletest.c) drop it without releasing it, so the rule's path and origin copied into it
 * before the failure leaked (LeakSanitizer in test_check once a single file was checked on
 * the thread that counts the allocations). */
static void test_eval_out_of_memory_leaves_an_empty_result(void **state)
{
    (void)state;
    load_text(HEAD "  baselines: {crime: 2020}\n"
                   "series:\n"
                   "  - {id: s, name: S, kind: crime, unit: count, values: {area: {2020: 5, 2021: 4}}}\n"
                   "goals:\n"
                   "  - {id: g, title: G, rule: at_most_baseline, params: {series: s}}\n");
    struct maal_eval_opts o = {.lang = LANG, .limits = &LIM, .rules = &RS, .worker = EV};
    size_t nomem = 0, kept = 0;
    for (long n = 1; n < 20000; n++) {
        maal_result_release(&RES);
        maal_mem_fail_after(n);
        int rc = maal_eval_goal(&o, P, goal("g"), &RES);
        long used = maal_mem_count();
        maal_mem_fail_after(0);
        if (rc == MAAL_OK && used < n)
            break; /* no allocation failed: the sweep is through */
        if (rc == MAAL_OK)
            continue; /* a failure the evaluation absorbed: an error verdict */
        assert_int_equal(rc, MAAL_ERR_NOMEM);
        nomem++;
        if (RES.rule_path || RES.rule_origin || RES.message || RES.waiver || RES.sources ||
            RES.op || RES.unit)
            kept++;
    }
    maal_eval_end(EV);
    assert_true(nomem > 0);
    if (kept)
        fail_msg("%zu of %zu results that could not be made still hold memory", kept, nomem);
}

/* ---- the sandbox ---- */

#define CUSTOM_FILE                                                                            \
    HEAD "  baselines: {crime: 2020}\n"                                                        \
         "series:\n"                                                                           \
         "  - {id: s, name: S, kind: crime, unit: count, values: {area: {2020: 5, 2021: 4}}}\n" \
         "goals:\n"                                                                            \
         "  - {id: before, title: B, rule: at_most_baseline, params: {series: s}}\n"          \
         "  - {id: g, title: G, rule: %s}\n"                                                   \
         "  - {id: after, title: A, rule: strcheck}\n"

static void test_eval_sandbox_endless_loop_times_out(void **state)
{
    (void)state;
    LIM.rule_timeout = 0.2;
    load_text(T(CUSTOM_FILE, "loop"));
    double t0 = now(), c0 = cpu_now();
    run("g", 0);
    double dt = now() - t0, cpu = cpu_now() - c0;
    expect_verdict(MAAL_ERROR);
    expect_msg("tidsgrænsen");
    /* the limit is wall time: not reached early; stopped at once (CPU time: however busy) */
    if (dt < 0.15 || cpu > 1.5)
        fail_msg("the timeout of 0.2 s took %.3f s (%.3f s CPU)", dt, cpu);
    assert_non_null(RES.rule_path);
    assert_non_null(strstr(RES.rule_path, "loop.lua"));
    /* the next goal is evaluated normally */
    run("after", 0);
    expect_verdict(MAAL_PASS);
    run("before", 0);
    expect_verdict(MAAL_PASS);
}

static void test_eval_sandbox_pcall_cannot_swallow_timeout(void **state)
{
    (void)state;
    LIM.rule_timeout = 0.2;
    load_text(T(CUSTOM_FILE, "swallow"));
    double c0 = cpu_now();
    run("g", 0);
    double cpu = cpu_now() - c0;
    expect_verdict(MAAL_ERROR);
    expect_msg("tidsgrænsen");
    if (cpu > 1.5)
        fail_msg("the timeout of 0.2 s took %.3f s CPU", cpu);
}

static void test_eval_sandbox_memory_bomb(void **state)
{
    (void)state;
    LIM.rule_memory = 16u << 20;
    LIM.rule_timeout = 10;
    load_text(T(CUSTOM_FILE, "membomb"));
    run("g", 0);
    expect_verdict(MAAL_ERROR);
    expect_msg("hukommelsesgrænsen");
    expect_msg("16 MiB");
    load_text(T(CUSTOM_FILE, "bigstring"));
    run("g", 0);
    expect_verdict(MAAL_ERROR);
    expect_msg("hukommelsesgrænsen");
    run("after", 0);
    expect_verdict(MAAL_PASS);
}

/* Garbage is not memory in use: a rule that keeps 9 MB and makes 100 MB of garbage stays
 * within 16 MiB whatever the collector's pace. An allocation refused at the limit is retried
 * by Lua after a full collection, and only a second refusal counts: before, the first one
 * did, so the collector's next cycle (at twice the 9 MB kept) failed this goal. */
static void test_eval_sandbox_garbage_within_limit(void **state)
{
    (void)state;
    LIM.rule_memory = 16u << 20;
    LIM.rule_timeout = 20;
    load_text(T(CUSTOM_FILE, "churn"));
    run("g", 0);
    expect_verdict(MAAL_PASS);
    expect_msg("kept 9000");
    run("after", 0);
    expect_verdict(MAAL_PASS);
}

static void test_eval_sandbox_no_io_os_require(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "globals"));
    run("g", 0);
    expect_verdict(MAAL_INFO);
    expect_msg("io=nil os=nil require=function package=nil debug=nil dofile=nil loadfile=nil "
               "load=nil collectgarbage=nil");
    if (strstr(RES.message, "dump=function"))
        fail_msg("string.dump is reachable: %s", RES.message);
    expect_msg("sdump=nil");
}

static void test_eval_sandbox_string_metatable_tampering_isolated(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "tamper"));
    run("g", 0);
    expect_verdict(MAAL_INFO);
    /* every attempt fails inside the goal itself */
    expect_msg("false false false false false false ABC");
    /* and the next goal sees the real string library */
    run("after", 0);
    expect_verdict(MAAL_PASS);
    expect_msg("ABC 1.000");
}

static void test_eval_sandbox_print_goes_to_log(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "printer"));
    run("g", 0);
    expect_verdict(MAAL_INFO);
    assert_non_null(RES.log);
    /* print's tab separator may be shown as a space (control characters are cleaned) */
    if (strcmp(RES.log, "hello\t42") != 0 && strcmp(RES.log, "hello 42") != 0)
        fail_msg("log '%s', expected 'hello<TAB>42'", RES.log);
}

/* math.random starts from the same seed for every goal: the same data gives the same report
 * (Lua 5.4 seeds each new state from the clock and an address otherwise). */
static void test_eval_sandbox_math_random_deterministic(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "dice"));
    run("g", 0);
    expect_verdict(MAAL_INFO);
    assert_true(RES.has_actual);
    double first = RES.actual;
    run("g", 0);
    assert_true(RES.has_actual);
    assert_true(RES.actual == first);
}

/* A rule's main chunk runs once per worker state: 20 goals of a rule whose main chunk spins
 * (about 0.1 s) cost about one spin, not 20 (CPU time: the bound holds on a busy machine). */
static void test_eval_kept_rule_main_chunk_once(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "topspin"));
    double c0 = cpu_now();
    run("g", 0);
    double first = cpu_now() - c0;
    expect_verdict(MAAL_INFO);
    char *msg = strdup(RES.message);
    for (int i = 0; i < 19; i++) {
        run("g", 0);
        expect_verdict(MAAL_INFO);
        assert_string_equal(RES.message, msg);
    }
    double all = cpu_now() - c0;
    free(msg);
    if (all > 4 * first + 0.2)
        fail_msg("20 goals took %.3f s of CPU, the first %.3f s: the main chunk ran again", all,
                 first);
}

/* A main chunk that prints is not kept: its line is in every goal's log, as when it ran for
 * each goal. */
static void test_eval_kept_rule_print_in_every_log(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "topprint"));
    for (int i = 0; i < 3; i++) {
        run("g", 0);
        expect_verdict(MAAL_INFO);
        assert_non_null(RES.log);
        assert_string_equal(RES.log, "top");
    }
}

/* The main chunk sees the goal's language, its first run too, and a rule kept in one language
 * is not used for a goal in another ('maal test' runs cases of both in one worker). */
static void test_eval_kept_rule_language(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "toplang"));
    const char *want[] = {"hej", "hej", "hello", "hello", "hej"};
    enum maal_lang langs[] = {MAAL_LANG_DA, MAAL_LANG_DA, MAAL_LANG_EN, MAAL_LANG_EN,
                              MAAL_LANG_DA};
    for (int i = 0; i < 5; i++) {
        LANG = langs[i];
        run("g", 0);
        expect_verdict(MAAL_INFO);
        assert_string_equal(RES.message, want[i]);
    }
}

/* A goal that changes its rule's module-level state never shows it to the next goal: the
 * change is seen after the goal and the rule's main chunk runs again for the goals after. */
static void test_eval_kept_rule_change_not_seen(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "counter"));
    for (int i = 0; i < 4; i++) {
        run("g", 0);
        expect_verdict(MAAL_INFO);
        assert_string_equal(RES.message, "n=1");
        run("before", 0); /* another rule in between */
        expect_verdict(MAAL_PASS);
    }
}

/* A rule name is resolved once per folder of data files: the same entry for every goal of the
 * folder (even after the file is gone: no goal turns into an unknown rule half way), another
 * folder's local rule of the same name for that folder's files, and back again. */
static void test_rules_resolved_once_per_folder(void **state)
{
    (void)state;
    char a[] = "/tmp/maal-test-memo-a-XXXXXX", b[] = "/tmp/maal-test-memo-b-XXXXXX";
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b));
    char path[PATH_MAX + 64], fa[PATH_MAX + 64], fb[PATH_MAX + 64], ra[PATH_MAX + 64],
        rb[PATH_MAX + 64];
    snprintf(fa, sizeof(fa), "%s/p.yaml", a);
    snprintf(fb, sizeof(fb), "%s/p.yaml", b);
    snprintf(path, sizeof(path), "%s/rules", a);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/rules", b);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(ra, sizeof(ra), "%s/rules/memo_rule.lua", a);
    snprintf(rb, sizeof(rb), "%s/rules/memo_rule.lua", b);
    write_file(ra, "return { evaluate = function() return maal.pass({message = 'a'}) end }\n");
    write_file(rb, "return { evaluate = function() return maal.pass({message = 'b'}) end }\n");
    struct maal_error e;
    const struct maal_rule_src *s1 = maal_ruleset_find(&RS, fa, "memo_rule", &e);
    assert_non_null(s1);
    assert_string_equal(s1->path, ra);
    unsigned long serial_a = s1->serial;
    unlink(ra); /* gone during the run: the folder's goals keep the rule they had */
    const struct maal_rule_src *s2 = maal_ruleset_find(&RS, fa, "memo_rule", &e);
    assert_non_null(s2);
    assert_int_equal(s2->serial, serial_a);
    const struct maal_rule_src *s3 = maal_ruleset_find(&RS, fb, "memo_rule", &e);
    assert_non_null(s3);
    assert_string_equal(s3->path, rb);
    /* the standard rules are found through the memo too */
    const struct maal_rule_src *s4 = maal_ruleset_find(&RS, fb, "monitor", &e);
    assert_non_null(s4);
    assert_int_equal(maal_ruleset_find(&RS, fb, "monitor", &e)->serial, s4->serial);
    /* back in folder a, whose rule file is gone now: resolved again, so not found */
    assert_null(maal_ruleset_find(&RS, fa, "memo_rule", &e));
    unlink(rb);
    snprintf(path, sizeof(path), "%s/rules", a);
    rmdir(path);
    snprintf(path, sizeof(path), "%s/rules", b);
    rmdir(path);
    rmdir(a);
    rmdir(b);
}

/* The local rules folder of a data file, as an unknown rule's message names it: the file's
 * folder plus "/rules" ("rules" for a file without a folder), as snprintf made it before. */
static void test_rules_local_folder_named(void **state)
{
    (void)state;
    const struct {
        const char *file, *dir;
    } cases[] = {
        {"p.yaml", " rules,"},          {"./p.yaml", " ./rules,"},
        {"/p.yaml", " /rules,"},        {"a/b/p.yaml", " a/b/rules,"},
        {"a//p.yaml", " a//rules,"},    {"/x/y/z/", " /x/y/z/rules,"},
        {"d.1/p.yaml", " d.1/rules,"},  {"ø/æ å/p.yaml", " ø/æ å/rules,"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct maal_error e;
        assert_null(maal_ruleset_find(&RS, cases[i].file, "no_such_rule_qqq", &e));
        if (!strstr(e.msg, cases[i].dir))
            fail_msg("%s: '%s' not in '%s'", cases[i].file, cases[i].dir, e.msg);
    }
}

static void test_eval_rule_error_located(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "boom"));
    run("g", 0);
    expect_verdict(MAAL_ERROR);
    expect_msg("boom.lua:1: boom");
    assert_non_null(RES.trace);
    assert_non_null(strstr(RES.trace, "kaldstak:"));
    assert_false(RES.invalid_params);
}

static void test_eval_malformed_results_are_errors(void **state)
{
    (void)state;
    struct {
        const char *rule, *needle;
    } cases[] = {
        {"badkey", "'verdikt' (mente du 'verdict'?)"},
        {"badverdict", "'maybe'"},
        {"nanactual", "endeligt tal"},
        {"noeval", "'evaluate'"},
        {"syntax", "syntax.lua:"},
        {"ctxtypo", "(mente du 'series'?)"},
        {"ctxwrite", "kan kun læses"},
        {"nosuch", "ukendt regel 'nosuch'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        load_text(T(CUSTOM_FILE, cases[i].rule));
        run("g", 0);
        if (RES.verdict != MAAL_ERROR || !strstr(RES.message, cases[i].needle))
            fail_msg("rule '%s': verdict %s, message '%s', expected error with '%s'",
                     cases[i].rule, maal_verdict_names[RES.verdict], RES.message,
                     cases[i].needle);
    }
}

/* Only 'evaluate' and 'verdict' are required: without 'message' one is written (issue 16). */
static void test_eval_result_without_message_gets_one(void **state)
{
    (void)state;
    load_text(T(CUSTOM_FILE, "nomsg"));
    run("g", 0);
    expect_verdict(MAAL_PASS);
    assert_non_null(RES.message);
    assert_true(RES.message[0] != '\0');
}

/* ---- params against the rule's schema ---- */

static void expect_params_error(const char *text, const char *needle, const char *at)
{
    eval_text(text, "g", 0);
    expect_verdict(MAAL_ERROR);
    assert_true(RES.invalid_params);
    if (strncmp(RES.message, "målet 'g': ", strlen("målet 'g': ")) != 0)
        fail_msg("message '%s' does not name the goal", RES.message);
    expect_msg(needle);
    int line = line_of(text, at), col = col_of(text, at);
    if (RES.err_line != line || RES.err_col != col)
        fail_msg("params error at %d:%d, expected %d:%d ('%s'): %s", RES.err_line, RES.err_col,
                 line, col, at, RES.message);
}

static void test_eval_params_wrong_type(void **state)
{
    (void)state;
    expect_params_error(T(CRIME_FILE, "2020: 23, 2021: 23", ", per_1000: \"yes\""),
                        "parameteren 'per_1000' er 'yes'", "\"yes\"");
    expect_params_error(T(CRIME_FILE, "2020: 23, 2021: 23", ", baseline_year: 1800"),
                        "parameteren 'baseline_year' er 1800, forventede et årstal", "1800");
    expect_params_error(T(CRIME_FILE, "2020: 23, 2021: 23", ", scope: town"),
                        "parameteren 'scope' er 'town', forventede en af area, district, city",
                        "town");
}

static void test_eval_params_missing_required(void **state)
{
    (void)state;
    const char *t2 = HEAD "goals:\n"
                          "  - id: g\n"
                          "    title: G\n"
                          "    rule: schema\n"
                          "    params: {name: x}\n";
    expect_params_error(t2, "parameteren 'n' mangler", "{name");
    /* no params at all: the goal's place */
    const char *t3 = HEAD "goals:\n"
                          "  - id: g\n"
                          "    title: G\n"
                          "    rule: budget_balance\n";
    expect_params_error(t3, "parameteren 'year' mangler", "id: g");
}

static void test_eval_params_unknown(void **state)
{
    (void)state;
    expect_params_error(T(CRIME_FILE, "2020: 23, 2021: 23", ", seris: x"),
                        "ukendt parameter 'seris' (mente du 'series'?)", "seris");
}

static void test_eval_params_defaults_filled(void **state)
{
    (void)state;
    const char *text = HEAD "goals:\n"
                            "  - {id: g, title: G, rule: schema, params: {n: 3}}\n";
    eval_text(text, "g", 0);
    expect_verdict(MAAL_PASS);
    expect_msg("d 3");
    eval_text(HEAD "goals:\n  - {id: g, title: G, rule: schema, params: {n: 3.5}}\n", "g", 0);
    expect_verdict(MAAL_ERROR);
    assert_true(RES.invalid_params);
}

/* Every message of the params check, whole (it moved from the prelude's Lua to core/params.c
 * with the same bytes): type, year range, whole number, enum of mixed values, did-you-mean,
 * missing, the rule's own schema errors, in both languages; and the defaults filled in. */
static void test_eval_params_messages_exact(void **state)
{
    (void)state;
    static const struct {
        enum maal_lang lang;
        const char *rule, *params, *msg;
    } cases[] = {
        {MAAL_LANG_DA, "schema2", "k: 3",
         "målet 'g': parameteren 'k' er 3, forventede en af 1, 2.5, true, x, table"},
        {MAAL_LANG_DA, "schema2", "y: 2100.5",
         "målet 'g': parameteren 'y' er 2100.5, forventede et årstal"},
        {MAAL_LANG_DA, "schema2", "y: 1899",
         "målet 'g': parameteren 'y' er 1899, forventede et årstal"},
        {MAAL_LANG_DA, "schema2", "i: 2.5",
         "målet 'g': parameteren 'i' er 2.5, forventede et helt tal"},
        {MAAL_LANG_DA, "schema2", "flag: yes",
         "målet 'g': parameteren 'flag' er 'yes', forventede true eller false"},
        {MAAL_LANG_DA, "schema2", "l: 3", "målet 'g': parameteren 'l' er 3, forventede en liste"},
        {MAAL_LANG_DA, "schema2", "scop: x",
         "målet 'g': ukendt parameter 'scop' (mente du 'scope'?), forventede en af flag, "
         "i, k, l, scope, y"},
        {MAAL_LANG_DA, "schema2", "zzzzz: x",
         "målet 'g': ukendt parameter 'zzzzz', forventede en af flag, i, k, l, scope, y"},
        {MAAL_LANG_EN, "schema2", "scope: town",
         "goal 'g': parameter 'scope' is 'town', expected one of area, district, city"},
        {MAAL_LANG_EN, "schema2", "sope: area",
         "goal 'g': unknown parameter 'sope' (did you mean 'scope'?), expected one of "
         "flag, i, k, l, scope, y"},
        {MAAL_LANG_EN, "schema", "name: x", "goal 'g': parameter 'n' is missing (a whole number)"},
        {MAAL_LANG_DA, "schema", "name: x", "målet 'g': parameteren 'n' mangler (et helt tal)"},
        {MAAL_LANG_DA, "schema_nottable", "a: 1", "målet 'g': reglens 'params' er ikke en tabel"},
        {MAAL_LANG_EN, "schema_nottable", "a: 1", "goal 'g': the rule's 'params' is not a table"},
        {MAAL_LANG_DA, "schema_badtype", "a: 1",
         "målet 'g': reglens skema for 'a' har den ukendte type 'float'"},
        {MAAL_LANG_EN, "schema_badspec", "a: 1",
         "goal 'g': the rule's schema for 'a' is not a table"},
        {MAAL_LANG_DA, "schema2", "k: 2.5, y: 2021.0, flag: true", "area 2.5 2021.0 true"},
        {MAAL_LANG_DA, "schema2", "scope: city", "city nil nil nil"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        LANG = cases[i].lang;
        eval_text(T(HEAD "goals:\n  - {id: g, title: G, rule: %s, params: {%s}}\n", cases[i].rule,
                    cases[i].params),
                  "g", 0);
        if (strcmp(RES.message, cases[i].msg) != 0)
            fail_msg("rule %s, params {%s}: message '%s', expected '%s'", cases[i].rule,
                     cases[i].params, RES.message, cases[i].msg);
    }
}

static void test_eval_check_params_located(void **state)
{
    (void)state;
    const char *text = T(CRIME_FILE, "2020: 23, 2021: 23", ", seris: x");
    load_text(text);
    struct maal_eval_opts o = {.lang = LANG, .limits = &LIM, .rules = &RS};
    struct maal_diags d;
    maal_diags_init(&d);
    int rc = maal_eval_check_params(&o, P, goal("g"), &d);
    int line = line_of(text, "seris"), col = col_of(text, "seris");
    bool ok = rc == MAAL_ERR_INVALID && d.n == 1 && d.v[0].line == line && d.v[0].col == col &&
              strstr(d.v[0].msg, "seris");
    if (!ok && d.n)
        print_message("  diag %d:%d: %s\n", d.v[0].line, d.v[0].col, d.v[0].msg);
    maal_diags_release(&d);
    assert_true(ok);
    /* valid params: nothing to say */
    load_text(T(CRIME_FILE, "2020: 23, 2021: 23", ""));
    maal_diags_init(&d);
    rc = maal_eval_check_params(&o, P, goal("g"), &d);
    size_t n = d.n;
    maal_diags_release(&d);
    assert_int_equal(rc, MAAL_OK);
    assert_int_equal(n, 0);
}

/* validate keeps a rule's schema per state after the first run of its main chunk: the goals
 * after it, with and without an error between (which drops the state), get the same checks. */
static void test_eval_check_params_schema_kept(void **state)
{
    (void)state;
    load_text(HEAD "goals:\n"
                   "  - {id: g1, title: G, rule: schema2, params: {k: 1}}\n"
                   "  - {id: g2, title: G, rule: schema2, params: {k: 2}}\n"
                   "  - {id: g3, title: G, rule: schema2, params: {scope: city}}\n"
                   "  - {id: g4, title: G, rule: schema2, params: {y: 1800}}\n"
                   "  - {id: g5, title: G, rule: schema2, params: {sope: city}}\n"
                   "  - {id: g6, title: G, rule: schema2, params: {k: 2.5, y: 2022}}\n");
    static const char *const want[] = {
        NULL,
        "målet 'g2': parameteren 'k' er 2, forventede en af 1, 2.5, true, x, table",
        NULL,
        "målet 'g4': parameteren 'y' er 1800, forventede et årstal",
        "målet 'g5': ukendt parameter 'sope' (mente du 'scope'?), forventede en af flag, i, k, "
        "l, scope, y",
        NULL,
    };
    struct maal_eval_opts o = {.lang = LANG, .limits = &LIM, .rules = &RS, .worker = EV};
    for (size_t i = 0; i < P->ngoals; i++) {
        struct maal_diags d;
        maal_diags_init(&d);
        int rc = maal_eval_check_params(&o, P, &P->goals[i], &d);
        char got[512];
        snprintf(got, sizeof(got), "%s", d.n ? d.v[0].msg : "");
        size_t n = d.n;
        maal_diags_release(&d);
        if (!want[i] && (rc != MAAL_OK || n))
            fail_msg("goal %zu: rc %d, '%s', expected no problem", i + 1, rc, got);
        if (want[i] && (rc != MAAL_ERR_INVALID || n != 1 || strcmp(got, want[i]) != 0))
            fail_msg("goal %zu: rc %d, '%s', expected '%s'", i + 1, rc, got, want[i]);
    }
    maal_eval_end(EV);
}

/* A recursive alias in params must not take the process down. */
static void test_eval_recursive_alias_in_params_no_crash(void **state)
{
    (void)state;
    const char *text = HEAD "  baselines: {crime: 2020}\n"
                            "series:\n"
                            "  - {id: s, name: S, kind: crime, unit: count,\n"
                            "     values: {area: {2020: 5, 2021: 4}}}\n"
                            "goals:\n"
                            "  - id: g\n"
                            "    title: G\n"
                            "    rule: at_most_baseline\n"
                            "    params: &p {series: s, self: *p}\n";
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(20);
        struct maal_diags d;
        maal_diags_init(&d);
        struct maal_partnership *p = NULL;
        int rc = maal_partnership_parse(FILE_NAME, text, strlen(text), &LIM, LANG, &p, &d);
        if (rc != MAAL_OK)
            _exit(0); /* refused as invalid: fine */
        struct maal_eval_opts o = {.lang = LANG, .limits = &LIM, .rules = &RS, .worker = EV};
        struct maal_result r;
        maal_eval_goal(&o, p, &p->goals[0], &r);
        _exit(r.verdict == MAAL_ERROR ? 0 : 2);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (WIFSIGNALED(st))
        fail_msg("a recursive alias in params crashed the evaluation (signal %d)",
                 WTERMSIG(st));
    if (WEXITSTATUS(st) != 0)
        fail_msg("a recursive alias in params: exit %d (1: crash report, 2: not an error)",
                 WEXITSTATUS(st));
}

/* ---- Tingbjerg-Husum 2021-2024, the 2022 status report ---- */

struct want {
    const char *id;
    enum maal_verdict v;
    int year;
    bool has_actual;
    double actual;
    bool has_base;
    double base;
    bool has_change;
    double change;
};

static void test_eval_tingbjerg_2022(void **state)
{
    (void)state;
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/../examples/tingbjerg-husum-2021-2024/partnership.yaml",
             MAAL_RULES_DIR);
    maal_diags_init(&D);
    assert_int_equal(maal_partnership_load(path, &LIM, LANG, &P, &D), MAAL_OK);
    static const struct want w[] = {
        {"utrygge-fald", MAAL_FAIL, 2022, true, 26, true, 16, true, 10},
        {"utrygge-aften-nat-fald", MAAL_FAIL, 2022, true, 32, true, 25, true, 7},
        {"utrygge-koebenhavnniveau", MAAL_NODATA, 2022, true, 26, false, 0, false, 0},
        {"utrygge-aften-nat-koebenhavnniveau", MAAL_NODATA, 2022, true, 32, false, 0, false, 0},
        {"borgervendt-pr-1000", MAAL_PASS, 2021, true, 18.7, true, 24.8, true, -6.1},
        {"indbrud", MAAL_FAIL, 2021, true, 27, true, 23, true, 4},
        {"tyveri-roeveri", MAAL_PASS, 2021, true, 32, true, 53, true, -21},
        {"vold-vaaben", MAAL_PASS, 2021, true, 68, true, 78, true, -10},
        {"chikane", MAAL_INFO, 2021, true, 65, true, 65, true, 0},
        {"haervaerk", MAAL_INFO, 2021, true, 29, true, 45, true, -16},
        {"narkotika", MAAL_INFO, 2021, true, 100, true, 84, true, 16},
        {"trusler", MAAL_INFO, 2021, true, 20, true, 23, true, -3},
        {"samarbejde", MAAL_PASS, 0, true, 80, false, 0, false, 0},
        {"budget-2021", MAAL_FAIL, 2021, true, 1719000, false, 0, true, -215000},
        {"budget-2022", MAAL_PASS, 2022, true, 1970000, false, 0, true, 0},
        {"midtvejsstatus", MAAL_INFO, 2022, false, 0, false, 0, false, 0},
    };
    for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
        run(w[i].id, 2022);
        if (RES.verdict != w[i].v)
            fail_msg("%s: %s (%s), expected %s", w[i].id, maal_verdict_names[RES.verdict],
                     RES.message, maal_verdict_names[w[i].v]);
        if (w[i].year && RES.year != w[i].year)
            fail_msg("%s: year %d, expected %d", w[i].id, RES.year, w[i].year);
        if (w[i].has_actual)
            expect_num(RES.has_actual, RES.actual, w[i].actual, w[i].id);
        if (w[i].has_base)
            expect_num(RES.has_baseline, RES.baseline, w[i].base, w[i].id);
        if (w[i].has_change)
            expect_num(RES.has_change, RES.change, w[i].change, w[i].id);
    }
    run("utrygge-koebenhavnniveau", 2022);
    expect_msg("hele byen 2021");
    run("borgervendt-pr-1000", 2022);
    expect_msg("18,7");
    expect_msg("24,8");
    expect_msg("\u22126,1");
    run("samarbejde", 2022);
    assert_true(RES.has_ratio);
    assert_true(RES.numerator == 12 && RES.denominator == 15);
    EXPECT_TARGET(75);
    run("budget-2021", 2022);
    EXPECT_TARGET(1934000);
    expect_msg("1.719.000 kr.");
    expect_msg("1.934.000 kr.");
    run("budget-2022", 2022);
    EXPECT_TARGET(1970000);
    run("midtvejsstatus", 2022);
    assert_true(RES.denominator == 15);
}

int main(void)
{
#define T_(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T_(test_eval_sources_carry_line_numbers),
        T_(test_eval_out_of_memory_leaves_an_empty_result),
        T_(test_eval_sources_for_activities),
        T_(test_eval_sources_limited_and_per_goal),
        T_(test_eval_sources_alias_is_one_place),
        T_(test_eval_sources_of_significance),
        T_(test_eval_sandbox_endless_loop_times_out),
        T_(test_eval_sandbox_pcall_cannot_swallow_timeout),
        T_(test_eval_sandbox_memory_bomb),
        T_(test_rules_local_folder_named),
        T_(test_eval_sandbox_garbage_within_limit),
        T_(test_eval_sandbox_no_io_os_require),
        T_(test_eval_sandbox_string_metatable_tampering_isolated),
        T_(test_eval_sandbox_print_goes_to_log),
        T_(test_eval_sandbox_math_random_deterministic),
        T_(test_eval_kept_rule_main_chunk_once),
        T_(test_eval_kept_rule_print_in_every_log),
        T_(test_eval_kept_rule_language),
        T_(test_eval_kept_rule_change_not_seen),
        T_(test_rules_resolved_once_per_folder),
        T_(test_eval_rule_error_located),
        T_(test_eval_malformed_results_are_errors),
        T_(test_eval_result_without_message_gets_one),
        T_(test_eval_params_wrong_type),
        T_(test_eval_params_missing_required),
        T_(test_eval_params_unknown),
        T_(test_eval_params_defaults_filled),
        T_(test_eval_params_messages_exact),
        T_(test_eval_check_params_located),
        T_(test_eval_check_params_schema_kept),
        T_(test_eval_recursive_alias_in_params_no_crash),
        T_(test_eval_tingbjerg_2022),

    };
#undef T_
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
