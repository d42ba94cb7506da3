#include "consumer/breaker.h"

#include <string.h>

#define DEFAULT_THRESHOLD 3
#define DEFAULT_OPEN_MIN_MS 1000.0
#define DEFAULT_OPEN_MAX_MS 8000.0

void breaker_init(struct breaker *b, const struct breaker_config *cfg)
{
	memset(b, 0, sizeof(*b));
	if (cfg != NULL)
		b->cfg = *cfg;
	if (b->cfg.threshold == 0)
		b->cfg.threshold = DEFAULT_THRESHOLD;
	if (b->cfg.open_min_ms <= 0)
		b->cfg.open_min_ms = DEFAULT_OPEN_MIN_MS;
	if (b->cfg.open_max_ms <= 0)
		b->cfg.open_max_ms = DEFAULT_OPEN_MAX_MS;
	if (b->cfg.open_max_ms < b->cfg.open_min_ms)
		b->cfg.open_max_ms = b->cfg.open_min_ms;
	b->state = BREAKER_CLOSED;
	b->open_ms = b->cfg.open_min_ms;
}

static void trip(struct breaker *b, double now_ms)
{
	b->state = BREAKER_OPEN;
	b->open_until_ms = now_ms + b->open_ms;
	b->open_ms = b->open_ms * 2 > b->cfg.open_max_ms ? b->cfg.open_max_ms
							 : b->open_ms * 2;
	b->trial = 0;
	b->opened++;
}

int breaker_allow(struct breaker *b, double now_ms)
{
	switch (b->state) {
	case BREAKER_CLOSED:
		return 1;
	case BREAKER_OPEN:
		if (now_ms < b->open_until_ms)
			return 0;
		b->state = BREAKER_HALF_OPEN;
		b->trial = 1;
		return 1;
	case BREAKER_HALF_OPEN:
		if (b->trial)
			return 0;
		b->trial = 1;
		return 1;
	}
	return 0;
}

void breaker_success(struct breaker *b)
{
	b->state = BREAKER_CLOSED;
	b->failures = 0;
	b->trial = 0;
	b->open_ms = b->cfg.open_min_ms;
}

void breaker_failure(struct breaker *b, double now_ms)
{
	b->failures++;
	switch (b->state) {
	case BREAKER_CLOSED:
		if (b->failures >= b->cfg.threshold)
			trip(b, now_ms);
		break;
	case BREAKER_HALF_OPEN:
		trip(b, now_ms);
		break;
	case BREAKER_OPEN:
		/* A call that began before the breaker opened: the period
		 * already running stands. */
		break;
	}
}

enum breaker_state breaker_state_at(const struct breaker *b, double now_ms)
{
	if (b->state == BREAKER_OPEN && now_ms >= b->open_until_ms)
		return BREAKER_HALF_OPEN;
	return b->state;
}

double breaker_wait_ms(const struct breaker *b, double now_ms)
{
	if (b->state == BREAKER_OPEN && now_ms < b->open_until_ms)
		return b->open_until_ms - now_ms;
	return 0;
}

const char *breaker_state_name(enum breaker_state state)
{
	switch (state) {
	case BREAKER_CLOSED: return "closed";
	case BREAKER_OPEN: return "open";
	case BREAKER_HALF_OPEN: return "half_open";
	}
	return "?";
}
