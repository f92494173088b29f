/* rules: where rules come from (search path) and their source text, read once per run. */
#include "rules.h"

#include "plugin.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RULE_BYTES (1u << 20)

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int add_dir(struct maal_ruleset *rs, const char *path, const char *origin)
{
    struct maal_rule_dir *d = maal_realloc(rs->dirs, (rs->ndirs + 1) * sizeof(*d));
    if (!d)
        return MAAL_ERR_NOMEM;
    rs->dirs = d;
    d[rs->ndirs].path = maal_strdup(path);
    d[rs->ndirs].origin = maal_strdup(origin);
    d[rs->ndirs].ns = NULL;
    if (!d[rs->ndirs].path || !d[rs->ndirs].origin) {
        maal_free(d[rs->ndirs].path);
        maal_free(d[rs->ndirs].origin);
        return MAAL_ERR_NOMEM;
    }
    rs->ndirs++;
    return MAAL_OK;
}

/* The standard rules: $MAAL_RULES_DIR, else the share/ next to the binary or to libmaal.so,
 * else the build tree's rules/ (compiled in), else the installed path. NULL when there is
 * none. */
static const char *standard_dir(char *buf, size_t size)
{
    const char *env = getenv("MAAL_RULES_DIR");
    if (env && *env)
        return env;
    if (maal_share_dir("rules", buf, size))
        return buf;
#ifdef MAAL_RULES_DIR
    if (is_dir(MAAL_RULES_DIR))
        return MAAL_RULES_DIR;
#endif
#ifdef MAAL_INSTALLED_RULES
    return MAAL_INSTALLED_RULES;
#else
    return NULL;
#endif
}

static int add_standard(struct maal_ruleset *rs)
{
    char buf[PATH_MAX + 32];
    const char *dir = standard_dir(buf, sizeof(buf));
    return dir ? add_dir(rs, dir, "standard") : MAAL_OK;
}

bool maal_rules_standard(const char *name, char *path, size_t size)
{
    char buf[PATH_MAX + 32];
    const char *dir = standard_dir(buf, sizeof(buf));
    struct stat st;
    if (!dir)
        return false;
    snprintf(path, size, "%s/%s.lua", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int maal_ruleset_init(struct maal_ruleset *rs, const char *const *extra, size_t nextra,
                      enum maal_lang lang)
{
    memset(rs, 0, sizeof(*rs));
    rs->lang = lang;
    int rc = MAAL_OK;
    for (size_t i = 0; i < nextra && rc == MAAL_OK; i++)
        rc = add_dir(rs, extra[i], "--rules");
    const char *mp = getenv("MAAL_PATH");
    if (mp && rc == MAAL_OK) {
        char *copy = maal_strdup(mp);
        if (!copy) {
            maal_ruleset_release(rs);
            return MAAL_ERR_NOMEM;
        }
        char *save = NULL;
        for (char *tok = strtok_r(copy, ":", &save); tok && rc == MAAL_OK;
             tok = strtok_r(NULL, ":", &save))
            if (*tok)
                rc = add_dir(rs, tok, "MAAL_PATH");
        maal_free(copy);
    }
    if (rc == MAAL_OK)
        rc = add_standard(rs);
    if (rc != MAAL_OK)
        maal_ruleset_release(rs);
    return rc;
}

void maal_ruleset_forget(struct maal_ruleset *rs)
{
    for (size_t i = 0; i < rs->ncache; i++) {
        maal_free(rs->cache[i].name);
        maal_free(rs->cache[i].path);
        maal_free(rs->cache[i].origin);
        maal_free(rs->cache[i].text);
        maal_free(rs->cache[i].bc);
        maal_free(rs->cache[i].hides);
    }
    rs->ncache = 0; /* serials keep counting: a memo or session entry never matches again */
}

void maal_ruleset_release(struct maal_ruleset *rs)
{
    for (size_t i = 0; i < rs->ndirs; i++) {
        maal_free(rs->dirs[i].path);
        maal_free(rs->dirs[i].origin);
        maal_free(rs->dirs[i].ns);
    }
    maal_free(rs->dirs);
    maal_ruleset_forget(rs);
    maal_free(rs->memo_dir);
    for (size_t i = 0; i < rs->ngmemo; i++)
        maal_free(rs->gmemo[i].name);
    for (size_t i = 0; i < rs->nmemo; i++)
        maal_free(rs->memo[i].name);
    maal_free(rs->cache);
    memset(rs, 0, sizeof(*rs));
}

int maal_ruleset_add_plugins(struct maal_ruleset *rs, const struct maal_plugins *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        const struct maal_plugin *p = &ps->v[i];
        char dir[PATH_MAX], origin[256];
        snprintf(dir, sizeof(dir), "%s/rules", p->dir);
        if (maal_plugin_has_problem(p) || !is_dir(dir))
            continue;
        snprintf(origin, sizeof(origin), "plugin:%s", p->name);
        int rc = add_dir(rs, dir, origin);
        if (rc != MAAL_OK)
            return rc;
        rs->dirs[rs->ndirs - 1].ns = maal_strdup(p->name);
        /* keep the standard rules last */
        for (size_t k = rs->ndirs - 1; k > 0 && !strcmp(rs->dirs[k - 1].origin, "standard"); k--) {
            struct maal_rule_dir t = rs->dirs[k];
            rs->dirs[k] = rs->dirs[k - 1];
            rs->dirs[k - 1] = t;
        }
    }
    return MAAL_OK;
}

const char *maal_ruleset_shadowed(struct maal_ruleset *rs, const struct maal_rule_src *src)
{
    if (src < rs->cache || src >= rs->cache + rs->ncache)
        return NULL;
    struct maal_rule_src *s = &rs->cache[src - rs->cache];
    if (s->hides_known)
        return s->hides;
    if (strcmp(s->origin, "standard") != 0 && !strchr(s->name, '/')) {
        for (size_t i = 0; i < rs->ndirs && !s->hides; i++) {
            if (strcmp(rs->dirs[i].origin, "standard"))
                continue;
            char buf[PATH_MAX + 256];
            snprintf(buf, sizeof(buf), "%s/%s.lua", rs->dirs[i].path, s->name);
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && !(s->hides = maal_strdup(buf)))
                return NULL; /* out of memory: asked again next time */
        }
    }
    s->hides_known = true;
    return s->hides;
}

const char *maal_ruleset_shadowed_once(struct maal_ruleset *rs, const struct maal_rule_src *src)
{
    if (src < rs->cache || src >= rs->cache + rs->ncache || src->asked)
        return NULL;
    const char *hides = maal_ruleset_shadowed(rs, src);
    if (src->hides_known)
        rs->cache[src - rs->cache].asked = true;
    return hides;
}

/* The folder of a data file plus "/rules". */
static void local_dir(const char *data_file, char *out, size_t size)
{
    /* as snprintf(out, size, "%.*s/rules", ...) would, cut to size - 1 bytes; once per goal */
    const char *slash = strrchr(data_file, '/');
    size_t dlen = slash ? (size_t)(slash - data_file) + 1 : 0;
    if (!size)
        return;
    size_t n = dlen < size - 1 ? dlen : size - 1;
    memcpy(out, data_file, n);
    size_t m = size - 1 - n < 5 ? size - 1 - n : 5;
    memcpy(out + n, "rules", m);
    out[n + m] = '\0';
}

static bool try_dir(const char *dir, const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s.lua", dir, name);
    return maal_entry_inside(dir, path, name);
}

static const struct maal_rule_src *cache_add(struct maal_ruleset *rs, const char *key,
                                             const char *path, const char *origin,
                                             struct maal_error *err)
{
    if (rs->ncache == rs->cache_cap) {
        size_t cap = rs->cache_cap ? rs->cache_cap * 2 : 16;
        struct maal_rule_src *c = maal_realloc(rs->cache, cap * sizeof(*c));
        if (!c) {
            maal_error_set(err, path, 0, 0, "%s", maal_strerror(ENOMEM, rs->lang));
            return NULL;
        }
        rs->cache = c;
        rs->cache_cap = cap;
    }
    struct maal_rule_src *s = &rs->cache[rs->ncache];
    memset(s, 0, sizeof(*s));
    struct maal_error e;
    int rc = maal_read_capped(path, MAX_RULE_BYTES, &s->text, &s->len, &e, rs->lang);
    if (rc != MAAL_OK) {
        maal_error_set(err, path, 0, 0, "%s", e.msg);
        return NULL;
    }
    s->name = maal_strdup(key);
    s->path = maal_strdup(path);
    s->origin = maal_strdup(origin);
    if (!s->name || !s->path || !s->origin) {
        maal_free(s->name);
        maal_free(s->path);
        maal_free(s->origin);
        maal_free(s->text);
        maal_error_set(err, path, 0, 0, "%s", maal_strerror(ENOMEM, rs->lang));
        return NULL;
    }
    s->serial = ++rs->serials;
    rs->ncache++;
    return s;
}

struct suggest {
    const char *name;
    char best[160];
    size_t bestd;
};

static void suggest_visit(void *ud, const char *name, const char *path, const char *origin,
                          bool shadowed)
{
    (void)path, (void)origin, (void)shadowed;
    struct suggest *s = ud;
    size_t len = strlen(s->name);
    size_t cap = len <= 3 ? 1 : len <= 8 ? 2 : 3;
    size_t d = maal_edit_distance(s->name, name, cap);
    if (d <= cap && (!s->best[0] || d < s->bestd)) {
        snprintf(s->best, sizeof(s->best), "%s", name);
        s->bestd = d;
    }
}

/* The memo entry for 'name' among v[0..*n), made (naming no cache entry yet) while there is
 * room for it; NULL when there is none, or out of memory (the lookup is then not kept). */
static struct maal_rule_memo *memo_get(struct maal_rule_memo *v, size_t *n, size_t cap,
                                       const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    if (*n == cap || !(v[*n].name = maal_strdup(name)))
        return NULL;
    v[*n].idx = SIZE_MAX;
    return &v[(*n)++];
}

/* The rule a memo entry names, while the cache still holds that entry (its serial). */
static const struct maal_rule_src *memo_src(const struct maal_ruleset *rs,
                                            const struct maal_rule_memo *m)
{
    return m && m->idx < rs->ncache && rs->cache[m->idx].serial == m->serial ? &rs->cache[m->idx]
                                                                            : NULL;
}

static void memo_set(struct maal_rule_memo *m, const struct maal_ruleset *rs,
                     const struct maal_rule_src *src)
{
    if (m) {
        m->idx = (size_t)(src - rs->cache);
        m->serial = src->serial;
    }
}

const struct maal_rule_src *maal_ruleset_find(struct maal_ruleset *rs, const char *data_file,
                                              const char *name, struct maal_error *err)
{
    char ldir[PATH_MAX];
    local_dir(data_file, ldir, sizeof(ldir));
    /* each rule name is resolved once per folder of data files (files come one folder after
     * another): no stat and realpath per goal, and a rule file that changes during the run
     * cannot turn one goal into an unknown rule */
    if (!rs->memo_dir || strcmp(rs->memo_dir, ldir) != 0) {
        for (size_t i = 0; i < rs->nmemo; i++)
            maal_free(rs->memo[i].name);
        rs->nmemo = 0;
        maal_free(rs->memo_dir);
        rs->memo_dir = maal_strdup(ldir);
        struct stat st; /* no rules/ beside the data: no lookup of each rule in it */
        rs->memo_local = stat(ldir, &st) == 0 && S_ISDIR(st.st_mode);
    }
    struct maal_rule_memo *memo =
        rs->memo_dir ? memo_get(rs->memo, &rs->nmemo, sizeof(rs->memo) / sizeof(rs->memo[0]), name)
                     : NULL;
    const struct maal_rule_src *src = memo_src(rs, memo);
    if (src)
        return src;
    char path[PATH_MAX + 256];
    const char *origin = NULL;
    bool local = strchr(name, '/') == NULL && (!rs->memo_dir || rs->memo_local) &&
                 try_dir(ldir, name, path, sizeof(path));
    /* not in the folder's rules/: where the search path has it does not depend on the
     * folder, so it is looked up once per worker, not again for every folder of data */
    struct maal_rule_memo *gm =
        local ? NULL
              : memo_get(rs->gmemo, &rs->ngmemo, sizeof(rs->gmemo) / sizeof(rs->gmemo[0]), name);
    if ((src = memo_src(rs, gm))) {
        memo_set(memo, rs, src);
        return src;
    }
    if (local) {
        origin = "local";
    } else if (strchr(name, '/')) {
        /* plugin/rule: only plugin folders with that namespace */
        const char *slash = strchr(name, '/');
        for (size_t i = 0; i < rs->ndirs && !origin; i++)
            if (rs->dirs[i].ns && strncmp(rs->dirs[i].ns, name, (size_t)(slash - name)) == 0 &&
                rs->dirs[i].ns[slash - name] == '\0' && try_dir(rs->dirs[i].path, slash + 1, path,
                                                                sizeof(path)))
                origin = rs->dirs[i].origin;
    } else {
        for (size_t i = 0; i < rs->ndirs && !origin; i++)
            if (try_dir(rs->dirs[i].path, name, path, sizeof(path)))
                origin = rs->dirs[i].origin;
    }
    if (!origin) {
        struct suggest sg = {.name = name};
        maal_ruleset_each(rs, data_file, suggest_visit, &sg);
        if (sg.best[0])
            maal_error_set(err, data_file, 0, 0,
                           TR(rs->lang, "ukendt regel '%s' (mente du '%s'?), forventede en regel i "
                                        "%s, --rules, MAAL_PATH, plugins eller standardreglerne",
                              "unknown rule '%s' (did you mean '%s'?), expected a rule in %s, "
                              "--rules, MAAL_PATH, plugins or the standard rules"),
                           name, sg.best, ldir);
        else
            maal_error_set(err, data_file, 0, 0,
                           TR(rs->lang, "ukendt regel '%s', forventede en regel i %s, --rules, "
                                        "MAAL_PATH, plugins eller standardreglerne (se 'maal rules')",
                              "unknown rule '%s', expected a rule in %s, --rules, MAAL_PATH, "
                              "plugins or the standard rules (see 'maal rules')"),
                           name, ldir);
        return NULL;
    }
    for (size_t i = 0; i < rs->ncache && !src; i++)
        if (strcmp(rs->cache[i].path, path) == 0)
            src = &rs->cache[i];
    if (!src)
        src = cache_add(rs, name, path, origin, err);
    if (src) {
        memo_set(memo, rs, src);
        memo_set(gm, rs, src);
    }
    return src;
}

static void visit_dir(const char *dir, const char *origin, const char *ns, maal_rule_visit_fn fn,
                      void *ud, struct maal_buf *seen)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".lua") != 0 || strstr(e->d_name, "_test.lua"))
            continue;
        char **nn = maal_realloc(names, (n + 1) * sizeof(*nn));
        if (!nn)
            break;
        names = nn;
        names[n] = maal_strndup(e->d_name, l - 4);
        if (names[n])
            n++;
    }
    closedir(d);
    for (size_t i = 1; i < n; i++) /* small lists: insertion sort for a stable listing */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        char full[PATH_MAX + 256], key[300];
        snprintf(full, sizeof(full), "%s/%s.lua", dir, names[i]);
        snprintf(key, sizeof(key), "\n%s%s%s\n", ns ? ns : "", ns ? "/" : "", names[i]);
        bool shadowed = strstr(maal_buf_str(seen), key) != NULL;
        maal_buf_puts(seen, key);
        char shown[300];
        snprintf(shown, sizeof(shown), "%s%s%s", ns ? ns : "", ns ? "/" : "", names[i]);
        fn(ud, shown, full, origin, shadowed);
        maal_free(names[i]);
    }
    maal_free(names);
}

void maal_ruleset_each(struct maal_ruleset *rs, const char *data_file, maal_rule_visit_fn fn,
                       void *ud)
{
    struct maal_buf seen = MAAL_BUF_INIT;
    maal_buf_putc(&seen, '\n');
    if (data_file) {
        char ldir[PATH_MAX];
        local_dir(data_file, ldir, sizeof(ldir));
        visit_dir(ldir, "local", NULL, fn, ud, &seen);
    }
    for (size_t i = 0; i < rs->ndirs; i++)
        visit_dir(rs->dirs[i].path, rs->dirs[i].origin, rs->dirs[i].ns, fn, ud, &seen);
    maal_buf_release(&seen);
}
