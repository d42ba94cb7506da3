#ifndef STORECTL_BROKER_CONTROL_NAMES_H
#define STORECTL_BROKER_CONTROL_NAMES_H

#include <stddef.h>

/*
 * The names the broker's control API takes in POST /errors, as Kafka
 * spells them: the request types a test may fail and the errors they may
 * fail with. Shared by storectl-broker (broker/control.c, which maps them
 * to librdkafka's codes) and by storectl, which checks demo scripts before
 * anything runs. Header-only: a program that includes it gets its own copy.
 */

static const char *const broker_control_api_names[] = {
	"Produce", "Fetch", "ListOffsets", "Metadata", "OffsetCommit",
	"OffsetFetch", "FindCoordinator", "JoinGroup", "Heartbeat",
	"SyncGroup", "InitProducerId", NULL,
};

static const char *const broker_control_error_names[] = {
	"NOT_LEADER_FOR_PARTITION", "LEADER_NOT_AVAILABLE",
	"REQUEST_TIMED_OUT", "NOT_ENOUGH_REPLICAS", "BROKER_NOT_AVAILABLE",
	"NETWORK_EXCEPTION", "COORDINATOR_NOT_AVAILABLE", "NOT_COORDINATOR",
	"TRANSPORT", NULL,
};

/* 1 when name is in the NULL-terminated list. */
static inline int broker_control_name_in(const char *const *list,
					 const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++) {
		const char *a = list[i], *b = name;

		while (*a != '\0' && *a == *b) {
			a++;
			b++;
		}
		if (*a == '\0' && *b == '\0')
			return 1;
	}
	return 0;
}

#endif
