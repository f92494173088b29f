/* output: the reports of 'maal check': -o FORMAT=FILE and --format, each a reporter writing
 * to a file that is replaced only when the run succeeds, and colour on a terminal. */
#ifndef MAAL_OUTPUT_H
#define MAAL_OUTPUT_H

#include "backstop.h"
#include "cli.h"
#include "compare.h"
#include "report.h"

#define MAX_OUTPUTS 16 /* parse_opts refuses more -o */

struct output {
    struct maal_out sink; /* written after each partnership, committed at the end */
    bool open;            /* sink is open: committed or aborted at the end */
    bool begun;           /* rep->begin() ran: rep->end() is still to run */
    const struct maal_reporter *rep;
    const char *fmt;
    size_t fmtlen;
    char lua_path[4096];
    char fmtbuf[160]; /* a plugin reporter's name taken from the file's extension */
    const char *path;
    struct maal_report rp;
};

/* Zero-initialised ({0}) is an empty set that outputs_release() accepts. */
struct outputs {
    struct output v[MAX_OUTPUTS];
    size_t n;
};

/* The outputs the options ask for (standard output in text without any), each with its
 * reporter, checked against the input files. -1 to go on, else an exit code (a usage error
 * was printed). */
int outputs_prepare(struct outputs *os, struct opts *o, int n, char **files,
                    const struct maal_backstop *bs);
/* Opens each output and begins its report (in colour for text on a terminal, 'to_tty' being
 * what standard output is). -1 to go on, else an exit code (the error was printed). */
int outputs_open(struct outputs *os, const struct opts *o, bool to_tty);
/* GitHub annotations of a file's problems, to each github output. */
void outputs_github(struct outputs *os, const struct maal_buf *gh);
/* A partnership's results, to every output. */
void outputs_partnership(struct outputs *os, const struct maal_presults *pr);
/* Ends each report and, when the run is valid, replaces the files, all together or none
 * (maal_out_commit_all). True when something went wrong (said on stderr): the run is then
 * invalid. */
bool outputs_finish(struct outputs *os, const struct opts *o, const struct maal_changes *changes,
                    bool invalid);
/* Ends what was begun and drops every file not committed: a previous report stays. */
void outputs_release(struct outputs *os);

#endif
