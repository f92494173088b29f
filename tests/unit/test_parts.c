/* test_parts: a report made of parts (maal_report_format_part on a worker's thread,
 * maal_report_add_part in order on the report's) with an allocation failure injected at each
 * allocation in turn, first while a part is formatted, then while it is added: each report
 * either ends as the report made at once, byte for byte, or ends with MAAL_ERR_NOMEM, never
 * with text missing and MAAL_OK; nothing leaks (LeakSanitizer at exit). The examples are
 * checked with --history and --outlook, so HTML's history rows and style flags are side data
 * of the parts too. The injection counts the allocations of the calling thread (util.c), as
 * a worker's would be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <maal.h>

#include "util.h" /* maal_mem_fail_after, maal_mem_count: the test reaches inside */

#ifndef MAAL_RULES_DIR
#error "the Makefile defines MAAL_RULES_DIR (the repository's rules/)"
#endif

#define NCHECKS 3
#define MAX_POINTS 100000

static const char *const EXAMPLES[] = {"amager-2017", "tingbjerg-husum-2021-2024"};

struct fx {
    maal_engine *e;
    maal_diags *d;
    maal_partnership *p[2];
    maal_check *c[2];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (!f || !(f->e = maal_engine_new()) || !(f->d = maal_diags_new()))
        return -1;
    maal_engine_set_history(f->e, true);
    maal_engine_set_outlook(f->e, true);
    for (int i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/../examples/%s/partnership.yaml", MAAL_RULES_DIR,
                 EXAMPLES[i]);
        if (maal_load_file(f->e, path, &f->p[i], f->d) != MAAL_OK ||
            maal_check_run(f->e, f->p[i], &f->c[i], f->d) != MAAL_OK)
            return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < 2; i++) {
        maal_check_free(f->c[i]);
        maal_partnership_free(f->p[i]);
    }
    maal_diags_free(f->d);
    maal_engine_free(f->e);
    free(f);
    return 0;
}

/* The report of the checks in parts, allocation 'fail_at' failing (0: none) while check
 * 'which' is formatted ('in_add' false) or added (true). *len and the text when it ends OK;
 * NULL when it ends out of memory. *faulted: the failure was reached. */
static char *in_parts(struct fx *f, const char *format, const maal_check *const *checks,
                      long fail_at, size_t which, bool in_add, size_t *len, bool *faulted)
{
    maal_report_stream *s;
    assert_int_equal(maal_report_begin(f->e, format, NULL, &s, f->d), MAAL_OK);
    maal_report_part *parts[NCHECKS];
    *faulted = false;
    for (size_t i = 0; i < NCHECKS; i++) {
        bool inject = fail_at && i == which && !in_add;
        if (inject)
            maal_mem_fail_after(fail_at);
        parts[i] = maal_report_format_part(s, checks[i]);
        if (inject) {
            *faulted = maal_mem_count() >= fail_at;
            maal_mem_fail_after(0);
        }
    }
    char *text = NULL;
    size_t tlen = 0, l;
    FILE *out = open_memstream(&text, &tlen);
    for (size_t i = 0; i < NCHECKS; i++) {
        bool inject = fail_at && i == which && in_add;
        if (inject)
            maal_mem_fail_after(fail_at);
        maal_report_add_part(s, parts[i]);
        if (inject) {
            *faulted = maal_mem_count() >= fail_at;
            maal_mem_fail_after(0);
        }
        const char *t = maal_report_take(s, &l);
        if (t)
            fwrite(t, 1, l, out);
    }
    int rc = maal_report_end(s, NULL, f->d);
    const char *t = maal_report_take(s, &l);
    if (t)
        fwrite(t, 1, l, out);
    fclose(out);
    maal_report_free(s);
    assert_true(rc == MAAL_OK || rc == MAAL_ERR_NOMEM);
    if (rc != MAAL_OK) {
        free(text);
        return NULL;
    }
    *len = tlen;
    return text;
}

static void test_parts_allocation_failures(void **state)
{
    struct fx *f = *state;
    static const char *const formats[] = {"text", "json", "junit", "tap", "markdown", "html",
                                          "github"};
    const maal_check *checks[NCHECKS] = {f->c[0], f->c[1], f->c[0]};
    for (size_t k = 0; k < sizeof(formats) / sizeof(formats[0]); k++) {
        char *whole;
        size_t wlen;
        assert_int_equal(maal_report_render(f->e, checks, NCHECKS, formats[k], &whole, &wlen,
                                            f->d),
                         MAAL_OK);
        for (int in_add = 0; in_add < 2; in_add++) {
            long points = 0, failed = 0;
            for (long n = 1; n < MAX_POINTS; n++) {
                size_t len = 0;
                bool faulted;
                char *got = in_parts(f, formats[k], checks, n, 1, in_add, &len, &faulted);
                points++;
                if (got) { /* ended OK: the whole report */
                    if (len != wlen || memcmp(got, whole, wlen))
                        fail_msg("%s: allocation %ld failing in %s: exit OK but the report "
                                 "differs (%zu bytes, expected %zu)",
                                 formats[k], n, in_add ? "add" : "format", len, wlen);
                    free(got);
                } else {
                    failed++;
                }
                if (!faulted)
                    break; /* past the last allocation */
            }
            if (!in_add)
                assert_true(points > 1); /* formatting allocates: there was one to fail */
            print_message("%s, %s: %ld points, %ld failed as out of memory\n", formats[k],
                          in_add ? "adding" : "formatting", points, failed);
        }
        maal_text_free(whole);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parts_allocation_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
