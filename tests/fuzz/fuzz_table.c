/* fuzz_table: libFuzzer target for CSV tables: bytes -> decoded, parsed table -> the values
 * of a wide and a long binding. The first byte picks the options (encoding, delimiter,
 * number format), so every combination is reached from one corpus. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_values(const struct maal_table_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].line < 1 || v[i].col < 1 || !v[i].what || !v[i].what_col)
            __builtin_trap(); /* every value is located and named */
        if (i && v[i].year <= v[i - 1].year)
            __builtin_trap(); /* one value per year, sorted */
        if (v[i].v != v[i].v)
            __builtin_trap(); /* no NaN from a cell */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char delims[] = {0, ';', ',', '\t'};
    struct maal_table_opts o = {.lang = (data[0] & 64) ? MAAL_LANG_EN : MAAL_LANG_DA,
                                .enc = (enum maal_table_enc)(data[0] % 3),
                                .num = (enum maal_table_num)((data[0] >> 2) % 3),
                                .delim = delims[(data[0] >> 4) & 3]};
    struct maal_arena a;
    maal_arena_init(&a);
    struct maal_diags d;
    maal_diags_init(&d);
    struct maal_table t;
    /* the text is not NUL-terminated: the reader must keep to 'size' bytes */
    int rc = maal_table_parse("t", "fuzz.csv", (const char *)data + 1, size - 1, &o, &a, &t, &d);
    if (rc == MAAL_ERR_INVALID && !d.oom && maal_diags_count(&d, MAAL_SEV_ERROR) == 0)
        __builtin_trap(); /* invalid input is always explained */
    if (rc == MAAL_OK) {
        if (t.header >= t.nrows)
            __builtin_trap();
        const struct maal_table_row *h = &t.rows[t.header];
        /* wide: the first data row's first label; long: the last header */
        const char *row[1] = {t.header + 1 < t.nrows ? t.rows[t.header + 1].cells[0].s : "x"};
        struct maal_table_binding b = {.row = row, .nrow = 1, .sum_quarters = data[0] & 128,
                                       .unknown_ok = data[0] & 1, .file = "p.yaml",
                                       .line = 1, .col = 1};
        struct maal_table_value *v;
        size_t n;
        size_t before = maal_diags_count(&d, MAAL_SEV_ERROR);
        rc = maal_table_select(&t, &b, o.lang, &a, &v, &n, &d);
        if (rc == MAAL_OK)
            check_values(v, n);
        else if (rc == MAAL_ERR_INVALID && !d.oom && maal_diags_count(&d, MAAL_SEV_ERROR) == before)
            __builtin_trap();
        if (t.nrows - t.header - 1 >= 64) { /* a long table: its index answers as the search */
            struct maal_table_value *v2;
            size_t n2;
            t.scanned = SIZE_MAX / 2;
            int rc2 = maal_table_select(&t, &b, o.lang, &a, &v2, &n2, &d);
            if (rc2 != rc && !d.oom)
                __builtin_trap();
            for (size_t i = 0; rc == MAAL_OK && rc2 == MAAL_OK && i < n; i++)
                if (n2 != n || v2[i].year != v[i].year || v2[i].line != v[i].line ||
                    v2[i].col != v[i].col || memcmp(&v2[i].v, &v[i].v, sizeof(double)) ||
                    strcmp(v2[i].what, v[i].what) || strcmp(v2[i].what_col, v[i].what_col))
                    __builtin_trap();
        }
        b.column = h->cells[h->n - 1].s;
        b.nrow = 0;
        rc = maal_table_select(&t, &b, o.lang, &a, &v, &n, &d);
        if (rc == MAAL_OK)
            check_values(v, n);
    }
    maal_arena_release(&a);
    maal_diags_release(&d);
    return 0;
}
