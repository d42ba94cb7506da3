/*
 * The downstream services' shared pieces: body checks (members, texts,
 * integers), parameter checks, the SQLite page renderer, and
 * ds_store_known against a fake copy and an in-process fake store API
 * (200, 404, 410, 500, unreachable).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/httpd.h"
#include "consumer/ds_check.h"
#include "consumer/ds_lookup.h"
#include "consumer/ds_params.h"
#include "consumer/ds_sqlite.h"

static void test_check(void **state)
{
	static const char *const names[] = { "a", "b", NULL };
	json_t *o = json_pack("{s:s, s:i, s:n}", "a", "한글 ok", "b", 7, "c");
	struct ds_violation v;
	char text[64];
	int64_t n;

	(void)state;
	assert_int_equal(ds_check_members(o, names, &v), -1);
	assert_string_equal(v.field, "c");
	assert_string_equal(v.rule, "unknown");
	json_object_del(o, "c");
	assert_int_equal(ds_check_members(o, names, &v), 0);

	assert_int_equal(ds_check_text(o, "a", 1, 6, 0, text, sizeof(text), &v), 0);
	assert_string_equal(text, "한글 ok");
	assert_int_equal(ds_check_text(o, "a", 1, 4, 0, text, sizeof(text), &v), -1);
	assert_string_equal(v.rule, "length");
	assert_int_equal(ds_check_text(o, "a", 1, 6, 0, text, 4, &v), -1); /* buffer */
	assert_int_equal(ds_check_text(o, "b", 0, 6, 0, text, sizeof(text), &v), -1);
	assert_string_equal(v.rule, "type");
	assert_int_equal(ds_check_text(o, "z", 1, 6, 0, text, sizeof(text), &v), -1);
	assert_string_equal(v.rule, "required");
	assert_int_equal(ds_check_text(o, "z", 0, 6, 0, text, sizeof(text), &v), 0);
	assert_string_equal(text, "");
	json_object_set_new(o, "m", json_string("a\nb"));
	assert_int_equal(ds_check_text(o, "m", 0, 6, 0, text, sizeof(text), &v), -1);
	assert_string_equal(v.rule, "control");
	assert_int_equal(ds_check_text(o, "m", 0, 6, 1, text, sizeof(text), &v), 0);

	assert_int_equal(ds_check_int(o, "b", 1, 7, &n, &v), 0);
	assert_int_equal(n, 7);
	assert_int_equal(ds_check_int(o, "b", 8, 9, &n, &v), -1);
	assert_string_equal(v.rule, "range");
	assert_int_equal(ds_check_int(o, "a", 8, 9, &n, &v), -1);
	assert_string_equal(v.rule, "type");
	assert_int_equal(ds_check_int(o, "q", 8, 9, &n, &v), -1);
	assert_string_equal(v.rule, "required");
	assert_int_equal(ds_utf8_chars("가나a"), 3);
	json_decref(o);
}

static void test_params(void **state)
{
	int limit;
	int64_t id;

	(void)state;
	assert_int_equal(ds_parse_limit(NULL, 20, 100, &limit), 0);
	assert_int_equal(limit, 20);
	assert_int_equal(ds_parse_limit("100", 20, 100, &limit), 0);
	assert_int_equal(limit, 100);
	assert_int_equal(ds_parse_limit("101", 20, 100, &limit), -1);
	assert_int_equal(ds_parse_limit("0", 20, 100, &limit), -1);
	assert_int_equal(ds_parse_limit("", 20, 100, &limit), -1);
	assert_int_equal(ds_parse_limit("1x", 20, 100, &limit), -1);
	assert_int_equal(ds_parse_limit("-1", 20, 100, &limit), -1);
	assert_int_equal(ds_parse_id("42", &id), 0);
	assert_int_equal(id, 42);
	assert_int_equal(ds_parse_id("0", &id), -1);
	assert_int_equal(ds_parse_id("1234567890123456789", &id), -1);
	assert_int_equal(ds_parse_id("4 2", &id), -1);
	assert_int_equal(ds_parse_id(NULL, &id), -1);
	assert_true(ds_valid_area("gangnam"));
	assert_true(ds_valid_area("seoul-1"));
	assert_false(ds_valid_area("-x"));
	assert_false(ds_valid_area("g"));
	assert_false(ds_valid_area("Gangnam"));
	assert_false(ds_valid_area("강남"));
	assert_true(ds_valid_user("Kim.u-1@x_y"));
	assert_false(ds_valid_user("a b"));
	assert_false(ds_valid_user("a/b"));
}

static void test_page(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	json_t *page, *row;
	char err[128];

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(ds_sqlite_exec(db,
		"CREATE TABLE s (id INTEGER PRIMARY KEY, version INT, deleted INT, name TEXT, r REAL);"
		"INSERT INTO s VALUES (1, 3, 0, '가게', 1.5), (2, 4, 1, NULL, NULL), (5, 1, 0, 'x', 0);",
		err, sizeof(err)), 0);
	assert_int_equal(ds_sqlite_prepare(db, "SELECT * FROM s WHERE id > ?1 ORDER BY id LIMIT ?2",
					   &st, err, sizeof(err)), 0);
	sqlite3_bind_int(st, 1, 0);
	sqlite3_bind_int(st, 2, 2);
	page = ds_sqlite_page(st, 2);
	assert_int_equal(json_integer_value(json_object_get(page, "next")), 2);
	row = json_array_get(json_object_get(page, "stores"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "name")), "가게");
	assert_true(json_is_false(json_object_get(row, "deleted")));
	assert_true(json_real_value(json_object_get(row, "r")) == 1.5);
	row = json_array_get(json_object_get(page, "stores"), 1);
	assert_true(json_is_true(json_object_get(row, "deleted")));
	assert_true(json_is_null(json_object_get(row, "name")));
	json_decref(page);
	sqlite3_bind_int(st, 1, 2);
	sqlite3_bind_int(st, 2, 2);
	page = ds_sqlite_page(st, 2);
	assert_int_equal(json_array_size(json_object_get(page, "stores")), 1);
	assert_true(json_is_null(json_object_get(page, "next")));
	json_decref(page);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- ds_store_known --------------------------------------------------- */

/* A fake store API: store 1 exists, 2 was deleted at version 8, 3 fails. */
static void fake_store(struct http_req *req)
{
	const char *id = req->params[0];

	if (strcmp(id, "1") == 0)
		http_reply_json(req, 200, json_pack("{s:i, s:s, s:i}", "id", 1,
						    "name", "가게", "version", 4));
	else if (strcmp(id, "2") == 0)
		http_reply_problem(req, 410, "Gone", "deleted",
				   json_pack("{s:i, s:i}", "id", 2, "version", 8));
	else if (strcmp(id, "3") == 0)
		http_reply_problem(req, 500, "Internal Server Error", "boom", NULL);
	else
		http_reply_problem(req, 404, "Not Found", "no such store", NULL);
}

static const struct http_route fake_routes[] = {
	{ "GET", "/stores/{id}", fake_store },
	{ 0 },
};

/* A copy in memory: one store, what was put, what was tombstoned. */
struct fake_copy {
	enum ds_store_state held;
	int fail;
	int puts, tombs;
	int64_t tomb_version;
};

static int fc_state(void *ctx, int64_t id, enum ds_store_state *state)
{
	struct fake_copy *f = ctx;

	(void)id;
	*state = f->held;
	return f->fail ? -1 : 0;
}

static int fc_put(void *ctx, const json_t *store)
{
	struct fake_copy *f = ctx;

	assert_int_equal(json_integer_value(json_object_get(store, "version")), 4);
	f->puts++;
	return 0;
}

static int fc_tomb(void *ctx, int64_t id, int64_t version)
{
	struct fake_copy *f = ctx;

	(void)id;
	f->tombs++;
	f->tomb_version = version;
	return 0;
}

static void test_store_known(void **state)
{
	struct fake_copy fc = { .held = DS_STORE_MISSING };
	struct ds_copy_ops ops = { &fc, fc_state, fc_put, fc_tomb };
	struct httpd *h;
	char url[64], err[256];

	(void)state;
	h = httpd_start("127.0.0.1:0", fake_routes, NULL, NULL, err, sizeof(err));
	assert_non_null(h);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", httpd_port(h));

	/* The copy knows: no question to the API. */
	fc.held = DS_STORE_FOUND;
	assert_int_equal(ds_store_known(&ops, "http://127.0.0.1:1", NULL, 1, err, sizeof(err)),
			 DS_STORE_FOUND);
	fc.held = DS_STORE_DELETED;
	assert_int_equal(ds_store_known(&ops, "http://127.0.0.1:1", NULL, 2, err, sizeof(err)),
			 DS_STORE_DELETED);
	/* It does not: the API's answer, written to the copy. */
	fc.held = DS_STORE_MISSING;
	assert_int_equal(ds_store_known(&ops, url, "tok", 1, err, sizeof(err)), DS_STORE_FOUND);
	assert_int_equal(fc.puts, 1);
	assert_int_equal(ds_store_known(&ops, url, NULL, 2, err, sizeof(err)), DS_STORE_DELETED);
	assert_int_equal(fc.tombs, 1);
	assert_int_equal(fc.tomb_version, 8);
	assert_int_equal(ds_store_known(&ops, url, NULL, 9, err, sizeof(err)), DS_STORE_MISSING);
	assert_int_equal(ds_store_known(&ops, url, NULL, 3, err, sizeof(err)), DS_STORE_UNAVAILABLE);
	assert_non_null(strstr(err, "500"));
	httpd_stop(h);
	assert_int_equal(ds_store_known(&ops, url, NULL, 1, err, sizeof(err)), DS_STORE_UNAVAILABLE);
	assert_non_null(strstr(err, "unreachable"));
	/* The copy fails: unavailable, the API is not asked. */
	fc.fail = 1;
	assert_int_equal(ds_store_known(&ops, url, NULL, 1, err, sizeof(err)), DS_STORE_UNAVAILABLE);
	assert_non_null(strstr(err, "database"));
	assert_int_equal(fc.puts, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_store_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
