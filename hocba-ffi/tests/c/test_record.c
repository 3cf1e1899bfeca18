/*
 * Exercises every function of hocba.h, including the error paths and NULL arguments.
 *
 * usage: test_record RECORD.xml RECORD.json
 * (the canonical XML and JSON forms of the same record, e.g. fixtures/records/valid/example.*)
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

static int same_bytes(const hocba_buffer *buffer, const unsigned char *data, size_t len) {
    return hocba_buffer_len(buffer) == len && memcmp(hocba_buffer_data(buffer), data, len) == 0;
}

static void test_version(void) {
    const char *version = hocba_version();
    CHECK(version != NULL);
    char expected[64];
    snprintf(expected, sizeof expected, "%d.%d.%d", HOCBA_VERSION_MAJOR, HOCBA_VERSION_MINOR,
             HOCBA_VERSION_PATCH);
    /* A pre-release suffix ("0.2.0-beta.1") may follow the numbers. */
    CHECK(starts_with(version, expected));
    CHECK(version[strlen(expected)] == '\0' || version[strlen(expected)] == '-');
    CHECK(hocba_version() == version); /* static */
}

static void test_result_messages(void) {
    const hocba_result known[] = {
        HOCBA_RESULT_OK,    HOCBA_RESULT_NULL_ARGUMENT,    HOCBA_RESULT_INVALID_ARGUMENT,
        HOCBA_RESULT_PANIC, HOCBA_RESULT_UNEXPECTED_ERROR, HOCBA_RESULT_PARSE_ERROR,
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *m = hocba_result_message(known[i]);
        CHECK(m != NULL);
        CHECK(m != NULL && strstr(m, " / ") != NULL); /* English / Vietnamese */
        for (size_t j = 0; j < i; j++) {
            CHECK(strcmp(m, hocba_result_message(known[j])) != 0);
        }
    }
    CHECK(HOCBA_RESULT_OK == 0);
    CHECK(strcmp(hocba_result_message(HOCBA_RESULT_OK), "success / thành công") == 0);
    CHECK(strstr(hocba_result_message(HOCBA_RESULT_NULL_ARGUMENT), "NULL") != NULL);
    /* Codes the library does not know (e.g. from a newer header) still get a message. */
    const char *unknown = hocba_result_message((hocba_result)99999);
    CHECK(unknown != NULL && strstr(unknown, "unknown") != NULL);
    CHECK(hocba_result_message((hocba_result)UINT32_MAX) == unknown);
}

static void test_round_trip(const unsigned char *xml, size_t xml_len, const unsigned char *json,
                            size_t json_len) {
    hocba_record *record = NULL;
    hocba_error *error = SENTINEL(hocba_error);
    CHECK_RESULT(hocba_record_parse(xml, xml_len, &record, &error), HOCBA_RESULT_OK);
    CHECK(error == SENTINEL(hocba_error)); /* written only on failure */
    CHECK(record != NULL);
    if (record == NULL) {
        return;
    }

    hocba_buffer *out = NULL;
    CHECK_RESULT(hocba_record_to_xml(record, &out), HOCBA_RESULT_OK);
    CHECK(out != NULL);
    CHECK(same_bytes(out, xml, xml_len)); /* canonical XML round-trips byte for byte */
    CHECK(hocba_buffer_data(out)[hocba_buffer_len(out)] == '\0');
    CHECK(starts_with((const char *)hocba_buffer_data(out), "<?xml version=\"1.0\""));
    hocba_buffer_free(out);

    out = NULL;
    CHECK_RESULT(hocba_record_to_json(record, &out), HOCBA_RESULT_OK);
    CHECK(same_bytes(out, json, json_len)); /* the XML's record as canonical JSON */
    CHECK(hocba_buffer_data(out)[hocba_buffer_len(out)] == '\0');
    hocba_buffer_free(out);

    /* Outputs are independent of the record: free the record first, the buffer after. */
    out = NULL;
    CHECK_RESULT(hocba_record_to_json(record, &out), HOCBA_RESULT_OK);
    hocba_record_free(record);
    CHECK(same_bytes(out, json, json_len));
    hocba_buffer_free(out);

    /* JSON in, the same canonical XML out; error_out may be NULL. */
    record = NULL;
    CHECK_RESULT(hocba_record_parse(json, json_len, &record, NULL), HOCBA_RESULT_OK);
    out = NULL;
    CHECK_RESULT(hocba_record_to_xml(record, &out), HOCBA_RESULT_OK);
    CHECK(same_bytes(out, xml, xml_len));
    hocba_buffer_free(out);
    out = NULL;
    CHECK_RESULT(hocba_record_to_json(record, &out), HOCBA_RESULT_OK);
    CHECK(same_bytes(out, json, json_len));
    hocba_buffer_free(out);
    hocba_record_free(record);
}

/* Parses `text`, expecting HOCBA_RESULT_PARSE_ERROR; returns the error (caller frees). */
static hocba_error *parse_error(const char *text) {
    hocba_record *record = SENTINEL(hocba_record);
    hocba_error *error = NULL;
    CHECK_RESULT(hocba_record_parse((const uint8_t *)text, strlen(text), &record, &error),
                 HOCBA_RESULT_PARSE_ERROR);
    CHECK(record == SENTINEL(hocba_record)); /* untouched on failure */
    CHECK(error != NULL);
    return error;
}

static void test_parse_errors(void) {
    /* An unknown element: the position is that of the element. */
    hocba_error *error = parse_error("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                     "<HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">\n"
                                     "  <maDinhDanhHocBa>HB-1</maDinhDanhHocBa>\n"
                                     "  <hocSinhh/>\n"
                                     "</HocBa>\n");
    CHECK(hocba_error_result(error) == HOCBA_RESULT_PARSE_ERROR);
    CHECK(hocba_error_line(error) == 4);
    CHECK(hocba_error_column(error) == 3);
    const char *en = hocba_error_message(error, HOCBA_LANG_EN);
    const char *vi = hocba_error_message(error, HOCBA_LANG_VI);
    CHECK(starts_with(en, "line 4, column 3: "));
    CHECK(en != NULL && strstr(en, "hocSinhh") != NULL);
    CHECK(starts_with(vi, "dòng 4, cột 3: "));
    CHECK(vi != NULL && strstr(vi, "hocSinhh") != NULL);
    /* Borrowed strings: the same pointer each time, until hocba_error_free. */
    CHECK(hocba_error_message(error, HOCBA_LANG_EN) == en);
    CHECK(hocba_error_message(error, (hocba_lang)2) == NULL);
    CHECK(hocba_error_message(error, (hocba_lang)UINT32_MAX) == NULL);
    hocba_error_free(error);

    /* Not XML or JSON at all. */
    error = parse_error("%PDF-1.7\n");
    CHECK(hocba_error_line(error) == 1);
    CHECK(hocba_error_column(error) == 1);
    CHECK(strstr(hocba_error_message(error, HOCBA_LANG_EN), "neither XML nor JSON") != NULL);
    hocba_error_free(error);

    /* The column counts characters: "Đ" is two bytes but one column. */
    error = parse_error("{\n  \"maDinhDanhHocBa\": \"Đ\" x}");
    CHECK(hocba_error_line(error) == 2);
    CHECK(hocba_error_column(error) == 26);
    hocba_error_free(error);

    /* Truncated input, a DTD, an empty input, and no error object wanted. */
    hocba_error_free(parse_error("<HocBa xmlns=\"urn:hocba:tieu-hoc:1\" phienBan=\"1\">"));
    hocba_error_free(parse_error("<!DOCTYPE HocBa [<!ENTITY x \"y\">]><HocBa/>"));
    hocba_error_free(parse_error(""));
    hocba_record *record = SENTINEL(hocba_record);
    CHECK_RESULT(hocba_record_parse((const uint8_t *)"nope", 4, &record, NULL),
                 HOCBA_RESULT_PARSE_ERROR);
    CHECK(record == SENTINEL(hocba_record));

    /* Bytes that are not UTF-8, and a NUL character quoted in a message. */
    hocba_error_free(parse_error("<HocBa>\xff\xfe</HocBa>"));
    static const uint8_t with_nul[] = "{\"phienBan\": 1, \"a\\u0000b\": 2}";
    error = NULL;
    CHECK_RESULT(hocba_record_parse(with_nul, sizeof with_nul - 1, &record, &error),
                 HOCBA_RESULT_PARSE_ERROR);
    CHECK(hocba_error_message(error, HOCBA_LANG_EN) != NULL);
    hocba_error_free(error);
}

static void test_null_arguments(const unsigned char *xml, size_t xml_len) {
    hocba_record *record = SENTINEL(hocba_record);
    hocba_error *error = NULL;

    /* NULL data: the error object says so, with no position. */
    CHECK_RESULT(hocba_record_parse(NULL, 10, &record, &error), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(record == SENTINEL(hocba_record));
    CHECK(error != NULL);
    CHECK(hocba_error_result(error) == HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(hocba_error_line(error) == 0);
    CHECK(hocba_error_column(error) == 0);
    CHECK(strstr(hocba_error_message(error, HOCBA_LANG_EN), "NULL") != NULL);
    CHECK(strstr(hocba_error_message(error, HOCBA_LANG_VI), "NULL") != NULL);
    CHECK(strstr(hocba_error_message(error, HOCBA_LANG_EN), " / ") == NULL); /* one language */
    hocba_error_free(error);
    CHECK_RESULT(hocba_record_parse(NULL, 0, &record, NULL), HOCBA_RESULT_NULL_ARGUMENT);

    /* NULL record_out: nothing is parsed, nothing leaks. */
    error = NULL;
    CHECK_RESULT(hocba_record_parse(xml, xml_len, NULL, &error), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(hocba_error_result(error) == HOCBA_RESULT_NULL_ARGUMENT);
    hocba_error_free(error);
    CHECK_RESULT(hocba_record_parse(xml, xml_len, NULL, NULL), HOCBA_RESULT_NULL_ARGUMENT);

    /* A length no buffer can have. */
    error = NULL;
    CHECK_RESULT(hocba_record_parse(xml, SIZE_MAX, &record, &error),
                 HOCBA_RESULT_INVALID_ARGUMENT);
    CHECK(record == SENTINEL(hocba_record));
    CHECK(hocba_error_result(error) == HOCBA_RESULT_INVALID_ARGUMENT);
    hocba_error_free(error);

    /* Writers. */
    hocba_buffer *out = SENTINEL(hocba_buffer);
    CHECK_RESULT(hocba_record_to_xml(NULL, &out), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(hocba_record_to_json(NULL, &out), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK(out == SENTINEL(hocba_buffer));
    record = NULL;
    CHECK_RESULT(hocba_record_parse(xml, xml_len, &record, NULL), HOCBA_RESULT_OK);
    CHECK_RESULT(hocba_record_to_xml(record, NULL), HOCBA_RESULT_NULL_ARGUMENT);
    CHECK_RESULT(hocba_record_to_json(record, NULL), HOCBA_RESULT_NULL_ARGUMENT);
    hocba_record_free(record);

    /* Accessors of NULL objects. */
    CHECK(hocba_buffer_data(NULL) == NULL);
    CHECK(hocba_buffer_len(NULL) == 0);
    CHECK(hocba_error_message(NULL, HOCBA_LANG_VI) == NULL);
    CHECK(hocba_error_message(NULL, HOCBA_LANG_EN) == NULL);
    CHECK(hocba_error_line(NULL) == 0);
    CHECK(hocba_error_column(NULL) == 0);
    CHECK(hocba_error_result(NULL) == HOCBA_RESULT_NULL_ARGUMENT);

    /* Freeing NULL is a no-op. */
    hocba_record_free(NULL);
    hocba_buffer_free(NULL);
    hocba_error_free(NULL);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s RECORD.xml RECORD.json\n", argv[0]);
        return 2;
    }
    unsigned char *xml, *json;
    size_t xml_len, json_len;
    read_file(argv[1], &xml, &xml_len);
    read_file(argv[2], &json, &json_len);

    test_version();
    test_result_messages();
    test_round_trip(xml, xml_len, json, json_len);
    test_parse_errors();
    test_null_arguments(xml, xml_len);

    free(xml);
    free(json);
    return check_summary("test_record");
}
