/* output: the reports of 'maal check': which outputs the options ask for, checking them
 * against the inputs, colour, and writing the files only when the run succeeds. */
#include "output.h"

#include <fcntl.h>
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

/* -o FORMAT=FILE, -o FILE (the format from --format or the file's extension), or standard
 * output in the --format. -1 to go on, else an exit code. */
static int parse_outputs(struct outputs *os, struct opts *o, maal_engine *e)
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
            if (maal_report_known(e, fmt)) {
                x->fmt = o->outputs[i]; /* "FORMAT=FILE": the format is before '=' */
                x->fmtlen = (size_t)(eq - o->outputs[i]);
                x->path = eq + 1;
            } else if (strspn(fmt, "abcdefghijklmnopqrstuvwxyz") == strlen(fmt)) {
                return unknown_format(o->lang, fmt);
            }
        }
        if (x->path == o->outputs[i] && !o->format)
            x->fmt = maal_report_format_of_path(e, x->path, x->fmtbuf, sizeof(x->fmtbuf));
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

/* Whether -o PATH is a terminal: standard output ('-', /dev/stdout) when it is one, or a
 * terminal named by its device (/dev/tty, /dev/pts/N). */
static bool to_terminal(const char *path, const struct maal_backstop *bs)
{
    if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout"))
        return bs ? bs->stdout_tty : isatty(STDOUT_FILENO);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return false;
    int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    bool tty = fd >= 0 && isatty(fd);
    if (fd >= 0)
        close(fd);
    return tty;
}

/* Each output's format: a built-in one or a plugin's. -1 to go on, else an exit code. */
static int find_reporters(struct outputs *os, struct opts *o, maal_engine *e,
                          const struct maal_backstop *bs)
{
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        size_t fl = x->fmtlen ? x->fmtlen : strlen(x->fmt);
        snprintf(x->name, sizeof(x->name), "%.*s", (int)fl, x->fmt);
        if (!maal_report_known(e, x->name))
            return unknown_format(o->lang, x->name);
        /* a workbook is binary: not to a terminal (like gzip); a pipe or a file is fine */
        if (!strcmp(x->name, "xlsx") && to_terminal(x->path, bs))
            return usage_error(o->lang, "%s",
                               TR(o->lang, "xlsx er et binært format og skrives ikke til en "
                                           "terminal: brug -o FIL.xlsx (eller send standard-"
                                           "output videre til en fil)",
                                  "xlsx is a binary format and is not written to a terminal: "
                                  "use -o FILE.xlsx (or redirect standard output to a file)"));
    }
    return -1;
}

int outputs_prepare(struct outputs *os, struct opts *o, maal_engine *e, int n, char **files,
                    const struct maal_backstop *bs)
{
    int rc = parse_outputs(os, o, e);
    if (rc < 0)
        rc = find_reporters(os, o, e, bs);
    if (rc < 0)
        rc = check_outputs(o, os->v, os->n, n, files);
    return rc;
}

int outputs_open(struct outputs *os, const struct opts *o, maal_engine *e, bool to_tty)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        maal_diags *d = maal_diags_new();
        int rc = d ? maal_output_open(x->path, o->lang, &x->sink, d) : MAAL_ERR_NOMEM;
        if (rc != MAAL_OK) {
            cannot_write(o->lang, x->path, d);
            maal_diags_free(d);
            return MAAL_EXIT_INVALID;
        }
        bool stdout_out = !strcmp(x->path, "-");
        struct maal_report_opts ro = {
            .verbose = o->verbose, .annotate = o->annotate,
            .color = strcmp(x->name, "text") == 0 &&
                     (o->color == 1 || (o->color == -1 && stdout_out && to_tty && !(nc && *nc) &&
                                        !(term && !strcmp(term, "dumb"))))};
        rc = maal_report_begin(e, x->name, &ro, &x->rs, d);
        maal_diags_free(d);
        if (rc != MAAL_OK) {
            out_of_memory(o->lang); /* the format was known: only memory can fail */
            return MAAL_EXIT_INVALID;
        }
    }
    return -1;
}

/* What is done goes out now: memory does not grow with the files. */
static void flush(struct output *x)
{
    size_t len;
    const char *text = maal_report_take(x->rs, &len);
    if (text)
        maal_output_write(x->sink, text, len);
}

void outputs_problems(struct outputs *os, const maal_diags *d)
{
    for (size_t k = 0; k < os->n && d && maal_diags_size(d); k++)
        if (!strcmp(os->v[k].name, "github")) {
            maal_report_add_problems(os->v[k].rs, d);
            flush(&os->v[k]);
        }
}

void outputs_parts(struct outputs *os, maal_report_part **parts)
{
    for (size_t k = 0; k < os->n; k++) {
        maal_report_add_part(os->v[k].rs, parts[k]);
        parts[k] = NULL;
        flush(&os->v[k]);
    }
}

bool outputs_finish(struct outputs *os, const struct opts *o, const maal_previous *prev,
                    bool invalid)
{
    /* every report is ended before any file is replaced: a reporter that fails leaves every
     * previous file as it was, not only those after it */
    bool failed[MAX_OUTPUTS] = {false}, any = false;
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        maal_diags *d = maal_diags_new();
        int rc = d ? maal_report_end(x->rs, prev, d) : MAAL_ERR_NOMEM;
        const char *file = NULL, *why = NULL;
        if (rc == MAAL_ERR_INVALID)
            maal_diags_get(d, 0, NULL, &file, NULL, NULL, &why);
        if (why)
            fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(o->lang, "fejl", "error"),
                    TR(o->lang, "rapporten", "the reporter"), file && *file ? file : x->name,
                    why);
        else if (rc != MAAL_OK)
            out_of_memory(o->lang);
        maal_diags_free(d);
        failed[k] = rc != MAAL_OK;
        any = any || failed[k];
    }
    bool bad = invalid, unwritten = false;
    maal_output *sinks[MAX_OUTPUTS];
    size_t which[MAX_OUTPUTS], n = 0;
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        bad = bad || failed[k];
        /* a run with invalid input (exit 2) writes no file: a previous report stays; what
         * went to standard output is already there, and its end follows, so the report of
         * the files that could be checked is a whole document (JSON that parses, a TAP plan
         * that holds) next to the errors on standard error */
        if (!bad && !(maal_output_replaces(x->sink) && any)) {
            flush(x);
            sinks[n] = x->sink;
            which[n++] = k;
        } else {
            if (!maal_output_replaces(x->sink) && !failed[k])
                flush(x);
            maal_output_abort(x->sink);
        }
        x->sink = NULL;
        maal_report_free(x->rs);
        x->rs = NULL;
    }
    /* the files are replaced together: all of them, or (a rename failed) none */
    maal_diags *d = maal_diags_new();
    size_t at;
    if (n && maal_output_commit_all(sinks, n, o->lang, d, &at) != MAAL_OK) {
        cannot_write(o->lang, os->v[which[at]].path, d);
        unwritten = true;
    }
    maal_diags_free(d);
    return any || unwritten;
}

void outputs_release(struct outputs *os)
{
    for (size_t k = 0; k < os->n; k++) {
        struct output *x = &os->v[k];
        maal_report_free(x->rs); /* the reporter's own state goes; its text is dropped */
        x->rs = NULL;
        maal_output_abort(x->sink);
        x->sink = NULL;
    }
    os->n = 0;
}
