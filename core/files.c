/* files: the -o outputs (written as given, spooled, replaced atomically at commit), reading a
 * whole file under a size limit, and whether a file lies inside a folder. */
#define _GNU_SOURCE /* dladdr */
#include "util.h"

#include <dlfcn.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

void maal_out_write(struct maal_out *o, const char *data, size_t len)
{
    if (!o->f || o->err || len == 0)
        return;
    if (fwrite(data, 1, len, o->f) != len)
        o->err = errno ? errno : EIO;
}

/* Copy the spool into a new file beside the target, with the mode the target had (or
 * 0666 & ~umask for a new one), and rename it over the target. SIGINT, SIGTERM and SIGHUP
 * wait until the temporary file is renamed or removed. Returns 0 or an errno. */
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

static int spool_commit(FILE *spool, const char *mem, size_t memlen, const char *path)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    struct stat st;
    mode_t mode;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        mode = st.st_mode & 07777;
    } else {
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    size_t plen = strlen(path);
    char *tmp = maal_malloc(plen + 16);
    int e = 0, fd = -1;
    if (!tmp)
        e = ENOMEM;
    else {
        snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
        if ((fd = mkstemp(tmp)) < 0)
            e = errno;
    }
    if (!e && fchmod(fd, mode) != 0)
        e = errno;
    if (!e && mem) {
        e = write_all(fd, mem, memlen);
    } else if (!e) {
        if (fseek(spool, 0, SEEK_SET) != 0)
            e = errno;
        char buf[65536];
        size_t n;
        while (!e && (n = fread(buf, 1, sizeof(buf), spool)) > 0)
            e = write_all(fd, buf, n);
        if (!e && ferror(spool))
            e = EIO;
    }
    if (!e && fsync(fd) != 0 && errno != EINVAL)
        e = errno;
    if (fd >= 0 && close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e && fd >= 0)
        unlink(tmp);
    maal_free(tmp);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return e;
}

int maal_out_commit(struct maal_out *o, struct maal_error *err)
{
    int e = o->err;
    if (!o->f)
        return MAAL_ERR_IO;
    if (fflush(o->f) != 0 && !e)
        e = errno;
    if (o->spool && !e)
        e = spool_commit(o->f, o->mem, o->memlen, o->path);
    if (!o->is_stdout && fclose(o->f) != 0 && !e)
        e = errno;
    o->f = NULL;
    free(o->mem); /* open_memstream's buffer: the C library's */
    o->mem = NULL;
    if (e)
        sys_error(err, o->path ? o->path : "-", e);
    maal_free(o->path);
    o->path = NULL;
    return e ? MAAL_ERR_IO : MAAL_OK;
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

int maal_read_file(const char *path, size_t limit, char **out, size_t *len,
                   struct maal_error *err, enum maal_lang lang)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        maal_error_set(err, path, 0, 0, TR(lang, "kan ikke åbne '%s': %s", "cannot open '%s': %s"),
                       path, maal_strerror(errno, lang));
        return MAAL_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        maal_error_set(err, path, 0, 0,
                       TR(lang, "kan ikke læse '%s': er en mappe uden partnership.yaml, forventede "
                                "en fil",
                          "cannot read '%s': is a directory without partnership.yaml, expected a "
                          "file"),
                       path);
        close(fd);
        return MAAL_ERR_IO;
    }
    size_t cap = 65536, n = 0;
    char *buf = maal_malloc(cap + 1);
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
            char *nb = maal_realloc(buf, cap + 1);
            if (!nb) {
                maal_free(buf);
                close(fd);
                sys_error(err, path, ENOMEM);
                return MAAL_ERR_NOMEM;
            }
            buf = nb;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
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
        if (n > limit)
            break;
    }
    close(fd);
    if (n > limit) {
        maal_free(buf);
        maal_error_set(err, path, 0, 0,
                       TR(lang, "filen er større end grænsen på %zu byte (se --max-input)",
                          "file is larger than the limit of %zu bytes (see --max-input)"),
                       limit);
        return MAAL_ERR_LIMIT;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return MAAL_OK;
}
