/* results: decoding what a rule returns into a struct maal_result, and the reason given when
 * it fails. Internal to libmaal. Decoding uses raw access only: no rule code runs. */
#ifndef MAAL_RESULTS_H
#define MAAL_RESULTS_H

#include <lua.h>

#include "eval.h"
#include "sandbox.h"

/* The result table at 't' into 'r'. False when it does not fit: then r is the verdict 'error'
 * and its message the reason (maal_result_error), in 'lang'. */
bool maal_decode_result(lua_State *L, int t, enum maal_lang lang, struct maal_result *r);
/* The sources the rule read (the host's 'sources' at 'host') into r->sources. */
void maal_read_sources(lua_State *L, int host, struct maal_result *r);
/* The verdict 'error' with this reason (cleaned: it may quote what a rule returned). */
void maal_result_error(struct maal_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The reason a run failed: time, memory, or the message on top of L (Danish in Danish
 * output), with the rule's own frames of the traceback in r->trace. */
void maal_result_reason(struct run *run, int status, lua_State *L, struct maal_result *r);
/* Text from a rule for a report: at most 'max' bytes, no control characters; NULL: memory. */
char *maal_clean_text(const char *s, size_t max);
/* The same, keeping line breaks. */
char *maal_clean_lines(const char *s, size_t max);
/* The first line of an error message or traceback (owned). */
char *maal_first_line(const char *s);

#endif
