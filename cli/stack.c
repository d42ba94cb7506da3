#include "cli/stack.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/component.h"
#include "cli/reconcile.h"
#include "cli/seed.h"
#include "cli/spawn.h"
#include "cli/stackctl.h"
#include "cli/stacktokens.h"
#include "cli/statedir.h"
#include "cli/strvec.h"
#include "tui/console.h"

/* Created next to a new store database, removed once the demo data is in:
 * a seeding that was interrupted runs again on the next 'up'. */
#define SEED_MARKER STATEDIR_DB "/.seed-pending"

#define COMPONENTS component_count

static volatile sig_atomic_t stack_cancel;

static void stack_on_signal(int sig)
{
	(void)sig;
	stack_cancel = 1;
}

/* Catches the stop signals in a flag, so start-up can undo what it did. */
static void stack_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stack_on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Starts component c, records it in info and in stack_path at once (so a
 * 'down' finds it even if we die now), and waits for its ready line. On
 * failure prints the end of its log and returns -1 with the reason in err;
 * the process is gone and out of info by then.
 */
static int start_component(const struct component *c, const char *path,
			   const struct cli_opts *o, const char *abs,
			   const char *service_token, const char *stack_path,
			   struct stack_info *info, char *err, size_t errlen)
{
	struct stack_proc *p = &info->procs[info->n];
	struct strvec args = { 0 }, env = { 0 };
	char logpath[PATH_MAX];
	char rel[64];
	off_t start;
	pid_t pid;
	int rc = -1;

	snprintf(rel, sizeof(rel), STATEDIR_LOGS "/%s.log", c->program);
	if (statedir_path(logpath, sizeof(logpath), abs, rel)) {
		snprintf(err, errlen, "state directory %s: path too long", abs);
		return -1;
	}
	component_args(&args, path, o, c, abs, info);
	component_env(&env, c, service_token);
	if (args.failed || env.failed) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	start = spawn_log_size(logpath);
	pid = spawn_start(path, args.v, env.v, logpath, o->detach, err, errlen);
	if (pid < 0)
		goto out;
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", c->name);
	snprintf(p->program, sizeof(p->program), "%s", c->program);
	p->pid = pid;
	p->service = c->db != NULL;
	if (stackfile_set_args(p, args.v)) {
		snprintf(err, errlen, "the command line of %s is too long",
			 c->program);
		spawn_stop(&pid, &c->program, 1, STACK_STOP_TIMEOUT_MS);
		goto out;
	}
	info->n++;
	if (stackfile_write(stack_path, info, err, errlen) ||
	    spawn_wait_ready(pid, c->program, logpath, start,
			     STACK_READY_TIMEOUT_MS, &stack_cancel, p->addr,
			     sizeof(p->addr), err, errlen)) {
		const char *prog = c->program;

		spawn_stop(&pid, &prog, 1, STACK_STOP_TIMEOUT_MS);
		info->n--;
		if (!stack_cancel)
			spawn_log_tail(logpath, start, 10, stderr);
		goto out;
	}
	if (!p->service) {
		snprintf(info->broker, sizeof(info->broker), "%s", p->addr);
		/* Logged before the ready line: it is there by now. */
		if (spawn_log_find(logpath, start, "control on ",
				   info->broker_control,
				   sizeof(info->broker_control)))
			info->broker_control[0] = '\0';
	}
	fprintf(stderr, "storectl: %s ready at %s (pid %ld)\n", c->program,
		p->addr, (long)pid);
	rc = 0;
out:
	strvec_free(&args);
	strvec_free(&env);
	return rc;
}

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static void print_summary(FILE *out, const struct stack_info *info,
			  const struct cli_opts *o)
{
	fprintf(out, "stack running in %s\n", info->state);
	for (size_t i = 0; i < info->n; i++) {
		const struct stack_proc *p = &info->procs[i];

		/* favorites is the longest name: 9 */
		fprintf(out, "  %-9s %-28s pid %-7ld log %s/" STATEDIR_LOGS "/%s.log\n",
			p->name, p->addr, (long)p->pid, info->state,
			p->program);
	}
	fprintf(out, "bearer tokens (operator, service, owner-1..owner-%d) in %s\n",
		SEED_OWNERS, info->tokens_file);
	if (o->detach)
		fprintf(out, "stop it with: storectl down --state %s\n",
			info->state);
}

int stack_console_props(struct kafka_props *out, int embedded,
			const struct kafka_props *user, char *err,
			size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (embedded &&
	    kafka_props_add_list(out, STACK_EMBEDDED_X, err, errlen))
		return -1;
	for (size_t i = 0; i < user->n; i++) {
		char kv[1024];
		int n = snprintf(kv, sizeof(kv), "%s=%s", user->key[i],
				 user->value[i]);

		if (n < 0 || (size_t)n >= sizeof(kv)) {
			snprintf(err, errlen, "kafka property %s: too long",
				 user->key[i]);
			kafka_props_free(out);
			return -1;
		}
		if (kafka_props_add(out, kv, err, errlen)) {
			kafka_props_free(out);
			return -1;
		}
	}
	return 0;
}

/* Opens the console on the stack as token; returns its exit status. */
static int stack_console(const struct stack_info *info,
			 const struct cli_opts *o, const char *token)
{
	/* Static: a control call the console left running may outlive it. */
	static struct stackctl_console control;
	struct console_config cfg = { 0 };
	struct kafka_props props;
	char err[256];
	int rc;

	if (stack_console_props(&props, 1, &o->props, err, sizeof(err))) {
		fprintf(stderr, "storectl: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	cfg.store_api = stackfile_service(info, "store");
	cfg.search_api = stackfile_service(info, "search");
	cfg.ads_api = stackfile_service(info, "ads");
	cfg.favorites_api = stackfile_service(info, "favorites");
	cfg.reviews_api = stackfile_service(info, "reviews");
	cfg.display_api = stackfile_service(info, "display");
	cfg.brokers = info->broker;
	cfg.props = &props;
	cfg.token = token;
	stackctl_console_init(&control, info->state);
	cfg.control = &control.ops;
	rc = console_run(&cfg);
	kafka_props_free(&props);
	return rc;
}

int stack_token(const struct cli_opts *o, const char *abs, char *buf,
		size_t len, char *err, size_t errlen)
{
	int rc;

	if (o->token != NULL) {
		if (strlen(o->token) >= len) {
			snprintf(err, errlen, "--token: too long");
			return -1;
		}
		strcpy(buf, o->token);
		return 0;
	}
	rc = stacktokens_for(abs, o->owner, buf, len, err, errlen);
	if (rc > 0)
		snprintf(err, errlen, o->owner ?
			 "the stack in %s has no token for owner \"%.40s\" (its owners are owner-1 to owner-%d)" :
			 "the stack in %s has no operator token%.0s",
			 abs, o->owner ? o->owner : "", SEED_OWNERS);
	return rc == 0 ? 0 : -1;
}

/*
 * Reads stack.json again into info when it still describes this stack, so
 * that processes restarted by 'storectl service' are the ones stopped.
 */
static void stack_reload(const char *stack_path, struct stack_info *info)
{
	struct stack_info *now = malloc(sizeof(*now));
	char err[256];

	if (now != NULL && stackfile_read(stack_path, now, err, sizeof(err)) == 0 &&
	    strcmp(now->id, info->id) == 0)
		*info = *now;
	free(now);
}

/*
 * The campaigns, reviews and favorites of the demo stores, on the services
 * of info that run; says what was seeded. Returns 0, or -1 with err.
 */
static int seed_activity(const struct stack_info *info, const char *token,
			 int stores, char *err, size_t errlen)
{
	struct seed_targets t = {
		.store_url = stackfile_service(info, "store"),
		.token = token,
		.ads_url = stackfile_service(info, "ads"),
		.reviews_url = stackfile_service(info, "reviews"),
		.favorites_url = stackfile_service(info, "favorites"),
	};
	struct seed_counts made;
	char why[512];

	if (seed_demo_activity(&t, &stack_cancel, &made, why, sizeof(why))) {
		snprintf(err, errlen, "seeding demo data: %s", why);
		return -1;
	}
	fprintf(stderr, "storectl: seeded %d demo stores, %d ad campaigns, %d reviews, %d favorites\n",
		stores, made.campaigns, made.reviews, made.favorites);
	return 0;
}

/*
 * A stack on kept databases: the embedded broker forgot every event, so
 * whatever a service had not consumed when the stack went down is lost
 * with it. Audit, resync what drifted and wait for it (cli/reconcile.h).
 * Drift that remains is reported, not fatal: the stack still works.
 * Returns -1 only when interrupted.
 */
static int stack_reconcile(const struct stack_info *info, const char *token)
{
	struct audit_config cfg;
	char err[1024];
	int rc;

	reconcile_config(info, token, &cfg);
	if (cfg.n == 0)
		return 0;
	rc = reconcile_stack(&cfg, RECONCILE_TIMEOUT_MS, &stack_cancel, stderr,
			     err, sizeof(err));
	if (stack_cancel)
		return -1;
	if (rc < 0)
		fprintf(stderr, "storectl: reconcile: %s; the copies were not checked ('storectl audit' checks them)\n",
			err);
	else if (rc == 0)
		fprintf(stderr, "storectl: reconcile: the stack runs with the drift above; 'storectl audit' and 'storectl resync' can take it on\n");
	return 0;
}

int stack_up(const struct cli_opts *o)
{
	char paths[STACK_PROCS_MAX][PATH_MAX];
	int have[STACK_PROCS_MAX] = { 0 };
	struct stack_info info, old;
	char abs[PATH_MAX];
	char stack_path[PATH_MAX];
	char marker[PATH_MAX];
	char db[PATH_MAX];
	char tokens[PATH_MAX];
	char operator_token[STACKTOKENS_LEN + 1] = "";
	char service_token[STACKTOKENS_LEN + 1] = "";
	char token[1024] = "";
	char err[PATH_MAX + 512];
	int lock = -1;
	int seed = 0;
	int rc = CLI_EXIT_FAIL;
	int state;

	if (!o->detach && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		/* A stack already running is the first thing to fix. */
		state = stack_load(o->state, &old, err, sizeof(err));
		if (state == STACK_RUNNING || state == STACK_PARTIAL)
			fprintf(stderr, "storectl: up: a stack from %s is already running; see 'storectl status' or stop it with 'storectl down'\n",
				o->state);
		else
			fprintf(stderr, "storectl: up: the console needs a terminal; "
					"use 'storectl up --detach' to run the stack without it\n");
		return CLI_EXIT_FAIL;
	}
	memset(&info, 0, sizeof(info));
	if (statedir_prepare(o->state, abs, sizeof(abs), err, sizeof(err)) ||
	    (lock = statedir_lock(abs, 0, err, sizeof(err))) < 0)
		goto fail;
	state = stack_load(abs, &old, err, sizeof(err));
	if (state < 0)
		goto fail;
	if (state != STACK_NONE && state != STACK_STALE) {
		snprintf(err, sizeof(err),
			 "a stack from %s is already running; see 'storectl status' or stop it with 'storectl down'",
			 o->state);
		goto fail;
	}
	if (statedir_path(stack_path, sizeof(stack_path), abs,
			  STATEDIR_STACK_FILE) ||
	    statedir_path(marker, sizeof(marker), abs, SEED_MARKER) ||
	    statedir_path(db, sizeof(db), abs, STATEDIR_DB "/store.db") ||
	    statedir_path(tokens, sizeof(tokens), abs, STACKTOKENS_FILE)) {
		snprintf(err, sizeof(err), "state directory %s: path too long",
			 o->state);
		goto fail;
	}
	/* The tokens first: store-svc refuses to start without any. */
	if (stacktokens_ensure(tokens, err, sizeof(err)) < 0)
		goto fail;
	rc = stacktokens_read(tokens, "operator", NULL, operator_token,
			      sizeof(operator_token), err, sizeof(err));
	if (rc == 0)
		rc = stacktokens_read(tokens, "service", NULL, service_token,
				      sizeof(service_token), err, sizeof(err));
	if (rc != 0) {
		if (rc > 0)
			snprintf(err, sizeof(err),
				 "%s lacks the operator or the service token; move it away to have a new one made",
				 tokens);
		rc = CLI_EXIT_FAIL;
		goto fail;
	}
	if (stack_token(o, abs, token, sizeof(token), err, sizeof(err)))
		goto fail;
	for (size_t i = 0; i < COMPONENTS; i++) {
		const struct component *c = &component_table[i];

		if (spawn_find_program(c->program, paths[i], sizeof(paths[i]),
				       err, sizeof(err)) == 0) {
			have[i] = 1;
		} else if (c->required) {
			goto fail;
		} else {
			fprintf(stderr, "storectl: %s is not built (not next to storectl); starting without it\n",
				c->program);
		}
	}

	/* A new store database gets the demo data, once. */
	if (!file_exists(db) && touch(marker)) {
		snprintf(err, sizeof(err), "cannot create %s: %s", marker,
			 strerror(errno));
		goto fail;
	}
	seed = file_exists(marker);

	stack_catch_signals();
	snprintf(info.id, sizeof(info.id), "%ld-%ld", (long)getpid(),
		 (long)time(NULL));
	snprintf(info.state, sizeof(info.state), "%s", abs);
	snprintf(info.tokens_file, sizeof(info.tokens_file), "%s", tokens);
	info.supervisor = getpid();
	info.starting = 1;
	for (size_t i = 0; i < COMPONENTS; i++) {
		if (!have[i])
			continue;
		if (start_component(&component_table[i], paths[i], o, abs,
				    service_token, stack_path, &info, err,
				    sizeof(err)))
			goto stop;
	}
	info.starting = 0;
	info.supervisor = o->detach ? 0 : getpid();
	if (stackfile_write(stack_path, &info, err, sizeof(err)))
		goto stop;
	if (seed) {
		int n = seed_demo_stores(stackfile_service(&info, "store"),
					 operator_token, &stack_cancel, err,
					 sizeof(err));

		if (n < 0) {
			static const char prefix[] = "seeding demo data: ";
			size_t len = strnlen(err, sizeof(err) - sizeof(prefix));

			memmove(err + sizeof(prefix) - 1, err, len);
			memcpy(err, prefix, sizeof(prefix) - 1);
			err[sizeof(prefix) - 1 + len] = '\0';
			goto stop;
		}
		if (seed_activity(&info, operator_token, n, err, sizeof(err)))
			goto stop;
		unlink(marker);
	} else if (stack_reconcile(&info, operator_token)) {
		snprintf(err, sizeof(err), "interrupted while reconciling");
		goto stop;
	}
	statedir_unlock(lock);
	lock = -1;

	stacktokens_wipe(service_token, sizeof(service_token));
	stacktokens_wipe(operator_token, sizeof(operator_token));
	if (o->detach) {
		stacktokens_wipe(token, sizeof(token));
		print_summary(stdout, &info, o);
		return CLI_EXIT_OK;
	}
	print_summary(stderr, &info, o);
	rc = stack_console(&info, o, token);
	stacktokens_wipe(token, sizeof(token));
	/* Stop cleanly even if a second Ctrl-C comes during shutdown. */
	stack_catch_signals();
	fprintf(stderr, "storectl: stopping the stack in %s\n", abs);
	/* 'storectl service start' may have replaced a process meanwhile. */
	stack_reload(stack_path, &info);
	stack_stop(&info, 0);
	stackfile_remove_if(stack_path, info.id);
	return rc;

stop:
	stack_stop(&info, 0);
	stackfile_remove_if(stack_path, info.id);
fail:
	statedir_unlock(lock);
	stacktokens_wipe(service_token, sizeof(service_token));
	stacktokens_wipe(operator_token, sizeof(operator_token));
	stacktokens_wipe(token, sizeof(token));
	fprintf(stderr, "storectl: up: %s\n", err);
	return rc;
}
