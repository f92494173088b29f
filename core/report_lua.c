/* report_lua: runs a plugin's Lua reporter (reporters/NAME.lua) on the JSON result, in the
 * sandbox; the reporter writes through a sink, never with io. */
#include <jansson.h>

#include "report.h"

json_t *maal_json_finish(struct maal_report *rp);

extern const struct maal_reporter maal_reporter_json_tree;

static void lua_begin(struct maal_report *rp)
{
    maal_reporter_json_tree.begin(rp);
}

static void lua_partnership(struct maal_report *rp, const struct maal_presults *pr)
{
    maal_reporter_json_tree.partnership(rp, pr);
}

static void lua_end(struct maal_report *rp)
{
    json_t *root = maal_json_finish(rp);
    if (!root) {
        rp->out.oom = true;
        return;
    }
    /* the reason goes to the report's diagnostics, as maal_report_fail's would; when even it
     * could not be kept, the report fails as out of memory */
    size_t had = rp->diags.n;
    if (maal_eval_reporter(rp->lua_path, rp->limits, rp->lang, root, &rp->out, &rp->diags) !=
            MAAL_OK &&
        rp->diags.n == had)
        rp->out.oom = true;
    json_decref(root);
}

const struct maal_reporter maal_reporter_lua = {"lua", lua_begin, lua_partnership, lua_end,
                                                NULL,  NULL};
