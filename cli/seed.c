#include "cli/seed.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "api/client.h"

#define SEED_TIMEOUT_MS 5000

struct seed_store {
	const char *owner;
	const char *name;
	const char *category;
	const char *phone;
	const char *status;
};

static const struct seed_store seed_stores[] = {
	{ "owner-1", "김밥천국 역삼점", "korean", "02-555-0101", "open" },
	{ "owner-1", "교촌치킨 강남점", "chicken", "02-555-0102", "open" },
	{ "owner-1", "스타벅스 역삼역점", "cafe", "02-555-0103", "open" },
	{ "owner-1", "홍콩반점 선릉점", "chinese", "02-555-0104", "closed" },
	{ "owner-2", "도미노피자 삼성점", "pizza", "02-555-0201", "open" },
	{ "owner-2", "스시히로바 강남역점", "japanese", "02-555-0202", "open" },
	{ "owner-2", "버거킹 테헤란로점", "burger", "02-555-0203", "open" },
	{ "owner-2", "설빙 신논현점", "dessert", "02-555-0204", "closed" },
	{ "owner-3", "신전떡볶이 논현점", "snack", "02-555-0301", "open" },
	{ "owner-3", "본죽 대치점", "korean", "02-555-0302", "open" },
	{ "owner-3", "빕스 코엑스점", "western", "02-555-0303", "open" },
	{ "owner-3", "반찬가게 정담", "other", "02-555-0304", "closed" },
};

#define SEED_COUNT (sizeof(seed_stores) / sizeof(seed_stores[0]))

/* Marks in have[] the seed stores whose names the service already holds. */
static int seed_mark_existing(struct api_client *c, int *have, char *err,
			      size_t errlen)
{
	struct api_result res = { 0 };
	json_t *stores;
	json_t *item;
	size_t i;

	if (api_stores_list(c, NULL, &res) != 0 ||
	    res.status != 200) {
		snprintf(err, errlen, "listing stores failed: %s%s",
			 res.status ? "" : "no answer: ", res.error);
		api_result_clear(&res);
		return -1;
	}
	stores = json_object_get(res.body, "stores");
	json_array_foreach(stores, i, item) {
		const char *name = json_string_value(json_object_get(item,
								     "name"));

		for (size_t k = 0; name != NULL && k < SEED_COUNT; k++)
			if (strcmp(name, seed_stores[k].name) == 0)
				have[k] = 1;
	}
	api_result_clear(&res);
	return 0;
}

int seed_demo_stores(const char *store_url, const char *token,
		     volatile sig_atomic_t *cancel, char *err, size_t errlen)
{
	struct api_client *c = api_client_new(store_url, token,
					      SEED_TIMEOUT_MS);
	int have[SEED_COUNT] = { 0 };
	int created = 0;

	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (seed_mark_existing(c, have, err, errlen))
		goto fail;
	for (size_t k = 0; k < SEED_COUNT; k++) {
		const struct seed_store *s = &seed_stores[k];
		struct api_result res = { 0 };
		json_t *body;
		int rc;

		if (have[k])
			continue;
		if (cancel != NULL && *cancel) {
			snprintf(err, errlen, "interrupted while seeding");
			goto fail;
		}
		body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "owner", s->owner,
				 "name", s->name, "category", s->category,
				 "phone", s->phone, "status", s->status);
		if (body == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		rc = api_store_create(c, body, &res);
		json_decref(body);
		if (rc != 0 || res.status / 100 != 2) {
			if (rc != 0)
				snprintf(err, errlen, "creating \"%s\": no answer: %s",
					 s->name, res.error);
			else
				snprintf(err, errlen, "creating \"%s\": HTTP %ld: %s",
					 s->name, res.status, res.error);
			api_result_clear(&res);
			goto fail;
		}
		api_result_clear(&res);
		created++;
	}
	api_client_free(c);
	return created;
fail:
	api_client_free(c);
	return -1;
}
