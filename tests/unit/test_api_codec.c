/* Event and reaction codecs: round trips, and errors that name the member. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/event.h"
#include "api/fields.h"
#include "api/reaction.h"
#include "common/clock.h"

static void event_round_trip(void **state)
{
	struct store_event in = { .store_id = 42, .type = STORE_EVENT_UPDATED,
				  .version = 7,
				  .fields = STORE_F_NAME | STORE_F_MENU,
				  .at_ms = 1795946400123.0 };
	struct store_event out;
	char err[128];
	char *text;

	(void)state;
	strcpy(in.event_id, "0f1e2d3c");
	text = store_event_encode(&in);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"fields\":[\"name\",\"menu\"]"));
	assert_non_null(strstr(text, "\"type\":\"updated\""));
	assert_int_equal(store_event_decode(text, strlen(text), &out, err,
					    sizeof(err)),
			 0);
	assert_string_equal(out.event_id, "0f1e2d3c");
	assert_int_equal(out.store_id, 42);
	assert_int_equal(out.type, STORE_EVENT_UPDATED);
	assert_int_equal(out.version, 7);
	assert_int_equal(out.fields, STORE_F_NAME | STORE_F_MENU);
	assert_true(out.at_ms == in.at_ms);
	free(text);
}

/* An ordinary event has no resync members; a resync keeps both. */
static void event_resync_round_trip(void **state)
{
	struct store_event in = { .store_id = 9, .type = STORE_EVENT_UPDATED,
				  .version = 3, .fields = STORE_F_NAME,
				  .at_ms = 1795946400000.0 };
	struct store_event out;
	char err[128];
	char *text;

	(void)state;
	strcpy(in.event_id, "e1");
	text = store_event_encode(&in);
	assert_non_null(text);
	assert_null(strstr(text, "resync"));
	assert_null(strstr(text, "target"));
	assert_int_equal(store_event_decode(text, strlen(text), &out, err,
					    sizeof(err)),
			 0);
	assert_int_equal(out.resync, 0);
	assert_string_equal(out.target, "");
	assert_true(store_event_is_for(&out, "search"));
	free(text);

	in.resync = 1;
	strcpy(in.target, "search");
	text = store_event_encode(&in);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"resync\":true"));
	assert_non_null(strstr(text, "\"target\":\"search\""));
	assert_int_equal(store_event_decode(text, strlen(text), &out, err,
					    sizeof(err)),
			 0);
	assert_int_equal(out.resync, 1);
	assert_string_equal(out.target, "search");
	assert_true(store_event_is_for(&out, "search"));
	assert_false(store_event_is_for(&out, "ads"));
	free(text);

	/* "resync": false and "target": null are the defaults. */
	text = "{\"event_id\":\"e\",\"store_id\":1,\"version\":2,"
	       "\"type\":\"deleted\",\"at\":\"2026-11-29T10:00:00Z\","
	       "\"resync\":false,\"target\":null}";
	assert_int_equal(store_event_decode(text, strlen(text), &out, err,
					    sizeof(err)),
			 0);
	assert_int_equal(out.resync, 0);
	assert_string_equal(out.target, "");
}

static void expect_event_error(const char *json, const char *needle)
{
	struct store_event ev;
	char err[128] = "";

	assert_int_equal(store_event_decode(json, strlen(json), &ev, err,
					    sizeof(err)),
			 -1);
	if (strstr(err, needle) == NULL)
		fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
}

static void event_errors_name_the_member(void **state)
{
	(void)state;
	expect_event_error("not json", "not JSON");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":1,\"version\":2,"
			   "\"type\":\"updated\",\"at\":\"2026-11-29T10:00:00Z\","
			   "\"resync\":1}",
			   "resync");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":1,\"version\":2,"
			   "\"type\":\"updated\",\"at\":\"2026-11-29T10:00:00Z\","
			   "\"resync\":true,\"target\":\"Search!\"}",
			   "target");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":1,\"version\":2,"
			   "\"type\":\"updated\",\"at\":\"2026-11-29T10:00:00Z\","
			   "\"target\":\"\"}",
			   "target");
	expect_event_error("[1]", "not a JSON object");
	expect_event_error("{\"store_id\":1}", "event_id");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":-1}", "store_id");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":1,\"version\":\"7\"}",
			   "version");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":1,\"version\":7,"
			   "\"type\":\"renamed\"}",
			   "type");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":1,\"version\":7,"
			   "\"type\":\"created\",\"fields\":\"name\"}",
			   "fields");
	expect_event_error("{\"event_id\":\"e\",\"store_id\":1,\"version\":7,"
			   "\"type\":\"created\",\"at\":\"yesterday\"}",
			   "at");
}

static void event_unknown_field_is_other(void **state)
{
	const char *json = "{\"event_id\":\"e\",\"store_id\":1,\"version\":2,"
			   "\"type\":\"updated\",\"fields\":[\"name\",\"logo\"],"
			   "\"at\":\"2026-11-24T10:00:00.5Z\"}";
	struct store_event ev;
	char err[128];

	(void)state;
	assert_int_equal(store_event_decode(json, strlen(json), &ev, err,
					    sizeof(err)),
			 0);
	assert_int_equal(ev.fields, STORE_F_NAME | STORE_F_OTHER);
}

static void reaction_round_trip(void **state)
{
	struct store_reaction in = { .store_id = 42, .event_version = 9,
				     .applied_version = 9,
				     .action = REACTION_APPLIED,
				     .coalesced = 3, .took_ms = 0.8,
				     .lag_ms = 2.25,
				     .at_ms = 1795946400123.0 };
	struct store_reaction out;
	char err[128];
	char *text;

	(void)state;
	strcpy(in.service, "search");
	text = store_reaction_encode(&in);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"error\":null"));
	assert_int_equal(store_reaction_decode(text, strlen(text), &out, err,
					       sizeof(err)),
			 0);
	assert_string_equal(out.service, "search");
	assert_int_equal(out.store_id, 42);
	assert_int_equal(out.event_version, 9);
	assert_int_equal(out.applied_version, 9);
	assert_int_equal(out.action, REACTION_APPLIED);
	assert_int_equal(out.coalesced, 3);
	assert_true(out.lag_ms > 2.24 && out.lag_ms < 2.26);
	assert_string_equal(out.error, "");
	free(text);
}

static void reaction_failed_keeps_error(void **state)
{
	struct store_reaction in = { .store_id = 1, .event_version = 2,
				     .action = REACTION_FAILED, .coalesced = 1,
				     .at_ms = 1795946400000.0 };
	struct store_reaction out;
	char err[128];
	char *text;

	(void)state;
	strcpy(in.service, "search");
	strcpy(in.error, "store API: connection refused");
	text = store_reaction_encode(&in);
	assert_non_null(strstr(text, "\"applied_version\":null"));
	assert_int_equal(store_reaction_decode(text, strlen(text), &out, err,
					       sizeof(err)),
			 0);
	assert_int_equal(out.applied_version, 0);
	assert_string_equal(out.error, "store API: connection refused");
	assert_string_equal(out.source, "");
	assert_null(strstr(text, "source"));
	free(text);

	/* A reaction to another topic says which, and keeps saying it. */
	strcpy(in.source, "review.events");
	text = store_reaction_encode(&in);
	assert_non_null(strstr(text, "\"source\":\"review.events\""));
	assert_int_equal(store_reaction_decode(text, strlen(text), &out, err,
					       sizeof(err)),
			 0);
	assert_string_equal(out.source, "review.events");
	free(text);

	text = "{\"service\":\"s\",\"store_id\":1,\"event_version\":1,"
	       "\"action\":\"exploded\",\"took_ms\":0,\"lag_ms\":0,\"at\":\"x\"}";
	assert_int_equal(store_reaction_decode(text, strlen(text), &out, err,
					       sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "action"));
}

static void clock_iso_round_trip(void **state)
{
	char buf[32];
	double ms;

	(void)state;
	clock_format_iso(1795946400123.0, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-29T10:00:00.123Z");
	assert_int_equal(clock_parse_iso(buf, &ms), 0);
	assert_true(ms == 1795946400123.0);
	assert_int_equal(clock_parse_iso("2026-11-29T10:00:00Z", &ms), 0);
	assert_int_equal(clock_parse_iso("2026-11-29 10:00:00", &ms), -1);
	assert_int_equal(clock_parse_iso("2026-11-29T10:00:00.Z", &ms), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(event_round_trip),
		cmocka_unit_test(event_resync_round_trip),
		cmocka_unit_test(event_errors_name_the_member),
		cmocka_unit_test(event_unknown_field_is_other),
		cmocka_unit_test(reaction_round_trip),
		cmocka_unit_test(reaction_failed_keeps_error),
		cmocka_unit_test(clock_iso_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
