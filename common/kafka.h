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

#endif
