#include "tui/fmt.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/text.h"

void tui_fmt_money(int64_t won, char *buf, size_t len)
{
	char digits[32];
	size_t n, o = 0;
	int neg = won < 0;

	snprintf(digits, sizeof(digits), "%lld",
		 (long long)(neg ? -won : won));
	n = strlen(digits);
	if (len == 0)
		return;
	if (neg && o + 1 < len)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 1 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0) {
			if (o + 2 >= len)
				break;
			buf[o++] = ',';
		}
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void tui_fmt_ms(double ms, char *buf, size_t len)
{
	if (ms < 1.0)
		snprintf(buf, len, "<1ms");
	else if (ms < 1000.0)
		snprintf(buf, len, "%.0fms", ms);
	else if (ms < 10000.0)
		snprintf(buf, len, "%.1fs", ms / 1000.0);
	else
		snprintf(buf, len, "%.0fs", ms / 1000.0);
}

void tui_json_str(const json_t *o, const char *key, char *buf, size_t len)
{
	const char *v = json_string_value(json_object_get(o, key));

	tui_copy_utf8(buf, len, v ? v : "");
}

int64_t tui_json_int(const json_t *o, const char *key, int64_t fallback)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : fallback;
}

void tui_fmt_clock(double wall_ms, int ms, char *buf, size_t len)
{
	time_t secs = (time_t)(wall_ms / 1000.0);
	struct tm tm;

	localtime_r(&secs, &tm);
	if (ms)
		snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour,
			 tm.tm_min, tm.tm_sec,
			 (int)((long long)wall_ms % 1000));
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
}
