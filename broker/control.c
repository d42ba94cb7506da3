#include "broker/control.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/httpd.h"
#include "common/log.h"

#define ERRORS_COUNT_MAX 10000

struct broker_control {
	struct httpd *httpd;
	rd_kafka_mock_cluster_t *mc;
	int brokers;
	atomic_int down;
};

/* The request types a test may want to fail; names as Kafka spells them. */
static const struct {
	const char *name;
	int key;
} api_keys[] = {
	{ "Produce", 0 },        { "Fetch", 1 },
	{ "ListOffsets", 2 },    { "Metadata", 3 },
	{ "OffsetCommit", 8 },   { "OffsetFetch", 9 },
	{ "FindCoordinator", 10 }, { "JoinGroup", 11 },
	{ "Heartbeat", 12 },     { "SyncGroup", 14 },
	{ "InitProducerId", 22 },
};

static const struct {
	const char *name;
	rd_kafka_resp_err_t code;
} error_codes[] = {
	{ "NOT_LEADER_FOR_PARTITION", RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION },
	{ "LEADER_NOT_AVAILABLE", RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE },
	{ "REQUEST_TIMED_OUT", RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT },
	{ "NOT_ENOUGH_REPLICAS", RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS },
	{ "BROKER_NOT_AVAILABLE", RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE },
	{ "NETWORK_EXCEPTION", RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION },
	{ "COORDINATOR_NOT_AVAILABLE", RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE },
	{ "NOT_COORDINATOR", RD_KAFKA_RESP_ERR_NOT_COORDINATOR },
	/* Not a protocol error: the broker drops the connection instead. */
	{ "TRANSPORT", RD_KAFKA_RESP_ERR__TRANSPORT },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int broker_control_api_key(const char *name)
{
	for (size_t i = 0; name != NULL && i < COUNT(api_keys); i++)
		if (strcmp(api_keys[i].name, name) == 0)
			return api_keys[i].key;
	return -1;
}

int broker_control_error_code(const char *name)
{
	for (size_t i = 0; name != NULL && i < COUNT(error_codes); i++)
		if (strcmp(error_codes[i].name, name) == 0)
			return error_codes[i].code;
	return 0;
}

/* "a, b, c" of a table's names, for error messages. */
#define NAMES_OF(table, buf)                                              \
	do {                                                              \
		(buf)[0] = '\0';                                          \
		for (size_t i_ = 0; i_ < COUNT(table); i_++) {            \
			if (i_ > 0)                                       \
				strcat((buf), ", ");                      \
			strcat((buf), (table)[i_].name);                  \
		}                                                         \
	} while (0)

/* Sets every broker down (down = 1) or up; replies 200 or 500. */
static void set_all(struct http_req *req, int down)
{
	struct broker_control *bc = req->ctx;

	for (int id = 1; id <= bc->brokers; id++) {
		rd_kafka_resp_err_t err =
			down ? rd_kafka_mock_broker_set_down(bc->mc, id)
			     : rd_kafka_mock_broker_set_up(bc->mc, id);

		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			char detail[160];

			snprintf(detail, sizeof(detail), "broker %d: %s", id,
				 rd_kafka_err2str(err));
			http_reply_problem(req, 500, "Internal Server Error",
					   detail, NULL);
			return;
		}
	}
	atomic_store(&bc->down, down);
	log_info("control: %d broker(s) %s", bc->brokers, down ? "down" : "up");
	http_reply_json(req, 200,
			json_pack("{sisb}", "brokers", bc->brokers, "down", down));
}

static void handle_down(struct http_req *req)
{
	set_all(req, 1);
}

static void handle_up(struct http_req *req)
{
	set_all(req, 0);
}

static void bad_member(struct http_req *req, const char *field,
		       const char *detail)
{
	http_reply_problem(req, 422, "Unprocessable Content", detail,
			   json_pack("{ss}", "field", field));
}

static void handle_errors(struct http_req *req)
{
	struct broker_control *bc = req->ctx;
	json_t *doc = http_body_json(req);
	const char *api, *code;
	char names[512], detail[600];
	rd_kafka_resp_err_t *errs;
	json_int_t count = 1;
	json_t *count_v;
	int key, err;

	if (doc == NULL)
		return;
	api = json_string_value(json_object_get(doc, "api"));
	code = json_string_value(json_object_get(doc, "code"));
	count_v = json_object_get(doc, "count");
	key = broker_control_api_key(api);
	err = broker_control_error_code(code);
	if (key < 0) {
		NAMES_OF(api_keys, names);
		snprintf(detail, sizeof(detail), "api must be one of: %s", names);
		bad_member(req, "api", detail);
		goto out;
	}
	if (err == 0) {
		NAMES_OF(error_codes, names);
		snprintf(detail, sizeof(detail), "code must be one of: %s", names);
		bad_member(req, "code", detail);
		goto out;
	}
	if (count_v != NULL) {
		count = json_is_integer(count_v) ? json_integer_value(count_v) : 0;
		if (count < 1 || count > ERRORS_COUNT_MAX) {
			snprintf(detail, sizeof(detail),
				 "count must be a whole number from 1 to %d",
				 ERRORS_COUNT_MAX);
			bad_member(req, "count", detail);
			goto out;
		}
	}
	errs = malloc((size_t)count * sizeof(*errs));
	if (errs == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		goto out;
	}
	for (json_int_t i = 0; i < count; i++)
		errs[i] = (rd_kafka_resp_err_t)err;
	rd_kafka_mock_push_request_errors_array(bc->mc, (int16_t)key,
						(size_t)count, errs);
	free(errs);
	log_info("control: the next %lld %s requests fail with %s",
		 (long long)count, api, code);
	http_reply_json(req, 200,
			json_pack("{sssssI}", "api", api, "code", code, "count",
				  count));
out:
	json_decref(doc);
}

static void handle_health(struct http_req *req)
{
	struct broker_control *bc = req->ctx;

	http_reply_json(req, 200,
			json_pack("{sssisb}", "status", "ok", "brokers",
				  bc->brokers, "down", atomic_load(&bc->down)));
}

static const struct http_route control_routes[] = {
	{ "POST", "/brokers/down", handle_down },
	{ "POST", "/brokers/up", handle_up },
	{ "POST", "/errors", handle_errors },
	{ "GET", "/health", handle_health },
	{ NULL, NULL, NULL },
};

struct broker_control *broker_control_start(const char *listen,
					    rd_kafka_mock_cluster_t *mc,
					    int brokers, char *err,
					    size_t errlen)
{
	const struct httpd_limits limits = { .max_body = 4096, .threads = 1 };
	struct broker_control *bc = calloc(1, sizeof(*bc));

	if (bc == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	bc->mc = mc;
	bc->brokers = brokers;
	bc->httpd = httpd_start(listen, control_routes, &limits, bc, err,
				errlen);
	if (bc->httpd == NULL) {
		free(bc);
		return NULL;
	}
	return bc;
}

unsigned broker_control_port(const struct broker_control *bc)
{
	return httpd_port(bc->httpd);
}

void broker_control_stop(struct broker_control *bc)
{
	if (bc == NULL)
		return;
	httpd_stop(bc->httpd);
	free(bc);
}
