#ifndef STORECTL_DS_SERVICE_H
#define STORECTL_DS_SERVICE_H

#include <stddef.h>

#include "common/httpd.h"
#include "common/opts.h"
#include "consumer/consumer.h"

/*
 * The life of a downstream service process, shared by search-svc,
 * ads-svc, favorites-svc and reviews-svc: parse the command line, open the
 * service's database, serve HTTP, run the consumer runtime on its own
 * thread, log the ready line, and stop cleanly on SIGTERM or SIGINT.
 *
 * A service describes itself in a struct ds_app; main() is one call to
 * ds_main. Its HTTP handlers find their state with ds_state(req), the
 * consumer (for /health and /metrics) with ds_consumer(req).
 */

struct ds_app {
	struct svc_usage usage;     /* program, summary, db_default, extras;
				     * downstream is forced on */
	const char *service;        /* "ads": consumer group "ads-svc" */
	const struct http_route *routes;

	/*
	 * Opens the service's state (its database, ...) from the parsed
	 * options. Returns it, or NULL with a reason in err.
	 */
	void *(*open)(const struct svc_opts *opts, char *err, size_t errlen);
	/* Fills the replica port the consumer writes through. */
	void (*port)(void *state, struct replica_port *port);
	/*
	 * Optional: starts what runs beside the consumer (a relay) once
	 * HTTP is up; 0, or -1 with a reason in err. stop undoes it before
	 * HTTP stops.
	 */
	int (*start)(void *state, const struct svc_opts *opts, char *err,
		     size_t errlen);
	void (*stop)(void *state);
	/* Closes the state; NULL is never passed. */
	void (*close)(void *state);
};

/*
 * Runs the service to the end. Returns the exit status: 0 after SIGTERM or
 * SIGINT (or --help, --version), 1 when it could not start or a fatal
 * Kafka error stopped the consumer, 2 for a bad command line.
 */
int ds_main(const struct ds_app *app, int argc, char **argv);

/* The state app->open returned, for a handler. */
void *ds_state(struct http_req *req);

/* The consumer, or NULL while it is not created yet. */
struct consumer *ds_consumer(struct http_req *req);

/* The options the service runs with (store API URL, token, ...). */
const struct svc_opts *ds_opts(struct http_req *req);

#endif
