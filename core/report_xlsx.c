/* report_xlsx: the status report as an Excel workbook, written with libxlsxwriter.
 *
 * Sheet "Oversigt" ("Overview" with --lang en): one row per goal per partnership, numbers
 * stored as numbers, the verdict cell coloured like the HTML report's badges, a frozen header
 * row and an autofilter. Then a sheet per partnership: its series by year and scope, and its
 * budget table with the sums.
 *
 * Number formats are stored in Excel's own notation, where ',' groups thousands and '.' marks
 * the decimals whatever the language: "#,##0.0" is shown as 24,8 and 1.970.000,0 by an Excel
 * set to Danish, and as 24.8 by one set to English. A value gets as many decimals (0-2) as the
 * text report would show.
 *
 * Text from the data is always written as a string cell, never as a formula, also when it
 * starts with '='. The only formulas are the budget table's sums, made here from cell
 * references, each with its computed value cached.
 *
 * libxlsxwriter writes to a named file: the workbook is made in a temporary file (in $TMPDIR,
 * else /tmp), read back into the report's buffer and removed, so the bytes go wherever the
 * other formats go.
 *
 * libxlsxwriter (and what it links: libcrypto, libminizip, libz) is loaded with dlopen when a
 * workbook is first asked for, by the SONAME of the library the build found
 * (MAAL_XLSX_SONAME, from the Makefile), and its functions are called through the table 'lx',
 * declared with the prototypes of its own header: every other run maps and relocates four
 * libraries fewer (a quarter of the instructions of checking one example alone, issue 19). */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "outlook.h"
#include "report.h"

#ifndef MAAL_XLSX_SONAME
#error "MAAL_XLSX_SONAME: the SONAME of libxlsxwriter (the Makefile sets it)"
#endif

/* The functions of libxlsxwriter this file calls, each with its header's prototype. */
#define LX_FUNCS(X) \
    X(workbook_new_opt) X(workbook_set_properties) X(workbook_add_format) \
    X(workbook_add_worksheet) X(workbook_close) X(worksheet_write_string) \
    X(worksheet_write_number) X(worksheet_write_blank) X(worksheet_write_formula_num) \
    X(worksheet_set_column) X(worksheet_freeze_panes) X(worksheet_autofilter) \
    X(format_set_num_format) X(format_set_bold) X(format_set_bg_color) \
    X(format_set_font_color) X(format_set_text_wrap) X(format_set_align) \
    X(format_set_font_size) X(format_set_pattern) X(lxw_rowcol_to_cell) X(lxw_strerror)

static struct {
#define LX_FIELD(f) __typeof__(f) *f;
    LX_FUNCS(LX_FIELD)
#undef LX_FIELD
} lx;
static pthread_once_t lx_once = PTHREAD_ONCE_INIT;
static char lx_problem[512]; /* why it could not be loaded; empty when it was */
/* workbook_close writes the workbook's creation time with gmtime(), whose result is one
 * static struct of the process: two workbooks closed at once on two threads (reports are made
 * on any thread, include/maal.h) wrote into it together, and one could get the other's date.
 * One workbook is closed at a time. */
static pthread_mutex_t lx_close_mu = PTHREAD_MUTEX_INITIALIZER;

/* Once per process, whichever thread asks first; the library stays loaded. */
static void lx_load(void)
{
    if (!MAAL_XLSX_SONAME[0]) { /* no libxlsxwriter.so where the build looked */
        snprintf(lx_problem, sizeof(lx_problem), "%s",
                 "MAAL_XLSX_SONAME is empty: no libxlsxwriter.so where maal was built");
        return;
    }
    void *h = dlopen(MAAL_XLSX_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(lx_problem, sizeof(lx_problem), "%s", dlerror());
        return;
    }
#define LX_SYM(f) \
    if (!(*(void **)&lx.f = dlsym(h, #f))) { \
        snprintf(lx_problem, sizeof(lx_problem), "%s: %s", MAAL_XLSX_SONAME, #f); \
        return; \
    }
    LX_FUNCS(LX_SYM)
#undef LX_SYM
}

#define YMIN MAAL_YEAR_MIN
#define NYEARS (MAAL_YEAR_MAX - MAAL_YEAR_MIN + 1)
#define CELL_MAX 32767 /* characters in a cell; cut at a UTF-8 boundary below this many bytes */

enum { COL_PARTNERSHIP, COL_GROUP, COL_GOAL, COL_TITLE, COL_VERDICT, COL_YEAR, COL_ACTUAL,
       COL_TARGET, COL_BASELINE, COL_CHANGE, COL_UNIT, COL_MESSAGE, COL_SOURCES, NCOLS };

struct xlsx_state {
    lxw_workbook *wb;
    lxw_worksheet *overview;
    lxw_format *head, *title, *bold, *wrap, *year;
    lxw_format *num[3], *change[3], *sum[3];
    lxw_format *verdict[MAAL_NVERDICTS];
    lxw_row_t row;  /* the next row of the overview */
    /* --history: each goal's years, written at the end as a column per year (sorted: the
     * partnerships' periods differ) */
    struct mark {
        lxw_row_t row;
        int year;
        enum maal_verdict verdict;
    } *marks;
    size_t nmarks, capmarks;
    /* --outlook: each goal's prognose, written at the end as columns after the years */
    struct prog {
        lxw_row_t row;
        const struct maal_outlook *o; /* a copy, owned */
        char *line;                   /* "prognose 2025: 18 % (15-21 %), på vej", owned */
    } *progs;
    size_t nprogs, capprogs;
    char **names;   /* sheet names given so far, for uniqueness */
    size_t nnames;
    char path[4096];
    bool failed;
};

/* The HTML report's badge colours (core/report_html.css: .b-pass ...): text on fill. */
static const lxw_color_t verdict_fg[MAAL_NVERDICTS] = {0x1B6B35, 0xFFFFFF, 0x1F4E79,
                                                       0x7A4D00, 0x6B1F80, 0x5B6570};
static const lxw_color_t verdict_bg[MAAL_NVERDICTS] = {0xE8F4EC, 0xA3161C, 0xEEF3F9,
                                                       0xFDF5E2, 0xF6ECF9, 0xFFFFFF};

/* Decimals as the text report shows them (maal_fmt_number with -1): 0, 1 or 2. */
static int decimals(double v)
{
    for (int d = 0; d <= 2; d++) {
        double scale = pow(10, d);
        if (fabs(round(v * scale) - v * scale) < 1e-6)
            return d;
    }
    return 2;
}

/* A cell's text as Excel shows it: every character maal_unsafe_char names but the line feed
 * (a cell may hold lines) becomes a space, as in every other format. Left in, U+FFFE and
 * U+FFFF made sharedStrings.xml malformed XML (Excel offers to repair the workbook and drops
 * the text), and a bidi override or a C1 control reached the reader; libxlsxwriter writes a
 * C0 control as Excel's escape _xHHHH_, which Excel turns back into the control. So the text
 * of the data that looks like such an escape keeps its own '_' as _x005F_: "_x0041_" is shown
 * as written, not as "A". */
static void cell_text(struct maal_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdefABCDEF";
    for (const char *p = s; *p;) {
        size_t n = *p == '\n' ? 0 : maal_unsafe_char(p);
        if (n) {
            maal_buf_putc(b, ' ');
            p += n;
            continue;
        }
        if (p[0] == '_' && p[1] == 'x' && p[2] && strchr(hex, p[2]) && p[3] &&
            strchr(hex, p[3]) && p[4] && strchr(hex, p[4]) && p[5] && strchr(hex, p[5]) &&
            p[6] == '_')
            maal_buf_puts(b, "_x005F");
        n = maal_char_len(p);
        maal_buf_add(b, p, n);
        p += n;
    }
}

/* A string cell: data text is never a formula. Cleaned (cell_text), cut to what a cell
 * holds. */
static void put_text(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                     const char *s, lxw_format *f)
{
    if (!s || !*s) {
        if (f)
            lx.worksheet_write_blank(ws, r, c, f);
        return;
    }
    struct maal_buf t = MAAL_BUF_INIT;
    cell_text(&t, s);
    if (t.oom) {
        maal_buf_release(&t);
        st->failed = true;
        return;
    }
    size_t n = t.len;
    if (n >= CELL_MAX) {
        n = CELL_MAX - 1;
        while (n && ((unsigned char)t.s[n] & 0xC0) == 0x80)
            n--;
        t.s[n] = '\0';
    }
    if (lx.worksheet_write_string(ws, r, c, maal_buf_str(&t), f) != LXW_NO_ERROR)
        st->failed = true;
    maal_buf_release(&t);
}

static void put_num(struct xlsx_state *st, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                    double v, lxw_format *const *fmts)
{
    if (!isfinite(v)) {
        put_text(st, ws, r, c, isnan(v) ? "NaN" : v < 0 ? "-inf" : "inf", NULL);
        return;
    }
    if (lx.worksheet_write_number(ws, r, c, v, fmts[decimals(v)]) != LXW_NO_ERROR)
        st->failed = true;
}

static lxw_format *numfmt(lxw_workbook *wb, const char *code, bool bold)
{
    lxw_format *f = lx.workbook_add_format(wb);
    lx.format_set_num_format(f, code);
    if (bold)
        lx.format_set_bold(f);
    return f;
}

static void xlsx_formats(struct xlsx_state *st)
{
    lxw_workbook *wb = st->wb;
    st->head = lx.workbook_add_format(wb);
    lx.format_set_bold(st->head);
    lx.format_set_bg_color(st->head, 0x1D3F63);
    lx.format_set_font_color(st->head, 0xFFFFFF);
    lx.format_set_text_wrap(st->head);
    lx.format_set_align(st->head, LXW_ALIGN_VERTICAL_TOP);
    st->title = lx.workbook_add_format(wb);
    lx.format_set_bold(st->title);
    lx.format_set_font_size(st->title, 14);
    st->bold = lx.workbook_add_format(wb);
    lx.format_set_bold(st->bold);
    st->wrap = lx.workbook_add_format(wb);
    lx.format_set_text_wrap(st->wrap);
    lx.format_set_align(st->wrap, LXW_ALIGN_VERTICAL_TOP);
    st->year = numfmt(wb, "0", false);
    static const char *const plain[] = {"#,##0", "#,##0.0", "#,##0.00"};
    static const char *const signed_[] = {"+#,##0;-#,##0;0", "+#,##0.0;-#,##0.0;0",
                                          "+#,##0.00;-#,##0.00;0"};
    for (int d = 0; d < 3; d++) {
        st->num[d] = numfmt(wb, plain[d], false);
        st->change[d] = numfmt(wb, signed_[d], false);
        st->sum[d] = numfmt(wb, plain[d], true);
    }
    for (int v = 0; v < MAAL_NVERDICTS; v++) {
        st->verdict[v] = lx.workbook_add_format(wb);
        lx.format_set_font_color(st->verdict[v], verdict_fg[v]);
        lx.format_set_bg_color(st->verdict[v], verdict_bg[v]);
        lx.format_set_pattern(st->verdict[v], LXW_PATTERN_SOLID);
        lx.format_set_bold(st->verdict[v]);
        lx.format_set_align(st->verdict[v], LXW_ALIGN_VERTICAL_TOP);
    }
}

/* Cut UTF-8 text to at most 'max' characters as Excel counts them (UTF-16 units). */
static void cut_chars(char *s, size_t max)
{
    size_t chars = 0;
    for (unsigned char *p = (unsigned char *)s; *p;) {
        size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        size_t w = len == 4 ? 2 : 1;
        if (chars + w > max || strnlen((const char *)p, len) < len) {
            *p = '\0';
            return;
        }
        chars += w;
        p += len;
    }
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\, no ' at either end,
 * not 'History' (Excel keeps it for its change tracking and repairs a workbook that has it),
 * unique without regard to case ("navn (2)" for the second). */
static lxw_worksheet *add_sheet(struct xlsx_state *st, const char *want)
{
    char base[160];
    size_t o = 0;
    for (const char *p = want ? want : ""; *p && o < 124; p++)
        base[o++] = strchr("[]:*?/\\", *p) || (unsigned char)*p < 0x20 ? '_' : *p;
    base[o] = '\0';
    cut_chars(base, 31);
    o = strlen(base);
    while (o && base[o - 1] == '\'')
        base[--o] = '\0';
    char *b = base;
    while (*b == '\'')
        b++;
    if (!*b)
        b = "P";
    char name[160];
    for (int k = 1; k < 10000; k++) {
        char suffix[16] = "";
        if (k > 1)
            snprintf(suffix, sizeof(suffix), " (%d)", k);
        snprintf(name, sizeof(name), "%s", b);
        cut_chars(name, 31 - strlen(suffix));
        strcat(name, suffix);
        bool used = !strcasecmp(name, "History");
        for (size_t i = 0; i < st->nnames && !used; i++)
            used = !strcasecmp(st->names[i], name);
        if (!used)
            break;
    }
    char **v = maal_realloc(st->names, (st->nnames + 1) * sizeof(*v));
    if (!v) {
        st->failed = true;
        return NULL;
    }
    st->names = v;
    if (!(st->names[st->nnames] = maal_strdup(name))) {
        st->failed = true;
        return NULL;
    }
    st->nnames++;
    lxw_worksheet *ws = lx.workbook_add_worksheet(st->wb, name);
    if (!ws)
        st->failed = true;
    return ws;
}

static void xlsx_begin(struct maal_report *rp)
{
    struct xlsx_state *st = maal_calloc(1, sizeof(*st));
    rp->state = st;
    if (!st) {
        rp->out.oom = true;
        return;
    }
    pthread_once(&lx_once, lx_load);
    if (lx_problem[0]) {
        maal_report_fail(rp, "%s: %s",
                         TR(rp->lang, "kan ikke indlæse libxlsxwriter, som regnearket skrives med",
                            "cannot load libxlsxwriter, which writes the workbook"),
                         lx_problem);
        return;
    }
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    snprintf(st->path, sizeof(st->path), "%s/maal-xlsx-XXXXXX", dir);
    int fd = mkstemp(st->path);
    if (fd < 0) {
        maal_report_fail(rp, "%s %s: %s",
                         TR(rp->lang, "kan ikke lave en midlertidig fil i",
                            "cannot make a temporary file in"),
                         dir, strerror(errno));
        st->path[0] = '\0';
        return;
    }
    close(fd);
    lxw_workbook_options opt = {.tmpdir = (char *)dir};
    st->wb = lx.workbook_new_opt(st->path, &opt);
    if (!st->wb) {
        maal_report_fail(rp, "%s",
                         TR(rp->lang, "kan ikke begynde regnearket", "cannot start the workbook"));
        return;
    }
    /* the same bytes for the same input: the creation time is SOURCE_DATE_EPOCH when set */
    lxw_doc_properties props = {.title = (char *)TR(rp->lang, "Status for målsætninger",
                                                    "Status of goals"),
                                .author = "maal"};
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    long v;
    props.created = sde && maal_parse_int(sde, &v) && v > 0 ? (time_t)v : time(NULL);
    lx.workbook_set_properties(st->wb, &props);
    xlsx_formats(st);
    st->overview = add_sheet(st, TR(rp->lang, "Oversigt", "Overview"));
    if (!st->overview)
        return;
    static const char *const da[NCOLS] = {
        "Partnerskab", "Gruppe", "Mål", "Titel", "Vurdering", "År", "Værdi", "Målværdi",
        "Udgangspunkt", "Ændring", "Enhed", "Besked", "Kilder"};
    static const char *const en[NCOLS] = {
        "Partnership", "Group", "Goal", "Title", "Verdict", "Year", "Actual", "Target",
        "Baseline", "Change", "Unit", "Message", "Sources"};
    static const double width[NCOLS] = {24, 13, 22, 48, 14, 6, 10, 10, 12, 10, 14, 60, 40};
    for (int c = 0; c < NCOLS; c++) {
        put_text(st, st->overview, 0, (lxw_col_t)c, (rp->lang == MAAL_LANG_EN ? en : da)[c],
                 st->head);
        lx.worksheet_set_column(st->overview, (lxw_col_t)c, (lxw_col_t)c, width[c],
                             c == COL_TITLE || c == COL_MESSAGE ? st->wrap : NULL);
    }
    lx.worksheet_freeze_panes(st->overview, 1, 0);
    st->row = 1;
}

/* "prosent" etc.: the unit in words for the unit column. */
static const char *unit_word(const char *unit, enum maal_lang L)
{
    if (!unit)
        return "";
    if (!strcmp(unit, "count"))
        return TR(L, "antal", "count");
    const char *suffix = maal_unit_suffix(unit, L); /* " %", " kr.", " pct.-point", ... */
    return *suffix ? suffix + 1 : TR(L, "tal", "number");
}

/* --outlook: the prognose's numbers, copied (the result is freed before the columns are
 * written), and its line in words. */
static void add_prog(struct maal_report *rp, struct xlsx_state *st, lxw_row_t row,
                     const struct maal_result *r)
{
    if (st->nprogs == st->capprogs) { /* doubling: one per goal would copy the list each time */
        size_t cap = st->capprogs ? st->capprogs * 2 : 64;
        struct prog *v = maal_realloc(st->progs, cap * sizeof(*v));
        if (!v) {
            st->failed = true;
            return;
        }
        st->progs = v;
        st->capprogs = cap;
    }
    struct maal_outlook *o = maal_calloc(1, sizeof(*o));
    struct maal_buf b = MAAL_BUF_INIT;
    maal_fmt_outlook(&b, r, rp->lang);
    if (!o || b.oom) {
        maal_free(o);
        maal_buf_release(&b);
        st->failed = true;
        return;
    }
    *o = *r->outlook;
    st->progs[st->nprogs++] = (struct prog){row, o, b.s};
}

static void overview_row(struct maal_report *rp, struct xlsx_state *st,
                         const struct maal_presults *pr, const struct maal_result *r)
{
    enum maal_lang L = rp->lang;
    lxw_worksheet *ws = st->overview;
    lxw_row_t row = st->row++;
    const struct maal_partnership *p = pr->p;
    put_text(st, ws, row, COL_PARTNERSHIP, p->name ? p->name : p->id, NULL);
    put_text(st, ws, row, COL_GROUP, maal_group_title(r->goal->group, L), NULL);
    put_text(st, ws, row, COL_GOAL, r->goal->id, NULL);
    put_text(st, ws, row, COL_TITLE, r->goal->title, st->wrap);
    put_text(st, ws, row, COL_VERDICT, maal_verdict_word(r->verdict, L), st->verdict[r->verdict]);
    if (r->year)
        lx.worksheet_write_number(ws, row, COL_YEAR, r->year, st->year);
    if (r->has_actual)
        put_num(st, ws, row, COL_ACTUAL, r->actual, st->num);
    if (r->has_target)
        put_num(st, ws, row, COL_TARGET, r->target, st->num);
    if (r->has_baseline)
        put_num(st, ws, row, COL_BASELINE, r->baseline, st->num);
    if (r->has_change)
        put_num(st, ws, row, COL_CHANGE, r->change, st->change);
    put_text(st, ws, row, COL_UNIT, unit_word(r->unit, L), NULL);
    put_text(st, ws, row, COL_MESSAGE, r->message, st->wrap);
    struct maal_buf s = MAAL_BUF_INIT;
    if (r->nsources)
        maal_buf_puts(&s, p->file);
    /* a value from a table is in its CSV file, not in the partnership file: named, as the
     * text report's "kilder" do */
    for (size_t i = 0; i < r->nsources; i++)
        maal_buf_printf(&s, "%s %s%s%d:%d %s", i ? "," : "",
                        r->sources[i].file ? r->sources[i].file : "",
                        r->sources[i].file ? ":" : "", r->sources[i].line, r->sources[i].col,
                        r->sources[i].what ? r->sources[i].what : "");
    if (s.oom)
        st->failed = true;
    put_text(st, ws, row, COL_SOURCES, maal_buf_str(&s), NULL);
    maal_buf_release(&s);
    if (st->nmarks + r->nhistory > st->capmarks) {
        size_t cap = (st->nmarks + r->nhistory) * 2;
        struct mark *m = maal_realloc(st->marks, cap * sizeof(*m));
        if (!m) {
            st->failed = true;
            return;
        }
        st->marks = m;
        st->capmarks = cap;
    }
    for (size_t i = 0; i < r->nhistory; i++)
        st->marks[st->nmarks++] = (struct mark){row, r->history[i].year, r->history[i].verdict};
    if (r->outlook)
        add_prog(rp, st, row, r);
}

/* --history: a column per year after the others, each goal's verdict of that year in words and
 * colours. Returns the number of columns. */
static int history_columns(struct maal_report *rp, struct xlsx_state *st)
{
    bool seen[NYEARS] = {false};
    for (size_t i = 0; i < st->nmarks; i++)
        if (st->marks[i].year >= YMIN && st->marks[i].year < YMIN + NYEARS)
            seen[st->marks[i].year - YMIN] = true;
    int col[NYEARS];
    int n = 0;
    for (int y = 0; y < NYEARS; y++)
        if (seen[y]) {
            col[y] = NCOLS + n++;
            lx.worksheet_write_number(st->overview, 0, (lxw_col_t)col[y], YMIN + y, st->head);
            lx.worksheet_set_column(st->overview, (lxw_col_t)col[y], (lxw_col_t)col[y], 12, NULL);
        }
    for (size_t i = 0; i < st->nmarks; i++) {
        const struct mark *m = &st->marks[i];
        if (m->year >= YMIN && m->year < YMIN + NYEARS)
            put_text(st, st->overview, m->row, (lxw_col_t)col[m->year - YMIN],
                     maal_verdict_word(m->verdict, rp->lang), st->verdict[m->verdict]);
    }
    return n;
}

/* Mark the years of 'm' in 'seen' (indexed from YMIN). */
/* --outlook: five columns from 'col' on (target year, projected value, low, high, the line in
 * words), for goals with a prognose. Returns the number of columns (0 without any). */
static int outlook_columns(struct maal_report *rp, struct xlsx_state *st, int col)
{
    if (!st->nprogs)
        return 0;
    static const char *const da[] = {"Prognoseår", "Prognose", "Prognose lav", "Prognose høj",
                                      "Prognose i ord"};
    static const char *const en[] = {"Outlook year", "Outlook", "Outlook low", "Outlook high",
                                     "Outlook in words"};
    static const double width[] = {10, 10, 10, 10, 48};
    for (int c = 0; c < 5; c++) {
        put_text(st, st->overview, 0, (lxw_col_t)(col + c),
                 (rp->lang == MAAL_LANG_EN ? en : da)[c], st->head);
        lx.worksheet_set_column(st->overview, (lxw_col_t)(col + c), (lxw_col_t)(col + c),
                                width[c], c == 4 ? st->wrap : NULL);
    }
    for (size_t i = 0; i < st->nprogs; i++) {
        const struct prog *g = &st->progs[i];
        lx.worksheet_write_number(st->overview, g->row, (lxw_col_t)col, g->o->target_year,
                                  st->year);
        if (g->o->has_projected)
            put_num(st, st->overview, g->row, (lxw_col_t)(col + 1), g->o->projected, st->num);
        if (g->o->has_interval && !g->o->clamped) {
            /* to the tenth, as the line in words shows them */
            put_num(st, st->overview, g->row, (lxw_col_t)(col + 2), round(g->o->low * 10) / 10,
                    st->num);
            put_num(st, st->overview, g->row, (lxw_col_t)(col + 3), round(g->o->high * 10) / 10,
                    st->num);
        }
        put_text(st, st->overview, g->row, (lxw_col_t)(col + 4), g->line, st->wrap);
    }
    return 5;
}

static void see_years(bool *seen, const struct maal_yearmap *m)
{
    for (size_t k = 0; k < m->n; k++)
        if (m->v[k].year >= YMIN && m->v[k].year < YMIN + NYEARS)
            seen[m->v[k].year - YMIN] = true;
}

/* The years marked in 'seen', in order; returns how many. */
static size_t seen_years(const bool *seen, int *years)
{
    size_t n = 0;
    for (int y = 0; y < NYEARS; y++)
        if (seen[y])
            years[n++] = YMIN + y;
    return n;
}

/* The series by year and scope, from 'row' on; returns the next free row. */
static lxw_row_t series_table(struct maal_report *rp, struct xlsx_state *st, lxw_worksheet *ws,
                              const struct maal_partnership *p, lxw_row_t row)
{
    enum maal_lang L = rp->lang;
    bool seen[NYEARS] = {false};
    for (size_t i = 0; i < p->nseries; i++)
        for (int sc = 0; sc < MAAL_NSCOPES; sc++)
            see_years(seen, &p->series[i].values[sc]);
    int years[NYEARS];
    size_t ny = seen_years(seen, years);
    put_text(st, ws, row++, 0, TR(L, "Serier pr. år og område", "Series by year and scope"),
             st->bold);
    if (!p->nseries || !ny) {
        put_text(st, ws, row++, 0, TR(L, "Filen har ingen serier.", "The file has no series."),
                 NULL);
        return row + 1;
    }
    static const char *const da[] = {"Serie", "Id", "Område", "Enhed"};
    static const char *const en[] = {"Series", "Id", "Scope", "Unit"};
    for (int c = 0; c < 4; c++)
        put_text(st, ws, row, (lxw_col_t)c, (L == MAAL_LANG_EN ? en : da)[c], st->head);
    for (size_t c = 0; c < ny; c++)
        lx.worksheet_write_number(ws, row, (lxw_col_t)(4 + c), years[c], st->head);
    row++;
    for (size_t i = 0; i < p->nseries; i++) {
        const struct maal_series *s = &p->series[i];
        for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
            const struct maal_yearmap *m = &s->values[sc];
            if (!m->n)
                continue;
            put_text(st, ws, row, 0, s->name ? s->name : s->id, NULL);
            put_text(st, ws, row, 1, s->id, NULL);
            struct maal_buf t = MAAL_BUF_INIT;
            put_text(st, ws, row, 2, maal_scope_label(p, sc, L, &t), NULL);
            maal_buf_release(&t);
            put_text(st, ws, row, 3, unit_word(maal_unit_names[s->unit], L), NULL);
            for (size_t c = 0; c < ny; c++) {
                const struct maal_yearval *v = maal_yearmap_get(m, years[c]);
                if (v && v->unknown)
                    put_text(st, ws, row, (lxw_col_t)(4 + c), "?", NULL);
                else if (v)
                    put_num(st, ws, row, (lxw_col_t)(4 + c), v->v, st->num);
            }
            row++;
        }
    }
    return row + 1;
}

/* The financing per activity and year with the computed sums (formulas over the column, their
 * values cached), the stated totals and the difference. '?' (not decided) is text: left out
 * of the sum, and the difference is not computed. */
static lxw_row_t budget_table(struct maal_report *rp, struct xlsx_state *st, lxw_worksheet *ws,
                              const struct maal_partnership *p, lxw_row_t row)
{
    enum maal_lang L = rp->lang;
    bool seen[NYEARS] = {false};
    size_t nact = 0;
    for (size_t i = 0; i < p->nactivities; i++) {
        nact += p->activities[i].financing.n > 0;
        see_years(seen, &p->activities[i].financing);
    }
    see_years(seen, &p->budget);
    int years[NYEARS];
    size_t ny = seen_years(seen, years);
    put_text(st, ws, row++, 0, TR(L, "Tryghedsplanens finansiering (kr.)",
                                  "Financing of the safety plan (DKK)"), st->bold);
    if (!nact || !ny) {
        put_text(st, ws, row++, 0, TR(L, "Tryghedsplanen angiver ingen finansiering pr. aktivitet.",
                                      "The safety plan states no financing per activity."), NULL);
        return row + 1;
    }
    put_text(st, ws, row, 0, TR(L, "Nr.", "No."), st->head);
    put_text(st, ws, row, 1, TR(L, "Aktivitet", "Activity"), st->head);
    for (size_t c = 0; c < ny; c++)
        lx.worksheet_write_number(ws, row, (lxw_col_t)(2 + c), years[c], st->head);
    row++;
    lxw_row_t first = row;
    double sum[NYEARS] = {0};
    size_t nunk[NYEARS] = {0};
    for (size_t i = 0; i < p->nactivities; i++) {
        const struct maal_activity *a = &p->activities[i];
        if (!a->financing.n)
            continue;
        if (a->number > 0)
            lx.worksheet_write_number(ws, row, 0, (double)a->number, NULL);
        put_text(st, ws, row, 1, a->name ? a->name : a->id, NULL);
        for (size_t c = 0; c < ny; c++) {
            const struct maal_yearval *v = maal_yearmap_get(&a->financing, years[c]);
            if (v && v->unknown) {
                nunk[c]++;
                put_text(st, ws, row, (lxw_col_t)(2 + c), "?", NULL);
            } else if (v) {
                sum[c] += v->v;
                put_num(st, ws, row, (lxw_col_t)(2 + c), v->v, st->num);
            }
        }
        row++;
    }
    lxw_row_t last = row - 1;
    lxw_row_t sumrow = row, statedrow = row + 1, diffrow = row + 2;
    put_text(st, ws, sumrow, 1, TR(L, "Sum af rækkerne (beregnet)", "Sum of the rows (computed)"),
             st->bold);
    put_text(st, ws, statedrow, 1, TR(L, "Angivet sum (budget)", "Stated total (budget)"), NULL);
    put_text(st, ws, diffrow, 1,
             TR(L, "Difference (beregnet − angivet)", "Difference (computed − stated)"), NULL);
    for (size_t c = 0; c < ny; c++) {
        lxw_col_t col = (lxw_col_t)(2 + c);
        char a1[16], a2[16], f[64];
        lx.lxw_rowcol_to_cell(a1, first, col);
        lx.lxw_rowcol_to_cell(a2, last, col);
        snprintf(f, sizeof(f), "=SUM(%s:%s)", a1, a2);
        lx.worksheet_write_formula_num(ws, sumrow, col, f, st->sum[decimals(sum[c])], sum[c]);
        const struct maal_yearval *s = maal_yearmap_get(&p->budget, years[c]);
        if (s && !s->unknown)
            put_num(st, ws, statedrow, col, s->v, st->num);
        else if (s)
            put_text(st, ws, statedrow, col, "?", NULL);
        if (s && !s->unknown && !nunk[c]) {
            char b1[16];
            lx.lxw_rowcol_to_cell(a1, sumrow, col);
            lx.lxw_rowcol_to_cell(b1, statedrow, col);
            snprintf(f, sizeof(f), "=%s-%s", a1, b1);
            double d = sum[c] - s->v;
            lx.worksheet_write_formula_num(ws, diffrow, col, f, st->change[decimals(d)], d);
        } else if (s && nunk[c]) {
            put_text(st, ws, diffrow, col, "?", NULL);
        }
    }
    row = diffrow + 1;
    bool any_unk = false;
    for (size_t c = 0; c < ny; c++)
        any_unk = any_unk || nunk[c];
    if (any_unk)
        put_text(st, ws, row++, 1,
                 TR(L, "'?' betyder, at finansieringen ikke er besluttet; den er ikke med i "
                       "summen, og differencen beregnes ikke.",
                    "'?' means the financing is not decided; it is not in the sum, and no "
                    "difference is computed."), NULL);
    return row + 1;
}

static void xlsx_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    struct xlsx_state *st = rp->state;
    if (!st || !st->wb || !st->overview)
        return;
    for (size_t i = 0; i < pr->n; i++)
        overview_row(rp, st, pr, &pr->r[i]);
    const struct maal_partnership *p = pr->p;
    lxw_worksheet *ws = add_sheet(st, p->id ? p->id : p->name);
    if (!ws)
        return;
    lx.worksheet_set_column(ws, 0, 0, 34, NULL);
    lx.worksheet_set_column(ws, 1, 1, 34, NULL);
    lx.worksheet_set_column(ws, 2, 40, 13, NULL);
    put_text(st, ws, 0, 0, p->name ? p->name : p->id, st->title);
    struct maal_buf t = MAAL_BUF_INIT;
    maal_buf_printf(&t, "%s, %s %d", p->file, TR(rp->lang, "data til og med", "data up to"),
                    pr->year);
    put_text(st, ws, 1, 0, maal_buf_str(&t), NULL);
    maal_buf_release(&t);
    lxw_row_t row = series_table(rp, st, ws, p, 3);
    budget_table(rp, st, ws, p, row);
}

static void xlsx_end(struct maal_report *rp)
{
    struct xlsx_state *st = rp->state;
    rp->state = NULL;
    if (!st)
        return;
    if (st->wb) {
        int nh = st->overview ? history_columns(rp, st) : 0;
        if (st->overview)
            nh += outlook_columns(rp, st, NCOLS + nh);
        if (st->overview && st->row > 1)
            lx.worksheet_autofilter(st->overview, 0, 0, st->row - 1, (lxw_col_t)(NCOLS - 1 + nh));
        pthread_mutex_lock(&lx_close_mu);
        lxw_error e = lx.workbook_close(st->wb);
        pthread_mutex_unlock(&lx_close_mu);
        if (e != LXW_NO_ERROR && !maal_report_error(rp))
            maal_report_fail(rp, "%s: %s",
                             TR(rp->lang, "kan ikke skrive regnearket", "cannot write the workbook"),
                             lx.lxw_strerror(e));
    }
    if (st->failed && !maal_report_error(rp))
        maal_report_fail(rp, "%s",
                         TR(rp->lang, "kan ikke skrive en celle i regnearket",
                            "cannot write a cell of the workbook"));
    if (st->path[0]) {
        FILE *f = maal_report_error(rp) ? NULL : fopen(st->path, "rb");
        if (f) {
            char buf[65536];
            size_t n;
            while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
                maal_buf_add(&rp->out, buf, n);
            if (ferror(f))
                maal_report_fail(rp, "%s: %s",
                                 TR(rp->lang, "kan ikke læse regnearket", "cannot read the workbook"),
                                 strerror(errno));
            fclose(f);
        } else if (!maal_report_error(rp)) {
            maal_report_fail(rp, "%s: %s",
                             TR(rp->lang, "kan ikke læse regnearket", "cannot read the workbook"),
                             strerror(errno));
        }
        unlink(st->path);
    }
    for (size_t i = 0; i < st->nnames; i++)
        maal_free(st->names[i]);
    maal_free(st->names);
    maal_free(st->marks);
    for (size_t i = 0; i < st->nprogs; i++) {
        maal_free((void *)st->progs[i].o);
        maal_free(st->progs[i].line);
    }
    maal_free(st->progs);
    maal_free(st);
}

const struct maal_reporter maal_reporter_xlsx = {"xlsx", xlsx_begin, xlsx_partnership,
                                                 xlsx_end, NULL, NULL};
