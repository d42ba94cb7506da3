/*
 * The consumer runtime's life cycle: Kafka configuration, rebalances, the
 * loop, and waiting out a failed batch (backoff or the open breaker). One
 * batch's work is in process.c, the counters in stats.c, lag in lag.c.
 */
#include "consumer/consumer_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
/* Store API calls give up after this long. */
#define API_TIMEOUT_MS 5000
/* Reactions still queued at exit get this long; a lost one only leaves a
 * gap in the console's live pane. */
#define EXIT_FLUSH_MS 2000

static const char *const consumer_only_prefixes[] = {
	"group.", "fetch.", "session.timeout.ms", "heartbeat.interval.ms",
	"auto.offset.reset", "enable.auto.", "auto.commit.",
	"max.poll.interval.ms", "partition.assignment.strategy", "queued.",
	"isolation.level", "check.crcs", "enable.partition.eof",
	"consume.callback.max.messages", "offset.store.",
};

static int consumer_only(const char *key)
{
	for (size_t i = 0; i < sizeof(consumer_only_prefixes) /
				    sizeof(consumer_only_prefixes[0]); i++)
		if (strncmp(key, consumer_only_prefixes[i],
			    strlen(consumer_only_prefixes[i])) == 0)
			return 1;
	return 0;
}

static int has_prop(const struct kafka_props *props, const char *key)
{
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (strcmp(props->key[i], key) == 0)
			return 1;
	return 0;
}

/* librdkafka's own log lines go through ours, at a matching level. */
static void on_kafka_log(const rd_kafka_t *rk, int level, const char *fac,
			 const char *buf)
{
	(void)rk;
	if (level <= 3)
		log_error("kafka %s: %s", fac, buf);
	else if (level == 4)
		log_warn("kafka %s: %s", fac, buf);
	else
		log_info("kafka %s: %s", fac, buf);
}

static void on_kafka_error(rd_kafka_t *rk, int err, const char *reason,
			   void *opaque)
{
	struct consumer *c = opaque;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		c->fatal = 1;
		log_error("kafka fatal error: %s", reason);
		consumer_note_error(c, "kafka fatal error: %s", reason);
		return;
	}
	/* librdkafka's own log line has already told of a lost connection. */
	if (err == RD_KAFKA_RESP_ERR__TRANSPORT)
		return;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		log_warn("kafka: %s", reason);
	else
		log_error("kafka: %s: %s", rd_kafka_err2name(err), reason);
}

/* "store.events[0,1,2]" into buf. */
static void format_partitions(const rd_kafka_topic_partition_list_t *parts,
			      char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < parts->cnt && n < len; i++) {
		const rd_kafka_topic_partition_t *p = &parts->elems[i];
		int same = i > 0 && strcmp(parts->elems[i - 1].topic, p->topic) == 0;

		n += (size_t)snprintf(buf + n, len - n, "%s%s%s%" PRId32,
				      same ? "," : (i ? "] " : ""),
				      same ? "" : p->topic, same ? "" : "[",
				      p->partition);
	}
	if (n < len)
		snprintf(buf + n, len - n, "%s", parts->cnt ? "]" : "nothing");
}

/*
 * Assignment changes, for the eager and the cooperative protocol alike
 * (as in librdkafka's rdkafka_complex_consumer_example.c). Offsets need no
 * commit here: every batch commits its own before the next poll.
 *
 * A partition keeps its paused state when it is revoked and assigned again,
 * so every new assignment is set explicitly: paused while a failed batch
 * waits for its retry, running otherwise.
 */
static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			 rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct consumer *c = opaque;
	int cooperative = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	rd_kafka_error_t *error = NULL;
	rd_kafka_resp_err_t ret = RD_KAFKA_RESP_ERR_NO_ERROR;
	char list[512];

	format_partitions(parts, list, sizeof(list));
	switch (err) {
	case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
		log_info("consumer: assigned %s", list);
		if (cooperative)
			error = rd_kafka_incremental_assign(rk, parts);
		else
			ret = rd_kafka_assign(rk, parts);
		if (c->backing_off)
			rd_kafka_pause_partitions(rk, parts);
		else
			rd_kafka_resume_partitions(rk, parts);
		consumer_note_assignment(c, parts, 1);
		break;
	case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
		log_info("consumer: %s %s",
			 rd_kafka_assignment_lost(rk) ? "lost" : "revoked", list);
		if (cooperative)
			error = rd_kafka_incremental_unassign(rk, parts);
		else
			ret = rd_kafka_assign(rk, NULL);
		/* Eager only: the mock broker cannot do cooperative ones. */
		consumer_note_assignment(c, parts, 0);
		break;
	default:
		log_error("consumer: rebalance failed: %s", rd_kafka_err2str(err));
		consumer_note_error(c, "rebalance failed: %s",
				    rd_kafka_err2str(err));
		rd_kafka_assign(rk, NULL);
		consumer_note_assignment(c, parts, 0);
		break;
	}
	if (error != NULL) {
		log_error("consumer: incremental assignment failed: %s",
			  rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	} else if (ret != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("consumer: assignment failed: %s",
			  rd_kafka_err2str(ret));
	}
}

static rd_kafka_conf_t *consumer_conf(struct consumer *c,
				      const struct consumer_config *cfg,
				      char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = kafka_conf_new(cfg->brokers, cfg->props, err,
					       errlen);
	char group[64];

	if (conf == NULL)
		return NULL;
	snprintf(group, sizeof(group), "%s-svc", cfg->service);
	/* -X may choose the group and the reset policy; the offset handling
	 * is what makes the runtime at-least-once, so it is not negotiable. */
	if ((!has_prop(cfg->props, "group.id") &&
	     kafka_conf_set(conf, "group.id", group, err, errlen)) ||
	    (!has_prop(cfg->props, "client.id") &&
	     kafka_conf_set(conf, "client.id", group, err, errlen)) ||
	    (!has_prop(cfg->props, "auto.offset.reset") &&
	     kafka_conf_set(conf, "auto.offset.reset", "earliest", err, errlen)) ||
	    kafka_conf_set(conf, "enable.auto.commit", "false", err, errlen) ||
	    kafka_conf_set(conf, "enable.auto.offset.store", "false", err,
			   errlen)) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rd_kafka_conf_set_opaque(conf, c);
	rd_kafka_conf_set_log_cb(conf, on_kafka_log);
	rd_kafka_conf_set_error_cb(conf, on_kafka_error);
	rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
	return conf;
}

static rd_kafka_conf_t *producer_conf(struct consumer *c,
				      const struct consumer_config *cfg,
				      char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = kafka_conf_new(cfg->brokers, NULL, err, errlen);
	const struct kafka_props *props = cfg->props;
	char id[64];

	if (conf == NULL)
		return NULL;
	snprintf(id, sizeof(id), "%s-svc", cfg->service);
	/* Reactions feed a live pane: send them almost at once. */
	if (kafka_conf_set(conf, "linger.ms", "1", err, errlen) ||
	    kafka_conf_set(conf, "client.id", id, err, errlen))
		goto fail;
	/* The consumer's properties would only draw warnings here. */
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (!consumer_only(props->key[i]) &&
		    kafka_conf_set(conf, props->key[i], props->value[i], err,
				   errlen))
			goto fail;
	rd_kafka_conf_set_opaque(conf, c);
	rd_kafka_conf_set_log_cb(conf, on_kafka_log);
	rd_kafka_conf_set_error_cb(conf, on_kafka_error);
	rd_kafka_conf_set_dr_msg_cb(conf, consumer_on_delivery);
	return conf;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

struct consumer *consumer_new(const struct consumer_config *cfg,
			      const struct replica_port *port, char *err,
			      size_t errlen)
{
	struct consumer *c = calloc(1, sizeof(*c));
	rd_kafka_topic_partition_list_t *topics;
	rd_kafka_conf_t *conf;
	rd_kafka_resp_err_t kerr;
	char why[512];

	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->refetch.who = "consumer";
	snprintf(c->service, sizeof(c->service), "%s", cfg->service);
	snprintf(c->group, sizeof(c->group), "%s-svc", cfg->service);
	for (size_t i = 0; cfg->props != NULL && i < cfg->props->n; i++)
		if (strcmp(cfg->props->key[i], "group.id") == 0)
			snprintf(c->group, sizeof(c->group), "%s",
				 cfg->props->value[i]);
	snprintf(c->stats.service, sizeof(c->stats.service), "%s", c->service);
	snprintf(c->stats.group, sizeof(c->stats.group), "%s", c->group);
	breaker_init(&c->breaker, &cfg->breaker);
	c->breaker_seen = c->breaker;
	c->lag_interval_ms = cfg->lag_interval_ms > 0 ? cfg->lag_interval_ms
						       : 1000;
	c->port = *port;
	c->batch_max = cfg->batch_max > 0 ? (size_t)cfg->batch_max : 500;
	batch_init(&c->batch);
	backoff_init(&c->backoff, BACKOFF_MIN_MS, BACKOFF_MAX_MS);
	c->msgs = calloc(c->batch_max, sizeof(*c->msgs));
	c->ranges = calloc(c->batch_max, sizeof(*c->ranges));
	c->ids = calloc(c->batch_max, sizeof(*c->ids));
	if (c->msgs == NULL || c->ranges == NULL || c->ids == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	c->api = api_client_new(cfg->store_api, cfg->token, API_TIMEOUT_MS);
	if (c->api == NULL) {
		snprintf(err, errlen, "cannot create the store API client");
		goto fail;
	}

	conf = producer_conf(c, cfg, err, errlen);
	if (conf == NULL)
		goto fail;
	c->producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (c->producer == NULL) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "kafka producer: %s", why);
		goto fail;
	}

	conf = consumer_conf(c, cfg, err, errlen);
	if (conf == NULL)
		goto fail;
	c->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof(why));
	if (c->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "kafka consumer: %s", why);
		goto fail;
	}
	/* Rebalances and errors arrive through consumer_poll from now on. */
	rd_kafka_poll_set_consumer(c->rk);
	topics = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(topics, TOPIC_STORE_EVENTS,
					  RD_KAFKA_PARTITION_UA);
	kerr = rd_kafka_subscribe(c->rk, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	if (kerr != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "subscribing to %s: %s",
			 TOPIC_STORE_EVENTS, rd_kafka_err2str(kerr));
		goto fail;
	}
	consumer_lag_start(c);
	return c;
fail:
	consumer_free(c);
	return NULL;
}

void consumer_free(struct consumer *c)
{
	if (c == NULL)
		return;
	/* The lag thread queries through c->rk: it goes first. */
	consumer_lag_stop(c);
	if (c->rk != NULL)
		kafka_consumer_destroy_bounded(c->rk, KAFKA_CLOSE_WAIT_MS);
	if (c->producer != NULL) {
		if (rd_kafka_flush(c->producer, EXIT_FLUSH_MS) != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warn("%d reactions not delivered before exit",
				 rd_kafka_outq_len(c->producer));
		rd_kafka_destroy(c->producer);
	}
	for (size_t i = 0; i < c->nmsgs; i++)
		rd_kafka_message_destroy(c->msgs[i]);
	api_client_free(c->api);
	batch_free(&c->batch);
	free(c->msgs);
	free(c->ranges);
	free(c->ids);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* Is partition part of the consumer's current assignment? */
static int assigned(const rd_kafka_topic_partition_list_t *now,
		    int32_t partition)
{
	return now != NULL &&
	       rd_kafka_topic_partition_list_find(now, TOPIC_STORE_EVENTS,
						   partition) != NULL;
}

/*
 * After a failed batch: pauses the assignment and waits out the backoff,
 * or the open breaker's period when that is longer, while still polling
 * (so the member stays in the group and rebalances are served), then
 * resumes and seeks every partition of the batch back to its first offset
 * so the batch comes round again; nothing is committed meanwhile. Messages
 * that slip through while paused (a new assignment) are rewound the same
 * way.
 */
static void retry_later(struct consumer *c, volatile sig_atomic_t *stop)
{
	double wait = backoff_fail(&c->backoff);
	double open = breaker_wait_ms(&c->breaker, clock_mono_ms());
	double deadline = clock_mono_ms() + (open > wait ? open : wait);
	rd_kafka_topic_partition_list_t *now = NULL, *seek;
	rd_kafka_error_t *error;

	c->backing_off = 1;
	if (rd_kafka_assignment(c->rk, &now) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_pause_partitions(c->rk, now);
		rd_kafka_topic_partition_list_destroy(now);
	}
	while (!*stop && !c->fatal) {
		double left = deadline - clock_mono_ms();
		rd_kafka_message_t *m;

		if (left <= 0)
			break;
		m = rd_kafka_consumer_poll(c->rk,
					   left < CONSUMER_POLL_WAIT_MS
						   ? (int)left + 1
						   : CONSUMER_POLL_WAIT_MS);
		if (m != NULL && m->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    c->nranges < c->batch_max)
			consumer_range_note(c->ranges, &c->nranges,
					    m->partition, m->offset);
		else if (m != NULL)
			kafka_refetch_note(&c->refetch, m);
		kafka_refetch_due(&c->refetch, c->rk, 1);
		if (m != NULL)
			rd_kafka_message_destroy(m);
		rd_kafka_poll(c->producer, 0);
	}
	if (*stop || c->fatal)
		return;

	/* Resume first: resuming restarts fetching at the consumed position,
	 * and the seek below must be the last word. */
	c->backing_off = 0;
	now = NULL;
	if (rd_kafka_assignment(c->rk, &now) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	rd_kafka_resume_partitions(c->rk, now);
	seek = rd_kafka_topic_partition_list_new((int)c->nranges);
	for (size_t i = 0; i < c->nranges; i++)
		if (assigned(now, c->ranges[i].partition))
			rd_kafka_topic_partition_list_add(seek, TOPIC_STORE_EVENTS,
							  c->ranges[i].partition)
				->offset = c->ranges[i].first;
	if (seek->cnt > 0) {
		error = rd_kafka_seek_partitions(c->rk, seek, 5000);
		if (error != NULL) {
			log_error("consumer: seeking back: %s",
				  rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
		}
		for (int i = 0; i < seek->cnt; i++)
			if (seek->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR)
				log_error("consumer: seeking %s[%" PRId32 "]: %s",
					  seek->elems[i].topic,
					  seek->elems[i].partition,
					  rd_kafka_err2str(seek->elems[i].err));
	}
	rd_kafka_topic_partition_list_destroy(seek);
	rd_kafka_topic_partition_list_destroy(now);
}

void consumer_run(struct consumer *c, volatile sig_atomic_t *stop)
{
	pthread_mutex_lock(&c->lock);
	c->stats.running = 1;
	pthread_mutex_unlock(&c->lock);
	while (!*stop && !c->fatal) {
		consumer_gather(c);
		rd_kafka_poll(c->producer, 0);
		if (c->nmsgs == 0)
			continue;
		if (consumer_process_batch(c) == 0) {
			consumer_commit_batch(c);
			backoff_succeed(&c->backoff);
		} else {
			pthread_mutex_lock(&c->lock);
			c->stats.retries++;
			pthread_mutex_unlock(&c->lock);
			retry_later(c, stop);
		}
		for (size_t i = 0; i < c->nmsgs; i++)
			rd_kafka_message_destroy(c->msgs[i]);
		c->nmsgs = 0;
	}
	pthread_mutex_lock(&c->lock);
	c->stats.running = 0;
	pthread_mutex_unlock(&c->lock);
	if (c->fatal)
		log_error("consumer: stopped after a fatal Kafka error");
}
