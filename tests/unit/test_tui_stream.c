/*
 * The live pane's model: bounded ring, ordering across partitions,
 * redeliveries, and joining reactions to events (coalesced, pending).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/stream_model.h"

static struct store_event ev(int64_t store, int64_t version, double at)
{
	struct store_event e = { .store_id = store,
				 .type = STORE_EVENT_UPDATED,
				 .version = version,
				 .at_ms = at };

	snprintf(e.event_id, sizeof(e.event_id), "e-%lld-%lld",
		 (long long)store, (long long)version);
	return e;
}

static struct store_reaction re(int64_t store, int64_t version,
				enum reaction_action action, int coalesced)
{
	struct store_reaction r = { .store_id = store,
				    .event_version = version,
				    .applied_version = version,
				    .action = action,
				    .coalesced = coalesced,
				    .lag_ms = 4.0 };

	strcpy(r.service, "search");
	return r;
}

/* Adds e as read from partition p at offset o. */
static const struct stream_row *add_ev(struct stream_model *m,
				       const struct store_event *e, int32_t p,
				       int64_t o, double now)
{
	const struct stream_origin origin = { p, o, NULL, 0 };

	return stream_model_add_event(m, e, &origin, now);
}

static int joins;

static void count_join(void *ctx, const struct stream_row *row, int service)
{
	(void)ctx;
	(void)row;
	(void)service;
	joins++;
}

static void ring_is_bounded_and_ordered(void **state)
{
	struct stream_model *m = stream_model_new(3);
	struct store_event e;

	(void)state;
	for (int v = 1; v <= 5; v++) {
		e = ev(1, v, 1000.0 * v);
		assert_non_null(add_ev(m, &e, 0, v, 0));
	}
	assert_int_equal(stream_model_count(m), 3);
	assert_int_equal(stream_model_row(m, 0)->version, 3);
	assert_int_equal(stream_model_row(m, 2)->version, 5);
	assert_null(stream_model_row(m, 3));
	/* An older event of another store (another partition) goes in its
	 * place by time, not at the end. */
	e = ev(2, 1, 4500.0);
	assert_non_null(add_ev(m, &e, 1, 0, 0));
	assert_int_equal(stream_model_row(m, 1)->store_id, 2);
	assert_int_equal(stream_model_row(m, 2)->version, 5);
	/* A redelivery is not a new row. */
	e = ev(1, 5, 5000.0);
	assert_null(add_ev(m, &e, 0, 9, 0));
	assert_int_equal(stream_model_count(m), 3);
	stream_model_free(m);
}

static void reaction_joins_and_coalesces(void **state)
{
	struct stream_model *m = stream_model_new(10);
	struct store_event e;
	struct store_reaction r;
	int s;

	(void)state;
	joins = 0;
	stream_model_set_listener(m, count_join, NULL);
	for (int v = 1; v <= 3; v++) {
		e = ev(7, v, 100.0 * v);
		add_ev(m, &e, 0, v, 0);
	}
	e = ev(8, 1, 150.0);
	add_ev(m, &e, 1, 0, 0);
	assert_int_equal(stream_model_service(m, "search"), -1);

	/* One fetch answered versions 2 and 3 of store 7. */
	r = re(7, 3, REACTION_APPLIED, 2);
	assert_int_equal(stream_model_add_reaction(m, &r, NULL, 0), 1);
	s = stream_model_service(m, "search");
	assert_int_equal(s, 0);
	assert_string_equal(stream_model_service_name(m, s), "search");
	assert_int_equal(joins, 2);
	for (size_t i = 0; i < stream_model_count(m); i++) {
		const struct stream_row *row = stream_model_row(m, i);

		if (row->store_id == 7 && row->version == 3)
			assert_int_equal(row->cell[s].state,
					 STREAM_CELL_APPLIED);
		else if (row->store_id == 7 && row->version == 2) {
			assert_int_equal(row->cell[s].state,
					 STREAM_CELL_COALESCED);
			assert_int_equal(row->cell[s].by_version, 3);
		} else
			assert_int_equal(row->cell[s].state, STREAM_CELL_NONE);
	}
	stream_model_free(m);
}

static void early_reaction_waits_for_its_event(void **state)
{
	struct stream_model *m = stream_model_new(10);
	struct store_event e = ev(9, 4, 100.0);
	struct store_reaction r = re(9, 4, REACTION_SKIPPED_STALE, 1);
	const struct stream_row *row;

	(void)state;
	assert_int_equal(stream_model_add_reaction(m, &r, NULL, 1000.0), 0);
	assert_int_equal(stream_model_pending(m), 1);
	row = add_ev(m, &e, 0, 0, 1001.0);
	assert_non_null(row);
	assert_int_equal(stream_model_pending(m), 0);
	assert_int_equal(row->cell[stream_model_service(m, "search")].state,
			 STREAM_CELL_STALE);

	/* One that never meets its event is dropped after a while. */
	r = re(9, 99, REACTION_APPLIED, 1);
	stream_model_add_reaction(m, &r, NULL, 2000.0);
	assert_int_equal(stream_model_expire(m, 2000.0 + 10), 0);
	assert_int_equal(
		stream_model_expire(m, 2000.0 + STREAM_PENDING_MS + 1), 1);
	assert_int_equal(stream_model_pending(m), 0);
	stream_model_free(m);
}

static void seq_survives_reordering(void **state)
{
	struct stream_model *m = stream_model_new(4);
	struct store_event e = ev(1, 1, 500.0);
	uint64_t seq;

	(void)state;
	seq = add_ev(m, &e, 0, 0, 0)->seq;
	e = ev(2, 1, 100.0); /* older: goes before */
	add_ev(m, &e, 1, 0, 0);
	assert_int_equal(stream_model_find_seq(m, seq), 1);
	for (int i = 0; i < 4; i++) {
		e = ev(3, i + 1, 1000.0 + i);
		add_ev(m, &e, 2, i, 0);
	}
	assert_int_equal(stream_model_find_seq(m, seq), -1);
	stream_model_free(m);
}


static void raw_records_are_kept_and_cut(void **state)
{
	struct stream_model *m = stream_model_new(2);
	struct store_event e = ev(4, 1, 10.0);
	struct store_reaction r = re(4, 1, REACTION_APPLIED, 1);
	static char big[STREAM_RAW_MAX + 100];
	struct stream_origin o = { 3, 77, "{\"store_id\":4}", 14 };
	const struct stream_row *row;
	int s;

	(void)state;
	row = stream_model_add_event(m, &e, &o, 0);
	assert_string_equal(row->raw, "{\"store_id\":4}");
	assert_int_equal(row->partition, 3);
	assert_int_equal(row->offset, 77);
	memset(big, 'x', sizeof(big));
	o = (struct stream_origin){ 1, 5, big, sizeof(big) };
	assert_int_equal(stream_model_add_reaction(m, &r, &o, 0), 1);
	s = stream_model_service(m, "search");
	row = stream_model_find(m, 4, 1);
	assert_non_null(row);
	assert_int_equal(strlen(row->cell[s].raw), STREAM_RAW_MAX);
	assert_int_equal(row->cell[s].partition, 1);
	assert_int_equal(row->cell[s].offset, 5);
	/* Rows falling out free their records (the sanitizers check). */
	for (int v = 2; v < 10; v++) {
		e = ev(4, v, 10.0 * v);
		o = (struct stream_origin){ 3, 77 + v, big, 100 };
		stream_model_add_event(m, &e, &o, 0);
	}
	assert_null(stream_model_find(m, 4, 1));
	assert_non_null(stream_model_find(m, 4, 9));
	stream_model_free(m);
}

/* Many stores, many versions: every row stays findable by its key. */
static void lookups_survive_a_full_ring(void **state)
{
	struct stream_model *m = stream_model_new(500);
	struct store_event e;
	struct store_reaction r;
	int found = 0;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		e = ev(1 + i % 97, 1 + i / 97, (double)i);
		add_ev(m, &e, i % 4, i, 0);
		r = re(e.store_id, e.version, REACTION_APPLIED, 1);
		stream_model_add_reaction(m, &r, NULL, 0);
	}
	assert_int_equal(stream_model_count(m), 500);
	for (int i = 20000 - 500; i < 20000; i++)
		found += stream_model_find(m, 1 + i % 97, 1 + i / 97) != NULL;
	assert_int_equal(found, 500);
	assert_null(stream_model_find(m, 1, 1));
	assert_int_equal(stream_model_pending(m), 0);
	/* Display order is by commit time. */
	for (size_t i = 1; i < stream_model_count(m); i++)
		assert_true(stream_model_row(m, i - 1)->at_ms <=
			    stream_model_row(m, i)->at_ms);
	stream_model_free(m);
}

/* Reactions read long before their events (history at start) join. */
static void thousands_of_early_reactions_join(void **state)
{
	struct stream_model *m = stream_model_new(2000);
	struct store_event e;
	struct store_reaction r;
	int s, joined = 0;

	(void)state;
	for (int i = 0; i < 1500; i++) {
		for (int k = 0; k < 5; k++) {
			r = re(1 + i % 300, 1 + i / 300, REACTION_APPLIED, 1);
			snprintf(r.service, sizeof(r.service), "svc%d", k);
			assert_int_equal(stream_model_add_reaction(m, &r, NULL, 0),
					 0);
		}
	}
	assert_int_equal(stream_model_pending(m), 7500);
	for (int i = 0; i < 1500; i++) {
		e = ev(1 + i % 300, 1 + i / 300, (double)i);
		add_ev(m, &e, 0, i, 1);
	}
	assert_int_equal(stream_model_pending(m), 0);
	s = stream_model_service(m, "svc4");
	assert_true(s >= 0);
	for (size_t i = 0; i < stream_model_count(m); i++)
		joined += stream_model_row(m, i)->cell[s].state ==
			  STREAM_CELL_APPLIED;
	assert_int_equal(joined, 1500);
	/* Past the limit the oldest waiting ones are forgotten. */
	for (int i = 0; i < STREAM_PENDING_MAX + 10; i++) {
		r = re(100000 + i, 1, REACTION_APPLIED, 1);
		stream_model_add_reaction(m, &r, NULL, 5);
	}
	assert_int_equal(stream_model_pending(m), STREAM_PENDING_MAX);
	assert_int_equal(stream_model_expire(m, 5 + STREAM_PENDING_MS),
			 STREAM_PENDING_MAX);
	assert_int_equal(stream_model_pending(m), 0);
	stream_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_is_bounded_and_ordered),
		cmocka_unit_test(reaction_joins_and_coalesces),
		cmocka_unit_test(early_reaction_waits_for_its_event),
		cmocka_unit_test(seq_survives_reordering),
		cmocka_unit_test(raw_records_are_kept_and_cut),
		cmocka_unit_test(lookups_survive_a_full_ring),
		cmocka_unit_test(thousands_of_early_reactions_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
