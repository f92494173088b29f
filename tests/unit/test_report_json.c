/* test_report_json: the JSON report's own writer (core/report_json.c) against jansson, the
 * library whose bytes it must reproduce: each string escape, each real's formatting, what
 * jansson refuses (invalid UTF-8, a real that is not finite: the key is left out), and whole
 * documents, streamed as text and built as the tree the Lua reporters get, dumped by jansson
 * with the flags the report used before it was streamed. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "outlook.h"
#include "report.h"

json_t *maal_json_finish(struct maal_report *rp);
extern const struct maal_reporter maal_reporter_json_tree;

#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* what jansson writes for v alone, or NULL when it refuses v */
static char *jansson_dump(json_t *v, size_t flags)
{
    if (!v)
        return NULL;
    char *s = json_dumps(v, flags | JSON_ENCODE_ANY);
    json_decref(v);
    return s;
}

static void same_string(const char *s)
{
    struct maal_buf b = MAAL_BUF_INIT;
    bool ok = maal_json_put_string(&b, s);
    char *want = jansson_dump(json_string(s), 0);
    if (!want) {
        assert_false(ok);
        assert_int_equal(b.len, 0);
    } else {
        assert_true(ok);
        assert_string_equal(maal_buf_str(&b), want);
    }
    free(want);
    maal_buf_release(&b);
}

static void test_strings(void **state)
{
    (void)state;
    char s[4] = "a?b";
    for (int c = 1; c < 0x100; c++) { /* every byte: controls, DEL, and alone above 0x7F */
        s[1] = (char)c;
        same_string(s);
    }
    const char *cases[] = {"", "\"", "\\", "/", "\"quoted\" and \\back\\slash",
                           "line\nfeed\ttab\rcr\bbs\fff", "\x01\x1f\x1b[31m",
                           "Hørgården: æøå ÆØÅ", "€ 1.970.000 kr.", "emoji \xF0\x9F\x98\x80 end",
                           "\xE2\x80\xA8 line separator, \xE2\x80\xAE bidi override",
                           "\xEF\xBB\xBF byte-order mark", "\xC2\x85 next line (C1)",
                           /* not UTF-8: jansson refuses them, so must the writer */
                           "\xFF", "a\xC3", "\xC0\xAF overlong", "\xED\xA0\x80 surrogate",
                           "\xF4\x90\x80\x80 above U+10FFFF", "\xF8\x88\x80\x80\x80 five bytes",
                           "\x80 continuation first", "ok then \xE2\x82 cut"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        same_string(cases[i]);
    /* the strings are scanned eight bytes at a time: every ASCII character and a high byte
     * at every place of a word and of the tail, in strings of 8 to 19 bytes and around the
     * 256 bytes of the one-copy path */
    char t[300];
    for (size_t len = 8; len < 20; len++)
        for (size_t at = 0; at < len; at++)
            for (int c = 1; c < 0x81; c++) {
                memset(t, 'x', len);
                t[len] = '\0';
                if (c == 0x80) /* a two-byte character (æ) from here */
                    memcpy(t + (at + 1 < len ? at : at - 1), "\xC3\xA6", 2);
                else
                    t[at] = (char)c;
                same_string(t);
            }
    for (size_t len = 250; len < 262; len++) {
        memset(t, 'y', len);
        t[len] = '\0';
        same_string(t);
        t[len - 1] = '"';
        same_string(t);
    }
}

static void same_real(double v)
{
    struct maal_buf b = MAAL_BUF_INIT;
    bool ok = maal_json_put_real(&b, v);
    char *want = jansson_dump(json_real(v), JSON_REAL_PRECISION(15));
    if (!want) {
        assert_false(ok);
    } else {
        assert_true(ok);
        assert_string_equal(maal_buf_str(&b), want);
    }
    free(want);
    maal_buf_release(&b);
}

static void test_reals(void **state)
{
    (void)state;
    const double cases[] = {0.0, -0.0, 1.0, -2.5, 0.1, 1.0 / 3, 2.0 / 3 * 100, 0.30000000000000004,
                            18.7, 1e15, 9e15, 9.5e15, 123456789012345.6, 1e16, 1e20, 1e21,
                            1.5e300, 1e-5, 1e-4, 0.001, 5e-324, 2.2250738585072014e-308,
                            1.7976931348623157e308, -1e-100, 4503599627370496.5, 100.0,
                            NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
        same_real(cases[i]);
    for (int i = -40; i <= 40; i++) /* powers and odd fractions across the exponent range */
        same_real(pow(10, i) * 1.2345678901234567);
    /* the short decimals written without printf (k / 10^d, d <= 3, below 1e11), their
     * neighbours one bit away (the long way) and the edges of the short form */
    const double ks[] = {1, 7, 10, 20, 100, 187, 1000, 1234, 99999, 123456789, 99999999999,
                         999999999999999, 4503599627370497.0};
    for (size_t i = 0; i < sizeof(ks) / sizeof(*ks); i++)
        for (int d = 0; d <= 5; d++)
            for (int sign = -1; sign <= 1; sign += 2) {
                double v = sign * ks[i] / pow(10, d);
                same_real(v);
                same_real(nextafter(v, INFINITY));
                same_real(nextafter(v, -INFINITY));
            }
    const double edges[] = {1e11, -1e11, 99999999999.9, 99999999999.999, 0.001, -0.001, 0.0005,
                            0.1 + 0.2, 1.1 * 1.1, 34.3, 815.0, 1e-3 * 3};
    for (size_t i = 0; i < sizeof(edges) / sizeof(*edges); i++)
        same_real(edges[i]);
}

/* ---- whole documents ---- */

static struct maal_goal goals[3] = {
    {.id = "g1", .title = "Færre indbrud \"i alt\"", .group = "Tryghed", .rule = "at_most",
     .line = 10, .col = 5},
    {.id = "g2", .title = "Tab\there", .rule = "monitor", .line = 20, .col = 5},
    {.id = "g3", .title = "Ugyldig \xFF titel", .rule = "local_rule", .line = 30, .col = 5},
};

static void fill(struct maal_partnership *p, struct maal_result *r, struct maal_source *src,
                 struct maal_hist *hist, struct maal_outlook *ol)
{
    memset(p, 0, sizeof(*p));
    p->id = "tingbjerg";
    p->name = "Tingbjerg/Husum Partnerskab";
    p->file = "examples/t/partnership.yaml";
    memset(r, 0, 3 * sizeof(*r));
    src[0] = (struct maal_source){.line = 40, .col = 9, .what = "indbrud 2023"};
    src[1] = (struct maal_source){.line = 2, .col = 3, .what = "tabel \"anmeldelser\"",
                                  .file = "examples/t/anmeldelser.csv"};
    hist[0] = (struct maal_hist){.year = 2022, .verdict = MAAL_FAIL, .has_actual = true,
                                 .actual = 12.5, .has_target = true, .target = 10};
    hist[1] = (struct maal_hist){.year = 2023, .verdict = MAAL_PASS, .has_actual = true,
                                 .actual = 9, .has_baseline = true, .baseline = 1.0 / 3};
    *ol = (struct maal_outlook){.target_year = 2024, .has_projected = true, .projected = 8.25,
                                .has_interval = true, .low = 6, .high = 10.5, .on_track = 1,
                                .method = "least_squares", .points = 3};
    r[0] = (struct maal_result){.goal = &goals[0], .verdict = MAAL_PASS, .year = 2023,
                                .has_actual = true, .actual = 9, .has_target = true,
                                .target = 10, .has_baseline = true, .baseline = 14.2,
                                .baseline_year = 2019, .has_change = true, .change = -0.366197,
                                .has_ratio = true, .numerator = 27, .denominator = 3000,
                                .op = "<=", .unit = "per_1000",
                                .message = "9,0 ≤ 10,0 \"pr. 1000\"\nnæste linje",
                                .significance = "p < 0,05", .log = "print: \x1b[1m",
                                .rule_path = "/usr/share/maal/rules/at_most.lua",
                                .rule_origin = "standard", .sources = src, .nsources = 2,
                                .history = hist, .nhistory = 2, .outlook = ol,
                                .cmp = 1, .prev_verdict = MAAL_FAIL, .has_prev_actual = true,
                                .prev_actual = 11.5};
    r[1] = (struct maal_result){.goal = &goals[1], .verdict = MAAL_WAIVED,
                                .waived_verdict = MAAL_FAIL, .waiver = "aftalt \\ med SSP",
                                .message = "ingen data", .rule_origin = "plugin:dk\tx",
                                .rule_path = "plugins/dk/rules/monitor.lua", .cmp = 2,
                                .prev_verdict = -1, .has_actual = true, .actual = NAN};
    r[2] = (struct maal_result){.goal = &goals[2], .verdict = MAAL_ERROR,
                                .message = "bad \xC0\xAF", .rule_origin = "--rules",
                                .rule_path = "r/local_rule.lua", .has_target = true,
                                .target = INFINITY, .outlook = ol};
}

/* the document both ways: the streamed text, and jansson's dump of the tree */
static void render(const struct maal_presults *pr, size_t npr, struct maal_changes *ch,
                   struct maal_buf *text, char **tree_text)
{
    struct maal_report a = {.lang = MAAL_LANG_DA}, t = {.lang = MAAL_LANG_DA};
    a.changes = t.changes = ch;
    maal_reporter_json.begin(&a);
    maal_reporter_json_tree.begin(&t);
    for (size_t i = 0; i < npr; i++) {
        maal_reporter_json.partnership(&a, &pr[i]);
        maal_reporter_json_tree.partnership(&t, &pr[i]);
        for (int v = 0; v < MAAL_NVERDICTS; v++)
            a.totals[v] = t.totals[v] += pr[i].counts[v];
    }
    maal_reporter_json.end(&a);
    json_t *root = maal_json_finish(&t);
    assert_non_null(root);
    char *s = json_dumps(root, DUMP_FLAGS);
    json_decref(root);
    assert_non_null(s);
    size_t n = strlen(s);
    *tree_text = realloc(s, n + 2);
    memcpy(*tree_text + n, "\n", 2);
    assert_false(a.out.oom);
    *text = a.out;
}

static void test_document(void **state)
{
    (void)state;
    struct maal_partnership p[2];
    struct maal_result r[2][3];
    struct maal_source src[2][2];
    struct maal_hist hist[2][2];
    struct maal_outlook ol[2];
    struct maal_presults pr[2];
    for (int i = 0; i < 2; i++) {
        fill(&p[i], r[i], src[i], hist[i], &ol[i]);
        pr[i] = (struct maal_presults){.p = &p[i], .r = r[i], .n = 3, .year = 2023,
                                       .counts = {1, 2, 0, 3}};
    }
    p[1].id = "second";
    ol[1].on_track = -1;
    ol[1].has_interval = false;
    snprintf(ol[1].reason, sizeof(ol[1].reason), "for få punkter");
    char *removed[] = {"old/g1", "old/\"g2\""};
    struct maal_changes ch = {.active = true, .unchanged = 3, .added = 1, .verdict = 2,
                              .values = 4, .regressions = 1, .removed = removed, .nremoved = 2};
    struct maal_changes none = {.active = true};
    struct {
        size_t npr;
        struct maal_changes *ch;
    } runs[] = {{2, &ch}, {1, NULL}, {0, NULL}, {0, &none}, {2, &none}};
    for (size_t k = 0; k < sizeof(runs) / sizeof(*runs); k++) {
        struct maal_buf text;
        char *want;
        render(pr, runs[k].npr, runs[k].ch, &text, &want);
        assert_string_equal(maal_buf_str(&text), want);
        if (k == 0) { /* the awkward values are in it, and the refused ones are not */
            assert_non_null(strstr(want, "\\\"pr. 1000\\\"\\nnæste linje"));
            assert_non_null(strstr(want, "\"log\": \"print: \\u001B[1m\""));
            assert_null(strstr(want, "Ugyldig"));
            assert_null(strstr(want, "\"target\": inf"));
            assert_non_null(strstr(want, "\"removed\": [\n      \"old/g1\""));
        }
        free(want);
        maal_buf_release(&text);
    }
}

/* a reporter that cannot make its report says why as one diagnostic, located at its Lua file,
 * and nothing else: the first error is what maal_report_error gives */
static void test_report_error_is_a_diagnostic(void **state)
{
    (void)state;
    struct maal_limits lim;
    maal_limits_default(&lim);
    struct maal_report rp = {.lang = MAAL_LANG_EN, .lua_path = "/nonexistent/r.lua",
                             .limits = &lim};
    assert_null(maal_report_error(&rp));
    maal_reporter_lua.begin(&rp);
    maal_reporter_lua.end(&rp);
    assert_false(rp.out.oom);
    assert_int_equal(rp.diags.n, 1);
    assert_int_equal(rp.diags.v[0].sev, MAAL_SEV_ERROR);
    assert_string_equal(rp.diags.v[0].file, "/nonexistent/r.lua");
    assert_ptr_equal(maal_report_error(&rp), rp.diags.v[0].msg);
    assert_true(rp.diags.v[0].msg[0] != '\0');
    maal_report_fail(&rp, "%s %d", "second", 2);
    assert_int_equal(rp.diags.n, 2);
    assert_string_equal(rp.diags.v[1].msg, "second 2");
    assert_ptr_equal(maal_report_error(&rp), rp.diags.v[0].msg);
    maal_buf_release(&rp.out);
    maal_diags_release(&rp.diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_reals),
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_report_error_is_a_diagnostic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
