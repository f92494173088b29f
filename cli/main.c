/* main: the maal command line: options, help, and each command started (check, validate and
 * diff have files of their own; the rule tools are tools.c). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "tools.h"

static const char *prog = "maal";

int usage_error(enum maal_lang lang, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s\n", TR(lang, "prøv 'maal --help'", "try 'maal --help'"));
    return MAAL_EXIT_INVALID;
}

int unknown_format(enum maal_lang lang, const char *name)
{
    return usage_error(lang, TR(lang, "ukendt format '%s', forventede text, json, junit, tap, "
                                      "markdown, html, github, xlsx eller PLUGIN/RAPPORT",
                                "unknown format '%s', expected text, json, junit, tap, markdown, "
                                "html, github, xlsx or PLUGIN/REPORTER"),
                       name);
}

static void help(enum maal_lang lang)
{
    if (lang == MAAL_LANG_EN)
        fputs("usage: maal COMMAND [OPTION]... FILE...\n"
              "Checks whether safety partnerships meet their goals.\n\n"
              "commands:\n"
              "  check FILE...      evaluate every goal of each partnership file\n"
              "  validate FILE...   check data files against format v1\n"
              "  rules [ID] [FILE]  list the rules found (-v: search order, parameters);\n"
              "                     with an ID, that rule's documentation\n"
              "  plugins            list the plugins found and what they provide\n"
              "  test [PATH...]     run rule tests (NAME_test.yaml; default: rules/)\n"
              "  new rule NAME      write a documented rule and its test (--dir DIR, default rules;\n"
              "                     --kind series|activity|budget, default activity)\n"
              "  init DIR           start a partnership folder: partnership.yaml and rules/\n"
              "  diff OLD NEW       what changed between two --format json results\n"
              "                     (-o FILE, --format text|json|markdown|github)\n\n"
              "options of check:\n"
              "  --year Y           evaluate on the latest data year <= Y\n"
              "  --format F         text (default), json, junit, tap, markdown, html, github,\n"
              "                     xlsx (a workbook; -o FILE.xlsx alone chooses it),\n"
              "                     or a plugin's reporter as PLUGIN/NAME\n"
              "  --compare FILE     mark what changed since a previous --format json result\n"
              "  --history          also judge each goal for every year from the period's start\n"
              "  --annotate WHEN    with --compare, github: changed (default), only-changed, all\n"
              "  --outlook          project goals with a later target year to that year\n"
              "  --today DATE       today's date (YYYY-MM-DD) for waiver expiry\n"
              "  -o, --output FILE  write to FILE (atomically) instead of standard output;\n"
              "                     -o FORMAT=FILE, repeatable, writes several formats at once\n"
              "  -j, --jobs N       check N files at a time (output order unchanged)\n"
              "  --goal ID          only this goal (repeatable)\n"
              "  --fail-on LIST     what makes the exit code 1: fail,nodata,error,regression\n"
              "  --color WHEN       auto (default), always, never; NO_COLOR is honoured\n"
              "  --rules DIR        also search DIR for rules (repeatable; MAAL_PATH too)\n"
              "  --plugins DIR      a folder of plugin folders (repeatable; MAAL_PLUGIN_PATH too)\n"
              "  --plugin DIR       one plugin folder, trusted: its native module may load\n"
              "  --rule-timeout S   CPU seconds per goal (default 1)\n"
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
              "  rules [ID] [FIL]   vis de regler, der findes (-v: søgeorden, parametre);\n"
              "                     med et ID: reglens dokumentation\n"
              "  plugins            vis de plugins, der findes, og hvad de giver\n"
              "  test [STI...]      kør regeltests (NAVN_test.yaml; standard: rules/)\n"
              "  new rule NAVN      skriv en dokumenteret regel og dens test (--dir MAPPE, standard\n"
              "                     rules; --kind series|activity|budget, standard activity)\n"
              "  init MAPPE         start en partnerskabsmappe: partnership.yaml og rules/\n"
              "  diff GAMMEL NY     hvad der er ændret mellem to --format json-resultater\n"
              "                     (-o FIL, --format text|json|markdown|github)\n\n"
              "tilvalg til check:\n"
              "  --year Å           evaluér på det seneste dataår <= Å\n"
              "  --format F         text (standard), json, junit, tap, markdown, html, github,\n"
              "                     xlsx (et regneark; -o FIL.xlsx alene vælger det)\n"
              "                     eller et plugins rapport som PLUGIN/NAVN\n"
              "  --compare FIL      marker hvad der er ændret siden et tidligere --format json-resultat\n"
              "  --history          vurdér også hvert mål for hvert år fra periodens start\n"
              "  --annotate HVAD    med --compare, github: changed (standard), only-changed, all\n"
              "  --outlook          fremskriv mål med et senere målår til det år (prognose)\n"
              "  --today DATO       dagens dato (ÅÅÅÅ-MM-DD) til dispensationers udløb\n"
              "  -o, --output FIL   skriv til FIL (atomisk) i stedet for standard-output;\n"
              "                     -o FORMAT=FIL, kan gentages, skriver flere formater på én gang\n"
              "  -j, --jobs N       tjek N filer ad gangen (samme rækkefølge i output)\n"
              "  --goal ID          kun dette mål (kan gentages)\n"
              "  --fail-on LISTE    hvad der giver exit-kode 1: fail,nodata,error,regression\n"
              "  --color HVORNÅR    auto (standard), always, never; NO_COLOR respekteres\n"
              "  --rules MAPPE      søg også efter regler i MAPPE (kan gentages; også MAAL_PATH)\n"
              "  --plugins MAPPE    en mappe med plugin-mapper (kan gentages; også MAAL_PLUGIN_PATH)\n"
              "  --plugin MAPPE     én plugin-mappe, betroet: dens native modul må indlæses\n"
              "  --rule-timeout S   CPU-sekunder pr. mål (standard 1)\n"
              "  --rule-memory MIB  hukommelse pr. mål (standard 64)\n"
              "  --max-input MIB    største datafil (standard 64)\n"
              "  --lang da|en       sprog i rapporter og beskeder (standard da)\n"
              "  -v, --verbose      vis tracebacks og hvad regler har skrevet\n\n"
              "exit-koder: 0 intet mål fejlede, 1 et mål er ikke opfyldt, 2 brugs- eller\n"
              "inputfejl, 3 en regelfejl. Se maal(1).\n",
              stdout);
}

/* An unknown name (command, option, goal): an error that names the nearest known one. */
static int unknown_name(enum maal_lang lang, const char *what_da, const char *what_en,
                        const char *name, const char *const *known)
{
    const char *dym = maal_did_you_mean(name, known);
    fprintf(stderr, "%s: %s '%s'", prog, TR(lang, what_da, what_en), name);
    if (dym)
        fprintf(stderr, TR(lang, " (mente du '%s'?)", " (did you mean '%s'?)"), dym);
    fprintf(stderr, "\n%s\n", TR(lang, "prøv 'maal --help'", "try 'maal --help'"));
    return MAAL_EXIT_INVALID;
}

static int unknown_option(enum maal_lang lang, const char *arg, const struct option *lo)
{
    char name[64];
    snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
    char names[64][32];
    const char *known[65];
    size_t n = 0;
    for (; lo[n].name && n < 64; n++) {
        snprintf(names[n], sizeof(names[n]), "--%s", lo[n].name);
        known[n] = names[n];
    }
    known[n] = NULL;
    return unknown_name(lang, "ukendt tilvalg", "unknown option", name, known);
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
/* The options each command uses besides --lang, --help and --version; NULL: every option.
 * An option a command would ignore is an error, never silently nothing. */
static const char *const *options_of(const char *cmd)
{
    static const char *const none[] = {NULL};
    static const char *const validate[] = {"year", "format", "rules", "plugins", "plugin",
                                           "rule-timeout", "rule-memory", "max-input", "verbose",
                                           "today", NULL};
    static const char *const rules[] = {"rules", "plugins", "plugin", "rule-timeout",
                                        "rule-memory", "max-input", "verbose", NULL};
    static const char *const plugins[] = {"plugins", "plugin", "rule-timeout", "rule-memory",
                                          "max-input", "verbose", NULL};
    static const char *const newrule[] = {"dir", "kind", NULL};
    static const char *const diff[] = {"output", "format", "fail-on", NULL};
    static const char *const check[] = {"year", "format", "output", "goal", "fail-on", "color",
                                        "colour", "rules", "rule-timeout", "rule-memory",
                                        "max-input", "plugin", "plugins", "today", "compare",
                                        "jobs", "verbose", "annotate", "history", "outlook", NULL};
    if (!strcmp(cmd, "check"))
        return check;
    if (!strcmp(cmd, "validate"))
        return validate;
    if (!strcmp(cmd, "rules") || !strcmp(cmd, "test"))
        return rules;
    if (!strcmp(cmd, "plugins"))
        return plugins;
    if (!strcmp(cmd, "new"))
        return newrule;
    if (!strcmp(cmd, "diff"))
        return diff;
    if (!strcmp(cmd, "init"))
        return none;
    return NULL;
}

static bool option_used(const char *const *allowed, const char *name)
{
    if (!allowed || !strcmp(name, "lang") || !strcmp(name, "help") || !strcmp(name, "version"))
        return true;
    for (size_t i = 0; allowed[i]; i++)
        if (!strcmp(allowed[i], name))
            return true;
    return false;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    enum { O_YEAR = 256, O_FORMAT, O_GOAL, O_FAILON, O_COLOR, O_RULES, O_TIMEOUT, O_MEMORY,
           O_MAXIN, O_LANG, O_HELP, O_VERSION, O_TODAY, O_COMPARE, O_PLUGIN, O_PLUGINS, O_DIR, O_KIND,
           O_HISTORY, O_ANNOTATE, O_OUTLOOK };
    static const struct option lo[] = {
        {"year", required_argument, 0, O_YEAR},       {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'},        {"goal", required_argument, 0, O_GOAL},
        {"fail-on", required_argument, 0, O_FAILON},  {"color", required_argument, 0, O_COLOR},
        {"colour", required_argument, 0, O_COLOR},    {"rules", required_argument, 0, O_RULES},
        {"rule-timeout", required_argument, 0, O_TIMEOUT},
        {"rule-memory", required_argument, 0, O_MEMORY},
        {"max-input", required_argument, 0, O_MAXIN}, {"lang", required_argument, 0, O_LANG},
        {"dir", required_argument, 0, O_DIR},         {"kind", required_argument, 0, O_KIND},
        {"annotate", required_argument, 0, O_ANNOTATE},
                {"plugin", required_argument, 0, O_PLUGIN},   {"plugins", required_argument, 0, O_PLUGINS},
        {"today", required_argument, 0, O_TODAY},     {"compare", required_argument, 0, O_COMPARE},     {"jobs", required_argument, 0, 'j'},         {"verbose", no_argument, 0, 'v'},             {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, O_VERSION},       {"history", no_argument, 0, O_HISTORY},
        {"outlook", no_argument, 0, O_OUTLOOK},       {0, 0, 0, 0}};
    opterr = 0;
    int c, li;
    double d;
    const char *const *allowed = options_of(argv[0]);
    while ((li = -1, c = getopt_long(argc, argv, ":o:j:vh", lo, &li)) != -1) {
        const char *name = li >= 0 ? lo[li].name : c == 'o' ? "output" : c == 'j' ? "jobs"
                                                 : c == 'v' ? "verbose" : c == 'h' ? "help" : NULL;
        if (name && !option_used(allowed, name)) {
            fprintf(stderr, TR(o->lang, "%s: tilvalget '--%s' bruges ikke af 'maal %s'\n",
                               "%s: the option '--%s' is not used by 'maal %s'\n"),
                    prog, name, argv[0]);
            fprintf(stderr, "%s\n", TR(o->lang, "prøv 'maal --help'", "try 'maal --help'"));
            return MAAL_EXIT_INVALID;
        }
        switch (c) {
        case O_YEAR: {
            long y;
            if (!maal_parse_int(optarg, &y) || y < MAAL_YEAR_MIN || y > MAAL_YEAR_MAX)
                return usage_error(o->lang, TR(o->lang, "--year skal være et årstal, ikke '%s'",
                                               "--year must be a year, not '%s'"), optarg);
            o->year = (int)y;
            break;
        }
        case O_FORMAT:
            if (!maal_report_known(NULL, optarg) && !strchr(optarg, '/'))
                return unknown_format(o->lang, optarg);
            o->format = optarg;
            break;
        case 'o':
            if (o->noutputs >= 16)
                return usage_error(o->lang, TR(o->lang, "højst 16 gange -o, ikke flere ('%s')",
                                               "at most 16 times -o, not more ('%s')"), optarg);
            if (!push_str(&o->outputs, &o->noutputs, optarg))
                return MAAL_EXIT_INVALID;
            break;
        case 'j': {
            long j;
            if (!maal_parse_int(optarg, &j) || j < 1 || j > 64)
                return usage_error(o->lang, TR(o->lang, "--jobs skal være et tal fra 1 til 64, "
                                               "ikke '%s'",
                                               "--jobs must be a number from 1 to 64, not '%s'"),
                                   optarg);
            o->jobs = (int)j;
            break;
        }
        case O_GOAL:
            if (!push_str(&o->goals, &o->ngoals, optarg))
                return MAAL_EXIT_INVALID;
            break;
        case O_FAILON: {
            o->fail_on_set = true;
            memset(o->fail_on, 0, sizeof(o->fail_on));
            char *copy = strdup(optarg), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                if (!strcmp(t, "fail"))
                    o->fail_on[MAAL_FAIL] = true;
                else if (!strcmp(t, "nodata"))
                    o->fail_on[MAAL_NODATA] = true;
                else if (!strcmp(t, "error"))
                    o->fail_on[MAAL_ERROR] = true;
                else if (!strcmp(t, "regression"))
                    o->fail_on_regression = true;
                else {
                    int rc = usage_error(o->lang, TR(o->lang, "--fail-on kender fail, nodata, "
                                                     "error og regression, ikke '%s'",
                                                     "--fail-on knows fail, nodata, error and "
                                                     "regression, not '%s'"),
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
            o->rule_timeout = d;
            break;
        case O_MEMORY:
            if (!parse_positive(optarg, &d) || d > 65536)
                return usage_error(o->lang, TR(o->lang, "--rule-memory skal være et antal MiB, "
                                               "ikke '%s'",
                                               "--rule-memory must be a number of MiB, not '%s'"),
                                   optarg);
            o->rule_memory = (size_t)(d * 1048576.0);
            break;
        case O_MAXIN:
            if (!parse_positive(optarg, &d) || d > 65536)
                return usage_error(o->lang, TR(o->lang, "--max-input skal være et antal MiB, "
                                               "ikke '%s'",
                                               "--max-input must be a number of MiB, not '%s'"),
                                   optarg);
            o->max_input = (size_t)(d * 1048576.0);
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
        case O_DIR:
            o->dir = optarg;
            break;
        case O_KIND:
            o->kind = optarg;
            break;
        case O_ANNOTATE:
            if (!strcmp(optarg, "changed"))
                o->annotate = MAAL_ANNOTATE_CHANGED;
            else if (!strcmp(optarg, "only-changed"))
                o->annotate = MAAL_ANNOTATE_ONLY_CHANGED;
            else if (!strcmp(optarg, "all"))
                o->annotate = MAAL_ANNOTATE_ALL;
            else
                return usage_error(o->lang, TR(o->lang, "--annotate skal være changed, "
                                               "only-changed eller all, ikke '%s'",
                                               "--annotate must be changed, only-changed or "
                                               "all, not '%s'"),
                                   optarg);
            break;
        case O_PLUGIN:
            if (!push_str(&o->plugin_dirs, &o->nplugin_dirs, optarg))
                return MAAL_EXIT_INVALID;
            break;
        case O_PLUGINS:
            if (!push_str(&o->plugin_roots, &o->nplugin_roots, optarg))
                return MAAL_EXIT_INVALID;
            break;
        case O_COMPARE:
            o->compare = optarg;
            break;
        case O_TODAY: {
            if (!maal_date_valid(optarg))
                return usage_error(o->lang, TR(o->lang, "--today skal være en dato ÅÅÅÅ-MM-DD "
                                               "fra 1900 til 9999, ikke '%s'",
                                               "--today must be a date YYYY-MM-DD from 1900 to "
                                               "9999, not '%s'"),
                                   optarg);
            snprintf(o->today, sizeof(o->today), "%s", optarg);
            break;
        }
        case 'v':
            o->verbose = true;
            break;
        case O_HISTORY:
            o->history = true;
            break;
        case O_OUTLOOK:
            o->outlook = true;
            break;
        case 'h':
            help(o->lang);
            return MAAL_EXIT_OK;
        case O_VERSION:
            printf("maal %s\n", maal_version());
            return MAAL_EXIT_OK;
        case ':':
            return usage_error(o->lang, TR(o->lang, "tilvalget '%s' kræver en værdi",
                                           "option '%s' requires a value"), argv[optind - 1]);
        default:
            return unknown_option(o->lang, argv[optind - 1], lo);
        }
    }
    return -1;
}

void out_of_memory(enum maal_lang lang)
{
    fprintf(stderr, "maal: %s: %s\n", TR(lang, "fejl", "error"), maal_strerror(ENOMEM, lang));
}

void cannot_write(enum maal_lang lang, const char *path, const maal_diags *d)
{
    const char *msg = NULL;
    maal_diags_get(d, 0, NULL, NULL, NULL, NULL, &msg);
    fprintf(stderr, "maal: %s: %s '%s': %s\n", TR(lang, "fejl", "error"),
            TR(lang, "kan ikke skrive", "cannot write"), path,
            msg ? msg : maal_strerror(ENOMEM, lang));
}

int cli_prepare(struct opts *o, bool listing_plugins)
{
    maal_engine *e = maal_engine_new();
    int rc = e ? MAAL_OK : MAAL_ERR_NOMEM;
    if (rc == MAAL_OK)
        rc = maal_engine_set_lang(e, o->lang);
    if (rc == MAAL_OK)
        rc = maal_engine_set_year(e, o->year);
    if (rc == MAAL_OK)
        rc = maal_engine_set_today(e, o->today);
    if (rc == MAAL_OK)
        rc = maal_engine_set_limits(e, o->rule_timeout, o->rule_memory, o->max_input);
    for (size_t i = 0; rc == MAAL_OK && i < o->nrule_dirs; i++)
        rc = maal_engine_add_rule_dir(e, o->rule_dirs[i]);
    for (size_t i = 0; rc == MAAL_OK && i < o->nplugin_roots; i++)
        rc = maal_engine_add_plugin_root(e, o->plugin_roots[i]);
    for (size_t i = 0; rc == MAAL_OK && i < o->nplugin_dirs; i++)
        rc = maal_engine_add_plugin(e, o->plugin_dirs[i]);
    for (size_t i = 0; rc == MAAL_OK && i < o->ngoals; i++)
        rc = maal_engine_select_goal(e, o->goals[i]);
    if (rc == MAAL_OK)
        rc = maal_engine_set_history(e, o->history);
    if (rc == MAAL_OK)
        rc = maal_engine_set_outlook(e, o->outlook);
    if (rc == MAAL_OK)
        rc = maal_engine_prepare(e, NULL);
    o->engine = e;
    int code = rc == MAAL_OK ? -1 : MAAL_EXIT_INVALID;
    if (rc == MAAL_ERR_NOMEM) {
        out_of_memory(o->lang);
        return code;
    }
    /* a plugin named explicitly must work: say why not ('maal plugins' still lists, and
     * exits 2) */
    struct maal_plugin_info pi;
    for (size_t i = 0; maal_engine_plugin(e, i, &pi) == MAAL_OK; i++)
        if (pi.explicit_dir && pi.problem)
            fprintf(stderr, "maal: %s: plugin '%s': %s\n", TR(o->lang, "fejl", "error"), pi.dir,
                    pi.problem);
    /* a searched plugin that would shadow something standard: refused, and an error */
    const char *refused = maal_engine_plugins_refused(e);
    if (refused && !listing_plugins)
        fprintf(stderr, "maal: %s: %s", TR(o->lang, "fejl", "error"), refused);
    return listing_plugins ? -1 : code;
}

void cli_release(struct opts *o)
{
    maal_engine_free(o->engine);
    o->engine = NULL;
}

/* A folder stands for its partnership.yaml (a folder without one stays a folder, and loading
 * it says so). */
const char *data_path(const char *arg, char *buf, size_t size)
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

void seen_release(struct seen *s)
{
    for (size_t i = 0; i < s->cap; i++) {
        free(s->v[i].id);
        free(s->v[i].file);
    }
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static size_t seen_hash(const char *id)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* The slot of 'id': where it is, or the free one where it goes. */
static struct seen_slot *seen_slot(const struct seen *s, const char *id)
{
    size_t i = seen_hash(id) & (s->cap - 1);
    while (s->v[i].id && strcmp(s->v[i].id, id))
        i = (i + 1) & (s->cap - 1);
    return &s->v[i];
}

/* Room for one more; false when out of memory. */
static bool seen_grow(struct seen *s)
{
    if (2 * (s->n + 1) <= s->cap)
        return true;
    struct seen old = *s;
    s->cap = old.cap ? 2 * old.cap : 64;
    if (!(s->v = calloc(s->cap, sizeof(*s->v)))) {
        *s = old;
        return false;
    }
    for (size_t i = 0; i < old.cap; i++)
        if (old.v[i].id)
            *seen_slot(s, old.v[i].id) = old.v[i];
    free(old.v);
    return true;
}

/* Partnership ids are unique in a run: a second file with an id already checked is an error
 * (a copy of an unchanged file next to a worsened one hid the regression from --compare).
 * True when 'id' is new (and when the list cannot be kept: out of memory). */
bool seen_partnership(const struct opts *o, struct seen *seen, const char *id,
                      const char *file)
{
    if (!id || !seen_grow(seen))
        return true;
    struct seen_slot *sl = seen_slot(seen, id);
    if (sl->id) {
        fprintf(stderr, TR(o->lang, "%s: fejl: partnerskabet '%s' findes også i %s, forventede "
                           "ét id pr. partnerskab i en kørsel\n",
                           "%s: error: the partnership '%s' is also in %s, expected one id per "
                           "partnership in a run\n"),
                file, id, sl->file);
        return false;
    }
    sl->id = strdup(id);
    sl->file = strdup(file);
    if (!sl->id || !sl->file) {
        free(sl->id);
        free(sl->file);
        *sl = (struct seen_slot){NULL, NULL};
        return true;
    }
    seen->n++;
    return true;
}

/* maal rules [ID] [FILE]: an argument that is a file or folder sets the partnership context. */
static int cmd_rules(struct opts *o, int n, char **args)
{
    const char *id = NULL, *file = NULL;
    char buf[4096];
    for (int i = 0; i < n; i++) {
        if (access(args[i], F_OK) == 0)
            file = data_path(args[i], buf, sizeof(buf));
        else
            id = args[i];
    }
    return tool_rules(o, id, file);
}

static int cmd_plugins(struct opts *o, int n, char **args)
{
    (void)args;
    if (n)
        return usage_error(o->lang, "%s", TR(o->lang, "plugins tager ingen filer",
                                             "plugins takes no files"));
    return tool_plugins(o);
}

static int cmd_test(struct opts *o, int n, char **args)
{
    return tool_test(o, n, args);
}

static int cmd_new(struct opts *o, int n, char **args)
{
    if (n != 2 || strcmp(args[0], "rule") != 0)
        return usage_error(o->lang, "%s",
                           TR(o->lang, "brug: maal new rule NAVN [--dir MAPPE] "
                                       "[--kind series|activity|budget]",
                              "usage: maal new rule NAME [--dir DIR] [--kind series|activity|budget]"));
    return tool_new_rule(o, args[1], o->dir ? o->dir : "rules");
}

static int cmd_init(struct opts *o, int n, char **args)
{
    if (n != 1)
        return usage_error(o->lang, "%s", TR(o->lang, "brug: maal init MAPPE", "usage: maal init DIR"));
    return tool_init(o, args[0]);
}

/* File arguments are data: one that starts with '-' is taken only after '--' (getopt ends the
 * options there and moves the operands, so the operands after '--' are recorded first). */
static int check_operands(enum maal_lang lang, int argc, char **argv, int first,
                          char *const *after, int nafter)
{
    for (int i = first; i < argc; i++) {
        bool ok = argv[i][0] != '-';
        for (int k = 0; k < nafter && !ok; k++)
            ok = argv[i] == after[k];
        if (!ok)
            return usage_error(lang, TR(lang, "filnavnet '%s' begynder med '-': skriv det efter "
                                        "'--'", "the file name '%s' starts with '-': write it "
                                        "after '--'"), argv[i]);
    }
    return -1;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error with a message, not a death */
    struct opts o = {.color = -1};
    /* today, for waiver expiry: SOURCE_DATE_EPOCH makes runs reproducible, --today overrides */
    /* a date outside 1900-9999 (or beyond gmtime's range) is no date: refused below, unless
     * --today gives one */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    maal_today(o.today, sizeof(o.today));
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
    /* --lang may also stand before the command */
    while (argc > 2 && (!strncmp(argv[1], "--lang=", 7) || (!strcmp(argv[1], "--lang") && argc > 3))) {
        int skip = argv[1][6] == '=' ? 1 : 2;
        argv += skip;
        argc -= skip;
        argv[0] = "maal";
    }
    if (argc < 2)
        return usage_error(o.lang, "%s", TR(o.lang, "mangler en kommando", "missing a command"));
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        help(o.lang);
        return MAAL_EXIT_OK;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("maal %s\n", maal_version());
        return MAAL_EXIT_OK;
    }
    int (*fn)(struct opts *, int, char **) = NULL;
    if (!strcmp(cmd, "check"))
        fn = cmd_check;
    else if (!strcmp(cmd, "validate"))
        fn = cmd_validate;
    else if (!strcmp(cmd, "rules"))
        fn = cmd_rules;
    else if (!strcmp(cmd, "diff"))
        fn = cmd_diff;
    else if (!strcmp(cmd, "plugins"))
        fn = cmd_plugins;
    else if (!strcmp(cmd, "test"))
        fn = cmd_test;
    else if (!strcmp(cmd, "new"))
        fn = cmd_new;
    else if (!strcmp(cmd, "init"))
        fn = cmd_init;
    else if (cmd[0] == '-')
        return usage_error(o.lang, TR(o.lang, "ukendt tilvalg '%s'", "unknown option '%s'"), cmd);
    else {
        static const char *const cmds[] = {"check", "validate", "rules", "diff", "plugins",
                                           "test", "new", "init", "help", "version", NULL};
        return unknown_name(o.lang, "ukendt kommando", "unknown command", cmd, cmds);
    }
    char **after = NULL;
    int nafter = 0;
    for (int i = 2; i < argc && !after; i++)
        if (!strcmp(argv[i], "--") && (after = malloc((size_t)argc * sizeof(*after))))
            for (int k = i + 1; k < argc; k++)
                after[nafter++] = argv[k];
    int rc = parse_opts(argc - 1, argv + 1, &o);
    if (rc < 0)
        rc = check_operands(o.lang, argc, argv, 1 + optind, after, nafter);
    if (rc < 0 && !o.today[0])
        rc = usage_error(o.lang, TR(o.lang, "SOURCE_DATE_EPOCH='%s' er ikke en dag i årene "
                                    "1900-9999; giv --today ÅÅÅÅ-MM-DD",
                                    "SOURCE_DATE_EPOCH='%s' is not a day in the years 1900-9999; "
                                    "give --today YYYY-MM-DD"), sde ? sde : "");
    free(after);
    if (rc < 0) {
        rc = cli_prepare(&o, fn == cmd_plugins);
        if (rc < 0)
            rc = fn(&o, argc - 1 - optind, argv + 1 + optind);
        cli_release(&o);
    }
    free(o.plugin_dirs);
    free(o.plugin_roots);
    free(o.goals);
    free(o.outputs);
    free(o.rule_dirs);
    return rc;
}
