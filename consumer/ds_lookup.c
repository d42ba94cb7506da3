#include "consumer/ds_lookup.h"

#include <stdio.h>

#include "api/client.h"

enum ds_store_state ds_store_lookup(const char *base_url, const char *token,
				    int64_t id, json_t **store,
				    int64_t *deleted_version, char *err,
				    size_t errlen)
{
	/* One client per call: handlers run on several threads and a
	 * client belongs to one (api/client.h). */
	struct api_client *api = api_client_new(base_url, token,
						DS_LOOKUP_TIMEOUT_MS);
	struct api_result res = { 0 };
	enum ds_store_state state;

	if (store != NULL)
		*store = NULL;
	if (deleted_version != NULL)
		*deleted_version = 0;
	if (api == NULL) {
		snprintf(err, errlen, "out of memory");
		return DS_STORE_UNAVAILABLE;
	}
	if (api_store_get(api, id, &res) != 0) {
		snprintf(err, errlen, "store API unreachable: %s", res.error);
		state = DS_STORE_UNAVAILABLE;
	} else if (res.status == 200 && json_is_object(res.body)) {
		if (store != NULL)
			*store = json_incref(res.body);
		state = DS_STORE_FOUND;
	} else if (res.status == 410) {
		json_t *v = json_object_get(res.body, "version");

		if (deleted_version != NULL)
			*deleted_version = json_is_integer(v)
						   ? (int64_t)json_integer_value(v)
						   : res.etag_version;
		state = DS_STORE_DELETED;
	} else if (res.status == 404) {
		state = DS_STORE_MISSING;
	} else {
		snprintf(err, errlen, "store API answered %ld: %s", res.status,
			 res.error);
		state = DS_STORE_UNAVAILABLE;
	}
	api_result_clear(&res);
	api_client_free(api);
	return state;
}

enum ds_store_state ds_store_known(const struct ds_copy_ops *copy,
				   const char *base_url, const char *token,
				   int64_t id, char *err, size_t errlen)
{
	enum ds_store_state held, asked;
	json_t *store = NULL;
	int64_t version = 0;

	if (copy->state(copy->ctx, id, &held)) {
		snprintf(err, errlen, "the service's database failed");
		return DS_STORE_UNAVAILABLE;
	}
	if (held != DS_STORE_MISSING)
		return held;
	asked = ds_store_lookup(base_url, token, id, &store, &version, err,
				errlen);
	if (asked == DS_STORE_FOUND && copy->put(copy->ctx, store)) {
		snprintf(err, errlen, "the service's database failed");
		asked = DS_STORE_UNAVAILABLE;
	} else if (asked == DS_STORE_DELETED &&
		   copy->tombstone(copy->ctx, id, version)) {
		snprintf(err, errlen, "the service's database failed");
		asked = DS_STORE_UNAVAILABLE;
	}
	json_decref(store);
	return asked;
}
