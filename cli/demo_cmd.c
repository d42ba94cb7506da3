#include "cli/demo_cmd.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/demo.h"
#include "cli/demo_console.h"
#include "cli/demo_output.h"
#include "cli/demo_run.h"
#include "cli/demo_world.h"
#include "cli/stack.h"
#include "cli/stackctl.h"
#include "cli/stacktokens.h"
#include "cli/statedir.h"

#define DEMO_SCRIPT_MAX (1024 * 1024)
#define DEMO_ERR_MAX 8192

static volatile sig_atomic_t demo_cancel;

static void demo_on_signal(int sig)
{
	(void)sig;
	demo_cancel = 1;
}

static void demo_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = demo_on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Reads all of f (at most DEMO_SCRIPT_MAX bytes); NULL with err. */
static char *read_all(FILE *f, const char *name, size_t *len, char *err,
		      size_t errlen)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf != NULL) {
		size_t got;

		if (n == cap) {
			char *grown;

			if (cap >= DEMO_SCRIPT_MAX) {
				snprintf(err, errlen, "%s: larger than %d bytes",
					 name, DEMO_SCRIPT_MAX);
				free(buf);
				return NULL;
			}
			cap *= 2;
			grown = realloc(buf, cap);
			if (grown == NULL)
				break;
			buf = grown;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				snprintf(err, errlen, "cannot read %s: %s", name,
					 strerror(errno));
				free(buf);
				return NULL;
			}
			*len = n;
			return buf;
		}
	}
	free(buf);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

/* Prints each line of a multi-line message with the program's prefix. */
static void print_lines(const char *text)
{
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n");

		fprintf(stderr, "storectl: %.*s\n", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* Parses the script named path (NULL: built-in) into s; prints problems. */
static int load_script(const char *path, struct demo_script *s)
{
	char *err = malloc(DEMO_ERR_MAX);
	const char *name = path == NULL ? "built-in" :
			   strcmp(path, "-") == 0 ? "stdin" : path;
	char *text = NULL;
	size_t len = 0;
	int rc = CLI_EXIT_USAGE;

	if (err == NULL) {
		fprintf(stderr, "storectl: demo: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	if (path == NULL) {
		len = strlen(demo_builtin_script);
		if (demo_parse(name, demo_builtin_script, len, s, err,
			       DEMO_ERR_MAX) == 0)
			rc = 0;
		else
			print_lines(err);
		free(err);
		return rc;
	}
	if (strcmp(path, "-") == 0) {
		text = read_all(stdin, name, &len, err, DEMO_ERR_MAX);
	} else {
		FILE *f = fopen(path, "re");

		if (f == NULL)
			snprintf(err, DEMO_ERR_MAX, "cannot open %s: %s", path,
				 strerror(errno));
		else
			text = read_all(f, name, &len, err, DEMO_ERR_MAX);
		if (f != NULL)
			fclose(f);
	}
	if (text == NULL) {
		fprintf(stderr, "storectl: demo: %s\n", err);
		free(err);
		return CLI_EXIT_FAIL;
	}
	if (demo_parse(name, text, len, s, err, DEMO_ERR_MAX) == 0) {
		rc = 0;
	} else {
		print_lines(err);
		fprintf(stderr, "storectl: demo: %s has errors; nothing was run\n",
			name);
	}
	free(text);
	free(err);
	return rc;
}

/*
 * Plays script on w inside the console: its endpoints those of the
 * stack in o->state (with its fault controls) or the ones given, as
 * token. Prints the result line once the console is closed. Returns the
 * exit status.
 */
static int play_in_console(const struct cli_opts *o,
			   const struct demo_script *script,
			   const struct demo_world *w, const char *token)
{
	/* Static: a control call the console left running may outlive it. */
	static struct stackctl_console control;
	struct console_config cfg = { 0 };
	struct stack_info *info = NULL;
	struct demo_transcript tr;
	struct demo_output out;
	struct demo_summary sum;
	struct kafka_props props;
	char err[1024];
	int embedded = o->store_api == NULL, rc;

	cfg.token = token;
	if (embedded) {
		int st;

		info = malloc(sizeof(*info));
		if (info == NULL) {
			fprintf(stderr, "storectl: demo: out of memory\n");
			return CLI_EXIT_FAIL;
		}
		st = stack_load(o->state, info, err, sizeof(err));
		if (st != STACK_RUNNING && st != STACK_PARTIAL) {
			if (st >= 0)
				stack_state_reason(st, o->state, err,
						   sizeof(err));
			fprintf(stderr, "storectl: demo: %s\n", err);
			free(info);
			return CLI_EXIT_FAIL;
		}
		cfg.store_api = stackfile_service(info, "store");
		cfg.search_api = stackfile_service(info, "search");
		cfg.ads_api = stackfile_service(info, "ads");
		cfg.favorites_api = stackfile_service(info, "favorites");
		cfg.reviews_api = stackfile_service(info, "reviews");
		cfg.display_api = stackfile_service(info, "display");
		cfg.brokers = info->broker;
		stackctl_console_init(&control, info->state);
		cfg.control = &control.ops;
	} else {
		cfg.store_api = o->store_api;
		cfg.search_api = o->search_api;
		cfg.ads_api = o->ads_api;
		cfg.favorites_api = o->favorites_api;
		cfg.reviews_api = o->reviews_api;
		cfg.display_api = o->display_api;
		cfg.brokers = o->brokers;
	}
	if (stack_console_props(&props, embedded, &o->props, err,
				sizeof(err))) {
		fprintf(stderr, "storectl: demo: %s\n", err);
		free(info);
		return CLI_EXIT_FAIL;
	}
	cfg.props = &props;
	rc = demo_console_play(script, w, &cfg, &demo_cancel, &sum);
	kafka_props_free(&props);
	free(info);
	/* The terminal is the shell's again: the result, as --headless
	 * ends. */
	demo_output_transcript(&out, &tr, stdout, 0);
	if (sum.script != NULL)
		out.end(out.ctx, &sum);
	if (rc != 0)
		return CLI_EXIT_FAIL;
	return sum.outcome == DEMO_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int demo_command(const struct cli_opts *o, const char *path)
{
	struct demo_world_config cfg = { 0 };
	struct demo_script script;
	struct demo_transcript tr;
	struct demo_output out;
	struct demo_summary sum;
	struct demo_world *w;
	char err[DEMO_ERR_MAX];
	char token[1024] = "";
	int live, rc;

	if (o->print) {
		fputs(demo_builtin_script, stdout);
		return CLI_EXIT_OK;
	}
	rc = load_script(path, &script);
	if (rc != 0)
		return rc;
	if (o->check) {
		printf("%s: %zu steps, no problems\n", script.name, script.n);
		demo_script_free(&script);
		return CLI_EXIT_OK;
	}
	live = !o->headless;
	if (live && !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "storectl: demo: without --headless it plays in the console, on a terminal; use 'storectl demo --headless' for a transcript\n");
		demo_script_free(&script);
		return CLI_EXIT_FAIL;
	}
	demo_catch_signals();
	if (o->store_api == NULL)
		cfg.state = o->state;
	cfg.store_api = o->store_api;
	cfg.search_api = o->search_api;
	cfg.brokers = o->brokers;
	cfg.props = &o->props;
	cfg.token = o->token;
	/* On the embedded stack: its operator token, or --owner's. */
	if (cfg.state != NULL && (o->token == NULL || o->owner != NULL)) {
		char abs[PATH_MAX];
		int st = statedir_resolve(o->state, abs, sizeof(abs), err,
					  sizeof(err));

		if (st == 0 && stack_token(o, abs, token, sizeof(token), err,
					   sizeof(err)) == 0)
			cfg.token = token;
		else if (st == 0 || o->owner != NULL) {
			if (st > 0)
				snprintf(err, sizeof(err), "no stack running in %s",
					 o->state);
			fprintf(stderr, "storectl: demo: %s\n", err);
			demo_script_free(&script);
			return CLI_EXIT_FAIL;
		}
	}
	cfg.cancel = &demo_cancel;
	cfg.diag = stderr;
	w = demo_world_open(&cfg, err, sizeof(err));
	if (w == NULL) {
		stacktokens_wipe(token, sizeof(token));
		fprintf(stderr, "storectl: demo: %s\n", err);
		demo_script_free(&script);
		return CLI_EXIT_FAIL;
	}
	if (demo_check(&script, w, err, sizeof(err))) {
		print_lines(err);
		fprintf(stderr, "storectl: demo: nothing was run\n");
		demo_world_close(w);
		demo_script_free(&script);
		stacktokens_wipe(token, sizeof(token));
		return CLI_EXIT_USAGE;
	}
	if (live) {
		rc = play_in_console(o, &script, w, cfg.token);
	} else {
		demo_output_transcript(&out, &tr, stdout, 0);
		rc = demo_run(&script, w, &out, &demo_cancel, &sum) == DEMO_OK ?
			     CLI_EXIT_OK : CLI_EXIT_FAIL;
	}
	stacktokens_wipe(token, sizeof(token));
	demo_world_close(w);
	demo_script_free(&script);
	return rc;
}
