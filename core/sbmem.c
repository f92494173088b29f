/* sbmem: a sandboxed Lua state's memory (sandbox.h): the small-block pool, and the allocator
 * that counts every byte against the goal's limit. */
#include "sandbox.h"

#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POOL_POISON(p, n) ((void)(p), (void)(n))
#define POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* ---- a state's memory ----
 * Lua allocates and frees small blocks by the hundred thousand (tables, strings, closures of
 * 16 to 512 bytes); malloc and free cost ≈ 250 and ≈ 90 instructions each, a free list ≈ 20;
 * up to 512 rather than 256: 1.4 M instructions fewer on 100 files.
 * A block's class is its size rounded up to 16, known from the size Lua passes back. */
#define POOL_CHUNK (64u << 10)

static size_t pool_class(size_t n)
{
    return (n - 1) >> 4; /* 1..16 -> 0, 17..32 -> 1, ... */
}

static void *pool_alloc(struct maal_pool *pl, size_t n)
{
    size_t c = pool_class(n), size = (c + 1) << 4;
    void *p = pl->free[c];
    if (p) {
        POOL_UNPOISON(p, size);
        pl->free[c] = *(void **)p;
        return p;
    }
    if (pl->left < size) {
        char *chunk = maal_malloc(POOL_CHUNK);
        if (!chunk)
            return NULL;
        *(void **)chunk = pl->chunks;
        pl->chunks = chunk;
        pl->cur = chunk + 16; /* the link, then 16-aligned blocks */
        pl->left = POOL_CHUNK - 16;
        POOL_POISON(pl->cur, pl->left);
    }
    p = pl->cur;
    pl->cur += size;
    pl->left -= size;
    POOL_UNPOISON(p, size);
    return p;
}

static void pool_free(struct maal_pool *pl, void *p, size_t n)
{
    size_t c = pool_class(n);
    *(void **)p = pl->free[c];
    pl->free[c] = p;
    POOL_POISON(p, (c + 1) << 4);
}

/* Every chunk, once the state is closed (all its blocks are back then). */
void maal_sb_pool_release(struct maal_pool *pl)
{
    for (void *c = pl->chunks, *next; c; c = next) {
        POOL_UNPOISON(c, POOL_CHUNK);
        next = *(void **)c;
        maal_free(c);
    }
    memset(pl, 0, sizeof(*pl));
}

static void block_free(struct run *r, void *ptr, size_t old)
{
    if (old <= MAAL_POOL_MAX)
        pool_free(&r->pool, ptr, old);
    else
        maal_free(ptr);
}

/* realloc for the pool's blocks and malloc's (above MAAL_POOL_MAX): ptr NULL has old 0 */
static void *block_realloc(struct run *r, void *ptr, size_t old, size_t nsize)
{
    if (!ptr)
        return nsize <= MAAL_POOL_MAX ? pool_alloc(&r->pool, nsize) : maal_realloc(NULL, nsize);
    if (old > MAAL_POOL_MAX && nsize > MAAL_POOL_MAX)
        return maal_realloc(ptr, nsize);
    if (old <= MAAL_POOL_MAX && nsize <= MAAL_POOL_MAX && pool_class(old) == pool_class(nsize))
        return ptr;
    void *p = nsize <= MAAL_POOL_MAX ? pool_alloc(&r->pool, nsize) : maal_realloc(NULL, nsize);
    if (!p)
        return NULL; /* the old block stays as it was */
    memcpy(p, ptr, old < nsize ? old : nsize);
    block_free(r, ptr, old);
    return p;
}

/* An allocation over the limit: refused, and remembered, for Lua collects all garbage and
 * asks once more (unless it cannot); that request counts only if it is refused again. */
static __attribute__((noinline)) void *refuse(struct run *r, void *ptr, size_t osize, size_t nsize)
{
    r->exceeded_before = r->mem_exceeded;
    r->mem_exceeded = true;
    r->refused = true;
    r->refused_ptr = ptr;
    r->refused_osize = osize;
    r->refused_nsize = nsize;
    return NULL;
}

/* The request after a refusal (kept out of maal_sb_alloc's common path) */
static __attribute__((noinline)) void *after_refusal(struct run *r, void *ptr, size_t osize,
                                                     size_t nsize)
{
    bool retry = ptr == r->refused_ptr && osize == r->refused_osize && nsize == r->refused_nsize;
    r->refused = false;
    size_t old = ptr ? osize : 0;
    if (nsize > old && r->used - old + nsize > r->limit) {
        if (!retry)
            return refuse(r, ptr, osize, nsize);
        r->mem_exceeded = true; /* refused again after the collection: it counts */
        return NULL;
    }
    void *p = block_realloc(r, ptr, old, nsize);
    if (p) {
        r->used = r->used - old + nsize;
        if (retry) /* it fits once the garbage is gone: within the limit after all */
            r->mem_exceeded = r->exceeded_before;
    }
    return p;
}

void *maal_sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct run *r = ud;
    size_t old = ptr ? osize : 0; /* when ptr is NULL, osize is a type tag */
    if (nsize == 0) {
        if (ptr)
            block_free(r, ptr, old);
        r->used -= old;
        return NULL;
    }
    if (__builtin_expect(r->refused, 0))
        return after_refusal(r, ptr, osize, nsize);
    if (nsize > old && r->used - old + nsize > r->limit)
        return refuse(r, ptr, osize, nsize);
    void *p = block_realloc(r, ptr, old, nsize);
    if (p)
        r->used = r->used - old + nsize;
    return p;
}
