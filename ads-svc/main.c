/*
 * ads-svc: ad campaigns. It owns the campaigns and keeps a copy of each
 * store's area, category and status, fed by the consumer runtime from
 * store.events, so that GET /ads lists open stores with a running
 * campaign, highest bid first. Starting and ending a campaign needs an
 * operator's bearer token (--tokens).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ads-svc/ads_db.h"
#include "ads-svc/ads_http.h"
#include "common/auth_opts.h"
#include "consumer/ds_service.h"

#define PROGRAM "ads-svc"

/* --tokens and --insecure-open, read before the state opens. */
static struct auth_opts auth_flags;

static const struct option extra_options[] = {
	AUTH_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static int on_extra(int opt, const char *arg, void *ctx)
{
	return auth_opts_set(ctx, opt, arg, PROGRAM);
}

static void *ads_open(const struct svc_opts *opts, char *err, size_t errlen)
{
	struct ads_svc *svc = calloc(1, sizeof(*svc));

	if (svc == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	svc->auth = auth_load(&auth_flags, err, errlen);
	if (svc->auth != NULL)
		svc->db = ads_db_open(opts->db, err, errlen);
	if (svc->db == NULL) {
		auth_free(svc->auth);
		free(svc);
		return NULL;
	}
	return svc;
}

static void ads_port(void *state, struct replica_port *port)
{
	ads_db_port(((struct ads_svc *)state)->db, port);
}

static void ads_close(void *state)
{
	struct ads_svc *svc = state;

	ads_db_close(svc->db);
	auth_free(svc->auth);
	free(svc);
}

int main(int argc, char **argv)
{
	static const struct ds_app app = {
		.usage = {
			.program = PROGRAM,
			.summary = "Ad campaigns, with each store's area, category "
				   "and status kept in step with store.events.",
			.db_default = "ads.db",
			.extra = extra_options,
			.extra_help = auth_opts_help,
			.on_extra = on_extra,
			.ctx = &auth_flags,
		},
		.service = "ads",
		.routes = ads_http_routes,
		.open = ads_open,
		.port = ads_port,
		.close = ads_close,
	};

	auth_opts_env(&auth_flags);
	return ds_main(&app, argc, argv);
}
