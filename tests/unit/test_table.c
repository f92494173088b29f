/* test_table: CSV tables: encodings, delimiters, quoted fields, the header, ragged rows,
 * Danish and English numbers, missing values, wide and long bindings, quarters, errors
 * located in the table, and tables bound from a partnership file. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model.h"
#include "table.h"

static struct {
    struct maal_arena a;
    struct maal_diags d;
    struct maal_table t;
    int rc;
} R;

static int setup(void **state)
{
    (void)state;
    maal_arena_init(&R.a);
    maal_diags_init(&R.d);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    maal_arena_release(&R.a);
    maal_diags_release(&R.d);
    return 0;
}

static int parse_opts(const char *text, size_t len, const struct maal_table_opts *o)
{
    R.rc = maal_table_parse("t", "t.csv", text, len, o, &R.a, &R.t, &R.d);
    return R.rc;
}

static int parse(const char *text)
{
    struct maal_table_opts o = {.lang = MAAL_LANG_DA, .num = MAAL_NUM_DANISH};
    return parse_opts(text, strlen(text), &o);
}

/* the one diagnostic, as "line:col: message" */
static const char *diag(void)
{
    static char buf[1024];
    assert_true(R.d.n >= 1);
    snprintf(buf, sizeof(buf), "%d:%d: %s", R.d.v[0].line, R.d.v[0].col, R.d.v[0].msg);
    return buf;
}

static void assert_diag_has(const char *want)
{
    const char *got = diag();
    if (!strstr(got, want))
        fail_msg("expected '%s' in '%s'", want, got);
}

static const struct maal_cell *cell(size_t row, size_t col)
{
    assert_true(row < R.t.nrows);
    assert_true(col < R.t.rows[row].n);
    return &R.t.rows[row].cells[col];
}

/* ---- reading ---- */

static void test_table_windows_1252_is_decoded(void **state)
{
    (void)state;
    assert_int_equal(parse("Gerningstype;2020\nTyveri/r\xF8" "veri;53\nVold/v\xE5" "ben;78\n"),
                     MAAL_OK);
    assert_int_equal(R.t.enc, MAAL_ENC_CP1252);
    assert_string_equal(cell(1, 0)->s, "Tyveri/røveri");
    assert_string_equal(cell(2, 0)->s, "Vold/våben");
    assert_int_equal(R.t.delim, ';');
}

static void test_table_utf8_bom_is_skipped(void **state)
{
    (void)state;
    assert_int_equal(parse("\xEF\xBB\xBF\xC3\x85r;Andel\r\n2021;16\r\n"), MAAL_OK);
    assert_int_equal(R.t.enc, MAAL_ENC_UTF8);
    assert_string_equal(cell(0, 0)->s, "År");
    assert_string_equal(cell(1, 1)->s, "16"); /* the CR of CRLF is not part of the field */
}

static void test_table_bom_in_the_middle_is_an_error(void **state)
{
    (void)state;
    assert_int_equal(parse("a;b\n1;2\n\xEF\xBB\xBF" "a;b\n"), MAAL_ERR_INVALID);
    assert_diag_has("3:1: et byte order mark (BOM) midt i filen");
}

static void test_table_bom_after_a_lookalike_is_found(void **state)
{
    (void)state;
    /* U+FEC0 starts with the BOM's first two bytes: the scan goes on past it */
    assert_int_equal(parse("a;b\n\xEF\xBB\x80;2\nx;\xEF\xBB\xBF" "1\n"), MAAL_ERR_INVALID);
    assert_diag_has("3:3: et byte order mark (BOM) midt i filen");
}

/* A text without a quote is split without libcsv: the same rows, cells, lines and columns as
 * libcsv gives the same text with one field quoted (CR, CRLF and LF line ends, blank lines,
 * an empty row, spaces and tabs around fields, a delimiter at the end, no final newline). */
static void test_table_text_without_quotes_reads_as_libcsv(void **state)
{
    (void)state;
    const char *plain = "Titel\r\r\n  a ;\t1 ;x\n\n;;\r b;2;\rc ; 3,5;\t\nd;4;y";
    const char *quoted = "Titel\r\r\n  a ;\t1 ;x\n\n;;\r b;2;\rc ; 3,5;\t\n\"d\";4;y";
    assert_int_equal(parse(plain), MAAL_OK);
    struct maal_table a = R.t;
    assert_int_equal(parse(quoted), MAAL_OK);
    struct maal_table b = R.t;
    assert_int_equal(a.nrows, 5);
    assert_int_equal(a.nrows, b.nrows);
    for (size_t r = 0; r < a.nrows; r++) {
        assert_int_equal(a.rows[r].n, b.rows[r].n);
        assert_int_equal(a.rows[r].line, b.rows[r].line);
        for (size_t c = 0; c < a.rows[r].n; c++) {
            assert_string_equal(a.rows[r].cells[c].s, b.rows[r].cells[c].s);
            assert_int_equal(a.rows[r].cells[c].line, b.rows[r].cells[c].line);
            assert_int_equal(a.rows[r].cells[c].col, b.rows[r].cells[c].col);
        }
    }
    assert_string_equal(a.rows[1].cells[0].s, "a");
    assert_string_equal(a.rows[1].cells[1].s, "1");
    /* a lone CR ends a line: 'Titel', an empty line, 'a', an empty line, ';;', ' b' */
    assert_int_equal(a.rows[1].line, 3);
    assert_int_equal(a.rows[2].line, 6);
    assert_int_equal(a.rows[2].n, 3);
    assert_int_equal(a.rows[4].line, 8);
}

/* A text is split in place: a row's cells are one text, each ended where its delimiter was
 * (no copy per cell), in UTF-8 and in Windows-1252 (converted once). */
static void test_table_cells_are_split_in_place(void **state)
{
    (void)state;
    const char *texts[] = {"Type;2020;2021\nIndbrud;23;27\n", "Type;2020;2021\nR\xF8veri;23;27\n"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(parse(texts[i]), MAAL_OK);
        const struct maal_table_row *r = &R.t.rows[1];
        assert_int_equal(r->n, 3);
        size_t n0 = strlen(r->cells[0].s);
        assert_ptr_equal(r->cells[1].s, r->cells[0].s + n0 + 1);
        assert_ptr_equal(r->cells[2].s, r->cells[1].s + 3);
        assert_ptr_equal(R.t.rows[0].cells[2].s, R.t.rows[0].cells[1].s + 5);
        assert_string_equal(r->cells[0].s, i ? "R\xC3\xB8veri" : "Indbrud");
        assert_string_equal(r->cells[2].s, "27");
    }
}

static void test_table_byte_not_in_windows_1252_is_an_error(void **state)
{
    (void)state;
    assert_int_equal(parse("a;b\nx\x81" ";2\n"), MAAL_ERR_INVALID);
    assert_diag_has("2:2: byten 0x81 findes ikke i windows-1252");
}

static void test_table_declared_utf8_rejects_latin1(void **state)
{
    (void)state;
    struct maal_table_opts o = {.lang = MAAL_LANG_DA, .enc = MAAL_ENC_UTF8};
    const char *s = "a;b\nr\xF8" ";2\n";
    assert_int_equal(parse_opts(s, strlen(s), &o), MAAL_ERR_INVALID);
    assert_diag_has("2:2: ugyldig UTF-8 (byte 0xF8)");
}

static void test_table_nul_byte_is_an_error(void **state)
{
    (void)state;
    struct maal_table_opts o = {.lang = MAAL_LANG_DA};
    assert_int_equal(parse_opts("a;b\n1\0;2\n", 9, &o), MAAL_ERR_INVALID);
    assert_diag_has("2:2: NUL-byte i filen");
}

static void test_table_delimiter_is_found(void **state)
{
    (void)state;
    /* Danish decimals have more commas than semicolons: the semicolon still wins */
    assert_int_equal(parse("Andel;2021\nx;24,8,1\n"), MAAL_OK);
    assert_int_equal(R.t.delim, ';');
    teardown(state), setup(state);
    assert_int_equal(parse("a\t2021\nx\t5\n"), MAAL_OK);
    assert_int_equal(R.t.delim, '\t');
    teardown(state), setup(state);
    assert_int_equal(parse("a,2021\n\"x;y\",5\n"), MAAL_OK); /* ';' only inside quotes */
    assert_int_equal(R.t.delim, ',');
    assert_string_equal(cell(1, 0)->s, "x;y");
}

static void test_table_quoted_field_spans_lines(void **state)
{
    (void)state;
    assert_int_equal(parse("a;2021\n\"Vold;\nv\xE5" "ben\";78\nIndbrud;23\n"), MAAL_OK);
    assert_string_equal(cell(1, 0)->s, "Vold;\nvåben");
    assert_int_equal(cell(1, 1)->line, 2);
    assert_int_equal(cell(1, 1)->col, 2);
    assert_int_equal(cell(2, 0)->line, 4); /* the line after the embedded newline */
}

/* Excel's "CSV (Macintosh)" ends lines with a lone \r: each is a line, as \n and \r\n are
 * (every row was on line 1), with and without quotes (libcsv's path), a quoted field
 * spanning one, and a located error after them */
static void test_table_lone_cr_ends_a_line(void **state)
{
    (void)state;
    assert_int_equal(parse("Titel\ra;2021\rx;1\r\ny;2\r"), MAAL_OK);
    assert_int_equal(R.t.rows[R.t.header].line, 2);
    assert_int_equal(cell(2, 1)->line, 3);
    assert_int_equal(cell(3, 1)->line, 4); /* after a \r\n, one line more */
    assert_int_equal(parse("Titel\r\"a\";2021\r\"x\ry\";1\rz;2\r"), MAAL_OK);
    assert_int_equal(R.t.rows[R.t.header].line, 2);
    assert_string_equal(cell(2, 0)->s, "x\ry");
    assert_int_equal(cell(2, 1)->line, 3);
    assert_int_equal(cell(3, 1)->line, 5);
    assert_int_equal(parse("a;2021\rx;1\ry;\xEF\xBB\xBF\r"), MAAL_ERR_INVALID);
    assert_diag_has("3:3: et byte order mark (BOM) midt i filen");
    struct maal_table_opts o = {.lang = MAAL_LANG_DA, .enc = MAAL_ENC_UTF8};
    maal_diags_release(&R.d);
    assert_int_equal(parse_opts("a;2021\rx;\xFF\r", 11, &o), MAAL_ERR_INVALID);
    assert_diag_has("2:3: ugyldig UTF-8");
    o.header_line = 2; /* 'header:' counts the same lines */
    assert_int_equal(parse_opts("Titel\ra;2021\rx;1\r", 17, &o), MAAL_OK);
    assert_int_equal(R.t.header, 1);
}

/* what a table that cannot be read is, said as such: Excel's "Unicode-tekst" (UTF-16) was
 * "a NUL byte" at 1:4, an empty file "no header row (separated by ',')", and a tab was
 * quoted as a raw tab */
static void test_table_unreadable_says_what_it_is(void **state)
{
    (void)state;
    struct maal_table_opts o = {.lang = MAAL_LANG_DA};
    assert_int_equal(parse_opts("\xFF\xFEG\0;\0", 6, &o), MAAL_ERR_INVALID);
    assert_diag_has("1:1: filen er UTF-16 (Excels \"Unicode-tekst\"), forventede UTF-8");
    maal_diags_release(&R.d);
    assert_int_equal(parse_opts("\xFE\xFF\0G", 4, &o), MAAL_ERR_INVALID);
    assert_diag_has("1:1: filen er UTF-16");
    maal_diags_release(&R.d);
    assert_int_equal(parse_opts("\xEF\xBB\xBF\r\n\n", 6, &o), MAAL_ERR_INVALID);
    assert_string_equal(diag(), "1:1: tabellen 't' er tom, forventede en overskriftsrække og "
                                "rækker under den");
    maal_diags_release(&R.d);
    o.delim = '\t';
    assert_int_equal(parse_opts("Titel\na;2021\n", 13, &o), MAAL_ERR_INVALID);
    assert_diag_has("(adskilt med tab)");
    maal_diags_release(&R.d);
    assert_int_equal(parse("a;2021\n"), MAAL_OK);
    const char *row[] = {"x"};
    struct maal_table_binding b = {.row = row, .nrow = 1, .file = "p.yaml", .line = 9, .col = 7};
    struct maal_table_value *v;
    size_t n;
    assert_int_equal(maal_table_select(&R.t, &b, MAAL_LANG_DA, &R.a, &v, &n, &R.d),
                     MAAL_ERR_INVALID);
    assert_string_equal(diag(), "9:7: rækken 'x' findes ikke i tabellen 't' (t.csv); tabellen "
                                "har ingen rækker under overskriften");
}

static void test_table_unclosed_quote_names_its_line(void **state)
{
    (void)state;
    assert_int_equal(parse("a;2021\nx;1\n\"y;2\nz;3\n"), MAAL_ERR_INVALID);
    assert_diag_has("3:1: anførselstegnet i dette felt lukkes aldrig");
}

static void test_table_quote_inside_a_field_is_an_error(void **state)
{
    (void)state;
    assert_int_equal(parse("a;2021\nx;1\ny\"z;2\n"), MAAL_ERR_INVALID);
    assert_diag_has("3:1: et anførselstegn midt i et felt");
}

static void test_table_title_lines_above_the_header(void **state)
{
    (void)state;
    assert_int_equal(parse("Anmeldelser\nEnhed: antal\n\n;2021K1;2021K2\nx;1;2\n"), MAAL_OK);
    assert_int_equal(R.t.header, 2);
    assert_int_equal(R.t.rows[R.t.header].line, 4);
}

static void test_table_ragged_row_is_an_error(void **state)
{
    (void)state;
    assert_int_equal(parse("a;2020;2021\nx;1;2\ny;3\n"), MAAL_ERR_INVALID);
    assert_diag_has("3:2: rækken har 2 felter, forventede 3 som overskriften i linje 1");
}

/* ---- numbers ---- */

/* a cell at t.csv:4:2 as a number; *why: the error's message, or NULL when there is none */
static int num(const char *s, enum maal_table_num f, double *v, bool *u, const char **why)
{
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    int r = maal_table_number(s, f, MAAL_LANG_DA, v, u, &R.d, "t.csv", 4, 2);
    assert_int_equal(R.d.n, r < 0 ? 1 : 0);
    *why = R.d.n ? R.d.v[0].msg : NULL;
    return r;
}

static void test_table_danish_numbers(void **state)
{
    (void)state;
    double v;
    bool u;
    const char *why;
    assert_int_equal(num("1.934.000 kr.", MAAL_NUM_DANISH, &v, &u, &why), 1);
    assert_true(v == 1934000);
    assert_int_equal(num("24,8", MAAL_NUM_DANISH, &v, &u, &why), 1);
    assert_true(fabs(v - 24.8) < 1e-9);
    assert_int_equal(num("1.234", MAAL_NUM_DANISH, &v, &u, &why), 1); /* never 1,234 */
    assert_true(v == 1234);
    assert_int_equal(num("16 %", MAAL_NUM_DANISH, &v, &u, &why), 1);
    assert_true(v == 16);
    assert_int_equal(num("\xE2\x88\x92" "3", MAAL_NUM_DANISH, &v, &u, &why), 1);
    assert_true(v == -3);
    assert_int_equal(num("1.93", MAAL_NUM_DANISH, &v, &u, &why), -1);
    assert_string_equal(why, "'1.93' er ikke et tal i dansk talformat");
    assert_int_equal(num("2l", MAAL_NUM_DANISH, &v, &u, &why), -1);
    assert_string_equal(why, "'2l' er ikke et tal");
}

/* Numbers read in one pass (quick_number) are the doubles maal_parse_double makes of the same
 * digits, for random Danish and English cells with thousands separators, decimals, signs and
 * units; the forms the full reading refuses are refused still. */
static void test_table_numbers_read_as_maal_parse_double(void **state)
{
    (void)state;
    srand(17);
    for (int i = 0; i < 20000; i++) {
        bool danish = i % 2, group = rand() % 2, neg = rand() % 4 == 0;
        int ndig = 1 + rand() % 15, nfrac = rand() % 4;
        if (nfrac > ndig - 1)
            nfrac = ndig - 1;
        char digits[20], cell[64], plain[64];
        for (int k = 0; k < ndig; k++)
            digits[k] = (char)('0' + (k == 0 && ndig - nfrac > 1 ? 1 + rand() % 9 : rand() % 10));
        size_t c = 0, p = 0;
        if (neg)
            cell[c++] = '-', plain[p++] = '-';
        int intn = ndig - nfrac;
        for (int k = 0; k < intn; k++) {
            if (group && k && (intn - k) % 3 == 0)
                cell[c++] = danish ? '.' : ',';
            cell[c++] = plain[p++] = digits[k];
        }
        if (nfrac) {
            cell[c++] = danish ? ',' : '.';
            plain[p++] = '.';
            for (int k = intn; k < ndig; k++)
                cell[c++] = plain[p++] = digits[k];
        }
        if (rand() % 8 == 0)
            c += (size_t)snprintf(cell + c, sizeof(cell) - c, " kr.");
        cell[c] = plain[p] = '\0';
        double want, got;
        bool u;
        const char *why;
        assert_true(maal_parse_double(plain, &want));
        assert_int_equal(num(cell, danish ? MAAL_NUM_DANISH : MAAL_NUM_ENGLISH, &got, &u, &why), 1);
        assert_memory_equal(&got, &want, sizeof(got)); /* the same bits, -0 included */
    }
    const char *bad[] = {",5", "5,", "1,,5", "1.2345", "12.34,5", "1.234.56", "1.23.456",
                         ".123", "1,2,3", "1.234,", "12 34", "1234567890123456,5x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        double v;
        bool u;
        const char *why;
        assert_int_equal(num(bad[i], MAAL_NUM_DANISH, &v, &u, &why), -1);
    }
    double v;
    bool u;
    const char *why;
    assert_int_equal(num("12345678901234567", MAAL_NUM_DANISH, &v, &u, &why), 1); /* > 15 */
    assert_true(v == 12345678901234567.0);
    assert_int_equal(num("1.234", MAAL_NUM_UNSET, &v, &u, &why), -1); /* no format given */
    assert_int_equal(num("1234", MAAL_NUM_UNSET, &v, &u, &why), 1);
    assert_true(v == 1234);
}

/* Excel and LibreOffice in da-DK may set thousands off by a no-break space (U+00A0, 0xA0 in
 * Windows-1252) or a narrow one (U+202F): never a decimal mark, so read in every format, in
 * groups of three only ('1 934 000' was "not a number") */
static void test_table_no_break_space_groups_thousands(void **state)
{
    (void)state;
    double v;
    bool u;
    const char *why;
    const enum maal_table_num fmts[] = {MAAL_NUM_DANISH, MAAL_NUM_ENGLISH, MAAL_NUM_UNSET};
    for (size_t f = 0; f < 3; f++) {
        assert_int_equal(num("1\xC2\xA0" "934\xC2\xA0" "000", fmts[f], &v, &u, &why), 1);
        assert_true(v == 1934000);
        assert_int_equal(num("1\xE2\x80\xAF" "934", fmts[f], &v, &u, &why), 1);
        assert_true(v == 1934);
        assert_int_equal(num("1\xC2\xA0" "934\xC2\xA0" "000\xC2\xA0kr.", fmts[f], &v, &u, &why), 1);
        assert_true(v == 1934000);
        assert_int_equal(num("\xE2\x88\x92" "2\xC2\xA0" "500", fmts[f], &v, &u, &why), 1);
        assert_true(v == -2500);
        /* not in groups of three, or next to another separator: an error as before */
        assert_int_equal(num("1\xC2\xA0" "93", fmts[f], &v, &u, &why), -1);
        assert_int_equal(num("1234\xC2\xA0" "567", fmts[f], &v, &u, &why), -1);
        assert_int_equal(num("1\xC2\xA0\xC2\xA0" "934", fmts[f], &v, &u, &why), -1);
        assert_int_equal(num("\xC2\xA0" "934", fmts[f], &v, &u, &why), -1);
    }
    assert_int_equal(num("12\xC2\xA0" "345,5", MAAL_NUM_DANISH, &v, &u, &why), 1);
    assert_true(fabs(v - 12345.5) < 1e-9);
    assert_int_equal(num("12\xC2\xA0" "345.5", MAAL_NUM_ENGLISH, &v, &u, &why), 1);
    assert_true(fabs(v - 12345.5) < 1e-9);
    assert_int_equal(num("12\xC2\xA0" "345.5", MAAL_NUM_DANISH, &v, &u, &why), -1);
    assert_int_equal(num("1\xC2\xA0" "934.000", MAAL_NUM_DANISH, &v, &u, &why), -1);
    assert_int_equal(num("12\xC2\xA0" "345,5", MAAL_NUM_UNSET, &v, &u, &why), -1);
}

static void test_table_english_numbers(void **state)
{
    (void)state;
    double v;
    bool u;
    const char *why;
    assert_int_equal(num("1,934,000", MAAL_NUM_ENGLISH, &v, &u, &why), 1);
    assert_true(v == 1934000);
    assert_int_equal(num("24.8", MAAL_NUM_ENGLISH, &v, &u, &why), 1);
    assert_true(fabs(v - 24.8) < 1e-9);
    assert_int_equal(num("24,8", MAAL_NUM_ENGLISH, &v, &u, &why), -1);
    assert_string_equal(why, "'24,8' er ikke et tal i engelsk talformat");
}

static void test_table_separator_needs_a_declared_format(void **state)
{
    (void)state;
    double v;
    bool u;
    const char *why;
    assert_int_equal(num("27", MAAL_NUM_UNSET, &v, &u, &why), 1);
    assert_int_equal(num("1.234", MAAL_NUM_UNSET, &v, &u, &why), -1);
    assert_non_null(strstr(why, "numbers: danish eller numbers: english"));
}

static void test_table_missing_values_are_not_zero(void **state)
{
    (void)state;
    double v = 7;
    bool u;
    const char *why;
    const char *missing[] = {"", "-", ".."};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(num(missing[i], MAAL_NUM_DANISH, &v, &u, &why), 0);
        assert_false(u);
    }
    assert_int_equal(num("?", MAAL_NUM_DANISH, &v, &u, &why), 0);
    assert_true(u);
    assert_true(v == 7);
}

static void test_table_formula_is_text(void **state)
{
    (void)state;
    double v;
    bool u;
    const char *why;
    assert_int_equal(num("=1+1", MAAL_NUM_DANISH, &v, &u, &why), -1);
    assert_string_equal(why, "'=1+1' er en formel, ikke et tal (gem tabellen med værdier)");
}

/* a cell that is not a number is an error at the cell, quoting it (issue 15 §3: one channel) */
static void test_table_number_error_is_a_diagnostic(void **state)
{
    (void)state;
    double v;
    bool u;
    const char *why;
    assert_int_equal(num("12 stk", MAAL_NUM_DANISH, &v, &u, &why), -1);
    assert_int_equal(R.d.v[0].sev, MAAL_SEV_ERROR);
    assert_string_equal(R.d.v[0].file, "t.csv");
    assert_int_equal(R.d.v[0].line, 4);
    assert_int_equal(R.d.v[0].col, 2);
    assert_string_equal(why, "'12 stk' er ikke et tal");
    assert_int_equal(num("1.234", MAAL_NUM_UNSET, &v, &u, &why), -1);
    assert_string_equal(R.d.v[0].file, "t.csv");
    assert_int_equal(R.d.v[0].line, 4);
}

/* A table says at most MAAL_TABLE_MAX_ERRORS errors about its rows, then that it has more: 20
 * million ragged rows were 20 million lines of errors (8.7 GB, two minutes) */
static void test_table_ragged_rows_say_fifty_errors(void **state)
{
    (void)state;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_printf(&b, "a;2020;2021\n");
    for (int i = 0; i < 10000; i++)
        maal_buf_printf(&b, "x\n");
    assert_int_equal(parse(maal_buf_str(&b)), MAAL_ERR_INVALID);
    maal_buf_release(&b);
    assert_int_equal(R.d.n, MAAL_TABLE_MAX_ERRORS + 1);
    assert_int_equal(R.d.v[MAAL_TABLE_MAX_ERRORS - 1].line, MAAL_TABLE_MAX_ERRORS + 1);
    const struct maal_diag *last = &R.d.v[MAAL_TABLE_MAX_ERRORS];
    assert_int_equal(last->line, MAAL_TABLE_MAX_ERRORS + 2);
    assert_string_equal(last->msg, "tabellen 't' har flere fejl end de 50, der er vist; ret dem og "
                                   "kør igen");
}

/* ---- bindings ---- */

static struct maal_table_value *V;
static size_t NV;

/* A value's name as a source shows it: the binding's part and the column's */
static const char *what_of(const struct maal_table_value *x)
{
    static char buf[256];
    snprintf(buf, sizeof(buf), "%s%s", x->what, x->what_col);
    return buf;
}

static int sel(const char *const *row, size_t nrow, const char *column, bool sum)
{
    struct maal_table_binding b = {.row = row, .nrow = nrow, .column = column,
                                   .sum_quarters = sum, .file = "p.yaml", .line = 9, .col = 7};
    return maal_table_select(&R.t, &b, MAAL_LANG_DA, &R.a, &V, &NV, &R.d);
}

static const char *const CRIME = "Gerningstype;2020;2021;2022\n"
                                  "Indbrud;23;27;..\n"
                                  "Tyveri/røveri;53;32;-\n"
                                  "Vold;78;2l;\n";

static void test_table_wide_row_gives_its_years(void **state)
{
    (void)state;
    assert_int_equal(parse(CRIME), MAAL_OK);
    const char *row[] = {"Indbrud"};
    assert_int_equal(sel(row, 1, NULL, false), MAAL_OK);
    assert_int_equal(NV, 2); /* '..' in 2022 is no value */
    assert_int_equal(V[1].year, 2021);
    assert_true(V[1].v == 27);
    assert_int_equal(V[1].line, 2);
    assert_int_equal(V[1].col, 3);
    assert_string_equal(what_of(&V[1]), "t: Indbrud, 2021");
}

/* A value's name is made of two strings made once: the binding's ("t: Indbrud, ") for all
 * its values, and each column's header for every binding to the table. */
static void test_table_values_share_their_names(void **state)
{
    (void)state;
    assert_int_equal(parse(CRIME), MAAL_OK);
    const char *row[] = {"Indbrud"};
    assert_int_equal(sel(row, 1, NULL, false), MAAL_OK);
    assert_int_equal(NV, 2);
    assert_ptr_equal(V[0].what, V[1].what);
    const char *col2020 = V[0].what_col, *col2021 = V[1].what_col;
    const char *other[] = {"Tyveri/røveri"};
    assert_int_equal(sel(other, 1, NULL, false), MAAL_OK);
    assert_int_equal(NV, 2);
    assert_ptr_equal(V[0].what_col, col2020);
    assert_ptr_equal(V[1].what_col, col2021);
    assert_string_equal(what_of(&V[0]), "t: Tyveri/røveri, 2020");
    assert_string_equal(what_of(&V[1]), "t: Tyveri/røveri, 2021");
}

static void test_table_bad_cell_is_located_in_the_table(void **state)
{
    (void)state;
    assert_int_equal(parse(CRIME), MAAL_OK);
    const char *row[] = {"Vold"};
    assert_int_equal(sel(row, 1, NULL, false), MAAL_ERR_INVALID);
    assert_string_equal(R.d.v[0].file, "t.csv");
    assert_string_equal(diag(), "4:3: '2l' er ikke et tal");
}

/* a column of bad cells says fifty errors and that there are more; a cell or a label an
 * error quotes is cut (a 30 MB cell was quoted whole) and shows no control character */
static void test_table_bad_cells_say_fifty_errors_cut(void **state)
{
    (void)state;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_printf(&b, "År;Antal\n");
    for (int i = 0; i < 200; i++)
        maal_buf_printf(&b, "%d;x%d\n", 1900 + i, i);
    assert_int_equal(parse(maal_buf_str(&b)), MAAL_OK);
    maal_buf_release(&b);
    assert_int_equal(sel(NULL, 0, "Antal", false), MAAL_ERR_INVALID);
    assert_int_equal(R.d.n, MAAL_TABLE_MAX_ERRORS + 1);
    assert_string_equal(R.d.v[0].msg, "'x0' er ikke et tal");
    assert_string_equal(R.d.v[MAAL_TABLE_MAX_ERRORS].msg,
                        "tabellen 't' har flere fejl end de 50, der er vist; ret dem og kør igen");
    maal_diags_release(&R.d);
    maal_buf_printf(&b, "a;2021\nx;");
    for (int i = 0; i < 100000; i++)
        maal_buf_putc(&b, 'y');
    maal_buf_printf(&b, "\n\x1b[31m");
    for (int i = 0; i < 100; i++)
        maal_buf_putc(&b, 'z');
    maal_buf_printf(&b, ";1\n");
    assert_int_equal(parse(maal_buf_str(&b)), MAAL_OK);
    maal_buf_release(&b);
    const char *x[] = {"x"}, *w[] = {"w"};
    assert_int_equal(sel(x, 1, NULL, false), MAAL_ERR_INVALID);
    assert_true(strlen(R.d.v[0].msg) < 200);
    assert_non_null(strstr(R.d.v[0].msg, "'yyyyy"));
    assert_non_null(strstr(R.d.v[0].msg, "\xE2\x80\xA6' er ikke et tal"));
    maal_diags_release(&R.d);
    assert_int_equal(sel(w, 1, NULL, false), MAAL_ERR_INVALID);
    assert_true(strlen(R.d.v[0].msg) < 300);
    assert_null(strchr(R.d.v[0].msg, '\x1b'));
    assert_non_null(strstr(R.d.v[0].msg, "zzz\xE2\x80\xA6'"));
}

/* A long table that many bindings look in is looked up by an index after a few: the same
 * rows as the search through the table (a blank label takes the one above, a label twice is
 * an error naming both lines, a label no row has names the nearest), each lookup at the cost
 * of one however long the table (5 000 bindings to 200 000 rows took 4.6 s) */
static void test_table_many_bindings_find_the_same_rows(void **state)
{
    (void)state;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_printf(&b, "Type;2020;2021\n");
    for (int i = 0; i < 300; i++) { /* r0 .. r299, 'dup' twice, a blank after each tenth */
        if (i == 7 || i == 250)
            maal_buf_printf(&b, "dup;%d;%d\n", i, i + 1);
        else
            maal_buf_printf(&b, "r%d;%d;%d\n", i, i, i + 1);
        if (i % 10 == 0)
            maal_buf_printf(&b, ";1;2\n");
    }
    maal_buf_printf(&b, "x;1;2\n");
    const char *text = maal_buf_str(&b);
    assert_int_equal(parse(text), MAAL_OK);
    const char *labels[] = {"r5", "", "dup", "x", "nowhere"};
    char got[2][5][512];
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < 5; k++) {
            const char *row[1] = {labels[k]};
            maal_diags_release(&R.d);
            if (!pass)
                R.t.scanned = 0; /* the first pass all by searching the table */
            int rc = sel(row, 1, NULL, false);
            int n = snprintf(got[pass][k], sizeof(got[pass][k]), "%d %zu:", rc,
                             rc == MAAL_OK ? NV : 0);
            for (size_t i = 0; rc == MAAL_OK && i < NV && n < 400; i++)
                n += snprintf(got[pass][k] + n, sizeof(got[pass][k]) - (size_t)n, " %d=%g@%d:%d",
                              V[i].year, V[i].v, V[i].line, V[i].col);
            if (R.d.n)
                snprintf(got[pass][k] + n, sizeof(got[pass][k]) - (size_t)n, " %s",
                         R.d.v[0].msg);
        }
        if (!pass)
            assert_null(R.t.cache);
        else
            assert_non_null(R.t.cache);
        for (int more = 0; !pass && more < 5; more++) { /* past four times the table */
            const char *row[1] = {"x"};
            assert_int_equal(sel(row, 1, NULL, false), MAAL_OK);
        }
    }
    for (int k = 0; k < 5; k++)
        assert_string_equal(got[0][k], got[1][k]);
    assert_string_equal(got[0][0], "0 2: 2020=5@8:2 2021=6@8:3");
    assert_non_null(strstr(got[0][2], "linje 10 og 277"));
    assert_string_equal(got[0][3], "0 2: 2020=1@332:2 2021=2@332:3");
    assert_non_null(strstr(got[0][4], "rækken 'nowhere' findes ikke"));
    maal_buf_release(&b);
}

/* One binding's answer as text: its code, values (year, number, unknown, cell, name) and
 * the first error. */
static void answer(char *out, size_t size, int rc)
{
    int n = snprintf(out, size, "%d", rc);
    for (size_t i = 0; rc == MAAL_OK && i < NV && (size_t)n < size - 100; i++)
        n += snprintf(out + n, size - (size_t)n, " %d=%g%s@%d:%d[%s%s]", V[i].year, V[i].v,
                      V[i].unknown ? "?" : "", V[i].line, V[i].col, V[i].what, V[i].what_col);
    if (R.d.n && (size_t)n < size - 100)
        snprintf(out + n, size - (size_t)n, " | %s", R.d.v[0].msg);
}

static size_t rnd(unsigned *seed, size_t n)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 8) % n;
}

/* The index answers as the search does, for random tables (an area column written once per
 * group and filled down, a type column, sometimes a third; rows twice; years and quarters;
 * wide and long) and bindings of one to three labels: a row's own, part of them, or none
 * the table has */
static void test_table_index_answers_as_the_search(void **state)
{
    (void)state;
    unsigned seed = 12345;
#define RND(n) rnd(&seed, n)
    size_t counts[3] = {0}; /* answers with values, errors, rows not found */
    for (int round = 0; round < 40; round++) {
        struct maal_buf b = MAAL_BUF_INIT;
        bool longl = round % 2, three = round % 4 >= 2;
        if (longl)
            maal_buf_printf(&b, "Område;År;%sAndel;Antal\n", three ? "Type;" : "");
        else
            maal_buf_printf(&b, "Område;%sGruppe;2020;2021;2022\n", three ? "Type;" : "");
        size_t ngroups = 64 + RND(60); /* 64 rows or more: indexed */
        for (size_t g = 0; g < ngroups; g++) {
            size_t area = g / 4, type = RND(5), rows = longl ? 1 + RND(4) : 1;
            for (size_t r = 0; r < rows; r++) {
                bool blank = r > 0 || (g % 4 && RND(2)); /* filled down from the row above */
                char a[32], t[32], grp[32];
                snprintf(a, sizeof(a), "%s%zu", blank ? "" : "A", blank ? 0 : area);
                if (blank)
                    a[0] = '\0';
                snprintf(t, sizeof(t), "t%zu", type);
                snprintf(grp, sizeof(grp), "g%zu", RND(3) ? g : g + 1);
                int year = 2019 + (int)(longl ? (r + RND(2)) : RND(4));
                /* quarters (K1..K4) in the tables whose bindings sum them */
                const char *const qs[] = {"K1", "K2", "K3", "K4"};
                const char *q = round % 3 == 0 ? qs[RND(4)] : "", *missing = RND(6) ? "5" : "..";
                size_t v = RND(50);
                if (longl)
                    maal_buf_printf(&b, "%s;%d%s;%s%s%s;%zu\n", a, year, q, three ? t : "",
                                    three ? ";" : "", RND(9) ? "7" : "?", v);
                else
                    maal_buf_printf(&b, "%s;%s%s%s;%zu;%s;%zu\n", a, three ? t : "",
                                    three ? ";" : "", grp, v % 9, missing, v);
            }
        }
        maal_arena_release(&R.a);
        maal_arena_init(&R.a);
        assert_int_equal(parse(maal_buf_str(&b)), MAAL_OK);
        maal_buf_release(&b);
        size_t nr = R.t.nrows - R.t.header - 1;
        for (int k = 0; k < 40; k++) {
            /* a row's labels (its area filled down), some of them, or one no row has */
            size_t r = RND(nr), nrow = 0;
            const char *row[3], *area = "";
            for (size_t i = 0; i <= r; i++)
                if (*R.t.rows[R.t.header + 1 + i].cells[0].s)
                    area = R.t.rows[R.t.header + 1 + i].cells[0].s;
            const struct maal_cell *cells = R.t.rows[R.t.header + 1 + r].cells;
            if (RND(4))
                row[nrow++] = area;
            if (three && RND(2))
                row[nrow++] = cells[longl ? 2 : 1].s;
            if (!longl && (RND(6) || !nrow))
                row[nrow++] = cells[three ? 2 : 1].s;
            if (!nrow || !RND(8))
                row[nrow ? nrow - 1 : nrow++] = RND(2) ? "nowhere" : "A1";
            char got[2][4096];
            for (int pass = 0; pass < 2; pass++) {
                struct maal_table_cache *c = R.t.cache;
                if (!pass)
                    R.t.cache = NULL; /* searched */
                R.t.scanned = pass ? SIZE_MAX / 2 : 0;
                maal_diags_release(&R.d);
                R.t.nerr = 0;
                struct maal_table_binding bd = {.row = row, .nrow = nrow,
                                                .column = longl ? (k % 2 ? "Antal" : "Andel") : NULL,
                                                .sum_quarters = longl && round % 3 == 0,
                                                .unknown_ok = k % 3 == 0,
                                                .file = "p.yaml", .line = 9, .col = 7};
                int rc = maal_table_select(&R.t, &bd, MAAL_LANG_DA, &R.a, &V, &NV, &R.d);
                answer(got[pass], sizeof(got[pass]), rc);
                if (!pass) {
                    counts[rc == MAAL_OK ? 0 : strstr(got[0], "findes ikke") ? 2 : 1]++;
                    if (c)
                        R.t.cache = c;
                }
            }
            assert_non_null(R.t.cache); /* the second pass was by the index */
            if (strcmp(got[0], got[1]))
                fail_msg("round %d binding %d: searched '%s', indexed '%s'", round, k, got[0],
                         got[1]);
        }
    }
#undef RND
    /* every kind of answer was compared, not only errors */
    assert_true(counts[0] >= 300);
    assert_true(counts[1] >= 100);
    assert_true(counts[2] >= 50);
}

static void test_table_unknown_row_names_the_nearest(void **state)
{
    (void)state;
    assert_int_equal(parse(CRIME), MAAL_OK);
    const char *row[] = {"Indbrut"};
    assert_int_equal(sel(row, 1, NULL, false), MAAL_ERR_INVALID);
    assert_string_equal(R.d.v[0].file, "p.yaml");
    assert_diag_has("9:7: rækken 'Indbrut' findes ikke i tabellen 't' (t.csv) (mente du "
                    "'Indbrud'?); tabellen har: 'Indbrud', 'Tyveri/røveri', 'Vold'");
}

static void test_table_ambiguous_row_is_an_error(void **state)
{
    (void)state;
    assert_int_equal(parse("Område;Type;2021\nA;Indbrud;1\nB;Indbrud;2\n"), MAAL_OK);
    const char *row[] = {"Indbrud"};
    assert_int_equal(sel(row, 1, NULL, false), MAAL_ERR_INVALID);
    assert_diag_has("linje 2 og 3");
    const char *two[] = {"B", "Indbrud"};
    assert_int_equal(sel(two, 2, NULL, false), MAAL_OK);
    assert_int_equal(NV, 1);
    assert_true(V[0].v == 2);
}

/* One label column and one label (the fast path): a blank label is the one above it, the
 * first two rows that match are named, once, and a row found is the first match's. */
static void test_table_one_label_column_is_filled_down(void **state)
{
    (void)state;
    assert_int_equal(parse("Gerningstype;2020;2021\n"
                           "Indbrud;1;2\n"
                           ";3;4\n"
                           "Vold;5;6\n"
                           "Vold;7;8\n"
                           "Vold;9;10\n"
                           "Hærværk;11;12\n"
                           ";13;14\n"),
                     MAAL_OK);
    const char *indbrud[] = {"Indbrud"};
    assert_int_equal(sel(indbrud, 1, NULL, false), MAAL_ERR_INVALID);
    assert_int_equal(R.d.n, 1);
    assert_diag_has("9:7: row passer på flere rækker i tabellen 't' (t.csv: linje 2 og 3)");
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    const char *vold[] = {"Vold"};
    assert_int_equal(sel(vold, 1, NULL, false), MAAL_ERR_INVALID);
    assert_int_equal(R.d.n, 1); /* the third match says nothing more */
    assert_diag_has("linje 4 og 5");
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    const char *hv[] = {"Hærværk"}; /* the last row's blank is Hærværk too */
    assert_int_equal(sel(hv, 1, NULL, false), MAAL_ERR_INVALID);
    assert_diag_has("linje 7 og 8");
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    assert_int_equal(parse("Gerningstype;2020;2021\n;1;2\nIndbrud;3;4\n;5;\nVold;7;8\n"), MAAL_OK);
    assert_int_equal(sel(indbrud, 1, NULL, false), MAAL_ERR_INVALID); /* rows 3 and 4 */
    assert_diag_has("linje 3 og 4");
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    assert_int_equal(sel(vold, 1, NULL, false), MAAL_OK);
    assert_int_equal(NV, 2);
    assert_int_equal(V[0].line, 5);
    assert_true(V[0].v == 7 && V[1].v == 8);
    assert_string_equal(what_of(&V[1]), "t: Vold, 2021");
    const char *none[] = {"Indbru"};
    assert_int_equal(sel(none, 1, NULL, false), MAAL_ERR_INVALID);
    assert_diag_has("rækken 'Indbru' findes ikke i tabellen 't' (t.csv) (mente du 'Indbrud'?)");
}

/* A row of a table whose header years are in order is read cell by cell (finish_row); the
 * same row under a header out of order is grouped by year (finish): the same values, both
 * with "-0" as 0, '?' as not known (unknown_ok), empty cells as no value, and every bad cell
 * named. */
static void test_table_years_in_order_read_as_grouped(void **state)
{
    (void)state;
    const char *const text[2] = {"L;2020;2021;2022;2023\nA;-0;?;;5\nB;2l;1;x1;2\n",
                                 "L;2023;2020;2021;2022\nA;5;-0;?;\nB;2;2l;1;x1\n"};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(parse(text[k]), MAAL_OK);
        assert_int_equal(R.t.years_in_order, k == 0);
        const char *a[] = {"A"};
        struct maal_table_binding b = {.row = a, .nrow = 1, .unknown_ok = true, .file = "p.yaml",
                                       .line = 9, .col = 7};
        assert_int_equal(maal_table_select(&R.t, &b, MAAL_LANG_DA, &R.a, &V, &NV, &R.d), MAAL_OK);
        assert_int_equal(NV, 3);
        assert_int_equal(V[0].year, 2020);
        assert_true(V[0].v == 0 && !signbit(V[0].v) && !V[0].unknown);
        assert_int_equal(V[1].year, 2021);
        assert_true(V[1].unknown && V[1].v == 0);
        assert_int_equal(V[2].year, 2023);
        assert_true(V[2].v == 5);
        assert_int_equal(V[2].line, 2);
        assert_int_equal(V[2].col, k == 0 ? 5 : 2);
        assert_string_equal(what_of(&V[2]), "t: A, 2023");
        const char *bb[] = {"B"};
        b.row = bb;
        assert_int_equal(maal_table_select(&R.t, &b, MAAL_LANG_DA, &R.a, &V, &NV, &R.d),
                         MAAL_ERR_INVALID);
        assert_int_equal(R.d.n, 2); /* both bad cells, in the order of their years */
        assert_string_equal(diag(), k == 0 ? "3:2: '2l' er ikke et tal" : "3:3: '2l' er ikke et tal");
        maal_diags_release(&R.d);
        maal_diags_init(&R.d);
    }
}

static const char *const QUARTERS = "Titel\n"
                                    ";;2020K1;2020K2;2020K3;2020K4;2021K1;2021K2\n"
                                    "Husum;Chikane;15;17;16;17;16;16\n"
                                    ";Hærværk;10;12;11;12;7;..\n";

static void test_table_quarters_are_summed_only_when_asked(void **state)
{
    (void)state;
    assert_int_equal(parse(QUARTERS), MAAL_OK);
    const char *row[] = {"Husum", "Chikane"};
    assert_int_equal(sel(row, 2, NULL, false), MAAL_ERR_INVALID);
    assert_diag_has("har kvartaler ('2020K1'), forventede quarters: sum");
    assert_int_equal(sel(row, 2, NULL, true), MAAL_OK);
    assert_int_equal(NV, 1); /* 2021 has two quarters only: no year */
    assert_int_equal(V[0].year, 2020);
    assert_true(V[0].v == 65);
    assert_int_equal(V[0].col, 3);
    assert_string_equal(what_of(&V[0]), "t: Husum / Chikane, 2020K1-2020K4");
}

static void test_table_labels_are_filled_down(void **state)
{
    (void)state;
    assert_int_equal(parse(QUARTERS), MAAL_OK);
    const char *row[] = {"Husum", "Hærværk"}; /* 'Husum' is written once, above */
    assert_int_equal(sel(row, 2, NULL, true), MAAL_OK);
    assert_int_equal(NV, 1);
    assert_true(V[0].v == 45);
}

static const char *const SURVEY = "År;Område;Andel utrygge;Besvarelser\n"
                                  "2021;Husum;16 %;850\n"
                                  "2022;Husum;26 %;812\n"
                                  "2022;København;9 %;12.034\n";

static void test_table_long_column_gives_its_rows(void **state)
{
    (void)state;
    assert_int_equal(parse(SURVEY), MAAL_OK);
    const char *row[] = {"København"};
    assert_int_equal(sel(row, 1, "Besvarelser", false), MAAL_OK);
    assert_int_equal(NV, 1);
    assert_true(V[0].v == 12034);
    assert_int_equal(V[0].line, 4);
    assert_int_equal(V[0].col, 4);
    assert_string_equal(what_of(&V[0]), "t: København, Besvarelser, 2022");
}

static void test_table_long_year_twice_is_an_error(void **state)
{
    (void)state;
    assert_int_equal(parse(SURVEY), MAAL_OK);
    assert_int_equal(sel(NULL, 0, "Andel utrygge", false), MAAL_ERR_INVALID);
    assert_diag_has("4:3: 2022 står to gange i tabellen 't' (også linje 3, felt 3)");
}

static void test_table_missing_column_names_the_headers(void **state)
{
    (void)state;
    assert_int_equal(parse(SURVEY), MAAL_OK);
    const char *row[] = {"Husum"};
    assert_int_equal(sel(row, 1, "Andel utryge", false), MAAL_ERR_INVALID);
    assert_diag_has("kolonnen 'Andel utryge' findes ikke i tabellen 't' (t.csv) (mente du "
                    "'Andel utrygge'?)");
}

/* A binding needs memory for a row, not for the table: many bindings to a big table stay
 * small (the labels of every row used to be filled in for each binding: 64 MB here). */
static void test_table_bindings_do_not_copy_the_table(void **state)
{
    (void)state;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_puts(&b, "Type");
    for (int c = 0; c < 19; c++)
        maal_buf_printf(&b, ";%d", 2000 + c);
    for (int r = 0; r < 1000; r++) {
        maal_buf_printf(&b, "\nT%d", r);
        for (int c = 0; c < 19; c++)
            maal_buf_printf(&b, ";%d", r + c);
    }
    maal_buf_putc(&b, '\n');
    assert_int_equal(parse(maal_buf_str(&b)), MAAL_OK);
    maal_buf_release(&b);
    size_t before = R.a.total;
    for (int i = 0; i < 100; i++) {
        char label[16];
        snprintf(label, sizeof(label), "T%d", i * 7);
        const char *row[] = {label};
        assert_int_equal(sel(row, 1, NULL, false), MAAL_OK);
        assert_int_equal(NV, 19);
        assert_true(V[0].v == i * 7);
    }
    assert_true(R.a.total - before < 8u << 20);
}

/* ---- from a partnership file ---- */

static struct maal_partnership *load(const char *path)
{
    struct maal_limits lim;
    maal_limits_default(&lim);
    struct maal_partnership *p = NULL;
    R.rc = maal_partnership_load(path, &lim, MAAL_LANG_DA, &p, &R.d);
    return p;
}

static const struct maal_activity *act(const struct maal_partnership *p, const char *id)
{
    const struct maal_activity *a = maal_activity_find(p, id);
    assert_non_null(a);
    return a;
}

static void test_table_partnership_binds_tables(void **state)
{
    (void)state;
    struct maal_partnership *p = load("tests/e2e/tables/partnership.yaml");
    for (size_t i = 0; i < R.d.n; i++)
        print_message("%s:%d:%d: %s\n", R.d.v[i].file, R.d.v[i].line, R.d.v[i].col,
                      R.d.v[i].msg);
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_yearval *y = maal_yearmap_get(&act(p, "a01")->financing, 2021);
    assert_non_null(y);
    assert_true(y->v == 220000);
    assert_string_equal(y->file, "tests/e2e/tables/budget.csv");
    y = maal_yearmap_get(&act(p, "a01")->financing, 2023);
    assert_non_null(y);
    assert_true(y->unknown); /* '?' in financing: not yet decided */
    assert_null(maal_yearmap_get(&act(p, "a02")->financing, 2023)); /* empty: missing */
    const struct maal_series *s = maal_series_find(p, "haervaerk");
    assert_int_equal(s->values[MAAL_SCOPE_AREA].n, 3); /* 2019 from the YAML, 2020-2021 */
    assert_null(s->values[MAAL_SCOPE_AREA].v[0].file);
    s = maal_series_find(p, "utrygge");
    y = maal_yearmap_get(&s->samples[MAAL_SCOPE_AREA], 2022);
    assert_true(y->v == 812);
    maal_partnership_free(p);
}

/* 'maal validate' on a file written here */
static int load_text(const char *dir, const char *yaml, const char *csv)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(csv, f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(yaml, f);
    fclose(f);
    struct maal_partnership *p = load(path);
    maal_partnership_free(p);
    return R.rc;
}

#define PROLOGUE                                                                               \
    "maal: 1\npartnership: {id: p, name: P, period: {from: 2020, to: 2022}}\n"                 \
    "goals: [{id: g, title: G, rule: monitor, params: {series: s}}]\n"

static void test_table_year_in_yaml_and_table_is_an_error(void **state)
{
    (void)state;
    char dir[] = "/tmp/maal-test-table-XXXXXX";
    assert_non_null(mkdtemp(dir));
    int rc = load_text(dir,
                       PROLOGUE "tables: {t: {file: t.csv}}\n"
                                "series: [{id: s, name: S, kind: crime, unit: count,\n"
                                "  values: {area: {table: t, row: x, 2021: 5}}}]\n",
                       "a;2020;2021\nx;1;2\n");
    assert_int_equal(rc, MAAL_ERR_INVALID);
    assert_diag_has("6:43: år 2021 i 's.values.area' står både her og i tabellen 't'");
    assert_non_null(strstr(diag(), "t.csv:2:3)"));
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/t.csv", dir);
    remove(path);
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    remove(path);
    remove(dir);
}

static void test_table_file_outside_the_folder_is_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/maal-test-table-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *files[] = {"../t.csv", "/etc/passwd", "a/../../t.csv"};
    for (size_t i = 0; i < 3; i++) {
        char yaml[512];
        snprintf(yaml, sizeof(yaml), PROLOGUE "tables: {t: {file: '%s'}}\n", files[i]);
        maal_diags_release(&R.d);
        maal_diags_init(&R.d);
        assert_int_equal(load_text(dir, yaml, "a;b\n"), MAAL_ERR_INVALID);
        assert_diag_has("forventede en sti i partnerskabets mappe (relativ, uden '..')");
    }
    /* a link that leads out */
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/link.csv", dir);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    assert_int_equal(load_text(dir, PROLOGUE "tables: {t: {file: link.csv}}\n", "a;b\n"),
                     MAAL_ERR_INVALID);
    assert_diag_has("som peger uden for partnerskabets mappe");
    remove(path);
    /* a link to a file in the folder is read: the file is opened without following a link,
     * and the link is then checked like a folder on the way */
    snprintf(path, sizeof(path), "%s/in.csv", dir);
    assert_int_equal(symlink("t.csv", path), 0);
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    assert_int_equal(load_text(dir,
                               PROLOGUE "tables: {t: {file: in.csv}}\n"
                                        "series: [{id: s, name: S, kind: crime, unit: count,\n"
                                        "  values: {area: {table: t, row: x}}}]\n",
                               "a;2021\nx;7\n"),
                     MAAL_OK);
    remove(path);
    snprintf(path, sizeof(path), "%s/t.csv", dir);
    remove(path);
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    remove(path);
    remove(dir);
}

/* every allocation of a parse and a selection fails in turn: a clean NOMEM, never a crash
 * or a leak (LeakSanitizer at exit) */
static void test_table_allocation_failures_are_clean(void **state)
{
    (void)state;
    for (long n = 1; n < 400; n++) {
        teardown(state), setup(state);
        maal_mem_fail_after(n);
        int rc = parse(QUARTERS);
        if (rc == MAAL_OK) {
            const char *row[] = {"Husum", "Chikane"};
            rc = sel(row, 2, NULL, true);
        }
        maal_mem_fail_after(0);
        assert_true(rc == MAAL_OK || rc == MAAL_ERR_NOMEM);
    }
}

/* A text of 'cells' fields (a multiple of 3), three to a record: "1;1;1\n..." (quoted fields:
 * '"1"'). */
static char *many_cells(size_t cells, bool quoted, size_t *len)
{
    const char *f = quoted ? "\"1\"" : "1";
    size_t fl = strlen(f), n = 0;
    char *t = malloc(cells * (fl + 1) + 1);
    assert_non_null(t);
    for (size_t i = 0; i < cells; i++) {
        memcpy(t + n, f, fl);
        n += fl;
        t[n++] = i % 3 == 2 ? '\n' : ';';
    }
    t[n] = '\0';
    *len = n;
    return t;
}

/* The cells of a partnership file's tables are bounded in all (MAAL_TABLE_MAX_CELLS): 64 MiB
 * of "1;1;1" made a table of about 1 GB. Both readers stop at the first cell too many, and the
 * cells read before (another table of the file) count. */
static void test_table_cells_are_bounded(void **state)
{
    (void)state;
    size_t len;
    for (int quoted = 0; quoted < 2; quoted++) {
        char *t = many_cells(MAAL_TABLE_MAX_CELLS - 1, quoted, &len);
        struct maal_table_opts o = {.lang = MAAL_LANG_DA, .num = MAAL_NUM_DANISH};
        assert_int_equal(parse_opts(t, len, &o), MAAL_OK);
        assert_int_equal(R.t.ncells, MAAL_TABLE_MAX_CELLS - 1);
        o.cells_before = 1; /* exactly the limit: read */
        assert_int_equal(parse_opts(t, len, &o), MAAL_OK);
        o.cells_before = 2; /* one too many: the last record's last field */
        assert_int_equal(parse_opts(t, len, &o), MAAL_ERR_INVALID);
        assert_diag_has("333333:3: tabellerne har flere end 1.000.000 felter i alt");
        maal_diags_release(&R.d);
        maal_diags_init(&R.d);
        free(t);
        t = many_cells(MAAL_TABLE_MAX_CELLS + 2, quoted, &len);
        o.cells_before = 0;
        assert_int_equal(parse_opts(t, len, &o), MAAL_ERR_INVALID);
        assert_diag_has("flere end 1.000.000 felter i alt");
        maal_diags_release(&R.d);
        maal_diags_init(&R.d);
        free(t);
    }
}

/* One file named by many tables is read for each: their bytes count together against
 * --max-input, as their cells do (before, 40 names for one 8 MB file took 4.3 GB). */
static void test_table_file_named_by_many_tables_is_bounded(void **state)
{
    (void)state;
    char dir[] = "/tmp/maal-test-table-XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t len;
    char *csv = many_cells(399999, false, &len); /* 0.8 MB */
    memcpy(csv, "a;2020;2021\n", 12);
    char yaml[1024] = PROLOGUE "tables:\n";
    for (int i = 0; i < 3; i++)
        snprintf(yaml + strlen(yaml), sizeof(yaml) - strlen(yaml),
                 "  t%d: {file: t.csv}\n", i);
    assert_int_equal(load_text(dir, yaml, csv), MAAL_ERR_INVALID);
    assert_diag_has("flere end 1.000.000 felter i alt");
    free(csv);
    /* the bytes: four names for a file of 0.3 MiB with --max-input 1 */
    csv = malloc(300001);
    assert_non_null(csv);
    memset(csv, ' ', 300000);
    memcpy(csv, "a;2020;2021\n", 12);
    csv[300000] = '\0';
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(csv, f);
    fclose(f);
    free(csv);
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(PROLOGUE "tables:\n  t0: {file: t.csv}\n  t1: {file: t.csv}\n  t2: {file: t.csv}\n"
                   "  t3: {file: t.csv}\n", f);
    fclose(f);
    struct maal_limits lim;
    maal_limits_default(&lim);
    lim.max_input = 1 << 20;
    struct maal_partnership *p = NULL;
    maal_diags_release(&R.d);
    maal_diags_init(&R.d);
    assert_int_equal(maal_partnership_load(path, &lim, MAAL_LANG_DA, &p, &R.d), MAAL_ERR_INVALID);
    maal_partnership_free(p);
    assert_diag_has("8:14: tabellerne er tilsammen større end grænsen på 1.048.576 byte");
    remove(path);
    snprintf(path, sizeof(path), "%s/t.csv", dir);
    remove(path);
    remove(dir);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_table_windows_1252_is_decoded),
        T(test_table_utf8_bom_is_skipped),
        T(test_table_bom_in_the_middle_is_an_error),
        T(test_table_bom_after_a_lookalike_is_found),
        T(test_table_text_without_quotes_reads_as_libcsv),
        T(test_table_cells_are_split_in_place),
        T(test_table_byte_not_in_windows_1252_is_an_error),
        T(test_table_declared_utf8_rejects_latin1),
        T(test_table_nul_byte_is_an_error),
        T(test_table_delimiter_is_found),
        T(test_table_quoted_field_spans_lines),
        T(test_table_lone_cr_ends_a_line),
        T(test_table_unreadable_says_what_it_is),
        T(test_table_unclosed_quote_names_its_line),
        T(test_table_quote_inside_a_field_is_an_error),
        T(test_table_title_lines_above_the_header),
        T(test_table_ragged_row_is_an_error),
        T(test_table_danish_numbers),
        T(test_table_numbers_read_as_maal_parse_double),
        T(test_table_no_break_space_groups_thousands),
        T(test_table_english_numbers),
        T(test_table_separator_needs_a_declared_format),
        T(test_table_missing_values_are_not_zero),
        T(test_table_formula_is_text),
        T(test_table_number_error_is_a_diagnostic),
        T(test_table_ragged_rows_say_fifty_errors),
        T(test_table_wide_row_gives_its_years),
        T(test_table_values_share_their_names),
        T(test_table_bad_cell_is_located_in_the_table),
        T(test_table_bad_cells_say_fifty_errors_cut),
        T(test_table_many_bindings_find_the_same_rows),
        T(test_table_index_answers_as_the_search),
        T(test_table_unknown_row_names_the_nearest),
        T(test_table_ambiguous_row_is_an_error),
        T(test_table_quarters_are_summed_only_when_asked),
        T(test_table_labels_are_filled_down),
        T(test_table_one_label_column_is_filled_down),
        T(test_table_years_in_order_read_as_grouped),
        T(test_table_long_column_gives_its_rows),
        T(test_table_long_year_twice_is_an_error),
        T(test_table_missing_column_names_the_headers),
        T(test_table_bindings_do_not_copy_the_table),
        T(test_table_partnership_binds_tables),
        T(test_table_year_in_yaml_and_table_is_an_error),
        T(test_table_file_outside_the_folder_is_refused),
        T(test_table_allocation_failures_are_clean),
        T(test_table_cells_are_bounded),
        T(test_table_file_named_by_many_tables_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
