#ifndef STORECTL_BROKER_CONTROL_H
#define STORECTL_BROKER_CONTROL_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/*
 * The control interface of storectl-broker: a small HTTP API (on
 * common/httpd) that injects faults into the mock cluster, so tests can take
 * the broker away without losing the in-memory log:
 *
 *   POST /brokers/down   every broker drops its connections, refuses new ones
 *   POST /brokers/up     every broker accepts connections again
 *   POST /errors         {"api":"Produce","code":"NOT_LEADER_FOR_PARTITION",
 *                         "count":5}: the next count requests of that API fail
 *                        with that error (cluster-wide)
 *   GET  /health         {"status":"ok","brokers":N,"down":false}
 *
 * It has no authentication: listen on loopback only.
 */

struct broker_control;

/*
 * Serves the control API on listen ("HOST:PORT", port 0 picks one) for the
 * cluster mc with brokers brokers (ids 1..brokers). mc must outlive the
 * control server. Returns NULL with a reason in err.
 */
struct broker_control *broker_control_start(const char *listen,
					    rd_kafka_mock_cluster_t *mc,
					    int brokers, char *err,
					    size_t errlen);

/* The port actually bound. */
unsigned broker_control_port(const struct broker_control *bc);

/* Stops serving and frees bc; NULL is a no-op. Call before destroying mc. */
void broker_control_stop(struct broker_control *bc);

/*
 * Kafka protocol API key for a request name ("Produce" -> 0), or -1 for a
 * name this interface does not support. The names are those of
 * broker/control_names.h (a unit test keeps the two in step).
 */
int broker_control_api_key(const char *name);

/*
 * Error code for a name ("NOT_LEADER_FOR_PARTITION" -> 6, "TRANSPORT" ->
 * a disconnect), or 0 for a name it does not support.
 */
int broker_control_error_code(const char *name);

#endif
