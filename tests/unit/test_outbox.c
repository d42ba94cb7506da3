/*
 * outbox/: rows written inside the caller's transaction commit or roll
 * back with it, and count as pending until the relay marks them sent.
 * (The relay itself needs Kafka: tests/integration/test_downstream_reviews.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "outbox/outbox.h"

static void test_rows_follow_the_transaction(void **state)
{
	struct outbox_writer *w;
	sqlite3 *db;
	int64_t pending = -1;
	double oldest = -1;
	char err[256];

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(outbox_schema(db, err, sizeof(err)), 0);
	assert_int_equal(outbox_schema(db, err, sizeof(err)), 0); /* again: no-op */
	w = outbox_writer_new(db, err, sizeof(err));
	assert_non_null(w);
	assert_int_equal(outbox_pending(db, &pending, &oldest), 0);
	assert_int_equal(pending, 0);
	assert_true(oldest == 0);

	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_writer_add(w, "review.events", "42", "{\"a\":1}", 1000), 0);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_pending(db, &pending, &oldest), 0);
	assert_int_equal(pending, 0);

	assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_writer_add(w, "review.events", "42", "{\"a\":1}", 2000), 0);
	assert_int_equal(outbox_writer_add(w, "review.events", "43", "{\"a\":2}", 3000), 0);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_pending(db, &pending, &oldest), 0);
	assert_int_equal(pending, 2);
	assert_true(oldest == 2000);

	/* What the relay does once Kafka confirmed the first. */
	assert_int_equal(sqlite3_exec(db, "UPDATE outbox SET sent_at = 5000 WHERE key = '42'",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(outbox_pending(db, &pending, &oldest), 0);
	assert_int_equal(pending, 1);
	assert_true(oldest == 3000);

	outbox_writer_free(w);
	outbox_writer_free(NULL);
	sqlite3_close(db);
}

static void test_writer_needs_the_table(void **state)
{
	sqlite3 *db;
	char err[256] = "";

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_null(outbox_writer_new(db, err, sizeof(err)));
	assert_non_null(strstr(err, "outbox"));
	sqlite3_close(db);
}

static void test_relay_refuses_a_bad_database(void **state)
{
	struct outbox_relay_config cfg = { .db_path = "/nonexistent/dir/x.db",
					   .brokers = "127.0.0.1:1" };
	char err[256] = "";

	(void)state;
	assert_null(outbox_relay_start(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/dir/x.db"));
	outbox_relay_kick(NULL);
	outbox_relay_stop(NULL, 0);
	assert_int_equal(outbox_relay_broker_up(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_follow_the_transaction),
		cmocka_unit_test(test_writer_needs_the_table),
		cmocka_unit_test(test_relay_refuses_a_bad_database),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
