/*
 * Applying a GET /stores?ids= answer through a fake replica port: applied,
 * stale, deleted, missing, failures; then message checks and the backoff.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/fields.h"
#include "consumer/apply.h"
#include "consumer/backoff.h"
#include "consumer/batch.h"
#include "consumer/decode.h"

/* Records every call; fails the calls for fail_id. */
struct fake_port {
	int upserts, removes;
	int64_t last_upsert_id, last_upsert_version;
	int64_t last_remove_id, last_remove_version;
	int64_t fail_id;
};

static int fake_held(void *ctx, int64_t id, int64_t *v)
{
	(void)ctx;
	(void)id;
	*v = 0;
	return 0;
}

static int fake_upsert(void *ctx, const json_t *store)
{
	struct fake_port *f = ctx;
	int64_t id = json_integer_value(json_object_get(store, "id"));

	if (id == f->fail_id)
		return -1;
	f->upserts++;
	f->last_upsert_id = id;
	f->last_upsert_version = json_integer_value(json_object_get(store, "version"));
	return 0;
}

static int fake_remove(void *ctx, int64_t id, int64_t version)
{
	struct fake_port *f = ctx;

	if (id == f->fail_id)
		return -1;
	f->removes++;
	f->last_remove_id = id;
	f->last_remove_version = version;
	return 0;
}

static struct replica_port port_of(struct fake_port *f)
{
	struct replica_port p = { .ctx = f, .held_version = fake_held,
				  .upsert = fake_upsert, .remove = fake_remove,
				  .fields = STORE_F_NAME | STORE_F_CATEGORY };
	return p;
}

/* Adds an event of store id at version and marks it to fetch, held as given. */
static void to_fetch(struct batch *b, int64_t id, int64_t version, int64_t held)
{
	struct store_event ev = { .store_id = id, .type = STORE_EVENT_UPDATED,
				  .version = version, .fields = STORE_F_NAME,
				  .at_ms = 1 };
	struct batch_entry *e;

	assert_int_equal(batch_add(b, &ev), 0);
	e = batch_find(b, id);
	e->held_version = held;
	e->decision = BATCH_FETCH;
}

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);

	assert_non_null(doc);
	return doc;
}

static void resync_rewrites_the_same_version(void **state)
{
	struct fake_port f = { 0 };
	struct replica_port port = port_of(&f);
	struct batch b;
	int64_t ids[] = { 1, 2 };
	json_t *body = parse("{\"stores\":[{\"id\":1,\"name\":\"a\",\"version\":7},"
			     "{\"id\":2,\"name\":\"b\",\"version\":7}]}");

	(void)state;
	batch_init(&b);
	to_fetch(&b, 1, 7, 7);
	to_fetch(&b, 2, 7, 7);
	b.entries[0].resync = 1; /* store 2: an ordinary duplicate */
	assert_int_equal(apply_fetched(&b, ids, 2, body, &port), 0);
	assert_int_equal(b.entries[0].action, REACTION_APPLIED);
	assert_int_equal(b.entries[1].action, REACTION_SKIPPED_STALE);
	assert_int_equal(f.upserts, 1);
	assert_int_equal(f.last_upsert_id, 1);
	json_decref(body);
	batch_free(&b);
}

static void applies_each_list(void **state)
{
	struct fake_port f = { 0 };
	struct replica_port port = port_of(&f);
	struct batch b;
	int64_t ids[] = { 1, 2, 3, 4 };
	json_t *body = parse(
		"{\"stores\":[{\"id\":1,\"name\":\"a\",\"version\":7},"
		"{\"id\":2,\"name\":\"b\",\"version\":3},"
		"{\"id\":99,\"name\":\"not asked\",\"version\":1}],"
		"\"deleted\":[{\"id\":3,\"version\":9}],\"missing\":[4]}");

	(void)state;
	batch_init(&b);
	to_fetch(&b, 1, 7, 2);
	to_fetch(&b, 2, 3, 5); /* the replica got ahead meanwhile: stale */
	to_fetch(&b, 3, 8, 4);
	to_fetch(&b, 4, 6, 0);
	assert_int_equal(apply_fetched(&b, ids, 4, body, &port), 0);

	assert_int_equal(b.entries[0].action, REACTION_APPLIED);
	assert_int_equal(b.entries[0].applied_version, 7);
	assert_int_equal(b.entries[1].action, REACTION_SKIPPED_STALE);
	assert_int_equal(b.entries[1].applied_version, 5);
	assert_int_equal(b.entries[2].action, REACTION_DELETED);
	assert_int_equal(b.entries[2].applied_version, 9);
	assert_int_equal(b.entries[3].action, REACTION_DELETED);
	assert_int_equal(b.entries[3].applied_version, 6);

	assert_int_equal(f.upserts, 1);
	assert_int_equal(f.last_upsert_id, 1);
	assert_int_equal(f.last_upsert_version, 7);
	assert_int_equal(f.removes, 2);
	assert_int_equal(f.last_remove_id, 4);
	assert_int_equal(f.last_remove_version, 6); /* missing: event version */
	json_decref(body);
	batch_free(&b);
}

static void port_failure_and_silence_fail(void **state)
{
	struct fake_port f = { .fail_id = 1 };
	struct replica_port port = port_of(&f);
	struct batch b;
	int64_t ids[] = { 1, 2, 3 };
	json_t *body = parse("{\"stores\":[{\"id\":1,\"version\":7},"
			     "{\"id\":3,\"version\":2}],"
			     "\"deleted\":[],\"missing\":[]}");

	(void)state;
	batch_init(&b);
	to_fetch(&b, 1, 7, 0);
	to_fetch(&b, 2, 3, 0); /* not in the answer */
	to_fetch(&b, 3, 2, 0);
	assert_int_equal(apply_fetched(&b, ids, 3, body, &port), 2);
	assert_int_equal(b.entries[0].action, REACTION_FAILED);
	assert_non_null(strstr(b.entries[0].error, "replica"));
	assert_int_equal(b.entries[1].action, REACTION_FAILED);
	assert_non_null(strstr(b.entries[1].error, "does not mention"));
	/* The others still go ahead; the retry will find them stale. */
	assert_int_equal(b.entries[2].action, REACTION_APPLIED);
	json_decref(body);
	batch_free(&b);
}

static void only_asked_ids_are_judged(void **state)
{
	struct fake_port f = { 0 };
	struct replica_port port = port_of(&f);
	struct batch b;
	int64_t first[] = { 1 }, second[] = { 2 };
	json_t *one = parse("{\"stores\":[{\"id\":1,\"version\":1},"
			    "{\"id\":2,\"version\":1}]}");
	json_t *two = parse("{\"stores\":[{\"id\":2,\"version\":1}]}");

	(void)state;
	batch_init(&b);
	to_fetch(&b, 1, 1, 0);
	to_fetch(&b, 2, 1, 0);
	/* Chunk one says nothing about store 2's fate: still pending. */
	assert_int_equal(apply_fetched(&b, first, 1, one, &port), 0);
	assert_int_equal(b.entries[0].action, REACTION_APPLIED);
	assert_int_equal(b.entries[1].action, 0);
	assert_int_equal(f.upserts, 1);
	assert_int_equal(apply_fetched(&b, second, 1, two, &port), 0);
	assert_int_equal(b.entries[1].action, REACTION_APPLIED);
	json_decref(one);
	json_decref(two);
	batch_free(&b);
}

static void malformed_answer_fails_everything(void **state)
{
	struct fake_port f = { 0 };
	struct replica_port port = port_of(&f);
	struct batch b;
	int64_t ids[] = { 1 };
	json_t *body = parse("[1,2]");

	(void)state;
	batch_init(&b);
	to_fetch(&b, 1, 1, 0);
	assert_int_equal(apply_fetched(&b, ids, 1, body, &port), 1);
	assert_int_equal(b.entries[0].action, REACTION_FAILED);
	assert_int_equal(apply_fetched(&b, ids, 1, NULL, &port), 1);
	json_decref(body);
	batch_free(&b);
}

static void fail_pending_leaves_skips_alone(void **state)
{
	struct batch b;

	(void)state;
	batch_init(&b);
	to_fetch(&b, 1, 1, 0);
	to_fetch(&b, 2, 1, 0);
	batch_find(&b, 2)->decision = BATCH_SKIP_STALE;
	batch_entry_finish(batch_find(&b, 2), REACTION_SKIPPED_STALE, 1, NULL, 0);
	assert_int_equal(apply_fail_pending(&b, "store API unreachable"), 1);
	assert_int_equal(b.entries[0].action, REACTION_FAILED);
	assert_string_equal(b.entries[0].error, "store API unreachable");
	assert_int_equal(b.entries[1].action, REACTION_SKIPPED_STALE);
	batch_free(&b);
}

static void expect_dead(const char *key, const char *value, const char *needle)
{
	struct store_event ev;
	char err[256] = "";

	assert_int_equal(consumer_decode_message(key, key ? strlen(key) : 0,
						 value, value ? strlen(value) : 0,
						 &ev, err, sizeof(err)),
			 -1);
	if (strstr(err, needle) == NULL)
		fail_msg("reason \"%s\" does not mention \"%s\"", err, needle);
}

static void messages_are_checked(void **state)
{
	const char *good = "{\"event_id\":\"x\",\"store_id\":42,\"type\":\"updated\","
			   "\"version\":7,\"fields\":[\"name\"],"
			   "\"at\":\"2026-11-24T10:00:00.123Z\"}";
	struct store_event ev;
	char err[256];

	(void)state;
	assert_int_equal(consumer_decode_message("42", 2, good, strlen(good), &ev,
						 err, sizeof(err)),
			 0);
	assert_int_equal(ev.store_id, 42);
	assert_int_equal(ev.version, 7);
	expect_dead(NULL, good, "key: missing");
	expect_dead("forty-two", good, "key: must be");
	expect_dead("0", good, "key: must be");
	expect_dead("43", good, "differs");
	expect_dead("42", NULL, "empty");
	expect_dead("42", "garbage", "value: not JSON");
	expect_dead("42", "{\"event_id\":\"x\",\"store_id\":42}", "value: ");
}

static void backoff_doubles_to_the_cap(void **state)
{
	struct backoff b;

	(void)state;
	backoff_init(&b, 100, 5000);
	assert_true(backoff_fail(&b) == 100);
	assert_true(backoff_fail(&b) == 200);
	assert_true(backoff_fail(&b) == 400);
	assert_int_equal(b.failures, 3);
	for (int i = 0; i < 10; i++)
		backoff_fail(&b);
	assert_true(backoff_fail(&b) == 5000);
	backoff_succeed(&b);
	assert_int_equal(b.failures, 0);
	assert_true(backoff_fail(&b) == 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(applies_each_list),
		cmocka_unit_test(resync_rewrites_the_same_version),
		cmocka_unit_test(port_failure_and_silence_fail),
		cmocka_unit_test(only_asked_ids_are_judged),
		cmocka_unit_test(malformed_answer_fails_everything),
		cmocka_unit_test(fail_pending_leaves_skips_alone),
		cmocka_unit_test(messages_are_checked),
		cmocka_unit_test(backoff_doubles_to_the_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
