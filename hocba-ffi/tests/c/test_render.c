/*
 * Exercises the rendering functions of hocba.h: hocba_render (options JSON, errors, NULL
 * arguments) and hocba_extract (round trip, hostile input).
 *
 * usage: test_render RECORD.xml INVALID.xml FONT.ttf
 * RECORD.xml is a valid canonical record with one school year (the embedded XML is then the
 * file byte for byte); INVALID.xml has a finding of severity error; FONT.ttf covers Vietnamese.
 */
#include "hocba.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A pointer value that the library must never write: outputs are written only on success. */
#define SENTINEL(type) ((type *)(uintptr_t)0x5a5a5a5a)

static hocba_record *parse(const unsigned char *data, size_t len) {
    hocba_record *record = NULL;
    CHECK_RESULT(hocba_record_parse(data, len, &record, NULL), HOCBA_RESULT_OK);
    return record;
}

/* Renders with `options`, expecting `expected`; returns the PDF (caller frees) or NULL. */
static hocba_buffer *render(const hocba_record *record, const char *options, hocba_result expected) {
    hocba_buffer *pdf = NULL;
    hocba_error *error = NULL;
    hocba_result got = hocba_render(record, options, &pdf, &error);
    CHECK_RESULT(got, expected);
    if (got == HOCBA_RESULT_OK) {
        CHECK(error == NULL);
        CHECK(pdf != NULL && hocba_buffer_len(pdf) > 1000);
        CHECK(memcmp(hocba_buffer_data(pdf), "%PDF-1.7", 8) == 0);
    } else {
        CHECK(pdf == NULL);
        CHECK(error != NULL && hocba_error_result(error) == got);
        CHECK(hocba_error_message(error, HOCBA_LANG_VI) != NULL);
        CHECK(hocba_error_message(error, HOCBA_LANG_EN) != NULL);
        hocba_error_free(error);
    }
    return pdf;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: test_render RECORD.xml INVALID.xml FONT.ttf\n");
        return 2;
    }
    unsigned char *xml, *bad;
    size_t xml_len, bad_len;
    read_file(argv[1], &xml, &xml_len);
    read_file(argv[2], &bad, &bad_len);
    hocba_record *record = parse(xml, xml_len);
    hocba_record *invalid = parse(bad, bad_len);
    if (record == NULL || invalid == NULL) {
        return check_summary("test_render");
    }

    /* Render, extract: the canonical XML byte for byte; rendering is deterministic. */
    hocba_buffer *pdf = render(record, NULL, HOCBA_RESULT_OK);
    hocba_buffer *again = render(record, "{}", HOCBA_RESULT_OK);
    if (pdf != NULL && again != NULL) {
        CHECK(hocba_buffer_len(pdf) == hocba_buffer_len(again));
        CHECK(memcmp(hocba_buffer_data(pdf), hocba_buffer_data(again), hocba_buffer_len(pdf)) == 0);
        hocba_buffer *back = NULL;
        CHECK_RESULT(hocba_extract(hocba_buffer_data(pdf), hocba_buffer_len(pdf), &back, NULL),
                     HOCBA_RESULT_OK);
        CHECK(back != NULL && hocba_buffer_len(back) == xml_len);
        CHECK(back != NULL && memcmp(hocba_buffer_data(back), xml, xml_len) == 0);
        hocba_buffer_free(back);

        /* A damaged copy: an error (or, by chance, a result), never a crash. */
        size_t n = hocba_buffer_len(pdf);
        unsigned char *copy = malloc(n);
        if (copy != NULL) {
            memcpy(copy, hocba_buffer_data(pdf), n);
            for (size_t i = 100; i < n; i += 97) {
                copy[i] ^= 0x5a;
            }
            hocba_buffer *maybe = NULL;
            hocba_error *error = NULL;
            hocba_result r = hocba_extract(copy, n, &maybe, &error);
            CHECK(r == HOCBA_RESULT_OK || r == HOCBA_RESULT_EXTRACT_ERROR);
            CHECK((r == HOCBA_RESULT_OK) == (maybe != NULL));
            CHECK((r == HOCBA_RESULT_OK) == (error == NULL));
            hocba_buffer_free(maybe);
            hocba_error_free(error);
            /* Truncated. */
            r = hocba_extract(copy, n / 3, &maybe, NULL);
            CHECK(r != HOCBA_RESULT_OK || maybe != NULL);
            if (r == HOCBA_RESULT_OK) {
                hocba_buffer_free(maybe);
            }
            free(copy);
        }
    }
    hocba_buffer_free(again);
    hocba_buffer_free(pdf);

    /* Options: every key of the CLI. */
    char options[4096];
    snprintf(options, sizeof options,
             "{\"seal\": \"no\", \"debug\": true, \"require-valid\": true, \"font\": \"%s\"}",
             argv[3]);
    hocba_buffer_free(render(record, options, HOCBA_RESULT_OK));
    hocba_buffer_free(render(record, "{\"year\": \"1999-2000\"}", HOCBA_RESULT_RENDER_ERROR));
    hocba_buffer_free(render(invalid, "{\"require-valid\": true}", HOCBA_RESULT_RECORD_INVALID));
    hocba_buffer_free(render(invalid, "{\"require-valid\": false}", HOCBA_RESULT_OK));
    hocba_buffer_free(render(record, "{\"seal\": \"maybe\"}", HOCBA_RESULT_INVALID_OPTIONS));
    hocba_buffer_free(render(record, "{\"colour\": true}", HOCBA_RESULT_INVALID_OPTIONS));
    hocba_buffer_free(render(record, "[1, 2", HOCBA_RESULT_INVALID_OPTIONS));
    hocba_buffer_free(render(record, "{\"font\": \"/no/such/font.ttf\"}", HOCBA_RESULT_INVALID_OPTIONS));

    /* The error's message names the problem in both languages. */
    hocba_error *error = NULL;
    hocba_buffer *none = SENTINEL(hocba_buffer);
    CHECK_RESULT(hocba_render(record, "{\"year\": \"1999-2000\"}", &none, &error),
                 HOCBA_RESULT_RENDER_ERROR);
    CHECK(none == SENTINEL(hocba_buffer));
    CHECK(strstr(hocba_error_message(error, HOCBA_LANG_EN), "1999-2000") != NULL);
    CHECK(strstr(hocba_error_message(error, HOCBA_LANG_VI), "năm học") != NULL);
    hocba_error_free(error);

    /* NULL arguments. */
    CHECK_RESULT(hocba_render(NULL, NULL, &none, NULL), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(hocba_render(record, NULL, NULL, NULL), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(none == SENTINEL(hocba_buffer));
    error = NULL;
    CHECK_RESULT(hocba_extract(NULL, 0, &none, &error), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(error != NULL);
    hocba_error_free(error);
    CHECK_RESULT(hocba_extract(xml, xml_len, NULL, NULL), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(hocba_extract(xml, (size_t)PTRDIFF_MAX + 1, &none, NULL),
                 HOCBA_RESULT_INVALID_ARGUMENT);

    /* Not a PDF. */
    error = NULL;
    CHECK_RESULT(hocba_extract(xml, xml_len, &none, &error), HOCBA_RESULT_EXTRACT_ERROR);
    CHECK(none == SENTINEL(hocba_buffer));
    CHECK(error != NULL && strstr(hocba_error_message(error, HOCBA_LANG_VI), "PDF") != NULL);
    hocba_error_free(error);
    CHECK_RESULT(hocba_extract((const uint8_t *)"", 0, &none, NULL), HOCBA_RESULT_EXTRACT_ERROR);
    CHECK(strstr(hocba_result_message(HOCBA_RESULT_RECORD_INVALID), " / ") != NULL);

    hocba_record_free(record);
    hocba_record_free(invalid);
    free(xml);
    free(bad);
    return check_summary("test_render");
}
