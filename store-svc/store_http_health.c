/* GET /health (is the service usable, is Kafka reachable, is the outbox
 * draining) and GET /metrics (the same and more, for Prometheus). */
#include "store-svc/store_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "store-svc/relay.h"
#include "store-svc/store_db.h"

/* The outbox backlog: unsent rows and the age of the oldest (seconds). */
static int backlog(struct store_svc *svc, int64_t *pending, double *age_s)
{
	double oldest_ms = 0;
	int ok = store_db_outbox_stats(svc->db, pending, &oldest_ms) ==
		 STORE_DB_OK;

	*age_s = 0;
	if (ok && *pending > 0 && oldest_ms > 0)
		*age_s = (clock_wall_ms() - oldest_ms) / 1000.0;
	if (*age_s < 0)
		*age_s = 0;
	return ok;
}

/* Open to everyone: load balancers and `storectl status` hold no token. */
void store_http_health(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	int64_t pending = 0;
	double age_s = 0;
	int db_ok = backlog(svc, &pending, &age_s);

	/* A broker outage does not stop writes (they wait in the outbox), so
	 * only the database decides readiness and the status code. */
	http_reply_json(req, db_ok ? 200 : 503,
			json_pack("{sssbsssssIsfss}", "status",
				  db_ok ? "ok" : "error", "ready", db_ok,
				  "database", db_ok ? "ok" : "error", "broker",
				  store_relay_broker_up(svc->relay) ? "ok" : "down",
				  "outbox_pending", (json_int_t)pending,
				  "outbox_oldest_age_s", age_s, "auth",
				  auth_is_open(svc->auth) ? "open"
								: "enforced"));
}

void store_http_metrics(struct http_req *req)
{
	struct store_svc *svc = req->ctx;
	struct auth_caller c;
	uint64_t published, failed;
	int64_t pending = 0;
	double age_s = 0;
	char *http_text, *text, tail[2048];
	int db_ok;

	if (store_http_caller(req, &c))
		return;
	if (!auth_may_observe(&c)) {
		store_http_reply_forbidden(
			req, "/metrics is for the operator and service roles",
			NULL);
		return;
	}
	db_ok = backlog(svc, &pending, &age_s);
	store_relay_counts(svc->relay, &published, &failed);
	snprintf(tail, sizeof(tail),
		 "# HELP store_outbox_pending_rows Outbox rows Kafka has not confirmed yet.\n"
		 "# TYPE store_outbox_pending_rows gauge\n"
		 "store_outbox_pending_rows %lld\n"
		 "# HELP store_outbox_oldest_age_seconds Age of the oldest unconfirmed outbox row (0 when none).\n"
		 "# TYPE store_outbox_oldest_age_seconds gauge\n"
		 "store_outbox_oldest_age_seconds %.3f\n"
		 "# HELP store_events_published_total Events Kafka confirmed since the service started.\n"
		 "# TYPE store_events_published_total counter\n"
		 "store_events_published_total %llu\n"
		 "# HELP store_events_failed_total Deliveries that failed and were queued again.\n"
		 "# TYPE store_events_failed_total counter\n"
		 "store_events_failed_total %llu\n"
		 "# HELP store_broker_up Whether the producer is connected to a Kafka broker.\n"
		 "# TYPE store_broker_up gauge\n"
		 "store_broker_up %d\n"
		 "# HELP store_database_up Whether the database answers.\n"
		 "# TYPE store_database_up gauge\n"
		 "store_database_up %d\n"
		 "# HELP store_auth_enforced Whether bearer tokens are required (0: open mode).\n"
		 "# TYPE store_auth_enforced gauge\n"
		 "store_auth_enforced %d\n",
		 (long long)pending, age_s, (unsigned long long)published,
		 (unsigned long long)failed, store_relay_broker_up(svc->relay),
		 db_ok, !auth_is_open(svc->auth));
	http_text = httpd_metrics_text(http_req_server(req));
	text = http_text != NULL
		       ? malloc(strlen(http_text) + strlen(tail) + 1)
		       : NULL;
	if (text == NULL) {
		free(http_text);
		http_reply_problem(req, 500, "Internal Server Error",
				   "out of memory", NULL);
		return;
	}
	strcpy(text, http_text);
	strcat(text, tail);
	free(http_text);
	http_reply_text(req, 200, HTTP_METRICS_CONTENT_TYPE, text);
	free(text);
}
