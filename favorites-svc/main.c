/*
 * favorites-svc: users' favorite stores (찜). It owns the lists and keeps a
 * copy of each store's name and status, fed by the consumer runtime from
 * store.events; a deleted store leaves every list.
 */
#include "consumer/ds_service.h"
#include "favorites-svc/fav_db.h"
#include "favorites-svc/fav_http.h"

static void *fav_open(const struct svc_opts *opts, char *err, size_t errlen)
{
	return fav_db_open(opts->db, err, errlen);
}

static void fav_port(void *state, struct replica_port *port)
{
	fav_db_port(state, port);
}

static void fav_close(void *state)
{
	fav_db_close(state);
}

int main(int argc, char **argv)
{
	static const struct ds_app app = {
		.usage = {
			.program = "favorites-svc",
			.summary = "Users' favorite stores, with each store's name "
				   "and status kept in step with store.events.",
			.db_default = "favorites.db",
		},
		.service = "favorites",
		.routes = fav_http_routes,
		.open = fav_open,
		.port = fav_port,
		.close = fav_close,
	};

	return ds_main(&app, argc, argv);
}
