/*
 * Rendering the runtime's stats: Prometheus text (each family once, one
 * sample per consumer, unknown partitions left out) and the /health JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "consumer/consumer.h"

static void fill(struct consumer_stats *s, const char *service)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->service, service);
	snprintf(s->group, sizeof(s->group), "%s-svc", service);
	s->events = 12;
	s->applied = 9;
	s->deleted = 1;
	s->skipped_stale = 1;
	s->skipped_fields = 2;
	s->failed = 3;
	s->fetches = 7;
	s->fetch_errors = 2;
	s->fetches_refused = 4;
	s->breaker = BREAKER_OPEN;
	s->breaker_opened = 1;
	s->running = 1;
	s->nparts = 2;
	s->parts[0] = (struct consumer_partition){ 0, 5, 8, 3 };
	s->parts[1] = (struct consumer_partition){ 3, -1, -1, -1 };
	s->lag_known = 1;
	s->lag = 3;
	s->lag_at_ms = 1795000000000.0;
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void test_prometheus(void **state)
{
	struct consumer_stats s[2];
	char *text;

	(void)state;
	fill(&s[0], "ads");
	fill(&s[1], "reviews");
	s[1].breaker = BREAKER_CLOSED;
	text = consumer_stats_prometheus(s, 2);
	assert_non_null(text);
	assert_int_equal(count(text, "# TYPE storectl_consumer_events_total counter\n"), 1);
	assert_non_null(strstr(text, "storectl_consumer_events_total{service=\"ads\"} 12\n"));
	assert_non_null(strstr(text, "storectl_consumer_events_total{service=\"reviews\"} 12\n"));
	assert_non_null(strstr(text, "storectl_consumer_reactions_total{service=\"ads\",action=\"skipped_fields\"} 2\n"));
	assert_non_null(strstr(text, "storectl_consumer_fetches_total{service=\"ads\",result=\"ok\"} 5\n"));
	assert_non_null(strstr(text, "storectl_consumer_fetches_total{service=\"ads\",result=\"error\"} 2\n"));
	assert_non_null(strstr(text, "storectl_consumer_fetches_total{service=\"ads\",result=\"refused\"} 4\n"));
	assert_non_null(strstr(text, "storectl_consumer_breaker_state{service=\"ads\",state=\"open\"} 1\n"));
	assert_non_null(strstr(text, "storectl_consumer_breaker_state{service=\"ads\",state=\"closed\"} 0\n"));
	assert_non_null(strstr(text, "storectl_consumer_breaker_state{service=\"reviews\",state=\"closed\"} 1\n"));
	assert_non_null(strstr(text, "storectl_consumer_lag{service=\"ads\",topic=\"store.events\",partition=\"0\"} 3\n"));
	assert_non_null(strstr(text, "storectl_consumer_committed_offset{service=\"ads\",topic=\"store.events\",partition=\"0\"} 5\n"));
	/* Partition 3's numbers are unknown: no samples. */
	assert_null(strstr(text, "partition=\"3\""));
	assert_non_null(strstr(text, "storectl_consumer_assigned_partitions{service=\"ads\"} 2\n"));
	/* Every line is a comment or "name{labels} value". */
	for (char *line = text; *line != '\0';) {
		char *end = strchr(line, '\n');

		assert_non_null(end);
		assert_true(line[0] == '#' || strncmp(line, "storectl_consumer_", 18) == 0);
		line = end + 1;
	}
	free(text);
}

static void test_label_is_sanitised(void **state)
{
	struct consumer_stats s;
	char *text;

	(void)state;
	fill(&s, "a\"b\\c");
	text = consumer_stats_prometheus(&s, 1);
	assert_non_null(strstr(text, "service=\"abc\""));
	free(text);
}

static void test_json(void **state)
{
	struct consumer_stats s;
	json_t *o, *p;

	(void)state;
	fill(&s, "favorites");
	strcpy(s.last_error, "store API unreachable: Connection refused");
	s.last_error_at_ms = 1795000000000.0;
	o = consumer_stats_json(&s);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "service")), "favorites");
	assert_string_equal(json_string_value(json_object_get(o, "group")), "favorites-svc");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "breaker"), "state")), "open");
	assert_int_equal(json_integer_value(json_object_get(o, "skipped")), 3);
	assert_int_equal(json_integer_value(json_object_get(o, "failed")), 3);
	assert_int_equal(json_integer_value(json_object_get(o, "fetches")), 7);
	assert_int_equal(json_integer_value(json_object_get(o, "lag")), 3);
	assert_true(json_is_string(json_object_get(o, "last_error")));
	assert_true(json_is_string(json_object_get(o, "last_error_at")));
	p = json_array_get(json_object_get(o, "partitions"), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "partition")), 3);
	assert_true(json_is_null(json_object_get(p, "lag")));
	json_decref(o);

	s.lag_known = 0;
	s.last_error[0] = '\0';
	s.last_error_at_ms = 0;
	o = consumer_stats_json(&s);
	assert_true(json_is_null(json_object_get(o, "lag")));
	assert_true(json_is_null(json_object_get(o, "last_error")));
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_label_is_sanitised),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
