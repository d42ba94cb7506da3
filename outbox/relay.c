/*
 * The outbox relay: one thread with its own database connection and an
 * idempotent producer. It publishes unsent rows in id order, records the
 * ids Kafka confirms, marks them sent in one transaction per round, and
 * after a failed delivery publishes again from the lowest failed row.
 */
#include "outbox/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common/clock.h"
#include "common/log.h"

#define BATCH 256               /* rows read and produced per round */
#define TICK_MS 200             /* wake-up without a kick */
#define RETRY_MS 1000           /* pause after a failed delivery */
#define PRUNE_EVERY_MS 60000.0
#define WARMUP_MS 2000

struct outbox_relay {
	struct outbox_relay_config cfg;
	sqlite3 *db;
	sqlite3_stmt *pending;
	sqlite3_stmt *mark;
	sqlite3_stmt *prune;
	rd_kafka_t *rk;
	pthread_t thread;
	int wake_fd;
	int queue_fd[2];  /* librdkafka writes to [1] when reports are queued */
	atomic_int stop;
	atomic_int broker_up;
	atomic_int fatal;
	atomic_uint_fast64_t published;
	atomic_uint_fast64_t failed;

	/* The relay thread's own (delivery reports run on it too). */
	int64_t cursor;       /* highest row produced since the last rewind */
	int64_t min_failed;   /* lowest row whose delivery failed; 0 none */
	double retry_at_ms;
	double prune_at_ms;
	int64_t *sent;        /* confirmed, not yet marked */
	size_t nsent, capsent;
};

/* Properties only a consumer understands: services pass one -X set to
 * both their clients, and the producer would only warn about them. */
static const char *const consumer_only[] = {
	"group.", "fetch.", "session.timeout.ms", "heartbeat.interval.ms",
	"auto.offset.reset", "enable.auto.", "auto.commit.",
	"max.poll.interval.ms", "partition.assignment.strategy", "queued.",
	"isolation.level", "check.crcs", "enable.partition.eof",
	"consume.callback.max.messages", "offset.store.",
};

static int producer_prop(const char *key)
{
	for (size_t i = 0; i < sizeof(consumer_only) / sizeof(consumer_only[0]);
	     i++)
		if (strncmp(key, consumer_only[i], strlen(consumer_only[i])) == 0)
			return 0;
	return 1;
}

static int props_have(const struct kafka_props *props, const char *key)
{
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (strcmp(props->key[i], key) == 0)
			return 1;
	return 0;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *msg,
			void *opaque)
{
	struct outbox_relay *r = opaque;
	int64_t row = (int64_t)(intptr_t)msg->_private;

	(void)rk;
	if (msg->err) {
		if (msg->err != RD_KAFKA_RESP_ERR__PURGE_QUEUE &&
		    msg->err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) {
			log_warn("outbox row %" PRId64 " not delivered: %s; it will be sent again",
				 row, rd_kafka_err2str(msg->err));
			atomic_fetch_add(&r->failed, 1);
		}
		if (r->min_failed == 0 || row < r->min_failed)
			r->min_failed = row;
		return;
	}
	atomic_store(&r->broker_up, 1);
	atomic_fetch_add(&r->published, 1);
	if (r->nsent == r->capsent) {
		size_t cap = r->capsent ? r->capsent * 2 : 256;
		int64_t *grown = realloc(r->sent, cap * sizeof(*grown));

		if (grown == NULL) {
			/* An unmarked row is only published again. */
			log_error("out of memory recording a delivery");
			return;
		}
		r->sent = grown;
		r->capsent = cap;
	}
	r->sent[r->nsent++] = row;
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct outbox_relay *r = opaque;

	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		char why[256];

		rd_kafka_fatal_error(rk, why, sizeof(why));
		log_error("kafka producer failed for good: %s; starting a new one",
			  why);
		atomic_store(&r->fatal, 1);
		atomic_store(&r->broker_up, 0);
		return;
	}
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		atomic_store(&r->broker_up, 0);
	if (err != RD_KAFKA_RESP_ERR__TRANSPORT &&
	    err != RD_KAFKA_RESP_ERR__RESOLVE)
		log_warn("kafka: %s", reason);
}

/* Without this, /health would say "down" after an outage until the next
 * delivery: the statistics say when a broker is connected again. */
static int on_stats(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	struct outbox_relay *r = opaque;
	int up = kafka_stats_broker_up(json, len);

	(void)rk;
	if (up >= 0 && !atomic_load(&r->fatal))
		atomic_store(&r->broker_up, up);
	return 0; /* librdkafka frees json */
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac,
		   const char *buf)
{
	(void)rk;
	if (level >= 5)
		log_info("kafka %s: %s", fac, buf);
	else
		log_warn("kafka %s: %s", fac, buf);
}

static rd_kafka_t *producer_new(struct outbox_relay *r, char *err,
				size_t errlen)
{
	static const char *const defaults[][2] = {
		{ "enable.idempotence", "true" },
		{ "acks", "all" },
		{ "linger.ms", "1" },
		/* One Produce request at a time: see store-svc/relay.c (a
		 * failed request followed by a successful one is reported
		 * delivered, and the embedded broker really dropped it). */
		{ "max.in.flight.requests.per.connection", "1" },
		{ "statistics.interval.ms", "1000" },
	};
	const struct kafka_props *props = r->cfg.props;
	rd_kafka_conf_t *conf = kafka_conf_new(r->cfg.brokers, NULL, err, errlen);
	rd_kafka_queue_t *mainq;
	rd_kafka_t *rk;
	char why[512];

	if (conf == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (!props_have(props, defaults[i][0]) &&
		    kafka_conf_set(conf, defaults[i][0], defaults[i][1], err,
				   errlen))
			goto fail;
	if (r->cfg.client_id != NULL && !props_have(props, "client.id") &&
	    kafka_conf_set(conf, "client.id", r->cfg.client_id, err, errlen))
		goto fail;
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (producer_prop(props->key[i]) &&
		    kafka_conf_set(conf, props->key[i], props->value[i], err,
				   errlen))
			goto fail;
	rd_kafka_conf_set_opaque(conf, r);
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_stats_cb(conf, on_stats);
	rd_kafka_conf_set_log_cb(conf, on_log);
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (rk == NULL) {
		snprintf(err, errlen, "kafka producer: %s", why);
		goto fail;
	}
	/* Delivery reports wake the relay's poll() through this pipe. */
	mainq = rd_kafka_queue_get_main(rk);
	rd_kafka_queue_io_event_enable(mainq, r->queue_fd[1], "1", 1);
	rd_kafka_queue_destroy(mainq);
	return rk;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

/* Produces unsent rows after the cursor until none are left or Kafka's
 * queue is full. */
static void publish(struct outbox_relay *r)
{
	for (;;) {
		int n = 0, rc;

		sqlite3_bind_int64(r->pending, 1, r->cursor);
		sqlite3_bind_int(r->pending, 2, BATCH);
		while ((rc = sqlite3_step(r->pending)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(r->pending, 0);
			const char *topic = (const char *)sqlite3_column_text(r->pending, 1);
			const void *key = sqlite3_column_blob(r->pending, 2);
			int klen = sqlite3_column_bytes(r->pending, 2);
			const void *value = sqlite3_column_blob(r->pending, 3);
			int vlen = sqlite3_column_bytes(r->pending, 3);
			rd_kafka_resp_err_t err;

			n++;
			err = rd_kafka_producev(
				r->rk, RD_KAFKA_V_TOPIC(topic ? topic : ""),
				RD_KAFKA_V_KEY(key, (size_t)klen),
				RD_KAFKA_V_VALUE((void *)value, (size_t)vlen),
				RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
				RD_KAFKA_V_OPAQUE((void *)(intptr_t)id),
				RD_KAFKA_V_END);
			if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
				if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
					log_warn("cannot queue outbox row %" PRId64 ": %s",
						 id, rd_kafka_err2str(err));
				r->retry_at_ms = clock_mono_ms() +
						 (err == RD_KAFKA_RESP_ERR__QUEUE_FULL
							  ? TICK_MS : RETRY_MS);
				sqlite3_reset(r->pending);
				return;
			}
			r->cursor = id;
		}
		if (rc != SQLITE_DONE)
			log_error("outbox: reading rows: %s", sqlite3_errmsg(r->db));
		sqlite3_reset(r->pending);
		if (rc != SQLITE_DONE || n < BATCH)
			return;
	}
}

static void drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* Marks the confirmed rows sent in one transaction. */
static void mark_sent(struct outbox_relay *r)
{
	double now = clock_wall_ms();
	int ok = sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
		 SQLITE_OK;

	for (size_t i = 0; ok && i < r->nsent; i++) {
		sqlite3_bind_int64(r->mark, 1, r->sent[i]);
		sqlite3_bind_double(r->mark, 2, now);
		ok = sqlite3_step(r->mark) == SQLITE_DONE;
		sqlite3_reset(r->mark);
	}
	if (ok)
		ok = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	if (!ok) {
		log_error("outbox: cannot mark %zu rows sent (%s); they go out again after a restart",
			  r->nsent, sqlite3_errmsg(r->db));
		if (!sqlite3_get_autocommit(r->db))
			sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	}
	r->nsent = 0;
}

/* Serves delivery reports, marks what was confirmed, rewinds after a
 * failure so the failed rows go out again. */
static void apply_reports(struct outbox_relay *r)
{
	drain(r->queue_fd[0]);
	while (rd_kafka_poll(r->rk, 0) > 0)
		;
	if (r->nsent > 0)
		mark_sent(r);
	if (r->min_failed != 0) {
		if (r->min_failed - 1 < r->cursor)
			r->cursor = r->min_failed - 1;
		r->min_failed = 0;
		r->retry_at_ms = clock_mono_ms() + RETRY_MS;
	}
}

static void renew_producer(struct outbox_relay *r)
{
	char err[256];
	rd_kafka_t *rk;

	rd_kafka_purge(r->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	apply_reports(r);
	rk = producer_new(r, err, sizeof(err));
	if (rk == NULL) {
		log_error("%s; retrying", err);
		r->retry_at_ms = clock_mono_ms() + RETRY_MS;
		return;
	}
	rd_kafka_destroy(r->rk);
	r->rk = rk;
	r->cursor = 0;
	r->min_failed = 0;
	atomic_store(&r->fatal, 0);
}

static void prune(struct outbox_relay *r)
{
	double now = clock_mono_ms();

	if (now < r->prune_at_ms)
		return;
	r->prune_at_ms = now + PRUNE_EVERY_MS;
	sqlite3_bind_double(r->prune, 1,
			    clock_wall_ms() - (double)r->cfg.retention_s * 1000.0);
	if (sqlite3_step(r->prune) != SQLITE_DONE)
		log_warn("outbox: pruning: %s", sqlite3_errmsg(r->db));
	else if (sqlite3_changes(r->db) > 0)
		log_info("outbox: pruned %d sent rows", sqlite3_changes(r->db));
	sqlite3_reset(r->prune);
}

static void *relay_main(void *arg)
{
	struct outbox_relay *r = arg;
	struct pollfd fds[2] = {
		{ .fd = r->wake_fd, .events = POLLIN },
		{ .fd = r->queue_fd[0], .events = POLLIN },
	};

	while (!atomic_load(&r->stop)) {
		if (atomic_load(&r->fatal))
			renew_producer(r);
		if (clock_mono_ms() >= r->retry_at_ms)
			publish(r);
		apply_reports(r);
		prune(r);
		if (poll(fds, 2, TICK_MS) < 0 && errno != EINTR) {
			log_error("outbox relay: poll: %s", strerror(errno));
			usleep(TICK_MS * 1000);
		}
		drain(r->wake_fd);
	}
	return NULL;
}

static int nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static void relay_free(struct outbox_relay *r)
{
	if (r->rk != NULL)
		rd_kafka_destroy(r->rk);
	sqlite3_finalize(r->pending);
	sqlite3_finalize(r->mark);
	sqlite3_finalize(r->prune);
	sqlite3_close(r->db);
	if (r->wake_fd >= 0)
		close(r->wake_fd);
	if (r->queue_fd[0] >= 0)
		close(r->queue_fd[0]);
	if (r->queue_fd[1] >= 0)
		close(r->queue_fd[1]);
	free(r->sent);
	free(r);
}

static int open_db(struct outbox_relay *r, char *err, size_t errlen)
{
	if (sqlite3_open_v2(r->cfg.db_path, &r->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "outbox: %s: %s", r->cfg.db_path,
			 r->db ? sqlite3_errmsg(r->db) : "cannot open");
		return -1;
	}
	sqlite3_busy_timeout(r->db, 5000);
	if (outbox_schema(r->db, err, errlen))
		return -1;
	if (sqlite3_prepare_v3(r->db,
			       "SELECT id, topic, key, value FROM outbox"
			       " WHERE sent_at IS NULL AND id > ?1"
			       " ORDER BY id LIMIT ?2",
			       -1, SQLITE_PREPARE_PERSISTENT, &r->pending,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(r->db,
			       "UPDATE outbox SET sent_at = ?2 WHERE id = ?1",
			       -1, SQLITE_PREPARE_PERSISTENT, &r->mark,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(r->db,
			       "DELETE FROM outbox WHERE sent_at IS NOT NULL"
			       " AND sent_at < ?1",
			       -1, SQLITE_PREPARE_PERSISTENT, &r->prune,
			       NULL) != SQLITE_OK) {
		snprintf(err, errlen, "outbox: %s", sqlite3_errmsg(r->db));
		return -1;
	}
	return 0;
}

/* Learns the partitions now, so the first message needs no wait. */
static void warm_up(struct outbox_relay *r)
{
	const struct rd_kafka_metadata *md = NULL;

	if (rd_kafka_metadata(r->rk, 0, NULL, &md, WARMUP_MS) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		atomic_store(&r->broker_up, 1);
		rd_kafka_metadata_destroy(md);
	} else {
		log_warn("Kafka at %s is not reachable yet; events wait in the outbox",
			 r->cfg.brokers);
	}
}

struct outbox_relay *outbox_relay_start(const struct outbox_relay_config *cfg,
					char *err, size_t errlen)
{
	struct outbox_relay *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	if (r->cfg.retention_s <= 0)
		r->cfg.retention_s = 3600;
	r->queue_fd[0] = r->queue_fd[1] = -1;
	r->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->wake_fd < 0 || pipe(r->queue_fd) ||
	    nonblocking(r->queue_fd[0]) || nonblocking(r->queue_fd[1])) {
		snprintf(err, errlen, "outbox relay: %s", strerror(errno));
		goto fail;
	}
	if (open_db(r, err, errlen))
		goto fail;
	r->rk = producer_new(r, err, errlen);
	if (r->rk == NULL)
		goto fail;
	warm_up(r);
	if (pthread_create(&r->thread, NULL, relay_main, r) != 0) {
		snprintf(err, errlen, "outbox relay: cannot start its thread");
		goto fail;
	}
	return r;
fail:
	relay_free(r);
	return NULL;
}

void outbox_relay_kick(struct outbox_relay *r)
{
	uint64_t one = 1;

	if (r == NULL)
		return;
	/* A full counter already means "wake up". */
	if (write(r->wake_fd, &one, sizeof(one)) < 0)
		return;
}

int outbox_relay_broker_up(const struct outbox_relay *r)
{
	return r != NULL && atomic_load(&r->broker_up) &&
	       !atomic_load(&r->fatal);
}

void outbox_relay_counts(const struct outbox_relay *r, uint64_t *published,
			 uint64_t *failed)
{
	*published = r ? atomic_load(&r->published) : 0;
	*failed = r ? atomic_load(&r->failed) : 0;
}

void outbox_relay_stop(struct outbox_relay *r, int flush_ms)
{
	int left;

	if (r == NULL)
		return;
	atomic_store(&r->stop, 1);
	outbox_relay_kick(r);
	pthread_join(r->thread, NULL);

	/* The thread is gone: its state is ours now. */
	if (!atomic_load(&r->fatal)) {
		publish(r);
		rd_kafka_flush(r->rk, flush_ms);
	}
	left = rd_kafka_outq_len(r->rk);
	if (left > 0)
		log_warn("%d outbox messages not confirmed by Kafka; they go out on the next start",
			 left);
	rd_kafka_purge(r->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	apply_reports(r);
	relay_free(r);
}
