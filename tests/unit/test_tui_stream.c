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
		assert_non_null(stream_model_add_event(m, &e, 0, v, 0));
	}
	assert_int_equal(stream_model_count(m), 3);
	assert_int_equal(stream_model_row(m, 0)->version, 3);
	assert_int_equal(stream_model_row(m, 2)->version, 5);
	assert_null(stream_model_row(m, 3));
	/* An older event of another store (another partition) goes in its
	 * place by time, not at the end. */
	e = ev(2, 1, 4500.0);
	assert_non_null(stream_model_add_event(m, &e, 1, 0, 0));
	assert_int_equal(stream_model_row(m, 1)->store_id, 2);
	assert_int_equal(stream_model_row(m, 2)->version, 5);
	/* A redelivery is not a new row. */
	e = ev(1, 5, 5000.0);
	assert_null(stream_model_add_event(m, &e, 0, 9, 0));
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
		stream_model_add_event(m, &e, 0, v, 0);
	}
	e = ev(8, 1, 150.0);
	stream_model_add_event(m, &e, 1, 0, 0);
	assert_int_equal(stream_model_service(m, "search"), -1);

	/* One fetch answered versions 2 and 3 of store 7. */
	r = re(7, 3, REACTION_APPLIED, 2);
	assert_int_equal(stream_model_add_reaction(m, &r, 0), 1);
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
	assert_int_equal(stream_model_add_reaction(m, &r, 1000.0), 0);
	assert_int_equal(stream_model_pending(m), 1);
	row = stream_model_add_event(m, &e, 0, 0, 1001.0);
	assert_non_null(row);
	assert_int_equal(stream_model_pending(m), 0);
	assert_int_equal(row->cell[stream_model_service(m, "search")].state,
			 STREAM_CELL_STALE);

	/* One that never meets its event is dropped after a while. */
	r = re(9, 99, REACTION_APPLIED, 1);
	stream_model_add_reaction(m, &r, 2000.0);
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
	seq = stream_model_add_event(m, &e, 0, 0, 0)->seq;
	e = ev(2, 1, 100.0); /* older: goes before */
	stream_model_add_event(m, &e, 1, 0, 0);
	assert_int_equal(stream_model_find_seq(m, seq), 1);
	for (int i = 0; i < 4; i++) {
		e = ev(3, i + 1, 1000.0 + i);
		stream_model_add_event(m, &e, 2, i, 0);
	}
	assert_int_equal(stream_model_find_seq(m, seq), -1);
	stream_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ring_is_bounded_and_ordered),
		cmocka_unit_test(reaction_joins_and_coalesces),
		cmocka_unit_test(early_reaction_waits_for_its_event),
		cmocka_unit_test(seq_survives_reordering),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
