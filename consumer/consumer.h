#ifndef STORECTL_CONSUMER_H
#define STORECTL_CONSUMER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/kafka.h"
#include "consumer/breaker.h"

/*
 * The consumer runtime every downstream service runs (DESIGN.md, "Behaviour
 * that matters"): one consumer group per service on store.events; per poll
 * batch, events of one store collapse into one; versions not newer than the
 * replica's are skipped, and so are stores whose events touched none of the
 * replica's columns; the rest are fetched in one GET /stores?ids= call
 * behind a circuit breaker, applied through the replica port, and only then
 * are offsets committed. A resync event is applied at the version held too,
 * through the port's forget. One store.reactions record is published per store
 * handled; a message that cannot be decoded goes to store.events.dlq.
 */

/*
 * What a service's own database offers the runtime. Every function returns
 * 0 on success, -1 on failure (the batch is then retried, offsets are not
 * committed). Called from the runtime's thread only.
 */
struct replica_port {
	void *ctx;
	/* Version the replica holds for store_id, tombstones included; 0 when
	 * it holds none. */
	int (*held_version)(void *ctx, int64_t store_id, int64_t *version);
	/* Writes the columns the service keeps from store (the API's JSON
	 * object, with "id" and "version"). */
	int (*upsert)(void *ctx, const json_t *store);
	/* Removes the store, remembering version so older events are skipped. */
	int (*remove)(void *ctx, int64_t store_id, int64_t version);
	/*
	 * Optional (NULL: not supported). Forgets the version the replica
	 * holds of store_id (held_version answers 0 after it), so that the
	 * upsert or remove that follows is written whatever version was
	 * held. The values may stay until that write, so readers never see
	 * the store missing in between. The runtime calls it
	 * only for a resync (storectl resync), right before that write: a
	 * copy at the store's version may still hold damaged values, and an
	 * ordinary write would leave them. Data the service owns (campaigns,
	 * favorites, reviews, review summaries) must survive it.
	 */
	int (*forget)(void *ctx, int64_t store_id);
	/* STORE_F_* bits of the columns kept; events touching none of them are
	 * skipped without a fetch. STORE_F_ALL to fetch always. */
	uint32_t fields;
};

struct consumer_config {
	const char *service;   /* "search": group "search-svc", reaction service */
	const char *brokers;
	const struct kafka_props *props;
	const char *store_api; /* base URL of store-svc */
	const char *token;     /* may be NULL */
	int batch_max;         /* events per poll batch (default 500) */
	/* The breaker around store API calls; zero members take the
	 * defaults of consumer/breaker.h (3 failures, 1 s doubling to 8 s). */
	struct breaker_config breaker;
	int lag_interval_ms;   /* how often lag is measured (default 1000) */
};

struct consumer;

/* Creates the consumer and subscribes. NULL with a reason in err. */
struct consumer *consumer_new(const struct consumer_config *cfg,
			      const struct replica_port *port, char *err,
			      size_t errlen);

/* Runs poll batches until *stop becomes non-zero. */
void consumer_run(struct consumer *c, volatile sig_atomic_t *stop);

/* Leaves the group, flushes reactions and frees. NULL is a no-op. */
void consumer_free(struct consumer *c);

/* ---- Observing a running consumer (any thread) ------------------------ */

#define CONSUMER_PARTITIONS_MAX 64

/* One assigned partition of store.events. */
struct consumer_partition {
	int32_t partition;
	int64_t committed;  /* the group's committed offset (next to read); -1 none */
	int64_t high;       /* high watermark (next offset to be written); -1 unknown */
	int64_t lag;        /* messages not handled yet: high - committed
			     * (high - low when nothing is committed); -1 unknown */
};

/*
 * A snapshot of the runtime's counters. Counters start at 0 with the
 * process. Reactions count per store and per attempt, exactly as published
 * on store.reactions; events count the messages of committed batches.
 */
struct consumer_stats {
	char service[32];
	char group[64];
	uint64_t events;           /* messages handled (dead letters included) */
	uint64_t dead_letters;
	uint64_t applied;          /* reactions by action */
	uint64_t deleted;
	uint64_t skipped_stale;
	uint64_t skipped_fields;
	uint64_t failed;
	uint64_t batches;          /* committed */
	uint64_t retries;          /* batches that failed and were read again */
	uint64_t fetches;          /* store API calls made */
	uint64_t fetch_errors;     /* of which no answer or not 200 */
	uint64_t fetches_refused;  /* calls the open breaker did not make */
	enum breaker_state breaker;
	uint64_t breaker_opened;   /* times the breaker opened */
	double breaker_retry_ms;   /* while open: ms until the next trial */
	char last_error[256];      /* "" when none yet */
	double last_error_at_ms;   /* wall-clock ms; 0 when none */
	int running;               /* consumer_run is looping */
	int lag_known;             /* a measurement has been made */
	double lag_at_ms;          /* wall-clock ms of the last measurement */
	int64_t lag;               /* sum over the partitions whose lag is known */
	size_t nparts;             /* assigned partitions */
	struct consumer_partition parts[CONSUMER_PARTITIONS_MAX];
};

/*
 * Copies the consumer's current counters, breaker state and lag into out.
 * Never blocks on Kafka (lag is measured by a thread of the consumer every
 * lag_interval_ms, with rd_kafka_committed and ListOffsets for the high
 * watermark; see consumer/lag.c).
 */
void consumer_get_stats(struct consumer *c, struct consumer_stats *out);

/*
 * The stats of n consumers as Prometheus text (0.0.4), each family once
 * with HELP and TYPE, one sample per consumer labelled service="...":
 *
 *   storectl_consumer_events_total            counter
 *   storectl_consumer_dead_letters_total      counter
 *   storectl_consumer_reactions_total{action} counter (applied, deleted,
 *                                             skipped_stale, skipped_fields,
 *                                             failed)
 *   storectl_consumer_batches_total{result}   counter (committed, retried)
 *   storectl_consumer_fetches_total{result}   counter (ok, error, refused)
 *   storectl_consumer_breaker_state{state}    gauge 1 for the current state
 *   storectl_consumer_breaker_opened_total    counter
 *   storectl_consumer_running                 gauge
 *   storectl_consumer_last_error_timestamp_seconds  gauge (0 when none)
 *   storectl_consumer_assigned_partitions     gauge
 *   storectl_consumer_committed_offset{topic,partition}  gauge
 *   storectl_consumer_high_watermark{topic,partition}    gauge
 *   storectl_consumer_lag{topic,partition}    gauge (messages)
 *
 * Partition samples are left out while unknown. Returns a malloc'd string
 * the caller frees, or NULL when out of memory.
 */
char *consumer_stats_prometheus(const struct consumer_stats *s, size_t n);

/*
 * The stats as a JSON object for /health (a new reference, NULL when out
 * of memory):
 *   {"service":"search","group":"search-svc","running":true,
 *    "breaker":{"state":"closed","opened":0,"retry_in_ms":0},
 *    "events":12,"dead_letters":0,"applied":9,"deleted":1,
 *    "skipped":2,"skipped_stale":1,"skipped_fields":1,"failed":0,
 *    "batches":5,"retries":0,"fetches":5,"fetch_errors":0,
 *    "fetches_refused":0,"last_error":null,"last_error_at":null,
 *    "lag":0,"lag_at":"...","partitions":[{"topic":"store.events",
 *    "partition":0,"committed":4,"high":4,"lag":0}]}
 * "lag" and "lag_at" are null until measured; unknown partition numbers
 * are null.
 */
json_t *consumer_stats_json(const struct consumer_stats *s);

#endif
