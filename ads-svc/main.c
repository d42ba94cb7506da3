/*
 * ads-svc: ad campaigns. It owns the campaigns and keeps a copy of each
 * store's area, category and status, fed by the consumer runtime from
 * store.events, so that GET /ads lists open stores with a running
 * campaign, highest bid first.
 */
#include "ads-svc/ads_db.h"
#include "ads-svc/ads_http.h"
#include "consumer/ds_service.h"

static void *ads_open(const struct svc_opts *opts, char *err, size_t errlen)
{
	return ads_db_open(opts->db, err, errlen);
}

static void ads_port(void *state, struct replica_port *port)
{
	ads_db_port(state, port);
}

static void ads_close(void *state)
{
	ads_db_close(state);
}

int main(int argc, char **argv)
{
	static const struct ds_app app = {
		.usage = {
			.program = "ads-svc",
			.summary = "Ad campaigns, with each store's area, category "
				   "and status kept in step with store.events.",
			.db_default = "ads.db",
		},
		.service = "ads",
		.routes = ads_http_routes,
		.open = ads_open,
		.port = ads_port,
		.close = ads_close,
	};

	return ds_main(&app, argc, argv);
}
