#ifndef STORECTL_KAFKA_REFETCH_H
#define STORECTL_KAFKA_REFETCH_H

#include <librdkafka/rdkafka.h>

/*
 * librdkafka gives up on an assigned partition whose committed offset it
 * could not fetch (an OffsetFetch failing with COORDINATOR_NOT_AVAILABLE,
 * say): it stays assigned and is never fetched until the next rebalance,
 * which may never come (make chaos found favorites-svc idle for minutes;
 * librdkafka issue #5586). A consumer hands every error message it polls
 * to kafka_refetch_note and calls kafka_refetch_due from its loop; the
 * partitions are then assigned again, which fetches their offsets again.
 * Used from the consumer's thread only.
 */
struct kafka_refetch {
	const char *who;  /* names the consumer in the log */
	double at_ms;     /* assign again then; 0: no need */
};

/*
 * When m is that error, schedules assigning the partitions again (once for
 * all the partitions one failed fetch reports, and not faster than every
 * 0.5 s while the coordinator keeps failing), logs it once and returns 1;
 * else returns 0.
 */
int kafka_refetch_note(struct kafka_refetch *rf, const rd_kafka_message_t *m);

/*
 * Assigns rk's partitions again when it is time; they stay paused when
 * paused is non-zero (a consumer waiting out a backoff), else resume.
 */
void kafka_refetch_due(struct kafka_refetch *rf, rd_kafka_t *rk, int paused);

#endif
