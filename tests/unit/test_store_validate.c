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

/* Validates text as mode against cur into *out; fails the test if refused. */
static void accept(const char *text, enum store_check mode,
		   const struct store *cur, struct store *out)
{
	json_t *doc = parse(text);
	struct store_errors errs;

	if (store_validate_doc(doc, mode, cur, out, &errs))
		fail_msg("refused %s: %s %s: %s", text, errs.v[0].field,
			 errs.v[0].rule, errs.v[0].detail);
	json_decref(doc);
}

#define WEEK(mon, tue) \
	"\"hours\":{\"mon\":" mon ",\"tue\":" tue ",\"wed\":[],\"thu\":[]," \
	"\"fri\":[],\"sat\":[],\"sun\":[]}"

static void hours_rules(void **state)
{
	struct store out;

	(void)state;
	accept("{" BASE "," WEEK("[{\"open\":\"09:00\",\"close\":\"15:00\"},"
				 "{\"open\":\"17:00\",\"close\":\"02:00\"}]",
				 "[{\"open\":\"02:00\",\"close\":\"24:00\"}]") "}",
	       STORE_CHECK_CREATE, NULL, &out);
	assert_true(out.hours.set);
	assert_int_equal(out.hours.day[0].n, 2);
	assert_int_equal(out.hours.day[0].r[1].open, 17 * 60);
	assert_int_equal(out.hours.day[0].r[1].close, 2 * 60);
	assert_int_equal(out.hours.day[1].r[0].close, 24 * 60);
	assert_int_equal(out.hours.day[2].n, 0);
	store_model_clear(&out);

	expect_create("{" BASE ",\"hours\":[]}", "hours", "type");
	expect_create("{" BASE ",\"hours\":{\"mon\":[]}}", "hours.tue", "required");
	expect_create("{" BASE "," WEEK("[{\"open\":\"9:00\",\"close\":\"10:00\"}]", "[]") "}",
		      "hours.mon[0].open", "format");
	expect_create("{" BASE "," WEEK("[{\"open\":\"09:00\",\"close\":\"09:00\"}]", "[]") "}",
		      "hours.mon[0]", "empty");
	expect_create("{" BASE "," WEEK("[{\"open\":\"20:00\",\"close\":\"01:00\"},"
					"{\"open\":\"02:00\",\"close\":\"03:00\"}]", "[]") "}",
		      "hours.mon[0]", "order");
	expect_create("{" BASE "," WEEK("[{\"open\":\"09:00\",\"close\":\"12:00\"},"
					"{\"open\":\"11:00\",\"close\":\"13:00\"}]", "[]") "}",
		      "hours.mon[1]", "overlap");
	/* Monday's night runs into Tuesday's morning. */
	expect_create("{" BASE "," WEEK("[{\"open\":\"20:00\",\"close\":\"03:00\"}]",
					"[{\"open\":\"02:59\",\"close\":\"10:00\"}]") "}",
		      "hours.tue[0]", "overlap");
	/* Ending exactly when the next day opens is fine. */
	accept("{" BASE "," WEEK("[{\"open\":\"20:00\",\"close\":\"03:00\"}]",
				 "[{\"open\":\"03:00\",\"close\":\"10:00\"}]") "}",
	       STORE_CHECK_CREATE, NULL, &out);
	store_model_clear(&out);
}

static void address_area_money_rules(void **state)
{
	struct store out;

	(void)state;
	accept("{" BASE ",\"address\":{\"road\":\" 테헤란로 1 \",\"postal_code\":\"06236\"},"
	       "\"area\":\"1168010100\",\"min_order\":0,\"delivery_fee\":100000}",
	       STORE_CHECK_CREATE, NULL, &out);
	assert_string_equal(out.address.road, "테헤란로 1");
	assert_string_equal(out.address.detail, "");
	assert_string_equal(out.area, "1168010100");
	assert_int_equal(out.delivery_fee, 100000);
	store_model_clear(&out);
	expect_create("{" BASE ",\"address\":{}}", "address.road", "required");
	expect_create("{" BASE ",\"address\":{\"road\":\"r\",\"postal_code\":\"0623\"}}",
		      "address.postal_code", "pattern");
	expect_create("{" BASE ",\"area\":\"x\"}", "area", "length");
	expect_create("{" BASE ",\"area\":\"강남\"}", "area", "pattern");
	expect_create("{" BASE ",\"min_order\":1000001}", "min_order", "range");
	expect_create("{" BASE ",\"min_order\":15}", "min_order", "step");
	expect_create("{" BASE ",\"min_order\":1e3}", "min_order", "type");
	expect_create("{" BASE ",\"delivery_fee\":-10}", "delivery_fee", "range");
	expect_create("{" BASE ",\"description\":\"a\\u0007\"}", "description",
		      "control");
}

static void status_reason_rules(void **state)
{
	struct store paused, out;

	(void)state;
	expect_create("{" BASE ",\"status\":\"paused\"}", "status_reason",
		      "required");
	expect_create("{" BASE ",\"status_reason\":\"why\"}", "status_reason",
		      "forbidden");
	accept("{" BASE ",\"status\":\"closed\",\"status_reason\":\"휴무\"}",
	       STORE_CHECK_CREATE, NULL, &out);
	store_model_clear(&out);
	accept("{\"status\":\"paused\",\"status_reason\":\"재료 소진\"}",
	       STORE_CHECK_PATCH, stored(), &paused);
	assert_string_equal(paused.status_reason, "재료 소진");
	/* Reopening drops the reason; a new reason can come with a status. */
	accept("{\"status\":\"open\"}", STORE_CHECK_PATCH, &paused, &out);
	assert_string_equal(out.status_reason, "");
	assert_int_equal(store_validate_diff(&paused, &out), STORE_F_STATUS);
	store_model_clear(&out);
	accept("{\"status\":\"closed\",\"status_reason\":\"휴무\"}",
	       STORE_CHECK_PATCH, &paused, &out);
	assert_string_equal(out.status_reason, "휴무");
	store_model_clear(&out);
	/* A patch that does not touch status keeps the reason. */
	accept("{\"name\":\"n\"}", STORE_CHECK_PATCH, &paused, &out);
	assert_string_equal(out.status_reason, "재료 소진");
	store_model_clear(&out);
	store_model_clear(&paused);
}

#define ITEM(name, price) "{\"name\":\"" name "\",\"price\":" #price "}"

static void menu_ids_and_defaults(void **state)
{
	struct store first, second;
	json_t *item;

	(void)state;
	accept("{" BASE ",\"menu\":[" ITEM("김밥", 3000) ",{\"name\":\"라면\","
	       "\"price\":4000,\"sold_out\":true,\"description\":\" 매움 \","
	       "\"groups\":[{\"name\":\"맵기\",\"options\":[{\"name\":\"보통\"},"
	       "{\"name\":\"아주\",\"price\":500}]}]}]}",
	       STORE_CHECK_CREATE, NULL, &first);
	assert_int_equal(json_array_size(first.menu), 2);
	assert_int_equal(first.menu_seq, 2);
	item = json_array_get(first.menu, 1);
	assert_int_equal(json_integer_value(json_object_get(item, "id")), 2);
	assert_true(json_is_true(json_object_get(item, "sold_out")));
	assert_string_equal(json_string_value(json_object_get(item, "description")),
			    "매움");
	item = json_array_get(json_object_get(item, "groups"), 0);
	assert_int_equal(json_integer_value(json_object_get(item, "min")), 0);
	assert_int_equal(json_integer_value(json_object_get(item, "max")), 1);
	item = json_array_get(first.menu, 0);
	assert_true(json_is_false(json_object_get(item, "sold_out")));
	assert_null(json_object_get(item, "groups"));

	/* Kept ids stay, new items continue after the highest ever given. */
	first.id = 42;
	first.version = 3;
	accept("{\"menu\":[{\"id\":2,\"name\":\"라면\",\"price\":4500}," ITEM("쫄면", 5000) "]}",
	       STORE_CHECK_PATCH, &first, &second);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(second.menu, 0), "id")), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(second.menu, 1), "id")), 3);
	assert_int_equal(second.menu_seq, 3);
	assert_int_equal(store_validate_diff(&first, &second), STORE_F_MENU);
	store_model_clear(&second);

	expect_doc(parse("{\"menu\":[{\"id\":7,\"name\":\"x\",\"price\":10}]}"),
		   STORE_CHECK_PATCH, &first, "menu[0].id", "read-only");
	expect_doc(parse("{\"menu\":[{\"id\":1,\"name\":\"x\",\"price\":10},"
			 "{\"id\":1,\"name\":\"y\",\"price\":10}]}"),
		   STORE_CHECK_PATCH, &first, "menu[1].id", "duplicate");
	/* An empty menu is no menu. */
	accept("{\"menu\":[]}", STORE_CHECK_PATCH, &first, &second);
	assert_null(second.menu);
	assert_int_equal(second.menu_seq, 2);
	store_model_clear(&second);
	/* A patch without menu keeps it, a PUT without menu empties it. */
	accept("{\"name\":\"x\"}", STORE_CHECK_PATCH, &first, &second);
	assert_true(json_equal(first.menu, second.menu));
	store_model_clear(&second);
	accept("{" BASE ",\"status\":\"open\"}", STORE_CHECK_REPLACE, &first,
	       &second);
	assert_null(second.menu);
	store_model_clear(&second);
	store_model_clear(&first);
}

static void menu_item_rules(void **state)
{
	struct store_errors errs;
	json_t *doc, *item;

	(void)state;
	memset(&errs, 0, sizeof(errs));
	doc = parse(ITEM("김밥", 3000));
	item = store_validate_menu_item(doc, "", 5, &errs);
	assert_non_null(item);
	assert_int_equal(json_integer_value(json_object_get(item, "id")), 5);
	json_decref(item);
	json_decref(doc);

	expect_create("{" BASE ",\"menu\":[{\"name\":\"x\",\"price\":10,"
		      "\"groups\":[{\"name\":\"g\",\"min\":1,\"max\":2,"
		      "\"options\":[{\"name\":\"a\"}]}]}]}",
		      "menu[0].groups[0].max", "range");
	expect_create("{" BASE ",\"menu\":[{\"name\":\"x\",\"price\":10,"
		      "\"groups\":[{\"name\":\"g\",\"min\":2,\"max\":1,"
		      "\"options\":[{\"name\":\"a\"},{\"name\":\"b\"}]}]}]}",
		      "menu[0].groups[0].min", "range");
	expect_create("{" BASE ",\"menu\":[{\"name\":\"x\",\"price\":10,"
		      "\"groups\":[{\"name\":\"g\",\"options\":[{\"name\":\"a\"},"
		      "{\"name\":\" a \"}]}]}]}",
		      "menu[0].groups[0].options[1].name", "duplicate");
	expect_create("{" BASE ",\"menu\":[{\"name\":\"x\",\"price\":10,"
		      "\"groups\":[]},{\"price\":5}]}",
		      "menu[1].name", "required");
	expect_create("{" BASE ",\"menu\":{}}", "menu", "type");
}

static void merge_patch_rfc7396(void **state)
{
	/* The examples of RFC 7396, appendix A. */
	static const char *const cases[][3] = {
		{ "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
		{ "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}" },
		{ "{\"a\":\"b\"}", "{\"a\":null}", "{}" },
		{ "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}" },
		{ "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
		{ "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}" },
		{ "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
		  "{\"a\":{\"b\":\"d\"}}" },
		{ "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}" },
		{ "[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]" },
		{ "{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]" },
		{ "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}" },
		{ "[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}" },
		{ "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *target = parse(cases[i][0]);
		json_t *patch = parse(cases[i][1]);
		json_t *want = parse(cases[i][2]);
		json_t *got = store_validate_merge_patch(target, patch);

		if (!json_equal(got, want)) {
			char *text = json_dumps(got, JSON_COMPACT);

			fail_msg("case %zu: got %s, want %s", i, text,
				 cases[i][2]);
		}
		json_decref(target);
		json_decref(patch);
		json_decref(want);
		json_decref(got);
	}
}

/* What GET returns, PUT back unchanged, is the same store. */
static void representation_round_trip(void **state)
{
	struct store full, again;
	json_t *j;
	char *text;

	(void)state;
	accept("{" BASE ",\"phone\":\"02-123-4567\",\"address\":{\"road\":\"r\","
	       "\"detail\":\"d\",\"postal_code\":\"12345\"},\"area\":\"mapo\","
	       WEEK("[{\"open\":\"09:00\",\"close\":\"01:00\"}]", "[]") ","
	       "\"status\":\"closed\",\"status_reason\":\"공사\",\"min_order\":10,"
	       "\"delivery_fee\":20,\"description\":\"a\\nb\",\"menu\":["
	       ITEM("a", 10) "]}",
	       STORE_CHECK_CREATE, NULL, &full);
	full.id = 9;
	full.version = 4;
	strcpy(full.created_at, "2026-11-24T10:00:00.000Z");
	strcpy(full.updated_at, "2026-11-24T10:00:00.000Z");
	j = store_model_to_json(&full);
	text = json_dumps(j, JSON_COMPACT);
	accept(text, STORE_CHECK_REPLACE, &full, &again);
	assert_int_equal(store_validate_diff(&full, &again), 0);
	assert_int_equal(store_model_fields(&full),
			 STORE_F_OWNER | STORE_F_NAME | STORE_F_CATEGORY |
				 STORE_F_PHONE | STORE_F_STATUS |
				 STORE_F_ADDRESS | STORE_F_AREA |
				 STORE_F_HOURS | STORE_F_MIN_ORDER |
				 STORE_F_DELIVERY_FEE | STORE_F_DESCRIPTION |
				 STORE_F_MENU);
	free(text);
	json_decref(j);
	store_model_clear(&again);
	store_model_clear(&full);
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
		cmocka_unit_test(hours_rules),
		cmocka_unit_test(address_area_money_rules),
		cmocka_unit_test(status_reason_rules),
		cmocka_unit_test(menu_ids_and_defaults),
		cmocka_unit_test(menu_item_rules),
		cmocka_unit_test(merge_patch_rfc7396),
		cmocka_unit_test(representation_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
