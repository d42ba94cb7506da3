#include "consumer/ds_service.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "consumer/ds_params.h"

/* Events per poll batch: 1 turns coalescing off (the burst's baseline). */
#define DS_BATCH_DEFAULT 500
#define DS_BATCH_LIMIT 10000

enum { OPT_BATCH_MAX = 2000 };

static const char batch_help[] =
	"  --batch-max N       events gathered per poll batch, 1 to 10000; 1 turns\n"
	"                      coalescing off (STORECTL_BATCH_MAX, default 500)\n";

/* The options ds_main adds to every service's, and the service's own. */
struct ds_args {
	const struct svc_usage *app;
	int batch_max;
};

/* What every handler gets as its server's ctx. */
struct ds_ctx {
	void *state;
	const struct svc_opts *opts;
	_Atomic(struct consumer *) consumer;
};

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t consumer_died;

void *ds_state(struct http_req *req)
{
	return ((struct ds_ctx *)req->ctx)->state;
}

struct consumer *ds_consumer(struct http_req *req)
{
	return atomic_load(&((struct ds_ctx *)req->ctx)->consumer);
}

const struct svc_opts *ds_opts(struct http_req *req)
{
	return ((struct ds_ctx *)req->ctx)->opts;
}

static void *consumer_thread(void *arg)
{
	struct consumer *c = arg;

	consumer_run(c, &stopping);
	if (!stopping) {
		/* Only a fatal Kafka error ends the loop early: stop the
		 * whole service so that a supervisor restarts it. */
		consumer_died = 1;
		kill(getpid(), SIGTERM);
	}
	return NULL;
}

static int set_batch_max(struct ds_args *a, const char *text,
			 const char *where)
{
	if (ds_parse_limit(text, DS_BATCH_DEFAULT, DS_BATCH_LIMIT,
			   &a->batch_max)) {
		fprintf(stderr, "%s: %s: must be an integer from 1 to %d\n",
			a->app->program, where, DS_BATCH_LIMIT);
		return -1;
	}
	return 0;
}

static int on_ds_option(int opt, const char *arg, void *ctx)
{
	struct ds_args *a = ctx;

	if (opt == OPT_BATCH_MAX)
		return set_batch_max(a, arg, "--batch-max");
	if (a->app->on_extra != NULL)
		return a->app->on_extra(opt, arg, a->app->ctx);
	return -1;
}

/*
 * The service's usage with --batch-max added to its own extra options
 * (longopts holds room for 16 and the zero entry; help for the text).
 */
static void add_ds_options(struct svc_usage *usage, struct ds_args *a,
			   struct option *longopts, char *help, size_t helplen)
{
	size_t n = 0;

	for (; a->app->extra && a->app->extra[n].name && n < 15; n++)
		longopts[n] = a->app->extra[n];
	longopts[n++] = (struct option){ "batch-max", required_argument, NULL,
					 OPT_BATCH_MAX };
	memset(&longopts[n], 0, sizeof(longopts[n]));
	snprintf(help, helplen, "%s%s",
		 a->app->extra_help ? a->app->extra_help : "", batch_help);
	usage->extra = longopts;
	usage->extra_help = help;
	usage->on_extra = on_ds_option;
	usage->ctx = a;
}

/* "listening on http://HOST:PORT" with the port actually bound. */
static void log_ready(const char *listen, const struct httpd *httpd)
{
	const char *colon = strrchr(listen, ':');
	int hostlen = colon ? (int)(colon - listen) : 0;

	log_info("listening on http://%.*s:%u", hostlen, listen,
		 httpd_port(httpd));
}

int ds_main(const struct ds_app *app, int argc, char **argv)
{
	struct svc_usage usage = app->usage;
	struct ds_args args = { .app = &app->usage,
				.batch_max = DS_BATCH_DEFAULT };
	struct option longopts[17];
	char help[2048];
	const char *env;
	struct svc_opts opts;
	struct ds_ctx ctx = { 0 };
	struct httpd *httpd = NULL;
	struct consumer *consumer = NULL;
	struct replica_port port;
	pthread_t thread;
	sigset_t sigs;
	char err[512];
	int rc, sig, status = 1, started = 0, thread_up = 0;

	usage.downstream = 1;
	add_ds_options(&usage, &args, longopts, help, sizeof(help));
	env = getenv("STORECTL_BATCH_MAX");
	if (env != NULL && *env != '\0' &&
	    set_batch_max(&args, env, "STORECTL_BATCH_MAX"))
		return 2;
	rc = svc_opts_parse(&opts, &usage, argc, argv);
	if (rc != 0) {
		svc_opts_free(&opts);
		return rc > 0 ? 0 : 2;
	}
	log_init(usage.program);

	/* Every thread started from here on inherits the blocked signals;
	 * only sigwait below takes them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	ctx.opts = &opts;
	atomic_init(&ctx.consumer, NULL);
	ctx.state = app->open(&opts, err, sizeof(err));
	if (ctx.state == NULL) {
		log_error("%s", err);
		goto out;
	}
	/* HTTP before Kafka: a port already taken fails at once, and
	 * /health answers while the consumer starts. */
	httpd = httpd_start(opts.listen, app->routes, NULL, &ctx, err,
			    sizeof(err));
	if (httpd == NULL) {
		log_error("%s", err);
		goto out;
	}
	if (app->start != NULL) {
		if (app->start(ctx.state, &opts, err, sizeof(err))) {
			log_error("%s", err);
			goto out;
		}
		started = 1;
	}
	app->port(ctx.state, &port);
	consumer = consumer_new(&(struct consumer_config){
					.service = app->service,
					.brokers = opts.brokers,
					.props = &opts.props,
					.store_api = opts.store_api,
					.token = opts.token,
					.batch_max = args.batch_max,
				},
				&port, err, sizeof(err));
	if (consumer == NULL) {
		log_error("consumer: %s", err);
		goto out;
	}
	atomic_store(&ctx.consumer, consumer);
	rc = pthread_create(&thread, NULL, consumer_thread, consumer);
	if (rc != 0) {
		log_error("cannot start the consumer thread: %s", strerror(rc));
		goto out;
	}
	thread_up = 1;
	log_ready(opts.listen, httpd);

	while (sigwait(&sigs, &sig) != 0)
		;
	log_info("stopping (%s)", sig == SIGINT ? "SIGINT" : "SIGTERM");
	stopping = 1;
	pthread_join(thread, NULL);
	thread_up = 0;
	status = consumer_died ? 1 : 0;
out:
	if (thread_up) {
		stopping = 1;
		pthread_join(thread, NULL);
	}
	/* HTTP first: no request may still use the consumer or the state. */
	httpd_stop(httpd);
	if (started && app->stop != NULL)
		app->stop(ctx.state);
	consumer_free(consumer);
	if (ctx.state != NULL)
		app->close(ctx.state);
	svc_opts_free(&opts);
	return status;
}
