/*
 * store-svc: the command side. Owns the stores in SQLite, serves the REST
 * API, and publishes a zero-payload event per change through the outbox
 * relay (DESIGN.md, "No change without its event").
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "common/auth_opts.h"
#include "common/httpd.h"
#include "common/log.h"
#include "common/opts.h"
#include "store-svc/relay.h"
#include "store-svc/store_db.h"
#include "store-svc/store_http.h"
#include "store-svc/store_http_ops.h"

#define PROGRAM "store-svc"
#define FLUSH_MS 3000
#define RETENTION_DEFAULT 3600L
#define RETENTION_MAX (10L * 365 * 24 * 3600)
#define MAX_BODY (256 * 1024)  /* a store with a full menu fits */
#define MAX_HEADER (16 * 1024)
#define TIMEOUT_S 10           /* idle connections are closed after this */

enum { OPT_OUTBOX_RETENTION = 2000 };

/* What the extra options set. */
struct store_flags {
	long retention_s;
	struct auth_opts auth;
};

static const struct option extra_options[] = {
	{ "outbox-retention", required_argument, NULL, OPT_OUTBOX_RETENTION },
	AUTH_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static const char extra_help[] =
	"  --outbox-retention SECONDS\n"
	"                      keep sent outbox rows this long before pruning\n"
	"                      (STORECTL_OUTBOX_RETENTION, default 3600)\n"
	"  --tokens FILE       bearer tokens by role (JSON); replaces the set kept\n"
	"                      in the database (STORECTL_TOKENS). Without tokens\n"
	"                      anywhere it refuses to start, unless:\n"
	"  --insecure-open     run OPEN when there are no tokens: every request is\n"
	"                      allowed as an operator, unauthenticated; for trying\n"
	"                      it out only (STORECTL_INSECURE_OPEN=1)\n";

static int parse_retention(const char *text, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || v < 0 || v > RETENTION_MAX) {
		fprintf(stderr, "%s: --outbox-retention: \"%s\" is not a number of seconds from 0 to %ld\n",
			PROGRAM, text, RETENTION_MAX);
		return -1;
	}
	*out = v;
	return 0;
}

static int on_extra(int opt, const char *arg, void *ctx)
{
	struct store_flags *f = ctx;

	if (opt == OPT_OUTBOX_RETENTION)
		return parse_retention(arg, &f->retention_s);
	return auth_opts_set(&f->auth, opt, arg, PROGRAM);
}

/*
 * The token table: the --tokens file replaces the digests in the database,
 * then the database's digests are the table (auth_start: none anywhere is
 * no start, unless --insecure-open). NULL after logging why the service
 * cannot start.
 */
static struct auth *tokens_load(struct store_db *db,
				const struct auth_opts *o)
{
	struct auth_token *tokens = NULL;
	struct auth *auth;
	size_t n = 0;
	char err[512], warn[256];

	if (o->tokens_file != NULL) {
		if (auth_parse_file(o->tokens_file, &tokens, &n, warn,
				    sizeof(warn), err, sizeof(err))) {
			log_error("%s", err);
			return NULL;
		}
		if (warn[0] != '\0')
			log_warn("%s", warn);
		if (store_db_tokens_replace(db, tokens, n) != STORE_DB_OK) {
			free(tokens);
			return NULL;
		}
		free(tokens);
	}
	if (store_db_tokens_load(db, &tokens, &n) != STORE_DB_OK)
		return NULL;
	auth = auth_start(tokens, n, o->insecure_open,
			  o->tokens_file != NULL ? "from the tokens file"
						 : "kept in the database",
			  err, sizeof(err));
	if (auth == NULL)
		log_error("%s", err);
	return auth;
}

/* The host part of "HOST:PORT" as the ready line prints it. */
static void listen_host(const char *listen, char *buf, size_t len)
{
	const char *colon = strrchr(listen, ':');
	size_t n = colon ? (size_t)(colon - listen) : strlen(listen);

	if (n >= len)
		n = len - 1;
	memcpy(buf, listen, n);
	buf[n] = '\0';
}

int main(int argc, char **argv)
{
	struct store_flags flags = { .retention_s = RETENTION_DEFAULT };
	const struct svc_usage usage = {
		.program = PROGRAM,
		.summary = "The store service: REST API for stores, the source of "
			   "truth, publishing\nzero-payload change events to "
			   "store.events through an outbox.",
		.db_default = "store.db",
		.downstream = 0,
		.extra = extra_options,
		.extra_help = extra_help,
		.on_extra = on_extra,
		.ctx = &flags,
	};
	const struct httpd_limits limits = {
		.max_body = MAX_BODY,
		.max_header = MAX_HEADER,
		.timeout_s = TIMEOUT_S,
	};
	struct svc_opts opts;
	struct store_svc svc = { 0 };
	struct store_relay_config relay_cfg;
	struct httpd *httpd = NULL;
	const char *env;
	char err[512], host[256];
	sigset_t stop_signals;
	int rc, sig = 0;

	log_init(PROGRAM);
	env = getenv("STORECTL_OUTBOX_RETENTION");
	if (env != NULL && *env != '\0' &&
	    parse_retention(env, &flags.retention_s))
		return 2;
	auth_opts_env(&flags.auth);
	rc = svc_opts_parse(&opts, &usage, argc, argv);
	if (rc != 0) {
		svc_opts_free(&opts);
		return rc > 0 ? 0 : 2;
	}

	/* Block the stop signals before any thread starts, so every thread
	 * inherits the mask and only sigwait() below receives them. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = 1;
	svc.db = store_db_open(opts.db, 1, err, sizeof(err));
	if (svc.db == NULL) {
		log_error("%s", err);
		goto out;
	}
	svc.auth = tokens_load(svc.db, &flags.auth);
	if (svc.auth == NULL)
		goto out;
	svc.ops = store_ops_new();
	if (svc.ops == NULL) {
		log_error("out of memory");
		goto out;
	}
	relay_cfg = (struct store_relay_config){
		.db_path = opts.db,
		.brokers = opts.brokers,
		.props = &opts.props,
		.retention_s = flags.retention_s,
	};
	svc.relay = store_relay_start(&relay_cfg, err, sizeof(err));
	if (svc.relay == NULL) {
		log_error("%s", err);
		goto out;
	}
	httpd = httpd_start(opts.listen, store_http_routes, &limits, &svc, err,
			    sizeof(err));
	if (httpd == NULL) {
		log_error("%s", err);
		goto out;
	}
	listen_host(opts.listen, host, sizeof(host));
	log_info("database %s, brokers %s, outbox retention %lds", opts.db,
		 opts.brokers, flags.retention_s);
	log_info("listening on http://%s:%u", host, httpd_port(httpd));

	while (sigwait(&stop_signals, &sig) != 0)
		;
	log_info("stopping on %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
	rc = 0;
out:
	/* Stop taking requests first, then let the relay publish what they
	 * committed, then close the database. */
	store_ops_stop(svc.ops);
	httpd_stop(httpd);
	store_ops_free(svc.ops);
	store_relay_stop(svc.relay, FLUSH_MS);
	store_db_close(svc.db);
	auth_free(svc.auth);
	svc_opts_free(&opts);
	if (rc == 0)
		log_info("stopped");
	return rc;
}
