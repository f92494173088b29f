/* validate: 'maal validate FILE...': each file read and its goals checked against their rules
 * without evaluating them (maal_worker_validate). Only the public interface (maal.h). */
#include <string.h>

#include "cli.h"

int cmd_validate(struct opts *o, int n, char **files)
{
    if (n == 0)
        return usage_error(o->lang, "%s", TR(o->lang, "validate mangler en fil", "validate needs a file"));
    bool gh = o->format && !strcmp(o->format, "github");
    if (o->format && !gh && strcmp(o->format, "text") != 0)
        return usage_error(o->lang, TR(o->lang, "validate kender --format text og github, ikke '%s'",
                                       "validate knows --format text and github, not '%s'"),
                           o->format);
    maal_engine *e = o->engine;
    maal_worker *w = NULL;
    if (maal_worker_new(e, &w, NULL) != MAAL_OK) {
        out_of_memory(o->lang); /* the engine is prepared: only memory can fail */
        return MAAL_EXIT_INVALID;
    }
    int exit_code = MAAL_EXIT_OK;
    bool rule_error = false;
    struct seen seen = {0};
    for (int i = 0; i < n; i++) {
        char buf[4096];
        const char *path = data_path(files[i], buf, sizeof(buf));
        maal_diags *d = maal_diags_new();
        maal_partnership *p = NULL;
        int rc = d ? maal_load_file(e, path, &p, d) : MAAL_ERR_NOMEM;
        size_t nrule_errors = 0;
        if (rc == MAAL_OK)
            maal_worker_validate(w, p, d, &nrule_errors);
        if (d)
            maal_diags_write(d, "text", stderr, o->lang);
        else
            out_of_memory(o->lang);
        if (gh && d) /* a GitHub run: each problem an annotation at its line */
            maal_diags_write(d, "github", stdout, o->lang);
        /* as in check: a broken rule (a syntax error) is 3, broken data 2, and 2 wins */
        bool dup = rc == MAAL_OK && !seen_partnership(o, &seen, maal_partnership_id(p), path);
        if (rc == MAAL_OK && maal_diags_errors(d) == 0 && !dup)
            printf("ok %s\n", path);
        else if (rc == MAAL_OK && !dup && maal_diags_errors(d) == nrule_errors)
            rule_error = true;
        else
            exit_code = MAAL_EXIT_INVALID;
        maal_diags_free(d);
        maal_partnership_free(p);
    }
    seen_release(&seen);
    maal_worker_free(w);
    return exit_code == MAAL_EXIT_OK && rule_error ? MAAL_EXIT_RULE : exit_code;
}
