/* plugin: plugin folders (plugin.yaml, rules/, reporters/, goalsets/, an optional native .so). */
#ifndef MAAL_PLUGINS_H
#define MAAL_PLUGINS_H

#include <lua.h>

#include "util.h"

struct maal_native_fn {
    char *name;
    lua_CFunction fn;
};

struct maal_plugin {
    char *dir, *name, *version, *description, *author, *license, *native;
    long api;
    bool explicit_dir; /* given with --plugin: only then is a native module loaded */
    bool bundled;      /* one of the standard plugins (maal's own) */
    bool refused;      /* found by searching, it would shadow something standard: unused */
    /* why it cannot be used: errors located at its folder (or at plugin.yaml's line), the
     * first the one said; empty when it can be used. Read with maal_plugin_problem. */
    struct maal_diags problems;
    void *dl;
    struct maal_native_fn *fns;
    size_t nfns;
};

struct maal_plugins {
    struct maal_plugin *v;
    size_t n;
    enum maal_lang lang;
    /* why a plugin found by searching was refused (it would shadow a standard rule or a
     * bundled plugin), one line each; NULL when none was. Refusal is an error (exit 2). */
    char *refused;
    bool oom; /* memory ran out while reading them: maal_plugins_init said MAAL_ERR_NOMEM */
};

/* Find plugins: each folder in 'explicit' is one plugin (native allowed); each folder in
 * 'roots', in $MAAL_PLUGIN_PATH and the standard plugin folder holds plugin folders. A plugin
 * name seen twice keeps the first. Problems are kept per plugin (see 'maal plugins').
 * A searched plugin (not --plugin, not bundled) may not shadow a standard rule (its rules/)
 * or a bundled plugin (its name): it is refused, and 'refused' says why. */
int maal_plugins_init(struct maal_plugins *ps, const char *const *explicit_dirs, size_t nexplicit,
                      const char *const *roots, size_t nroots, const struct maal_limits *lim,
                      enum maal_lang lang);
void maal_plugins_release(struct maal_plugins *ps);
/* Why 'p' cannot be used, in 'lang' where it is maal's own text, or NULL when it can be. */
const char *maal_plugin_problem(const struct maal_plugin *p, enum maal_lang lang);
static inline bool maal_plugin_has_problem(const struct maal_plugin *p)
{
    return p->problems.n || p->problems.oom;
}
/* What p provides of 'part' (maal_engine_plugin_names in include/maal.h): *names one block
 * the caller frees with maal_free. */
int maal_plugin_names(const struct maal_plugin *p, enum maal_plugin_part part, char ***names,
                      size_t *count);
const struct maal_plugin *maal_plugins_find(const struct maal_plugins *ps, const char *name);

/* For 'include: plugin/set': the goal set's path, or NULL. Matches maal_goalset_fn. */
const char *maal_plugins_goalset(void *ps, const char *name, char *buf, size_t size);
/* For '--format plugin/reporter': the reporter's Lua file, or NULL. */
const char *maal_plugins_reporter(const struct maal_plugins *ps, const char *name, char *buf,
                                  size_t size);

#endif
