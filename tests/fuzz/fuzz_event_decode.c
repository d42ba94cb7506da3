/*
 * libFuzzer target: the three decoders of what consumers read from Kafka,
 * store.events (api/event.c), store.reactions (api/reaction.c) and
 * review.events (consumer/review_event.c). Whatever a topic holds, a
 * decoder either fills its struct or says why not; what it accepts must
 * encode again and decode to the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/event.h"
#include "api/fields.h"
#include "api/reaction.h"
#include "consumer/review_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void store_event_roundtrip(const struct store_event *ev)
{
	struct store_event again;
	char err[256];
	char *json = store_event_encode(ev);

	if (json == NULL)
		abort();
	memset(&again, 0, sizeof(again));
	if (store_event_decode(json, strlen(json), &again, err, sizeof(err)) != 0)
		abort();
	if (again.store_id != ev->store_id || again.version != ev->version ||
	    again.type != ev->type ||
	    /* Names this build does not know (STORE_F_OTHER) are not sent on. */
	    again.fields != (ev->fields & ~(uint32_t)STORE_F_OTHER) ||
	    strcmp(again.event_id, ev->event_id) != 0)
		abort();
	free(json);
}

static void reaction_roundtrip(const struct store_reaction *r)
{
	struct store_reaction again;
	char err[256];
	char *json = store_reaction_encode(r);

	if (json == NULL)
		abort();
	memset(&again, 0, sizeof(again));
	if (store_reaction_decode(json, strlen(json), &again, err, sizeof(err)) != 0)
		abort();
	if (again.store_id != r->store_id || again.action != r->action ||
	    again.event_version != r->event_version ||
	    strcmp(again.service, r->service) != 0)
		abort();
	free(json);
}

static void review_roundtrip(const struct review_event *ev)
{
	struct review_event again;
	char err[256];
	char *json = review_event_encode(ev);

	if (json == NULL)
		abort();
	memset(&again, 0, sizeof(again));
	if (review_event_decode(json, strlen(json), &again, err, sizeof(err)) != 0)
		abort();
	if (again.store_id != ev->store_id || again.review_id != ev->review_id ||
	    again.version != ev->version || again.type != ev->type)
		abort();
	free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct store_event ev;
	struct store_reaction r;
	struct review_event rev;
	char err[256];

	memset(&ev, 0, sizeof(ev));
	err[0] = '\0';
	if (store_event_decode(buf, size, &ev, err, sizeof(err)) == 0)
		store_event_roundtrip(&ev);
	else if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
		abort();

	memset(&r, 0, sizeof(r));
	err[0] = '\0';
	if (store_reaction_decode(buf, size, &r, err, sizeof(err)) == 0)
		reaction_roundtrip(&r);
	else if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
		abort();

	memset(&rev, 0, sizeof(rev));
	err[0] = '\0';
	if (review_event_decode(buf, size, &rev, err, sizeof(err)) == 0)
		review_roundtrip(&rev);
	else if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	return 0;
}
