/* rules: where rules come from (search path) and their source text, read once per run. */
#ifndef MAAL_RULES_H
#define MAAL_RULES_H

#include "util.h"

struct maal_rule_dir {
    char *path;
    char *origin; /* "local", "--rules", "MAAL_PATH", "plugin:NAME", "standard" */
    char *ns;     /* plugin namespace, or NULL */
};

struct maal_rule_src {
    char *name, *path, *origin;
    char *text;
    size_t len;
    bool missing;
    char *bc; /* maal's own compilation of 'text' (lua_dump), reused for later goals */
    size_t bclen;
    unsigned long serial; /* unique in the ruleset's life: names this text in a reused state */
    /* the standard rule this one hides (maal_ruleset_shadowed), looked up once per entry */
    char *hides;
    bool hides_known;
    bool asked;  /* maal_ruleset_shadowed_once has answered for it */
};

struct maal_ruleset {
    struct maal_rule_dir *dirs;
    size_t ndirs;
    struct maal_rule_src *cache;
    size_t ncache, cache_cap;
    unsigned long serials; /* the last serial given to a cache entry */
    /* rules already resolved for the folder of the last data file: name -> cache index */
    char *memo_dir;
    struct maal_rule_memo {
        char *name;
        size_t idx;           /* in cache[] */
        unsigned long serial; /* of that entry: a cache emptied since then does not match */
    } memo[32];
    size_t nmemo;
    /* the same for rules not in a folder's rules/: where the search path has them */
    struct maal_rule_memo gmemo[32];
    size_t ngmemo;
    bool memo_local; /* memo_dir is a folder (else no rule is looked for in it) */
    enum maal_lang lang;
};

/* Set up the search path: --rules dirs (in order), MAAL_PATH, then the standard rules
 * (MAAL_RULES_DIR env var, the build tree, or the installed share/maal/rules). */
int maal_ruleset_init(struct maal_ruleset *rs, const char *const *extra_dirs, size_t nextra,
                      enum maal_lang lang);
void maal_ruleset_release(struct maal_ruleset *rs);
/* Forget every rule read so far (the next lookup reads the file again); the search path
 * stays. */
void maal_ruleset_forget(struct maal_ruleset *rs);
struct maal_plugins;
/* Add the rules/ of every usable plugin, namespaced by plugin name, before the standard rules. */
int maal_ruleset_add_plugins(struct maal_ruleset *rs, const struct maal_plugins *ps);
/* Is 'name' a standard rule? Its path in 'path' (also when not). */
bool maal_rules_standard(const char *name, char *path, size_t size);
/* The standard rule that a rule found elsewhere hides, or NULL (for a warning). 'src' is an
 * entry of rs's cache: the answer is kept with it (no stat of the standard rules per file),
 * and is owned by the set. */
const char *maal_ruleset_shadowed(struct maal_ruleset *rs, const struct maal_rule_src *src);
/* The same, the first time it is asked for the entry; NULL every later time (a warning said
 * once, not for every data file). */
const char *maal_ruleset_shadowed_once(struct maal_ruleset *rs, const struct maal_rule_src *src);

/* Find rule 'name' for a partnership file: its folder's rules/ first. Returns the cached
 * source (owned by the set) or NULL with a message in 'err'. */
const struct maal_rule_src *maal_ruleset_find(struct maal_ruleset *rs, const char *data_file,
                                              const char *name, struct maal_error *err);

/* All rule names visible (for 'maal rules'), each with its path and origin. */
typedef void (*maal_rule_visit_fn)(void *ud, const char *name, const char *path,
                                   const char *origin, bool shadowed);
void maal_ruleset_each(struct maal_ruleset *rs, const char *data_file, maal_rule_visit_fn fn,
                       void *ud);

#endif
