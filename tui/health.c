#include "tui/health.h"

#include <stdio.h>
#include <string.h>

#include "tui/text.h"

static int64_t int_or(const json_t *o, const char *key, int64_t fallback)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : fallback;
}

static void str_into(const json_t *o, const char *key, char *buf, size_t len)
{
	const char *v = json_string_value(json_object_get(o, key));

	tui_copy_utf8(buf, len, v ? v : "");
}

void tui_health_parse(const json_t *body, struct tui_health *h)
{
	const json_t *c, *parts, *p;
	size_t i;

	memset(h, 0, sizeof(*h));
	h->lag = h->events = h->applied = h->failed = -1;
	h->dead_letters = h->retries = h->outbox_pending = -1;
	if (!json_is_object(body))
		return;
	str_into(body, "status", h->status, sizeof(h->status));
	str_into(body, "broker", h->broker, sizeof(h->broker));
	h->outbox_pending = int_or(body, "outbox_pending", -1);
	c = json_object_get(body, "consumer");
	if (!json_is_object(c))
		return;
	h->has_consumer = 1;
	h->running = json_is_true(json_object_get(c, "running"));
	str_into(json_object_get(c, "breaker"), "state", h->breaker,
		 sizeof(h->breaker));
	h->retry_in_ms = int_or(json_object_get(c, "breaker"), "retry_in_ms",
				0);
	h->lag = int_or(c, "lag", -1);
	h->events = int_or(c, "events", -1);
	h->applied = int_or(c, "applied", -1);
	h->failed = int_or(c, "failed", -1);
	h->dead_letters = int_or(c, "dead_letters", -1);
	h->retries = int_or(c, "retries", -1);
	str_into(c, "last_error", h->last_error, sizeof(h->last_error));
	str_into(c, "last_error_at", h->last_error_at,
		 sizeof(h->last_error_at));
	parts = json_object_get(c, "partitions");
	json_array_foreach(parts, i, p) {
		struct tui_health_part *hp;

		if (h->nparts == TUI_HEALTH_PARTS || !json_is_object(p))
			break;
		hp = &h->parts[h->nparts++];
		hp->partition = (int32_t)int_or(p, "partition", -1);
		hp->committed = int_or(p, "committed", -1);
		hp->high = int_or(p, "high", -1);
		hp->lag = int_or(p, "lag", -1);
	}
}
