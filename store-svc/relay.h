#ifndef STORECTL_STORE_RELAY_H
#define STORECTL_STORE_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include "common/kafka.h"

/*
 * The outbox relay: a thread that publishes unsent outbox rows to
 * store.events with an idempotent producer and marks a row sent only when
 * Kafka confirms its delivery. A row whose delivery fails is published
 * again, so every committed change reaches the topic at least once; on start
 * every row still unsent (a crash, a broker outage) is published first.
 *
 * The relay uses its own database connection; the HTTP side only kicks it.
 */

struct store_relay;

struct store_relay_config {
	const char *db_path;
	const char *brokers;
	const struct kafka_props *props; /* -X overrides; must outlive the relay */
	long retention_s; /* sent rows older than this are pruned */
};

/*
 * Opens the database, creates the producer, waits briefly (at most ~2 s)
 * for the broker's metadata so the first event goes out at once, and starts
 * the thread. A broker that is not reachable is not an error: events wait
 * in the outbox. Returns NULL with a reason in err.
 */
struct store_relay *store_relay_start(const struct store_relay_config *cfg,
				      char *err, size_t errlen);

/*
 * Wakes the relay to publish what was just committed. Safe from any
 * thread, never blocks; NULL is a no-op.
 */
void store_relay_kick(struct store_relay *r);

/* 1 when the producer reached a broker lately, 0 when it is down. */
int store_relay_broker_up(const struct store_relay *r);

/*
 * Events Kafka confirmed since start (*published) and deliveries that
 * failed and were queued again (*failed). Safe from any thread; zeros for
 * NULL.
 */
void store_relay_counts(const struct store_relay *r, uint64_t *published,
			uint64_t *failed);

/*
 * Publishes what is still pending, gives deliveries in flight up to
 * flush_ms to be confirmed, then stops the thread and frees the relay.
 * Rows left unconfirmed stay unsent and go out on the next start.
 */
void store_relay_stop(struct store_relay *r, int flush_ms);

#endif
