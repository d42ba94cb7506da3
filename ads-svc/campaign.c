#include "ads-svc/campaign.h"

#include <stdio.h>
#include <string.h>

#include "common/clock.h"

static const char *const members[] = {
	"store_id", "area", "bid", "starts_at", "ends_at", NULL,
};

/* 1 when text is a district code (the rule of store-svc's "area"). */
static int area_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > ADS_AREA_MAX || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* An ISO time member into *ms; absent leaves *ms and returns 1. */
static int time_of(const json_t *body, const char *member, double *ms,
		   struct ds_violation *v)
{
	const json_t *j = json_object_get(body, member);

	if (j == NULL || json_is_null(j))
		return 1;
	if (!json_is_string(j))
		return ds_violate(v, member, "type",
				  "%s must be a time like \"2026-11-24T10:00:00Z\"",
				  member);
	if (clock_parse_iso(json_string_value(j), ms))
		return ds_violate(v, member, "format",
				  "%s must be a UTC time like \"2026-11-24T10:00:00Z\"",
				  member);
	return 0;
}

int ads_campaign_check(const json_t *body, double now_ms,
		       struct ads_campaign *c, struct ds_violation *v)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(body))
		return ds_violate(v, "", "type", "the body must be a JSON object");
	if (ds_check_members(body, members, v) ||
	    ds_check_int(body, "store_id", 1, INT64_MAX / 2, &c->store_id, v) ||
	    ds_check_text(body, "area", 2, ADS_AREA_MAX, 0, c->area,
			  sizeof(c->area), v))
		return -1;
	if (!area_ok(c->area))
		return ds_violate(v, "area", "pattern",
				  "area must be a district code of 2-32 characters a-z, 0-9 and - (not first)");
	if (ds_check_int(body, "bid", 1, ADS_BID_MAX, &c->bid, v))
		return -1;
	c->starts_at_ms = now_ms;
	if (time_of(body, "starts_at", &c->starts_at_ms, v) < 0)
		return -1;
	rc = time_of(body, "ends_at", &c->ends_at_ms, v);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return ds_violate(v, "ends_at", "required", "ends_at is required");
	if (c->ends_at_ms <= now_ms)
		return ds_violate(v, "ends_at", "range",
				  "ends_at must be in the future");
	if (c->ends_at_ms <= c->starts_at_ms)
		return ds_violate(v, "ends_at", "order",
				  "ends_at must be after starts_at");
	c->created_at_ms = now_ms;
	return 0;
}

enum ads_status ads_campaign_status(const struct ads_campaign *c,
				    double now_ms)
{
	if (c->ended_at_ms > 0 || now_ms >= c->ends_at_ms)
		return ADS_ENDED;
	if (now_ms < c->starts_at_ms)
		return ADS_SCHEDULED;
	return ADS_ACTIVE;
}

const char *ads_status_name(enum ads_status s)
{
	switch (s) {
	case ADS_SCHEDULED: return "scheduled";
	case ADS_ACTIVE: return "active";
	case ADS_ENDED: return "ended";
	}
	return "?";
}

static json_t *iso(double ms)
{
	char buf[32];

	if (ms <= 0)
		return json_null();
	clock_format_iso(ms, buf, sizeof(buf));
	return json_string(buf);
}

json_t *ads_campaign_json(const struct ads_campaign *c, double now_ms)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:o, s:o, s:o, s:s, s:o}", "id",
			 (json_int_t)c->id, "store_id", (json_int_t)c->store_id,
			 "area", c->area, "bid", (json_int_t)c->bid,
			 "starts_at", iso(c->starts_at_ms), "ends_at",
			 iso(c->ends_at_ms), "ended_at", iso(c->ended_at_ms),
			 "status", ads_status_name(ads_campaign_status(c, now_ms)),
			 "created_at", iso(c->created_at_ms));
}
