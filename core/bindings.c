/* bindings: the partnership's tables (CSV files beside the partnership file, 'tables:') and the
 * values a series, an activity's financing or a criterion binds from them. */
#include "model_walk.h"
#include "table.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct mtable {
    const char *name;
    const char *file; /* in the document's arena: the path every value from it names */
    struct maal_table t;
    bool ok;
};

static const char *const table_keys[] = {"file", "numbers", "encoding", "delimiter", "header",
                                         NULL};
static const char *const binding_keys[] = {"table", "row", "column", "quarters", NULL};
static const char *const numbers_names[] = {"danish", "english", NULL};
static const char *const encoding_names[] = {"utf-8", "windows-1252", NULL};

bool mv_is_binding_key(const char *k)
{
    for (size_t i = 0; binding_keys[i]; i++)
        if (k[0] == binding_keys[i][0] && !strcmp(k, binding_keys[i])) /* the first byte first */
            return true;
    return false;
}

static void errat(struct v *v, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void errat(struct v *v, const char *file, int line, int col, const char *fmt, ...)
{
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    maal_diags_add(v->d, MAAL_SEV_ERROR, file, line, col, "%s", maal_buf_str(&b));
    maal_buf_release(&b);
    v->failed = true;
}

/* The table's path beside the partnership file: relative, without '..', and (after links)
 * inside the partnership's folder; with 'last' false, the path's last part (the file) is not
 * looked at: the caller opens it without following a link and asks again with 'last' true
 * when it is one. NULL after an error. */
static const char *table_path(struct v *v, const struct maal_node *fn, bool last)
{
    const char *f = fn->str, *pf = v->p->file;
    bool dotdot = false;
    for (const char *c = f; *c && !dotdot; c = strchr(c, '/') ? strchr(c, '/') + 1 : "")
        dotdot = !strncmp(c, "..", 2) && (c[2] == '/' || !c[2]);
    if (!f[0]) {
        mv_err(v, fn, TR(v->lang, "'file' er tom, forventede stien til en CSV-fil i "
                                  "partnerskabets mappe",
                         "'file' is empty, expected the path of a CSV file in the partnership's "
                         "folder"));
        return NULL;
    }
    if (f[0] == '/' || dotdot) {
        mv_err(v, fn, TR(v->lang, "'file' er '%s', forventede en sti i partnerskabets mappe "
                                  "(relativ, uden '..')",
                         "'file' is '%s', expected a path in the partnership's folder (relative, "
                         "without '..')"),
               f);
        return NULL;
    }
    const char *slash = strrchr(pf, '/');
    size_t dn = slash ? (size_t)(slash - pf) + 1 : 0;
    size_t fn_len = strlen(f);
    char *path = maal_arena_alloc(v->a, dn + fn_len + 1);
    if (!path) {
        v->oom = true;
        return NULL;
    }
    memcpy(path, pf, dn);
    memcpy(path + dn, f, fn_len + 1);
    /* without a link on the way (a stat of each folder of 'f', and the file's own open) it is
     * inside; with one, where the link leads decides (realpath: more system calls, so only
     * then) */
    bool link = last;
    size_t plen = dn + fn_len;
    for (size_t k = dn; !link && k < plen; k++) {
        size_t end = strcspn(path + k, "/") + k;
        if (end == plen)
            break; /* the file itself: opened with O_NOFOLLOW */
        char part[PATH_MAX];
        struct stat st;
        if (end >= sizeof(part))
            break;
        memcpy(part, path, end);
        part[end] = '\0';
        link = lstat(part, &st) == 0 && S_ISLNK(st.st_mode);
        k = end;
    }
    char real[PATH_MAX], *d = link ? maal_strndup(pf, dn) : NULL;
    if (link && !d) { /* out of memory: not taken as inside */
        v->oom = true;
        return NULL;
    }
    /* a path that does not resolve is said when the file is opened */
    bool in = !link || !realpath(path, real) || maal_path_inside(dn ? d : ".", path);
    maal_free(d);
    if (!in) {
        mv_err(v, fn, TR(v->lang, "'file' er '%s', som peger uden for partnerskabets mappe, "
                                  "forventede en fil i mappen",
                         "'file' is '%s', which points outside the partnership's folder, expected "
                         "a file in the folder"),
               f);
        return NULL;
    }
    return path;
}

static void load_table(struct v *v, struct mtable *mt, const struct maal_node *k,
                       const struct maal_node *x)
{
    char what[200]; /* "tabellen 'navn'", joined without printf */
    const char *pre = TR(v->lang, "tabellen '", "the table '");
    size_t pn = strlen(pre), kn = strlen(k->str);
    if (kn > sizeof(what) - pn - 2)
        kn = sizeof(what) - pn - 2;
    memcpy(what, pre, pn);
    memcpy(what + pn, k->str, kn);
    memcpy(what + pn + kn, "'", 2);
    mt->name = k->str;
    if (!mv_valid_id(k->str))
        mv_err(v, k, TR(v->lang, "tabelnavnet '%s' er ugyldigt, forventede små bogstaver, cifre, "
                                 "'_', '.' og '-'",
                        "the table name '%s' is invalid, expected lowercase letters, digits, '_', "
                        "'.' and '-'"),
               k->str);
    if (!mv_want(v, x, MAAL_NODE_MAP, what))
        return;
    static const char *const req[] = {"file", NULL};
    mv_check_keys(v, x, table_keys, req, what);
    struct maal_table_opts o = {.lang = v->lang, .cells_before = v->table_cells};
    const struct maal_node *y = maal_node_get(x, "numbers");
    int i = y ? mv_enum_index(v, y, numbers_names, "'numbers'") : -1;
    o.num = i < 0 ? MAAL_NUM_UNSET : i == 0 ? MAAL_NUM_DANISH : MAAL_NUM_ENGLISH;
    y = maal_node_get(x, "encoding");
    i = y ? mv_enum_index(v, y, encoding_names, "'encoding'") : -1;
    o.enc = i < 0 ? MAAL_ENC_DETECT : i == 0 ? MAAL_ENC_UTF8 : MAAL_ENC_CP1252;
    y = maal_node_get(x, "delimiter");
    if (y && mv_want(v, y, MAAL_NODE_SCALAR, "'delimiter'")) {
        if (!strcmp(y->str, ";") || !strcmp(y->str, ",") || !strcmp(y->str, "\t"))
            o.delim = y->str[0];
        else if (!strcmp(y->str, "tab"))
            o.delim = '\t';
        else
            mv_err(v, y, TR(v->lang, "'delimiter' er '%s', forventede ';', ',' eller tab",
                            "'delimiter' is '%s', expected ';', ',' or tab"),
                   y->str);
    }
    y = maal_node_get(x, "header");
    long hl;
    if (y && mv_get_int_node(v, y, 1, INT_MAX, &hl, "'header'"))
        o.header_line = (int)hl;
    const struct maal_node *fn = maal_node_get(x, "file");
    if (!fn || !mv_get_text_node(v, fn, "'file'"))
        return;
    const char *path = table_path(v, fn, false);
    if (!path)
        return;
    /* the file itself a link (ELOOP without following it): where it leads decides. A table
     * is a regular file: a FIFO (or a link to one) is refused, never waited on */
    struct maal_error e;
    struct stat st;
    int fd = maal_open_read(path, O_NOFOLLOW, false, &st, &e, v->lang);
    if (fd < 0 && errno == ELOOP) {
        if (!table_path(v, fn, true))
            return;
        fd = maal_open_read(path, 0, false, &st, &e, v->lang);
    }
    mt->file = path;
    /* the partnership file itself (by any name): not a table, and read as one it only made
     * errors about its lines' fields */
    struct stat ps; /* the partnership file's identity, known when it was opened by path */
    bool self = fd >= 0 && (v->opts->self_known
                                ? v->opts->self_dev == st.st_dev && v->opts->self_ino == st.st_ino
                                : stat(v->p->file, &ps) == 0 && ps.st_dev == st.st_dev &&
                                      ps.st_ino == st.st_ino);
    if (self) {
        close(fd);
        mv_err(v, fn, TR(v->lang, "'file' er '%s', som er partnerskabsfilen selv, forventede en "
                                  "CSV-fil",
                         "'file' is '%s', the partnership file itself, expected a CSV file"),
               fn->str);
        return;
    }
    char *text;
    size_t len;
    /* the tables of one file in all within --max-input, as if they were one: one file named by
     * many tables, or many files, each read whole and split into cells, took gigabytes */
    size_t max = v->opts->limits->max_input;
    size_t left = v->table_bytes < max ? max - v->table_bytes : 0;
    int rc = fd < 0 ? MAAL_ERR_IO
                    : maal_read_fd_stat(fd, &st, path, left, &v->ta, &text, &len, &e, v->lang);
    if (rc == MAAL_ERR_NOMEM) {
        v->oom = true;
        return;
    }
    if (rc == MAAL_ERR_LIMIT && v->table_bytes) {
        char nb[48];
        maal_fmt_number(nb, sizeof(nb), (double)max, 0, v->lang);
        mv_err(v, fn, TR(v->lang, "tabellerne er tilsammen større end grænsen på %s byte (se "
                                  "--max-input), forventede mindre tabeller",
                         "the tables are larger than the limit of %s bytes in all (see "
                         "--max-input), expected smaller tables"),
               nb);
        return;
    }
    if (rc != MAAL_OK) { /* at 'file:' when the message names the file, else at the file */
        struct stat ds; /* a folder: not maal_open_read's "without partnership.yaml" */
        if (fd < 0 && stat(path, &ds) == 0 && S_ISDIR(ds.st_mode))
            mv_err(v, fn, TR(v->lang, "kan ikke læse '%s': er en mappe, forventede en CSV-fil",
                             "cannot read '%s': is a directory, expected a CSV file"),
                   path);
        else if (strstr(e.msg, path))
            mv_err(v, fn, "%s", e.msg);
        else
            errat(v, path, 0, 0, "%s", e.msg);
        return;
    }
    rc = maal_table_parse_in(k->str, path, text, len, &o, &v->ta, &mt->t, v->d);
    v->table_bytes += len;
    v->table_cells += mt->t.ncells;
    if (rc == MAAL_ERR_NOMEM)
        v->oom = true;
    else if (rc != MAAL_OK)
        v->failed = true;
    mt->ok = rc == MAAL_OK;
}

void mv_load_tables(struct v *v, const struct maal_node *n)
{
    if (!mv_want(v, n, MAAL_NODE_MAP, "'tables'"))
        return;
    v->tables = mv_alloc(v, (n->n + 1) * sizeof(*v->tables));
    for (size_t i = 0; v->tables && i < n->n; i++)
        if (mv_want(v, n->items[2 * i], MAAL_NODE_SCALAR, TR(v->lang, "et tabelnavn", "a table name")))
            load_table(v, &v->tables[v->ntables++], n->items[2 * i], n->items[2 * i + 1]);
}

/* The values a binding ('table:' with 'row:' and/or 'column:') takes from its table, added to
 * the years written in the YAML beside it; a year in both is an error. */
void mv_bind_table(struct v *v, const struct maal_node *n, struct maal_yearmap *m,
                   unsigned flags, const char *what)
{
    /* the binding's keys in one pass over the map (the first of each, as maal_node_get) */
    const struct maal_node *tn = NULL, *rn = NULL, *cn = NULL, *q = NULL;
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *k = n->items[2 * i];
        if (k->type != MAAL_NODE_SCALAR)
            continue;
#define IS(lit) (k->str[0] == (lit)[0] && !strcmp(k->str, lit)) /* the first byte first */
        const struct maal_node **at = IS("table")      ? &tn
                                      : IS("row")      ? &rn
                                      : IS("column")   ? &cn
                                      : IS("quarters") ? &q
                                                       : NULL;
#undef IS
        if (at && !*at)
            *at = n->items[2 * i + 1];
    }
    const char *name = mv_get_text_node(v, tn, "'table'");
    if (!name)
        return;
    struct mtable *mt = NULL;
    for (size_t i = 0; i < v->ntables && !mt; i++)
        if (!strcmp(v->tables[i].name, name))
            mt = &v->tables[i];
    if (!mt) { /* the names to suggest from, only now */
        const char **names = mv_alloc(v, (v->ntables + 1) * sizeof(*names));
        for (size_t i = 0; names && i < v->ntables; i++)
            names[i] = v->tables[i].name;
        const char *dym = names ? maal_did_you_mean(name, names) : NULL;
        char sugg[200] = "";
        if (dym)
            snprintf(sugg, sizeof(sugg), TR(v->lang, " (mente du '%s'?)", " (did you mean '%s'?)"),
                     dym);
        mv_err(v, tn, TR(v->lang, "'table' er '%s'%s, forventede en tabel fra 'tables:'",
                         "'table' is '%s'%s, expected a table from 'tables:'"),
               name, sugg);
        return;
    }
    struct maal_table_binding b = {.unknown_ok = flags & YM_UNKNOWN_OK,
                                   .file = v->file ? v->file : v->p->file,
                                   .keep = v->a, .line = n->line, .col = n->col};
    if (rn && rn->type == MAAL_NODE_SCALAR && !mv_is_null(rn)) { /* one label: no list made */
        b.row = &rn->str;
        b.nrow = 1;
    } else {
        b.row = mv_get_text_list(v, rn, &b.nrow, "'row'");
    }
    b.column = cn ? mv_get_text(v, n, "column", what) : NULL;
    if (q && mv_want(v, q, MAAL_NODE_SCALAR, "'quarters'")) {
        if (strcmp(q->str, "sum"))
            mv_err(v, q, TR(v->lang, "'quarters' er '%s', forventede sum",
                            "'quarters' is '%s', expected sum"),
                   q->str);
        b.sum_quarters = true;
    }
    if (!b.nrow && !b.column) {
        mv_err(v, n, TR(v->lang, "bindingen til tabellen '%s' mangler row og column, forventede row: "
                                 "(en række med årene som kolonner) eller column: (en kolonne med ét "
                                 "år pr. række)",
                        "the binding to the table '%s' has neither row nor column, expected row: (a "
                        "row with the years as columns) or column: (a column with a year per row)"),
               name);
        return;
    }
    if (!mt->ok)
        return; /* the table's own errors are said */
    struct maal_table_value *tv;
    size_t nv;
    int rc = maal_table_select(&mt->t, &b, v->lang, &v->ta, &tv, &nv, v->d);
    if (rc != MAAL_OK) {
        v->oom |= rc == MAAL_ERR_NOMEM;
        v->failed |= rc != MAAL_ERR_NOMEM;
        return;
    }
    struct maal_yearval *all = mv_alloc(v, (m->n + nv + 1) * sizeof(*all));
    if (!all)
        return;
    if (m->n)
        memcpy(all, m->v, m->n * sizeof(*all));
    const struct maal_partnership *p = v->p;
    size_t yaml = m->n;
    for (size_t i = 0; i < nv; i++) {
        const struct maal_table_value *x = &tv[i];
        /* a table holds more years than the partnership's: those outside are not its data */
        if (p->from && p->to && (((flags & YM_IN_PERIOD) && (x->year < p->from || x->year > p->to))
                                 || ((flags & YM_NOT_AFTER) && x->year > p->to)))
            continue;
        bool twice = false;
        for (size_t j = 0; j < yaml && !twice; j++)
            if (all[j].year == x->year) {
                twice = true;
                errat(v, b.file, all[j].line, all[j].col,
                      TR(v->lang, "år %d i %s står både her og i tabellen '%s' (%s:%d:%d), "
                                  "forventede det ét sted",
                         "year %d in %s is both here and in the table '%s' (%s:%d:%d), expected "
                         "it in one place"),
                      x->year, what, mt->name, mt->file, x->line, x->col);
            }
        if (twice)
            continue;
        /* the number as a message quotes it: formatted only for a value that is wrong */
        char num[48];
        bool bad = !x->unknown && (((flags & YM_NONNEG) && x->v < 0) ||
                                   ((flags & YM_PERCENT) && x->v > 100) ||
                                   ((flags & YM_WHOLE) && x->v != floor(x->v)));
        if (bad)
            maal_fmt_number(num, sizeof(num), x->v, -1, v->lang);
        if (!bad)
            ;
        else if ((flags & YM_NONNEG) && x->v < 0)
            errat(v, mt->file, x->line, x->col,
                  TR(v->lang, "værdien for %d i %s er %s, forventede et tal ≥ 0",
                     "the value for %d in %s is %s, expected a number >= 0"),
                  x->year, what, num);
        else if ((flags & YM_PERCENT) && x->v > 100)
            errat(v, mt->file, x->line, x->col,
                  TR(v->lang, "værdien for %d i %s er %s, forventede en procentdel fra 0 til 100",
                     "the value for %d in %s is %s, expected a percentage from 0 to 100"),
                  x->year, what, num);
        else if ((flags & YM_WHOLE) && x->v != floor(x->v))
            errat(v, mt->file, x->line, x->col,
                  TR(v->lang, "værdien for %d i %s er %s, forventede et helt antal",
                     "the value for %d in %s is %s, expected a whole count"),
                  x->year, what, num);
        struct maal_yearval *yv = &all[m->n++];
        *yv = (struct maal_yearval){.year = x->year, .v = x->v, .unknown = x->unknown,
                                    .line = x->line, .col = x->col, .file = mt->file};
        yv->what = x->what; /* made in v->a (b.keep) */
        yv->what_col = x->what_col;
    }
    m->v = all;
}
