/* results: what a rule returns, decoded into a struct maal_result (results.h), and the
 * reason given when a rule fails (Lua's own messages said in Danish in Danish output). */
#include "results.h"

#include <lauxlib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- decoding what a rule returns: raw access only, every type checked ---- */

static const char *const result_keys[] = {
    "verdict", "actual", "target",  "baseline", "baseline_year", "change",  "unit",
    "message", "year",   "op",      "numerator", "denominator",  "significance", NULL};
enum { K_VERDICT, K_ACTUAL, K_TARGET, K_BASELINE, K_BASELINE_YEAR, K_CHANGE, K_UNIT,
       K_MESSAGE, K_YEAR, K_OP, K_NUMERATOR, K_DENOMINATOR, K_SIGNIFICANCE, K_COUNT };

/* A result's key as its index in result_keys, or -1: by length, then the bytes. */
static int key_index(const char *k, size_t len)
{
    static const unsigned char lens[K_COUNT] = {7, 6, 6, 8, 13, 6, 4, 7, 4, 2, 9, 11, 12};
    for (int i = 0; i < K_COUNT; i++)
        if (lens[i] == len && k[0] == result_keys[i][0] && !memcmp(k, result_keys[i], len))
            return i;
    return -1;
}

/* What the result table holds under one key, read in one pass over it (lua_next): its type
 * and, for a number or a string, its value. A string stays the table's (on the stack). */
struct field {
    int type;
    double num;
    const char *s;
    size_t len;
};

/* Each check below that refuses what a rule returned makes r the verdict 'error' with the
 * reason as its message (maal_result_error): the reason is the result, no other channel. */
static bool get_num(lua_State *L, const struct field *f, const char *k, bool *has, double *out,
                    struct maal_result *r, enum maal_lang lang)
{
    if (f->type == LUA_TNUMBER) {
        double v = f->num;
        if (!isfinite(v)) {
            maal_result_error(r, TR(lang, "resultatets '%s' er %s, forventede et endeligt tal",
                                    "the result's '%s' is %s, expected a finite number"),
                              k, isnan(v) ? "NaN" : "inf");
            return false;
        }
        *has = true;
        *out = v;
    } else if (f->type != LUA_TNIL) {
        maal_result_error(r, TR(lang, "resultatets '%s' er %s, forventede et tal",
                                "the result's '%s' is %s, expected a number"),
                          k, lua_typename(L, f->type));
        return false;
    }
    return true;
}

/* C0 and C1 controls, DEL, bidi overrides and the rest of maal_unsafe_char (s is valid UTF-8) */
static bool has_control(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p >= 0x20 && *p < 0x7F) { /* printable ASCII, most of a message: safe */
            p++;
            continue;
        }
        if (maal_unsafe_char((const char *)p))
            return true;
        p += maal_char_len((const char *)p);
    }
    return false;
}

/* Text from a rule for a report: at most 'max' bytes, cut at a character boundary; invalid
 * UTF-8 and what maal_unsafe_char names (but tab; a line feed is a space) become '?'. */
char *maal_clean_text(const char *s, size_t max)
{
    struct maal_buf b = MAAL_BUF_INIT;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && b.len < max) {
        size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        size_t bad = maal_unsafe_char((const char *)p);
        if (bad) {
            maal_buf_putc(&b, *p == '\t' ? '\t' : *p == '\n' ? ' ' : '?');
            p += bad;
        } else {
            maal_buf_add(&b, (const char *)p, n);
            p += n;
        }
    }
    if (*p)
        maal_buf_puts(&b, "…");
    return b.s ? b.s : maal_strdup("");
}

/* The same, keeping line breaks: what a rule printed, a traceback. */
char *maal_clean_lines(const char *s, size_t max)
{
    struct maal_buf b = MAAL_BUF_INIT;
    const char *p = s;
    while (*p && b.len < max) {
        size_t n = strcspn(p, "\n");
        char *line = maal_strndup(p, n);
        char *c = line ? maal_clean_text(line, max) : NULL;
        maal_buf_printf(&b, "%s%s", b.len ? "\n" : "", c ? c : "?");
        maal_free(c);
        maal_free(line);
        p += n;
        if (*p == '\n')
            p++;
    }
    if (*p)
        maal_buf_puts(&b, "…");
    return b.s ? b.s : maal_strdup("");
}

/* A traceback with the rule's own frames: the prelude's ("maal:148: in upvalue
 * 'check_year'") and the host's C frames are not the rule author's to read. */
static char *rule_frames(const char *m)
{
    struct maal_buf b = MAAL_BUF_INIT;
    const char *p = m;
    while (*p) {
        size_t n = strcspn(p, "\n");
        const char *f = p + strspn(p, "\t ");
        bool internal = p != m && (!strncmp(f, "maal:", 5) || !strncmp(f, "[C]: in ?", 9) ||
                                   !strncmp(f, "[C]: in function 'error'", 24) ||
                                   !strncmp(f, "(...tail calls...)", 18));
        if (!internal)
            maal_buf_printf(&b, "%s%.*s", b.len ? "\n" : "", (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
    }
    char *out = maal_clean_lines(maal_buf_str(&b), 16384);
    maal_buf_release(&b);
    return out;
}

/* A text field's string: at most 'max' bytes, no NUL, valid UTF-8, no control characters. */
static bool check_text(const char *s, size_t len, const char *k, enum maal_lang lang, size_t max,
                       char **out, struct maal_result *r)
{
    if (len > max) {
        char nl[48], nm[48];
        maal_fmt_number(nl, sizeof(nl), (double)len, 0, lang);
        maal_fmt_number(nm, sizeof(nm), (double)max, 0, lang);
        maal_result_error(r, TR(lang, "resultatets '%s' er %s byte lang, forventede højst %s",
                                "the result's '%s' is %s bytes long, expected at most %s"),
                          k, nl, nm);
        return false;
    }
    if (strlen(s) != len) {
        maal_result_error(r, TR(lang, "resultatets '%s' indeholder en NUL-byte",
                                "the result's '%s' contains a NUL byte"), k);
        return false;
    }
    if (!maal_utf8_check(s, len, &(int){0}, &(int){0})) {
        maal_result_error(r, TR(lang, "resultatets '%s' er ikke gyldig UTF-8",
                                "the result's '%s' is not valid UTF-8"), k);
        return false;
    }
    if (has_control(s)) {
        /* a message must not be able to forge report lines or terminal titles */
        maal_result_error(r, TR(lang, "resultatets '%s' indeholder kontroltegn",
                                "the result's '%s' contains control characters"), k);
        return false;
    }
    *out = maal_strdup(s);
    return true;
}

/* A string field (or {da=, en=}: the language's, else da's); at most 'max' bytes. */
static bool get_text_field(lua_State *L, int t, const struct field *f, const char *k,
                           enum maal_lang lang, size_t max, char **out, struct maal_result *r)
{
    if (f->type == LUA_TSTRING)
        return check_text(f->s, f->len, k, lang, max, out, r);
    if (f->type == LUA_TNIL)
        return true;
    if (f->type != LUA_TTABLE) {
        maal_result_error(r, TR(lang, "resultatets '%s' er %s, forventede tekst",
                                "the result's '%s' is %s, expected text"),
                          k, lua_typename(L, f->type));
        return false;
    }
    lua_pushstring(L, k);
    lua_rawget(L, t);
    lua_pushstring(L, lang == MAAL_LANG_EN ? "en" : "da");
    lua_rawget(L, -2);
    if (lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushstring(L, "da");
        lua_rawget(L, -2);
    }
    lua_remove(L, -2);
    int ty = lua_type(L, -1);
    bool ok = true;
    if (ty == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        ok = check_text(s, len, k, lang, max, out, r);
    } else if (ty != LUA_TNIL) {
        maal_result_error(r, TR(lang, "resultatets '%s' er %s, forventede tekst",
                                "the result's '%s' is %s, expected text"),
                          k, lua_typename(L, ty));
        ok = false;
    }
    lua_pop(L, 1);
    return ok;
}

/* A result's 'unit' or 'op' must be one the reports know, or it would vanish from them. */
static bool known_word(const char *val, const char *const *known, const char *key,
                       const char *list, enum maal_lang lang, struct maal_result *r)
{
    for (size_t i = 0; val && known[i]; i++)
        if (!strcmp(val, known[i]))
            return true;
    if (!val)
        return true;
    const char *dym = maal_did_you_mean(val, known);
    maal_result_error(r, TR(lang, "resultatets '%s' er '%s'%s%s%s, forventede en af %s",
                            "the result's '%s' is '%s'%s%s%s, expected one of %s"),
                      key, val, dym ? TR(lang, " (mente du '", " (did you mean '") : "",
                      dym ? dym : "", dym ? "'?)" : "", list);
    return false;
}

bool maal_decode_result(lua_State *L, int t, enum maal_lang lang, struct maal_result *r)
{
    if (lua_type(L, t) != LUA_TTABLE) {
        maal_result_error(r, TR(lang, "evaluate returnerede %s, forventede en resultattabel",
                                "evaluate returned %s, expected a result table"),
                          lua_typename(L, lua_type(L, t)));
        return false;
    }
    /* one pass over the table: unknown keys (a typo like 'verdikt' must not pass silently)
     * and what each known key holds */
    struct field f[K_COUNT];
    for (int i = 0; i < K_COUNT; i++)
        f[i].type = LUA_TNIL;
    bool by_name = false;
    lua_pushnil(L);
    int count = 0;
    while (lua_next(L, t)) {
        if (++count > 64 || lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 2);
            maal_result_error(r, "%s", TR(lang, "resultattabellen har ukendte nøgler",
                                          "the result table has unknown keys"));
            return false;
        }
        size_t klen;
        const char *k = lua_tolstring(L, -2, &klen);
        int i = key_index(k, strlen(k));
        if (i >= 0 && strlen(k) != klen) {
            /* "message\0x" is known by its C string, as it always was, but not the key
             * "message": its value is not this one (read by name below) */
            by_name = true;
            lua_pop(L, 1);
            continue;
        }
        if (i < 0) {
            const char *dym = maal_did_you_mean(k, result_keys);
            maal_result_error(r, TR(lang, "resultattabellen har den ukendte nøgle '%s'%s%s%s",
                                    "the result table has the unknown key '%s'%s%s%s"),
                              k, dym ? TR(lang, " (mente du '", " (did you mean '") : "",
                              dym ? dym : "", dym ? "'?)" : "");
            lua_pop(L, 2);
            return false;
        }
        f[i].type = lua_type(L, -1);
        if (f[i].type == LUA_TNUMBER)
            f[i].num = (double)lua_tonumber(L, -1);
        else if (f[i].type == LUA_TSTRING)
            f[i].s = lua_tolstring(L, -1, &f[i].len);
        lua_pop(L, 1);
    }
    for (int i = 0; by_name && i < K_COUNT; i++) {
        lua_pushstring(L, result_keys[i]);
        lua_rawget(L, t);
        f[i].type = lua_type(L, -1);
        if (f[i].type == LUA_TNUMBER)
            f[i].num = (double)lua_tonumber(L, -1);
        else if (f[i].type == LUA_TSTRING)
            f[i].s = lua_tolstring(L, -1, &f[i].len); /* the table's string: it stays */
        lua_pop(L, 1);
    }
    const char *v = f[K_VERDICT].type == LUA_TSTRING ? f[K_VERDICT].s : NULL;
    int verdict = -1;
    for (int i = 0; v && i < MAAL_ERROR; i++)
        if (strcmp(v, maal_verdict_names[i]) == 0)
            verdict = i;
    if (verdict < 0) {
        maal_result_error(r, TR(lang, "'verdict' er %s%s%s, forventede pass, fail, info eller nodata",
                                "'verdict' is %s%s%s, expected pass, fail, info or nodata"),
                          v ? "'" : "", v ? v : lua_typename(L, f[K_VERDICT].type), v ? "'" : "");
        return false;
    }
    r->verdict = (enum maal_verdict)verdict;
    double by = 0, yr = 0;
    bool has_by = false, has_yr = false, has_num = false, has_den = false;
    if (!get_num(L, &f[K_ACTUAL], "actual", &r->has_actual, &r->actual, r, lang) ||
        !get_num(L, &f[K_TARGET], "target", &r->has_target, &r->target, r, lang) ||
        !get_num(L, &f[K_BASELINE], "baseline", &r->has_baseline, &r->baseline, r, lang) ||
        !get_num(L, &f[K_CHANGE], "change", &r->has_change, &r->change, r, lang) ||
        !get_num(L, &f[K_NUMERATOR], "numerator", &has_num, &r->numerator, r, lang) ||
        !get_num(L, &f[K_DENOMINATOR], "denominator", &has_den, &r->denominator, r, lang) ||
        !get_num(L, &f[K_BASELINE_YEAR], "baseline_year", &has_by, &by, r, lang) ||
        !get_num(L, &f[K_YEAR], "year", &has_yr, &yr, r, lang))
        return false;
    if ((has_by && (by != floor(by) || by < MAAL_YEAR_MIN || by > MAAL_YEAR_MAX)) ||
        (has_yr && (yr != floor(yr) || yr < MAAL_YEAR_MIN || yr > MAAL_YEAR_MAX))) {
        maal_result_error(r, "%s", TR(lang, "'year'/'baseline_year' er ikke et årstal",
                                      "'year'/'baseline_year' is not a year"));
        return false;
    }
    if (has_num != has_den) {
        maal_result_error(r, "%s",
                          TR(lang, "resultatet har kun den ene af 'numerator' og 'denominator'",
                             "the result has only one of 'numerator' and 'denominator'"));
        return false;
    }
    r->has_ratio = has_num;
    r->baseline_year = has_by ? (int)by : 0;
    r->year = has_yr ? (int)yr : 0;
    /* the message first: a refusal after it replaces it with the reason */
    if (!get_text_field(L, t, &f[K_MESSAGE], "message", lang, 4096, &r->message, r) ||
        !get_text_field(L, t, &f[K_UNIT], "unit", lang, 32, &r->unit, r) ||
        !get_text_field(L, t, &f[K_OP], "op", lang, 4, &r->op, r) ||
        !get_text_field(L, t, &f[K_SIGNIFICANCE], "significance", lang, 512, &r->significance, r))
        return false;
    /* a unit or operator the reports do not know would vanish from them: refuse it */
    static const char *const units[] = {"count", "per_1000", "percent", "pp", "kr", "number", NULL};
    static const char *const ops[] = {"<=", "<", ">=", ">", "==", NULL};
    if (!known_word(r->unit, units, "unit", "count, per_1000, percent, pp, kr, number", lang,
                    r) ||
        !known_word(r->op, ops, "op", "<=, <, >=, >, ==", lang, r))
        return false;
    if (r->message && !*r->message) { /* an empty message is no message: run_job writes one */
        maal_free(r->message);
        r->message = NULL;
    }
    return true;
}

/* The first line of an error message or traceback. */
char *maal_first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    return maal_strndup(s, nl ? (size_t)(nl - s) : strlen(s));
}

void maal_result_error(struct maal_result *r, const char *fmt, ...)
{
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    maal_free(r->message);
    /* the reason may quote what a rule returned (a verdict, a key, a param name): clean it */
    r->message = b.s ? maal_clean_text(b.s, 4096) : NULL;
    maal_free(b.s);
    if (!r->message)
        r->message = maal_strdup("error");
    r->verdict = MAAL_ERROR;
}

/* Lua's own runtime messages are English: in a Danish report the common ones are said in
 * Danish. Only Lua's sentence patterns are replaced (a rule's own error text is kept as it
 * is): "attempt to index a nil value (global 'io')", "bad argument #1 to 'f' (number
 * expected, got nil)", and, in a traceback, its frame words. */
static const char *eat(const char *s, const char *w)
{
    size_t n = strlen(w);
    return strncmp(s, w, n) ? NULL : s + n;
}

static const char *put_word(struct maal_buf *b, const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
    maal_buf_add(b, s, n);
    return s + n;
}

static const char *danish_attempt(struct maal_buf *b, const char *s)
{
    static const char *const verbs[][2] = {
        {"attempt to index a ", "kan ikke slå op i en "},
        {"attempt to call a ", "kan ikke kalde en "},
        {"attempt to perform arithmetic on a ", "kan ikke regne med en "},
        {"attempt to concatenate a ", "kan ikke sætte tekst sammen med en "},
        {"attempt to get length of a ", "kan ikke tage længden af en "},
    };
    static const char *const vars[][2] = {
        {" (global '", " (den globale variabel '"}, {" (local '", " (den lokale variabel '"},
        {" (field '", " (feltet '"},               {" (upvalue '", " (den ydre variabel '"},
        {" (method '", " (metoden '"},             {" (constant '", " (konstanten '"},
    };
    const char *p;
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (!(p = eat(s, verbs[i][0])))
            continue;
        maal_buf_puts(b, verbs[i][1]);
        p = put_word(b, p);
        if (!(s = eat(p, " value")))
            return p;
        maal_buf_puts(b, "-værdi");
        for (size_t k = 0; k < sizeof(vars) / sizeof(vars[0]); k++)
            if ((p = eat(s, vars[k][0]))) {
                maal_buf_puts(b, vars[k][1]);
                return p;
            }
        return s;
    }
    if ((p = eat(s, "attempt to compare two "))) {
        maal_buf_puts(b, "kan ikke sammenligne to ");
        p = put_word(b, p);
        if ((s = eat(p, " values"))) {
            maal_buf_puts(b, "-værdier");
            return s;
        }
        return p;
    }
    if ((p = eat(s, "attempt to compare "))) {
        maal_buf_puts(b, "kan ikke sammenligne ");
        p = put_word(b, p);
        if ((s = eat(p, " with "))) {
            maal_buf_puts(b, " med ");
            return put_word(b, s);
        }
        return p;
    }
    if ((p = eat(s, "attempt to load a binary chunk"))) {
        maal_buf_puts(b, "forsøg på at indlæse en binær (oversat) fil");
        return p;
    }
    if ((p = eat(s, "bad argument #"))) {
        maal_buf_puts(b, "forkert argument nr. ");
        size_t n = strspn(p, "0123456789");
        maal_buf_add(b, p, n);
        p += n;
        if ((s = eat(p, " to '"))) {
            maal_buf_puts(b, " til '");
            p = s;
        }
        return p;
    }
    if ((p = eat(s, " expected, got "))) {
        maal_buf_puts(b, " forventet, fik ");
        return p;
    }
    return NULL;
}

static char *danish_lua(const char *s)
{
    static const char *const frames[][2] = {
        {"stack traceback:", "kaldstak:"},         {"in main chunk", "i filens hovedblok"},
        {"in function <", "i funktionen <"},       {"in function '", "i funktionen '"},
        {"in local '", "i den lokale funktion '"}, {"in upvalue '", "i den ydre funktion '"},
        {"in field '", "i feltet '"},              {"in method '", "i metoden '"},
    };
    struct maal_buf b = MAAL_BUF_INIT;
    bool trace = false; /* frame words only in the traceback, after the first line */
    const char *end = s + strnlen(s, 20000); /* what the report keeps, at most */
    while (s < end) {
        if (!strchr("abis (", *s)) { /* no pattern starts here: the fast way */
            trace = trace || *s == '\n';
            maal_buf_putc(&b, *s++);
            continue;
        }
        const char *next = danish_attempt(&b, s);
        for (size_t i = 0; !next && trace && i < sizeof(frames) / sizeof(frames[0]); i++)
            if ((next = eat(s, frames[i][0])))
                maal_buf_puts(&b, frames[i][1]);
        if (next) {
            s = next;
            continue;
        }
        trace = trace || *s == '\n';
        maal_buf_putc(&b, *s++);
    }
    return b.s ? b.s : maal_strdup("");
}

void maal_result_reason(struct run *run, int status, lua_State *L, struct maal_result *r)
{
    if (run->timed_out) {
        maal_result_error(r, TR(run->lang, "reglen overskred tidsgrænsen", "the rule exceeded the time limit"));
    } else if (run->mem_exceeded || status == LUA_ERRMEM) {
        maal_result_error(r, TR(run->lang, "reglen overskred hukommelsesgrænsen på %zu MiB",
                        "the rule exceeded the memory limit of %zu MiB"),
                  run->limit >> 20);
    } else {
        const char *m = lua_tostring(L, -1);
        char *da = m && run->lang == MAAL_LANG_DA ? danish_lua(m) : NULL;
        char *line = maal_first_line(da ? da : m ? m : "?");
        char *clean = maal_clean_text(line ? line : "?", 1000);
        maal_result_error(r, "%s", clean ? clean : "?");
        maal_free(clean);
        maal_free(line);
        maal_free(r->trace);
        char *frames = m ? rule_frames(m) : NULL; /* filtered on Lua's own words */
        r->trace = frames && run->lang == MAAL_LANG_DA ? danish_lua(frames) : frames;
        if (r->trace != frames)
            maal_free(frames);
        maal_free(da);
    }
}
