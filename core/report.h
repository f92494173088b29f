/* report: results -> text, json, junit, tap, markdown, html. One table of functions each. */
#ifndef MAAL_REPORT_H
#define MAAL_REPORT_H

#include "compare.h"
#include "eval.h"

struct maal_presults {
    const struct maal_partnership *p;
    struct maal_result *r;
    size_t n;
    size_t counts[MAAL_NVERDICTS];
    int year; /* --year, or the file's latest year */
};

struct maal_report {
    enum maal_lang lang;
    bool color;
    bool verbose;
    struct maal_buf out; /* everything is written here, then to the file atomically */
    size_t totals[MAAL_NVERDICTS];
    size_t npartnerships;
    void *state; /* the reporter's own */
    const struct maal_changes *changes; /* --compare: set before end(), else NULL */
    const char *lua_path;               /* a plugin reporter's Lua file (report_lua.c) */
    const struct maal_limits *limits;
    /* why the report could not be made (end() adds it through maal_report_fail, a Lua
     * reporter through maal_eval_reporter); the owner releases it with maal_diags_release */
    struct maal_diags diags;
    /* github with --compare: MAAL_ANNOTATE_CHANGED (default) annotates what changed as
     * error/warning and older failures as notices; _ONLY_CHANGED leaves older failures out;
     * _ALL annotates every failure as without --compare */
    int annotate; /* enum maal_annotate (maal.h) */
};

/* The report cannot be made: an error located at the reporter's Lua file (or "" for a
 * built-in reporter); out of memory for the message, rp->out.oom is set instead. */
void maal_report_fail(struct maal_report *rp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The first error maal_report_fail recorded, or NULL when there is none. */
const char *maal_report_error(const struct maal_report *rp);

/* Data errors and warnings as GitHub annotations (::error file=,line=,col=::...). */
void maal_github_diags(struct maal_buf *b, const struct maal_diags *d, enum maal_lang lang);

/* One partnership's part of a report: made by a reporter's part() from the results and the
 * report's options alone, on any thread, and added in the report's order on its own thread
 * (maal_part_apply), which fills in what only the order tells: the separator before every
 * partnership but the first, and the numbers at the marks (TAP's running test number, the
 * HTML section's ordinal). What end() needs across partnerships is the reporter's side data,
 * computed with the text. */
struct maal_part {
    struct maal_buf text;
    size_t *marks, nmarks, cap; /* offsets into text where a number goes, ascending */
    const char *sep;            /* put before the text unless it is the first partnership */
    void *side;                 /* the reporter's own, released by side_free */
    void (*side_free)(void *side);
};

/* A number goes at the end of the text as it is now. */
void maal_part_mark(struct maal_part *pt);
/* Each 'marker' byte in the text becomes a mark (the byte taken out). The marker is a control
 * byte that the reporter's escaping never lets data write. */
void maal_part_marks_at(struct maal_part *pt, char marker);
/* The text to 'b' with first + k * step at mark k. */
void maal_part_put(struct maal_buf *b, const struct maal_part *pt, size_t first, size_t step);
void maal_part_release(struct maal_part *pt);

struct maal_reporter {
    const char *name;
    void (*begin)(struct maal_report *rp);
    void (*partnership)(struct maal_report *rp, const struct maal_presults *pr);
    void (*end)(struct maal_report *rp);
    /* One partnership rendered into 'pt', reading only rp's options (lang, color, verbose,
     * annotate): safe from several threads at once. NULL: the reporter renders on the
     * report's thread only (xlsx, a plugin's Lua reporter), through partnership(). */
    void (*part)(const struct maal_report *rp, const struct maal_presults *pr,
                 struct maal_part *pt);
    /* A part added in order, rp->npartnerships already counting it. NULL: the separator
     * (not before the first) and the text to rp->out, the partnership's ordinal at each
     * mark. */
    void (*add_part)(struct maal_report *rp, struct maal_part *pt);
};

/* A part added to rp in order (by rep->add_part, or the default above). */
void maal_part_apply(const struct maal_reporter *rep, struct maal_report *rp,
                     struct maal_part *pt);
/* A reporter's partnership() when it has part(): the part made and added at once. */
void maal_part_now(const struct maal_reporter *rep, struct maal_report *rp,
                   const struct maal_presults *pr);

extern const struct maal_reporter maal_reporter_text, maal_reporter_json, maal_reporter_junit,
    maal_reporter_tap, maal_reporter_markdown, maal_reporter_github;
extern const struct maal_reporter maal_reporter_html;
/* An Excel workbook (binary): rp->out holds its bytes after end(). */
extern const struct maal_reporter maal_reporter_xlsx;

/* A plugin's Lua reporter: set rp->lua_path and rp->limits before begin(). */
extern const struct maal_reporter maal_reporter_lua;

/* NULL when unknown. */
const struct maal_reporter *maal_reporter_find(const char *name);

/* Shared helpers for reporters. */
/* Release a scratch buffer 't' whose text went into 'b': running out of memory in it is
 * running out of memory in 'b' (the report then fails, never a value silently left out). */
static inline void maal_scratch_release(struct maal_buf *b, struct maal_buf *t)
{
    if (t->oom)
        b->oom = true;
    maal_buf_release(t);
}
/* JSON text as jansson's json_dumps writes it (report_json.c): a string (escaped) and a real
 * (JSON_REAL_PRECISION(15)); false, with nothing written, for what jansson refuses (a string
 * that is not valid UTF-8, a real that is not finite). */
bool maal_json_put_string(struct maal_buf *b, const char *s);
bool maal_json_put_real(struct maal_buf *b, double v);
const char *maal_verdict_word(enum maal_verdict v, enum maal_lang lang);
const char *maal_unit_suffix(const char *unit, enum maal_lang lang);
/* A scope's name in a table or a chart legend: "Partnerskabsområdet", "Hele byen", "Bydelen
 * (Bispebjerg)"; the district's text is written into t, which the caller releases. */
const char *maal_scope_label(const struct maal_partnership *p, int sc, enum maal_lang L,
                             struct maal_buf *t);
/* "26 %", "18,7 pr. 1000 indb.", "1.970.000 kr." */
void maal_fmt_value(struct maal_buf *b, double v, const char *unit, enum maal_lang lang);
void maal_fmt_change(struct maal_buf *b, double v, const char *unit, enum maal_lang lang);
/* "≤ 23 (2020)" etc.: the target or baseline side of a result, or "" */
void maal_fmt_target(struct maal_buf *b, const struct maal_result *r, enum maal_lang lang);
void maal_escape_xml(struct maal_buf *b, const char *s);
/* Text from data as a Markdown table cell (report_markdown.c) and as a GitHub workflow
 * command's message or, with 'property', a property's value (report_github.c): the escaping
 * those reports use, for maal_escape. */
void maal_md_escape(struct maal_buf *b, const char *s);
void maal_github_escape(struct maal_buf *b, const char *s, bool property);
/* "ændret: opfyldt → ikke opfyldt", "ny", "ændrede tal: 25 → 27", or "" when unchanged */
void maal_fmt_cmp(struct maal_buf *b, const struct maal_result *r, enum maal_lang lang);
/* one paragraph: "Ændringer siden sidste kørsel: ..." */
void maal_fmt_changes(struct maal_buf *b, const struct maal_changes *ch, enum maal_lang lang);
const char *maal_group_title(const char *group, enum maal_lang lang);
/* --history: "2021 ✓  2022 ✗" (the text report's symbols), or "" without a history */
void maal_fmt_history(struct maal_buf *b, const struct maal_result *r);
/* --outlook: "prognose 2024: 14 % (11–17 %), på vej" (or "ikke på vej", "uafklaret: why"),
 * or "" without an outlook */
void maal_fmt_outlook(struct maal_buf *b, const struct maal_result *r, enum maal_lang lang);
/* ✓ ✗ i ? ! ~ */
const char *maal_verdict_symbol(enum maal_verdict v);

#endif
