/* history: each goal judged for every year up to the evaluated one (check --history). */
#ifndef MAAL_HISTORY_H
#define MAAL_HISTORY_H

#include "eval.h"

/* The first year a history starts: the period's start, or the first year with a figure in the
 * file when that is later; never after 'year'. */
int maal_history_start(const struct maal_partnership *p, int year);

/* Judge goal 'r->goal' once for each year from maal_history_start to 'year' - 1, each exactly
 * as a check with --year Y would (o->year is set to Y for each), and set r->history to those
 * years followed by r itself (the evaluated year). Returns MAAL_OK or MAAL_ERR_NOMEM. */
int maal_eval_history(const struct maal_eval_opts *o, const struct maal_partnership *p, int year,
                      struct maal_result *r);

#endif
