/*
 * display-svc's view database against a real temporary SQLite file: store
 * writes and tombstones through the replica port, review summaries through
 * the review port (before and after their store), stale writes, and the
 * lookups the HTTP side makes.
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

#include "tests/unit/tmpdb.h"
#include "display-svc/display_db.h"

struct fixture {
	struct tmpdb tmp;
	struct display_db *db;
	struct replica_port port;
	struct display_review_port reviews;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (tmpdb_make(&f->tmp, "display.db"))
		return -1;
	f->db = display_db_open(f->tmp.path, err, sizeof(err));
	if (f->db == NULL) {
		fprintf(stderr, "open: %s\n", err);
		return -1;
	}
	display_db_port(f->db, &f->port);
	display_db_review_port(f->db, &f->reviews);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	display_db_close(f->db);
	tmpdb_remove(&f->tmp);
	free(f);
	return 0;
}

static void put(struct fixture *f, int64_t id, const char *name,
		int64_t version)
{
	json_t *s = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}", "id",
			      (json_int_t)id, "owner", "owner-1", "name", name,
			      "category", "korean", "version",
			      (json_int_t)version, "status", "open");

	assert_int_equal(f->port.upsert(f->port.ctx, s), 0);
	json_decref(s);
}

static int64_t held(struct fixture *f, int64_t id)
{
	int64_t v = -1;

	assert_int_equal(f->port.held_version(f->port.ctx, id, &v), 0);
	return v;
}

static int64_t review_held(struct fixture *f, int64_t id)
{
	int64_t v = -1;

	assert_int_equal(f->reviews.held(f->reviews.ctx, id, &v), 0);
	return v;
}

/* Applies a summary; returns the stale flag. */
static int review(struct fixture *f, int64_t id, int count, double avg,
		  int64_t version)
{
	json_t *s = json_pack("{s:i, s:f, s:I}", "count", count, "average", avg,
			      "version", (json_int_t)version);
	int stale = -1;

	assert_int_equal(f->reviews.apply(f->reviews.ctx, id, s, &stale), 0);
	json_decref(s);
	return stale;
}

/* The document of id as JSON, or NULL (found says why). */
static json_t *doc_of(struct fixture *f, int64_t id,
		      enum display_db_found *found)
{
	char *text = NULL;
	json_t *doc = NULL;

	*found = display_db_doc(f->db, id, &text);
	if (text != NULL)
		doc = json_loads(text, 0, NULL);
	free(text);
	return doc;
}

static void writes_and_lookups(void **state)
{
	struct fixture *f = *state;
	enum display_db_found found;
	json_t *doc;
	int64_t count = -1;
	char err[128];

	assert_int_equal(held(f, 1), 0);
	put(f, 1, "김밥천국", 2);
	assert_int_equal(held(f, 1), 2);
	doc = doc_of(f, 1, &found);
	assert_int_equal(found, DISPLAY_DB_FOUND);
	assert_string_equal(json_string_value(json_object_get(doc, "name")),
			    "김밥천국");
	assert_null(json_object_get(doc, "owner"));
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(doc, "reviews"), "count")), 0);
	json_decref(doc);

	/* An older write changes nothing. */
	put(f, 1, "old name", 1);
	doc = doc_of(f, 1, &found);
	assert_string_equal(json_string_value(json_object_get(doc, "name")),
			    "김밥천국");
	json_decref(doc);

	assert_null(doc_of(f, 2, &found));
	assert_int_equal(found, DISPLAY_DB_MISSING);
	put(f, 2, "two", 1);
	assert_int_equal(display_db_count(f->db, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 2);

	/* Deleted: gone, remembered, and older writes stay out. */
	assert_int_equal(f->port.remove(f->port.ctx, 2, 3), 0);
	assert_null(doc_of(f, 2, &found));
	assert_int_equal(found, DISPLAY_DB_GONE);
	assert_int_equal(held(f, 2), 3);
	put(f, 2, "two again", 2);
	assert_null(doc_of(f, 2, &found));
	assert_int_equal(found, DISPLAY_DB_GONE);
	assert_int_equal(display_db_count(f->db, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 1);

	{
		int64_t ids[] = { 2, 9, 1 };
		char *docs[3];

		assert_int_equal(display_db_docs(f->db, ids, 3, docs), 0);
		assert_null(docs[0]);
		assert_null(docs[1]);
		assert_non_null(docs[2]);
		assert_non_null(strstr(docs[2], "\"id\":1"));
		free(docs[2]);
	}
}

static void reviews_join_the_document(void **state)
{
	struct fixture *f = *state;
	enum display_db_found found;
	json_t *doc, *r;

	/* A summary before its store waits in a row without a document. */
	assert_int_equal(review_held(f, 5), 0);
	assert_int_equal(review(f, 5, 1, 4.0, 1), 0);
	assert_int_equal(review_held(f, 5), 1);
	assert_null(doc_of(f, 5, &found));
	assert_int_equal(found, DISPLAY_DB_MISSING);
	assert_int_equal(held(f, 5), 0);

	/* The store arrives and takes the summary into its document. */
	put(f, 5, "five", 1);
	doc = doc_of(f, 5, &found);
	r = json_object_get(doc, "reviews");
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "version")), 1);
	json_decref(doc);

	/* A newer summary replaces it; a store update keeps it. */
	assert_int_equal(review(f, 5, 3, 4.33, 4), 0);
	put(f, 5, "five renamed", 2);
	doc = doc_of(f, 5, &found);
	r = json_object_get(doc, "reviews");
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 3);
	assert_true(json_real_value(json_object_get(r, "average")) > 4.32);
	assert_string_equal(json_string_value(json_object_get(doc, "name")),
			    "five renamed");
	json_decref(doc);

	/* Older or equal summaries are stale and change nothing. */
	assert_int_equal(review(f, 5, 9, 1.0, 4), 1);
	assert_int_equal(review(f, 5, 9, 1.0, 2), 1);
	doc = doc_of(f, 5, &found);
	r = json_object_get(doc, "reviews");
	assert_int_equal(json_integer_value(json_object_get(r, "count")), 3);
	json_decref(doc);

	/* A deleted store's summary is kept but no document comes back. */
	assert_int_equal(f->port.remove(f->port.ctx, 5, 3), 0);
	assert_int_equal(review(f, 5, 0, 0, 5), 0);
	assert_null(doc_of(f, 5, &found));
	assert_int_equal(found, DISPLAY_DB_GONE);
}

static void reopened_database_keeps_everything(void **state)
{
	struct fixture *f = *state;
	enum display_db_found found;
	char err[128];
	json_t *doc;

	put(f, 7, "seven", 4);
	assert_int_equal(review(f, 7, 2, 3.5, 2), 0);
	display_db_close(f->db);
	f->db = display_db_open(f->tmp.path, err, sizeof(err));
	assert_non_null(f->db);
	display_db_port(f->db, &f->port);
	display_db_review_port(f->db, &f->reviews);
	assert_int_equal(held(f, 7), 4);
	assert_int_equal(review_held(f, 7), 2);
	doc = doc_of(f, 7, &found);
	assert_int_equal(found, DISPLAY_DB_FOUND);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writes_and_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(reviews_join_the_document, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reopened_database_keeps_everything,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
