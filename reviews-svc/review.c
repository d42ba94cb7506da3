#include "reviews-svc/review.h"

#include <math.h>
#include <string.h>

#include "common/clock.h"

static const char *const members[] = { "user", "rating", "text", NULL };

static int user_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > REVIEW_USER_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_.@-", s[i])))
			return 0;
	return 1;
}

int reviews_check(const json_t *body, struct review *r,
		  struct ds_violation *v)
{
	int64_t rating;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(body))
		return ds_violate(v, "", "type", "the body must be a JSON object");
	if (ds_check_members(body, members, v) ||
	    ds_check_text(body, "user", 1, REVIEW_USER_MAX, 0, r->user,
			  sizeof(r->user), v))
		return -1;
	if (!user_ok(r->user))
		return ds_violate(v, "user", "pattern",
				  "user must be 1-64 characters A-Z, a-z, 0-9, _, ., @ and -");
	if (ds_check_int(body, "rating", 1, 5, &rating, v) ||
	    ds_check_text(body, "text", 0, REVIEW_TEXT_MAX, 1, r->text,
			  sizeof(r->text), v))
		return -1;
	r->rating = (int)rating;
	return 0;
}

double reviews_average(int64_t count, int64_t sum)
{
	if (count <= 0)
		return 0;
	return round((double)sum * 100.0 / (double)count) / 100.0;
}

json_t *reviews_json(const struct review *r)
{
	char at[32];

	clock_format_iso(r->created_at_ms, at, sizeof(at));
	return json_pack("{s:I, s:I, s:s, s:i, s:s, s:s}", "id",
			 (json_int_t)r->id, "store_id", (json_int_t)r->store_id,
			 "user", r->user, "rating", r->rating, "text", r->text,
			 "created_at", at);
}

json_t *reviews_summary_json(const struct review_summary *s)
{
	/* No reviews, no average: null, as display-svc's documents say. */
	return json_pack("{s:I, s:I, s:o, s:I}", "store_id",
			 (json_int_t)s->store_id, "count", (json_int_t)s->count,
			 "average", s->count > 0
					    ? json_real(reviews_average(s->count, s->sum))
					    : json_null(),
			 "version", (json_int_t)s->version);
}
