/*
 * favorites-svc's SQLite adapter: lists newest first with each store's
 * current name and status, idempotent adds, only live stores, and a
 * deleted store leaving every list in the same transaction.
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
#include "favorites-svc/fav_db.h"

struct fixture {
	struct tmpdb tmp;
	struct fav_db *db;
	struct replica_port port;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (tmpdb_make(&f->tmp, "favorites.db"))
		return -1;
	f->db = fav_db_open(f->tmp.path, err, sizeof(err));
	if (f->db == NULL) {
		fprintf(stderr, "open: %s\n", err);
		return -1;
	}
	fav_db_port(f->db, &f->port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fav_db_close(f->db);
	tmpdb_remove(&f->tmp);
	free(f);
	return 0;
}

static void put(struct fixture *f, int64_t id, const char *name,
		const char *status, int64_t version)
{
	json_t *s = json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)id,
			      "name", name, "status", status, "category", "korean",
			      "version", (json_int_t)version);

	assert_int_equal(f->port.upsert(f->port.ctx, s), 0);
	json_decref(s);
}

/* user's list as "id:name:status " text. */
static const char *list(struct fixture *f, const char *user)
{
	static char out[512];
	json_t *l = fav_db_list(f->db, user, 100), *s;
	size_t i, n = 0;

	assert_non_null(l);
	out[0] = '\0';
	assert_int_equal(json_array_size(json_object_get(l, "ids")),
			 json_array_size(json_object_get(l, "stores")));
	json_array_foreach(json_object_get(l, "stores"), i, s)
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%lld:%s:%s ",
				      (long long)json_integer_value(json_object_get(s, "id")),
				      json_string_value(json_object_get(s, "name")),
				      json_string_value(json_object_get(s, "status")));
	json_decref(l);
	return out;
}

static void test_lists(void **state)
{
	struct fixture *f = *state;
	int64_t stores, favorites, users, v;

	put(f, 1, "김밥천국", "open", 1);
	put(f, 2, "교촌치킨", "open", 1);
	assert_int_equal(fav_db_add(f->db, "u1", 1, 1000), FAV_ADDED);
	assert_int_equal(fav_db_add(f->db, "u1", 2, 2000), FAV_ADDED);
	assert_int_equal(fav_db_add(f->db, "u1", 1, 3000), FAV_ADDED); /* kept at 1000 */
	assert_int_equal(fav_db_add(f->db, "u2", 1, 1500), FAV_ADDED);
	assert_int_equal(fav_db_add(f->db, "u1", 3, 1500), FAV_NO_STORE);
	assert_string_equal(list(f, "u1"), "2:교촌치킨:open 1:김밥천국:open ");
	assert_string_equal(list(f, "nobody"), "");

	/* The copy follows the store, newer versions only. */
	put(f, 1, "행복한 김밥", "closed", 2);
	put(f, 1, "김밥천국", "open", 1);
	assert_string_equal(list(f, "u2"), "1:행복한 김밥:closed ");
	assert_int_equal(f->port.held_version(f->port.ctx, 1, &v), 0);
	assert_int_equal(v, 2);

	/* Deleted: out of every list at once, and no way back in. */
	assert_int_equal(f->port.remove(f->port.ctx, 1, 3), 0);
	assert_string_equal(list(f, "u1"), "2:교촌치킨:open ");
	assert_string_equal(list(f, "u2"), "");
	assert_int_equal(fav_db_add(f->db, "u2", 1, 4000), FAV_NO_STORE);
	put(f, 1, "행복한 김밥", "open", 2);
	assert_int_equal(fav_db_add(f->db, "u2", 1, 4000), FAV_NO_STORE);

	assert_int_equal(fav_db_remove(f->db, "u1", 2), 0);
	assert_int_equal(fav_db_remove(f->db, "u1", 2), 0);
	assert_string_equal(list(f, "u1"), "");
	assert_int_equal(fav_db_counts(f->db, &stores, &favorites, &users), 0);
	assert_int_equal(stores, 1);
	assert_int_equal(favorites, 0);
	assert_int_equal(users, 0);
}

static void test_copy_from_http(void **state)
{
	struct fixture *f = *state;
	struct ds_copy_ops copy;
	enum ds_store_state st;
	json_t *s, *page;

	fav_db_copy(f->db, &copy);
	assert_int_equal(copy.state(copy.ctx, 5, &st), 0);
	assert_int_equal(st, DS_STORE_MISSING);
	s = json_pack("{s:i, s:s, s:s, s:i}", "id", 5, "name", "새 가게", "status", "open",
		      "version", 1);
	assert_int_equal(copy.put(copy.ctx, s), 0);
	json_decref(s);
	assert_int_equal(copy.state(copy.ctx, 5, &st), 0);
	assert_int_equal(st, DS_STORE_FOUND);
	assert_int_equal(fav_db_add(f->db, "u1", 5, 1), FAV_ADDED);
	assert_int_equal(copy.tombstone(copy.ctx, 5, 2), 0);
	assert_int_equal(copy.state(copy.ctx, 5, &st), 0);
	assert_int_equal(st, DS_STORE_DELETED);
	assert_string_equal(list(f, "u1"), "");
	page = fav_db_replica(f->db, 0, 10);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(page, "stores"), 0),
						 "deleted")));
	json_decref(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_from_http, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
