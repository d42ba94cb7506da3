#ifndef STORECTL_TUI_HEALTH_H
#define STORECTL_TUI_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * A service's GET /health as the Services screen shows it. Downstream
 * services answer {"status":"ok|degraded|error", "consumer":{"running",
 * "breaker":{"state","retry_in_ms"}, "lag", "partitions":[{"partition",
 * "committed","high","lag"}], "events","applied","failed",
 * "dead_letters","last_error","last_error_at",...}}; store-svc answers
 * {"status", "broker", "outbox_pending", ...}. Members that are missing
 * stay unknown, so an older service still shows what it has.
 */

#define TUI_HEALTH_PARTS 32

struct tui_health_part {
	int32_t partition;
	int64_t committed, high, lag; /* -1: unknown */
};

struct tui_health {
	char status[16];      /* "ok", "degraded", "error" or "" */
	int has_consumer;
	int running;
	char breaker[16];     /* "closed", "open", "half-open" or "" */
	int64_t retry_in_ms;
	int64_t lag;          /* total; -1 unknown */
	size_t nparts;
	struct tui_health_part parts[TUI_HEALTH_PARTS];
	int64_t events, applied, failed, dead_letters, retries; /* -1 */
	char last_error[200];
	char last_error_at[32];
	int64_t outbox_pending; /* store-svc; -1 unknown */
	char broker[16];        /* store-svc's view of Kafka */
};

/* Fills *h from a /health body (any JSON; NULL gives all unknown). */
void tui_health_parse(const json_t *body, struct tui_health *h);

#endif
