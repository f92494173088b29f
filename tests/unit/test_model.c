/* test_model: the loader on small inline files: required fields, unknown keys, numbers,
 * years, '?', ids, references from goals, partner counting, area changes, the examples. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model.h"

#ifndef MAAL_RULES_DIR
#error "the Makefile defines MAAL_RULES_DIR (the repository's rules/)"
#endif

/* A valid file; the tests edit it by line number (shown on the right). */
static const char *const BASE[] = {
    "maal: 1",                           /* 1 */
    "partnership:",                      /* 2 */
    "  id: p",                           /* 3 */
    "  name: P",                         /* 4 */
    "  period:",                         /* 5 */
    "    from: 2021",                    /* 6 */
    "    to: 2024",                      /* 7 */
    "  area_changes:",                   /* 8 */
    "    - note: udvidet",               /* 9 */
    "      year: 2022",                  /* 10 */
    "series:",                           /* 11 */
    "  - source: kilde",                 /* 12 */
    "    id: s",                         /* 13 */
    "    name: S",                       /* 14 */
    "    kind: survey",                  /* 15 */
    "    unit: percent",                 /* 16 */
    "    values:",                       /* 17 */
    "      area: {2021: 10, 2022: 12}",  /* 18 */
    "    significance:",                 /* 19 */
    "      - note: n",                   /* 20 */
    "        scope: area",               /* 21 */
    "        significant: true",         /* 22 */
    "        year: 2022",                /* 23 */
    "activities:",                       /* 24 */
    "  - note: x",                       /* 25 */
    "    id: a1",                        /* 26 */
    "    name: A1",                      /* 27 */
    "    responsible: [X]",              /* 28 */
    "    status:",                       /* 29 */
    "      note: s",                     /* 30 */
    "      year: 2023",                  /* 31 */
    "      as_planned: yes",             /* 32 */
    "    criteria:",                     /* 33 */
    "      - unit: count",               /* 34 */
    "        id: c1",                    /* 35 */
    "        text: C1",                  /* 36 */
    "goals:",                            /* 37 */
    "  - note: n",                       /* 38 */
    "    id: g1",                        /* 39 */
    "    title: G1",                     /* 40 */
    "    rule: monitor",                 /* 41 */
    "    params: {series: s}",           /* 42 */
    NULL,
};

/* BASE with lines [from, from + ndel) replaced by 'ins' (NULL: nothing; may hold '\n'). */
static char *edit(int from, int ndel, const char *ins)
{
    struct maal_buf b = MAAL_BUF_INIT;
    for (int i = 0; BASE[i]; i++) {
        int line = i + 1;
        if (line == from && ins)
            maal_buf_printf(&b, "%s\n", ins);
        if (line >= from && line < from + ndel)
            continue;
        maal_buf_printf(&b, "%s\n", BASE[i]);
    }
    if (from > 0 && !BASE[from - 1] && ins) /* just after the last line */
        maal_buf_printf(&b, "%s\n", ins);
    return b.s;
}

struct loaded {
    int rc;
    struct maal_partnership *p;
    struct maal_diags d;
    char *text;
};

/* What is under test; released by the teardown even when an assertion fails. */
static struct loaded R;

static void release(void)
{
    maal_partnership_free(R.p);
    R.p = NULL;
    maal_diags_release(&R.d);
    maal_free(R.text);
    R.text = NULL;
}

static int teardown(void **state)
{
    (void)state;
    release();
    return 0;
}

static void load_lang(const char *text, enum maal_lang lang)
{
    release();
    struct maal_limits lim;
    maal_limits_default(&lim);
    maal_diags_init(&R.d);
    R.rc = maal_partnership_parse("p.yaml", text, strlen(text), &lim, lang, &R.p, &R.d);
}

static void load(const char *text)
{
    load_lang(text, MAAL_LANG_DA);
}

/* Load an edited BASE (the text is kept until release). */
static void load_edit(int from, int ndel, const char *ins)
{
    char *t = edit(from, ndel, ins);
    load(t);
    R.text = t;
}

static void dump_diags(void)
{
    for (size_t i = 0; i < R.d.n; i++)
        print_message("  diag %d:%d: %s\n", R.d.v[i].line, R.d.v[i].col, R.d.v[i].msg);
}

static void expect_diag(int line, int col, const char *needle)
{
    for (size_t i = 0; i < R.d.n; i++)
        if (R.d.v[i].line == line && R.d.v[i].col == col && strstr(R.d.v[i].msg, needle))
            return;
    dump_diags();
    fail_msg("no diagnostic at %d:%d containing '%s'", line, col, needle);
}

static void expect_invalid(void)
{
    if (R.rc != MAAL_ERR_INVALID)
        dump_diags();
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_null(R.p);
}

static void expect_ok(void)
{
    if (R.rc != MAAL_OK)
        dump_diags();
    assert_int_equal(R.rc, MAAL_OK);
    assert_non_null(R.p);
    assert_int_equal(R.d.n, 0);
}

/* ---- the base file ---- */

static void test_model_base_loads(void **state)
{
    (void)state;
    load_edit(0, 0, NULL);
    expect_ok();
    const struct maal_partnership *p = R.p;
    assert_string_equal(p->id, "p");
    assert_string_equal(p->name, "P");
    assert_int_equal(p->from, 2021);
    assert_int_equal(p->to, 2024);
    assert_int_equal(p->nseries, 1);
    assert_int_equal(p->nactivities, 1);
    assert_int_equal(p->ngoals, 1);
    assert_string_equal(p->goals[0].rule, "monitor");
    assert_int_equal(p->goals[0].line, 38);
    assert_int_equal(p->goals[0].col, 5);
    assert_int_equal(p->goals[0].rule_line, 41);
    assert_int_equal(p->goals[0].rule_col, 11);
    assert_string_equal(p->goals[0].group, "andet"); /* the default group */
    assert_non_null(p->goals[0].params);
    const struct maal_series *s = maal_series_find(p, "s");
    assert_non_null(s);
    assert_null(maal_series_find(p, "t"));
    assert_int_equal(s->kind, MAAL_KIND_SURVEY);
    assert_int_equal(s->unit, MAAL_UNIT_PERCENT);
    assert_int_equal(s->values[MAAL_SCOPE_AREA].n, 2);
    const struct maal_yearval *v = maal_yearmap_get(&s->values[MAAL_SCOPE_AREA], 2022);
    assert_non_null(v);
    assert_true(v->v == 12);
    assert_int_equal(v->line, 18);
    assert_int_equal(v->col, 30);
    assert_null(maal_yearmap_get(&s->values[MAAL_SCOPE_AREA], 2020));
    assert_int_equal(s->nsig, 1);
    assert_int_equal(s->sig[0].year, 2022);
    assert_true(s->sig[0].significant);
    assert_int_equal(p->latest_year, 2023); /* a1's midway status for 2023 is data too */
    const struct maal_activity *a = maal_activity_find(p, "a1");
    assert_non_null(a);
    assert_true(a->in_partner_share); /* default */
    assert_false(a->is_new);
    assert_true(a->status.present);
    assert_int_equal(a->status.year, 2023);
    assert_string_equal(a->status.as_planned, "yes");
    assert_int_equal(a->ncriteria, 1);
    assert_string_equal(a->criteria[0].id, "c1");
    assert_true(a->criteria[0].has_unit);
    assert_int_equal(a->criteria[0].unit, MAAL_UNIT_COUNT);
}

/* ---- required fields ---- */

struct missing_case {
    int from, ndel;
    const char *field;
    int line, col; /* where the mapping that lacks it starts */
};

static void test_model_every_required_field(void **state)
{
    (void)state;
    static const struct missing_case cases[] = {
        {1, 1, "maal", 1, 1},
        {3, 1, "id", 3, 3},
        {4, 1, "name", 3, 3},
        {5, 3, "period", 3, 3},
        {6, 1, "from", 6, 5},
        {7, 1, "to", 6, 5},
        {10, 1, "year", 9, 7},
        {13, 1, "id", 12, 5},
        {14, 1, "name", 12, 5},
        {15, 1, "kind", 12, 5},
        {16, 1, "unit", 12, 5},
        {17, 2, "values", 12, 5},
        {21, 1, "scope", 20, 9},
        {22, 1, "significant", 20, 9},
        {26, 1, "id", 25, 5},
        {27, 1, "name", 25, 5},
        {28, 1, "responsible", 25, 5},
        {31, 1, "year", 30, 7},
        {32, 1, "as_planned", 30, 7},
        {35, 1, "id", 34, 9},
        {36, 1, "text", 34, 9},
        {39, 1, "id", 38, 5},
        {40, 1, "title", 38, 5},
        {41, 1, "rule", 38, 5},
        {37, 6, "goals", 1, 1},
        {2, 9, "partnership", 1, 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct missing_case *c = &cases[i];
        load_edit(c->from, c->ndel, NULL);
        if (R.rc != MAAL_ERR_INVALID)
            fail_msg("without '%s' (line %d) the file loaded (rc %d)", c->field, c->from, R.rc);
        char needle[96];
        snprintf(needle, sizeof(needle), "mangler det krævede felt '%s'", c->field);
        expect_diag(c->line, c->col, needle);
    }
}

static void test_model_missing_field_english(void **state)
{
    (void)state;
    char *t = edit(41, 1, NULL);
    load_lang(t, MAAL_LANG_EN);
    R.text = t;
    expect_invalid();
    expect_diag(38, 5, "goal 'g1' is missing the required field 'rule'");
}

/* ---- keys ---- */

static void test_model_unknown_key_did_you_mean(void **state)
{
    (void)state;
    load_edit(5, 0, "  partner: [X]");
    expect_invalid();
    expect_diag(5, 3, "ukendt nøgle 'partner' i 'partnership' (mente du 'partners'?)");
    load_edit(19, 0, "    valeus: {}");
    expect_invalid();
    expect_diag(19, 5, "ukendt nøgle 'valeus'");
    expect_diag(19, 5, "mente du 'values'?");
    load_edit(42, 0, "    titel: x");
    expect_invalid();
    expect_diag(42, 5, "mente du 'title'?");
}

static void test_model_unknown_key_far_from_any(void **state)
{
    (void)state;
    load_edit(2, 0, "zzzzqqq: 1");
    expect_invalid();
    expect_diag(2, 1, "ukendt nøgle 'zzzzqqq'");
    for (size_t i = 0; i < R.d.n; i++)
        assert_null(strstr(R.d.v[i].msg, "mente du"));
}

static void test_model_enum_did_you_mean(void **state)
{
    (void)state;
    load_edit(15, 1, "    kind: crim");
    expect_invalid();
    expect_diag(15, 11, "(mente du 'crime'?)");
    load_edit(16, 1, "    unit: procent");
    expect_invalid();
    expect_diag(16, 11, "mente du 'percent'?");
}

/* ---- numbers ---- */

static void test_model_danish_number_suggestion(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {2021: '24,8', 2022: 12}");
    expect_invalid();
    expect_diag(18, 20, "dansk format");
    expect_diag(18, 20, "mente du 24.8?");
    load_edit(8, 0, "  budget: {2021: 1.970.000}");
    expect_invalid();
    expect_diag(8, 18, "mente du 1970000?");
    load_edit(8, 0, "  budget:\n    2022: \"1.970.000,50\"");
    expect_invalid();
    expect_diag(9, 11, "mente du 1970000.50?");
}

/* Three decimals are an ordinary YAML number, not Danish thousands. */
static void test_model_three_decimals_are_a_number(void **state)
{
    (void)state;
    load_edit(16, 3, "    unit: number\n    values:\n      area: {2021: 0.125, 2022: 2.375}");
    expect_ok();
    const struct maal_series *s = maal_series_find(R.p, "s");
    assert_true(maal_yearmap_get(&s->values[MAAL_SCOPE_AREA], 2021)->v == 0.125);
    assert_true(maal_yearmap_get(&s->values[MAAL_SCOPE_AREA], 2022)->v == 2.375);
}

static void test_model_quoted_number_refused(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {2021: \"10\", 2022: 12}");
    expect_invalid();
    expect_diag(18, 20, "forventede et tal uden anførselstegn");
}

static void test_model_non_finite_and_overflow_refused(void **state)
{
    (void)state;
    load_edit(16, 3, "    unit: number\n    values:\n      area: {2021: .nan, 2022: 1e400}");
    expect_invalid();
    expect_diag(18, 20, "endeligt tal");
    expect_diag(18, 32, "uden for det tilladte område");
    load_edit(18, 1, "      area: {2021: .inf, 2022: abc}");
    expect_invalid();
    expect_diag(18, 20, "endeligt tal");
    expect_diag(18, 32, "forventede et tal");
}

/* Which values are refused as not finite: YAML's .nan in its three spellings and anything
 * containing .inf, .Inf or .INF (as before the check first looked for a '.' before an n or
 * an i); the others are numbers or other errors. */
static void test_model_non_finite_spellings(void **state)
{
    (void)state;
    const struct {
        const char *v;
        bool refused;
    } cases[] = {
        {".nan", true},   {".NaN", true},    {".NAN", true},    {".inf", true},
        {"-.inf", true},  {"+.Inf", true},   {"-.INF", true},   {"1.inf", true},
        {"x.Infinity", true}, {"..inf", true}, {".nAn", false}, {".nan1", false},
        {"a.nan", false}, {".iNf", false},   {"1.5", false},    {".5", false},
        {"1.n", false},   {"12", false},     {"1.2.3", false},  {"1e5", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        char line[80];
        snprintf(line, sizeof(line), "      area: {2021: %s}", cases[i].v);
        load_edit(18, 1, line);
        bool refused = false;
        for (size_t d = 0; d < R.d.n; d++)
            if (R.d.v[d].line == 18 && strstr(R.d.v[d].msg, "endeligt tal"))
                refused = true;
        if (refused != cases[i].refused) {
            dump_diags();
            fail_msg("%s: refused as not finite %d, expected %d", cases[i].v, refused,
                     cases[i].refused);
        }
    }
}

static void test_model_percent_above_100(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {2021: 100, 2022: 100.5}");
    expect_invalid();
    expect_diag(18, 31, "procentdel fra 0 til 100");
    assert_int_equal(R.d.n, 1); /* 100 itself is fine */
    load_edit(18, 1, "      area: {2021: 0, 2022: 100}");
    expect_ok();
}

static void test_model_negative_count(void **state)
{
    (void)state;
    load_edit(16, 3, "    unit: count\n    values:\n      area: {2021: -1, 2022: 1.5}");
    expect_invalid();
    expect_diag(18, 20, "forventede et tal ≥ 0");
    expect_diag(18, 30, "helt antal");
    /* a plain number may be negative */
    load_edit(16, 3, "    unit: number\n    values:\n      area: {2021: -1, 2022: -2.5}");
    expect_ok();
}

static void test_model_year_as_string(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {\"2021\": 10, 2022: 12}");
    expect_invalid();
    expect_diag(18, 14, "forventede et årstal uden anførselstegn");
    load_edit(6, 1, "    from: '2021'");
    expect_invalid();
    expect_diag(6, 11, "forventede et årstal uden anførselstegn");
}

static void test_model_year_out_of_range_and_fraction(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {1899: 10, 2021.5: 12}");
    expect_invalid();
    expect_diag(18, 14, "fra 1900 til 2100");
    expect_diag(18, 24, "helt tal");
}

static void test_model_year_outside_period(void **state)
{
    (void)state;
    /* series history may go back before the period, never after it */
    load_edit(18, 1, "      area: {2014: 8, 2021: 10, 2025: 12}");
    expect_invalid();
    expect_diag(18, 33, "efter periodens slutning (2024)");
    assert_int_equal(R.d.n, 1);
    /* financing must lie within the period */
    load_edit(29, 0, "    financing: {2020: 5, 2021: 5, 2025: 5}");
    expect_invalid();
    expect_diag(29, 17, "uden for perioden 2021-2024");
    expect_diag(29, 35, "uden for perioden 2021-2024");
    assert_int_equal(R.d.n, 2);
    /* and a criterion's by_year */
    load_edit(37, 0, "        by_year: 2030");
    expect_invalid();
    expect_diag(37, 18, "uden for perioden");
    /* the budget too */
    load_edit(8, 0, "  budget: {2019: 100}");
    expect_invalid();
    expect_diag(8, 12, "uden for perioden");
}

static void test_model_period_reversed(void **state)
{
    (void)state;
    load_edit(6, 2, "    from: 2024\n    to: 2021");
    expect_invalid();
    expect_diag(7, 9, "ligger før 'period.from'");
}

static void test_model_unknown_only_in_financing(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {2021: '?', 2022: 12}");
    expect_invalid();
    expect_diag(18, 20, "'?' er kun tilladt i financing");
    load_edit(29, 0, "    financing: {2021: '?', 2022: 5000}");
    expect_ok();
    const struct maal_activity *a = maal_activity_find(R.p, "a1");
    assert_int_equal(a->financing.n, 2);
    const struct maal_yearval *q = maal_yearmap_get(&a->financing, 2021);
    assert_true(q->unknown);
    const struct maal_yearval *k = maal_yearmap_get(&a->financing, 2022);
    assert_false(k->unknown);
    assert_true(k->v == 5000);
    /* '?' in the budget is not allowed either */
    load_edit(8, 0, "  budget: {2021: '?'}");
    expect_invalid();
    expect_diag(8, 18, "'?'");
}

static void test_model_yearmap_sorted(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {2022: 12, 2014: 8, 2021: 10}");
    expect_ok();
    const struct maal_yearmap *m = &maal_series_find(R.p, "s")->values[MAAL_SCOPE_AREA];
    assert_int_equal(m->n, 3);
    assert_int_equal(m->v[0].year, 2014);
    assert_int_equal(m->v[1].year, 2021);
    assert_int_equal(m->v[2].year, 2022);
    assert_true(m->v[2].v == 12);
    assert_int_equal(m->v[2].col, 20);
}

static void test_model_duplicate_year_refused(void **state)
{
    (void)state;
    load_edit(18, 1, "      area: {2021: 10, 2021: 12}");
    expect_invalid();
    expect_diag(18, 24, "'2021'");
}

/* ---- ids ---- */

static void test_model_duplicate_series_id(void **state)
{
    (void)state;
    load_edit(24, 0, "  - id: s\n    name: T\n    kind: crime\n    unit: count\n"
                     "    values: {area: {2021: 1}}");
    expect_invalid();
    expect_diag(24, 9, "serien 's' findes allerede (linje 13)");
}

static void test_model_duplicate_activity_goal_criterion_ids(void **state)
{
    (void)state;
    load_edit(37, 0, "  - id: a1\n    name: A2\n    responsible: Y");
    expect_invalid();
    expect_diag(37, 9, "aktiviteten 'a1' findes allerede (linje 26)");
    load_edit(43, 0, "  - id: g1\n    title: G2\n    rule: monitor");
    expect_invalid();
    expect_diag(43, 9, "målet 'g1' findes allerede (linje 39)");
    load_edit(37, 0, "      - id: c1\n        text: C2");
    expect_invalid();
    expect_diag(37, 13, "succeskriteriet 'c1' findes allerede (linje 35)");
}

static void test_model_invalid_id(void **state)
{
    (void)state;
    load_edit(13, 1, "    id: Serie_A");
    expect_invalid();
    expect_diag(13, 9, "ugyldigt");
}

/* ---- references from goals ---- */

static void test_model_goal_unknown_series(void **state)
{
    (void)state;
    load_edit(42, 1, "    params: {series: ss}");
    expect_invalid();
    expect_diag(42, 22, "målet 'g1' henviser til den ukendte serie 'ss' (mente du 's'?)");
}

static void test_model_goal_unknown_activity(void **state)
{
    (void)state;
    load_edit(42, 1, "    params: {activity: a2, criterion: c1}");
    expect_invalid();
    expect_diag(42, 24, "den ukendte aktivitet 'a2' (mente du 'a1'?)");
}

static void test_model_goal_unknown_criterion(void **state)
{
    (void)state;
    load_edit(42, 1, "    params: {activity: a1, criterion: c9}");
    expect_invalid();
    expect_diag(42, 39, "det ukendte succeskriterie 'c9' i aktiviteten 'a1'");
    load_edit(42, 1, "    params: {activity: a1, criterion: c1}");
    expect_ok();
}

static void test_model_goal_params_not_mapping(void **state)
{
    (void)state;
    load_edit(42, 1, "    params: [series, s]");
    expect_invalid();
    expect_diag(42, 13, "'params'");
}

static void test_model_goal_rule_name_checked(void **state)
{
    (void)state;
    load_edit(41, 1, "    rule: ../../etc/passwd");
    expect_invalid();
    expect_diag(41, 11, "ugyldigt navn");
    load_edit(41, 1, "    rule: plug/at_most");
    expect_ok();
}

static void test_model_goal_group_did_you_mean(void **state)
{
    (void)state;
    load_edit(41, 0, "    group: tryhed");
    expect_invalid();
    expect_diag(41, 12, "mente du 'tryghed'?");
}

/* ---- partners ---- */

static void test_model_partner_count(void **state)
{
    (void)state;
    load_edit(37, 0,
              "  - id: a2\n    name: A2\n    responsible: [A, B]\n    partners: [B, C, A]\n"
              "  - id: a3\n    name: A3\n    responsible: Solo\n"
              "  - id: a4\n    name: A4\n    responsible: [Q, Q]\n    partners: []\n"
              "  - id: a5\n    name: A5\n    responsible: [A]\n    partners: [B, b]\n"
              "    in_partner_share: false\n    new: yes");
    expect_ok();
    assert_int_equal(maal_activity_partner_count(maal_activity_find(R.p, "a1")), 1);
    assert_int_equal(maal_activity_partner_count(maal_activity_find(R.p, "a2")), 3);
    const struct maal_activity *a3 = maal_activity_find(R.p, "a3");
    assert_int_equal(a3->nresponsible, 1);
    assert_string_equal(a3->responsible[0], "Solo");
    assert_int_equal(maal_activity_partner_count(a3), 1);
    assert_int_equal(maal_activity_partner_count(maal_activity_find(R.p, "a4")), 1);
    const struct maal_activity *a5 = maal_activity_find(R.p, "a5");
    /* B and b are one organisation (capitals and spacing aside); they were two */
    assert_int_equal(maal_activity_partner_count(a5), 2);
    assert_false(a5->in_partner_share);
    assert_true(a5->is_new);
}

/* ---- area changes ---- */

static void test_model_area_change_default_affects_survey(void **state)
{
    (void)state;
    load_edit(0, 0, NULL);
    expect_ok();
    assert_int_equal(R.p->nchanges, 1);
    const struct maal_area_change *c = &R.p->changes[0];
    assert_int_equal(c->year, 2022);
    assert_string_equal(c->note, "udvidet");
    assert_true(c->affects[MAAL_KIND_SURVEY]);
    assert_false(c->affects[MAAL_KIND_CRIME]);
    assert_false(c->affects[MAAL_KIND_OTHER]);
    assert_int_equal(c->line, 9);
    assert_int_equal(c->col, 7);
    load_edit(11, 0, "      affects: [crime, other]");
    expect_ok();
    c = &R.p->changes[0];
    assert_false(c->affects[MAAL_KIND_SURVEY]);
    assert_true(c->affects[MAAL_KIND_CRIME]);
    assert_true(c->affects[MAAL_KIND_OTHER]);
    load_edit(11, 0, "      affects: [surveys]");
    expect_invalid();
    expect_diag(11, 17, "mente du 'survey'?");
}

/* ---- the document as a whole ---- */

static void test_model_format_version(void **state)
{
    (void)state;
    load_edit(1, 1, "maal: 2");
    expect_invalid();
    expect_diag(1, 7, "formatversion 2 understøttes ikke");
}

static void test_model_empty_and_wrong_root(void **state)
{
    (void)state;
    load("");
    expect_invalid();
    assert_true(R.d.n >= 1);
    assert_non_null(strstr(R.d.v[0].msg, "filen er tom"));
    load("- a\n- b\n");
    expect_invalid();
    expect_diag(1, 1, "forventede en tabel");
    load("maal: 1\npartnership: [x]\ngoals: []\n");
    expect_invalid();
    expect_diag(2, 14, "'partnership' er en liste");
}

static void test_model_collects_every_problem(void **state)
{
    (void)state;
    load("maal: 1\npartnership:\n  id: p\n  name: P\n  period: {from: 2021, to: 2024}\n"
         "  partnr: x\n  populaton: {}\ngoals:\n  - id: g\n    title: t\n    rul: x\n");
    expect_invalid();
    expect_diag(6, 3, "'partnr'");
    expect_diag(7, 3, "'populaton'");
    expect_diag(11, 5, "'rul'");
    expect_diag(9, 5, "'rule'");
}

static void test_model_syntax_error_passes_through(void **state)
{
    (void)state;
    load("maal: 1\npartnership: {id: p\n");
    expect_invalid();
    assert_true(R.d.n >= 1);
    assert_true(R.d.v[0].line > 0);
}

/* ---- the examples ---- */

/* The name of a series, activity, criterion or goal in a message is cut where a 160-byte
 * buffer ends, as it was when snprintf made it: an over-long id is named, never overrun. */
static void test_model_long_ids_are_cut_in_messages(void **state)
{
    (void)state;
    char id[301];
    memset(id, 'x', 300);
    id[300] = '\0';
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    assert_non_null(f);
    fprintf(f, "maal: 1\npartnership: {id: p, name: P, period: {from: 2021, to: 2024}}\n"
               "series:\n  - {id: %s, name: S, kind: crime, unit: count, values: {}, q: 1}\n"
               "activities:\n  - {id: %s, name: A, responsible: [X], q: 1,\n"
               "     criteria: [{id: %s, text: T, q: 1}]}\n"
               "goals:\n  - {id: %s, title: G, rule: monitor, q: 1}\n", id, id, id, id);
    fclose(f);
    load(text);
    free(text);
    expect_invalid();
    const char *words[] = {"serien", "aktiviteten", "succeskriteriet", "målet"};
    for (size_t k = 0; k < 4; k++) {
        char what[400], want[600];
        snprintf(what, sizeof(what), "%s '%s'", words[k], id);
        what[159] = '\0'; /* where a 160-byte buffer ends */
        snprintf(want, sizeof(want), "ukendt nøgle 'q' i %s, forventede", what);
        bool found = false;
        for (size_t i = 0; i < R.d.n && !found; i++)
            found = strstr(R.d.v[i].msg, want) != NULL;
        if (!found) {
            dump_diags();
            fail_msg("no message naming %s cut at 159 bytes", words[k]);
        }
    }
}

static void test_model_examples_load_without_errors(void **state)
{
    (void)state;
    char root[PATH_MAX];
    snprintf(root, sizeof(root), "%s", MAAL_RULES_DIR);
    char *slash = strrchr(root, '/');
    assert_non_null(slash);
    *slash = '\0';
    static const char *const ex[] = {"amager-2017", "tingbjerg-husum-2017-2020",
                                     "tingbjerg-husum-2021-2024", "urbanplanen-2018-2021", NULL};
    for (size_t i = 0; ex[i]; i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof(path), "%s/examples/%s/partnership.yaml", root, ex[i]);
        release();
        struct maal_limits lim;
        maal_limits_default(&lim);
        maal_diags_init(&R.d);
        R.rc = maal_partnership_load(path, &lim, MAAL_LANG_DA, &R.p, &R.d);
        if (R.rc != MAAL_OK || R.d.n != 0) {
            dump_diags();
            fail_msg("%s: rc %d, %zu diagnostics", ex[i], R.rc, R.d.n);
        }
        assert_true(R.p->ngoals > 0);
        for (size_t g = 0; g < R.p->ngoals; g++)
            assert_non_null(R.p->goals[g].rule);
    }
}

static void test_model_tingbjerg_shape(void **state)
{
    (void)state;
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/../examples/tingbjerg-husum-2021-2024/partnership.yaml",
             MAAL_RULES_DIR);
    release();
    struct maal_limits lim;
    maal_limits_default(&lim);
    maal_diags_init(&R.d);
    R.rc = maal_partnership_load(path, &lim, MAAL_LANG_DA, &R.p, &R.d);
    expect_ok();
    const struct maal_partnership *p = R.p;
    assert_int_equal(p->from, 2021);
    assert_int_equal(p->to, 2024);
    assert_int_equal(p->baseline[MAAL_KIND_SURVEY], 2021);
    assert_int_equal(p->baseline[MAAL_KIND_CRIME], 2020);
    assert_int_equal(p->nactivities, 16);
    assert_int_equal(p->ngoals, 16);
    assert_int_equal(p->latest_year, 2022);
    assert_true(maal_yearmap_get(&p->budget, 2021)->v == 1934000);
    /* 12 of the 15 counted activities have two or more partners */
    size_t counted = 0, two = 0;
    for (size_t i = 0; i < p->nactivities; i++) {
        if (!p->activities[i].in_partner_share)
            continue;
        counted++;
        two += maal_activity_partner_count(&p->activities[i]) >= 2;
    }
    assert_int_equal(counted, 15);
    assert_int_equal(two, 12);
}

static void test_model_load_missing_file(void **state)
{
    (void)state;
    release();
    struct maal_limits lim;
    maal_limits_default(&lim);
    maal_diags_init(&R.d);
    R.rc = maal_partnership_load("/nonexistent/x.yaml", &lim, MAAL_LANG_DA, &R.p, &R.d);
    assert_int_equal(R.rc, MAAL_ERR_IO);
    assert_null(R.p);
    assert_int_equal(R.d.n, 1);
    assert_non_null(strstr(R.d.v[0].msg, "kan ikke åbne"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_model_base_loads, teardown),
        cmocka_unit_test_teardown(test_model_every_required_field, teardown),
        cmocka_unit_test_teardown(test_model_missing_field_english, teardown),
        cmocka_unit_test_teardown(test_model_unknown_key_did_you_mean, teardown),
        cmocka_unit_test_teardown(test_model_unknown_key_far_from_any, teardown),
        cmocka_unit_test_teardown(test_model_enum_did_you_mean, teardown),
        cmocka_unit_test_teardown(test_model_danish_number_suggestion, teardown),
        cmocka_unit_test_teardown(test_model_three_decimals_are_a_number, teardown),
        cmocka_unit_test_teardown(test_model_quoted_number_refused, teardown),
        cmocka_unit_test_teardown(test_model_non_finite_and_overflow_refused, teardown),
        cmocka_unit_test_teardown(test_model_percent_above_100, teardown),
        cmocka_unit_test_teardown(test_model_negative_count, teardown),
        cmocka_unit_test_teardown(test_model_year_as_string, teardown),
        cmocka_unit_test_teardown(test_model_year_out_of_range_and_fraction, teardown),
        cmocka_unit_test_teardown(test_model_year_outside_period, teardown),
        cmocka_unit_test_teardown(test_model_period_reversed, teardown),
        cmocka_unit_test_teardown(test_model_unknown_only_in_financing, teardown),
        cmocka_unit_test_teardown(test_model_non_finite_spellings, teardown),
        cmocka_unit_test_teardown(test_model_yearmap_sorted, teardown),
        cmocka_unit_test_teardown(test_model_duplicate_year_refused, teardown),
        cmocka_unit_test_teardown(test_model_duplicate_series_id, teardown),
        cmocka_unit_test_teardown(test_model_duplicate_activity_goal_criterion_ids, teardown),
        cmocka_unit_test_teardown(test_model_invalid_id, teardown),
        cmocka_unit_test_teardown(test_model_goal_unknown_series, teardown),
        cmocka_unit_test_teardown(test_model_goal_unknown_activity, teardown),
        cmocka_unit_test_teardown(test_model_goal_unknown_criterion, teardown),
        cmocka_unit_test_teardown(test_model_goal_params_not_mapping, teardown),
        cmocka_unit_test_teardown(test_model_goal_rule_name_checked, teardown),
        cmocka_unit_test_teardown(test_model_goal_group_did_you_mean, teardown),
        cmocka_unit_test_teardown(test_model_partner_count, teardown),
        cmocka_unit_test_teardown(test_model_area_change_default_affects_survey, teardown),
        cmocka_unit_test_teardown(test_model_format_version, teardown),
        cmocka_unit_test_teardown(test_model_empty_and_wrong_root, teardown),
        cmocka_unit_test_teardown(test_model_collects_every_problem, teardown),
        cmocka_unit_test_teardown(test_model_syntax_error_passes_through, teardown),
        cmocka_unit_test_teardown(test_model_long_ids_are_cut_in_messages, teardown),
        cmocka_unit_test_teardown(test_model_examples_load_without_errors, teardown),
        cmocka_unit_test_teardown(test_model_tingbjerg_shape, teardown),
        cmocka_unit_test_teardown(test_model_load_missing_file, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
