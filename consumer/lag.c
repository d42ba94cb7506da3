/*
 * The lag thread: every lag_interval_ms it asks Kafka for the group's
 * committed offsets and each assigned partition's high watermark, so that
 * /metrics can say how far behind the service is without ever waiting on
 * Kafka itself. It works the same against the embedded broker and a real
 * cluster (KAFKA-NOTES.md, "Lag"); it never describes consumer groups.
 *
 * The watermarks come from kafka_offsets_at (common/kafka.h), which keeps
 * its timeout with the broker gone, so stopping never waits on Kafka.
 */
#include "consumer/consumer_priv.h"

#include <errno.h>
#include <time.h>

#include "common/clock.h"
#include "common/log.h"

/* Each Kafka query gives up after this long: stopping waits at most three. */
#define LAG_QUERY_MS 500

static void measure(struct consumer *c)
{
	rd_kafka_topic_partition_list_t *list;
	int32_t parts[CONSUMER_PARTITIONS_MAX];
	int64_t committed[CONSUMER_PARTITIONS_MAX], high[CONSUMER_PARTITIONS_MAX],
		low[CONSUMER_PARTITIONS_MAX];
	size_t n;
	int need_low = 0;
	rd_kafka_resp_err_t err;

	pthread_mutex_lock(&c->lock);
	n = c->stats.nparts;
	for (size_t k = 0; k < n; k++)
		parts[k] = c->stats.parts[k].partition;
	pthread_mutex_unlock(&c->lock);
	if (n == 0)
		return;

	list = rd_kafka_topic_partition_list_new((int)n);
	for (size_t k = 0; k < n; k++)
		rd_kafka_topic_partition_list_add(list, TOPIC_STORE_EVENTS,
						  parts[k]);
	err = rd_kafka_committed(c->rk, list, LAG_QUERY_MS);
	for (size_t k = 0; k < n; k++) {
		const rd_kafka_topic_partition_t *p = &list->elems[k];

		committed[k] = err == RD_KAFKA_RESP_ERR_NO_ERROR &&
					       p->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
					       p->offset >= 0
				       ? p->offset
				       : -1;
		low[k] = -1;
		if (committed[k] < 0)
			need_low = 1;
	}
	rd_kafka_topic_partition_list_destroy(list);
	kafka_offsets_at(c->rk, TOPIC_STORE_EVENTS, parts, n, RD_KAFKA_OFFSET_END,
			 LAG_QUERY_MS, high);
	/* Nothing committed yet: the group starts from the earliest. */
	if (need_low)
		kafka_offsets_at(c->rk, TOPIC_STORE_EVENTS, parts, n,
				 RD_KAFKA_OFFSET_BEGINNING, LAG_QUERY_MS, low);

	pthread_mutex_lock(&c->lock);
	/* The assignment may have changed meanwhile: update what is still
	 * assigned, and never move a committed offset backwards (this
	 * member may have committed since the query). */
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < c->stats.nparts; i++) {
			struct consumer_partition *p = &c->stats.parts[i];
			int64_t base;

			if (p->partition != parts[k])
				continue;
			if (committed[k] > p->committed)
				p->committed = committed[k];
			if (high[k] >= 0)
				p->high = high[k];
			base = p->committed >= 0 ? p->committed : low[k];
			p->lag = p->high >= 0 && base >= 0
					 ? (p->high > base ? p->high - base : 0)
					 : -1;
		}
	}
	for (size_t k = 0; k < n; k++)
		if (high[k] >= 0) {
			/* Measured: a failed round keeps the last numbers. */
			c->stats.lag_known = 1;
			c->stats.lag_at_ms = clock_wall_ms();
			break;
		}
	pthread_mutex_unlock(&c->lock);
}

static void *lag_main(void *arg)
{
	struct consumer *c = arg;

	pthread_mutex_lock(&c->lag_lock);
	while (!c->lag_stop) {
		struct timespec until;

		pthread_mutex_unlock(&c->lag_lock);
		measure(c);
		pthread_mutex_lock(&c->lag_lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += c->lag_interval_ms / 1000;
		until.tv_nsec += (long)(c->lag_interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!c->lag_stop &&
		       pthread_cond_timedwait(&c->lag_cond, &c->lag_lock,
					      &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&c->lag_lock);
	return NULL;
}

int consumer_lag_start(struct consumer *c)
{
	pthread_condattr_t attr;
	int rc;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->lag_cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&c->lag_lock, NULL);
	c->lag_stop = 0;
	rc = pthread_create(&c->lag_thread, NULL, lag_main, c);
	if (rc != 0) {
		log_warn("consumer: no lag measurements: cannot start a thread");
		return -1;
	}
	c->lag_started = 1;
	return 0;
}

void consumer_lag_stop(struct consumer *c)
{
	if (!c->lag_started)
		return;
	pthread_mutex_lock(&c->lag_lock);
	c->lag_stop = 1;
	pthread_cond_signal(&c->lag_cond);
	pthread_mutex_unlock(&c->lag_lock);
	pthread_join(c->lag_thread, NULL);
	pthread_cond_destroy(&c->lag_cond);
	pthread_mutex_destroy(&c->lag_lock);
	c->lag_started = 0;
}
