/* outlook: where a goal with a later target year is heading (check --outlook). */
#ifndef MAAL_OUTLOOK_H
#define MAAL_OUTLOOK_H

#include "eval.h"

/* A straight line through the values so far (least squares), carried to the target year. */
struct maal_outlook {
    int target_year;
    bool has_projected, has_interval;
    double projected, low, high; /* low-high: 95 % from the surveys' sampling error */
    int on_track;                /* 1 on track, 0 not, -1 undecided (JSON null) */
    const char *method;          /* "least_squares" or "least_squares_sampling" (static) */
    int points;                  /* values the line is drawn through */
    bool clamped;                /* the line left 0-100 % (a count: went below 0) by then */
    const struct maal_series *series; /* the series projected (borrowed), or NULL */
    int scope;                        /* its scope */
    int last_year;                    /* the line's last point: the chart's dashed line starts */
    double last_value;                /* there */
    char reason[200];            /* why on_track is undecided, or "" */
};

/* For a goal of the standard rules at_least, at_most, range (with by_year), approach_level
 * (with target_year) or annual_decrease/annual_increase (to the end of the period) whose target
 * year is after 'year': set r->outlook (owned by r; freed by maal_result_release). Other goals
 * get none. Returns MAAL_OK or MAAL_ERR_NOMEM. */
int maal_outlook_compute(const struct maal_partnership *p, int year, enum maal_lang lang,
                         struct maal_result *r);

#endif
