/* doc: YAML text -> a tree of located nodes, with bounded aliases, depth and size. */
#include "doc.h"

#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct frame {
    struct maal_node *node;
    size_t start; /* its children so far: the builder's items from 'start' on */
    const char *anchor;
};

struct anchor {
    const char *name;
    struct maal_node *node;
};

struct builder {
    struct maal_doc *doc;
    const char *text;
    size_t len;
    const struct maal_limits *lim;
    enum maal_lang lang;
    struct maal_diags *diags;
    struct frame *stack;
    size_t depth, stack_cap;
    struct maal_node **items; /* the children of every open container, innermost last: one
                               * vector for all, not an allocation per container */
    size_t nitems, items_cap;
    void *anchors; /* a tsearch tree of struct anchor, by name: no linear scan per alias */
    size_t aliases, nodes;
    bool failed;
};

static void err_at(struct builder *b, int line, int col, const char *da, const char *en)
{
    maal_diags_add(b->diags, MAAL_SEV_ERROR, b->doc->file, line, col, "%s", TR(b->lang, da, en));
    b->failed = true;
}

static struct maal_node *new_node(struct builder *b, enum maal_node_type t, yaml_mark_t m,
                                  const yaml_char_t *tag)
{
    struct maal_node *n = maal_arena_alloc(&b->doc->arena, sizeof(*n));
    if (!n)
        return NULL;
    memset(n, 0, sizeof(*n));
    n->type = t;
    n->line = (int)m.line + 1; /* libyaml marks are 0-based: the one place we convert */
    n->col = (int)m.column + 1;
    n->weight = 1;
    if (tag) {
        n->tag = maal_arena_strndup(&b->doc->arena, (const char *)tag, strlen((const char *)tag));
        if (!n->tag)
            return NULL;
    }
    return n;
}

static int cmp_anchor(const void *a, const void *b)
{
    return strcmp(((const struct anchor *)a)->name, ((const struct anchor *)b)->name);
}

static bool remember_anchor(struct builder *b, const yaml_char_t *name, struct maal_node *n)
{
    if (!name)
        return true;
    struct anchor *a = maal_arena_alloc(&b->doc->arena, sizeof(*a));
    if (!a)
        return false;
    a->name = maal_arena_strndup(&b->doc->arena, (const char *)name, strlen((const char *)name));
    a->node = n;
    if (!a->name)
        return false;
    struct anchor **at = tsearch(a, &b->anchors, cmp_anchor);
    if (!at)
        return false;
    (*at)->node = n; /* latest definition wins, as in YAML */
    return true;
}

static struct maal_node *find_anchor(struct builder *b, const char *name)
{
    struct anchor key = {.name = name};
    struct anchor **at = tfind(&key, &b->anchors, cmp_anchor);
    return at ? (*at)->node : NULL;
}

/* Append a finished node to the innermost open container (or make it the root). */
static bool attach(struct builder *b, struct maal_node *n)
{
    b->nodes += n->weight;
    if (b->nodes > b->lim->max_nodes)
        return false;
    if (b->depth == 0) {
        b->doc->root = n;
        return true;
    }
    struct frame *f = &b->stack[b->depth - 1];
    if (b->nitems == b->items_cap) {
        size_t cap = b->items_cap ? b->items_cap * 2 : 256;
        struct maal_node **v = maal_realloc(b->items, cap * sizeof(*v));
        if (!v)
            return false;
        b->items = v;
        b->items_cap = cap;
    }
    b->items[b->nitems++] = n;
    f->node->weight += n->weight;
    return true;
}

static int cmp_key(const void *a, const void *b)
{
    const struct maal_node *x = *(struct maal_node *const *)a;
    const struct maal_node *y = *(struct maal_node *const *)b;
    int c = strcmp(x->str, y->str);
    if (c)
        return c;
    return x->line != y->line ? x->line - y->line : x->col - y->col;
}

static void check_duplicate_keys(struct builder *b, struct maal_node *map)
{
    size_t nk = map->n;
    if (nk < 2)
        return;
    if (nk <= 16) { /* a small mapping, most of them: a pair of equal keys, or nothing to say */
        bool dup = false;
        for (size_t i = 0; i < nk && !dup; i++) {
            const struct maal_node *x = map->items[2 * i];
            for (size_t j = i + 1; j < nk && !dup && x->type == MAAL_NODE_SCALAR; j++)
                dup = map->items[2 * j]->type == MAAL_NODE_SCALAR &&
                      strcmp(x->str, map->items[2 * j]->str) == 0;
        }
        if (!dup)
            return;
    }
    struct maal_node **keys = maal_malloc(nk * sizeof(*keys));
    if (!keys)
        return;
    size_t k = 0;
    for (size_t i = 0; i < nk; i++)
        if (map->items[2 * i]->type == MAAL_NODE_SCALAR)
            keys[k++] = map->items[2 * i];
    qsort(keys, k, sizeof(*keys), cmp_key);
    for (size_t i = 1; i < k; i++) {
        if (strcmp(keys[i]->str, keys[i - 1]->str) == 0) {
            char exb[MAAL_EXCERPT_SIZE];
            maal_diags_add(b->diags, MAAL_SEV_ERROR, b->doc->file, keys[i]->line, keys[i]->col,
                           TR(b->lang, "nøglen '%s' står to gange (første gang i linje %d)",
                              "duplicate key '%s' (first at line %d)"),
                           maal_excerpt(exb, sizeof(exb), keys[i]->str), keys[i - 1]->line);
            b->failed = true;
        }
    }
    maal_free(keys);
}

static bool close_container(struct builder *b)
{
    struct frame *f = &b->stack[--b->depth];
    struct maal_node *n = f->node;
    size_t count = b->nitems - f->start;
    if (count) {
        n->items = maal_arena_alloc(&b->doc->arena, count * sizeof(*n->items));
        if (!n->items)
            return false;
        memcpy(n->items, b->items + f->start, count * sizeof(*n->items));
    }
    n->n = n->type == MAAL_NODE_MAP ? count / 2 : count;
    b->nitems = f->start;
    if (n->type == MAAL_NODE_MAP)
        check_duplicate_keys(b, n);
    b->nodes -= n->weight - 1; /* children were counted when attached */
    return attach(b, n);
}

static bool open_container(struct builder *b, struct maal_node *n)
{
    if (b->depth == b->stack_cap) {
        size_t cap = b->stack_cap ? b->stack_cap * 2 : 16;
        struct frame *s = maal_realloc(b->stack, cap * sizeof(*s));
        if (!s)
            return false;
        b->stack = s;
        b->stack_cap = cap;
    }
    struct frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof(*f));
    f->node = n;
    f->start = b->nitems;
    return true;
}

/* libyaml's problems, said the way a person fixing the file needs them: what is wrong and
 * what was expected, in the user's language, at the place to fix. */
struct yaml_says {
    const char *problem, *context; /* substrings of libyaml's texts; NULL matches anything */
    bool at_context;               /* report at the context mark (where the thing began) */
    const char *da, *en;           /* may use %d for the context line */
};

static const struct yaml_says yaml_says[] = {
    {"found unexpected end of stream", "quoted scalar", true,
     "anførselstegnet lukkes aldrig, forventede et afsluttende anførselstegn",
     "the quotation mark is never closed, expected a closing quotation mark"},
    {"did not find expected ',' or ']'", NULL, false,
     "listen fra linje %d er ikke lukket, forventede ',' eller ']'",
     "the list from line %d is not closed, expected ',' or ']'"},
    {"did not find expected ',' or '}'", NULL, false,
     "tabellen fra linje %d er ikke lukket, forventede ',' eller '}'",
     "the mapping from line %d is not closed, expected ',' or '}'"},
    {"found a tab character", NULL, false,
     "tabulator i indrykningen, forventede mellemrum (YAML tillader kun mellemrum til indrykning)",
     "a tab in the indentation, expected spaces (YAML allows only spaces for indentation)"},
    {"did not find expected key", "block mapping", false,
     "forkert indrykning, forventede samme indrykning som nøglerne ovenfor (fra linje %d)",
     "wrong indentation, expected the same indentation as the keys above (from line %d)"},
    {"did not find expected '-' indicator", NULL, false,
     "forkert indrykning i listen fra linje %d, forventede '- ' foran hvert punkt",
     "wrong indentation in the list from line %d, expected '- ' before each item"},
    {"mapping values are not allowed", NULL, false,
     "':' her kan ikke starte en ny nøgle, forventede teksten i anførselstegn eller en ny linje",
     "':' here cannot start a new key, expected the text in quotes or on a new line"},
    {"found unexpected end of stream", NULL, true,
     "filen slutter midt i et element (fra linje %d)",
     "the file ends in the middle of an element (from line %d)"},
    {"found undefined tag handle", NULL, false, "ukendt tag, forventede ingen tags",
     "unknown tag handle, expected no tags"},
    {"did not find expected key", NULL, false,
     "forkert indrykning, forventede en nøgle som 'navn:' (fra linje %d)",
     "wrong indentation, expected a key such as 'name:' (from line %d)"},
    {"could not find expected ':'", NULL, true,
     "nøglen fra linje %d mangler ':', forventede 'nøgle: værdi'",
     "the key from line %d lacks ':', expected 'key: value'"},
    {"did not find expected node content", NULL, false,
     "her mangler en værdi, forventede tekst, et tal, en liste eller en tabel",
     "a value is missing here, expected text, a number, a list or a mapping"},
    {"block sequence entries are not allowed", NULL, false,
     "'- ' er ikke tilladt her, forventede listen på sin egen linje med samme indrykning",
     "'- ' is not allowed here, expected the list on its own lines with the same indentation"},
    {"found unknown escape character", NULL, false,
     "ukendt escape-tegn efter '\\' i teksten, forventede '\\\\' eller enkelte anførselstegn",
     "unknown escape character after '\\' in the text, expected '\\\\' or single quotes"},
    {"control characters are not allowed", NULL, false,
     "kontroltegn i filen, forventede almindelig tekst",
     "control characters in the file, expected plain text"},
    {"did not find expected <document start>", NULL, false,
     "mere end ét dokument i filen, forventede ét",
     "more than one document in the file, expected one"},
    {"found unexpected end of stream", NULL, true,
     "filen slutter midt i et element (fra linje %d)",
     "the file ends in the middle of an element (from line %d)"},
    {NULL, NULL, false, NULL, NULL},
};

static void yaml_problem(struct builder *b, const yaml_parser_t *p)
{
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->problem ? p->problem : "unknown problem";
    const char *context = p->context ? p->context : "";
    int cline = (int)p->context_mark.line + 1;
    /* libyaml's mark.index counts characters, not bytes: find the byte from line and column */
    size_t at = 0;
    for (size_t line = 0; at < b->len && line < m.line; at++)
        if (b->text[at] == '\n')
            line++;
    for (size_t col = 0; at < b->len && col < m.column; col++)
        do
            at++;
        while (at < b->len && ((unsigned char)b->text[at] & 0xC0) == 0x80);
    unsigned char c = at < b->len ? (unsigned char)b->text[at] : 0;
    const char *msg_da = NULL, *msg_en = NULL;
    char buf_da[300], buf_en[300];
    if (strstr(problem, "cannot start any token") || strstr(problem, "mapping keys are not allowed")) {
        if (c == '\t') {
            msg_da = "tabulator i indrykningen, forventede mellemrum (YAML tillader kun mellemrum "
                     "til indrykning)";
            msg_en = "a tab in the indentation, expected spaces (YAML allows only spaces for "
                     "indentation)";
        } else if (c == '?') {
            msg_da = "'?' uden anførselstegn, forventede \"?\" (et '?' alene betyder noget andet "
                     "i YAML)";
            msg_en = "'?' without quotes, expected \"?\" (a bare '?' means something else in YAML)";
        } else if (c == '@' || c == '`' || c == '%') {
            snprintf(buf_da, sizeof(buf_da), "tegnet '%c' kan ikke starte et element, forventede "
                                             "teksten i anførselstegn", c);
            snprintf(buf_en, sizeof(buf_en), "the character '%c' cannot start an element, "
                                             "expected the text in quotes", c);
            msg_da = buf_da;
            msg_en = buf_en;
        }
    }
    for (const struct yaml_says *y = yaml_says; !msg_da && y->problem; y++) {
        if (!strstr(problem, y->problem) || (y->context && !strstr(context, y->context)))
            continue;
        snprintf(buf_da, sizeof(buf_da), y->da, cline);
        snprintf(buf_en, sizeof(buf_en), y->en, cline);
        msg_da = buf_da;
        msg_en = buf_en;
        if (y->at_context)
            m = p->context_mark;
    }
    if (msg_da)
        maal_diags_add(b->diags, MAAL_SEV_ERROR, b->doc->file, (int)m.line + 1, (int)m.column + 1,
                       "%s: %s", TR(b->lang, "YAML-syntaksfejl", "YAML syntax error"),
                       TR(b->lang, msg_da, msg_en));
    else if (b->lang == MAAL_LANG_EN && p->context)
        maal_diags_add(b->diags, MAAL_SEV_ERROR, b->doc->file, (int)m.line + 1,
                       (int)m.column + 1, "YAML syntax error: %s (%s at line %d)", problem,
                       p->context, cline);
    else if (b->lang == MAAL_LANG_EN)
        maal_diags_add(b->diags, MAAL_SEV_ERROR, b->doc->file, (int)m.line + 1,
                       (int)m.column + 1, "YAML syntax error: %s", problem);
    else /* libyaml's text is English: say it in Danish, with the common causes */
        maal_diags_add(b->diags, MAAL_SEV_ERROR, b->doc->file, (int)m.line + 1,
                       (int)m.column + 1,
                       "YAML-syntaksfejl: filen kan ikke læses her (fra linje %d), forventede gyldig "
                       "YAML; tjek for en tabulator i indrykningen, et anførselstegn eller en "
                       "parentes der ikke lukkes, eller et ':' i en tekst uden anførselstegn",
                       cline);
    b->failed = true;
}

int maal_doc_parse(const char *file, const char *text, size_t len, const struct maal_limits *lim,
                   enum maal_lang lang, struct maal_doc **out, struct maal_diags *diags)
{
    *out = NULL;
    struct maal_doc *doc = maal_calloc(1, sizeof(*doc));
    if (!doc)
        return MAAL_ERR_NOMEM;
    maal_arena_init(&doc->arena);
    doc->file = maal_arena_strndup(&doc->arena, file, strlen(file));
    if (!doc->file) {
        maal_free(doc);
        return MAAL_ERR_NOMEM;
    }
    struct builder b = {.doc = doc, .lim = lim, .lang = lang, .diags = diags, .text = text,
                        .len = len};
    int rc = MAAL_OK;

    int bad_line, bad_col;
    size_t off;
    if (!maal_utf8_find_bad(text, len, &bad_line, &bad_col, &off)) {
        unsigned char byte = off < len ? (unsigned char)text[off] : 0;
        if (byte == 0)
            maal_diags_add(diags, MAAL_SEV_ERROR, doc->file, bad_line, bad_col, "%s",
                           TR(lang, "NUL-byte i filen, forventede UTF-8-tekst",
                              "a NUL byte in the file, expected UTF-8 text"));
        else
            maal_diags_add(diags, MAAL_SEV_ERROR, doc->file, bad_line, bad_col,
                           TR(lang, "ugyldig UTF-8-byte 0x%02X, forventede UTF-8-tekst (gem filen "
                                    "som UTF-8)",
                              "invalid UTF-8 byte 0x%02X, expected UTF-8 text (save the file as "
                              "UTF-8)"),
                           byte);
        b.failed = true;
        rc = MAAL_ERR_INVALID;
        goto done;
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        rc = MAAL_ERR_NOMEM;
        goto done;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int docs = 0;
    bool finished = false;
    while (!finished) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR)
                rc = MAAL_ERR_NOMEM;
            else
                yaml_problem(&b, &parser);
            break;
        }
        bool ok = true;
        struct maal_node *n;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            finished = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                err_at(&b, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                       "filen har mere end ét YAML-dokument, forventede ét",
                       "file has more than one YAML document, expected one");
                finished = true;
            }
            break;
        case YAML_SCALAR_EVENT:
            /* an escaped "\0" would end the C string there: "indbrud\0hidden" read as
             * 'indbrud'. Every text is a C string, so NUL is refused in any of them. */
            if (memchr(ev.data.scalar.value, 0, ev.data.scalar.length))
                err_at(&b, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                       "teksten indeholder et NUL-tegn (\\0), forventede tekst uden NUL",
                       "the text holds a NUL character (\\0), expected text without NUL");
            n = new_node(&b, MAAL_NODE_SCALAR, ev.start_mark, ev.data.scalar.tag);
            ok = n != NULL;
            if (ok) {
                n->str = maal_arena_strndup(&doc->arena, (const char *)ev.data.scalar.value,
                                            ev.data.scalar.length);
                n->len = ev.data.scalar.length;
                n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
                ok = n->str && remember_anchor(&b, ev.data.scalar.anchor, n) && attach(&b, n);
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (b.depth >= lim->max_depth) {
                maal_diags_add(diags, MAAL_SEV_ERROR, doc->file, (int)ev.start_mark.line + 1,
                               (int)ev.start_mark.column + 1,
                               TR(lang, "for dyb indlejring, forventede højst %zu niveauer",
                                  "nesting too deep, expected at most %zu levels"),
                               lim->max_depth);
                b.failed = true;
                finished = true;
                break;
            }
            n = new_node(&b,
                         ev.type == YAML_MAPPING_START_EVENT ? MAAL_NODE_MAP : MAAL_NODE_SEQ,
                         ev.start_mark,
                         ev.type == YAML_MAPPING_START_EVENT ? ev.data.mapping_start.tag
                                                             : ev.data.sequence_start.tag);
            ok = n && open_container(&b, n) &&
                 remember_anchor(&b,
                                 ev.type == YAML_MAPPING_START_EVENT
                                     ? ev.data.mapping_start.anchor
                                     : ev.data.sequence_start.anchor,
                                 n);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            ok = close_container(&b);
            break;
        case YAML_ALIAS_EVENT: {
            struct maal_node *target = find_anchor(&b, (const char *)ev.data.alias.anchor);
            if (!target) {
                maal_diags_add(diags, MAAL_SEV_ERROR, doc->file, (int)ev.start_mark.line + 1,
                               (int)ev.start_mark.column + 1,
                               TR(lang, "ukendt alias '*%s', forventede et anker '&%s' defineret før",
                                  "unknown alias '*%s', expected an anchor '&%s' defined before it"),
                               (const char *)ev.data.alias.anchor, (const char *)ev.data.alias.anchor);
                b.failed = true;
                finished = true;
                break;
            }
            bool open = false; /* an alias to a node still being built is a cycle */
            for (size_t k = 0; k < b.depth && !open; k++)
                open = b.stack[k].node == target;
            if (open) {
                maal_diags_add(diags, MAAL_SEV_ERROR, doc->file, (int)ev.start_mark.line + 1,
                               (int)ev.start_mark.column + 1,
                               TR(lang, "aliasset '*%s' peger på sig selv (en løkke), forventede et "
                                        "anker til et færdigt element",
                                  "the alias '*%s' refers to itself (a cycle), expected an anchor "
                                  "of a finished element"),
                               (const char *)ev.data.alias.anchor);
                b.failed = true;
                finished = true;
                break;
            }
            if (++b.aliases > lim->max_aliases || b.nodes + target->weight > lim->max_nodes) {
                char na[48], nn[48];
                maal_fmt_number(na, sizeof(na), (double)lim->max_aliases, 0, lang);
                maal_fmt_number(nn, sizeof(nn), (double)lim->max_nodes, 0, lang);
                maal_diags_add(diags, MAAL_SEV_ERROR, doc->file, (int)ev.start_mark.line + 1,
                               (int)ev.start_mark.column + 1,
                               TR(lang, "for mange alias-udfoldninger (alias-bombe?), forventede "
                                        "højst %s aliasser og %s knuder",
                                  "too many alias expansions (an alias bomb?), expected at most "
                                  "%s aliases and %s nodes"),
                               na, nn);
                b.failed = true;
                finished = true;
                break;
            }
            ok = attach(&b, target);
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (!ok) {
            if (b.nodes > lim->max_nodes) {
                err_at(&b, 0, 0, "for mange knuder i filen", "too many nodes in the file");
            } else {
                rc = MAAL_ERR_NOMEM;
            }
            break;
        }
    }
    yaml_parser_delete(&parser);

done:
    maal_free(b.stack);
    maal_free(b.items);
    while (b.anchors) /* tdestroy is GNU only */
        tdelete(*(struct anchor **)b.anchors, &b.anchors, cmp_anchor);
    if (rc == MAAL_OK && b.failed)
        rc = MAAL_ERR_INVALID;
    if (rc != MAAL_OK) {
        maal_doc_free(doc);
        return rc;
    }
    *out = doc;
    return MAAL_OK;
}

void maal_doc_free(struct maal_doc *doc)
{
    if (!doc)
        return;
    maal_arena_release(&doc->arena);
    maal_free(doc);
}

struct maal_node *maal_node_get(const struct maal_node *map, const char *key)
{
    if (!map || map->type != MAAL_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++) {
        const struct maal_node *k = map->items[2 * i];
        /* the first byte first: most keys differ there, and it spares the call */
        if (k->type == MAAL_NODE_SCALAR && k->str[0] == key[0] && strcmp(k->str, key) == 0)
            return map->items[2 * i + 1];
    }
    return NULL;
}
