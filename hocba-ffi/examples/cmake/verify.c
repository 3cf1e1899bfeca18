/* Validates a record file and verifies a signed PDF (docs/c-api.md, "Verification").
 * usage: verify RECORD.xml SIGNED.pdf ROOTS.pem CRLS.pem */
#include <hocba.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a whole file; returns NULL on failure. The caller frees it. */
static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n + 1);
    if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) { free(data); data = NULL; }
    fclose(f);
    if (data != NULL) { data[n] = '\0'; *len = (size_t)n; }
    return data;
}

/* `text` as a JSON string literal (newlines escaped); the caller frees it. */
static char *json_string(const char *text) {
    char *out = malloc(strlen(text) * 2 + 3), *p = out;
    if (out == NULL) return NULL;
    *p++ = '"';
    for (; *text; text++) {
        if (*text == '\n') { *p++ = '\\'; *p++ = 'n'; }
        else if (*text != '\r') *p++ = *text;
    }
    *p++ = '"'; *p = '\0';
    return out;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: check RECORD.xml SIGNED.pdf ROOTS.pem CRLS.pem\n");
        return 2;
    }
    size_t xml_len, pdf_len, roots_len, crls_len;
    unsigned char *xml = slurp(argv[1], &xml_len), *pdf = slurp(argv[2], &pdf_len);
    unsigned char *roots = slurp(argv[3], &roots_len), *crls = slurp(argv[4], &crls_len);
    if (!xml || !pdf || !roots || !crls) { fprintf(stderr, "cannot read the files\n"); return 2; }

    /* 1. Validate the record. */
    hocba_record *record = NULL;
    hocba_error *error = NULL;
    if (hocba_record_parse(xml, xml_len, &record, &error) != HOCBA_RESULT_OK) {
        fprintf(stderr, "%s\n", hocba_error_message(error, HOCBA_LANG_VI));
        hocba_error_free(error);
        return 2;
    }
    hocba_report *report = NULL;
    if (hocba_validate(record, &report) == HOCBA_RESULT_OK) {
        for (size_t i = 0; i < hocba_report_len(report); i++)
            printf("%s %s: %s\n", hocba_report_finding_severity(report, i),
                   hocba_report_finding_path(report, i),
                   hocba_report_finding_message(report, i, HOCBA_LANG_VI));
        printf("record %s\n", hocba_report_valid(report) ? "valid" : "has errors");
    }
    hocba_report_free(report);
    hocba_record_free(record);

    /* 2. Verify the signed PDF with the roots and CRLs given. */
    char *r = json_string((const char *)roots), *c = json_string((const char *)crls);
    size_t cap = strlen(r) + strlen(c) + 64;
    char *options = malloc(cap);
    snprintf(options, cap, "{\"trust\": [%s], \"crl\": [%s]}", r, c);
    hocba_buffer *json = NULL;
    int exit_code = 2;
    if (hocba_verify(pdf, pdf_len, options, &json, &error) == HOCBA_RESULT_OK) {
        const char *text = (const char *)hocba_buffer_data(json);  /* NUL-terminated */
        exit_code = strstr(text, "\"indication\": \"TOTAL_PASSED\"") != NULL ? 0 : 1;
        fputs(text, stdout);   /* a JSON parser reads "indication" and "signatures" */
        hocba_buffer_free(json);
    } else {
        fprintf(stderr, "%s\n", hocba_error_message(error, HOCBA_LANG_VI));
        hocba_error_free(error);
    }
    free(options); free(r); free(c); free(xml); free(pdf); free(roots); free(crls);
    return exit_code;
}
