/*
 * GET /shops: fan out to ads, search and favorites at once, merge their ids
 * (advertised first, then search rank, favorites flagged), join them with
 * the local documents and answer, naming any dependency that failed.
 */
#include "display-svc/display_http.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "display-svc/fanout.h"
#include "display-svc/list_query.h"
#include "display-svc/merge.h"

/* Milliseconds to two decimals, as JSON. */
static json_t *ms_json(double ms)
{
	return json_real(round(ms * 100.0) / 100.0);
}

static json_t *timings_json(const struct display_fanout_call *calls)
{
	json_t *timings = json_object();

	for (int d = 0; d < DISPLAY_DEP_COUNT; d++) {
		const struct display_fanout_call *c = &calls[d];
		json_t *t = json_pack("{s:o, s:s}", "ms", ms_json(c->ms),
				      "status",
				      display_fanout_status_name(c->status));

		if (c->detail[0] != '\0')
			json_object_set_new(t, "detail", json_string(c->detail));
		json_object_set_new(timings, display_dep_name(d), t);
	}
	return timings;
}

/*
 * A dependency that refused one of the query's own parameters (400
 * naming it) says the query is bad, not that the dependency is down: the
 * client gets that 400. Returns 1 when it replied.
 */
static int refused_parameter(struct http_req *req,
			     const struct display_list_query *q,
			     const struct display_fanout_call *calls)
{
	const char *given[][2] = {
		{ "q", q->q }, { "area", q->area }, { "category", q->category },
		{ "user", q->user }, { "limit", q->limit },
	};

	for (int d = 0; d < DISPLAY_DEP_COUNT; d++) {
		const struct display_fanout_call *c = &calls[d];
		char detail[200];

		if (c->status != FANOUT_BAD_STATUS || c->http_status != 400)
			continue;
		for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
			if (given[i][1] == NULL ||
			    strcmp(c->field, given[i][0]) != 0)
				continue;
			snprintf(detail, sizeof(detail), "%s-svc %s",
				 display_dep_name(d), c->detail);
			http_reply_problem(req, 400, "Bad Request", detail,
					   json_pack("{s:s, s:s}", "field",
						     c->field, "rule",
						     c->rule[0] ? c->rule
								: "refused"));
			return 1;
		}
	}
	return 0;
}

/*
 * The documents of picks[0..n) in order, with their flags, at most limit;
 * stores without a live document (not yet held, deleted) are left out.
 * NULL on a database failure.
 */
static json_t *join(struct display_db *db, const struct display_pick *picks,
		    size_t n, int limit)
{
	int64_t *ids = malloc((n ? n : 1) * sizeof(*ids));
	char **docs = calloc(n ? n : 1, sizeof(*docs));
	json_t *shops = NULL;

	if (ids == NULL || docs == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		ids[i] = picks[i].id;
	if (display_db_docs(db, ids, n, docs))
		goto out;
	shops = json_array();
	for (size_t i = 0; i < n && json_array_size(shops) < (size_t)limit;
	     i++) {
		json_t *doc;

		if (docs[i] == NULL)
			continue;
		doc = json_loads(docs[i], 0, NULL);
		if (!json_is_object(doc)) {
			log_error("the document of store %lld is not a JSON object",
				  (long long)ids[i]);
			json_decref(doc);
			continue;
		}
		json_object_set_new(doc, "advertised",
				    json_boolean(picks[i].advertised));
		json_object_set_new(doc, "favorite",
				    json_boolean(picks[i].favorite));
		json_array_append_new(shops, doc);
	}
out:
	for (size_t i = 0; docs != NULL && i < n; i++)
		free(docs[i]);
	free(docs);
	free(ids);
	return shops;
}

void display_http_list(struct http_req *req)
{
	struct display_svc *svc = req->ctx;
	struct display_list_query q = {
		.area = http_query(req, "area"),
		.q = http_query(req, "q"),
		.category = http_query(req, "category"),
		.user = http_query(req, "user"),
		.limit = http_query(req, "limit"),
	};
	struct display_fanout_call calls[DISPLAY_DEP_COUNT] = { 0 };
	struct display_list_error bad;
	struct display_merge_input in = { 0 };
	struct display_pick *picks;
	json_t *shops, *degraded;
	size_t npicks;
	int limit;

	if (display_list_check(&q, &limit, &bad)) {
		http_reply_problem(req, 400, "Bad Request", bad.detail,
				   json_pack("{s:s, s:s}", "field", bad.field,
					     "rule", bad.rule));
		return;
	}
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++) {
		if (!display_list_needs(&q, d))
			continue;
		if (svc->dep_url[d] == NULL) {
			calls[d].status = FANOUT_UNCONFIGURED;
			continue;
		}
		calls[d].url = display_list_url(&q, limit, d, svc->dep_url[d]);
		if (calls[d].url == NULL) {
			http_reply_problem(req, 500, "Internal Server Error",
					   "out of memory", NULL);
			goto out;
		}
	}
	/* The three calls run at once; this thread waits for the last. */
	display_fanout_run(calls, DISPLAY_DEP_COUNT, svc->fanout_timeout_ms);
	if (refused_parameter(req, &q, calls))
		goto out;

	degraded = json_array();
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++) {
		if (calls[d].status == FANOUT_UNCONFIGURED)
			snprintf(calls[d].detail, sizeof(calls[d].detail),
				 "display-svc runs without --%s-api",
				 display_dep_name(d));
		display_stats_fanout(svc->stats, d, calls[d].status, calls[d].ms);
		if (calls[d].status != FANOUT_OK &&
		    calls[d].status != FANOUT_SKIPPED)
			json_array_append_new(degraded,
					      json_string(display_dep_name(d)));
	}
	in.ads = calls[DISPLAY_DEP_ADS].ids;
	in.nads = calls[DISPLAY_DEP_ADS].n;
	in.search = calls[DISPLAY_DEP_SEARCH].ids;
	in.nsearch = calls[DISPLAY_DEP_SEARCH].n;
	in.favorites = calls[DISPLAY_DEP_FAVORITES].ids;
	in.nfavorites = calls[DISPLAY_DEP_FAVORITES].n;
	in.list_favorites = display_list_favorites_only(&q);
	npicks = in.nads + in.nsearch + in.nfavorites;
	picks = malloc((npicks ? npicks : 1) * sizeof(*picks));
	shops = NULL;
	if (picks != NULL) {
		npicks = display_merge(&in, picks, npicks);
		shops = join(svc->db, picks, npicks, limit);
		free(picks);
	}
	if (shops == NULL) {
		json_decref(degraded);
		http_reply_problem(req, 503, "Service Unavailable",
				   "the view database failed", NULL);
		goto out;
	}
	display_stats_list(svc->stats, json_array_size(degraded) > 0);
	display_http_reply(req, 200,
			   json_pack("{s:o, s:o, s:o}", "shops", shops, "degraded",
				     degraded, "timings", timings_json(calls)));
out:
	display_fanout_clear(calls, DISPLAY_DEP_COUNT);
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++)
		free((char *)calls[d].url);
}
