/*
 * Exercises the signing functions of hocba.h: hocba_sign (one step, GVCN then HT, refusals,
 * options, NULL arguments) and the two-step path hocba_sign_prepare /
 * hocba_signing_session_digest / hocba_sign_complete (a signature that does not verify).
 *
 * usage: test_sign RECORD.xml GVCN-KEY.pem GVCN-CHAIN.pem HT-KEY.pem HT-CHAIN.pem GVCN.p12
 * RECORD.xml is a valid record of one school year; GVCN.p12 holds the GVCN key and chain,
 * password "hocba-test" (hocba_sign_pkcs12).
 */
#include "hocba.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A pointer value that the library must never write: outputs are written only on success. */
#define SENTINEL(type) ((type *)(uintptr_t)0x5a5a5a5a)

#define GVCN "{\"role\":\"GVCN\",\"time\":\"2025-05-26T16:30:00+07:00\"}"
#define HT "{\"role\":\"HT\",\"time\":\"2025-05-27T08:00:00+07:00\"}"

/* Signs, expecting `expected`; returns the signed PDF (caller frees) or NULL. */
static hocba_buffer *sign(const hocba_buffer *pdf, const char *options, const char *key,
                          const char *chain, hocba_result expected) {
    hocba_buffer *out = SENTINEL(hocba_buffer);
    hocba_error *error = NULL;
    hocba_result got = hocba_sign(hocba_buffer_data(pdf), hocba_buffer_len(pdf), options, key,
                                  chain, &out, &error);
    CHECK_RESULT(got, expected);
    if (got == HOCBA_RESULT_OK) {
        CHECK(error == NULL);
        CHECK(out != NULL && hocba_buffer_len(out) > hocba_buffer_len(pdf));
        /* An incremental update: the input is a prefix of the output. */
        CHECK(out != NULL &&
              memcmp(hocba_buffer_data(out), hocba_buffer_data(pdf), hocba_buffer_len(pdf)) == 0);
        return out;
    }
    CHECK(out == SENTINEL(hocba_buffer));
    CHECK(error != NULL && hocba_error_result(error) == got);
    CHECK(hocba_error_message(error, HOCBA_LANG_VI) != NULL);
    CHECK(hocba_error_message(error, HOCBA_LANG_EN) != NULL);
    hocba_error_free(error);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: test_sign RECORD.xml GVCN-KEY.pem GVCN-CHAIN.pem HT-KEY.pem "
                        "HT-CHAIN.pem GVCN.p12\n");
        return 2;
    }
    unsigned char *xml;
    size_t xml_len;
    read_file(argv[1], &xml, &xml_len);
    char *gvcn_key = read_text(argv[2]);
    char *gvcn_chain = read_text(argv[3]);
    char *ht_key = read_text(argv[4]);
    char *ht_chain = read_text(argv[5]);

    hocba_record *record = NULL;
    CHECK_RESULT(hocba_record_parse(xml, xml_len, &record, NULL), HOCBA_RESULT_OK);
    hocba_buffer *pdf = NULL;
    CHECK_RESULT(hocba_render(record, NULL, &pdf, NULL), HOCBA_RESULT_OK);
    if (pdf == NULL) {
        return check_summary("test_sign");
    }

    /* Out of order: HT before GVCN is refused, and the message says so. */
    {
        hocba_buffer *out = SENTINEL(hocba_buffer);
        hocba_error *error = NULL;
        CHECK_RESULT(hocba_sign(hocba_buffer_data(pdf), hocba_buffer_len(pdf), HT, ht_key,
                                ht_chain, &out, &error),
                     HOCBA_RESULT_SIGN_REFUSED);
        CHECK(out == SENTINEL(hocba_buffer));
        CHECK(error != NULL && hocba_error_result(error) == HOCBA_RESULT_SIGN_REFUSED);
        const char *en = hocba_error_message(error, HOCBA_LANG_EN);
        CHECK(en != NULL && strstr(en, "GVCN") != NULL);
        hocba_error_free(error);
        /* Without error_out. */
        CHECK_RESULT(hocba_sign(hocba_buffer_data(pdf), hocba_buffer_len(pdf), HT, ht_key,
                                ht_chain, &out, NULL),
                     HOCBA_RESULT_SIGN_REFUSED);
        CHECK(out == SENTINEL(hocba_buffer));
    }

    /* GVCN, deterministic; then HT; GVCN twice is refused. */
    hocba_buffer *gvcn = sign(pdf, GVCN, gvcn_key, gvcn_chain, HOCBA_RESULT_OK);
    hocba_buffer *again = sign(pdf, GVCN, gvcn_key, gvcn_chain, HOCBA_RESULT_OK);
    if (gvcn != NULL && again != NULL) {
        CHECK(hocba_buffer_len(gvcn) == hocba_buffer_len(again));
        CHECK(memcmp(hocba_buffer_data(gvcn), hocba_buffer_data(again), hocba_buffer_len(gvcn)) ==
              0);
        hocba_buffer *ht = sign(gvcn, HT, ht_key, ht_chain, HOCBA_RESULT_OK);
        hocba_buffer_free(ht);
        sign(gvcn, GVCN, gvcn_key, gvcn_chain, HOCBA_RESULT_SIGN_REFUSED);
        /* The embedded record is still there. */
        hocba_buffer *back = NULL;
        CHECK_RESULT(hocba_extract(hocba_buffer_data(gvcn), hocba_buffer_len(gvcn), &back, NULL),
                     HOCBA_RESULT_OK);
        hocba_buffer_free(back);
    }
    hocba_buffer_free(again);
    hocba_buffer_free(gvcn);

    /* Keys, options, inputs. */
    sign(pdf, GVCN, ht_key, gvcn_chain, HOCBA_RESULT_KEY_ERROR);
    sign(pdf, GVCN, "not a key", gvcn_chain, HOCBA_RESULT_KEY_ERROR);
    sign(pdf, NULL, gvcn_key, gvcn_chain, HOCBA_RESULT_SIGN_INVALID_OPTIONS);
    sign(pdf, "{\"role\":\"GVCN\"}", gvcn_key, gvcn_chain, HOCBA_RESULT_SIGN_INVALID_OPTIONS);
    sign(pdf, "{\"role\":\"XX\",\"time\":\"2025-05-26T16:30:00+07:00\"}", gvcn_key, gvcn_chain,
         HOCBA_RESULT_SIGN_INVALID_OPTIONS);
    sign(pdf, "[", gvcn_key, gvcn_chain, HOCBA_RESULT_SIGN_INVALID_OPTIONS);
    {
        hocba_buffer *out = SENTINEL(hocba_buffer);
        CHECK_RESULT(hocba_sign((const uint8_t *)"not a pdf", 9, GVCN, gvcn_key, gvcn_chain, &out,
                                NULL),
                     HOCBA_RESULT_SIGN_DOCUMENT_ERROR);
        CHECK_RESULT(hocba_sign(NULL, 0, GVCN, gvcn_key, gvcn_chain, &out, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_sign(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN, NULL,
                                gvcn_chain, &out, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_sign(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN, gvcn_key,
                                gvcn_chain, NULL, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK(out == SENTINEL(hocba_buffer));
    }

    /* PKCS#12: the key and chain from the file; a wrong password; NULL arguments. */
    {
        unsigned char *p12;
        size_t p12_len;
        read_file(argv[6], &p12, &p12_len);
        hocba_buffer *out = NULL;
        CHECK_RESULT(hocba_sign_pkcs12(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN, p12,
                                       p12_len, "hocba-test", NULL, &out, NULL),
                     HOCBA_RESULT_OK);
        CHECK(out != NULL &&
              memcmp(hocba_buffer_data(out), hocba_buffer_data(pdf), hocba_buffer_len(pdf)) == 0);
        hocba_buffer_free(out);
        out = SENTINEL(hocba_buffer);
        hocba_error *error = NULL;
        CHECK_RESULT(hocba_sign_pkcs12(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN, p12,
                                       p12_len, "wrong", gvcn_chain, &out, &error),
                     HOCBA_RESULT_KEY_ERROR);
        CHECK(out == SENTINEL(hocba_buffer));
        CHECK(error != NULL && hocba_error_message(error, HOCBA_LANG_VI) != NULL);
        hocba_error_free(error);
        CHECK_RESULT(hocba_sign_pkcs12(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN, NULL,
                                       0, NULL, NULL, &out, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_sign_pkcs12(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN, p12,
                                       p12_len, "hocba-test", NULL, NULL, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK(out == SENTINEL(hocba_buffer));
        free(p12);
    }

    /* Two steps: the digest, a signature that does not verify, NULL arguments. */
    {
        hocba_signing_session *session = NULL;
        hocba_error *error = NULL;
        CHECK_RESULT(hocba_sign_prepare(hocba_buffer_data(pdf), hocba_buffer_len(pdf), HT,
                                        ht_chain, &session, &error),
                     HOCBA_RESULT_SIGN_REFUSED);
        CHECK(session == NULL);
        hocba_error_free(error);
        CHECK_RESULT(hocba_sign_prepare(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN,
                                        gvcn_chain, &session, NULL),
                     HOCBA_RESULT_OK);
        CHECK(session != NULL);
        const uint8_t *digest = NULL;
        size_t digest_len = 0;
        CHECK_RESULT(hocba_signing_session_digest(session, &digest, &digest_len),
                     HOCBA_RESULT_OK);
        CHECK(digest != NULL && digest_len == 32);
        CHECK_RESULT(hocba_signing_session_digest(NULL, &digest, &digest_len),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_signing_session_digest(session, NULL, &digest_len),
                     HOCBA_RESULT_NULL_ARGUMENT);

        uint8_t bogus[256];
        memset(bogus, 0x42, sizeof bogus);
        hocba_buffer *out = SENTINEL(hocba_buffer);
        error = NULL;
        CHECK_RESULT(hocba_sign_complete(session, bogus, sizeof bogus, &out, &error),
                     HOCBA_RESULT_SIGNATURE_MISMATCH);
        CHECK(out == SENTINEL(hocba_buffer));
        CHECK(error != NULL && hocba_error_result(error) == HOCBA_RESULT_SIGNATURE_MISMATCH);
        hocba_error_free(error);
        /* The session survives a failure. */
        CHECK_RESULT(hocba_sign_complete(session, bogus, 3, &out, NULL),
                     HOCBA_RESULT_SIGNATURE_MISMATCH);
        CHECK_RESULT(hocba_sign_complete(NULL, bogus, sizeof bogus, &out, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_sign_complete(session, NULL, 0, &out, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK_RESULT(hocba_sign_complete(session, bogus, sizeof bogus, NULL, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK(out == SENTINEL(hocba_buffer));
        hocba_signing_session_free(session);
        hocba_signing_session_free(NULL);
    }

    hocba_buffer_free(pdf);
    hocba_record_free(record);
    free(xml);
    free(gvcn_key);
    free(gvcn_chain);
    free(ht_key);
    free(ht_chain);
    return check_summary("test_sign");
}
