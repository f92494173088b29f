/* embed: check one partnership with libmaal and print each goal's verdict, its numbers and
 * where they came from; optionally also write a report file. Build with pkg-config only:
 *
 *   cc embed.c $(pkg-config --cflags --libs maal) -o embed
 *   ./embed PARTNERSHIP.yaml [YEAR [FORMAT=FILE]]
 *
 * Exit code: 0 no goal failed, 1 a goal failed, 2 invalid input, 3 a rule error. */
#include <maal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FORMAT=FILE: the check's report, streamed (begin, add, take, end) into a file that is
 * replaced only when the report is complete. */
static int write_report(maal_engine *e, const maal_check *c, const char *arg, maal_diags *d)
{
    char format[64];
    const char *eq = strchr(arg, '=');
    if (!eq || eq - arg >= (long)sizeof(format))
        return MAAL_ERR_USAGE;
    snprintf(format, sizeof(format), "%.*s", (int)(eq - arg), arg);
    maal_report_stream *s;
    maal_output *out;
    int rc = maal_report_begin(e, format, NULL, &s, d);
    if (rc != MAAL_OK)
        return rc;
    if ((rc = maal_output_open(eq + 1, MAAL_LANG_EN, &out, d)) != MAAL_OK) {
        maal_report_free(s);
        return rc;
    }
    size_t len;
    const char *text;
    maal_report_add(s, c); /* one partnership; a report of several adds each in turn */
    if ((text = maal_report_take(s, &len)))
        maal_output_write(out, text, len);
    rc = maal_report_end(s, NULL, d);
    if (rc == MAAL_OK && (text = maal_report_take(s, &len)))
        maal_output_write(out, text, len);
    maal_report_free(s);
    if (rc != MAAL_OK) {
        maal_output_abort(out); /* a previous file stays as it was */
        return rc;
    }
    return maal_output_commit_all(&out, 1, MAAL_LANG_EN, d, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: embed PARTNERSHIP.yaml [YEAR [FORMAT=FILE]]\n");
        return 2;
    }
    maal_engine *e = maal_engine_new();
    maal_diags *d = maal_diags_new();
    if (!e || !d)
        return 2;
    maal_engine_set_lang(e, MAAL_LANG_EN);
    if (argc >= 3 && maal_engine_set_year(e, atoi(argv[2])) != MAAL_OK) {
        fprintf(stderr, "embed: bad year '%s'\n", argv[2]);
        return 2;
    }
    int code = 2;
    maal_partnership *p = NULL;
    maal_check *c = NULL;
    if (maal_load_file(e, argv[1], &p, d) == MAAL_OK && maal_check_run(e, p, &c, d) == MAAL_OK) {
        printf("%s (libmaal %s): %zu goals, year %d\n", maal_partnership_id(p), maal_version(),
               maal_check_count(c), maal_check_year(c));
        for (size_t i = 0; i < maal_check_count(c); i++) {
            const maal_result *r = maal_check_result(c, i);
            double actual;
            printf("%-40s %-7s", maal_result_goal(r), maal_verdict_name(maal_result_verdict(r)));
            if (maal_result_actual(r, &actual))
                printf(" %g", actual);
            const char *file, *what;
            int line, col;
            if (maal_result_source(r, 0, &file, &line, &col, &what) == MAAL_OK)
                printf("  (%s:%d:%d %s)", file, line, col, what);
            printf("\n");
        }
        code = maal_check_count_verdict(c, MAAL_ERROR) ? 3 : maal_check_count_verdict(c, MAAL_FAIL) ? 1 : 0;
        if (argc == 4 && write_report(e, c, argv[3], d) != MAAL_OK)
            code = 2;
    }
    maal_diags_write(d, "text", stderr, MAAL_LANG_EN); /* file:line:col: error: ... */
    maal_check_free(c); /* before the partnership it borrows */
    maal_partnership_free(p);
    maal_diags_free(d);
    maal_engine_free(e);
    return code;
}
