/* JSON merge patch (RFC 7396) and the document a PATCH of a store leads to. */
#include "store-svc/store_validate_priv.h"

#include <string.h>

json_t *store_validate_merge_patch(const json_t *target, const json_t *patch)
{
	json_t *result;
	const char *key;
	json_t *v;

	if (!json_is_object(patch))
		return json_deep_copy(patch);
	result = json_is_object(target) ? json_deep_copy(target) : json_object();
	if (result == NULL)
		return NULL;
	json_object_foreach((json_t *)patch, key, v) {
		json_t *merged;

		if (json_is_null(v)) {
			json_object_del(result, key);
			continue;
		}
		merged = store_validate_merge_patch(json_object_get(result, key),
						    v);
		if (merged == NULL || json_object_set_new(result, key, merged)) {
			json_decref(result);
			return NULL;
		}
	}
	return result;
}

json_t *store_validate_patched(const json_t *patch, const struct store *cur)
{
	static const char *const readonly[] = {
		"id", "version", "created_at", "updated_at", NULL,
	};
	json_t *base = store_model_to_json(cur);
	json_t *p = json_deep_copy(patch);
	json_t *merged = NULL;

	if (base == NULL || p == NULL)
		goto out;
	for (size_t i = 0; readonly[i] != NULL; i++)
		json_object_del(p, readonly[i]);
	/* Reopening a paused store must not drag its reason along. */
	if (json_object_get(p, "status") != NULL &&
	    json_object_get(p, "status_reason") == NULL)
		json_object_set_new(p, "status_reason", json_null());
	merged = store_validate_merge_patch(base, p);
out:
	json_decref(base);
	json_decref(p);
	return merged;
}
