/* api_threads: what include/maal.h promises of threads, done by several threads at once on one
 * prepared engine, and every report held against the same work done by one thread.
 *
 *   api_threads NTHREADS PREVIOUS.json FILE...
 *
 * The engine (Danish, --history, --outlook, the stats plugin trusted and plugins/ searched, for
 * the csv/csv reporter) is prepared; then NTHREADS threads start together and each, at once
 * with the others: makes its worker (maal_worker_new), asks maal_report_known and
 * maal_report_format_of_path, and takes files in turn: loads it (maal_load_file, or
 * maal_load_buffer for every other file), checks it with its worker, looks it up in the shared
 * previous result (maal_check_compare_lookup) and formats its part of every report
 * (maal_report_format_part on the shared streams, also while the main thread adds other
 * parts); every fourth file it also renders alone in every format (maal_report_render on the
 * shared engine). The main thread notes each file (maal_previous_note) and adds its parts in
 * file order. Everything must be byte for byte what one thread makes with maal_report_add and
 * maal_check_compare (SOURCE_DATE_EPOCH is set: the workbook's date); exit 0, else 1 with what
 * differs. Built with -fsanitize=thread by tests/races/tsan.sh, which also fails on any report
 * of ThreadSanitizer; with ASan or plain it still checks the results. */
#include <maal.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const formats[] = {"text", "json",   "junit", "tap",     "markdown",
                                      "html", "github", "xlsx",  "csv/csv"};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))
#define MAX_THREADS 16

struct text {
    char *s;
    size_t len;
};

static atomic_int failures;

static void fail(const char *fmt, const char *a, const char *b)
{
    atomic_fetch_add(&failures, 1);
    fprintf(stderr, "api_threads: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
}

static void append(struct text *t, const char *s, size_t len)
{
    if (!s || !len)
        return;
    char *n = realloc(t->s, t->len + len + 1);
    if (!n) {
        fail("%s%s", "out of memory", "");
        return;
    }
    memcpy(n + t->len, s, len);
    t->s = n;
    t->len += len;
    t->s[t->len] = '\0';
}

static bool same(const struct text *a, const char *b, size_t blen)
{
    return a->len == blen && (!blen || !memcmp(a->s, b, blen));
}

/* A regular file's bytes; NULL for anything else (a folder stands for its partnership.yaml:
 * loaded with maal_load_file) */
static char *slurp(const char *path, size_t *len)
{
    struct stat st;
    FILE *f = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
    if (!f)
        return NULL;
    struct text t = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        append(&t, buf, n);
    fclose(f);
    *len = t.len;
    return t.s ? t.s : calloc(1, 1);
}

/* One file's work, made by a thread and taken by the main thread in order. */
struct slot {
    maal_partnership *p;
    maal_check *c;
    maal_report_part *parts[NFORMATS];
    bool done;
};

struct run {
    maal_engine *e;
    const maal_previous *prev;
    maal_report_stream *streams[NFORMATS];
    char **files;
    size_t n;
    atomic_size_t next;
    struct slot *slots;
    struct text (*alone)[NFORMATS]; /* each file rendered alone by one thread: the reference */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_barrier_t start;
};

static maal_engine *make_engine(void)
{
    maal_engine *e = maal_engine_new();
    maal_diags *d = maal_diags_new();
    if (!e || !d || maal_engine_set_history(e, true) != MAAL_OK ||
        maal_engine_set_outlook(e, true) != MAAL_OK ||
        maal_engine_add_plugin(e, "plugins/stats") != MAAL_OK ||
        maal_engine_add_plugin_root(e, "plugins") != MAAL_OK || maal_engine_prepare(e, d) != MAAL_OK) {
        maal_diags_write(d, "text", stderr, MAAL_LANG_EN);
        fail("%s%s", "the engine cannot be prepared", "");
        maal_engine_free(e);
        e = NULL;
    }
    maal_diags_free(d);
    return e;
}

static int load(maal_engine *e, const char *path, bool buffer, maal_partnership **p)
{
    maal_diags *d = maal_diags_new();
    int rc;
    if (buffer) {
        size_t len;
        char *text = slurp(path, &len);
        rc = text ? maal_load_buffer(e, path, text, len, p, d) : maal_load_file(e, path, p, d);
        free(text);
    } else {
        rc = maal_load_file(e, path, p, d);
    }
    maal_diags_free(d);
    return rc;
}

static void render_alone(maal_engine *e, const maal_check *c, struct text out[NFORMATS])
{
    for (size_t k = 0; k < NFORMATS; k++) {
        char *t = NULL;
        size_t len = 0;
        if (maal_report_render(e, &c, 1, formats[k], &t, &len, NULL) == MAAL_OK)
            append(&out[k], t, len);
        else
            fail("maal_report_render %s%s failed", formats[k], "");
        maal_text_free(t);
    }
}

static void *worker(void *arg)
{
    struct run *r = arg;
    pthread_barrier_wait(&r->start); /* every thread begins at once */
    maal_worker *w = NULL;
    if (maal_worker_new(r->e, &w, NULL) != MAAL_OK)
        fail("%s%s", "maal_worker_new failed", "");
    char buf[64];
    if (!maal_report_known(r->e, "csv/csv") || !maal_report_known(r->e, "html") ||
        strcmp(maal_report_format_of_path(r->e, "out.csv", buf, sizeof(buf)), "csv/csv") != 0)
        fail("%s%s", "maal_report_known or maal_report_format_of_path", "");
    for (size_t i; (i = atomic_fetch_add(&r->next, 1)) < r->n;) {
        struct slot *s = &r->slots[i];
        maal_partnership *p = NULL;
        maal_check *c = NULL;
        if (load(r->e, r->files[i], i % 2, &p) == MAAL_OK && w) {
            maal_diags *d = maal_diags_new();
            maal_worker_check(w, p, &c, d);
            maal_diags_free(d);
        }
        /* every fourth file alone in every format, before the comparison marks it (as the
         * reference renders it) */
        for (size_t k = 0; c && i % 4 == 0 && k < NFORMATS; k++) {
            char *t = NULL;
            size_t len = 0;
            if (maal_report_render(r->e, (const maal_check *const *)&c, 1, formats[k], &t, &len,
                                   NULL) != MAAL_OK ||
                !same(&r->alone[i][k], t, len))
                fail("%s rendered alone on a thread differs: %s", formats[k], r->files[i]);
            maal_text_free(t);
        }
        if (c) {
            maal_check_compare_lookup(c, r->prev);
            for (size_t k = 0; k < NFORMATS; k++)
                s->parts[k] = maal_report_format_part(r->streams[k], c);
        }
        pthread_mutex_lock(&r->mu);
        s->p = p;
        s->c = c;
        s->done = true;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
    }
    maal_worker_free(w);
    return NULL;
}

/* The reports of every file as one thread makes them: maal_check_compare, maal_report_add. */
static int reference(char **files, size_t n, const char *prev_path, struct text out[NFORMATS],
                     struct text (*alone)[NFORMATS], struct maal_change_counts *counts)
{
    maal_engine *e = make_engine();
    maal_previous *prev = NULL;
    if (!e || maal_previous_load(prev_path, MAAL_LANG_DA, &prev, NULL) != MAAL_OK)
        return -1;
    maal_report_stream *s[NFORMATS];
    for (size_t k = 0; k < NFORMATS; k++)
        if (maal_report_begin(e, formats[k], NULL, &s[k], NULL) != MAAL_OK)
            return -1;
    maal_partnership **ps = calloc(n, sizeof(*ps));
    maal_check **cs = calloc(n, sizeof(*cs));
    for (size_t i = 0; i < n; i++) {
        if (load(e, files[i], false, &ps[i]) != MAAL_OK)
            continue;
        maal_check_run(e, ps[i], &cs[i], NULL);
        if (!cs[i])
            continue;
        render_alone(e, cs[i], alone[i]);
        maal_check_compare(cs[i], prev);
        for (size_t k = 0; k < NFORMATS; k++) {
            size_t len;
            maal_report_add(s[k], cs[i]);
            const char *t = maal_report_take(s[k], &len);
            append(&out[k], t, len);
        }
    }
    maal_previous_finish(prev, e);
    for (size_t k = 0; k < NFORMATS; k++) {
        size_t len;
        if (maal_report_end(s[k], prev, NULL) != MAAL_OK)
            fail("%s: maal_report_end failed (one thread)%s", formats[k], "");
        const char *t = maal_report_take(s[k], &len);
        append(&out[k], t, len);
        maal_report_free(s[k]);
    }
    maal_previous_counts(prev, counts);
    for (size_t i = 0; i < n; i++) {
        maal_check_free(cs[i]);
        maal_partnership_free(ps[i]);
    }
    free(cs);
    free(ps);
    maal_previous_free(prev);
    maal_engine_free(e);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || atoi(argv[1]) < 1 || atoi(argv[1]) > MAX_THREADS) {
        fprintf(stderr, "usage: api_threads NTHREADS(1-%d) PREVIOUS.json FILE...\n", MAX_THREADS);
        return 2;
    }
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* before any thread: the workbook's date */
    int nth = atoi(argv[1]);
    struct run r = {.files = argv + 3, .n = (size_t)(argc - 3)};
    struct text ref[NFORMATS] = {{0}}, got[NFORMATS] = {{0}};
    struct maal_change_counts want, have;
    r.alone = calloc(r.n, sizeof(*r.alone));
    r.slots = calloc(r.n, sizeof(*r.slots));
    if (!r.alone || !r.slots || reference(r.files, r.n, argv[2], ref, r.alone, &want) != 0) {
        fprintf(stderr, "api_threads: the reference run failed\n");
        return 1;
    }
    maal_previous *prev = NULL;
    if (!(r.e = make_engine()) || maal_previous_load(argv[2], MAAL_LANG_DA, &prev, NULL) != MAAL_OK)
        return 1;
    r.prev = prev;
    for (size_t k = 0; k < NFORMATS; k++)
        if (maal_report_begin(r.e, formats[k], NULL, &r.streams[k], NULL) != MAAL_OK)
            return 1;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    pthread_barrier_init(&r.start, NULL, (unsigned)nth);
    pthread_t th[MAX_THREADS];
    for (int t = 0; t < nth; t++)
        if (pthread_create(&th[t], NULL, worker, &r) != 0)
            return 1;
    /* in file order, while the threads go on: note the comparison, add the parts, take */
    for (size_t i = 0; i < r.n; i++) {
        struct slot *s = &r.slots[i];
        pthread_mutex_lock(&r.mu);
        while (!s->done)
            pthread_cond_wait(&r.cv, &r.mu);
        pthread_mutex_unlock(&r.mu);
        if (!s->c)
            continue;
        maal_previous_note(prev, s->c);
        for (size_t k = 0; k < NFORMATS; k++) {
            size_t len;
            maal_report_add_part(r.streams[k], s->parts[k]);
            s->parts[k] = NULL;
            const char *t = maal_report_take(r.streams[k], &len);
            append(&got[k], t, len);
        }
    }
    for (int t = 0; t < nth; t++)
        pthread_join(th[t], NULL);
    maal_previous_finish(prev, r.e);
    for (size_t k = 0; k < NFORMATS; k++) {
        size_t len;
        if (maal_report_end(r.streams[k], prev, NULL) != MAAL_OK)
            fail("%s: maal_report_end failed%s", formats[k], "");
        const char *t = maal_report_take(r.streams[k], &len);
        append(&got[k], t, len);
        maal_report_free(r.streams[k]);
        if (!ref[k].len || !same(&ref[k], got[k].s, got[k].len))
            fail("%s: the report made on %s threads differs from one thread's", formats[k], argv[1]);
        free(ref[k].s);
        free(got[k].s);
    }
    maal_previous_counts(prev, &have);
    if (memcmp(&want, &have, sizeof(want)) != 0)
        fail("%s%s", "the comparison's counts differ from one thread's", "");
    size_t checked = 0;
    for (size_t i = 0; i < r.n; i++) {
        checked += r.slots[i].c != NULL;
        maal_check_free(r.slots[i].c);
        maal_partnership_free(r.slots[i].p);
        for (size_t k = 0; k < NFORMATS; k++)
            free(r.alone[i][k].s);
    }
    free(r.alone);
    free(r.slots);
    maal_previous_free(prev);
    maal_engine_free(r.e);
    pthread_barrier_destroy(&r.start);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    int nf = atomic_load(&failures);
    printf("api_threads: %zu files (%zu checked), %zu formats, %d threads: %s\n", r.n, checked,
           NFORMATS, nth, nf ? "DIFFERENT" : "the same as one thread");
    return nf ? 1 : 0;
}
