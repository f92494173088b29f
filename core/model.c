/* model: the typed partnership model, built and validated from a YAML document. */
#include "model_walk.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const maal_scope_names[] = {"area", "district", "city", NULL};
const char *const maal_kind_names[] = {"survey", "crime", "other", NULL};
const char *const maal_unit_names[] = {"count", "per_1000", "percent", "kr", "number", NULL};
const char *const maal_group_order[] = {"tryghed",     "kriminalitet", "samarbejde", "budget",
                                        "aktiviteter", "andet",        NULL};
static const char *const as_planned_names[] = {"yes", "no", "partly", NULL};

#define YEAR_MIN MAAL_YEAR_MIN
#define YEAR_MAX MAAL_YEAR_MAX

/* A value from the file, as an error quotes it: short and clean (a file that is not the data
 * it should be, a link to a credentials file, is never printed whole). */
static const char *ex(struct v *v, const char *s)
{
    char *b = v->ex[v->nex++ % 4];
    return maal_excerpt(b, MAAL_EXCERPT_SIZE, s);
}

void mv_err(struct v *v, const struct maal_node *n, const char *fmt, ...)
{
    if (v->quiet)
        return;
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    maal_diags_add(v->d, MAAL_SEV_ERROR, v->file ? v->file : v->p->file, n ? n->line : 0,
                   n ? n->col : 0, "%s",
                   maal_buf_str(&b));
    maal_buf_release(&b);
    v->failed = true;
}

void *mv_alloc(struct v *v, size_t n)
{
    void *p = maal_arena_alloc(v->a, n);
    if (!p)
        v->oom = true;
    else
        memset(p, 0, n);
    return p;
}

/* The strings of 'parts' (up to a NULL) joined into w, cut to size - 1 bytes as snprintf cuts:
 * the name of each series, activity, criterion and goal for messages about it is made for
 * every one, so without printf. */
static const char *join(char *w, size_t size, const char *const *parts)
{
    size_t n = 0;
    for (size_t i = 0; parts[i] && n + 1 < size; i++) {
        size_t k = strlen(parts[i]);
        if (k > size - 1 - n)
            k = size - 1 - n;
        memcpy(w + n, parts[i], k);
        n += k;
    }
    w[n] = '\0';
    return w;
}

static const char *type_name(struct v *v, const struct maal_node *n)
{
    switch (n->type) {
    case MAAL_NODE_MAP:
        return TR(v->lang, "en tabel (mapping)", "a mapping");
    case MAAL_NODE_SEQ:
        return TR(v->lang, "en liste", "a list");
    default:
        return TR(v->lang, "en værdi", "a scalar");
    }
}

bool mv_want(struct v *v, const struct maal_node *n, enum maal_node_type t, const char *what)
{
    if (n->type == t)
        return true;
    const char *exp = t == MAAL_NODE_MAP   ? TR(v->lang, "en tabel (mapping)", "a mapping")
                      : t == MAAL_NODE_SEQ ? TR(v->lang, "en liste", "a list")
                                           : TR(v->lang, "en enkelt værdi", "a single value");
    if (n->type == MAAL_NODE_SCALAR)
        mv_err(v, n, TR(v->lang, "%s er værdien '%s', forventede %s", "%s is the value '%s', expected %s"),
               what, ex(v, n->str), exp);
    else
        mv_err(v, n, TR(v->lang, "%s er %s, forventede %s", "%s is %s, expected %s"), what,
               type_name(v, n), exp);
    return false;
}

static bool is_null(const struct maal_node *n)
{
    return n->type == MAAL_NODE_SCALAR && n->plain &&
           (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

bool mv_is_null(const struct maal_node *n)
{
    return is_null(n);
}

/* Check that a mapping has only allowed keys and all required ones. */
void mv_check_keys(struct v *v, const struct maal_node *map, const char *const *allowed,
                   const char *const *required, const char *what)
{
    for (size_t i = 0; i < map->n; i++) {
        const struct maal_node *k = map->items[2 * i];
        if (k->type != MAAL_NODE_SCALAR) {
            mv_err(v, k, TR(v->lang, "nøgle i %s er %s, forventede tekst",
                            "key in %s is %s, expected text"),
                   what, type_name(v, k));
            continue;
        }
        bool ok = false;
        for (size_t j = 0; allowed[j] && !ok; j++) /* the first byte before strcmp */
            ok = allowed[j][0] == k->str[0] && strcmp(allowed[j], k->str) == 0;
        if (ok)
            continue;
        struct maal_buf list = MAAL_BUF_INIT;
        for (size_t j = 0; allowed[j]; j++)
            maal_buf_printf(&list, "%s%s", j ? ", " : "", allowed[j]);
        const char *dym = maal_did_you_mean(k->str, allowed);
        if (dym)
            mv_err(v, k,
                   TR(v->lang, "ukendt nøgle '%s' i %s (mente du '%s'?), forventede en af %s",
                      "unknown key '%s' in %s (did you mean '%s'?), expected one of %s"),
                   ex(v, k->str), what, dym, maal_buf_str(&list));
        else
            mv_err(v, k,
                   TR(v->lang, "ukendt nøgle '%s' i %s, forventede en af %s",
                      "unknown key '%s' in %s, expected one of %s"),
                   ex(v, k->str), what, maal_buf_str(&list));
        maal_buf_release(&list);
    }
    for (size_t j = 0; required && required[j]; j++) {
        const struct maal_node *x = maal_node_get(map, required[j]);
        if (!x)
            mv_err(v, map, TR(v->lang, "%s mangler det krævede felt '%s'",
                              "%s is missing the required field '%s'"),
                   what, required[j]);
    }
}

/* Danish-formatted numbers in strings get a suggestion. */
static bool danish_number(const char *s, char *sugg, size_t size)
{
    const char *p = s;
    size_t o = 0;
    char tmp[64];
    bool neg = *p == '-';
    if (neg)
        tmp[o++] = '-', p++;
    if (*p < '0' || *p > '9')
        return false;
    bool seen_comma = false, seen_dot = false;
    int dots = 0;
    int digits_since_dot = -1;
    for (; *p && o < sizeof(tmp) - 2; p++) {
        if (*p >= '0' && *p <= '9') {
            tmp[o++] = *p;
            if (digits_since_dot >= 0)
                digits_since_dot++;
        } else if (*p == '.' && !seen_comma) {
            if (digits_since_dot >= 0 && digits_since_dot != 3)
                return false;
            seen_dot = true;
            dots++;
            digits_since_dot = 0;
        } else if (*p == ',' && !seen_comma) {
            if (seen_dot && digits_since_dot != 3)
                return false;
            seen_comma = true;
            digits_since_dot = -1;
            tmp[o++] = '.';
        } else {
            return false;
        }
    }
    if (*p || (!seen_comma && !seen_dot) || (seen_dot && !seen_comma && digits_since_dot != 3))
        return false;
    /* one dot and no comma (0.125, 2.375) is a plain decimal number: only a comma or two
     * thousands dots (1.970.000) make it Danish */
    if (!seen_comma && dots < 2)
        return false;
    tmp[o] = '\0';
    snprintf(sugg, size, "%s", tmp);
    return true;
}

/* Whether s has a '.' before an 'n', 'N', 'i' or 'I': true of every string that is YAML's
 * .nan or contains its .inf (any case), so that only those few strings are compared. */
static bool maybe_nan_inf(const char *s)
{
    for (const char *d = strchr(s, '.'); d; d = strchr(d + 1, '.'))
        if (d[1] == 'n' || d[1] == 'N' || d[1] == 'i' || d[1] == 'I')
            return true;
    return false;
}

/* A number: a plain scalar that parses as a finite double. */
static bool get_number(struct v *v, const struct maal_node *n, double *out, const char *what)
{
    if (!mv_want(v, n, MAAL_NODE_SCALAR, what))
        return false;
    char sugg[64];
    if (danish_number(n->str, sugg, sizeof(sugg))) {
        mv_err(v, n,
               TR(v->lang, "%s er '%s', et tal i dansk format; skriv tal som YAML-tal (mente du %s?)",
                  "%s is '%s', a Danish-formatted number; write numbers as YAML numbers (did you "
                  "mean %s?)"),
               what, ex(v, n->str), sugg);
        return false;
    }
    if (!n->plain) {
        double x;
        if (maal_parse_double(n->str, &x))
            mv_err(v, n,
                   TR(v->lang, "%s er teksten \"%s\", forventede et tal uden anførselstegn",
                      "%s is the string \"%s\", expected a number without quotes"),
                   what, n->str);
        else
            mv_err(v, n, TR(v->lang, "%s er teksten \"%s\", forventede et tal",
                            "%s is the string \"%s\", expected a number"),
                   what, ex(v, n->str));
        return false;
    }
    const char *s = n->str;
    if (maybe_nan_inf(s) &&
        (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 || strcmp(s, ".NAN") == 0 ||
         strstr(s, ".inf") || strstr(s, ".Inf") || strstr(s, ".INF"))) {
        mv_err(v, n, TR(v->lang, "%s er '%s', forventede et endeligt tal",
                        "%s is '%s', expected a finite number"),
               what, ex(v, s));
        return false;
    }
    if (!maal_parse_double(s, out)) {
        bool numeric = *s && strspn(s, "0123456789+-.eE") == strlen(s);
        if (numeric)
            mv_err(v, n, TR(v->lang, "%s er '%s', et tal uden for det tilladte område",
                            "%s is '%s', a number out of range"),
                   what, ex(v, s));
        else
            mv_err(v, n, TR(v->lang, "%s er '%s', forventede et tal", "%s is '%s', expected a number"),
                   what, ex(v, s));
        return false;
    }
    return true;
}

bool mv_get_int_node(struct v *v, const struct maal_node *n, long lo, long hi, long *out,
                     const char *what)
{
    double x;
    if (!get_number(v, n, &x, what))
        return false;
    if (x != floor(x)) {
        mv_err(v, n, TR(v->lang, "%s er %s, forventede et helt tal", "%s is %s, expected a whole number"),
               what, n->str);
        return false;
    }
    if (x < (double)lo || x > (double)hi) {
        mv_err(v, n, TR(v->lang, "%s er %s, forventede et tal fra %ld til %ld",
                        "%s is %s, expected a number from %ld to %ld"),
               what, n->str, lo, hi);
        return false;
    }
    *out = (long)x;
    return true;
}

static bool get_year_node(struct v *v, const struct maal_node *n, int *out, const char *what)
{
    if (n->type == MAAL_NODE_SCALAR && !n->plain) {
        long y;
        if (maal_parse_int(n->str, &y)) {
            mv_err(v, n, TR(v->lang, "%s er teksten \"%s\", forventede et årstal uden anførselstegn",
                            "%s is the string \"%s\", expected a year without quotes"),
                   what, n->str);
            return false;
        }
    }
    long y;
    if (!mv_get_int_node(v, n, YEAR_MIN, YEAR_MAX, &y, what))
        return false;
    *out = (int)y;
    return true;
}

const char *mv_get_text_node(struct v *v, const struct maal_node *n, const char *what)
{
    if (!mv_want(v, n, MAAL_NODE_SCALAR, what))
        return NULL;
    if (is_null(n)) {
        mv_err(v, n, TR(v->lang, "%s er tom, forventede tekst", "%s is empty, expected text"), what);
        return NULL;
    }
    return n->str;
}

const char *mv_get_text(struct v *v, const struct maal_node *map, const char *key,
                        const char *what)
{
    const struct maal_node *n = maal_node_get(map, key);
    if (!n)
        return NULL;
    if (n->type == MAAL_NODE_SCALAR && !is_null(n))
        return n->str; /* what get_text_node returns without a word */
    char w[160];
    snprintf(w, sizeof(w), "'%s' %s %s", key, TR(v->lang, "i", "in"), what);
    return mv_get_text_node(v, n, w);
}

static bool get_bool(struct v *v, const struct maal_node *map, const char *key, bool dflt)
{
    const struct maal_node *n = maal_node_get(map, key);
    if (!n)
        return dflt;
    if (n->type == MAAL_NODE_SCALAR && n->plain) {
        if (!strcmp(n->str, "true") || !strcmp(n->str, "yes"))
            return true;
        if (!strcmp(n->str, "false") || !strcmp(n->str, "no"))
            return false;
    }
    mv_err(v, n, TR(v->lang, "'%s' er '%s', forventede true eller false",
                    "'%s' is '%s', expected true or false"),
           key, n->type == MAAL_NODE_SCALAR ? ex(v, n->str) : type_name(v, n));
    return dflt;
}

bool mv_valid_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
              *p == '-'))
            return false;
    return strlen(s) <= 128;
}

static const char *get_id(struct v *v, const struct maal_node *map, const char *what)
{
    const char *id = mv_get_text(v, map, "id", what);
    if (id && !mv_valid_id(id)) {
        (void)what;
        mv_err(v, maal_node_get(map, "id"),
               TR(v->lang, "id '%s' er ugyldigt, forventede små bogstaver, cifre, '_', '.' og '-'",
                  "id '%s' is invalid, expected lowercase letters, digits, '_', '.' and '-'"),
               ex(v, id));
        return NULL;
    }
    return id;
}

int mv_enum_index(struct v *v, const struct maal_node *n, const char *const *names,
                  const char *what)
{
    if (!mv_want(v, n, MAAL_NODE_SCALAR, what))
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], n->str) == 0)
            return i;
    struct maal_buf list = MAAL_BUF_INIT;
    for (size_t j = 0; names[j]; j++)
        maal_buf_printf(&list, "%s%s", j ? ", " : "", names[j]);
    const char *dym = maal_did_you_mean(n->str, names);
    if (dym)
        mv_err(v, n, TR(v->lang, "%s er '%s' (mente du '%s'?), forventede en af %s",
                        "%s is '%s' (did you mean '%s'?), expected one of %s"),
               what, ex(v, n->str), dym, maal_buf_str(&list));
    else
        mv_err(v, n, TR(v->lang, "%s er '%s', forventede en af %s", "%s is '%s', expected one of %s"),
               what, ex(v, n->str), maal_buf_str(&list));
    maal_buf_release(&list);
    return -1;
}

const char **mv_get_text_list(struct v *v, const struct maal_node *n, size_t *count,
                              const char *what)
{
    *count = 0;
    if (!n)
        return NULL;
    if (n->type == MAAL_NODE_SCALAR && !is_null(n)) {
        const char **l = mv_alloc(v, sizeof(*l));
        if (l) {
            l[0] = n->str;
            *count = 1;
        }
        return l;
    }
    if (!mv_want(v, n, MAAL_NODE_SEQ, what))
        return NULL;
    const char **l = mv_alloc(v, (n->n + 1) * sizeof(*l));
    if (!l)
        return NULL;
    for (size_t i = 0; i < n->n; i++) {
        const char *s = mv_get_text_node(v, n->items[i], what);
        if (s)
            l[(*count)++] = s;
    }
    return l;
}

static int cmp_yearval(const void *a, const void *b)
{
    const struct maal_yearval *x = a, *y = b;
    return x->year - y->year;
}

static unsigned unit_flags(enum maal_unit u)
{
    switch (u) {
    case MAAL_UNIT_COUNT:
        return YM_NONNEG | YM_WHOLE;
    case MAAL_UNIT_PERCENT:
        return YM_NONNEG | YM_PERCENT;
    case MAAL_UNIT_PER_1000:
    case MAAL_UNIT_KR:
        return YM_NONNEG;
    default:
        return 0;
    }
}

static void check_year_range(struct v *v, const struct maal_node *n, int year, unsigned flags,
                             const char *what)
{
    const struct maal_partnership *p = v->p;
    if (!p->from || !p->to)
        return;
    if ((flags & YM_IN_PERIOD) && (year < p->from || year > p->to))
        mv_err(v, n, TR(v->lang, "år %d i %s ligger uden for perioden %d-%d",
                        "year %d in %s is outside the period %d-%d"),
               year, what, p->from, p->to);
    else if ((flags & YM_NOT_AFTER) && year > p->to)
        mv_err(v, n, TR(v->lang, "år %d i %s ligger efter periodens slutning (%d)",
                        "year %d in %s is after the end of the period (%d)"),
               year, what, p->to);
}

/* "the value for YEAR in WHAT", for a message about it */
static const char *value_what(struct v *v, char *w, size_t size, int year, const char *what)
{
    snprintf(w, size, "%s %d %s %s", TR(v->lang, "værdien for", "the value for"), year,
             TR(v->lang, "i", "in"), what);
    return w;
}

static void get_yearmap(struct v *v, const struct maal_node *n, struct maal_yearmap *m,
                        unsigned flags, const char *what)
{
    m->v = NULL;
    m->n = 0;
    if (!n || is_null(n))
        return;
    if (!mv_want(v, n, MAAL_NODE_MAP, what))
        return;
    m->v = mv_alloc(v, (n->n + 1) * sizeof(*m->v));
    if (!m->v)
        return;
    const struct maal_node *table = maal_node_get(n, "table");
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *k = n->items[2 * i], *val = n->items[2 * i + 1];
        if (table && k->type == MAAL_NODE_SCALAR && mv_is_binding_key(k->str))
            continue;
        int year;
        char w[200];
        /* {2021: 18,7} is YAML for 2021: 18 and a key 7: a Danish decimal comma */
        const struct maal_node *pv = i ? n->items[2 * i - 1] : NULL;
        if (pv && k->type == MAAL_NODE_SCALAR && k->plain && pv->type == MAAL_NODE_SCALAR &&
            pv->plain && strspn(k->str, "0123456789") == strlen(k->str) && strlen(k->str) < 4 &&
            *pv->str && strspn(pv->str, "-0123456789") == strlen(pv->str) && is_null(val)) {
            mv_err(v, pv, TR(v->lang, "%s,%s i %s: brug punktum som decimaltegn (%s.%s)",
                             "%s,%s in %s: use a point as the decimal mark (%s.%s)"),
                   pv->str, k->str, what, pv->str, k->str);
            continue;
        }
        v->quiet = true;
        bool ok = get_year_node(v, k, &year, "");
        v->quiet = false;
        if (!ok) {
            snprintf(w, sizeof(w), "%s %s %s", TR(v->lang, "årstallet i", "the year in"), what, "");
            w[strlen(w) - 1] = '\0';
            get_year_node(v, k, &year, w);
            continue;
        }
        check_year_range(v, k, year, flags, what);
        struct maal_yearval *yv = &m->v[m->n];
        yv->year = year;
        yv->line = val->line;
        yv->col = val->col;
        if ((flags & YM_UNKNOWN_OK) && val->type == MAAL_NODE_SCALAR &&
            strcmp(val->str, "?") == 0) {
            yv->unknown = true;
            m->n++;
            continue;
        }
        if (val->type == MAAL_NODE_SCALAR && strcmp(val->str, "?") == 0) {
            mv_err(v, val, TR(v->lang, "%s er '?', forventede et tal ('?' er kun tilladt i financing)",
                              "%s is '?', expected a number ('?' is allowed only in financing)"),
                   value_what(v, w, sizeof(w), year, what));
            continue;
        }
        v->quiet = true;
        ok = get_number(v, val, &yv->v, "");
        v->quiet = false;
        if (!ok) {
            get_number(v, val, &yv->v, value_what(v, w, sizeof(w), year, what));
            continue;
        }
        if ((flags & YM_NONNEG) && yv->v < 0)
            mv_err(v, val, TR(v->lang, "%s er %s, forventede et tal ≥ 0",
                              "%s is %s, expected a number >= 0"),
                   value_what(v, w, sizeof(w), year, what), val->str);
        else if ((flags & YM_PERCENT) && yv->v > 100)
            mv_err(v, val, TR(v->lang, "%s er %s, forventede en procentdel fra 0 til 100",
                              "%s is %s, expected a percentage from 0 to 100"),
                   value_what(v, w, sizeof(w), year, what), val->str);
        else if ((flags & YM_WHOLE) && yv->v != floor(yv->v))
            mv_err(v, val, TR(v->lang, "%s er %s, forventede et helt antal",
                              "%s is %s, expected a whole count"),
                   value_what(v, w, sizeof(w), year, what), val->str);
        m->n++;
    }
    if (table)
        mv_bind_table(v, n, m, flags, what);
    for (size_t i = 1; i < m->n; i++) /* years written in order need no sorting */
        if (m->v[i - 1].year > m->v[i].year) {
            qsort(m->v, m->n, sizeof(*m->v), cmp_yearval);
            break;
        }
}

/* Reports every id that an earlier item already has; returns the index of 'ids' (in the
 * arena) for lookups. Sorting, not comparing every pair: 140 000 goals took minutes. */
static struct maal_index check_unique(struct v *v, const char **ids,
                                      const struct maal_node **nodes, size_t n, const char *what)
{
    struct maal_index x = {0};
    struct maal_index_entry *e = mv_alloc(v, (n + 1) * sizeof(*e));
    size_t *first = mv_alloc(v, (n + 1) * sizeof(*first));
    if (!e || !first)
        return x;
    maal_index_build(&x, e, ids, n, sizeof(*ids), 0);
    maal_index_firsts(&x, first, n);
    for (size_t i = 0; i < n; i++)
        if (first[i] != i)
            mv_err(v, nodes[i], TR(v->lang, "%s '%s' findes allerede (linje %d), forventede et "
                                            "entydigt id",
                                   "%s '%s' already exists (line %d), expected a unique id"),
                   what, ids[i], nodes[first[i]]->line);
    return x;
}

/* A partner's name as it is compared: letters in lower case (ASCII and Latin-1's À-Þ, so Æ, Ø
 * and Å too) and each run of spaces one space, none at either end. "SSP" and "ssp", or
 * "Ny Start (SOF)" and "Ny  Start (SOF)", are one organisation, not two. NULL out of memory. */
static const char *fold_name(struct v *v, const char *s)
{
    char *out = mv_alloc(v, strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    bool space = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = o > out;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        if (*p >= 'A' && *p <= 'Z') {
            *o++ = (char)(*p + 32);
        } else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            *o++ = (char)*p++; /* U+00C0-U+00DE but × (U+00D7): + 0x20 is the small letter */
            *o++ = (char)(*p + 0x20);
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

/* How many different names 'responsible' and 'partners' hold together (as fold_name compares
 * them). */
static size_t count_partners(struct v *v, const struct maal_activity *a)
{
    size_t total = a->nresponsible + a->npartners;
    const char **names = mv_alloc(v, (total + 1) * sizeof(*names));
    if (!names)
        return 0;
    for (size_t i = 0; i < total; i++) {
        const char *s = i < a->nresponsible ? a->responsible[i] : a->partners[i - a->nresponsible];
        if (s && !(names[i] = fold_name(v, s)))
            return 0;
    }
    struct maal_index x;
    struct maal_index_entry *e = mv_alloc(v, (total + 1) * sizeof(*e));
    if (!e)
        return 0;
    maal_index_build(&x, e, names, total, sizeof(*names), 0);
    size_t n = 0;
    for (size_t k = 0; k < x.n; k++)
        n += k == 0 || strcmp(x.e[k].key, x.e[k - 1].key) != 0;
    return n;
}

/* ---- sections ---- */

static void load_partnership(struct v *v, const struct maal_node *n)
{
    static const char *const keys[] = {"id",         "name",     "period",    "area",
                                       "district",   "area_changes", "partners", "population",
                                       "budget",     "baselines", "source",   NULL};
    static const char *const req[] = {"id", "name", "period", NULL};
    struct maal_partnership *p = v->p;
    const char *what = "'partnership'";
    if (!mv_want(v, n, MAAL_NODE_MAP, what))
        return;
    mv_check_keys(v, n, keys, req, what);
    p->id = get_id(v, n, what);
    p->name = mv_get_text(v, n, "name", what);
    p->area = mv_get_text(v, n, "area", what);
    p->district = mv_get_text(v, n, "district", what);
    p->source = mv_get_text(v, n, "source", what);
    const struct maal_node *per = maal_node_get(n, "period");
    if (per && mv_want(v, per, MAAL_NODE_MAP, "'period'")) {
        static const char *const pk[] = {"from", "to", NULL};
        mv_check_keys(v, per, pk, pk, "'period'");
        const struct maal_node *f = maal_node_get(per, "from"), *t = maal_node_get(per, "to");
        int from = 0, to = 0;
        if (f && t && get_year_node(v, f, &from, "'period.from'") &&
            get_year_node(v, t, &to, "'period.to'")) {
            if (from > to)
                mv_err(v, t, TR(v->lang, "'period.to' (%d) ligger før 'period.from' (%d)",
                                "'period.to' (%d) is before 'period.from' (%d)"),
                       to, from);
            else {
                p->from = from;
                p->to = to;
            }
        }
    }
    const struct maal_node *ch = maal_node_get(n, "area_changes");
    if (ch && mv_want(v, ch, MAAL_NODE_SEQ, "'area_changes'")) {
        p->changes = mv_alloc(v, (ch->n + 1) * sizeof(*p->changes));
        for (size_t i = 0; p->changes && i < ch->n; i++) {
            const struct maal_node *c = ch->items[i];
            if (!mv_want(v, c, MAAL_NODE_MAP, TR(v->lang, "et punkt i 'area_changes'", "an item of 'area_changes'")))
                continue;
            static const char *const ck[] = {"year", "note", "affects", NULL};
            static const char *const cr[] = {"year", NULL};
            mv_check_keys(v, c, ck, cr, "'area_changes'");
            struct maal_area_change *x = &p->changes[p->nchanges];
            const struct maal_node *y = maal_node_get(c, "year");
            if (!y || !get_year_node(v, y, &x->year, "'area_changes.year'"))
                continue;
            x->note = mv_get_text(v, c, "note", "'area_changes'");
            x->line = c->line;
            x->col = c->col;
            const struct maal_node *af = maal_node_get(c, "affects");
            if (!af) {
                x->affects[MAAL_KIND_SURVEY] = true;
            } else if (mv_want(v, af, MAAL_NODE_SEQ, "'affects'")) {
                for (size_t k = 0; k < af->n; k++) {
                    int ki = mv_enum_index(v, af->items[k], maal_kind_names, "'affects'");
                    if (ki >= 0)
                        x->affects[ki] = true;
                }
            }
            p->nchanges++;
        }
    }
    p->partners = mv_get_text_list(v, maal_node_get(n, "partners"), &p->npartners, "'partners'");
    get_yearmap(v, maal_node_get(n, "population"), &p->population, YM_NONNEG | YM_WHOLE,
                "'population'");
    get_yearmap(v, maal_node_get(n, "budget"), &p->budget, YM_NONNEG | YM_IN_PERIOD, "'budget'");
    const struct maal_node *bl = maal_node_get(n, "baselines");
    if (bl && mv_want(v, bl, MAAL_NODE_MAP, "'baselines'")) {
        mv_check_keys(v, bl, maal_kind_names, NULL, "'baselines'");
        for (int k = 0; k < MAAL_NKINDS; k++) {
            const struct maal_node *y = maal_node_get(bl, maal_kind_names[k]);
            if (y && get_year_node(v, y, &p->baseline[k], "'baselines'")) {
                p->baseline_line[k] = y->line;
                p->baseline_col[k] = y->col;
                check_year_range(v, y, p->baseline[k], YM_NOT_AFTER, "'baselines'");
            }
        }
    }
}

static void load_significance(struct v *v, struct maal_series *s, const struct maal_node *n)
{
    if (!n || !mv_want(v, n, MAAL_NODE_SEQ, "'significance'"))
        return;
    s->sig = mv_alloc(v, (n->n + 1) * sizeof(*s->sig));
    for (size_t i = 0; s->sig && i < n->n; i++) {
        const struct maal_node *x = n->items[i];
        if (!mv_want(v, x, MAAL_NODE_MAP, TR(v->lang, "et punkt i 'significance'", "an item of 'significance'")))
            continue;
        static const char *const k[] = {"scope", "from", "to", "year", "significant", "note", NULL};
        static const char *const r[] = {"scope", "significant", NULL};
        mv_check_keys(v, x, k, r, "'significance'");
        struct maal_signif *g = &s->sig[s->nsig];
        const struct maal_node *sc = maal_node_get(x, "scope");
        g->scope = sc ? mv_enum_index(v, sc, maal_scope_names, "'scope'") : -1;
        const struct maal_node *f = maal_node_get(x, "from"), *t = maal_node_get(x, "to"),
                               *y = maal_node_get(x, "year");
        if (f)
            get_year_node(v, f, &g->from, "'from'");
        if (t)
            get_year_node(v, t, &g->to, "'to'");
        if (y)
            get_year_node(v, y, &g->year, "'year'");
        if (!y && !(f && t))
            mv_err(v, x, TR(v->lang, "'significance' skal have enten 'from' og 'to' eller 'year'",
                            "'significance' needs either 'from' and 'to', or 'year'"));
        g->significant = get_bool(v, x, "significant", false);
        g->note = mv_get_text(v, x, "note", "'significance'");
        g->line = x->line;
        g->col = x->col;
        if (g->scope >= 0)
            s->nsig++;
    }
}

static void load_series(struct v *v, const struct maal_node *n)
{
    struct maal_partnership *p = v->p;
    if (!mv_want(v, n, MAAL_NODE_SEQ, "'series'"))
        return;
    p->series = mv_alloc(v, (n->n + 1) * sizeof(*p->series));
    const char **ids = mv_alloc(v, (n->n + 1) * sizeof(*ids));
    const struct maal_node **nodes = mv_alloc(v, (n->n + 1) * sizeof(*nodes));
    if (!p->series || !ids || !nodes)
        return;
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *x = n->items[i];
        if (!mv_want(v, x, MAAL_NODE_MAP, TR(v->lang, "et punkt i 'series'", "an item of 'series'")))
            continue;
        static const char *const k[] = {"id",     "name",    "kind",         "unit",
                                        "source", "values",  "samples", "significance", NULL};
        static const char *const r[] = {"id", "name", "kind", "unit", "values", NULL};
        char what[160];
        const struct maal_node *idn = maal_node_get(x, "id");
        join(what, sizeof(what), (const char *[]){TR(v->lang, "serien", "series"), " '",
             idn && idn->type == MAAL_NODE_SCALAR ? idn->str : "?", "'", NULL});
        mv_check_keys(v, x, k, r, what);
        struct maal_series *s = &p->series[p->nseries];
        s->id = get_id(v, x, what);
        s->name = mv_get_text(v, x, "name", what);
        s->source = mv_get_text(v, x, "source", what);
        s->line = x->line;
        s->col = x->col;
        const struct maal_node *kn = maal_node_get(x, "kind"), *un = maal_node_get(x, "unit");
        int kind = kn ? mv_enum_index(v, kn, maal_kind_names, "'kind'") : -1;
        int unit = un ? mv_enum_index(v, un, maal_unit_names, "'unit'") : -1;
        s->kind = kind < 0 ? MAAL_KIND_OTHER : (enum maal_kind)kind;
        s->unit = unit < 0 ? MAAL_UNIT_NUMBER : (enum maal_unit)unit;
        unsigned flags = (unit < 0 ? 0 : unit_flags(s->unit)) | YM_NOT_AFTER;
        const struct maal_node *vals = maal_node_get(x, "values");
        if (vals && mv_want(v, vals, MAAL_NODE_MAP, "'values'")) {
            mv_check_keys(v, vals, maal_scope_names, NULL, "'values'");
            for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
                char w[200];
                join(w, sizeof(w), (const char *[]){"'", s->id ? s->id : "?", ".values.",
                                                    maal_scope_names[sc], "'", NULL});
                get_yearmap(v, maal_node_get(vals, maal_scope_names[sc]), &s->values[sc], flags, w);
            }
        }
        const struct maal_node *smp = maal_node_get(x, "samples");
        if (smp && mv_want(v, smp, MAAL_NODE_MAP, "'samples'")) {
            mv_check_keys(v, smp, maal_scope_names, NULL, "'samples'");
            for (int sc = 0; sc < MAAL_NSCOPES; sc++) {
                char w[200];
                join(w, sizeof(w), (const char *[]){"'", s->id ? s->id : "?", ".samples.",
                                                    maal_scope_names[sc], "'", NULL});
                get_yearmap(v, maal_node_get(smp, maal_scope_names[sc]), &s->samples[sc],
                            YM_NONNEG | YM_WHOLE | YM_NOT_AFTER, w);
            }
        }
        load_significance(v, s, maal_node_get(x, "significance"));
        ids[p->nseries] = s->id;
        nodes[p->nseries] = idn ? idn : x;
        p->nseries++;
    }
    p->series_ix = check_unique(v, ids, nodes, p->nseries, TR(v->lang, "serien", "series"));
}

static void load_status(struct v *v, struct maal_act_status *st, const struct maal_node *n)
{
    if (!n || !mv_want(v, n, MAAL_NODE_MAP, "'status'"))
        return;
    static const char *const k[] = {"year", "as_planned", "concerns", "adjustments", "note", NULL};
    static const char *const r[] = {"year", "as_planned", NULL};
    mv_check_keys(v, n, k, r, "'status'");
    st->present = true;
    st->line = n->line;
    st->col = n->col;
    const struct maal_node *y = maal_node_get(n, "year");
    if (y && get_year_node(v, y, &st->year, "'status.year'"))
        check_year_range(v, y, st->year, YM_IN_PERIOD, "'status'");
    const struct maal_node *ap = maal_node_get(n, "as_planned");
    static const char *const da_words[][2] = {{"ja", "yes"}, {"nej", "no"}, {"delvist", "partly"},
                                              {"true", "yes"}, {"false", "no"}};
    for (size_t i = 0; ap && ap->type == MAAL_NODE_SCALAR && i < 5; i++)
        if (!strcmp(ap->str, da_words[i][0])) {
            mv_err(v, ap, TR(v->lang, "'as_planned' er '%s' (mente du '%s'?), forventede en af yes, "
                                      "no, partly",
                             "'as_planned' is '%s' (did you mean '%s'?), expected one of yes, no, "
                             "partly"),
                   ap->str, da_words[i][1]);
            ap = NULL;
        }
    if (ap) {
        int i = mv_enum_index(v, ap, as_planned_names, "'as_planned'");
        st->as_planned = i >= 0 ? as_planned_names[i] : NULL;
    }
    const char *c = mv_get_text(v, n, "concerns", "'status'");
    st->concerns = c && strcmp(c, "no") != 0 && strcmp(c, "false") != 0 ? c : NULL;
    const char *a = mv_get_text(v, n, "adjustments", "'status'");
    st->adjustments = a && strcmp(a, "no") != 0 && strcmp(a, "false") != 0 ? a : NULL;
    st->note = mv_get_text(v, n, "note", "'status'");
}

/* 'status': one midway status, or a list of them, one per year (a status report each year):
 * a->status is the latest year's, a->statuses every one. */
static void load_statuses(struct v *v, struct maal_activity *a, const struct maal_node *n)
{
    if (!n)
        return;
    size_t cnt = n->type == MAAL_NODE_SEQ ? n->n : 1;
    a->statuses = mv_alloc(v, (cnt ? cnt : 1) * sizeof(*a->statuses));
    if (!a->statuses)
        return;
    memset(a->statuses, 0, (cnt ? cnt : 1) * sizeof(*a->statuses));
    for (size_t i = 0; i < cnt; i++) {
        struct maal_act_status *st = &a->statuses[a->nstatuses];
        load_status(v, st, n->type == MAAL_NODE_SEQ ? n->items[i] : n);
        if (!st->present)
            continue;
        for (size_t k = 0; k < a->nstatuses; k++)
            if (st->year && a->statuses[k].year == st->year) {
                const struct maal_node *item = n->items[i];
                mv_err(v, item, TR(v->lang, "to statusser for %d i 'status', forventede én pr. år",
                                   "two statuses for %d in 'status', expected one a year"),
                       st->year);
            }
        if (!a->status.present || st->year > a->status.year)
            a->status = *st;
        a->nstatuses++;
    }
}

static bool valid_date(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

/* The message for a bad date, with a suggestion for the Danish DD-MM-ÅÅÅÅ order. */
static void bad_date(struct v *v, const struct maal_node *n, const char *key, const char *s)
{
    int d, m, y;
    char tail;
    if (sscanf(s, "%2d-%2d-%4d%c", &d, &m, &y, &tail) == 3 && y > 1000) {
        char sugg[48];
        snprintf(sugg, sizeof(sugg), "%04d-%02d-%02d", y, m, d);
        if (valid_date(sugg)) {
            mv_err(v, n, TR(v->lang, "'%s' er '%s', forventede en dato ÅÅÅÅ-MM-DD (mente du %s?)",
                            "'%s' is '%s', expected a date YYYY-MM-DD (did you mean %s?)"),
                   key, ex(v, s), sugg);
            return;
        }
    }
    mv_err(v, n, TR(v->lang, "'%s' er '%s', forventede en dato ÅÅÅÅ-MM-DD",
                    "'%s' is '%s', expected a date YYYY-MM-DD"),
           key, ex(v, s));
}

static void load_criteria(struct v *v, struct maal_activity *a, const struct maal_node *n)
{
    if (!n || !mv_want(v, n, MAAL_NODE_SEQ, "'criteria'"))
        return;
    a->criteria = mv_alloc(v, (n->n + 1) * sizeof(*a->criteria));
    const char **ids = mv_alloc(v, (n->n + 1) * sizeof(*ids));
    const struct maal_node **nodes = mv_alloc(v, (n->n + 1) * sizeof(*nodes));
    if (!a->criteria || !ids || !nodes)
        return;
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *x = n->items[i];
        if (!mv_want(v, x, MAAL_NODE_MAP, TR(v->lang, "et punkt i 'criteria'", "an item of 'criteria'")))
            continue;
        static const char *const k[] = {"id",     "text", "unit", "values", "target",
                                        "by_year", "due", "done", NULL};
        static const char *const r[] = {"id", "text", NULL};
        char what[160];
        const struct maal_node *cid = maal_node_get(x, "id");
        join(what, sizeof(what), (const char *[]){TR(v->lang, "succeskriteriet", "criterion"),
             " '", cid && cid->type == MAAL_NODE_SCALAR ? cid->str : "?", "'", NULL});
        mv_check_keys(v, x, k, r, what);
        struct maal_criterion *c = &a->criteria[a->ncriteria];
        c->id = get_id(v, x, what);
        c->text = mv_get_text(v, x, "text", what);
        c->line = x->line;
        c->col = x->col;
        const struct maal_node *un = maal_node_get(x, "unit");
        int unit = un ? mv_enum_index(v, un, maal_unit_names, "'unit'") : -1;
        c->has_unit = unit >= 0;
        c->unit = unit >= 0 ? (enum maal_unit)unit : MAAL_UNIT_NUMBER;
        get_yearmap(v, maal_node_get(x, "values"), &c->values,
                    (unit >= 0 ? unit_flags(c->unit) : 0) | YM_NOT_AFTER, "'criteria.values'");
        const struct maal_node *t = maal_node_get(x, "target");
        if (t)
            c->has_target = get_number(v, t, &c->target, "'target'");
        const struct maal_node *by = maal_node_get(x, "by_year");
        if (by && get_year_node(v, by, &c->by_year, "'by_year'"))
            check_year_range(v, by, c->by_year, YM_IN_PERIOD, "'by_year'");
        const struct maal_node *due = maal_node_get(x, "due"), *done = maal_node_get(x, "done");
        if (due) {
            c->due = mv_get_text_node(v, due, "'due'");
            c->due_line = due->line;
            c->due_col = due->col;
            if (c->due && !valid_date(c->due)) {
                bad_date(v, due, "due", c->due);
                c->due = NULL;
            }
        }
        if (done && done->type == MAAL_NODE_SCALAR && done->plain &&
            (!strcmp(done->str, "no") || !strcmp(done->str, "false"))) {
            c->done_no = true;
            c->done_line = done->line;
            c->done_col = done->col;
        } else if (done && !is_null(done)) {
            c->done = mv_get_text_node(v, done, "'done'");
            c->done_line = done->line;
            c->done_col = done->col;
            if (c->done && !valid_date(c->done)) {
                bad_date(v, done, "done", c->done);
                c->done = NULL;
            }
        }
        ids[a->ncriteria] = c->id;
        nodes[a->ncriteria] = maal_node_get(x, "id") ? maal_node_get(x, "id") : x;
        a->ncriteria++;
    }
    a->criteria_ix =
        check_unique(v, ids, nodes, a->ncriteria, TR(v->lang, "succeskriteriet", "criterion"));
}

/* 'start' and 'end': the years an activity runs, so a rule counts only the activities of the
 * evaluated year (an activity marked "(ny)" in the 2022 plan does not run in 2021). */
static void load_activity_years(struct v *v, struct maal_activity *a, const struct maal_node *x)
{
    const struct maal_node *s = maal_node_get(x, "start"), *e = maal_node_get(x, "end");
    if (s && get_year_node(v, s, &a->start, "'start'")) {
        a->start_line = s->line;
        a->start_col = s->col;
    }
    if (e && get_year_node(v, e, &a->end, "'end'")) {
        a->end_line = e->line;
        a->end_col = e->col;
    }
    if (a->start && a->end && a->end < a->start) {
        mv_err(v, e, TR(v->lang, "'end' er %d, før 'start' %d, forventede et år fra %d",
                        "'end' is %d, before 'start' %d, expected a year from %d"),
               a->end, a->start, a->start);
        a->end = 0;
    }
}

static void load_activities(struct v *v, const struct maal_node *n)
{
    struct maal_partnership *p = v->p;
    if (!mv_want(v, n, MAAL_NODE_SEQ, "'activities'"))
        return;
    p->activities = mv_alloc(v, (n->n + 1) * sizeof(*p->activities));
    const char **ids = mv_alloc(v, (n->n + 1) * sizeof(*ids));
    const struct maal_node **nodes = mv_alloc(v, (n->n + 1) * sizeof(*nodes));
    if (!p->activities || !ids || !nodes)
        return;
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *x = n->items[i];
        if (!mv_want(v, x, MAAL_NODE_MAP, TR(v->lang, "et punkt i 'activities'", "an item of 'activities'")))
            continue;
        static const char *const k[] = {"id",        "number", "name",     "focus_area",
                                        "new",       "responsible", "partners", "in_partner_share",
                                        "note",      "financing", "status", "criteria",
                                        "start",     "end",       NULL};
        static const char *const r[] = {"id", "name", "responsible", NULL};
        char what[160];
        const struct maal_node *idn = maal_node_get(x, "id");
        join(what, sizeof(what), (const char *[]){TR(v->lang, "aktiviteten", "activity"), " '",
             idn && idn->type == MAAL_NODE_SCALAR ? idn->str : "?", "'", NULL});
        mv_check_keys(v, x, k, r, what);
        struct maal_activity *a = &p->activities[p->nactivities];
        a->id = get_id(v, x, what);
        a->name = mv_get_text(v, x, "name", what);
        a->focus_area = mv_get_text(v, x, "focus_area", what);
        a->note = mv_get_text(v, x, "note", what);
        a->line = x->line;
        a->col = x->col;
        const struct maal_node *num = maal_node_get(x, "number");
        if (num)
            mv_get_int_node(v, num, 0, 100000, &a->number, "'number'");
        a->is_new = get_bool(v, x, "new", false);
        load_activity_years(v, a, x);
        a->in_partner_share = get_bool(v, x, "in_partner_share", true);
        a->responsible = mv_get_text_list(v, maal_node_get(x, "responsible"), &a->nresponsible,
                                          "'responsible'");
        a->partners = mv_get_text_list(v, maal_node_get(x, "partners"), &a->npartners, "'partners'");
        get_yearmap(v, maal_node_get(x, "financing"), &a->financing,
                    YM_UNKNOWN_OK | YM_NONNEG | YM_IN_PERIOD, "'financing'");
        load_statuses(v, a, maal_node_get(x, "status"));
        load_criteria(v, a, maal_node_get(x, "criteria"));
        a->partner_count = count_partners(v, a);
        ids[p->nactivities] = a->id;
        nodes[p->nactivities] = idn ? idn : x;
        p->nactivities++;
    }
    p->activities_ix =
        check_unique(v, ids, nodes, p->nactivities, TR(v->lang, "aktiviteten", "activity"));
}

static bool valid_rule_name(const char *s)
{
    if (!*s || strlen(s) > 128)
        return false;
    bool slash = false;
    for (const char *p = s; *p; p++) {
        if (*p == '/') {
            if (slash || p == s || !p[1])
                return false;
            slash = true;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                     (*p == '-' && !slash))) {
            return false;
        }
    }
    return true;
}

/* References from params to series, activities and criteria are checked here, generically. */
static void check_param_refs(struct v *v, const struct maal_goal *g)
{
    const struct maal_node *pm = g->params;
    if (!pm)
        return;
    const struct maal_partnership *p = v->p;
    const struct maal_node *s = maal_node_get(pm, "series");
    double num;
    /* a number where a series id belongs is a type error: the rule's schema says so */
    if (s && s->type == MAAL_NODE_SCALAR && s->plain && maal_parse_double(s->str, &num))
        s = NULL;
    if (s && s->type == MAAL_NODE_SCALAR && !maal_series_find(p, s->str)) {
        const char **names = mv_alloc(v, (p->nseries + 1) * sizeof(*names));
        for (size_t i = 0; names && i < p->nseries; i++)
            names[i] = p->series[i].id ? p->series[i].id : "";
        const char *dym = names ? maal_did_you_mean(s->str, names) : NULL;
        if (dym)
            mv_err(v, s, TR(v->lang, "målet '%s' henviser til den ukendte serie '%s' (mente du '%s'?)",
                            "goal '%s' refers to the unknown series '%s' (did you mean '%s'?)"),
                   g->id ? g->id : "?", s->str, dym);
        else
            mv_err(v, s, TR(v->lang, "målet '%s' henviser til den ukendte serie '%s'",
                            "goal '%s' refers to the unknown series '%s'"),
                   g->id ? g->id : "?", s->str);
    }
    const struct maal_node *an = maal_node_get(pm, "activity");
    const struct maal_activity *act = NULL;
    if (an && an->type == MAAL_NODE_SCALAR) {
        act = maal_activity_find(p, an->str);
        if (!act) {
            const char **names = mv_alloc(v, (p->nactivities + 1) * sizeof(*names));
            for (size_t i = 0; names && i < p->nactivities; i++)
                names[i] = p->activities[i].id ? p->activities[i].id : "";
            const char *dym = names ? maal_did_you_mean(an->str, names) : NULL;
            mv_err(v, an,
                   TR(v->lang, "målet '%s' henviser til den ukendte aktivitet '%s'%s%s%s",
                      "goal '%s' refers to the unknown activity '%s'%s%s%s"),
                   g->id ? g->id : "?", an->str, dym ? TR(v->lang, " (mente du '", " (did you mean '") : "",
                   dym ? dym : "", dym ? "'?)" : "");
        }
    }
    const struct maal_node *cn = maal_node_get(pm, "criterion");
    if (act && cn && cn->type == MAAL_NODE_SCALAR) {
        size_t at;
        if (!maal_index_find(&act->criteria_ix, cn->str, &at)) {
            const char **names = mv_alloc(v, (act->ncriteria + 1) * sizeof(*names));
            for (size_t i = 0; names && i < act->ncriteria; i++)
                names[i] = act->criteria[i].id ? act->criteria[i].id : "";
            const char *dym = names ? maal_did_you_mean(cn->str, names) : NULL;
            mv_err(v, cn, TR(v->lang, "målet '%s' henviser til det ukendte succeskriterie '%s' i "
                                      "aktiviteten '%s'%s%s%s",
                             "goal '%s' refers to the unknown criterion '%s' of activity '%s'%s%s%s"),
                   g->id ? g->id : "?", cn->str, act->id,
                   dym ? TR(v->lang, " (mente du '", " (did you mean '") : "", dym ? dym : "",
                   dym ? "'?)" : "");
        }
    }
}

/* Goals are appended: first those of included goal sets, then the file's own, which replace
 * an included goal with the same id. */
static void load_goals(struct v *v, const struct maal_node *n)
{
    struct maal_partnership *p = v->p;
    if (!mv_want(v, n, MAAL_NODE_SEQ, "'goals'"))
        return;
    size_t total = p->ngoals + n->n;
    struct maal_goal *goals = mv_alloc(v, (total + 1) * sizeof(*goals));
    const char **ids = mv_alloc(v, (n->n + 1) * sizeof(*ids));
    const struct maal_node **nodes = mv_alloc(v, (n->n + 1) * sizeof(*nodes));
    if (!goals || !ids || !nodes)
        return;
    if (p->ngoals)
        memcpy(goals, p->goals, p->ngoals * sizeof(*goals));
    p->goals = goals;
    size_t first = p->ngoals;
    struct maal_index included = {0}; /* the goals of included goal sets, by id */
    if (first)
        maal_index_build(&included, mv_alloc(v, first * sizeof(*included.e)), p->goals, first,
                         sizeof(*p->goals), offsetof(struct maal_goal, id));
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *x = n->items[i];
        if (!mv_want(v, x, MAAL_NODE_MAP, TR(v->lang, "et punkt i 'goals'", "an item of 'goals'")))
            continue;
        static const char *const k[] = {"id", "title", "group", "rule", "params", "note", NULL};
        static const char *const r[] = {"id", "title", "rule", NULL};
        char what[160];
        const struct maal_node *idn = maal_node_get(x, "id");
        join(what, sizeof(what), (const char *[]){TR(v->lang, "målet", "goal"), " '",
             idn && idn->type == MAAL_NODE_SCALAR ? idn->str : "?", "'", NULL});
        mv_check_keys(v, x, k, r, what);
        struct maal_goal *g = &p->goals[p->ngoals];
        g->file = v->file ? v->file : p->file;
        g->id = get_id(v, x, what);
        g->title = mv_get_text(v, x, "title", what);
        g->note = mv_get_text(v, x, "note", what);
        g->line = x->line;
        g->col = x->col;
        const struct maal_node *gr = maal_node_get(x, "group");
        int gi = gr ? mv_enum_index(v, gr, maal_group_order, "'group'") : MAAL_GROUP_OTHER;
        g->group = maal_group_order[gi < 0 ? MAAL_GROUP_OTHER : gi];
        const struct maal_node *rn = maal_node_get(x, "rule");
        if (rn) {
            g->rule = mv_get_text_node(v, rn, "'rule'");
            g->rule_line = rn->line;
            g->rule_col = rn->col;
            if (g->rule && !valid_rule_name(g->rule)) {
                mv_err(v, rn, TR(v->lang, "reglen '%s' har et ugyldigt navn, forventede [a-z0-9_]+ "
                                          "eller plugin/regel",
                                 "rule '%s' has an invalid name, expected [a-z0-9_]+ or plugin/rule"),
                       ex(v, g->rule));
                g->rule = NULL;
            }
        }
        const struct maal_node *pm = maal_node_get(x, "params");
        if (pm && !is_null(pm) && mv_want(v, pm, MAAL_NODE_MAP, "'params'"))
            g->params = pm;
        check_param_refs(v, g);
        /* goal ids are unique after includes: a goal of the file's own, or of a second goal
         * set, never silently replaces an included one (a 'monitor' for an 'at_most_baseline') */
        size_t j;
        if (g->id && maal_index_find(&included, g->id, &j))
            mv_err(v, idn ? idn : x,
                   TR(v->lang, "målet '%s' findes allerede i %s:%d:%d (fra 'include'), "
                               "forventede et entydigt id",
                      "goal '%s' already exists at %s:%d:%d (from 'include'), expected a "
                      "unique id"),
                   g->id, p->goals[j].file, p->goals[j].line, p->goals[j].col);
        ids[p->ngoals - first] = g->id;
        nodes[p->ngoals - first] = idn ? idn : x;
        p->ngoals++;
    }
    check_unique(v, ids, nodes, p->ngoals - first, TR(v->lang, "målet", "goal"));
}

static void load_includes(struct v *v, const struct maal_node *n)
{
    struct maal_partnership *p = v->p;
    if (n->type == MAAL_NODE_SCALAR) {
        struct maal_node *one = mv_alloc(v, sizeof(*one) + sizeof(struct maal_node *));
        if (!one)
            return;
        /* a single name: treat as a one-item list */
        one->type = MAAL_NODE_SEQ;
        one->line = n->line;
        one->col = n->col;
        one->items = (struct maal_node **)(one + 1);
        one->items[0] = (struct maal_node *)n;
        one->n = 1;
        n = one;
    }
    if (!mv_want(v, n, MAAL_NODE_SEQ, "'include'"))
        return;
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *x = n->items[i];
        const char *name = mv_get_text_node(v, x, "'include'");
        if (!name)
            continue;
        char buf[4096];
        const char *path = v->opts && v->opts->goalset
                               ? v->opts->goalset(v->opts->goalset_ud, name, buf, sizeof(buf))
                               : NULL;
        if (!path) {
            mv_err(v, x, TR(v->lang, "ukendt målsæt '%s', forventede plugin/navn fra et plugins "
                                     "goalsets/ (se 'maal plugins')",
                            "unknown goal set '%s', expected plugin/name from a plugin's goalsets/ "
                            "(see 'maal plugins')"),
                   ex(v, name));
            continue;
        }
        char *text;
        size_t len;
        struct maal_error e;
        if (maal_read_file(path, v->opts->limits->max_input, &text, &len, &e, v->lang) != MAAL_OK) {
            mv_err(v, x, "%s", e.msg);
            continue;
        }
        struct maal_doc *doc;
        int rc = maal_doc_parse(path, text, len, v->opts->limits, v->lang, &doc, v->d);
        maal_free(text);
        if (rc != MAAL_OK) {
            v->failed = true;
            continue;
        }
        struct maal_doc **extra = maal_realloc(p->extra, (p->nextra + 1) * sizeof(*extra));
        if (!extra) {
            maal_doc_free(doc);
            v->oom = true;
            return;
        }
        p->extra = extra;
        p->extra[p->nextra++] = doc;
        const struct maal_node *root = doc->root;
        const char *saved = v->file;
        v->file = doc->file;
        if (root && mv_want(v, root, MAAL_NODE_MAP, TR(v->lang, "målsættet", "the goal set"))) {
            static const char *const k[] = {"maal_goalset", "name", "description", "goals", NULL};
            static const char *const r[] = {"maal_goalset", "goals", NULL};
            mv_check_keys(v, root, k, r, TR(v->lang, "målsættet", "the goal set"));
            const struct maal_node *gn = maal_node_get(root, "goals");
            if (gn)
                load_goals(v, gn);
        } else if (!root) {
            mv_err(v, NULL, TR(v->lang, "målsættet er tomt", "the goal set is empty"));
        }
        v->file = saved;
    }
}

static void load_waivers(struct v *v, const struct maal_node *n)
{
    struct maal_partnership *p = v->p;
    if (!mv_want(v, n, MAAL_NODE_SEQ, "'waivers'"))
        return;
    p->waivers = mv_alloc(v, (n->n + 1) * sizeof(*p->waivers));
    /* the goals by id, and each waiver's first item for the same goal */
    struct maal_index goals, same;
    maal_index_build(&goals, mv_alloc(v, (p->ngoals + 1) * sizeof(*goals.e)), p->goals, p->ngoals,
                     sizeof(*p->goals), offsetof(struct maal_goal, id));
    const char **keys = mv_alloc(v, (n->n + 1) * sizeof(*keys));
    size_t *first = mv_alloc(v, (n->n + 1) * sizeof(*first));
    if (!keys || !first)
        return;
    for (size_t i = 0; i < n->n; i++) {
        const struct maal_node *gn = maal_node_get(n->items[i], "goal");
        keys[i] = gn && gn->type == MAAL_NODE_SCALAR && !is_null(gn) ? gn->str : NULL;
    }
    maal_index_build(&same, mv_alloc(v, (n->n + 1) * sizeof(*same.e)), keys, n->n, sizeof(*keys), 0);
    maal_index_firsts(&same, first, n->n);
    for (size_t i = 0; p->waivers && i < n->n; i++) {
        const struct maal_node *x = n->items[i];
        if (!mv_want(v, x, MAAL_NODE_MAP, TR(v->lang, "et punkt i 'waivers'", "an item of 'waivers'")))
            continue;
        static const char *const k[] = {"goal", "reason", "agreed_by", "expires", NULL};
        static const char *const allowed[] = {"goal", "reason", "agreed_by", "expires",
                                              "covers_nodata", NULL};
        mv_check_keys(v, x, allowed, k, "'waivers'");
        struct maal_waiver *w = &p->waivers[p->nwaivers];
        w->covers_nodata = get_bool(v, x, "covers_nodata", false);
        w->goal = mv_get_text(v, x, "goal", "'waivers'");
        w->reason = mv_get_text(v, x, "reason", "'waivers'");
        w->agreed_by = mv_get_text(v, x, "agreed_by", "'waivers'");
        w->line = x->line;
        w->col = x->col;
        const struct maal_node *ex = maal_node_get(x, "expires");
        if (ex) {
            w->expires = mv_get_text_node(v, ex, "'expires'");
            if (w->expires && !valid_date(w->expires)) {
                bad_date(v, ex, "expires", w->expires);
                w->expires = NULL;
            }
        }
        const struct maal_node *gn = maal_node_get(x, "goal");
        if (w->goal) {
            size_t at;
            if (!maal_index_find(&goals, w->goal, &at))
                mv_err(v, gn, TR(v->lang, "dispensationen gælder målet '%s', som ikke findes",
                                 "the waiver is for goal '%s', which does not exist"),
                       w->goal);
            if (first[i] != i)
                mv_err(v, gn, TR(v->lang, "målet '%s' har allerede en dispensation (linje %d)",
                                 "goal '%s' already has a waiver (line %d)"),
                       w->goal, n->items[first[i]]->line);
        }
        p->nwaivers++;
    }
    maal_index_build(&p->waivers_ix, mv_alloc(v, (p->nwaivers + 1) * sizeof(*p->waivers_ix.e)),
                     p->waivers, p->nwaivers, sizeof(*p->waivers),
                     offsetof(struct maal_waiver, goal));
}

const struct maal_waiver *maal_waiver_find(const struct maal_partnership *p, const char *goal)
{
    size_t i;
    return goal && maal_index_find(&p->waivers_ix, goal, &i) ? &p->waivers[i] : NULL;
}

/* The latest year with a decided value ('?' is none) in 'm', or 'latest' if later. */
static int latest_in(const struct maal_yearmap *m, int latest)
{
    for (size_t i = m->n; i-- > 0;)
        if (!m->v[i].unknown)
            return m->v[i].year > latest ? m->v[i].year : latest;
    return latest;
}

/* The year a check evaluates by default, and the report's "data til og med": the latest year
 * of any value in the file (series, criteria, the budget's stated totals, a midway status), so
 * a 2017 budget total the file states is evaluated. An activity's financing is a plan, not a
 * figure: financing planned for 2024 does not make 2024 a year with data. */
static void compute_latest(struct maal_partnership *p)
{
    int latest = latest_in(&p->budget, 0);
    for (size_t i = 0; i < p->nseries; i++)
        for (int sc = 0; sc < MAAL_NSCOPES; sc++)
            latest = latest_in(&p->series[i].values[sc], latest);
    for (size_t i = 0; i < p->nactivities; i++) {
        const struct maal_activity *a = &p->activities[i];
        if (a->status.present && a->status.year > latest)
            latest = a->status.year;
        for (size_t c = 0; c < a->ncriteria; c++)
            latest = latest_in(&a->criteria[c].values, latest);
    }
    p->latest_year = latest ? latest : p->to;
}

static int build(struct maal_doc *doc, const struct maal_node *root, bool owns,
                 bool goals_optional, const struct maal_load_opts *o,
                 struct maal_partnership **out, struct maal_diags *diags)
{
    enum maal_lang lang = o->lang;
    struct maal_partnership *p = maal_calloc(1, sizeof(*p));
    if (!p) {
        if (owns)
            maal_doc_free(doc);
        return MAAL_ERR_NOMEM;
    }
    p->doc = owns ? doc : NULL;
    p->file = doc->file;
    struct v v = {.p = p, .a = &doc->arena, .d = diags, .lang = lang, .opts = o};
    /* the tables' text and cells: a partnership's few small CSV files fit here, with no
     * malloc and free of an arena block (a 16 KiB malloc and its free were ≈ 3 000
     * instructions a partnership, more than reading a table of 200 bytes) */
    _Alignas(max_align_t) unsigned char tbuf[16384];
    maal_arena_init_buf(&v.ta, tbuf, sizeof(tbuf));
    if (!root || is_null(root)) {
        mv_err(&v, NULL, TR(lang, "filen er tom, forventede en partnerskabsfil med 'maal: 1'",
                            "the file is empty, expected a partnership file with 'maal: 1'"));
    } else if (mv_want(&v, root, MAAL_NODE_MAP, TR(lang, "dokumentet", "the document"))) {
        static const char *const k[] = {"maal", "partnership", "include", "series", "activities",
                                        "goals", "waivers", "tables", NULL};
        static const char *const r[] = {"maal", "partnership", "goals", NULL};
        static const char *const r_fixture[] = {"maal", "partnership", NULL};
        mv_check_keys(&v, root, k, goals_optional ? r_fixture : r, TR(lang, "dokumentet", "the document"));
        const struct maal_node *ver = maal_node_get(root, "maal");
        long version;
        if (ver && mv_get_int_node(&v, ver, 0, 1000, &version, "'maal'") &&
            version != MAAL_FORMAT_VERSION)
            mv_err(&v, ver, TR(lang, "formatversion %ld understøttes ikke, forventede 'maal: 1'",
                               "format version %ld is not supported, expected 'maal: 1'"),
                   version);
        const struct maal_node *tn = maal_node_get(root, "tables");
        if (tn && !is_null(tn))
            mv_load_tables(&v, tn);
        const struct maal_node *pn = maal_node_get(root, "partnership");
        if (pn)
            load_partnership(&v, pn);
        const struct maal_node *sn = maal_node_get(root, "series");
        if (sn && !is_null(sn))
            load_series(&v, sn);
        const struct maal_node *an = maal_node_get(root, "activities");
        if (an && !is_null(an))
            load_activities(&v, an);
        const struct maal_node *in = maal_node_get(root, "include");
        if (in && !is_null(in))
            load_includes(&v, in);
        const struct maal_node *gn = maal_node_get(root, "goals");
        if (gn && !is_null(gn))
            load_goals(&v, gn);
        const struct maal_node *wn = maal_node_get(root, "waivers");
        if (wn && !is_null(wn))
            load_waivers(&v, wn);
    }
    compute_latest(p);
    maal_arena_release(&v.ta);
    if (v.oom) {
        maal_partnership_free(p);
        return MAAL_ERR_NOMEM;
    }
    if (v.failed) {
        maal_partnership_free(p);
        return MAAL_ERR_INVALID;
    }
    *out = p;
    return MAAL_OK;
}

static int parse_opts(const char *file, const char *text, size_t len,
                      const struct maal_load_opts *o, struct maal_partnership **out,
                      struct maal_diags *diags)
{
    *out = NULL;
    struct maal_doc *doc;
    int rc = maal_doc_parse(file, text, len, o->limits, o->lang, &doc, diags);
    if (rc != MAAL_OK)
        return rc;
    return build(doc, doc->root, true, false, o, out, diags);
}

int maal_partnership_parse(const char *file, const char *text, size_t len,
                           const struct maal_limits *lim, enum maal_lang lang,
                           struct maal_partnership **out, struct maal_diags *diags)
{
    struct maal_load_opts o = {.limits = lim, .lang = lang};
    return parse_opts(file, text, len, &o, out, diags);
}

int maal_partnership_parse_opts(const char *file, const char *text, size_t len,
                                const struct maal_load_opts *o, struct maal_partnership **out,
                                struct maal_diags *diags)
{
    *out = NULL;
    return parse_opts(file, text, len, o, out, diags);
}

int maal_partnership_from_node(struct maal_doc *doc, const struct maal_node *root,
                               const struct maal_load_opts *o, struct maal_partnership **out,
                               struct maal_diags *diags)
{
    *out = NULL;
    return build(doc, root, false, true, o, out, diags);
}

/* A partnership folder's partnership.yaml is the folder's: a link out of it (to a credentials
 * file, /etc/passwd) is refused, as a rule that leads out of rules/ is. True when refused. */
static bool linked_out(const char *path, const struct maal_load_opts *o,
                       struct maal_diags *diags)
{
    const char *base = strrchr(path, '/');
    char dir[4096];
    struct stat st;
    if (strcmp(base ? base + 1 : path, "partnership.yaml") != 0)
        return false;
    snprintf(dir, sizeof(dir), "%.*s", base ? (int)(base - path) : 1, base ? path : ".");
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && !maal_path_inside(dir, path)) {
        maal_diags_add(diags, MAAL_SEV_ERROR, path, 0, 0,
                       TR(o->lang, "filen er et symbolsk link ud af sin mappe %s, forventede en "
                                   "fil i mappen", "the file is a symbolic link out of its folder "
                                   "%s, expected a file in the folder"), dir);
        return true;
    }
    return false;
}

/* text (read from path) parsed, and freed; rc the reading's */
static int load_text(const char *path, int rc, char *text, size_t len, const struct maal_error *e,
                     const struct maal_load_opts *o, struct maal_partnership **out,
                     struct maal_diags *diags)
{
    if (rc != MAAL_OK) {
        maal_diags_add(diags, MAAL_SEV_ERROR, path, 0, 0, "%s", e->msg);
        return rc;
    }
    rc = parse_opts(path, text, len, o, out, diags);
    maal_free(text);
    return rc;
}

/* 'path' opened as fd (closed here), its fstat 'st': read and parsed, the file's identity
 * kept for the tables (none of them may be the file itself) */
static int load_open(int fd, const struct stat *st, const char *path,
                     const struct maal_load_opts *o, struct maal_partnership **out,
                     struct maal_diags *diags)
{
    char *text;
    size_t len;
    struct maal_error e;
    int rc = maal_read_fd_stat(fd, st, path, o->limits->max_input, NULL, &text, &len, &e,
                               o->lang);
    struct maal_load_opts lo = *o;
    lo.self_known = true;
    lo.self_dev = (unsigned long long)st->st_dev;
    lo.self_ino = (unsigned long long)st->st_ino;
    return load_text(path, rc, text, len, &e, &lo, out, diags);
}

int maal_partnership_load_opts(const char *path, const struct maal_load_opts *o,
                               struct maal_partnership **out, struct maal_diags *diags)
{
    *out = NULL;
    if (linked_out(path, o, diags))
        return MAAL_ERR_INVALID;
    struct stat st;
    struct maal_error e;
    int fd = maal_open_read(path, 0, false, &st, &e, o->lang);
    if (fd < 0)
        return load_text(path, errno == ENOMEM ? MAAL_ERR_NOMEM : MAAL_ERR_IO, NULL, 0, &e, o,
                         out, diags);
    return load_open(fd, &st, path, o, out, diags);
}

int maal_partnership_load_fd(int fd, const struct stat *st, const char *path,
                             const struct maal_load_opts *o, struct maal_partnership **out,
                             struct maal_diags *diags)
{
    *out = NULL;
    if (linked_out(path, o, diags)) {
        close(fd);
        return MAAL_ERR_INVALID;
    }
    return load_open(fd, st, path, o, out, diags);
}

int maal_partnership_load(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                          struct maal_partnership **out, struct maal_diags *diags)
{
    struct maal_load_opts o = {.limits = lim, .lang = lang};
    return maal_partnership_load_opts(path, &o, out, diags);
}

void maal_partnership_free(struct maal_partnership *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nextra; i++)
        maal_doc_free(p->extra[i]);
    maal_free(p->extra);
    maal_doc_free(p->doc);
    maal_free(p);
}

const struct maal_series *maal_series_find(const struct maal_partnership *p, const char *id)
{
    size_t i;
    return maal_index_find(&p->series_ix, id, &i) ? &p->series[i] : NULL;
}

const struct maal_activity *maal_activity_find(const struct maal_partnership *p, const char *id)
{
    size_t i;
    return maal_index_find(&p->activities_ix, id, &i) ? &p->activities[i] : NULL;
}

const struct maal_yearval *maal_yearmap_get(const struct maal_yearmap *m, int year)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].year == year)
            return &m->v[i];
    return NULL;
}

size_t maal_activity_partner_count(const struct maal_activity *a)
{
    return a->partner_count; /* counted once, when the file is read */
}
