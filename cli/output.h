/* output: the reports of 'maal check': -o FORMAT=FILE and --format, each a report stream
 * (maal_report_begin) writing to a file that is replaced only when the run succeeds, and
 * colour on a terminal. */
#ifndef MAAL_OUTPUT_H
#define MAAL_OUTPUT_H

#include "backstop.h"
#include "cli.h"

#define MAX_OUTPUTS 16 /* parse_opts refuses more -o */

struct output {
    maal_output *sink;       /* written after each partnership, committed at the end */
    maal_report_stream *rs;  /* the report begun: ended (or dropped) at the end */
    const char *fmt;
    size_t fmtlen;
    char name[160];   /* the format's name */
    char fmtbuf[160]; /* a plugin reporter's name taken from the file's extension */
    const char *path;
};

/* Zero-initialised ({0}) is an empty set that outputs_release() accepts. */
struct outputs {
    struct output v[MAX_OUTPUTS];
    size_t n;
};

/* The outputs the options ask for (standard output in text without any), each with its
 * format, checked against the input files. -1 to go on, else an exit code (a usage error
 * was printed). */
int outputs_prepare(struct outputs *os, struct opts *o, maal_engine *e, int n, char **files,
                    const struct maal_backstop *bs);
/* Opens each output and begins its report (in colour for text on a terminal, 'to_tty' being
 * what standard output is). -1 to go on, else an exit code (the error was printed). */
int outputs_open(struct outputs *os, const struct opts *o, maal_engine *e, bool to_tty);
/* A file's problems, to each report that shows them (github: annotations). */
void outputs_problems(struct outputs *os, const maal_diags *d);
/* A partnership's part of each output's report (maal_report_format_part, parts[k] for
 * output k), added in order; each is taken (set to NULL). */
void outputs_parts(struct outputs *os, maal_report_part **parts);
/* Ends each report (with what changed since 'prev', or NULL) and, when the run is valid,
 * replaces the files, all together or none (maal_output_commit_all). True when something went
 * wrong (said on stderr): the run is then invalid. */
bool outputs_finish(struct outputs *os, const struct opts *o, const maal_previous *prev,
                    bool invalid);
/* Ends what was begun and drops every file not committed: a previous report stays. */
void outputs_release(struct outputs *os);

#endif
