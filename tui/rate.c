#include "tui/rate.h"

#include <string.h>

static long long second_of(double ms)
{
	return (long long)(ms / 1000.0);
}

/* Moves the ring on to second, zeroing the seconds skipped. */
static void advance(struct tui_rate *r, long long second)
{
	long long gap = second - r->second;

	if (gap <= 0)
		return;
	if (gap >= TUI_RATE_SECONDS) {
		memset(r->count, 0, sizeof(r->count));
	} else {
		for (long long s = r->second + 1; s <= second; s++)
			for (int i = 0; i < TUI_RATE_SERIES; i++)
				r->count[i][s % TUI_RATE_SECONDS] = 0;
	}
	r->second = second;
}

void tui_rate_add(struct tui_rate *r, int series, double now_ms)
{
	long long second = second_of(now_ms);

	if (series < 0 || series >= TUI_RATE_SERIES)
		return;
	advance(r, second);
	/* A clock step back counts into the current second. */
	if (second < r->second)
		second = r->second;
	r->count[series][second % TUI_RATE_SECONDS]++;
}

unsigned tui_rate_series(const struct tui_rate *r, int series, double now_ms,
			 unsigned *out, size_t n)
{
	long long now = second_of(now_ms);
	unsigned sum = 0;

	if (n > TUI_RATE_SECONDS - 1)
		n = TUI_RATE_SECONDS - 1;
	for (size_t i = 0; i < n; i++) {
		/* out[n-1] is the second before now. */
		long long s = now - (long long)(n - i);
		unsigned v = 0;

		if (series >= 0 && series < TUI_RATE_SERIES && s >= 0 &&
		    s <= r->second && r->second - s < TUI_RATE_SECONDS)
			v = r->count[series][s % TUI_RATE_SECONDS];
		out[i] = v;
		sum += v;
	}
	return sum;
}

unsigned tui_rate_last(const struct tui_rate *r, int series, double now_ms)
{
	unsigned v = 0;

	tui_rate_series(r, series, now_ms, &v, 1);
	return v;
}

void tui_sparkline(const unsigned *v, size_t n, char *out, size_t len)
{
	static const char ramp[] = ".-=+*#";
	const unsigned levels = sizeof(ramp) - 1;
	unsigned max = 0;
	size_t i;

	if (len == 0)
		return;
	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (i = 0; i < n && i + 1 < len; i++) {
		if (v[i] == 0) {
			out[i] = '_';
			continue;
		}
		/* 1..levels, the largest value always on top. */
		out[i] = ramp[(v[i] * levels + max - 1) / max - 1];
	}
	out[i] = '\0';
}
