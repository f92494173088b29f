/* index: sorted string indexes for the model's lookups and uniqueness checks. */
#include "index.h"

#include <stdlib.h>
#include <string.h>

static int cmp_entry(const void *a, const void *b)
{
    const struct maal_index_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return (x->i > y->i) - (x->i < y->i);
}

void maal_index_build(struct maal_index *x, struct maal_index_entry *buf, const void *base,
                      size_t n, size_t stride, size_t off)
{
    x->e = buf;
    x->n = 0;
    for (size_t i = 0; buf && i < n; i++) {
        const char *key;
        memcpy(&key, (const char *)base + i * stride + off, sizeof(key));
        if (key)
            buf[x->n++] = (struct maal_index_entry){.key = key, .i = i};
    }
    if (x->n > 1)
        qsort(x->e, x->n, sizeof(*x->e), cmp_entry);
}

bool maal_index_find(const struct maal_index *x, const char *key, size_t *i)
{
    size_t lo = 0, hi = x->n; /* the first entry not below key: the lowest position */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(x->e[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == x->n || strcmp(x->e[lo].key, key) != 0)
        return false;
    *i = x->e[lo].i;
    return true;
}

void maal_index_firsts(const struct maal_index *x, size_t *first, size_t n)
{
    for (size_t i = 0; i < n; i++)
        first[i] = i;
    for (size_t k = 1; k < x->n; k++)
        if (strcmp(x->e[k].key, x->e[k - 1].key) == 0)
            first[x->e[k].i] = first[x->e[k - 1].i];
}
