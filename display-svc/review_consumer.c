/*
 * The review.events loop. Its shape follows the store.events runtime
 * (consumer/consumer.c): gather a batch, dead-letter what cannot be
 * decoded, settle the rest, publish reactions, commit or retry.
 */
#include "display-svc/review_consumer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/reaction.h"
#include "common/clock.h"
#include "common/kafka_refetch.h"
#include "common/log.h"
#include "display-svc/doc.h"

#define POLL_WAIT_MS 100
#define BACKOFF_MIN_MS 100.0
#define BACKOFF_MAX_MS 5000.0
/* A summary is one small row: a slower answer means trouble. */
#define REVIEWS_TIMEOUT_MS 3000
#define DLQ_FLUSH_MS 10000
#define SERVICE "display"
#define SOURCE TOPIC_REVIEW_EVENTS

struct part_range {
	int32_t partition;
	int64_t first;
	int64_t last;
};

struct display_reviews {
	rd_kafka_t *rk;
	rd_kafka_t *producer;
	struct api_client *reviews;
	struct display_review_port port;
	struct display_stats *stats;
	size_t batch_max;

	rd_kafka_message_t **msgs;
	size_t nmsgs;
	double received_ms;
	struct display_review_batch batch;
	struct part_range *ranges;
	size_t nranges;

	double backoff_ms;    /* the next failure's wait */
	unsigned failures;    /* consecutive failed batches */
	int backing_off;
	struct kafka_refetch refetch; /* assign again (offsets lost) */
	int dlq_failed;
	volatile int fatal;
};

static int dlq_marker;

/* Properties only a consumer takes; the producer would warn about them. */
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

static const char *prop(const struct kafka_props *props, const char *key)
{
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (strcmp(props->key[i], key) == 0)
			return props->value[i];
	return NULL;
}

static void on_kafka_log(const rd_kafka_t *rk, int level, const char *fac,
			 const char *buf)
{
	(void)rk;
	if (level <= 3)
		log_error("reviews kafka %s: %s", fac, buf);
	else if (level == 4)
		log_warn("reviews kafka %s: %s", fac, buf);
	else
		log_info("reviews kafka %s: %s", fac, buf);
}

static void on_kafka_error(rd_kafka_t *rk, int err, const char *reason,
			   void *opaque)
{
	struct display_reviews *r = opaque;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		r->fatal = 1;
		log_error("reviews kafka fatal error: %s", reason);
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__TRANSPORT)
		return;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		log_warn("reviews kafka: %s", reason);
	else
		log_error("reviews kafka: %s: %s", rd_kafka_err2name(err), reason);
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
			void *opaque)
{
	struct display_reviews *r = opaque;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	if (m->_private == &dlq_marker) {
		r->dlq_failed++;
		log_error("dead letter not delivered to %s: %s",
			  TOPIC_STORE_EVENTS_DLQ, rd_kafka_err2str(m->err));
	} else {
		log_warn("reaction not delivered to %s: %s",
			 TOPIC_STORE_REACTIONS, rd_kafka_err2str(m->err));
	}
}

/* Assignment changes, eager or cooperative (see consumer/consumer.c). */
static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			 rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct display_reviews *r = opaque;
	int cooperative = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	rd_kafka_error_t *error = NULL;
	rd_kafka_resp_err_t ret = RD_KAFKA_RESP_ERR_NO_ERROR;

	switch (err) {
	case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
		log_info("reviews consumer: assigned %d partition(s) of %s",
			 parts->cnt, TOPIC_REVIEW_EVENTS);
		if (cooperative)
			error = rd_kafka_incremental_assign(rk, parts);
		else
			ret = rd_kafka_assign(rk, parts);
		/* A partition keeps its paused state across revoke and
		 * assign: set it for every new assignment. */
		if (r->backing_off)
			rd_kafka_pause_partitions(rk, parts);
		else
			rd_kafka_resume_partitions(rk, parts);
		break;
	case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
		log_info("reviews consumer: %s %d partition(s)",
			 rd_kafka_assignment_lost(rk) ? "lost" : "revoked",
			 parts->cnt);
		if (cooperative)
			error = rd_kafka_incremental_unassign(rk, parts);
		else
			ret = rd_kafka_assign(rk, NULL);
		break;
	default:
		log_error("reviews consumer: rebalance failed: %s",
			  rd_kafka_err2str(err));
		rd_kafka_assign(rk, NULL);
		break;
	}
	if (error != NULL) {
		log_error("reviews consumer: incremental assignment failed: %s",
			  rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	} else if (ret != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("reviews consumer: assignment failed: %s",
			  rd_kafka_err2str(ret));
	}
}

static rd_kafka_conf_t *consumer_conf(struct display_reviews *r,
				      const struct display_reviews_config *cfg,
				      char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = kafka_conf_new(cfg->brokers, cfg->props, err,
					       errlen);
	const char *base = prop(cfg->props, "group.id");
	char group[128];

	if (conf == NULL)
		return NULL;
	/* Its own group beside the store.events runtime's, always: the two
	 * consumers subscribe to different topics. */
	snprintf(group, sizeof(group), "%s-reviews", base ? base : "display-svc");
	if (kafka_conf_set(conf, "group.id", group, err, errlen) ||
	    kafka_conf_set(conf, "client.id", "display-svc-reviews", err,
			   errlen) ||
	    (prop(cfg->props, "auto.offset.reset") == NULL &&
	     kafka_conf_set(conf, "auto.offset.reset", "earliest", err, errlen)) ||
	    kafka_conf_set(conf, "enable.auto.commit", "false", err, errlen) ||
	    kafka_conf_set(conf, "enable.auto.offset.store", "false", err,
			   errlen)) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rd_kafka_conf_set_opaque(conf, r);
	rd_kafka_conf_set_log_cb(conf, on_kafka_log);
	rd_kafka_conf_set_error_cb(conf, on_kafka_error);
	rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
	return conf;
}

static rd_kafka_conf_t *producer_conf(struct display_reviews *r,
				      const struct display_reviews_config *cfg,
				      char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = kafka_conf_new(cfg->brokers, NULL, err, errlen);
	const struct kafka_props *props = cfg->props;

	if (conf == NULL)
		return NULL;
	if (kafka_conf_set(conf, "linger.ms", "1", err, errlen) ||
	    kafka_conf_set(conf, "client.id", "display-svc-reviews", err,
			   errlen))
		goto fail;
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (!consumer_only(props->key[i]) &&
		    kafka_conf_set(conf, props->key[i], props->value[i], err,
				   errlen))
			goto fail;
	rd_kafka_conf_set_opaque(conf, r);
	rd_kafka_conf_set_log_cb(conf, on_kafka_log);
	rd_kafka_conf_set_error_cb(conf, on_kafka_error);
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	return conf;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

struct display_reviews *display_reviews_new(
	const struct display_reviews_config *cfg,
	const struct display_review_port *port, struct display_stats *stats,
	char *err, size_t errlen)
{
	struct display_reviews *r = calloc(1, sizeof(*r));
	rd_kafka_topic_partition_list_t *topics;
	rd_kafka_conf_t *conf;
	rd_kafka_resp_err_t kerr;
	char why[512];

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->port = *port;
	r->refetch.who = "reviews consumer";
	r->stats = stats;
	r->batch_max = cfg->batch_max > 0 ? (size_t)cfg->batch_max : 500;
	r->backoff_ms = BACKOFF_MIN_MS;
	display_review_batch_init(&r->batch);
	r->msgs = calloc(r->batch_max, sizeof(*r->msgs));
	r->ranges = calloc(r->batch_max, sizeof(*r->ranges));
	if (r->msgs == NULL || r->ranges == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	r->reviews = api_client_new(cfg->reviews_api, NULL, REVIEWS_TIMEOUT_MS);
	if (r->reviews == NULL) {
		snprintf(err, errlen, "cannot create the reviews-svc client");
		goto fail;
	}
	conf = producer_conf(r, cfg, err, errlen);
	if (conf == NULL)
		goto fail;
	r->producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (r->producer == NULL) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "kafka producer: %s", why);
		goto fail;
	}
	conf = consumer_conf(r, cfg, err, errlen);
	if (conf == NULL)
		goto fail;
	r->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof(why));
	if (r->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "kafka consumer: %s", why);
		goto fail;
	}
	rd_kafka_poll_set_consumer(r->rk);
	topics = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(topics, TOPIC_REVIEW_EVENTS,
					  RD_KAFKA_PARTITION_UA);
	kerr = rd_kafka_subscribe(r->rk, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	if (kerr != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "subscribing to %s: %s",
			 TOPIC_REVIEW_EVENTS, rd_kafka_err2str(kerr));
		goto fail;
	}
	return r;
fail:
	display_reviews_free(r);
	return NULL;
}

void display_reviews_free(struct display_reviews *r)
{
	if (r == NULL)
		return;
	if (r->rk != NULL)
		kafka_consumer_destroy_bounded(r->rk, KAFKA_CLOSE_WAIT_MS);
	if (r->producer != NULL) {
		if (rd_kafka_flush(r->producer, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warn("%d review reactions not delivered before exit",
				 rd_kafka_outq_len(r->producer));
		rd_kafka_destroy(r->producer);
	}
	for (size_t i = 0; i < r->nmsgs; i++)
		rd_kafka_message_destroy(r->msgs[i]);
	api_client_free(r->reviews);
	display_review_batch_free(&r->batch);
	free(r->msgs);
	free(r->ranges);
	free(r);
}

/* The summary source: GET /stores/{id}/reviews/summary on reviews-svc. */
static enum display_review_answer fetch_summary(void *ctx, int64_t store_id,
						json_t **summary, char *error,
						size_t errlen)
{
	struct display_reviews *r = ctx;
	struct api_result res;
	char path[64], why[200];
	enum display_review_answer answer = REVIEW_ANSWER_FAILED;

	memset(&res, 0, sizeof(res));
	snprintf(path, sizeof(path), "/stores/%" PRId64 "/reviews/summary",
		 store_id);
	if (api_request(r->reviews, "GET", path, NULL, 0, &res) != 0) {
		snprintf(error, errlen, "reviews-svc unreachable: %.200s",
			 res.error);
	} else if (res.status == 200) {
		*summary = display_doc_summary(res.body, store_id, why,
					       sizeof(why));
		if (*summary != NULL)
			answer = REVIEW_ANSWER_SUMMARY;
		else
			snprintf(error, errlen, "reviews-svc: %s", why);
	} else if (res.status == 404 || res.status == 410) {
		answer = REVIEW_ANSWER_GONE;
	} else {
		snprintf(error, errlen, "reviews-svc answered %ld: %.200s",
			 res.status, res.error);
	}
	api_result_clear(&res);
	display_stats_review_fetch(r->stats,
				   answer == REVIEW_ANSWER_SUMMARY ? DISPLAY_FETCH_OK :
				   answer == REVIEW_ANSWER_GONE ? DISPLAY_FETCH_GONE :
								 DISPLAY_FETCH_FAILED);
	return answer;
}

static void range_note(struct part_range *ranges, size_t *n, int32_t partition,
		       int64_t offset)
{
	for (size_t i = 0; i < *n; i++) {
		if (ranges[i].partition != partition)
			continue;
		if (offset < ranges[i].first)
			ranges[i].first = offset;
		if (offset > ranges[i].last)
			ranges[i].last = offset;
		return;
	}
	ranges[*n].partition = partition;
	ranges[*n].first = ranges[*n].last = offset;
	(*n)++;
}

static void gather(struct display_reviews *r)
{
	rd_kafka_message_t *m;

	kafka_refetch_due(&r->refetch, r->rk, r->backing_off);
	m = rd_kafka_consumer_poll(r->rk, POLL_WAIT_MS);

	r->nmsgs = 0;
	while (m != NULL) {
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (r->nmsgs == 0)
				r->received_ms = clock_mono_ms();
			r->msgs[r->nmsgs++] = m;
		} else {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF &&
			    !kafka_refetch_note(&r->refetch, m))
				log_warn("reviews consumer: %s",
					 rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
		}
		if (r->nmsgs == r->batch_max)
			break;
		m = rd_kafka_consumer_poll(r->rk, 0);
	}
}

static void produce(struct display_reviews *r, const char *topic,
		    const void *key, size_t key_len, const void *value,
		    size_t value_len, rd_kafka_headers_t *headers, void *opaque)
{
	rd_kafka_resp_err_t err;

	for (int attempt = 0;; attempt++) {
		rd_kafka_headers_t *h = headers ? rd_kafka_headers_copy(headers) : NULL;

		err = rd_kafka_producev(r->producer, RD_KAFKA_V_TOPIC(topic),
					RD_KAFKA_V_KEY(key, key_len),
					RD_KAFKA_V_VALUE((void *)value, value_len),
					RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
					RD_KAFKA_V_HEADERS(h),
					RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			return;
		if (h != NULL)
			rd_kafka_headers_destroy(h);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || attempt == 2)
			break;
		rd_kafka_poll(r->producer, 100);
	}
	if (opaque == &dlq_marker)
		r->dlq_failed++;
	log_error("cannot produce to %s: %s", topic, rd_kafka_err2str(err));
}

/* The message unchanged on the dead-letter topic, why in its headers
 * (the same headers as the store.events runtime's dead letters). */
static void dead_letter(struct display_reviews *r, const rd_kafka_message_t *m,
			const char *reason)
{
	rd_kafka_headers_t *h = rd_kafka_headers_new(6);
	char part[16], offset[24], at[32];

	snprintf(part, sizeof(part), "%" PRId32, m->partition);
	snprintf(offset, sizeof(offset), "%" PRId64, m->offset);
	clock_format_iso(clock_wall_ms(), at, sizeof(at));
	rd_kafka_header_add(h, "dlq.reason", -1, reason, -1);
	rd_kafka_header_add(h, "dlq.service", -1, SERVICE, -1);
	rd_kafka_header_add(h, "dlq.topic", -1, rd_kafka_topic_name(m->rkt), -1);
	rd_kafka_header_add(h, "dlq.partition", -1, part, -1);
	rd_kafka_header_add(h, "dlq.offset", -1, offset, -1);
	rd_kafka_header_add(h, "dlq.at", -1, at, -1);
	produce(r, TOPIC_STORE_EVENTS_DLQ, m->key, m->key_len, m->payload,
		m->len, h, &dlq_marker);
	rd_kafka_headers_destroy(h);
	display_stats_review_dead(r->stats);
	log_warn("dead-lettered %s[%" PRId32 "]@%" PRId64 ": %s",
		 rd_kafka_topic_name(m->rkt), m->partition, m->offset, reason);
}

static void publish_reaction(struct display_reviews *r,
			     const struct display_review_entry *e)
{
	struct store_reaction rec;
	double wall_done = clock_wall_ms() - (clock_mono_ms() - e->done_ms);
	char key[24];
	char *json;

	memset(&rec, 0, sizeof(rec));
	snprintf(rec.service, sizeof(rec.service), "%s", SERVICE);
	rec.store_id = e->store_id;
	rec.event_version = e->version;
	rec.applied_version = e->applied_version;
	rec.action = e->action;
	rec.coalesced = e->coalesced;
	rec.took_ms = e->done_ms - r->received_ms;
	rec.lag_ms = e->first_at_ms > 0 ? wall_done - e->first_at_ms : 0;
	if (rec.lag_ms < 0)
		rec.lag_ms = 0;
	snprintf(rec.error, sizeof(rec.error), "%s", e->error);
	rec.at_ms = wall_done;
	snprintf(rec.source, sizeof(rec.source), "%s", SOURCE);
	display_stats_review_reaction(r->stats, e->action);
	json = store_reaction_encode(&rec);
	if (json == NULL) {
		log_error("cannot encode the review reaction for store %" PRId64,
			  e->store_id);
		return;
	}
	snprintf(key, sizeof(key), "%" PRId64, e->store_id);
	produce(r, TOPIC_STORE_REACTIONS, key, strlen(key), json, strlen(json),
		NULL, NULL);
	free(json);
}

/* 0 when every store is settled and the offsets may be committed. */
static int process_batch(struct display_reviews *r)
{
	struct display_review_source source = { r, fetch_summary };
	char reason[256];
	size_t dead = 0, failed;

	display_review_batch_reset(&r->batch);
	r->nranges = 0;
	r->dlq_failed = 0;
	display_stats_review_seen(r->stats, (unsigned)r->nmsgs);
	for (size_t i = 0; i < r->nmsgs; i++) {
		const rd_kafka_message_t *m = r->msgs[i];
		struct display_review_event ev;

		range_note(r->ranges, &r->nranges, m->partition, m->offset);
		if (display_review_decode(m->key, m->key_len, m->payload, m->len,
					  &ev, reason, sizeof(reason))) {
			dead_letter(r, m, reason);
			dead++;
		} else if (display_review_batch_add(&r->batch, &ev)) {
			log_error("out of memory collapsing a review batch");
			return -1;
		}
	}
	failed = display_review_batch_settle(&r->batch, &r->port, &source,
					     clock_mono_ms);
	for (size_t k = 0; k < r->batch.n; k++) {
		const struct display_review_entry *e = &r->batch.entries[k];

		/* A failed batch comes round again; its skips are said then. */
		if (failed && e->action == REACTION_SKIPPED_STALE)
			continue;
		publish_reaction(r, e);
	}
	for (size_t k = 0; failed && k < r->batch.n; k++)
		if (r->batch.entries[k].action == REACTION_FAILED) {
			log_error("reviews consumer: %zu store(s) failed, "
				  "first %" PRId64 ": %s; retrying", failed,
				  r->batch.entries[k].store_id,
				  r->batch.entries[k].error);
			break;
		}
	rd_kafka_poll(r->producer, 0);
	if (dead > 0) {
		rd_kafka_flush(r->producer, DLQ_FLUSH_MS);
		if (r->dlq_failed > 0 || rd_kafka_outq_len(r->producer) > 0) {
			log_error("dead letters not confirmed; retrying the batch");
			return -1;
		}
	}
	return failed ? -1 : 0;
}

static void commit_batch(struct display_reviews *r)
{
	rd_kafka_topic_partition_list_t *offs =
		rd_kafka_topic_partition_list_new((int)r->nranges);
	rd_kafka_resp_err_t err;

	for (size_t i = 0; i < r->nranges; i++)
		rd_kafka_topic_partition_list_add(offs, TOPIC_REVIEW_EVENTS,
						  r->ranges[i].partition)
			->offset = r->ranges[i].last + 1;
	err = kafka_commit_bounded(r->rk, offs, KAFKA_COMMIT_WAIT_MS);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		/* A rebalance took the partition; its new owner redoes the
		 * batch, which is harmless since applying is idempotent. */
		log_warn("reviews consumer: committing offsets: %s",
			 rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(offs);
}

/*
 * After a failed batch: pauses the assignment, waits out the backoff while
 * polling (the member stays in the group), then resumes and seeks every
 * partition of the batch back to its first offset, so the batch comes
 * round again with its offsets still uncommitted.
 */
static void retry_later(struct display_reviews *r, volatile sig_atomic_t *stop)
{
	double deadline = clock_mono_ms() + r->backoff_ms;
	rd_kafka_topic_partition_list_t *now = NULL, *seek;
	rd_kafka_error_t *error;

	r->failures++;
	display_stats_review_failing(r->stats, r->failures);
	r->backoff_ms = r->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
							   : r->backoff_ms * 2;
	r->backing_off = 1;
	if (rd_kafka_assignment(r->rk, &now) == RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_pause_partitions(r->rk, now);
		rd_kafka_topic_partition_list_destroy(now);
	}
	while (!*stop && !r->fatal) {
		double left = deadline - clock_mono_ms();
		rd_kafka_message_t *m;

		if (left <= 0)
			break;
		m = rd_kafka_consumer_poll(r->rk, left < POLL_WAIT_MS ?
							  (int)left + 1 :
							  POLL_WAIT_MS);
		/* A message of a new assignment slipped through: rewind it
		 * too. */
		if (m != NULL && m->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    r->nranges < r->batch_max)
			range_note(r->ranges, &r->nranges, m->partition,
				   m->offset);
		else if (m != NULL)
			kafka_refetch_note(&r->refetch, m);
		kafka_refetch_due(&r->refetch, r->rk, 1);
		if (m != NULL)
			rd_kafka_message_destroy(m);
		rd_kafka_poll(r->producer, 0);
	}
	if (*stop || r->fatal)
		return;
	r->backing_off = 0;
	now = NULL;
	if (rd_kafka_assignment(r->rk, &now) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	rd_kafka_resume_partitions(r->rk, now);
	seek = rd_kafka_topic_partition_list_new((int)r->nranges);
	for (size_t i = 0; i < r->nranges; i++)
		if (rd_kafka_topic_partition_list_find(now, TOPIC_REVIEW_EVENTS,
						       r->ranges[i].partition))
			rd_kafka_topic_partition_list_add(seek, TOPIC_REVIEW_EVENTS,
							  r->ranges[i].partition)
				->offset = r->ranges[i].first;
	if (seek->cnt > 0) {
		error = rd_kafka_seek_partitions(r->rk, seek, 5000);
		if (error != NULL) {
			log_error("reviews consumer: seeking back: %s",
				  rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
		}
	}
	rd_kafka_topic_partition_list_destroy(seek);
	rd_kafka_topic_partition_list_destroy(now);
}

void display_reviews_run(struct display_reviews *r, volatile sig_atomic_t *stop)
{
	while (!*stop && !r->fatal) {
		gather(r);
		rd_kafka_poll(r->producer, 0);
		if (r->nmsgs == 0)
			continue;
		if (process_batch(r) == 0) {
			commit_batch(r);
			if (r->failures > 0)
				log_info("reviews consumer: caught up after %u "
					 "failed attempt(s)", r->failures);
			r->failures = 0;
			display_stats_review_failing(r->stats, 0);
			r->backoff_ms = BACKOFF_MIN_MS;
		} else {
			retry_later(r, stop);
		}
		for (size_t i = 0; i < r->nmsgs; i++)
			rd_kafka_message_destroy(r->msgs[i]);
		r->nmsgs = 0;
	}
	if (r->fatal)
		log_error("reviews consumer: stopped after a fatal Kafka error");
}
