/* The demo script parser: every step form, quoting, variables, defaults,
 * and errors that name their line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/demo.h"

static char err[8192];

static int parse(const char *text, struct demo_script *s)
{
	return demo_parse("t.demo", text, strlen(text), s, err, sizeof(err));
}

static void builtin_parses(void **state)
{
	struct demo_script s;
	size_t kinds[DEMO_EXPECT_AUDIT + 1] = { 0 };

	(void)state;
	assert_int_equal(demo_parse("built-in", demo_builtin_script,
				    strlen(demo_builtin_script), &s, err,
				    sizeof(err)), 0);
	for (size_t i = 0; i < s.n; i++)
		kinds[s.steps[i].kind]++;
	/* What the scenario must show (issue 6). */
	assert_true(kinds[DEMO_CREATE] >= 1);
	assert_true(kinds[DEMO_BURST] >= 1);
	assert_true(kinds[DEMO_STOP] >= 2);
	assert_true(kinds[DEMO_START] >= 2);
	assert_true(kinds[DEMO_WAIT_PROPAGATED] >= 4);
	assert_true(kinds[DEMO_WAIT_FAILED] >= 1);
	assert_true(kinds[DEMO_EXPECT_SEARCH] + kinds[DEMO_EXPECT_STORE] >= 8);
	/* ads stopped: a degraded list; store-svc stopped: open breakers;
	 * a clean audit at the end. */
	assert_true(kinds[DEMO_EXPECT_LIST] >= 2);
	assert_true(kinds[DEMO_EXPECT_BREAKER] >= 2);
	assert_int_equal(kinds[DEMO_EXPECT_AUDIT], 1);
	assert_int_equal(s.steps[s.n - 2].kind, DEMO_EXPECT_AUDIT);
	demo_script_free(&s);
}

/* The operations steps: faults, the list query, breakers, audit. */
static void operations_steps(void **state)
{
	struct demo_script s;
	const struct demo_step *st;

	(void)state;
	assert_int_equal(parse("create $s name=a\n"
			       "fault api latency 200 errors 30% for 10\n"
			       "fault api errors 0.5 scope all\n"
			       "fault api clear\n"
			       "fault broker down\n"
			       "fault broker up\n"
			       "fault broker errors Produce NOT_LEADER_FOR_PARTITION 3\n"
			       "fault broker errors Fetch TRANSPORT\n"
			       "expect list \"area=gangnam&q=치킨 $s\" degraded ads,search within 5\n"
			       "expect list area=mapo degraded none\n"
			       "expect list q=x lacks $s within 2\n"
			       "expect breaker search open within 30\n"
			       "expect breaker display half_open\n"
			       "expect audit clean within 20\n",
			       &s), 0);
	assert_int_equal(s.n, 14);
	st = &s.steps[1];
	assert_int_equal(st->kind, DEMO_FAULT_API);
	assert_int_equal(st->count, 200);
	assert_true(st->rate > 0.299 && st->rate < 0.301);
	assert_true(st->seconds == 10);
	assert_null(st->arg);
	st = &s.steps[2];
	assert_true(st->rate == 0.5);
	assert_string_equal(st->arg, "all");
	assert_true(s.steps[3].clear);
	st = &s.steps[4];
	assert_int_equal(st->kind, DEMO_FAULT_BROKER);
	assert_string_equal(st->arg, "down");
	st = &s.steps[6];
	assert_string_equal(st->arg, "errors");
	assert_string_equal(st->value, "Produce");
	assert_string_equal(st->code, "NOT_LEADER_FOR_PARTITION");
	assert_int_equal(st->count, 3);
	assert_int_equal(s.steps[7].count, 1);
	st = &s.steps[8];
	assert_int_equal(st->kind, DEMO_EXPECT_LIST);
	assert_true(st->degraded);
	assert_string_equal(st->arg, "area=gangnam&q=치킨 $s");
	assert_string_equal(st->value, "ads,search");
	assert_true(st->seconds == 5);
	st = &s.steps[10];
	assert_false(st->degraded);
	assert_true(st->negate);
	assert_string_equal(st->store.var, "s");
	st = &s.steps[11];
	assert_int_equal(st->kind, DEMO_EXPECT_BREAKER);
	assert_string_equal(st->arg, "search");
	assert_string_equal(st->value, "open");
	assert_int_equal(s.steps[13].kind, DEMO_EXPECT_AUDIT);
	assert_string_equal(demo_kind_name(DEMO_EXPECT_LIST), "expect list");
	demo_script_free(&s);

	assert_int_equal(parse("fault api\n"
			       "fault api latency 99999\n"
			       "fault api errors 2\n"
			       "fault api latency 5 scope nobody\n"
			       "fault broker sideways\n"
			       "fault broker errors Bogus TRANSPORT\n"
			       "fault broker errors Fetch BOGUS\n"
			       "expect list area=gangnam degraded store\n"
			       "expect list where=x degraded none\n"
			       "expect breaker search ajar\n"
			       "expect breaker store open\n"
			       "expect audit dirty\n",
			       &s), -1);
	assert_non_null(strstr(err, "t.demo:1: fault api: expected 'fault api clear'"));
	assert_non_null(strstr(err, "t.demo:2: fault api: latency"));
	assert_non_null(strstr(err, "t.demo:3: fault api: errors"));
	assert_non_null(strstr(err, "t.demo:4: fault api: scope"));
	assert_non_null(strstr(err, "t.demo:5: fault broker: expected"));
	assert_non_null(strstr(err, "t.demo:6: fault broker errors: \"Bogus\" is not a Kafka API"));
	assert_non_null(strstr(err, "t.demo:7: fault broker errors: \"BOGUS\" is not an error"));
	assert_non_null(strstr(err, "t.demo:8: expect list: after 'degraded'"));
	assert_non_null(strstr(err, "t.demo:9: expect list: \"where=x\" is not KEY=VALUE"));
	assert_non_null(strstr(err, "t.demo:10: expect breaker: the state"));
	assert_non_null(strstr(err, "t.demo:11: expect breaker: \"store\" is not a downstream"));
	assert_non_null(strstr(err, "t.demo:12: expect audit: expected"));
	demo_script_free(&s);
}

static void steps_and_fields(void **state)
{
	struct demo_script s;
	const struct demo_step *st;

	(void)state;
	assert_int_equal(parse("# a comment\n"
			       "\n"
			       "caption   Hello, world  \n"
			       "pause 1.5\n"
			       "edit 42 name=\"교촌치킨 역삼점\" phone='02-555-0101' min_order:=12000\n"
			       "delete 42\n"
			       "stop search\n"
			       "start store\n"
			       "kill search\n"
			       "burst 7 20\n"
			       "burst 7 3 status\n"
			       "show store 7\n"
			       "show search 치킨\n",
			       &s), 0);
	assert_int_equal(s.n, 11);
	st = &s.steps[0];
	assert_int_equal(st->kind, DEMO_CAPTION);
	assert_int_equal(st->line, 3);
	assert_string_equal(st->arg, "Hello, world");
	assert_int_equal(s.steps[1].kind, DEMO_PAUSE);
	assert_true(s.steps[1].seconds == 1.5);
	st = &s.steps[2];
	assert_int_equal(st->kind, DEMO_EDIT);
	assert_int_equal(st->store.id, 42);
	assert_int_equal(st->nassigns, 3);
	assert_string_equal(st->assigns[0].field, "name");
	assert_string_equal(st->assigns[0].value, "교촌치킨 역삼점");
	assert_int_equal(st->assigns[0].json, 0);
	assert_string_equal(st->assigns[1].value, "02-555-0101");
	assert_string_equal(st->assigns[2].field, "min_order");
	assert_string_equal(st->assigns[2].value, "12000");
	assert_int_equal(st->assigns[2].json, 1);
	assert_string_equal(st->text,
			    "edit 42 name=\"교촌치킨 역삼점\" phone='02-555-0101' min_order:=12000");
	assert_int_equal(s.steps[3].kind, DEMO_DELETE);
	assert_int_equal(s.steps[4].kind, DEMO_STOP);
	assert_string_equal(s.steps[4].arg, "search");
	assert_int_equal(s.steps[5].kind, DEMO_START);
	assert_string_equal(s.steps[5].arg, "store");
	assert_int_equal(s.steps[6].kind, DEMO_KILL);
	assert_int_equal(s.steps[7].kind, DEMO_BURST);
	assert_int_equal(s.steps[7].count, 20);
	assert_string_equal(s.steps[7].arg, "name");
	assert_string_equal(s.steps[8].arg, "status");
	assert_int_equal(s.steps[9].kind, DEMO_SHOW_STORE);
	assert_int_equal(s.steps[10].kind, DEMO_SHOW_SEARCH);
	assert_string_equal(s.steps[10].arg, "치킨");
	demo_script_free(&s);
}

static void waits_and_defaults(void **state)
{
	struct demo_script s;

	(void)state;
	assert_int_equal(parse("edit 7 status=closed\n"
			       "wait propagated\n"
			       "wait propagated within 3\n"
			       "wait propagated 9 within 2.5s\n"
			       "wait failed search\n"
			       "wait failed search 11 within 4\n",
			       &s), 0);
	assert_int_equal(s.steps[1].kind, DEMO_WAIT_PROPAGATED);
	assert_int_equal(s.steps[1].store.id, 7);
	assert_true(s.steps[1].seconds == DEMO_WITHIN_DEFAULT);
	assert_true(s.steps[2].seconds == 3);
	assert_int_equal(s.steps[3].store.id, 9);
	assert_true(s.steps[3].seconds == 2.5);
	/* The default follows the latest store named. */
	assert_int_equal(s.steps[4].kind, DEMO_WAIT_FAILED);
	assert_string_equal(s.steps[4].arg, "search");
	assert_int_equal(s.steps[4].store.id, 9);
	assert_int_equal(s.steps[5].store.id, 11);
	demo_script_free(&s);
}

static void expectations(void **state)
{
	struct demo_script s;

	(void)state;
	assert_int_equal(parse("expect search \"교촌 역삼\" contains 5\n"
			       "expect search 치킨 lacks 6 within 2\n"
			       "expect store 5 name = \"새 이름\"\n"
			       "expect store 5 name=붙여쓰기\n"
			       "expect store 5 status != open within 1\n"
			       "expect store 5 phone!=null\n"
			       "expect store 5 deleted\n",
			       &s), 0);
	assert_int_equal(s.steps[0].kind, DEMO_EXPECT_SEARCH);
	assert_string_equal(s.steps[0].arg, "교촌 역삼");
	assert_int_equal(s.steps[0].negate, 0);
	assert_true(s.steps[0].seconds == 0);
	assert_int_equal(s.steps[1].negate, 1);
	assert_true(s.steps[1].seconds == 2);
	assert_int_equal(s.steps[2].kind, DEMO_EXPECT_STORE);
	assert_int_equal(s.steps[2].cmp, DEMO_CMP_EQ);
	assert_string_equal(s.steps[2].arg, "name");
	assert_string_equal(s.steps[2].value, "새 이름");
	assert_string_equal(s.steps[3].value, "붙여쓰기");
	assert_int_equal(s.steps[4].cmp, DEMO_CMP_NE);
	assert_string_equal(s.steps[4].value, "open");
	assert_int_equal(s.steps[5].cmp, DEMO_CMP_NE);
	assert_string_equal(s.steps[5].arg, "phone");
	assert_string_equal(s.steps[5].value, "null");
	assert_int_equal(s.steps[6].cmp, DEMO_CMP_DELETED);
	demo_script_free(&s);
}

static int lookup(void *ctx, const char *var, int64_t *id)
{
	(void)ctx;
	if (strcmp(var, "s") != 0)
		return -1;
	*id = 241;
	return 0;
}

static void variables_and_quoting(void **state)
{
	struct demo_script s;
	char *x;

	(void)state;
	assert_int_equal(parse("create $s owner=owner-1 name=\"a b\" category=cafe\n"
			       "edit $s name=\"데모 $s호점\" phone='$s' price=$$5 note=a#b # comment\n"
			       "caption \"Store $s: \\\"quoted\\\"\"\n",
			       &s), 0);
	assert_int_equal(s.steps[0].kind, DEMO_CREATE);
	assert_string_equal(s.steps[0].var, "s");
	assert_string_equal(s.steps[1].store.var, "s");
	assert_string_equal(s.steps[1].assigns[0].value, "데모 $s호점");
	/* Single quotes keep a '$' literal. */
	assert_string_equal(s.steps[1].assigns[1].value, "$$s");
	assert_string_equal(s.steps[1].assigns[2].value, "$$5");
	assert_string_equal(s.steps[1].assigns[3].value, "a#b");
	assert_int_equal(s.steps[1].nassigns, 4);
	assert_string_equal(s.steps[1].text,
			    "edit $s name=\"데모 $s호점\" phone='$s' price=$$5 note=a#b");
	assert_string_equal(s.steps[2].arg, "Store $s: \"quoted\"");

	x = demo_expand(s.steps[1].assigns[0].value, lookup, NULL, err, sizeof(err));
	assert_string_equal(x, "데모 241호점");
	free(x);
	x = demo_expand(s.steps[1].assigns[1].value, lookup, NULL, err, sizeof(err));
	assert_string_equal(x, "$s");
	free(x);
	x = demo_expand("$t", lookup, NULL, err, sizeof(err));
	assert_null(x);
	assert_non_null(strstr(err, "$t"));
	demo_script_free(&s);
}

/* A word where the store goes is named, with or without a store before. */
static void wait_names_a_bad_store(void **state)
{
	struct demo_script s;

	(void)state;
	assert_int_equal(parse("wait propagated abc within 5\n"
			       "edit 5 name=a\n"
			       "wait propagated abc\n"
			       "wait failed search abc within 5\n",
			       &s), -1);
	assert_non_null(strstr(err, "t.demo:1: wait propagated: \"abc\" is not a store"));
	assert_non_null(strstr(err, "t.demo:3: wait propagated: \"abc\" is not a store"));
	assert_non_null(strstr(err, "t.demo:4: wait failed: \"abc\" is not a store"));
	assert_null(strstr(err, "no store named yet"));
}

static void errors_name_their_lines(void **state)
{
	struct demo_script s;

	(void)state;
	assert_int_equal(parse("caption fine\n"
			       "edit x name=a\n"
			       "frobnicate\n"
			       "edit 5 name\n"
			       "edit 5 name=\"open\n"
			       "wait propagated\n"
			       "stop broker\n"
			       "stop nosuch\n"
			       "burst 5 0\n"
			       "pause 0\n"
			       "edit $u name=a\n"
			       "edit 5 a:=[1,\n"
			       "wait failed store\n"
			       "expect store 5 name ~ x\n"
			       "caption $nope\n"
			       "edit 5 name=a name=b\n",
			       &s), -1);
	assert_int_equal(s.n, 0);
	assert_null(strstr(err, "t.demo:1:"));
	assert_non_null(strstr(err, "t.demo:2: \"x\" is not a store"));
	assert_non_null(strstr(err, "t.demo:3: unknown command \"frobnicate\""));
	assert_non_null(strstr(err, "t.demo:4: edit: expected FIELD=VALUE"));
	assert_non_null(strstr(err, "t.demo:5: a double quote is not closed"));
	/* line 6 is fine: the default store is 5 from line 4's edit */
	assert_null(strstr(err, "t.demo:6:"));
	assert_non_null(strstr(err, "t.demo:7: stop: the embedded broker"));
	assert_non_null(strstr(err, "t.demo:8: stop: no service called \"nosuch\""));
	assert_non_null(strstr(err, "t.demo:9: burst: COUNT"));
	assert_non_null(strstr(err, "t.demo:10: pause:"));
	assert_non_null(strstr(err, "t.demo:11: $u is not set"));
	assert_non_null(strstr(err, "t.demo:12: edit: a:= needs a JSON value"));
	assert_non_null(strstr(err, "t.demo:13: wait failed: \"store\" is not a downstream service"));
	assert_non_null(strstr(err, "t.demo:14: expect store:"));
	/* 12 problems at most, then a count of the rest */
	assert_non_null(strstr(err, "t.demo: 2 more problems"));
	demo_script_free(&s);
}

static void bad_text_and_empty(void **state)
{
	struct demo_script s;
	const char bad_utf8[] = "caption \xff\xfe\n";
	const char ctrl[] = "caption a\x01z\n";

	(void)state;
	assert_int_equal(parse("", &s), -1);
	assert_non_null(strstr(err, "no steps"));
	assert_int_equal(parse("# only comments\n\n", &s), -1);
	assert_int_equal(parse(bad_utf8, &s), -1);
	assert_non_null(strstr(err, "t.demo:1: the line is not valid UTF-8"));
	assert_int_equal(parse(ctrl, &s), -1);
	assert_int_equal(parse("wait propagated\n", &s), -1);
	assert_non_null(strstr(err, "no store named yet"));
	assert_int_equal(parse("caption\n", &s), -1);
	assert_int_equal(parse("edit 5 name=a\r\nwait propagated\r\n", &s), 0);
	assert_int_equal(s.n, 2);
	demo_script_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_parses),
		cmocka_unit_test(operations_steps),
		cmocka_unit_test(steps_and_fields),
		cmocka_unit_test(waits_and_defaults),
		cmocka_unit_test(expectations),
		cmocka_unit_test(variables_and_quoting),
		cmocka_unit_test(wait_names_a_bad_store),
		cmocka_unit_test(errors_name_their_lines),
		cmocka_unit_test(bad_text_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
