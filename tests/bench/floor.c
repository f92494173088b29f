/* floor: the lower bound of 'make bench'. Reads each file and runs libyaml's parser over it
 * to the end, event by event, building nothing: what any checker that parses YAML with
 * libyaml must at least spend. Prints the number of files and events.
 *
 * usage: floor FILE... | floor --list LISTFILE
 * Exit 0 if every file parsed, 1 if one did not (its error is printed), 2 on usage errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        unsigned char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Parse one file; returns the number of events, or -1 on an error. */
static long parse_file(const char *path)
{
    size_t len;
    unsigned char *text = read_all(path, &len);
    if (!text) {
        perror(path);
        return -1;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(text);
        return -1;
    }
    yaml_parser_set_input_string(&parser, text, len);
    long events = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            fprintf(stderr, "%s:%zu:%zu: %s\n", path, parser.problem_mark.line + 1,
                    parser.problem_mark.column + 1, parser.problem ? parser.problem : "error");
            events = -1;
            break;
        }
        yaml_event_type_t t = ev.type;
        yaml_event_delete(&ev);
        events++;
        if (t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&parser);
    free(text);
    return events;
}

int main(int argc, char **argv)
{
    long files = 0, events = 0;
    int bad = 0;
    if (argc == 3 && strcmp(argv[1], "--list") == 0) {
        FILE *l = fopen(argv[2], "r");
        if (!l) {
            perror(argv[2]);
            return 2;
        }
        char line[4096];
        while (fgets(line, sizeof(line), l)) {
            line[strcspn(line, "\n")] = '\0';
            if (!*line)
                continue;
            long e = parse_file(line);
            files++;
            if (e < 0)
                bad = 1;
            else
                events += e;
        }
        fclose(l);
    } else if (argc >= 2) {
        for (int i = 1; i < argc; i++) {
            long e = parse_file(argv[i]);
            files++;
            if (e < 0)
                bad = 1;
            else
                events += e;
        }
    } else {
        fprintf(stderr, "usage: floor FILE... | floor --list LISTFILE\n");
        return 2;
    }
    printf("floor: %ld files, %ld events\n", files, events);
    return bad;
}
