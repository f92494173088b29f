/* fuzz_load: libFuzzer target for the loader: bytes -> YAML document -> validated model. */
#include <stdint.h>
#include <stdio.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink; /* printing the diagnostics runs the caret and source-line code too */
    if (!sink)
        sink = fopen("/dev/null", "w");
    struct maal_limits lim;
    maal_limits_default(&lim);
    struct maal_diags diags;
    maal_diags_init(&diags);
    struct maal_partnership *p = NULL;
    /* the text is not NUL-terminated: the loader must keep to 'size' bytes */
    int rc = maal_partnership_parse("fuzz.yaml", (const char *)data, size, &lim, MAAL_LANG_DA,
                                    &p, &diags);
    if (rc == MAAL_OK && !p)
        __builtin_trap(); /* success without a model breaks the documented contract */
    if (rc != MAAL_OK && p)
        __builtin_trap(); /* so does a failure that leaves an output behind */
    if (rc == MAAL_ERR_INVALID && !diags.oom && maal_diags_count(&diags, MAAL_SEV_ERROR) == 0)
        __builtin_trap(); /* invalid input is always explained */
    if (sink)
        maal_diags_print(&diags, sink, MAAL_LANG_DA);
    maal_partnership_free(p);
    maal_diags_release(&diags);
    return 0;
}
