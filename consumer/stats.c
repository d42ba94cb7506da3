/*
 * The runtime's counters: recorded under the consumer's lock by its
 * threads, copied out by consumer_get_stats, rendered for /metrics and
 * /health.
 */
#include "consumer/consumer_priv.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"

void consumer_get_stats(struct consumer *c, struct consumer_stats *out)
{
	double now = clock_mono_ms();

	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	/* The breaker's period may have run out since it last moved: an
	 * observer sees half-open then, as the next call would. */
	out->breaker = breaker_state_at(&c->breaker_seen, now);
	out->breaker_retry_ms = breaker_wait_ms(&c->breaker_seen, now);
	out->breaker_opened = c->breaker_seen.opened;
	pthread_mutex_unlock(&c->lock);
	out->lag = 0;
	for (size_t k = 0; k < out->nparts; k++)
		if (out->parts[k].lag > 0)
			out->lag += out->parts[k].lag;
}

void consumer_note_error(struct consumer *c, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&c->lock);
	va_start(ap, fmt);
	vsnprintf(c->stats.last_error, sizeof(c->stats.last_error), fmt, ap);
	va_end(ap);
	c->stats.last_error_at_ms = clock_wall_ms();
	pthread_mutex_unlock(&c->lock);
}

void consumer_note_breaker(struct consumer *c)
{
	pthread_mutex_lock(&c->lock);
	c->breaker_seen = c->breaker;
	pthread_mutex_unlock(&c->lock);
}

void consumer_note_assignment(struct consumer *c,
			      const rd_kafka_topic_partition_list_t *parts,
			      int assigned)
{
	pthread_mutex_lock(&c->lock);
	if (!assigned) {
		c->stats.nparts = 0;
	} else {
		size_t n = 0;

		for (int i = 0; i < parts->cnt && n < CONSUMER_PARTITIONS_MAX;
		     i++) {
			struct consumer_partition *p = &c->stats.parts[n++];

			p->partition = parts->elems[i].partition;
			p->committed = -1;
			p->high = -1;
			p->lag = -1;
		}
		c->stats.nparts = n;
	}
	pthread_mutex_unlock(&c->lock);
}

/* ---- Rendering -------------------------------------------------------- */

/* A growing text buffer; on allocation failure it turns NULL for good. */
struct text {
	char *s;
	size_t len, cap;
	int oom;
};

static void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		size_t room = t->cap - t->len;

		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? room : 0, fmt,
			      ap);
		va_end(ap);
		if (n < 0) {
			t->oom = 1;
			return;
		}
		if (t->s != NULL && (size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		{
			size_t cap = t->cap ? t->cap * 2 : 4096;
			char *grown;

			while (cap < t->len + (size_t)n + 1)
				cap *= 2;
			grown = realloc(t->s, cap);
			if (grown == NULL) {
				t->oom = 1;
				return;
			}
			t->s = grown;
			t->cap = cap;
		}
	}
}

static void family(struct text *t, const char *name, const char *type,
		   const char *help)
{
	text_add(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Service names are [a-z0-9-]; anything else is dropped from the label so
 * the text stays valid whatever a caller passed. */
static void label_value(char *out, size_t len, const char *in)
{
	size_t n = 0;

	for (; *in != '\0' && n + 1 < len; in++)
		if (*in != '"' && *in != '\\' && *in != '\n')
			out[n++] = *in;
	out[n] = '\0';
}

static void counter_each(struct text *t, const struct consumer_stats *s,
			 size_t n, const char *name, const char *extra,
			 size_t offset)
{
	for (size_t i = 0; i < n; i++) {
		char svc[64];
		uint64_t v = *(const uint64_t *)((const char *)&s[i] + offset);

		label_value(svc, sizeof(svc), s[i].service);
		text_add(t, "%s{service=\"%s\"%s} %" PRIu64 "\n", name, svc,
			 extra, v);
	}
}

/*
 * One gauge family with a sample per service and partition: the int64_t
 * member at field of struct consumer_partition, left out where negative
 * (unknown).
 */
static void partition_gauge(struct text *t, const struct consumer_stats *s,
			    size_t n, const char *name, const char *help,
			    size_t field)
{
	char svc[64];

	family(t, name, "gauge", help);
	for (size_t i = 0; i < n; i++) {
		label_value(svc, sizeof(svc), s[i].service);
		for (size_t k = 0; k < s[i].nparts; k++) {
			int64_t v = *(const int64_t *)((const char *)&s[i].parts[k] +
							field);

			if (v >= 0)
				text_add(t,
					 "%s{service=\"%s\",topic=\"%s\",partition=\"%" PRId32 "\"} %" PRId64 "\n",
					 name, svc, TOPIC_STORE_EVENTS,
					 s[i].parts[k].partition, v);
		}
	}
}

#define COUNTER(t, s, n, name, extra, member) \
	counter_each(t, s, n, name, extra, offsetof(struct consumer_stats, member))

char *consumer_stats_prometheus(const struct consumer_stats *s, size_t n)
{
	static const enum breaker_state states[] = {
		BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN,
	};
	struct text t = { 0 };
	char svc[64];

	family(&t, "storectl_consumer_events_total", "counter",
	       "Messages of store.events handled (committed), dead letters included.");
	COUNTER(&t, s, n, "storectl_consumer_events_total", "", events);

	family(&t, "storectl_consumer_dead_letters_total", "counter",
	       "Messages that could not be decoded, sent to store.events.dlq.");
	COUNTER(&t, s, n, "storectl_consumer_dead_letters_total", "",
		dead_letters);

	family(&t, "storectl_consumer_reactions_total", "counter",
	       "Reactions published on store.reactions, by action.");
	COUNTER(&t, s, n, "storectl_consumer_reactions_total",
		",action=\"applied\"", applied);
	COUNTER(&t, s, n, "storectl_consumer_reactions_total",
		",action=\"deleted\"", deleted);
	COUNTER(&t, s, n, "storectl_consumer_reactions_total",
		",action=\"skipped_stale\"", skipped_stale);
	COUNTER(&t, s, n, "storectl_consumer_reactions_total",
		",action=\"skipped_fields\"", skipped_fields);
	COUNTER(&t, s, n, "storectl_consumer_reactions_total",
		",action=\"failed\"", failed);

	family(&t, "storectl_consumer_batches_total", "counter",
	       "Poll batches committed, and failed batches read again.");
	COUNTER(&t, s, n, "storectl_consumer_batches_total",
		",result=\"committed\"", batches);
	COUNTER(&t, s, n, "storectl_consumer_batches_total",
		",result=\"retried\"", retries);

	family(&t, "storectl_consumer_fetches_total", "counter",
	       "Store API calls: answered 200 (ok), failed (error), or not made because the breaker was open (refused).");
	for (size_t i = 0; i < n; i++) {
		label_value(svc, sizeof(svc), s[i].service);
		text_add(&t,
			 "storectl_consumer_fetches_total{service=\"%s\",result=\"ok\"} %" PRIu64 "\n"
			 "storectl_consumer_fetches_total{service=\"%s\",result=\"error\"} %" PRIu64 "\n"
			 "storectl_consumer_fetches_total{service=\"%s\",result=\"refused\"} %" PRIu64 "\n",
			 svc, s[i].fetches - s[i].fetch_errors, svc,
			 s[i].fetch_errors, svc, s[i].fetches_refused);
	}

	family(&t, "storectl_consumer_breaker_state", "gauge",
	       "State of the circuit breaker around the store API (1 for the current state).");
	for (size_t i = 0; i < n; i++) {
		label_value(svc, sizeof(svc), s[i].service);
		for (size_t k = 0; k < sizeof(states) / sizeof(states[0]); k++)
			text_add(&t,
				 "storectl_consumer_breaker_state{service=\"%s\",state=\"%s\"} %d\n",
				 svc, breaker_state_name(states[k]),
				 s[i].breaker == states[k]);
	}
	family(&t, "storectl_consumer_breaker_opened_total", "counter",
	       "Times the circuit breaker opened.");
	COUNTER(&t, s, n, "storectl_consumer_breaker_opened_total", "",
		breaker_opened);

	family(&t, "storectl_consumer_running", "gauge",
	       "1 while the consumer loop runs.");
	for (size_t i = 0; i < n; i++) {
		label_value(svc, sizeof(svc), s[i].service);
		text_add(&t, "storectl_consumer_running{service=\"%s\"} %d\n",
			 svc, s[i].running ? 1 : 0);
	}
	family(&t, "storectl_consumer_last_error_timestamp_seconds", "gauge",
	       "When the consumer last failed (Unix time), 0 when never.");
	for (size_t i = 0; i < n; i++) {
		label_value(svc, sizeof(svc), s[i].service);
		text_add(&t,
			 "storectl_consumer_last_error_timestamp_seconds{service=\"%s\"} %.3f\n",
			 svc, s[i].last_error_at_ms / 1000.0);
	}

	family(&t, "storectl_consumer_assigned_partitions", "gauge",
	       "Partitions of store.events assigned to this member.");
	for (size_t i = 0; i < n; i++) {
		label_value(svc, sizeof(svc), s[i].service);
		text_add(&t,
			 "storectl_consumer_assigned_partitions{service=\"%s\"} %zu\n",
			 svc, s[i].nparts);
	}

	partition_gauge(&t, s, n, "storectl_consumer_committed_offset",
			"The group's committed offset (next to read) per partition.",
			offsetof(struct consumer_partition, committed));
	partition_gauge(&t, s, n, "storectl_consumer_high_watermark",
			"Offset the next message of the partition will get.",
			offsetof(struct consumer_partition, high));
	partition_gauge(&t, s, n, "storectl_consumer_lag",
			"Messages of the partition not handled yet (high watermark minus committed offset).",
			offsetof(struct consumer_partition, lag));
	if (t.oom) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

static json_t *offset_json(int64_t v)
{
	return v >= 0 ? json_integer((json_int_t)v) : json_null();
}

static json_t *time_json(double wall_ms)
{
	char at[32];

	if (wall_ms <= 0)
		return json_null();
	clock_format_iso(wall_ms, at, sizeof(at));
	return json_string(at);
}

json_t *consumer_stats_json(const struct consumer_stats *s)
{
	json_t *parts = json_array();
	json_t *o;

	for (size_t k = 0; parts != NULL && k < s->nparts; k++)
		json_array_append_new(
			parts,
			json_pack("{s:s, s:i, s:o, s:o, s:o}", "topic",
				  TOPIC_STORE_EVENTS, "partition",
				  (int)s->parts[k].partition, "committed",
				  offset_json(s->parts[k].committed), "high",
				  offset_json(s->parts[k].high), "lag",
				  offset_json(s->parts[k].lag)));
	o = json_pack("{s:s, s:s, s:b, s:{s:s, s:I, s:I},"
		      " s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
		      " s:I, s:I, s:I}",
		      "service", s->service, "group", s->group, "running",
		      s->running, "breaker", "state",
		      breaker_state_name(s->breaker), "opened",
		      (json_int_t)s->breaker_opened, "retry_in_ms",
		      (json_int_t)(s->breaker_retry_ms + 0.5), "events",
		      (json_int_t)s->events, "dead_letters",
		      (json_int_t)s->dead_letters, "applied",
		      (json_int_t)s->applied, "deleted", (json_int_t)s->deleted,
		      "skipped",
		      (json_int_t)(s->skipped_stale + s->skipped_fields),
		      "skipped_stale", (json_int_t)s->skipped_stale,
		      "skipped_fields", (json_int_t)s->skipped_fields, "failed",
		      (json_int_t)s->failed, "batches", (json_int_t)s->batches,
		      "retries", (json_int_t)s->retries, "fetches",
		      (json_int_t)s->fetches, "fetch_errors",
		      (json_int_t)s->fetch_errors, "fetches_refused",
		      (json_int_t)s->fetches_refused);
	if (o == NULL) {
		json_decref(parts);
		return NULL;
	}
	json_object_set_new(o, "last_error", s->last_error[0]
						     ? json_string(s->last_error)
						     : json_null());
	json_object_set_new(o, "last_error_at", time_json(s->last_error_at_ms));
	json_object_set_new(o, "lag", s->lag_known
					      ? json_integer((json_int_t)s->lag)
					      : json_null());
	json_object_set_new(o, "lag_at", time_json(s->lag_at_ms));
	json_object_set_new(o, "partitions", parts ? parts : json_array());
	return o;
}
