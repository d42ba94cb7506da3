/*
 * The runtime's repair of a copy at the version it holds (storectl resync):
 * events are collapsed and decided (consumer/batch.h), then the store API's
 * answer is applied (consumer/apply.h) through a fake replica port that
 * holds versions and records every call in order. A resync goes through
 * forget and rewrites the copy; ordinary events stay exactly as before.
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
#include "consumer/batch.h"

#define FAKE_IDS 8

/* A copy of stores 1..FAKE_IDS-1 by version, and the calls made on it. */
struct fake_copy {
	int64_t held[FAKE_IDS];
	char calls[512];     /* "forget 1;upsert 1@7;remove 2@3;" */
	int64_t fail_forget; /* a store whose forget fails */
};

static void note(struct fake_copy *f, const char *what, int64_t id,
		 int64_t version)
{
	size_t used = strlen(f->calls);

	if (version > 0)
		snprintf(f->calls + used, sizeof(f->calls) - used,
			 "%s %lld@%lld;", what, (long long)id,
			 (long long)version);
	else
		snprintf(f->calls + used, sizeof(f->calls) - used, "%s %lld;",
			 what, (long long)id);
}

static int fake_held(void *ctx, int64_t id, int64_t *version)
{
	*version = ((struct fake_copy *)ctx)->held[id];
	return 0;
}

/* Like the services' SQL: a write lands only over an older version. */
static int fake_upsert(void *ctx, const json_t *store)
{
	struct fake_copy *f = ctx;
	int64_t id = json_integer_value(json_object_get(store, "id"));
	int64_t v = json_integer_value(json_object_get(store, "version"));

	note(f, "upsert", id, v);
	if (v > f->held[id])
		f->held[id] = v;
	return 0;
}

static int fake_remove(void *ctx, int64_t id, int64_t version)
{
	struct fake_copy *f = ctx;

	note(f, "remove", id, version);
	if (version >= f->held[id])
		f->held[id] = version;
	return 0;
}

static int fake_forget(void *ctx, int64_t id)
{
	struct fake_copy *f = ctx;

	note(f, "forget", id, 0);
	if (id == f->fail_forget)
		return -1;
	f->held[id] = 0;
	return 0;
}

static struct replica_port port_of(struct fake_copy *f, int with_forget)
{
	struct replica_port p = { .ctx = f, .held_version = fake_held,
				  .upsert = fake_upsert, .remove = fake_remove,
				  .forget = with_forget ? fake_forget : NULL,
				  .fields = STORE_F_NAME };
	return p;
}

static void add(struct batch *b, int64_t id, enum store_event_type type,
		int64_t version, int resync)
{
	struct store_event ev = { .store_id = id, .type = type,
				  .version = version, .fields = STORE_F_NAME,
				  .at_ms = 1, .resync = resync };

	assert_int_equal(batch_add(b, &ev), 0);
}

/*
 * Decides the batch against the copy, then applies body for every store
 * to fetch, as the runtime does. Returns the number of failed stores.
 */
static size_t run(struct batch *b, struct replica_port *port,
		  const char *body_text)
{
	json_error_t jerr;
	json_t *body = json_loads(body_text, 0, &jerr);
	int64_t ids[FAKE_IDS];
	size_t n = 0, failed;

	assert_non_null(body);
	assert_true(batch_decide(b, port->held_version, port->ctx,
				 port->fields, 1.0) >= 0);
	for (size_t k = 0; k < b->n; k++)
		if (b->entries[k].decision == BATCH_FETCH)
			ids[n++] = b->entries[k].store_id;
	failed = apply_fetched(b, ids, n, body, port);
	json_decref(body);
	return failed;
}

static enum reaction_action action_of(struct batch *b, int64_t id)
{
	return batch_find(b, id)->action;
}

static void resync_rewrites_the_version_held(void **state)
{
	struct fake_copy f = { .held = { [1] = 7, [2] = 7 } };
	struct replica_port port = port_of(&f, 1);
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, 1, STORE_EVENT_UPDATED, 7, 1);
	add(&b, 2, STORE_EVENT_UPDATED, 7, 0); /* an ordinary duplicate */
	assert_int_equal(run(&b, &port,
			     "{\"stores\":[{\"id\":1,\"name\":\"a\",\"version\":7},"
			     "{\"id\":2,\"name\":\"b\",\"version\":7}]}"),
			 0);
	/* Forgotten, then written: the copy holds the store's version. */
	assert_string_equal(f.calls, "forget 1;upsert 1@7;");
	assert_int_equal(action_of(&b, 1), REACTION_APPLIED);
	assert_int_equal(batch_find(&b, 1)->applied_version, 7);
	assert_int_equal(f.held[1], 7);
	/* The duplicate was not even fetched. */
	assert_int_equal(batch_find(&b, 2)->decision, BATCH_SKIP_STALE);
	assert_int_equal(action_of(&b, 2), REACTION_SKIPPED_STALE);
	batch_free(&b);
}

static void ordinary_events_never_forget(void **state)
{
	struct fake_copy f = { .held = { [1] = 3, [2] = 5, [3] = 2 } };
	struct replica_port port = port_of(&f, 1);
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, 1, STORE_EVENT_UPDATED, 4, 0);  /* newer: written */
	add(&b, 2, STORE_EVENT_UPDATED, 6, 0);  /* the answer is older */
	add(&b, 3, STORE_EVENT_DELETED, 2, 0);  /* a delete at the held version */
	add(&b, 4, STORE_EVENT_CREATED, 1, 0);  /* held nothing */
	assert_int_equal(run(&b, &port,
			     "{\"stores\":[{\"id\":1,\"version\":4},"
			     "{\"id\":2,\"version\":5},{\"id\":4,\"version\":1}]}"),
			 0);
	assert_string_equal(f.calls, "upsert 1@4;upsert 4@1;");
	assert_int_equal(action_of(&b, 1), REACTION_APPLIED);
	assert_int_equal(action_of(&b, 2), REACTION_SKIPPED_STALE);
	assert_int_equal(batch_find(&b, 2)->applied_version, 5);
	assert_int_equal(action_of(&b, 3), REACTION_SKIPPED_STALE);
	assert_int_equal(action_of(&b, 4), REACTION_APPLIED);
	batch_free(&b);
}

static void resync_rewrites_a_tombstone(void **state)
{
	struct fake_copy f = { .held = { [2] = 3, [3] = 4 } };
	struct replica_port port = port_of(&f, 1);
	struct batch b;

	(void)state;
	batch_init(&b);
	/* Store 2 deleted at 3 (the copy may hold it live at 3); store 3 a
	 * tombstone the answer calls missing. */
	add(&b, 2, STORE_EVENT_DELETED, 3, 1);
	add(&b, 3, STORE_EVENT_DELETED, 4, 1);
	assert_int_equal(run(&b, &port,
			     "{\"stores\":[],\"deleted\":[{\"id\":2,\"version\":3}],"
			     "\"missing\":[3]}"),
			 0);
	assert_string_equal(f.calls, "forget 2;remove 2@3;forget 3;remove 3@4;");
	assert_int_equal(action_of(&b, 2), REACTION_DELETED);
	assert_int_equal(batch_find(&b, 2)->applied_version, 3);
	assert_int_equal(action_of(&b, 3), REACTION_DELETED);
	assert_int_equal(f.held[2], 3);
	batch_free(&b);
}

static void resync_collapsed_with_an_update(void **state)
{
	struct fake_copy f = { .held = { [1] = 7 } };
	struct replica_port port = port_of(&f, 1);
	struct batch b;

	(void)state;
	batch_init(&b);
	/* A resync at 7, then the store changed: the entry is a resync at 8. */
	add(&b, 1, STORE_EVENT_UPDATED, 7, 1);
	add(&b, 1, STORE_EVENT_UPDATED, 8, 0);
	assert_int_equal(run(&b, &port, "{\"stores\":[{\"id\":1,\"version\":8}]}"),
			 0);
	assert_string_equal(f.calls, "forget 1;upsert 1@8;");
	assert_int_equal(action_of(&b, 1), REACTION_APPLIED);
	assert_int_equal(f.held[1], 8);
	batch_free(&b);
}

static void resync_without_forget_offers_the_version_again(void **state)
{
	struct fake_copy f = { .held = { [1] = 7, [2] = 3 } };
	struct replica_port port = port_of(&f, 0);
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, 1, STORE_EVENT_UPDATED, 7, 1);
	add(&b, 2, STORE_EVENT_DELETED, 3, 1);
	assert_int_equal(run(&b, &port,
			     "{\"stores\":[{\"id\":1,\"version\":7}],"
			     "\"deleted\":[{\"id\":2,\"version\":3}]}"),
			 0);
	/* The port decides what an equal version does; a tombstone at the
	 * held version stays as it was. */
	assert_string_equal(f.calls, "upsert 1@7;");
	assert_int_equal(action_of(&b, 1), REACTION_APPLIED);
	assert_int_equal(action_of(&b, 2), REACTION_SKIPPED_STALE);
	batch_free(&b);
}

static void forget_failure_fails_the_store(void **state)
{
	struct fake_copy f = { .held = { [1] = 7, [2] = 7 }, .fail_forget = 1 };
	struct replica_port port = port_of(&f, 1);
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, 1, STORE_EVENT_UPDATED, 7, 1);
	add(&b, 2, STORE_EVENT_UPDATED, 7, 1);
	assert_int_equal(run(&b, &port,
			     "{\"stores\":[{\"id\":1,\"version\":7},"
			     "{\"id\":2,\"version\":7}]}"),
			 1);
	/* Nothing written for store 1; store 2 goes on. */
	assert_string_equal(f.calls, "forget 1;forget 2;upsert 2@7;");
	assert_int_equal(action_of(&b, 1), REACTION_FAILED);
	assert_int_equal(batch_find(&b, 1)->applied_version, 7);
	assert_string_equal(batch_find(&b, 1)->error,
			    "replica: could not forget the held version to rewrite the copy");
	assert_int_equal(action_of(&b, 2), REACTION_APPLIED);
	batch_free(&b);
}

static void resync_older_than_held_is_old_news(void **state)
{
	struct fake_copy f = { .held = { [1] = 9 } };
	struct replica_port port = port_of(&f, 1);
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, 1, STORE_EVENT_UPDATED, 7, 1);
	assert_int_equal(run(&b, &port, "{\"stores\":[]}"), 0);
	assert_string_equal(f.calls, "");
	assert_int_equal(action_of(&b, 1), REACTION_SKIPPED_STALE);
	batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resync_rewrites_the_version_held),
		cmocka_unit_test(ordinary_events_never_forget),
		cmocka_unit_test(resync_rewrites_a_tombstone),
		cmocka_unit_test(resync_collapsed_with_an_update),
		cmocka_unit_test(resync_without_forget_offers_the_version_again),
		cmocka_unit_test(forget_failure_fails_the_store),
		cmocka_unit_test(resync_older_than_held_is_old_news),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
