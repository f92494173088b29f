/* files: the -o outputs (written as given, spooled, replaced together at commit), reading a
 * whole file under a size limit, and whether a file lies inside a folder. */
#define _GNU_SOURCE /* dladdr */
#include "util.h"

#include <dlfcn.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A system error: its text in English in msg, its errno kept for maal_error_text. */
static void sys_error(struct maal_error *err, const char *path, int e)
{
    maal_error_set(err, path, 0, 0, "%s", strerror(e));
    if (err)
        err->sys = e;
}

/* What a path to write is: standard output, a special file written in place (/dev/null, a
 * FIFO, a terminal, also through a link such as /dev/fd/1), a regular file (or none yet) to
 * replace atomically, or a symbolic link to a regular file, which is refused: in a shared
 * folder a planted link would make maal replace its target (someone's ~/.bashrc). */
enum target { T_STDOUT, T_SPECIAL, T_FILE, T_LINK };

static enum target target_kind(const char *path)
{
    struct stat st, lst;
    if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
        return T_STDOUT;
    bool link = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return T_SPECIAL;
    return link ? T_LINK : T_FILE;
}

int maal_out_open(struct maal_out *o, const char *path, struct maal_error *err)
{
    memset(o, 0, sizeof(*o));
    enum target t = target_kind(path);
    if (t == T_STDOUT) {
        o->f = stdout;
        o->is_stdout = true;
        return MAAL_OK;
    }
    if (t == T_LINK) {
        maal_error_set(err, path, 0, 0, "%s", "a symbolic link: maal replaces a file, never "
                                              "the target of a link");
        return MAAL_ERR_IO;
    }
    o->path = maal_strdup(path);
    if (!o->path) {
        sys_error(err, path, ENOMEM);
        return MAAL_ERR_NOMEM;
    }
    errno = 0;
    /* a regular file is spooled to an anonymous temporary file (gone with the process, even
     * on a signal); the file beside the target is made only at commit, when the report is
     * complete */
    o->f = t == T_SPECIAL ? fopen(path, "w") : tmpfile();
    if (!o->f && t == T_FILE) /* no temporary folder to be had: spool in memory */
        o->f = open_memstream(&o->mem, &o->memlen);
    o->spool = t == T_FILE;
    if (!o->f) {
        sys_error(err, path, errno ? errno : ENOMEM);
            maal_free(o->path);
        memset(o, 0, sizeof(*o));
        return MAAL_ERR_IO;
    }
    return MAAL_OK;
}

static int write_all(int fd, const char *p, size_t n);

/* A piece this large for standard output goes to its descriptor as it is, after what stdio
 * holds: one write() and no copy. Through stdio's buffer (4 KiB on a pipe) a partnership's
 * report (18 KB in the bench) was two writes, the buffer filled and written, then the rest;
 * a larger buffer would have copied every byte (issue 19, docs/performance.md). */
#define OUT_DIRECT 4096

void maal_out_write(struct maal_out *o, const char *data, size_t len)
{
    if (!o->f || o->err || len == 0)
        return;
    int fd = o->is_stdout && len >= OUT_DIRECT ? fileno(o->f) : -1;
    if (fd >= 0) {
        if (fflush(o->f) != 0)
            o->err = errno ? errno : EIO;
        else
            o->err = write_all(fd, data, len);
        return;
    }
    if (fwrite(data, 1, len, o->f) != len)
        o->err = errno ? errno : EIO;
}

/* The n-th rename of a commit fails (tests only: maal_out_fail_rename). */
static int fail_rename_at;

void maal_out_fail_rename(int n) { fail_rename_at = n; }

static int rename_checked(const char *from, const char *to)
{
    if (fail_rename_at > 0 && --fail_rename_at == 0) {
        errno = EIO;
        return -1;
    }
    return rename(from, to);
}

static int write_all(int fd, const char *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, p + off, n - off);
        if (w < 0 && errno != EINTR)
            return errno;
        if (w > 0)
            off += (size_t)w;
    }
    return 0;
}

/* A regular file's commit in two phases: its text in a temporary file beside it, the file it
 * replaces kept as a backup until every output of the commit is in place. */
struct pending {
    char *tmp, *bak; /* the temporary file, and the backup (NULL when there was no file) */
    bool renamed;
    bool keep_bak; /* putting the old file back failed: its backup is all that is left of it */
};

/* A new name beside 'path' for a link to it ("PATH.bakN"): link() never replaces. Returns 0 or
 * an errno; a file system without hard links gets a copy (open O_EXCL, same mode). */
static int make_backup(const char *path, char *bak, size_t size, mode_t mode)
{
    for (int k = 0; k < 1000; k++) {
        snprintf(bak, size, "%s.bak%ldx%d", path, (long)getpid(), k);
        if (link(path, bak) == 0)
            return 0;
        if (errno == EEXIST)
            continue;
        if (errno != EPERM && errno != EXDEV && errno != ENOTSUP && errno != EMLINK)
            return errno;
        /* no hard links here: a copy */
        int in = open(path, O_RDONLY), out = -1, e = 0;
        if (in < 0)
            return errno;
        out = open(bak, O_WRONLY | O_CREAT | O_EXCL, mode);
        if (out < 0) {
            e = errno;
            close(in);
            if (e == EEXIST)
                continue;
            return e;
        }
        char buf[65536];
        ssize_t r;
        while (!e && (r = read(in, buf, sizeof(buf))) != 0) {
            if (r < 0)
                e = errno == EINTR ? 0 : errno;
            else
                e = write_all(out, buf, (size_t)r);
        }
        if (!e && fsync(out) != 0 && errno != EINVAL)
            e = errno;
        close(in);
        if (close(out) != 0 && !e)
            e = errno;
        if (e)
            unlink(bak);
        return e;
    }
    return EEXIST;
}

/* A new file at 'tmpl' (its last six characters XXXXXX, replaced by a name no file has yet),
 * opened for writing with 'mode' as open() takes it: the kernel applies the process's umask
 * (and a folder's default ACL). mkstemp makes the file 0600, and the mode it should have had
 * was once found by umask(0) and umask(old): the umask of the whole process was 0 in between,
 * so a file that another thread of the host made then was world-writable, and two commits at
 * once could leave the umask at 0 for good. A descriptor, or -1 with errno. */
static int open_new_temp(char *tmpl, mode_t mode)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Atomic unsigned long serial;
    size_t len = strlen(tmpl);
    if (len < 6 || strcmp(tmpl + len - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return -1;
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    uint64_t x = (uint64_t)t.tv_nsec ^ ((uint64_t)t.tv_sec << 30) ^ ((uint64_t)getpid() << 40);
    for (int attempt = 0; attempt < 1000; attempt++) {
        /* splitmix64 of the clock, the process and a counter of this process's names */
        uint64_t z = x + 0x9E3779B97F4A7C15ULL * (uint64_t)(++serial);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        for (int i = 0; i < 6; i++, z /= sizeof(set) - 1)
            tmpl[len - 6 + i] = set[z % (sizeof(set) - 1)];
        int fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* Phase one for a regular file: its spool copied to a temporary file beside it, with the mode
 * the target had (or 0666 less the umask for a new one, as open() makes it: the umask is
 * never read, which would change it for the whole process), fsync'ed; the target kept as a
 * backup. Returns 0 or an errno; on an errno nothing is left beside the target. */
static int spool_prepare(const struct maal_out *o, struct pending *pd)
{
    struct stat st;
    bool had = stat(o->path, &st) == 0 && S_ISREG(st.st_mode);
    mode_t mode = had ? st.st_mode & 07777 : 0666;
    size_t size = strlen(o->path) + 32;
    pd->tmp = maal_malloc(size);
    pd->bak = had ? maal_malloc(size) : NULL;
    if (!pd->tmp || (had && !pd->bak))
        return ENOMEM;
    snprintf(pd->tmp, size, "%s.tmpXXXXXX", o->path);
    int e = 0, fd = open_new_temp(pd->tmp, had ? 0600 : 0666);
    if (fd < 0) {
        e = errno;
        maal_free(pd->tmp);
        pd->tmp = NULL;
        return e;
    }
    if (had && fchmod(fd, mode) != 0) /* the old file's mode, whatever the umask */
        e = errno;
    if (!e && o->mem) {
        e = write_all(fd, o->mem, o->memlen);
    } else if (!e) {
        if (fseek(o->f, 0, SEEK_SET) != 0)
            e = errno;
        char buf[65536];
        size_t n;
        while (!e && (n = fread(buf, 1, sizeof(buf), o->f)) > 0)
            e = write_all(fd, buf, n);
        if (!e && ferror(o->f))
            e = EIO;
    }
    if (!e && fsync(fd) != 0 && errno != EINVAL)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && had && (e = make_backup(o->path, pd->bak, size, mode)) != 0) {
        maal_free(pd->bak);
        pd->bak = NULL;
    }
    if (e) {
        unlink(pd->tmp);
        maal_free(pd->tmp);
        pd->tmp = NULL;
    }
    return e;
}

int maal_out_commit_all(struct maal_out *const *outs, size_t n, struct maal_error *err,
                        size_t *failed)
{
    /* SIGINT, SIGTERM and SIGHUP wait until every temporary file and backup is renamed or
     * removed */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    struct pending *pd = maal_calloc(n ? n : 1, sizeof(*pd));
    int e = pd ? 0 : ENOMEM;
    size_t bad = 0;
    /* phase one: every output's text where it can be renamed from (or, for standard output and
     * special files, written out) */
    for (size_t i = 0; i < n && !e; i++) {
        struct maal_out *o = outs[i];
        bad = i;
        e = o->f ? o->err : EIO;
        if (!e && fflush(o->f) != 0)
            e = errno;
        if (!e && o->spool)
            e = spool_prepare(o, &pd[i]);
    }
    /* phase two: the renames; when one fails, the files already replaced get their old text
     * back (a file that was not there is removed again) */
    for (size_t i = 0; i < n && !e; i++) {
        if (!pd[i].tmp)
            continue;
        if (rename_checked(pd[i].tmp, outs[i]->path) != 0) {
            e = errno;
            bad = i;
            for (size_t k = 0; k < i; k++) {
                if (!pd[k].renamed)
                    continue;
                if (pd[k].bak && rename(pd[k].bak, outs[k]->path) != 0)
                    pd[k].keep_bak = true;
                else if (!pd[k].bak)
                    unlink(outs[k]->path);
                pd[k].renamed = false;
            }
        } else {
            pd[i].renamed = true;
        }
    }
    /* what is left: temporary files not renamed, backups no longer needed */
    for (size_t i = 0; pd && i < n; i++) {
        if (pd[i].tmp && !pd[i].renamed)
            unlink(pd[i].tmp);
        if (pd[i].bak && !pd[i].keep_bak)
            unlink(pd[i].bak); /* after a restore it is gone already: ENOENT */
        maal_free(pd[i].tmp);
        maal_free(pd[i].bak);
    }
    maal_free(pd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e) {
        const char *path = n && outs[bad]->path ? outs[bad]->path : "-";
        sys_error(err, path, e);
    }
    if (failed)
        *failed = bad;
    for (size_t i = 0; i < n; i++)
        maal_out_abort(outs[i]); /* closes (standard output: flushes) and frees */
    return e ? MAAL_ERR_IO : MAAL_OK;
}

int maal_out_commit(struct maal_out *o, struct maal_error *err)
{
    return maal_out_commit_all(&o, 1, err, NULL);
}

void maal_out_abort(struct maal_out *o)
{
    if (o->f && !o->is_stdout)
        fclose(o->f);
    else if (o->f)
        fflush(o->f);
    free(o->mem);
    maal_free(o->path);
    memset(o, 0, sizeof(*o));
}


bool maal_entry_inside(const char *dir, const char *path, const char *entry)
{
    struct stat st;
    if (!strchr(entry, '/')) {
        /* a regular file that is itself an entry of 'dir' is inside it whatever 'dir' is a
         * link to: one lstat, no realpath (a dozen system calls) */
        if (lstat(path, &st) != 0)
            return false;
        if (S_ISREG(st.st_mode))
            return true;
        if (!S_ISLNK(st.st_mode))
            return false;
    }
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && maal_path_inside(dir, path);
}

bool maal_path_inside(const char *dir, const char *file)
{
    char rd[PATH_MAX], rf[PATH_MAX];
    if (!realpath(dir, rd) || !realpath(file, rf))
        return false;
    size_t n = strlen(rd);
    return strncmp(rd, rf, n) == 0 && (rf[n] == '/' || (n == 1 && rd[0] == '/'));
}

/* buf = the folder of 'file' + "/../share/maal/" + sub, when that is a folder */
static bool share_beside(const char *file, const char *sub, char *buf, size_t size)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    struct stat st;
    if (!slash)
        return false;
    int n = snprintf(buf, size, "%.*s/../share/maal/%s", (int)(slash - file), file, sub);
    return n > 0 && (size_t)n < size && stat(buf, &st) == 0 && S_ISDIR(st.st_mode);
}

bool maal_share_dir(const char *sub, char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (share_beside(exe, sub, buf, size))
            return true;
    }
    Dl_info info; /* the shared library this function is in (the program itself when static) */
    return dladdr((void *)maal_share_dir, &info) && share_beside(info.dli_fname, sub, buf, size);
}

static void dir_error(struct maal_error *err, const char *path, enum maal_lang lang)
{
    maal_error_set(err, path, 0, 0,
                   TR(lang, "kan ikke læse '%s': er en mappe uden partnership.yaml, forventede "
                            "en fil",
                      "cannot read '%s': is a directory without partnership.yaml, expected a "
                      "file"),
                   path);
}

/* "is a FIFO (named pipe), not a regular file" and the like, for a file maal does not read */
static void special_error(struct maal_error *err, const char *path, mode_t mode,
                          enum maal_lang lang)
{
    const char *da = S_ISFIFO(mode)   ? "en FIFO (navngivet rør)"
                     : S_ISSOCK(mode) ? "en sokkel"
                                      : "en enhed";
    const char *en = S_ISFIFO(mode)   ? "a FIFO (named pipe)"
                     : S_ISSOCK(mode) ? "a socket"
                                      : "a device";
    maal_error_set(err, path, 0, 0,
                   TR(lang, "kan ikke læse '%s': er %s, ikke en almindelig fil; forventede en fil",
                      "cannot read '%s': is %s, not a regular file; expected a file"),
                   path, TR(lang, da, en));
}

int maal_open_read(const char *path, int flags, bool streams, struct stat *st,
                   struct maal_error *err, enum maal_lang lang)
{
    /* a file that input names or a search finds is not even opened unless it is a regular
     * file (or a folder, for its message): opening a device can act (a watchdog starts, a
     * tape rewinds, a serial line is raised, a terminal becomes the controlling one), and a
     * link in a data folder can lead to one. The check after the open stays: a file swapped
     * in between is refused too. */
    if (!streams && ((flags & O_NOFOLLOW) ? lstat(path, st) : stat(path, st)) == 0 &&
        !S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode) && !S_ISLNK(st->st_mode)) {
        special_error(err, path, st->st_mode, lang);
        errno = 0;
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | flags);
    if (fd < 0) {
        int e = errno;
        maal_error_set(err, path, 0, 0, TR(lang, "kan ikke åbne '%s': %s", "cannot open '%s': %s"),
                       path, maal_strerror(e, lang));
        errno = e; /* the caller may look at it (ELOOP: a link opened with O_NOFOLLOW) */
        return -1;
    }
    if (fstat(fd, st) != 0) {
        sys_error(err, path, errno);
        close(fd);
        return -1;
    }
    if (S_ISDIR(st->st_mode)) {
        dir_error(err, path, lang);
        close(fd);
        return -1;
    }
    if (S_ISREG(st->st_mode))
        return fd; /* O_NONBLOCK does nothing to a regular file */
    if (!streams) {
        special_error(err, path, st->st_mode, lang);
        close(fd);
        return -1;
    }
    /* a pipe the user named: read it as it comes (a FIFO nobody writes to reads as empty) */
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        sys_error(err, path, errno);
        close(fd);
        return -1;
    }
    return fd;
}

static int read_fd_stat(int fd, const struct stat *stp, const char *path, size_t limit,
                        bool capped, struct maal_arena *a, char **out, size_t *len,
                        struct maal_error *err, enum maal_lang lang);

/* 'capped': the limit is the kind of file's own, not --max-input (said so when it is passed) */
static int read_path(const char *path, bool streams, bool capped, size_t limit, char **out,
                     size_t *len, struct maal_error *err, enum maal_lang lang)
{
    *out = NULL;
    *len = 0;
    struct stat st;
    int fd = maal_open_read(path, 0, streams, &st, err, lang);
    if (fd < 0)
        return errno == ENOMEM ? MAAL_ERR_NOMEM : MAAL_ERR_IO;
    return read_fd_stat(fd, &st, path, limit, capped, NULL, out, len, err, lang);
}

int maal_read_file(const char *path, size_t limit, char **out, size_t *len,
                   struct maal_error *err, enum maal_lang lang)
{
    return read_path(path, false, false, limit, out, len, err, lang);
}

int maal_read_capped(const char *path, size_t limit, char **out, size_t *len,
                     struct maal_error *err, enum maal_lang lang)
{
    return read_path(path, false, true, limit, out, len, err, lang);
}

bool maal_path_names_stream(const char *path)
{
    return !strcmp(path, "/dev/stdin") || !strncmp(path, "/dev/fd/", 8) ||
           !strncmp(path, "/proc/self/fd/", 14);
}

int maal_read_named(const char *path, size_t limit, char **out, size_t *len,
                    struct maal_error *err, enum maal_lang lang)
{
    return read_path(path, maal_path_names_stream(path), true, limit, out, len, err, lang);
}

int maal_read_fd(int fd, const char *path, size_t limit, struct maal_arena *a, char **out,
                 size_t *len, struct maal_error *err, enum maal_lang lang)
{
    *out = NULL;
    *len = 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        dir_error(err, path, lang);
        close(fd);
        return MAAL_ERR_IO;
    }
    return maal_read_fd_stat(fd, &st, path, limit, a, out, len, err, lang);
}

/* 'capped': a file with a fixed cap (a rule, a module, a plugin's manifest or reporter, a
 * previous result): --max-input does not raise it, so the message does not send you there */
static void limit_error(struct maal_error *err, const char *path, size_t limit, bool capped,
                        enum maal_lang lang)
{
    char nb[48];
    maal_fmt_number(nb, sizeof(nb), (double)limit, 0, lang);
    if (capped)
        maal_error_set(err, path, 0, 0,
                       TR(lang, "filen er større end de %s byte, en fil af denne slags må fylde",
                          "file is larger than the %s bytes a file of this kind may hold"),
                       nb);
    else
        maal_error_set(err, path, 0, 0,
                       TR(lang, "filen er større end grænsen på %s byte (se --max-input)",
                          "file is larger than the limit of %s bytes (see --max-input)"),
                       nb);
}

int maal_read_fd_stat(int fd, const struct stat *stp, const char *path, size_t limit,
                      struct maal_arena *a, char **out, size_t *len, struct maal_error *err,
                      enum maal_lang lang)
{
    return read_fd_stat(fd, stp, path, limit, false, a, out, len, err, lang);
}

static int read_fd_stat(int fd, const struct stat *stp, const char *path, size_t limit,
                        bool capped, struct maal_arena *a, char **out, size_t *len,
                        struct maal_error *err, enum maal_lang lang)
{
    *out = NULL;
    *len = 0;
    const struct stat st = *stp;
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > limit) { /* refused unread: a 2 GB */
        close(fd);                                               /* table costs no 64 MiB read */
        limit_error(err, path, limit, capped, lang);
        return MAAL_ERR_LIMIT;
    }
    /* a regular file's size is known: a buffer one byte larger, so that one read that returns
     * less than asked is the whole file (a read of a regular file stops short only at its
     * end); a file that grew meanwhile fills it, and the loop reads on */
    bool sized = S_ISREG(st.st_mode) && st.st_size > 0 && (uintmax_t)st.st_size <= limit;
    size_t cap = sized ? (size_t)st.st_size + 1 : 65536, n = 0;
    /* into the arena when asked (and the size is known), else into memory of its own, copied
     * to the arena at the end */
    bool in_arena = a && sized;
    char *buf = in_arena ? maal_arena_alloc(a, cap + 1) : maal_malloc(cap + 1);
    if (!buf) {
        close(fd);
        sys_error(err, path, ENOMEM);
        return MAAL_ERR_NOMEM;
    }
    for (;;) {
        if (n == cap) {
            if (cap > limit)
                break;
            cap *= 2;
            char *nb = in_arena ? maal_malloc(cap + 1) : maal_realloc(buf, cap + 1);
            if (nb && in_arena)
                memcpy(nb, buf, n);
            if (!nb) {
                if (!in_arena)
                    maal_free(buf);
                close(fd);
                sys_error(err, path, ENOMEM);
                return MAAL_ERR_NOMEM;
            }
            buf = nb;
            in_arena = false;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            if (!in_arena)
                maal_free(buf);
            close(fd);
            maal_error_set(err, path, 0, 0,
                           TR(lang, "kan ikke læse '%s': %s", "cannot read '%s': %s"), path,
                           maal_strerror(e, lang));
            return MAAL_ERR_IO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > limit || (sized && n == cap - 1))
            break;
    }
    close(fd);
    if (n > limit) {
        if (!in_arena)
            maal_free(buf);
        limit_error(err, path, limit, capped, lang);
        return MAAL_ERR_LIMIT;
    }
    buf[n] = '\0';
    if (a && !in_arena) {
        char *c = maal_arena_strndup(a, buf, n);
        maal_free(buf);
        if (!c) {
            sys_error(err, path, ENOMEM);
            return MAAL_ERR_NOMEM;
        }
        buf = c;
    }
    *out = buf;
    *len = n;
    return MAAL_OK;
}
