/*
 * Exercises PAdES B-T from C: hocba_sign_timestamped and hocba_sign_complete_timestamped with a
 * hocba_timestamp_callback that has OpenSSL's `openssl ts` (an RFC 3161 implementation
 * independent of hocba) stamp the imprint with the test PKI's TSA; hocba_verify must then take
 * the token's time as the proof of existence. Also: the callback's retry protocol (an answer
 * longer than the first buffer), a failing callback, a token for another imprint, an answer
 * too long, NULL callbacks, and a raw signature from `openssl pkeyutl` for the two-step path.
 *
 * usage: test_timestamp RECORD.xml GVCN-KEY.pem GVCN-CHAIN.pem TSA-CERT.pem TSA-KEY.pem WORKDIR
 *        TRUST.pem CRLS.pem
 * WORKDIR is an existing empty directory for OpenSSL's files.
 */
#include "hocba.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define SENTINEL(type) ((type *)(uintptr_t)0x5a5a5a5a)
#define GVCN "{\"role\":\"GVCN\",\"time\":\"2025-05-26T16:30:00+07:00\"}"

enum mode { STAMP, FAIL, OTHER_IMPRINT, ASK_FOR_MORE, TOO_LONG };

/* The callback's context. */
struct tsa {
    const char *dir, *cert, *key;
    enum mode mode;
    int calls;
    size_t first_capacity;
};

static void hex(const uint8_t *data, size_t len, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

static int run(const char *command) {
    int rc = system(command);
    if (rc != 0) {
        fprintf(stderr, "command failed (%d): %s\n", rc, command);
    }
    return rc;
}

/* `openssl ts`: a TimeStampResp for the SHA-256 `imprint`, read into *resp (caller frees). */
static int openssl_stamp(const struct tsa *t, const uint8_t imprint[32], unsigned char **resp,
                         size_t *resp_len) {
    char digest[65];
    hex(imprint, 32, digest);
    char command[4096];
    snprintf(command, sizeof command,
             "openssl ts -query -digest %s -sha256 -cert -no_nonce -out '%s/req.tsq' 2>/dev/null",
             digest, t->dir);
    if (run(command) != 0) {
        return -1;
    }
    snprintf(command, sizeof command,
             "openssl ts -reply -config '%s/tsa.cnf' -queryfile '%s/req.tsq' -inkey '%s' "
             "-signer '%s' -out '%s/resp.tsr' 2>/dev/null",
             t->dir, t->dir, t->key, t->cert, t->dir);
    if (run(command) != 0) {
        return -1;
    }
    snprintf(command, sizeof command, "%s/resp.tsr", t->dir);
    read_file(command, resp, resp_len);
    return 0;
}

static int32_t stamp(void *context, const uint8_t *imprint, size_t imprint_len, uint8_t *answer,
                     size_t capacity, size_t *answer_len) {
    struct tsa *t = context;
    t->calls++;
    if (t->calls == 1) {
        t->first_capacity = capacity;
    }
    if (t->mode == FAIL) {
        return 7;
    }
    if (imprint == NULL || imprint_len != 32 || answer == NULL || answer_len == NULL) {
        return 9;
    }
    if (t->mode == TOO_LONG) {
        *answer_len = 1u << 20;
        return 0;
    }
    if (t->mode == ASK_FOR_MORE && t->calls == 1) {
        /* Claim an answer longer than the buffer: hocba must call again with more room. */
        *answer_len = capacity + 1000;
        return 0;
    }
    uint8_t other[32];
    memset(other, 0x11, sizeof other);
    unsigned char *resp = NULL;
    size_t resp_len = 0;
    if (openssl_stamp(t, t->mode == OTHER_IMPRINT ? other : imprint, &resp, &resp_len) != 0) {
        return 5;
    }
    if (resp_len > capacity) {
        *answer_len = resp_len;
    } else {
        memcpy(answer, resp, resp_len);
        *answer_len = resp_len;
    }
    free(resp);
    return 0;
}

static hocba_buffer *sign_stamped(const hocba_buffer *pdf, const char *key, const char *chain,
                                  struct tsa *t, hocba_result expected) {
    hocba_buffer *out = SENTINEL(hocba_buffer);
    hocba_error *error = NULL;
    hocba_result got = hocba_sign_timestamped(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN,
                                              key, chain, stamp, t, &out, &error);
    CHECK_RESULT(got, expected);
    if (got == HOCBA_RESULT_OK) {
        CHECK(error == NULL);
        return out;
    }
    CHECK(out == SENTINEL(hocba_buffer));
    CHECK(error != NULL && hocba_error_result(error) == got);
    CHECK(error != NULL && strstr(hocba_error_message(error, HOCBA_LANG_VI), "dấu thời gian"));
    hocba_error_free(error);
    return NULL;
}

/* The report of `pdf` (caller frees) with the test anchors and CRLs, judged now. */
static char *verify_json(const hocba_buffer *pdf, const char *options) {
    hocba_buffer *out = NULL;
    CHECK_RESULT(hocba_verify(hocba_buffer_data(pdf), hocba_buffer_len(pdf), options, &out, NULL),
                 HOCBA_RESULT_OK);
    if (out == NULL) {
        return NULL;
    }
    char *json = malloc(hocba_buffer_len(out) + 1);
    if (json == NULL) {
        exit(2);
    }
    memcpy(json, hocba_buffer_data(out), hocba_buffer_len(out));
    json[hocba_buffer_len(out)] = '\0';
    hocba_buffer_free(out);
    return json;
}

static void check_stamped(const hocba_buffer *pdf, const char *options) {
    char *json = verify_json(pdf, options);
    CHECK(json != NULL && strstr(json, "\"indication\": \"TOTAL_PASSED\"") != NULL);
    CHECK(json != NULL && strstr(json, "\"timeSource\": \"timestamp\"") != NULL);
    CHECK(json != NULL && strstr(json, "timestamp_used") != NULL);
    if (json != NULL && strstr(json, "\"timeSource\": \"timestamp\"") == NULL) {
        fprintf(stderr, "%s\n", json);
    }
    free(json);
}

int main(int argc, char **argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: test_timestamp RECORD.xml GVCN-KEY GVCN-CHAIN TSA-CERT TSA-KEY "
                        "WORKDIR TRUST.pem CRLS.pem\n");
        return 2;
    }
    struct tsa t = {argv[6], argv[4], argv[5], STAMP, 0, 0};
    {
        char path[4096];
        snprintf(path, sizeof path, "%s/tsa.cnf", t.dir);
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            return 2;
        }
        fprintf(f,
                "[ tsa ]\ndefault_tsa = tsa_config\n[ tsa_config ]\nserial = %s/serial\n"
                "crypto_device = builtin\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n"
                "digests = sha256\naccuracy = secs:1\nordering = yes\ntsa_name = yes\n"
                "ess_cert_id_chain = no\ness_cert_id_alg = sha256\n",
                t.dir);
        fclose(f);
        snprintf(path, sizeof path, "%s/serial", t.dir);
        f = fopen(path, "w");
        if (f == NULL) {
            return 2;
        }
        fputs("01\n", f);
        fclose(f);
    }
    unsigned char *xml;
    size_t xml_len;
    read_file(argv[1], &xml, &xml_len);
    char *key = read_text(argv[2]);
    char *chain = read_text(argv[3]);
    char *trust_pem = read_text(argv[7]);
    char *crls_pem = read_text(argv[8]);
    char *trust = json_string(trust_pem);
    char *crls = json_string(crls_pem);
    free(trust_pem);
    free(crls_pem);
    size_t cap = strlen(trust) + strlen(crls) + 256;
    char *options = malloc(cap);
    if (options == NULL) {
        exit(2);
    }
    snprintf(options, cap, "{\"trust\":[%s],\"crl\":[%s],\"seal\":\"optional\"}", trust, crls);

    hocba_record *record = NULL;
    CHECK_RESULT(hocba_record_parse(xml, xml_len, &record, NULL), HOCBA_RESULT_OK);
    hocba_buffer *pdf = NULL;
    CHECK_RESULT(hocba_render(record, NULL, &pdf, NULL), HOCBA_RESULT_OK);
    if (pdf == NULL) {
        return check_summary("test_timestamp");
    }

    /* One step: the callback is called once, with a 64 KiB buffer; the token's time is used. */
    hocba_buffer *signed_pdf = sign_stamped(pdf, key, chain, &t, HOCBA_RESULT_OK);
    CHECK(t.calls == 1);
    CHECK(t.first_capacity == 64 * 1024);
    if (signed_pdf != NULL) {
        check_stamped(signed_pdf, options);
        hocba_buffer_free(signed_pdf);
    }

    /* An answer longer than the first buffer: called again with that much room. */
    t.mode = ASK_FOR_MORE;
    t.calls = 0;
    signed_pdf = sign_stamped(pdf, key, chain, &t, HOCBA_RESULT_OK);
    CHECK(t.calls == 2);
    if (signed_pdf != NULL) {
        check_stamped(signed_pdf, options);
        hocba_buffer_free(signed_pdf);
    }

    /* Refusals: nothing written, HOCBA_RESULT_TIMESTAMP_ERROR. */
    t.mode = FAIL;
    sign_stamped(pdf, key, chain, &t, HOCBA_RESULT_TIMESTAMP_ERROR);
    t.mode = OTHER_IMPRINT;
    sign_stamped(pdf, key, chain, &t, HOCBA_RESULT_TIMESTAMP_ERROR);
    t.mode = TOO_LONG;
    sign_stamped(pdf, key, chain, &t, HOCBA_RESULT_TIMESTAMP_ERROR);
    {
        hocba_buffer *out = SENTINEL(hocba_buffer);
        CHECK_RESULT(hocba_sign_timestamped(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN,
                                            key, chain, NULL, &t, &out, NULL),
                     HOCBA_RESULT_NULL_ARGUMENT);
        CHECK(out == SENTINEL(hocba_buffer));
    }

    /* Two steps: prepare, a raw signature by `openssl pkeyutl`, complete with the timestamp. */
    t.mode = STAMP;
    hocba_signing_session *session = NULL;
    CHECK_RESULT(hocba_sign_prepare(hocba_buffer_data(pdf), hocba_buffer_len(pdf), GVCN, chain,
                                    &session, NULL),
                 HOCBA_RESULT_OK);
    const uint8_t *digest = NULL;
    size_t digest_len = 0;
    CHECK_RESULT(hocba_signing_session_digest(session, &digest, &digest_len), HOCBA_RESULT_OK);
    if (session != NULL && digest != NULL && digest_len == 32) {
        char path[4096], command[8192];
        snprintf(path, sizeof path, "%s/digest.bin", t.dir);
        FILE *f = fopen(path, "wb");
        if (f == NULL) {
            return 2;
        }
        fwrite(digest, 1, digest_len, f);
        fclose(f);
        snprintf(command, sizeof command,
                 "openssl pkeyutl -sign -inkey '%s' -pkeyopt digest:sha256 -in '%s/digest.bin' "
                 "-out '%s/signature.bin'",
                 argv[2], t.dir, t.dir);
        if (run(command) == 0) {
            unsigned char *signature;
            size_t signature_len;
            snprintf(path, sizeof path, "%s/signature.bin", t.dir);
            read_file(path, &signature, &signature_len);
            hocba_buffer *out = SENTINEL(hocba_buffer);
            /* A wrong value is refused before the TSA is asked. */
            t.calls = 0;
            uint8_t bogus[256] = {1};
            CHECK_RESULT(hocba_sign_complete_timestamped(session, bogus, sizeof bogus, stamp, &t,
                                                         &out, NULL),
                         HOCBA_RESULT_SIGNATURE_MISMATCH);
            CHECK(t.calls == 0);
            CHECK_RESULT(hocba_sign_complete_timestamped(session, signature, signature_len, NULL,
                                                         &t, &out, NULL),
                         HOCBA_RESULT_NULL_ARGUMENT);
            CHECK(out == SENTINEL(hocba_buffer));
            out = NULL;
            CHECK_RESULT(hocba_sign_complete_timestamped(session, signature, signature_len, stamp,
                                                         &t, &out, NULL),
                         HOCBA_RESULT_OK);
            CHECK(t.calls == 1);
            if (out != NULL) {
                check_stamped(out, options);
            }
            hocba_buffer_free(out);
            free(signature);
        } else {
            CHECK(!"openssl pkeyutl failed");
        }
    }
    hocba_signing_session_free(session);

    free(options);
    free(trust);
    free(crls);
    hocba_buffer_free(pdf);
    hocba_record_free(record);
    free(xml);
    free(key);
    free(chain);
    return check_summary("test_timestamp");
}
