#include "ads-svc/ads_http.h"

#include <inttypes.h>
#include <stdio.h>

#include "ads-svc/ads_db.h"
#include "ads-svc/campaign.h"
#include "common/auth_http.h"
#include "common/category.h"
#include "common/clock.h"
#include "consumer/consumer_http.h"
#include "consumer/ds_lookup.h"
#include "consumer/ds_params.h"
#include "consumer/ds_service.h"

#define ADS_LIMIT_DEFAULT 20
#define ADS_LIMIT_MAX 100
#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX 1000

#define OPERATOR_ONLY "campaigns are started and ended by the operator role"

static struct ads_db *db_of(struct http_req *req)
{
	return ((struct ads_svc *)ds_state(req))->db;
}

/* 0 when the caller is an operator, else -1 after replying 401/403. */
static int operator_only(struct http_req *req)
{
	struct auth_caller c;

	return auth_http_operator(req, ((struct ads_svc *)ds_state(req))->auth,
				  "ads-svc", OPERATOR_ONLY, &c);
}

/* An empty argument counts as absent. */
static const char *arg(struct http_req *req, const char *key)
{
	const char *v = http_query(req, key);

	return v != NULL && *v != '\0' ? v : NULL;
}

static void handle_create(struct http_req *req)
{
	struct ads_db *db = db_of(req);
	const struct svc_opts *opts = ds_opts(req);
	double now = clock_wall_ms();
	struct ads_campaign c;
	struct ds_violation v;
	struct ds_copy_ops copy;
	enum ds_store_state known;
	char err[256], location[64];
	json_t *body;

	if (operator_only(req))
		return;
	body = http_body_json(req);
	if (body == NULL)
		return;
	if (ads_campaign_check(body, now, &c, &v)) {
		json_decref(body);
		ds_reply_invalid(req, v.field, v.rule, v.detail);
		return;
	}
	json_decref(body);
	ads_db_copy(db, &copy);
	known = ds_store_known(&copy, opts->store_api, opts->token, c.store_id,
			       err, sizeof(err));
	if (known == DS_STORE_UNAVAILABLE) {
		http_reply_problem(req, 503, "Service Unavailable", err, NULL);
		return;
	}
	if (known != DS_STORE_FOUND) {
		snprintf(err, sizeof(err),
			 known == DS_STORE_DELETED ? "store %" PRId64 " was deleted"
						   : "no store has id %" PRId64,
			 c.store_id);
		ds_reply_invalid(req, "store_id",
				 known == DS_STORE_DELETED ? "deleted" : "exists",
				 err);
		return;
	}
	switch (ads_db_create(db, &c)) {
	case ADS_DB_OK:
		snprintf(location, sizeof(location), "/campaigns/%" PRId64, c.id);
		http_add_header(req, "Location", location);
		http_reply_json(req, 201, ads_campaign_json(&c, now));
		break;
	case ADS_DB_NO_STORE:
		ds_reply_invalid(req, "store_id", "deleted",
				 "the store was deleted meanwhile");
		break;
	default:
		http_reply_problem(req, 500, "Internal Server Error",
				   "the ads database failed", NULL);
		break;
	}
}

static void handle_list(struct http_req *req)
{
	const char *store = arg(req, "store_id");
	int64_t store_id = 0;
	int limit;
	json_t *list;

	if (store != NULL && ds_parse_id(store, &store_id)) {
		ds_reply_bad_param(req, "store_id", "type",
				   "store_id: must be a positive integer");
		return;
	}
	if (ds_parse_limit(http_query(req, "limit"), LIST_LIMIT_DEFAULT,
			   LIST_LIMIT_MAX, &limit)) {
		ds_reply_bad_param(req, "limit", "range",
				   "limit: must be an integer from 1 to 1000");
		return;
	}
	list = ads_db_list(db_of(req), store_id, limit, clock_wall_ms());
	if (list == NULL)
		http_reply_problem(req, 500, "Internal Server Error",
				   "the ads database failed", NULL);
	else
		http_reply_json(req, 200, list);
}

static void handle_end(struct http_req *req)
{
	double now = clock_wall_ms();
	struct ads_campaign c;
	int64_t id;
	char detail[64];

	if (operator_only(req))
		return;
	if (ds_parse_id(req->params[0], &id)) {
		ds_reply_bad_param(req, "id", "type",
				   "id: must be a positive integer");
		return;
	}
	switch (ads_db_end(db_of(req), id, now, &c)) {
	case ADS_DB_OK:
		http_reply_json(req, 200, ads_campaign_json(&c, now));
		break;
	case ADS_DB_NOT_FOUND:
		snprintf(detail, sizeof(detail), "no campaign has id %" PRId64, id);
		http_reply_problem(req, 404, "Not Found", detail, NULL);
		break;
	default:
		http_reply_problem(req, 500, "Internal Server Error",
				   "the ads database failed", NULL);
		break;
	}
}

static void handle_ads(struct http_req *req)
{
	const char *area = http_query(req, "area");
	const char *category = http_query(req, "category");
	int64_t ids[ADS_LIMIT_MAX];
	size_t n = 0;
	int limit;
	json_t *list;

	/* Campaigns target an area and a category: an empty one is a
	 * mistake (it would list nothing), not "any". */
	if (area != NULL && !ds_valid_area(area)) {
		ds_reply_bad_param(req, "area", "pattern",
				   "area: must be a district code of 2-32 characters a-z, 0-9 and -");
		return;
	}
	if (category != NULL && !category_known(category)) {
		char names[128], detail[192];

		snprintf(detail, sizeof(detail),
			 "category: not a known category; one of %s",
			 category_list(names, sizeof(names)));
		ds_reply_bad_param(req, "category", "enum", detail);
		return;
	}
	if (ds_parse_limit(http_query(req, "limit"), ADS_LIMIT_DEFAULT,
			   ADS_LIMIT_MAX, &limit)) {
		ds_reply_bad_param(req, "limit", "range",
				   "limit: must be an integer from 1 to 100");
		return;
	}
	if (ads_db_ads(db_of(req), area, category, clock_wall_ms(), ids,
		       (size_t)limit, &n)) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "the ads database failed", NULL);
		return;
	}
	list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_integer((json_int_t)ids[i]));
	http_reply_json(req, 200, json_pack("{s:o}", "ids", list));
}

static void handle_replica(struct http_req *req)
{
	int64_t after;
	int limit;
	json_t *page;

	if (ds_parse_page(req, &after, &limit))
		return;
	page = ads_db_replica(db_of(req), after, limit);
	if (page == NULL)
		http_reply_problem(req, 500, "Internal Server Error",
				   "the ads database failed", NULL);
	else
		http_reply_json(req, 200, page);
}

static void handle_health(struct http_req *req)
{
	int64_t stores = 0, active = 0;
	int ok = ads_db_counts(db_of(req), clock_wall_ms(), &stores,
			       &active) == 0;

	consumer_http_health(req, ds_consumer(req), ok,
			     json_pack("{s:s, s:I, s:I}", "database",
				       ok ? "ok" : "error", "held",
				       (json_int_t)stores, "active_campaigns",
				       (json_int_t)active));
}

static void handle_metrics(struct http_req *req)
{
	struct consumer *c = ds_consumer(req);
	int64_t stores = 0, active = 0;
	char extra[512] = "";

	if (ads_db_counts(db_of(req), clock_wall_ms(), &stores, &active) == 0)
		snprintf(extra, sizeof(extra),
			 "# HELP storectl_ads_stores Live stores in ads-svc's copy.\n"
			 "# TYPE storectl_ads_stores gauge\n"
			 "storectl_ads_stores %" PRId64 "\n"
			 "# HELP storectl_ads_active_campaigns Campaigns running now.\n"
			 "# TYPE storectl_ads_active_campaigns gauge\n"
			 "storectl_ads_active_campaigns %" PRId64 "\n",
			 stores, active);
	consumer_http_metrics(req, &c, 1, extra);
}

const struct http_route ads_http_routes[] = {
	{ "POST", "/campaigns", handle_create },
	{ "GET", "/campaigns", handle_list },
	{ "POST", "/campaigns/{id}/end", handle_end },
	{ "GET", "/ads", handle_ads },
	{ "GET", "/replica/stores", handle_replica },
	{ "GET", "/health", handle_health },
	{ "GET", "/metrics", handle_metrics },
	{ 0 },
};
