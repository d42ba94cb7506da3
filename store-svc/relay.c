#include "store-svc/relay.h"

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

#include <librdkafka/rdkafka.h>

#include "api/event.h"
#include "common/clock.h"
#include "common/log.h"
#include "store-svc/store_db.h"

#define BATCH 256              /* rows read and produced per round */
#define TICK_MS 200            /* wake-up without a kick */
#define RETRY_MS 1000          /* pause after a failed delivery */
#define PRUNE_EVERY_MS 60000.0
#define WARMUP_MS 2000
#define MARK_WAIT_MS 1000.0   /* then marking waits for the write lock */
#define MARK_RETRY_MS 2       /* poll timeout while marks are pending */

struct store_relay {
	struct store_relay_config cfg;
	struct store_db *db;
	rd_kafka_t *rk;
	pthread_t thread;
	int wake_fd;      /* eventfd: the HTTP side kicks it after a commit */
	int queue_fd[2];  /* librdkafka writes to [1] when reports are queued */
	atomic_int stop;
	atomic_int broker_up;
	atomic_int fatal;
	atomic_uint_least64_t published; /* deliveries confirmed */
	atomic_uint_least64_t failed;    /* deliveries failed (sent again) */

	/* Owned by the relay thread (delivery reports run on it too). */
	int64_t cursor;   /* highest row id produced since the last rewind */
	double retry_at_ms;
	double prune_at_ms;
	int64_t *sent;    /* rows confirmed but not yet marked sent */
	size_t nsent, capsent;
	double sent_since_ms; /* when the oldest of them was confirmed */
	int64_t min_failed; /* lowest row id that failed, 0 when none */
	size_t nfailed;     /* failures since the last report, and the */
	rd_kafka_resp_err_t fail_err; /* first one's reason: one log line
				       * per round, not one per row */
	struct store_outbox_row rows[BATCH];
};

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
	struct store_relay *r = opaque;
	int64_t row = (int64_t)(intptr_t)msg->_private;

	(void)rk;
	if (msg->err) {
		/* Purged at shutdown: store_relay_stop has said so once. */
		if (msg->err != RD_KAFKA_RESP_ERR__PURGE_QUEUE &&
		    msg->err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) {
			if (r->nfailed++ == 0)
				r->fail_err = msg->err;
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
			/* Unmarked rows are only published again; no loss. */
			log_error("out of memory recording a delivery");
			return;
		}
		r->sent = grown;
		r->capsent = cap;
	}
	if (r->nsent == 0)
		r->sent_since_ms = clock_mono_ms();
	r->sent[r->nsent++] = row;
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct store_relay *r = opaque;

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
	/* Connection failures are already logged through on_log. */
	if (err != RD_KAFKA_RESP_ERR__TRANSPORT &&
	    err != RD_KAFKA_RESP_ERR__RESOLVE)
		log_warn("kafka: %s", reason);
}

/* The statistics tell whether any known broker is connected ("UP"). */
static int on_stats(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
	struct store_relay *r = opaque;
	int up = kafka_stats_broker_up(json, len);

	(void)rk;
	if (up >= 0)
		atomic_store(&r->broker_up, up);
	return 0; /* librdkafka frees json */
}

static void on_log(const rd_kafka_t *rk, int level, const char *fac,
		   const char *buf)
{
	(void)rk;
	/* CONFWARN is expected: the stack passes one -X set (consumer
	 * properties included) to every process. */
	if (level >= 5 || strcmp(fac, "CONFWARN") == 0)
		log_info("kafka %s: %s", fac, buf);
	else
		log_warn("kafka %s: %s", fac, buf);
}

/* Our defaults first, then every -X property, so the operator's win. */
static rd_kafka_t *producer_new(struct store_relay *r, char *err, size_t errlen)
{
	static const char *const defaults[][2] = {
		{ "enable.idempotence", "true" },
		{ "acks", "all" },
		{ "linger.ms", "1" },
		/* One Produce request at a time. With several in flight, a
		 * failed one followed by a later one that succeeds is taken
		 * by librdkafka as written after all (a real broker would
		 * have refused the later one's sequence), and its rows are
		 * reported delivered. The embedded broker does not check
		 * the sequences of a non-transactional producer, so there
		 * the failed batch is lost: make chaos found events missing
		 * after injected Produce errors. */
		{ "max.in.flight.requests.per.connection", "1" },
		{ "statistics.interval.ms", "1000" },
		/* Back within a second of the broker, not up to 10 s: the
		 * outbox backlog is waiting. */
		{ "reconnect.backoff.max.ms", "1000" },
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
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (kafka_conf_set(conf, props->key[i], props->value[i], err,
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

/* Learns the topic's partitions now so the first event needs no wait. */
static void warm_up(struct store_relay *r)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(r->rk, TOPIC_STORE_EVENTS,
						   NULL);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err;

	if (rkt == NULL)
		return;
	err = rd_kafka_metadata(r->rk, 0, rkt, &md, WARMUP_MS);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		atomic_store(&r->broker_up, 1);
		rd_kafka_metadata_destroy(md);
	} else {
		log_warn("Kafka at %s is not reachable yet (%s); changes wait in the outbox",
			 r->cfg.brokers, rd_kafka_err2str(err));
	}
	rd_kafka_topic_destroy(rkt);
}

/* Produces unsent rows after the cursor until none are left or Kafka's
 * queue is full. */
static void publish(struct store_relay *r)
{
	for (;;) {
		int n = store_db_outbox_pending(r->db, r->cursor, r->rows, BATCH);

		if (n <= 0)
			return;
		for (int i = 0; i < n; i++) {
			const struct store_outbox_row *row = &r->rows[i];
			char key[24];
			char *value = store_event_encode(&row->ev);
			rd_kafka_resp_err_t err;

			if (value == NULL) {
				log_error("cannot encode outbox row %" PRId64,
					  row->id);
				r->retry_at_ms = clock_mono_ms() + RETRY_MS;
				return;
			}
			snprintf(key, sizeof(key), "%" PRId64, row->ev.store_id);
			err = rd_kafka_producev(
				r->rk, RD_KAFKA_V_TOPIC(TOPIC_STORE_EVENTS),
				RD_KAFKA_V_KEY(key, strlen(key)),
				RD_KAFKA_V_VALUE(value, strlen(value)),
				RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
				RD_KAFKA_V_OPAQUE((void *)(intptr_t)row->id),
				RD_KAFKA_V_END);
			free(value);
			if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
				if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
					log_warn("cannot queue outbox row %" PRId64 ": %s",
						 row->id, rd_kafka_err2str(err));
				r->retry_at_ms = clock_mono_ms() +
						 (err == RD_KAFKA_RESP_ERR__QUEUE_FULL
							  ? TICK_MS : RETRY_MS);
				return;
			}
			r->cursor = row->id;
		}
		if (n < BATCH)
			return;
	}
}

static void drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/*
 * Serves queued delivery reports, records the confirmed rows as sent, and
 * rewinds the cursor to the first failed row so it is published again.
 * Marking does not wait for the write lock while HTTP writes hold it, unless
 * force is set or the marks have waited MARK_WAIT_MS: a late mark only
 * delays pruning, a blocked relay would delay every event.
 */
static void apply_reports(struct store_relay *r, int force)
{
	drain(r->queue_fd[0]);
	while (rd_kafka_poll(r->rk, 0) > 0)
		;
	if (r->nsent > 0) {
		int wait = force ||
			   clock_mono_ms() - r->sent_since_ms > MARK_WAIT_MS;
		int rc = store_db_outbox_mark_sent(r->db, r->sent, r->nsent,
						   clock_wall_ms(), wait);

		if (rc == STORE_DB_OK) {
			r->nsent = 0;
		} else if (rc != STORE_DB_BUSY) {
			log_error("cannot mark %zu outbox rows sent; they will be sent again after a restart",
				  r->nsent);
			r->nsent = 0;
		}
	}
	if (r->nfailed > 0) {
		log_warn("%zu event(s) not delivered (%s); sending them again from outbox row %" PRId64,
			 r->nfailed, rd_kafka_err2str(r->fail_err), r->min_failed);
		r->nfailed = 0;
	}
	if (r->min_failed != 0) {
		if (r->min_failed - 1 < r->cursor)
			r->cursor = r->min_failed - 1;
		r->min_failed = 0;
		r->retry_at_ms = clock_mono_ms() + RETRY_MS;
	}
}

/* Replaces a producer that hit a fatal (idempotence) error. */
static void renew_producer(struct store_relay *r)
{
	char err[256];
	rd_kafka_t *rk;

	rd_kafka_purge(r->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	apply_reports(r, 1);
	rk = producer_new(r, err, sizeof(err));
	if (rk == NULL) {
		log_error("%s; retrying", err);
		r->retry_at_ms = clock_mono_ms() + RETRY_MS;
		return;
	}
	rd_kafka_destroy(r->rk);
	r->rk = rk;
	r->cursor = 0; /* every unsent row again */
	r->min_failed = 0;
	atomic_store(&r->fatal, 0);
}

static void prune(struct store_relay *r)
{
	double now = clock_mono_ms();
	int n;

	if (now < r->prune_at_ms)
		return;
	r->prune_at_ms = now + PRUNE_EVERY_MS;
	n = store_db_outbox_prune(r->db, clock_wall_ms() -
						 (double)r->cfg.retention_s * 1000.0);
	if (n > 0)
		log_info("pruned %d sent outbox rows", n);
}

static void *relay_main(void *arg)
{
	struct store_relay *r = arg;
	struct pollfd fds[2] = {
		{ .fd = r->wake_fd, .events = POLLIN },
		{ .fd = r->queue_fd[0], .events = POLLIN },
	};

	while (!atomic_load(&r->stop)) {
		if (atomic_load(&r->fatal))
			renew_producer(r);
		if (clock_mono_ms() >= r->retry_at_ms)
			publish(r);
		apply_reports(r, 0);
		prune(r);
		if (poll(fds, 2, r->nsent > 0 ? MARK_RETRY_MS : TICK_MS) < 0 &&
		    errno != EINTR) {
			log_error("relay poll: %s", strerror(errno));
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

static void relay_free(struct store_relay *r)
{
	if (r->rk != NULL)
		rd_kafka_destroy(r->rk);
	store_db_close(r->db);
	if (r->wake_fd >= 0)
		close(r->wake_fd);
	if (r->queue_fd[0] >= 0)
		close(r->queue_fd[0]);
	if (r->queue_fd[1] >= 0)
		close(r->queue_fd[1]);
	free(r->sent);
	free(r);
}

struct store_relay *store_relay_start(const struct store_relay_config *cfg,
				      char *err, size_t errlen)
{
	struct store_relay *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = *cfg;
	r->queue_fd[0] = r->queue_fd[1] = -1;
	r->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->wake_fd < 0 || pipe(r->queue_fd) ||
	    nonblocking(r->queue_fd[0]) || nonblocking(r->queue_fd[1])) {
		snprintf(err, errlen, "relay: %s", strerror(errno));
		goto fail;
	}
	r->db = store_db_open(cfg->db_path, 0, err, errlen);
	if (r->db == NULL)
		goto fail;
	r->rk = producer_new(r, err, errlen);
	if (r->rk == NULL)
		goto fail;
	warm_up(r);
	if (pthread_create(&r->thread, NULL, relay_main, r) != 0) {
		snprintf(err, errlen, "relay: cannot start its thread");
		goto fail;
	}
	return r;
fail:
	relay_free(r);
	return NULL;
}

void store_relay_kick(struct store_relay *r)
{
	uint64_t one = 1;

	if (r == NULL)
		return;
	/* A full counter already means "wake up"; nothing to handle. */
	if (write(r->wake_fd, &one, sizeof(one)) < 0)
		return;
}

int store_relay_broker_up(const struct store_relay *r)
{
	return r != NULL && atomic_load(&r->broker_up) &&
	       !atomic_load(&r->fatal);
}

void store_relay_counts(const struct store_relay *r, uint64_t *published,
			uint64_t *failed)
{
	*published = r != NULL ? atomic_load(&r->published) : 0;
	*failed = r != NULL ? atomic_load(&r->failed) : 0;
}

void store_relay_stop(struct store_relay *r, int flush_ms)
{
	int64_t left;

	if (r == NULL)
		return;
	atomic_store(&r->stop, 1);
	store_relay_kick(r);
	pthread_join(r->thread, NULL);

	/* The thread is gone: its state is ours now. */
	if (!atomic_load(&r->fatal)) {
		publish(r);
		rd_kafka_flush(r->rk, flush_ms);
	}
	left = rd_kafka_outq_len(r->rk);
	if (left > 0)
		log_warn("%" PRId64 " events not confirmed by Kafka; they go out on the next start",
			 left);
	rd_kafka_purge(r->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
	apply_reports(r, 1); /* marks what was confirmed before the purge */
	relay_free(r);
}
