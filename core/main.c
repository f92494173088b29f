/* main: the maal command line: check, validate, rules. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "rules.h"

struct opts {
    enum maal_lang lang;
    int year;
    const char *format;
    const char *output;
    const char **goals;
    size_t ngoals;
    const char **rule_dirs;
    size_t nrule_dirs;
    bool fail_on[MAAL_NVERDICTS];
    int color; /* -1 auto, 0 never, 1 always */
    bool verbose;
    struct maal_limits limits;
};

static const char *prog = "maal";

static int usage_error(enum maal_lang lang, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s\n", TR(lang, "prøv 'maal --help'", "try 'maal --help'"));
    return MAAL_EXIT_INVALID;
}

static void help(enum maal_lang lang)
{
    if (lang == MAAL_LANG_EN)
        fputs("usage: maal COMMAND [OPTION]... FILE...\n"
              "Checks whether safety partnerships meet their goals.\n\n"
              "commands:\n"
              "  check FILE...      evaluate every goal of each partnership file\n"
              "  validate FILE...   check data files against format v1\n"
              "  rules              list the rules found\n\n"
              "options of check:\n"
              "  --year Y           evaluate on the latest data year <= Y\n"
              "  --format F         text (default), json, junit, tap, markdown\n"
              "  -o, --output FILE  write to FILE (atomically) instead of standard output\n"
              "  --goal ID          only this goal (repeatable)\n"
              "  --fail-on LIST     verdicts that make the exit code 1: fail,nodata,error\n"
              "  --color WHEN       auto (default), always, never; NO_COLOR is honoured\n"
              "  --rules DIR        also search DIR for rules (repeatable; MAAL_PATH too)\n"
              "  --rule-timeout S   seconds per goal (default 1)\n"
              "  --rule-memory MIB  memory per goal (default 64)\n"
              "  --max-input MIB    largest data file (default 64)\n"
              "  --lang da|en       language of reports and messages (default da)\n"
              "  -v, --verbose      show tracebacks and what rules printed\n\n"
              "exit codes: 0 no goal failed, 1 a goal failed, 2 usage error or invalid input,\n"
              "3 a rule error. See maal(1).\n",
              stdout);
    else
        fputs("brug: maal KOMMANDO [TILVALG]... FIL...\n"
              "Tjekker om tryghedspartnerskaber når deres målsætninger.\n\n"
              "kommandoer:\n"
              "  check FIL...       evaluér hvert mål i hver partnerskabsfil\n"
              "  validate FIL...    tjek datafiler mod format v1\n"
              "  rules              vis de regler, der findes\n\n"
              "tilvalg til check:\n"
              "  --year Å           evaluér på det seneste dataår <= Å\n"
              "  --format F         text (standard), json, junit, tap, markdown\n"
              "  -o, --output FIL   skriv til FIL (atomisk) i stedet for standard-output\n"
              "  --goal ID          kun dette mål (kan gentages)\n"
              "  --fail-on LISTE    domme der giver exit-kode 1: fail,nodata,error\n"
              "  --color HVORNÅR    auto (standard), always, never; NO_COLOR respekteres\n"
              "  --rules MAPPE      søg også efter regler i MAPPE (kan gentages; også MAAL_PATH)\n"
              "  --rule-timeout S   sekunder pr. mål (standard 1)\n"
              "  --rule-memory MIB  hukommelse pr. mål (standard 64)\n"
              "  --max-input MIB    største datafil (standard 64)\n"
              "  --lang da|en       sprog i rapporter og beskeder (standard da)\n"
              "  -v, --verbose      vis tracebacks og hvad regler har skrevet\n\n"
              "exit-koder: 0 intet mål fejlede, 1 et mål er ikke opfyldt, 2 brugs- eller\n"
              "inputfejl, 3 en regelfejl. Se maal(1).\n",
              stdout);
}

static bool parse_positive(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || end == s || errno || !(v > 0) || v > 1e6)
        return false;
    *out = v;
    return true;
}

static bool push_str(const char ***list, size_t *n, const char *s)
{
    const char **l = realloc(*list, (*n + 1) * sizeof(*l));
    if (!l)
        return false;
    l[(*n)++] = s;
    *list = l;
    return true;
}

/* Parse the options shared by every command. Returns -1 to go on, else an exit code. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    enum { O_YEAR = 256, O_FORMAT, O_GOAL, O_FAILON, O_COLOR, O_RULES, O_TIMEOUT, O_MEMORY,
           O_MAXIN, O_LANG, O_HELP, O_VERSION };
    static const struct option lo[] = {
        {"year", required_argument, 0, O_YEAR},       {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'},        {"goal", required_argument, 0, O_GOAL},
        {"fail-on", required_argument, 0, O_FAILON},  {"color", required_argument, 0, O_COLOR},
        {"colour", required_argument, 0, O_COLOR},    {"rules", required_argument, 0, O_RULES},
        {"rule-timeout", required_argument, 0, O_TIMEOUT},
        {"rule-memory", required_argument, 0, O_MEMORY},
        {"max-input", required_argument, 0, O_MAXIN}, {"lang", required_argument, 0, O_LANG},
        {"verbose", no_argument, 0, 'v'},             {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, O_VERSION},       {0, 0, 0, 0}};
    opterr = 0;
    int c;
    double d;
    while ((c = getopt_long(argc, argv, ":o:vh", lo, NULL)) != -1) {
        switch (c) {
        case O_YEAR: {
            long y;
            if (!maal_parse_int(optarg, &y) || y < 1900 || y > 2100)
                return usage_error(o->lang, TR(o->lang, "--year skal være et årstal, ikke '%s'",
                                               "--year must be a year, not '%s'"), optarg);
            o->year = (int)y;
            break;
        }
        case O_FORMAT:
            if (!maal_reporter_find(optarg))
                return usage_error(o->lang, TR(o->lang, "ukendt format '%s' (text, json, junit, "
                                               "tap, markdown)",
                                               "unknown format '%s' (text, json, junit, tap, markdown)"),
                                   optarg);
            o->format = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case O_GOAL:
            if (!push_str(&o->goals, &o->ngoals, optarg))
                return MAAL_EXIT_INVALID;
            break;
        case O_FAILON: {
            memset(o->fail_on, 0, sizeof(o->fail_on));
            char *copy = strdup(optarg), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (!strcmp(t, "fail"))
                    o->fail_on[MAAL_FAIL] = true;
                else if (!strcmp(t, "nodata"))
                    o->fail_on[MAAL_NODATA] = true;
                else if (!strcmp(t, "error"))
                    o->fail_on[MAAL_ERROR] = true;
                else {
                    int rc = usage_error(o->lang, TR(o->lang, "--fail-on kender fail, nodata og "
                                                     "error, ikke '%s'",
                                                     "--fail-on knows fail, nodata and error, not '%s'"),
                                         t);
                    free(copy);
                    return rc;
                }
            }
            free(copy);
            break;
        }
        case O_COLOR:
            if (!strcmp(optarg, "auto"))
                o->color = -1;
            else if (!strcmp(optarg, "always"))
                o->color = 1;
            else if (!strcmp(optarg, "never"))
                o->color = 0;
            else
                return usage_error(o->lang, TR(o->lang, "--color skal være auto, always eller "
                                               "never, ikke '%s'",
                                               "--color must be auto, always or never, not '%s'"),
                                   optarg);
            break;
        case O_RULES:
            if (!push_str(&o->rule_dirs, &o->nrule_dirs, optarg))
                return MAAL_EXIT_INVALID;
            break;
        case O_TIMEOUT:
            if (!parse_positive(optarg, &d))
                return usage_error(o->lang, TR(o->lang, "--rule-timeout skal være et positivt "
                                               "antal sekunder, ikke '%s'",
                                               "--rule-timeout must be a positive number of "
                                               "seconds, not '%s'"), optarg);
            o->limits.rule_timeout = d;
            break;
        case O_MEMORY:
            if (!parse_positive(optarg, &d) || d > 65536)
                return usage_error(o->lang, TR(o->lang, "--rule-memory skal være et antal MiB, "
                                               "ikke '%s'",
                                               "--rule-memory must be a number of MiB, not '%s'"),
                                   optarg);
            o->limits.rule_memory = (size_t)(d * 1048576.0);
            break;
        case O_MAXIN:
            if (!parse_positive(optarg, &d) || d > 65536)
                return usage_error(o->lang, TR(o->lang, "--max-input skal være et antal MiB, "
                                               "ikke '%s'",
                                               "--max-input must be a number of MiB, not '%s'"),
                                   optarg);
            o->limits.max_input = (size_t)(d * 1048576.0);
            break;
        case O_LANG:
            if (!strcmp(optarg, "da"))
                o->lang = MAAL_LANG_DA;
            else if (!strcmp(optarg, "en"))
                o->lang = MAAL_LANG_EN;
            else
                return usage_error(o->lang, TR(o->lang, "--lang skal være da eller en, ikke '%s'",
                                               "--lang must be da or en, not '%s'"), optarg);
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'h':
            help(o->lang);
            return MAAL_EXIT_OK;
        case O_VERSION:
            printf("maal %s\n", MAAL_VERSION);
            return MAAL_EXIT_OK;
        case ':':
            return usage_error(o->lang, TR(o->lang, "tilvalget '%s' kræver en værdi",
                                           "option '%s' requires a value"), argv[optind - 1]);
        default:
            return usage_error(o->lang, TR(o->lang, "ukendt tilvalg '%s'", "unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    return -1;
}

/* A folder stands for its partnership.yaml. */
static const char *data_path(const char *arg, char *buf, size_t size)
{
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(buf, size, "%s%spartnership.yaml", arg,
                 arg[strlen(arg) - 1] == '/' ? "" : "/");
        if (access(buf, F_OK) == 0)
            return buf;
    }
    return arg;
}

static bool goal_selected(const struct opts *o, const char *id)
{
    if (!o->ngoals)
        return true;
    for (size_t i = 0; i < o->ngoals; i++)
        if (id && !strcmp(o->goals[i], id))
            return true;
    return false;
}

static int cmd_validate(struct opts *o, int n, char **files)
{
    if (n == 0)
        return usage_error(o->lang, "%s", TR(o->lang, "validate mangler en fil", "validate needs a file"));
    struct maal_ruleset rs;
    if (maal_ruleset_init(&rs, o->rule_dirs, o->nrule_dirs, o->lang) != MAAL_OK)
        return MAAL_EXIT_INVALID;
    struct maal_eval_opts eo = {.lang = o->lang, .year = o->year, .limits = &o->limits, .rules = &rs};
    int exit_code = MAAL_EXIT_OK;
    for (int i = 0; i < n; i++) {
        char buf[4096];
        const char *path = data_path(files[i], buf, sizeof(buf));
        struct maal_diags d;
        maal_diags_init(&d);
        struct maal_partnership *p;
        int rc = maal_partnership_load(path, &o->limits, o->lang, &p, &d);
        if (rc == MAAL_OK) {
            for (size_t g = 0; g < p->ngoals; g++) {
                const struct maal_goal *goal = &p->goals[g];
                struct maal_error e;
                if (!goal->rule)
                    continue;
                if (!maal_ruleset_find(&rs, p->file, goal->rule, &e))
                    maal_diags_add(&d, MAAL_SEV_ERROR, p->file, goal->rule_line, goal->rule_col,
                                   "%s", e.msg);
                else
                    maal_eval_check_params(&eo, p, goal, &d);
            }
        }
        maal_diags_print(&d, stderr, o->lang);
        if (rc == MAAL_OK && maal_diags_count(&d, MAAL_SEV_ERROR) == 0)
            printf("ok %s\n", path);
        else
            exit_code = MAAL_EXIT_INVALID;
        maal_diags_release(&d);
        maal_partnership_free(p);
    }
    maal_ruleset_release(&rs);
    return exit_code;
}

static int cmd_check(struct opts *o, int n, char **files)
{
    if (n == 0)
        return usage_error(o->lang, "%s", TR(o->lang, "check mangler en fil", "check needs a file"));
    const struct maal_reporter *rep = maal_reporter_find(o->format ? o->format : "text");
    struct maal_ruleset rs;
    if (maal_ruleset_init(&rs, o->rule_dirs, o->nrule_dirs, o->lang) != MAAL_OK) {
        fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"), strerror(ENOMEM));
        return MAAL_EXIT_INVALID;
    }
    struct maal_eval_opts eo = {.lang = o->lang, .year = o->year, .limits = &o->limits, .rules = &rs};
    struct maal_report rp = {.lang = o->lang, .verbose = o->verbose, .out = MAAL_BUF_INIT};
    bool to_tty = (!o->output || !strcmp(o->output, "-")) && isatty(STDOUT_FILENO);
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    rp.color = o->color == 1 || (o->color == -1 && to_tty && !(nc && *nc) &&
                                 !(term && !strcmp(term, "dumb")));
    if (strcmp(rep->name, "text") != 0)
        rp.color = false;
    rep->begin(&rp);
    bool invalid = false;
    size_t matched = 0;
    for (int i = 0; i < n; i++) {
        char buf[4096];
        const char *path = data_path(files[i], buf, sizeof(buf));
        struct maal_diags d;
        maal_diags_init(&d);
        struct maal_partnership *p;
        int rc = maal_partnership_load(path, &o->limits, o->lang, &p, &d);
        maal_diags_print(&d, stderr, o->lang);
        maal_diags_release(&d);
        if (rc != MAAL_OK) {
            invalid = true;
            continue;
        }
        if (p->ngoals == 0) {
            fprintf(stderr, "%s: %s: %s\n", path, TR(o->lang, "fejl", "error"),
                    TR(o->lang, "filen har ingen mål, forventede mindst ét under 'goals'",
                       "the file has no goals, expected at least one under 'goals'"));
            invalid = true;
            maal_partnership_free(p);
            continue;
        }
        struct maal_presults pr = {.p = p, .year = o->year ? o->year : p->latest_year};
        pr.r = calloc(p->ngoals, sizeof(*pr.r));
        if (!pr.r) {
            fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"), strerror(ENOMEM));
            maal_partnership_free(p);
            invalid = true;
            continue;
        }
        for (size_t g = 0; g < p->ngoals; g++) {
            if (!goal_selected(o, p->goals[g].id))
                continue;
            struct maal_result *r = &pr.r[pr.n];
            if (maal_eval_goal(&eo, p, &p->goals[g], r) != MAAL_OK) {
                fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"), strerror(ENOMEM));
                invalid = true;
                continue;
            }
            if (r->invalid_params) {
                fprintf(stderr, "%s\n", r->message);
                invalid = true;
            }
            pr.counts[r->verdict]++;
            rp.totals[r->verdict]++;
            pr.n++;
        }
        matched += pr.n;
        if (pr.n) {
            rp.npartnerships++;
            rep->partnership(&rp, &pr);
        }
        for (size_t g = 0; g < pr.n; g++)
            maal_result_release(&pr.r[g]);
        free(pr.r);
        maal_partnership_free(p);
    }
    rep->end(&rp);
    int exit_code = MAAL_EXIT_OK;
    if (o->ngoals && matched == 0 && !invalid) {
        fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"),
                TR(o->lang, "--goal matcher intet mål i filerne", "--goal matches no goal in the files"));
        invalid = true;
    }
    if (rp.out.oom) {
        fprintf(stderr, "maal: %s: %s\n", TR(o->lang, "fejl", "error"), strerror(ENOMEM));
        invalid = true;
    } else if (rp.npartnerships || !invalid) {
        struct maal_error e;
        const char *out = o->output ? o->output : "-";
        if (maal_write_file_atomic(out, maal_buf_str(&rp.out), rp.out.len, &e) != MAAL_OK) {
            fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(o->lang, "fejl", "error"),
                    TR(o->lang, "kan ikke skrive", "cannot write"), out, e.msg);
            invalid = true;
        }
    }
    maal_buf_release(&rp.out);
    maal_ruleset_release(&rs);
    if (invalid)
        exit_code = MAAL_EXIT_INVALID;
    else if (rp.totals[MAAL_ERROR])
        exit_code = MAAL_EXIT_RULE;
    else
        for (int v = 0; v < MAAL_NVERDICTS; v++)
            if (o->fail_on[v] && rp.totals[v])
                exit_code = MAAL_EXIT_FAIL;
    return exit_code;
}

struct rules_ud {
    enum maal_lang lang;
};

static void print_rule(void *ud, const char *name, const char *path, const char *origin,
                       bool shadowed)
{
    struct rules_ud *u = ud;
    printf("%-24s %-10s %s%s\n", name, origin, path,
           shadowed ? TR(u->lang, "  (skygget af en regel før)", "  (shadowed by an earlier rule)") : "");
}

static int cmd_rules(struct opts *o, int n, char **files)
{
    struct maal_ruleset rs;
    if (maal_ruleset_init(&rs, o->rule_dirs, o->nrule_dirs, o->lang) != MAAL_OK)
        return MAAL_EXIT_INVALID;
    struct rules_ud u = {o->lang};
    maal_ruleset_each(&rs, n > 0 ? files[0] : NULL, print_rule, &u);
    maal_ruleset_release(&rs);
    return MAAL_EXIT_OK;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error with a message, not a death */
    struct opts o = {.color = -1};
    maal_limits_default(&o.limits);
    o.fail_on[MAAL_FAIL] = true;
    const char *envlang = getenv("MAAL_LANG");
    if (envlang && !strcmp(envlang, "en"))
        o.lang = MAAL_LANG_EN;
    /* --lang anywhere decides the language of the usage messages too */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--lang=en") || (!strcmp(argv[i], "--lang") && i + 1 < argc &&
                                               !strcmp(argv[i + 1], "en")))
            o.lang = MAAL_LANG_EN;
    }
    if (argc < 2)
        return usage_error(o.lang, "%s", TR(o.lang, "mangler en kommando", "missing a command"));
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        help(o.lang);
        return MAAL_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("maal %s\n", MAAL_VERSION);
        return MAAL_EXIT_OK;
    }
    int (*fn)(struct opts *, int, char **) = NULL;
    if (!strcmp(cmd, "check"))
        fn = cmd_check;
    else if (!strcmp(cmd, "validate"))
        fn = cmd_validate;
    else if (!strcmp(cmd, "rules"))
        fn = cmd_rules;
    else if (cmd[0] == '-')
        return usage_error(o.lang, TR(o.lang, "ukendt tilvalg '%s'", "unknown option '%s'"), cmd);
    else
        return usage_error(o.lang, TR(o.lang, "ukendt kommando '%s'", "unknown command '%s'"), cmd);
    int rc = parse_opts(argc - 1, argv + 1, &o);
    if (rc < 0)
        rc = fn(&o, argc - 1 - optind, argv + 1 + optind);
    free(o.goals);
    free(o.rule_dirs);
    return rc;
}
