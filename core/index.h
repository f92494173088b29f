/* index: a sorted index of strings, built once, for lookups and uniqueness checks in
 * O(log n) per key whatever the data: a crafted file cannot make maal quadratic. */
#ifndef MAAL_INDEX_H
#define MAAL_INDEX_H

#include <stdbool.h>
#include <stddef.h>

struct maal_index_entry {
    const char *key;
    size_t i; /* the position of the key's item in the indexed array */
};

/* Entries sorted by key, then by position; 'e' is borrowed (the caller's, e.g. an arena's). */
struct maal_index {
    struct maal_index_entry *e;
    size_t n;
};

/* Index the string at byte offset 'off' of each of the 'n' items of 'stride' bytes at 'base'
 * (NULL strings are left out). 'buf' has room for 'n' entries and becomes the index's. */
void maal_index_build(struct maal_index *x, struct maal_index_entry *buf, const void *base,
                      size_t n, size_t stride, size_t off);

/* The lowest position of an item with 'key', or false when there is none. */
bool maal_index_find(const struct maal_index *x, const char *key, size_t *i);

/* For each item of the indexed array (of 'n' items), 'first[i]' becomes the position of the
 * first item with the same key (i itself when it is the first, or has no key). */
void maal_index_firsts(const struct maal_index *x, size_t *first, size_t n);

#endif
