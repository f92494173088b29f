/* util: memory (with fault injection), arenas, string buffers, diagnostics and number text. */
#ifndef MAAL_UTIL_H
#define MAAL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common.h"

/* Every allocation in maal goes through these, so tests can fail the Nth one. */
void *maal_malloc(size_t n);
void *maal_calloc(size_t n, size_t size);
void *maal_realloc(void *p, size_t n);
void maal_free(void *p);
char *maal_strndup(const char *s, size_t n);
char *maal_strdup(const char *s);

/* An arena hands out memory that lives until maal_arena_release; alloc returns NULL on OOM. */
struct maal_arena {
    struct arena_block *head;
    size_t total;
    unsigned char *buf; /* the caller's memory, used first (maal_arena_init_buf) */
    size_t buf_used, buf_cap;
};
void maal_arena_init(struct maal_arena *a);
/* An arena that hands out 'buf' (size bytes, aligned for max_align_t: e.g. an array on the
 * stack) first: what fits there costs no malloc and no free; the rest goes to blocks of its
 * own. 'buf' must outlive the arena's use. */
void maal_arena_init_buf(struct maal_arena *a, void *buf, size_t size);
void *maal_arena_alloc(struct maal_arena *a, size_t n);
char *maal_arena_strndup(struct maal_arena *a, const char *s, size_t n);
void maal_arena_release(struct maal_arena *a);

/* A growable string; on OOM it sets 'oom' and ignores further appends. */
struct maal_buf {
    char *s;
    size_t len, cap;
    bool oom;
};
#define MAAL_BUF_INIT {NULL, 0, 0, false}
void maal_buf_add(struct maal_buf *b, const char *s, size_t n);
void maal_buf_puts(struct maal_buf *b, const char *s);
void maal_buf_putc(struct maal_buf *b, char c);
/* Text from data, rules or plugins on its way to a terminal, a log or a report: the one
 * definition of what may not pass as it is. maal_unsafe_char gives the length of the character
 * at s when it is a C0 control (line feed and tab too: callers that keep them look first), DEL,
 * a C1 control (U+0080-U+009F; U+009B is a CSI), a bidirectional embedding, override or
 * isolate (U+202A-U+202E, U+2066-U+2069; the marks LRM, RLM, ALM pass: they reorder nothing and
 * come with pasted text), a line or paragraph separator, U+FFFE or U+FFFF (not allowed in XML),
 * or 1 for a byte that does not start valid UTF-8; 0 when the character may pass. s must not
 * point at the final NUL. */
size_t maal_unsafe_char(const char *s);
/* The length of the character at s when maal_unsafe_char(s) is 0: loops that walk text copy a
 * safe character whole (its continuation bytes alone would read as invalid). */
size_t maal_char_len(const char *s);
/* Appends s with each unsafe character as one space (a line feed stays one when 'lines'), and
 * a line that would start with a GitHub workflow command ('::' or '##[', after blanks) gets a
 * space for the command's second character, so no line maal writes can start one by accident.
 * Where the first line starts is read from b: after a line feed and blanks, or at its start. */
void maal_buf_put_clean_ex(struct maal_buf *b, const char *s, bool lines);
/* maal_buf_put_clean_ex(b, s, false): one line */
void maal_buf_put_clean(struct maal_buf *b, const char *s);
/* a cleaned copy of s (the start is a line start), NULL when out of memory */
char *maal_clean_dup(const char *s, bool lines);
/* fprintf of whole lines whose arguments come from files (paths, names, test cases, rule
 * results): the formatted text is cleaned as maal_buf_put_clean_ex(.., true) before it is
 * written, so line feeds stay and nothing else of the class passes */
void maal_fprintf_clean(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void maal_buf_printf(struct maal_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void maal_buf_vprintf(struct maal_buf *b, const char *fmt, va_list ap);
const char *maal_buf_str(const struct maal_buf *b); /* never NULL */
void maal_buf_release(struct maal_buf *b);

/* Choose the Danish or English text. */
#define TR(lang, da, en) ((lang) == MAAL_LANG_EN ? (en) : (da))

/* Diagnostics: a growable list of located errors and warnings. */
void maal_diags_init(struct maal_diags *d);
void maal_diags_add(struct maal_diags *d, enum maal_severity sev, const char *file, int line,
                    int col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void maal_diags_release(struct maal_diags *d);
void maal_diags_print(const struct maal_diags *d, FILE *out, enum maal_lang lang);
size_t maal_diags_count(const struct maal_diags *d, enum maal_severity sev);
/* how many diagnostics past MAAL_DIAGS_MAX were only counted, as one line of text */
void maal_diags_dropped(struct maal_buf *b, const struct maal_diags *d, enum maal_lang lang);

void maal_error_set(struct maal_error *e, const char *file, int line, int col, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

/* An errno's text in 'lang' (strerror is English whatever the report language). */
const char *maal_strerror(int e, enum maal_lang lang);
/* What to print for 'e' in 'lang': a system error's text in that language, else e->msg. */
const char *maal_error_text(const struct maal_error *e, enum maal_lang lang);
/* 'e' as maal_diags_print writes an error: "file:line:col: fejl: text" (no ":line:col"
 * when the line is unknown), without allocating. */
void maal_error_print(const struct maal_error *e, FILE *out, enum maal_lang lang);

/* Edit distance, capped: returns cap+1 when larger. */
size_t maal_edit_distance(const char *a, const char *b, size_t cap);
/* The closest of 'cands' (NULL-terminated) to 's' within a small distance, or NULL. */
const char *maal_did_you_mean(const char *s, const char *const *cands);

/* Format a number the way people write it in 'lang': 1.970.000 and 24,8 in Danish.
 * 'decimals' < 0 means as few as needed (up to 2). From 10^15 on, the exponent form
 * (2e+48, 2,5e+20): never cut. Writes into 'out' (size >= 48). */
/* The decimal digits of u, at least 'min' of them (leading zeros), written to end
 * at 'end' (exclusive); their count. At most 20 digits and 'min'. */
size_t maal_digits(char *end, unsigned long long u, size_t min);
char *maal_fmt_number(char *out, size_t size, double v, int decimals, enum maal_lang lang);

/* Parse a whole string as a finite double or an integer; false if it is not one. */
bool maal_parse_double(const char *s, double *out);
bool maal_parse_int(const char *s, long *out);

/* Today (UTC) as YYYY-MM-DD in buf (size >= 11), for waiver expiry: SOURCE_DATE_EPOCH when it
 * is set (reproducible runs), else the clock. False, buf untouched, when that day is outside
 * the years 1900-9999 (or beyond gmtime's range). The command line and the engine both use it. */
bool maal_today(char *buf, size_t size);

/* An output written as it is produced, and made visible only when complete: a regular file
 * is spooled to an anonymous temporary file, copied at the end (commit) to a temporary file
 * beside it with the old file's mode (or 0666 & ~umask) and renamed over it, so a failed run
 * never destroys a previous report and an interrupted one leaves no file behind; "-" and
 * "/dev/stdout" are standard output; special files (/dev/full, a pipe, a terminal) are
 * written in place; a symbolic link to a regular file (or a dangling one) is refused: the
 * path is written as given, never a link's target. */
struct maal_out {
    FILE *f;
    bool spool; /* f is the spool of a regular file: a temporary file, or in memory */
    char *mem;  /* the memory spool (open_memstream) when there is no temporary folder */
    size_t memlen;
    char *path; /* the file to replace */
    bool is_stdout;
    int err; /* the first errno of a failed write */
};
int maal_out_open(struct maal_out *o, const char *path, struct maal_error *err);
void maal_out_write(struct maal_out *o, const char *data, size_t len);
/* Commit several outputs as one (-o FORMAT=FILE, repeated), in two phases: first every
 * regular file's text goes to a temporary file beside it (fsync'ed), the file it replaces is
 * kept as a backup (a hard link, or a copy where there are none), and standard output and
 * special files are flushed; only when all of that worked is each temporary file renamed
 * over its target. When a rename fails, the files already replaced get their old text back
 * (one that did not exist is removed). No temporary file or backup is left on any path (but
 * a backup whose putting back failed: it is then the only copy). Returns MAAL_OK, or
 * MAAL_ERR_IO with 'err' (its file the output that failed, whose index goes to *failed when
 * 'failed' is not NULL). Every output is closed either way. */
int maal_out_commit_all(struct maal_out *const *outs, size_t n, struct maal_error *err,
                        size_t *failed);
/* maal_out_commit_all of one output. */
int maal_out_commit(struct maal_out *o, struct maal_error *err);
void maal_out_abort(struct maal_out *o);
/* Tests only: the n-th rename of the commits from now on fails with EIO (0: none). */
void maal_out_fail_rename(int n);

/* A short, clean excerpt of text from a file, for an error message: control characters become
 * spaces, and more than MAAL_EXCERPT_CHARS characters are cut with '…'. Writes into 'out'
 * (size >= MAAL_EXCERPT_SIZE) and returns it. */
#define MAAL_EXCERPT_CHARS 60
#define MAAL_EXCERPT_SIZE (MAAL_EXCERPT_CHARS * 4 + 4)
char *maal_excerpt(char *out, size_t size, const char *s);

/* Is 'file' inside folder 'dir' once both are resolved (symbolic links followed)? A file a
 * folder names must not lead out of it. False when either does not exist. */
bool maal_path_inside(const char *dir, const char *file);
/* Is 'path' (= dir "/" entry) a regular file inside 'dir', links followed? As a stat for a
 * regular file and maal_path_inside, with one lstat when 'entry' has no '/' and is no link. */
bool maal_entry_inside(const char *dir, const char *path, const char *entry);

/* maal's installed folder 'sub' ("rules", "plugins"): PREFIX/share/maal/SUB found next to the
 * running program (its ../share/maal) or next to the libmaal.so it runs in, so that a program
 * that embeds a library installed with 'make install PREFIX=' finds that prefix's files,
 * whatever PREFIX the objects were compiled with. Written to buf; false when neither is a
 * folder. */
bool maal_share_dir(const char *sub, char *buf, size_t size);

/* Open 'path' to read it, never waiting: with O_NONBLOCK (plus 'flags'), so that a FIFO, or a
 * link to one, opens at once instead of hanging the run until someone writes to it. A
 * regular file is read as always. Without 'streams' only a regular file is taken: every file
 * that input names or a search finds (a table, a rule, a module, a plugin's file, a goal set,
 * a partnership.yaml). With it, a pipe or device is read too, blocking from here on (a path
 * the user named: 'maal check <(...)', '--compare <(git show ...)'; a FIFO nobody writes to
 * reads as empty). A folder is refused. Returns the descriptor with *st its fstat, or -1
 * with err set (errno kept from a failed open). */
struct stat;
int maal_open_read(const char *path, int flags, bool streams, struct stat *st,
                   struct maal_error *err, enum maal_lang lang);
/* Read a whole regular file (at most 'limit' bytes) opened with maal_open_read; the caller
 * frees *out with maal_free. */
int maal_read_file(const char *path, size_t limit, char **out, size_t *len,
                   struct maal_error *err, enum maal_lang lang);
/* The same for a file whose kind has a fixed cap (a rule, a module, a plugin's manifest or
 * reporter): a file over it is said to be over that cap, not sent to --max-input. */
int maal_read_capped(const char *path, size_t limit, char **out, size_t *len,
                     struct maal_error *err, enum maal_lang lang);
/* True when a path names a stream as such: /dev/stdin, /dev/fd/N or /proc/self/fd/N (what
 * 'maal check <(...)' passes). Only such a path may be a pipe or a device: a file in a folder
 * that is a link to one (data/x.yaml -> /proc/self/fd/1, maal's own output) is refused. */
bool maal_path_names_stream(const char *path);
/* The same for a path the user named (a previous result, whose cap is fixed): read as
 * maal_read_capped, and a pipe too when the path names a stream (maal_path_names_stream). */
int maal_read_named(const char *path, size_t limit, char **out, size_t *len,
                    struct maal_error *err, enum maal_lang lang);
/* The same from a file opened as 'path' (named in errors); closes fd. With an arena 'a',
 * *out is in it (the caller frees nothing); else the caller frees it with maal_free. */
int maal_read_fd(int fd, const char *path, size_t limit, struct maal_arena *a, char **out,
                 size_t *len, struct maal_error *err, enum maal_lang lang);
/* The same with the fstat of fd the caller has made ('st', not a folder): one system call
 * fewer per file. */
int maal_read_fd_stat(int fd, const struct stat *st, const char *path, size_t limit,
                      struct maal_arena *a, char **out, size_t *len, struct maal_error *err,
                      enum maal_lang lang);

/* Check UTF-8; on failure returns false and the 1-based line/column of the bad byte. */
bool maal_utf8_check(const char *s, size_t n, int *line, int *col);
/* The same, and *offset = the index of the first byte of the bad sequence (a NUL byte, a
 * stray continuation byte, or a lead byte whose sequence is cut, overlong or out of range). */
bool maal_utf8_find_bad(const char *s, size_t n, int *line, int *col, size_t *offset);

/* Fault injection for tests: fail allocation number n (1-based) and every one after; 0 = off. */
void maal_mem_fail_after(long n);
long maal_mem_count(void);
/* ... and call hook(n) at allocation n (the fault sweep records where each allocation is made);
 * NULL = off. */
void maal_mem_hook(void (*hook)(long n));

#endif
