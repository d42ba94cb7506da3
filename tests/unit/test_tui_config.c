/*
 * The console's configuration file: keys, comments, quotes, kafka.* and
 * x.* properties, errors that name the line, precedence (only unset
 * members are filled), and a token others may read refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/tmpdb.h"
#include "tui/config.h"

static void parses_every_key(void **state)
{
	struct tui_config cf = { 0 };
	char err[256] = "";
	const char *text =
		"# the team's stack\n"
		"\n"
		"store_api = http://stores.internal:8080\n"
		"  search_api=http://search:1\n"
		"ads_api = \"http://ads:2\"\n"
		"favorites_api = http://fav:3\n"
		"reviews_api = http://rev:4\n"
		"display_api = https://display:5\n"
		"brokers = kafka1:9092,kafka2:9092\n"
		"token = s3cret # not a comment\n"
		"kafka.fetch.wait.max.ms = 5\n"
		"x.session.timeout.ms = 6000\r\n";

	(void)state;
	assert_int_equal(tui_config_parse(&cf, text, "cfg", err, sizeof(err)), 0);
	assert_string_equal(cf.value[TUI_CONF_STORE_API],
			    "http://stores.internal:8080");
	assert_string_equal(cf.value[TUI_CONF_SEARCH_API], "http://search:1");
	assert_string_equal(cf.value[TUI_CONF_ADS_API], "http://ads:2");
	assert_string_equal(cf.value[TUI_CONF_DISPLAY_API], "https://display:5");
	assert_string_equal(cf.value[TUI_CONF_BROKERS], "kafka1:9092,kafka2:9092");
	assert_string_equal(cf.value[TUI_CONF_TOKEN], "s3cret # not a comment");
	assert_int_equal(cf.line[TUI_CONF_STORE_API], 3);
	assert_int_equal(cf.props.n, 2);
	assert_string_equal(cf.props.key[0], "fetch.wait.max.ms");
	assert_string_equal(cf.props.value[0], "5");
	assert_string_equal(cf.props.key[1], "session.timeout.ms");
	assert_string_equal(cf.props.value[1], "6000");
	tui_config_free(&cf);
}

static void expect_error(const char *text, const char *want)
{
	struct tui_config cf = { 0 };
	char err[512] = "";

	assert_int_equal(tui_config_parse(&cf, text, "/home/u/.config/storectl/config",
					  err, sizeof(err)),
			 -1);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err, want);
	tui_config_free(&cf);
}

static void errors_name_the_line(void **state)
{
	(void)state;
	expect_error("store_api = http://a\nstor_api = http://b\n",
		     "config:2: unknown key \"stor_api\"");
	expect_error("\n\njust words\n", "config:3: expected key = value");
	expect_error("brokers =\n", "config:1: brokers has no value");
	expect_error("store_api = http://a\n# c\nstore_api = http://b\n",
		     "config:3: store_api is set twice (first on line 1)");
	expect_error("display_api = display:8080\n",
		     "config:1: display_api must be an http:// or https:// URL");
	expect_error("kafka. = 1\n", "config:1: kafka. needs a property");
	expect_error(" = 1\n", "config:1: a key is missing");
}

static void fills_only_what_is_unset(void **state)
{
	struct tui_config cf = { 0 };
	struct console_config cfg = { 0 };
	char err[256];

	(void)state;
	assert_int_equal(tui_config_parse(&cf,
					  "store_api = http://file\n"
					  "brokers = file:9092\n"
					  "display_api = http://display\n",
					  "cfg", err, sizeof(err)),
			 0);
	cfg.store_api = "http://flag"; /* a flag or the environment */
	tui_config_fill(&cf, &cfg);
	assert_string_equal(cfg.store_api, "http://flag");
	assert_string_equal(cfg.brokers, "file:9092");
	assert_string_equal(cfg.display_api, "http://display");
	assert_null(cfg.search_api);
	assert_null(cfg.token);
	tui_config_free(&cf);
}

static void token_file_must_be_private(void **state)
{
	struct tmpdb tmp;
	const char *path = tmp.path;
	char err[512] = "";
	struct tui_config cf;
	FILE *f;

	(void)state;
	assert_int_equal(tmpdb_make(&tmp, "config"), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("store_api = http://a\ntoken = abc\n", f);
	fclose(f);
	chmod(path, 0644);
	assert_int_equal(tui_config_load(&cf, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: holds a token"));
	assert_non_null(strstr(err, "chmod 600"));
	chmod(path, 0600);
	assert_int_equal(tui_config_load(&cf, path, err, sizeof(err)), 0);
	assert_string_equal(cf.value[TUI_CONF_TOKEN], "abc");
	tui_config_free(&cf);
	/* A missing file named on purpose is an error. */
	unlink(path);
	assert_int_equal(tui_config_load(&cf, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	tmpdb_remove(&tmp);
}

static void default_path_follows_xdg(void **state)
{
	char buf[512];

	(void)state;
	unsetenv("STORECTL_CONFIG");
	setenv("HOME", "/home/kim", 1);
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(tui_config_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/kim/.config/storectl/config");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	assert_int_equal(tui_config_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/xdg/storectl/config");
	setenv("STORECTL_CONFIG", "/etc/storectl.conf", 1);
	assert_int_equal(tui_config_default_path(buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/etc/storectl.conf");
	unsetenv("STORECTL_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_key),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(fills_only_what_is_unset),
		cmocka_unit_test(token_file_must_be_private),
		cmocka_unit_test(default_path_follows_xdg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
