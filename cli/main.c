/*
 * storectl: the console and the operator's command line. This file parses
 * the global options and dispatches: 'up', 'down' and 'status' manage the
 * embedded stack (cli/stack.c, cli/status.c), 'service' one of its
 * services (cli/stackctl.c), 'demo' plays a scripted scenario
 * (cli/demo_cmd.c); no command opens the console against that stack or
 * against endpoints given on the command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo_cmd.h"
#include "cli/ops_cmd.h"
#include "cli/stack.h"
#include "cli/stackctl.h"
#include "cli/stacktokens.h"
#include "cli/status.h"
#include "cli/tail_cmd.h"
#include "tui/config.h"
#include "tui/console.h"

#define DEFAULT_STATE "./var"

/* Each command's part of --help; 'storectl COMMAND --help' shows its own. */
static const struct {
	const char *name;
	const char *text;
} command_help[] = {
	{ "up",
	  "  up [--detach]     start the embedded stack (Kafka broker, store-svc and\n"
	  "                    the downstream services) on 127.0.0.1 with demo data\n"
	  "                    and open the console; quitting it stops the stack.\n"
	  "                    --detach starts it in the background, prints where\n"
	  "                    it runs and returns\n" },
	{ "down",
	  "  down              stop the stack started by 'up' in the state directory\n" },
	{ "status",
	  "  status [--json]   show what runs where and whether it answers;\n"
	  "                    --json prints {\"broker\",\"services\",\"state\",\n"
	  "                    \"tokens_file\",\"broker_control\"}\n" },
	{ "service",
	  "  service stop|start|kill NAME\n"
	  "                    stop (SIGTERM), start again, or kill (SIGKILL) one\n"
	  "                    service of the stack: store, search, ads,\n"
	  "                    favorites, reviews, display\n" },
	{ "demo",
	  "  demo [SCRIPT] [--headless] [--check] [--print]\n"
	  "                    play a scripted scenario (storectl-demo(5)) inside\n"
	  "                    the console, captions over the Stream; SCRIPT is a\n"
	  "                    file, - for stdin, none for the built-in one.\n"
	  "                    --headless prints a transcript without a terminal\n"
	  "                    and exits 1 when a step fails; --check only checks\n"
	  "                    the script; --print shows the built-in one\n" },
	{ "fault",
	  "  fault [show]      the faults injected now\n"
	  "  fault api --latency MS --errors RATE [--for SECONDS] [--scope all]\n"
	  "                    slow down and fail the store reads the services make\n"
	  "                    (RATE 0..1 or 0%..100%; --scope all: every caller's)\n"
	  "  fault api --clear end them\n"
	  "  fault broker down|up\n"
	  "                    take the embedded broker's connections away, or back\n"
	  "  fault broker errors API CODE [COUNT]\n"
	  "                    fail the next COUNT Kafka requests of API with CODE\n" },
	{ "audit",
	  "  audit [--service S] [--wait SECONDS] [--json]\n"
	  "                    compare every service's copy with the store API;\n"
	  "                    exit 0 when all converged, 1 on drift; --wait\n"
	  "                    retries until converged for up to SECONDS\n" },
	{ "resync",
	  "  resync [--service S] [--stores IDS|all|drifted] [--wait SECONDS]\n"
	  "                    publish the stores again (resync events) so copies\n"
	  "                    rebuild; IDS like 1,2,5-9; default all; --service\n"
	  "                    aims them at one service; --wait waits for the audit\n" },
	{ "tail",
	  "  tail [--count N] [--from-beginning] [--quiet] [--brokers LIST]\n"
	  "                    the console's Stream as lines, without a terminal\n"
	  "                    (its options follow 'tail'; storectl tail --help)\n" },
};

#define NCOMMAND_HELP (sizeof(command_help) / sizeof(command_help[0]))

static void print_help(void)
{
	printf("Usage: storectl [OPTION]... [COMMAND]\n"
	       "The console and command line of the store platform.\n\n"
	       "With no command, opens the console on the stack running in the state\n"
	       "directory, or on the endpoints that --store-api and --brokers give.\n\n"
	       "Commands:\n");
	for (size_t i = 0; i < NCOMMAND_HELP; i++)
		fputs(command_help[i].text, stdout);
	printf("\n"
	       "Options (each also an environment variable; the option wins):\n"
	       "  --state DIR       state directory with stack.json, logs/ and db/\n"
	       "                    (STORECTL_STATE, default " DEFAULT_STATE ")\n"
	       "  --store-api URL   base URL of store-svc for the console, demo, fault api,\n"
	       "                    audit and resync (STORECTL_STORE_API)\n"
	       "  --search-api URL  base URL of search-svc for the console and demo\n"
	       "                    (STORECTL_SEARCH_API)\n"
	       "  --ads-api URL, --favorites-api URL, --reviews-api URL,\n"
	       "  --display-api URL base URLs of the other services, for the console's\n"
	       "                    Services and Query screens and for audit\n"
	       "                    (STORECTL_ADS_API, ...)\n"
	       "  --brokers LIST    Kafka bootstrap servers for the console and demo\n"
	       "                    (STORECTL_BROKERS)\n"
	       "  --token TOKEN     bearer token for the store API (STORECTL_TOKEN); on\n"
	       "                    the embedded stack the default is its operator token\n"
	       "  --owner NAME      act as demo owner NAME (owner-1 .. owner-8) with the\n"
	       "                    embedded stack's token for it (STORECTL_OWNER)\n"
	       "  -X key=value      librdkafka property, repeatable; 'up' passes them to\n"
	       "                    every service (STORECTL_X, comma-separated)\n"
	       "  --help            show this help and exit\n"
	       "  --version         show the version and exit\n\n"
	       "The console also reads ~/.config/storectl/config (STORECTL_CONFIG names\n"
	       "another): lines of key = value with store_api, search_api, ads_api,\n"
	       "favorites_api, reviews_api, display_api, brokers, token and kafka.PROP.\n"
	       "Options win over the environment, which wins over the file, which wins\n"
	       "over the stack running in --state. Keys: ? in the console; storectl(1).\n\n"
	       "Exit status: 0 success, 1 failure (the reason is on stderr; for demo, a\n"
	       "step failed), 2 bad usage or a demo script with errors (nothing ran),\n"
	       "3 'status' found no stack running.\n");
}

/*
 * 'storectl COMMAND --help': that command's part of --help, and where the
 * options common to every command are; -1 for an unknown command.
 */
static int print_command_help(const char *name)
{
	for (size_t i = 0; i < NCOMMAND_HELP; i++) {
		if (strcmp(command_help[i].name, name) != 0)
			continue;
		printf("Usage: storectl [OPTION]... %s ...\n\n%s\n"
		       "The options every command takes (--state, --store-api, --token,\n"
		       "-X, ...) are in 'storectl --help'; the whole story in storectl(1).\n",
		       name, command_help[i].text);
		return 0;
	}
	return -1;
}

enum { OPT_STATE = 1000, OPT_STORE_API, OPT_SEARCH_API, OPT_BROKERS,
       OPT_TOKEN, OPT_DETACH, OPT_JSON, OPT_HEADLESS, OPT_CHECK, OPT_PRINT,
       OPT_HELP, OPT_VERSION, OPT_ADS_API, OPT_FAVORITES_API,
       OPT_REVIEWS_API, OPT_DISPLAY_API, OPT_OWNER, OPT_LATENCY,
       OPT_ERRORS, OPT_FOR, OPT_SCOPE, OPT_CLEAR, OPT_SERVICE, OPT_STORES,
       OPT_WAIT };

/* The console's other endpoints (--ads-api ...), by option. */
static const struct {
	int opt;
	const char *env;
} console_urls[] = {
	{ OPT_ADS_API, "STORECTL_ADS_API" },
	{ OPT_FAVORITES_API, "STORECTL_FAVORITES_API" },
	{ OPT_REVIEWS_API, "STORECTL_REVIEWS_API" },
	{ OPT_DISPLAY_API, "STORECTL_DISPLAY_API" },
};

#define NCONSOLE_URLS (sizeof(console_urls) / sizeof(console_urls[0]))

/* Their values, from the options or else the environment. */
static const char *console_url[NCONSOLE_URLS];

static const struct option cli_options[] = {
	{ "state", required_argument, NULL, OPT_STATE },
	{ "store-api", required_argument, NULL, OPT_STORE_API },
	{ "search-api", required_argument, NULL, OPT_SEARCH_API },
	{ "brokers", required_argument, NULL, OPT_BROKERS },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "owner", required_argument, NULL, OPT_OWNER },
	{ "ads-api", required_argument, NULL, OPT_ADS_API },
	{ "favorites-api", required_argument, NULL, OPT_FAVORITES_API },
	{ "reviews-api", required_argument, NULL, OPT_REVIEWS_API },
	{ "display-api", required_argument, NULL, OPT_DISPLAY_API },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "latency", required_argument, NULL, OPT_LATENCY },
	{ "errors", required_argument, NULL, OPT_ERRORS },
	{ "for", required_argument, NULL, OPT_FOR },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "clear", no_argument, NULL, OPT_CLEAR },
	{ "service", required_argument, NULL, OPT_SERVICE },
	{ "stores", required_argument, NULL, OPT_STORES },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ 0 },
};

/* The commands, and how many arguments of their own each takes. */
struct command {
	const char *name;
	int min_args, max_args;
	const char *usage;
};

static const struct command commands[] = {
	{ "up", 0, 0, "up [--detach]" },
	{ "down", 0, 0, "down" },
	{ "status", 0, 0, "status [--json]" },
	{ "service", 2, 2, "service: expected 'service stop|start|kill NAME'" },
	{ "demo", 0, 1, "demo [SCRIPT] [--headless]" },
	{ "fault", 0, 5, "fault [show | api ... | broker down|up|errors API CODE [COUNT]]" },
	{ "audit", 0, 0, "audit [--service S] [--wait SECONDS] [--json]" },
	{ "resync", 0, 0, "resync [--service S] [--stores IDS|all|drifted] [--wait SECONDS]" },
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int is_command(const char *command, const char *name)
{
	return command != NULL && strcmp(command, name) == 0;
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("storectl: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'storectl --help' for more information.\n", stderr);
	return CLI_EXIT_USAGE;
}

/*
 * Parses argv and the environment into o and *command (NULL: the console).
 * Returns -1 to go on, or the exit status after --help, --version or a
 * usage error.
 */
static int parse_args(struct cli_opts *o, const char **command, int argc,
		      char **argv)
{
	const struct command *cmd;
	const char *endpoint_flag = NULL;
	const char *x_env;
	char err[256];
	int c, want_help = 0;

	memset(o, 0, sizeof(*o));
	o->state = env_or("STORECTL_STATE", DEFAULT_STATE);
	o->store_api = env_or("STORECTL_STORE_API", NULL);
	o->search_api = env_or("STORECTL_SEARCH_API", NULL);
	o->brokers = env_or("STORECTL_BROKERS", NULL);
	o->token = env_or("STORECTL_TOKEN", NULL);
	o->owner = env_or("STORECTL_OWNER", NULL);
	for (size_t i = 0; i < NCONSOLE_URLS; i++)
		console_url[i] = env_or(console_urls[i].env, NULL);
	x_env = env_or("STORECTL_X", NULL);
	if (x_env != NULL &&
	    kafka_props_add_list(&o->props, x_env, err, sizeof(err))) {
		fprintf(stderr, "storectl: STORECTL_X: %s\n", err);
		return CLI_EXIT_USAGE;
	}

	*command = NULL;
	/* getopt's own messages name argv[0]; a full build path is noise. */
	argv[0] = (char *)"storectl";
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "X:", cli_options, NULL)) != -1) {
		switch (c) {
		case OPT_STATE:
			if (*optarg == '\0')
				return usage_error("--state: empty path%s", "");
			o->state = optarg;
			break;
		case OPT_STORE_API:
			o->store_api = optarg;
			endpoint_flag = "--store-api";
			break;
		case OPT_SEARCH_API:
			o->search_api = optarg;
			endpoint_flag = "--search-api";
			break;
		case OPT_BROKERS:
			o->brokers = optarg;
			endpoint_flag = "--brokers";
			break;
		case OPT_TOKEN: o->token = optarg; break;
		case OPT_OWNER:
			if (*optarg == '\0')
				return usage_error("--owner: empty name%s", "");
			o->owner = optarg;
			break;
		case OPT_ADS_API:
		case OPT_FAVORITES_API:
		case OPT_REVIEWS_API:
		case OPT_DISPLAY_API:
			console_url[c - OPT_ADS_API] = optarg;
			endpoint_flag = "--ads-api, --favorites-api, --reviews-api and --display-api";
			break;
		case OPT_DETACH: o->detach = 1; break;
		case OPT_JSON: o->json = 1; break;
		case OPT_HEADLESS: o->headless = 1; break;
		case OPT_CHECK: o->check = 1; break;
		case OPT_PRINT: o->print = 1; break;
		case OPT_LATENCY: o->latency = optarg; break;
		case OPT_ERRORS: o->errors = optarg; break;
		case OPT_FOR: o->for_s = optarg; break;
		case OPT_SCOPE: o->scope = optarg; break;
		case OPT_CLEAR: o->clear = 1; break;
		case OPT_SERVICE: o->service = optarg; break;
		case OPT_STORES: o->stores = optarg; break;
		case OPT_WAIT: o->wait = optarg; break;
		case 'X':
			if (kafka_props_add(&o->props, optarg, err, sizeof(err)))
				return usage_error("-X: %s", err);
			break;
		case OPT_HELP:
			/* After the loop: the command, if any, is known then. */
			want_help = 1;
			break;
		case OPT_VERSION:
			printf("storectl %s\n", STORECTL_VERSION);
			return CLI_EXIT_OK;
		default:
			/* getopt has said what was wrong. */
			fputs("Try 'storectl --help' for more information.\n",
			      stderr);
			return CLI_EXIT_USAGE;
		}
	}
	o->ads_api = console_url[0];
	o->favorites_api = console_url[1];
	o->reviews_api = console_url[2];
	o->display_api = console_url[3];
	if (optind < argc)
		*command = argv[optind++];
	if (want_help) {
		if (*command == NULL)
			print_help();
		else if (print_command_help(*command))
			return usage_error("unknown command \"%s\"", *command);
		return CLI_EXIT_OK;
	}
	cmd = *command == NULL ? NULL : find_command(*command);
	if (*command != NULL && cmd == NULL)
		return usage_error("unknown command \"%s\"", *command);
	while (optind < argc) {
		if (cmd == NULL || o->nargs == cmd->max_args)
			return usage_error("unexpected argument \"%s\"",
					   argv[optind]);
		o->args[o->nargs++] = argv[optind++];
	}
	if (cmd != NULL && o->nargs < cmd->min_args)
		return usage_error("%s", cmd->usage);
	if (o->detach && !is_command(*command, "up"))
		return usage_error("--detach only goes with 'up'%s", "");
	if (o->json && !is_command(*command, "status") &&
	    !is_command(*command, "audit"))
		return usage_error("--json only goes with 'status' and 'audit'%s", "");
	if ((o->latency || o->errors || o->for_s || o->scope || o->clear) &&
	    !is_command(*command, "fault"))
		return usage_error("--latency, --errors, --for, --scope and --clear only go with 'fault api'%s",
				   "");
	if ((o->service || o->wait) && !is_command(*command, "audit") &&
	    !is_command(*command, "resync"))
		return usage_error("--service and --wait only go with 'audit' and 'resync'%s",
				   "");
	if (o->stores && !is_command(*command, "resync"))
		return usage_error("--stores only goes with 'resync'%s", "");
	if ((o->headless || o->check || o->print) &&
	    !is_command(*command, "demo"))
		return usage_error("--headless, --check and --print only go with 'demo'%s",
				   "");
	if (o->owner != NULL && o->token != NULL)
		return usage_error("--owner and --token (or STORECTL_OWNER and STORECTL_TOKEN) do not go together: each names who acts%s",
				   "");
	if (o->print && o->nargs > 0)
		return usage_error("demo --print shows the built-in script; it takes no SCRIPT%s",
				   "");
	/* The stack commands manage the embedded stack and no other. */
	if (*command != NULL && endpoint_flag != NULL &&
	    !is_command(*command, "demo") && !is_command(*command, "fault") &&
	    !is_command(*command, "audit") && !is_command(*command, "resync")) {
		fprintf(stderr, "storectl: %s does not go with '%s': it manages the embedded stack in --state\n",
			endpoint_flag, *command);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* props, then more after them (so more win); 0 or -1 with err. */
static int props_join(struct kafka_props *out, const struct kafka_props *props,
		      const struct kafka_props *more, char *err, size_t errlen)
{
	const struct kafka_props *both[] = { props, more };

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < 2; k++) {
		for (size_t i = 0; i < both[k]->n; i++) {
			char kv[1024];
			int n = snprintf(kv, sizeof(kv), "%s=%s",
					 both[k]->key[i], both[k]->value[i]);

			if (n < 0 || (size_t)n >= sizeof(kv) ||
			    kafka_props_add(out, kv, err, errlen)) {
				if (n < 0 || (size_t)n >= sizeof(kv))
					snprintf(err, errlen,
						 "kafka property %s: too long",
						 both[k]->key[i]);
				kafka_props_free(out);
				return -1;
			}
		}
	}
	return 0;
}

/*
 * The console: endpoints from the options, then the environment, then the
 * configuration file (tui/config.h), and what is still missing from the
 * stack running in o->state.
 */
static int run_console(const struct cli_opts *o)
{
	/* Static: a control call the console left running may outlive it. */
	static struct stackctl_console control;
	struct console_config cfg = { 0 };
	struct kafka_props props, user;
	struct tui_config file;
	struct stack_info info;
	int embedded = 0;
	char err[1024];
	char stack_tok[1024] = "";
	int rc;

	cfg.store_api = o->store_api;
	cfg.search_api = o->search_api;
	cfg.brokers = o->brokers;
	cfg.token = o->token;
	cfg.ads_api = console_url[0];
	cfg.favorites_api = console_url[1];
	cfg.reviews_api = console_url[2];
	cfg.display_api = console_url[3];
	/* --owner takes its token from the stack, ahead of the file's. */
	if (o->owner != NULL) {
		int state = stack_load(o->state, &info, err, sizeof(err));

		if (state != STACK_RUNNING && state != STACK_PARTIAL) {
			if (state >= 0)
				stack_state_reason(state, o->state, err,
						   sizeof(err));
			fprintf(stderr, "storectl: --owner: %s\n", err);
			return CLI_EXIT_FAIL;
		}
		if (stack_token(o, info.state, stack_tok, sizeof(stack_tok),
				err, sizeof(err))) {
			fprintf(stderr, "storectl: %s\n", err);
			return CLI_EXIT_FAIL;
		}
		cfg.token = stack_tok;
	}
	if (tui_config_load(&file, NULL, err, sizeof(err))) {
		fprintf(stderr, "storectl: %s\n", err);
		stacktokens_wipe(stack_tok, sizeof(stack_tok));
		return CLI_EXIT_USAGE;
	}
	tui_config_fill(&file, &cfg);
	if (cfg.store_api == NULL || cfg.brokers == NULL) {
		int state = stack_load(o->state, &info, err, sizeof(err));

		rc = CLI_EXIT_FAIL;
		if (state < 0) {
			fprintf(stderr, "storectl: %s\n", err);
			goto out;
		}
		if (state == STACK_NONE || state == STACK_STALE) {
			fprintf(stderr, "storectl: no stack running in %s; run 'storectl up' or give --store-api and --brokers\n",
				o->state);
			goto out;
		}
		if (state == STACK_STARTING || state == STACK_ABANDONED) {
			fprintf(stderr, "storectl: %s\n",
				stack_state_reason(state, o->state, err,
						   sizeof(err)));
			goto out;
		}
		if (cfg.store_api == NULL)
			cfg.store_api = stackfile_service(&info, "store");
		if (cfg.search_api == NULL)
			cfg.search_api = stackfile_service(&info, "search");
		if (cfg.ads_api == NULL)
			cfg.ads_api = stackfile_service(&info, "ads");
		if (cfg.favorites_api == NULL)
			cfg.favorites_api = stackfile_service(&info, "favorites");
		if (cfg.reviews_api == NULL)
			cfg.reviews_api = stackfile_service(&info, "reviews");
		if (cfg.display_api == NULL)
			cfg.display_api = stackfile_service(&info, "display");
		if (cfg.brokers == NULL) {
			cfg.brokers = info.broker;
			embedded = 1;
		}
		/* The stack's own token: the operator's, or --owner's. */
		if (cfg.token == NULL) {
			if (stack_token(o, info.state, stack_tok,
					sizeof(stack_tok), err, sizeof(err))) {
				fprintf(stderr, "storectl: %s\n", err);
				goto out;
			}
			cfg.token = stack_tok;
		}
		if (cfg.store_api == NULL) {
			fprintf(stderr, "storectl: the stack in %s has no store service; give --store-api\n",
				o->state);
			goto out;
		}
		/* The console runs on this stack, so its Services screen may
		 * stop, start and fault the stack's processes. */
		stackctl_console_init(&control, info.state);
		cfg.control = &control.ops;
	}
	/* The file's properties first, so -X and STORECTL_X win. */
	if (props_join(&user, &file.props, &o->props, err, sizeof(err))) {
		fprintf(stderr, "storectl: %s\n", err);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	/* The embedded broker needs its properties (KAFKA-NOTES.md). */
	rc = stack_console_props(&props, embedded, &user, err, sizeof(err));
	kafka_props_free(&user);
	if (rc) {
		fprintf(stderr, "storectl: %s\n", err);
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	cfg.props = &props;
	rc = console_run(&cfg);
	kafka_props_free(&props);
out:
	stacktokens_wipe(stack_tok, sizeof(stack_tok));
	tui_config_free(&file);
	return rc;
}

/*
 * Where the command is in argv: the first argument that is neither an
 * option nor an option's value; 0 when there is none.
 */
static int command_index(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? i + 1 : 0;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (strcmp(a, "-X") == 0) {
			i++;
			continue;
		}
		if (a[1] != '-' || strchr(a, '=') != NULL)
			continue;
		for (const struct option *opt = cli_options; opt->name; opt++)
			if (strcmp(a + 2, opt->name) == 0) {
				if (opt->has_arg == required_argument)
					i++;
				break;
			}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	const char *command;
	int rc, k;

	/* tail parses its own options (cli/tail_cmd.h), those given before
	 * it too: storectl --state DIR tail --count 3. */
	k = command_index(argc, argv);
	if (k > 0 && strcmp(argv[k], "tail") == 0) {
		char **targv = calloc((size_t)argc, sizeof(*targv));

		if (targv == NULL) {
			fputs("storectl: out of memory\n", stderr);
			return CLI_EXIT_FAIL;
		}
		targv[0] = argv[k];
		memcpy(targv + 1, argv + 1, (size_t)(k - 1) * sizeof(*targv));
		memcpy(targv + k, argv + k + 1,
		       (size_t)(argc - k - 1) * sizeof(*targv));
		rc = tail_command(argc - 1, targv);
		free(targv);
		return rc;
	}
	rc = parse_args(&o, &command, argc, argv);
	if (rc < 0) {
		if (command == NULL)
			rc = run_console(&o);
		else if (strcmp(command, "up") == 0)
			rc = stack_up(&o);
		else if (strcmp(command, "down") == 0)
			rc = stack_down(&o);
		else if (strcmp(command, "service") == 0)
			rc = stackctl_command(&o, o.args[0], o.args[1]);
		else if (strcmp(command, "demo") == 0)
			rc = demo_command(&o, o.nargs > 0 ? o.args[0] : NULL);
		else if (strcmp(command, "fault") == 0)
			rc = ops_fault_command(&o);
		else if (strcmp(command, "audit") == 0)
			rc = ops_audit_command(&o);
		else if (strcmp(command, "resync") == 0)
			rc = ops_resync_command(&o);
		else
			rc = status_run(&o);
	}
	kafka_props_free(&o.props);
	return rc;
}
