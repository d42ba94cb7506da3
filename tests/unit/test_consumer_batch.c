/*
 * The consumer's pure domain: events of one poll batch collapse per store,
 * and each store is skipped (stale, or no field of ours) or fetched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/fields.h"
#include "consumer/batch.h"

#define SEARCH_FIELDS (STORE_F_NAME | STORE_F_CATEGORY)

static struct store_event ev(int64_t store, enum store_event_type type,
			     int64_t version, uint32_t fields, double at_ms)
{
	struct store_event e;

	memset(&e, 0, sizeof(e));
	snprintf(e.event_id, sizeof(e.event_id), "e-%lld-%lld",
		 (long long)store, (long long)version);
	e.store_id = store;
	e.type = type;
	e.version = version;
	e.fields = fields;
	e.at_ms = at_ms;
	return e;
}

static void add(struct batch *b, struct store_event e)
{
	assert_int_equal(batch_add(b, &e), 0);
}

/* A fake replica: held versions by store id (index), 0 beyond. */
struct fake_held {
	int64_t version[16];
	int calls;
	int fail_on; /* store id whose lookup fails, 0 for none */
};

static int fake_held_version(void *ctx, int64_t store_id, int64_t *version)
{
	struct fake_held *h = ctx;

	h->calls++;
	if (store_id == h->fail_on)
		return -1;
	*version = store_id < 16 ? h->version[store_id] : 0;
	return 0;
}

static void same_store_collapses(void **state)
{
	struct batch b;
	struct batch_entry *e;

	(void)state;
	batch_init(&b);
	add(&b, ev(7, STORE_EVENT_UPDATED, 3, STORE_F_PHONE, 1000));
	add(&b, ev(9, STORE_EVENT_CREATED, 1, 0, 1100));
	add(&b, ev(7, STORE_EVENT_UPDATED, 4, STORE_F_NAME, 1200));
	add(&b, ev(7, STORE_EVENT_UPDATED, 5, STORE_F_MENU, 1300));
	assert_int_equal(b.n, 2);

	e = batch_find(&b, 7);
	assert_non_null(e);
	assert_int_equal(e->version, 5);
	assert_int_equal(e->coalesced, 3);
	assert_int_equal(e->fields, STORE_F_PHONE | STORE_F_NAME | STORE_F_MENU);
	assert_true(e->first_at_ms == 1000);
	assert_false(e->deleted);
	assert_false(e->lifecycle);
	/* Entries keep the order of each store's first event. */
	assert_int_equal(b.entries[0].store_id, 7);
	assert_int_equal(b.entries[1].store_id, 9);
	assert_int_equal(b.entries[1].coalesced, 1);
	assert_true(b.entries[1].lifecycle);
	assert_null(batch_find(&b, 8));
	batch_free(&b);
}

static void out_of_order_keeps_newest_and_earliest_time(void **state)
{
	struct batch b;
	struct batch_entry *e;

	(void)state;
	batch_init(&b);
	add(&b, ev(3, STORE_EVENT_UPDATED, 9, STORE_F_NAME, 5000));
	add(&b, ev(3, STORE_EVENT_UPDATED, 7, STORE_F_CATEGORY, 3000));
	add(&b, ev(3, STORE_EVENT_UPDATED, 8, STORE_F_STATUS, 4000));
	e = batch_find(&b, 3);
	assert_int_equal(e->version, 9);
	assert_int_equal(e->coalesced, 3);
	assert_int_equal(e->fields,
			 STORE_F_NAME | STORE_F_CATEGORY | STORE_F_STATUS);
	/* Lag counts from the oldest change in the group. */
	assert_true(e->first_at_ms == 3000);
	batch_free(&b);
}

static void duplicates_count_once_each(void **state)
{
	struct batch b;
	struct batch_entry *e;

	(void)state;
	batch_init(&b);
	add(&b, ev(4, STORE_EVENT_UPDATED, 2, STORE_F_NAME, 100));
	add(&b, ev(4, STORE_EVENT_UPDATED, 2, STORE_F_NAME, 100));
	e = batch_find(&b, 4);
	assert_int_equal(b.n, 1);
	assert_int_equal(e->version, 2);
	assert_int_equal(e->coalesced, 2);
	batch_free(&b);
}

static void newest_delete_is_remembered(void **state)
{
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, ev(5, STORE_EVENT_UPDATED, 2, STORE_F_NAME, 100));
	add(&b, ev(5, STORE_EVENT_DELETED, 3, 0, 200));
	assert_true(batch_find(&b, 5)->deleted);
	assert_true(batch_find(&b, 5)->lifecycle);

	/* In any order, the newest version says whether it is deleted. */
	add(&b, ev(6, STORE_EVENT_DELETED, 4, 0, 100));
	add(&b, ev(6, STORE_EVENT_UPDATED, 3, STORE_F_NAME, 90));
	assert_true(batch_find(&b, 6)->deleted);
	assert_int_equal(batch_find(&b, 6)->version, 4);

	add(&b, ev(8, STORE_EVENT_DELETED, 2, 0, 100));
	add(&b, ev(8, STORE_EVENT_CREATED, 5, 0, 90));
	assert_false(batch_find(&b, 8)->deleted);
	assert_int_equal(batch_find(&b, 8)->version, 5);
	batch_free(&b);
}

static void decide_one(void **state)
{
	struct batch b;
	struct batch_entry *e;

	(void)state;
	batch_init(&b);
	add(&b, ev(1, STORE_EVENT_UPDATED, 5, STORE_F_PHONE, 1));
	e = batch_find(&b, 1);
	/* Not newer than held: stale, whatever the fields. */
	assert_int_equal(batch_decide_entry(e, 5, SEARCH_FIELDS), BATCH_SKIP_STALE);
	assert_int_equal(batch_decide_entry(e, 9, SEARCH_FIELDS), BATCH_SKIP_STALE);
	/* Newer, but only the phone changed: search keeps no phone. */
	assert_int_equal(batch_decide_entry(e, 4, SEARCH_FIELDS), BATCH_SKIP_FIELDS);
	/* A replica that keeps everything fetches. */
	assert_int_equal(batch_decide_entry(e, 4, STORE_F_ALL), BATCH_FETCH);
	/* A replica holding nothing fetches, so a gap in the log heals. */
	assert_int_equal(batch_decide_entry(e, 0, SEARCH_FIELDS), BATCH_FETCH);

	/* One intersecting event in the group is enough. */
	add(&b, ev(1, STORE_EVENT_UPDATED, 6, STORE_F_CATEGORY, 2));
	assert_int_equal(batch_decide_entry(e, 4, SEARCH_FIELDS), BATCH_FETCH);
	batch_free(&b);
}

static void resync_rebuilds_an_equal_version(void **state)
{
	struct batch b;
	struct batch_entry *e;
	struct store_event r = ev(1, STORE_EVENT_UPDATED, 5, STORE_F_PHONE, 1);

	(void)state;
	batch_init(&b);
	r.resync = 1;
	add(&b, r);
	e = batch_find(&b, 1);
	assert_true(e->resync);
	/* Held at the same version: a resync fetches anyway (the copy may be
	 * damaged), even when none of the replica's columns are named. */
	assert_int_equal(batch_decide_entry(e, 5, SEARCH_FIELDS), BATCH_FETCH);
	/* Held newer: the resync is old news. */
	assert_int_equal(batch_decide_entry(e, 6, SEARCH_FIELDS), BATCH_SKIP_STALE);
	batch_free(&b);

	/* An ordinary duplicate of the held version stays skipped. */
	batch_init(&b);
	add(&b, ev(1, STORE_EVENT_UPDATED, 5, STORE_F_NAME, 1));
	assert_int_equal(batch_decide_entry(batch_find(&b, 1), 5, SEARCH_FIELDS),
			 BATCH_SKIP_STALE);
	batch_free(&b);
}

static void unknown_and_unnamed_fields_fetch(void **state)
{
	struct batch b;

	(void)state;
	batch_init(&b);
	/* A field this build does not know might be ours. */
	add(&b, ev(1, STORE_EVENT_UPDATED, 5, STORE_F_OTHER, 1));
	assert_int_equal(batch_decide_entry(batch_find(&b, 1), 4, SEARCH_FIELDS),
			 BATCH_FETCH);
	/* An update that names no field says nothing: fetch. */
	add(&b, ev(2, STORE_EVENT_UPDATED, 5, 0, 1));
	assert_true(batch_find(&b, 2)->unspecified);
	assert_int_equal(batch_decide_entry(batch_find(&b, 2), 4, SEARCH_FIELDS),
			 BATCH_FETCH);
	batch_free(&b);
}

static void lifecycle_events_always_fetch(void **state)
{
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, ev(1, STORE_EVENT_DELETED, 5, 0, 1));
	add(&b, ev(2, STORE_EVENT_CREATED, 1, STORE_F_PHONE, 1));
	add(&b, ev(3, STORE_EVENT_UPDATED, 3, STORE_F_PHONE, 1));
	add(&b, ev(3, STORE_EVENT_DELETED, 4, 0, 1));
	assert_int_equal(batch_decide_entry(batch_find(&b, 1), 4, SEARCH_FIELDS),
			 BATCH_FETCH);
	assert_int_equal(batch_decide_entry(batch_find(&b, 2), 0, SEARCH_FIELDS),
			 BATCH_FETCH);
	assert_int_equal(batch_decide_entry(batch_find(&b, 3), 2, SEARCH_FIELDS),
			 BATCH_FETCH);
	/* A delete already held is stale like anything else. */
	assert_int_equal(batch_decide_entry(batch_find(&b, 1), 5, SEARCH_FIELDS),
			 BATCH_SKIP_STALE);
	batch_free(&b);
}

static void decide_fills_outcomes_of_skips(void **state)
{
	struct fake_held held = { .version = { [1] = 5, [2] = 3, [3] = 0 } };
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, ev(1, STORE_EVENT_UPDATED, 5, STORE_F_NAME, 1));  /* stale */
	add(&b, ev(2, STORE_EVENT_UPDATED, 4, STORE_F_PHONE, 1)); /* fields */
	add(&b, ev(3, STORE_EVENT_CREATED, 1, 0, 1));             /* fetch */
	assert_int_equal(batch_decide(&b, fake_held_version, &held,
				      SEARCH_FIELDS, 42.0),
			 1);
	assert_int_equal(held.calls, 3);

	assert_int_equal(b.entries[0].decision, BATCH_SKIP_STALE);
	assert_int_equal(b.entries[0].action, REACTION_SKIPPED_STALE);
	assert_int_equal(b.entries[0].applied_version, 5);
	assert_true(b.entries[0].done_ms == 42.0);

	assert_int_equal(b.entries[1].decision, BATCH_SKIP_FIELDS);
	assert_int_equal(b.entries[1].action, REACTION_SKIPPED_FIELDS);
	assert_int_equal(b.entries[1].applied_version, 3);

	assert_int_equal(b.entries[2].decision, BATCH_FETCH);
	assert_int_equal(b.entries[2].action, 0);
	assert_int_equal(b.entries[2].held_version, 0);
	batch_free(&b);
}

static void decide_reports_lookup_failure(void **state)
{
	struct fake_held held = { .fail_on = 2 };
	struct batch b;

	(void)state;
	batch_init(&b);
	add(&b, ev(1, STORE_EVENT_CREATED, 1, 0, 1));
	add(&b, ev(2, STORE_EVENT_CREATED, 1, 0, 1));
	assert_int_equal(batch_decide(&b, fake_held_version, &held,
				      SEARCH_FIELDS, 0),
			 -1);
	batch_free(&b);
}

static void reset_and_growth(void **state)
{
	struct batch b;

	(void)state;
	batch_init(&b);
	/* Past the first allocation, with ids that collide in the index. */
	for (int64_t id = 1; id <= 3000; id++)
		add(&b, ev(id * 1024, STORE_EVENT_UPDATED, 1, STORE_F_NAME, 1));
	for (int64_t id = 1; id <= 3000; id++)
		add(&b, ev(id * 1024, STORE_EVENT_UPDATED, 2, STORE_F_NAME, 1));
	assert_int_equal(b.n, 3000);
	for (int64_t id = 1; id <= 3000; id++) {
		struct batch_entry *e = batch_find(&b, id * 1024);

		assert_non_null(e);
		assert_int_equal(e->version, 2);
		assert_int_equal(e->coalesced, 2);
	}
	batch_reset(&b);
	assert_int_equal(b.n, 0);
	assert_null(batch_find(&b, 1024));
	add(&b, ev(1024, STORE_EVENT_UPDATED, 1, STORE_F_NAME, 1));
	assert_int_equal(batch_find(&b, 1024)->coalesced, 1);
	batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_store_collapses),
		cmocka_unit_test(out_of_order_keeps_newest_and_earliest_time),
		cmocka_unit_test(duplicates_count_once_each),
		cmocka_unit_test(newest_delete_is_remembered),
		cmocka_unit_test(decide_one),
		cmocka_unit_test(resync_rebuilds_an_equal_version),
		cmocka_unit_test(unknown_and_unnamed_fields_fetch),
		cmocka_unit_test(lifecycle_events_always_fetch),
		cmocka_unit_test(decide_fills_outcomes_of_skips),
		cmocka_unit_test(decide_reports_lookup_failure),
		cmocka_unit_test(reset_and_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
