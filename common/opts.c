#include "common/opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_LISTEN = 1000, OPT_DB, OPT_BROKERS, OPT_STORE_API, OPT_TOKEN,
       OPT_HELP, OPT_VERSION };

static const struct option base_options[] = {
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "db", required_argument, NULL, OPT_DB },
	{ "brokers", required_argument, NULL, OPT_BROKERS },
	{ "store-api", required_argument, NULL, OPT_STORE_API },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
};
#define BASE_COUNT (sizeof(base_options) / sizeof(base_options[0]))
#define EXTRA_MAX 16

static void print_help(const struct svc_usage *u)
{
	printf("Usage: %s [OPTION]...\n%s\n\n", u->program, u->summary);
	printf("  --listen HOST:PORT  address to serve HTTP on; port 0 picks a free one\n"
	       "                      (STORECTL_LISTEN, default 127.0.0.1:0)\n"
	       "  --db PATH           SQLite database file (STORECTL_DB, default %s)\n"
	       "  --brokers LIST      Kafka bootstrap servers (STORECTL_BROKERS)\n"
	       "  -X key=value        librdkafka property, repeatable (STORECTL_X,\n"
	       "                      comma-separated)\n",
	       u->db_default);
	if (u->downstream)
		printf("  --store-api URL     base URL of store-svc (STORECTL_STORE_API)\n"
		       "  --token TOKEN       bearer token for the store API (STORECTL_TOKEN)\n");
	if (u->extra_help)
		fputs(u->extra_help, stdout);
	printf("  --help              show this help and exit\n"
	       "  --version           show the version and exit\n\n"
	       "When ready it logs one line: \"listening on http://HOST:PORT\".\n");
}

static void env_default(const char **field, const char *name)
{
	const char *v = getenv(name);

	if (v != NULL && *v != '\0')
		*field = v;
}

int svc_opts_parse(struct svc_opts *opts, const struct svc_usage *usage,
		   int argc, char **argv)
{
	struct option longopts[BASE_COUNT + EXTRA_MAX + 1];
	size_t n = 0;
	char err[256];
	const char *x_env;
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->listen = "127.0.0.1:0";
	opts->db = usage->db_default;
	env_default(&opts->listen, "STORECTL_LISTEN");
	env_default(&opts->db, "STORECTL_DB");
	env_default(&opts->brokers, "STORECTL_BROKERS");
	if (usage->downstream) {
		env_default(&opts->store_api, "STORECTL_STORE_API");
		env_default(&opts->token, "STORECTL_TOKEN");
	}
	x_env = getenv("STORECTL_X");
	if (x_env != NULL && *x_env != '\0' &&
	    kafka_props_add_list(&opts->props, x_env, err, sizeof(err))) {
		fprintf(stderr, "%s: STORECTL_X: %s\n", usage->program, err);
		return -1;
	}

	for (size_t i = 0; i < BASE_COUNT; i++) {
		if (!usage->downstream && (base_options[i].val == OPT_STORE_API ||
					   base_options[i].val == OPT_TOKEN))
			continue;
		longopts[n++] = base_options[i];
	}
	for (size_t i = 0; usage->extra && usage->extra[i].name && i < EXTRA_MAX;
	     i++)
		longopts[n++] = usage->extra[i];
	memset(&longopts[n], 0, sizeof(longopts[n]));

	optind = 1;
	while ((c = getopt_long(argc, argv, "X:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN: opts->listen = optarg; break;
		case OPT_DB: opts->db = optarg; break;
		case OPT_BROKERS: opts->brokers = optarg; break;
		case OPT_STORE_API: opts->store_api = optarg; break;
		case OPT_TOKEN: opts->token = optarg; break;
		case 'X':
			if (kafka_props_add(&opts->props, optarg, err,
					    sizeof(err))) {
				fprintf(stderr, "%s: -X: %s\n", usage->program,
					err);
				return -1;
			}
			break;
		case OPT_HELP:
			print_help(usage);
			return 1;
		case OPT_VERSION:
			printf("%s %s\n", usage->program, STORECTL_VERSION);
			return 1;
		default:
			if (c != '?' && usage->on_extra != NULL) {
				if (usage->on_extra(c, optarg, usage->ctx))
					return -1;
				break;
			}
			fprintf(stderr, "Try '%s --help' for more information.\n",
				usage->program);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n",
			usage->program, argv[optind]);
		return -1;
	}
	if (opts->brokers == NULL) {
		fprintf(stderr, "%s: no Kafka brokers: give --brokers or STORECTL_BROKERS\n",
			usage->program);
		return -1;
	}
	if (usage->downstream && opts->store_api == NULL) {
		fprintf(stderr, "%s: no store API: give --store-api or STORECTL_STORE_API\n",
			usage->program);
		return -1;
	}
	return 0;
}

void svc_opts_free(struct svc_opts *opts)
{
	kafka_props_free(&opts->props);
}
