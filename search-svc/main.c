/*
 * search-svc: keyword search over store names, categories and menu items,
 * filtered by area and category. It keeps its own copy of those columns,
 * fed by the consumer runtime from store.events, and answers GET /search
 * with ranked store ids.
 */
#include "consumer/ds_service.h"
#include "search-svc/search_db.h"
#include "search-svc/search_http.h"

static void *search_open(const struct svc_opts *opts, char *err,
			 size_t errlen)
{
	return search_db_open(opts->db, err, errlen);
}

static void search_port(void *state, struct replica_port *port)
{
	search_db_port(state, port);
}

static void search_close(void *state)
{
	search_db_close(state);
}

int main(int argc, char **argv)
{
	static const struct ds_app app = {
		.usage = {
			.program = "search-svc",
			.summary = "Keyword search over store names, categories "
				   "and menus, kept in step with store.events.",
			.db_default = "search.db",
		},
		.service = "search",
		.routes = search_http_routes,
		.open = search_open,
		.port = search_port,
		.close = search_close,
	};

	return ds_main(&app, argc, argv);
}
