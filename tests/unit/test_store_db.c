/* store-svc's SQLite adapter on a real file: the whole store round-trips,
 * every change writes its outbox row, list filters, tokens, and a database
 * of the first schema (issue 2) is upgraded in place. */
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
#include "api/fields.h"
#include "store-svc/store_db.h"
#include "store-svc/store_validate.h"

struct fixture {
	struct tmpdb tmp;
	struct store_db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (tmpdb_make(&f->tmp, "store.db"))
		return -1;
	f->db = store_db_open(f->tmp.path, 0, err, sizeof(err));
	if (f->db == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_db_close(f->db);
	tmpdb_remove(&f->tmp);
	free(f);
	return 0;
}

static void make_store(const char *text, struct store *out)
{
	json_t *doc = json_loads(text, 0, NULL);
	struct store_errors errs;

	assert_non_null(doc);
	if (store_validate_doc(doc, STORE_CHECK_CREATE, NULL, out, &errs))
		fail_msg("%s: %s", errs.v[0].field, errs.v[0].detail);
	json_decref(doc);
}

static const char full_store[] =
	"{\"owner\":\"owner-1\",\"name\":\"김밥천국\",\"category\":\"korean\","
	"\"address\":{\"road\":\"테헤란로 1\",\"postal_code\":\"06236\"},"
	"\"area\":\"gangnam\",\"hours\":{\"mon\":[{\"open\":\"09:00\","
	"\"close\":\"02:00\"}],\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],"
	"\"sat\":[],\"sun\":[]},\"status\":\"paused\",\"status_reason\":\"휴식\","
	"\"min_order\":12000,\"delivery_fee\":3000,\"description\":\"맛집\","
	"\"menu\":[{\"name\":\"참치김밥\",\"price\":4500}]}";

static void whole_store_round_trips(void **state)
{
	struct fixture *f = *state;
	struct store s, got;
	struct store_outbox_row rows[4];

	make_store(full_store, &s);
	assert_int_equal(store_db_create(f->db, &s), STORE_DB_OK);
	assert_true(s.id > 0);
	assert_int_equal(store_db_get(f->db, s.id, &got), STORE_DB_OK);
	assert_int_equal(store_validate_diff(&s, &got), 0);
	assert_int_equal(got.version, 1);
	assert_int_equal(got.menu_seq, 1);
	assert_string_equal(got.address.postal_code, "06236");
	assert_int_equal(got.hours.day[0].r[0].close, 120);
	assert_int_equal(store_db_outbox_pending(f->db, 0, rows, 4), 1);
	assert_int_equal(rows[0].ev.store_id, s.id);
	assert_int_equal(rows[0].ev.type, STORE_EVENT_CREATED);
	assert_true(rows[0].ev.fields & STORE_F_MENU);
	assert_true(rows[0].ev.fields & STORE_F_HOURS);
	store_model_clear(&got);
	store_model_clear(&s);
	assert_int_equal(store_db_get(f->db, 999, &got), STORE_DB_NOT_FOUND);
}

/* An edit function that renames the store and empties its menu. */
static enum store_edit rename_and_clear(void *ctx, const struct store *cur,
					struct store *next, uint32_t *fields)
{
	(void)ctx;
	strcpy(next->name, "새 이름");
	store_model_set_menu(next, NULL);
	*fields = store_validate_diff(cur, next);
	return STORE_EDIT_WRITE;
}

static enum store_edit delete_it(void *ctx, const struct store *cur,
				 struct store *next, uint32_t *fields)
{
	(void)ctx;
	(void)cur;
	(void)next;
	(void)fields;
	return STORE_EDIT_DELETE;
}

static void edits_write_their_events(void **state)
{
	struct fixture *f = *state;
	struct store s, result;
	struct store_outbox_row rows[8];
	int wrote, n;

	make_store(full_store, &s);
	assert_int_equal(store_db_create(f->db, &s), STORE_DB_OK);
	assert_int_equal(store_db_edit(f->db, s.id, rename_and_clear, NULL,
				       &result, &wrote),
			 STORE_DB_OK);
	assert_true(wrote);
	assert_int_equal(result.version, 2);
	assert_null(result.menu);
	assert_int_equal(result.menu_seq, 1); /* ids are never reused */
	store_model_clear(&result);
	assert_int_equal(store_db_edit(f->db, s.id, delete_it, NULL, &result,
				       &wrote),
			 STORE_DB_OK);
	assert_int_equal(result.version, 3);
	store_model_clear(&result);
	assert_int_equal(store_db_edit(f->db, s.id, delete_it, NULL, &result,
				       &wrote),
			 STORE_DB_GONE);
	assert_int_equal(result.version, 3);
	assert_string_equal(result.owner, "owner-1"); /* the tombstone's owner */
	store_model_clear(&result);

	n = store_db_outbox_pending(f->db, 0, rows, 8);
	assert_true(n >= 3);
	assert_int_equal(rows[n - 2].ev.type, STORE_EVENT_UPDATED);
	assert_int_equal(rows[n - 2].ev.fields, STORE_F_NAME | STORE_F_MENU);
	assert_int_equal(rows[n - 1].ev.type, STORE_EVENT_DELETED);
	assert_int_equal(rows[n - 1].ev.version, 3);
	store_model_clear(&s);
}

static void count_row(void *ctx, const struct store *s)
{
	(void)s;
	(*(int *)ctx)++;
}

static int list_count(struct store_db *db, const struct store_filter *flt)
{
	int n = 0;

	assert_int_equal(store_db_list(db, flt, 0, 100, count_row, &n),
			 STORE_DB_OK);
	return n;
}

static void list_filters(void **state)
{
	struct fixture *f = *state;
	static const char *const docs[] = {
		"{\"owner\":\"lf-a\",\"name\":\"Pizza 100%\",\"category\":\"pizza\",\"area\":\"mapo\"}",
		"{\"owner\":\"lf-a\",\"name\":\"국수집\",\"category\":\"korean\",\"area\":\"mapo\","
		"\"status\":\"closed\",\"menu\":[{\"name\":\"잔치국수\",\"price\":6000}]}",
		"{\"owner\":\"lf-b\",\"name\":\"Cafe\",\"category\":\"cafe\",\"area\":\"jongno\","
		"\"description\":\"pizza by the slice\"}",
	};
	struct store_filter flt = { 0 };

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct store s;

		make_store(docs[i], &s);
		assert_int_equal(store_db_create(f->db, &s), STORE_DB_OK);
		store_model_clear(&s);
	}
	flt.owner = "lf-a";
	assert_int_equal(list_count(f->db, &flt), 2);
	flt.status = "closed";
	assert_int_equal(list_count(f->db, &flt), 1);
	memset(&flt, 0, sizeof(flt));
	flt.area = "mapo";
	flt.category = "pizza";
	assert_int_equal(list_count(f->db, &flt), 1);
	memset(&flt, 0, sizeof(flt));
	flt.text = "PIZZA"; /* a name and a description, ASCII case folded */
	assert_int_equal(list_count(f->db, &flt), 2);
	flt.text = "치국"; /* inside a menu item's name */
	assert_int_equal(list_count(f->db, &flt), 1);
	flt.text = "0%"; /* % is literal */
	assert_int_equal(list_count(f->db, &flt), 1);
	flt.text = "_";
	assert_int_equal(list_count(f->db, &flt), 0);
}

static void tokens_replace_and_load(void **state)
{
	struct fixture *f = *state;
	struct auth_token t[2] = { 0 }, *got;
	size_t n;

	sha256("one-token-0123456789", 20, t[0].hash);
	t[0].role = AUTH_ROLE_OWNER;
	strcpy(t[0].owner, "owner-1");
	sha256("two-token-0123456789", 20, t[1].hash);
	t[1].role = AUTH_ROLE_SERVICE;
	assert_int_equal(store_db_tokens_replace(f->db, t, 2), STORE_DB_OK);
	assert_int_equal(store_db_tokens_load(f->db, &got, &n), STORE_DB_OK);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		const struct auth_token *want =
			got[i].role == AUTH_ROLE_OWNER ? &t[0] : &t[1];

		assert_memory_equal(got[i].hash, want->hash, SHA256_SIZE);
		assert_string_equal(got[i].owner, want->owner);
	}
	free(got);
	/* The set is replaced, not added to. */
	assert_int_equal(store_db_tokens_replace(f->db, &t[1], 1), STORE_DB_OK);
	assert_int_equal(store_db_tokens_load(f->db, &got, &n), STORE_DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].role, AUTH_ROLE_SERVICE);
	free(got);
}

/* A database as issue 2's store-svc left it opens, upgraded, with its data. */
static void schema_1_is_upgraded(void **state)
{
	struct fixture *f = *state;
	char path[sizeof(f->tmp.path)], err[256];
	struct store_db *db;
	struct store s;
	sqlite3 *raw;

	snprintf(path, sizeof(path), "%s/v1.db", f->tmp.dir);
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw,
		"CREATE TABLE stores (id INTEGER PRIMARY KEY, owner TEXT NOT NULL,"
		" name TEXT NOT NULL, category TEXT NOT NULL, phone TEXT,"
		" status TEXT NOT NULL, version INTEGER NOT NULL,"
		" created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
		" deleted INTEGER NOT NULL DEFAULT 0);"
		"CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
		" event_id TEXT NOT NULL, store_id INTEGER NOT NULL,"
		" type TEXT NOT NULL, version INTEGER NOT NULL,"
		" fields TEXT NOT NULL, at TEXT NOT NULL, sent_at TEXT);"
		"INSERT INTO stores VALUES (7, 'owner-1', '옛 가게', 'korean',"
		" '02-123-4567', 'closed', 3, '2026-01-01T00:00:00.000Z',"
		" '2026-01-02T00:00:00.000Z', 0);"
		"PRAGMA user_version = 1;",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);

	db = store_db_open(path, 0, err, sizeof(err));
	if (db == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_db_get(db, 7, &s), STORE_DB_OK);
	assert_string_equal(s.name, "옛 가게");
	assert_string_equal(s.phone, "02-123-4567");
	assert_int_equal(s.version, 3);
	assert_int_equal(s.min_order, 0);
	assert_null(s.menu);
	assert_false(s.hours.set);
	store_model_clear(&s);
	store_db_close(db);

	/* Opening again is a no-op; a newer schema is refused. */
	db = store_db_open(path, 0, err, sizeof(err));
	assert_non_null(db);
	store_db_close(db);
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(raw);
	assert_null(store_db_open(path, 0, err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_store_round_trips),
		cmocka_unit_test(edits_write_their_events),
		cmocka_unit_test(list_filters),
		cmocka_unit_test(tokens_replace_and_load),
		cmocka_unit_test(schema_1_is_upgraded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
