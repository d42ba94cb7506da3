#include "common/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

double clock_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

double clock_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void clock_format_iso(double wall_ms, char *buf, size_t len)
{
	time_t secs = (time_t)(wall_ms / 1000.0);
	int millis = (int)(wall_ms - (double)secs * 1000.0);
	struct tm tm;

	if (millis < 0)
		millis = 0;
	if (millis > 999)
		millis = 999;
	gmtime_r(&secs, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, millis);
}

int clock_parse_iso(const char *text, double *wall_ms)
{
	struct tm tm;
	int millis = 0;
	int used = 0;

	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	struct tm back;
	time_t secs;

	/* Digits exactly where the shape has them: sscanf alone would take
	 * signs and spaces ("2026-+1-01"). */
	for (size_t i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? !(text[i] >= '0' && text[i] <= '9')
				    : text[i] != shape[i])
			return -1;
	}
	memset(&tm, 0, sizeof(tm));
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6)
		return -1;
	text += used;
	if (*text == '.') {
		int digits = 0;

		text++;
		while (*text >= '0' && *text <= '9') {
			if (digits < 3)
				millis = millis * 10 + (*text - '0');
			digits++;
			text++;
		}
		if (digits == 0)
			return -1;
		for (; digits < 3; digits++)
			millis *= 10;
	}
	if (strcmp(text, "Z") != 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	/* timegm normalises "2026-13-45T99:99:99": a real time reads back
	 * the same, a made-up one does not. */
	back = tm;
	secs = timegm(&back);
	if (back.tm_year != tm.tm_year || back.tm_mon != tm.tm_mon ||
	    back.tm_mday != tm.tm_mday || back.tm_hour != tm.tm_hour ||
	    back.tm_min != tm.tm_min || back.tm_sec != tm.tm_sec)
		return -1;
	*wall_ms = (double)secs * 1000.0 + millis;
	return 0;
}
