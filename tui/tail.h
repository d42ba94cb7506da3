#ifndef STORECTL_TUI_TAIL_H
#define STORECTL_TUI_TAIL_H

#include <stddef.h>
#include <stdint.h>

#include "api/event.h"
#include "api/reaction.h"
#include "common/kafka.h"
#include "tui/stream_model.h"

/*
 * The live tail: a Kafka consumer that joins no group. It is assigned every
 * partition of store.events and store.reactions, starting near the end of
 * each (history events, and six times as many reactions, shared out
 * over the partitions, at least 20 each), so the pane opens with recent
 * history; nothing is ever committed. Finding the partitions (Metadata)
 * blocks, so a helper thread does it and retries while the broker is
 * unreachable; everything else happens on the UI thread: poll
 * tui_tail_fd() and call tui_tail_drain.
 */

enum tui_tail_state {
	TUI_TAIL_CONNECTING, /* looking for the topics' partitions */
	TUI_TAIL_LIVE,       /* assigned, messages flow */
	TUI_TAIL_DOWN,       /* the client says all brokers are down */
};

/*
 * Where decoded records go (called on the draining thread), with where
 * each came from; origin->raw is the record as read, valid for the call.
 */
struct tui_tail_sink {
	void *ctx;
	void (*event)(void *ctx, const struct store_event *ev,
		      const struct stream_origin *origin);
	void (*reaction)(void *ctx, const struct store_reaction *r,
			 const struct stream_origin *origin);
};

struct tui_tail;

/*
 * Creates the consumer (kafka_conf_new with brokers and props, a unique
 * group.id, no auto commit, librdkafka's own logging kept off the screen)
 * and starts looking for partitions. wake_fd gets a byte when the state
 * changes. NULL with a reason in err.
 */
struct tui_tail *tui_tail_new(const char *brokers,
			      const struct kafka_props *props, long history,
			      int wake_fd, char *err, size_t errlen);

/* Readable when messages wait (librdkafka's queue event fd). */
int tui_tail_fd(const struct tui_tail *t);

/*
 * Hands up to max queued records to sink without blocking; returns how many
 * messages were taken (max means more may wait). Records that do not
 * decode are counted and skipped.
 */
size_t tui_tail_drain(struct tui_tail *t, size_t max,
		      const struct tui_tail_sink *sink);

/* The state, and in why (may be NULL) the last problem, "" if none. */
enum tui_tail_state tui_tail_state(struct tui_tail *t, char *why, size_t len);

/* Records that did not decode so far. */
unsigned long tui_tail_bad(const struct tui_tail *t);

/* Stops the helper thread and destroys the consumer (no commit, no wait). */
void tui_tail_free(struct tui_tail *t);

#endif
