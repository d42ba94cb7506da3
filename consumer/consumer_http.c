#include "consumer/consumer_http.h"

#include <stdlib.h>
#include <string.h>

void consumer_http_metrics(struct http_req *req, struct consumer *const *cs,
			   size_t n, const char *extra)
{
	struct consumer_stats *stats = calloc(n ? n : 1, sizeof(*stats));
	char *server = httpd_metrics_text(http_req_server(req));
	char *runtime = NULL, *all = NULL;
	size_t k = 0, len;

	for (size_t i = 0; stats != NULL && i < n; i++)
		if (cs[i] != NULL)
			consumer_get_stats(cs[i], &stats[k++]);
	if (stats != NULL)
		runtime = consumer_stats_prometheus(stats, k);
	if (server != NULL && runtime != NULL) {
		len = strlen(server) + strlen(runtime) +
		      (extra ? strlen(extra) : 0) + 1;
		all = malloc(len);
		if (all != NULL) {
			strcpy(all, server);
			strcat(all, runtime);
			if (extra != NULL)
				strcat(all, extra);
		}
	}
	if (all != NULL)
		http_reply_text(req, 200, HTTP_METRICS_CONTENT_TYPE, all);
	else
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory rendering the metrics", NULL);
	free(all);
	free(runtime);
	free(server);
	free(stats);
}

void consumer_http_health(struct http_req *req, struct consumer *c, int ok,
			  json_t *extra)
{
	json_t *body = json_object();
	const char *status = "ok";

	if (body == NULL) {
		json_decref(extra);
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		return;
	}
	/* "status" first for a reader's eye; its value is decided below. */
	json_object_set_new(body, "status", json_string(status));
	if (json_is_object(extra))
		json_object_update(body, extra);
	json_decref(extra);
	if (c != NULL) {
		struct consumer_stats s;

		consumer_get_stats(c, &s);
		if (!s.running || s.breaker != BREAKER_CLOSED)
			status = "degraded";
		json_object_set_new(body, "consumer", consumer_stats_json(&s));
	} else {
		status = "degraded";
		json_object_set_new(body, "consumer", json_null());
	}
	if (!ok)
		status = "error";
	json_object_set_new(body, "status", json_string(status));
	http_reply_json(req, ok ? 200 : 503, body);
}
