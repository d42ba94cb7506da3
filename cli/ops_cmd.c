/* storectl fault, audit and resync (cli/ops_cmd.h). */
#include "cli/ops_cmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/audit.h"
#include "cli/component.h"
#include "cli/faults.h"
#include "cli/reconcile.h"
#include "cli/resync.h"
#include "cli/stack.h"
#include "cli/stacktokens.h"

#define WAIT_MAX_S 3600

/* Where the commands act: the embedded stack, or remote endpoints. */
struct ops_env {
	struct stack_info *info;  /* embedded: stack.json; NULL: remote */
	const char *store_url;
	const char *broker_control; /* NULL when there is none */
	char token[1024];
	struct audit_config audit;
};

static void env_close(struct ops_env *e)
{
	free(e->info);
	stacktokens_wipe(e->token, sizeof(e->token));
}

/* Resolves o into e; 0, or -1 after printing why (as what). */
static int env_open(const struct cli_opts *o, struct ops_env *e,
		    const char *what)
{
	char err[1024];
	int st;

	memset(e, 0, sizeof(*e));
	if (o->store_api != NULL) {
		const char *urls[][2] = {
			{ "search", o->search_api }, { "ads", o->ads_api },
			{ "favorites", o->favorites_api },
			{ "reviews", o->reviews_api },
			{ "display", o->display_api },
		};

		if (o->token == NULL) {
			fprintf(stderr, "storectl: %s: --store-api needs an operator's --token (or STORECTL_TOKEN)\n",
				what);
			return -1;
		}
		snprintf(e->token, sizeof(e->token), "%s", o->token);
		e->store_url = o->store_api;
		e->audit.store_url = e->store_url;
		e->audit.token = e->token;
		for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++)
			if (urls[i][1] != NULL) {
				e->audit.services[e->audit.n].name = urls[i][0];
				e->audit.services[e->audit.n++].url = urls[i][1];
			}
		return 0;
	}
	e->info = malloc(sizeof(*e->info));
	if (e->info == NULL) {
		fprintf(stderr, "storectl: %s: out of memory\n", what);
		return -1;
	}
	st = stack_load(o->state, e->info, err, sizeof(err));
	if (st != STACK_RUNNING && st != STACK_PARTIAL) {
		if (st >= 0)
			stack_state_reason(st, o->state, err, sizeof(err));
		fprintf(stderr, "storectl: %s: %s\n", what, err);
		env_close(e);
		return -1;
	}
	if (stack_token(o, e->info->state, e->token, sizeof(e->token), err,
			sizeof(err))) {
		fprintf(stderr, "storectl: %s: %s\n", what, err);
		env_close(e);
		return -1;
	}
	e->store_url = stackfile_service(e->info, "store");
	e->broker_control = e->info->broker_control[0] ?
				    e->info->broker_control : NULL;
	reconcile_config(e->info, e->token, &e->audit);
	if (e->store_url == NULL) {
		fprintf(stderr, "storectl: %s: the stack in %s has no store service\n",
			what, o->state);
		env_close(e);
		return -1;
	}
	return 0;
}

static int usage(const char *fmt, const char *arg)
{
	fputs("storectl: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'storectl --help' for more information.\n", stderr);
	return CLI_EXIT_USAGE;
}

/* A number in [min, max] from text; 0, or -1. */
static int parse_number(const char *text, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || errno != 0 || !isfinite(v) ||
	    v < min || v > max || text[0] == '-' || text[0] == '+' ||
	    text[0] == ' ')
		return -1;
	*out = v;
	return 0;
}

/* --errors: "0.3" or "30%". */
static int parse_rate(const char *text, double *rate)
{
	size_t n = strlen(text);
	char buf[32];

	if (n > 0 && n < sizeof(buf) && text[n - 1] == '%') {
		memcpy(buf, text, n - 1);
		buf[n - 1] = '\0';
		if (parse_number(buf, 0, 100, rate))
			return -1;
		*rate /= 100;
		return 0;
	}
	return parse_number(text, 0, 1, rate);
}

/* --service: keeps only that service in the audit; 0, or -1 (printed). */
static int pick_service(struct ops_env *e, const char *name)
{
	const struct component *c = component_find(name);

	if (c == NULL || !c->downstream) {
		fprintf(stderr, "storectl: --service: \"%s\" is not a downstream service (search, ads, favorites, reviews, display)\n",
			name);
		return -1;
	}
	for (size_t i = 0; i < e->audit.n; i++)
		if (strcmp(e->audit.services[i].name, name) == 0) {
			e->audit.services[0] = e->audit.services[i];
			e->audit.n = 1;
			return 0;
		}
	fprintf(stderr, "storectl: --service: %s is not part of %s\n", name,
		e->info ? "the stack" : "the endpoints given (--search-api, --ads-api, ...)");
	return -1;
}

static int fault_show(struct ops_env *e)
{
	struct faults_api f;
	char err[1024], line[512];
	int down, rc = CLI_EXIT_OK;

	if (faults_api_get(e->store_url, e->token, &f, err, sizeof(err))) {
		fprintf(stderr, "storectl: fault: %s\n", err);
		rc = CLI_EXIT_FAIL;
	} else {
		faults_api_describe(&f, line, sizeof(line));
		printf("store API faults: %s\n", line);
	}
	if (e->broker_control == NULL)
		return rc;
	if (faults_broker_get(e->broker_control, &down, err, sizeof(err))) {
		fprintf(stderr, "storectl: fault: broker: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	printf("broker: %s\n", down ? "down (connections refused; the log is kept)" : "up");
	return rc;
}

static int fault_api(const struct cli_opts *o, struct ops_env *e)
{
	double latency = 0, rate = 0, for_s = 0;
	struct faults_api f;
	char err[1024], line[512];
	int rc;

	if (o->clear) {
		if (o->latency || o->errors || o->for_s || o->scope)
			return usage("fault api --clear takes no other option%s", "");
		rc = faults_api_clear(e->store_url, e->token, &f, err, sizeof(err));
	} else {
		if (o->latency == NULL && o->errors == NULL)
			return usage("fault api: give --latency MS and/or --errors RATE, or --clear%s",
				     "");
		if (o->latency && parse_number(o->latency, 0, 30000, &latency))
			return usage("--latency: \"%s\" is not a number of milliseconds from 0 to 30000",
				     o->latency);
		if (latency != floor(latency))
			return usage("--latency: \"%s\" is not a whole number of milliseconds",
				     o->latency);
		if (o->errors && parse_rate(o->errors, &rate))
			return usage("--errors: \"%s\" is not a share of the reads from 0 to 1 (or 0%% to 100%%)",
				     o->errors);
		if (o->for_s && (parse_number(o->for_s, 0, 604800, &for_s) ||
				 for_s <= 0))
			return usage("--for: \"%s\" is not a number of seconds above 0, at most 604800",
				     o->for_s);
		if (o->scope && strcmp(o->scope, "service") != 0 &&
		    strcmp(o->scope, "all") != 0)
			return usage("--scope: \"%s\" is not service (the consumers' reads) or all",
				     o->scope);
		rc = faults_api_set(e->store_url, e->token, (long)latency, rate,
				    for_s, o->scope, &f, err, sizeof(err));
	}
	if (rc) {
		fprintf(stderr, "storectl: fault api: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	faults_api_describe(&f, line, sizeof(line));
	printf("store API faults: %s\n", line);
	return CLI_EXIT_OK;
}

static int fault_broker(const struct cli_opts *o, struct ops_env *e)
{
	const char *verb = o->nargs > 1 ? o->args[1] : "";
	char err[1024];
	double count = 1;

	if (e->broker_control == NULL) {
		fprintf(stderr, "storectl: fault broker: %s\n",
			e->info ? "the stack's broker has no control API (started by an older storectl: restart the stack)" :
				  "only the embedded stack's broker takes faults");
		return CLI_EXIT_FAIL;
	}
	if ((strcmp(verb, "down") == 0 || strcmp(verb, "up") == 0) &&
	    o->nargs == 2) {
		if (faults_broker_set(e->broker_control, verb[0] == 'd', err,
				      sizeof(err))) {
			fprintf(stderr, "storectl: fault broker %s: %s\n", verb, err);
			return CLI_EXIT_FAIL;
		}
		printf(verb[0] == 'd' ?
			       "broker down: Kafka connections are dropped and refused; the log is kept ('storectl fault broker up' ends it)\n" :
			       "broker up: Kafka connections are accepted again\n");
		return CLI_EXIT_OK;
	}
	if (strcmp(verb, "errors") != 0 || o->nargs < 4)
		return usage("fault broker: expected 'down', 'up' or 'errors API CODE [COUNT]'%s",
			     "");
	if (o->nargs == 5 && (parse_number(o->args[4], 1, 10000, &count) ||
			      count != floor(count)))
		return usage("fault broker errors: COUNT \"%s\" is not a whole number from 1 to 10000",
			     o->args[4]);
	if (faults_broker_errors(e->broker_control, o->args[2], o->args[3],
				 (long)count, err, sizeof(err))) {
		fprintf(stderr, "storectl: fault broker errors: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	printf("broker: the next %ld %s request(s) fail with %s\n", (long)count,
	       o->args[2], o->args[3]);
	return CLI_EXIT_OK;
}

int ops_fault_command(const struct cli_opts *o)
{
	const char *what = o->nargs > 0 ? o->args[0] : "show";
	struct ops_env e;
	int rc;

	if (strcmp(what, "show") != 0 && strcmp(what, "api") != 0 &&
	    strcmp(what, "broker") != 0)
		return usage("fault: expected 'show', 'api' or 'broker', not \"%s\"",
			     what);
	if (strcmp(what, "broker") != 0 &&
	    o->nargs > 1)
		return usage("fault: unexpected \"%s\"", o->args[1]);
	if (strcmp(what, "api") != 0 &&
	    (o->latency || o->errors || o->for_s || o->scope || o->clear))
		return usage("--latency, --errors, --for, --scope and --clear go with 'fault api'%s",
			     "");
	if (env_open(o, &e, "fault"))
		return CLI_EXIT_FAIL;
	if (strcmp(what, "api") == 0)
		rc = fault_api(o, &e);
	else if (strcmp(what, "broker") == 0)
		rc = fault_broker(o, &e);
	else
		rc = fault_show(&e);
	env_close(&e);
	return rc;
}

/* --wait SECONDS into *ms (0 when absent); 0, or -1 (printed). */
static int wait_ms(const struct cli_opts *o, double *ms)
{
	double s = 0;

	*ms = 0;
	if (o->wait == NULL)
		return 0;
	if (parse_number(o->wait, 0, WAIT_MAX_S, &s)) {
		usage("--wait: \"%s\" is not a number of seconds from 0 to 3600",
		      o->wait);
		return -1;
	}
	*ms = s * 1000;
	return 0;
}

int ops_audit_command(const struct cli_opts *o)
{
	struct audit_report r;
	struct ops_env e;
	char err[1024];
	double ms;
	int rc;

	if (wait_ms(o, &ms))
		return CLI_EXIT_USAGE;
	if (env_open(o, &e, "audit"))
		return CLI_EXIT_FAIL;
	if (o->service != NULL && pick_service(&e, o->service)) {
		env_close(&e);
		return CLI_EXIT_USAGE;
	}
	if (e.audit.n == 0) {
		fprintf(stderr, "storectl: audit: no downstream service to audit%s\n",
			e.info ? "" : " (give --search-api, --ads-api, ...)");
		env_close(&e);
		return CLI_EXIT_FAIL;
	}
	rc = reconcile_wait(&e.audit, ms, 0, NULL, &r, err, sizeof(err));
	env_close(&e);
	if (rc < 0) {
		fprintf(stderr, "storectl: audit: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	if (o->json) {
		json_t *doc = audit_report_json(&r);
		char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;

		if (text != NULL)
			printf("%s\n", text);
		free(text);
		json_decref(doc);
	} else {
		audit_report_print(stdout, &r, 20);
	}
	if (rc == 0 && !o->json)
		fprintf(stderr, "storectl: audit: the copies have drifted; 'storectl resync --stores drifted' repairs them\n");
	audit_report_free(&r);
	return rc == 1 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int ops_resync_command(const struct cli_opts *o)
{
	const char *stores = o->stores ? o->stores : "all";
	const char *target = o->service;
	long long events = 0, missing = 0;
	struct ops_env e;
	int64_t *ids = NULL;
	size_t n = 0, extra = 0;
	char err[1024];
	double ms;
	int rc = CLI_EXIT_FAIL;

	if (wait_ms(o, &ms))
		return CLI_EXIT_USAGE;
	if (strcmp(stores, "all") != 0 && strcmp(stores, "drifted") != 0 &&
	    resync_parse_ids(stores, &ids, &n, err, sizeof(err))) {
		fprintf(stderr, "storectl: resync: %s\n", err);
		return CLI_EXIT_USAGE;
	}
	if (env_open(o, &e, "resync")) {
		free(ids);
		return CLI_EXIT_FAIL;
	}
	if (target != NULL && pick_service(&e, target)) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (strcmp(stores, "drifted") == 0) {
		struct audit_report r;

		if (audit_run(&e.audit, &r, err, sizeof(err)) ||
		    resync_drifted(e.store_url, e.token, &r, &events, &extra,
				   err, sizeof(err))) {
			audit_report_free(&r);
			fprintf(stderr, "storectl: resync: %s\n", err);
			goto out;
		}
		audit_report_free(&r);
	} else if (resync_request(e.store_url, e.token,
				  strcmp(stores, "all") == 0 ? NULL : ids, n,
				  target, &events, &missing, err,
				  sizeof(err))) {
		fprintf(stderr, "storectl: resync: %s\n", err);
		goto out;
	}
	printf("resync: %lld event(s) published for %s%s%s\n", events,
	       target ? target :
	       strcmp(stores, "drifted") == 0 ? "the services each store drifted in" :
						 "every service",
	       missing ? " (some ids no store ever had were left out)" : "",
	       extra ? " (ids no store ever had cannot be resynced)" : "");
	rc = CLI_EXIT_OK;
	if (ms > 0) {
		struct audit_report r;
		int c = reconcile_wait(&e.audit, ms, 0, NULL, &r, err,
				       sizeof(err));

		if (c < 0) {
			fprintf(stderr, "storectl: resync: %s\n", err);
			rc = CLI_EXIT_FAIL;
		} else if (c == 0) {
			audit_report_print(stderr, &r, 10);
			fprintf(stderr, "storectl: resync: not converged after %s s\n",
				o->wait);
			rc = CLI_EXIT_FAIL;
		} else {
			printf("resync: converged (%zu stores)\n", r.live + r.deleted);
		}
		audit_report_free(&r);
	}
out:
	env_close(&e);
	free(ids);
	return rc;
}
