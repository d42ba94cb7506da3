#include "consumer/consumer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/reaction.h"
#include "common/clock.h"
#include "common/log.h"
#include "consumer/apply.h"
#include "consumer/backoff.h"
#include "consumer/batch.h"
#include "consumer/decode.h"

/* Ids per GET /stores?ids= call, so URLs stay well under header limits. */
#define FETCH_CHUNK 500
/* The first poll of a batch waits this long for a message. */
#define POLL_WAIT_MS 100
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
/* Store API calls give up after this long. */
#define API_TIMEOUT_MS 5000
/* How long a batch waits for its dead-letter messages to be confirmed. */
#define DLQ_FLUSH_MS 10000

/* First and last offset of one partition within the current batch. */
struct part_range {
	int32_t partition;
	int64_t first;
	int64_t last;
};

struct consumer {
	char service[32];
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
	int dlq_failed;       /* dead letters Kafka refused, this batch */
	volatile int fatal;
};

/* The delivery-report opaque that marks a dead letter. */
static int dlq_marker;

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

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
			void *opaque)
{
	struct consumer *c = opaque;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	if (m->_private == &dlq_marker) {
		c->dlq_failed++;
		log_error("dead letter not delivered to %s: %s",
			  TOPIC_STORE_EVENTS_DLQ, rd_kafka_err2str(m->err));
	} else {
		log_warn("reaction not delivered to %s: %s",
			 TOPIC_STORE_REACTIONS, rd_kafka_err2str(m->err));
	}
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
		break;
	case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
		log_info("consumer: %s %s",
			 rd_kafka_assignment_lost(rk) ? "lost" : "revoked", list);
		if (cooperative)
			error = rd_kafka_incremental_unassign(rk, parts);
		else
			ret = rd_kafka_assign(rk, NULL);
		break;
	default:
		log_error("consumer: rebalance failed: %s", rd_kafka_err2str(err));
		rd_kafka_assign(rk, NULL);
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
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
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
	snprintf(c->service, sizeof(c->service), "%s", cfg->service);
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
	return c;
fail:
	consumer_free(c);
	return NULL;
}

void consumer_free(struct consumer *c)
{
	if (c == NULL)
		return;
	if (c->rk != NULL) {
		rd_kafka_resp_err_t err = rd_kafka_consumer_close(c->rk);

		if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warn("consumer: leaving the group: %s",
				 rd_kafka_err2str(err));
		rd_kafka_destroy(c->rk);
	}
	if (c->producer != NULL) {
		if (rd_kafka_flush(c->producer, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
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
	free(c);
}

/* Widens the batch's offset range of the message's partition. */
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

/*
 * Collects one poll batch into c->msgs: the first poll waits up to
 * POLL_WAIT_MS, then whatever is already there is drained, up to batch_max.
 */
static void gather(struct consumer *c)
{
	rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, POLL_WAIT_MS);

	c->nmsgs = 0;
	while (m != NULL) {
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (c->nmsgs == 0)
				c->received_ms = clock_mono_ms();
			c->msgs[c->nmsgs++] = m;
		} else {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
				log_warn("consumer: %s",
					 rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
		}
		if (c->nmsgs == c->batch_max)
			break;
		m = rd_kafka_consumer_poll(c->rk, 0);
	}
}

static void produce(struct consumer *c, const char *topic, const void *key,
		    size_t key_len, const void *value, size_t value_len,
		    rd_kafka_headers_t *headers, void *opaque)
{
	rd_kafka_resp_err_t err;

	for (int attempt = 0;; attempt++) {
		/* producev takes the headers only when it succeeds. */
		rd_kafka_headers_t *h = headers ? rd_kafka_headers_copy(headers) : NULL;

		err = rd_kafka_producev(c->producer, RD_KAFKA_V_TOPIC(topic),
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
		rd_kafka_poll(c->producer, 100);
	}
	if (opaque == &dlq_marker)
		c->dlq_failed++;
	log_error("cannot produce to %s: %s", topic, rd_kafka_err2str(err));
}

/*
 * Sends a message that cannot be decoded to the dead-letter topic: the
 * original key and value unchanged, and why in headers (dlq.reason,
 * dlq.service, dlq.topic, dlq.partition, dlq.offset, dlq.at).
 */
static void dead_letter(struct consumer *c, const rd_kafka_message_t *m,
			const char *reason)
{
	rd_kafka_headers_t *h = rd_kafka_headers_new(6);
	char part[16], offset[24], at[32];

	snprintf(part, sizeof(part), "%" PRId32, m->partition);
	snprintf(offset, sizeof(offset), "%" PRId64, m->offset);
	clock_format_iso(clock_wall_ms(), at, sizeof(at));
	rd_kafka_header_add(h, "dlq.reason", -1, reason, -1);
	rd_kafka_header_add(h, "dlq.service", -1, c->service, -1);
	rd_kafka_header_add(h, "dlq.topic", -1, rd_kafka_topic_name(m->rkt), -1);
	rd_kafka_header_add(h, "dlq.partition", -1, part, -1);
	rd_kafka_header_add(h, "dlq.offset", -1, offset, -1);
	rd_kafka_header_add(h, "dlq.at", -1, at, -1);
	produce(c, TOPIC_STORE_EVENTS_DLQ, m->key, m->key_len, m->payload,
		m->len, h, &dlq_marker);
	rd_kafka_headers_destroy(h);
	log_warn("dead-lettered %s[%" PRId32 "]@%" PRId64 ": %s",
		 rd_kafka_topic_name(m->rkt), m->partition, m->offset, reason);
}

static void publish_reaction(struct consumer *c, const struct batch_entry *e)
{
	struct store_reaction r;
	double wall_done = clock_wall_ms() - (clock_mono_ms() - e->done_ms);
	char key[24];
	char *json;

	memset(&r, 0, sizeof(r));
	snprintf(r.service, sizeof(r.service), "%s", c->service);
	r.store_id = e->store_id;
	r.event_version = e->version;
	r.applied_version = e->applied_version;
	r.action = e->action;
	r.coalesced = e->coalesced;
	r.took_ms = e->done_ms - c->received_ms;
	r.lag_ms = e->first_at_ms > 0 ? wall_done - e->first_at_ms : 0;
	if (r.lag_ms < 0)
		r.lag_ms = 0;
	snprintf(r.error, sizeof(r.error), "%s", e->error);
	r.at_ms = wall_done;
	json = store_reaction_encode(&r);
	if (json == NULL) {
		log_error("cannot encode the reaction for store %" PRId64,
			  e->store_id);
		return;
	}
	snprintf(key, sizeof(key), "%" PRId64, e->store_id);
	produce(c, TOPIC_STORE_REACTIONS, key, strlen(key), json, strlen(json),
		NULL, NULL);
	free(json);
}

/* Marks every entry without an outcome failed (a held-version lookup broke). */
static void fail_undecided(struct batch *b, const char *error)
{
	for (size_t k = 0; k < b->n; k++)
		if (b->entries[k].action == 0)
			batch_entry_finish(&b->entries[k], REACTION_FAILED,
					   b->entries[k].held_version, error,
					   clock_mono_ms());
}

/*
 * The client's transport errors read "GET <url>: <reason>"; the URL lists
 * up to FETCH_CHUNK ids and says nothing a reaction's reader needs.
 */
static const char *transport_reason(const char *error)
{
	const char *p = error, *next;

	while ((next = strstr(p, ": ")) != NULL)
		p = next + 2;
	return p;
}

/*
 * Fetches the stores to fetch in chunks of FETCH_CHUNK and applies them.
 * Returns the number of stores that failed.
 */
static size_t fetch_and_apply(struct consumer *c, const char *attempt)
{
	size_t nids = 0, failed = 0;
	char why[BATCH_ERROR_MAX];

	for (size_t k = 0; k < c->batch.n; k++)
		if (c->batch.entries[k].decision == BATCH_FETCH)
			c->ids[nids++] = c->batch.entries[k].store_id;
	for (size_t off = 0; off < nids; off += FETCH_CHUNK) {
		size_t n = nids - off < FETCH_CHUNK ? nids - off : FETCH_CHUNK;
		struct api_result res;
		int rc = api_stores_get_many(c->api, c->ids + off, n, &res);

		if (rc == 0 && res.status == 200) {
			failed += apply_fetched(&c->batch, c->ids + off, n,
						res.body, &c->port);
		} else {
			if (rc != 0)
				snprintf(why, sizeof(why),
					 "store API unreachable%s: %.200s",
					 attempt, transport_reason(res.error));
			else
				snprintf(why, sizeof(why),
					 "store API answered %ld%s: %.200s",
					 res.status, attempt, res.error);
			log_error("%s", why);
			/* The batch is retried whole; the rest need not wait. */
			failed += apply_fail_pending(&c->batch, why);
			api_result_clear(&res);
			break;
		}
		api_result_clear(&res);
	}
	return failed;
}

/*
 * Handles the gathered batch: dead letters, collapse, decide, fetch, apply,
 * reactions. Returns 0 when every store is settled and the offsets may be
 * committed, -1 when the batch must be retried.
 */
static int process_batch(struct consumer *c)
{
	char reason[256], attempt[32] = "";
	size_t dead = 0, failed = 0;
	int nfetch;

	batch_reset(&c->batch);
	c->nranges = 0;
	c->dlq_failed = 0;
	if (c->backoff.failures > 0)
		snprintf(attempt, sizeof(attempt), " (attempt %u)",
			 c->backoff.failures + 1);

	for (size_t i = 0; i < c->nmsgs; i++) {
		const rd_kafka_message_t *m = c->msgs[i];
		struct store_event ev;

		range_note(c->ranges, &c->nranges, m->partition, m->offset);
		if (consumer_decode_message(m->key, m->key_len, m->payload,
					    m->len, &ev, reason,
					    sizeof(reason))) {
			dead_letter(c, m, reason);
			dead++;
		} else if (batch_add(&c->batch, &ev)) {
			log_error("out of memory collapsing a batch");
			return -1;
		}
	}

	nfetch = batch_decide(&c->batch, c->port.held_version, c->port.ctx,
			      c->port.fields, clock_mono_ms());
	if (nfetch < 0) {
		snprintf(reason, sizeof(reason),
			 "replica: cannot read the held version%s", attempt);
		log_error("%s", reason);
		fail_undecided(&c->batch, reason);
		failed = 1;
	} else if (nfetch > 0) {
		failed = fetch_and_apply(c, attempt);
	}

	for (size_t k = 0; k < c->batch.n; k++) {
		const struct batch_entry *e = &c->batch.entries[k];

		/* A failed batch comes round again; its skips are said then. */
		if (failed && (e->action == REACTION_SKIPPED_STALE ||
			       e->action == REACTION_SKIPPED_FIELDS))
			continue;
		publish_reaction(c, e);
	}
	rd_kafka_poll(c->producer, 0);

	/* A dead letter is handled only once Kafka holds it. */
	if (dead > 0) {
		rd_kafka_flush(c->producer, DLQ_FLUSH_MS);
		if (c->dlq_failed > 0 || rd_kafka_outq_len(c->producer) > 0) {
			log_error("dead letters not confirmed; retrying the batch");
			return -1;
		}
	}
	return failed ? -1 : 0;
}

/* Commits, per partition, the offset after the batch's last message. */
static void commit_batch(struct consumer *c)
{
	rd_kafka_topic_partition_list_t *offs =
		rd_kafka_topic_partition_list_new((int)c->nranges);
	rd_kafka_resp_err_t err;

	for (size_t i = 0; i < c->nranges; i++)
		rd_kafka_topic_partition_list_add(offs, TOPIC_STORE_EVENTS,
						  c->ranges[i].partition)
			->offset = c->ranges[i].last + 1;
	err = rd_kafka_commit(c->rk, offs, 0);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		/* Usually a rebalance took the partition: its new owner
		 * starts from the last commit and redoes the batch, which
		 * is harmless since applying is idempotent. */
		log_warn("consumer: committing offsets: %s",
			 rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(offs);
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
 * After a failed batch: pauses the assignment and waits out the backoff
 * while still polling (so the member stays in the group and rebalances are
 * served), then resumes and seeks every partition of the batch back to its
 * first offset so the batch comes round again. Messages that slip through
 * while paused (a new assignment) are rewound the same way.
 */
static void retry_later(struct consumer *c, volatile sig_atomic_t *stop)
{
	double wait = backoff_fail(&c->backoff);
	double deadline = clock_mono_ms() + wait;
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
		m = rd_kafka_consumer_poll(c->rk, left < POLL_WAIT_MS ?
							  (int)left + 1 :
							  POLL_WAIT_MS);
		if (m != NULL && m->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    c->nranges < c->batch_max)
			range_note(c->ranges, &c->nranges, m->partition,
				   m->offset);
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
	while (!*stop && !c->fatal) {
		gather(c);
		rd_kafka_poll(c->producer, 0);
		if (c->nmsgs == 0)
			continue;
		if (process_batch(c) == 0) {
			commit_batch(c);
			backoff_succeed(&c->backoff);
		} else {
			retry_later(c, stop);
		}
		for (size_t i = 0; i < c->nmsgs; i++)
			rd_kafka_message_destroy(c->msgs[i]);
		c->nmsgs = 0;
	}
	if (c->fatal)
		log_error("consumer: stopped after a fatal Kafka error");
}
