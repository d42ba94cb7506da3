#include "display-svc/display_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consumer/consumer_http.h"

void display_http_reply(struct http_req *req, unsigned status, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT |
						     JSON_REAL_PRECISION(10))
			  : NULL;

	json_decref(body);
	if (text == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		return;
	}
	http_reply_text(req, status, "application/json", text);
	free(text);
}

static void handle_shop(struct http_req *req)
{
	struct display_svc *svc = req->ctx;
	int64_t id;
	char *doc = NULL;

	if (http_parse_id(req->params[0], &id)) {
		http_reply_problem(req, 400, "Bad Request",
				   "id: must be a positive integer",
				   json_pack("{s:s, s:s}", "field", "id", "rule",
					     "format"));
		return;
	}
	switch (display_db_doc(svc->db, id, &doc)) {
	case DISPLAY_DB_FOUND:
		/* Served as stored: the document is finished at write time. */
		http_reply_text(req, 200, "application/json", doc);
		free(doc);
		return;
	case DISPLAY_DB_MISSING:
		http_reply_problem(req, 404, "Not Found",
				   "no store with this id", NULL);
		return;
	case DISPLAY_DB_GONE:
		http_reply_problem(req, 410, "Gone",
				   "the store has been deleted", NULL);
		return;
	default:
		http_reply_problem(req, 503, "Service Unavailable",
				   "the view database failed", NULL);
		return;
	}
}

/* Outcome counts of one dependency's calls so far, for /health. */
static json_t *dep_health(const struct display_svc *svc, enum display_dep d)
{
	json_t *calls = json_object();

	for (int st = FANOUT_OK; st < FANOUT_STATUS_COUNT; st++) {
		uint64_t n = display_stats_fanout_count(svc->stats, d, st);

		if (n > 0)
			json_object_set_new(calls, display_fanout_status_name(st),
					    json_integer((json_int_t)n));
	}
	return json_pack("{s:o, s:o}", "url",
			 svc->dep_url[d] ? json_string(svc->dep_url[d])
					 : json_null(),
			 "calls", calls);
}

/*
 * The runtime's /health shape (consumer/consumer_http.h) with display-svc's
 * members: "status" is error (503) when the database fails, degraded while
 * the store.events consumer is missing, not running or its breaker is not
 * closed, or while review.events batches keep failing; ok otherwise.
 */
static void handle_health(struct http_req *req)
{
	struct display_svc *svc = req->ctx;
	struct consumer *c = atomic_load(&svc->consumer);
	unsigned failing = display_stats_review_failures(svc->stats);
	const char *status = "ok";
	json_t *body, *deps = json_object(), *reviews, *consumer = json_null();
	int64_t held = 0;
	char err[256];
	int ok = display_db_count(svc->db, &held, err, sizeof(err)) == 0;

	for (int d = 0; d < DISPLAY_DEP_COUNT; d++)
		json_object_set_new(deps, display_dep_name(d), dep_health(svc, d));
	reviews = json_pack("{s:s, s:i, s:I, s:I, s:I, s:I}", "state",
			    !svc->reviews_enabled ? "disabled" :
			    failing > 0 ? "retrying" : "running",
			    "consecutive_failures", (int)failing,
			    "applied",
			    (json_int_t)display_stats_review_count(
				    svc->stats, REACTION_APPLIED),
			    "deleted",
			    (json_int_t)display_stats_review_count(
				    svc->stats, REACTION_DELETED),
			    "skipped_stale",
			    (json_int_t)display_stats_review_count(
				    svc->stats, REACTION_SKIPPED_STALE),
			    "failed",
			    (json_int_t)display_stats_review_count(
				    svc->stats, REACTION_FAILED));
	if (c != NULL) {
		struct consumer_stats st;

		consumer_get_stats(c, &st);
		if (!st.running || st.breaker != BREAKER_CLOSED)
			status = "degraded";
		consumer = consumer_stats_json(&st);
	} else {
		status = "degraded";
	}
	if (failing > 0)
		status = "degraded";
	if (!ok)
		status = "error";
	body = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "status", status,
			 "database", ok ? "ok" : err, "documents",
			 ok ? json_integer((json_int_t)held) : json_null(),
			 "fanout", deps, "reviews", reviews, "consumer",
			 consumer ? consumer : json_null());
	display_http_reply(req, ok ? 200 : 503, body);
}

static void handle_metrics(struct http_req *req)
{
	struct display_svc *svc = req->ctx;
	struct consumer *c = atomic_load(&svc->consumer);
	char *own, err[64];
	int64_t held = -1;

	if (display_db_count(svc->db, &held, err, sizeof(err)))
		held = -1;
	own = display_stats_text(svc->stats, held);
	if (own == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory rendering the metrics", NULL);
		return;
	}
	consumer_http_metrics(req, &c, 1, own);
	free(own);
}

const struct http_route display_http_routes[] = {
	{ "GET", "/shops", display_http_list },
	{ "GET", "/shops/{id}", handle_shop },
	{ "GET", "/replica/stores", display_http_replica },
	{ "GET", "/health", handle_health },
	{ "GET", "/metrics", handle_metrics },
	{ 0 },
};
