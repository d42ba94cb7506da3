/*
 * A day of opening hours as the editor writes it and as the API takes it;
 * the health of a service as the Services screen reads it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/health.h"
#include "tui/hours.h"

static char *parsed(const char *text)
{
	json_t *v;
	char err[128];
	char *s;

	if (tui_hours_parse(text, &v, err, sizeof(err)) != 0)
		return NULL;
	s = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	return s;
}

static void periods_round_trip(void **state)
{
	char *s;
	json_t *v;
	char buf[128], err[128];

	(void)state;
	s = parsed("9:00-15:00, 17:30 - 24:00");
	assert_string_equal(s, "[{\"open\":\"09:00\",\"close\":\"15:00\"},"
			       "{\"open\":\"17:30\",\"close\":\"24:00\"}]");
	free(s);
	s = parsed("22:00~02:00");
	assert_string_equal(s, "[{\"open\":\"22:00\",\"close\":\"02:00\"}]");
	free(s);
	s = parsed("closed");
	assert_string_equal(s, "[]");
	free(s);
	s = parsed("   ");
	assert_string_equal(s, "[]");
	free(s);
	assert_int_equal(tui_hours_parse("09:00-15:00;16:00-18:00", &v, err,
					 sizeof(err)),
			 0);
	tui_hours_format(v, buf, sizeof(buf));
	assert_string_equal(buf, "09:00-15:00, 16:00-18:00");
	json_decref(v);
	tui_hours_format(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "closed");
}

static void bad_days_are_refused(void **state)
{
	json_t *v;
	char err[128];

	(void)state;
	assert_int_equal(tui_hours_parse("9-5", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "09:00-15:00"));
	assert_null(v);
	/* The error names the part to fix. */
	assert_int_equal(tui_hours_parse("25:00-26:00", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "25:00 is not a time of day (00:00 to 24:00)");
	assert_int_equal(tui_hours_parse("09:00-9:60", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "9:60 is not a time"));
	assert_int_equal(tui_hours_parse("09:00-10:00 x", &v, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "\"x\"?"));
	assert_int_equal(tui_hours_parse("garbage", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"garbage\"?"));
	assert_int_equal(tui_hours_parse("09:00-", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cut short"));
	assert_int_equal(tui_hours_parse("closed now", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"now\"?"));
	assert_int_equal(tui_hours_parse("01:00-02:00,03:00-04:00,05:00-06:00,"
					 "07:00-08:00",
					 &v, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "3 periods"));
}

static void health_of_a_consumer(void **state)
{
	struct tui_health h;
	json_t *body = json_loads(
		"{\"status\":\"degraded\",\"consumer\":{\"running\":true,"
		"\"breaker\":{\"state\":\"open\",\"retry_in_ms\":800},"
		"\"lag\":12,\"events\":40,\"applied\":30,\"failed\":2,"
		"\"dead_letters\":1,\"retries\":5,"
		"\"last_error\":\"store API: timed out\","
		"\"last_error_at\":\"2026-11-24T10:00:00.000Z\","
		"\"partitions\":[{\"partition\":0,\"committed\":5,\"high\":9,"
		"\"lag\":4},{\"partition\":1,\"committed\":null,\"high\":8,"
		"\"lag\":8}]}}",
		0, NULL);

	(void)state;
	tui_health_parse(body, &h);
	assert_string_equal(h.status, "degraded");
	assert_true(h.has_consumer);
	assert_string_equal(h.breaker, "open");
	assert_int_equal(h.retry_in_ms, 800);
	assert_int_equal(h.lag, 12);
	assert_int_equal(h.failed, 2);
	assert_string_equal(h.last_error, "store API: timed out");
	assert_int_equal(h.nparts, 2);
	assert_int_equal(h.parts[0].lag, 4);
	assert_int_equal(h.parts[1].committed, -1);
	json_decref(body);

	body = json_loads("{\"status\":\"ok\",\"broker\":\"ok\","
			  "\"outbox_pending\":3}",
			  0, NULL);
	tui_health_parse(body, &h);
	assert_false(h.has_consumer);
	assert_int_equal(h.outbox_pending, 3);
	assert_int_equal(h.lag, -1);
	json_decref(body);
	tui_health_parse(NULL, &h);
	assert_string_equal(h.status, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(periods_round_trip),
		cmocka_unit_test(bad_days_are_refused),
		cmocka_unit_test(health_of_a_consumer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
