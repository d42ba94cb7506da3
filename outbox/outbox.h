#ifndef STORECTL_OUTBOX_H
#define STORECTL_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "common/kafka.h"

/*
 * A transactional outbox for a service's own events (DESIGN.md, "No change
 * without its event"): the service writes its change and an outbox row in
 * one SQLite transaction; a relay thread publishes unsent rows with an
 * idempotent producer and marks a row sent only when Kafka confirms its
 * delivery. A crash at any point loses nothing: a restart publishes what
 * was not confirmed, so a message may go out twice, never not at all.
 *
 * The table, in the service's own database:
 *   outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT, key TEXT,
 *          value TEXT, created_at REAL, sent_at REAL)   -- ms since epoch
 *
 * An adapter (SQLite and Kafka); domain code never includes this.
 */

struct sqlite3;

/* Creates the table and its index when missing; 0, or -1 with err. */
int outbox_schema(struct sqlite3 *db, char *err, size_t errlen);

/* A prepared INSERT into the outbox of one connection. */
struct outbox_writer;

/* NULL with a reason in err. The connection must outlive the writer. */
struct outbox_writer *outbox_writer_new(struct sqlite3 *db, char *err,
					size_t errlen);

/*
 * Adds one message (topic, key, value as text) to the outbox, inside the
 * transaction the caller has open on the writer's connection, so that it
 * commits or rolls back with the change it tells of. Use from one thread
 * at a time (the connection's). Returns 0, or -1 (sqlite3_errmsg says why).
 */
int outbox_writer_add(struct outbox_writer *w, const char *topic,
		      const char *key, const char *value, double now_ms);

void outbox_writer_free(struct outbox_writer *w);

/*
 * Rows not yet confirmed into *pending and the creation time (wall ms) of
 * the oldest into *oldest_ms (0 when none), read on the caller's
 * connection. 0, or -1.
 */
int outbox_pending(struct sqlite3 *db, int64_t *pending, double *oldest_ms);

/* ---- The relay -------------------------------------------------------- */

struct outbox_relay_config {
	const char *db_path;     /* the service's database file */
	const char *brokers;
	const struct kafka_props *props; /* -X; must outlive the relay. Only
					  * producer properties are applied */
	const char *client_id;   /* "reviews-svc" */
	long retention_s;        /* sent rows older than this are deleted
				  * (default one hour) */
};

struct outbox_relay;

/*
 * Opens its own connection to db_path, creates the producer
 * (enable.idempotence, acks=all, linger.ms=1; -X wins) and starts the
 * thread. A broker that cannot be reached is not an error: rows wait.
 * Returns NULL with a reason in err.
 */
struct outbox_relay *outbox_relay_start(const struct outbox_relay_config *cfg,
					char *err, size_t errlen);

/* Wakes the relay after a commit; any thread, never blocks; NULL no-op. */
void outbox_relay_kick(struct outbox_relay *r);

/* 1 when the producer reached a broker lately, 0 when not. */
int outbox_relay_broker_up(const struct outbox_relay *r);

/* Messages Kafka confirmed, and deliveries that failed (to be retried). */
void outbox_relay_counts(const struct outbox_relay *r, uint64_t *published,
			 uint64_t *failed);

/*
 * Publishes what is pending, gives deliveries up to flush_ms to be
 * confirmed, marks them and stops. Rows left unconfirmed go out on the
 * next start. NULL is a no-op.
 */
void outbox_relay_stop(struct outbox_relay *r, int flush_ms);

#endif
