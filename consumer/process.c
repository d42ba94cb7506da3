/*
 * One poll batch of the consumer runtime: gather, dead letters, collapse,
 * decide, fetch behind the breaker, apply, reactions, commit.
 */
#include "consumer/consumer_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/reaction.h"
#include "common/clock.h"
#include "common/log.h"
#include "consumer/apply.h"
#include "consumer/decode.h"

/* How long a batch waits for its dead-letter messages to be confirmed. */
#define DLQ_FLUSH_MS 10000

/* The delivery-report opaque that marks a dead letter. */
static int dlq_marker;

void consumer_on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
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

void consumer_range_note(struct part_range *ranges, size_t *n,
			 int32_t partition, int64_t offset)
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
 * The first poll waits up to CONSUMER_POLL_WAIT_MS, then whatever is
 * already there is drained, up to batch_max.
 */
void consumer_gather(struct consumer *c)
{
	rd_kafka_message_t *m;

	kafka_refetch_due(&c->refetch, c->rk, c->backing_off);
	m = rd_kafka_consumer_poll(c->rk, CONSUMER_POLL_WAIT_MS);

	c->nmsgs = 0;
	while (m != NULL) {
		if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (c->nmsgs == 0)
				c->received_ms = clock_mono_ms();
			c->msgs[c->nmsgs++] = m;
		} else {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF &&
			    !kafka_refetch_note(&c->refetch, m))
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

/* Counts one published reaction (under c->lock). */
static void count_reaction(struct consumer_stats *s, enum reaction_action a)
{
	switch (a) {
	case REACTION_APPLIED: s->applied++; break;
	case REACTION_DELETED: s->deleted++; break;
	case REACTION_SKIPPED_STALE: s->skipped_stale++; break;
	case REACTION_SKIPPED_FIELDS: s->skipped_fields++; break;
	case REACTION_FAILED: s->failed++; break;
	}
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
 * up to CONSUMER_FETCH_CHUNK ids and says nothing a reaction's reader needs.
 */
static const char *transport_reason(const char *error)
{
	const char *p = error, *next;

	while ((next = strstr(p, ": ")) != NULL)
		p = next + 2;
	return p;
}

/* Logs the breaker's moves, once each. */
static void breaker_said(struct consumer *c, enum breaker_state before)
{
	const struct breaker *b = &c->breaker;

	if (b->state == before)
		return;
	if (b->state == BREAKER_OPEN)
		log_warn("store API circuit breaker open: no calls for %.0f ms "
			 "after %u failures in a row",
			 b->open_until_ms - clock_mono_ms(), b->failures);
	else if (b->state == BREAKER_CLOSED)
		log_info("store API circuit breaker closed: the store API answers again");
	consumer_note_breaker(c);
}

/*
 * One call for ids[0..n) through the breaker. Returns 0 with res filled
 * (the caller clears it) when the store API answered 200, or -1 with the
 * reason in why; res is then already cleared.
 */
static int fetch_chunk(struct consumer *c, const int64_t *ids, size_t n,
		       const char *attempt, struct api_result *res, char *why,
		       size_t whylen)
{
	enum breaker_state before = c->breaker.state;
	int rc;

	memset(res, 0, sizeof(*res));
	if (!breaker_allow(&c->breaker, clock_mono_ms())) {
		snprintf(why, whylen,
			 "store API circuit breaker open%s: next try in %.0f ms",
			 attempt, breaker_wait_ms(&c->breaker, clock_mono_ms()));
		pthread_mutex_lock(&c->lock);
		c->stats.fetches_refused++;
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	if (c->breaker.state == BREAKER_HALF_OPEN && before == BREAKER_OPEN) {
		log_info("store API circuit breaker half-open: one trial call");
		consumer_note_breaker(c);
		before = BREAKER_HALF_OPEN;
	}
	rc = api_stores_get_many(c->api, ids, n, res);
	if (rc == 0 && res->status == 200) {
		breaker_success(&c->breaker);
		pthread_mutex_lock(&c->lock);
		c->stats.fetches++;
		pthread_mutex_unlock(&c->lock);
		breaker_said(c, before);
		return 0;
	}
	if (rc != 0)
		snprintf(why, whylen, "store API unreachable%s: %.200s",
			 attempt, transport_reason(res->error));
	else
		snprintf(why, whylen, "store API answered %ld%s: %.200s",
			 res->status, attempt, res->error);
	api_result_clear(res);
	breaker_failure(&c->breaker, clock_mono_ms());
	pthread_mutex_lock(&c->lock);
	c->stats.fetches++;
	c->stats.fetch_errors++;
	pthread_mutex_unlock(&c->lock);
	breaker_said(c, before);
	return -1;
}

/*
 * Fetches the stores to fetch in chunks of CONSUMER_FETCH_CHUNK and applies
 * them. Returns the number of stores that failed.
 */
static size_t fetch_and_apply(struct consumer *c, const char *attempt)
{
	size_t nids = 0, failed = 0;
	char why[BATCH_ERROR_MAX];

	for (size_t k = 0; k < c->batch.n; k++)
		if (c->batch.entries[k].decision == BATCH_FETCH)
			c->ids[nids++] = c->batch.entries[k].store_id;
	for (size_t off = 0; off < nids; off += CONSUMER_FETCH_CHUNK) {
		size_t n = nids - off < CONSUMER_FETCH_CHUNK ? nids - off
							     : CONSUMER_FETCH_CHUNK;
		struct api_result res;

		if (fetch_chunk(c, c->ids + off, n, attempt, &res, why,
				sizeof(why))) {
			log_error("%s", why);
			consumer_note_error(c, "%s", why);
			/* The batch is retried whole; the rest need not wait. */
			failed += apply_fail_pending(&c->batch, why);
			break;
		}
		failed += apply_fetched(&c->batch, c->ids + off, n, res.body,
					&c->port);
		api_result_clear(&res);
	}
	return failed;
}

int consumer_process_batch(struct consumer *c)
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

	/* Every message's range first: a batch that fails part-way must
	 * still seek back over all of them. */
	for (size_t i = 0; i < c->nmsgs; i++)
		consumer_range_note(c->ranges, &c->nranges, c->msgs[i]->partition,
				    c->msgs[i]->offset);
	for (size_t i = 0; i < c->nmsgs; i++) {
		const rd_kafka_message_t *m = c->msgs[i];
		struct store_event ev;

		if (consumer_decode_message(m->key, m->key_len, m->payload,
					    m->len, &ev, reason,
					    sizeof(reason))) {
			dead_letter(c, m, reason);
			dead++;
		} else if (!store_event_is_for(&ev, c->service)) {
			/* A resync meant for another service: nothing to do. */
			continue;
		} else if (batch_add(&c->batch, &ev)) {
			log_error("out of memory collapsing a batch");
			consumer_note_error(c, "out of memory collapsing a batch");
			return -1;
		}
	}

	nfetch = batch_decide(&c->batch, c->port.held_version, c->port.ctx,
			      c->port.fields, clock_mono_ms());
	if (nfetch < 0) {
		snprintf(reason, sizeof(reason),
			 "replica: cannot read the held version%s", attempt);
		log_error("%s", reason);
		consumer_note_error(c, "%s", reason);
		fail_undecided(&c->batch, reason);
		failed = 1;
	} else if (nfetch > 0) {
		failed = fetch_and_apply(c, attempt);
	}

	pthread_mutex_lock(&c->lock);
	for (size_t k = 0; k < c->batch.n; k++) {
		const struct batch_entry *e = &c->batch.entries[k];

		/* A failed batch comes round again; its skips are said then. */
		if (failed && (e->action == REACTION_SKIPPED_STALE ||
			       e->action == REACTION_SKIPPED_FIELDS))
			continue;
		count_reaction(&c->stats, e->action);
	}
	pthread_mutex_unlock(&c->lock);
	for (size_t k = 0; k < c->batch.n; k++) {
		const struct batch_entry *e = &c->batch.entries[k];

		if (failed && (e->action == REACTION_SKIPPED_STALE ||
			       e->action == REACTION_SKIPPED_FIELDS))
			continue;
		/* Store API failures were noted when the call failed. */
		if (e->action == REACTION_FAILED &&
		    strncmp(e->error, "replica:", 8) == 0 && nfetch > 0)
			consumer_note_error(c, "store %" PRId64 ": %s",
					    e->store_id, e->error);
		publish_reaction(c, e);
	}
	rd_kafka_poll(c->producer, 0);

	/* A dead letter is handled only once Kafka holds it. */
	if (dead > 0) {
		rd_kafka_flush(c->producer, DLQ_FLUSH_MS);
		if (c->dlq_failed > 0 || rd_kafka_outq_len(c->producer) > 0) {
			log_error("dead letters not confirmed; retrying the batch");
			consumer_note_error(c, "dead letters not confirmed by Kafka");
			return -1;
		}
		pthread_mutex_lock(&c->lock);
		c->stats.dead_letters += dead;
		pthread_mutex_unlock(&c->lock);
	}
	return failed ? -1 : 0;
}

void consumer_commit_batch(struct consumer *c)
{
	rd_kafka_topic_partition_list_t *offs =
		rd_kafka_topic_partition_list_new((int)c->nranges);
	rd_kafka_resp_err_t err;

	for (size_t i = 0; i < c->nranges; i++)
		rd_kafka_topic_partition_list_add(offs, TOPIC_STORE_EVENTS,
						  c->ranges[i].partition)
			->offset = c->ranges[i].last + 1;
	err = kafka_commit_bounded(c->rk, offs, KAFKA_COMMIT_WAIT_MS);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		/* Usually a rebalance took the partition: its new owner
		 * starts from the last commit and redoes the batch, which
		 * is harmless since applying is idempotent. */
		log_warn("consumer: committing offsets: %s",
			 rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(offs);
	pthread_mutex_lock(&c->lock);
	c->stats.events += c->nmsgs;
	c->stats.batches++;
	/* What this member committed is the lag's best news until the lag
	 * thread measures again. */
	for (size_t i = 0; i < c->nranges; i++)
		for (size_t k = 0; k < c->stats.nparts; k++) {
			struct consumer_partition *p = &c->stats.parts[k];

			if (p->partition != c->ranges[i].partition)
				continue;
			p->committed = c->ranges[i].last + 1;
			if (p->high >= 0)
				p->lag = p->high > p->committed
						 ? p->high - p->committed : 0;
		}
	pthread_mutex_unlock(&c->lock);
}
