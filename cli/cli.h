#ifndef STORECTL_CLI_H
#define STORECTL_CLI_H

#include "common/kafka.h"

/* Exit statuses of storectl (documented in man/storectl.1). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,      /* the command failed; stderr says why */
	CLI_EXIT_USAGE = 2,     /* bad command line */
	CLI_EXIT_NOT_RUNNING = 3, /* status: no stack runs in the state dir */
};

/* What the global options and their environment variables say. */
struct cli_opts {
	const char *state;      /* --state, STORECTL_STATE, default "./var" */
	const char *store_api;  /* --store-api, STORECTL_STORE_API, or NULL */
	const char *search_api; /* --search-api, STORECTL_SEARCH_API, or NULL */
	const char *brokers;    /* --brokers, STORECTL_BROKERS, or NULL */
	const char *token;      /* --token, STORECTL_TOKEN, or NULL */
	const char *owner;      /* --owner, STORECTL_OWNER: act as this demo
				 * owner with the stack's token, or NULL */
	struct kafka_props props; /* STORECTL_X, then every -X */
	int detach;             /* up --detach */
	int json;               /* status, audit --json */
	int headless;           /* demo --headless */
	int check;              /* demo --check */
	int print;              /* demo --print */
	/* The other services' base URLs (--ads-api ...), or NULL. */
	const char *ads_api, *favorites_api, *reviews_api, *display_api;
	/* fault api: --latency MS, --errors RATE, --for SECONDS, --scope,
	 * --clear; audit, resync: --service, --stores, --wait SECONDS. Texts
	 * as given (NULL: absent), checked by the command. */
	const char *latency, *errors, *for_s, *scope;
	int clear;
	const char *service, *stores, *wait;
	const char *args[5];    /* the command's own arguments */
	int nargs;
};

#endif
