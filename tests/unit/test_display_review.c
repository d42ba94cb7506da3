/*
 * display-svc's documents and its review.events handling without Kafka:
 * building a document from the store API's JSON, checking reviews-svc's
 * summary, decoding review events, and settling a collapsed batch against
 * fake ports (stale skips, fetch failures that stop the batch, gone
 * stores).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "display-svc/doc.h"
#include "display-svc/review_batch.h"

static void document_keeps_what_a_page_shows(void **state)
{
	json_t *store = json_loads(
		"{\"id\":4,\"owner\":\"owner-1\",\"name\":\"피자집\","
		"\"category\":\"pizza\",\"status\":\"open\",\"area\":\"gangnam\","
		"\"menu\":[{\"id\":1,\"name\":\"콤비\",\"price\":18000}],"
		"\"phone\":null,\"version\":3,\"created_at\":\"x\","
		"\"secret_future_member\":1}", 0, NULL);
	json_t *summary = json_pack("{s:i, s:f, s:i}", "count", 2, "average",
				    4.5, "version", 7);
	json_t *doc;
	char *text;

	(void)state;
	assert_non_null(store);
	doc = display_doc_build(store, NULL);
	assert_non_null(doc);
	assert_null(json_object_get(doc, "owner"));
	assert_null(json_object_get(doc, "created_at"));
	assert_null(json_object_get(doc, "secret_future_member"));
	assert_null(json_object_get(doc, "phone"));
	assert_string_equal(json_string_value(json_object_get(doc, "name")),
			    "피자집");
	assert_int_equal(json_array_size(json_object_get(doc, "menu")), 1);
	text = display_doc_dump(doc);
	assert_non_null(strstr(text, "\"reviews\":{\"count\":0,\"average\":null,\"version\":0}"));
	/* UTF-8 kept as is, not \u-escaped. */
	assert_non_null(strstr(text, "피자집"));
	json_decref(doc);

	doc = display_doc_build(store, summary);
	free(text);
	text = display_doc_dump(doc);
	assert_non_null(strstr(text, "\"reviews\":{\"count\":2,\"average\":4.5,\"version\":7}"));
	free(text);
	json_decref(doc);

	/* No valid version: no document. */
	json_object_set_new(store, "version", json_string("3"));
	assert_null(display_doc_build(store, NULL));
	json_decref(store);
	json_decref(summary);
}

static void reviews_replace_in_stored_text(void **state)
{
	json_t *summary = json_pack("{s:i, s:f, s:i}", "count", 3, "average",
				    4.33, "version", 5);
	char *text = display_doc_with_reviews(
		"{\"id\":1,\"name\":\"a\",\"reviews\":{\"count\":0,\"average\":null,\"version\":0}}",
		summary);

	(void)state;
	assert_string_equal(text, "{\"id\":1,\"name\":\"a\",\"reviews\":"
				  "{\"count\":3,\"average\":4.33,\"version\":5}}");
	free(text);
	assert_null(display_doc_with_reviews("[1]", summary));
	assert_null(display_doc_with_reviews("nonsense", summary));
	json_decref(summary);
}

static json_t *summary_of(const char *text, int64_t store, char *err)
{
	json_t *answer = json_loads(text, 0, NULL);
	json_t *s = display_doc_summary(answer, store, err, 128);

	json_decref(answer);
	return s;
}

static void summary_checks(void **state)
{
	char err[128];
	json_t *s;

	(void)state;
	s = summary_of("{\"store_id\":42,\"count\":3,\"average\":4.33,\"version\":5}",
		       42, err);
	assert_non_null(s);
	assert_int_equal(json_integer_value(json_object_get(s, "count")), 3);
	json_decref(s);
	/* No reviews: the average is null whatever was sent. */
	s = summary_of("{\"count\":0,\"average\":0,\"version\":2}", 42, err);
	assert_true(json_is_null(json_object_get(s, "average")));
	json_decref(s);
	assert_null(summary_of("{\"store_id\":41,\"count\":1,\"average\":4,\"version\":5}",
			       42, err));
	assert_non_null(strstr(err, "store_id"));
	assert_null(summary_of("{\"count\":1,\"average\":6,\"version\":5}", 42, err));
	assert_non_null(strstr(err, "average"));
	assert_null(summary_of("{\"count\":-1,\"average\":1,\"version\":5}", 42, err));
	assert_non_null(strstr(err, "count"));
	assert_null(summary_of("{\"count\":1,\"average\":1}", 42, err));
	assert_non_null(strstr(err, "version"));
	assert_null(summary_of("[]", 42, err));
}

static int decode(const char *key, const char *value,
		  struct display_review_event *ev, char *err)
{
	return display_review_decode(key, key ? strlen(key) : 0, value,
				     value ? strlen(value) : 0, ev, err, 200);
}

static void review_events_decode(void **state)
{
	struct display_review_event ev;
	char err[200];

	(void)state;
	assert_int_equal(decode("42",
				"{\"event_id\":\"e1\",\"review_id\":9,\"store_id\":42,"
				"\"type\":\"created\",\"version\":5,"
				"\"at\":\"2026-11-24T10:00:00.123Z\"}",
				&ev, err), 0);
	assert_int_equal(ev.store_id, 42);
	assert_int_equal(ev.version, 5);
	assert_int_equal(ev.review_id, 9);
	assert_true(ev.at_ms > 0);

	assert_int_equal(decode("41",
				"{\"event_id\":\"e1\",\"review_id\":9,\"store_id\":42,"
				"\"type\":\"created\",\"version\":5,"
				"\"at\":\"2026-11-24T10:00:00.123Z\"}",
				&ev, err), -1);
	assert_non_null(strstr(err, "differs"));
	assert_int_equal(decode(NULL, "{}", &ev, err), -1);
	assert_non_null(strstr(err, "key"));
	assert_int_equal(decode("42", "not json", &ev, err), -1);
	assert_non_null(strstr(err, "value: not JSON"));
	assert_int_equal(decode("42",
				"{\"event_id\":\"e1\",\"review_id\":9,\"store_id\":42,"
				"\"type\":\"liked\",\"version\":5,"
				"\"at\":\"2026-11-24T10:00:00.123Z\"}",
				&ev, err), -1);
	assert_non_null(strstr(err, "type"));
	assert_int_equal(decode("42",
				"{\"event_id\":\"e1\",\"review_id\":9,\"store_id\":42,"
				"\"type\":\"deleted\",\"version\":0,"
				"\"at\":\"2026-11-24T10:00:00.123Z\"}",
				&ev, err), -1);
	assert_non_null(strstr(err, "version"));
}

/* Fakes: a view database of held versions and a scripted reviews-svc. */
struct fake {
	int64_t held[8];          /* by store id */
	int held_fails;
	int apply_fails;
	int applied[8];           /* summary version written, by store id */
	enum display_review_answer answer[8];
	int64_t summary_version[8];
	int fetches;
};

static int fake_held(void *ctx, int64_t id, int64_t *version)
{
	struct fake *f = ctx;

	if (f->held_fails)
		return -1;
	*version = f->held[id];
	return 0;
}

static int fake_apply(void *ctx, int64_t id, const json_t *summary, int *stale)
{
	struct fake *f = ctx;
	int64_t v = json_integer_value(json_object_get(summary, "version"));

	if (f->apply_fails)
		return -1;
	*stale = v <= f->held[id];
	if (!*stale) {
		f->held[id] = v;
		f->applied[id] = (int)v;
	}
	return 0;
}

static enum display_review_answer fake_fetch(void *ctx, int64_t id,
					     json_t **summary, char *error,
					     size_t errlen)
{
	struct fake *f = ctx;

	f->fetches++;
	if (f->answer[id] == REVIEW_ANSWER_SUMMARY)
		*summary = json_pack("{s:i, s:f, s:I}", "count", 1, "average",
				     5.0, "version",
				     (json_int_t)f->summary_version[id]);
	else if (f->answer[id] == REVIEW_ANSWER_FAILED)
		snprintf(error, errlen, "reviews-svc unreachable: refused");
	return f->answer[id];
}

static double fake_now(void)
{
	return 1.0;
}

static void add(struct display_review_batch *b, int64_t store, int64_t version,
		double at)
{
	struct display_review_event ev = { "e", 1, store, version, at };

	assert_int_equal(display_review_batch_add(b, &ev), 0);
}

static void batch_collapses_and_settles(void **state)
{
	struct fake f = { 0 };
	struct display_review_port port = { &f, fake_held, fake_apply };
	struct display_review_source source = { &f, fake_fetch };
	struct display_review_batch b;

	(void)state;
	display_review_batch_init(&b);
	add(&b, 1, 2, 300);
	add(&b, 2, 1, 100);
	add(&b, 1, 4, 200);
	add(&b, 1, 3, 250);
	add(&b, 3, 6, 50);
	assert_int_equal(b.n, 3);
	assert_int_equal(b.entries[0].version, 4);
	assert_int_equal(b.entries[0].coalesced, 3);
	assert_true(b.entries[0].first_at_ms == 200);

	f.held[2] = 1;                  /* store 2: nothing newer */
	f.answer[1] = REVIEW_ANSWER_SUMMARY;
	f.summary_version[1] = 5;       /* newer than the event: fine */
	f.answer[3] = REVIEW_ANSWER_GONE;
	assert_int_equal(display_review_batch_settle(&b, &port, &source,
						     fake_now), 0);
	assert_int_equal(b.entries[0].action, REACTION_APPLIED);
	assert_int_equal(b.entries[0].applied_version, 5);
	assert_int_equal(b.entries[1].action, REACTION_SKIPPED_STALE);
	assert_int_equal(b.entries[1].applied_version, 1);
	assert_int_equal(b.entries[2].action, REACTION_DELETED);
	assert_int_equal(b.entries[2].applied_version, 6);
	assert_int_equal(f.applied[3], 6);
	assert_int_equal(f.fetches, 2);

	/* The same events again: every one is stale, nothing is fetched. */
	f.fetches = 0;
	assert_int_equal(display_review_batch_settle(&b, &port, &source,
						     fake_now), 0);
	assert_int_equal(f.fetches, 0);
	assert_int_equal(b.entries[0].action, REACTION_SKIPPED_STALE);

	/* A summary no newer than held: stale after the fetch. */
	display_review_batch_reset(&b);
	add(&b, 1, 6, 0);
	f.summary_version[1] = 5;
	assert_int_equal(display_review_batch_settle(&b, &port, &source,
						     fake_now), 0);
	assert_int_equal(b.entries[0].action, REACTION_SKIPPED_STALE);
	display_review_batch_free(&b);
}

static void unreachable_reviews_fail_the_rest(void **state)
{
	struct fake f = { 0 };
	struct display_review_port port = { &f, fake_held, fake_apply };
	struct display_review_source source = { &f, fake_fetch };
	struct display_review_batch b;

	(void)state;
	display_review_batch_init(&b);
	add(&b, 1, 1, 0);
	add(&b, 2, 1, 0);
	add(&b, 3, 1, 0);
	f.held[2] = 1;
	f.answer[1] = REVIEW_ANSWER_FAILED;
	f.answer[3] = REVIEW_ANSWER_SUMMARY;
	f.summary_version[3] = 1;
	assert_int_equal(display_review_batch_settle(&b, &port, &source,
						     fake_now), 2);
	assert_int_equal(b.entries[0].action, REACTION_FAILED);
	assert_string_equal(b.entries[0].error, "reviews-svc unreachable: refused");
	assert_int_equal(b.entries[1].action, REACTION_SKIPPED_STALE);
	assert_int_equal(b.entries[2].action, REACTION_FAILED);
	assert_string_equal(b.entries[2].error, "reviews-svc unreachable: refused");
	assert_int_equal(f.fetches, 1);
	assert_int_equal(f.applied[3], 0);

	/* The database failing fails the entry too. */
	f.held_fails = 1;
	assert_int_equal(display_review_batch_settle(&b, &port, &source,
						     fake_now), 3);
	f.held_fails = 0;
	f.apply_fails = 1;
	f.answer[1] = REVIEW_ANSWER_SUMMARY;
	f.summary_version[1] = 1;
	assert_int_equal(display_review_batch_settle(&b, &port, &source,
						     fake_now), 2);
	assert_non_null(strstr(b.entries[0].error, "view database"));
	display_review_batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document_keeps_what_a_page_shows),
		cmocka_unit_test(reviews_replace_in_stored_text),
		cmocka_unit_test(summary_checks),
		cmocka_unit_test(review_events_decode),
		cmocka_unit_test(batch_collapses_and_settles),
		cmocka_unit_test(unreachable_reviews_fail_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
