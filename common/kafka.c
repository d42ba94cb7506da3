#include "common/kafka.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/clock.h"
#include "common/log.h"

int kafka_props_add(struct kafka_props *props, const char *kv, char *err,
		    size_t errlen)
{
	const char *eq = strchr(kv, '=');

	if (eq == NULL || eq == kv) {
		snprintf(err, errlen, "kafka property \"%s\" is not key=value",
			 kv);
		return -1;
	}
	if (props->n == KAFKA_PROPS_MAX) {
		snprintf(err, errlen, "more than %d kafka properties",
			 KAFKA_PROPS_MAX);
		return -1;
	}
	props->key[props->n] = strndup(kv, (size_t)(eq - kv));
	props->value[props->n] = strdup(eq + 1);
	if (props->key[props->n] == NULL || props->value[props->n] == NULL) {
		free(props->key[props->n]);
		free(props->value[props->n]);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	props->n++;
	return 0;
}

int kafka_props_add_list(struct kafka_props *props, const char *text,
			 char *err, size_t errlen)
{
	char *copy = strdup(text);
	char *save = NULL;
	int rc = 0;

	if (copy == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (char *item = strtok_r(copy, ",", &save); item != NULL && rc == 0;
	     item = strtok_r(NULL, ",", &save))
		rc = kafka_props_add(props, item, err, errlen);
	free(copy);
	return rc;
}

void kafka_props_free(struct kafka_props *props)
{
	for (size_t i = 0; i < props->n; i++) {
		free(props->key[i]);
		free(props->value[i]);
	}
	props->n = 0;
}

int kafka_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value,
		   char *err, size_t errlen)
{
	char why[256];

	if (rd_kafka_conf_set(conf, key, value, why, sizeof(why)) !=
	    RD_KAFKA_CONF_OK) {
		snprintf(err, errlen, "kafka property %s: %s", key, why);
		return -1;
	}
	return 0;
}

rd_kafka_conf_t *kafka_conf_new(const char *brokers,
				const struct kafka_props *props, char *err,
				size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();

	if (brokers == NULL || *brokers == '\0') {
		snprintf(err, errlen, "no Kafka brokers given (--brokers)");
		goto fail;
	}
	if (kafka_conf_set(conf, "bootstrap.servers", brokers, err, errlen))
		goto fail;
	for (size_t i = 0; props != NULL && i < props->n; i++)
		if (kafka_conf_set(conf, props->key[i], props->value[i], err,
				   errlen))
			goto fail;
	return conf;
fail:
	rd_kafka_conf_destroy(conf);
	return NULL;
}

void kafka_offsets_at(rd_kafka_t *rk, const char *topic, const int32_t *parts,
		      size_t n, int64_t when, int timeout_ms, int64_t *out)
{
	rd_kafka_topic_partition_list_t *list =
		rd_kafka_topic_partition_list_new((int)n);
	rd_kafka_resp_err_t err;

	/* offsets_for_times with the special timestamps -1 (latest) and -2
	 * (earliest) is one ListOffsets request, and it keeps its timeout. */
	for (size_t k = 0; k < n; k++)
		rd_kafka_topic_partition_list_add(list, topic, parts[k])->offset =
			when;
	err = rd_kafka_offsets_for_times(rk, list, timeout_ms);
	for (size_t k = 0; k < n; k++) {
		const rd_kafka_topic_partition_t *p = &list->elems[k];

		out[k] = err == RD_KAFKA_RESP_ERR_NO_ERROR &&
				 p->err == RD_KAFKA_RESP_ERR_NO_ERROR &&
				 p->offset >= 0
			 ? p->offset
			 : -1;
	}
	rd_kafka_topic_partition_list_destroy(list);
}

rd_kafka_resp_err_t kafka_commit_bounded(
	rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *offsets,
	int timeout_ms)
{
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_resp_err_t err;
	rd_kafka_event_t *ev;

	/* With a queue and no callback the result arrives as an event; the
	 * queue is reference-counted, so a late answer after we gave up is
	 * dropped safely. */
	err = rd_kafka_commit_queue(rk, offsets, q, NULL, NULL);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		ev = rd_kafka_queue_poll(q, timeout_ms);
		if (ev == NULL) {
			err = RD_KAFKA_RESP_ERR__TIMED_OUT;
		} else {
			err = rd_kafka_event_error(ev);
			rd_kafka_event_destroy(ev);
		}
	}
	rd_kafka_queue_destroy(q);
	return err;
}

/* A revocation delivered on the close queue: give the partitions up. */
static void close_revoke(rd_kafka_t *rk, rd_kafka_event_t *ev)
{
	rd_kafka_error_t *error = NULL;

	if (strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0)
		error = rd_kafka_incremental_unassign(
			rk, rd_kafka_event_topic_partition_list(ev));
	else
		rd_kafka_assign(rk, NULL);
	if (error != NULL)
		rd_kafka_error_destroy(error);
}

void kafka_consumer_destroy_bounded(rd_kafka_t *rk, int timeout_ms)
{
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_error_t *error = rd_kafka_consumer_close_queue(rk, q);
	double deadline = clock_mono_ms() + timeout_ms;

	if (error != NULL) {
		log_warn("consumer: leaving the group: %s",
			 rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	} else {
		while (!rd_kafka_consumer_closed(rk) &&
		       clock_mono_ms() < deadline) {
			rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);

			if (ev == NULL)
				continue;
			if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_REBALANCE)
				close_revoke(rk, ev);
			rd_kafka_event_destroy(ev);
		}
		if (!rd_kafka_consumer_closed(rk))
			log_warn("consumer: the broker did not answer within %d ms; "
				 "leaving without it", timeout_ms);
	}
	rd_kafka_queue_destroy(q);
	rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

int kafka_stats_broker_up(const char *json, size_t len)
{
	json_t *doc = json_loadb(json, len, 0, NULL);
	json_t *brokers = json_object_get(doc, "brokers");
	const char *name;
	json_t *b;
	int up = 0;

	if (!json_is_object(brokers)) {
		json_decref(doc);
		return -1;
	}
	json_object_foreach(brokers, name, b) {
		const char *state = json_string_value(json_object_get(b, "state"));

		if (state != NULL && strcmp(state, "UP") == 0)
			up = 1;
	}
	json_decref(doc);
	return up;
}
