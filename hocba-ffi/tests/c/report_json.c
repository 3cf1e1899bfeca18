/*
 * Prints what the C API says about a file, for tests/c_programs.rs to compare with the
 * command line (`hocba --format json validate FILE`, `hocba --format json codes`).
 *
 * usage: report_json FILE     prints hocba_report_to_json of the file's record on stdout;
 *                             exits 0 when valid, 1 when it has errors, 2 when it cannot be read
 *                             (then prints the English message, a newline, the Vietnamese
 *                             message and a newline on stderr).
 *        report_json --codes  prints hocba_codes_json.
 */
#include "hocba.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file; the caller frees *data with free(). Exits with 3 on failure. */
static void read_file(const char *path, unsigned char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *buf = f != NULL ? malloc(cap) : NULL;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL) {
                free(buf);
            }
            buf = bigger;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    if (buf == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(3);
    }
    *data = buf;
    *len = n;
}

static int print_buffer(hocba_result rc, hocba_buffer *buffer) {
    if (rc != HOCBA_RESULT_OK) {
        fprintf(stderr, "%s\n", hocba_result_message(rc));
        return 3;
    }
    fwrite(hocba_buffer_data(buffer), 1, hocba_buffer_len(buffer), stdout);
    hocba_buffer_free(buffer);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE | --codes\n", argv[0]);
        return 3;
    }
    hocba_buffer *buffer = NULL;
    if (strcmp(argv[1], "--codes") == 0) {
        hocba_result rc = hocba_codes_json(&buffer);
        return print_buffer(rc, buffer);
    }

    unsigned char *data;
    size_t len;
    read_file(argv[1], &data, &len);
    hocba_record *record = NULL;
    hocba_error *error = NULL;
    hocba_result rc = hocba_record_parse(data, len, &record, &error);
    free(data);
    if (rc != HOCBA_RESULT_OK) {
        fprintf(stderr, "%s\n%s\n", hocba_error_message(error, HOCBA_LANG_EN),
                hocba_error_message(error, HOCBA_LANG_VI));
        hocba_error_free(error);
        return 2;
    }
    hocba_report *report = NULL;
    rc = hocba_validate(record, &report);
    hocba_record_free(record);
    if (rc != HOCBA_RESULT_OK) {
        fprintf(stderr, "%s\n", hocba_result_message(rc));
        return 3;
    }
    int valid = hocba_report_valid(report);
    rc = hocba_report_to_json(report, &buffer);
    hocba_report_free(report);
    if (print_buffer(rc, buffer) != 0) {
        return 3;
    }
    return valid ? 0 : 1;
}
