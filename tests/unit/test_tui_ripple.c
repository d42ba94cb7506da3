/*
 * The ripple line after a save: every expected service's reaction to the
 * new version, pending ones named, failures said, late ones called out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/ripple.h"

static const char *const five[] = { "search", "ads", "favorites", "reviews",
				    "display" };

static void react(struct stream_model *m, const char *service,
		  enum reaction_action action, double lag, const char *error)
{
	struct store_reaction r = { .store_id = 42, .event_version = 8,
				    .applied_version = 8, .action = action,
				    .coalesced = 1, .lag_ms = lag };

	snprintf(r.service, sizeof(r.service), "%s", service);
	snprintf(r.error, sizeof(r.error), "%s", error ? error : "");
	stream_model_add_reaction(m, &r, NULL, 0);
}

static void follows_to_the_last_service(void **state)
{
	struct stream_model *m = stream_model_new(8);
	struct store_event e = { .store_id = 42, .version = 8,
				 .type = STORE_EVENT_UPDATED, .at_ms = 1 };
	struct tui_ripple rp;
	const struct stream_row *row;
	char buf[512];

	(void)state;
	tui_ripple_start(&rp, 42, 8, "saved", 1000.0);
	/* Nothing yet, not even the event. */
	assert_int_equal(tui_ripple_describe(&rp, m, NULL, five, 5, 1100.0, buf,
					     sizeof(buf)),
			 TUI_SAY_INFO);
	assert_string_equal(buf, "saved v8: propagated to 0/5 services; pending: "
				 "search, ads, favorites, reviews, display");
	assert_false(rp.done);
	stream_model_add_event(m, &e, NULL, 0);
	react(m, "search", REACTION_APPLIED, 3.2, NULL);
	react(m, "ads", REACTION_SKIPPED_FIELDS, 1.0, NULL);
	react(m, "display", REACTION_APPLIED, 4.4, NULL);
	row = stream_model_find(m, 42, 8);
	tui_ripple_describe(&rp, m, row, five, 5, 1200.0, buf, sizeof(buf));
	assert_string_equal(buf, "saved v8: propagated to 3/5 services in 4 ms; "
				 "pending: favorites, reviews");
	react(m, "favorites", REACTION_SKIPPED_STALE, 2.0, NULL);
	react(m, "reviews", REACTION_APPLIED, 0.6, NULL);
	assert_int_equal(tui_ripple_describe(&rp, m, row, five, 5, 1300.0, buf,
					     sizeof(buf)),
			 TUI_SAY_GOOD);
	assert_string_equal(buf, "saved v8: propagated to 5/5 services in 4 ms");
	assert_true(rp.done);
	stream_model_free(m);
}

static void failures_and_late_ones_warn(void **state)
{
	struct stream_model *m = stream_model_new(8);
	struct store_event e = { .store_id = 42, .version = 8,
				 .type = STORE_EVENT_UPDATED, .at_ms = 1 };
	struct tui_ripple rp;
	const struct stream_row *row;
	char buf[512];

	(void)state;
	stream_model_add_event(m, &e, NULL, 0);
	react(m, "search", REACTION_APPLIED, 12.0, NULL);
	react(m, "ads", REACTION_FAILED, 0, "store API: 503");
	row = stream_model_find(m, 42, 8);
	tui_ripple_start(&rp, 42, 8, "paused", 0.0);
	assert_int_equal(tui_ripple_describe(&rp, m, row, five, 3,
					     TUI_RIPPLE_WAIT_MS + 1, buf,
					     sizeof(buf)),
			 TUI_SAY_WARN);
	assert_string_equal(buf, "paused v8: propagated to 1/3 services in 12 ms; "
				 "ads FAILED: store API: 503; no reaction after "
				 "10 s from favorites");
	/* A retry that applies replaces the failure. */
	react(m, "ads", REACTION_APPLIED, 30.0, NULL);
	react(m, "favorites", REACTION_APPLIED, 0.5, NULL);
	assert_int_equal(tui_ripple_describe(&rp, m, row, five, 3, 20000.0, buf,
					     sizeof(buf)),
			 TUI_SAY_GOOD);
	assert_string_equal(buf, "paused v8: propagated to 3/3 services in 30 ms");
	/* No service known at all. */
	tui_ripple_describe(&rp, m, row, five, 0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "paused v8 (no downstream services known)");
	stream_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(follows_to_the_last_service),
		cmocka_unit_test(failures_and_late_ones_warn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
