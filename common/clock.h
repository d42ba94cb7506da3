#ifndef STORECTL_CLOCK_H
#define STORECTL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Wall-clock milliseconds since the epoch, with sub-millisecond fraction. */
double clock_wall_ms(void);

/* Monotonic milliseconds, for measuring durations. */
double clock_mono_ms(void);

/* Formats wall-clock ms as "2026-11-24T10:00:00.123Z" into buf (>= 32 bytes). */
void clock_format_iso(double wall_ms, char *buf, size_t len);

/* Parses the format above; returns 0 and sets *wall_ms, or -1. */
int clock_parse_iso(const char *text, double *wall_ms);

#endif
