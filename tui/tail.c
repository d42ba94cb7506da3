#include "tui/tail.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TAIL_METADATA_MS 500
#define TAIL_RETRY_MS 1000
#define TAIL_CHECK_MS 2000
#define TAIL_MIN_PER_PARTITION 20
/* Each event brings a reaction from each of five services, and one. */
#define TAIL_REACTIONS_PER_EVENT 6

struct tui_tail {
	rd_kafka_t *rk;
	rd_kafka_queue_t *queue;
	int pipe[2];
	int wake_fd;
	long history;
	pthread_t setup;
	int setup_started;
	atomic_int stop;
	pthread_mutex_t lock; /* guards state and why */
	enum tui_tail_state state;
	char why[256];
	unsigned long bad;
};

static const char *const tail_topics[] = { TOPIC_STORE_EVENTS,
					   TOPIC_STORE_REACTIONS };

static void wake(int fd)
{
	while (write(fd, "t", 1) < 0 && errno == EINTR)
		;
}

/* Sets the state (state < 0 keeps it) and the reason (NULL keeps it). */
static void set_state(struct tui_tail *t, int state, const char *why)
{
	int changed = 0;

	pthread_mutex_lock(&t->lock);
	if (state >= 0 && t->state != (enum tui_tail_state)state) {
		t->state = (enum tui_tail_state)state;
		changed = 1;
	}
	if (why != NULL && strcmp(t->why, why) != 0) {
		snprintf(t->why, sizeof(t->why), "%s", why);
		changed = 1;
	}
	pthread_mutex_unlock(&t->lock);
	if (changed)
		wake(t->wake_fd);
}

/*
 * librdkafka would print to stderr, right over the screen; its logs are
 * dropped (the error callback keeps what matters).
 */
static void on_log(const rd_kafka_t *rk, int level, const char *fac,
		   const char *buf)
{
	(void)rk;
	(void)level;
	(void)fac;
	(void)buf;
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct tui_tail *t = opaque;
	char why[256];

	(void)rk;
	snprintf(why, sizeof(why), "%s", reason);
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		set_state(t, TUI_TAIL_DOWN, why);
	else
		set_state(t, -1, why);
}

/* Sleeps ms unless stopped first; returns 1 when stopped. */
static int nap(struct tui_tail *t, int ms)
{
	for (int slept = 0; slept < ms; slept += 50) {
		struct timespec ts = { 0, 50 * 1000000L };

		if (atomic_load(&t->stop))
			return 1;
		nanosleep(&ts, NULL);
	}
	return atomic_load(&t->stop);
}

/* Partition count of topic, or -1 with the reason in why. */
static int partitions_of(struct tui_tail *t, const char *topic, char *why,
			 size_t len)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(t->rk, topic, NULL);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err;
	int n = -1;

	if (rkt == NULL) {
		snprintf(why, len, "topic %s: %s", topic,
			 rd_kafka_err2str(rd_kafka_last_error()));
		return -1;
	}
	err = rd_kafka_metadata(t->rk, 0, rkt, &md, TAIL_METADATA_MS);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(why, len, "%s", rd_kafka_err2str(err));
	} else if (md->topic_cnt < 1 || md->topics[0].err != 0) {
		snprintf(why, len, "topic %s: %s", topic,
			 md->topic_cnt < 1 ? "not found"
					   : rd_kafka_err2str(md->topics[0].err));
	} else if (md->topics[0].partition_cnt < 1) {
		snprintf(why, len, "topic %s has no partitions", topic);
	} else {
		n = md->topics[0].partition_cnt;
	}
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	return n;
}

/* 1 when the user set key with -X (theirs wins). */
static int has_prop(const struct kafka_props *props, const char *key)
{
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (strcmp(props->key[i], key) == 0)
			return 1;
	return 0;
}

static long tail_per_partition(long history, int partitions)
{
	long n = history / (partitions > 0 ? partitions : 1);

	return n < TAIL_MIN_PER_PARTITION ? TAIL_MIN_PER_PARTITION : n;
}

static void *setup_main(void *arg)
{
	struct tui_tail *t = arg;

	while (!atomic_load(&t->stop)) {
		rd_kafka_topic_partition_list_t *list =
			rd_kafka_topic_partition_list_new(8);
		char why[256] = "";
		rd_kafka_resp_err_t err;
		int ok = 1;

		for (size_t i = 0; ok && i < 2; i++) {
			int n = partitions_of(t, tail_topics[i], why,
					      sizeof(why));

			if (n < 0)
				ok = 0;
			/* The history is shared out over the partitions, so
			 * a topic with many of them does not flood the pane;
			 * librdkafka turns TAIL(n) into "high watermark - n"
			 * itself, without blocking us. */
			for (int p = 0; p < n; p++)
				rd_kafka_topic_partition_list_add(
					list, tail_topics[i], p)
					->offset = RD_KAFKA_OFFSET_TAIL(
					tail_per_partition(
						i == 0 ? t->history
						       : t->history *
								 TAIL_REACTIONS_PER_EVENT,
						n));
		}
		if (ok) {
			err = rd_kafka_assign(t->rk, list);
			if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
				snprintf(why, sizeof(why), "assign: %s",
					 rd_kafka_err2str(err));
				ok = 0;
			}
		}
		rd_kafka_topic_partition_list_destroy(list);
		if (ok) {
			set_state(t, TUI_TAIL_LIVE, "");
			break;
		}
		set_state(t, TUI_TAIL_CONNECTING, why);
		if (nap(t, TAIL_RETRY_MS))
			return NULL;
	}
	/*
	 * Assigned. A quiet topic says nothing about the broker, so ask it
	 * now and then; the answer moves the state between LIVE and DOWN.
	 */
	while (!nap(t, TAIL_CHECK_MS)) {
		char why[256] = "";

		if (partitions_of(t, tail_topics[0], why, sizeof(why)) < 0)
			set_state(t, TUI_TAIL_DOWN, why);
		else
			set_state(t, TUI_TAIL_LIVE, "");
	}
	return NULL;
}

static void tail_destroy(struct tui_tail *t)
{
	if (t->queue != NULL) {
		rd_kafka_queue_io_event_enable(t->queue, -1, NULL, 0);
		rd_kafka_queue_destroy(t->queue);
	}
	/* Nothing was committed, so there is no group to leave politely. */
	if (t->rk != NULL)
		rd_kafka_destroy_flags(t->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	if (t->pipe[0] >= 0)
		close(t->pipe[0]);
	if (t->pipe[1] >= 0)
		close(t->pipe[1]);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

struct tui_tail *tui_tail_new(const char *brokers,
			      const struct kafka_props *props, long history,
			      int wake_fd, char *err, size_t errlen)
{
	struct tui_tail *t = calloc(1, sizeof(*t));
	rd_kafka_conf_t *conf;
	char group[128], host[64] = "host";
	sigset_t all, old;
	int rc;

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->pipe[0] = t->pipe[1] = -1;
	t->wake_fd = wake_fd;
	t->history = history;
	atomic_init(&t->stop, 0);
	pthread_mutex_init(&t->lock, NULL);
	if (pipe(t->pipe) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(t->pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(t->pipe[i], F_SETFD, FD_CLOEXEC);
	}

	conf = kafka_conf_new(brokers, props, err, errlen);
	if (conf == NULL)
		goto fail;
	/*
	 * librdkafka wants a group.id even for assign(); a unique one keeps
	 * consoles from ever sharing, and nothing is committed under it.
	 */
	gethostname(host, sizeof(host) - 1);
	snprintf(group, sizeof(group), "storectl-console-%s-%ld-%ld", host,
		 (long)getpid(), (long)time(NULL));
	if (kafka_conf_set(conf, "group.id", group, err, errlen) != 0 ||
	    kafka_conf_set(conf, "enable.auto.commit", "false", err, errlen) ||
	    kafka_conf_set(conf, "enable.auto.offset.store", "false", err,
			   errlen) ||
	    kafka_conf_set(conf, "auto.offset.reset", "earliest", err,
			   errlen) ||
	    kafka_conf_set(conf, "client.id", "storectl-console", err,
			   errlen)) {
		rd_kafka_conf_destroy(conf);
		goto fail;
	}
	/* Prefetched records are memory too: 16 MB is plenty for a pane. */
	if (!has_prop(props, "queued.max.messages.kbytes") &&
	    kafka_conf_set(conf, "queued.max.messages.kbytes", "16384", err,
			   errlen)) {
		rd_kafka_conf_destroy(conf);
		goto fail;
	}
	rd_kafka_conf_set_log_cb(conf, on_log);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_opaque(conf, t);

	/* librdkafka's threads block signals themselves; ours is the UI's. */
	t->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (t->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		goto fail;
	}
	rd_kafka_poll_set_consumer(t->rk);
	t->queue = rd_kafka_queue_get_consumer(t->rk);
	if (t->queue == NULL) {
		snprintf(err, errlen, "kafka: no consumer queue");
		goto fail;
	}
	rd_kafka_queue_io_event_enable(t->queue, t->pipe[1], "k", 1);

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t->setup, NULL, setup_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the tail: %s",
			 strerror(rc));
		goto fail;
	}
	t->setup_started = 1;
	return t;
fail:
	tail_destroy(t);
	return NULL;
}

int tui_tail_fd(const struct tui_tail *t)
{
	return t->pipe[0];
}

size_t tui_tail_drain(struct tui_tail *t, size_t max,
		      const struct tui_tail_sink *sink)
{
	char buf[256];
	size_t n = 0;

	/* Empty the pipe first: a message queued after this wakes us again. */
	while (read(t->pipe[0], buf, sizeof(buf)) > 0)
		;
	while (n < max) {
		rd_kafka_message_t *msg = rd_kafka_consumer_poll(t->rk, 0);
		struct stream_origin origin;
		const char *topic;
		char why[256];

		if (msg == NULL)
			break;
		n++;
		if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				snprintf(why, sizeof(why), "kafka: %s",
					 rd_kafka_message_errstr(msg));
				set_state(t, -1, why);
			}
			rd_kafka_message_destroy(msg);
			continue;
		}
		set_state(t, TUI_TAIL_LIVE, "");
		topic = rd_kafka_topic_name(msg->rkt);
		origin.partition = msg->partition;
		origin.offset = msg->offset;
		origin.raw = msg->payload;
		origin.rawlen = msg->len;
		if (msg->payload == NULL) {
			t->bad++;
		} else if (strcmp(topic, TOPIC_STORE_EVENTS) == 0) {
			struct store_event ev;

			if (store_event_decode(msg->payload, msg->len, &ev, why,
					       sizeof(why)) == 0)
				sink->event(sink->ctx, &ev, &origin);
			else
				t->bad++;
		} else if (strcmp(topic, TOPIC_STORE_REACTIONS) == 0) {
			struct store_reaction r;

			if (store_reaction_decode(msg->payload, msg->len, &r,
						  why, sizeof(why)) != 0)
				t->bad++;
			else if (r.source[0] == '\0')
				/* Reactions to other topics (display-svc's to
				 * review.events) carry versions of another kind:
				 * joining them to store events would mislead. */
				sink->reaction(sink->ctx, &r, &origin);
		}
		rd_kafka_message_destroy(msg);
	}
	return n;
}

enum tui_tail_state tui_tail_state(struct tui_tail *t, char *why, size_t len)
{
	enum tui_tail_state state;

	pthread_mutex_lock(&t->lock);
	state = t->state;
	if (why != NULL)
		snprintf(why, len, "%s", t->why);
	pthread_mutex_unlock(&t->lock);
	return state;
}

unsigned long tui_tail_bad(const struct tui_tail *t)
{
	return t->bad;
}

void tui_tail_free(struct tui_tail *t)
{
	if (t == NULL)
		return;
	atomic_store(&t->stop, 1);
	if (t->setup_started)
		pthread_join(t->setup, NULL);
	tail_destroy(t);
}
