#ifndef STORECTL_OPTS_H
#define STORECTL_OPTS_H

#include <getopt.h>

#include "common/kafka.h"

/*
 * The command-line contract every service binary shares (DESIGN.md,
 * "Command-line contract"). Each flag has an environment variable; a flag
 * wins over its variable.
 *
 *   --listen HOST:PORT  STORECTL_LISTEN     default 127.0.0.1:0 (free port)
 *   --db PATH           STORECTL_DB         default usage->db_default
 *   --brokers LIST      STORECTL_BROKERS
 *   -X key=value        STORECTL_X          (comma-separated list)
 *   --store-api URL     STORECTL_STORE_API  (downstream services only)
 *   --token TOKEN       STORECTL_TOKEN      (downstream services only)
 */
struct svc_opts {
	const char *listen;
	const char *db;
	const char *brokers;
	const char *store_api;
	const char *token;
	struct kafka_props props;
};

/* What a service adds to the shared contract. */
struct svc_usage {
	const char *program;   /* "search-svc" */
	const char *summary;   /* one line for --help */
	const char *db_default;
	int downstream;        /* accepts --store-api and --token */
	/* Optional extra long options (terminated by a zero entry), their
	 * help lines, and a handler returning 0 or -1 (after printing why). */
	const struct option *extra;
	const char *extra_help;
	int (*on_extra)(int opt, const char *arg, void *ctx);
	void *ctx;
};

/*
 * Parses argv and the environment into opts. Returns 0 to run, 1 when
 * --help or --version was printed (exit 0), -1 after printing a one-line
 * reason to stderr (exit 2). Call svc_opts_free when done.
 */
int svc_opts_parse(struct svc_opts *opts, const struct svc_usage *usage,
		   int argc, char **argv);

void svc_opts_free(struct svc_opts *opts);

#endif
