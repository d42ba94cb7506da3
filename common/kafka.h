#ifndef STORECTL_KAFKA_H
#define STORECTL_KAFKA_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

/* Topic names: see DESIGN.md "Topics and messages". */
#define TOPIC_STORE_EVENTS "store.events"
#define TOPIC_STORE_REACTIONS "store.reactions"
#define TOPIC_STORE_EVENTS_DLQ "store.events.dlq"
#define TOPIC_REVIEW_EVENTS "review.events"

#define KAFKA_PROPS_MAX 32

/* How long a consumer waits for a commit's answer, and for leaving its
 * group when it stops: a broker that hangs must not hold up either. */
#define KAFKA_COMMIT_WAIT_MS 2000
#define KAFKA_CLOSE_WAIT_MS 2000

/* librdkafka properties given as -X key=value, applied last so they win. */
struct kafka_props {
	size_t n;
	char *key[KAFKA_PROPS_MAX];
	char *value[KAFKA_PROPS_MAX];
};

/*
 * Adds "key=value" to props (copies it). Returns 0, or -1 with a reason in
 * err when the text has no '=' or the list is full.
 */
int kafka_props_add(struct kafka_props *props, const char *kv, char *err,
		    size_t errlen);

/* Adds every comma-separated "k=v" of text (the STORECTL_X variable). */
int kafka_props_add_list(struct kafka_props *props, const char *text,
			 char *err, size_t errlen);

void kafka_props_free(struct kafka_props *props);

/*
 * A new configuration with bootstrap.servers = brokers, then every property
 * of props (may be NULL). Returns NULL with the reason in err when librdkafka
 * refuses a property. The caller owns the result (rd_kafka_new takes it).
 */
rd_kafka_conf_t *kafka_conf_new(const char *brokers,
				const struct kafka_props *props, char *err,
				size_t errlen);

/* Sets one property; returns 0 or -1 with librdkafka's reason in err. */
int kafka_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
		   char *err, size_t errlen);

/*
 * Offsets of partitions parts[0..n) of topic at "when": RD_KAFKA_OFFSET_END
 * for the high watermarks, RD_KAFKA_OFFSET_BEGINNING for the low ones, into
 * out[0..n); -1 where unknown. Waits at most timeout_ms, even with the broker
 * gone: rd_kafka_query_watermark_offsets ignores its timeout then in
 * librdkafka 2.0.2 (issues 2588 and 4460) and would hold up shutdown.
 */
void kafka_offsets_at(rd_kafka_t *rk, const char *topic, const int32_t *parts,
		      size_t n, int64_t when, int timeout_ms, int64_t *out);

/*
 * Reads librdkafka's statistics JSON (statistics.interval.ms): 1 when any
 * broker is connected ("state":"UP"), 0 when none is, -1 when the text is
 * not statistics. Producers use it to say on /health that Kafka is back
 * before their next delivery.
 */
int kafka_stats_broker_up(const char *json, size_t len);

/*
 * Commits offsets like rd_kafka_commit, but waits at most timeout_ms for
 * the coordinator's answer: with a broker that hangs, a synchronous commit
 * waits a whole request timeout and holds up stopping. Returns the commit's
 * error, or RD_KAFKA_RESP_ERR__TIMED_OUT; a commit that did not land only
 * makes the batch be read again, which consumers handle.
 */
rd_kafka_resp_err_t kafka_commit_bounded(
	rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *offsets,
	int timeout_ms);

/*
 * Leaves the consumer group and destroys the consumer rk, giving the broker
 * at most timeout_ms to answer: rd_kafka_consumer_close waits for a hung
 * broker's LeaveGroup timeout. Revocations during the close are honoured.
 */
void kafka_consumer_destroy_bounded(rd_kafka_t *rk, int timeout_ms);

#endif
