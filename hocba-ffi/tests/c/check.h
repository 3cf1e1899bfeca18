/* Tiny test helpers shared by the C test programs (run by tests/c_programs.rs). */
#ifndef HOCBA_TEST_CHECK_H
#define HOCBA_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            check_failures++;                                                            \
        }                                                                                \
    } while (0)

#define CHECK_RESULT(expr, expected)                                                     \
    do {                                                                                 \
        hocba_result check_got_ = (expr);                                                \
        if (check_got_ != (hocba_result)(expected)) {                                    \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %s\n", __FILE__,       \
                    __LINE__, #expr, (unsigned)check_got_,                               \
                    hocba_result_message(check_got_), #expected);                        \
            check_failures++;                                                            \
        }                                                                                \
    } while (0)

/* Reads a whole file; the caller frees *data with free(). Exits on failure. */
static void read_file(const char *path, unsigned char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            unsigned char *bigger = realloc(buf, cap);
            if (bigger == NULL) {
                free(buf);
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "out of memory reading %s\n", path);
        exit(2);
    }
    *data = buf;
    *len = n;
}

/* Reads a whole file as a NUL-terminated string; the caller frees it. Exits on failure. */
static inline char *read_text(const char *path) {
    unsigned char *data;
    size_t len;
    read_file(path, &data, &len);
    char *text = realloc(data, len + 1);
    if (text == NULL) {
        free(data);
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    text[len] = '\0';
    return text;
}

/* `s` as a JSON string literal (quotes included); the caller frees it. Exits on failure. */
static inline char *json_string(const char *s) {
    size_t n = strlen(s);
    char *out = malloc(n * 2 + 3);
    if (out == NULL) {
        exit(2);
    }
    size_t j = 0;
    out[j++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            out[j++] = '\\';
            out[j++] = 'n';
        } else if (s[i] == '\r') {
            continue;
        } else if (s[i] == '"' || s[i] == '\\') {
            out[j++] = '\\';
            out[j++] = s[i];
        } else {
            out[j++] = s[i];
        }
    }
    out[j++] = '"';
    out[j] = '\0';
    return out;
}

static int check_summary(const char *program) {
    if (check_failures != 0) {
        fprintf(stderr, "%s: %d check(s) failed\n", program, check_failures);
        return 1;
    }
    printf("%s: all checks passed\n", program);
    return 0;
}

#endif /* HOCBA_TEST_CHECK_H */
