/* model: the typed partnership model, built and validated from a YAML document. */
#ifndef MAAL_MODEL_H
#define MAAL_MODEL_H

#include "doc.h"
#include "index.h"

enum maal_scope { MAAL_SCOPE_AREA, MAAL_SCOPE_DISTRICT, MAAL_SCOPE_CITY, MAAL_NSCOPES };
enum maal_kind { MAAL_KIND_SURVEY, MAAL_KIND_CRIME, MAAL_KIND_OTHER, MAAL_NKINDS };
enum maal_unit {
    MAAL_UNIT_COUNT,
    MAAL_UNIT_PER_1000,
    MAAL_UNIT_PERCENT,
    MAAL_UNIT_KR,
    MAAL_UNIT_NUMBER,
};

extern const char *const maal_scope_names[];
extern const char *const maal_kind_names[];
extern const char *const maal_unit_names[];
/* A goal's 'group' (its section in the reports), in the reports' order; "andet" is the last
 * and the default. */
extern const char *const maal_group_order[];
#define MAAL_GROUP_OTHER 5

/* A number that came from the data, with its place. 'unknown' is '?' (not decided). A value
 * read from a CSV table has 'file' (line: the CSV row, col: the field, 1-based), 'what' (the
 * table and row label: "anmeldelser: Indbrud, ", one string for a binding's values) and
 * 'what_col' (the column header: "2021"); NULL for a value written in the YAML. */
struct maal_yearval {
    int year;
    double v;
    bool unknown;
    int line, col;
    const char *file, *what, *what_col;
};

struct maal_yearmap {
    struct maal_yearval *v; /* sorted by year */
    size_t n;
};

struct maal_signif {
    int scope;     /* enum maal_scope */
    int from, to;  /* a change between two years, or 0 */
    int year;      /* a difference area - scope in one year, or 0 */
    int significant;
    const char *note;
    int line, col;
};

struct maal_series {
    const char *id, *name, *source;
    enum maal_kind kind;
    enum maal_unit unit;
    struct maal_yearmap values[MAAL_NSCOPES];
    struct maal_yearmap samples[MAAL_NSCOPES];
    struct maal_signif *sig;
    size_t nsig;
    int line, col;
};

struct maal_criterion {
    const char *id, *text;
    enum maal_unit unit;
    bool has_unit;
    struct maal_yearmap values;
    bool has_target;
    double target;
    int by_year;
    const char *due, *done; /* YYYY-MM-DD or NULL */
    bool done_no;           /* 'done: no': known not to be done */
    int line, col, due_line, due_col, done_line, done_col;
};

struct maal_act_status {
    bool present;
    int year;
    const char *as_planned; /* yes | no | partly */
    const char *concerns;   /* NULL = none */
    const char *adjustments;
    const char *note;
    int line, col;
};

struct maal_activity {
    const char *id, *name, *focus_area, *note;
    long number;
    bool is_new, in_partner_share;
    const char **responsible;
    size_t nresponsible;
    const char **partners;
    size_t npartners;
    struct maal_yearmap financing;
    struct maal_act_status status; /* the latest year's (present = false: none) */
    struct maal_act_status *statuses; /* every year's, in file order ('status' as a list) */
    size_t nstatuses;
    struct maal_criterion *criteria;
    size_t ncriteria;
    int line, col;
    int start, end;  /* the years it runs (0: from/to the period); "(ny)" in a later plan */
    int start_line, start_col, end_line, end_col;
    size_t partner_count;          /* different names in responsible and partners */
    struct maal_index criteria_ix; /* criteria by id */
};

struct maal_goal {
    const char *id, *title, *group, *rule, *note;
    const char *file; /* where the goal is written: the partnership file, or an included goal set */
    const struct maal_node *params; /* mapping or NULL */
    int line, col, rule_line, rule_col;
};

/* A goal agreed to be excused until a date ("waivers:" in the data). */
struct maal_waiver {
    const char *goal, *reason, *agreed_by, *expires; /* expires: YYYY-MM-DD */
    bool covers_nodata; /* 'covers_nodata: true': it excuses missing data too, not only fail */
    int line, col;
};

struct maal_area_change {
    int year;
    const char *note;
    bool affects[MAAL_NKINDS];
    int line, col;
};

struct maal_partnership {
    struct maal_doc *doc; /* owns every string below (NULL when built from a borrowed node) */
    struct maal_doc **extra; /* included goal sets, owned */
    size_t nextra;
    const char *file;
    const char *id, *name, *area, *district, *source;
    int from, to;
    struct maal_area_change *changes;
    size_t nchanges;
    const char **partners;
    size_t npartners;
    struct maal_yearmap population, budget;
    int baseline[MAAL_NKINDS]; /* 0 = not given */
    int baseline_line[MAAL_NKINDS], baseline_col[MAAL_NKINDS];
    struct maal_series *series;
    size_t nseries;
    struct maal_activity *activities;
    size_t nactivities;
    struct maal_goal *goals;
    size_t ngoals;
    struct maal_waiver *waivers;
    size_t nwaivers;
    int latest_year; /* the latest year of any series or criterion value, else period.to */
    struct maal_index series_ix, activities_ix, waivers_ix; /* by id; waivers by goal */
};

/* Finds the file of a goal set named in 'include:' ("plugin/set"); writes its path to 'buf'
 * and returns it, or NULL when there is no such goal set. */
typedef const char *(*maal_goalset_fn)(void *ud, const char *name, char *buf, size_t size);

struct maal_load_opts {
    const struct maal_limits *limits;
    enum maal_lang lang;
    maal_goalset_fn goalset; /* NULL: 'include:' is an error */
    void *goalset_ud;
    /* the partnership file's identity when it was opened (a table may not be the file
     * itself); else it is looked up by its name when a table is read */
    bool self_known;
    unsigned long long self_dev, self_ino;
};

/* Like maal_partnership_load, with goal sets for 'include:'. */
int maal_partnership_load_opts(const char *path, const struct maal_load_opts *o,
                               struct maal_partnership **out, struct maal_diags *diags);
/* The same from 'path' opened as fd (closed here), whose fstat the caller has made ('st',
 * not a folder). */
struct stat;
int maal_partnership_load_fd(int fd, const struct stat *st, const char *path,
                             const struct maal_load_opts *o, struct maal_partnership **out,
                             struct maal_diags *diags);
/* Build a partnership from a mapping node of a document the caller keeps alive (test
 * fixtures); 'goals' may be absent. The result borrows the document. */
int maal_partnership_from_node(struct maal_doc *doc, const struct maal_node *root,
                               const struct maal_load_opts *o, struct maal_partnership **out,
                               struct maal_diags *diags);

/* Read, parse and validate one partnership file. Every problem found is added to 'diags'.
 * Returns MAAL_OK and *out, or MAAL_ERR_* with *out NULL (MAAL_ERR_INVALID: see diags).
 * Release *out with maal_partnership_free. */
int maal_partnership_load(const char *path, const struct maal_limits *lim, enum maal_lang lang,
                          struct maal_partnership **out, struct maal_diags *diags);
/* Like maal_partnership_parse, with goal sets for 'include:'. */
int maal_partnership_parse_opts(const char *file, const char *text, size_t len,
                                const struct maal_load_opts *o, struct maal_partnership **out,
                                struct maal_diags *diags);
/* The same from text in memory; 'file' names it in messages. */
int maal_partnership_parse(const char *file, const char *text, size_t len,
                           const struct maal_limits *lim, enum maal_lang lang,
                           struct maal_partnership **out, struct maal_diags *diags);
void maal_partnership_free(struct maal_partnership *p);

const struct maal_series *maal_series_find(const struct maal_partnership *p, const char *id);
const struct maal_activity *maal_activity_find(const struct maal_partnership *p, const char *id);
/* The waiver for a goal, or NULL. */
const struct maal_waiver *maal_waiver_find(const struct maal_partnership *p, const char *goal);
const struct maal_yearval *maal_yearmap_get(const struct maal_yearmap *m, int year);
/* Distinct organisations in responsible + partners. */
size_t maal_activity_partner_count(const struct maal_activity *a);

/* A place in the data that a result's numbers came from (a goal's sources). */
struct maal_source {
    int line, col;
    char *what;
    /* a CSV table's file (line: its row, col: its field); NULL: the data file. The model's
     * string, not a copy: a result is read while its partnership is (as its goal is) */
    const char *file;
};

#endif
