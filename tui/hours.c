#include "tui/hours.h"

#include <stdio.h>
#include <string.h>

void tui_hours_format(const json_t *periods, char *buf, size_t len)
{
	size_t i, used = 0;
	const json_t *p;

	buf[0] = '\0';
	if (!json_is_array(periods) || json_array_size(periods) == 0) {
		snprintf(buf, len, "closed");
		return;
	}
	json_array_foreach(periods, i, p) {
		const char *open = json_string_value(json_object_get(p, "open"));
		const char *close =
			json_string_value(json_object_get(p, "close"));
		int n = snprintf(buf + used, len - used, "%s%s-%s",
				 i ? ", " : "", open ? open : "?",
				 close ? close : "?");

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

/*
 * "9:00" or "09:00" or "24:00" at *p; writes "HH:MM" into out. Returns 0,
 * -1 when it is no clock at all, -2 when it is one out of range (25:00).
 */
static int clock_at(const char **p, char out[6])
{
	const char *s = *p;
	int h = 0, m = 0, digits = 0;

	while (*s >= '0' && *s <= '9' && digits < 2) {
		h = h * 10 + (*s++ - '0');
		digits++;
	}
	if (digits == 0 || *s != ':')
		return -1;
	s++;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -2;
	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
	*p = s;
	return 0;
}

/* Length of the period at s (up to ',' or ';', trailing spaces not
 * counted), so an error quotes the part to fix. */
static int period_len(const char *s)
{
	int n = 0, end = 0;

	while (s[n] != '\0' && s[n] != ',' && s[n] != ';' && n < 24) {
		n++;
		if (s[n - 1] != ' ' && s[n - 1] != '\t')
			end = n;
	}
	return end > 0 ? end : 1;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int tui_hours_parse(const char *text, json_t **out, char *err, size_t errlen)
{
	const char *p = skip_space(text);
	json_t *arr = json_array();
	int n = 0, rc;

	*out = NULL;
	if (arr == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (*p == '\0' || strncmp(p, "closed", 6) == 0) {
		if (*p != '\0' && *skip_space(p + 6) != '\0') {
			p = skip_space(p + 6);
			goto bad;
		}
		*out = arr;
		return 0;
	}
	for (;;) {
		char open[6], close[6];

		p = skip_space(p);
		if ((rc = clock_at(&p, open)) != 0)
			goto bad_clock;
		p = skip_space(p);
		if (*p != '-' && *p != '~')
			goto bad;
		p = skip_space(p + 1);
		if ((rc = clock_at(&p, close)) != 0)
			goto bad_clock;
		if (++n > 3) {
			snprintf(err, errlen, "at most 3 periods a day");
			json_decref(arr);
			return -1;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s}", "open", open,
						     "close", close));
		p = skip_space(p);
		if (*p == '\0')
			break;
		if (*p != ',' && *p != ';')
			goto bad;
		p++;
	}
	*out = arr;
	return 0;
bad_clock:
	if (rc == -2) {
		/* clock_at saw H:MM or HH:MM there. */
		snprintf(err, errlen, "%.*s is not a time of day (00:00 to 24:00)",
			 (int)(strchr(p, ':') - p) + 3, p);
		json_decref(arr);
		return -1;
	}
bad:
	/* Name where it went wrong: the user sees which part to fix. */
	if (*p == '\0')
		snprintf(err, errlen,
			 "a period is cut short: write 09:00-15:00, 17:00-22:00 (or closed)");
	else
		snprintf(err, errlen,
			 "\"%.*s\"? write periods like 09:00-15:00, 17:00-22:00 (or closed)",
			 period_len(p), p);
	json_decref(arr);
	return -1;
}
