/* test_doc: YAML text -> located nodes: 1-based marks, duplicate keys, alias bombs, depth,
 * scalar styles, one document only, UTF-8 checked with its place, a BOM accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "doc.h"

struct parsed {
    int rc;
    struct maal_doc *doc;
    struct maal_diags d;
};

static struct parsed parse_n(const char *text, size_t len, const struct maal_limits *lim)
{
    struct maal_limits def;
    if (!lim) {
        maal_limits_default(&def);
        lim = &def;
    }
    struct parsed r;
    maal_diags_init(&r.d);
    r.rc = maal_doc_parse("t.yaml", text, len, lim, MAAL_LANG_DA, &r.doc, &r.d);
    return r;
}

static struct parsed parse(const char *text)
{
    return parse_n(text, strlen(text), NULL);
}

static void release(struct parsed *r)
{
    maal_doc_free(r->doc);
    r->doc = NULL;
    maal_diags_release(&r->d);
}

/* The parse under test: released by the teardown even when an assertion fails. */
static struct parsed R;

static int teardown(void **state)
{
    (void)state;
    release(&R);
    maal_mem_fail_after(0);
    return 0;
}

/* The diagnostic at line:col containing 'needle', or fail listing what there was. */
static void expect_diag(const struct maal_diags *d, int line, int col, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].line == line && d->v[i].col == col && strstr(d->v[i].msg, needle))
            return;
    for (size_t i = 0; i < d->n; i++)
        print_message("  diag %d:%d: %s\n", d->v[i].line, d->v[i].col, d->v[i].msg);
    fail_msg("no diagnostic at %d:%d containing '%s'", line, col, needle);
}

/* CPU time of this process: a bound on it holds however busy the machine is */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- marks ---- */

static void test_doc_marks_are_one_based(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\nbb:\n  c: xyz\n  list:\n    - q\n");
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_node *root = R.doc->root;
    assert_non_null(root);
    assert_int_equal(root->type, MAAL_NODE_MAP);
    assert_int_equal(root->line, 1);
    assert_int_equal(root->col, 1);
    assert_int_equal(root->n, 2);
    /* key 'a' and its value */
    assert_int_equal(root->items[0]->line, 1);
    assert_int_equal(root->items[0]->col, 1);
    const struct maal_node *a = maal_node_get(root, "a");
    assert_int_equal(a->line, 1);
    assert_int_equal(a->col, 4);
    /* key 'bb' on line 2, its mapping starts at 'c' on line 3 col 3 */
    assert_int_equal(root->items[2]->line, 2);
    assert_int_equal(root->items[2]->col, 1);
    const struct maal_node *bb = maal_node_get(root, "bb");
    assert_int_equal(bb->type, MAAL_NODE_MAP);
    assert_int_equal(bb->line, 3);
    assert_int_equal(bb->col, 3);
    const struct maal_node *c = maal_node_get(bb, "c");
    assert_string_equal(c->str, "xyz");
    assert_int_equal(c->line, 3);
    assert_int_equal(c->col, 6);
    const struct maal_node *list = maal_node_get(bb, "list");
    assert_int_equal(list->type, MAAL_NODE_SEQ);
    assert_int_equal(list->n, 1);
    assert_int_equal(list->items[0]->line, 5);
    assert_int_equal(list->items[0]->col, 7);
    release(&R);
}

static void test_doc_marks_count_characters_not_bytes(void **state)
{
    (void)state;
    release(&R);
    R = parse("æøå: Brønshøj\nx: {ø: 1, y: 2}\n");
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_node *v = maal_node_get(R.doc->root, "æøå");
    assert_non_null(v);
    assert_int_equal(v->col, 6);
    const struct maal_node *y = maal_node_get(maal_node_get(R.doc->root, "x"), "y");
    assert_non_null(y);
    assert_int_equal(y->line, 2);
    assert_int_equal(y->col, 14);
    release(&R);
}

static void test_doc_empty_file_has_no_root(void **state)
{
    (void)state;
    release(&R);
    R = parse("");
    assert_int_equal(R.rc, MAAL_OK);
    assert_null(R.doc->root);
    release(&R);
    release(&R);
    R = parse("# only a comment\n");
    assert_int_equal(R.rc, MAAL_OK);
    assert_null(R.doc->root);
    release(&R);
}

static void test_doc_file_name_is_kept(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\n");
    assert_int_equal(R.rc, MAAL_OK);
    assert_string_equal(R.doc->file, "t.yaml");
    release(&R);
}

/* ---- duplicate keys ---- */

static void test_doc_duplicate_keys_reported(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\nb: 2\na: 3\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_null(R.doc);
    expect_diag(&R.d, 3, 1, "'a'");
    expect_diag(&R.d, 3, 1, "linje 1");
    assert_int_equal(R.d.n, 1);
    release(&R);
}

static void test_doc_duplicate_keys_every_one_nested(void **state)
{
    (void)state;
    release(&R);
    R = parse("x:\n  k: 1\n  k: 2\n  k: 3\ny: {p: 1, q: 2, p: 3}\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 3, 3, "'k'");
    expect_diag(&R.d, 4, 3, "'k'");
    expect_diag(&R.d, 5, 17, "'p'");
    assert_int_equal(R.d.n, 3);
    release(&R);
}

static void test_doc_same_key_in_different_maps_is_fine(void **state)
{
    (void)state;
    release(&R);
    R = parse("- id: a\n- id: b\n- {id: c}\n");
    assert_int_equal(R.rc, MAAL_OK);
    assert_int_equal(R.d.n, 0);
    release(&R);
}

/* Keys that differ only in style are still the same key. */
static void test_doc_duplicate_keys_quoted_and_plain(void **state)
{
    (void)state;
    release(&R);
    R = parse("name: a\n\"name\": b\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 2, 1, "'name'");
    release(&R);
}

/* Both sides of the small-mapping shortcut (up to 16 keys checked pair by pair, more sorted):
 * the first and the last key equal, and the messages in the same order either way (by key,
 * then by place), each naming the line of the one before it. */
static void test_doc_duplicate_keys_small_and_large_maps(void **state)
{
    (void)state;
    for (int nkeys = 15; nkeys <= 18; nkeys++) {
        char text[1024];
        size_t n = 0;
        for (int i = 0; i < nkeys - 1; i++)
            n += (size_t)snprintf(text + n, sizeof(text) - n, "k%02d: %d\n", i, i);
        snprintf(text + n, sizeof(text) - n, "k00: last\n"); /* line nkeys: as line 1 */
        release(&R);
        R = parse(text);
        assert_int_equal(R.rc, MAAL_ERR_INVALID);
        assert_int_equal(R.d.n, 1);
        expect_diag(&R.d, nkeys, 1, "'k00' står to gange (første gang i linje 1)");
    }
    release(&R);
    R = parse("b: 1\na: 2\nb: 3\na: 4\nb: 5\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_int_equal(R.d.n, 3);
    assert_int_equal(R.d.v[0].line, 4); /* 'a' before 'b' */
    assert_non_null(strstr(R.d.v[0].msg, "'a' står to gange (første gang i linje 2)"));
    assert_int_equal(R.d.v[1].line, 3);
    assert_non_null(strstr(R.d.v[1].msg, "linje 1"));
    assert_int_equal(R.d.v[2].line, 5);
    assert_non_null(strstr(R.d.v[2].msg, "linje 3"));
    release(&R);
}

/* Nested containers share one vector of children while open: each gets its own, in order. */
static void test_doc_nested_children_in_place(void **state)
{
    (void)state;
    release(&R);
    R = parse("a:\n  x: [1, [2, 3], {y: 4, z: [5]}, 6]\n  w: 7\nb: [8]\nc: {}\nd: []\n");
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_node *root = R.doc->root;
    assert_int_equal(root->n, 4);
    const struct maal_node *a = maal_node_get(root, "a"), *x = maal_node_get(a, "x");
    assert_int_equal(a->n, 2);
    assert_string_equal(maal_node_get(a, "w")->str, "7");
    assert_int_equal(x->n, 4);
    assert_string_equal(x->items[0]->str, "1");
    assert_int_equal(x->items[1]->n, 2);
    assert_string_equal(x->items[1]->items[1]->str, "3");
    assert_string_equal(maal_node_get(x->items[2], "y")->str, "4");
    assert_string_equal(maal_node_get(x->items[2], "z")->items[0]->str, "5");
    assert_string_equal(x->items[3]->str, "6");
    assert_string_equal(maal_node_get(root, "b")->items[0]->str, "8");
    assert_int_equal(maal_node_get(root, "c")->n, 0);
    assert_int_equal(maal_node_get(root, "d")->n, 0);
    release(&R);
}

/* ---- aliases ---- */

static void test_doc_aliases_expand(void **state)
{
    (void)state;
    release(&R);
    R = parse("base: &b {x: 1}\nuse: *b\n");
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_node *u = maal_node_get(R.doc->root, "use");
    assert_non_null(u);
    assert_int_equal(u->type, MAAL_NODE_MAP);
    assert_string_equal(maal_node_get(u, "x")->str, "1");
    release(&R);
}

static void test_doc_alias_bomb_refused_quickly(void **state)
{
    (void)state;
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    double t0 = cpu_now();
    release(&R);
    R = parse(bomb);
    double dt = cpu_now() - t0;
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_null(R.doc);
    assert_true(R.d.n >= 1);
    assert_non_null(strstr(R.d.v[0].msg, "alias"));
    assert_true(R.d.v[0].line >= 6 && R.d.v[0].line <= 9); /* 10^6 nodes reached at f..i */
    assert_true(dt < 1.0);
    release(&R);
}

static void test_doc_too_many_aliases_refused(void **state)
{
    (void)state;
    struct maal_buf b = MAAL_BUF_INIT;
    maal_buf_puts(&b, "a: &a x\nl:\n");
    for (int i = 0; i < 1001; i++)
        maal_buf_puts(&b, "  - *a\n");
    release(&R);
    R = parse(maal_buf_str(&b));
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    /* the 1001st alias is the one refused: line 2 + 1001 */
    expect_diag(&R.d, 1003, 5, "alias");
    release(&R);
    maal_buf_release(&b);
    /* 1000 are fine */
    b = (struct maal_buf)MAAL_BUF_INIT;
    maal_buf_puts(&b, "a: &a x\nl:\n");
    for (int i = 0; i < 1000; i++)
        maal_buf_puts(&b, "  - *a\n");
    release(&R);
    R = parse(maal_buf_str(&b));
    assert_int_equal(R.rc, MAAL_OK);
    assert_int_equal(maal_node_get(R.doc->root, "l")->n, 1000);
    release(&R);
    maal_buf_release(&b);
}

static void test_doc_unknown_alias_refused(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\nb: *nope\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_true(R.d.n >= 1);
    assert_int_equal(R.d.v[0].line, 2);
    release(&R);
}

/* An alias to the node that is still being built would make a cycle, which every walk
 * over the tree (params -> Lua, the schema check) would follow for ever. */
static void test_doc_recursive_alias_refused(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(10);
        R = parse("a: &x [1, *x]\n");
        int ok = R.rc == MAAL_ERR_INVALID && R.doc == NULL && R.d.n >= 1 &&
                 R.d.v[0].line == 1;
        if (!ok && R.rc == MAAL_OK) {
            const struct maal_node *a = maal_node_get(R.doc->root, "a");
            fprintf(stderr, "recursive alias accepted: 'a' has %zu items, item 2 %s 'a'\n",
                    a->n, a->n > 1 && a->items[1] == a ? "is" : "is not");
        }
        release(&R);
        release(&R);
        R = parse("m: &m {k: *m}\n");
        ok = ok && R.rc == MAAL_ERR_INVALID;
        release(&R);
        _exit(ok ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (WIFSIGNALED(st))
        fail_msg("parsing a recursive alias crashed (signal %d)", WTERMSIG(st));
    if (WEXITSTATUS(st) != 0)
        fail_msg("a recursive alias (a: &x [1, *x]) was not refused as invalid");
}

/* ---- limits ---- */

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 8);
    size_t o = 0;
    for (int i = 0; i < depth; i++)
        s[o++] = '[';
    s[o++] = '1';
    for (int i = 0; i < depth; i++)
        s[o++] = ']';
    s[o++] = '\n';
    s[o] = '\0';
    return s;
}

static void test_doc_depth_limit(void **state)
{
    (void)state;
    char *ok = nested(64);
    release(&R);
    R = parse(ok);
    assert_int_equal(R.rc, MAAL_OK);
    release(&R);
    free(ok);
    char *deep = nested(65);
    release(&R);
    R = parse(deep);
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 1, 65, "64");
    release(&R);
    free(deep);
    /* very deep input does not recurse in C: refused at once */
    char *huge = nested(100000);
    double t0 = cpu_now();
    release(&R);
    R = parse(huge);
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_true(cpu_now() - t0 < 2.0);
    release(&R);
    free(huge);
}

/* The message names the limit in force, not the default one. */
static void test_doc_depth_limit_message_names_configured_limit(void **state)
{
    (void)state;
    struct maal_limits lim;
    maal_limits_default(&lim);
    lim.max_depth = 3;
    const char *s = "[[[[1]]]]\n";
    release(&R);
    R = parse_n(s, strlen(s), &lim);
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 1, 4, "3");
    for (size_t i = 0; i < R.d.n; i++)
        if (strstr(R.d.v[i].msg, "64"))
            fail_msg("message names 64 levels, the limit is 3: %s", R.d.v[i].msg);
    release(&R);
}

static void test_doc_node_limit(void **state)
{
    (void)state;
    struct maal_limits lim;
    maal_limits_default(&lim);
    lim.max_nodes = 50;
    struct maal_buf b = MAAL_BUF_INIT;
    for (int i = 0; i < 60; i++)
        maal_buf_printf(&b, "- %d\n", i);
    release(&R);
    R = parse_n(maal_buf_str(&b), b.len, &lim);
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_null(R.doc);
    assert_true(R.d.n >= 1);
    release(&R);
    maal_buf_release(&b);
}

/* ---- scalars ---- */

static void test_doc_plain_vs_quoted_scalars(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\nb: '1'\nc: \"x y\"\nd: x y\ne:\nf: ''\ng: |\n  lit\n"
                            "h: >-\n  folded\n  text\n");
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_node *root = R.doc->root;
    const struct maal_node *a = maal_node_get(root, "a"), *b = maal_node_get(root, "b"),
                           *c = maal_node_get(root, "c"), *d = maal_node_get(root, "d"),
                           *e = maal_node_get(root, "e"), *f = maal_node_get(root, "f"),
                           *g = maal_node_get(root, "g"), *h = maal_node_get(root, "h");
    assert_true(a->plain);
    assert_string_equal(a->str, "1");
    assert_false(b->plain);
    assert_string_equal(b->str, "1");
    assert_false(c->plain);
    assert_string_equal(c->str, "x y");
    assert_true(d->plain);
    assert_string_equal(d->str, "x y");
    assert_true(e->plain); /* an empty value is a plain null */
    assert_int_equal(e->len, 0);
    assert_false(f->plain); /* '' is an empty string, not null */
    assert_int_equal(f->len, 0);
    assert_false(g->plain);
    assert_string_equal(g->str, "lit\n");
    assert_false(h->plain);
    assert_string_equal(h->str, "folded text");
    release(&R);
}

/* "x\0y" would be the C string "x": a NUL in any text is refused, with its place */
static void test_doc_scalar_with_escaped_nul_refused(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: \"x\\0y\"\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 1, 4, "NUL");
    release(&R);
}

static void test_doc_tags_kept(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: !!str 12\nb: !custom x\n");
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_node *a = maal_node_get(R.doc->root, "a");
    assert_non_null(a->tag);
    assert_string_equal(a->tag, "tag:yaml.org,2002:str");
    assert_string_equal(maal_node_get(R.doc->root, "b")->tag, "!custom");
    release(&R);
}

static void test_doc_node_get(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\nl: [1, 2]\n");
    assert_int_equal(R.rc, MAAL_OK);
    assert_null(maal_node_get(R.doc->root, "missing"));
    assert_null(maal_node_get(maal_node_get(R.doc->root, "l"), "a")); /* not a mapping */
    assert_null(maal_node_get(NULL, "a"));
    release(&R);
}

/* ---- documents ---- */

static void test_doc_multi_document_refused(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\n---\nb: 2\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_null(R.doc);
    expect_diag(&R.d, 2, 1, "mere end ét");
    release(&R);
    /* one explicit document is fine */
    release(&R);
    R = parse("---\na: 1\n...\n");
    assert_int_equal(R.rc, MAAL_OK);
    release(&R);
}

static void test_doc_syntax_error_located(void **state)
{
    (void)state;
    release(&R);
    R = parse("a: 1\nb: [1, 2\nc: 3\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_true(R.d.n >= 1);
    assert_non_null(strstr(R.d.v[0].msg, "YAML"));
    assert_true(R.d.v[0].line >= 2);
    release(&R);
    release(&R);
    R = parse("a:\n\tb: 1\n");
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 2, 1, "tabulator");
    release(&R);
}

/* ---- encoding ---- */

static void test_doc_invalid_utf8_located(void **state)
{
    (void)state;
    const char text[] = "a: 1\nb: x\xFFy\n";
    release(&R);
    R = parse_n(text, sizeof(text) - 1, NULL);
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    assert_null(R.doc);
    expect_diag(&R.d, 2, 5, "UTF-8");
    release(&R);
    const char text2[] = "a: 1\n\nname: Brønshøj \xC3(\n";
    release(&R);
    R = parse_n(text2, sizeof(text2) - 1, NULL);
    expect_diag(&R.d, 3, 16, "UTF-8");
    release(&R);
}

static void test_doc_nul_byte_located(void **state)
{
    (void)state;
    const char text[] = "a: 1\nb: x\0y\n";
    release(&R);
    R = parse_n(text, sizeof(text) - 1, NULL);
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 2, 5, "NUL");
    release(&R);
}

static void test_doc_bom_accepted(void **state)
{
    (void)state;
    release(&R);
    R = parse("\xEF\xBB\xBF" "maal: 1\nb: æ\n");
    assert_int_equal(R.rc, MAAL_OK);
    const struct maal_node *root = R.doc->root;
    assert_non_null(root);
    /* the key is 'maal', not BOM + 'maal', and still at column 1 */
    assert_non_null(maal_node_get(root, "maal"));
    assert_string_equal(root->items[0]->str, "maal");
    assert_int_equal(root->items[0]->line, 1);
    assert_int_equal(root->items[0]->col, 1);
    assert_int_equal(maal_node_get(root, "maal")->col, 7);
    release(&R);
}

/* With a BOM, a bad byte on line 1 is at the column an editor shows (the BOM is not one). */
static void test_doc_bom_then_invalid_utf8_column(void **state)
{
    (void)state;
    const char text[] = "\xEF\xBB\xBF" "a: \xFF\n";
    release(&R);
    R = parse_n(text, sizeof(text) - 1, NULL);
    assert_int_equal(R.rc, MAAL_ERR_INVALID);
    expect_diag(&R.d, 1, 4, "UTF-8");
    release(&R);
}

/* ---- memory ---- */

static void test_doc_out_of_memory_is_clean(void **state)
{
    (void)state;
    const char *text = "a: &x {k: [1, 2, 3]}\nb: *x\nc:\n  - {d: e}\n  - f\n";
    maal_mem_fail_after(0);
    release(&R);
    R = parse(text);
    assert_int_equal(R.rc, MAAL_OK);
    long total = maal_mem_count();
    release(&R);
    assert_true(total > 0);
    for (long n = 1; n <= total; n++) {
        maal_mem_fail_after(n);
        release(&R);
        R = parse(text);
        maal_mem_fail_after(0);
        if (R.rc != MAAL_ERR_NOMEM && R.rc != MAAL_OK)
            fail_msg("allocation %ld failing gave rc %d", n, R.rc);
        if (R.rc == MAAL_ERR_NOMEM)
            assert_null(R.doc);
        release(&R);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_doc_marks_are_one_based, teardown),
        cmocka_unit_test_teardown(test_doc_marks_count_characters_not_bytes, teardown),
        cmocka_unit_test_teardown(test_doc_empty_file_has_no_root, teardown),
        cmocka_unit_test_teardown(test_doc_file_name_is_kept, teardown),
        cmocka_unit_test_teardown(test_doc_duplicate_keys_reported, teardown),
        cmocka_unit_test_teardown(test_doc_duplicate_keys_every_one_nested, teardown),
        cmocka_unit_test_teardown(test_doc_same_key_in_different_maps_is_fine, teardown),
        cmocka_unit_test_teardown(test_doc_duplicate_keys_quoted_and_plain, teardown),
        cmocka_unit_test_teardown(test_doc_duplicate_keys_small_and_large_maps, teardown),
        cmocka_unit_test_teardown(test_doc_nested_children_in_place, teardown),
        cmocka_unit_test_teardown(test_doc_aliases_expand, teardown),
        cmocka_unit_test_teardown(test_doc_alias_bomb_refused_quickly, teardown),
        cmocka_unit_test_teardown(test_doc_too_many_aliases_refused, teardown),
        cmocka_unit_test_teardown(test_doc_unknown_alias_refused, teardown),
        cmocka_unit_test_teardown(test_doc_recursive_alias_refused, teardown),
        cmocka_unit_test_teardown(test_doc_depth_limit, teardown),
        cmocka_unit_test_teardown(test_doc_depth_limit_message_names_configured_limit, teardown),
        cmocka_unit_test_teardown(test_doc_node_limit, teardown),
        cmocka_unit_test_teardown(test_doc_plain_vs_quoted_scalars, teardown),
        cmocka_unit_test_teardown(test_doc_scalar_with_escaped_nul_refused, teardown),
        cmocka_unit_test_teardown(test_doc_tags_kept, teardown),
        cmocka_unit_test_teardown(test_doc_node_get, teardown),
        cmocka_unit_test_teardown(test_doc_multi_document_refused, teardown),
        cmocka_unit_test_teardown(test_doc_syntax_error_located, teardown),
        cmocka_unit_test_teardown(test_doc_invalid_utf8_located, teardown),
        cmocka_unit_test_teardown(test_doc_nul_byte_located, teardown),
        cmocka_unit_test_teardown(test_doc_bom_accepted, teardown),
        cmocka_unit_test_teardown(test_doc_bom_then_invalid_utf8_column, teardown),
        cmocka_unit_test_teardown(test_doc_out_of_memory_is_clean, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
