/*
 * search-svc's SQLite adapter against a real temporary database: the
 * replica port's writes, Korean substring search (trigram and the LIKE
 * fallback), ranking, tombstones and stale writes; menu item names, area
 * and category filters, the replica listing and the upgrade of a database
 * of the first schema.
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
#include "search-svc/query.h"
#include "search-svc/search_db.h"

struct fixture {
	struct tmpdb tmp;
	struct search_db *db;
	struct replica_port port;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (tmpdb_make(&f->tmp, "search.db"))
		return -1;
	f->db = search_db_open(f->tmp.path, err, sizeof(err));
	if (f->db == NULL) {
		fprintf(stderr, "open: %s\n", err);
		return -1;
	}
	search_db_port(f->db, &f->port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	search_db_close(f->db);
	tmpdb_remove(&f->tmp);
	free(f);
	return 0;
}

static void put(struct fixture *f, int64_t id, const char *name,
		const char *category, int64_t version)
{
	json_t *s = json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)id,
			      "name", name, "category", category, "version",
			      (json_int_t)version, "phone", "02-000-0000");

	assert_int_equal(f->port.upsert(f->port.ctx, s), 0);
	json_decref(s);
}

/* Searches q; returns how many ids, copying them into ids. */
static size_t find(struct fixture *f, const char *q, int64_t *ids, size_t max)
{
	struct search_query query;
	char err[128];
	size_t n = 0;

	assert_int_equal(search_query_parse(q, &query, err, sizeof(err)), 0);
	struct search_filter filter = { .q = &query };

	assert_int_equal(search_db_search(f->db, &filter, ids, max, &n), 0);
	search_query_free(&query);
	return n;
}

static int64_t held(struct fixture *f, int64_t id)
{
	int64_t v = -1;

	assert_int_equal(f->port.held_version(f->port.ctx, id, &v), 0);
	return v;
}

static void korean_substrings_match(void **state)
{
	struct fixture *f = *state;
	int64_t ids[10];

	put(f, 1, "김밥천국 역삼점", "korean", 1);
	put(f, 2, "교촌치킨 강남점", "chicken", 1);
	put(f, 3, "BHC치킨", "chicken", 1);
	put(f, 4, "행복한 떡볶이집", "snack", 1);

	/* Three or more characters: trigram MATCH. */
	assert_int_equal(find(f, "천국 역", ids, 10), 1);
	assert_int_equal(ids[0], 1);
	assert_int_equal(find(f, "떡볶이", ids, 10), 1);
	assert_int_equal(ids[0], 4);
	assert_int_equal(find(f, "강남점", ids, 10), 1);
	/* Two characters: the LIKE fallback. */
	assert_int_equal(find(f, "치킨", ids, 10), 2);
	assert_int_equal(find(f, "김밥", ids, 10), 1);
	assert_int_equal(ids[0], 1);
	/* Categories count, case does not (ASCII). */
	assert_int_equal(find(f, "CHICKEN", ids, 10), 2);
	assert_int_equal(find(f, "bhc", ids, 10), 1);
	assert_int_equal(ids[0], 3);
	/* Mixed: a long word and a short one must both match. */
	assert_int_equal(find(f, "chicken 교촌", ids, 10), 1);
	assert_int_equal(ids[0], 2);
	assert_int_equal(find(f, "피자", ids, 10), 0);
	/* The limit holds. */
	assert_int_equal(find(f, "점", ids, 1), 1);
}

static void like_wildcards_are_literal(void **state)
{
	struct fixture *f = *state;
	int64_t ids[10];

	put(f, 1, "100% 국산", "korean", 1);
	put(f, 2, "1000 국산", "korean", 1);
	put(f, 3, "a_b", "x", 1);
	put(f, 4, "axb", "x", 1);
	assert_int_equal(find(f, "0%", ids, 10), 1);
	assert_int_equal(ids[0], 1);
	assert_int_equal(find(f, "_", ids, 10), 1);
	assert_int_equal(ids[0], 3);
	/* And FTS syntax is just text. */
	assert_int_equal(find(f, "\"a_b", ids, 10), 0);
	assert_int_equal(find(f, "a_b OR axb", ids, 10), 0);
}

static void ranking_puts_better_matches_first(void **state)
{
	struct fixture *f = *state;
	int64_t ids[10];

	put(f, 1, "국밥", "치킨", 1);            /* category only */
	put(f, 2, "옛날통닭 치킨 치킨", "korean", 1);
	put(f, 3, "치킨", "chicken", 1);
	assert_int_equal(find(f, "치킨", ids, 10), 3);
	/* Name matches before category ones, shorter names first. */
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 1);
}

static void renames_and_deletes_follow(void **state)
{
	struct fixture *f = *state;
	int64_t ids[10], count = -1;
	char err[128];

	put(f, 7, "김밥천국", "korean", 1);
	assert_int_equal(held(f, 7), 1);
	assert_int_equal(held(f, 8), 0);
	put(f, 7, "행복한 떡볶이집", "snack", 2);
	assert_int_equal(find(f, "김밥천국", ids, 10), 0);
	assert_int_equal(find(f, "김밥", ids, 10), 0);
	assert_int_equal(find(f, "떡볶이", ids, 10), 1);

	/* A stale write changes nothing. */
	put(f, 7, "김밥천국", "korean", 1);
	assert_int_equal(find(f, "떡볶이", ids, 10), 1);
	assert_int_equal(held(f, 7), 2);

	assert_int_equal(search_db_count(f->db, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 1);
	assert_int_equal(f->port.remove(f->port.ctx, 7, 3), 0);
	assert_int_equal(held(f, 7), 3);
	assert_int_equal(find(f, "떡볶이", ids, 10), 0);
	assert_int_equal(find(f, "떡", ids, 10), 0);
	assert_int_equal(search_db_count(f->db, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 0);

	/* The tombstone keeps older versions out. */
	put(f, 7, "행복한 떡볶이집", "snack", 2);
	assert_int_equal(find(f, "떡볶이", ids, 10), 0);
	/* A store never seen can be remembered as removed. */
	assert_int_equal(f->port.remove(f->port.ctx, 9, 4), 0);
	assert_int_equal(held(f, 9), 4);
}

static void bad_store_is_refused(void **state)
{
	struct fixture *f = *state;
	json_t *s = json_pack("{s:s}", "name", "x");

	assert_int_equal(f->port.upsert(f->port.ctx, s), -1);
	json_decref(s);
}

static void reopens_with_its_data(void **state)
{
	struct fixture *f = *state;
	int64_t ids[4];
	char err[256];

	put(f, 5, "교촌치킨", "chicken", 3);
	search_db_close(f->db);
	f->db = search_db_open(f->tmp.path, err, sizeof(err));
	assert_non_null(f->db);
	search_db_port(f->db, &f->port);
	assert_int_equal(held(f, 5), 3);
	assert_int_equal(find(f, "교촌치", ids, 4), 1);
}

/* A store with an area and a menu of the given item names. */
static void put_full(struct fixture *f, int64_t id, const char *name,
		     const char *category, const char *area,
		     const char *const *items, int64_t version)
{
	json_t *menu = json_array();
	json_t *s;

	for (size_t i = 0; items != NULL && items[i] != NULL; i++)
		json_array_append_new(menu, json_pack("{s:I, s:s, s:i}", "id",
						      (json_int_t)i + 1, "name",
						      items[i], "price", 8000));
	s = json_pack("{s:I, s:s, s:s, s:s, s:o, s:I}", "id", (json_int_t)id,
		      "name", name, "category", category, "area", area, "menu",
		      menu, "version", (json_int_t)version);
	assert_int_equal(f->port.upsert(f->port.ctx, s), 0);
	json_decref(s);
}

/* Searches q (may be NULL) within area and category (may be NULL). */
static size_t find_in(struct fixture *f, const char *q, const char *area,
		      const char *category, int64_t *ids, size_t max)
{
	struct search_query query;
	struct search_filter filter = { .area = area, .category = category };
	char err[128];
	size_t n = 0;

	if (q != NULL) {
		assert_int_equal(search_query_parse(q, &query, err, sizeof(err)), 0);
		filter.q = &query;
	}
	assert_int_equal(search_db_search(f->db, &filter, ids, max, &n), 0);
	if (q != NULL)
		search_query_free(&query);
	return n;
}

static void menus_and_filters(void **state)
{
	struct fixture *f = *state;
	static const char *const kimbap[] = { "참치김밥", "라볶이", NULL };
	static const char *const chicken[] = { "후라이드치킨", "양념치킨", NULL };
	static const char *const pizza[] = { "페퍼로니 피자", NULL };
	int64_t ids[10];

	put_full(f, 1, "김밥천국 역삼점", "korean", "gangnam", kimbap, 1);
	put_full(f, 2, "교촌치킨 강남점", "chicken", "gangnam", chicken, 1);
	put_full(f, 3, "동네 피자", "pizza", "mapo", pizza, 1);
	put_full(f, 4, "양념통닭", "chicken", "mapo", NULL, 1);

	/* Menu item names are found, long and short words alike. */
	assert_int_equal(find_in(f, "참치김밥", NULL, NULL, ids, 10), 1);
	assert_int_equal(ids[0], 1);
	assert_int_equal(find_in(f, "라볶", NULL, NULL, ids, 10), 1);
	assert_int_equal(ids[0], 1);
	assert_int_equal(find_in(f, "페퍼로니", NULL, NULL, ids, 10), 1);
	assert_int_equal(ids[0], 3);
	/* A name match ranks above a menu match. */
	assert_int_equal(find_in(f, "양념", NULL, NULL, ids, 10), 2);
	assert_int_equal(ids[0], 4);
	assert_int_equal(find_in(f, "양념치킨", NULL, NULL, ids, 10), 1);
	assert_int_equal(find_in(f, "양념통", NULL, NULL, ids, 10), 1);
	assert_int_equal(ids[0], 4);

	/* Filters narrow, with or without q. */
	assert_int_equal(find_in(f, "양념", "mapo", NULL, ids, 10), 1);
	assert_int_equal(ids[0], 4);
	assert_int_equal(find_in(f, NULL, "gangnam", NULL, ids, 10), 2);
	assert_int_equal(find_in(f, NULL, NULL, "chicken", ids, 10), 2);
	assert_int_equal(find_in(f, NULL, "mapo", "chicken", ids, 10), 1);
	assert_int_equal(ids[0], 4);
	assert_int_equal(find_in(f, NULL, "jongno", NULL, ids, 10), 0);
	/* Without q: by name (Hangul order), then id. */
	assert_int_equal(find_in(f, NULL, "gangnam", NULL, ids, 10), 2);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 1);

	/* A new menu replaces the old one in the index. */
	put_full(f, 1, "김밥천국 역삼점", "korean", "mapo", pizza, 2);
	assert_int_equal(find_in(f, "참치김밥", NULL, NULL, ids, 10), 0);
	assert_int_equal(find_in(f, "페퍼로니", NULL, NULL, ids, 10), 2);
	assert_int_equal(find_in(f, NULL, "gangnam", NULL, ids, 10), 1);
	/* A deleted store leaves every filter. */
	assert_int_equal(f->port.remove(f->port.ctx, 2, 2), 0);
	assert_int_equal(find_in(f, NULL, NULL, "chicken", ids, 10), 1);
}

static void replica_pages(void **state)
{
	struct fixture *f = *state;
	static const char *const items[] = { "물냉면", "비빔냉면", NULL };
	json_t *page, *first;

	put_full(f, 1, "을밀대", "korean", "mapo", items, 3);
	put_full(f, 2, "우래옥", "korean", "jung", NULL, 1);
	assert_int_equal(f->port.remove(f->port.ctx, 3, 5), 0);

	page = search_db_replica(f->db, 0, 2);
	assert_non_null(page);
	assert_int_equal(json_array_size(json_object_get(page, "stores")), 2);
	assert_int_equal(json_integer_value(json_object_get(page, "next")), 2);
	first = json_array_get(json_object_get(page, "stores"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "version")), 3);
	assert_string_equal(json_string_value(json_object_get(first, "area")), "mapo");
	assert_string_equal(json_string_value(json_array_get(json_object_get(first, "menu"), 1)), "비빔냉면");
	json_decref(page);

	page = search_db_replica(f->db, 2, 2);
	assert_int_equal(json_array_size(json_object_get(page, "stores")), 1);
	assert_true(json_is_null(json_object_get(page, "next")));
	first = json_array_get(json_object_get(page, "stores"), 0);
	assert_true(json_is_true(json_object_get(first, "deleted")));
	json_decref(page);
}

/* A database written by the first search-svc (no area, no menu). */
static void upgrades_the_first_schema(void **state)
{
	struct fixture *f = *state;
	sqlite3 *old;
	int64_t ids[4];
	char err[256];

	search_db_close(f->db);
	unlink(f->tmp.path);
	assert_int_equal(sqlite3_open(f->tmp.path, &old), SQLITE_OK);
	assert_int_equal(sqlite3_exec(old,
		"CREATE TABLE stores (id INTEGER PRIMARY KEY,"
		" name TEXT NOT NULL DEFAULT '', category TEXT NOT NULL DEFAULT '',"
		" version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
		"CREATE VIRTUAL TABLE stores_fts USING fts5(name, category,"
		" content='stores', content_rowid='id', tokenize='trigram');"
		"CREATE TRIGGER stores_ai AFTER INSERT ON stores BEGIN"
		" INSERT INTO stores_fts(rowid, name, category)"
		" VALUES (new.id, new.name, new.category); END;"
		"INSERT INTO stores VALUES (1, '교촌치킨', 'chicken', 4, 0);"
		"INSERT INTO stores VALUES (2, '', '', 6, 1);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(old);

	f->db = search_db_open(f->tmp.path, err, sizeof(err));
	assert_non_null(f->db);
	search_db_port(f->db, &f->port);
	/* Still found, but held as nothing so the next event refetches. */
	assert_int_equal(find(f, "교촌치", ids, 4), 1);
	assert_int_equal(held(f, 1), 0);
	/* Tombstones keep their version. */
	assert_int_equal(held(f, 2), 6);
	put_full(f, 1, "교촌치킨", "chicken", "gangnam", NULL, 4);
	assert_int_equal(find_in(f, NULL, "gangnam", NULL, ids, 4), 1);
	/* And opening again changes nothing. */
	search_db_close(f->db);
	f->db = search_db_open(f->tmp.path, err, sizeof(err));
	assert_non_null(f->db);
	search_db_port(f->db, &f->port);
	assert_int_equal(held(f, 1), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(korean_substrings_match, setup, teardown),
		cmocka_unit_test_setup_teardown(like_wildcards_are_literal, setup, teardown),
		cmocka_unit_test_setup_teardown(ranking_puts_better_matches_first, setup, teardown),
		cmocka_unit_test_setup_teardown(renames_and_deletes_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_store_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(reopens_with_its_data, setup, teardown),
		cmocka_unit_test_setup_teardown(menus_and_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(replica_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(upgrades_the_first_schema, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
