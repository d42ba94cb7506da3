#ifndef STORECTL_COMPONENT_H
#define STORECTL_COMPONENT_H

#include <stddef.h>

#include "cli/cli.h"
#include "cli/stackfile.h"
#include "cli/strvec.h"

/*
 * The processes an embedded stack is made of, in start order: each one's
 * address is an argument of those after it. Downstream services are
 * optional so that a partly built tree still runs; adding a service is
 * adding a row to the table in cli/component.c.
 */
/* A flag that gives a service another one's base URL, when that runs. */
struct component_dep {
	const char *flag;     /* "--search-api" */
	const char *service;  /* "search" */
};

struct component {
	const char *name;     /* key in stack.json and status; the service
			       * name of its reactions on store.reactions */
	const char *program;  /* executable next to storectl */
	const char *db;       /* database file under db/, NULL: none */
	int downstream;       /* takes --store-api and the token; consumes
			       * store.events and reacts on store.reactions */
	int consumer;         /* consumes Kafka: gets STACK_EMBEDDED_X */
	int required;         /* the stack cannot run without it */
	const struct component_dep *deps; /* NULL-terminated, or NULL */
	int tokens;           /* takes --tokens with the stack's tokens.json */
};

/* The table, and how many rows it has. */
extern const struct component component_table[];
extern const size_t component_count;

/* The row called name ("search"), or NULL. */
const struct component *component_find(const char *name);

/*
 * The command line of c for a new stack: path, --listen 127.0.0.1:0,
 * --db under the state directory abs, --brokers, the embedded -X and the
 * user's, --store-api from info for a downstream service, --tokens with
 * the stack's tokens file for the services that take writes (store, ads,
 * favorites, reviews; a path: the tokens stay in the file), and the flag of each dependency that info has a base URL for.
 * The broker gets its path and --control 127.0.0.1:0 (its fault-injection
 * API, storectl-broker(8)); its other defaults are the embedded stack's.
 */
void component_args(struct strvec *args, const char *path,
		    const struct cli_opts *o, const struct component *c,
		    const char *abs, const struct stack_info *info);

/*
 * The environment of a child: ours without STORECTL_* (every setting is
 * passed as a flag, so nothing leaks in by accident), plus, for a
 * downstream service, STORECTL_TOKEN with token (the stack's service
 * token; may be NULL). The token goes by environment, not argv, because
 * every user on the machine can read argv.
 */
void component_env(struct strvec *env, const struct component *c,
		   const char *token);

#endif
