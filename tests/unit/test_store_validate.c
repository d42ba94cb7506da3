/* store-svc domain rules: every rule names its field, UTF-8 is counted in
 * code points, merge patches and replacements, and the field diff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/fields.h"
#include "store-svc/store_validate.h"

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *doc = json_loads(text, JSON_ALLOW_NUL, &jerr);

	if (doc == NULL)
		fail_msg("test JSON does not parse: %s: %s", text, jerr.text);
	return doc;
}

static const struct store *stored(void)
{
	static struct store s;

	memset(&s, 0, sizeof(s));
	s.id = 42;
	s.version = 7;
	strcpy(s.owner, "owner-1");
	strcpy(s.name, "Kimbap Heaven");
	strcpy(s.category, "korean");
	strcpy(s.phone, "02-123-4567");
	strcpy(s.status, "open");
	strcpy(s.created_at, "2026-11-24T10:00:00.123Z");
	strcpy(s.updated_at, "2026-11-24T11:00:00.456Z");
	return &s;
}

/* Asserts that doc is refused and that some violation is field/rule. */
static void expect_doc(json_t *doc, enum store_check mode,
		       const struct store *cur, const char *field,
		       const char *rule)
{
	struct store_errors errs;
	struct store out;

	if (store_validate_doc(doc, mode, cur, &out, &errs) != -1)
		fail_msg("accepted, expected %s/%s", field, rule);
	assert_true(errs.n > 0);
	for (size_t i = 0; i < errs.n; i++) {
		if (strcmp(errs.v[i].field, field) == 0 &&
		    strcmp(errs.v[i].rule, rule) == 0) {
			assert_true(errs.v[i].detail[0] != '\0');
			json_decref(doc);
			return;
		}
	}
	fail_msg("no %s/%s violation; first was %s/%s: %s", field, rule,
		 errs.v[0].field, errs.v[0].rule, errs.v[0].detail);
}

static void expect_create(const char *text, const char *field,
			  const char *rule)
{
	expect_doc(parse(text), STORE_CHECK_CREATE, NULL, field, rule);
}

#define BASE "\"owner\":\"owner-1\",\"name\":\"Kimbap\",\"category\":\"korean\""

static void valid_store_passes(void **state)
{
	json_t *doc = parse("{" BASE ",\"phone\":\"010-1234-5678\"}");
	struct store_errors errs;
	struct store out;

	(void)state;
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_CREATE, NULL,
					    &out, &errs),
			 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(out.owner, "owner-1");
	assert_string_equal(out.name, "Kimbap");
	assert_string_equal(out.category, "korean");
	assert_string_equal(out.phone, "010-1234-5678");
	assert_string_equal(out.status, "open"); /* the default */
	assert_int_equal(out.id, 0);
	json_decref(doc);
}

static void name_is_trimmed(void **state)
{
	/* Leading and trailing U+0020 and U+3000 go; inner spaces stay. */
	json_t *doc = parse("{\"owner\":\"o\",\"category\":\"cafe\","
			    "\"name\":\" \xe3\x80\x80 Caf\xc3\xa9  Blue \xe3\x80\x80\"}");
	struct store_errors errs;
	struct store out;

	(void)state;
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_CREATE, NULL,
					    &out, &errs),
			 0);
	assert_string_equal(out.name, "Caf\xc3\xa9  Blue");
	json_decref(doc);
}

static void owner_rules(void **state)
{
	char text[256];

	(void)state;
	expect_create("{\"name\":\"n\",\"category\":\"cafe\"}", "owner",
		      "required");
	expect_create("{\"owner\":7,\"name\":\"n\",\"category\":\"cafe\"}",
		      "owner", "type");
	expect_create("{\"owner\":\"\",\"name\":\"n\",\"category\":\"cafe\"}",
		      "owner", "length");
	expect_create("{\"owner\":\"Owner 1\",\"name\":\"n\",\"category\":\"cafe\"}",
		      "owner", "pattern");
	expect_create("{\"owner\":\"a\\u0000b\",\"name\":\"n\",\"category\":\"cafe\"}",
		      "owner", "pattern");
	snprintf(text, sizeof(text),
		 "{\"owner\":\"%065d\",\"name\":\"n\",\"category\":\"cafe\"}", 0);
	expect_create(text, "owner", "length");
}

static void name_rules(void **state)
{
	(void)state;
	expect_create("{\"owner\":\"o\",\"category\":\"cafe\"}", "name",
		      "required");
	expect_create("{\"owner\":\"o\",\"name\":null,\"category\":\"cafe\"}",
		      "name", "required");
	expect_create("{\"owner\":\"o\",\"name\":[\"x\"],\"category\":\"cafe\"}",
		      "name", "type");
	expect_create("{\"owner\":\"o\",\"name\":\"   \",\"category\":\"cafe\"}",
		      "name", "blank");
	expect_create("{\"owner\":\"o\",\"name\":\"\",\"category\":\"cafe\"}",
		      "name", "blank");
	expect_create("{\"owner\":\"o\",\"name\":\"a\\tb\",\"category\":\"cafe\"}",
		      "name", "control");
	expect_create("{\"owner\":\"o\",\"name\":\"a\\nb\",\"category\":\"cafe\"}",
		      "name", "control");
	expect_create("{\"owner\":\"o\",\"name\":\"a\\u0085b\",\"category\":\"cafe\"}",
		      "name", "control");
}

static void category_status_phone_rules(void **state)
{
	(void)state;
	expect_create("{\"owner\":\"o\",\"name\":\"n\"}", "category",
		      "required");
	expect_create("{\"owner\":\"o\",\"name\":\"n\",\"category\":\"thai\"}",
		      "category", "enum");
	expect_create("{\"owner\":\"o\",\"name\":\"n\",\"category\":\"Korean\"}",
		      "category", "enum");
	expect_create("{" BASE ",\"status\":\"maybe\"}", "status", "enum");
	expect_create("{" BASE ",\"status\":true}", "status", "type");
	expect_create("{" BASE ",\"phone\":\"123\"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":\"02-12-4567\"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":\"02-12345-4567\"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":\"010-1234-56789\"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":\"1010-1234-5678\"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":\"0101-234-5678\"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":\"02 123 4567\"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":\"02-123-4567 \"}", "phone", "pattern");
	expect_create("{" BASE ",\"phone\":2123456}", "phone", "type");
}

static void phone_forms_pass(void **state)
{
	static const char *const good[] = {
		"02-123-4567", "02-1234-5678", "031-123-4567", "010-1234-5678",
	};
	char text[160];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct store_errors errs;
		struct store out;
		json_t *doc;

		snprintf(text, sizeof(text), "{" BASE ",\"phone\":\"%s\"}",
			 good[i]);
		doc = parse(text);
		if (store_validate_doc(doc, STORE_CHECK_CREATE, NULL, &out,
				       &errs))
			fail_msg("%s refused: %s", good[i], errs.v[0].detail);
		assert_string_equal(out.phone, good[i]);
		json_decref(doc);
	}
}

static void unknown_and_read_only_members(void **state)
{
	(void)state;
	expect_create("{" BASE ",\"colour\":\"red\"}", "colour", "unknown");
	expect_create("{" BASE ",\"id\":5}", "id", "read-only");
	expect_create("{" BASE ",\"version\":1}", "version", "read-only");
	expect_create("{" BASE ",\"created_at\":\"x\"}", "created_at",
		      "read-only");
	expect_doc(parse("{\"version\":8}"), STORE_CHECK_PATCH, stored(),
		   "version", "read-only");
	expect_doc(parse("{\"id\":null}"), STORE_CHECK_PATCH, stored(), "id",
		   "read-only");
	expect_doc(parse("{\"updated_at\":\"2026-01-01T00:00:00.000Z\"}"),
		   STORE_CHECK_PATCH, stored(), "updated_at", "read-only");
}

static void read_only_members_equal_to_stored_pass(void **state)
{
	/* A client may PUT back what it read, read-only members included. */
	json_t *doc = parse("{\"id\":42,\"version\":7,"
			    "\"created_at\":\"2026-11-24T10:00:00.123Z\","
			    "\"updated_at\":\"2026-11-24T11:00:00.456Z\","
			    "\"owner\":\"owner-1\",\"name\":\"Kimbap Heaven\","
			    "\"category\":\"korean\",\"status\":\"closed\"}");
	struct store_errors errs;
	struct store out;

	(void)state;
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_REPLACE, stored(),
					    &out, &errs),
			 0);
	assert_int_equal(out.id, 42);
	assert_int_equal(out.version, 7);
	assert_string_equal(out.status, "closed");
	assert_string_equal(out.phone, ""); /* left out of a PUT: removed */
	json_decref(doc);
}

static void every_violation_is_reported(void **state)
{
	json_t *doc = parse("{\"owner\":\"BAD\",\"name\":\"\",\"category\":\"x\","
			    "\"phone\":\"1\",\"status\":\"x\",\"id\":1,"
			    "\"extra\":1}");
	struct store_errors errs;
	struct store out;
	json_t *extra;

	(void)state;
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_CREATE, NULL,
					    &out, &errs),
			 -1);
	assert_int_equal(errs.n, 7);
	/* Form order first: the first violation is the owner's. */
	assert_string_equal(errs.v[0].field, "owner");
	assert_string_equal(errs.v[0].rule, "pattern");

	extra = store_validate_problem(&errs);
	assert_string_equal(json_string_value(json_object_get(extra, "field")),
			    "owner");
	assert_string_equal(json_string_value(json_object_get(extra, "rule")),
			    "pattern");
	assert_int_equal(json_array_size(json_object_get(extra, "errors")), 7);
	assert_non_null(json_object_get(
		json_array_get(json_object_get(extra, "errors"), 6), "detail"));
	json_decref(extra);
	json_decref(doc);
}

/* n copies of the 3-byte syllable "가" (U+AC00) as a JSON store. */
static json_t *korean_name_doc(int n)
{
	char name[STORE_NAME_BYTES + 64] = "";
	json_t *doc = parse("{\"owner\":\"o\",\"category\":\"korean\"}");

	for (int i = 0; i < n; i++)
		strcat(name, "\xea\xb0\x80");
	json_object_set_new(doc, "name", json_string(name));
	return doc;
}

static void name_length_counts_code_points(void **state)
{
	struct store_errors errs;
	struct store out;
	json_t *doc = korean_name_doc(STORE_NAME_MAX); /* 150 bytes */

	(void)state;
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_CREATE, NULL,
					    &out, &errs),
			 0);
	assert_int_equal(strlen(out.name), 3 * STORE_NAME_MAX);
	json_decref(doc);

	expect_doc(korean_name_doc(STORE_NAME_MAX + 1), STORE_CHECK_CREATE,
		   NULL, "name", "length");

	/* 50 four-byte characters fit the buffer exactly. */
	doc = parse("{\"owner\":\"o\",\"category\":\"cafe\"}");
	{
		char name[STORE_NAME_BYTES + 1] = "";

		for (int i = 0; i < STORE_NAME_MAX; i++)
			strcat(name, "\xf0\x9f\x8d\x95"); /* U+1F355 */
		json_object_set_new(doc, "name", json_string(name));
	}
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_CREATE, NULL,
					    &out, &errs),
			 0);
	assert_int_equal(strlen(out.name), STORE_NAME_BYTES);
	json_decref(doc);
}

static void invalid_utf8_is_refused(void **state)
{
	static const char *const bad[] = {
		"\xff",             /* never valid */
		"ab\xea\xb0",       /* truncated sequence */
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong, three bytes */
		"\xed\xa0\x80",     /* surrogate U+D800 */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\x80",             /* stray continuation */
	};
	size_t count;
	int control;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *doc = parse("{\"owner\":\"o\",\"category\":\"cafe\"}");

		assert_int_equal(store_validate_utf8(bad[i], strlen(bad[i]),
						     &count, &control),
				 -1);
		/* jansson's parser refuses such text; build it directly. */
		json_object_set_new(doc, "name",
				    json_stringn_nocheck(bad[i], strlen(bad[i])));
		expect_doc(doc, STORE_CHECK_CREATE, NULL, "name", "utf8");
	}
	assert_int_equal(store_validate_utf8("\xea\xb0\x80\xf0\x9f\x8d\x95" "a", 8,
					     &count, &control),
			 0);
	assert_int_equal(count, 3);
	assert_int_equal(control, 0);
}

static void merge_patch_rules(void **state)
{
	struct store_errors errs;
	struct store out;
	json_t *doc;

	(void)state;
	/* Absent members stay; null removes the optional phone. */
	doc = parse("{\"status\":\"closed\",\"phone\":null}");
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_PATCH, stored(),
					    &out, &errs),
			 0);
	assert_string_equal(out.status, "closed");
	assert_string_equal(out.phone, "");
	assert_string_equal(out.name, "Kimbap Heaven");
	assert_int_equal(out.version, 7); /* the adapter bumps it */
	json_decref(doc);

	/* Removing a required field is refused. */
	expect_doc(parse("{\"name\":null}"), STORE_CHECK_PATCH, stored(),
		   "name", "required");
	expect_doc(parse("{\"status\":null}"), STORE_CHECK_PATCH, stored(),
		   "status", "required");
	expect_doc(parse("{\"owner\":null}"), STORE_CHECK_PATCH, stored(),
		   "owner", "required");
	/* Objects are not merged into string fields. */
	expect_doc(parse("{\"name\":{\"ko\":\"x\"}}"), STORE_CHECK_PATCH,
		   stored(), "name", "type");

	/* An empty patch is valid and changes nothing. */
	doc = parse("{}");
	assert_int_equal(store_validate_doc(doc, STORE_CHECK_PATCH, stored(),
					    &out, &errs),
			 0);
	assert_int_equal(store_validate_diff(stored(), &out), 0);
	json_decref(doc);
}

static void replace_needs_every_required_field(void **state)
{
	(void)state;
	expect_doc(parse("{" BASE "}"), STORE_CHECK_REPLACE, stored(),
		   "status", "required");
	expect_doc(parse("{\"name\":\"n\",\"category\":\"cafe\",\"status\":\"open\"}"),
		   STORE_CHECK_REPLACE, stored(), "owner", "required");
}

static void diff_names_changed_fields(void **state)
{
	struct store a = *stored();
	struct store b = a;

	(void)state;
	assert_int_equal(store_validate_diff(&a, &b), 0);
	strcpy(b.name, "Other");
	strcpy(b.status, "closed");
	assert_int_equal(store_validate_diff(&a, &b),
			 STORE_F_NAME | STORE_F_STATUS);
	b = a;
	b.phone[0] = '\0';
	strcpy(b.category, "cafe");
	strcpy(b.owner, "owner-2");
	assert_int_equal(store_validate_diff(&a, &b),
			 STORE_F_PHONE | STORE_F_CATEGORY | STORE_F_OWNER);
	/* Versions and timestamps are not fields of an event. */
	b = a;
	b.version++;
	strcpy(b.updated_at, "2027-01-01T00:00:00.000Z");
	assert_int_equal(store_validate_diff(&a, &b), 0);
}

static void model_json_shape(void **state)
{
	struct store s = *stored();
	json_t *j;

	(void)state;
	j = store_model_to_json(&s);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 42);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 7);
	assert_string_equal(json_string_value(json_object_get(j, "phone")),
			    "02-123-4567");
	json_decref(j);
	s.phone[0] = '\0';
	j = store_model_to_json(&s);
	assert_null(json_object_get(j, "phone"));
	json_decref(j);
	assert_int_equal(store_model_fields(&s),
			 STORE_F_OWNER | STORE_F_NAME | STORE_F_CATEGORY |
				 STORE_F_STATUS | STORE_F_MIN_ORDER |
				 STORE_F_DELIVERY_FEE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_store_passes),
		cmocka_unit_test(name_is_trimmed),
		cmocka_unit_test(owner_rules),
		cmocka_unit_test(name_rules),
		cmocka_unit_test(category_status_phone_rules),
		cmocka_unit_test(phone_forms_pass),
		cmocka_unit_test(unknown_and_read_only_members),
		cmocka_unit_test(read_only_members_equal_to_stored_pass),
		cmocka_unit_test(every_violation_is_reported),
		cmocka_unit_test(name_length_counts_code_points),
		cmocka_unit_test(invalid_utf8_is_refused),
		cmocka_unit_test(merge_patch_rules),
		cmocka_unit_test(replace_needs_every_required_field),
		cmocka_unit_test(diff_names_changed_fields),
		cmocka_unit_test(model_json_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
