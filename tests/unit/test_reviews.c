/*
 * reviews-svc: the review rules (each violation named), the average, the
 * review.events codec; then its SQLite adapter: a review, its summary and
 * its outbox row in one transaction, refused for stores the copy does not
 * hold live, and deletes lowering the summary with a new version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tests/unit/tmpdb.h"
#include "consumer/review_event.h"
#include "reviews-svc/review.h"
#include "reviews-svc/reviews_db.h"

static int check(const char *text, struct review *r, struct ds_violation *v)
{
	/* NUL allowed here, so the check's own refusal is what is tested. */
	json_t *body = json_loads(text, JSON_ALLOW_NUL, NULL);
	int rc;

	assert_non_null(body);
	rc = reviews_check(body, r, v);
	json_decref(body);
	return rc;
}

static void refused(const char *text, const char *field, const char *rule)
{
	struct review r;
	struct ds_violation v;

	memset(&v, 0, sizeof(v));
	assert_int_equal(check(text, &r, &v), -1);
	assert_string_equal(v.field, field);
	assert_string_equal(v.rule, rule);
}

static void test_check(void **state)
{
	struct review r;
	struct ds_violation v;
	char long_text[1200 * 3 + 64];
	size_t n;

	(void)state;
	assert_int_equal(check("{\"user\":\"u-1.a@b\",\"rating\":5,\"text\":\"맛있어요\\n또 올게요\\t!\"}",
			       &r, &v), 0);
	assert_string_equal(r.user, "u-1.a@b");
	assert_int_equal(r.rating, 5);
	assert_string_equal(r.text, "맛있어요\n또 올게요\t!");
	assert_int_equal(check("{\"user\":\"u\",\"rating\":1}", &r, &v), 0);
	assert_string_equal(r.text, "");

	refused("{\"rating\":3}", "user", "required");
	refused("{\"user\":\"\",\"rating\":3}", "user", "length");
	refused("{\"user\":\"a b\",\"rating\":3}", "user", "pattern");
	refused("{\"user\":7,\"rating\":3}", "user", "type");
	refused("{\"user\":\"u\"}", "rating", "required");
	refused("{\"user\":\"u\",\"rating\":0}", "rating", "range");
	refused("{\"user\":\"u\",\"rating\":6}", "rating", "range");
	refused("{\"user\":\"u\",\"rating\":4.5}", "rating", "type");
	refused("{\"user\":\"u\",\"rating\":4,\"text\":\"a\\u0000b\"}", "text", "control");
	refused("{\"user\":\"u\",\"rating\":4,\"text\":\"a\\u001bb\"}", "text", "control");
	refused("{\"user\":\"u\",\"rating\":4,\"text\":\"a\\u0085b\"}", "text", "control");
	refused("{\"user\":\"u\",\"rating\":4,\"text\":[]}", "text", "type");
	refused("{\"user\":\"u\",\"rating\":4,\"photo\":\"x\"}", "photo", "unknown");
	/* 1000 characters pass, 1001 do not (Korean: 3 bytes each). */
	n = (size_t)snprintf(long_text, sizeof(long_text), "{\"user\":\"u\",\"rating\":4,\"text\":\"");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(long_text + n, sizeof(long_text) - n, "맛");
	snprintf(long_text + n, sizeof(long_text) - n, "\"}");
	assert_int_equal(check(long_text, &r, &v), 0);
	n = strlen(long_text) - 2;
	snprintf(long_text + n, sizeof(long_text) - n, "맛\"}");
	refused(long_text, "text", "length");
}

static void test_average_and_json(void **state)
{
	struct review_summary s = { .store_id = 42, .count = 3, .sum = 13, .version = 5 };
	json_t *j;

	(void)state;
	assert_true(reviews_average(3, 13) == 4.33);
	assert_true(reviews_average(2, 7) == 3.5);
	assert_true(reviews_average(3, 14) == 4.67);
	assert_true(reviews_average(0, 0) == 0);
	j = reviews_summary_json(&s);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 3);
	assert_true(json_real_value(json_object_get(j, "average")) == 4.33);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 5);
	json_decref(j);
	s.count = 0;
	j = reviews_summary_json(&s);
	assert_true(json_is_null(json_object_get(j, "average")));
	json_decref(j);
}

static void test_event_codec(void **state)
{
	struct review_event ev = { .review_id = 9, .store_id = 42,
				   .type = REVIEW_EVENT_DELETED, .version = 5,
				   .at_ms = 1795514400123.0 };
	struct review_event back;
	const char *bad;
	char err[128];
	char *text;

	(void)state;
	assert_int_equal(review_event_new_id(ev.event_id, sizeof(ev.event_id)), 0);
	assert_int_equal(strlen(ev.event_id), 32);
	text = review_event_encode(&ev);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"type\":\"deleted\""));
	assert_non_null(strstr(text, "\"at\":\"2026-11-24T10:00:00.123Z\""));
	assert_int_equal(review_event_decode(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_string_equal(back.event_id, ev.event_id);
	assert_int_equal(back.review_id, 9);
	assert_int_equal(back.store_id, 42);
	assert_int_equal(back.type, REVIEW_EVENT_DELETED);
	assert_int_equal(back.version, 5);
	assert_true(back.at_ms == ev.at_ms);
	free(text);

	assert_int_equal(review_event_decode("nope", 4, &back, err, sizeof(err)), -1);
	bad = "{\"event_id\":\"e\",\"review_id\":1,\"store_id\":2,"
	       "\"type\":\"edited\",\"version\":1,\"at\":\"2026-11-24T10:00:00Z\"}";
	assert_int_equal(review_event_decode(bad, strlen(bad), &back, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "type"));
	bad = "{\"event_id\":\"e\",\"review_id\":1,\"store_id\":2,"
	       "\"type\":\"created\",\"version\":0,\"at\":\"x\"}";
	assert_int_equal(review_event_decode(bad, strlen(bad), &back, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "version"));
}

/* ---- the adapter ------------------------------------------------------ */

struct fixture {
	struct tmpdb tmp;
	struct reviews_db *db;
	struct replica_port port;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (tmpdb_make(&f->tmp, "reviews.db"))
		return -1;
	f->db = reviews_db_open(f->tmp.path, err, sizeof(err));
	if (f->db == NULL) {
		fprintf(stderr, "open: %s\n", err);
		return -1;
	}
	reviews_db_port(f->db, &f->port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	reviews_db_close(f->db);
	tmpdb_remove(&f->tmp);
	free(f);
	return 0;
}

static void put(struct fixture *f, int64_t id, int64_t version)
{
	json_t *s = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "name",
			      "리뷰 맛집", "version", (json_int_t)version);

	assert_int_equal(f->port.upsert(f->port.ctx, s), 0);
	json_decref(s);
}

static enum reviews_db_result add(struct fixture *f, int64_t store,
				  int rating, struct review *r,
				  struct review_summary *s)
{
	memset(r, 0, sizeof(*r));
	r->store_id = store;
	r->rating = rating;
	r->created_at_ms = 1795514400000.0;
	strcpy(r->user, "u1");
	strcpy(r->text, "좋아요");
	return reviews_db_create(f->db, r, s);
}

/* The outbox rows as "type:version" lines, in order, read from the file. */
static void outbox_rows(struct fixture *f, char *out, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t n = 0;

	out[0] = '\0';
	assert_int_equal(sqlite3_open(f->tmp.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT topic, key, value FROM outbox ORDER BY id",
					    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct review_event ev;
		char err[128];
		const char *value = (const char *)sqlite3_column_text(st, 2);

		assert_string_equal((const char *)sqlite3_column_text(st, 0), "review.events");
		assert_int_equal(review_event_decode(value, strlen(value), &ev, err, sizeof(err)), 0);
		assert_int_equal(atoll((const char *)sqlite3_column_text(st, 1)), ev.store_id);
		/* Zero payload: no rating, no text, no user. */
		assert_null(strstr(value, "rating"));
		assert_null(strstr(value, "좋아요"));
		n += (size_t)snprintf(out + n, len - n, "%s:%lld ",
				      review_event_type_name(ev.type),
				      (long long)ev.version);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_reviews_and_summary(void **state)
{
	struct fixture *f = *state;
	struct review r1, r2, r3;
	struct review_summary s;
	int64_t stores, reviews, pending;
	double oldest;
	char rows[256];
	json_t *list;

	put(f, 42, 3);
	assert_int_equal(add(f, 42, 5, &r1, &s), REVIEWS_DB_OK);
	assert_true(r1.id > 0);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.version, 1);
	assert_int_equal(add(f, 42, 2, &r2, &s), REVIEWS_DB_OK);
	assert_int_equal(s.count, 2);
	assert_int_equal(s.sum, 7);
	assert_int_equal(s.version, 2);
	/* Unknown store: refused, nothing written. */
	assert_int_equal(add(f, 7, 4, &r3, &s), REVIEWS_DB_NO_STORE);

	assert_int_equal(reviews_db_delete(f->db, r1.id, 1795514500000.0, &s), REVIEWS_DB_OK);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.sum, 2);
	assert_int_equal(s.version, 3);
	assert_int_equal(reviews_db_delete(f->db, r1.id, 1795514500000.0, &s), REVIEWS_DB_NOT_FOUND);

	assert_int_equal(reviews_db_summary(f->db, 42, &s), 0);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.version, 3);
	assert_int_equal(reviews_db_summary(f->db, 43, &s), 0);
	assert_int_equal(s.count, 0);
	assert_int_equal(s.version, 0);

	list = reviews_db_list(f->db, 42, 10);
	assert_int_equal(json_array_size(json_object_get(list, "reviews")), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(list, "reviews"), 0), "id")), r2.id);
	json_decref(list);

	outbox_rows(f, rows, sizeof(rows));
	assert_string_equal(rows, "created:1 created:2 deleted:3 ");
	assert_int_equal(reviews_db_counts(f->db, &stores, &reviews, &pending, &oldest), 0);
	assert_int_equal(stores, 1);
	assert_int_equal(reviews, 1);
	assert_int_equal(pending, 3);
	assert_true(oldest > 0);

	/* A deleted store takes no review; older versions do not revive it. */
	assert_int_equal(f->port.remove(f->port.ctx, 42, 4), 0);
	assert_int_equal(add(f, 42, 4, &r3, &s), REVIEWS_DB_NO_STORE);
	put(f, 42, 3);
	assert_int_equal(add(f, 42, 4, &r3, &s), REVIEWS_DB_NO_STORE);
	outbox_rows(f, rows, sizeof(rows));
	assert_string_equal(rows, "created:1 created:2 deleted:3 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_average_and_json),
		cmocka_unit_test(test_event_codec),
		cmocka_unit_test_setup_teardown(test_reviews_and_summary, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
