/*
 * Exercises hocba_verify: a document signed GVCN then HT verifies (seal optional), the options
 * (trust anchors and CRLs as PEM arrays, policies, time), a tampered document, and the error
 * paths (not a PDF, bad options, unreadable certificate, NULL arguments).
 *
 * usage: test_verify RECORD.xml GVCN-KEY.pem GVCN-CHAIN.pem HT-KEY.pem HT-CHAIN.pem TRUST.pem
 *        CRLS.pem
 */
#include "hocba.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define SENTINEL(type) ((type *)(uintptr_t)0x5a5a5a5a)

/* Whether `needle` occurs in the `len` bytes at `data`. */
static int contains(const uint8_t *data, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(data + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Verifies with `options`, expecting `expected`; returns the report JSON (NUL-terminated, the
 * caller frees it) or NULL. */
static char *verify(const hocba_buffer *pdf, const char *options, hocba_result expected) {
    hocba_buffer *out = SENTINEL(hocba_buffer);
    hocba_error *error = NULL;
    hocba_result got =
        hocba_verify(hocba_buffer_data(pdf), hocba_buffer_len(pdf), options, &out, &error);
    CHECK_RESULT(got, expected);
    if (got != HOCBA_RESULT_OK) {
        CHECK(out == SENTINEL(hocba_buffer));
        CHECK(error != NULL && hocba_error_result(error) == got);
        CHECK(error != NULL && hocba_error_message(error, HOCBA_LANG_VI) != NULL);
        hocba_error_free(error);
        return NULL;
    }
    CHECK(error == NULL);
    size_t len = hocba_buffer_len(out);
    char *json = malloc(len + 1);
    if (json == NULL) {
        exit(2);
    }
    memcpy(json, hocba_buffer_data(out), len);
    json[len] = '\0';
    hocba_buffer_free(out);
    return json;
}

static hocba_buffer *sign(const hocba_buffer *pdf, const char *options, const char *key,
                          const char *chain) {
    hocba_buffer *out = NULL;
    CHECK_RESULT(hocba_sign(hocba_buffer_data(pdf), hocba_buffer_len(pdf), options, key, chain,
                            &out, NULL),
                 HOCBA_RESULT_OK);
    return out;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: test_verify RECORD.xml GVCN-KEY GVCN-CHAIN HT-KEY HT-CHAIN "
                        "TRUST.pem CRLS.pem\n");
        return 2;
    }
    unsigned char *xml;
    size_t xml_len;
    read_file(argv[1], &xml, &xml_len);
    char *gvcn_key = read_text(argv[2]);
    char *gvcn_chain = read_text(argv[3]);
    char *ht_key = read_text(argv[4]);
    char *ht_chain = read_text(argv[5]);
    char *trust_pem = read_text(argv[6]);
    char *crls_pem = read_text(argv[7]);
    char *trust = json_string(trust_pem);
    char *crls = json_string(crls_pem);
    free(trust_pem);
    free(crls_pem);

    hocba_record *record = NULL;
    CHECK_RESULT(hocba_record_parse(xml, xml_len, &record, NULL), HOCBA_RESULT_OK);
    hocba_buffer *pdf = NULL;
    CHECK_RESULT(hocba_render(record, NULL, &pdf, NULL), HOCBA_RESULT_OK);
    if (pdf == NULL) {
        return check_summary("test_verify");
    }
    hocba_buffer *g = sign(pdf, "{\"role\":\"GVCN\",\"time\":\"2025-05-26T16:30:00+07:00\"}",
                           gvcn_key, gvcn_chain);
    hocba_buffer *gh =
        g == NULL ? NULL
                  : sign(g, "{\"role\":\"HT\",\"time\":\"2025-05-27T08:00:00+07:00\"}", ht_key,
                         ht_chain);
    if (gh == NULL) {
        return check_summary("test_verify");
    }

    size_t cap = strlen(trust) + strlen(crls) + 512;
    char *options = malloc(cap);
    if (options == NULL) {
        exit(2);
    }
    snprintf(options, cap,
             "{\"trust\":[%s],\"crl\":[%s],\"at\":\"2026-11-28T00:00:00Z\",\"seal\":\"optional\","
             "\"revocation\":\"require\",\"profile\":\"auto\"}",
             trust, crls);

    /* Signed GVCN then HT: passes with the seal optional. */
    char *json = verify(gh, options, HOCBA_RESULT_OK);
    CHECK(json != NULL && strstr(json, "\"indication\": \"TOTAL_PASSED\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"validationTime\": \"2026-11-28T00:00:00Z\"") != NULL);
    free(json);

    /* The seal is required for this public school by default: the document fails. */
    snprintf(options, cap, "{\"trust\":[%s],\"crl\":[%s],\"at\":\"2026-11-28T00:00:00Z\"}", trust,
             crls);
    json = verify(gh, options, HOCBA_RESULT_OK);
    CHECK(json != NULL && strstr(json, "SIG_CONSTRAINTS_FAILURE") != NULL);
    free(json);

    /* No CRL under revocation=require: INDETERMINATE / TRY_LATER. */
    snprintf(options, cap, "{\"trust\":[%s],\"seal\":\"optional\"}", trust);
    json = verify(gh, options, HOCBA_RESULT_OK);
    CHECK(json != NULL && strstr(json, "TRY_LATER") != NULL);
    free(json);

    /* No options: no anchor, so nothing passes (fail closed). */
    json = verify(gh, NULL, HOCBA_RESULT_OK);
    CHECK(json != NULL && strstr(json, "\"indication\": \"TOTAL_PASSED\"") == NULL);
    CHECK(json != NULL && strstr(json, "NO_CERTIFICATE_CHAIN_FOUND") != NULL);
    free(json);

    /* Garbage appended after signing: a modification. */
    {
        size_t n = hocba_buffer_len(gh);
        unsigned char *copy = malloc(n + 4);
        if (copy == NULL) {
            exit(2);
        }
        memcpy(copy, hocba_buffer_data(gh), n);
        memcpy(copy + n, "%x\n", 3);
        hocba_buffer *out = NULL;
        snprintf(options, cap, "{\"trust\":[%s],\"crl\":[%s],\"seal\":\"optional\"}", trust, crls);
        CHECK_RESULT(hocba_verify(copy, n + 3, options, &out, NULL), HOCBA_RESULT_OK);
        CHECK(out != NULL);
        if (out != NULL) {
            CHECK(contains(hocba_buffer_data(out), hocba_buffer_len(out), "MODIFIED_AFTER_SIGNING"));
        }
        hocba_buffer_free(out);
        free(copy);
    }

    /* Errors. */
    verify(gh, "[", HOCBA_RESULT_VERIFY_INVALID_OPTIONS);
    verify(gh, "{\"trust\":[\"not a certificate\"]}", HOCBA_RESULT_VERIFY_INVALID_OPTIONS);
    verify(gh, "{\"crl\":[\"-----BEGIN X509 CRL-----\\nAAAA\\n-----END X509 CRL-----\\n\"]}",
           HOCBA_RESULT_VERIFY_INVALID_OPTIONS);
    verify(gh, "{\"revocation\":\"sometimes\"}", HOCBA_RESULT_VERIFY_INVALID_OPTIONS);
    verify(gh, "{\"at\":\"yesterday\"}", HOCBA_RESULT_VERIFY_INVALID_OPTIONS);
    verify(gh, "{\"colour\":\"blue\"}", HOCBA_RESULT_VERIFY_INVALID_OPTIONS);
    {
        hocba_buffer *out = SENTINEL(hocba_buffer);
        hocba_error *error = NULL;
        CHECK_RESULT(hocba_verify((const uint8_t *)"not a pdf", 9, NULL, &out, &error),
                     HOCBA_RESULT_VERIFY_INPUT_ERROR);
        CHECK(out == SENTINEL(hocba_buffer));
        CHECK(error != NULL && strstr(hocba_error_message(error, HOCBA_LANG_EN), "PDF") != NULL);
        hocba_error_free(error);
        CHECK_RESULT(hocba_verify(NULL, 0, NULL, &out, NULL), HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_verify(hocba_buffer_data(gh), hocba_buffer_len(gh), NULL, NULL, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK(out == SENTINEL(hocba_buffer));
    }

    free(options);
    hocba_buffer_free(gh);
    hocba_buffer_free(g);
    hocba_buffer_free(pdf);
    hocba_record_free(record);
    free(xml);
    free(gvcn_key);
    free(gvcn_chain);
    free(ht_key);
    free(ht_chain);
    free(trust);
    free(crls);
    return check_summary("test_verify");
}
