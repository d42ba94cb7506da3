#ifndef STORECTL_DEMO_TAIL_H
#define STORECTL_DEMO_TAIL_H

#include <stddef.h>

#include "cli/demo_track.h"
#include "common/kafka.h"

/*
 * Reads store.reactions from its beginning, outside any consumer group
 * (nothing is committed, no service's group is disturbed), and feeds each
 * reaction to a demo_track. The Kafka adapter of the demo runner.
 */

struct demo_tail;

/*
 * Connects to brokers with props (may be NULL) and assigns every partition
 * of store.reactions from the beginning. Returns NULL with the reason in
 * err (no broker, no such topic).
 */
struct demo_tail *demo_tail_new(const char *brokers,
				const struct kafka_props *props, char *err,
				size_t errlen);

/*
 * Feeds the reactions that arrived into track, waiting at most wait_ms for
 * the first one. The first call first reads everything the topic held
 * then (for up to a few seconds). Records that do not decode are skipped.
 * Returns 0, or -1 with the reason in err on a fatal Kafka error.
 */
int demo_tail_poll(struct demo_tail *t, struct demo_track *track, int wait_ms,
		   char *err, size_t errlen);

void demo_tail_free(struct demo_tail *t);

#endif
