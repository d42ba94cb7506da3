#ifndef STORECTL_DEMO_WORLD_H
#define STORECTL_DEMO_WORLD_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/demo_run.h"
#include "common/kafka.h"

/*
 * The demo runner's world on a real stack: the store API and search-svc
 * over HTTP (api/client.h), store.reactions through a Kafka tail
 * (cli/demo_tail.h), and, for the embedded stack, its processes
 * (cli/stackctl.h) and their addresses (stack.json, read again after each
 * stop or start, since a restarted service may move).
 */

struct demo_world_config {
	/* The embedded stack's state directory; NULL for remote endpoints. */
	const char *state;
	/* Remote endpoints (each NULL when not given). With a state
	 * directory they are ignored. */
	const char *store_api;
	const char *search_api;
	const char *brokers;
	const struct kafka_props *props; /* the user's -X; may be NULL */
	const char *token;               /* bearer token; may be NULL */
	volatile sig_atomic_t *cancel;   /* stops a service start early */
	FILE *diag;                      /* gets a failed start's log tail */
};

/*
 * Opens the world cfg describes: reads stack.json (the stack must run, at
 * least in part), connects the Kafka tail and reads the reactions so far.
 * Returns the port (free it with demo_world_close), or NULL with the reason
 * in err.
 */
struct demo_world *demo_world_open(const struct demo_world_config *cfg,
				   char *err, size_t errlen);

void demo_world_close(struct demo_world *w);

#endif
