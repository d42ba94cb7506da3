/*
 * Reactions per second: the per-second ring (bounded, gaps zeroed) and
 * the ASCII sparkline drawn from it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui/rate.h"

static void counts_per_second(void **state)
{
	struct tui_rate r = { 0 };
	unsigned v[5];
	double t0 = 1000000.0; /* monotonic ms, second 1000 */

	(void)state;
	for (int i = 0; i < 7; i++)
		tui_rate_add(&r, 2, t0 + 10 * i);
	tui_rate_add(&r, 2, t0 + 1500);
	tui_rate_add(&r, 0, t0 + 1500);
	/* Seconds 997..1001 as seen at 1002.2. */
	assert_int_equal(tui_rate_series(&r, 2, t0 + 2200, v, 5), 8);
	assert_int_equal(v[0], 0);
	assert_int_equal(v[2], 0);
	assert_int_equal(v[3], 7);
	assert_int_equal(v[4], 1);
	assert_int_equal(tui_rate_last(&r, 0, t0 + 2200), 1);
	assert_int_equal(tui_rate_last(&r, 5, t0 + 2200), 0);
	/* A long quiet spell leaves nothing behind. */
	tui_rate_add(&r, 2, t0 + 200000);
	assert_int_equal(tui_rate_series(&r, 2, t0 + 200500, v, 5), 0);
	assert_int_equal(tui_rate_last(&r, 2, t0 + 201000), 1);
	/* Out of range series are ignored, not written anywhere. */
	tui_rate_add(&r, -1, t0);
	tui_rate_add(&r, TUI_RATE_SERIES, t0);
}

static void gaps_are_zeroed(void **state)
{
	struct tui_rate r = { 0 };
	unsigned v[59];
	unsigned sum;

	(void)state;
	for (int s = 0; s < 59; s++)
		tui_rate_add(&r, 1, 5000.0 + 1000.0 * s);
	/* 70 seconds later the ring wrapped: the old counts are gone. */
	tui_rate_add(&r, 1, 5000.0 + 1000.0 * 130);
	sum = tui_rate_series(&r, 1, 5000.0 + 1000.0 * 131, v, 59);
	assert_int_equal(sum, 1);
	assert_int_equal(v[58], 1);
}

static void sparkline_scales_to_the_top(void **state)
{
	unsigned v[] = { 0, 1, 2, 5, 10, 0 };
	char out[16];

	(void)state;
	tui_sparkline(v, 6, out, sizeof(out));
	assert_string_equal(out, "_.-=#_");
	{
		unsigned flat[] = { 3, 3, 3 };

		tui_sparkline(flat, 3, out, sizeof(out));
		assert_string_equal(out, "###");
	}
	{
		unsigned none[] = { 0, 0 };

		tui_sparkline(none, 2, out, sizeof(out));
		assert_string_equal(out, "__");
	}
	/* Never past the buffer. */
	tui_sparkline(v, 6, out, 4);
	assert_string_equal(out, "_.-");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_per_second),
		cmocka_unit_test(gaps_are_zeroed),
		cmocka_unit_test(sparkline_scales_to_the_top),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
