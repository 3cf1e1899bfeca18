/*
 * The thread-safety promises of hocba.h: one record shared by several threads writing and
 * validating it at once, one report shared by several threads reading it at once, while other
 * threads parse records of their own.
 *
 * usage: test_threads RECORD.xml
 */
#include "hocba.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define THREADS 4
#define ROUNDS 5

struct job {
    const hocba_record *shared; /* borrowed by every thread */
    const hocba_report *report; /* the shared record's report, borrowed by every thread */
    const hocba_buffer *json;   /* its JSON, borrowed by every thread */
    const unsigned char *xml;
    size_t xml_len;
    int failures;
};

static void *work(void *arg) {
    struct job *job = arg;
    for (int i = 0; i < ROUNDS; i++) {
        hocba_buffer *out = NULL;
        if (hocba_record_to_xml(job->shared, &out) != HOCBA_RESULT_OK ||
            hocba_buffer_len(out) != job->xml_len ||
            memcmp(hocba_buffer_data(out), job->xml, job->xml_len) != 0) {
            job->failures++;
        }
        hocba_buffer_free(out);

        /* Validating the shared record gives the shared report's JSON. */
        hocba_report *report = NULL;
        out = NULL;
        if (hocba_validate(job->shared, &report) != HOCBA_RESULT_OK ||
            hocba_report_valid(report) != hocba_report_valid(job->report) ||
            hocba_report_to_json(report, &out) != HOCBA_RESULT_OK ||
            hocba_buffer_len(out) != hocba_buffer_len(job->json) ||
            memcmp(hocba_buffer_data(out), hocba_buffer_data(job->json),
                   hocba_buffer_len(out)) != 0) {
            job->failures++;
        }
        hocba_buffer_free(out);
        hocba_report_free(report);

        /* Reading the shared report. */
        out = NULL;
        if (hocba_report_to_json(job->report, &out) != HOCBA_RESULT_OK ||
            hocba_buffer_len(out) != hocba_buffer_len(job->json)) {
            job->failures++;
        }
        hocba_buffer_free(out);
        for (size_t k = 0; k < hocba_report_len(job->report); k++) {
            if (hocba_report_finding_code(job->report, k) == NULL ||
                hocba_report_finding_message(job->report, k, HOCBA_LANG_VI) == NULL) {
                job->failures++;
            }
        }

        hocba_record *own = NULL;
        hocba_error *error = NULL;
        if (hocba_record_parse(job->xml, job->xml_len, &own, &error) != HOCBA_RESULT_OK) {
            job->failures++;
        }
        hocba_record_free(own);
        hocba_error_free(error);

        if (hocba_record_parse((const uint8_t *)"<x/>", 4, &own, &error) !=
                HOCBA_RESULT_PARSE_ERROR ||
            hocba_error_message(error, HOCBA_LANG_VI) == NULL) {
            job->failures++;
        }
        hocba_error_free(error);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s RECORD.xml\n", argv[0]);
        return 2;
    }
    unsigned char *xml;
    size_t xml_len;
    read_file(argv[1], &xml, &xml_len);

    hocba_record *record = NULL;
    CHECK_RESULT(hocba_record_parse(xml, xml_len, &record, NULL), HOCBA_RESULT_OK);
    if (record == NULL) {
        free(xml);
        return check_summary("test_threads");
    }

    hocba_report *report = NULL;
    hocba_buffer *json = NULL;
    CHECK_RESULT(hocba_validate(record, &report), HOCBA_RESULT_OK);
    CHECK_RESULT(hocba_report_to_json(report, &json), HOCBA_RESULT_OK);

    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (struct job){record, report, json, xml, xml_len, 0};
        CHECK(pthread_create(&threads[i], NULL, work, &jobs[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(jobs[i].failures == 0);
    }

    /* Only once every thread is done with them. */
    hocba_buffer_free(json);
    hocba_report_free(report);
    hocba_record_free(record);
    free(xml);
    return check_summary("test_threads");
}
