#include "search-svc/search_http.h"

#include <stdio.h>
#include <string.h>

#include "search-svc/query.h"
#include "search-svc/search_db.h"

#define LIMIT_DEFAULT 20
#define LIMIT_MAX 100

int search_http_parse_limit(const char *text, int *limit)
{
	int v = 0;

	if (text == NULL) {
		*limit = LIMIT_DEFAULT;
		return 0;
	}
	if (*text == '\0' || strlen(text) > 3)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > LIMIT_MAX)
		return -1;
	*limit = v;
	return 0;
}

static void reply_invalid(struct http_req *req, const char *field,
			  const char *rule, const char *detail)
{
	http_reply_problem(req, 400, "Bad Request", detail,
			   json_pack("{s:s, s:s}", "field", field, "rule", rule));
}

static void handle_search(struct http_req *req)
{
	struct search_db *db = req->ctx;
	const char *q = http_query(req, "q");
	struct search_query query;
	int64_t ids[LIMIT_MAX];
	size_t n = 0;
	int limit;
	char err[128];
	json_t *list;

	if (search_http_parse_limit(http_query(req, "limit"), &limit)) {
		reply_invalid(req, "limit", "range",
			      "limit: must be an integer from 1 to 100");
		return;
	}
	if (q == NULL) {
		reply_invalid(req, "q", "required",
			      "q: give the text to search for (?q=...)");
		return;
	}
	if (search_query_parse(q, &query, err, sizeof(err))) {
		if (strncmp(err, "q:", 2) != 0)
			http_reply_problem(req, 500, "Internal Server Error",
					   err, NULL);
		else
			reply_invalid(req, "q",
				      strstr(err, "empty") ? "required" :
				      strstr(err, "words") ? "max_words" :
							      "max_length",
				      err);
		return;
	}
	if (search_db_search(db, &query, ids, (size_t)limit, &n)) {
		search_query_free(&query);
		http_reply_problem(req, 500, "Internal Server Error",
				   "the search database failed", NULL);
		return;
	}
	search_query_free(&query);
	list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_integer((json_int_t)ids[i]));
	http_reply_json(req, 200, json_pack("{s:o}", "ids", list));
}

static void handle_health(struct http_req *req)
{
	struct search_db *db = req->ctx;
	int64_t held = 0;
	char err[256];

	if (search_db_count(db, &held, err, sizeof(err))) {
		http_reply_json(req, 503,
				json_pack("{s:s, s:s, s:n}", "status", "error",
					  "database", err, "held"));
		return;
	}
	http_reply_json(req, 200,
			json_pack("{s:s, s:s, s:I}", "status", "ok", "database",
				  "ok", "held", (json_int_t)held));
}

const struct http_route search_http_routes[] = {
	{ "GET", "/search", handle_search },
	{ "GET", "/health", handle_health },
	{ 0 },
};
