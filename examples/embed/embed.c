/* embed: check one partnership with libmaal and print each goal's verdict, its numbers and
 * where they came from. Build with pkg-config only:
 *
 *   cc embed.c $(pkg-config --cflags --libs maal) -o embed
 *   ./embed PARTNERSHIP.yaml [YEAR]
 *
 * Exit code: 0 no goal failed, 1 a goal failed, 2 invalid input, 3 a rule error. */
#include <maal.h>
#include <stdio.h>
#include <stdlib.h>

static void print_diags(const maal_diags *d)
{
    for (size_t i = 0; i < maal_diags_size(d); i++) {
        enum maal_severity sev;
        const char *file, *msg;
        int line, col;
        maal_diags_get(d, i, &sev, &file, &line, &col, &msg);
        fprintf(stderr, "%s:%d:%d: %s: %s\n", file, line, col,
                sev == MAAL_SEV_ERROR ? "error" : "warning", msg);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: embed PARTNERSHIP.yaml [YEAR]\n");
        return 2;
    }
    maal_engine *e = maal_engine_new();
    maal_diags *d = maal_diags_new();
    if (!e || !d)
        return 2;
    maal_engine_set_lang(e, MAAL_LANG_EN);
    if (argc == 3 && maal_engine_set_year(e, atoi(argv[2])) != MAAL_OK) {
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
    }
    print_diags(d);
    maal_check_free(c); /* before the partnership it borrows */
    maal_partnership_free(p);
    maal_diags_free(d);
    maal_engine_free(e);
    return code;
}
