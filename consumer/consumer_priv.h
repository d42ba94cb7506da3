#ifndef STORECTL_CONSUMER_PRIV_H
#define STORECTL_CONSUMER_PRIV_H

/*
 * The runtime's insides, shared by its files: consumer.c (life cycle,
 * Kafka configuration, rebalances, the loop and retries), process.c (one
 * batch: dead letters, collapse, fetch, apply, reactions, commit), stats.c
 * (counters and their rendering) and lag.c (the lag thread).
 */

#include <pthread.h>

#include "api/client.h"
#include "common/kafka_refetch.h"
#include "consumer/backoff.h"
#include "consumer/batch.h"
#include "consumer/breaker.h"
#include "consumer/consumer.h"

/* Ids per GET /stores?ids= call, so URLs stay well under header limits. */
#define CONSUMER_FETCH_CHUNK 500
/* The first poll of a batch waits this long for a message. */
#define CONSUMER_POLL_WAIT_MS 100

/* First and last offset of one partition within the current batch. */
struct part_range {
	int32_t partition;
	int64_t first;
	int64_t last;
};

struct consumer {
	char service[32];
	char group[64];
	rd_kafka_t *rk;       /* the group member on store.events */
	rd_kafka_t *producer; /* reactions and dead letters */
	struct api_client *api;
	struct replica_port port;
	size_t batch_max;

	rd_kafka_message_t **msgs;
	size_t nmsgs;
	double received_ms;   /* monotonic, when the batch's first message came */
	struct batch batch;
	struct part_range *ranges;
	size_t nranges;
	int64_t *ids;         /* stores to fetch */

	struct backoff backoff;
	int backing_off;      /* the assignment is paused until the retry */
	struct kafka_refetch refetch; /* assign again (offsets lost) */
	int dlq_failed;       /* dead letters Kafka refused, this batch */
	volatile int fatal;

	/* Owned by the runtime's thread; copied into stats under lock. */
	struct breaker breaker;

	/* Read by other threads through consumer_get_stats. */
	pthread_mutex_t lock;
	struct consumer_stats stats;
	struct breaker breaker_seen; /* c->breaker as of its last move */

	/* The lag thread. */
	pthread_t lag_thread;
	int lag_started;
	int lag_stop;          /* under lag_lock */
	int lag_interval_ms;
	pthread_mutex_t lag_lock;
	pthread_cond_t lag_cond;
};

/* Delivery reports of reactions and dead letters (process.c). */
void consumer_on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
			  void *opaque);

/* Collects one poll batch into c->msgs (process.c). */
void consumer_gather(struct consumer *c);

/*
 * Handles the gathered batch: dead letters, collapse, decide, fetch,
 * apply, reactions. Returns 0 when every store is settled and the offsets
 * may be committed, -1 when the batch must be retried (process.c).
 */
int consumer_process_batch(struct consumer *c);

/* Commits, per partition, the offset after the batch's last message. */
void consumer_commit_batch(struct consumer *c);

/* Widens the batch's offset range of the message's partition. */
void consumer_range_note(struct part_range *ranges, size_t *n,
			 int32_t partition, int64_t offset);

/* Records why something failed, for /health (takes c->lock). */
void consumer_note_error(struct consumer *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Copies the breaker's state into the stats (takes c->lock). */
void consumer_note_breaker(struct consumer *c);

/* Replaces the assigned partitions in the stats (takes c->lock). */
void consumer_note_assignment(struct consumer *c,
			      const rd_kafka_topic_partition_list_t *parts,
			      int assigned);

/* Starts and stops the thread that measures lag (lag.c). */
int consumer_lag_start(struct consumer *c);
void consumer_lag_stop(struct consumer *c);

#endif
