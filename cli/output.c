/* output: the reports of 'maal check': which outputs the options ask for, checking them
 * against the inputs, colour, and writing each file only when the run succeeds. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The same file, once both exist? */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* -o files are written as given: never a link's target, never an input (a data file, or the
 * --compare result), never the same file twice. Returns -1 to go on, else an exit code. */
static int check_outputs(const struct opts *o, const struct output *outs, size_t nouts, int n,
                         char **files)
{
    for (size_t k = 0; k < nouts; k++) {
        const char *p = outs[k].path;
        struct stat st;
        if (!strcmp(p, "-") || !strcmp(p, "/dev/stdout") ||
            (stat(p, &st) == 0 && !S_ISREG(st.st_mode)))
            continue; /* standard output and special files (/dev/null, a FIFO) */
        if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
            return usage_error(o->lang, TR(o->lang, "-o '%s' er et symbolsk link: maal erstatter "
                                           "ikke et links mål; fjern linket eller vælg en anden "
                                           "fil",
                                           "-o '%s' is a symbolic link: maal does not replace a "
                                           "link's target; remove the link or choose another file"),
                               p);
        for (size_t q = 0; q < k; q++)
            if (!strcmp(p, outs[q].path) || same_file(p, outs[q].path))
                return usage_error(o->lang, TR(o->lang, "-o '%s' er givet to gange",
                                               "-o '%s' is given twice"), p);
        char buf[4096];
        bool input = o->compare && same_file(p, o->compare);
        for (int i = 0; i < n && !input; i++)
            input = same_file(p, files[i]) || same_file(p, data_path(files[i], buf, sizeof(buf)));
        if (input)
            return usage_error(o->lang, TR(o->lang, "-o '%s' er en af inddatafilerne; den ville "
                                           "blive overskrevet med en rapport",
                                           "-o '%s' is one of the input files; it would be "
                                           "overwritten with a report"), p);
    }
    return -1;
}

/* -o FILE without --format: the format from the file's extension (status.html is HTML);
 * .csv when a plugin has a 'csv' reporter; anything else stays text. */
static const char *format_of_path(struct opts *o, const char *path, char *buf, size_t size)
{
    static const char *const ext[][2] = {{".html", "html"}, {".htm", "html"},
                                         {".md", "markdown"}, {".markdown", "markdown"},
                                         {".json", "json"}, {".xml", "junit"}, {".tap", "tap"},
                                         {".xlsx", "xlsx"}};
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return "text";
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
        if (!strcasecmp(dot, ext[i][0]))
            return ext[i][1];
    char lua[4096];
    for (size_t i = 0; dot[1] && strlen(dot + 1) < 32 && i < o->plugins.n; i++) {
        snprintf(buf, size, "%s/%s", o->plugins.v[i].name, dot + 1);
        if (maal_plugins_reporter(&o->plugins, buf, lua, sizeof(lua)))
            return buf;
    }
    return "text";
}

/* -o FORMAT=FILE, -o FILE (the format from --format or the file's extension), or standard
 * output in the --format. -1 to go on, else an exit code. */
static int parse_outputs(struct outputs *os, struct opts *o)
{
    const char *deffmt = o->format ? o->format : "text";
    for (size_t i = 0; i < o->noutputs && os->n < MAX_OUTPUTS; i++) {
        struct output *x = &os->v[os->n];
        const char *eq = strchr(o->outputs[i], '=');
        char fmt[160];
        memset(x, 0, sizeof(*x));
        x->path = o->outputs[i];
        x->fmt = deffmt;
        if (eq && (size_t)(eq - o->outputs[i]) < sizeof(fmt)) {
            snprintf(fmt, sizeof(fmt), "%.*s", (int)(eq - o->outputs[i]), o->outputs[i]);
            char buf[4096];
            if (maal_reporter_find(fmt) ||
                (strchr(fmt, '/') && maal_plugins_reporter(&o->plugins, fmt, buf, sizeof(buf)))) {
                x->fmt = o->outputs[i]; /* "FORMAT=FILE": the format is before '=' */
                x->fmtlen = (size_t)(eq - o->outputs[i]);
                x->path = eq + 1;
            } else if (strspn(fmt, "abcdefghijklmnopqrstuvwxyz") == strlen(fmt)) {
                return usage_error(o->lang, TR(o->lang, "ukendt format '%s' i -o FORMAT=FIL",
                                               "unknown format '%s' in -o FORMAT=FILE"),
                                   fmt);
            }
        }
        if (x->path == o->outputs[i] && !o->format)
            x->fmt = format_of_path(o, x->path, x->fmtbuf, sizeof(x->fmtbuf));
        os->n++;
    }
    if (os->n == 0) {
        memset(&os->v[0], 0, sizeof(os->v[0]));
        os->v[0].fmt = deffmt;
        os->v[0].path = "-";
        os->n = 1;
    }
    return -1;
}

/* Each output's reporter: a built-in one or a plugin's. -1 to go on, else an exit code. */
static int find_reporters(struct outputs *os, struct opts *o, const struct maal_backstop *bs)
{
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        char fmt[160];
        size_t fl = x->fmtlen ? x->fmtlen : strlen(x->fmt);
        snprintf(fmt, sizeof(fmt), "%.*s", (int)fl, x->fmt);
        x->rep = maal_reporter_find(fmt);
        x->lua_path[0] = '\0';
        if (!x->rep && strchr(fmt, '/') &&
            maal_plugins_reporter(&o->plugins, fmt, x->lua_path, sizeof(x->lua_path)))
            x->rep = &maal_reporter_lua;
        if (!x->rep)
            return usage_error(o->lang, TR(o->lang, "ukendt format '%s' (text, json, junit, tap, "
                                           "markdown, html, github eller plugin/rapport)",
                                           "unknown format '%s' (text, json, junit, tap, markdown, "
                                           "html, github or plugin/reporter)"),
                               fmt);
        /* a workbook is binary: not to a terminal (like gzip); a pipe or a file is fine */
        if (x->rep == &maal_reporter_xlsx && !strcmp(x->path, "-") &&
            (bs ? bs->stdout_tty : isatty(STDOUT_FILENO)))
            return usage_error(o->lang, "%s",
                               TR(o->lang, "xlsx er et binært format og skrives ikke til en "
                                           "terminal: brug -o FIL.xlsx (eller send standard-"
                                           "output videre til en fil)",
                                  "xlsx is a binary format and is not written to a terminal: "
                                  "use -o FILE.xlsx (or redirect standard output to a file)"));
    }
    return -1;
}

int outputs_prepare(struct outputs *os, struct opts *o, int n, char **files,
                    const struct maal_backstop *bs)
{
    int rc = parse_outputs(os, o);
    if (rc < 0)
        rc = find_reporters(os, o, bs);
    if (rc < 0)
        rc = check_outputs(o, os->v, os->n, n, files);
    return rc;
}

int outputs_open(struct outputs *os, const struct opts *o, bool to_tty)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        memset(&x->rp, 0, sizeof(x->rp));
        x->rp.lang = o->lang;
        x->rp.verbose = o->verbose;
        x->rp.lua_path = x->lua_path;
        x->rp.limits = &o->limits;
        x->rp.annotate = o->annotate;
        struct maal_error e;
        if (maal_out_open(&x->sink, x->path, &e) != MAAL_OK) {
            fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(o->lang, "fejl", "error"),
                    TR(o->lang, "kan ikke skrive", "cannot write"), x->path,
                    maal_error_text(&e, o->lang));
            return MAAL_EXIT_INVALID;
        }
        x->open = true;
        bool stdout_out = !strcmp(x->path, "-");
        x->rp.color = strcmp(x->rep->name, "text") == 0 &&
                      (o->color == 1 || (o->color == -1 && stdout_out && to_tty && !(nc && *nc) &&
                                         !(term && !strcmp(term, "dumb"))));
        x->rep->begin(&x->rp);
        x->begun = true;
    }
    return -1;
}

/* What is done goes out now: memory does not grow with the files. */
static void flush(struct output *x)
{
    if (!x->rp.out.oom) {
        maal_out_write(&x->sink, x->rp.out.s ? x->rp.out.s : "", x->rp.out.len);
        x->rp.out.len = 0;
    }
}

void outputs_github(struct outputs *os, const struct maal_buf *gh)
{
    for (size_t k = 0; k < os->n && gh->len; k++)
        if (os->v[k].rep == &maal_reporter_github) {
            maal_buf_add(&os->v[k].rp.out, gh->s, gh->len);
            flush(&os->v[k]);
        }
}

void outputs_partnership(struct outputs *os, const struct maal_presults *pr)
{
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        x->rp.npartnerships++;
        for (int v = 0; v < MAAL_NVERDICTS; v++)
            x->rp.totals[v] += pr->counts[v];
        x->rep->partnership(&x->rp, pr);
        flush(x);
    }
}

bool outputs_finish(struct outputs *os, const struct opts *o, const struct maal_changes *changes,
                    bool invalid)
{
    /* every report is ended before any file is replaced: a reporter that fails leaves every
     * previous file as it was, not only those after it */
    bool failed[MAX_OUTPUTS] = {false}, any = false;
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        x->rp.changes = changes;
        x->rep->end(&x->rp);
        x->begun = false;
        const char *why = maal_report_error(&x->rp);
        if (why)
            fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(o->lang, "fejl", "error"),
                    TR(o->lang, "rapporten", "the reporter"),
                    x->lua_path[0] ? x->lua_path : x->rep->name, why);
        else if (x->rp.out.oom)
            fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"),
                    maal_strerror(ENOMEM, o->lang));
        failed[k] = why || x->rp.out.oom;
        any = any || failed[k];
    }
    bool bad = invalid, unwritten = false;
    struct maal_out *sinks[MAX_OUTPUTS];
    size_t which[MAX_OUTPUTS], n = 0;
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        bad = bad || failed[k];
        /* a run with invalid input (exit 2) writes no file: a previous report stays; what
         * went to standard output is already there, and its end follows as far as it got */
        if (!bad && !(x->sink.spool && any)) {
            maal_out_write(&x->sink, x->rp.out.s ? x->rp.out.s : "", x->rp.out.len);
            sinks[n] = &x->sink;
            which[n++] = k;
        } else if (x->open) {
            maal_out_abort(&x->sink);
        }
        x->open = false;
        maal_buf_release(&x->rp.out);
        maal_diags_release(&x->rp.diags);
    }
    /* the files are replaced together: all of them, or (a rename failed) none */
    struct maal_error e;
    size_t at;
    if (n && maal_out_commit_all(sinks, n, &e, &at) != MAAL_OK) {
        fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(o->lang, "fejl", "error"),
                TR(o->lang, "kan ikke skrive", "cannot write"), os->v[which[at]].path,
                maal_error_text(&e, o->lang));
        unwritten = true;
    }
    return any || unwritten;
}

void outputs_release(struct outputs *os)
{
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        if (x->begun)
            x->rep->end(&x->rp); /* the reporter's own state goes; its text is dropped */
        x->begun = false;
        maal_buf_release(&x->rp.out);
        maal_diags_release(&x->rp.diags);
        if (x->open)
            maal_out_abort(&x->sink);
        x->open = false;
    }
    os->n = 0;
}
