/* The demo's reaction tracker: newest version per service and store, and
 * counters over a store's window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli/demo_track.h"

static void add(struct demo_track *t, const char *service, int64_t store,
		int64_t event_version, int64_t applied,
		enum reaction_action action, int coalesced, const char *error)
{
	struct store_reaction r;

	memset(&r, 0, sizeof(r));
	snprintf(r.service, sizeof(r.service), "%s", service);
	r.store_id = store;
	r.event_version = event_version;
	r.applied_version = applied;
	r.action = action;
	r.coalesced = coalesced;
	snprintf(r.error, sizeof(r.error), "%s", error ? error : "");
	assert_int_equal(demo_track_add(t, &r), 0);
}

static void versions_and_windows(void **state)
{
	struct demo_track *t = demo_track_new();
	const struct demo_track_entry *e;

	(void)state;
	assert_null(demo_track_get(t, "search", 1));
	add(t, "search", 1, 3, 3, REACTION_APPLIED, 1, NULL);
	add(t, "ads", 1, 3, 3, REACTION_APPLIED, 1, NULL);
	e = demo_track_get(t, "search", 1);
	assert_non_null(e);
	assert_int_equal(e->version, 3);
	assert_int_equal(e->reactions, 1);

	/* A burst from v3: 30 events in 3 reactions, one failure between. */
	demo_track_open(t, 1, 3);
	e = demo_track_get(t, "search", 1);
	assert_int_equal(e->reactions, 0);
	assert_int_equal(e->version, 3);
	add(t, "search", 1, 12, 0, REACTION_FAILED, 9, "store API unreachable");
	add(t, "search", 1, 12, 12, REACTION_APPLIED, 9, NULL);
	add(t, "search", 1, 25, 25, REACTION_APPLIED, 13, NULL);
	/* An old one, late: not counted in the window, version stays. */
	add(t, "search", 1, 2, 25, REACTION_SKIPPED_STALE, 1, NULL);
	add(t, "search", 1, 33, 33, REACTION_APPLIED, 8, NULL);
	e = demo_track_get(t, "search", 1);
	assert_int_equal(e->version, 33);
	assert_int_equal(e->reactions, 3);
	assert_int_equal(e->events, 30);
	assert_int_equal(e->failures, 1);
	assert_string_equal(e->last_error, "store API unreachable");
	/* Other stores and services keep their own. */
	assert_int_equal(demo_track_get(t, "ads", 1)->version, 3);
	assert_null(demo_track_get(t, "search", 2));
	/* A delete: the event's version counts (applied is null). */
	add(t, "search", 1, 34, 0, REACTION_DELETED, 1, NULL);
	assert_int_equal(demo_track_get(t, "search", 1)->version, 34);
	assert_int_equal(demo_track_total(t), 8);
	demo_track_free(t);
}

static void many_entries(void **state)
{
	struct demo_track *t = demo_track_new();
	static const char *const services[] = { "search", "ads", "favorites",
						"reviews", "display" };

	(void)state;
	for (int64_t id = 1; id <= 2000; id++)
		for (size_t s = 0; s < 5; s++)
			add(t, services[s], id, id % 7 + 1, id % 7 + 1,
			    REACTION_APPLIED, 1, NULL);
	for (int64_t id = 1; id <= 2000; id += 97)
		for (size_t s = 0; s < 5; s++) {
			const struct demo_track_entry *e =
				demo_track_get(t, services[s], id);

			assert_non_null(e);
			assert_int_equal(e->store_id, id);
			assert_string_equal(e->service, services[s]);
			assert_int_equal(e->version, id % 7 + 1);
		}
	assert_int_equal(demo_track_total(t), 10000);
	demo_track_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(versions_and_windows),
		cmocka_unit_test(many_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
