/* storectl tail: the Stream pane's records as lines (cli/tail_cmd.h). */
#include "cli/tail_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/fields.h"
#include "cli/cli.h"
#include "cli/stack.h"
#include "common/clock.h"
#include "tui/fmt.h"
#include "tui/stream_model.h"
#include "tui/tail.h"

/* As the console: rows kept, recent history read, records per turn. */
#define TAIL_ROWS 2000
#define TAIL_HISTORY 1000
#define TAIL_DRAIN_MAX 500
/* --from-beginning: a history longer than any topic (TAIL(n) stops at 0). */
#define TAIL_ALL 1000000000000L
#define TAIL_COUNT_MAX 1000000000L

struct tail_run {
	struct stream_model *m;
	FILE *out;
	int quiet;
	long count;           /* events to read, 0 for no end */
	long events, reactions_read, reactions;
	int write_failed;
};

static volatile sig_atomic_t tail_stopping;

static void on_signal(int sig)
{
	(void)sig;
	tail_stopping = 1;
}

static void tail_usage(FILE *f)
{
	fputs("Usage: storectl tail [--count N] [--from-beginning] [--quiet]\n"
	      "                     [--brokers LIST] [--state DIR] [-X key=value]...\n"
	      "Prints store.events and the services' reactions joined to them, as the\n"
	      "console's Stream pane shows them, without a terminal.\n\n"
	      "  --count N          exit after N events (default: run until interrupted)\n"
	      "  --from-beginning   start at the beginning of the topics (default: the\n"
	      "                     last 1000 events, as the console)\n"
	      "  --quiet            print no record, only the totals at the end\n"
	      "  --brokers LIST     Kafka bootstrap servers (STORECTL_BROKERS; default\n"
	      "                     the broker of the stack running in --state)\n"
	      "  --state DIR        state directory of 'storectl up' (STORECTL_STATE,\n"
	      "                     default ./var)\n"
	      "  -X key=value       librdkafka property, repeatable (STORECTL_X)\n"
	      "  --help             show this help and exit\n", f);
}

static int tail_usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "storectl: tail: %s%s\n", what, arg);
	fputs("Try 'storectl tail --help' for more information.\n", stderr);
	return CLI_EXIT_USAGE;
}

static void tail_fields(uint32_t fields, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int b = 0; b < 32 && o < len; b++) {
		uint32_t bit = 1u << b;
		const char *name;

		if (!(fields & bit))
			continue;
		name = bit == STORE_F_OTHER ? "other" : store_field_name(bit);
		if (name != NULL)
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      o ? "," : "", name);
	}
	if (o == 0)
		snprintf(buf, len, "-");
}

/* A cell in the words of the pane's wide layout. */
static void tail_cell(const struct stream_cell *c, char *buf, size_t len)
{
	char ms[16];

	tui_fmt_ms(c->lag_ms, ms, sizeof(ms));
	switch (c->state) {
	case STREAM_CELL_APPLIED:
		if (c->coalesced > 1)
			snprintf(buf, len, "x%d applied %s", c->coalesced, ms);
		else
			snprintf(buf, len, "applied %s", ms);
		break;
	case STREAM_CELL_DELETED:
		snprintf(buf, len, "deleted %s", ms);
		break;
	case STREAM_CELL_FAILED:
		snprintf(buf, len, "FAILED %s", c->error);
		break;
	case STREAM_CELL_STALE:
		snprintf(buf, len, "skip: stale");
		break;
	case STREAM_CELL_FIELDS:
		snprintf(buf, len, "skip: fields");
		break;
	case STREAM_CELL_COALESCED:
		snprintf(buf, len, "in v%lld's fetch", (long long)c->by_version);
		break;
	default:
		snprintf(buf, len, "-");
		break;
	}
}

static void tail_put(struct tail_run *r, const char *line)
{
	if (!r->write_failed && fputs(line, r->out) == EOF)
		r->write_failed = 1;
}

/* Every cell a reaction fills, pending ones included, as a line. */
static void tail_on_join(void *ctx, const struct stream_row *row, int service)
{
	struct tail_run *r = ctx;
	char at[32], cell[192], line[384];

	r->reactions++;
	if (r->quiet)
		return;
	tui_fmt_clock(row->cell[service].at_ms, 1, at, sizeof(at));
	tail_cell(&row->cell[service], cell, sizeof(cell));
	snprintf(line, sizeof(line), "%s  store %lld v%lld  %s: %s\n", at,
		 (long long)row->store_id, (long long)row->version,
		 stream_model_service_name(r->m, service), cell);
	tail_put(r, line);
}

static void tail_sink_event(void *ctx, const struct store_event *ev,
			    const struct stream_origin *origin)
{
	struct tail_run *r = ctx;
	char at[32], fields[160], line[384];

	if (r->count > 0 && r->events >= r->count)
		return;
	r->events++;
	/* The event's line before the model joins reactions that came
	 * first (each prints its own line); a redelivery prints nothing. */
	if (!r->quiet && !stream_model_find(r->m, ev->store_id, ev->version)) {
		tui_fmt_clock(ev->at_ms, 1, at, sizeof(at));
		tail_fields(ev->fields, fields, sizeof(fields));
		snprintf(line, sizeof(line),
			 "%s  store %lld v%lld  %s %s  [p%d@%lld]\n", at,
			 (long long)ev->store_id, (long long)ev->version,
			 store_event_type_name(ev->type), fields,
			 (int)origin->partition, (long long)origin->offset);
		tail_put(r, line);
	}
	stream_model_add_event(r->m, ev, origin, clock_mono_ms());
}

static void tail_sink_reaction(void *ctx, const struct store_reaction *re,
			       const struct stream_origin *origin)
{
	struct tail_run *r = ctx;

	if (r->count > 0 && r->events >= r->count)
		return;
	r->reactions_read++;
	stream_model_add_reaction(r->m, re, origin, clock_mono_ms());
}

/* Brokers and properties: --brokers / STORECTL_BROKERS, else the stack's. */
static int tail_endpoints(const char *state_dir, const char **brokers,
			  struct kafka_props *props,
			  const struct kafka_props *user, struct stack_info *info)
{
	char err[1024];
	int state, embedded = 0;

	if (*brokers == NULL) {
		state = stack_load(state_dir, info, err, sizeof(err));
		if (state < 0) {
			fprintf(stderr, "storectl: tail: %s\n", err);
			return -1;
		}
		if (state != STACK_RUNNING && state != STACK_PARTIAL) {
			fprintf(stderr, "storectl: tail: %s; give --brokers\n",
				stack_state_reason(state, state_dir, err,
						   sizeof(err)));
			return -1;
		}
		*brokers = info->broker;
		embedded = 1;
	}
	if (stack_console_props(props, embedded, user, err, sizeof(err))) {
		fprintf(stderr, "storectl: tail: %s\n", err);
		return -1;
	}
	return 0;
}

/* Reads until --count events, a signal, or stdout fails. */
static int tail_loop(struct tui_tail *t, struct tail_run *r, int wake_rd)
{
	enum tui_tail_state said = TUI_TAIL_CONNECTING;
	char why[256], buf[64];

	while (!tail_stopping && !r->write_failed &&
	       (r->count == 0 || r->events < r->count)) {
		struct pollfd fds[2] = { { tui_tail_fd(t), POLLIN, 0 },
					 { wake_rd, POLLIN, 0 } };
		enum tui_tail_state state;

		if (poll(fds, 2, 200) < 0 && errno != EINTR) {
			perror("storectl: tail: poll");
			return CLI_EXIT_FAIL;
		}
		while (read(wake_rd, buf, sizeof(buf)) > 0)
			;
		while (tui_tail_drain(t, TAIL_DRAIN_MAX, &(struct tui_tail_sink){
						   r, tail_sink_event,
						   tail_sink_reaction }) ==
			       TAIL_DRAIN_MAX &&
		       !tail_stopping && (r->count == 0 || r->events < r->count))
			;
		stream_model_expire(r->m, clock_mono_ms());
		if (!r->quiet && fflush(r->out) == EOF)
			r->write_failed = 1;
		state = tui_tail_state(t, why, sizeof(why));
		if (state == TUI_TAIL_DOWN && said != TUI_TAIL_DOWN)
			fprintf(stderr, "storectl: tail: Kafka unreachable: %s\n",
				why);
		else if (state == TUI_TAIL_LIVE && said == TUI_TAIL_DOWN)
			fprintf(stderr, "storectl: tail: Kafka is back\n");
		said = state;
	}
	if (r->write_failed) {
		fprintf(stderr, "storectl: tail: cannot write the output\n");
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

enum { TOPT_COUNT = 1000, TOPT_BEGIN, TOPT_QUIET, TOPT_BROKERS, TOPT_STATE,
       TOPT_HELP };

int tail_command(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, TOPT_COUNT },
		{ "from-beginning", no_argument, NULL, TOPT_BEGIN },
		{ "quiet", no_argument, NULL, TOPT_QUIET },
		{ "brokers", required_argument, NULL, TOPT_BROKERS },
		{ "state", required_argument, NULL, TOPT_STATE },
		{ "help", no_argument, NULL, TOPT_HELP },
		{ 0 },
	};
	struct tail_run run = { .out = stdout };
	struct kafka_props user = { 0 }, props;
	struct stack_info info;
	struct tui_tail *t = NULL;
	struct sigaction sa = { 0 };
	const char *brokers = getenv("STORECTL_BROKERS");
	const char *state_dir = getenv("STORECTL_STATE");
	const char *x_env = getenv("STORECTL_X");
	long history = TAIL_HISTORY;
	int wake[2] = { -1, -1 }, rc = CLI_EXIT_FAIL, c;
	char err[512], *end;

	if (brokers != NULL && *brokers == '\0')
		brokers = NULL;
	if (state_dir == NULL || *state_dir == '\0')
		state_dir = "./var";
	if (x_env != NULL && *x_env != '\0' &&
	    kafka_props_add_list(&user, x_env, err, sizeof(err))) {
		fprintf(stderr, "storectl: tail: STORECTL_X: %s\n", err);
		kafka_props_free(&user);
		return CLI_EXIT_USAGE;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "X:", opts, NULL)) != -1) {
		switch (c) {
		case TOPT_COUNT:
			errno = 0;
			run.count = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end != '\0' ||
			    run.count < 1 || run.count > TAIL_COUNT_MAX) {
				rc = tail_usage_error("--count: must be an integer from 1 to 1000000000, not ",
						      optarg);
				goto out;
			}
			break;
		case TOPT_BEGIN: history = TAIL_ALL; break;
		case TOPT_QUIET: run.quiet = 1; break;
		case TOPT_BROKERS:
			if (*optarg == '\0') {
				rc = tail_usage_error("--brokers: empty list", "");
				goto out;
			}
			brokers = optarg;
			break;
		case TOPT_STATE:
			if (*optarg == '\0') {
				rc = tail_usage_error("--state: empty path", "");
				goto out;
			}
			state_dir = optarg;
			break;
		case 'X':
			if (kafka_props_add(&user, optarg, err, sizeof(err))) {
				rc = tail_usage_error("-X: ", err);
				goto out;
			}
			break;
		case TOPT_HELP:
			tail_usage(stdout);
			rc = CLI_EXIT_OK;
			goto out;
		default:
			fputs("Try 'storectl tail --help' for more information.\n",
			      stderr);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
	}
	if (optind < argc) {
		rc = tail_usage_error("unexpected argument ", argv[optind]);
		goto out;
	}
	if (tail_endpoints(state_dir, &brokers, &props, &user, &info))
		goto out;

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	run.m = stream_model_new(TAIL_ROWS);
	if (run.m == NULL || pipe(wake) != 0) {
		fprintf(stderr, "storectl: tail: out of memory or descriptors\n");
		goto out_props;
	}
	fcntl(wake[0], F_SETFL, O_NONBLOCK);
	fcntl(wake[1], F_SETFL, O_NONBLOCK);
	stream_model_set_listener(run.m, tail_on_join, &run);
	t = tui_tail_new(brokers, &props, history, wake[1], err, sizeof(err));
	if (t == NULL) {
		fprintf(stderr, "storectl: tail: %s\n", err);
		goto out_props;
	}
	rc = tail_loop(t, &run, wake[0]);
	if (rc == CLI_EXIT_OK && run.quiet)
		printf("%ld events, %ld reactions (%ld joined), %lu records not decoded\n",
		       run.events, run.reactions_read, run.reactions,
		       tui_tail_bad(t));
	if (fflush(stdout) == EOF && rc == CLI_EXIT_OK)
		rc = CLI_EXIT_FAIL;
out_props:
	tui_tail_free(t);
	stream_model_free(run.m);
	if (wake[0] >= 0)
		close(wake[0]);
	if (wake[1] >= 0)
		close(wake[1]);
	kafka_props_free(&props);
out:
	kafka_props_free(&user);
	return rc;
}
