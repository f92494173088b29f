/* test_api: the public interface (include/maal.h) as an embedding program uses it: only
 * <maal.h> is included, every handle is opaque. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <maal.h>

/* Worked out by hand: burglary 40 -> 45 (fail, +5), theft 30 -> 20 (pass), and a monitor. */
static const char DATA[] = "maal: 1\n"
                           "partnership:\n"
                           "  id: p\n"
                           "  name: P\n"
                           "  period: {from: 2020, to: 2023}\n"
                           "  baselines: {crime: 2020}\n"
                           "series:\n"
                           "  - id: indbrud\n"
                           "    name: Indbrud\n"
                           "    kind: crime\n"
                           "    unit: count\n"
                           "    values:\n"
                           "      area: {2020: 40, 2021: 45}\n"
                           "  - id: tyveri\n"
                           "    name: Tyveri\n"
                           "    kind: crime\n"
                           "    unit: count\n"
                           "    values:\n"
                           "      area: {2020: 30, 2021: 20}\n"
                           "goals:\n"
                           "  - {id: indbrud, title: Indbrud, rule: at_most_baseline,\n"
                           "     params: {series: indbrud}}\n"
                           "  - {id: tyveri, title: Tyveri, rule: at_most_baseline,\n"
                           "     params: {series: tyveri}}\n"
                           "  - {id: mon, title: Monitor, rule: monitor, params: {series: tyveri}}\n";

struct fx {
    maal_engine *e;
    maal_diags *d;
    maal_partnership *p;
    maal_check *c;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    f->e = maal_engine_new();
    f->d = maal_diags_new();
    *state = f;
    return f && f->e && f->d ? 0 : -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    maal_check_free(f->c);
    maal_partnership_free(f->p);
    maal_diags_free(f->d);
    maal_engine_free(f->e);
    free(f);
    return 0;
}

static void load_and_check(struct fx *f)
{
    assert_int_equal(maal_load_buffer(f->e, "mem/p.yaml", DATA, strlen(DATA), &f->p, f->d), MAAL_OK);
    assert_non_null(f->p);
    assert_int_equal(maal_check_run(f->e, f->p, &f->c, f->d), MAAL_OK);
    assert_int_equal(maal_diags_errors(f->d), 0);
}

static void test_api_version(void **state)
{
    (void)state;
    assert_string_equal(maal_version(), MAAL_VERSION);
    assert_true(MAAL_VERSION_NUM == MAAL_VERSION_MAJOR * 10000 + MAAL_VERSION_MINOR * 100 +
                                        MAAL_VERSION_PATCH);
    assert_string_equal(maal_verdict_name(MAAL_FAIL), "fail");
    assert_string_equal(maal_verdict_name(MAAL_WAIVED), "waived");
    assert_null(maal_verdict_name(MAAL_NVERDICTS));
}

static void test_api_check_results(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    assert_string_equal(maal_partnership_id(f->p), "p");
    assert_string_equal(maal_partnership_file(f->p), "mem/p.yaml");
    assert_int_equal(maal_partnership_latest_year(f->p), 2021);
    assert_int_equal(maal_check_year(f->c), 2021);
    assert_ptr_equal(maal_check_partnership(f->c), f->p);
    assert_int_equal(maal_check_count(f->c), 3);
    assert_int_equal(maal_check_count_verdict(f->c, MAAL_FAIL), 1);
    assert_int_equal(maal_check_count_verdict(f->c, MAAL_PASS), 1);
    assert_int_equal(maal_check_count_verdict(f->c, MAAL_INFO), 1);
    const maal_result *r = maal_check_result(f->c, 0);
    assert_non_null(r);
    assert_null(maal_check_result(f->c, 3));
    assert_string_equal(maal_result_goal(r), "indbrud");
    assert_string_equal(maal_result_title(r), "Indbrud");
    assert_string_equal(maal_result_rule(r), "at_most_baseline");
    assert_int_equal(maal_result_verdict(r), MAAL_FAIL);
    assert_int_equal(maal_result_underlying_verdict(r), MAAL_FAIL);
    assert_int_equal(maal_result_year(r), 2021);
    assert_int_equal(maal_result_baseline_year(r), 2020);
    double v = 0;
    assert_true(maal_result_actual(r, &v));
    assert_true(v == 45);
    assert_true(maal_result_baseline(r, &v));
    assert_true(v == 40);
    assert_true(maal_result_change(r, &v));
    assert_true(v == 5);
    assert_false(maal_result_target(r, &v));
    assert_string_equal(maal_result_op(r), "<=");
    assert_string_equal(maal_result_unit(r), "count");
    assert_non_null(strstr(maal_result_message(r), "45 i 2021 mod 40 i 2020 (+5)"));
    /* the first source is the value of 2021: line 13, the '45' */
    assert_true(maal_result_source_count(r) >= 2);
    const char *file, *what;
    int line, col;
    assert_int_equal(maal_result_source(r, 0, &file, &line, &col, &what), MAAL_OK);
    assert_string_equal(file, "mem/p.yaml");
    assert_int_equal(line, 13);
    assert_int_equal(col, 30);
    assert_string_equal(what, "indbrud area 2021");
    assert_int_equal(maal_result_source(r, 99, &file, &line, &col, &what), MAAL_ERR_USAGE);
    assert_int_equal(maal_result_source(r, 0, NULL, NULL, NULL, NULL), MAAL_OK);
}

/* maal.h: "A check borrows its partnership" and nothing else: the engine that made them can
 * go first, and every string a result gives is still there (ASan would see a use after free). */
static void test_api_engine_freed_first(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    maal_engine_free(f->e);
    f->e = NULL;
    const maal_result *r = maal_check_result(f->c, 0);
    assert_string_equal(maal_partnership_id(maal_check_partnership(f->c)), "p");
    assert_string_equal(maal_result_goal(r), "indbrud");
    assert_string_equal(maal_result_rule(r), "at_most_baseline");
    assert_string_equal(maal_result_group(r), "andet");
    assert_non_null(strstr(maal_result_message(r), "45 i 2021 mod 40 i 2020 (+5)"));
    const char *file, *what;
    int line, col;
    assert_int_equal(maal_result_source(r, 0, &file, &line, &col, &what), MAAL_OK);
    assert_string_equal(file, "mem/p.yaml");
    assert_string_equal(what, "indbrud area 2021");
    /* a second engine renders the first one's check */
    maal_engine *e2 = maal_engine_new();
    assert_non_null(e2);
    char *text = NULL;
    size_t len = 0;
    const maal_check *cs[] = {f->c};
    assert_int_equal(maal_report_render(e2, cs, 1, "text", &text, &len, f->d), MAAL_OK);
    assert_non_null(strstr(text, "indbrud"));
    maal_text_free(text);
    maal_engine_free(e2);
}

static void test_api_english_and_year(void **state)
{
    struct fx *f = *state;
    assert_int_equal(maal_engine_set_lang(f->e, MAAL_LANG_EN), MAAL_OK);
    assert_int_equal(maal_engine_set_year(f->e, 1800), MAAL_ERR_USAGE);
    assert_int_equal(maal_engine_set_year(f->e, 2020), MAAL_OK);
    load_and_check(f);
    const maal_result *r = maal_check_result(f->c, 0);
    assert_int_equal(maal_check_year(f->c), 2020);
    assert_int_equal(maal_result_verdict(r), MAAL_NODATA); /* nothing after the baseline */
    assert_non_null(strstr(maal_result_message(r), "no value for 'Indbrud' after the baseline year"));
}

static void test_api_select_goal(void **state)
{
    struct fx *f = *state;
    assert_int_equal(maal_engine_select_goal(f->e, "tyveri"), MAAL_OK);
    load_and_check(f);
    assert_int_equal(maal_check_count(f->c), 1);
    assert_string_equal(maal_result_goal(maal_check_result(f->c, 0)), "tyveri");
    assert_int_equal(maal_result_verdict(maal_check_result(f->c, 0)), MAAL_PASS);
}

static void test_api_invalid_data(void **state)
{
    struct fx *f = *state;
    static const char bad[] = "maal: 1\npartnership: {id: x, nmae: X}\n";
    assert_int_equal(maal_load_buffer(f->e, "bad.yaml", bad, strlen(bad), &f->p, f->d),
                     MAAL_ERR_INVALID);
    assert_null(f->p);
    assert_true(maal_diags_errors(f->d) >= 1);
    assert_true(maal_diags_size(f->d) >= maal_diags_errors(f->d));
    enum maal_severity sev;
    const char *file, *msg;
    int line, col;
    bool named = false;
    for (size_t i = 0; i < maal_diags_size(f->d); i++) {
        assert_int_equal(maal_diags_get(f->d, i, &sev, &file, &line, &col, &msg), MAAL_OK);
        assert_string_equal(file, "bad.yaml");
        if (strstr(msg, "'nmae'")) {
            named = true;
            assert_int_equal(sev, MAAL_SEV_ERROR);
            assert_int_equal(line, 2);
            assert_int_equal(col, 22);
        }
    }
    assert_true(named);
    assert_int_equal(maal_diags_get(f->d, 999, &sev, &file, &line, &col, &msg), MAAL_ERR_USAGE);
}

static void test_api_missing_file(void **state)
{
    struct fx *f = *state;
    assert_int_not_equal(maal_load_file(f->e, "/nonexistent/p.yaml", &f->p, f->d), MAAL_OK);
    assert_null(f->p);
    const char *file;
    assert_int_equal(maal_diags_get(f->d, 0, NULL, &file, NULL, NULL, NULL), MAAL_OK);
    assert_string_equal(file, "/nonexistent/p.yaml");
}

static void test_api_no_goals(void **state)
{
    struct fx *f = *state;
    static const char nogoals[] =
        "maal: 1\npartnership: {id: x, name: X, period: {from: 2020, to: 2021}}\ngoals: []\n";
    assert_int_equal(maal_load_buffer(f->e, "ng.yaml", nogoals, strlen(nogoals), &f->p, f->d), MAAL_OK);
    assert_int_equal(maal_check_run(f->e, f->p, &f->c, f->d), MAAL_ERR_INVALID);
    assert_null(f->c);
    assert_int_equal(maal_diags_errors(f->d), 1);
}

static void test_api_report(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    const maal_check *cs[] = {f->c};
    char *text;
    size_t len;
    assert_int_equal(maal_report_render(f->e, cs, 1, "json", &text, &len, f->d), MAAL_OK);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "\"goal\": \"indbrud\""));
    assert_non_null(strstr(text, "\"verdict\": \"fail\""));
    maal_text_free(text);
    assert_int_equal(maal_report_render(f->e, cs, 1, "text", &text, &len, f->d), MAAL_OK);
    assert_non_null(strstr(text, "ikke opfyldt"));
    maal_text_free(text);
    assert_int_equal(maal_report_render(f->e, cs, 1, "nosuch", &text, &len, f->d), MAAL_ERR_USAGE);
    assert_null(text);
}

/* --history through the library: one entry per year from the period's start (2020) to the
 * evaluated year (2021), each the verdict a check of that year gives. */
static void test_api_history(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    assert_int_equal(maal_result_history_count(maal_check_result(f->c, 0)), 0);
    maal_check_free(f->c);
    f->c = NULL;
    assert_int_equal(maal_engine_set_history(f->e, true), MAAL_OK);
    assert_int_equal(maal_check_run(f->e, f->p, &f->c, f->d), MAAL_OK);
    const maal_result *r = maal_check_result(f->c, 0);
    assert_int_equal(maal_result_history_count(r), 2);
    int year;
    enum maal_verdict v;
    assert_int_equal(maal_result_history(r, 1, &year, &v), MAAL_OK);
    assert_int_equal(year, 2021);
    assert_int_equal(v, MAAL_FAIL);
    assert_int_equal(maal_result_history(r, 2, &year, &v), MAAL_ERR_USAGE);
    assert_int_equal(maal_result_history(r, 0, &year, &v), MAAL_OK);
    assert_int_equal(year, 2020);
    /* the same as a check of 2020 */
    maal_engine *e2020 = maal_engine_new();
    maal_check *c2020;
    assert_int_equal(maal_engine_set_year(e2020, 2020), MAAL_OK);
    assert_int_equal(maal_check_run(e2020, f->p, &c2020, f->d), MAAL_OK);
    assert_int_equal(v, maal_result_verdict(maal_check_result(c2020, 0)));
    assert_int_equal(v, MAAL_NODATA); /* no figure after the baseline year yet */
    maal_check_free(c2020);
    maal_engine_free(e2020);
}

/* The workbook is binary: its bytes come back whole, NULs and all, with *len. */
static void test_api_report_xlsx(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    const maal_check *cs[] = {f->c};
    char *text;
    size_t len;
    assert_int_equal(maal_report_render(f->e, cs, 1, "xlsx", &text, &len, f->d), MAAL_OK);
    assert_true(len > 1000);
    assert_memory_equal(text, "PK\x03\x04", 4);
    assert_true(strlen(text) < len);
    /* a zip ends with its end-of-central-directory record: nothing was cut off */
    assert_memory_equal(text + len - 22, "PK\x05\x06", 4);
    maal_text_free(text);
}

static void test_api_options_and_null(void **state)
{
    struct fx *f = *state;
    assert_int_equal(maal_engine_set_today(f->e, "2024-13-01"), MAAL_ERR_USAGE);
    /* the check the command line's --today uses is the one the engine applies */
    assert_false(maal_date_valid(" 1999-1-01"));
    assert_false(maal_date_valid("1899-12-31"));
    assert_false(maal_date_valid(NULL));
    assert_true(maal_date_valid("9999-12-31"));
    assert_int_equal(maal_engine_set_today(f->e, " 1999-1-01"), MAAL_ERR_USAGE);
    assert_int_equal(maal_engine_set_today(f->e, "2024-06-01"), MAAL_OK);
    assert_int_equal(maal_engine_set_today(f->e, NULL), MAAL_OK);
    assert_int_equal(maal_engine_set_limits(f->e, -1, 0, 0), MAAL_ERR_USAGE);
    assert_int_equal(maal_engine_set_limits(f->e, 2, 0, 0), MAAL_OK);
    assert_int_equal(maal_engine_add_rule_dir(f->e, NULL), MAAL_ERR_USAGE);
    load_and_check(f);
    /* the search path is read at the first use: later changes are refused, not ignored */
    assert_int_equal(maal_engine_add_rule_dir(f->e, "/tmp"), MAAL_ERR_USAGE);
    maal_check_free(NULL);
    maal_partnership_free(NULL);
    maal_diags_free(NULL);
    maal_engine_free(NULL);
    assert_int_equal(maal_check_count(NULL), 0);
    assert_null(maal_result_goal(NULL));
}

/* A worker with a goal hook, as the command line's backstop uses it: the hook gives up the
 * second goal (its message becomes the verdict 'error'), the others run between begin and end,
 * and the data is built (restart) once, for the first goal. */
struct hook_log {
    int begins, ends, restarts, restart_goal;
};

static const char *hk_begin(void *ud, size_t goal)
{
    struct hook_log *h = ud;
    h->begins++;
    return goal == 1 ? "stopped from outside" : NULL;
}

static void hk_restart(void *ud, size_t goal)
{
    struct hook_log *h = ud;
    h->restarts++;
    h->restart_goal = (int)goal;
}

static void hk_end(void *ud, size_t goal)
{
    (void)goal;
    struct hook_log *h = ud;
    h->ends++;
}

static void test_api_worker_goal_hook(void **state)
{
    struct fx *f = *state;
    assert_int_equal(maal_engine_prepare(f->e, f->d), MAAL_OK);
    maal_worker *w;
    assert_int_equal(maal_worker_new(f->e, &w, f->d), MAAL_OK);
    assert_int_equal(maal_load_buffer(f->e, "mem/p.yaml", DATA, strlen(DATA), &f->p, f->d), MAAL_OK);
    struct hook_log h = {0, 0, 0, -1};
    struct maal_goal_hook hook = {hk_begin, hk_restart, hk_end, &h};
    maal_worker_set_goal_hook(w, &hook);
    assert_int_equal(maal_worker_check(w, f->p, &f->c, f->d), MAAL_OK);
    maal_worker_free(w);
    assert_int_equal(maal_check_count(f->c), 3);
    assert_int_equal(maal_result_verdict(maal_check_result(f->c, 0)), MAAL_FAIL);
    assert_int_equal(maal_result_verdict(maal_check_result(f->c, 1)), MAAL_ERROR);
    assert_string_equal(maal_result_message(maal_check_result(f->c, 1)), "stopped from outside");
    assert_int_equal(maal_result_verdict(maal_check_result(f->c, 2)), MAAL_INFO);
    assert_int_equal(h.begins, 3);
    assert_int_equal(h.ends, 2);
    assert_int_equal(h.restarts, 1);
    assert_int_equal(h.restart_goal, 0);
}

/* validate: a param the rule does not know is the data's error, at the param; a good file has
 * nothing to say. */
static void test_api_worker_validate(void **state)
{
    struct fx *f = *state;
    maal_worker *w;
    assert_int_equal(maal_worker_new(f->e, &w, f->d), MAAL_OK);
    assert_int_equal(maal_load_buffer(f->e, "mem/p.yaml", DATA, strlen(DATA), &f->p, f->d), MAAL_OK);
    size_t nrule = 99;
    assert_int_equal(maal_worker_validate(w, f->p, f->d, &nrule), MAAL_OK);
    assert_int_equal(nrule, 0);
    assert_int_equal(maal_diags_size(f->d), 0);
    maal_partnership_free(f->p);
    f->p = NULL;
    char bad[sizeof(DATA) + 16];
    const char *at = strstr(DATA, "{series: tyveri}}\n  - {id: mon");
    assert_non_null(at);
    snprintf(bad, sizeof(bad), "%.*s{series: tyveri, seris: 1}}%s", (int)(at - DATA), DATA,
             at + strlen("{series: tyveri}}"));
    assert_int_equal(maal_load_buffer(f->e, "mem/p.yaml", bad, strlen(bad), &f->p, f->d), MAAL_OK);
    assert_int_equal(maal_worker_validate(w, f->p, f->d, &nrule), MAAL_ERR_INVALID);
    assert_int_equal(nrule, 0);
    assert_int_equal(maal_diags_errors(f->d), 1);
    const char *msg;
    int line;
    assert_int_equal(maal_diags_get(f->d, 0, NULL, NULL, &line, NULL, &msg), MAAL_OK);
    assert_int_equal(line, 24); /* the line of the unknown key 'seris' */
    assert_non_null(strstr(msg, "'seris'"));
    maal_worker_free(w);
}

/* A streamed report, taken piece by piece, is the rendered one; ended twice is a usage error. */
static void test_api_report_stream(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    const char *formats[] = {"text", "json", "markdown", "junit"};
    for (size_t k = 0; k < 4; k++) {
        char *whole;
        size_t wlen;
        const maal_check *cs[] = {f->c, f->c};
        assert_int_equal(maal_report_render(f->e, cs, 2, formats[k], &whole, &wlen, f->d), MAAL_OK);
        maal_report_stream *s;
        assert_int_equal(maal_report_begin(f->e, formats[k], NULL, &s, f->d), MAAL_OK);
        char *got = NULL;
        size_t glen = 0;
        FILE *g = open_memstream(&got, &glen);
        size_t len;
        const char *t;
        for (int i = 0; i < 2; i++) {
            maal_report_add(s, f->c);
            t = maal_report_take(s, &len);
            fwrite(t, 1, len, g);
        }
        assert_int_equal(maal_report_end(s, NULL, f->d), MAAL_OK);
        t = maal_report_take(s, &len);
        fwrite(t, 1, len, g);
        assert_int_equal(maal_report_end(s, NULL, f->d), MAAL_ERR_USAGE);
        maal_report_free(s);
        fclose(g);
        assert_int_equal(glen, wlen);
        assert_memory_equal(got, whole, wlen);
        free(got);
        maal_text_free(whole);
    }
    maal_report_stream *s;
    assert_int_equal(maal_report_begin(f->e, "no-such-format", NULL, &s, f->d), MAAL_ERR_USAGE);
    assert_null(s);
    assert_true(maal_report_known(f->e, "tap"));
    assert_false(maal_report_known(f->e, "tapp"));
    char buf[64];
    assert_string_equal(maal_report_format_of_path(f->e, "out/status.HTML", buf, sizeof(buf)),
                        "html");
    assert_string_equal(maal_report_format_of_path(f->e, "out.d/status", buf, sizeof(buf)), "text");
}

/* The check's own JSON report, written to a new file 'path' (a mkstemp template). */
static void write_own_json(struct fx *f, char *path)
{
    char *json;
    size_t len;
    const maal_check *cs[] = {f->c};
    assert_int_equal(maal_report_render(f->e, cs, 1, "json", &json, &len, f->d), MAAL_OK);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    fwrite(json, 1, len, out);
    fclose(out);
    maal_text_free(json);
}

/* The previous result: the check's own JSON report, compared with the same check, is all
 * unchanged; compared with itself in a diff, nothing changed; a missing file is said. */
static void test_api_previous(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    char path[] = "/tmp/maal-test-api-XXXXXX";
    write_own_json(f, path);
    maal_previous *prev, *again;
    assert_int_equal(maal_previous_load(path, MAAL_LANG_DA, &prev, f->d), MAAL_OK);
    maal_check_compare(f->c, prev);
    assert_int_equal(maal_previous_finish(prev, f->e), MAAL_OK);
    struct maal_change_counts c;
    maal_previous_counts(prev, &c);
    assert_int_equal(c.unchanged, 3);
    assert_int_equal(c.added + c.verdict + c.values + c.removed + c.regressions, 0);
    assert_int_equal(maal_previous_regressions(prev), 0);
    maal_previous_free(prev);
    assert_int_equal(maal_previous_load(path, MAAL_LANG_EN, &prev, f->d), MAAL_OK);
    /* what the saved result says of a goal: its number and where it came from, the result's
     * first data source (the one after the goal's own), by (partnership, goal) or "p/goal" */
    const maal_result *r = maal_check_result(f->c, 0);
    const char *sfile, *swhat, *pfile, *pwhat, *unit;
    int sline, scol, pline, pcol;
    double v, want;
    bool has;
    assert_int_equal(maal_result_source(r, 0, &sfile, &sline, &scol, &swhat), MAAL_OK);
    assert_true(maal_result_actual(r, &want));
    assert_int_equal(maal_previous_number(prev, "p", maal_result_goal(r), "actual", &has, &v),
                     MAAL_OK);
    assert_int_equal(maal_previous_unit(prev, "p", maal_result_goal(r), &unit), MAAL_OK);
    assert_true(has);
    assert_true(v == want);
    assert_string_equal(unit, maal_result_unit(r));
    assert_int_equal(maal_previous_source(prev, "p", maal_result_goal(r), &pfile, &pline, &pcol,
                                          &pwhat),
                     MAAL_OK);
    assert_string_equal(pfile, sfile);
    assert_int_equal(pline, sline);
    assert_int_equal(pcol, scol);
    assert_string_equal(pwhat, swhat);
    assert_int_equal(maal_previous_source(prev, "p/indbrud", NULL, NULL, &pline, NULL, NULL),
                     MAAL_OK);
    assert_int_equal(pline, sline);
    assert_int_equal(maal_previous_number(prev, "p", "indbrud", "actual", &has, &v), MAAL_OK);
    assert_true(has && v == want);
    assert_true(maal_result_baseline(r, &want));
    assert_int_equal(maal_previous_number(prev, "p/indbrud", NULL, "baseline", &has, &v), MAAL_OK);
    assert_true(has && v == want);
    assert_int_equal(maal_previous_number(prev, "p", "indbrud", "change", &has, &v),
                     MAAL_ERR_USAGE);
    assert_int_equal(maal_previous_unit(prev, "p", "nope", &unit), MAAL_ERR_USAGE);
    assert_int_equal(maal_previous_source(prev, "p-indbrud", NULL, &pfile, NULL, NULL, NULL),
                     MAAL_ERR_USAGE);
    assert_int_equal(maal_previous_load(path, MAAL_LANG_EN, &again, f->d), MAAL_OK);
    struct maal_change *lines;
    size_t n = 99;
    assert_int_equal(maal_previous_diff(prev, again, &lines, &n), MAAL_OK);
    assert_int_equal(n, 0);
    maal_text_free(lines);
    maal_previous_free(prev);
    maal_previous_free(again);
    unlink(path);
    assert_int_equal(maal_diags_size(f->d), 0);
    assert_int_not_equal(maal_previous_load(path, MAAL_LANG_EN, &prev, f->d), MAAL_OK);
    assert_null(prev);
    const char *file;
    assert_int_equal(maal_diags_get(f->d, 0, NULL, &file, NULL, NULL, NULL), MAAL_OK);
    assert_string_equal(file, path);
}

/* Text from a file escaped as the reports escape it, and a number with its unit. */
static void test_api_escape_quantity(void **state)
{
    (void)state;
    static const struct {
        const char *fmt, *in, *out;
    } cases[] = {
        {"text", "a\n::error::x\x1b[31m", "a ::error::x [31m"},
        {"markdown", "[l](u) <b>_x_</b> `c`", "\\[l\\](u) \\<b\\>\\_x\\_\\</b\\> \\`c\\`"},
        {"github", "50% a,b:c\r\n::x", "50%25 a,b:c%0D%0A::x"},
        {"github-property", "a.csv,line=1::x\n", "a.csv%2Cline=1%3A%3Ax%0A"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *e = maal_escape(cases[i].in, cases[i].fmt);
        assert_non_null(e);
        assert_string_equal(e, cases[i].out);
        maal_text_free(e);
    }
    assert_null(maal_escape("x", "html"));
    char q[80];
    assert_string_equal(maal_fmt_quantity(q, sizeof(q), 1719000, "kr", MAAL_LANG_DA),
                        "1.719.000 kr.");
    assert_string_equal(maal_fmt_quantity(q, sizeof(q), 1719000, "kr", MAAL_LANG_EN),
                        "1,719,000 DKK");
    assert_string_equal(maal_fmt_quantity(q, sizeof(q), 24.5, "percent", MAAL_LANG_DA), "24,5 %");
    assert_string_equal(maal_fmt_quantity(q, sizeof(q), 18.7, "per_1000", MAAL_LANG_DA),
                        "18,7 pr. 1000 indb.");
    assert_string_equal(maal_fmt_quantity(q, sizeof(q), 27, "count", MAAL_LANG_DA), "27");
    assert_string_equal(maal_fmt_quantity(q, sizeof(q), 27, "x\n::error::", MAAL_LANG_DA), "27");
}

/* ---- report parts: formatted on several threads, added in order ---- */

struct part_job {
    const maal_report_stream *s;
    const maal_previous *prev;
    maal_check *const *checks;
    maal_report_part **parts;
    size_t from, n, step;
};

/* Looks up and formats checks from, from + step, ... on its own thread. */
static void *format_parts(void *arg)
{
    struct part_job *j = arg;
    for (size_t i = j->from; i < j->n; i += j->step) {
        if (j->prev)
            maal_check_compare_lookup(j->checks[i], j->prev);
        j->parts[i] = maal_report_format_part(j->s, j->checks[i]);
    }
    return NULL;
}

/* Formats checks[0..n-1] on two threads at once (even and odd), both running while the
 * stream is begun; the parts are then added in order and the report ended: its text. */
static char *report_in_parts(struct fx *f, const char *format, maal_check *const *checks,
                             size_t n, maal_previous *prev, size_t *len)
{
    maal_report_stream *s;
    assert_int_equal(maal_report_begin(f->e, format, NULL, &s, f->d), MAAL_OK);
    maal_report_part *parts[8] = {NULL};
    struct part_job a = {s, prev, checks, parts, 0, n, 2}, b = {s, prev, checks, parts, 1, n, 2};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, format_parts, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, format_parts, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    char *got = NULL;
    size_t glen = 0, l;
    FILE *g = open_memstream(&got, &glen);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(parts[i]);
        if (prev)
            maal_previous_note(prev, checks[i]);
        maal_report_add_part(s, parts[i]);
        const char *t = maal_report_take(s, &l);
        fwrite(t, 1, l, g);
    }
    assert_int_equal(maal_report_end(s, prev, f->d), MAAL_OK);
    const char *t = maal_report_take(s, &l);
    fwrite(t, 1, l, g);
    maal_report_free(s);
    fclose(g);
    *len = glen;
    return got;
}

/* Every format made of parts from two threads is the report made at once, byte for byte: the
 * separators, TAP's running numbers (1..9), HTML's section ordinals (p1..p3) and overview
 * rows, the totals of text, github and json. */
static void test_api_report_parts(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    static const char *const DATA2_FROM = "  id: p\n", *const DATA2_TO = "  id: q\n";
    char data2[sizeof(DATA) + 8];
    const char *at = strstr(DATA, DATA2_FROM);
    snprintf(data2, sizeof(data2), "%.*s%s%s", (int)(at - DATA), DATA, DATA2_TO,
             at + strlen(DATA2_FROM));
    maal_partnership *p2;
    maal_check *c2;
    assert_int_equal(maal_load_buffer(f->e, "mem/q.yaml", data2, strlen(data2), &p2, f->d),
                     MAAL_OK);
    assert_int_equal(maal_check_run(f->e, p2, &c2, f->d), MAAL_OK);
    maal_check *checks[] = {f->c, c2, f->c};
    const char *formats[] = {"text", "json", "junit", "tap", "markdown", "html", "github"};
    for (size_t k = 0; k < sizeof(formats) / sizeof(formats[0]); k++) {
        char *whole;
        size_t wlen, glen;
        assert_int_equal(maal_report_render(f->e, (const maal_check *const *)checks, 3,
                                            formats[k], &whole, &wlen, f->d),
                         MAAL_OK);
        char *got = report_in_parts(f, formats[k], checks, 3, NULL, &glen);
        assert_int_equal(glen, wlen);
        assert_memory_equal(got, whole, wlen);
        if (!strcmp(formats[k], "tap"))
            assert_non_null(strstr(got, "\nok 9 - p/mon"));
        if (!strcmp(formats[k], "html"))
            assert_non_null(strstr(got, "id=\"p3\" data-partnership=\"p\""));
        free(got);
        maal_text_free(whole);
    }
    /* xlsx formats when the part is added (on the stream's thread): still a workbook */
    size_t xlen;
    char *x = report_in_parts(f, "xlsx", checks, 3, NULL, &xlen);
    assert_true(xlen > 100 && !memcmp(x, "PK", 2));
    free(x);
    /* a part not added is freed; NULL (out of memory) fails the report; another stream's part
     * is not added */
    maal_report_stream *s, *other;
    assert_int_equal(maal_report_begin(f->e, "text", NULL, &s, f->d), MAAL_OK);
    assert_int_equal(maal_report_begin(f->e, "json", NULL, &other, f->d), MAAL_OK);
    maal_report_part_free(maal_report_format_part(s, f->c));
    maal_report_part_free(NULL);
    assert_null(maal_report_format_part(s, NULL));
    maal_report_add_part(s, maal_report_format_part(other, f->c));
    size_t l;
    maal_report_take(s, &l);
    assert_int_equal(l, 0);
    maal_report_add_part(s, NULL);
    assert_int_equal(maal_report_end(s, NULL, f->d), MAAL_ERR_NOMEM);
    maal_report_free(s);
    maal_report_free(other);
    maal_check_free(c2);
    maal_partnership_free(p2);
}

/* --compare in two halves: the lookups on two threads, the notes in order, count what
 * maal_check_compare counts; a partnership noted twice is new the second time. */
static void test_api_compare_parts(void **state)
{
    struct fx *f = *state;
    load_and_check(f);
    char path[] = "/tmp/maal-test-api-XXXXXX";
    write_own_json(f, path);
    maal_previous *prev;
    assert_int_equal(maal_previous_load(path, MAAL_LANG_DA, &prev, f->d), MAAL_OK);
    unlink(path);
    maal_check *c2;
    assert_int_equal(maal_check_run(f->e, f->p, &c2, f->d), MAAL_OK);
    maal_check *checks[] = {f->c, c2};
    /* before a note nothing is counted: the lookup only reads */
    maal_check_compare_lookup(f->c, prev);
    struct maal_change_counts c;
    maal_previous_counts(prev, &c);
    assert_int_equal(c.unchanged + c.added, 0);
    size_t glen;
    char *got = report_in_parts(f, "text", checks, 2, prev, &glen);
    free(got);
    maal_previous_counts(prev, &c);
    assert_int_equal(c.unchanged, 3); /* the first */
    assert_int_equal(c.added, 3);     /* the same partnership again: new */
    const maal_result *r = maal_check_result(c2, 0);
    assert_non_null(r);
    assert_int_equal(maal_previous_finish(prev, f->e), MAAL_OK);
    maal_previous_counts(prev, &c);
    assert_int_equal(c.removed, 0);
    maal_previous_free(prev);
    maal_check_free(c2);
}

/* ---- rules, plugins and rule tests (maal rules, plugins, test) ---- */

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void rm_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The index of rule 'name' from 'origin' in r, or -1. */
static long find_rule(const maal_rules *r, const char *name, const char *origin)
{
    struct maal_rule_entry re;
    for (size_t i = 0; maal_rules_get(r, i, &re) == MAAL_OK; i++)
        if (!strcmp(re.name, name) && !strcmp(re.origin, origin))
            return (long)i;
    return -1;
}

/* The rules an engine sees: a --rules folder before the plugins and the standard rules, its
 * 'monitor' shadowing the standard one, a broken rule described with its problem, a data
 * file's own rules/ first of all; rules described in the engine's language. */
static void test_api_rules(void **state)
{
    struct fx *f = *state;
    char dir[] = "/tmp/maal-api-rules-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[600];
    snprintf(sub, sizeof(sub), "%s/rules", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    put(dir, "monitor.lua", "-- mine\n-- second\nreturn { title = 'Min', params = {x = {type = "
                            "'number', required = true}}, evaluate = function() end }\n");
    put(dir, "broken.lua", "return {\n  title = 'x'\n  evaluate = 1\n}\n");
    put(dir, "broken_test.lua", "return {}\n"); /* a test file is not a rule */
    put(sub, "lokal.lua", "return { evaluate = function() end }\n");
    assert_int_equal(maal_engine_set_lang(f->e, MAAL_LANG_EN), MAAL_OK);
    assert_int_equal(maal_engine_add_rule_dir(f->e, dir), MAAL_OK);
    maal_rules *r;
    assert_int_equal(maal_rules_new(f->e, NULL, &r, f->d), MAAL_OK);
    /* the search path: the --rules folder first, the standard rules last */
    const char *path, *origin;
    assert_true(maal_rules_dir_count(r) >= 2);
    assert_int_equal(maal_rules_dir(r, 0, &path, &origin), MAAL_OK);
    assert_string_equal(path, dir);
    assert_string_equal(origin, "--rules");
    assert_int_equal(maal_rules_dir(r, maal_rules_dir_count(r) - 1, NULL, &origin), MAAL_OK);
    assert_string_equal(origin, "standard");
    assert_int_equal(maal_rules_dir(r, maal_rules_dir_count(r), &path, &origin), MAAL_ERR_USAGE);
    /* the folder's rules sorted, first; the standard 'monitor' shadowed by it */
    struct maal_rule_entry re;
    assert_int_equal(maal_rules_get(r, 0, &re), MAAL_OK);
    assert_string_equal(re.name, "broken");
    assert_int_equal(maal_rules_get(r, 1, &re), MAAL_OK);
    assert_string_equal(re.name, "monitor");
    assert_false(re.shadowed);
    assert_int_equal(find_rule(r, "broken_test", "--rules"), -1);
    assert_int_equal(find_rule(r, "lokal", "local"), -1); /* no data file: no local rules */
    long std = find_rule(r, "monitor", "standard");
    assert_true(std > 1);
    assert_int_equal(maal_rules_get(r, (size_t)std, &re), MAAL_OK);
    assert_true(re.shadowed);
    long amb = find_rule(r, "at_most_baseline", "standard");
    assert_true(amb > 1);
    assert_int_equal(maal_rules_get(r, (size_t)amb, &re), MAAL_OK);
    assert_false(re.shadowed);
    assert_int_equal(maal_rules_get(r, maal_rules_count(r), &re), MAAL_ERR_USAGE);
    /* descriptions: the comment on top, the params in English, a problem at the broken one */
    struct maal_rule_about a;
    assert_int_equal(maal_rules_describe(r, 1, &a), MAAL_OK);
    assert_string_equal(a.title, "Min");
    assert_string_equal(a.doc, "mine\nsecond\n");
    assert_string_equal(a.params, "x (number, required)");
    assert_null(a.problem);
    assert_int_equal(maal_rules_describe(r, 0, &a), MAAL_OK);
    assert_non_null(a.problem);
    assert_non_null(strstr(a.problem, "broken.lua:3:"));
    assert_int_equal(maal_rules_describe(r, (size_t)amb, &a), MAAL_OK);
    assert_non_null(a.title);
    assert_non_null(strstr(a.params, "series (string, required)"));
    assert_null(a.problem);
    assert_int_equal(maal_rules_describe(r, maal_rules_count(r), &a), MAAL_ERR_USAGE);
    maal_rules_free(r);
    /* with a data file: its folder's rules/ comes first, as "local" */
    char data[600];
    snprintf(data, sizeof(data), "%s/partnership.yaml", dir);
    assert_int_equal(maal_rules_new(f->e, data, &r, f->d), MAAL_OK);
    assert_int_equal(maal_rules_get(r, 0, &re), MAAL_OK);
    assert_string_equal(re.name, "lokal");
    assert_string_equal(re.origin, "local");
    maal_rules_free(r);
    maal_rules_free(NULL);
    assert_int_equal(maal_rules_new(NULL, NULL, &r, f->d), MAAL_ERR_USAGE);
    assert_null(r);
    assert_int_equal(maal_rules_count(NULL), 0);
    assert_int_equal(maal_diags_size(f->d), 0);
    rm_tree(dir);
}

/* A plugin as 'maal plugins' shows it: what plugin.yaml says, and what it provides, sorted,
 * test files left out. */
static void test_api_plugin_names(void **state)
{
    struct fx *f = *state;
    char root[] = "/tmp/maal-api-plugins-XXXXXX";
    assert_non_null(mkdtemp(root));
    char pd[600], sub[700];
    snprintf(pd, sizeof(pd), "%s/demo", root);
    assert_int_equal(mkdir(pd, 0755), 0);
    put(pd, "plugin.yaml", "name: demo\nversion: 1.2.3\nmaal_api: 1\ndescription: Til prøve\n"
                           "author: Anne\nlicense: MIT\n");
    const char *subs[] = {"rules", "reporters", "goalsets"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(sub, sizeof(sub), "%s/%s", pd, subs[i]);
        assert_int_equal(mkdir(sub, 0755), 0);
    }
    snprintf(sub, sizeof(sub), "%s/rules", pd);
    put(sub, "zeta.lua", "return { evaluate = function() end }\n");
    put(sub, "alfa.lua", "return { evaluate = function() end }\n");
    put(sub, "alfa_test.yaml", "cases: []\n");
    put(sub, "notes.txt", "not a rule\n");
    snprintf(sub, sizeof(sub), "%s/goalsets", pd);
    put(sub, "std.yaml", "maal_goalset: 1\ngoals: []\n");
    assert_int_equal(maal_engine_add_plugin_root(f->e, root), MAAL_OK);
    assert_int_equal(maal_engine_prepare(f->e, f->d), MAAL_OK);
    size_t i = 0;
    struct maal_plugin_info pi;
    while (maal_engine_plugin(f->e, i, &pi) == MAAL_OK && strcmp(pi.name, "demo") != 0)
        i++;
    assert_int_equal(maal_engine_plugin(f->e, i, &pi), MAAL_OK);
    assert_string_equal(pi.dir, pd);
    assert_string_equal(pi.version, "1.2.3");
    assert_string_equal(pi.description, "Til prøve");
    assert_string_equal(pi.author, "Anne");
    assert_string_equal(pi.license, "MIT");
    assert_int_equal(pi.api, 1);
    assert_false(pi.explicit_dir);
    assert_null(pi.problem);
    char **names;
    size_t n = 99;
    assert_int_equal(maal_engine_plugin_names(f->e, i, MAAL_PLUGIN_RULES, &names, &n), MAAL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "alfa");
    assert_string_equal(names[1], "zeta");
    assert_null(names[2]);
    maal_text_free(names);
    assert_int_equal(maal_engine_plugin_names(f->e, i, MAAL_PLUGIN_REPORTERS, &names, &n),
                     MAAL_OK);
    assert_int_equal(n, 0); /* an empty folder */
    assert_null(names[0]);
    maal_text_free(names);
    assert_int_equal(maal_engine_plugin_names(f->e, i, MAAL_PLUGIN_GOALSETS, &names, NULL),
                     MAAL_OK);
    assert_string_equal(names[0], "std");
    assert_null(names[1]);
    maal_text_free(names);
    /* a searched plugin's native module is never loaded: no functions */
    assert_int_equal(maal_engine_plugin_names(f->e, i, MAAL_PLUGIN_NATIVE, &names, &n), MAAL_OK);
    assert_int_equal(n, 0);
    maal_text_free(names);
    assert_int_equal(maal_engine_plugin_names(f->e, i, (enum maal_plugin_part)9, &names, &n),
                     MAAL_ERR_USAGE);
    assert_null(names);
    size_t count = maal_engine_plugin_count(f->e);
    assert_int_equal(maal_engine_plugin_names(f->e, count, MAAL_PLUGIN_RULES, &names, &n),
                     MAAL_ERR_USAGE);
    assert_null(names);
    rm_tree(root);
}

/* A rule test file for the standard at_most_baseline, with one case of each outcome. */
static const char RULE_TEST[] =
    "rule: at_most_baseline\n"
    "data:\n"
    "  maal: 1\n"
    "  partnership: {id: t, name: T, period: {from: 2020, to: 2023}, baselines: {crime: 2020}}\n"
    "  series:\n"
    "    - {id: s, name: S, kind: crime, unit: count, values: {area: {2020: 40, 2021: 30}}}\n"
    "cases:\n"
    "  - name: 30 mod 40 er opfyldt\n"           /* line 8: passes */
    "    params: {series: s}\n"
    "    year: 2021\n"
    "    expect: pass\n"
    "    actual: 30\n"
    "    baseline: 40\n"
    "  - name: forkerte tal\n"                     /* line 14: fails on two counts */
    "    params: {series: s}\n"
    "    year: 2021\n"
    "    expect: fail\n"
    "    actual: 31\n"
    "  - name: tastefejl\n"                        /* line 19: an unknown key */
    "    params: {series: s}\n"
    "    exept: pass\n"
    "  - name: ugyldige data\n"                    /* line 22: its own data is wrong */
    "    data: {maal: 1, partnership: {id: t}}\n"
    "    params: {series: s}\n"
    "    expect: pass\n"
    "  - name: forkert parameter\n"                /* line 26: a param the rule lacks */
    "    params: {series: s, seris: 1}\n"
    "    year: 2021\n"
    "    expect: pass\n"
    "  - name: English\n"                          /* line 30: run in English */
    "    params: {series: s}\n"
    "    year: 2021\n"
    "    lang: en\n"
    "    expect: pass\n"
    "    message: \"30 in 2021\"\n"
    "  - name: uden dom\n"                         /* line 36: no 'expect' */
    "    params: {series: s}\n";

static void test_api_rule_test(void **state)
{
    struct fx *f = *state;
    char dir[] = "/tmp/maal-api-ruletest-XXXXXX";
    assert_non_null(mkdtemp(dir));
    put(dir, "amb_test.yaml", RULE_TEST);
    char path[600];
    snprintf(path, sizeof(path), "%s/amb_test.yaml", dir);
    maal_rule_test *t;
    assert_int_equal(maal_rule_test_run(f->e, path, &t, f->d), MAAL_OK);
    assert_int_equal(maal_diags_size(f->d), 0);
    assert_string_equal(maal_rule_test_rule(t), "at_most_baseline");
    assert_int_equal(maal_rule_test_count(t), 7);
    struct maal_test_case c;
    assert_int_equal(maal_rule_test_case(t, 0, &c), MAAL_OK);
    assert_int_equal(c.outcome, MAAL_CASE_PASSED);
    assert_string_equal(c.name, "30 mod 40 er opfyldt");
    assert_null(c.why);
    assert_non_null(strstr(c.message, "30"));
    assert_int_equal(maal_rule_test_case(t, 1, &c), MAAL_OK);
    assert_int_equal(c.outcome, MAAL_CASE_FAILED);
    assert_false(c.at_param);
    assert_string_equal(c.why, "forventede fail, fik pass; forventede actual = 31, fik 30");
    assert_int_equal(maal_rule_test_case(t, 2, &c), MAAL_OK);
    assert_int_equal(c.outcome, MAAL_CASE_INVALID);
    assert_int_equal(c.line, 21);
    assert_int_equal(c.col, 5);
    assert_non_null(strstr(c.why, "ukendt nøgle i tilfældet 'exept' (mente du 'expect'?)"));
    assert_null(c.message);
    assert_int_equal(maal_rule_test_case(t, 3, &c), MAAL_OK);
    assert_int_equal(c.outcome, MAAL_CASE_BAD_DATA);
    assert_non_null(c.diags);
    assert_true(maal_diags_errors(c.diags) > 0);
    assert_int_equal(maal_rule_test_case(t, 4, &c), MAAL_OK);
    assert_int_equal(c.outcome, MAAL_CASE_FAILED);
    assert_true(c.at_param);
    assert_int_equal(c.line, 27);
    assert_string_equal(c.why, "forventede pass, fik error");
    assert_non_null(strstr(c.message, "'seris'"));
    assert_null(strstr(c.message, "målet 'test'")); /* the case's params, not a goal "test" */
    assert_int_equal(maal_rule_test_case(t, 5, &c), MAAL_OK);
    assert_int_equal(c.outcome, MAAL_CASE_PASSED);
    assert_non_null(strstr(c.message, "30 in 2021"));
    assert_int_equal(maal_rule_test_case(t, 6, &c), MAAL_OK);
    assert_int_equal(c.outcome, MAAL_CASE_INVALID);
    assert_int_equal(c.line, 36);
    assert_int_equal(c.col, 0); /* the case's line */
    assert_non_null(strstr(c.why, "'name', 'expect' og 'data'"));
    assert_int_equal(maal_rule_test_case(t, 7, &c), MAAL_ERR_USAGE);
    maal_rule_test_free(t);
    maal_rule_test_free(NULL);
    /* a file that cannot run: said once, in 'd', at the file */
    put(dir, "none_test.yaml", "rule: at_most_baseline\nfoo: 1\n");
    snprintf(path, sizeof(path), "%s/none_test.yaml", dir);
    assert_int_equal(maal_rule_test_run(f->e, path, &t, f->d), MAAL_ERR_INVALID);
    assert_null(t);
    const char *file, *msg;
    int line;
    assert_int_equal(maal_diags_get(f->d, 0, NULL, &file, &line, NULL, &msg), MAAL_OK);
    assert_string_equal(file, path);
    assert_int_equal(line, 0);
    assert_string_equal(msg, "forventede en tabel med 'cases' (en liste)");
    put(dir, "nosuch_test.yaml", "cases: []\n");
    snprintf(path, sizeof(path), "%s/nosuch_test.yaml", dir);
    assert_int_equal(maal_rule_test_run(f->e, path, &t, f->d), MAAL_ERR_INVALID);
    assert_int_equal(maal_diags_get(f->d, 1, NULL, NULL, NULL, NULL, &msg), MAAL_OK);
    assert_non_null(strstr(msg, "reglen 'nosuch' findes ikke ved siden af testfilen"));
    snprintf(path, sizeof(path), "%s/absent_test.yaml", dir);
    assert_int_equal(maal_rule_test_run(f->e, path, &t, f->d), MAAL_ERR_IO);
    assert_int_equal(maal_diags_size(f->d), 3);
    assert_int_equal(maal_rule_test_run(f->e, NULL, &t, f->d), MAAL_ERR_USAGE);
    rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_version),
        cmocka_unit_test_setup_teardown(test_api_check_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_engine_freed_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_english_and_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_select_goal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_invalid_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_no_goals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_report_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_options_and_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_worker_goal_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_worker_validate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_report_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_previous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_report_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_compare_parts, setup, teardown),
        cmocka_unit_test(test_api_escape_quantity),
        cmocka_unit_test_setup_teardown(test_api_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_plugin_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_rule_test, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
