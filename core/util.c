/* util: memory (with fault injection), arenas, string buffers, diagnostics, number text and
 * text checks; files (outputs, reading, folders) are in files.c. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Test-only fault injection: per thread, so it never crosses a worker. */
static _Thread_local long mem_fail_at;
static _Thread_local long mem_count;
static _Thread_local void (*mem_hook)(long n);

void maal_mem_hook(void (*hook)(long n))
{
    mem_hook = hook;
}

void maal_mem_fail_after(long n)
{
    mem_fail_at = n;
    mem_count = 0;
}

long maal_mem_count(void)
{
    return mem_count;
}

static bool mem_should_fail(void)
{
    mem_count++;
    if (mem_hook)
        mem_hook(mem_count);
    return mem_fail_at > 0 && mem_count >= mem_fail_at;
}

void *maal_malloc(size_t n)
{
    if (mem_should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *maal_calloc(size_t n, size_t size)
{
    if (mem_should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *maal_realloc(void *p, size_t n)
{
    if (mem_should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void maal_free(void *p)
{
    free(p);
}

char *maal_strndup(const char *s, size_t n)
{
    char *d = maal_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *maal_strdup(const char *s)
{
    return maal_strndup(s, strlen(s));
}

/* ---- arena ---- */

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

void maal_arena_init(struct maal_arena *a)
{
    memset(a, 0, sizeof(*a));
}

void maal_arena_init_buf(struct maal_arena *a, void *buf, size_t size)
{
    maal_arena_init(a);
    a->buf = buf;
    a->buf_cap = size / sizeof(max_align_t) * sizeof(max_align_t);
}

void *maal_arena_alloc(struct maal_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    struct arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        if (a->buf_cap - a->buf_used >= n) { /* the caller's buffer, while it has room */
            void *p = a->buf + a->buf_used;
            a->buf_used += n;
            return p;
        }
        size_t cap = n > 16384 ? n : 16384;
        b = maal_malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
        a->total += cap;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *maal_arena_strndup(struct maal_arena *a, const char *s, size_t n)
{
    char *d = maal_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void maal_arena_release(struct maal_arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        maal_free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
    a->buf_used = 0;
}

/* ---- buffers ---- */

static bool buf_grow(struct maal_buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = maal_realloc(b->s, cap);
    if (!s) {
        b->oom = true;
        return false;
    }
    b->s = s;
    b->cap = cap;
    return true;
}

void maal_buf_add(struct maal_buf *b, const char *s, size_t n)
{
    if (!buf_grow(b, n))
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void maal_buf_puts(struct maal_buf *b, const char *s)
{
    maal_buf_add(b, s, strlen(s));
}

void maal_buf_putc(struct maal_buf *b, char c)
{
    maal_buf_add(b, &c, 1);
}

size_t maal_unsafe_char(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x20 || p[0] == 0x7F)
        return 1;
    if (p[0] < 0x80)
        return 0;
    size_t n = p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
             : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
    if (!n)
        return 1;
    uint32_t cp = p[0] & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) /* also the final NUL: never read past it */
            return 1;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 1;
    if (cp <= 0x9F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
        cp == 0xFFFE || cp == 0xFFFF)
        return n;
    return 0;
}

size_t maal_char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The blanks a GitHub runner trims before it looks for '::' (.NET's TrimStart: ASCII blanks
 * and the Unicode spaces); the length of the one at p, or 0. */
static size_t blank_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] == ' ' || p[0] == '\t')
        return 1;
    if (p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if ((p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) ||
        (p[0] == 0xE2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF)) ||
        (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) ||
        (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80))
        return 3;
    return 0;
}

void maal_buf_put_clean_ex(struct maal_buf *b, const char *s, bool lines)
{
    size_t i = b->len;
    while (i > 0 && (b->s[i - 1] == ' ' || b->s[i - 1] == '\t'))
        i--;
    bool start = i == 0 || b->s[i - 1] == '\n';
    for (const char *p = s; p && *p;) {
        size_t n;
        if (lines && *p == '\n') {
            maal_buf_putc(b, '\n');
            p++;
            start = true;
        } else if ((n = maal_unsafe_char(p))) {
            maal_buf_putc(b, ' ');
            p += n;
        } else if (start && (n = blank_len(p))) {
            maal_buf_add(b, p, n);
            p += n;
        } else if (start && ((p[0] == ':' && p[1] == ':') ||
                             (p[0] == '#' && p[1] == '#' && p[2] == '['))) {
            maal_buf_putc(b, *p);
            maal_buf_putc(b, ' ');
            p += 2;
            start = false;
        } else {
            n = maal_char_len(p);
            maal_buf_add(b, p, n);
            p += n;
            start = false;
        }
    }
}

void maal_buf_put_clean(struct maal_buf *b, const char *s)
{
    maal_buf_put_clean_ex(b, s, false);
}

char *maal_clean_dup(const char *s, bool lines)
{
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_put_clean_ex(&b, s, lines);
    if (b.oom) {
        maal_buf_release(&b);
        return NULL;
    }
    return b.s ? b.s : maal_strdup("");
}

void maal_fprintf_clean(FILE *f, const char *fmt, ...)
{
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    struct maal_buf c = MAAL_BUF_INIT;
    maal_buf_put_clean_ex(&c, maal_buf_str(&b), true);
    fputs(maal_buf_str(&c), f);
    maal_buf_release(&b);
    maal_buf_release(&c);
}

void maal_buf_vprintf(struct maal_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || !buf_grow(b, (size_t)n))
        return;
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void maal_buf_printf(struct maal_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *maal_buf_str(const struct maal_buf *b)
{
    return b->s ? b->s : "";
}

void maal_buf_release(struct maal_buf *b)
{
    maal_free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}

/* ---- diagnostics ---- */

void maal_diags_init(struct maal_diags *d)
{
    d->v = NULL;
    d->n = d->cap = 0;
    d->oom = false;
    d->dropped_errors = d->dropped_warnings = 0;
}

void maal_diags_add(struct maal_diags *d, enum maal_severity sev, const char *file, int line,
                    int col, const char *fmt, ...)
{
    if (d->n >= MAAL_DIAGS_MAX) { /* counted, not kept: the printers say how many */
        if (sev == MAAL_SEV_ERROR)
            d->dropped_errors++;
        else
            d->dropped_warnings++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct maal_diag *v = maal_realloc(d->v, cap * sizeof(*v));
        if (!v) {
            d->oom = true;
            return;
        }
        d->v = v;
        d->cap = cap;
    }
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *f = maal_strdup(file ? file : "");
    if (b.oom || !f) {
        maal_buf_release(&b);
        maal_free(f);
        d->oom = true;
        return;
    }
    struct maal_diag *x = &d->v[d->n++];
    x->sev = sev;
    x->file = f;
    x->line = line;
    x->col = col;
    x->msg = b.s ? b.s : maal_strdup("");
    if (!x->msg) {
        d->n--;
        maal_free(f);
        d->oom = true;
    }
}

void maal_diags_release(struct maal_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        maal_free(d->v[i].file);
        maal_free(d->v[i].msg);
    }
    maal_free(d->v);
    maal_diags_init(d);
}

size_t maal_diags_count(const struct maal_diags *d, enum maal_severity sev)
{
    size_t n = sev == MAAL_SEV_ERROR ? d->dropped_errors : d->dropped_warnings;
    for (size_t i = 0; i < d->n; i++)
        n += d->v[i].sev == sev;
    return n;
}

/* "... and N more errors and M warnings are not shown" of the ones past MAAL_DIAGS_MAX, into
 * b; nothing when none were dropped. */
void maal_diags_dropped(struct maal_buf *b, const struct maal_diags *d, enum maal_lang lang)
{
    if (!d->dropped_errors && !d->dropped_warnings)
        return;
    char e[32], w[32];
    maal_fmt_number(e, sizeof(e), (double)d->dropped_errors, 0, lang);
    maal_fmt_number(w, sizeof(w), (double)d->dropped_warnings, 0, lang);
    if (d->dropped_errors && d->dropped_warnings)
        maal_buf_printf(b, TR(lang, "%s fejl og %s advarsler mere vises ikke", "%s more errors "
                              "and %s more warnings are not shown"), e, w);
    else if (d->dropped_errors)
        maal_buf_printf(b, TR(lang, "%s fejl mere vises ikke", "%s more errors are not shown"), e);
    else
        maal_buf_printf(b, TR(lang, "%s advarsler mere vises ikke",
                              "%s more warnings are not shown"), w);
    maal_buf_printf(b, TR(lang, " (de første %d er vist)", " (the first %d are)"), MAAL_DIAGS_MAX);
}

void maal_diags_print(const struct maal_diags *d, FILE *out, enum maal_lang lang)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct maal_diag *x = &d->v[i];
        const char *sev = x->sev == MAAL_SEV_ERROR ? TR(lang, "fejl", "error")
                                                   : TR(lang, "advarsel", "warning");
        /* file names, keys and values come from the data: cleaned for the terminal or log */
        struct maal_buf b = MAAL_BUF_INIT;
        maal_buf_put_clean(&b, x->file);
        if (x->line > 0)
            maal_buf_printf(&b, ":%d:%d", x->line, x->col);
        maal_buf_printf(&b, ": %s: ", sev);
        maal_buf_put_clean(&b, x->msg);
        maal_buf_putc(&b, '\n');
        fputs(maal_buf_str(&b), out);
        maal_buf_release(&b);
    }
    if (d->oom)
        fprintf(out, "maal: %s: %s\n", TR(lang, "fejl", "error"),
                TR(lang, "ikke nok hukommelse til alle fejlbeskeder",
                   "not enough memory for all diagnostics"));
    struct maal_buf b = MAAL_BUF_INIT;
    maal_diags_dropped(&b, d, lang);
    if (b.len)
        fprintf(out, "maal: %s: %s\n",
                d->dropped_errors ? TR(lang, "fejl", "error") : TR(lang, "advarsel", "warning"),
                maal_buf_str(&b));
    maal_buf_release(&b);
}

void maal_error_set(struct maal_error *e, const char *file, int line, int col, const char *fmt,
                    ...)
{
    if (!e)
        return;
    snprintf(e->file, sizeof(e->file), "%s", file ? file : "");
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    /* the message quotes data (keys, values, rule text) and every caller prints it as it is:
     * cleaned here, once (a cleaned text is never longer; out of memory, it stays as it was) */
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_put_clean(&b, e->file);
    if (!b.oom)
        snprintf(e->file, sizeof(e->file), "%s", maal_buf_str(&b));
    maal_buf_release(&b);
    maal_buf_put_clean(&b, e->msg);
    if (!b.oom)
        snprintf(e->msg, sizeof(e->msg), "%s", maal_buf_str(&b));
    maal_buf_release(&b);
    e->sys = 0;
}

const char *maal_strerror(int e, enum maal_lang lang)
{
    static const struct { int e; const char *da; } da[] = {
        {ENOENT, "filen eller mappen findes ikke"}, {EACCES, "adgang nægtet"},
        {EPERM, "handlingen er ikke tilladt"}, {EEXIST, "filen findes allerede"},
        {ENOTDIR, "en del af stien er ikke en mappe"}, {EISDIR, "er en mappe"},
        {ENOSPC, "der er ikke mere plads på enheden"}, {EROFS, "filsystemet er skrivebeskyttet"},
        {ENOMEM, "ikke nok hukommelse"}, {EPIPE, "modtageren er lukket (broken pipe)"},
        {EIO, "ind- eller uddatafejl"}, {ENAMETOOLONG, "filnavnet er for langt"},
        {ELOOP, "for mange symbolske links"}, {EFBIG, "filen er for stor"},
        {EMFILE, "for mange åbne filer"}, {ENFILE, "for mange åbne filer i systemet"},
        {EBUSY, "enheden eller ressourcen er optaget"}, {EXDEV, "kan ikke flytte mellem filsystemer"},
        {EINVAL, "ugyldigt argument"}, {EAGAIN, "ressourcen er midlertidigt utilgængelig"},
        {EDQUOT, "diskkvoten er opbrugt"}, {ETXTBSY, "filen er i brug"},
    };
    if (lang == MAAL_LANG_EN)
        return strerror(e);
    for (size_t i = 0; i < sizeof(da) / sizeof(da[0]); i++)
        if (da[i].e == e)
            return da[i].da;
    return "systemfejl";
}

const char *maal_error_text(const struct maal_error *e, enum maal_lang lang)
{
    return e->sys ? maal_strerror(e->sys, lang) : e->msg;
}

void maal_error_print(const struct maal_error *e, FILE *out, enum maal_lang lang)
{
    /* e's file and text were cleaned when it was set (maal_error_set) */
    const char *sev = TR(lang, "fejl", "error"), *msg = maal_error_text(e, lang);
    if (e->line > 0)
        fprintf(out, "%s:%d:%d: %s: %s\n", e->file, e->line, e->col, sev, msg);
    else
        fprintf(out, "%s: %s: %s\n", e->file, sev, msg);
}

/* ---- did you mean ---- */

size_t maal_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof(size_t));
    }
    return prev[lb] > cap ? cap + 1 : prev[lb];
}

const char *maal_did_you_mean(const char *s, const char *const *cands)
{
    size_t len = strlen(s);
    size_t cap = len <= 3 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t bestd = cap + 1;
    for (size_t i = 0; cands[i]; i++) {
        size_t d = maal_edit_distance(s, cands[i], cap);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    return best;
}

/* ---- numbers ---- */

/* out = the 'len' bytes at s, cut to 'size' as snprintf's "%s" would */
static void put_cut(char *out, size_t size, const char *s, size_t len)
{
    if (!size)
        return;
    if (len > size - 1)
        len = size - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

/* The integer part of 'p' (its first 'intlen' bytes) with a separator every three digits,
 * then the decimal mark and the rest: into tmp at o, which it returns advanced. */
static size_t group_digits(char *tmp, size_t o, const char *p, size_t intlen, const char *frac,
                           size_t fraclen, enum maal_lang lang)
{
    const char thou = lang == MAAL_LANG_EN ? ',' : '.';
    const char dec = lang == MAAL_LANG_EN ? '.' : ',';
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            tmp[o++] = thou;
        tmp[o++] = p[i];
    }
    if (frac) {
        tmp[o++] = dec;
        memcpy(tmp + o, frac, fraclen);
        o += fraclen;
    }
    return o;
}

size_t maal_digits(char *end, unsigned long long u, size_t min)
{
    size_t n = 0;
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
        n++;
    } while (u || n < min);
    return n;
}

char *maal_fmt_number(char *out, size_t size, double v, int decimals, enum maal_lang lang)
{
    static const double scales[] = {1, 10, 100};
    char raw[400]; /* %.2f of 1e308 has 309 digits */
    if (!isfinite(v)) {
        snprintf(out, size, "%s", isnan(v) ? "NaN" : (v < 0 ? "-inf" : "inf"));
        return out;
    }
    if (fabs(v) >= 1e15) {
        /* past exact whole numbers: the exponent form (2e+48), at most 13 characters; written
         * out in full, 2e48 has 65 and was cut to look like 2e46 */
        snprintf(raw, sizeof(raw), "%.6g", v);
        for (char *c = raw; *c; c++)
            if (*c == '.')
                *c = lang == MAAL_LANG_EN ? '.' : ',';
        snprintf(out, size, "%s", raw);
        return out;
    }
    bool near = false;
    if (decimals < 0) {
        decimals = 0;
        for (int d = 0; d <= 2; d++) {
            double scale = scales[d];
            /* an absolute tolerance: 1970000.25 needs its decimals, 18.7 - 1e-14 does not */
            if (fabs(round(v * scale) - v * scale) < 1e-6) {
                decimals = d;
                near = true;
                break;
            }
            decimals = 2;
        }
    }
    char tmp[600];
    size_t o = 0;
    if (near && fabs(v) < 1e12) {
        /* v is within 1e-6 of k / 10^d (and v * 10^d is exact to within 0.001 below 1e14),
         * so "%.*f" would write k's digits, far from a rounding tie: written here without
         * printf. k = 0 has no sign, as "-0" is written "0" below. */
        long long k = llround(v * scales[decimals]);
        unsigned long long u = k < 0 ? 0ULL - (unsigned long long)k : (unsigned long long)k;
        char dig[24];
        size_t n = maal_digits(dig + sizeof(dig), u, (size_t)decimals + 1);
        const char *p = dig + sizeof(dig) - n;
        if (k < 0)
            tmp[o++] = '-';
        size_t intlen = n - (size_t)decimals;
        o = group_digits(tmp, o, p, intlen, decimals ? p + intlen : NULL, (size_t)decimals, lang);
        put_cut(out, size, tmp, o);
        return out;
    }
    snprintf(raw, sizeof(raw), "%.*f", decimals, v);
    if (strcmp(raw, "-0") == 0 || strcmp(raw, "-0.0") == 0 || strcmp(raw, "-0.00") == 0)
        memmove(raw, raw + 1, strlen(raw));
    const char *p = raw;
    if (*p == '-')
        tmp[o++] = '-', p++;
    const char *dot = strchr(p, '.');
    size_t intlen = dot ? (size_t)(dot - p) : strlen(p);
    o = group_digits(tmp, o, p, intlen, dot ? dot + 1 : NULL, dot ? strlen(dot + 1) : 0, lang);
    put_cut(out, size, tmp, o);
    return out;
}

/* The common case without strtod: an optional sign, at most 15 digits with at most one
 * decimal point, no exponent. The digits are an exact integer below 2^53 and 10^k (k <= 15)
 * is exact, so their quotient is the correctly rounded value: the double strtod gives (the
 * fast path of Clinger's algorithm). False when s is not of that form. */
static bool parse_short_decimal(const char *s, double *out)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = s + (*s == '-' || *s == '+');
    uint64_t u = 0;
    int digits = 0, frac = -1;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++digits > 15)
                return false;
            u = u * 10 + (uint64_t)(*p - '0');
            if (frac >= 0)
                frac++;
        } else if (*p == '.' && frac < 0) {
            frac = 0;
        } else {
            return false;
        }
    }
    if (!digits)
        return false;
    double v = (double)u;
    if (frac > 0)
        v /= pow10[frac];
    *out = *s == '-' ? -v : v;
    return true;
}

bool maal_parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    if (parse_short_decimal(s, out))
        return true;
    /* only plain decimal notation: no hex, no inf/nan, no leading/trailing space */
    for (const char *p = s; *p; p++)
        if (!strchr("0123456789+-.eE", *p))
            return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || end == s || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool maal_parse_int(const char *s, long *out)
{
    if (!s || !*s)
        return false;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (!*p)
        return false;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

bool maal_today(char *buf, size_t size)
{
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    long v;
    if (sde && maal_parse_int(sde, &v) && v >= 0)
        now = (time_t)v;
    /* the civil date of the day 'now' falls in (proleptic Gregorian, UTC), counted here and
     * not by gmtime_r, which reads the time zone file (/etc/localtime) on its first call:
     * an open and a parse in every run for a date that is UTC anyway. Days from 0000-03-01,
     * in eras of 400 years (146 097 days), each year beginning with March (H. Hinnant,
     * "chrono-Compatible Low-Level Date Algorithms"). */
    long long t = (long long)now;
    long long days = t / 86400 - (t % 86400 < 0);
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;                                     /* [0, 146096] */
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365] */
    long long mp = (5 * doy + 2) / 153;                                   /* March = 0 */
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    if (y < 1900 || y > 9999)
        return false;
    snprintf(buf, size, "%04lld-%02lld-%02lld", y, m, d);
    return true;
}

char *maal_excerpt(char *out, size_t size, const char *s)
{
    size_t o = 0, chars = 0;
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    while (*u && chars < MAAL_EXCERPT_CHARS) {
        size_t n = *u < 0x80 ? 1 : (*u & 0xe0) == 0xc0 ? 2 : (*u & 0xf0) == 0xe0 ? 3 : 4;
        for (size_t k = 1; k < n; k++)
            if (!u[k]) /* a sequence cut short: stop before it */
                n = 0;
        if (n == 0 || o + n + 4 > size)
            break;
        if (*u < 0x20 || *u == 0x7f)
            out[o++] = ' ';
        else
            memcpy(out + o, u, n), o += n;
        u += n;
        chars++;
    }
    if (*u && o + 4 <= size) {
        memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
        o += 3;
    }
    out[o < size ? o : size - 1] = '\0';
    return out;
}

bool maal_utf8_check(const char *str, size_t n, int *line, int *col)
{
    size_t off;
    return maal_utf8_find_bad(str, n, line, col, &off);
}

bool maal_utf8_find_bad(const char *str, size_t n, int *line, int *col, size_t *offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t start = 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        start = 3; /* a byte-order mark is no column */
    size_t i = start;
    const uint64_t high = 0x8080808080808080u, ones = 0x0101010101010101u;
    while (i < n) {
        /* ASCII without NUL, eight bytes at a time: most of a data file. The line and column
         * are counted only for a bad byte, from the start (below). */
        uint64_t x;
        while (i + 8 <= n && (memcpy(&x, s + i, 8), !(x & high) && !((x - ones) & ~x & high)))
            i += 8;
        if (i >= n)
            break;
        unsigned c = s[i];
        size_t need;
        uint32_t cp;
        if (c < 0x80) {
            if (c == 0)
                goto bad;
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            need = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3;
            cp = c & 0x07;
        } else {
            goto bad;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
            (need == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += need + 1;
    }
    return true;
bad:;
    /* before i all is valid: a character is a byte that does not continue one */
    int ln = 1, cl = 1;
    for (size_t k = start; k < i; k++) { /* a lone \r ends a line too, as libyaml and libcsv */
        if (s[k] == '\n' || (s[k] == '\r' && (k + 1 >= n || s[k + 1] != '\n'))) {
            ln++;
            cl = 1;
        } else if ((s[k] & 0xC0) != 0x80) {
            cl++;
        }
    }
    *line = ln;
    *col = cl;
    *offset = i;
    return false;
}

void maal_limits_default(struct maal_limits *l)
{
    l->max_input = 64u << 20;
    l->max_depth = 64;
    l->max_aliases = 1000;
    l->max_nodes = 1000000;
    l->rule_timeout = 1.0;
    l->rule_memory = 64u << 20;
}
