#include "search-svc/search_http.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/category.h"
#include "consumer/consumer_http.h"
#include "consumer/ds_params.h"
#include "consumer/ds_service.h"
#include "search-svc/query.h"
#include "search-svc/search_db.h"

#define LIMIT_DEFAULT 20
#define LIMIT_MAX 100

int search_http_parse_limit(const char *text, int *limit)
{
	return ds_parse_limit(text, LIMIT_DEFAULT, LIMIT_MAX, limit);
}

/* An empty argument counts as absent (a form's empty field). */
static const char *arg(struct http_req *req, const char *key)
{
	const char *v = http_query(req, key);

	return v != NULL && *v != '\0' ? v : NULL;
}

static void handle_search(struct http_req *req)
{
	struct search_db *db = ds_state(req);
	const char *q = http_query(req, "q");
	struct search_filter f = { .area = arg(req, "area"),
				   .category = arg(req, "category") };
	struct search_query query;
	int64_t ids[LIMIT_MAX];
	size_t n = 0;
	int limit, parsed = 0, rc;
	char err[128];
	json_t *list;

	if (search_http_parse_limit(http_query(req, "limit"), &limit)) {
		ds_reply_bad_param(req, "limit", "range",
				   "limit: must be an integer from 1 to 100");
		return;
	}
	if (f.area != NULL && !ds_valid_area(f.area)) {
		ds_reply_bad_param(req, "area", "pattern",
				   "area: must be a district code of 2-32 characters a-z, 0-9 and -");
		return;
	}
	if (f.category != NULL && !category_known(f.category)) {
		char names[128], detail[192];

		snprintf(detail, sizeof(detail),
			 "category: not a known category; one of %s",
			 category_list(names, sizeof(names)));
		ds_reply_bad_param(req, "category", "enum", detail);
		return;
	}
	/* q is needed only when nothing else narrows the list; beside a
	 * filter, a blank q is no q. */
	if (q != NULL) {
		if (search_query_parse(q, &query, err, sizeof(err)) == 0) {
			parsed = 1;
			f.q = &query;
		} else if (strncmp(err, "q:", 2) != 0) {
			http_reply_problem(req, 500, "Internal Server Error",
					   err, NULL);
			return;
		} else if (!strstr(err, "empty") ||
			   (f.area == NULL && f.category == NULL)) {
			ds_reply_bad_param(req, "q",
					   strstr(err, "empty") ? "required" :
					   strstr(err, "words") ? "max_words" :
					   strstr(err, "UTF-8") ? "encoding" :
								   "max_length",
					   err);
			return;
		}
	} else if (f.area == NULL && f.category == NULL) {
		ds_reply_bad_param(req, "q", "required",
				   "q: give the text to search for (?q=...), or an area or category");
		return;
	}
	rc = search_db_search(db, &f, ids, (size_t)limit, &n);
	if (parsed)
		search_query_free(&query);
	if (rc) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "the search database failed", NULL);
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
	page = search_db_replica(ds_state(req), after, limit);
	if (page == NULL) {
		http_reply_problem(req, 500, "Internal Server Error",
				   "the search database failed", NULL);
		return;
	}
	http_reply_json(req, 200, page);
}

static void handle_health(struct http_req *req)
{
	int64_t held = 0;
	char err[256];
	int ok = search_db_count(ds_state(req), &held, err, sizeof(err)) == 0;

	consumer_http_health(req, ds_consumer(req), ok,
			     ok ? json_pack("{s:s, s:I}", "database", "ok",
					    "held", (json_int_t)held)
				: json_pack("{s:s, s:n}", "database", err,
					    "held"));
}

static void handle_metrics(struct http_req *req)
{
	struct consumer *c = ds_consumer(req);
	int64_t held = 0;
	char err[256], extra[256] = "";

	if (search_db_count(ds_state(req), &held, err, sizeof(err)) == 0)
		snprintf(extra, sizeof(extra),
			 "# HELP storectl_search_stores Live stores in search-svc's copy.\n"
			 "# TYPE storectl_search_stores gauge\n"
			 "storectl_search_stores %" PRId64 "\n",
			 held);
	consumer_http_metrics(req, &c, 1, extra);
}

const struct http_route search_http_routes[] = {
	{ "GET", "/search", handle_search },
	{ "GET", "/replica/stores", handle_replica },
	{ "GET", "/health", handle_health },
	{ "GET", "/metrics", handle_metrics },
	{ 0 },
};
