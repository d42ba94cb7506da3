/*
 * forget in every service's replica port, against real temporary SQLite
 * files: a copy damaged at the store's version is not repaired by an
 * ordinary write, is repaired by forget then the write (and a tombstone
 * likewise), and what the service owns about the store survives: search's
 * full-text index follows, favorites' lists, ads' campaigns, reviews'
 * reviews and display's review summary stay.
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
#include "ads-svc/ads_db.h"
#include "display-svc/display_db.h"
#include "favorites-svc/fav_db.h"
#include "reviews-svc/reviews_db.h"
#include "search-svc/search_db.h"

#define NOW 1790000000000.0

static json_t *store(int64_t id, const char *name, int64_t version)
{
	json_t *s = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "id",
			      (json_int_t)id, "owner", "owner-1", "name", name,
			      "category", "korean", "area", "gangnam",
			      "status", "open", "version", (json_int_t)version);

	assert_non_null(s);
	return s;
}

static void put(const struct replica_port *p, int64_t id, const char *name,
		int64_t version)
{
	json_t *s = store(id, name, version);

	assert_int_equal(p->upsert(p->ctx, s), 0);
	json_decref(s);
}

static int64_t held(const struct replica_port *p, int64_t id)
{
	int64_t v = -1;

	assert_int_equal(p->held_version(p->ctx, id, &v), 0);
	return v;
}

/* The one row of id in a GET /replica/stores page (page is stolen). */
static json_t *row_of(json_t *page, int64_t id)
{
	json_t *row, *found = NULL;
	size_t i;

	assert_non_null(page);
	json_array_foreach(json_object_get(page, "stores"), i, row)
		if (json_integer_value(json_object_get(row, "id")) == id)
			found = json_incref(row);
	json_decref(page);
	assert_non_null(found);
	return found;
}

static void assert_row(json_t *row, const char *name, int64_t version,
		       int deleted)
{
	if (name != NULL)
		assert_string_equal(json_string_value(json_object_get(row, "name")),
				    name);
	assert_int_equal(json_integer_value(json_object_get(row, "version")),
			 version);
	assert_int_equal(json_is_true(json_object_get(row, "deleted")), deleted);
	json_decref(row);
}

/*
 * The repair every port must allow, through list (a replica page of the
 * port's database): store 1 damaged at 3, store 2 live at 4 in the copy
 * though the store API deleted it at 4. check_names: the port keeps the
 * name.
 */
static void repair(const struct replica_port *p,
		   json_t *(*list)(void *db), void *db, int check_names)
{
	const char *good = check_names ? "Golden Bowl" : NULL;
	const char *bad = check_names ? "Damaged Diner" : NULL;

	put(p, 1, "Damaged Diner", 3);
	put(p, 1, "Golden Bowl", 3);
	assert_row(row_of(list(db), 1), bad, 3, 0);
	assert_non_null(p->forget);
	assert_int_equal(p->forget(p->ctx, 1), 0);
	assert_int_equal(held(p, 1), 0);
	/* Until the rewrite the store is still there: readers never miss it. */
	assert_row(row_of(list(db), 1), bad, 0, 0);
	put(p, 1, "Golden Bowl", 3);
	assert_int_equal(held(p, 1), 3);
	assert_row(row_of(list(db), 1), good, 3, 0);

	put(p, 2, "Zombie Noodles", 4);
	assert_int_equal(p->remove(p->ctx, 2, 3), 0); /* older: refused */
	assert_row(row_of(list(db), 2), NULL, 4, 0);
	assert_int_equal(p->forget(p->ctx, 2), 0);
	assert_int_equal(p->remove(p->ctx, 2, 4), 0);
	assert_row(row_of(list(db), 2), NULL, 4, 1);
	/* A tombstone forgotten and written again stays one. */
	assert_int_equal(p->forget(p->ctx, 2), 0);
	assert_int_equal(p->remove(p->ctx, 2, 4), 0);
	assert_int_equal(held(p, 2), 4);
	/* Forgetting what is not held is no failure. */
	assert_int_equal(p->forget(p->ctx, 99), 0);
	assert_int_equal(held(p, 99), 0);
}

static json_t *search_list(void *db)
{
	return search_db_replica(db, 0, 100);
}

static size_t search_hits(struct search_db *db, const char *text)
{
	struct search_query q;
	struct search_filter f = { .q = &q };
	int64_t ids[8];
	size_t n = 0;
	char err[128];

	assert_int_equal(search_query_parse(text, &q, err, sizeof(err)), 0);
	assert_int_equal(search_db_search(db, &f, ids, 8, &n), 0);
	search_query_free(&q);
	return n;
}

static void search_port_forgets(void **state)
{
	struct tmpdb t;
	struct search_db *db;
	struct replica_port p;
	char err[256];

	(void)state;
	assert_int_equal(tmpdb_make(&t, "search.db"), 0);
	db = search_db_open(t.path, err, sizeof(err));
	assert_non_null(db);
	search_db_port(db, &p);
	repair(&p, search_list, db, 1);
	/* The index follows the rewrite: the damaged name is gone from it. */
	assert_int_equal(search_hits(db, "golden"), 1);
	assert_int_equal(search_hits(db, "damaged"), 0);
	assert_int_equal(search_hits(db, "zombie"), 0);
	search_db_close(db);
	tmpdb_remove(&t);
}

static json_t *fav_list(void *db)
{
	return fav_db_replica(db, 0, 100);
}

static void favorites_port_forgets(void **state)
{
	struct tmpdb t;
	struct fav_db *db;
	struct replica_port p;
	json_t *list;
	char err[256];

	(void)state;
	assert_int_equal(tmpdb_make(&t, "favorites.db"), 0);
	db = fav_db_open(t.path, err, sizeof(err));
	assert_non_null(db);
	fav_db_port(db, &p);
	put(&p, 1, "Damaged Diner", 3);
	assert_int_equal(fav_db_add(db, "u1", 1, NOW), FAV_ADDED);
	repair(&p, fav_list, db, 1);
	/* The user's list kept the store through the rewrite. */
	list = fav_db_list(db, "u1", 10);
	assert_non_null(list);
	assert_int_equal(json_array_size(json_object_get(list, "ids")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(list, "stores"), 0),
				    "name")),
			    "Golden Bowl");
	json_decref(list);
	fav_db_close(db);
	tmpdb_remove(&t);
}

static json_t *ads_list(void *db)
{
	return ads_db_replica(db, 0, 100);
}

static void ads_port_forgets(void **state)
{
	struct tmpdb t;
	struct ads_db *db;
	struct replica_port p;
	struct ads_campaign c = { .store_id = 1, .area = "gangnam", .bid = 500,
				  .starts_at_ms = NOW - 1000,
				  .ends_at_ms = NOW + 3600000,
				  .created_at_ms = NOW - 1000 };
	json_t *list;
	char err[256];

	(void)state;
	assert_int_equal(tmpdb_make(&t, "ads.db"), 0);
	db = ads_db_open(t.path, err, sizeof(err));
	assert_non_null(db);
	ads_db_port(db, &p);
	put(&p, 1, "Damaged Diner", 3);
	assert_int_equal(ads_db_create(db, &c), ADS_DB_OK);
	repair(&p, ads_list, db, 0);
	list = ads_db_list(db, 1, 10, NOW);
	assert_non_null(list);
	assert_int_equal(json_array_size(json_object_get(list, "campaigns")), 1);
	json_decref(list);
	ads_db_close(db);
	tmpdb_remove(&t);
}

static json_t *reviews_list(void *db)
{
	return reviews_db_replica(db, 0, 100);
}

static void reviews_port_forgets(void **state)
{
	struct tmpdb t;
	struct reviews_db *db;
	struct replica_port p;
	struct review r = { .store_id = 1, .user = "u1", .rating = 4,
			    .text = "good", .created_at_ms = NOW };
	struct review_summary s;
	char err[256];

	(void)state;
	assert_int_equal(tmpdb_make(&t, "reviews.db"), 0);
	db = reviews_db_open(t.path, err, sizeof(err));
	assert_non_null(db);
	reviews_db_port(db, &p);
	put(&p, 1, "Damaged Diner", 3);
	assert_int_equal(reviews_db_create(db, &r, NULL), REVIEWS_DB_OK);
	repair(&p, reviews_list, db, 1);
	assert_int_equal(reviews_db_summary(db, 1, &s), 0);
	assert_int_equal(s.count, 1);
	reviews_db_close(db);
	tmpdb_remove(&t);
}

static json_t *display_list(void *db)
{
	return display_db_replica(db, 0, 100);
}

static void display_port_forgets(void **state)
{
	struct tmpdb t;
	struct display_db *db;
	struct replica_port p;
	struct display_review_port rp;
	json_t *summary = json_pack("{s:i, s:f, s:I}", "count", 2, "average",
				    4.5, "version", (json_int_t)6);
	char *doc = NULL;
	json_t *page, *parsed;
	int stale = -1;
	char err[256];

	(void)state;
	assert_int_equal(tmpdb_make(&t, "display.db"), 0);
	db = display_db_open(t.path, err, sizeof(err));
	assert_non_null(db);
	display_db_port(db, &p);
	display_db_review_port(db, &rp);
	put(&p, 1, "Damaged Diner", 3);
	assert_int_equal(rp.apply(rp.ctx, 1, summary, &stale), 0);
	assert_int_equal(stale, 0);
	/* A summary that waits for its store is no document. */
	assert_int_equal(rp.apply(rp.ctx, 7, summary, &stale), 0);
	repair(&p, display_list, db, 1);
	/* The document is rebuilt with the summary it had. */
	assert_int_equal(display_db_doc(db, 1, &doc), DISPLAY_DB_FOUND);
	parsed = json_loads(doc, 0, NULL);
	assert_non_null(parsed);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(parsed, "reviews"), "count")),
			 2);
	json_decref(parsed);
	free(doc);
	assert_int_equal(display_db_doc(db, 2, &doc), DISPLAY_DB_GONE);
	/* The listing: documents and tombstones, paged, not store 7. */
	page = display_db_replica(db, 0, 1);
	assert_int_equal(json_array_size(json_object_get(page, "stores")), 1);
	assert_int_equal(json_integer_value(json_object_get(page, "next")), 1);
	json_decref(page);
	page = display_db_replica(db, 1, 100);
	assert_int_equal(json_array_size(json_object_get(page, "stores")), 1);
	assert_true(json_is_null(json_object_get(page, "next")));
	json_decref(page);
	json_decref(summary);
	display_db_close(db);
	tmpdb_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(search_port_forgets),
		cmocka_unit_test(favorites_port_forgets),
		cmocka_unit_test(ads_port_forgets),
		cmocka_unit_test(reviews_port_forgets),
		cmocka_unit_test(display_port_forgets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
