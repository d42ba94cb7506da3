/* The operator's endpoints: injected faults and resync (store_http_ops.h). */
#include "store-svc/store_http_ops.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/event.h"
#include "common/clock.h"
#include "common/log.h"
#include "store-svc/relay.h"
#include "store-svc/store_db.h"
#include "store-svc/store_http.h"

#define LATENCY_MAX_MS 30000
#define FOR_MAX_S (7 * 24 * 3600)
#define RESYNC_IDS_MAX 10000
/* An injected wait is slept in slices this long, so a stop ends it. */
#define SLICE_MS 20

enum fault_scope { SCOPE_SERVICE, SCOPE_ALL };

struct store_ops {
	pthread_mutex_t lock;
	/* What is injected; guarded by lock. */
	long latency_ms;
	double error_rate;
	double until_ms;          /* wall-clock ms; 0: until cleared */
	enum fault_scope scope;
	/* How often it struck, since it was set. */
	atomic_llong delayed, failed;
	atomic_int stopping;
};

static const char *const scope_names[] = { "service", "all" };

struct store_ops *store_ops_new(void)
{
	struct store_ops *ops = calloc(1, sizeof(*ops));

	if (ops != NULL)
		pthread_mutex_init(&ops->lock, NULL);
	return ops;
}

void store_ops_stop(struct store_ops *ops)
{
	if (ops != NULL)
		atomic_store(&ops->stopping, 1);
}

void store_ops_free(struct store_ops *ops)
{
	if (ops == NULL)
		return;
	pthread_mutex_destroy(&ops->lock);
	free(ops);
}

/* A uniform number in [0, 1) from a per-thread xorshift. */
static double draw(void)
{
	static _Thread_local uint64_t x;

	if (x == 0)
		x = ((uint64_t)(uintptr_t)&x << 17) ^
		    (uint64_t)(clock_mono_ms() * 1000.0) ^ 0x9e3779b97f4a7c15u;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return (double)(x >> 11) / (double)(1ull << 53);
}

/* What applies to one read right now: 0 when nothing. */
static int current(struct store_ops *ops, enum auth_role role,
		   long *latency_ms, double *error_rate)
{
	int on;

	pthread_mutex_lock(&ops->lock);
	if (ops->until_ms > 0 && clock_wall_ms() >= ops->until_ms) {
		/* It ran out: forget it, as a DELETE would. */
		ops->latency_ms = 0;
		ops->error_rate = 0;
		ops->until_ms = 0;
	}
	on = (ops->latency_ms > 0 || ops->error_rate > 0) &&
	     (ops->scope == SCOPE_ALL || role == AUTH_ROLE_SERVICE);
	*latency_ms = ops->latency_ms;
	*error_rate = ops->error_rate;
	pthread_mutex_unlock(&ops->lock);
	return on;
}

/*
 * The injected faults for one read. Returns 1 after replying 503 (the
 * handler is not called), 0 to go on.
 */
static int fault_read(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct store_ops *ops = svc->ops;
	struct auth_caller c;
	long latency_ms;
	double rate;

	if (ops == NULL)
		return 0;
	/* An unknown caller gets its 401 from the handler, unfaulted. */
	if (auth_check(svc->auth, http_header(req, "Authorization"),
			     &c) != AUTH_OK ||
	    !current(ops, c.role, &latency_ms, &rate))
		return 0;
	if (latency_ms > 0) {
		double end = clock_mono_ms() + (double)latency_ms;
		struct timespec slice = { 0, SLICE_MS * 1000000L };

		while (clock_mono_ms() < end && !atomic_load(&ops->stopping))
			nanosleep(&slice, NULL);
		atomic_fetch_add(&ops->delayed, 1);
	}
	if (rate > 0 && draw() < rate) {
		atomic_fetch_add(&ops->failed, 1);
		http_add_header(req, "Retry-After", "1");
		http_reply_problem(req, 503, "Service Unavailable",
				   "a fault injected by an operator (POST /ops/faults)",
				   json_pack("{ss}", "rule", "injected_fault"));
		return 1;
	}
	return 0;
}

void store_http_ops_list(struct http_req *req)
{
	if (!fault_read(req))
		store_http_list(req);
}

void store_http_ops_get(struct http_req *req)
{
	if (!fault_read(req))
		store_http_get(req);
}

/* The caller of an /ops request: the operator, or -1 after replying. */
static int operator_only(struct http_req *req)
{
	struct auth_caller c;

	if (store_http_caller(req, &c))
		return -1;
	if (c.role == AUTH_ROLE_OPERATOR)
		return 0;
	store_http_reply_forbidden(req, "operations are for the operator role",
				   NULL);
	return -1;
}

static json_t *faults_json(struct store_ops *ops)
{
	long latency_ms;
	double rate, until;
	enum fault_scope scope;
	char at[32];
	json_t *doc;

	/* current() also expires a fault that ran out. */
	current(ops, AUTH_ROLE_SERVICE, &latency_ms, &rate);
	pthread_mutex_lock(&ops->lock);
	latency_ms = ops->latency_ms;
	rate = ops->error_rate;
	until = ops->until_ms;
	scope = ops->scope;
	pthread_mutex_unlock(&ops->lock);
	clock_format_iso(until, at, sizeof(at));
	doc = json_pack("{s:b, s:I, s:f, s:s, s:o, s:I, s:I}", "active",
			latency_ms > 0 || rate > 0, "latency_ms",
			(json_int_t)latency_ms, "error_rate", rate, "scope",
			scope_names[scope], "until",
			until > 0 ? json_string(at) : json_null(), "delayed",
			(json_int_t)atomic_load(&ops->delayed), "failed",
			(json_int_t)atomic_load(&ops->failed));
	return doc;
}

void store_http_ops_faults_get(struct http_req *req)
{
	struct store_svc *svc = req->ctx;

	if (operator_only(req))
		return;
	http_reply_json(req, 200, faults_json(svc->ops));
}

static void bad_member(struct http_req *req, const char *field,
		       const char *rule, const char *detail)
{
	http_reply_problem(req, 422, "Unprocessable Content", detail,
			   json_pack("{ssss}", "field", field, "rule", rule));
}

/* The members of a POST /ops/faults; 0, or -1 after replying 422. */
static int parse_faults(struct http_req *req, json_t *doc, long *latency_ms,
			double *rate, double *until_ms,
			enum fault_scope *scope)
{
	static const char *const known[] = { "latency_ms", "error_rate",
					     "until", "for_s", "scope", NULL };
	json_t *lat = json_object_get(doc, "latency_ms");
	json_t *err = json_object_get(doc, "error_rate");
	json_t *until = json_object_get(doc, "until");
	json_t *for_s = json_object_get(doc, "for_s");
	json_t *sc = json_object_get(doc, "scope");
	char detail[160];
	const char *key;
	json_t *v;

	json_object_foreach(doc, key, v) {
		size_t i = 0;

		while (known[i] != NULL && strcmp(known[i], key) != 0)
			i++;
		if (known[i] == NULL) {
			snprintf(detail, sizeof(detail),
				 "unknown member \"%.40s\" (latency_ms, error_rate, until, for_s, scope)",
				 key);
			bad_member(req, key, "unknown", detail);
			return -1;
		}
	}
	*latency_ms = 0;
	*rate = 0;
	*until_ms = 0;
	*scope = SCOPE_SERVICE;
	if (lat != NULL) {
		if (!json_is_integer(lat) || json_integer_value(lat) < 0 ||
		    json_integer_value(lat) > LATENCY_MAX_MS) {
			snprintf(detail, sizeof(detail),
				 "latency_ms must be a whole number of milliseconds from 0 to %d",
				 LATENCY_MAX_MS);
			bad_member(req, "latency_ms", "range", detail);
			return -1;
		}
		*latency_ms = (long)json_integer_value(lat);
	}
	if (err != NULL) {
		if (!json_is_number(err) || !(json_number_value(err) >= 0) ||
		    json_number_value(err) > 1) {
			bad_member(req, "error_rate", "range",
				   "error_rate must be a number from 0 to 1 (the share of reads that fail)");
			return -1;
		}
		*rate = json_number_value(err);
	}
	if (until != NULL && for_s != NULL) {
		bad_member(req, "for_s", "exclusive", "give until or for_s, not both");
		return -1;
	}
	if (until != NULL &&
	    (!json_is_string(until) ||
	     clock_parse_iso(json_string_value(until), until_ms) ||
	     *until_ms <= clock_wall_ms())) {
		bad_member(req, "until", "format",
			   "until must be an ISO-8601 UTC time in the future, like 2026-11-24T10:00:00Z");
		return -1;
	}
	if (for_s != NULL) {
		if (!json_is_number(for_s) || !(json_number_value(for_s) > 0) ||
		    json_number_value(for_s) > FOR_MAX_S) {
			snprintf(detail, sizeof(detail),
				 "for_s must be a number of seconds above 0, at most %d",
				 FOR_MAX_S);
			bad_member(req, "for_s", "range", detail);
			return -1;
		}
		*until_ms = clock_wall_ms() + json_number_value(for_s) * 1000.0;
	}
	if (sc != NULL) {
		const char *name = json_string_value(sc);

		if (name != NULL && strcmp(name, "all") == 0) {
			*scope = SCOPE_ALL;
		} else if (name == NULL || strcmp(name, "service") != 0) {
			bad_member(req, "scope", "enum",
				   "scope must be service (the consumers' reads) or all (every caller's)");
			return -1;
		}
	}
	return 0;
}

void store_http_ops_faults_set(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct store_ops *ops = svc->ops;
	enum fault_scope scope;
	double rate, until_ms;
	long latency_ms;
	json_t *doc;

	if (operator_only(req))
		return;
	doc = http_body_json(req);
	if (doc == NULL)
		return;
	if (parse_faults(req, doc, &latency_ms, &rate, &until_ms, &scope)) {
		json_decref(doc);
		return;
	}
	json_decref(doc);
	pthread_mutex_lock(&ops->lock);
	ops->latency_ms = latency_ms;
	ops->error_rate = rate;
	ops->until_ms = until_ms;
	ops->scope = scope;
	atomic_store(&ops->delayed, 0);
	atomic_store(&ops->failed, 0);
	pthread_mutex_unlock(&ops->lock);
	log_warn("ops: faults injected into store reads (%s): latency %ld ms, error rate %.2f%s",
		 scope_names[scope], latency_ms, rate,
		 until_ms > 0 ? ", for a while" : ", until cleared");
	http_reply_json(req, 200, faults_json(ops));
}

void store_http_ops_faults_clear(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct store_ops *ops = svc->ops;

	if (operator_only(req))
		return;
	pthread_mutex_lock(&ops->lock);
	ops->latency_ms = 0;
	ops->error_rate = 0;
	ops->until_ms = 0;
	pthread_mutex_unlock(&ops->lock);
	log_info("ops: injected faults cleared");
	http_reply_json(req, 200, faults_json(ops));
}

/* The "stores" member: a list of ids into ids (*n), or "all" (*all). */
static int parse_stores(struct http_req *req, json_t *stores, int64_t *ids,
			size_t *n, int *all)
{
	char detail[128];
	size_t i;
	json_t *v;

	*n = 0;
	*all = 0;
	if (json_is_string(stores) &&
	    strcmp(json_string_value(stores), "all") == 0) {
		*all = 1;
		return 0;
	}
	if (!json_is_array(stores) || json_array_size(stores) == 0 ||
	    json_array_size(stores) > RESYNC_IDS_MAX) {
		snprintf(detail, sizeof(detail),
			 "stores must be \"all\" or a list of 1 to %d store ids",
			 RESYNC_IDS_MAX);
		bad_member(req, "stores", "format", detail);
		return -1;
	}
	json_array_foreach(stores, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			snprintf(detail, sizeof(detail),
				 "stores[%zu] must be a positive store id", i);
			bad_member(req, "stores", "format", detail);
			return -1;
		}
		ids[(*n)++] = (int64_t)json_integer_value(v);
	}
	return 0;
}

/* 1 when s may be a target: a service name as api/event.h has it. */
static int target_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < STORE_EVENT_TARGET_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

void store_http_ops_resync(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	const char *target = NULL;
	int64_t *ids = NULL, *missing = NULL;
	size_t n = 0, nmissing = 0;
	json_t *doc, *t, *list;
	int64_t rows;
	int all;

	if (operator_only(req))
		return;
	doc = http_body_json(req);
	if (doc == NULL)
		return;
	/* Like every other write: a member it does not know changes nothing. */
	{
		const char *key;
		json_t *v;

		json_object_foreach(doc, key, v) {
			if (strcmp(key, "stores") != 0 && strcmp(key, "target") != 0) {
				char detail[120];

				snprintf(detail, sizeof(detail),
					 "unknown member \"%.40s\" (stores, target)",
					 key);
				bad_member(req, key, "unknown", detail);
				goto out;
			}
		}
	}
	t = json_object_get(doc, "target");
	if (t != NULL && !json_is_null(t)) {
		if (!json_is_string(t) || !target_ok(json_string_value(t))) {
			bad_member(req, "target", "format",
				   "target must name one service, like search (a-z 0-9 _ -)");
			goto out;
		}
		target = json_string_value(t);
	}
	ids = malloc(RESYNC_IDS_MAX * sizeof(*ids));
	missing = malloc(RESYNC_IDS_MAX * sizeof(*missing));
	if (ids == NULL || missing == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		goto out;
	}
	if (parse_stores(req, json_object_get(doc, "stores"), ids, &n, &all))
		goto out;
	rows = store_db_resync(svc->db, all ? NULL : ids, n, target, missing,
			       &nmissing);
	if (rows < 0) {
		store_http_reply_db_error(req);
		goto out;
	}
	store_relay_kick(svc->relay);
	list = json_array();
	for (size_t i = 0; i < nmissing; i++)
		json_array_append_new(list, json_integer(missing[i]));
	http_reply_json(req, 202,
			json_pack("{s:I, s:o, s:o}", "events", (json_int_t)rows,
				  "target", target ? json_string(target) : json_null(),
				  "missing", list));
out:
	free(ids);
	free(missing);
	json_decref(doc);
}
