/*
 * hocba_validate_example: validates a record (XML or JSON) against the rules of Circular
 * 27/2020/TT-BGDĐT and prints its findings in Vietnamese, as a school clerk would read them.
 *
 * usage: hocba_validate_example RECORD.xml
 * exit status: 0 valid, 1 not valid (at least one error), 2 cannot be read
 */
#include <hocba.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file into memory; the caller frees *data. Returns 0 on success. */
static int read_file(const char *path, unsigned char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *buf = malloc(cap);
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
    int failed = ferror(f) || buf == NULL;
    fclose(f);
    if (failed) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "cách dùng: %s HOCBA.xml (hocba %s)\n", argv[0], hocba_version());
        return 2;
    }
    unsigned char *data;
    size_t len;
    if (read_file(argv[1], &data, &len) != 0) {
        fprintf(stderr, "%s: không mở được tệp\n", argv[1]);
        return 2;
    }

    /* A file that cannot be read as a record is an error, not a finding. */
    hocba_record *record = NULL;
    hocba_error *error = NULL;
    hocba_result rc = hocba_record_parse(data, len, &record, &error);
    free(data);
    if (rc != HOCBA_RESULT_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], hocba_error_message(error, HOCBA_LANG_VI));
        hocba_error_free(error);
        return 2;
    }

    /* Validate: the report is ours until hocba_report_free; it keeps no pointer to the
     * record, so the record can go now. */
    hocba_report *report = NULL;
    rc = hocba_validate(record, &report);
    hocba_record_free(record);
    if (rc != HOCBA_RESULT_OK) {
        fprintf(stderr, "%s\n", hocba_result_message(rc));
        return 2;
    }

    /* The strings are borrowed from the report: use them before hocba_report_free. */
    size_t count = hocba_report_len(report);
    for (size_t i = 0; i < count; i++) {
        int is_error = strcmp(hocba_report_finding_severity(report, i), "error") == 0;
        printf("%s %s: %s (%s, %s)\n", is_error ? "lỗi" : "cảnh báo",
               hocba_report_finding_path(report, i),
               hocba_report_finding_message(report, i, HOCBA_LANG_VI),
               hocba_report_finding_code(report, i), hocba_report_finding_clause(report, i));
    }
    int valid = hocba_report_valid(report);
    printf("%s: %s, %zu phát hiện\n", argv[1], valid ? "hợp lệ" : "không hợp lệ", count);
    hocba_report_free(report);
    return valid ? 0 : 1;
}
