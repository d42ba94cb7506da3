#include "display-svc/display_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consumer/ds_params.h"

enum {
	OPT_SEARCH_API = 2000,
	OPT_ADS_API,
	OPT_FAVORITES_API,
	OPT_REVIEWS_API,
	OPT_FANOUT_TIMEOUT,
	OPT_BATCH_MAX,
};

const struct option display_config_options[] = {
	{ "search-api", required_argument, NULL, OPT_SEARCH_API },
	{ "ads-api", required_argument, NULL, OPT_ADS_API },
	{ "favorites-api", required_argument, NULL, OPT_FAVORITES_API },
	{ "reviews-api", required_argument, NULL, OPT_REVIEWS_API },
	{ "fanout-timeout-ms", required_argument, NULL, OPT_FANOUT_TIMEOUT },
	{ "batch-max", required_argument, NULL, OPT_BATCH_MAX },
	{ 0 },
};

const char display_config_help[] =
	"  --search-api URL    base URL of search-svc (STORECTL_SEARCH_API)\n"
	"  --ads-api URL       base URL of ads-svc (STORECTL_ADS_API)\n"
	"  --favorites-api URL base URL of favorites-svc (STORECTL_FAVORITES_API)\n"
	"  --reviews-api URL   base URL of reviews-svc; without it review.events\n"
	"                      is not consumed (STORECTL_REVIEWS_API)\n"
	"  --fanout-timeout-ms N  time limit of each list-query call to ads,\n"
	"                      search and favorites, 1-60000 (default 200,\n"
	"                      STORECTL_FANOUT_TIMEOUT_MS)\n"
	"  --batch-max N       events gathered per poll batch (store.events and\n"
	"                      review.events), 1 to 10000; 1 turns coalescing off\n"
	"                      (STORECTL_BATCH_MAX, default 500)\n";

/* Where each URL option's value goes. */
static char **url_slot(struct display_config *cfg, int opt)
{
	switch (opt) {
	case OPT_SEARCH_API: return &cfg->dep_url[DISPLAY_DEP_SEARCH];
	case OPT_ADS_API: return &cfg->dep_url[DISPLAY_DEP_ADS];
	case OPT_FAVORITES_API: return &cfg->dep_url[DISPLAY_DEP_FAVORITES];
	case OPT_REVIEWS_API: return &cfg->reviews_url;
	default: return NULL;
	}
}

static const char *option_name(int opt)
{
	for (size_t i = 0; display_config_options[i].name != NULL; i++)
		if (display_config_options[i].val == opt)
			return display_config_options[i].name;
	return "?";
}

int display_config_url(const char *text, char **out, char *err, size_t errlen)
{
	size_t n = strlen(text), scheme;
	char *copy;

	scheme = strncmp(text, "http://", 7) == 0 ? 7 :
		 strncmp(text, "https://", 8) == 0 ? 8 : 0;
	if (scheme == 0) {
		snprintf(err, errlen, "\"%.80s\" is not an http:// or https:// URL",
			 text);
		return -1;
	}
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '?' ||
		    *p == '#') {
			snprintf(err, errlen,
				 "\"%.80s\" must be a base URL without blanks, "
				 "query or fragment", text);
			return -1;
		}
	while (n > scheme && text[n - 1] == '/')
		n--;
	if (n == scheme) {
		snprintf(err, errlen, "\"%.80s\" names no host", text);
		return -1;
	}
	copy = strndup(text, n);
	if (copy == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(*out);
	*out = copy;
	return 0;
}

int display_config_timeout(const char *text, long *ms)
{
	long v = 0;

	if (text == NULL || *text == '\0' || strlen(text) > 5)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > DISPLAY_FANOUT_TIMEOUT_MAX)
		return -1;
	*ms = v;
	return 0;
}

static int set(struct display_config *cfg, int opt, const char *value,
	       const char *program, const char *source)
{
	char err[200];

	if (opt == OPT_BATCH_MAX) {
		if (ds_parse_limit(value, DISPLAY_BATCH_DEFAULT,
				   DISPLAY_BATCH_MAX, &cfg->batch_max) == 0)
			return 0;
		fprintf(stderr, "%s: %s: must be an integer from 1 to %d\n",
			program, source, DISPLAY_BATCH_MAX);
		return -1;
	}
	if (opt == OPT_FANOUT_TIMEOUT) {
		if (display_config_timeout(value, &cfg->fanout_timeout_ms) == 0)
			return 0;
		fprintf(stderr, "%s: %s: \"%.40s\" is not a whole number of "
			"milliseconds from 1 to %d\n", program, source, value,
			DISPLAY_FANOUT_TIMEOUT_MAX);
		return -1;
	}
	if (display_config_url(value, url_slot(cfg, opt), err, sizeof(err))) {
		fprintf(stderr, "%s: %s: %s\n", program, source, err);
		return -1;
	}
	return 0;
}

static const struct {
	int opt;
	const char *name;
} env_vars[] = {
	{ OPT_SEARCH_API, "STORECTL_SEARCH_API" },
	{ OPT_ADS_API, "STORECTL_ADS_API" },
	{ OPT_FAVORITES_API, "STORECTL_FAVORITES_API" },
	{ OPT_REVIEWS_API, "STORECTL_REVIEWS_API" },
	{ OPT_FANOUT_TIMEOUT, "STORECTL_FANOUT_TIMEOUT_MS" },
	{ OPT_BATCH_MAX, "STORECTL_BATCH_MAX" },
};

int display_config_init(struct display_config *cfg, const char *program)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->fanout_timeout_ms = DISPLAY_FANOUT_TIMEOUT_DEFAULT;
	cfg->batch_max = DISPLAY_BATCH_DEFAULT;
	for (size_t i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++) {
		const char *v = getenv(env_vars[i].name);

		if (v != NULL && *v != '\0' &&
		    set(cfg, env_vars[i].opt, v, program, env_vars[i].name))
			return -1;
	}
	return 0;
}

int display_config_option(int opt, const char *arg, void *ctx)
{
	char flag[40];

	snprintf(flag, sizeof(flag), "--%s", option_name(opt));
	if (opt < OPT_SEARCH_API || opt > OPT_BATCH_MAX)
		return -1;
	return set(ctx, opt, arg, "display-svc", flag);
}

void display_config_free(struct display_config *cfg)
{
	for (int d = 0; d < DISPLAY_DEP_COUNT; d++)
		free(cfg->dep_url[d]);
	free(cfg->reviews_url);
	memset(cfg, 0, sizeof(*cfg));
}
