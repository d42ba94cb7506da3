/*
 * favorites-svc: users' favorite stores (찜). It owns the lists and keeps a
 * copy of each store's name and status, fed by the consumer runtime from
 * store.events; a deleted store leaves every list. Changing a list needs
 * an owner's or an operator's bearer token (--tokens).
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/auth_opts.h"
#include "consumer/ds_service.h"
#include "favorites-svc/fav_db.h"
#include "favorites-svc/fav_http.h"

#define PROGRAM "favorites-svc"

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

static void *fav_open(const struct svc_opts *opts, char *err, size_t errlen)
{
	struct fav_svc *svc = calloc(1, sizeof(*svc));

	if (svc == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	svc->auth = auth_load(&auth_flags, err, errlen);
	if (svc->auth != NULL)
		svc->db = fav_db_open(opts->db, err, errlen);
	if (svc->db == NULL) {
		auth_free(svc->auth);
		free(svc);
		return NULL;
	}
	return svc;
}

static void fav_port(void *state, struct replica_port *port)
{
	fav_db_port(((struct fav_svc *)state)->db, port);
}

static void fav_close(void *state)
{
	struct fav_svc *svc = state;

	fav_db_close(svc->db);
	auth_free(svc->auth);
	free(svc);
}

int main(int argc, char **argv)
{
	static const struct ds_app app = {
		.usage = {
			.program = PROGRAM,
			.summary = "Users' favorite stores, with each store's name "
				   "and status kept in step with store.events.",
			.db_default = "favorites.db",
			.extra = extra_options,
			.extra_help = auth_opts_help,
			.on_extra = on_extra,
			.ctx = &auth_flags,
		},
		.service = "favorites",
		.routes = fav_http_routes,
		.open = fav_open,
		.port = fav_port,
		.close = fav_close,
	};

	auth_opts_env(&auth_flags);
	return ds_main(&app, argc, argv);
}
