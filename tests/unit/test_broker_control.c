/*
 * The broker's control API and the names storectl checks demo scripts
 * with (broker/control_names.h) agree: every name maps to a code, and no
 * code has a name the list lacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "broker/control.h"
#include "broker/control_names.h"

static void names_map_to_codes(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; broker_control_api_names[i] != NULL; i++, n++)
		assert_true(broker_control_api_key(broker_control_api_names[i]) >= 0);
	assert_int_equal(n, 11);
	n = 0;
	for (size_t i = 0; broker_control_error_names[i] != NULL; i++, n++)
		assert_int_not_equal(broker_control_error_code(broker_control_error_names[i]), 0);
	assert_int_equal(n, 9);
	assert_int_equal(broker_control_api_key("Bogus"), -1);
	assert_int_equal(broker_control_error_code("BOGUS"), 0);
	assert_true(broker_control_name_in(broker_control_api_names, "Fetch"));
	assert_false(broker_control_name_in(broker_control_api_names, "Fetc"));
	assert_false(broker_control_name_in(broker_control_api_names, "Fetch2"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_map_to_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
