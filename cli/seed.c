/* Seeding: the generated demo stores, created through the store API. */
#include "cli/seed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"

#define SEED_TIMEOUT_MS 5000
#define SEED_PAGE 1000

/*
 * Marks in have[] the generated stores whose names the service already
 * holds, reading every page of GET /stores.
 */
static int seed_mark_existing(struct api_client *c,
			      const struct seed_store *stores, size_t n,
			      int *have, char *err, size_t errlen)
{
	int64_t after = 0;

	for (;;) {
		struct api_result res = { 0 };
		char query[64];
		json_t *list, *item;
		size_t i, got;

		snprintf(query, sizeof(query), "limit=%d&after=%" PRId64,
			 SEED_PAGE, after);
		if (api_stores_list(c, query, &res) != 0 || res.status != 200) {
			snprintf(err, errlen, "listing stores failed: %s%s",
				 res.status ? "" : "no answer: ", res.error);
			api_result_clear(&res);
			return -1;
		}
		list = json_object_get(res.body, "stores");
		got = json_array_size(list);
		json_array_foreach(list, i, item) {
			const char *name = json_string_value(
				json_object_get(item, "name"));
			json_int_t id = json_integer_value(
				json_object_get(item, "id"));

			if (id > after)
				after = id;
			for (size_t k = 0; name != NULL && k < n; k++)
				if (strcmp(name, stores[k].name) == 0)
					have[k] = 1;
		}
		api_result_clear(&res);
		if (got < SEED_PAGE)
			return 0;
	}
}

int seed_demo_stores(const char *store_url, const char *token,
		     volatile sig_atomic_t *cancel, char *err, size_t errlen)
{
	struct seed_store *stores = calloc(SEED_STORES, sizeof(*stores));
	int *have = calloc(SEED_STORES, sizeof(*have));
	struct api_client *c = api_client_new(store_url, token,
					      SEED_TIMEOUT_MS);
	int created = 0;

	if (stores == NULL || have == NULL || c == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (seed_generate(stores, SEED_STORES) != SEED_STORES) {
		snprintf(err, errlen, "the demo data generator cannot make %d stores",
			 SEED_STORES);
		goto fail;
	}
	if (seed_mark_existing(c, stores, SEED_STORES, have, err, errlen))
		goto fail;
	for (size_t k = 0; k < SEED_STORES; k++) {
		const struct seed_store *s = &stores[k];
		struct api_result res = { 0 };
		json_t *body;
		int rc;

		if (have[k])
			continue;
		if (cancel != NULL && *cancel) {
			snprintf(err, errlen, "interrupted while seeding");
			goto fail;
		}
		body = seed_store_json(s, SEED_API_FIELDS);
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
	free(stores);
	free(have);
	return created;
fail:
	api_client_free(c);
	free(stores);
	free(have);
	return -1;
}
