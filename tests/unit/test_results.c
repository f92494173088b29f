/* test_results: how a failure is said, through the one convention (issue 15 §3): a rule's
 * result that does not fit is the verdict 'error' with the reason as its message, a Lua
 * reporter's failure and a rule file that 'maal rules' cannot read are diagnostics (file, line,
 * column, message). Reasons are said whole, never cut by a fixed buffer. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <lauxlib.h>
#include <lualib.h>

#include "eval.h"
#include "report.h"
#include "results.h"
#include "rules.h"

static char dir[PATH_MAX];

static const char *path_of(const char *name)
{
    static char p[PATH_MAX + 64];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return p;
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int group_setup(void **state)
{
    (void)state;
    unsetenv("MAAL_PATH");
    char tmpl[] = "/tmp/maal-test-results-XXXXXX";
    if (!mkdtemp(tmpl))
        return -1;
    snprintf(dir, sizeof(dir), "%s", tmpl);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- maal_decode_result: the reason is the result ---- */

/* decode the table that 'chunk' returns (English), into r */
static bool decode(const char *chunk, struct maal_result *r)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1); /* string.rep */
    lua_pop(L, 1);
    int rc = luaL_dostring(L, chunk);
    if (rc != LUA_OK) {
        print_message("%s\n", lua_tostring(L, -1));
        lua_close(L);
        fail();
    }
    memset(r, 0, sizeof(*r));
    bool ok = maal_decode_result(L, lua_gettop(L), MAAL_LANG_EN, r);
    lua_close(L);
    return ok;
}

static void test_results_refusal_is_the_error_verdict(void **state)
{
    (void)state;
    struct maal_result r;
    /* the rule's own message is replaced by the reason; what was read before stays */
    assert_false(decode("return {verdict = 'pass', actual = 3, message = 'fine', unit = 'cont'}",
                        &r));
    assert_int_equal(r.verdict, MAAL_ERROR);
    assert_string_equal(r.message, "the result's 'unit' is 'cont' (did you mean 'count'?), "
                                   "expected one of count, per_1000, percent, pp, kr, number");
    assert_true(r.has_actual);
    maal_result_release(&r);

    assert_false(decode("return 42", &r));
    assert_int_equal(r.verdict, MAAL_ERROR);
    assert_string_equal(r.message, "evaluate returned number, expected a result table");
    maal_result_release(&r);

    assert_false(decode("return {verdict = 'pass', actual = 0/0}", &r));
    assert_string_equal(r.message, "the result's 'actual' is NaN, expected a finite number");
    maal_result_release(&r);

    assert_false(decode("return {verdict = 'pass', message = 'a\\0b'}", &r));
    assert_int_equal(r.verdict, MAAL_ERROR);
    assert_string_equal(r.message, "the result's 'message' contains a NUL byte");
    maal_result_release(&r);

    assert_false(decode("return {verdict = 'pass', numerator = 1}", &r));
    assert_string_equal(r.message, "the result has only one of 'numerator' and 'denominator'");
    maal_result_release(&r);

    /* a result that fits: no reason, the rule's own message */
    assert_true(decode("return {verdict = 'fail', message = 'too many', op = '<='}", &r));
    assert_int_equal(r.verdict, MAAL_FAIL);
    assert_string_equal(r.message, "too many");
    assert_string_equal(r.op, "<=");
    maal_result_release(&r);
}

/* The table is read in one pass (lua_next), not key by key: every field still means what it
 * did. A key with a NUL is known by its C string, as before, and the field is then read by
 * its name; a text may be {da=, en=}; printable ASCII and UTF-8 pass, a control does not. */
static void test_results_read_in_one_pass(void **state)
{
    (void)state;
    struct maal_result r;
    assert_true(decode("return {verdict = 'info', actual = 2, target = 3, baseline = 1, change = 1,"
                       " numerator = 1, denominator = 4, year = 2022, baseline_year = 2020,"
                       " unit = 'pp', op = '>', message = {da = 'dansk', en = 'English æ'},"
                       " significance = {da = 'kun dansk'}}", &r));
    assert_int_equal(r.verdict, MAAL_INFO);
    assert_true(r.has_actual && r.has_target && r.has_baseline && r.has_change && r.has_ratio);
    assert_true(r.actual == 2 && r.target == 3 && r.baseline == 1 && r.change == 1);
    assert_true(r.numerator == 1 && r.denominator == 4);
    assert_int_equal(r.year, 2022);
    assert_int_equal(r.baseline_year, 2020);
    assert_string_equal(r.unit, "pp");
    assert_string_equal(r.op, ">");
    assert_string_equal(r.message, "English æ");
    assert_string_equal(r.significance, "kun dansk");
    maal_result_release(&r);

    /* "message\0x" passes as 'message' (its C string), and the message is the key "message"'s */
    assert_true(decode("return {verdict = 'pass', ['message\\0x'] = 'not this',"
                       " message = 'this'}", &r));
    assert_string_equal(r.message, "this");
    maal_result_release(&r);
    assert_true(decode("return {verdict = 'pass', ['verdict\\0'] = 'fail'}", &r));
    assert_int_equal(r.verdict, MAAL_PASS);
    maal_result_release(&r);
    assert_false(decode("return {['verdict\\0'] = 'pass'}", &r));
    assert_string_equal(r.message, "'verdict' is nil, expected pass, fail, info or nodata");
    maal_result_release(&r);

    assert_false(decode("return {verdict = 'pass', message = {en = 5, da = 6}}", &r));
    assert_string_equal(r.message, "the result's 'message' is number, expected text");
    maal_result_release(&r);
    assert_false(decode("return {verdict = 'pass', year = 'x'}", &r));
    assert_string_equal(r.message, "the result's 'year' is string, expected a number");
    maal_result_release(&r);
    assert_false(decode("return {verdict = 'pass', message = 'a\\tb'}", &r));
    assert_string_equal(r.message, "the result's 'message' contains control characters");
    maal_result_release(&r);
    assert_false(decode("return {verdict = 'pass', message = 'ok ~ \\127'}", &r));
    assert_string_equal(r.message, "the result's 'message' contains control characters");
    maal_result_release(&r);
    assert_false(decode("return {verdict = 'pass', message = 'x \\u{202E} y'}", &r));
    assert_string_equal(r.message, "the result's 'message' contains control characters");
    maal_result_release(&r);
    assert_true(decode("return {verdict = 'pass', message = ' ~ æøå −6,1 “x”'}", &r));
    assert_string_equal(r.message, " ~ æøå −6,1 “x”");
    maal_result_release(&r);
}

/* A reason that quotes a long value is said whole: through a buffer of 512 bytes it lost its
 * end ("expected ...") and could be cut inside a character. */
static void test_results_long_verdict_said_whole(void **state)
{
    (void)state;
    struct maal_result r;
    assert_false(decode("return {verdict = string.rep('x', 600)}", &r));
    assert_int_equal(r.verdict, MAAL_ERROR);
    const char *tail = "', expected pass, fail, info or nodata";
    size_t n = strlen(r.message), tn = strlen(tail);
    assert_true(n > tn);
    assert_string_equal(r.message + n - tn, tail);
    assert_int_equal(n, strlen("'verdict' is '") + 600 + tn);
    maal_result_release(&r);
}

/* ---- through a goal's run: the reason is said whole there too ---- */

#define FILE_NAME "/maal-unit-test/t.yaml"

static void eval_rule(const char *rule, const char *params, struct maal_result *r)
{
    struct maal_limits lim;
    maal_limits_default(&lim);
    const char *extra[] = {dir};
    struct maal_ruleset rs;
    assert_int_equal(maal_ruleset_init(&rs, extra, 1, MAAL_LANG_EN), MAAL_OK);
    char text[4096];
    snprintf(text, sizeof(text),
             "maal: 1\n"
             "partnership: {id: p, name: P, period: {from: 2021, to: 2024}}\n"
             "goals:\n"
             "  - {id: g, title: G, rule: %s%s%s}\n",
             rule, params ? ", params: " : "", params ? params : "");
    struct maal_partnership *p = NULL;
    struct maal_diags d;
    maal_diags_init(&d);
    assert_int_equal(maal_partnership_parse(FILE_NAME, text, strlen(text), &lim, MAAL_LANG_EN,
                                            &p, &d),
                     MAAL_OK);
    /* a fresh state for the goal: what is said does not depend on the state kept */
    struct maal_eval_opts o = {.lang = MAAL_LANG_EN, .limits = &lim, .rules = &rs};
    assert_int_equal(maal_eval_goal(&o, p, &p->goals[0], r), MAAL_OK);
    maal_partnership_free(p);
    maal_diags_release(&d);
    maal_ruleset_release(&rs);
}

static void test_results_long_key_said_whole_in_a_run(void **state)
{
    (void)state;
    write_file("longkey.lua", "return { evaluate = function()\n"
                              "  return {verdict = 'pass', [string.rep('k', 700)] = 1}\n"
                              "end }\n");
    struct maal_result r;
    eval_rule("longkey", NULL, &r);
    assert_int_equal(r.verdict, MAAL_ERROR);
    char want[1024];
    snprintf(want, sizeof(want), "the result table has the unknown key '%0700d'", 0);
    memset(want + strlen("the result table has the unknown key '"), 'k', 700);
    assert_string_equal(r.message, want);
    maal_result_release(&r);
}

/* The rule file itself does not fit: the reason is the verdict's message. */
static void test_results_rule_without_evaluate(void **state)
{
    (void)state;
    write_file("noeval.lua", "return { title = 'x' }\n");
    struct maal_result r;
    eval_rule("noeval", NULL, &r);
    assert_int_equal(r.verdict, MAAL_ERROR);
    assert_false(r.invalid_params);
    assert_string_equal(r.message,
                        "the rule is missing the required field 'evaluate' (a function)");
    maal_result_release(&r);
}

/* A params error lists what the schema names: all of it (it was cut at 511 bytes). */
static void test_results_long_params_reason_said_whole(void **state)
{
    (void)state;
    struct maal_buf src = MAAL_BUF_INIT;
    maal_buf_puts(&src, "return { params = {");
    for (int i = 0; i < 40; i++)
        maal_buf_printf(&src, "parameter_number_%02d = 'number', ", i);
    maal_buf_puts(&src, "}, evaluate = function() return {verdict = 'pass'} end }\n");
    write_file("manyparams.lua", maal_buf_str(&src));
    maal_buf_release(&src);
    struct maal_result r;
    eval_rule("manyparams", "{zzz: 1}", &r);
    assert_int_equal(r.verdict, MAAL_ERROR);
    assert_true(r.invalid_params);
    const char *head = "goal 'g': unknown parameter 'zzz', expected one of parameter_number_00, ";
    assert_int_equal(strncmp(r.message, head, strlen(head)), 0);
    const char *tail = ", parameter_number_38, parameter_number_39";
    size_t n = strlen(r.message);
    assert_true(n > 511);
    assert_string_equal(r.message + n - strlen(tail), tail);
    maal_result_release(&r);
}

/* ---- a Lua reporter's failure: a diagnostic at the reporter's file ---- */

static void report_with(const char *name, struct maal_report *rp, struct maal_limits *lim)
{
    maal_limits_default(lim);
    memset(rp, 0, sizeof(*rp));
    rp->lang = MAAL_LANG_EN;
    rp->lua_path = path_of(name);
    rp->limits = lim;
    maal_reporter_lua.begin(rp);
    maal_reporter_lua.end(rp);
}

static void test_eval_reporter_failure_is_a_diagnostic(void **state)
{
    (void)state;
    write_file("fails.lua", "return { report = function(data, out)\n"
                            "  error('no room for the chart')\n"
                            "end }\n");
    struct maal_limits lim;
    struct maal_report rp;
    report_with("fails.lua", &rp, &lim);
    assert_false(rp.out.oom);
    assert_int_equal(rp.diags.n, 1);
    const struct maal_diag *x = &rp.diags.v[0];
    assert_int_equal(x->sev, MAAL_SEV_ERROR);
    assert_string_equal(x->file, path_of("fails.lua"));
    assert_int_equal(x->line, 0); /* the reporter's message says where */
    assert_int_equal(x->col, 0);
    char want[PATH_MAX + 64];
    snprintf(want, sizeof(want), "%s:2: no room for the chart", path_of("fails.lua"));
    /* Lua shortens a long chunk name: then only the message's end is compared */
    const char *m = x->msg, *w = strrchr(want, '/');
    assert_non_null(strstr(m, w));
    assert_string_equal(m + strlen(m) - strlen(w), w);
    maal_buf_release(&rp.out);
    maal_diags_release(&rp.diags);

    report_with("missing.lua", &rp, &lim);
    assert_int_equal(rp.diags.n, 1);
    assert_string_equal(rp.diags.v[0].file, path_of("missing.lua"));
    assert_int_equal(rp.diags.v[0].line, 0);
    assert_non_null(strstr(rp.diags.v[0].msg, "missing.lua"));
    maal_buf_release(&rp.out);
    maal_diags_release(&rp.diags);
}

/* A reporter's long message is cut where it was (511 bytes), but visibly, with '…': through a
 * buffer of 512 bytes it was cut silently. */
static void test_eval_reporter_long_message_cut_visibly(void **state)
{
    (void)state;
    write_file("long.lua", "return { report = function(data, out)\n"
                           "  error(string.rep('x', 900), 0)\n"
                           "end }\n");
    struct maal_limits lim;
    struct maal_report rp;
    report_with("long.lua", &rp, &lim);
    assert_int_equal(rp.diags.n, 1);
    const char *m = rp.diags.v[0].msg;
    assert_int_equal(strlen(m), 511 + strlen("…"));
    assert_int_equal(strspn(m, "x"), 511);
    assert_string_equal(m + 511, "…");
    maal_buf_release(&rp.out);
    maal_diags_release(&rp.diags);
}

/* ---- maal rules: a rule file's problem is a diagnostic at the file ---- */

static void describe(const char *name, const char *src, struct maal_rule_info *info)
{
    if (src)
        write_file(name, src);
    struct maal_limits lim;
    maal_limits_default(&lim);
    assert_int_not_equal(maal_rule_describe(path_of(name), &lim, MAAL_LANG_EN, info), MAAL_OK);
    assert_int_equal(info->problems.n, 1);
    assert_int_equal(info->problems.v[0].sev, MAAL_SEV_ERROR);
    assert_string_equal(info->problems.v[0].file, path_of(name));
    assert_int_equal(info->problems.v[0].col, 0);
    assert_ptr_equal(maal_rule_info_problem(info, MAAL_LANG_EN), info->problems.v[0].msg);
}

static void test_rule_describe_problem_is_a_diagnostic(void **state)
{
    (void)state;
    struct maal_rule_info info;
    /* a syntax error: Lua's first line, and its line in the rule file */
    describe("syntax.lua", "-- a rule\nreturn {\n  title = 'x'\n  evaluate = 1\n}\n", &info);
    assert_int_equal(info.problems.v[0].line, 4);
    char want[PATH_MAX + 128];
    snprintf(want, sizeof(want), "%s:4: '}' expected (to close '{' at line 2) near 'evaluate'",
             path_of("syntax.lua"));
    assert_string_equal(info.problems.v[0].msg, want);
    assert_string_equal(info.doc, "a rule\n"); /* what could be read is kept */
    maal_rule_info_release(&info);
    assert_null(maal_rule_info_problem(&info, MAAL_LANG_EN));

    /* no 'evaluate': no line */
    describe("noeval.lua", "return { title = 'T' }\n", &info);
    assert_int_equal(info.problems.v[0].line, 0);
    assert_string_equal(info.problems.v[0].msg, "lacks 'evaluate'");
    assert_string_equal(info.title, "T");
    maal_rule_info_release(&info);

    /* an error raised in a helper the rule requires names the helper: no line of the rule */
    write_file("helper.lua", "error('broken helper')\n");
    describe("useshelper.lua", "local h = require('helper')\nreturn { evaluate = h }\n", &info);
    assert_int_equal(info.problems.v[0].line, 0);
    assert_non_null(strstr(info.problems.v[0].msg, "broken helper"));
    maal_rule_info_release(&info);

    /* a file that cannot be read */
    describe("absent.lua", NULL, &info);
    assert_int_equal(info.problems.v[0].line, 0);
    assert_non_null(strstr(info.problems.v[0].msg, "absent.lua"));
    maal_rule_info_release(&info);
}

/* The problem's text comes from the rule file: it is cleaned, never a terminal control. */
static void test_rule_describe_problem_cleaned(void **state)
{
    (void)state;
    struct maal_rule_info info;
    describe("esc.lua", "error('bad \\27]0;title\\7 rule', 0)\n", &info);
    assert_string_equal(info.problems.v[0].msg, "bad  ]0;title  rule");
    maal_rule_info_release(&info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_refusal_is_the_error_verdict),
        cmocka_unit_test(test_results_read_in_one_pass),
        cmocka_unit_test(test_results_long_verdict_said_whole),
        cmocka_unit_test(test_results_long_key_said_whole_in_a_run),
        cmocka_unit_test(test_results_rule_without_evaluate),
        cmocka_unit_test(test_results_long_params_reason_said_whole),
        cmocka_unit_test(test_eval_reporter_failure_is_a_diagnostic),
        cmocka_unit_test(test_eval_reporter_long_message_cut_visibly),
        cmocka_unit_test(test_rule_describe_problem_is_a_diagnostic),
        cmocka_unit_test(test_rule_describe_problem_cleaned),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
