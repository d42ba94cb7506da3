/*
 * search-svc: keyword search over store names and categories. It keeps its
 * own copy of those columns, fed by the consumer runtime from store.events,
 * and answers GET /search with ranked store ids.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/httpd.h"
#include "common/log.h"
#include "common/opts.h"
#include "consumer/consumer.h"
#include "search-svc/search_db.h"
#include "search-svc/search_http.h"

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t consumer_died;

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

int main(int argc, char **argv)
{
	static const struct svc_usage usage = {
		.program = "search-svc",
		.summary = "Keyword search over store names and categories, kept "
			   "in step with store.events.",
		.db_default = "search.db",
		.downstream = 1,
	};
	struct svc_opts opts;
	struct search_db *db = NULL;
	struct httpd *httpd = NULL;
	struct consumer *consumer = NULL;
	struct replica_port port;
	pthread_t thread;
	sigset_t sigs;
	char err[512];
	int rc, sig, status = 1;

	rc = svc_opts_parse(&opts, &usage, argc, argv);
	if (rc != 0) {
		svc_opts_free(&opts);
		return rc > 0 ? 0 : 2;
	}
	log_init("search-svc");

	/* Every thread started from here on inherits the blocked signals;
	 * only sigwait below takes them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	db = search_db_open(opts.db, err, sizeof(err));
	if (db == NULL) {
		log_error("database %s", err);
		goto out;
	}
	httpd = httpd_start(opts.listen, search_http_routes, NULL, db, err,
			    sizeof(err));
	if (httpd == NULL) {
		log_error("%s", err);
		goto out;
	}
	search_db_port(db, &port);
	consumer = consumer_new(&(struct consumer_config){
					.service = "search",
					.brokers = opts.brokers,
					.props = &opts.props,
					.store_api = opts.store_api,
					.token = opts.token,
					.batch_max = 500,
				},
				&port, err, sizeof(err));
	if (consumer == NULL) {
		log_error("consumer: %s", err);
		goto out;
	}
	rc = pthread_create(&thread, NULL, consumer_thread, consumer);
	if (rc != 0) {
		log_error("cannot start the consumer thread: %s", strerror(rc));
		goto out;
	}
	{
		const char *colon = strrchr(opts.listen, ':');
		int hostlen = colon ? (int)(colon - opts.listen) : 0;

		log_info("listening on http://%.*s:%u", hostlen, opts.listen,
			 httpd_port(httpd));
	}

	while (sigwait(&sigs, &sig) != 0)
		;
	log_info("stopping (%s)", sig == SIGINT ? "SIGINT" : "SIGTERM");
	stopping = 1;
	pthread_join(thread, NULL);
	status = consumer_died ? 1 : 0;
out:
	/* HTTP first: no request may still read the database. */
	httpd_stop(httpd);
	consumer_free(consumer);
	search_db_close(db);
	svc_opts_free(&opts);
	return status;
}
