/* fuzz_result: libFuzzer target for what a rule returns: the input is the Lua expression that
 * a goal's 'evaluate' returns, so decode_result (and the load, run and error paths around it)
 * sees arbitrary values. One partnership and rule set per process; the rule file is rewritten
 * per input in a private temporary folder and dropped from the rule set's cache after each run.
 *
 * Each input is evaluated twice in one reused state (a worker, as maal check does for the
 * goals of a partnership), then the state is closed: deterministic per input.
 *
 * Oracle beyond the sanitizers: every result has a verdict in range and a message, and every
 * text a report prints (message, unit, op, significance, log) is valid UTF-8 without control
 * characters (tab allowed), as decode_result and clean_text promise; the second run gives the
 * same verdict and message as the first unless one of them is an error. Set
 * MAAL_FUZZ_NO_TEXT_ORACLE=1 to check only the sanitizers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eval.h"
#include "rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char partnership_yaml[] =
    "maal: 1\n"
    "partnership:\n"
    "  id: fuzz\n"
    "  name: Fuzz\n"
    "  period: {from: 2020, to: 2022}\n"
    "  budget: {2021: 300}\n"
    "  baselines: {crime: 2020}\n"
    "series:\n"
    "  - id: indbrud\n"
    "    name: Indbrud\n"
    "    kind: crime\n"
    "    unit: count\n"
    "    values:\n"
    "      area: {2020: 23, 2021: 27}\n"
    "activities:\n"
    "  - id: a1\n"
    "    name: One\n"
    "    responsible: [A]\n"
    "    financing: {2021: 100}\n"
    "goals:\n"
    "  - id: fuzz\n"
    "    title: The fuzzed rule\n"
    "    rule: fuzz\n";

static const char prefix[] = "return { evaluate = function(ctx, p) return ";
static const char suffix[] = "\nend }\n";

static char dir[256], data_file[300], rules_dir[300], rule_file[320];
static struct maal_partnership *part;
static struct maal_limits lim;
static bool text_oracle = true;
static struct maal_ruleset rs;
static struct maal_eval_worker *ev; /* one per process: the compiled prelude is kept */

static void cleanup(void)
{
    maal_eval_worker_free(ev);
    maal_ruleset_release(&rs);
    maal_partnership_free(part);
    unlink(rule_file);
    rmdir(rules_dir);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/maal-fuzz-result-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("fuzz_result: mkdtemp");
        abort();
    }
    snprintf(data_file, sizeof(data_file), "%s/partnership.yaml", dir);
    snprintf(rules_dir, sizeof(rules_dir), "%s/rules", dir);
    snprintf(rule_file, sizeof(rule_file), "%s/fuzz.lua", rules_dir);
    if (mkdir(rules_dir, 0700) != 0) {
        perror("fuzz_result: mkdir");
        abort();
    }
    if (maal_ruleset_init(&rs, NULL, 0, MAAL_LANG_DA) != MAAL_OK || !(ev = maal_eval_worker_new()))
        abort();
    atexit(cleanup);
    maal_limits_default(&lim);
    lim.rule_timeout = 0.2;
    lim.rule_memory = 16u << 20;
    struct maal_diags d;
    maal_diags_init(&d);
    if (maal_partnership_parse(data_file, partnership_yaml, sizeof(partnership_yaml) - 1, &lim,
                               MAAL_LANG_DA, &part, &d) != MAAL_OK) {
        maal_diags_print(&d, stderr, MAAL_LANG_EN);
        abort();
    }
    maal_diags_release(&d);
    const char *e = getenv("MAAL_FUZZ_NO_TEXT_ORACLE");
    text_oracle = !(e && *e && strcmp(e, "0") != 0);
    return 0;
}

/* Text a report prints: valid UTF-8, no control characters but tab. */
static void check_text(const char *what, const char *s)
{
    if (!s || !text_oracle)
        return;
    int line, col;
    bool bad = !maal_utf8_check(s, strlen(s), &line, &col);
    for (const unsigned char *p = (const unsigned char *)s; *p && !bad; p++)
        bad = (*p < 0x20 && *p != '\t') || *p == 0x7F;
    if (bad) {
        fprintf(stderr, "fuzz_result: the result's %s is not clean text: '", what);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            fprintf(stderr, *p < 0x20 || *p >= 0x7F ? "\\x%02x" : "%c", *p);
        fprintf(stderr, "'\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) /* the decoder's interest is in shapes, not in long sources */
        return -1;
    FILE *f = fopen(rule_file, "wb");
    if (!f) {
        perror("fuzz_result: fopen");
        abort();
    }
    fwrite(prefix, 1, sizeof(prefix) - 1, f);
    fwrite(data, 1, size, f);
    fwrite(suffix, 1, sizeof(suffix) - 1, f);
    if (fclose(f) != 0) {
        perror("fuzz_result: fclose");
        abort();
    }
    enum maal_lang lang = size & 1 ? MAAL_LANG_EN : MAAL_LANG_DA; /* both, deterministically */
    rs.lang = lang;
    /* twice in one reused state, as maal check runs the goals of a partnership: the second
     * run sees the state the first left (unless it ended in error and was thrown away) */
    struct maal_eval_opts o = {.lang = lang, .today = "2022-06-01", .limits = &lim, .rules = &rs,
                               .worker = ev};
    struct maal_result r[2];
    for (int k = 0; k < 2; k++) {
        if (maal_eval_goal(&o, part, &part->goals[0], &r[k]) != MAAL_OK)
            abort(); /* MAAL_ERR_NOMEM only: there is plenty of memory here */
        if (!r[k].message || (unsigned)r[k].verdict >= MAAL_NVERDICTS)
            abort();
        check_text("message", r[k].message);
        check_text("unit", r[k].unit);
        check_text("op", r[k].op);
        check_text("significance", r[k].significance);
        check_text("log", r[k].log);
    }
    /* isolation: nothing of the first run reaches the second (errors may depend on timing) */
    if (text_oracle && r[0].verdict != MAAL_ERROR && r[1].verdict != MAAL_ERROR &&
        (r[0].verdict != r[1].verdict || strcmp(r[0].message, r[1].message) != 0)) {
        fprintf(stderr, "fuzz_result: the second run in the same state differs: %d '%s' / %d '%s'\n",
                (int)r[0].verdict, r[0].message, (int)r[1].verdict, r[1].message);
        abort();
    }
    maal_result_release(&r[0]);
    maal_result_release(&r[1]);
    maal_eval_end(ev);
    maal_ruleset_forget(&rs); /* the rule file changes with every input */
    return 0;
}
