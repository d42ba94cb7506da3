/*
 * storectl-broker: the embedded Kafka broker. It runs librdkafka's mock
 * cluster, a real Kafka-protocol listener on 127.0.0.1 that keeps everything
 * in memory, pre-creates the project's topics with our partition count (the
 * mock would otherwise auto-create them with its own), announces the
 * bootstrap address and waits for SIGTERM or SIGINT.
 *
 * The mock cluster picks a random port on every start and cannot be told
 * one, so the address is handed on through the ready log line and,
 * optionally, a file (see KAFKA-NOTES.md).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "broker/addrfile.h"
#include "broker/control.h"
#include "common/kafka.h"
#include "common/log.h"

#define PROGRAM "storectl-broker"
#define BROKERS_MAX 16
#define PARTITIONS_MAX 256

struct broker_opts {
	int brokers;
	int partitions;
	const char *bootstrap_file;
	const char *control;  /* --control HOST:PORT, or NULL */
};

static const char *const broker_topics[] = {
	TOPIC_STORE_EVENTS,
	TOPIC_STORE_REACTIONS,
	TOPIC_STORE_EVENTS_DLQ,
	TOPIC_REVIEW_EVENTS,
};

static void print_help(void)
{
	printf("Usage: " PROGRAM " [OPTION]...\n"
	       "Runs an in-memory Kafka broker (librdkafka's mock cluster) on 127.0.0.1\n"
	       "for the embedded storectl stack, with the topics " TOPIC_STORE_EVENTS ",\n"
	       TOPIC_STORE_REACTIONS ", " TOPIC_STORE_EVENTS_DLQ " and " TOPIC_REVIEW_EVENTS
	       " created.\n\n"
	       "  --brokers-count N     number of brokers in the cluster (1-%d, default 1)\n"
	       "  --partitions N        partitions per topic (1-%d, default 4)\n"
	       "  --bootstrap-file PATH also write the bootstrap address to PATH\n"
	       "                        (atomically; removed again on a clean exit)\n"
	       "  --control HOST:PORT   serve the fault-injection API there (brokers\n"
	       "                        down/up, request errors; see storectl-broker(8))\n"
	       "  --help                show this help and exit\n"
	       "  --version             show the version and exit\n\n"
	       "When ready it logs one line: \"listening on HOST:PORT[,HOST:PORT...]\".\n"
	       "It runs until SIGTERM or SIGINT and keeps nothing across restarts.\n",
	       BROKERS_MAX, PARTITIONS_MAX);
}

/* Parses a decimal in [min, max]; returns 0, or -1 after saying why. */
static int parse_count(const char *flag, const char *text, int min, int max,
		       int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
		fprintf(stderr, PROGRAM ": %s: \"%s\" is not a number from %d to %d\n",
			flag, text, min, max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Returns 0 to run, 1 after --help/--version, -1 after a usage error. */
static int parse_args(struct broker_opts *o, int argc, char **argv)
{
	enum { OPT_BROKERS = 1000, OPT_PARTITIONS, OPT_FILE, OPT_HELP,
	       OPT_VERSION, OPT_CONTROL };
	static const struct option longopts[] = {
		{ "brokers-count", required_argument, NULL, OPT_BROKERS },
		{ "partitions", required_argument, NULL, OPT_PARTITIONS },
		{ "bootstrap-file", required_argument, NULL, OPT_FILE },
		{ "control", required_argument, NULL, OPT_CONTROL },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 },
	};
	int c;

	o->brokers = 1;
	o->partitions = 4;
	o->bootstrap_file = NULL;
	o->control = NULL;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BROKERS:
			if (parse_count("--brokers-count", optarg, 1,
					BROKERS_MAX, &o->brokers))
				return -1;
			break;
		case OPT_PARTITIONS:
			if (parse_count("--partitions", optarg, 1,
					PARTITIONS_MAX, &o->partitions))
				return -1;
			break;
		case OPT_FILE:
			if (*optarg == '\0') {
				fprintf(stderr, PROGRAM ": --bootstrap-file: empty path\n");
				return -1;
			}
			o->bootstrap_file = optarg;
			break;
		case OPT_CONTROL:
			o->control = optarg;
			break;
		case OPT_HELP:
			print_help();
			return 1;
		case OPT_VERSION:
			printf(PROGRAM " %s\n", STORECTL_VERSION);
			return 1;
		default:
			fprintf(stderr, "Try '" PROGRAM " --help' for more information.\n");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROGRAM ": unexpected argument \"%s\"\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* librdkafka's own log lines, in our format; called from its threads. */
static void broker_log_cb(const rd_kafka_t *rk, int level, const char *fac,
			  const char *buf)
{
	(void)rk;
	/* Our handle has no bootstrap servers on purpose (see below). */
	if (strcmp(fac, "CONFWARN") == 0 && strstr(buf, "bootstrap.servers"))
		return;
	if (level <= 3)
		log_error("rdkafka %s: %s", fac, buf);
	else if (level <= 4)
		log_warn("rdkafka %s: %s", fac, buf);
	else
		log_info("rdkafka %s: %s", fac, buf);
}

/*
 * The handle the mock cluster lives in. It produces nothing and has no
 * bootstrap servers, so it never connects anywhere itself.
 */
static rd_kafka_t *broker_handle_new(void)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[512];
	rd_kafka_t *rk;

	rd_kafka_conf_set_log_cb(conf, broker_log_cb);
	if (kafka_conf_set(conf, "client.id", PROGRAM, err, sizeof(err))) {
		log_error("%s", err);
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
	if (rk == NULL) {
		log_error("cannot create the Kafka handle: %s", err);
		rd_kafka_conf_destroy(conf);
	}
	return rk;
}

static int topics_create(rd_kafka_mock_cluster_t *mc, int partitions)
{
	for (size_t i = 0; i < sizeof(broker_topics) / sizeof(broker_topics[0]);
	     i++) {
		rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
			mc, broker_topics[i], partitions, 1);

		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			log_error("cannot create topic %s: %s", broker_topics[i],
				  rd_kafka_err2str(err));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct broker_opts opts;
	rd_kafka_mock_cluster_t *mc = NULL;
	struct broker_control *control = NULL;
	rd_kafka_t *rk = NULL;
	const char *bootstraps;
	char err[512];
	sigset_t stop;
	int sig = 0;
	int rc;
	int status = 1;

	rc = parse_args(&opts, argc, argv);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	log_init(PROGRAM);

	/*
	 * Block the stop signals before librdkafka starts its threads, so
	 * they all inherit the mask and sigwait() below is the only receiver.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	rk = broker_handle_new();
	if (rk == NULL)
		goto out;
	mc = rd_kafka_mock_cluster_new(rk, opts.brokers);
	if (mc == NULL) {
		log_error("cannot start the mock cluster");
		goto out;
	}
	if (topics_create(mc, opts.partitions))
		goto out;
	if (opts.control != NULL) {
		control = broker_control_start(opts.control, mc, opts.brokers,
					       err, sizeof(err));
		if (control == NULL) {
			log_error("--control: %s", err);
			goto out;
		}
		log_info("control on http://%.*s:%u",
			 (int)(strrchr(opts.control, ':') - opts.control),
			 opts.control, broker_control_port(control));
	}
	bootstraps = rd_kafka_mock_cluster_bootstraps(mc);
	if (opts.bootstrap_file != NULL &&
	    addrfile_write(opts.bootstrap_file, bootstraps, err, sizeof(err))) {
		log_error("%s", err);
		goto out;
	}
	log_info("%d broker(s), %zu topics with %d partitions each",
		 opts.brokers, sizeof(broker_topics) / sizeof(broker_topics[0]),
		 opts.partitions);
	log_info("listening on %s", bootstraps);

	while (sigwait(&stop, &sig) != 0)
		;
	log_info("stopping on signal %d", sig);
	if (opts.bootstrap_file != NULL)
		addrfile_remove(opts.bootstrap_file, bootstraps);
	status = 0;
out:
	broker_control_stop(control);
	if (mc != NULL)
		rd_kafka_mock_cluster_destroy(mc);
	if (rk != NULL)
		rd_kafka_destroy(rk);
	return status;
}
