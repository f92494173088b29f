/* stdrules: the standard rules (the .lua files of rules/) compiled when maal is built, so that
 * a run does not compile their text (issue 19: compiling the seven rules one example uses was
 * a seventh of its instructions). Internal to libmaal. */
#ifndef MAAL_STDRULES_H
#define MAAL_STDRULES_H

#include <stdbool.h>
#include <stddef.h>

/* When text[0..len) is, byte for byte, the text of a standard rule: *bc (maal_malloc, the
 * caller frees it with maal_free) and *bclen are set to that rule's bytecode with the chunk
 * name "@path", the same bytes lua_dump gives of the text loaded under that name; true.
 * Otherwise (another text, this Lua not 5.4, no memory) false and *bc unchanged: the text is
 * compiled as before. Only for a Lua that accepted maal's own build-time bytecode (the
 * prelude's): the build's compiler is the one that made both. */
bool maal_stdrule_bc(const char *text, size_t len, const char *path, char **bc, size_t *bclen);

#endif
