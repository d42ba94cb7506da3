#include "cli/demo_tail.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/reaction.h"
#include "common/clock.h"

#define TAIL_METADATA_MS 5000
/* Reading what the topic already holds gives up after this long. */
#define TAIL_CATCH_UP_MS 5000
#define TAIL_PARTITIONS_MAX 256
#define TAIL_POLL_MAX 10000

struct demo_tail {
	rd_kafka_t *rk;
	int partitions;
	int caught_up;      /* the first poll read the backlog */
	volatile int fatal;
	char fatal_reason[256];
};

static void on_log(const rd_kafka_t *rk, int level, const char *fac,
		   const char *buf)
{
	(void)rk;
	/* Only what stops the demo from working belongs in its output. */
	if (level <= 3)
		fprintf(stderr, "storectl: kafka %s: %s\n", fac, buf);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct demo_tail *t = opaque;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		t->fatal = 1;
		snprintf(t->fatal_reason, sizeof(t->fatal_reason), "%s", reason);
	}
}

/* The partition count of store.reactions; -1 with err. */
static int partition_count(rd_kafka_t *rk, char *err, size_t errlen)
{
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, TOPIC_STORE_REACTIONS,
						   NULL);
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t kerr;
	int n = -1;

	if (rkt == NULL) {
		snprintf(err, errlen, "%s: %s", TOPIC_STORE_REACTIONS,
			 rd_kafka_err2str(rd_kafka_last_error()));
		return -1;
	}
	kerr = rd_kafka_metadata(rk, 0, rkt, &md, TAIL_METADATA_MS);
	if (kerr != RD_KAFKA_RESP_ERR_NO_ERROR)
		snprintf(err, errlen, "metadata of %s: %s", TOPIC_STORE_REACTIONS,
			 rd_kafka_err2str(kerr));
	else if (md->topic_cnt != 1 || md->topics[0].err)
		snprintf(err, errlen, "topic %s: %s", TOPIC_STORE_REACTIONS,
			 md->topic_cnt != 1 ? "not found" :
			 rd_kafka_err2str(md->topics[0].err));
	else
		n = md->topics[0].partition_cnt;
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	if (n == 0 || n > TAIL_PARTITIONS_MAX) {
		snprintf(err, errlen, "topic %s has %d partitions",
			 TOPIC_STORE_REACTIONS, n);
		n = -1;
	}
	return n;
}

/* Feeds one message to track when it is a reaction. */
static void take(struct demo_track *track, const rd_kafka_message_t *m)
{
	struct store_reaction r;
	char why[128];

	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR || m->payload == NULL)
		return;
	if (store_reaction_decode(m->payload, m->len, &r, why, sizeof(why)) == 0)
		demo_track_add(track, &r);
}

/*
 * Reads until every partition's position reaches the high watermark it had
 * at the start, or TAIL_CATCH_UP_MS passes.
 */
static void catch_up(struct demo_tail *t, struct demo_track *track, int n)
{
	int64_t *high = calloc((size_t)n, sizeof(*high));
	int32_t *parts = calloc((size_t)n, sizeof(*parts));
	double deadline = clock_mono_ms() + TAIL_CATCH_UP_MS;
	rd_kafka_topic_partition_list_t *pos;

	if (high == NULL || parts == NULL) {
		free(high);
		free(parts);
		return;
	}
	for (int p = 0; p < n; p++)
		parts[p] = p;
	kafka_offsets_at(t->rk, TOPIC_STORE_REACTIONS, parts, (size_t)n,
			 RD_KAFKA_OFFSET_END, TAIL_METADATA_MS, high);
	for (int p = 0; p < n; p++)
		if (high[p] < 0)
			high[p] = 0;
	pos = rd_kafka_topic_partition_list_new(n);
	for (int p = 0; p < n; p++)
		rd_kafka_topic_partition_list_add(pos, TOPIC_STORE_REACTIONS, p);
	while (clock_mono_ms() < deadline && !t->fatal) {
		rd_kafka_message_t *m;
		int behind = 0;

		rd_kafka_position(t->rk, pos);
		for (int p = 0; p < n; p++) {
			int64_t at = pos->elems[p].offset;

			behind += high[p] > 0 && (at < 0 || at < high[p]);
		}
		if (!behind)
			break;
		m = rd_kafka_consumer_poll(t->rk, 100);
		if (m != NULL) {
			take(track, m);
			rd_kafka_message_destroy(m);
		}
	}
	rd_kafka_topic_partition_list_destroy(pos);
	free(high);
	free(parts);
}

struct demo_tail *demo_tail_new(const char *brokers,
				const struct kafka_props *props, char *err,
				size_t errlen)
{
	struct demo_tail *t = calloc(1, sizeof(*t));
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_conf_t *conf;
	rd_kafka_resp_err_t kerr;
	char why[512], group[128], host[64] = "host";
	int n;

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	conf = kafka_conf_new(brokers, props, err, errlen);
	if (conf == NULL)
		goto fail;
	/*
	 * librdkafka wants a group.id even for assign(); a unique one never
	 * meets a service's group, and nothing is committed under it.
	 */
	gethostname(host, sizeof(host) - 1);
	snprintf(group, sizeof(group), "storectl-demo-%s-%ld-%ld", host,
		 (long)getpid(), (long)time(NULL));
	if (kafka_conf_set(conf, "group.id", group, err, errlen) ||
	    kafka_conf_set(conf, "enable.auto.commit", "false", err, errlen) ||
	    kafka_conf_set(conf, "enable.auto.offset.store", "false", err,
			   errlen) ||
	    kafka_conf_set(conf, "enable.partition.eof", "false", err, errlen) ||
	    kafka_conf_set(conf, "client.id", "storectl-demo", err, errlen)) {
		rd_kafka_conf_destroy(conf);
		goto fail;
	}
	rd_kafka_conf_set_opaque(conf, t);
	rd_kafka_conf_set_log_cb(conf, on_log);
	rd_kafka_conf_set_error_cb(conf, on_error);
	t->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof(why));
	if (t->rk == NULL) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "kafka consumer: %s", why);
		goto fail;
	}
	rd_kafka_poll_set_consumer(t->rk);
	n = partition_count(t->rk, err, errlen);
	if (n < 0)
		goto fail;
	parts = rd_kafka_topic_partition_list_new(n);
	for (int p = 0; p < n; p++)
		rd_kafka_topic_partition_list_add(parts, TOPIC_STORE_REACTIONS, p)
			->offset = RD_KAFKA_OFFSET_BEGINNING;
	kerr = rd_kafka_assign(t->rk, parts);
	rd_kafka_topic_partition_list_destroy(parts);
	if (kerr != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "assigning %s: %s", TOPIC_STORE_REACTIONS,
			 rd_kafka_err2str(kerr));
		goto fail;
	}
	t->partitions = n;
	return t;
fail:
	demo_tail_free(t);
	return NULL;
}

int demo_tail_poll(struct demo_tail *t, struct demo_track *track, int wait_ms,
		   char *err, size_t errlen)
{
	rd_kafka_message_t *m;
	int taken = 0;

	if (!t->caught_up) {
		catch_up(t, track, t->partitions);
		t->caught_up = 1;
	}
	m = rd_kafka_consumer_poll(t->rk, wait_ms);
	/* Bounded, so a busy topic never keeps the runner from its step. */
	while (m != NULL) {
		take(track, m);
		rd_kafka_message_destroy(m);
		if (++taken == TAIL_POLL_MAX)
			break;
		m = rd_kafka_consumer_poll(t->rk, 0);
	}
	if (t->fatal) {
		snprintf(err, errlen, "%s", t->fatal_reason);
		return -1;
	}
	return 0;
}

void demo_tail_free(struct demo_tail *t)
{
	if (t == NULL)
		return;
	/* Nothing was committed, so there is no group to leave politely. */
	if (t->rk != NULL)
		rd_kafka_destroy_flags(t->rk,
				       RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	free(t);
}
