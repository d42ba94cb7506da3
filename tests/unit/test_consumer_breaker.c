/*
 * The circuit breaker around store API calls, driven by a fake clock:
 * closed -> open after the threshold, no calls while open, one trial when
 * half-open, the open period doubling up to its cap, success closing it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "consumer/breaker.h"

static const struct breaker_config cfg = {
	.threshold = 3, .open_min_ms = 1000, .open_max_ms = 4000,
};

/* A failed call at now: allowed first, then recorded. */
static void fail_at(struct breaker *b, double now)
{
	assert_true(breaker_allow(b, now));
	breaker_failure(b, now);
}

static void test_defaults(void **state)
{
	struct breaker b;

	(void)state;
	breaker_init(&b, NULL);
	assert_int_equal(b.cfg.threshold, 3);
	assert_true(b.cfg.open_min_ms > 0);
	assert_true(b.cfg.open_max_ms >= b.cfg.open_min_ms);
	assert_int_equal(b.state, BREAKER_CLOSED);
	assert_string_equal(breaker_state_name(BREAKER_CLOSED), "closed");
	assert_string_equal(breaker_state_name(BREAKER_OPEN), "open");
	assert_string_equal(breaker_state_name(BREAKER_HALF_OPEN), "half_open");
}

static void test_opens_at_threshold(void **state)
{
	struct breaker b;

	(void)state;
	breaker_init(&b, &cfg);
	fail_at(&b, 0);
	fail_at(&b, 100);
	assert_int_equal(b.state, BREAKER_CLOSED);
	fail_at(&b, 300);
	assert_int_equal(b.state, BREAKER_OPEN);
	assert_int_equal(b.opened, 1);
	/* No call while the period lasts. */
	assert_false(breaker_allow(&b, 300));
	assert_false(breaker_allow(&b, 1299));
	assert_int_equal(breaker_state_at(&b, 1299), BREAKER_OPEN);
	assert_true(breaker_wait_ms(&b, 800) == 500);
	/* An observer sees half-open once the period is over. */
	assert_int_equal(breaker_state_at(&b, 1300), BREAKER_HALF_OPEN);
	assert_true(breaker_wait_ms(&b, 1300) == 0);
}

static void test_success_resets_the_count(void **state)
{
	struct breaker b;

	(void)state;
	breaker_init(&b, &cfg);
	fail_at(&b, 0);
	fail_at(&b, 1);
	assert_true(breaker_allow(&b, 2));
	breaker_success(&b);
	fail_at(&b, 3);
	fail_at(&b, 4);
	assert_int_equal(b.state, BREAKER_CLOSED);
}

static void test_half_open_allows_one_trial(void **state)
{
	struct breaker b;

	(void)state;
	breaker_init(&b, &cfg);
	for (int i = 0; i < 3; i++)
		fail_at(&b, 0);
	assert_true(breaker_allow(&b, 1000));
	assert_int_equal(b.state, BREAKER_HALF_OPEN);
	/* The trial is under way: nobody else goes. */
	assert_false(breaker_allow(&b, 1001));
	breaker_success(&b);
	assert_int_equal(b.state, BREAKER_CLOSED);
	assert_true(breaker_allow(&b, 1002));
	assert_true(breaker_allow(&b, 1003));
}

static void test_failed_trial_doubles_the_period(void **state)
{
	struct breaker b;
	double now = 0;

	(void)state;
	breaker_init(&b, &cfg);
	for (int i = 0; i < 3; i++)
		fail_at(&b, now);
	/* 1000, 2000, 4000, then capped at 4000. */
	const double periods[] = { 1000, 2000, 4000, 4000, 4000 };
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		assert_true(breaker_wait_ms(&b, now) == periods[i]);
		assert_false(breaker_allow(&b, now + periods[i] - 1));
		now += periods[i];
		fail_at(&b, now); /* the trial fails */
		assert_int_equal(b.state, BREAKER_OPEN);
	}
	assert_int_equal(b.opened, 6);
	/* A success starts the periods over. */
	now += 4000;
	assert_true(breaker_allow(&b, now));
	breaker_success(&b);
	for (int i = 0; i < 3; i++)
		fail_at(&b, now);
	assert_true(breaker_wait_ms(&b, now) == 1000);
}

static void test_late_failure_while_open(void **state)
{
	struct breaker b;

	(void)state;
	breaker_init(&b, &cfg);
	for (int i = 0; i < 3; i++)
		fail_at(&b, 0);
	/* A call that started before the breaker opened fails later: the
	 * running period stands. */
	breaker_failure(&b, 500);
	assert_int_equal(b.state, BREAKER_OPEN);
	assert_true(breaker_wait_ms(&b, 500) == 500);
	assert_int_equal(b.opened, 1);
}

static void test_bad_config_is_mended(void **state)
{
	const struct breaker_config bad = { .threshold = 0, .open_min_ms = 500,
					    .open_max_ms = 100 };
	struct breaker b;

	(void)state;
	breaker_init(&b, &bad);
	assert_int_equal(b.cfg.threshold, 3);
	assert_true(b.cfg.open_max_ms == 500);
	fail_at(&b, 0);
	fail_at(&b, 0);
	fail_at(&b, 0);
	assert_true(breaker_wait_ms(&b, 0) == 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_opens_at_threshold),
		cmocka_unit_test(test_success_resets_the_count),
		cmocka_unit_test(test_half_open_allows_one_trial),
		cmocka_unit_test(test_failed_trial_doubles_the_period),
		cmocka_unit_test(test_late_failure_while_open),
		cmocka_unit_test(test_bad_config_is_mended),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
