/* doc: YAML text -> a tree of located nodes, with bounded aliases, depth and size. */
#ifndef MAAL_DOC_H
#define MAAL_DOC_H

#include "util.h"

enum maal_node_type { MAAL_NODE_SCALAR, MAAL_NODE_SEQ, MAAL_NODE_MAP };

struct maal_node {
    enum maal_node_type type;
    int line, col;   /* 1-based position of the node's first character */
    const char *tag; /* explicit tag or NULL */
    /* scalar */
    const char *str; /* NUL-terminated; 'len' may be shorter than strlen if it held a NUL */
    size_t len;
    bool plain; /* written without quotes: only plain scalars are numbers, booleans, null */
    /* sequence: items[0..n); mapping: items[2i] = key, items[2i+1] = value */
    struct maal_node **items;
    size_t n;
    size_t weight; /* nodes in this subtree, counting alias targets as often as used */
};

/* The document owns every node and string in its arena. */
struct maal_doc {
    struct maal_arena arena;
    struct maal_node *root; /* NULL for an empty file */
    const char *file;       /* arena copy of the path */
};

/* Parse 'text' (of 'len' bytes) as one YAML document. Errors go to 'diags' (every one
 * found; YAML syntax stops at the first). Returns MAAL_OK with *out set, or an error with
 * *out NULL. The caller releases *out with maal_doc_free. */
int maal_doc_parse(const char *file, const char *text, size_t len, const struct maal_limits *lim,
                   enum maal_lang lang, struct maal_doc **out, struct maal_diags *diags);
void maal_doc_free(struct maal_doc *doc);

/* Look up a key in a mapping node; NULL when absent or 'map' is not a mapping. */
struct maal_node *maal_node_get(const struct maal_node *map, const char *key);

#endif
