/* backstop (command line): the process that watches 'maal check' and stops a stuck goal. */
#define _GNU_SOURCE /* MAP_ANONYMOUS, prctl, F_SETPIPE_SZ */
#include "backstop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The parent's side of the relay in big pieces: each pipe can hold PIPE_BYTES (where the
 * system allows it), and the parent moves up to RELAY_BUF bytes per read and write, to the
 * spool and from it (in 64 KiB, and to the spool through stdio's 4 KiB buffer: two writes a
 * piece, before issue 19). The child's standard output keeps stdio's buffer (4 KiB on a
 * pipe): one of 64 KiB wrote a bench file's 18 KB in one piece of four instead of two
 * pieces each, but copied every byte of the report once more (+0.3 % of a check's
 * instructions) and was in the child's peak RSS (docs/performance.md, "System calls"). */
#define PIPE_BYTES (1 << 20)
#define RELAY_BUF (1 << 18)
/* With pipes that large the parent waits this long after each piece it relays, so that the
 * next read takes what the child wrote meanwhile (a few files' reports) instead of waking
 * for every one; the child's end (SIGCHLD) cuts the wait short. 1 MiB lasts the child ≈ 25
 * ms at the bench's pace. */
#define BATCH_NS 4000000L
static char relay_buf[RELAY_BUF]; /* the parent's, which has one thread */

static volatile sig_atomic_t child_gone; /* SIGCHLD came since batch_begin */

static void on_child(int sig)
{
    (void)sig;
    child_gone = 1; /* and the parent's wait is cut short */
}

/* The parent waits between pieces: SIGCHLD gets a handler that does nothing and is blocked
 * but during the wait (ppoll's mask), so a child that ends during the wait, or before it,
 * ends it at once. False when that cannot be set up (then the parent relays as it comes). */
static bool batch_begin(struct sigaction *old_act, sigset_t *old_mask, sigset_t *wait_mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_child; /* no SA_RESTART: the wait ends with EINTR */
    sigemptyset(&sa.sa_mask);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    if (sigaction(SIGCHLD, &sa, old_act) != 0)
        return false;
    if (sigprocmask(SIG_BLOCK, &chld, old_mask) != 0) {
        sigaction(SIGCHLD, old_act, NULL);
        return false;
    }
    *wait_mask = *old_mask;
    sigdelset(wait_mask, SIGCHLD);
    child_gone = 0;
    return true;
}

static void batch_end(const struct sigaction *old_act, const sigset_t *old_mask)
{
    sigprocmask(SIG_SETMASK, old_mask, NULL); /* a SIGCHLD pending: on_child, nothing */
    sigaction(SIGCHLD, old_act, NULL);
}

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int maal_backstop_slot(struct maal_backstop *bs)
{
    if (!bs)
        return -1;
    int s = atomic_fetch_add(&bs->nslots, 1);
    return s < MAAL_BACKSTOP_SLOTS ? s : -1;
}

void maal_backstop_begin(struct maal_backstop *bs, int slot, int file, int goal)
{
    if (!bs || slot < 0)
        return;
    atomic_store(&bs->slot[slot].start, 0);
    atomic_store(&bs->slot[slot].file, file);
    atomic_store(&bs->slot[slot].goal, goal);
    atomic_store(&bs->slot[slot].start, now_ns());
}

void maal_backstop_end(struct maal_backstop *bs, int slot)
{
    if (bs && slot >= 0)
        atomic_store(&bs->slot[slot].start, 0);
}

void maal_backstop_finished(struct maal_backstop *bs)
{
    if (bs)
        atomic_store(&bs->finished, true);
}

bool maal_backstop_skipped(const struct maal_backstop *bs, int file, int goal)
{
    for (int i = 0; bs && i < bs->nskip; i++)
        if (bs->skip[i].file == file && bs->skip[i].goal == goal)
            return true;
    return false;
}

/* What the parent relays of one of the child's streams. The child's bytes are kept in a spool
 * (memory, then an anonymous temporary file) and written out only when the child has finished:
 * a child that is stopped is thrown away whole, and the check starts again from nothing. (It
 * once relayed bytes as they came and dropped as many of the next child's, on the assumption
 * that the next child repeats them byte for byte; under load an earlier goal can end another
 * way the second time, at the time limit instead of the memory limit, and the JSON came out
 * spliced.) */
/* What a spool keeps in memory; past it the bytes move to an anonymous temporary file (a
 * run of one file never makes one: two tmpfile() calls were ≈ 0.14 ms of a 4 ms run). */
#define SPOOL_MEM (1 << 20)
struct stream {
    int in, out; /* the pipe from the child; the parent's own descriptor */
    FILE *file;  /* the temporary file, once this child's bytes outgrew SPOOL_MEM: read and
                  * written through its descriptor (no stdio copy of every byte) */
    char *mem;   /* else this child's bytes so far (also past SPOOL_MEM when no file could
                  * be made) */
    size_t len, cap;
    int err; /* the first error of the spool */
};

/* 0, or the errno of the failure */
static int write_all(int fd, const char *buf, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return errno;
        off += (size_t)w;
    }
    return 0;
}

/* Empty, for a new child. */
static bool spool_open(struct stream *s)
{
    s->err = 0;
    s->len = 0;
    if (s->file) /* once made, kept: this run's output is large */
        return ftruncate(fileno(s->file), 0) == 0 && lseek(fileno(s->file), 0, SEEK_SET) == 0;
    return true;
}

static int mem_add(struct stream *s, const char *buf, size_t n)
{
    if (n > s->cap - s->len) {
        size_t cap = s->cap ? s->cap : (size_t)64 << 10;
        while (cap - s->len < n)
            cap *= 2;
        char *m = realloc(s->mem, cap);
        if (!m)
            return ENOMEM;
        s->mem = m;
        s->cap = cap;
    }
    memcpy(s->mem + s->len, buf, n);
    s->len += n;
    return 0;
}

static void relay(struct stream *s)
{
    char *buf = relay_buf;
    ssize_t n = read(s->in, buf, RELAY_BUF);
    if (n < 0 && errno == EINTR)
        return;
    if (n <= 0) {
        close(s->in);
        s->in = -1;
        return;
    }
    if (s->err)
        return;
    if (!s->file && s->len + (size_t)n > SPOOL_MEM && (s->file = tmpfile())) {
        s->err = write_all(fileno(s->file), s->mem, s->len);
        free(s->mem); /* not kept in the parent's memory next to the file */
        s->mem = NULL;
        s->len = s->cap = 0;
    }
    if (!s->err)
        s->err = s->file ? write_all(fileno(s->file), buf, (size_t)n) : mem_add(s, buf, (size_t)n);
}

/* Writes a finished child's bytes to the parent's descriptor; 0 or the errno of the failure. */
static int deliver(struct stream *s)
{
    if (s->err)
        return s->err;
    if (!s->file)
        return write_all(s->out, s->mem, s->len);
    int fd = fileno(s->file);
    off_t end = lseek(fd, 0, SEEK_CUR);
    if (end < 0 || lseek(fd, 0, SEEK_SET) != 0)
        return errno;
    for (off_t done = 0; done < end;) {
        size_t want = end - done < RELAY_BUF ? (size_t)(end - done) : RELAY_BUF;
        ssize_t n = read(fd, relay_buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        int e = write_all(s->out, relay_buf, (size_t)n);
        if (e)
            return e;
        done += n;
    }
    return 0;
}

static void spool_close(struct stream *s)
{
    if (s->file)
        fclose(s->file);
    free(s->mem);
    s->file = NULL;
    s->mem = NULL;
    s->len = s->cap = 0;
}

/* The first goal that has run longer than 'limit' ns, or -1. */
static int overrun(struct maal_backstop *bs, long long limit, int *file, int *goal)
{
    if (atomic_load(&bs->finished)) /* writing its reports: a kill would leave a file half made */
        return -1;
    int n = atomic_load(&bs->nslots);
    long long now = now_ns();
    for (int i = 0; i < n && i < MAAL_BACKSTOP_SLOTS; i++) {
        long long st = atomic_load(&bs->slot[i].start);
        if (!st || now - st <= limit)
            continue;
        *file = atomic_load(&bs->slot[i].file);
        *goal = atomic_load(&bs->slot[i].goal);
        if (atomic_load(&bs->slot[i].start) == st) /* still the same goal */
            return i;
    }
    return -1;
}

bool maal_backstop_start(double timeout, enum maal_lang lang, struct maal_backstop **out,
                         int *code)
{
    *out = NULL;
    struct maal_backstop *bs = mmap(NULL, sizeof(*bs), PROT_READ | PROT_WRITE,
                                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (bs == MAP_FAILED)
        return true;
    memset(bs, 0, sizeof(*bs));
    bs->stdout_tty = isatty(STDOUT_FILENO);
    /* the sandbox stops a rule by its CPU time, and at the latest at the wall-clock ceiling:
     * a goal still running 1 s after that is stuck where the hook cannot reach it */
    bs->stopped_after = MAAL_WALL_CEILING(timeout) + 1.0;
    long long limit = (long long)(bs->stopped_after * 1e9);
    struct stream st[2] = {{.in = -1, .out = STDOUT_FILENO}, {.in = -1, .out = STDERR_FILENO}};
    /* standard output and error on the same file ('2>&1'): one pipe for both keeps the order
     * in which the child wrote them */
    struct stat so, se;
    bool one = fstat(STDOUT_FILENO, &so) == 0 && fstat(STDERR_FILENO, &se) == 0 &&
               so.st_dev == se.st_dev && so.st_ino == se.st_ino;
    int nst = one ? 1 : 2;
    for (;;) {
        int p[2][2] = {{-1, -1}, {-1, -1}};
        if (pipe(p[0]) != 0 || (!one && pipe(p[1]) != 0)) {
            for (int k = 0; k < 2; k++)
                for (int e = 0; e < 2; e++)
                    if (p[k][e] >= 0)
                        close(p[k][e]);
            if (bs->nskip)
                goto lost;
            munmap(bs, sizeof(*bs));
            return true;
        }
        bool roomy = true; /* every pipe holds PIPE_BYTES: the parent may wait between pieces */
        for (int k = 0; k < nst; k++) /* may be refused: the pipe stays as it is */
            roomy = fcntl(p[k][0], F_SETPIPE_SZ, PIPE_BYTES) >= PIPE_BYTES && roomy;
        /* a new child starts from clean slots: a killed child's stuck goal must not look like
         * the new child's (it was stopped again at once, at any point of its run) */
        for (int i = 0; i < MAAL_BACKSTOP_SLOTS; i++)
            atomic_store(&bs->slot[i].start, 0);
        atomic_store(&bs->nslots, 0);
        atomic_store(&bs->finished, false);
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            for (int k = 0; k < nst; k++)
                close(p[k][0]), close(p[k][1]);
            if (bs->nskip)
                goto lost;
            munmap(bs, sizeof(*bs));
            return true;
        }
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL); /* no check left running without its parent */
            dup2(p[0][1], STDOUT_FILENO);
            dup2(p[one ? 0 : 1][1], STDERR_FILENO);
            for (int k = 0; k < nst; k++) {
                close(p[k][0]);
                close(p[k][1]);
            }
            for (int k = 0; k < 2; k++) /* the parent's spools of a stopped child */
                spool_close(&st[k]);
            atomic_store(&bs->nslots, 0);
            *out = bs;
            return true;
        }
        bool spooled = true;
        for (int k = 0; k < nst; k++) {
            close(p[k][1]);
            st[k].in = p[k][0];
            spooled = spool_open(&st[k]) && spooled;
        }
        if (!spooled) { /* nowhere to keep the child's output: it cannot be watched */
            kill(pid, SIGKILL);
            for (int k = 0; k < nst; k++)
                close(st[k].in);
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
            goto lost;
        }
        bool killed = false;
        struct sigaction old_act;
        sigset_t old_mask, wait_mask;
        bool batch = roomy && batch_begin(&old_act, &old_mask, &wait_mask);
        while (st[0].in >= 0 || st[1].in >= 0) {
            struct pollfd pf[2];
            for (int k = 0; k < 2; k++)
                pf[k] = (struct pollfd){.fd = st[k].in, .events = POLLIN};
            int r = poll(pf, 2, 100);
            for (int k = 0; r > 0 && k < 2; k++)
                if (st[k].in >= 0 && (pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
                    relay(&st[k]);
            /* not once the child is ending: a stream closed, or SIGCHLD already came */
            if (batch && r > 0 && !child_gone && st[0].in >= 0 && (nst == 1 || st[1].in >= 0)) {
                struct timespec t = {0, BATCH_NS};
                ppoll(NULL, 0, &t, &wait_mask);
            }
            int file, goal;
            if (overrun(bs, limit, &file, &goal) >= 0 && bs->nskip < MAAL_BACKSTOP_SKIPS) {
                kill(pid, SIGKILL);
                bs->skip[bs->nskip].file = file;
                bs->skip[bs->nskip].goal = goal;
                bs->nskip++;
                killed = true;
                break;
            }
        }
        if (batch)
            batch_end(&old_act, &old_mask);
        for (int k = 0; k < 2; k++)
            if (st[k].in >= 0) {
                close(st[k].in);
                st[k].in = -1;
            }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        /* -o reports are spooled to anonymous temporary files until every goal has run
         * (util.c, maal_out): a killed child leaves no file behind */
        if (killed)
            continue; /* again, with that goal given up */
        munmap(bs, sizeof(*bs));
        int werr = 0;
        for (int k = 0; k < nst; k++) {
            int e = deliver(&st[k]);
            werr = werr ? werr : e;
            spool_close(&st[k]);
        }
        if (werr && WIFEXITED(status)) { /* what the check would have said of a closed pipe */
            fprintf(stderr, "maal: %s: %s '-': %s\n", TR(lang, "fejl", "error"),
                    TR(lang, "kan ikke skrive", "cannot write"), maal_strerror(werr, lang));
            *code = 2;
            return false;
        }
        if (WIFSIGNALED(status)) { /* die as the check died */
            signal(WTERMSIG(status), SIG_DFL);
            raise(WTERMSIG(status));
            *code = 2;
        } else {
            *code = WEXITSTATUS(status);
        }
        return false;
    }
lost:
    for (int k = 0; k < 2; k++)
        spool_close(&st[k]);
    fprintf(stderr, "maal: %s: %s: %s\n", TR(lang, "fejl", "error"),
            TR(lang, "kan ikke starte kontrollen igen", "cannot start the check again"),
            strerror(errno));
    munmap(bs, sizeof(*bs));
    *code = 2;
    return false;
}
