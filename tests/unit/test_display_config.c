/*
 * display-svc's own options: --batch-max and STORECTL_BATCH_MAX (1 to
 * 10000, default 500, the flag over the variable, bad values refused),
 * and --fanout-timeout-ms beside them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "display-svc/display_config.h"

static int opt_of(const char *name)
{
	for (size_t i = 0; display_config_options[i].name != NULL; i++)
		if (strcmp(display_config_options[i].name, name) == 0)
			return display_config_options[i].val;
	fail_msg("no option --%s", name);
	return -1;
}

static void batch_max(void **state)
{
	struct display_config cfg;

	(void)state;
	unsetenv("STORECTL_BATCH_MAX");
	assert_int_equal(display_config_init(&cfg, "display-svc"), 0);
	assert_int_equal(cfg.batch_max, 500);
	assert_int_equal(display_config_option(opt_of("batch-max"), "1", &cfg), 0);
	assert_int_equal(cfg.batch_max, 1);
	assert_int_equal(display_config_option(opt_of("batch-max"), "10000", &cfg), 0);
	assert_int_equal(cfg.batch_max, 10000);
	/* Refused, and the value stays. */
	assert_int_equal(display_config_option(opt_of("batch-max"), "0", &cfg), -1);
	assert_int_equal(display_config_option(opt_of("batch-max"), "10001", &cfg), -1);
	assert_int_equal(display_config_option(opt_of("batch-max"), "5x", &cfg), -1);
	assert_int_equal(cfg.batch_max, 10000);
	display_config_free(&cfg);

	setenv("STORECTL_BATCH_MAX", "7", 1);
	assert_int_equal(display_config_init(&cfg, "display-svc"), 0);
	assert_int_equal(cfg.batch_max, 7);
	assert_int_equal(display_config_option(opt_of("batch-max"), "3", &cfg), 0);
	assert_int_equal(cfg.batch_max, 3);
	display_config_free(&cfg);

	setenv("STORECTL_BATCH_MAX", "-1", 1);
	assert_int_equal(display_config_init(&cfg, "display-svc"), -1);
	display_config_free(&cfg);
	unsetenv("STORECTL_BATCH_MAX");
}

static void fanout_timeout(void **state)
{
	struct display_config cfg;

	(void)state;
	assert_int_equal(display_config_init(&cfg, "display-svc"), 0);
	assert_int_equal(cfg.fanout_timeout_ms, 200);
	assert_int_equal(display_config_option(opt_of("fanout-timeout-ms"), "50", &cfg), 0);
	assert_int_equal(cfg.fanout_timeout_ms, 50);
	assert_int_equal(display_config_option(opt_of("fanout-timeout-ms"), "60001", &cfg), -1);
	display_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_max),
		cmocka_unit_test(fanout_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
