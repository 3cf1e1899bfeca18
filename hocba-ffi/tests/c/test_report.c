/*
 * Exercises the validation functions of hocba.h: hocba_validate, the hocba_report accessors,
 * hocba_report_to_json, hocba_report_free and hocba_codes_json, including NULL arguments and
 * out-of-range indexes.
 *
 * usage: test_report EXAMPLE.xml [VALID_RECORD...]
 * EXAMPLE.xml is fixtures/records/valid/example.xml: it must be valid, and its first
 * <diem>9</diem> is changed to <diem>11</diem> to get a finding. Every file given must be a
 * valid record with no finding at all.
 */
#include "hocba.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A pointer value that the library must never write: outputs are written only on success. */
#define SENTINEL(type) ((type *)(uintptr_t)0x5a5a5a5a)

static int starts_with(const char *s, const char *prefix) {
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends_with(const char *s, size_t len, const char *suffix) {
    size_t n = strlen(suffix);
    return s != NULL && len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Parses and validates a record; returns the report (caller frees) or NULL. */
static hocba_report *validate(const unsigned char *data, size_t len) {
    hocba_record *record = NULL;
    CHECK_RESULT(hocba_record_parse(data, len, &record, NULL), HOCBA_RESULT_OK);
    if (record == NULL) {
        return NULL;
    }
    hocba_report *report = NULL;
    CHECK_RESULT(hocba_validate(record, &report), HOCBA_RESULT_OK);
    CHECK(report != NULL);
    /* The report does not refer to the record. */
    hocba_record_free(record);
    return report;
}

/* Every accessor of an index that has no finding gives NULL. */
static void check_no_finding(const hocba_report *report, size_t index) {
    CHECK(hocba_report_finding_code(report, index) == NULL);
    CHECK(hocba_report_finding_severity(report, index) == NULL);
    CHECK(hocba_report_finding_path(report, index) == NULL);
    CHECK(hocba_report_finding_clause(report, index) == NULL);
    CHECK(hocba_report_finding_message(report, index, HOCBA_LANG_VI) == NULL);
    CHECK(hocba_report_finding_message(report, index, HOCBA_LANG_EN) == NULL);
}

static void test_valid_file(const char *path) {
    unsigned char *data;
    size_t len;
    read_file(path, &data, &len);
    hocba_report *report = validate(data, len);
    free(data);
    if (report == NULL) {
        fprintf(stderr, "%s: not validated\n", path);
        return;
    }
    if (!hocba_report_valid(report) || hocba_report_len(report) != 0) {
        fprintf(stderr, "%s: %zu finding(s), first: %s %s\n", path, hocba_report_len(report),
                hocba_report_finding_code(report, 0), hocba_report_finding_path(report, 0));
    }
    CHECK(hocba_report_valid(report));
    CHECK(hocba_report_len(report) == 0);
    check_no_finding(report, 0);
    check_no_finding(report, SIZE_MAX);

    hocba_buffer *json = NULL;
    CHECK_RESULT(hocba_report_to_json(report, &json), HOCBA_RESULT_OK);
    const char *text = (const char *)hocba_buffer_data(json);
    size_t text_len = hocba_buffer_len(json);
    CHECK(text != NULL && text[text_len] == '\0');
    CHECK(strlen(text) == text_len);
    CHECK(starts_with(text, "{\n  \"valid\": true,\n  \"years\": [\n"));
    CHECK(ends_with(text, text_len, "\n  \"findings\": []\n}\n"));
    CHECK(strstr(text, "\"file\"") == NULL);
    CHECK(strstr(text, "\"derivedResult\": \"") != NULL);
    hocba_buffer_free(json);
    hocba_report_free(report);
}

/* The example with its first score of 9 changed to 11 (a new allocation; caller frees). */
static unsigned char *score_of_eleven(const unsigned char *xml, size_t xml_len, size_t *len) {
    static const char from[] = "<diem>9</diem>", to[] = "<diem>11</diem>";
    const size_t from_len = sizeof from - 1, to_len = sizeof to - 1;
    for (size_t i = 0; i + from_len <= xml_len; i++) {
        if (memcmp(xml + i, from, from_len) == 0) {
            unsigned char *out = malloc(xml_len - from_len + to_len);
            if (out == NULL) {
                exit(2);
            }
            memcpy(out, xml, i);
            memcpy(out + i, to, to_len);
            memcpy(out + i + to_len, xml + i + from_len, xml_len - i - from_len);
            *len = xml_len - from_len + to_len;
            return out;
        }
    }
    fprintf(stderr, "no <diem>9</diem> in the example\n");
    exit(2);
}

static void test_findings(const unsigned char *xml, size_t xml_len) {
    size_t len;
    unsigned char *bad = score_of_eleven(xml, xml_len, &len);
    hocba_report *report = validate(bad, len);
    free(bad);
    if (report == NULL) {
        return;
    }
    CHECK(!hocba_report_valid(report));
    size_t n = hocba_report_len(report);
    CHECK(n >= 1);

    size_t found = SIZE_MAX, count = 0;
    for (size_t i = 0; i < n; i++) {
        const char *code = hocba_report_finding_code(report, i);
        const char *severity = hocba_report_finding_severity(report, i);
        CHECK(code != NULL && code[0] != '\0');
        CHECK(hocba_report_finding_path(report, i) != NULL);
        CHECK(hocba_report_finding_clause(report, i) != NULL);
        CHECK(hocba_report_finding_message(report, i, HOCBA_LANG_VI) != NULL);
        CHECK(hocba_report_finding_message(report, i, HOCBA_LANG_EN) != NULL);
        CHECK(severity != NULL &&
              (strcmp(severity, "error") == 0 || strcmp(severity, "warning") == 0));
        if (code != NULL && strcmp(code, "score_out_of_range") == 0) {
            found = i;
            count++;
        }
    }
    CHECK(count == 1);
    if (found == SIZE_MAX) {
        hocba_report_free(report);
        return;
    }

    CHECK(strcmp(hocba_report_finding_path(report, found), "namHoc.0.monHoc.0.diem") == 0);
    CHECK(strcmp(hocba_report_finding_severity(report, found), "error") == 0);
    CHECK(strcmp(hocba_report_finding_clause(report, found), "TT27 Điều 7") == 0);
    const char *vi = hocba_report_finding_message(report, found, HOCBA_LANG_VI);
    const char *en = hocba_report_finding_message(report, found, HOCBA_LANG_EN);
    printf("score_out_of_range: %s / %s\n", vi, en);
    CHECK(starts_with(vi, "điểm 11 "));
    CHECK(strstr(vi, "hãy sửa lại") != NULL);
    CHECK(starts_with(en, "the score 11 "));
    CHECK(strcmp(vi, en) != 0);
    /* Borrowed strings: the same pointer each time, until hocba_report_free. */
    CHECK(hocba_report_finding_message(report, found, HOCBA_LANG_VI) == vi);
    CHECK(hocba_report_finding_code(report, found) == hocba_report_finding_code(report, found));
    /* A language that is not a hocba_lang constant. */
    CHECK(hocba_report_finding_message(report, found, (hocba_lang)2) == NULL);
    CHECK(hocba_report_finding_message(report, found, (hocba_lang)UINT32_MAX) == NULL);

    /* Out of range: just past the end, and far past it. */
    check_no_finding(report, n);
    check_no_finding(report, n + 1);
    check_no_finding(report, SIZE_MAX);

    /* The JSON: the finding with its context, and the same bytes on every call. */
    hocba_buffer *json = NULL, *again = NULL;
    CHECK_RESULT(hocba_report_to_json(report, &json), HOCBA_RESULT_OK);
    CHECK_RESULT(hocba_report_to_json(report, &again), HOCBA_RESULT_OK);
    CHECK(hocba_buffer_len(json) == hocba_buffer_len(again));
    CHECK(memcmp(hocba_buffer_data(json), hocba_buffer_data(again), hocba_buffer_len(json)) ==
          0);
    hocba_buffer_free(again);
    const char *text = (const char *)hocba_buffer_data(json);
    CHECK(starts_with(text, "{\n  \"valid\": false,\n"));
    CHECK(strstr(text, "\"code\": \"score_out_of_range\",\n"
                       "      \"severity\": \"error\",\n"
                       "      \"path\": \"namHoc.0.monHoc.0.diem\",\n") != NULL);
    CHECK(strstr(text, "\"messageVi\": \"điểm 11 ") != NULL);
    CHECK(strstr(text, "\"clause\": \"TT27 Điều 7\"") != NULL);
    CHECK(strstr(text, "\"context\": {") != NULL);
    CHECK(ends_with(text, hocba_buffer_len(json), "}\n"));

    /* The buffer outlives the report. */
    hocba_report_free(report);
    CHECK(strstr((const char *)hocba_buffer_data(json), "score_out_of_range") != NULL);
    hocba_buffer_free(json);
}

static void test_codes_json(void) {
    hocba_buffer *codes = NULL;
    CHECK_RESULT(hocba_codes_json(&codes), HOCBA_RESULT_OK);
    CHECK(codes != NULL);
    const char *text = (const char *)hocba_buffer_data(codes);
    size_t len = hocba_buffer_len(codes);
    CHECK(text != NULL && text[len] == '\0' && strlen(text) == len);
    CHECK(starts_with(text, "[\n  {\n    \"code\": \"field_missing\",\n"
                            "    \"severity\": \"error\",\n    \"clause\": "));
    CHECK(strstr(text, "    \"code\": \"score_out_of_range\",\n"
                       "    \"severity\": \"error\",\n"
                       "    \"clause\": \"TT27 Điều 7\",\n"
                       "    \"topic\": \"subjects\",\n"
                       "    \"message\": \"the score {value} is") != NULL);
    CHECK(strstr(text, "\"messageVi\": \"điểm {value} không phải") != NULL);
    CHECK(strstr(text, "\"severity\": \"warning\"") != NULL);
    CHECK(ends_with(text, len, "}\n]\n"));
    /* A new buffer each time, with the same bytes. */
    hocba_buffer *again = NULL;
    CHECK_RESULT(hocba_codes_json(&again), HOCBA_RESULT_OK);
    CHECK(again != codes);
    CHECK(hocba_buffer_len(again) == len && memcmp(hocba_buffer_data(again), text, len) == 0);
    hocba_buffer_free(again);
    hocba_buffer_free(codes);
}

static void test_null_arguments(const unsigned char *xml, size_t xml_len) {
    hocba_report *report = SENTINEL(hocba_report);
    CHECK_RESULT(hocba_validate(NULL, &report), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(report == SENTINEL(hocba_report)); /* untouched on failure */
    CHECK_RESULT(hocba_validate(NULL, NULL), HOCBA_RESULT_NULL_ARGUMENT);

    hocba_record *record = NULL;
    CHECK_RESULT(hocba_record_parse(xml, xml_len, &record, NULL), HOCBA_RESULT_OK);
    CHECK_RESULT(hocba_validate(record, NULL), HOCBA_RESULT_NULL_ARGUMENT);

    /* Accessors of a NULL report. */
    CHECK(!hocba_report_valid(NULL));
    CHECK(hocba_report_len(NULL) == 0);
    check_no_finding(NULL, 0);
    check_no_finding(NULL, SIZE_MAX);

    /* Writers. */
    hocba_buffer *out = SENTINEL(hocba_buffer);
    CHECK_RESULT(hocba_report_to_json(NULL, &out), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(out == SENTINEL(hocba_buffer));
    CHECK_RESULT(hocba_report_to_json(NULL, NULL), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(hocba_codes_json(NULL), HOCBA_RESULT_NULL_ARGUMENT);
    report = NULL;
    CHECK_RESULT(hocba_validate(record, &report), HOCBA_RESULT_OK);
    CHECK_RESULT(hocba_report_to_json(report, NULL), HOCBA_RESULT_NULL_ARGUMENT);
    hocba_report_free(report);
    hocba_record_free(record);

    /* Freeing NULL is a no-op. */
    hocba_report_free(NULL);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s EXAMPLE.xml [VALID_RECORD...]\n", argv[0]);
        return 2;
    }
    unsigned char *xml;
    size_t xml_len;
    read_file(argv[1], &xml, &xml_len);

    for (int i = 1; i < argc; i++) {
        test_valid_file(argv[i]);
    }
    test_findings(xml, xml_len);
    test_codes_json();
    test_null_arguments(xml, xml_len);

    free(xml);
    return check_summary("test_report");
}
