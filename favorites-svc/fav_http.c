#include "favorites-svc/fav_http.h"

#include <inttypes.h>
#include <stdio.h>

#include "common/auth_http.h"
#include "common/clock.h"
#include "consumer/consumer_http.h"
#include "consumer/ds_lookup.h"
#include "consumer/ds_params.h"
#include "consumer/ds_service.h"
#include "favorites-svc/fav_db.h"

#define LIST_DEFAULT 100
#define LIST_MAX 1000

static struct fav_db *db_of(struct http_req *req)
{
	return ((struct fav_svc *)ds_state(req))->db;
}

/* 0 when the caller may write (owner, operator), else -1 after 401/403. */
static int writer(struct http_req *req)
{
	struct auth_caller c;

	return auth_http_writer(req, ((struct fav_svc *)ds_state(req))->auth,
				"favorites-svc", &c);
}

/* The {user} and {store_id} of the path; 0, or -1 after replying 400. */
static int path_args(struct http_req *req, const char **user,
		     int64_t *store_id)
{
	*user = req->params[0];
	if (!ds_valid_user(*user)) {
		ds_reply_bad_param(req, "user", "pattern",
				   "user: must be 1-64 characters A-Z, a-z, 0-9, _, ., @ and -");
		return -1;
	}
	if (store_id != NULL && ds_parse_id(req->params[1], store_id)) {
		ds_reply_bad_param(req, "store_id", "type",
				   "store_id: must be a positive integer");
		return -1;
	}
	return 0;
}

static void reply_no_store(struct http_req *req, int64_t id, int deleted)
{
	char detail[96];

	snprintf(detail, sizeof(detail),
		 deleted ? "store %" PRId64 " was deleted"
			 : "no store has id %" PRId64, id);
	http_reply_problem(req, 404, "Not Found", detail,
			   json_pack("{s:s, s:s}", "field", "store_id", "rule",
				     deleted ? "deleted" : "exists"));
}

static void handle_put(struct http_req *req)
{
	struct fav_db *db = db_of(req);
	const struct svc_opts *opts = ds_opts(req);
	struct ds_copy_ops copy;
	const char *user;
	int64_t id;
	enum ds_store_state known;
	char err[256];

	if (writer(req) || path_args(req, &user, &id))
		return;
	fav_db_copy(db, &copy);
	known = ds_store_known(&copy, opts->store_api, opts->token, id, err,
			       sizeof(err));
	if (known == DS_STORE_UNAVAILABLE) {
		http_reply_problem(req, 503, "Service Unavailable", err, NULL);
		return;
	}
	if (known != DS_STORE_FOUND) {
		reply_no_store(req, id, known == DS_STORE_DELETED);
		return;
	}
	switch (fav_db_add(db, user, id, clock_wall_ms())) {
	case FAV_ADDED:
		http_reply_text(req, 204, "text/plain", "");
		break;
	case FAV_NO_STORE:
		/* Deleted between the check and the write. */
		reply_no_store(req, id, 1);
		break;
	case FAV_DB_ERROR:
		http_reply_problem(req, 500, "Internal Server Error",
				   "the favorites database failed", NULL);
		break;
	}
}

static void handle_delete(struct http_req *req)
{
	const char *user;
	int64_t id;

	if (writer(req) || path_args(req, &user, &id))
		return;
	if (fav_db_remove(db_of(req), user, id))
		http_reply_problem(req, 500, "Internal Server Error",
				   "the favorites database failed", NULL);
	else
		http_reply_text(req, 204, "text/plain", "");
}

static void handle_list(struct http_req *req)
{
	const char *user;
	int limit;
	json_t *list;

	if (path_args(req, &user, NULL))
		return;
	if (ds_parse_limit(http_query(req, "limit"), LIST_DEFAULT, LIST_MAX,
			   &limit)) {
		ds_reply_bad_param(req, "limit", "range",
				   "limit: must be an integer from 1 to 1000");
		return;
	}
	list = fav_db_list(db_of(req), user, limit);
	if (list == NULL)
		http_reply_problem(req, 500, "Internal Server Error",
				   "the favorites database failed", NULL);
	else
		http_reply_json(req, 200, list);
}

static void handle_replica(struct http_req *req)
{
	int64_t after;
	int limit;
	json_t *page;

	if (ds_parse_page(req, &after, &limit))
		return;
	page = fav_db_replica(db_of(req), after, limit);
	if (page == NULL)
		http_reply_problem(req, 500, "Internal Server Error",
				   "the favorites database failed", NULL);
	else
		http_reply_json(req, 200, page);
}

static void handle_health(struct http_req *req)
{
	int64_t stores = 0, favorites = 0, users = 0;
	int ok = fav_db_counts(db_of(req), &stores, &favorites, &users) == 0;

	consumer_http_health(req, ds_consumer(req), ok,
			     json_pack("{s:s, s:I, s:I, s:I}", "database",
				       ok ? "ok" : "error", "held",
				       (json_int_t)stores, "favorites",
				       (json_int_t)favorites, "users",
				       (json_int_t)users));
}

static void handle_metrics(struct http_req *req)
{
	struct consumer *c = ds_consumer(req);
	int64_t stores = 0, favorites = 0, users = 0;
	char extra[640] = "";

	if (fav_db_counts(db_of(req), &stores, &favorites, &users) == 0)
		snprintf(extra, sizeof(extra),
			 "# HELP storectl_favorites_stores Live stores in favorites-svc's copy.\n"
			 "# TYPE storectl_favorites_stores gauge\n"
			 "storectl_favorites_stores %" PRId64 "\n"
			 "# HELP storectl_favorites_entries Favorites held, over all users.\n"
			 "# TYPE storectl_favorites_entries gauge\n"
			 "storectl_favorites_entries %" PRId64 "\n"
			 "# HELP storectl_favorites_users Users with at least one favorite.\n"
			 "# TYPE storectl_favorites_users gauge\n"
			 "storectl_favorites_users %" PRId64 "\n",
			 stores, favorites, users);
	consumer_http_metrics(req, &c, 1, extra);
}

const struct http_route fav_http_routes[] = {
	{ "PUT", "/users/{user}/favorites/{store_id}", handle_put },
	{ "DELETE", "/users/{user}/favorites/{store_id}", handle_delete },
	{ "GET", "/users/{user}/favorites", handle_list },
	{ "GET", "/replica/stores", handle_replica },
	{ "GET", "/health", handle_health },
	{ "GET", "/metrics", handle_metrics },
	{ 0 },
};
