/* plugin: plugin folders (plugin.yaml, rules/, reporters/, goalsets/, an optional native .so). */
#include "plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "maal_plugin.h"
#include "rules.h"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static char *text_of(const struct maal_node *map, const char *key)
{
    const struct maal_node *n = maal_node_get(map, key);
    /* printed by 'maal plugins' to a terminal or a CI log: cleaned like all text from files */
    return n && n->type == MAAL_NODE_SCALAR ? maal_clean_dup(n->str, false) : NULL;
}

/* The first problem is the one said; its text, from files, is cleaned for a terminal. */
static void vset_problem_at(struct maal_plugin *p, const char *file, int line, int col,
                            const char *fmt, va_list ap)
{
    if (p->problems.n || p->problems.oom)
        return;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_vprintf(&b, fmt, ap);
    char *clean = b.oom ? NULL : maal_clean_dup(maal_buf_str(&b), false);
    if (clean)
        maal_diags_add(&p->problems, MAAL_SEV_ERROR, file, line, col, "%s", clean);
    else
        p->problems.oom = true;
    maal_free(clean);
    maal_buf_release(&b);
}

static void set_problem_at(struct maal_plugin *p, const char *file, int line, int col,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void set_problem_at(struct maal_plugin *p, const char *file, int line, int col,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset_problem_at(p, file, line, col, fmt, ap);
    va_end(ap);
}

/* a problem of the plugin as a whole: at its folder */
static void set_problem(struct maal_plugin *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_problem(struct maal_plugin *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset_problem_at(p, p->dir, 0, 0, fmt, ap);
    va_end(ap);
}

const char *maal_plugin_problem(const struct maal_plugin *p, enum maal_lang lang)
{
    if (p->problems.n)
        return p->problems.v[0].msg;
    return p->problems.oom ? TR(lang, "ikke nok hukommelse", "out of memory") : NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of p's folder 'sub' ending in 'ext' (test files left out), named without it;
 * sorted, since the order of a folder differs between machines. */
static int list_files(const struct maal_plugin *p, const char *sub, const char *ext,
                      char ***v, size_t *n)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", p->dir, sub);
    DIR *d = opendir(path);
    if (!d)
        return MAAL_OK; /* none of that kind */
    int rc = MAAL_OK;
    size_t el = strlen(ext);
    struct dirent *e;
    while (rc == MAAL_OK && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= el || strcmp(e->d_name + l - el, ext) != 0 || strstr(e->d_name, "_test."))
            continue;
        char **nv = maal_realloc(*v, (*n + 1) * sizeof(*nv));
        if (nv)
            *v = nv;
        if (!nv || !(nv[*n] = maal_strndup(e->d_name, l - el)))
            rc = MAAL_ERR_NOMEM;
        else
            (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*v, *n, sizeof(**v), cmp_name);
    return rc;
}

int maal_plugin_names(const struct maal_plugin *p, enum maal_plugin_part part, char ***names,
                      size_t *count)
{
    *names = NULL;
    char **v = NULL;
    size_t n = 0;
    int rc = MAAL_OK;
    switch (part) {
    case MAAL_PLUGIN_RULES: rc = list_files(p, "rules", ".lua", &v, &n); break;
    case MAAL_PLUGIN_REPORTERS: rc = list_files(p, "reporters", ".lua", &v, &n); break;
    case MAAL_PLUGIN_GOALSETS: rc = list_files(p, "goalsets", ".yaml", &v, &n); break;
    case MAAL_PLUGIN_NATIVE:
        if (p->nfns && !(v = maal_calloc(p->nfns, sizeof(*v))))
            rc = MAAL_ERR_NOMEM;
        for (size_t k = 0; rc == MAAL_OK && k < p->nfns; k++, n++)
            if (!(v[k] = maal_strdup(p->fns[k].name)))
                rc = MAAL_ERR_NOMEM;
        break;
    default: return MAAL_ERR_USAGE;
    }
    /* one block: the array, its NULL, then the strings */
    size_t size = (n + 1) * sizeof(char *);
    for (size_t i = 0; rc == MAAL_OK && i < n; i++)
        size += strlen(v[i]) + 1;
    char **block = rc == MAAL_OK ? maal_malloc(size) : NULL;
    if (block) {
        char *at = (char *)(block + n + 1);
        for (size_t i = 0; i < n; i++) {
            size_t l = strlen(v[i]) + 1;
            block[i] = memcpy(at, v[i], l);
            at += l;
        }
        block[n] = NULL;
        *names = block;
        if (count)
            *count = n;
    }
    for (size_t i = 0; i < n; i++)
        maal_free(v[i]);
    maal_free(v);
    return block ? MAAL_OK : rc == MAAL_OK ? MAAL_ERR_NOMEM : rc;
}

static int add_function(struct maal_plugin_host *host, const char *name, lua_CFunction fn)
{
    struct maal_plugin *p = host->ud;
    struct maal_native_fn *v = maal_realloc(p->fns, (p->nfns + 1) * sizeof(*v));
    if (!v || !name || !fn)
        return -1;
    p->fns = v;
    v[p->nfns].name = maal_strdup(name);
    v[p->nfns].fn = fn;
    if (!v[p->nfns].name)
        return -1;
    p->nfns++;
    return 0;
}

static void load_native(struct maal_plugin *p, enum maal_lang lang)
{
    char path[PATH_MAX + 256];
    snprintf(path, sizeof(path), "%s/%s", p->dir, p->native);
    if (strstr(p->native, "..") || strchr(p->native, '/')) {
        set_problem(p, "%s", TR(lang, "'native' skal være et filnavn i plugin-mappen",
                                "'native' must be a file name in the plugin folder"));
        return;
    }
    /* and no link out of it: the module is the folder's, as its rules are */
    if (is_file(path) && !maal_path_inside(p->dir, path)) {
        set_problem(p, "%s", TR(lang, "'native' er et link ud af plugin-mappen",
                                "'native' is a link out of the plugin folder"));
        return;
    }
    p->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!p->dl) {
        set_problem(p, "%s: %.500s", TR(lang, "kan ikke indlæse", "cannot load"), dlerror());
        return;
    }
    maal_plugin_init_fn init;
    *(void **)&init = dlsym(p->dl, "maal_plugin_init_v1");
    if (!init) {
        set_problem(p, "%s", TR(lang, "modulet mangler maal_plugin_init_v1",
                                "the module lacks maal_plugin_init_v1"));
        return;
    }
    struct maal_plugin_host host = {.api = MAAL_PLUGIN_API, .ud = p, .add_function = add_function,
                                    .lua_version = LUA_VERSION_NUM};
    if (init(&host) != 0)
        set_problem(p, "%s", TR(lang, "maal_plugin_init_v1 fejlede", "maal_plugin_init_v1 failed"));
}

static void release_one(struct maal_plugin *p);

/* A plugin found by searching is input, not authority: it is refused, with the message as its
 * problem and in ps->refused, rather than take the place of something standard. */
static void refuse(struct maal_plugins *ps, struct maal_plugin *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void refuse(struct maal_plugins *ps, struct maal_plugin *p, const char *fmt, ...)
{
    p->refused = true;
    maal_diags_release(&p->problems);
    struct maal_buf b = MAAL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    maal_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const char *msg = maal_buf_str(&b);
    if (b.oom)
        p->problems.oom = true;
    else
        maal_diags_add(&p->problems, MAAL_SEV_ERROR, p->dir, 0, 0, "%s", msg);
    size_t old = ps->refused ? strlen(ps->refused) : 0, n = strlen(msg);
    char *r = b.oom ? NULL : maal_realloc(ps->refused, old + n + 2);
    if (r) {
        memcpy(r + old, msg, n);
        memcpy(r + old + n, "\n", 2);
        ps->refused = r;
    } else {
        ps->oom = true; /* the refusal could not be said: the run fails */
    }
    maal_buf_release(&b);
}

/* The first rule of a searched plugin's rules/ that has the name of a standard rule or of a
 * bundled plugin's rule (found as a plain NAME too), or false. */
static bool shadows_rule(const struct maal_plugins *ps, const struct maal_plugin *p, char *name,
                         size_t nsize, char *std, size_t ssize)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/rules", p->dir);
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".lua") != 0 || strstr(e->d_name, "_test.lua"))
            continue;
        snprintf(name, nsize, "%.*s", (int)(l - 4), e->d_name);
        found = maal_rules_standard(name, std, ssize);
        for (size_t i = 0; i < ps->n && !found; i++) {
            struct stat st;
            snprintf(std, ssize, "%s/rules/%s", ps->v[i].dir, e->d_name);
            found = ps->v[i].bundled && !maal_plugin_has_problem(&ps->v[i]) &&
                    stat(std, &st) == 0;
        }
    }
    closedir(d);
    return found;
}

enum kind { SEARCHED, EXPLICIT, BUNDLED };

static void add_plugin(struct maal_plugins *ps, const char *dir, enum kind kind,
                       const struct maal_limits *lim)
{
    bool explicit_dir = kind == EXPLICIT;
    enum maal_lang lang = ps->lang;
    char manifest[PATH_MAX + 32];
    snprintf(manifest, sizeof(manifest), "%s/plugin.yaml", dir);
    if (!is_file(manifest))
        return; /* not a plugin folder */
    struct maal_plugin p;
    memset(&p, 0, sizeof(p));
    if (!(p.dir = maal_strdup(dir))) {
        ps->oom = true;
        return;
    }
    p.explicit_dir = explicit_dir;
    p.bundled = kind == BUNDLED;
    char *text = NULL;
    size_t len;
    struct maal_error e;
    struct maal_diags d;
    maal_diags_init(&d);
    struct maal_doc *doc = NULL;
    if (maal_read_capped(manifest, 1 << 20, &text, &len, &e, lang) != MAAL_OK) {
        set_problem(&p, "%s", e.msg);
    } else if (maal_doc_parse(manifest, text, len, lim, lang, &doc, &d) != MAAL_OK || !doc->root ||
               doc->root->type != MAAL_NODE_MAP) {
        set_problem(&p, "%.600s: %.500s", manifest,
                    d.n ? d.v[0].msg : TR(lang, "forventede en tabel", "expected a mapping"));
    } else {
        const struct maal_node *r = doc->root;
        p.name = text_of(r, "name");
        p.version = text_of(r, "version");
        p.description = text_of(r, "description");
        p.author = text_of(r, "author");
        p.license = text_of(r, "license");
        p.native = text_of(r, "native");
        const struct maal_node *api = maal_node_get(r, "maal_api");
        long a = 0;
        if (api && api->type == MAAL_NODE_SCALAR)
            maal_parse_int(api->str, &a);
        p.api = a;
        static const char *const known[] = {"name", "version", "maal_api", "description", "author",
                                            "license", "native", NULL};
        for (size_t i = 0; i < r->n; i++) {
            const struct maal_node *k = r->items[2 * i];
            bool ok = false;
            for (size_t j = 0; known[j]; j++)
                ok = ok || (k->type == MAAL_NODE_SCALAR && !strcmp(k->str, known[j]));
            if (!ok) {
                set_problem_at(&p, manifest, k->line, k->col,
                               TR(lang, "%.200s:%d:%d: ukendt nøgle '%.100s'",
                                  "%.200s:%d:%d: unknown key '%.100s'"),
                               manifest, k->line, k->col,
                               k->type == MAAL_NODE_SCALAR ? k->str : "?");
            }
        }
        if (!p.name || !p.version || !api) {
            set_problem(&p, "%s", TR(lang, "plugin.yaml mangler name, version eller maal_api",
                                     "plugin.yaml lacks name, version or maal_api"));
        } else if (p.api != MAAL_PLUGIN_API) {
            set_problem(&p, TR(lang, "plugin'et kræver maal_api %ld, men denne maal har API %d",
                               "the plugin needs maal_api %ld, but this maal has API %d"),
                        p.api, MAAL_PLUGIN_API);
        } else {
            /* an empty name would be the namespace of "/rule" and "/goalset" */
            bool ok = *p.name != '\0';
            for (const char *c = p.name; *c; c++)
                ok = ok && ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' ||
                            *c == '-');
            if (!ok)
                set_problem(&p, "%s", TR(lang, "ugyldigt plugin-navn, forventede [a-z0-9_-]+",
                                             "invalid plugin name, expected [a-z0-9_-]+"));
        }
        if (!maal_plugin_has_problem(&p) && p.native) {
            if (explicit_dir)
                load_native(&p, lang);
            else
                set_problem(&p, "%s",
                            TR(lang, "har et native modul, som kun indlæses med --plugin MAPPE",
                               "has a native module, loaded only with --plugin DIR"));
        }
    }
    maal_free(text);
    maal_doc_free(doc);
    maal_diags_release(&d);
    if (!p.name)
        p.name = maal_strdup(strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir);
    if (!p.name || p.problems.oom) { /* a plugin half read is no plugin: the run fails */
        ps->oom = true;
        release_one(&p);
        return;
    }
    struct maal_plugin *old = (struct maal_plugin *)maal_plugins_find(ps, p.name);
    struct stat so, sp;
    if (old && stat(old->dir, &so) == 0 && stat(p.dir, &sp) == 0 && so.st_dev == sp.st_dev &&
        so.st_ino == sp.st_ino) {
        /* the same folder found twice (the bundled folder searched too, as --plugins plugins
         * in the source tree, or a folder named twice): the same plugin, not a shadow; the
         * bundled one is trusted as such */
        if (p.bundled && !old->explicit_dir)
            old->bundled = true;
        release_one(&p);
        return;
    }
    if (old && p.bundled && !old->explicit_dir && !old->bundled) {
        /* and the bundled one is added after all */
        refuse(ps, old,
               TR(lang, "plugin'et '%.100s' i %.1000s (fundet ved søgning) ville skygge for "
                        "det medfølgende plugin i %.1000s; brug --plugin %.1000s for at vælge "
                        "det",
                  "the plugin '%.100s' in %.1000s (found by searching) would shadow the bundled "
                  "plugin in %.1000s; name it with --plugin %.1000s to choose it"),
               p.name, old->dir, p.dir, old->dir);
    } else if (old && p.bundled) { /* replaced on purpose with --plugin DIR */
        release_one(&p);
        return;
    } else if (old) {
        /* the first one wins, and the second is listed with why it is not used, never dropped
         * in silence (and two --plugin folders of one name stop maal) */
        set_problem(&p,
                    TR(lang, "bruges ikke: plugin'et i %.1000s har samme navn og blev fundet først",
                       "not used: the plugin in %.1000s has the same name and was found first"),
                    old->dir);
    }

    struct maal_plugin *v = maal_realloc(ps->v, (ps->n + 1) * sizeof(*v));
    if (!v) {
        ps->oom = true;
        release_one(&p);
        return;
    }
    ps->v = v;
    ps->v[ps->n++] = p;
}

static void add_root(struct maal_plugins *ps, const char *root, enum kind kind,
                     const struct maal_limits *lim)
{
    DIR *d = opendir(root);
    if (!d)
        return;
    char **names = NULL; /* the whole folder: the first 256 entries were read, silently */
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn = maal_realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*nn));
            if (!nn)
                break;
            names = nn;
        }
        if ((names[n] = maal_strdup(e->d_name)))
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_name);
    for (size_t i = 0; i < n; i++) {
        if (names[i]) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof(dir), "%s/%s", root, names[i]);
            if (is_dir(dir))
                add_plugin(ps, dir, kind, lim);
        }
        maal_free(names[i]);
    }
    maal_free(names);
}

int maal_plugins_init(struct maal_plugins *ps, const char *const *explicit_dirs, size_t nexplicit,
                      const char *const *roots, size_t nroots, const struct maal_limits *lim,
                      enum maal_lang lang)
{
    memset(ps, 0, sizeof(*ps));
    ps->lang = lang;
    for (size_t i = 0; i < nexplicit; i++) {
        char manifest[PATH_MAX + 32];
        snprintf(manifest, sizeof(manifest), "%s/plugin.yaml", explicit_dirs[i]);
        if (!is_file(manifest)) {
            struct maal_plugin p;
            memset(&p, 0, sizeof(p));
            p.dir = maal_strdup(explicit_dirs[i]);
            p.name = maal_strdup(explicit_dirs[i]);
            p.explicit_dir = true;
            set_problem(&p, "%s", TR(lang, "ingen plugin.yaml i mappen", "no plugin.yaml in the folder"));
            struct maal_plugin *v = maal_realloc(ps->v, (ps->n + 1) * sizeof(*v));
            if (v) {
                ps->v = v;
                ps->v[ps->n++] = p;
            }
            continue;
        }
        add_plugin(ps, explicit_dirs[i], EXPLICIT, lim);
    }
    for (size_t i = 0; i < nroots; i++)
        add_root(ps, roots[i], SEARCHED, lim);
    const char *mp = getenv("MAAL_PLUGIN_PATH");
    if (mp) {
        char *copy = maal_strdup(mp), *save = NULL;
        for (char *t = copy ? strtok_r(copy, ":", &save) : NULL; t; t = strtok_r(NULL, ":", &save))
            add_root(ps, t, SEARCHED, lim);
        maal_free(copy);
    }
    /* the standard plugins: $MAAL_PLUGINS_DIR, the share/ next to the binary or to libmaal.so,
     * the build tree */
    const char *env = getenv("MAAL_PLUGINS_DIR");
    char cand[PATH_MAX + 64];
    if (env && *env)
        add_root(ps, env, BUNDLED, lim);
    else if (maal_share_dir("plugins", cand, sizeof(cand)))
        add_root(ps, cand, BUNDLED, lim);
#ifdef MAAL_PLUGINS_DIR
    else if (is_dir(MAAL_PLUGINS_DIR))
        add_root(ps, MAAL_PLUGINS_DIR, BUNDLED, lim);
#endif
    for (size_t i = 0; i < ps->n; i++) {
        struct maal_plugin *p = &ps->v[i];
        char rule[256], std[PATH_MAX + 300];
        if (p->explicit_dir || p->bundled || maal_plugin_has_problem(p) ||
            !shadows_rule(ps, p, rule, sizeof(rule), std, sizeof(std)))
            continue;
        refuse(ps, p,
               TR(lang, "plugin'et '%.100s' i %.1000s (fundet ved søgning) ville skygge for "
                        "standardreglen '%.200s' (%.1000s); brug --plugin %.1000s for at "
                        "tillade det",
                  "the plugin '%.100s' in %.1000s (found by searching) would shadow the standard "
                  "rule '%.200s' (%.1000s); name it with --plugin %.1000s to allow it"),
               p->name, p->dir, rule, std, p->dir);
    }
    return ps->oom ? MAAL_ERR_NOMEM : MAAL_OK;
}

static void release_one(struct maal_plugin *p)
{
    {
        maal_free(p->dir);
        maal_free(p->name);
        maal_free(p->version);
        maal_free(p->description);
        maal_free(p->author);
        maal_free(p->license);
        maal_free(p->native);
        maal_diags_release(&p->problems);
        for (size_t k = 0; k < p->nfns; k++)
            maal_free(p->fns[k].name);
        maal_free(p->fns);
        if (p->dl)
            dlclose(p->dl);
    }
}

void maal_plugins_release(struct maal_plugins *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        release_one(&ps->v[i]);
    maal_free(ps->v);
    maal_free(ps->refused);
    memset(ps, 0, sizeof(*ps));
}

const struct maal_plugin *maal_plugins_find(const struct maal_plugins *ps, const char *name)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ps->v[i].name && !ps->v[i].refused && !strcmp(ps->v[i].name, name))
            return &ps->v[i];
    return NULL;
}

/* "plugin/item" -> the plugin's SUB/item.EXT, checked to stay inside the folder. */
static const char *item_path(const struct maal_plugins *ps, const char *name, const char *sub,
                             const char *ext, char *buf, size_t size)
{
    const char *slash = strchr(name, '/');
    if (!slash || strchr(slash + 1, '/') || strstr(name, ".."))
        return NULL;
    char pname[128];
    snprintf(pname, sizeof(pname), "%.*s", (int)(slash - name), name);
    const struct maal_plugin *p = maal_plugins_find(ps, pname);
    if (!p || maal_plugin_has_problem(p))
        return NULL;
    snprintf(buf, size, "%s/%s/%s.%s", p->dir, sub, slash + 1, ext);
    /* like a rule: a regular file inside the plugin's folder, never a link out of it */
    return is_file(buf) && maal_path_inside(p->dir, buf) ? buf : NULL;
}

const char *maal_plugins_goalset(void *ps, const char *name, char *buf, size_t size)
{
    return item_path(ps, name, "goalsets", "yaml", buf, size);
}

const char *maal_plugins_reporter(const struct maal_plugins *ps, const char *name, char *buf,
                                  size_t size)
{
    return item_path(ps, name, "reporters", "lua", buf, size);
}
