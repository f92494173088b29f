/* test_check: 'maal check' (cli/check.c) with an allocation failure injected at each of the
 * main thread's allocations in turn (the -o outputs, the reports begun, the previous result,
 * the pool's job ring, reporting, committing): every run ends with a clean exit code, leaks
 * nothing (LeakSanitizer, checked in the check's own process), and a run that fails replaces
 * no -o file (the previous reports stay byte for byte). The command line's sources are
 * linked in (Makefile); each run is a process of its own, as the check forks its backstop
 * child. */
#include <dirent.h>
#include <fcntl.h>
#include <sanitizer/lsan_interface.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#undef main /* the command line's main is maal_cli_main here (the Makefile's -Dmain=) */
#include "cli.h"
#include "util.h" /* maal_mem_fail_after: the test reaches inside */

#define PREVIOUS "a previous report, not to be lost\n"
#define MAX_POINTS 20000

static char dir[64];
static char json_out[128], md_out[128], prev_json[128], err_txt[128];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The start of the file at 'path' (up to 8 KiB), NUL-terminated in buf; "" without one. */
static const char *slurp(const char *path, char buf[static 8192])
{
    size_t n = 0;
    FILE *f = fopen(path, "r");
    if (f) {
        n = fread(buf, 1, 8191, f);
        fclose(f);
    }
    buf[n] = '\0';
    return buf;
}

/* Whether the file at 'path' holds exactly 'text'. */
static bool holds(const char *path, const char *text)
{
    char buf[8192];
    return !strcmp(slurp(path, buf), text);
}

/* The number of entries in 'dir' (without . and ..). */
static int entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

/* One check of an example's goal, with two -o files (and --compare), the main thread's
 * allocation number 'fail_at' failing (0: none). Returns its exit code (99: a leak). */
static int run_check(long fail_at, bool compare)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        int err = open(err_txt, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(null, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        static char *files[] = {MAAL_SOURCE_DIR "/examples/amager-2017/partnership.yaml"};
        static const char *outputs[2], *goals[] = {"unge-kriminalitet"};
        outputs[0] = json_out;
        outputs[1] = md_out;
        struct opts o = {.color = -1, .outputs = outputs, .noutputs = 2, .goals = goals,
                         .ngoals = 1, .compare = compare ? prev_json : NULL, .jobs = 1};
        snprintf(o.today, sizeof(o.today), "2024-01-01");
        o.fail_on[MAAL_FAIL] = true;
        maal_mem_fail_after(fail_at);
        int rc = cli_prepare(&o, false); /* as main() does: the engine, then the command */
        if (rc < 0)
            rc = cmd_check(&o, 1, files);
        cli_release(&o);
        maal_mem_fail_after(0);
        _exit(__lsan_do_recoverable_leak_check() ? 99 : rc);
    }
    int status;
    assert_true(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_check_every_early_failure_releases_everything(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/maal-test-check-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(json_out, sizeof(json_out), "json=%s/report.json", dir);
    snprintf(md_out, sizeof(md_out), "markdown=%s/report.md", dir);
    snprintf(prev_json, sizeof(prev_json), "%s/previous.json", dir);
    snprintf(err_txt, sizeof(err_txt), "%s/stderr.txt", dir);
    /* the previous result: this run's own JSON report */
    char first[160];
    snprintf(first, sizeof(first), "%s/report.json", dir);
    write_file(first, "");
    assert_int_equal(run_check(0, false), 0);
    assert_int_equal(rename(first, prev_json), 0);
    assert_int_equal(run_check(0, true), 0); /* unchanged: no regression, exit 0 */

    long failed = 0, points = 0;
    for (long n = 1; n < MAX_POINTS; n++) {
        write_file(json_out + 5, PREVIOUS);
        write_file(md_out + 9, PREVIOUS);
        int rc = run_check(n, true);
        points++;
        if (rc == 0) {
            /* the fault came after the last allocation (or was absorbed): both written */
            if (holds(json_out + 5, PREVIOUS) || holds(md_out + 9, PREVIOUS))
                fail_msg("allocation %ld: exit 0 but a report was not written", n);
            break;
        }
        failed++;
        if (rc != 2)
            fail_msg("allocation %ld failing: exit %d (expected 2; 99 is a leak)", n, rc);
        /* the files are replaced together: a failure anywhere, committing included (the
         * markdown file's temporary name after the JSON file was in place, once), replaces
         * neither */
        if (!holds(json_out + 5, PREVIOUS) || !holds(md_out + 9, PREVIOUS))
            fail_msg("allocation %ld failing: a previous report was replaced (json %d, md %d)", n,
                     holds(json_out + 5, PREVIOUS), holds(md_out + 9, PREVIOUS));
        /* report.json, report.md, previous.json, stderr.txt: no temporary file, no backup */
        if (entries(dir) != 4)
            fail_msg("allocation %ld failing: %d files in the folder, expected 4", n, entries(dir));
    }
    print_message("%ld fault points, %ld of them failed the run cleanly\n", points, failed);
    assert_true(failed > 10); /* the sweep reached the outputs, the reports and the pool */
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_every_early_failure_releases_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
