/*
 * The Stream's filter words (store, type, service, reaction, field) and
 * the Stores list's text match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "api/fields.h"
#include "tui/filter.h"

static struct stream_model *m;

static void add(int64_t store, int64_t version, enum store_event_type type,
		uint32_t fields)
{
	struct store_event e = { .store_id = store, .version = version,
				 .type = type, .fields = fields,
				 .at_ms = (double)(store * 100 + version) };

	assert_non_null(stream_model_add_event(m, &e, NULL, 0));
}

static void react(const char *service, int64_t store, int64_t version,
		  enum reaction_action action)
{
	struct store_reaction r = { .store_id = store, .event_version = version,
				    .applied_version = version,
				    .action = action, .coalesced = 1 };

	snprintf(r.service, sizeof(r.service), "%s", service);
	stream_model_add_reaction(m, &r, NULL, 0);
}

static int setup(void **state)
{
	(void)state;
	m = stream_model_new(16);
	add(1, 1, STORE_EVENT_CREATED, STORE_F_NAME | STORE_F_MENU);
	add(1, 2, STORE_EVENT_UPDATED, STORE_F_MENU);
	add(2, 1, STORE_EVENT_CREATED, STORE_F_NAME);
	add(2, 2, STORE_EVENT_DELETED, 0);
	react("search", 1, 1, REACTION_APPLIED);
	react("search", 1, 2, REACTION_SKIPPED_FIELDS);
	react("ads", 1, 2, REACTION_FAILED);
	react("search", 2, 1, REACTION_APPLIED);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stream_model_free(m);
	return 0;
}

/* How many rows pass text. */
static int count(const char *text)
{
	struct stream_filter f;
	char err[256];
	int n = 0;

	if (stream_filter_parse(text, NULL, 0, &f, err, sizeof(err)) != 0)
		fail_msg("\"%s\" did not parse: %s", text, err);
	for (size_t i = 0; i < stream_model_count(m); i++)
		n += stream_filter_match(&f, stream_model_row(m, i), m);
	return n;
}

static void words_filter_rows(void **state)
{
	(void)state;
	assert_int_equal(count(""), 4);
	assert_int_equal(count("1"), 2);
	assert_int_equal(count("store=2"), 2);
	assert_int_equal(count("#2"), 2);
	assert_int_equal(count("created"), 2);
	assert_int_equal(count("created deleted"), 3);
	assert_int_equal(count("type=updated"), 1);
	assert_int_equal(count("2 deleted"), 1);
	assert_int_equal(count("menu"), 2);
	assert_int_equal(count("field=name 2"), 1);
	assert_int_equal(count("failed"), 1);
	assert_int_equal(count("FAILED"), 1);
	assert_int_equal(count("fields"), 1);
	/* ads has answered store 1 v2 only: the rest are pending for it. */
	assert_int_equal(count("ads pending"), 3);
	assert_int_equal(count("search state=applied"), 2);
	assert_int_equal(count("svc=ads failed, 1"), 1);
}

static void services_pick_columns(void **state)
{
	struct stream_filter f;
	char err[256];
	const char *extra[] = { "loyalty" };

	(void)state;
	assert_int_equal(stream_filter_parse("", NULL, 0, &f, err, sizeof(err)),
			 0);
	assert_false(f.active);
	assert_true(stream_filter_shows(&f, "reviews"));
	assert_int_equal(stream_filter_parse("search display", NULL, 0, &f, err,
					     sizeof(err)),
			 0);
	assert_true(stream_filter_shows(&f, "search"));
	assert_true(stream_filter_shows(&f, "display"));
	assert_false(stream_filter_shows(&f, "ads"));
	/* A service this build does not know, seen on the topic. */
	assert_int_equal(stream_filter_parse("loyalty", extra, 1, &f, err,
					     sizeof(err)),
			 0);
	assert_true(stream_filter_shows(&f, "loyalty"));
}

static void bad_words_are_named(void **state)
{
	struct stream_filter f;
	char err[256];

	(void)state;
	assert_int_equal(stream_filter_parse("42 frobnicate", NULL, 0, &f, err,
					     sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "\"frobnicate\""));
	assert_false(f.active);
	assert_int_equal(stream_filter_parse("store=abc", NULL, 0, &f, err,
					     sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "store=abc"));
	assert_int_equal(stream_filter_parse("type=renamed", NULL, 0, &f, err,
					     sizeof(err)),
			 -1);
	assert_int_equal(stream_filter_parse("svc=nope", NULL, 0, &f, err,
					     sizeof(err)),
			 -1);
	assert_int_equal(stream_filter_parse("color=red", NULL, 0, &f, err,
					     sizeof(err)),
			 -1);
	assert_int_equal(stream_filter_parse("state=", NULL, 0, &f, err,
					     sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "needs a value"));
}

static void text_contains_ignores_ascii_case(void **state)
{
	(void)state;
	assert_true(tui_text_contains("Kimbap Heaven", "heaven"));
	assert_true(tui_text_contains("교촌치킨 논현점", "치킨"));
	assert_true(tui_text_contains("anything", ""));
	assert_false(tui_text_contains("교촌치킨", "피자"));
	assert_false(tui_text_contains("ab", "abc"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(words_filter_rows, setup,
						teardown),
		cmocka_unit_test(services_pick_columns),
		cmocka_unit_test(bad_words_are_named),
		cmocka_unit_test(text_contains_ignores_ascii_case),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
