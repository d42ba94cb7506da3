/*
 * The console's controls of the embedded stack (cli/stackctl.h): the
 * Services screen's keys end here, on the console's control thread.
 */
#include "cli/stackctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/faults.h"
#include "cli/spawn.h"
#include "cli/stack.h"
#include "cli/stacktokens.h"

/* What a fault call needs: the stack's addresses and operator token. */
struct env {
	struct stack_info info;
	char token[1024];
};

/* Loads the stack; NULL with the reason in msg. Free with env_free. */
static struct env *env_load(struct stackctl_console *sc, char *msg,
			    size_t len)
{
	struct env *e = calloc(1, sizeof(*e));
	char err[1024];
	int st;

	if (e == NULL) {
		snprintf(msg, len, "out of memory");
		return NULL;
	}
	st = stack_load(sc->state, &e->info, err, sizeof(err));
	if (st != STACK_RUNNING && st != STACK_PARTIAL) {
		if (st >= 0)
			stack_state_reason(st, sc->state, err, sizeof(err));
		snprintf(msg, len, "%s", err);
		free(e);
		return NULL;
	}
	/* Faults are the operator's, whatever role the console acts as. */
	if (stacktokens_for(e->info.state, NULL, e->token, sizeof(e->token),
			    err, sizeof(err)) != 0) {
		snprintf(msg, len, "%s", err);
		free(e);
		return NULL;
	}
	return e;
}

static void env_free(struct env *e)
{
	if (e == NULL)
		return;
	stacktokens_wipe(e->token, sizeof(e->token));
	free(e);
}

static const char *broker_control(const struct env *e)
{
	return e->info.broker_control[0] ? e->info.broker_control : NULL;
}

static int ctl_service(void *ctx, const char *verb, const char *name,
		       char *msg, size_t len)
{
	struct stackctl_console *sc = ctx;
	char err[1024];
	int op = stackctl_op_parse(verb);

	if (op < 0) {
		snprintf(msg, len, "unknown action \"%s\"", verb);
		return -1;
	}
	sc->cancel = 0;
	/* No diag: the console owns the terminal; the log has it all. */
	if (stackctl_apply(sc->state, (enum stackctl_op)op, name, NULL,
			   &sc->cancel, NULL, msg, len, err, sizeof(err)) < 0) {
		snprintf(msg, len, "%s", err);
		return -1;
	}
	return 0;
}

static int ctl_api_faults(void *ctx, int clear, long latency_ms,
			  double error_rate, char *msg, size_t len)
{
	struct env *e = env_load(ctx, msg, len);
	const char *store;
	struct faults_api f;
	char err[1024], line[512];
	int rc;

	if (e == NULL)
		return -1;
	store = stackfile_service(&e->info, "store");
	rc = clear ? faults_api_clear(store, e->token, &f, err, sizeof(err)) :
		     faults_api_set(store, e->token, latency_ms, error_rate, 0,
				    NULL, &f, err, sizeof(err));
	env_free(e);
	if (rc) {
		snprintf(msg, len, "%s", err);
		return -1;
	}
	faults_api_describe(&f, line, sizeof(line));
	snprintf(msg, len, "store-API faults %s: %s", clear ? "cleared" : "set",
		 line);
	return 0;
}

static int ctl_broker_errors(void *ctx, const char *api, const char *code,
			     long count, char *msg, size_t len)
{
	struct stackctl_console *sc = ctx;
	struct env *e = env_load(sc, msg, len);
	char err[1024], at[16];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if (e == NULL)
		return -1;
	if (broker_control(e) == NULL) {
		snprintf(msg, len, "the stack's broker has no control API (stack.json of an older storectl)");
		env_free(e);
		return -1;
	}
	rc = faults_broker_errors(broker_control(e), api, code, count, err,
				  sizeof(err));
	env_free(e);
	if (rc) {
		snprintf(msg, len, "%s", err);
		return -1;
	}
	localtime_r(&now, &tm);
	strftime(at, sizeof(at), "%H:%M:%S", &tm);
	snprintf(sc->broker_errors, sizeof(sc->broker_errors),
		 "%ld x %.31s %.47s at %s", count, api, code, at);
	snprintf(msg, len, "the next %ld %s requests fail with %s", count, api,
		 code);
	return 0;
}

static int ctl_broker_down(void *ctx, int down, char *msg, size_t len)
{
	struct env *e = env_load(ctx, msg, len);
	char err[1024];
	int rc;

	if (e == NULL)
		return -1;
	if (broker_control(e) == NULL) {
		snprintf(msg, len, "the stack's broker has no control API (stack.json of an older storectl)");
		env_free(e);
		return -1;
	}
	rc = faults_broker_set(broker_control(e), down, err, sizeof(err));
	env_free(e);
	if (rc) {
		snprintf(msg, len, "%s", err);
		return -1;
	}
	snprintf(msg, len, down ? "brokers down: connections dropped and refused" :
				  "brokers up: clients reconnect after their backoff");
	return 0;
}

static int ctl_state(void *ctx, struct console_stack_state *out, char *msg,
		     size_t len)
{
	struct stackctl_console *sc = ctx;
	struct env *e = env_load(sc, msg, len);
	struct faults_api f;
	char err[1024];

	memset(out, 0, sizeof(*out));
	if (e == NULL)
		return -1;
	for (size_t i = 0; i < e->info.n && out->n < CONSOLE_CONTROL_SERVICES;
	     i++) {
		const struct stack_proc *p = &e->info.procs[i];

		if (strcmp(p->name, "broker") == 0)
			continue;
		snprintf(out->svc[out->n].name, sizeof(out->svc[0].name), "%s",
			 p->name);
		snprintf(out->svc[out->n].proc, sizeof(out->svc[0].proc), "%s",
			 p->stopped ? "stopped" :
			 spawn_running(p->pid, p->program) ? "running" : "dead");
		out->svc[out->n].pid = (long)p->pid;
		out->n++;
	}
	if (faults_api_get(stackfile_service(&e->info, "store"), e->token, &f,
			   err, sizeof(err)) == 0) {
		out->api_active = f.active;
		faults_api_describe(&f, out->api, sizeof(out->api));
	} else {
		snprintf(out->api, sizeof(out->api), "unknown: %.200s", err);
	}
	if (broker_control(e) != NULL &&
	    faults_broker_get(broker_control(e), &out->broker_down, err,
			      sizeof(err)) == 0)
		out->broker_known = 1;
	snprintf(out->broker_errors, sizeof(out->broker_errors), "%s",
		 sc->broker_errors);
	env_free(e);
	return 0;
}

static void ctl_cancel(void *ctx)
{
	struct stackctl_console *sc = ctx;

	sc->cancel = 1;
}

void stackctl_console_init(struct stackctl_console *sc, const char *state)
{
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->state, sizeof(sc->state), "%s", state);
	sc->ops.ctx = sc;
	sc->ops.service = ctl_service;
	sc->ops.api_faults = ctl_api_faults;
	sc->ops.broker_errors = ctl_broker_errors;
	sc->ops.broker_down = ctl_broker_down;
	sc->ops.state = ctl_state;
	sc->ops.cancel = ctl_cancel;
}
