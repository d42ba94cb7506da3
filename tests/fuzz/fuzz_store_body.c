/*
 * libFuzzer target: a request body as store-svc takes it. The bytes are
 * parsed the way common/httpd.c parses a body (json_loadb with repeated
 * members refused); an object then goes through every check of the
 * validator: a create, a replace and a merge patch onto a stored store,
 * and the menu item check of the menu endpoints. The raw bytes also go
 * through the UTF-8 counter every text field uses.
 *
 * Crashes, leaks, sanitizer reports and a valid result that breaks the
 * model's own limits are the findings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store-svc/store.h"
#include "store-svc/store_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A stored store with a menu and hours, built once through the validator. */
static struct store cur;
static int have_cur;

static const char seed_store[] =
	"{\"owner\":\"owner-1\",\"name\":\"김밥천국 역삼점\",\"category\":\"korean\","
	"\"phone\":\"02-555-0101\",\"address\":{\"road\":\"서울 강남구 테헤란로 123\","
	"\"detail\":\"1층\",\"postal_code\":\"06236\"},\"area\":\"gangnam-yeoksam\","
	"\"hours\":{\"mon\":[{\"open\":\"09:00\",\"close\":\"15:00\"},"
	"{\"open\":\"17:00\",\"close\":\"02:00\"}],\"tue\":[],\"wed\":[],"
	"\"thu\":[{\"open\":\"00:00\",\"close\":\"24:00\"}],\"fri\":[],\"sat\":[],"
	"\"sun\":[]},\"status\":\"paused\",\"status_reason\":\"재료 소진\","
	"\"min_order\":12000,\"delivery_fee\":3000,\"description\":\"포장 가능\","
	"\"menu\":[{\"name\":\"참치김밥\",\"price\":4500,\"groups\":[{\"name\":\"맵기\","
	"\"min\":1,\"max\":1,\"options\":[{\"name\":\"순한맛\"},"
	"{\"name\":\"매운맛\",\"price\":500}]}]},{\"name\":\"라면\",\"price\":4000}]}";

static void make_cur(void)
{
	struct store_errors errs;
	json_t *doc = json_loads(seed_store, 0, NULL);

	memset(&errs, 0, sizeof(errs));
	if (doc == NULL || store_validate_doc(doc, STORE_CHECK_CREATE, NULL,
					      &cur, &errs) != 0)
		abort(); /* the seed itself must be valid */
	json_decref(doc);
	cur.id = 42;
	cur.version = 7;
	snprintf(cur.created_at, sizeof(cur.created_at), "2026-11-24T10:00:00.123Z");
	snprintf(cur.updated_at, sizeof(cur.updated_at), "2026-11-24T10:05:00.456Z");
	have_cur = 1;
}

/* A valid result must fit the model (and serialize). */
static void check_result(struct store *out)
{
	json_t *j;

	if (strlen(out->name) == 0 || strlen(out->owner) == 0)
		abort();
	if (out->min_order < 0 || out->min_order > STORE_MIN_ORDER_MAX ||
	    out->delivery_fee < 0 || out->delivery_fee > STORE_FEE_MAX)
		abort();
	j = store_model_to_json(out);
	if (j == NULL)
		abort();
	json_decref(j);
	store_model_clear(out);
}

static void run_mode(const json_t *doc, enum store_check mode)
{
	struct store out;
	struct store_errors errs;
	json_t *problem;

	memset(&out, 0, sizeof(out));
	memset(&errs, 0, sizeof(errs));
	if (store_validate_doc(doc, mode, mode == STORE_CHECK_CREATE ? NULL : &cur,
			       &out, &errs) == 0) {
		if (errs.n != 0)
			abort();
		check_result(&out);
		return;
	}
	if (errs.n == 0)
		abort(); /* refused without saying why */
	problem = store_validate_problem(&errs);
	if (problem == NULL)
		abort();
	json_decref(problem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *doc;
	size_t count;
	int control = 0;

	if (!have_cur)
		make_cur();
	(void)store_validate_utf8((const char *)data, size, &count, &control);

	doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return 0;
	if (json_is_object(doc)) {
		struct store_errors errs;
		json_t *item;

		run_mode(doc, STORE_CHECK_CREATE);
		run_mode(doc, STORE_CHECK_REPLACE);
		run_mode(doc, STORE_CHECK_PATCH);

		memset(&errs, 0, sizeof(errs));
		item = store_validate_menu_item(doc, "", 3, &errs);
		if (item == NULL && errs.n == 0)
			abort();
		json_decref(item);
	}
	/* The merge patch itself takes any JSON value on either side. */
	{
		json_t *base = store_model_to_json(&cur);
		json_t *merged = store_validate_merge_patch(base, doc);

		json_decref(merged);
		merged = store_validate_merge_patch(doc, base);
		json_decref(merged);
		json_decref(base);
	}
	json_decref(doc);
	return 0;
}
