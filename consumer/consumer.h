#ifndef STORECTL_CONSUMER_H
#define STORECTL_CONSUMER_H

#include <signal.h>
#include <stdint.h>

#include <jansson.h>

#include "common/kafka.h"

/*
 * The consumer runtime every downstream service runs (DESIGN.md, "Behaviour
 * that matters"): one consumer group per service on store.events; per poll
 * batch, events of one store collapse into one; versions not newer than the
 * replica's are skipped; the rest are fetched in one GET /stores?ids= call,
 * applied through the replica port, and only then are offsets committed.
 * One store.reactions record is published per store handled.
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
};

struct consumer;

/* Creates the consumer and subscribes. NULL with a reason in err. */
struct consumer *consumer_new(const struct consumer_config *cfg,
			      const struct replica_port *port, char *err,
			      size_t errlen);

/* Runs poll batches until *stop becomes non-zero. */
void consumer_run(struct consumer *c, volatile sig_atomic_t *stop);

/* Leaves the group, flushes reactions and frees. */
void consumer_free(struct consumer *c);

#endif
