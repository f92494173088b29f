/* table: CSV files (Excel, Statistikbanken) -> rows of located cells, and the values a
 * binding selects from them (by row label and column header, years or quarters). */
#ifndef MAAL_TABLE_H
#define MAAL_TABLE_H

#include "util.h"

enum maal_table_enc { MAAL_ENC_DETECT, MAAL_ENC_UTF8, MAAL_ENC_CP1252 };
enum maal_table_num { MAAL_NUM_UNSET, MAAL_NUM_DANISH, MAAL_NUM_ENGLISH };

/* A field: UTF-8 text, trimmed of surrounding spaces; 'line' is the file line where its
 * record starts, 'col' the field's 1-based number in the record. */
struct maal_cell {
    const char *s;
    int line, col;
};

struct maal_table_row {
    struct maal_cell *cells;
    size_t n;
    int line;
};

struct maal_table {
    const char *name; /* the table's name in the partnership file */
    size_t name_len;  /* its length, once a binding has needed it (0 before) */
    const char *file; /* the path as opened: every diagnostic names it */
    enum maal_table_enc enc;
    enum maal_table_num num;
    char delim;
    struct maal_table_row *rows; /* every non-empty record */
    size_t nrows;
    size_t ncells; /* their cells in all */
    size_t header; /* index in rows of the header row */
    /* the header's cells as years or quarters, read once for every binding: per column, its
     * year and quarter (hy[2c], hy[2c + 1]; q 0 for a year), or a label (hlabel[c]) */
    int *hy;
    bool *hlabel;
    size_t *lc, nl;      /* the header's label columns (hlabel[c]), nl of them */
    const char *first_q; /* the header's first quarter ("2021K1"), or NULL */
    bool years_in_order; /* the header's periods are years, each later than the one before */
    /* each header cell copied once into the arena a binding keeps its values' names in
     * (kept_in): every value of that column names it */
    const char **kept;
    struct maal_arena *kept_in;
    /* errors said about the table's rows and cells (maal_table_err_ok) */
    size_t nerr;
    /* what bindings to a long table share (tabsel.c): the rows by their labels, and which
     * columns hold only years, made in cache_in once the rows that bindings searched add up
     * to a few times the table, so a lookup costs the same however long the table is */
    struct maal_table_cache *cache;
    struct maal_arena *cache_in;
    size_t scanned;
};

/* A table says at most this many errors about its rows and cells, then that it has more: a
 * file of 20 million ragged rows was 20 million lines of errors, 8.7 GB and two minutes. */
#define MAAL_TABLE_MAX_ERRORS 50

/* Counts one more error about t at line:col: true while it is to be said (the first
 * MAAL_TABLE_MAX_ERRORS), false after; the first one past them adds to 'd' instead that the
 * table has more errors than are shown. */
bool maal_table_err_ok(struct maal_table *t, struct maal_diags *d, int line, int col,
                       enum maal_lang lang);
/* The cells (fields of non-empty records) the tables of one partnership file may have in all,
 * as a data file's nodes (core/doc.c): a cell costs about 40 bytes, so 64 MiB of "1;1;1..."
 * made a table of about 1 GB, and one file named by many tables that much again for each. */
#define MAAL_TABLE_MAX_CELLS 1000000

struct maal_table_opts {
    enum maal_table_enc enc; /* MAAL_ENC_DETECT: a BOM or valid UTF-8, else Windows-1252 */
    char delim;              /* 0: ';' if the file has one, else tab, else ',' */
    int header_line;         /* 0: the first record with two or more non-empty fields */
    enum maal_table_num num;
    enum maal_lang lang;
    size_t cells_before; /* the cells of the file's tables read before this one: with this
                          * one's, more than MAAL_TABLE_MAX_CELLS are an error */
};

/* Parse CSV text of 'len' bytes into 't'; every cell and string is allocated in 'a', which
 * the caller keeps while 't' is used. Errors go to 'd', located in 'file'. Returns MAAL_OK,
 * MAAL_ERR_INVALID or MAAL_ERR_NOMEM. */
int maal_table_parse(const char *name, const char *file, const char *text, size_t len,
                     const struct maal_table_opts *o, struct maal_arena *a,
                     struct maal_table *t, struct maal_diags *d);
/* The same on a text (NUL-terminated at 'len') that is already in 'a' and is split in place:
 * its cells point into it, so no copy is made. */
int maal_table_parse_in(const char *name, const char *file, char *text, size_t len,
                        const struct maal_table_opts *o, struct maal_arena *a,
                        struct maal_table *t, struct maal_diags *d);

/* What a binding asks of a table. */
struct maal_table_binding {
    const char *const *row; /* labels the row must carry (wide), or that filter rows (long) */
    size_t nrow;
    const char *column;     /* long layout: the header of the value column; NULL: wide */
    bool sum_quarters;      /* quarters (2021K1..K4) are summed to a year */
    bool unknown_ok;        /* '?' is a value not yet known; otherwise it is missing */
    const char *file;       /* where the binding is written, for errors about it */
    struct maal_arena *keep; /* where the values' 'what' and 'what_col' are made; NULL: in
                              * the arena of the values (the model's, so it is not copied) */
    int line, col;
};

/* One value selected from a table; 'what' names the table and row label ("t: Indbrud, "),
 * one string for every value of a binding, and 'what_col' the column header ("2021",
 * "2021K1-2021K4"): a source's text is made from the two only when it is written. */
struct maal_table_value {
    int year;
    double v;
    bool unknown;
    int line, col;
    const char *what, *what_col;
};

/* The values a binding selects, sorted by year, in *out (allocated in 'a'); t keeps the
 * header cells it copied to b->keep for the next binding. Missing cells
 * ('', '-', '..', '?') give no value. Errors (a label or header the table lacks, a cell
 * that is not a number, a year twice) go to 'd'. Returns MAAL_OK, MAAL_ERR_INVALID or
 * MAAL_ERR_NOMEM. */
int maal_table_select(struct maal_table *t, const struct maal_table_binding *b,
                      enum maal_lang lang, struct maal_arena *a, struct maal_table_value **out,
                      size_t *n, struct maal_diags *d);

/* A cell as a number in the table's format: 1 and *v, 0 for a missing value ('?' sets
 * *unknown), or -1 with an error added to 'd' at the cell (file:line:col) that quotes it. */
int maal_table_number(const char *s, enum maal_table_num num, enum maal_lang lang, double *v,
                      bool *unknown, struct maal_diags *d, const char *file, int line, int col);

/* "2021" -> 2021, 0; "2021K3" or "2021Q3" -> 2021, 3 (a header's period); else false. */
bool maal_table_period(const char *s, int *year, int *q);
/* A number of at most 15 digits with thousands separators 'thou' where they belong and at
 * most one decimal mark 'dec' followed by digits ('0' for neither: digits only): the
 * mantissa and the power of ten are exact doubles, so their quotient is what
 * maal_parse_double (parse_short_decimal) makes of the same digits. False for anything else,
 * which maal_table_number's full reading takes (and reports when it is wrong). */
bool maal_table_quick_number(const char *b, size_t bn, char dec, char thou, double *v);

#endif
