/*
 * hocba_example: reads a record (XML or JSON) and writes it back as canonical JSON.
 * Errors are printed in Vietnamese, as a school clerk would read them.
 *
 * usage: hocba_example RECORD.xml > RECORD.json
 */
#include <hocba.h>

#include <stdio.h>
#include <stdlib.h>

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

    /* Parse: on failure, *error receives an error object that we own. */
    hocba_record *record = NULL;
    hocba_error *error = NULL;
    hocba_result rc = hocba_record_parse(data, len, &record, &error);
    free(data); /* the record keeps no pointer into the input */
    if (rc != HOCBA_RESULT_OK) {
        /* The message includes "dòng L, cột C: " when the position is known. */
        fprintf(stderr, "%s: %s\n", argv[1], hocba_error_message(error, HOCBA_LANG_VI));
        hocba_error_free(error);
        return 2;
    }

    /* Write it back as JSON: the buffer is ours until hocba_buffer_free. */
    hocba_buffer *json = NULL;
    rc = hocba_record_to_json(record, &json);
    hocba_record_free(record);
    if (rc != HOCBA_RESULT_OK) {
        fprintf(stderr, "%s\n", hocba_result_message(rc));
        return 2;
    }
    fwrite(hocba_buffer_data(json), 1, hocba_buffer_len(json), stdout);
    hocba_buffer_free(json);
    return 0;
}
