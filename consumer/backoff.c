#include "consumer/backoff.h"

void backoff_init(struct backoff *b, double min_ms, double max_ms)
{
	b->min_ms = min_ms;
	b->max_ms = max_ms > min_ms ? max_ms : min_ms;
	b->next_ms = b->min_ms;
	b->failures = 0;
}

double backoff_fail(struct backoff *b)
{
	double wait = b->next_ms;

	b->failures++;
	b->next_ms = wait * 2 > b->max_ms ? b->max_ms : wait * 2;
	return wait;
}

void backoff_succeed(struct backoff *b)
{
	b->next_ms = b->min_ms;
	b->failures = 0;
}
