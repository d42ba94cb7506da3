#include "reviews-svc/reviews_http.h"

#include <inttypes.h>
#include <stdio.h>

#include "common/auth_http.h"
#include "common/clock.h"
#include "consumer/consumer_http.h"
#include "consumer/ds_lookup.h"
#include "consumer/ds_params.h"
#include "consumer/ds_service.h"
#include "outbox/outbox.h"
#include "reviews-svc/review.h"
#include "reviews-svc/reviews_db.h"

#define LIST_DEFAULT 50
#define LIST_MAX 500

static void reply_gone(struct http_req *req, int64_t id)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "store %" PRId64 " was deleted", id);
	http_reply_problem(req, 410, "Gone", detail, NULL);
}

static void reply_unknown(struct http_req *req, int64_t id)
{
	char detail[64];

	snprintf(detail, sizeof(detail), "no store has id %" PRId64, id);
	http_reply_problem(req, 404, "Not Found", detail, NULL);
}

static void reply_db_failed(struct http_req *req)
{
	http_reply_problem(req, 500, "Internal Server Error",
			   "the reviews database failed", NULL);
}

/* The {id} of /stores/{id}/...; 0, or -1 after replying 400. */
static int store_arg(struct http_req *req, int64_t *id)
{
	if (ds_parse_id(req->params[0], id) == 0)
		return 0;
	ds_reply_bad_param(req, "id", "type", "id: must be a positive store id");
	return -1;
}

/* 1 when the copy knows the store as deleted (after replying 410), 0
 * otherwise, -1 after replying 500. */
static int gone(struct http_req *req, struct reviews_db *db, int64_t id)
{
	struct ds_copy_ops copy;
	enum ds_store_state state;

	reviews_db_copy(db, &copy);
	if (copy.state(copy.ctx, id, &state)) {
		reply_db_failed(req);
		return -1;
	}
	if (state == DS_STORE_DELETED) {
		reply_gone(req, id);
		return 1;
	}
	return 0;
}

static void handle_create(struct http_req *req)
{
	struct reviews_svc *svc = ds_state(req);
	const struct svc_opts *opts = ds_opts(req);
	struct ds_copy_ops copy;
	struct ds_violation v;
	struct review r;
	enum ds_store_state known;
	int64_t id;
	json_t *body;
	char err[256], location[48];
	struct auth_caller c;

	if (auth_http_writer(req, svc->auth, "reviews-svc", &c) ||
	    store_arg(req, &id))
		return;
	body = http_body_json(req);
	if (body == NULL)
		return;
	if (reviews_check(body, &r, &v)) {
		json_decref(body);
		ds_reply_invalid(req, v.field, v.rule, v.detail);
		return;
	}
	json_decref(body);
	r.store_id = id;
	r.created_at_ms = clock_wall_ms();

	reviews_db_copy(svc->db, &copy);
	known = ds_store_known(&copy, opts->store_api, opts->token, id, err,
			       sizeof(err));
	if (known == DS_STORE_UNAVAILABLE) {
		http_reply_problem(req, 503, "Service Unavailable", err, NULL);
		return;
	}
	if (known == DS_STORE_DELETED) {
		reply_gone(req, id);
		return;
	}
	if (known == DS_STORE_MISSING) {
		reply_unknown(req, id);
		return;
	}
	switch (reviews_db_create(svc->db, &r, NULL)) {
	case REVIEWS_DB_OK:
		outbox_relay_kick(atomic_load(&svc->relay));
		snprintf(location, sizeof(location), "/reviews/%" PRId64, r.id);
		http_add_header(req, "Location", location);
		http_reply_json(req, 201, reviews_json(&r));
		break;
	case REVIEWS_DB_NO_STORE:
		/* Deleted between the check and the write. */
		reply_gone(req, id);
		break;
	default:
		reply_db_failed(req);
		break;
	}
}

static void handle_list(struct http_req *req)
{
	struct reviews_svc *svc = ds_state(req);
	int64_t id;
	int limit;
	json_t *list;

	if (store_arg(req, &id))
		return;
	if (ds_parse_limit(http_query(req, "limit"), LIST_DEFAULT, LIST_MAX,
			   &limit)) {
		ds_reply_bad_param(req, "limit", "range",
				   "limit: must be an integer from 1 to 500");
		return;
	}
	if (gone(req, svc->db, id))
		return;
	list = reviews_db_list(svc->db, id, limit);
	if (list == NULL)
		reply_db_failed(req);
	else
		http_reply_json(req, 200, list);
}

static void handle_summary(struct http_req *req)
{
	struct reviews_svc *svc = ds_state(req);
	struct review_summary s;
	int64_t id;

	if (store_arg(req, &id) || gone(req, svc->db, id))
		return;
	if (reviews_db_summary(svc->db, id, &s))
		reply_db_failed(req);
	else
		http_reply_json(req, 200, reviews_summary_json(&s));
}

static void handle_delete(struct http_req *req)
{
	struct reviews_svc *svc = ds_state(req);
	int64_t id;
	char detail[64];
	struct auth_caller c;

	if (auth_http_operator(req, svc->auth, "reviews-svc",
			       "reviews are removed by the operator role", &c))
		return;
	if (ds_parse_id(req->params[0], &id)) {
		ds_reply_bad_param(req, "id", "type",
				   "id: must be a positive review id");
		return;
	}
	switch (reviews_db_delete(svc->db, id, clock_wall_ms(), NULL)) {
	case REVIEWS_DB_OK:
		outbox_relay_kick(atomic_load(&svc->relay));
		http_reply_text(req, 204, "text/plain", "");
		break;
	case REVIEWS_DB_NOT_FOUND:
		snprintf(detail, sizeof(detail), "no review has id %" PRId64, id);
		http_reply_problem(req, 404, "Not Found", detail, NULL);
		break;
	default:
		reply_db_failed(req);
		break;
	}
}

static void handle_replica(struct http_req *req)
{
	struct reviews_svc *svc = ds_state(req);
	int64_t after;
	int limit;
	json_t *page;

	if (ds_parse_page(req, &after, &limit))
		return;
	page = reviews_db_replica(svc->db, after, limit);
	if (page == NULL)
		reply_db_failed(req);
	else
		http_reply_json(req, 200, page);
}

static void handle_health(struct http_req *req)
{
	struct reviews_svc *svc = ds_state(req);
	int64_t stores = 0, reviews = 0, pending = 0;
	double oldest = 0, age = 0;
	int ok = reviews_db_counts(svc->db, &stores, &reviews, &pending,
				   &oldest) == 0;

	if (pending > 0 && oldest > 0)
		age = (clock_wall_ms() - oldest) / 1000.0;
	consumer_http_health(
		req, ds_consumer(req), ok,
		json_pack("{s:s, s:s, s:I, s:I, s:I, s:f}", "database",
			  ok ? "ok" : "error", "broker",
			  outbox_relay_broker_up(atomic_load(&svc->relay))
				  ? "ok" : "down",
			  "held", (json_int_t)stores, "reviews",
			  (json_int_t)reviews, "outbox_pending",
			  (json_int_t)pending, "outbox_oldest_age_s",
			  age > 0 ? age : 0.0));
}

static void handle_metrics(struct http_req *req)
{
	struct reviews_svc *svc = ds_state(req);
	struct consumer *c = ds_consumer(req);
	int64_t stores = 0, reviews = 0, pending = 0;
	uint64_t published = 0, failed = 0;
	double oldest = 0;
	char extra[1536] = "";

	outbox_relay_counts(atomic_load(&svc->relay), &published, &failed);
	if (reviews_db_counts(svc->db, &stores, &reviews, &pending, &oldest) == 0)
		snprintf(extra, sizeof(extra),
			 "# HELP storectl_reviews_stores Live stores in reviews-svc's copy.\n"
			 "# TYPE storectl_reviews_stores gauge\n"
			 "storectl_reviews_stores %" PRId64 "\n"
			 "# HELP storectl_reviews_total Reviews held.\n"
			 "# TYPE storectl_reviews_total gauge\n"
			 "storectl_reviews_total %" PRId64 "\n"
			 "# HELP storectl_outbox_pending review.events rows not yet confirmed by Kafka.\n"
			 "# TYPE storectl_outbox_pending gauge\n"
			 "storectl_outbox_pending %" PRId64 "\n"
			 "# HELP storectl_outbox_published_total review.events messages Kafka confirmed.\n"
			 "# TYPE storectl_outbox_published_total counter\n"
			 "storectl_outbox_published_total %" PRIu64 "\n"
			 "# HELP storectl_outbox_failed_total Deliveries that failed and were retried.\n"
			 "# TYPE storectl_outbox_failed_total counter\n"
			 "storectl_outbox_failed_total %" PRIu64 "\n",
			 stores, reviews, pending, published, failed);
	consumer_http_metrics(req, &c, 1, extra);
}

const struct http_route reviews_http_routes[] = {
	{ "POST", "/stores/{id}/reviews", handle_create },
	{ "GET", "/stores/{id}/reviews", handle_list },
	{ "GET", "/stores/{id}/reviews/summary", handle_summary },
	{ "DELETE", "/reviews/{id}", handle_delete },
	{ "GET", "/replica/stores", handle_replica },
	{ "GET", "/health", handle_health },
	{ "GET", "/metrics", handle_metrics },
	{ 0 },
};
