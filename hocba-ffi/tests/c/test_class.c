/*
 * Exercises hocba_class_check and hocba_class_build with the fixture class 4A: every period
 * table checks (the report accessors and JSON work on the report), the class builds 32 records
 * whose XML parses back, and the error paths (NULL arguments, a garbage table, bad options, a
 * bad period, an unreadable pupil list or class information). Frees everything.
 *
 * usage: test_class CLASS_DIR   (a directory with hoc-sinh.csv, lop.json, GHK1.csv, CHK1.csv,
 *                                GHK2.csv and CN.csv; the photos are relative to it)
 */
#include "hocba.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define SENTINEL(type) ((type *)(uintptr_t)0x5a5a5a5a)

static const char *const PERIODS[4] = {"GHK1", "CHK1", "GHK2", "CN"};

static char *path_in(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (path == NULL) {
        exit(2);
    }
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}

static void read_in(const char *dir, const char *name, unsigned char **data, size_t *len) {
    char *path = path_in(dir, name);
    read_file(path, data, len);
    free(path);
}

/* The file as a NUL-terminated string; the caller frees it. */
static char *read_text_in(const char *dir, const char *name) {
    unsigned char *data;
    size_t len;
    read_in(dir, name, &data, &len);
    char *text = realloc(data, len + 1);
    if (text == NULL) {
        free(data);
        exit(2);
    }
    text[len] = '\0';
    return text;
}

/* Checks a table with `options`, expecting `expected`; on failure checks the error. Returns the
 * report on success (the caller frees it). */
static hocba_report *check_table(const unsigned char *table, size_t len, const char *name,
                                 const char *options, hocba_result expected) {
    hocba_report *report = SENTINEL(hocba_report);
    hocba_error *error = NULL;
    hocba_result got = hocba_class_check(table, len, name, options, &report, &error);
    CHECK_RESULT(got, expected);
    if (got != HOCBA_RESULT_OK) {
        CHECK(report == SENTINEL(hocba_report));
        CHECK(error != NULL && hocba_error_result(error) == got);
        CHECK(error != NULL && hocba_error_message(error, HOCBA_LANG_VI) != NULL);
        CHECK(error != NULL && hocba_error_message(error, HOCBA_LANG_EN) != NULL);
        hocba_error_free(error);
        return NULL;
    }
    CHECK(error == NULL);
    return report;
}

/* Builds the class, expecting `expected`; returns the JSON on success (the caller frees it). */
static hocba_buffer *build(const unsigned char *pupils, size_t pupils_len, const char *info,
                           const uint8_t *const *tables, const size_t *lens,
                           const char *const *names, size_t count, const char *options,
                           hocba_result expected) {
    hocba_buffer *out = SENTINEL(hocba_buffer);
    hocba_error *error = NULL;
    hocba_result got = hocba_class_build(pupils, pupils_len, "hoc-sinh.csv", info, tables, lens,
                                         names, count, options, &out, &error);
    CHECK_RESULT(got, expected);
    if (got != HOCBA_RESULT_OK) {
        CHECK(out == SENTINEL(hocba_buffer));
        CHECK(error != NULL && hocba_error_result(error) == got);
        CHECK(error != NULL && hocba_error_message(error, HOCBA_LANG_VI) != NULL);
        hocba_error_free(error);
        return NULL;
    }
    CHECK(error == NULL);
    CHECK(out != NULL && hocba_buffer_len(out) > 0);
    return out;
}

/* The number of non-overlapping occurrences of `needle` in the NUL-terminated `text`. */
static size_t count(const char *text, const char *needle) {
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + len, needle)) {
        n++;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_class CLASS_DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    unsigned char *tables[4];
    size_t lens[4];
    char names[4][16];
    const char *name_ptrs[4];
    for (int i = 0; i < 4; i++) {
        snprintf(names[i], sizeof names[i], "%s.csv", PERIODS[i]);
        name_ptrs[i] = names[i];
        read_in(dir, names[i], &tables[i], &lens[i]);
    }
    unsigned char *pupils;
    size_t pupils_len;
    read_in(dir, "hoc-sinh.csv", &pupils, &pupils_len);
    char *info = read_text_in(dir, "lop.json");

    /* 1. Every period table checks; the report works with the validation accessors. */
    for (int i = 0; i < 4; i++) {
        hocba_report *report =
            check_table(tables[i], lens[i], names[i], NULL, HOCBA_RESULT_OK);
        CHECK(report != NULL);
        size_t n = hocba_report_len(report);
        for (size_t j = 0; j < n; j++) {
            CHECK(hocba_report_finding_code(report, j) != NULL);
            CHECK(hocba_report_finding_path(report, j) != NULL &&
                  strncmp(hocba_report_finding_path(report, j), "lop.", 4) == 0);
            CHECK(hocba_report_finding_message(report, j, HOCBA_LANG_VI) != NULL);
        }
        CHECK(hocba_report_finding_code(report, n) == NULL);
        hocba_buffer *json = NULL;
        CHECK_RESULT(hocba_report_to_json(report, &json), HOCBA_RESULT_OK);
        CHECK(json != NULL &&
              strncmp((const char *)hocba_buffer_data(json), "{\n  \"valid\": ", 13) == 0);
        hocba_buffer_free(json);
        hocba_report_free(report);
    }

    /* The name may be NULL (the title row gives the period); options by the CLI's names. */
    hocba_report *report = check_table(tables[3], lens[3], NULL,
                                       "{\"period\": \"CN\", \"grade\": 4, \"sheet\": null}",
                                       HOCBA_RESULT_OK);
    CHECK(report != NULL);
    hocba_report_free(report);
    report = check_table(tables[3], lens[3], NULL, "{}", HOCBA_RESULT_OK);
    CHECK(report != NULL);
    hocba_report_free(report);

    /* A table that breaks rules: a score that is not a number in the end-of-year table. */
    {
        char *copy = malloc(lens[3] + 1);
        if (copy == NULL) {
            exit(2);
        }
        memcpy(copy, tables[3], lens[3]);
        copy[lens[3]] = '\0';
        char *score = strstr(copy, ",T,9,");
        CHECK(score != NULL);
        if (score != NULL) {
            score[3] = 'X';
        }
        report = check_table((const unsigned char *)copy, lens[3], "CN.csv", NULL,
                             HOCBA_RESULT_OK);
        CHECK(report != NULL && !hocba_report_valid(report));
        CHECK(report != NULL && hocba_report_len(report) > 0);
        hocba_report_free(report);
        free(copy);
    }

    /* Check errors: garbage, a damaged workbook, no period, no such sheet, bad options. */
    check_table((const unsigned char *)"PK\x03\x04garbage", 11, "x.xlsx", NULL,
                HOCBA_RESULT_CLASS_INPUT_ERROR);
    {
        const char *no_period = "M\xc3\xa3 h\xe1\xbb\x8d"
                                "c sinh,H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\nHS1,An\n";
        check_table((const unsigned char *)no_period, strlen(no_period), "bang.csv", NULL,
                    HOCBA_RESULT_CLASS_INPUT_ERROR);
        report = check_table((const unsigned char *)no_period, strlen(no_period), "4A-GHK1.csv",
                             NULL, HOCBA_RESULT_OK);
        hocba_report_free(report);
    }
    check_table(tables[3], lens[3], "CN.csv", "{\"sheet\": \"Sheet9\"}",
                HOCBA_RESULT_CLASS_INPUT_ERROR);
    check_table(tables[3], lens[3], "CN.csv", "{\"period\": \"HK3\"}",
                HOCBA_RESULT_CLASS_INVALID_OPTIONS);
    check_table(tables[3], lens[3], "CN.csv", "{\"colour\": \"blue\"}",
                HOCBA_RESULT_CLASS_INVALID_OPTIONS);
    check_table(tables[3], lens[3], "CN.csv", "{\"grade\": \"four\"}",
                HOCBA_RESULT_CLASS_INVALID_OPTIONS);
    check_table(tables[3], lens[3], "CN.csv", "[", HOCBA_RESULT_CLASS_INVALID_OPTIONS);
    {
        hocba_report *out = SENTINEL(hocba_report);
        CHECK_RESULT(hocba_class_check(NULL, 0, NULL, NULL, &out, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_class_check(tables[0], lens[0], NULL, NULL, NULL, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        hocba_error *error = NULL;
        CHECK_RESULT(hocba_class_check(NULL, 0, NULL, NULL, &out, &error),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK(error != NULL && hocba_error_result(error) == HOCBA_RESULT_NULL_ARGUMENT);
        hocba_error_free(error);
        CHECK(out == SENTINEL(hocba_report));
    }

    /* 2. The class builds: 32 records, valid, each with its canonical XML. */
    const uint8_t *table_ptrs[4] = {tables[0], tables[1], tables[2], tables[3]};
    size_t cap = strlen(dir) * 2 + 64;
    char *options = malloc(cap);
    if (options == NULL) {
        exit(2);
    }
    /* The directory as a JSON string: the test passes a path without quotes or backslashes. */
    snprintf(options, cap, "{\"photo-dir\": \"%s\"}", dir);
    hocba_buffer *json = build(pupils, pupils_len, info, table_ptrs, lens, name_ptrs, 4, options,
                               HOCBA_RESULT_OK);
    if (json != NULL) {
        const char *text = (const char *)hocba_buffer_data(json);
        CHECK(strncmp(text, "{\n  \"valid\": true,", 18) == 0);
        CHECK(count(text, "\"maHocSinh\": ") == 32);
        CHECK(count(text, "\"xml\": \"<?xml") == 32);
        CHECK(text[hocba_buffer_len(json)] == '\0');
        /* The first record's XML, unescaped enough to parse it back: the XML members are
         * JSON strings; rebuild the first one. */
        const char *start = strstr(text, "\"xml\": \"");
        if (start != NULL) {
            start += 8;
            size_t n = strlen(start);
            char *xml = malloc(n + 1);
            if (xml == NULL) {
                exit(2);
            }
            size_t k = 0;
            for (const char *p = start; *p != '\0' && *p != '"'; p++) {
                if (*p == '\\' && p[1] != '\0') {
                    p++;
                    xml[k++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
                } else {
                    xml[k++] = *p;
                }
            }
            hocba_record *record = NULL;
            hocba_error *error = NULL;
            CHECK_RESULT(hocba_record_parse((const uint8_t *)xml, k, &record, &error),
                         HOCBA_RESULT_OK);
            if (error != NULL) {
                fprintf(stderr, "%s\n", hocba_error_message(error, HOCBA_LANG_EN));
            }
            hocba_error_free(error);
            hocba_report *valid = NULL;
            CHECK_RESULT(hocba_validate(record, &valid), HOCBA_RESULT_OK);
            CHECK(hocba_report_valid(valid));
            hocba_report_free(valid);
            hocba_record_free(record);
            free(xml);
        }
        hocba_buffer_free(json);
    }

    /* Without photo-dir the photos are findings (not an error); NULL names: periods from the
     * title rows. */
    json = build(pupils, pupils_len, info, table_ptrs, lens, NULL, 4, NULL, HOCBA_RESULT_OK);
    CHECK(json != NULL && strstr((const char *)hocba_buffer_data(json), "lop.HS4A01.anh") != NULL);
    hocba_buffer_free(json);
    /* No table at all: every period is missing (findings). */
    json = build(pupils, pupils_len, info, NULL, NULL, NULL, 0, "{}", HOCBA_RESULT_OK);
    CHECK(json != NULL &&
          strncmp((const char *)hocba_buffer_data(json), "{\n  \"valid\": false,", 19) == 0);
    hocba_buffer_free(json);

    /* Build errors. */
    build(pupils, pupils_len, NULL, table_ptrs, lens, name_ptrs, 4, NULL,
          HOCBA_RESULT_CLASS_INPUT_ERROR); /* a CSV list has no Lop sheet */
    build(pupils, pupils_len, "{\"lopp\": \"4A\"}", table_ptrs, lens, name_ptrs, 4, NULL,
          HOCBA_RESULT_CLASS_INPUT_ERROR);
    build(pupils, pupils_len, "not json", table_ptrs, lens, name_ptrs, 4, NULL,
          HOCBA_RESULT_CLASS_INPUT_ERROR);
    build((const unsigned char *)"hoVaTen\nAn\n", 11, info, table_ptrs, lens, name_ptrs, 4, NULL,
          HOCBA_RESULT_CLASS_INPUT_ERROR);
    {
        const uint8_t *garbage[4] = {tables[0], (const uint8_t *)"PK\x03\x04garbage", tables[2],
                                     tables[3]};
        size_t garbage_lens[4] = {lens[0], 11, lens[2], lens[3]};
        build(pupils, pupils_len, info, garbage, garbage_lens, name_ptrs, 4, NULL,
              HOCBA_RESULT_CLASS_INPUT_ERROR);
        const uint8_t *with_null[4] = {tables[0], NULL, tables[2], tables[3]};
        build(pupils, pupils_len, info, with_null, lens, name_ptrs, 4, NULL,
              HOCBA_RESULT_NULL_ARGUMENT);
    }
    build(pupils, pupils_len, info, table_ptrs, lens, name_ptrs, 4, "{\"photos\": \"x\"}",
          HOCBA_RESULT_CLASS_INVALID_OPTIONS);
    build(pupils, pupils_len, info, table_ptrs, lens, name_ptrs, 4, "{\"photo-dir\": 1}",
          HOCBA_RESULT_CLASS_INVALID_OPTIONS);
    build(pupils, pupils_len, info, NULL, lens, name_ptrs, 4, NULL, HOCBA_RESULT_NULL_ARGUMENT);
    build(pupils, pupils_len, info, table_ptrs, NULL, name_ptrs, 4, NULL,
          HOCBA_RESULT_NULL_ARGUMENT);
    build(NULL, 0, info, table_ptrs, lens, name_ptrs, 4, NULL, HOCBA_RESULT_NULL_ARGUMENT);
    {
        hocba_error *error = NULL;
        CHECK_RESULT(hocba_class_build(pupils, pupils_len, NULL, info, table_ptrs, lens, name_ptrs,
                                       4, NULL, NULL, &error),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK(error != NULL);
        hocba_error_free(error);
    }
    CHECK(strstr(hocba_result_message(HOCBA_RESULT_CLASS_INPUT_ERROR), " / ") != NULL);
    CHECK(strstr(hocba_result_message(HOCBA_RESULT_CLASS_INVALID_OPTIONS), " / ") != NULL);

    free(options);
    free(info);
    free(pupils);
    for (int i = 0; i < 4; i++) {
        free(tables[i]);
    }
    return check_summary("test_class");
}
