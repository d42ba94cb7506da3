#ifndef STORECTL_DISPLAY_CONFIG_H
#define STORECTL_DISPLAY_CONFIG_H

#include <getopt.h>

#include "display-svc/display_stats.h"

/*
 * display-svc's options beyond the shared ones (common/opts.h); each has an
 * environment variable, and a flag wins over its variable:
 *
 *   --search-api URL        STORECTL_SEARCH_API
 *   --ads-api URL           STORECTL_ADS_API
 *   --favorites-api URL     STORECTL_FAVORITES_API
 *   --reviews-api URL       STORECTL_REVIEWS_API
 *   --fanout-timeout-ms N   STORECTL_FANOUT_TIMEOUT_MS  (default 200)
 *   --batch-max N           STORECTL_BATCH_MAX  (default 500; both consumers)
 *
 * Every URL is optional: a list query that needs a dependency without one
 * answers with it in "degraded", and without --reviews-api review.events
 * is not consumed (documents keep an empty summary).
 */

#define DISPLAY_FANOUT_TIMEOUT_DEFAULT 200
#define DISPLAY_FANOUT_TIMEOUT_MAX 60000
#define DISPLAY_BATCH_DEFAULT 500
#define DISPLAY_BATCH_MAX 10000

struct display_config {
	char *dep_url[DISPLAY_DEP_COUNT]; /* malloc'd, no trailing '/' */
	char *reviews_url;
	long fanout_timeout_ms;
	int batch_max;         /* events per poll batch, both consumers */
};

/* The long options and their help lines, for struct svc_usage. */
extern const struct option display_config_options[];
extern const char display_config_help[];

/*
 * Sets the defaults, then the environment's values. Returns 0, or -1 after
 * printing a one-line reason (naming the variable) to stderr.
 */
int display_config_init(struct display_config *cfg, const char *program);

/* svc_usage.on_extra: one option (ctx is the struct display_config). */
int display_config_option(int opt, const char *arg, void *ctx);

/*
 * Checks a base URL (http:// or https://, no blanks) and copies it
 * without trailing slashes into *out (freeing what was there). Returns 0,
 * or -1 with the reason in err.
 */
int display_config_url(const char *text, char **out, char *err, size_t errlen);

/* Parses a timeout of 1..60000 ms; 0, or -1. */
int display_config_timeout(const char *text, long *ms);

void display_config_free(struct display_config *cfg);

#endif
