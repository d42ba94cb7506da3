/* Opening hours: seven days of periods that must not contradict each other,
 * overnight periods included. */
#include "store-svc/store_validate_priv.h"

#include <string.h>

static const char *const range_members[] = { "open", "close", NULL };

/* "HH:MM" into minutes; "24:00" only when end. -1 when malformed. */
static int parse_clock(const char *s, int end)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (end && h == 24 && m == 0)
		return 24 * 60;
	if (h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

static int check_clock(const json_t *range, const char *prefix,
		       const char *member, int end, struct store_errors *errs)
{
	json_t *v = json_object_get(range, member);
	char field[64];
	int minutes;

	store_vfield(field, sizeof(field), prefix, member);
	if (v == NULL) {
		store_verr(errs, field, "required", "%s is required", field);
		return -1;
	}
	if (!json_is_string(v)) {
		store_verr(errs, field, "type",
			   "%s must be a time like \"09:30\"", field);
		return -1;
	}
	minutes = parse_clock(json_string_value(v), end);
	if (minutes < 0) {
		store_verr(errs, field, "format",
			   end ? "%s must be a time from \"00:00\" to \"24:00\", like \"21:30\""
			       : "%s must be a time from \"00:00\" to \"23:59\", like \"09:30\"",
			   field);
		return -1;
	}
	return minutes;
}

/* End of a period in minutes after the day's midnight (may pass 1440). */
static int range_end(const struct store_range *r)
{
	return r->close > r->open ? r->close : r->close + 24 * 60;
}

static void check_day(const json_t *v, const char *prefix,
		      struct store_day *day, struct store_errors *errs)
{
	size_t before = errs->n + errs->dropped;
	size_t i;
	json_t *range;

	if (!json_is_array(v)) {
		store_verr(errs, prefix, "type",
			   "%s must be a list of periods like [{\"open\":\"09:00\",\"close\":\"21:00\"}] ([] when closed)",
			   prefix);
		return;
	}
	if (json_array_size(v) > STORE_RANGES_MAX) {
		store_verr(errs, prefix, "length",
			   "%s may have at most %d periods, not %zu", prefix,
			   STORE_RANGES_MAX, json_array_size(v));
		return;
	}
	day->n = 0;
	json_array_foreach(v, i, range) {
		char field[64];
		int open, close;

		store_vindex(field, sizeof(field), prefix, i);
		if (!json_is_object(range)) {
			store_verr(errs, field, "type",
				   "%s must be an object like {\"open\":\"09:00\",\"close\":\"21:00\"}",
				   field);
			continue;
		}
		store_vunknown(range, field, range_members,
			       "a period has open and close", errs);
		open = check_clock(range, field, "open", 0, errs);
		close = check_clock(range, field, "close", 1, errs);
		if (open < 0 || close < 0)
			continue;
		if (open == close) {
			store_verr(errs, field, "empty",
				   "%s opens and closes at the same time; use 00:00-24:00 for all day",
				   field);
			continue;
		}
		day->r[day->n].open = (int16_t)open;
		day->r[day->n].close = (int16_t)close;
		day->n++;
	}
	if (errs->n + errs->dropped != before)
		return;
	for (i = 0; i < day->n; i++) {
		const struct store_range *r = &day->r[i];
		char field[64];

		store_vindex(field, sizeof(field), prefix, i);
		if (range_end(r) > 24 * 60 && i + 1 < day->n) {
			store_verr(errs, field, "order",
				   "%s runs past midnight, so it must be the day's last period",
				   field);
			return;
		}
		if (i == 0)
			continue;
		if (r->open < day->r[i - 1].open) {
			store_verr(errs, field, "order",
				   "%s starts before the period above it; list periods in time order",
				   field);
			return;
		}
		if (r->open < range_end(&day->r[i - 1])) {
			store_verr(errs, field, "overlap",
				   "%s starts before the period above it ends",
				   field);
			return;
		}
	}
}

int store_vhours(const json_t *v, const char *field, struct store_hours *out,
		 struct store_errors *errs)
{
	static const char *const days[] = {
		"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL,
	};
	size_t before = errs->n + errs->dropped;
	char name[64];

	memset(out, 0, sizeof(*out));
	if (!json_is_object(v)) {
		store_verr(errs, field, "type",
			   "%s must be an object with mon, tue, wed, thu, fri, sat and sun",
			   field);
		return -1;
	}
	for (int d = 0; d < STORE_DAYS; d++) {
		json_t *day = json_object_get(v, store_day_names[d]);

		store_vfield(name, sizeof(name), field, store_day_names[d]);
		if (day == NULL) {
			store_verr(errs, name, "required",
				   "%s is required ([] when closed that day)",
				   name);
			continue;
		}
		check_day(day, name, &out->day[d], errs);
	}
	store_vunknown(v, field, days,
		       "hours has mon, tue, wed, thu, fri, sat and sun", errs);
	if (errs->n + errs->dropped != before)
		return -1;

	/* An overnight period must end before the next day's first one. */
	for (int d = 0; d < STORE_DAYS; d++) {
		const struct store_day *day = &out->day[d];
		const struct store_day *next = &out->day[(d + 1) % STORE_DAYS];
		int spill;

		if (day->n == 0 || next->n == 0)
			continue;
		spill = range_end(&day->r[day->n - 1]) - 24 * 60;
		if (spill > next->r[0].open) {
			char at[8];

			store_vfield(name, sizeof(name), field,
				     store_day_names[(d + 1) % STORE_DAYS]);
			strcat(name, "[0]");
			at[0] = (char)('0' + spill / 600);
			at[1] = (char)('0' + spill / 60 % 10);
			at[2] = ':';
			at[3] = (char)('0' + spill % 60 / 10);
			at[4] = (char)('0' + spill % 10);
			at[5] = '\0';
			store_verr(errs, name, "overlap",
				   "%s starts before %s's last period ends at %s",
				   name, store_day_names[d], at);
		}
	}
	if (errs->n + errs->dropped != before)
		return -1;
	out->set = 1;
	return 0;
}

int store_validate_hours(const json_t *v, struct store_hours *out,
			 struct store_errors *errs)
{
	memset(errs, 0, sizeof(*errs));
	return store_vhours(v, "hours", out, errs);
}
