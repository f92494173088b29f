/* table: CSV files as Excel and Statistikbanken write them, read with libcsv into located
 * cells; the encoding (UTF-8 with or without BOM, Windows-1252) and the delimiter are found
 * or given; a cell's number in the table's format. A binding's values are tabsel.c's. */
#include "table.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- encoding ---- */

/* Windows-1252 0x80..0x9F; 0 = undefined */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* A line ends at \n, \r\n or a lone \r (Excel's "CSV (Macintosh)"), as libcsv ends a
 * record: every line number of a table counts them so. */
static void where_of(const char *s, size_t off, int *line, int *col)
{
    int ln = 1, cl = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) {
            ln++;
            cl = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            cl++;
        }
    }
    *line = ln;
    *col = cl;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    o[0] = (char)(0xE0 | (cp >> 12));
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* The text as UTF-8 without a leading BOM in *out, where the cells are split in place:
 * 'text' itself past the BOM when it is UTF-8, else converted from Windows-1252 into the
 * arena 'a' at its exact size; MAAL_ERR_INVALID with a located error for a NUL byte, invalid
 * UTF-8 in a file said to be UTF-8, a byte Windows-1252 does not define, or a BOM after the
 * start. */
static int decode(const char *file, char *text, size_t len, struct maal_table *t,
                  enum maal_lang L, struct maal_arena *a, char **out, size_t *outlen,
                  struct maal_diags *d)
{
    const unsigned char *s = (const unsigned char *)text;
    bool bom = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
    int line, col;
    size_t off;
    /* Excel's "Unicode-tekst" (UTF-16 with a BOM): said as what it is, not as its first NUL */
    if (len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        maal_diags_add(d, MAAL_SEV_ERROR, file, 1, 1, "%s",
                       TR(L, "filen er UTF-16 (Excels \"Unicode-tekst\"), forventede UTF-8 eller "
                             "windows-1252: gem den som \"CSV UTF-8\" eller \"CSV "
                             "(semikolonsepareret)\"",
                          "the file is UTF-16 (Excel's \"Unicode Text\"), expected UTF-8 or "
                          "windows-1252: save it as \"CSV UTF-8\" or \"CSV (semicolon "
                          "delimited)\""));
        return MAAL_ERR_INVALID;
    }
    /* detecting, a text with no bad UTF-8 is UTF-8: checked once */
    bool valid = !bom && t->enc == MAAL_ENC_DETECT &&
                 maal_utf8_find_bad(text, len, &line, &col, &off);
    if (bom || t->enc == MAAL_ENC_UTF8 || valid) {
        if (bom && t->enc == MAAL_ENC_CP1252) {
            maal_diags_add(d, MAAL_SEV_ERROR, file, 1, 1, "%s",
                           TR(L, "filen begynder med et UTF-8-BOM, men tabellen er angivet som "
                                 "windows-1252, forventede encoding: utf-8",
                              "the file starts with a UTF-8 BOM but the table is declared "
                              "windows-1252, expected encoding: utf-8"));
            return MAAL_ERR_INVALID;
        }
        if (!valid && !maal_utf8_find_bad(text, len, &line, &col, &off)) {
            if (text[off] == '\0')
                maal_diags_add(d, MAAL_SEV_ERROR, file, line, col, "%s",
                               TR(L, "NUL-byte i filen, forventede tekst (er det en CSV-fil?)",
                                  "NUL byte in the file, expected text (is it a CSV file?)"));
            else
                maal_diags_add(d, MAAL_SEV_ERROR, file, line, col,
                               TR(L, "ugyldig UTF-8 (byte 0x%02X)%s",
                                  "invalid UTF-8 (byte 0x%02X)%s"),
                               s[off],
                               bom ? TR(L, ", men filen begynder med et UTF-8-BOM",
                                        ", but the file starts with a UTF-8 BOM")
                                   : TR(L, ", forventede UTF-8 som angivet (encoding: utf-8)",
                                        ", expected UTF-8 as declared (encoding: utf-8)"));
            return MAAL_ERR_INVALID;
        }
        t->enc = MAAL_ENC_UTF8;
        size_t skip = bom ? 3 : 0;
        size_t mid = skip;
        for (const char *x; mid + 2 < len; mid++) { /* the next 0xEF, then the BOM there */
            if (!(x = memchr(text + mid, 0xEF, len - 2 - mid))) {
                mid = len;
                break;
            }
            mid = (size_t)(x - text);
            if (memcmp(x, "\xEF\xBB\xBF", 3) == 0)
                break;
        }
        if (mid + 2 < len) {
            where_of(text, mid, &line, &col);
            if (bom && line == 1)
                col--; /* the BOM at the start is no column */
            maal_diags_add(d, MAAL_SEV_ERROR, file, line, col, "%s",
                           TR(L, "et byte order mark (BOM) midt i filen, forventede det kun "
                                 "først (er to filer sat sammen?)",
                              "a byte order mark (BOM) in the middle of the file, expected it "
                              "only at the start (were two files joined?)"));
            return MAAL_ERR_INVALID;
        }
        *out = text + skip;
        *outlen = len - skip;
        return MAAL_OK;
    }
    t->enc = MAAL_ENC_CP1252;
    /* checked and measured first, so the UTF-8 is made once at its size */
    size_t n = len;
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = s[i];
        if (cp - 1 < 0x7F)
            continue;
        if (cp >= 0x80 && cp < 0xA0)
            cp = cp1252_hi[cp - 0x80];
        n += cp >= 0x800 ? 2 : cp >= 0x80;
        if (cp == 0) {
            where_of(text, i, &line, &col);
            maal_diags_add(d, MAAL_SEV_ERROR, file, line, col,
                           s[i] ? TR(L, "byten 0x%02X findes ikke i windows-1252, forventede "
                                        "UTF-8 eller windows-1252",
                                     "byte 0x%02X is not in windows-1252, expected UTF-8 or "
                                     "windows-1252")
                                : TR(L, "NUL-byte i filen (0x%02X), forventede tekst (er det "
                                        "en CSV-fil?)",
                                     "NUL byte in the file (0x%02X), expected text (is it a "
                                     "CSV file?)"),
                           s[i]);
            return MAAL_ERR_INVALID;
        }
    }
    char *o = maal_arena_alloc(a, n + 1);
    if (!o)
        return MAAL_ERR_NOMEM;
    n = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t cp = s[i];
        if (cp < 0x80) {
            o[n++] = (char)cp;
            continue;
        }
        if (cp < 0xA0)
            cp = cp1252_hi[cp - 0x80];
        n += put_utf8(o + n, cp);
    }
    o[n] = '\0';
    *out = o;
    *outlen = n;
    return MAAL_OK;
}

/* ';' if the text has one outside quotes (Excel on a Danish Windows), else a tab, else ','. */
static char detect_delim(const char *s, size_t n)
{
    bool q = false, tab = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            q = !q;
        else if (!q && s[i] == ';')
            return ';';
        else if (!q && s[i] == '\t')
            tab = true;
    }
    return tab ? '\t' : ',';
}

/* ---- parsing ---- */

struct pst {
    struct maal_arena *a;
    struct maal_cell *cur;
    size_t ncur, capcur;
    struct maal_table_row *rows;
    size_t nrows, caprows;
    int line; /* where the current record starts */
    bool oom;
    size_t ncells, max_cells; /* the rows' cells; the first one past max_cells stops */
    bool too_many;
};

static bool is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void on_field(void *s, size_t len, void *data)
{
    struct pst *p = data;
    if (p->oom || p->too_many)
        return;
    if (p->ncells + p->ncur >= p->max_cells) {
        p->too_many = true; /* where: the record's line, this field */
        return;
    }
    const char *f = s ? s : "";
    while (len && is_blank((unsigned char)f[0]))
        f++, len--;
    while (len && is_blank((unsigned char)f[len - 1]))
        len--;
    if (p->ncur == p->capcur) {
        size_t cap = p->capcur ? p->capcur * 2 : 16;
        struct maal_cell *c = maal_realloc(p->cur, cap * sizeof(*c));
        if (!c) {
            p->oom = true;
            return;
        }
        p->cur = c;
        p->capcur = cap;
    }
    struct maal_cell *c = &p->cur[p->ncur];
    c->s = maal_arena_strndup(p->a, f, len);
    c->line = p->line;
    c->col = (int)(p->ncur + 1);
    if (!c->s)
        p->oom = true;
    p->ncur++;
}

static void on_record(int ch, void *data)
{
    (void)ch;
    struct pst *p = data;
    size_t n = p->ncur;
    if (p->oom || p->too_many)
        return;
    p->ncur = 0;
    bool empty = true;
    for (size_t i = 0; i < n && empty; i++)
        empty = !*p->cur[i].s;
    if (empty)
        return;
    if (p->nrows == p->caprows) {
        size_t cap = p->caprows ? p->caprows * 2 : 32;
        struct maal_table_row *r = maal_realloc(p->rows, cap * sizeof(*r));
        if (!r) {
            p->oom = true;
            return;
        }
        p->rows = r;
        p->caprows = cap;
    }
    struct maal_table_row *r = &p->rows[p->nrows];
    r->cells = maal_arena_alloc(p->a, n * sizeof(*r->cells));
    if (!r->cells) {
        p->oom = true;
        return;
    }
    memcpy(r->cells, p->cur, n * sizeof(*r->cells));
    r->n = n;
    r->line = p->cur[0].line;
    p->nrows++;
    p->ncells += n;
}

static int only_space(unsigned char c) { return c == ' '; }

static size_t nonempty(const struct maal_table_row *r)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        k += *r->cells[i].s != '\0';
    return k;
}

/* Room for at least 'need' items of 'size' bytes in *arr (capacity *cap) in the arena: a
 * larger array and a copy when full (the smaller one stays in the arena, so at most twice the
 * memory). */
static bool grow(struct maal_arena *a, void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap * 2 > need ? *cap * 2 : need;
    void *n = maal_arena_alloc(a, ncap * size);
    if (!n)
        return false;
    if (*cap)
        memcpy(n, *arr, *cap * size);
    *arr = n;
    *cap = ncap;
    return true;
}

/* A record per line ended by \n or \r, fields split at the delimiter: what libcsv makes
 * of a text without a quote (its space trimming is on_field's), without libcsv's state
 * machine for every byte; a record is on the line of its first field. The fields are split
 * in place, each ended by a NUL written over its delimiter (or the blank after it), into two
 * arrays in the arena, cells and rows: no allocation or copy per cell, and a byte that ends
 * no field costs a table lookup. */
static int split_plain(char *u, size_t n, char delim, struct maal_arena *a,
                       struct pst *p, struct maal_table_row **rows, size_t *nrows)
{
    bool stop[256] = {0}; /* what ends a field; u[n] is the text's own NUL */
    stop['\n'] = stop['\r'] = stop['\0'] = stop[(unsigned char)delim] = true;
    size_t ccap = 0, rcap = 0, nc = 0, nr = 0, guess = (n / 8 < 4096 ? n / 8 : 4096) + 16;
    struct maal_cell *cells = NULL;
    struct maal_table_row *r = NULL;
    if (!grow(a, (void **)&cells, &ccap, guess, sizeof(*cells)) ||
        !grow(a, (void **)&r, &rcap, guess / 4, sizeof(*r)))
        return MAAL_ERR_NOMEM;
    int line = 1;
    for (size_t pos = 0; pos < n;) {
        size_t first = nc, f = pos, i = pos;
        bool any = false;
        char c;
        for (;; i++) {
            while (!stop[(unsigned char)u[i]])
                i++;
            c = i < n ? u[i] : '\n';
            size_t e = i;
            while (f < e && is_blank((unsigned char)u[f]))
                f++;
            while (e > f && is_blank((unsigned char)u[e - 1]))
                e--;
            u[e] = '\0';
            if (nc >= p->max_cells) { /* where: this record's line, this field */
                p->too_many = true;
                p->line = line;
                p->ncur = nc - first;
                p->ncells = nc; /* the file's later tables: none left */
                return MAAL_ERR_INVALID;
            }
            if (nc == ccap && !grow(a, (void **)&cells, &ccap, nc + 1, sizeof(*cells)))
                return MAAL_ERR_NOMEM;
            cells[nc] = (struct maal_cell){u + f, line, (int)(nc - first + 1)};
            nc++;
            any |= e > f;
            f = i + 1;
            if (c != delim)
                break;
        }
        if (any) {
            if (nr == rcap && !grow(a, (void **)&r, &rcap, nr + 1, sizeof(*r)))
                return MAAL_ERR_NOMEM;
            /* the cells' index now, their address at the end (the array may move) */
            r[nr++] = (struct maal_table_row){NULL, nc - first, line};
        } else {
            nc = first; /* an empty record: no row */
        }
        if (c == '\n' || (c == '\r' && u[i + 1] != '\n')) /* u[i + 1]: at most the NUL */
            line++;
        pos = i + 1;
    }
    for (size_t k = 0, at = 0; k < nr; k++) {
        r[k].cells = cells + at;
        at += r[k].n;
    }
    *rows = r;
    *nrows = nr;
    p->ncells = nc;
    return MAAL_OK;
}

/* The text by libcsv, fed a line at a time (for the line of each record). */
static int parse_csv(const struct maal_table *t, enum maal_lang L, const char *u, size_t n,
                     struct pst *p, struct maal_diags *d)
{
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return MAAL_ERR_NOMEM;
    csv_set_realloc_func(&cp, maal_realloc);
    csv_set_free_func(&cp, maal_free);
    csv_set_delim(&cp, (unsigned char)t->delim);
    csv_set_space_func(&cp, only_space);
    /* fed a line at a time, so a record's first line is known: a record starts on the line
     * fed while the parser is between records (libcsv's state 0). A line ends at \n, \r\n or
     * a lone \r, as where_of counts (the text has no NUL before u[n]) */
    int line = 1, rc = MAAL_OK;
    size_t pos = 0;
    while (pos < n && rc == MAAL_OK) {
        size_t end = pos + strcspn(u + pos, "\r\n");
        end += end < n ? 1 + (u[end] == '\r' && u[end + 1] == '\n') : 0;
        if (cp.pstate == 0)
            p->line = line;
        if (csv_parse(&cp, u + pos, end - pos, on_field, on_record, p) != end - pos) {
            int e = csv_error(&cp);
            if (e == CSV_ENOMEM) {
                rc = MAAL_ERR_NOMEM;
            } else {
                maal_diags_add(d, MAAL_SEV_ERROR, t->file, line, (int)p->ncur + 1, "%s",
                               TR(L, "et anførselstegn midt i et felt, forventede \"...\" om "
                                     "hele feltet og \"\" for et anførselstegn i det",
                                  "a quote in the middle of a field, expected \"...\" around "
                                  "the whole field and \"\" for a quote inside it"));
                rc = MAAL_ERR_INVALID;
            }
        }
        pos = end;
        line++;
        if (p->too_many)
            rc = MAAL_ERR_INVALID;
    }
    if (rc == MAAL_OK && csv_fini(&cp, on_field, on_record, p) != 0) {
        if (csv_error(&cp) == CSV_ENOMEM) {
            rc = MAAL_ERR_NOMEM;
        } else {
            maal_diags_add(d, MAAL_SEV_ERROR, t->file, p->line, (int)p->ncur + 1, "%s",
                           TR(L, "anførselstegnet i dette felt lukkes aldrig, forventede et "
                                 "afsluttende \"",
                              "the quote of this field is never closed, expected a closing \""));
            rc = MAAL_ERR_INVALID;
        }
    }
    csv_free(&cp);
    return rc;
}


int maal_table_parse(const char *name, const char *file, const char *text, size_t len,
                     const struct maal_table_opts *o, struct maal_arena *a,
                     struct maal_table *t, struct maal_diags *d)
{
    char *own = maal_arena_strndup(a, text, len);
    if (!own) {
        memset(t, 0, sizeof(*t));
        return MAAL_ERR_NOMEM;
    }
    return maal_table_parse_in(name, file, own, len, o, a, t, d);
}

int maal_table_parse_in(const char *name, const char *file, char *text, size_t len,
                        const struct maal_table_opts *o, struct maal_arena *a,
                        struct maal_table *t, struct maal_diags *d)
{
    enum maal_lang L = o->lang;
    memset(t, 0, sizeof(*t));
    t->name = maal_arena_strndup(a, name, strlen(name));
    t->file = maal_arena_strndup(a, file, strlen(file));
    t->enc = o->enc;
    t->num = o->num;
    if (!t->name || !t->file)
        return MAAL_ERR_NOMEM;
    char *u;
    size_t n;
    int rc = decode(t->file, text, len, t, L, a, &u, &n, d);
    if (rc != MAAL_OK)
        return rc;
    t->delim = o->delim ? o->delim : detect_delim(u, n);

    struct pst p = {.a = a,
                    .max_cells = o->cells_before < MAAL_TABLE_MAX_CELLS
                                     ? MAAL_TABLE_MAX_CELLS - o->cells_before
                                     : 0};
    if (!memchr(u, '"', n))
        rc = split_plain(u, n, t->delim, a, &p, &t->rows, &t->nrows);
    else
        rc = parse_csv(t, L, u, n, &p, d);
    if (p.too_many) {
        char num[32];
        maal_fmt_number(num, sizeof(num), MAAL_TABLE_MAX_CELLS, 0, L);
        maal_diags_add(d, MAAL_SEV_ERROR, t->file, p.line, (int)p.ncur + 1,
                       TR(L, "tabellerne har flere end %s felter i alt; en partnerskabsfils "
                             "tabeller må højst have så mange",
                          "the tables have more than %s fields in all; the tables of a "
                          "partnership file may have at most that many"),
                       num);
        rc = MAAL_ERR_INVALID;
    }
    t->ncells = p.ncells;
    maal_free(p.cur);
    if (p.oom && rc == MAAL_OK)
        rc = MAAL_ERR_NOMEM;
    if (rc == MAAL_OK && p.nrows) {
        t->rows = maal_arena_alloc(a, p.nrows * sizeof(*t->rows));
        if (t->rows)
            memcpy(t->rows, p.rows, p.nrows * sizeof(*t->rows));
        else
            rc = MAAL_ERR_NOMEM;
    }
    maal_free(p.rows);
    if (rc != MAAL_OK)
        return rc;
    if (p.nrows)
        t->nrows = p.nrows;

    /* the header: above it, title lines (Statistikbanken); below it, rows as wide as it */
    size_t h = t->nrows;
    for (size_t i = 0; i < t->nrows && h == t->nrows; i++)
        if (o->header_line ? t->rows[i].line == o->header_line : nonempty(&t->rows[i]) >= 2)
            h = i;
    if (h == t->nrows) {
        if (o->header_line)
            maal_diags_add(d, MAAL_SEV_ERROR, t->file, o->header_line, 1,
                           TR(L, "linje %d er ingen række i tabellen '%s' (header)",
                              "line %d is no row of the table '%s' (header)"),
                           o->header_line, t->name);
        else if (!t->nrows) /* nothing but blanks: no delimiter to speak of */
            maal_diags_add(d, MAAL_SEV_ERROR, t->file, 1, 1,
                           TR(L, "tabellen '%s' er tom, forventede en overskriftsrække og rækker "
                                 "under den",
                              "the table '%s' is empty, expected a header row and rows below it"),
                           t->name);
        else
            maal_diags_add(d, MAAL_SEV_ERROR, t->file, t->rows[0].line, 1,
                           TR(L, "tabellen '%s' har ingen overskriftsrække, forventede en række "
                                 "med mindst to felter (adskilt med %s)",
                              "the table '%s' has no header row, expected a row of two or more "
                              "fields (separated by %s)"),
                           t->name, t->delim == '\t' ? "tab" : t->delim == ';' ? "';'" : "','");
        return MAAL_ERR_INVALID;
    }
    t->header = h;
    size_t hn = t->rows[h].n;
    t->hy = maal_arena_alloc(a, (hn + 1) * 2 * sizeof(*t->hy));
    t->hlabel = maal_arena_alloc(a, hn + 1);
    if (!t->hy || !t->hlabel)
        return MAAL_ERR_NOMEM;
    t->lc = maal_arena_alloc(a, (hn + 1) * sizeof(*t->lc));
    if (!t->lc)
        return MAAL_ERR_NOMEM;
    t->years_in_order = true;
    long prev = -1; /* the previous period column's year */
    for (size_t c = 0; c < hn; c++) {
        t->hlabel[c] = !maal_table_period(t->rows[h].cells[c].s, &t->hy[2 * c], &t->hy[2 * c + 1]);
        if (t->hlabel[c]) {
            t->lc[t->nl++] = c;
            continue;
        }
        if (t->hy[2 * c + 1] && !t->first_q)
            t->first_q = t->rows[h].cells[c].s;
        if (t->hy[2 * c + 1] || t->hy[2 * c] <= prev)
            t->years_in_order = false;
        prev = t->hy[2 * c];
    }
    for (size_t i = h + 1; i < t->nrows; i++) {
        const struct maal_table_row *r = &t->rows[i];
        int col = (int)(r->n < hn ? r->n : hn + 1);
        if (r->n != hn && maal_table_err_ok(t, d, r->line, col, L))
            maal_diags_add(d, MAAL_SEV_ERROR, t->file, r->line, col,
                           TR(L, "rækken har %zu felter, forventede %zu som overskriften i linje "
                                 "%d",
                              "the row has %zu fields, expected %zu like the header on line %d"),
                           r->n, hn, t->rows[h].line);
        if (r->n != hn)
            rc = MAAL_ERR_INVALID;
    }
    return rc;
}

bool maal_table_err_ok(struct maal_table *t, struct maal_diags *d, int line, int col,
                       enum maal_lang L)
{
    if (t->nerr == SIZE_MAX)
        return false;
    if (++t->nerr <= MAAL_TABLE_MAX_ERRORS)
        return true;
    maal_diags_add(d, MAAL_SEV_ERROR, t->file, line, col,
                   TR(L, "tabellen '%s' har flere fejl end de %d, der er vist; ret dem og kør "
                         "igen",
                      "the table '%s' has more errors than the %d shown; fix them and run again"),
                   t->name, MAAL_TABLE_MAX_ERRORS);
    t->nerr = SIZE_MAX;
    return false;
}

/* ---- numbers ---- */

static bool digits_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* An integer part with thousands separators 'sep' (1.934.000) or none. */
static bool grouped_ok(const char *s, size_t n, char sep)
{
    const char *p = memchr(s, sep, n);
    if (!p)
        return digits_ok(s, n);
    size_t first = (size_t)(p - s);
    if (first == 0 || first > 3 || !digits_ok(s, first))
        return false;
    for (size_t i = first; i < n; i += 4)
        if (n - i < 4 || s[i] != sep || !digits_ok(s + i + 1, 3))
            return false;
    return true;
}

static bool ends_with(const char *s, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(s + n - k, suf, k) == 0;
}

bool maal_table_quick_number(const char *b, size_t bn, char dec, char thou, double *v)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t u = 0;
    /* digits to the end, or digits, the decimal mark and digits (most cells: "625", "32,2"):
     * the same number as the loop below gives, without following separators */
    size_t n = 0, f;
    while (n < bn && n < 16 && (unsigned)(b[n] - '0') < 10)
        u = u * 10 + (uint64_t)(b[n++] - '0');
    if (n && n <= 15 && (n == bn || !b[n])) {
        *v = (double)u;
        return true;
    }
    if (n && n <= 15 && dec && b[n] == dec) {
        for (f = n + 1; f < bn && f < 17 && (unsigned)(b[f] - '0') < 10; f++)
            u = u * 10 + (uint64_t)(b[f] - '0');
        if (f > n + 1 && f - 1 <= 15 && (f == bn || !b[f])) {
            *v = (double)u / pow10[f - n - 1];
            return true;
        }
    }
    u = 0;
    int digits = 0, frac = -1, group = -1; /* group: digits since the last separator */
    for (size_t j = 0; j < bn && b[j]; j++) { /* bn SIZE_MAX: up to the NUL */
        char c = b[j];
        if (c >= '0' && c <= '9') {
            if (++digits > 15)
                return false;
            u = u * 10 + (uint64_t)(c - '0');
            if (frac >= 0)
                frac++;
            else if (group >= 0)
                group++;
        } else if (c && c == thou && frac < 0 && (group < 0 ? digits <= 3 : group == 3) &&
                   digits) {
            group = 0;
        } else if (c && c == dec && frac < 0 && (group < 0 ? digits > 0 : group == 3)) {
            frac = 0;
        } else {
            return false;
        }
    }
    if (!digits || frac == 0 || (group >= 0 && frac < 0 && group != 3))
        return false;
    *v = frac > 0 ? (double)u / pow10[frac] : (double)u;
    return true;
}

bool maal_table_period(const char *s, int *year, int *q)
{
    if (!digits_ok(s, 4))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (y < MAAL_YEAR_MIN || y > MAAL_YEAR_MAX)
        return false;
    *year = y;
    *q = 0;
    if (!s[4])
        return true;
    if ((s[4] == 'K' || s[4] == 'Q') && s[5] >= '1' && s[5] <= '4' && !s[6]) {
        *q = s[5] - '0';
        return true;
    }
    return false;
}

/* The length of a no-break space (U+00A0, 0xA0 in Windows-1252) or a narrow one (U+202F) at
 * s, else 0. */
static size_t nbsp_len(const char *s, size_t n)
{
    if (n >= 2 && !memcmp(s, "\xC2\xA0", 2))
        return 2;
    return n >= 3 && !memcmp(s, "\xE2\x80\xAF", 3) ? 3 : 0;
}

/* A number whose thousands are set off by no-break spaces, as Excel and LibreOffice in da-DK
 * may write them ("1 934 000", "12 345,5"): such a space is never a decimal mark, so it is
 * read in any number format, in groups of three only; the decimal mark 'dec' (0: none) and
 * digits may follow. */
static bool space_grouped(const char *b, size_t bn, char dec, double *v)
{
    if (!memchr(b, '\xA0', bn) && !memchr(b, '\xAF', bn))
        return false;
    char buf[64];
    size_t k = 0, j = 0, nb;
    int digits = 0, group = -1;
    for (; j < bn && k < sizeof(buf) - 1; j++) {
        if (b[j] >= '0' && b[j] <= '9') {
            buf[k++] = b[j];
            digits++;
            group += group >= 0;
        } else if ((nb = nbsp_len(b + j, bn - j)) && digits &&
                   (group < 0 ? digits <= 3 : group == 3)) {
            group = 0;
            j += nb - 1;
        } else {
            break;
        }
    }
    if (group != 3)
        return false;
    if (j < bn) { /* the decimal mark and the digits after it, as they are */
        if (!dec || b[j] != dec || bn - j >= sizeof(buf) - k)
            return false;
        memcpy(buf + k, b + j, bn - j);
        k += bn - j;
    }
    return maal_table_quick_number(buf, k, dec, 0, v);
}

int maal_table_number(const char *s, enum maal_table_num num, enum maal_lang L, double *v,
                      bool *unknown, struct maal_diags *d, const char *file, int line, int col)
{
    *unknown = false;
    if (!s[0] || (s[0] == '-' && !s[1]) || (s[0] == '.' && s[1] == '.' && !s[2]) ||
        (s[0] == '?' && !s[1])) {
        *unknown = s[0] == '?';
        return 0;
    }
    char dec = num == MAAL_NUM_ENGLISH ? '.' : ',', thou = num == MAAL_NUM_ENGLISH ? ',' : '.';
    if (num == MAAL_NUM_UNSET)
        dec = thou = 0; /* digits only: a separator is an error below */
    if (maal_table_quick_number(s + (s[0] == '-'), SIZE_MAX, dec, thou, v)) { /* most cells: one pass */
        if (s[0] == '-')
            *v = -*v;
        return 1;
    }
    size_t n = strlen(s);
    char ex[MAAL_EXCERPT_SIZE]; /* the cell as an error quotes it: cut, without controls */
    if (s[0] == '=') {
        maal_diags_add(d, MAAL_SEV_ERROR, file, line, col, "'%s' %s",
                       maal_excerpt(ex, sizeof(ex), s),
                       TR(L, "er en formel, ikke et tal (gem tabellen med værdier)",
                          "is a formula, not a number (save the table with values)"));
        return -1;
    }
    /* a unit after the number, as Excel shows it: '1.934.000 kr.', '24,8 %' */
    const char *sufs[] = {"kr.", "kr", "%"};
    char last = s[n - 1]; /* a number without a unit (the most) skips the comparisons */
    for (size_t i = 0; (last == '.' || last == 'r' || last == '%') && i < sizeof(sufs) / sizeof(*sufs); i++)
        if (ends_with(s, n, sufs[i])) {
            n -= strlen(sufs[i]);
            while (n && (s[n - 1] == ' ' || ends_with(s, n, "\xC2\xA0")))
                n -= s[n - 1] == ' ' ? 1 : 2;
            break;
        }
    size_t i = 0;
    bool neg = false;
    if (n && s[0] == '-') {
        neg = true;
        i = 1;
    } else if (n >= 3 && !memcmp(s, "\xE2\x88\x92", 3)) { /* U+2212 minus sign */
        neg = true;
        i = 3;
    }
    const char *body = s + i;
    size_t bn = n - i;
    if (maal_table_quick_number(body, bn, dec, thou, v) || /* with a unit or U+2212 */
        space_grouped(body, bn, dec, v)) {
        if (neg)
            *v = -*v;
        return 1;
    }
    dec = num == MAAL_NUM_ENGLISH ? '.' : ',';
    thou = num == MAAL_NUM_ENGLISH ? ',' : '.';
    bool has_sep = memchr(body, '.', bn) || memchr(body, ',', bn);
    if (num == MAAL_NUM_UNSET && has_sep && digits_ok(body, strcspn(body, ".,"))) {
        maal_diags_add(d, MAAL_SEV_ERROR, file, line, col, "'%s' %s",
                       maal_excerpt(ex, sizeof(ex), s),
                       TR(L, "har et skilletegn, men tabellen siger ikke, om det er dansk eller "
                             "engelsk talformat, forventede numbers: danish eller numbers: english",
                          "has a separator but the table does not say whether numbers are Danish "
                          "or English, expected numbers: danish or numbers: english"));
        return -1;
    }
    const char *dp = memchr(body, dec, bn);
    size_t intn = dp ? (size_t)(dp - body) : bn;
    bool ok = grouped_ok(body, intn, thou) &&
              (!dp || digits_ok(dp + 1, bn - intn - 1));
    if (ok) {
        char buf[80];
        size_t k = 0;
        if (neg)
            buf[k++] = '-';
        for (size_t j = 0; j < bn && k < sizeof(buf) - 1; j++)
            if (body[j] != thou)
                buf[k++] = body[j] == dec ? '.' : body[j];
        buf[k] = '\0';
        ok = bn < sizeof(buf) - 2 && maal_parse_double(buf, v);
    }
    if (!ok) {
        bool fmt = num != MAAL_NUM_UNSET && has_sep; /* then which format it is not in */
        maal_diags_add(d, MAAL_SEV_ERROR, file, line, col, "'%s' %s%s%s%s",
                       maal_excerpt(ex, sizeof(ex), s),
                       TR(L, "er ikke et tal", "is not a number"), fmt ? TR(L, " i ", " in ") : "",
                       !fmt                      ? ""
                       : num == MAAL_NUM_DANISH ? TR(L, "dansk", "Danish")
                                                : TR(L, "engelsk", "English"),
                       fmt ? TR(L, " talformat", " number format") : "");
        return -1;
    }
    return 1;
}
